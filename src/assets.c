/*
 * assets.c
 *		Tradable assets.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "api.h"

PG_FUNCTION_INFO_V1(alpaca_assets);
PG_FUNCTION_INFO_V1(alpaca_asset);

static const char *const statuses[] = {"active", "inactive", NULL};
static const char *const classes[] = {"us_equity", "us_option", "crypto", NULL};
static const AlpacaRowSpec asset_list = {ALPACA_LIST};

/* alpaca_assets(status, asset_class, exchange, attributes text[]) */
Datum
alpaca_assets(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_init(&req, "GET", "/v2/assets");
	alpaca_query(&req, "status", alpaca_arg_enum(fcinfo, 0, "status", statuses));
	alpaca_query(&req, "asset_class", alpaca_arg_enum(fcinfo, 1, "asset_class", classes));
	alpaca_query(&req, "exchange", alpaca_arg_text(fcinfo, 2));
	/* Alpaca adds attributes: any of its form passes */
	alpaca_query(&req, "attributes", alpaca_arg_codes(fcinfo, 3, "attributes", false));
	return alpaca_send_rows(fcinfo, &req, &asset_list);
}

/* alpaca_asset(symbol_or_asset_id) */
Datum
alpaca_asset(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	alpaca_request_init(&req, "GET", "/v2/assets");
	alpaca_symbol_segment(&req, "symbol_or_asset_id", alpaca_arg_text(fcinfo, 0));
	return alpaca_send_object(fcinfo, &req);
}
