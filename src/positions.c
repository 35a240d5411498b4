/*
 * positions.c
 *		Open positions: list, look up, close, and option exercise.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/numeric.h"

#include "api.h"
#include "risk.h"

PG_FUNCTION_INFO_V1(alpaca_positions);
PG_FUNCTION_INFO_V1(alpaca_position);
PG_FUNCTION_INFO_V1(alpaca_close_position);
PG_FUNCTION_INFO_V1(alpaca_close_all_positions);
PG_FUNCTION_INFO_V1(alpaca_exercise_option);
PG_FUNCTION_INFO_V1(alpaca_do_not_exercise_option);

static const AlpacaRowSpec list = {ALPACA_LIST};

Datum
alpaca_positions(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_start(&req, fcinfo, "GET", "/v2/positions");
	return alpaca_send_rows(fcinfo, &req, &list);
}

static void
position_path(FunctionCallInfo fcinfo, AlpacaRequest *req, const char *method, const char *suffix,
			  const char *name)
{
	alpaca_request_start(req, fcinfo, method, "/v2/positions");
	alpaca_symbol_segment(req, name, alpaca_arg_text(fcinfo, 0));
	if (suffix)
		appendStringInfoString(&req->path, suffix);
}

Datum
alpaca_position(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	position_path(fcinfo, &req, "GET", NULL, "symbol_or_asset_id");
	return alpaca_send_object(fcinfo, &req);
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
