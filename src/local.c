/*
 * local.c
 *		The declarations of the extension's own functions: the raw request,
 *		orders on COMMIT, the mirror, the budgets and statistics, discovery
 *		and grants.  Their code is in their modules; the helpers only the
 *		extension calls are marked internal (alpaca_operations leaves them
 *		out).
 */
#include "postgres.h"

#include "catalog.h"

extern const AlpacaArg alpaca_order_args[];

static const char *const kinds[] = {"reader", "trader", "proposer", "approver", NULL};

const AlpacaOperation alpaca_local_operations[] = {
	{"alpaca_request", ALPACA_TRANSFER, NULL, "any path below alpaca.base_url",
		"Any Trading API request, for fields and endpoints no typed function covers; the answer as jsonb. A change passes the checks of the typed function it resembles.",
		(const AlpacaArg[]) {
			{"method", "text", ARG_LOCAL, NULL, NULL, (const char *const[]) {"GET", "POST", "PUT", "PATCH", "DELETE", NULL}},
			{"path", "text", ARG_LOCAL, NULL, "below alpaca.base_url, starting with /, e.g. /v2/account"},
			{"body", "jsonb", ARG_LOCAL, "NULL", "the JSON body, for POST, PUT and PATCH"},
			{NULL}},
		"SELECT alpaca_request('GET', '/v2/account') ->> 'status';",
		"raw request any endpoint http api call json"},
	{"alpaca_queue_order", ALPACA_ORDER, NULL, NULL,
		"Propose an order: it is sent after this transaction commits (never if it rolls back), once; above alpaca.approval_above_notional it waits for an approver. Returns its client_order_id; follow it in alpaca_order_outbox.",
		alpaca_order_args,
		"SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 150);",
		"propose queue an order for approval send after commit buy sell later transaction"},
	{"alpaca_approve_order", ALPACA_ORDER, NULL, NULL,
		"Approve a queued order that waits for approval (not by whoever queued it): it is sent after this transaction commits.",
		(const AlpacaArg[]) {{"client_order_id", "text", ARG_LOCAL, NULL, "the queued order's"}, {NULL}},
		"SELECT status FROM alpaca_approve_order('8a1c...');",
		"approve confirm a proposed queued order accept"},
	{"alpaca_reject_order", ALPACA_ORDER, NULL, NULL,
		"Reject a queued order not sent yet (or withdraw your own); the reason is kept.",
		(const AlpacaArg[]) {
			{"client_order_id", "text", ARG_LOCAL, NULL, "the queued order's"},
			{"reason", "text", ARG_LOCAL, "NULL", NULL},
			{NULL}},
		"SELECT status FROM alpaca_reject_order('8a1c...', 'too large');",
		"reject decline withdraw a proposed queued order"},
	{"alpaca_wait_for_order", ALPACA_READ, NULL, NULL,
		"Wait (up to timeout) until a queued order is settled, and return its outbox row: placed, refused, rejected, failed or pending_approval (and why, in waiting_for).",
		(const AlpacaArg[]) {
			{"client_order_id", "text", ARG_LOCAL, NULL, "the queued order's"},
			{"timeout", "interval", ARG_LOCAL, "'00:00:10'::interval", "how long to wait"},
			{NULL}},
		"SELECT status, order_id, waiting_for FROM alpaca_wait_for_order('8a1c...');",
		"wait for a queued order status of a proposal was it placed approved"},
	{"alpaca_preview_order", ALPACA_READ, NULL, NULL,
		"What placing an order would do, without sending it: the body, its value and where the price came from, each limit with pass or fail, whether it needs approval, whether the market is open. Works read-only and on a standby.",
		alpaca_order_args,
		"SELECT allowed, refused_by, value, needs_approval FROM alpaca_preview_order('AAPL', qty => 1, side => 'buy');",
		"preview dry run check an order would it be allowed simulate test limits before placing what if buy sell shares"},
	{"alpaca_help", ALPACA_READ, NULL, NULL,
		"The operations that fit a sentence (\"close all my positions now\"), best first, each with its summary, effect and an example.",
		(const AlpacaArg[]) {{"intent", "text", ARG_LOCAL, NULL, "what you want to do, in words"}, {NULL}},
		"SELECT function, summary, example FROM alpaca_help('what did I earn last month');",
		"help find which function how do I search operations discover"},
	{"alpaca_grant", ALPACA_CHANGE, NULL, NULL,
		"Grant a role what one kind of role needs: reader (reads), trader (reads and orders), proposer (reads and proposing orders), approver (reads and approving or rejecting others' orders). Never the raw request.",
		(const AlpacaArg[]) {
			{"role", "regrole", ARG_LOCAL, NULL, "the role to grant to"},
			{"kind", "text", ARG_LOCAL, NULL, NULL, kinds},
			{NULL}},
		"SELECT alpaca_grant('agent', 'proposer');",
		"grant permissions privileges role setup access reader trader proposer approver"},
	{"alpaca_mirror_status", ALPACA_READ, NULL, NULL,
		"The mirror worker now: whether it is on, each stream's state, messages applied and refused, reconnects, reconciliations, its last error.",
		NULL, "SELECT trade_updates, activities, last_error FROM alpaca_mirror_status();",
		"mirror status streams live"},
	{"alpaca_mirror_reconcile", ALPACA_CHANGE, NULL, NULL,
		"Make the mirror equal to Alpaca for its window now (orders since since and every open one, positions, activity events).",
		(const AlpacaArg[]) {{"since", "timestamptz", ARG_LOCAL, "(now() - '7 days'::interval)", NULL}, {NULL}},
		"SELECT * FROM alpaca_mirror_reconcile();",
		"mirror reconcile refresh resync"},
	{"alpaca_budget", ALPACA_READ, NULL, NULL,
		"This server's Trading API budget: alpaca.requests_per_minute, the requests of the last minute, what is left, waits and refusals.",
		NULL, "SELECT * FROM alpaca_budget();",
		"rate limit budget requests per minute left"},
	{"alpaca_budgets", ALPACA_READ, NULL, NULL,
		"Both request budgets (trading, market data): this server's cap and reserve, and what Alpaca last said the account has left.",
		NULL, "SELECT api, used_last_minute, account_remaining, account_reset FROM alpaca_budgets();",
		"rate limits budgets account remaining requests"},
	{"alpaca_stat_endpoints", ALPACA_READ, NULL, NULL,
		"Per endpoint since the server started: calls, errors, retries, 429 answers, mean and max latency (read the view of the same name).",
		NULL, "SELECT * FROM alpaca_stat_endpoints ORDER BY calls DESC;",
		"statistics latency endpoints errors"},
	{"alpaca_stat_reset", ALPACA_CHANGE, NULL, NULL,
		"Forget the statistics of alpaca_stat_endpoints and alpaca_budget().",
		NULL, "SELECT alpaca_stat_reset();",
		"reset statistics"},
	{"alpaca_workers", ALPACA_READ, NULL, NULL,
		"The extension's background workers: pid, passes, memory, last error.",
		NULL, "SELECT worker, pid, memory_bytes, last_error FROM alpaca_workers();",
		"workers background audit outbox mirror health"},
	/* helpers only the extension calls */
	{"alpaca_mirror_order", ALPACA_CHANGE, NULL, NULL, "Write one order into the mirror (the mirror worker's).",
		(const AlpacaArg[]) {
			{"o", "alpaca_order", ARG_LOCAL, NULL, NULL},
			{"event", "text", ARG_LOCAL, NULL, NULL},
			{"event_at", "timestamptz", ARG_LOCAL, "NULL", NULL},
			{"reconciling", "boolean", ARG_LOCAL, "false", NULL},
			{NULL}}, NULL, NULL, .internal = true},
	{"alpaca_mirror_positions_refresh", ALPACA_CHANGE, NULL, NULL, "Replace the mirror's positions (the mirror worker's).",
		NULL, NULL, NULL, .internal = true},
	{"alpaca_mirror_message", ALPACA_CHANGE, NULL, NULL, "Apply one trade_updates message (the mirror worker's).",
		(const AlpacaArg[]) {{"msg", "jsonb", ARG_LOCAL, NULL, NULL}, {NULL}}, NULL, NULL, .internal = true},
	{"alpaca_mirror_activity", ALPACA_CHANGE, NULL, NULL, "Add one activity event (the mirror worker's).",
		(const AlpacaArg[]) {{"e", "jsonb", ARG_LOCAL, NULL, NULL}, {NULL}}, NULL, NULL, .internal = true},
	{"alpaca_live_prices_wanted", ALPACA_READ, NULL, NULL,
		"The symbols to stream live prices of, from the mirror, positions and open orders, or the watchlist (the prices worker's).",
		(const AlpacaArg[]) {{"source", "text", ARG_LOCAL, NULL, NULL}, {NULL}}, NULL, NULL, .internal = true},
	{"alpaca_live_prices_store", ALPACA_CHANGE, NULL, NULL,
		"Store what came on a market data stream into alpaca_live_prices (the prices worker's).",
		(const AlpacaArg[]) {
			{"messages", "jsonb", ARG_LOCAL, NULL, NULL},
			{"asset_class", "text", ARG_LOCAL, NULL, NULL},
			{"symbols", "text[]", ARG_LOCAL, NULL, NULL},
			{"connection", "bigint", ARG_LOCAL, NULL, NULL},
			{NULL}}, NULL, NULL, .internal = true},
	{"alpaca_catalog_entries", ALPACA_READ, NULL, NULL, "The declarations, as CREATE and ALTER EXTENSION read them.",
		NULL, NULL, NULL, .internal = true},
	ALPACA_END_OF_OPERATIONS
};
