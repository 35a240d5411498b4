/*
 * positions.c
 *		Open positions: list, look up, close, and option exercise.
 *
 * Listing and looking up are declared; closes and exercises are checked
 * against the role's limits as the orders they become, so they are
 * written here.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/numeric.h"

#include "api.h"
#include "catalog.h"
#include "risk.h"

ALPACA_DECLARED_SYMBOL(alpaca_positions);
ALPACA_DECLARED_SYMBOL(alpaca_position);
PG_FUNCTION_INFO_V1(alpaca_close_position);
PG_FUNCTION_INFO_V1(alpaca_close_all_positions);
PG_FUNCTION_INFO_V1(alpaca_exercise_option);
PG_FUNCTION_INFO_V1(alpaca_do_not_exercise_option);

static const AlpacaRowSpec list = {ALPACA_LIST};

static void
position_path(FunctionCallInfo fcinfo, AlpacaRequest *req, const char *method, const char *suffix,
			  const char *name)
{
	alpaca_request_start(req, fcinfo, method, "/v2/positions");
	alpaca_symbol_segment(req, name, alpaca_arg_text(fcinfo, 0));
	if (suffix)
		appendStringInfoString(&req->path, suffix);
}

/* alpaca_close_position(symbol_or_asset_id, qty, percentage): the closing order */
Datum
alpaca_close_position(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	char	   *qty = alpaca_arg_numeric(fcinfo, 1, "qty", true);
	char	   *pct = alpaca_arg_numeric(fcinfo, 2, "percentage", true);

	alpaca_require(qty == NULL || pct == NULL, "qty and percentage cannot both be given", NULL);
	if (pct)
		alpaca_require(DatumGetBool(DirectFunctionCall2(numeric_le, PG_GETARG_DATUM(2),
														DirectFunctionCall1(int4_numeric, Int32GetDatum(100)))),
					   "percentage must be between 0 and 100", NULL);
	position_path(fcinfo, &req, "DELETE", NULL, "symbol_or_asset_id");
	alpaca_check_close(alpaca_arg_text(fcinfo, 0), qty, pct);
	alpaca_query(&req, "qty", qty);
	alpaca_query(&req, "percentage", pct);
	return alpaca_send_object(fcinfo, &req);
}

/* One row per position: symbol, HTTP status, and the closing order (or error) as jsonb. */
Datum
alpaca_close_all_positions(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_start(&req, fcinfo, "DELETE", "/v2/positions");
	alpaca_query(&req, "cancel_orders", alpaca_arg_bool(fcinfo, 0));
	alpaca_check_close_all();
	return alpaca_send_rows(fcinfo, &req, &list);
}

Datum
alpaca_exercise_option(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	position_path(fcinfo, &req, "POST", "/exercise", "symbol_or_contract_id");
	alpaca_check_exercise("exercising an option", alpaca_arg_text(fcinfo, 0));
	alpaca_send_void(&req);
	PG_RETURN_VOID();
}

Datum
alpaca_do_not_exercise_option(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	position_path(fcinfo, &req, "POST", "/do-not-exercise", "symbol_or_contract_id");
	alpaca_check_exercise("declining to exercise an option", alpaca_arg_text(fcinfo, 0));
	alpaca_send_void(&req);
	PG_RETURN_VOID();
}

const AlpacaOperation alpaca_positions_operations[] = {
	{"alpaca_positions", ALPACA_READ, "GET", "/v2/positions",
		"Every open position: quantity (negative when short), cost basis, market value, profit and loss.",
		NULL, "SELECT symbol, qty, market_value, unrealized_pl FROM alpaca_positions();",
		"positions holdings portfolio what do I own shares held profit loss pnl exposure",
		.declared = true, .shape = ALPACA_LIST},
	{"alpaca_position", ALPACA_READ, "GET", "/v2/positions/{symbol_or_asset_id}",
		"One open position by symbol or asset id.",
		(const AlpacaArg[]) {
			{"symbol_or_asset_id", "text", ARG_SYMBOL, NULL, "a symbol (AAPL, BTC/USD) or an asset id"},
			{NULL}},
		"SELECT qty, avg_entry_price, unrealized_pl FROM alpaca_position('AAPL');",
		"position one holding how many shares of do I hold",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_close_position", ALPACA_ORDER, "DELETE", "/v2/positions/{symbol_or_asset_id}",
		"Close a position, or part of it (by qty or percentage), at the market; returns the closing order.",
		(const AlpacaArg[]) {
			{"symbol_or_asset_id", "text", ARG_LOCAL, NULL, "a symbol or an asset id"},
			{"qty", "numeric", ARG_LOCAL, "NULL", "how much of it (or give percentage)", .positive = true},
			{"percentage", "numeric", ARG_LOCAL, "NULL", "how much of it, 0 to 100", .positive = true},
			{NULL}},
		"SELECT id, side, qty FROM alpaca_close_position('AAPL', percentage => 50);",
		"close sell out exit a position liquidate one holding take profit reduce"},
	{"alpaca_close_all_positions", ALPACA_ORDER, "DELETE", "/v2/positions",
		"Close every position at the market (and cancel open orders first, if asked); one row per position.",
		(const AlpacaArg[]) {
			{"cancel_orders", "boolean", ARG_LOCAL, "NULL", "cancel every open order first"},
			{NULL}},
		"SELECT symbol, status FROM alpaca_close_all_positions(cancel_orders => true);",
		"close all positions now liquidate everything sell everything flatten the portfolio exit all panic"},
	{"alpaca_exercise_option", ALPACA_ORDER, "POST", "/v2/positions/{symbol_or_contract_id}/exercise",
		"Exercise an option position you hold.",
		(const AlpacaArg[]) {
			{"symbol_or_contract_id", "text", ARG_LOCAL, NULL, "the contract's symbol or id"},
			{NULL}},
		"SELECT alpaca_exercise_option('AAPL261204C00150000');",
		"exercise option contract call put"},
	{"alpaca_do_not_exercise_option", ALPACA_ORDER, "POST", "/v2/positions/{symbol_or_contract_id}/do-not-exercise",
		"Tell Alpaca not to exercise an option position at expiry.",
		(const AlpacaArg[]) {
			{"symbol_or_contract_id", "text", ARG_LOCAL, NULL, "the contract's symbol or id"},
			{NULL}},
		"SELECT alpaca_do_not_exercise_option('AAPL261204C00150000');",
		"do not exercise option expiry let it expire"},
	ALPACA_END_OF_OPERATIONS
};
