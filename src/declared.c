/*
 * declared.c
 *		Operations declared rather than written: one entry point for many.
 *
 * The first 46 operations each have a C function, written when each had
 * checks of its own.  Most endpoints need none beyond their arguments' types,
 * so the rest are a table: the SQL function's name, the method, the path
 * template, where each argument goes, and what the answer looks like.  One
 * entry point, alpaca_declared(), finds the calling function's row (cached
 * in fn_extra), maps the arguments by their declared names (not positions)
 * and their SQL types to the path, query and body, and answers with the
 * declared row type: one row, a set (following pages when the answer has a
 * token), or nothing.  Adding such an endpoint is a row here and a CREATE
 * FUNCTION in SQL.  Calls that change the account pass the kill switch, the
 * audit trail and the budget like every other.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "api.h"
#include "errors.h"
#include "risk.h"

typedef enum Where
{
	IN_PATH, IN_QUERY, IN_BODY
} Where;

typedef struct DeclaredArg
{
	const char *name;			/* the SQL argument's and Alpaca's name */
	Where		where;
	bool		required;
	bool		number;			/* in a body: a JSON number, not a string */
} DeclaredArg;

#define MAX_DECLARED_ARGS 8

typedef struct DeclaredOp
{
	const char *function;
	const char *method;
	const char *path;			/* "{name}" segments come from arguments */
	AlpacaShape shape;
	const char *list_field;		/* ALPACA_FIELD_LIST */
	const char *token_field;	/* pages: the answer's token, sent back as
								 * page_token */
	bool		events;			/* text/event-stream of JSON objects */
	const char *what;			/* for the kill switch's message */
	DeclaredArg args[MAX_DECLARED_ARGS];
} DeclaredOp;

static const DeclaredOp ops[] = {
	{"alpaca_market_clocks", "GET", "/v3/clock", ALPACA_FIELD_LIST, "clocks", NULL, false, NULL,
	{{"markets", IN_QUERY}, {"time", IN_QUERY}}},
	{"alpaca_market_calendar", "GET", "/v3/calendar/{market}", ALPACA_FIELD_LIST, "calendar", NULL, false, NULL,
	{{"market", IN_PATH, true}, {"start", IN_QUERY}, {"end", IN_QUERY}, {"timezone", IN_QUERY}}},
	{"alpaca_locates", "GET", "/v1/locates", ALPACA_FIELD_LIST, "locates", "next_page_token", false, NULL,
	{{"status", IN_QUERY}, {"symbol", IN_QUERY}, {"start", IN_QUERY}, {"end", IN_QUERY}}},
	{"alpaca_create_locate", "POST", "/v1/locates", ALPACA_OBJECT, NULL, NULL, false, "locating shares",
	{{"symbol", IN_BODY, true}, {"qty", IN_BODY, true, true}, {"limit_price", IN_BODY}, {"all_or_none", IN_BODY}}},
	{"alpaca_locate_quotes", "GET", "/v1/locates/quotes", ALPACA_FIELD_LIST, "quotes", NULL, false, NULL,
	{{"symbols", IN_QUERY, true}}},
	{"alpaca_locate", "GET", "/v1/locates/{locate_id}", ALPACA_OBJECT, NULL, NULL, false, NULL,
	{{"locate_id", IN_PATH, true}}},
	{"alpaca_us_corporates", "GET", "/v2/assets/fixed_income/us_corporates", ALPACA_FIELD_LIST, "us_corporates", NULL, false, NULL,
	{{"bond_status", IN_QUERY}, {"isins", IN_QUERY}, {"cusips", IN_QUERY}, {"tickers", IN_QUERY}}},
	{"alpaca_us_treasuries", "GET", "/v2/assets/fixed_income/us_treasuries", ALPACA_FIELD_LIST, "us_treasuries", NULL, false, NULL,
	{{"subtype", IN_QUERY}, {"bond_status", IN_QUERY}, {"cusips", IN_QUERY}, {"isins", IN_QUERY}}},
	{"alpaca_perp_account_vitals", "GET", "/v2/perpetuals/account_vitals", ALPACA_OBJECT},
	{"alpaca_perp_leverage", "GET", "/v2/perpetuals/leverage", ALPACA_OBJECT, NULL, NULL, false, NULL,
	{{"symbol", IN_QUERY}}},
	{"alpaca_set_perp_leverage", "POST", "/v2/perpetuals/leverage", ALPACA_OBJECT, NULL, NULL, false, "setting a perpetual's leverage",
	{{"symbol", IN_QUERY, true}, {"leverage", IN_QUERY, true}}},
	{"alpaca_perp_wallets", "GET", "/v2/perpetuals/wallets", ALPACA_OBJECT_OR_LIST},
	{"alpaca_perp_fee_estimate", "GET", "/v2/perpetuals/wallets/fees/estimate", ALPACA_OBJECT, NULL, NULL, false, NULL,
	{{"asset", IN_QUERY}, {"from_address", IN_QUERY}, {"to_address", IN_QUERY}, {"amount", IN_QUERY}}},
	{"alpaca_perp_transfers", "GET", "/v2/perpetuals/wallets/transfers", ALPACA_OBJECT_OR_LIST},
	{"alpaca_request_perp_transfer", "POST", "/v2/perpetuals/wallets/transfers", ALPACA_OBJECT, NULL, NULL, false, "requesting a perpetuals withdrawal",
	{{"amount", IN_BODY, true}, {"address", IN_BODY, true}, {"asset", IN_BODY, true}, {"chain", IN_BODY}}},
	{"alpaca_perp_transfer", "GET", "/v2/perpetuals/wallets/transfers/{transfer_id}", ALPACA_OBJECT, NULL, NULL, false, NULL,
	{{"transfer_id", IN_PATH, true}}},
	{"alpaca_perp_whitelisted_addresses", "GET", "/v2/perpetuals/wallets/whitelists", ALPACA_OBJECT_OR_LIST},
	{"alpaca_add_perp_whitelisted_address", "POST", "/v2/perpetuals/wallets/whitelists", ALPACA_OBJECT, NULL, NULL, false, "whitelisting an address",
	{{"address", IN_BODY, true}, {"asset", IN_BODY, true}}},
	{"alpaca_delete_perp_whitelisted_address", "DELETE", "/v2/perpetuals/wallets/whitelists/{whitelisted_address_id}", ALPACA_OBJECT, NULL, NULL, false, "removing a whitelisted address",
	{{"whitelisted_address_id", IN_PATH, true}}},
	{"alpaca_tokenization_mint", "POST", "/v2/tokenization/mint", ALPACA_OBJECT, NULL, NULL, false, "minting tokens",
	{{"underlying_symbol", IN_BODY, true}, {"qty", IN_BODY, true}, {"issuer", IN_BODY, true}, {"network", IN_BODY, true}, {"wallet_address", IN_BODY, true}}},
	{"alpaca_tokenization_requests", "GET", "/v2/tokenization/requests", ALPACA_LIST, NULL, NULL, false, NULL,
	{{"type", IN_QUERY}, {"status", IN_QUERY}, {"underlying_symbol", IN_QUERY}, {"issuer", IN_QUERY}, {"network", IN_QUERY}, {"after", IN_QUERY}, {"before", IN_QUERY}}},
	{"alpaca_activity_events", "GET", "/v2beta1/events/activities", ALPACA_LIST, NULL, NULL, true, NULL,
	{{"since", IN_QUERY}, {"until", IN_QUERY}, {"since_id", IN_QUERY}, {"until_id", IN_QUERY}}},
};

/* What a call needs of its function, found once per call site. */
typedef struct DeclaredCall
{
	const DeclaredOp *op;
	int			position[MAX_DECLARED_ARGS];	/* SQL argument of each op arg */
	Oid			type[MAX_DECLARED_ARGS];
	bool		returns_void;
} DeclaredCall;

static DeclaredCall *
prepare(FunctionCallInfo fcinfo)
{
	Oid			fn = fcinfo->flinfo->fn_oid;
	HeapTuple	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	Form_pg_proc proc;
	Oid		   *types;
	char	  **names;
	char	   *modes;
	int			nargs;
	DeclaredCall *call;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for function %u", fn);
	proc = (Form_pg_proc) GETSTRUCT(tup);
	call = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(DeclaredCall));
	for (size_t i = 0; i < lengthof(ops); i++)
		if (strcmp(ops[i].function, NameStr(proc->proname)) == 0)
			call->op = &ops[i];
	if (call->op == NULL)
		elog(ERROR, "alpaca_declared: no operation is declared for %s", NameStr(proc->proname));
	call->returns_void = (proc->prorettype == VOIDOID);
	nargs = get_func_arg_info(tup, &types, &names, &modes);
	for (int k = 0; k < MAX_DECLARED_ARGS && call->op->args[k].name; k++)
	{
		call->position[k] = -1;
		for (int i = 0; i < nargs && names; i++)
			if (names[i] && strcmp(names[i], call->op->args[k].name) == 0)
			{
				call->position[k] = i;
				call->type[k] = types[i];
			}
		if (call->position[k] < 0)
			elog(ERROR, "alpaca_declared: %s has no argument named %s", NameStr(proc->proname),
				 call->op->args[k].name);
	}
	ReleaseSysCache(tup);
	return call;
}

/* An argument as the text Alpaca wants, by its SQL type; NULL for NULL. */
static char *
arg_text(FunctionCallInfo fcinfo, int n, Oid type, const char *name)
{
	switch (type)
	{
		case TEXTARRAYOID:
			return alpaca_arg_list(fcinfo, n, name, NULL);
		case NUMERICOID:
			return alpaca_arg_numeric(fcinfo, n, name, false);
		case INT4OID:
			return alpaca_arg_int(fcinfo, n, name, PG_INT32_MIN, PG_INT32_MAX);
		case BOOLOID:
			return alpaca_arg_bool(fcinfo, n);
		case DATEOID:
			return alpaca_arg_date(fcinfo, n);
		case TIMESTAMPTZOID:
			return alpaca_arg_timestamptz(fcinfo, n);
		case UUIDOID:
			return alpaca_arg_uuid(fcinfo, n);
		default:
			return alpaca_arg_text(fcinfo, n);
	}
}

/*
 * A server-sent event stream ("data: {...}" lines, a blank line after each
 * event) as a JSON array of the events' data, for the rows layer, rewritten
 * in place: each event's "data:" prefix and blank line are longer than the
 * "[", "," or "]" that replace them, so the writer never passes the reader
 * and a long history is not held twice.
 */
static void
events_to_array(AlpacaResponse *resp)
{
	char	   *p = resp->body;
	char	   *end = resp->body + resp->body_len;
	char	   *w = resp->body;
	bool		in_event = false;
	int			n = 0;

	while (p <= end)
	{
		char	   *eol = memchr(p, '\n', end - p);
		size_t		len = (eol ? eol : end) - p;

		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0)
		{
			/* a blank line ends an event; a long history stays cancellable */
			CHECK_FOR_INTERRUPTS();
			in_event = false;
		}
		else if (len >= 5 && strncmp(p, "data:", 5) == 0)
		{
			size_t		skip = (len > 5 && p[5] == ' ') ? 6 : 5;

			/* a new event's separator, or the newline between its data lines */
			*w++ = in_event ? '\n' : (n++ ? ',' : '[');
			in_event = true;
			memmove(w, p + skip, len - skip);
			w += len - skip;
		}
		/* event:, id:, retry: and ":" comments carry nothing a row needs */
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	if (n == 0)
	{
		resp->body = pstrdup("[]");
		resp->body_len = 2;
		return;
	}
	*w++ = ']';
	*w = '\0';
	resp->body_len = w - resp->body;
}

static bool
named(List *names, const char *name)
{
	ListCell   *lc;

	foreach(lc, names)
		if (strcmp(lfirst(lc), name) == 0)
		return true;
	return false;
}

/*
 * Alpaca's event stream stays open, sending events as they happen, unless
 * it is given an end (until or until_id): a function that returns rows reads
 * the history up to now.  The live stream is the mirror's.
 */
static void
bound_history(AlpacaRequest *req, List *given)
{
	if (named(given, "until") || named(given, "until_id"))
		return;
	if (named(given, "since_id"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("until_id is required with since_id"),
				 errdetail("Without an end Alpaca's event stream stays open."),
				 errhint("Give until_id, or since and until; the mirror (alpaca.mirror) keeps the live stream in alpaca_mirror_activities.")));
	if (!named(given, "since"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("since or since_id is required"),
				 errdetail("Without one Alpaca sends no history, only the events that happen from now on.")));
	alpaca_query(req, "until", alpaca_format_timestamptz(GetCurrentTimestamp()));
}

PG_FUNCTION_INFO_V1(alpaca_declared);

Datum
alpaca_declared(PG_FUNCTION_ARGS)
{
	DeclaredCall *call = fcinfo->flinfo->fn_extra;
	const DeclaredOp *op;
	AlpacaRequest req;
	AlpacaRowSpec spec = {0};
	char	   *path;
	char	   *save = NULL;
	char	   *token = NULL;
	List	   *given = NIL;

	if (call == NULL)
		fcinfo->flinfo->fn_extra = call = prepare(fcinfo);
	op = call->op;

	alpaca_request_start(&req, fcinfo, op->method, "");
	/* the path: literal segments as written, {name} from the argument */
	path = pstrdup(op->path);
	for (char *seg = strtok_r(path, "/", &save); seg; seg = strtok_r(NULL, "/", &save))
	{
		if (seg[0] != '{')
		{
			appendStringInfo(&req.path, "/%s", seg);
			appendStringInfo(&req.template, "/%s", seg);
			continue;
		}
		seg[strlen(seg) - 1] = '\0';
		for (int k = 0; k < MAX_DECLARED_ARGS && op->args[k].name; k++)
			if (strcmp(op->args[k].name, seg + 1) == 0)
				alpaca_path_segment(&req, seg + 1, arg_text(fcinfo, call->position[k], call->type[k], seg + 1));
	}
	for (int k = 0; k < MAX_DECLARED_ARGS && op->args[k].name; k++)
	{
		const DeclaredArg *a = &op->args[k];
		char	   *v;

		if (a->where == IN_PATH)
			continue;
		v = arg_text(fcinfo, call->position[k], call->type[k], a->name);
		if (op->events && v != NULL)
			given = lappend(given, (void *) a->name);
		if (v == NULL && a->required)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s is required", a->name)));
		if (a->where == IN_QUERY)
			alpaca_query(&req, a->name, v);
		else if (a->number || call->type[k] == BOOLOID)
			alpaca_body_raw(&req, a->name, v);
		else
			alpaca_body_string(&req, a->name, v);
	}
	if (op->events)
		bound_history(&req, given);
	if (req.body.len > 0)
		alpaca_body_finish(&req);
	if (strcmp(op->method, "GET") != 0)
		alpaca_check_trading(op->what);

	if (call->returns_void)
	{
		alpaca_send_void(&req);
		PG_RETURN_VOID();
	}
	if (!fcinfo->flinfo->fn_retset)
		return alpaca_send_object(fcinfo, &req);

	spec.shape = op->shape;
	spec.list_field = op->list_field;
	spec.token_field = op->token_field;
	if (op->events)
	{
		AlpacaResponse resp;
		AlpacaPage	page;

		alpaca_send(&req, &resp);
		events_to_array(&resp);
		alpaca_rows_parse(alpaca_rows_begin(fcinfo), resp.body, resp.body_len, &spec, &page);
	}
	else if (op->token_field)
	{
		/* every page: the same request with the answer's token */
		AlpacaRowSink *sink = alpaca_rows_begin(fcinfo);
		AlpacaPager pager;
		AlpacaPage	page;
		StringInfoData query = req.query;

		alpaca_pager_init(&pager, op->function);
		do
		{
			AlpacaRequest page_req = req;

			initStringInfo(&page_req.query);
			appendStringInfoString(&page_req.query, query.data);
			alpaca_query(&page_req, "page_token", token);
			alpaca_fetch_page(sink, &page_req, &spec, &page);
			token = page.token;
		} while (alpaca_pager_next(&pager, token, page.added));
	}
	else
		alpaca_send_rows(fcinfo, &req, &spec);
	return (Datum) 0;
}
