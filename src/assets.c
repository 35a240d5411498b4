/*
 * assets.c
 *		Tradable assets.
 */
#include "postgres.h"

#include "json_c.h"

#include "api.h"

PG_FUNCTION_INFO_V1(alpaca_assets);
PG_FUNCTION_INFO_V1(alpaca_asset);

static const char *const statuses[] = {"active", "inactive", NULL};
static const char *const classes[] = {"us_equity", "us_option", "crypto", NULL};
static const char *const attributes[] = {"ptp_no_exception", "ptp_with_exception", "ipo",
	"has_options", "options_late_close", "fractional_eh_enabled", "overnight_tradable",
"overnight_halted", NULL};

/* alpaca_assets(status, asset_class, exchange, attributes text[]) */
Datum
alpaca_assets(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_init(&req, "GET", "/v2/assets");
	alpaca_query(&req, "status", alpaca_arg_enum(fcinfo, 0, "status", statuses));
	alpaca_query(&req, "asset_class", alpaca_arg_enum(fcinfo, 1, "asset_class", classes));
	alpaca_query(&req, "exchange", alpaca_arg_text(fcinfo, 2));
	alpaca_query(&req, "attributes", alpaca_arg_list(fcinfo, 3, "attributes", attributes));
	return alpaca_send_rows(fcinfo, &req);
}

/* alpaca_asset(symbol_or_asset_id) */
Datum
alpaca_asset(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	char	   *key = alpaca_arg_text(fcinfo, 0);

	alpaca_require(key[0] != '\0', "symbol_or_asset_id must not be empty", NULL);
	alpaca_request_init(&req, "GET", "/v2/assets");
	alpaca_symbol_segment(&req, key);
	return alpaca_send_object(fcinfo, &req);
}
