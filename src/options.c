/*
 * options.c
 *		Option contracts, every page.  Declared.
 *
 * Exercise and do-not-exercise act on positions and live in positions.c;
 * multi-leg orders are alpaca_place_order(order_class => 'mleg', legs => ...).
 */
#include "postgres.h"

#include "utils/date.h"

#include "api.h"
#include "catalog.h"

ALPACA_DECLARED_SYMBOL(alpaca_option_contracts);
ALPACA_DECLARED_SYMBOL(alpaca_option_contract);

static const char *const statuses[] = {"active", "inactive", NULL};
static const char *const types[] = {"call", "put", NULL};
static const char *const styles[] = {"american", "european", NULL};

static void
check_contracts(FunctionCallInfo fcinfo, const AlpacaOperation *op)
{
	int			gte = alpaca_declared_position(fcinfo, "expiration_date_gte");
	int			lte = alpaca_declared_position(fcinfo, "expiration_date_lte");

	alpaca_require(!(alpaca_declared_arg(fcinfo, "expiration_date") && (!PG_ARGISNULL(gte) || !PG_ARGISNULL(lte))),
				   "expiration_date cannot be combined with expiration_date_gte or expiration_date_lte", NULL);
	alpaca_require(PG_ARGISNULL(gte) || PG_ARGISNULL(lte) || PG_GETARG_DATEADT(gte) <= PG_GETARG_DATEADT(lte),
				   "expiration_date_gte must not be after expiration_date_lte", NULL);
}

const AlpacaOperation alpaca_options_operations[] = {
	{"alpaca_option_contracts", ALPACA_READ, "GET", "/v2/options/contracts",
		"Option contracts, every page: by underlying, expiry, type, strike; their close price and open interest.",
		(const AlpacaArg[]) {
			{"underlying_symbols", "text[]", ARG_QUERY, "NULL", "e.g. ARRAY['SPY']"},
			{"status", "text", ARG_QUERY, "NULL", NULL, statuses},
			{"expiration_date", "date", ARG_QUERY, "NULL", "one expiry (not with the range)"},
			{"expiration_date_gte", "date", ARG_QUERY, "NULL", "expiring on or after"},
			{"expiration_date_lte", "date", ARG_QUERY, "NULL", "expiring on or before"},
			{"root_symbol", "text", ARG_QUERY, "NULL", NULL},
			{"type", "text", ARG_QUERY, "NULL", NULL, types},
			{"style", "text", ARG_QUERY, "NULL", NULL, styles},
			{"strike_price_gte", "numeric", ARG_QUERY, "NULL", "dollars"},
			{"strike_price_lte", "numeric", ARG_QUERY, "NULL", "dollars"},
			{"show_deliverables", "boolean", ARG_QUERY, "NULL", NULL},
			{"ppind", "boolean", ARG_QUERY, "NULL", "penny price increments only"},
			{"page_limit", "integer", ARG_QUERY, "NULL", "contracts per request (up to 10,000); every page is read",
			.min = 1, .max = 10000, .wire = "limit"},
			{NULL}},
		"SELECT symbol, strike_price, expiration_date FROM alpaca_option_contracts(ARRAY['SPY'], type => 'put', expiration_date_lte => current_date + 30);",
		"option contracts chain strikes expiries calls puts find an option",
		.declared = true, .shape = ALPACA_FIELD_LIST, .list_field = "option_contracts",
		.paging = PAGES_TOKEN, .token_field = "next_page_token", .listing = "option contracts",
		.check = check_contracts},
	{"alpaca_option_contract", ALPACA_READ, "GET", "/v2/options/contracts/{symbol_or_id}",
		"One option contract by its symbol or id.",
		(const AlpacaArg[]) {
			{"symbol_or_id", "text", ARG_PATH, NULL, "an OCC symbol (AAPL261204C00150000) or a contract id"},
			{NULL}},
		"SELECT strike_price, expiration_date, multiplier FROM alpaca_option_contract('AAPL261204C00150000');",
		"option contract details one contract",
		.declared = true, .shape = ALPACA_OBJECT},
	ALPACA_END_OF_OPERATIONS
};
