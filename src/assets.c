/*
 * assets.c
 *		What can be traded: assets (stocks, ETFs, crypto pairs), and fixed
 *		income (US Treasuries and corporate bonds).  All declared.
 */
#include "postgres.h"

#include "api.h"
#include "catalog.h"

ALPACA_DECLARED_SYMBOL(alpaca_assets);
ALPACA_DECLARED_SYMBOL(alpaca_asset);

static const char *const statuses[] = {"active", "inactive", NULL};
static const char *const classes[] = {"us_equity", "us_option", "crypto", NULL};

const AlpacaOperation alpaca_assets_operations[] = {
	{"alpaca_assets", ALPACA_READ, "GET", "/v2/assets",
		"Tradable assets (stocks, ETFs, crypto pairs), filtered by status, class, exchange and attributes.",
		(const AlpacaArg[]) {
			{"status", "text", ARG_QUERY, "NULL", NULL, statuses},
			{"asset_class", "text", ARG_QUERY, "NULL", NULL, classes},
			{"exchange", "text", ARG_QUERY, "NULL", "e.g. NASDAQ, NYSE, ARCA"},
			{"attributes", "text[]", ARG_QUERY, "NULL", "any of Alpaca's attribute codes, e.g. fractional_eh_enabled; new ones are accepted",
			.codes = true},
			{NULL}},
		"SELECT symbol, name, tradable FROM alpaca_assets(status => 'active', asset_class => 'crypto');",
		"assets symbols stocks list tradable instruments what can I trade find a ticker",
		.declared = true, .shape = ALPACA_LIST},
	{"alpaca_asset", ALPACA_READ, "GET", "/v2/assets/{symbol_or_asset_id}",
		"One asset by its symbol or asset id: whether it is tradable, shortable, fractionable.",
		(const AlpacaArg[]) {
			{"symbol_or_asset_id", "text", ARG_SYMBOL, NULL, "a symbol (AAPL, BTC/USD) or an asset id"},
			{NULL}},
		"SELECT tradable, shortable, fractionable FROM alpaca_asset('AAPL');",
		"asset details symbol lookup tradable shortable fractionable",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_us_corporates", ALPACA_READ, "GET", "/v2/assets/fixed_income/us_corporates",
		"US corporate bonds: issuer, coupon, maturity, ratings.",
		(const AlpacaArg[]) {
			{"bond_status", "text", ARG_QUERY, "NULL", "e.g. outstanding"},
			{"isins", "text[]", ARG_QUERY, "NULL", "ISINs"},
			{"cusips", "text[]", ARG_QUERY, "NULL", "CUSIPs"},
			{"tickers", "text[]", ARG_QUERY, "NULL", "issuer tickers"},
			{NULL}},
		"SELECT cusip, issuer, coupon, maturity_date FROM alpaca_us_corporates(tickers => ARRAY['AAPL']);",
		"bonds corporate fixed income coupon maturity",
		.declared = true, .shape = ALPACA_FIELD_LIST, .list_field = "us_corporates"},
	{"alpaca_us_treasuries", ALPACA_READ, "GET", "/v2/assets/fixed_income/us_treasuries",
		"US Treasuries (bills, notes, bonds, STRIPS, TIPS): coupon, maturity, status.",
		(const AlpacaArg[]) {
			{"subtype", "text", ARG_QUERY, "NULL", "e.g. bill, note, bond"},
			{"bond_status", "text", ARG_QUERY, "NULL", "e.g. outstanding"},
			{"cusips", "text[]", ARG_QUERY, "NULL", "CUSIPs"},
			{"isins", "text[]", ARG_QUERY, "NULL", "ISINs"},
			{NULL}},
		"SELECT cusip, subtype, maturity_date FROM alpaca_us_treasuries(subtype => 'bill');",
		"treasury bills notes government bonds fixed income t-bills",
		.declared = true, .shape = ALPACA_FIELD_LIST, .list_field = "us_treasuries"},
	ALPACA_END_OF_OPERATIONS
};
