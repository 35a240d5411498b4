/*
 * market_options.c
 *		The Market Data API's option endpoints (/v1beta1/options): bars and
 *		trades over a time range, every page; the latest trades and quotes;
 *		snapshots with greeks and implied volatility; the chain of an
 *		underlying; exchange and condition codes.  Declared.
 *
 * A snapshot's row carries the contract its OCC symbol names (underlying,
 * expiry, call or put, strike), so a chain is filtered and sorted in SQL:
 * the at-the-money put is the one whose strike_price is nearest the
 * underlying's latest trade.
 */
#include "postgres.h"

#include "market_data.h"

#define CONTRACTS_ARG {"symbols", "text[]", ARG_QUERY, NULL, "OCC contract symbols (up to 100), e.g. ARRAY['SPY261218P00450000']"}
#define FEED_ARG {"feed", "text", ARG_QUERY, "NULL", "opra, or indicative (free: trades delayed, quotes modified); Alpaca's default: opra if the plan allows", alpaca_option_feeds}

static const char *const types[] = {"call", "put", NULL};

#define TOKEN_PAGES .paging = PAGES_TOKEN, .token_field = "next_page_token"

const AlpacaOperation alpaca_market_options_operations[] = {
	{"alpaca_option_bars", ALPACA_READ, "GET", "/v1beta1/options/bars",
		"Historical bars of option contracts, every page.",
		(const AlpacaArg[]) {CONTRACTS_ARG, {"timeframe", "text", ARG_QUERY, NULL, MD_TIMEFRAME_DOC}, MD_RANGE_ARGS,
		MD_SORT_ARG, {NULL}},
		"SELECT symbol, timestamp, close FROM alpaca_option_bars(ARRAY['SPY261218P00450000'], '1Day', start => now() - interval '10 days');",
		"option bars contract price history",
		MD_READ, .shape = ALPACA_KEYED_LISTS, .list_field = "bars", .key_column = "symbol", TOKEN_PAGES,
		.listing = "option bars", .aliases = alpaca_bar_aliases, .check = alpaca_check_bars_args,
		.returns = "SETOF alpaca_bar"},
	{"alpaca_option_trades", ALPACA_READ, "GET", "/v1beta1/options/trades",
		"Historical trades of option contracts, every page.",
		(const AlpacaArg[]) {CONTRACTS_ARG, MD_RANGE_ARGS, MD_SORT_ARG, {NULL}},
		"SELECT symbol, timestamp, price, size FROM alpaca_option_trades(ARRAY['SPY261218P00450000'], start => now() - interval '1 day');",
		"option trades contract ticks",
		MD_READ, .shape = ALPACA_KEYED_LISTS, .list_field = "trades", .key_column = "symbol", TOKEN_PAGES,
		.listing = "option trades", .aliases = alpaca_option_trade_aliases, .returns = "SETOF alpaca_option_trade"},
	{"alpaca_option_latest_trades", ALPACA_READ, "GET", "/v1beta1/options/trades/latest",
		"The latest trade of each option contract.",
		(const AlpacaArg[]) {CONTRACTS_ARG, FEED_ARG, {NULL}},
		"SELECT symbol, price, timestamp FROM alpaca_option_latest_trades(ARRAY['SPY261218P00450000']);",
		"option latest trade last price of a contract",
		MD_READ, .shape = ALPACA_KEYED_OBJECTS, .list_field = "trades", .key_column = "symbol",
		.aliases = alpaca_option_trade_aliases, .returns = "SETOF alpaca_option_trade"},
	{"alpaca_option_latest_quotes", ALPACA_READ, "GET", "/v1beta1/options/quotes/latest",
		"The latest quote (bid and ask) of each option contract.",
		(const AlpacaArg[]) {CONTRACTS_ARG, FEED_ARG, {NULL}},
		"SELECT symbol, bid_price, ask_price FROM alpaca_option_latest_quotes(ARRAY['SPY261218P00450000']);",
		"option latest quote bid ask of a contract",
		MD_READ, .shape = ALPACA_KEYED_OBJECTS, .list_field = "quotes", .key_column = "symbol",
		.aliases = alpaca_option_quote_aliases, .returns = "SETOF alpaca_option_quote"},
	{"alpaca_option_snapshots", ALPACA_READ, "GET", "/v1beta1/options/snapshots",
		"Snapshots of option contracts: latest trade and quote, bars, greeks and implied volatility, every page.",
		(const AlpacaArg[]) {CONTRACTS_ARG, FEED_ARG,
			{"updated_since", "timestamptz", ARG_QUERY, "NULL", "only snapshots updated since"},
			{"page_limit", "integer", ARG_QUERY, "NULL", "snapshots per request (up to 1,000); every page is read",
			.min = 1, .max = 1000, .wire = "limit"},
		{NULL}},
		"SELECT symbol, bid_price, ask_price, delta, implied_volatility FROM alpaca_option_snapshots(ARRAY['SPY261218P00450000']);",
		"option snapshot greeks delta gamma theta vega implied volatility",
		MD_READ, .shape = ALPACA_KEYED_OBJECTS, .list_field = "snapshots", .key_column = "symbol", TOKEN_PAGES,
		.listing = "option snapshots", .aliases = alpaca_option_snapshot_aliases, .finish = alpaca_occ_columns,
		.returns = "SETOF alpaca_option_snapshot"},
	{"alpaca_option_chain", ALPACA_READ, "GET", "/v1beta1/options/snapshots/{underlying_symbol}",
		"The option chain of an underlying: every contract's snapshot with strike, expiry, greeks and implied volatility, every page.",
		(const AlpacaArg[]) {
			{"underlying_symbol", "text", ARG_SYMBOL, NULL, "the underlying, e.g. SPY"},
			FEED_ARG,
			{"page_limit", "integer", ARG_QUERY, "NULL", "snapshots per request (up to 1,000); every page is read",
			.min = 1, .max = 1000, .wire = "limit"},
			{"updated_since", "timestamptz", ARG_QUERY, "NULL", "only snapshots updated since"},
			{"type", "text", ARG_QUERY, "NULL", NULL, types},
			{"strike_price_gte", "numeric", ARG_QUERY, "NULL", "dollars"},
			{"strike_price_lte", "numeric", ARG_QUERY, "NULL", "dollars"},
			{"expiration_date", "date", ARG_QUERY, "NULL", "one expiry"},
			{"expiration_date_gte", "date", ARG_QUERY, "NULL", "expiring on or after"},
			{"expiration_date_lte", "date", ARG_QUERY, "NULL", "expiring on or before"},
			{"root_symbol", "text", ARG_QUERY, "NULL", NULL},
			{NULL}},
		"SELECT c.symbol, c.strike_price, c.bid_price, c.ask_price, c.delta FROM alpaca_option_chain('SPY', type => 'put', expiration_date_gte => current_date + 7) c, alpaca_stock_latest_trade_single('SPY') t ORDER BY abs(c.strike_price - t.price), c.expiration_date LIMIT 1;",
		"option chain at the money put call strikes expiries greeks underlying find an option",
		MD_READ, .shape = ALPACA_KEYED_OBJECTS, .list_field = "snapshots", .key_column = "symbol", TOKEN_PAGES,
		.listing = "option snapshots", .aliases = alpaca_option_snapshot_aliases, .finish = alpaca_occ_columns,
		.returns = "SETOF alpaca_option_snapshot"},
	{"alpaca_option_meta_conditions", ALPACA_READ, "GET", "/v1beta1/options/meta/conditions/{ticktype}",
		"What the condition codes of option trades or quotes mean.",
		(const AlpacaArg[]) {{"ticktype", "text", ARG_PATH, NULL, "trade or quote", alpaca_ticktypes}, {NULL}},
		"SELECT code, name FROM alpaca_option_meta_conditions('trade');",
		"option condition codes",
		MD_READ, .shape = ALPACA_MAP, .key_column = "code", .value_column = "name",
		.returns = "SETOF alpaca_market_code"},
	{"alpaca_option_meta_exchanges", ALPACA_READ, "GET", "/v1beta1/options/meta/exchanges",
		"The option exchanges' codes and names.",
		(const AlpacaArg[]) {{NULL}},
		"SELECT code, name FROM alpaca_option_meta_exchanges();",
		"option exchange codes",
		MD_READ, .shape = ALPACA_MAP, .key_column = "code", .value_column = "name",
		.returns = "SETOF alpaca_market_code"},
	ALPACA_END_OF_OPERATIONS
};
