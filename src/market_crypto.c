/*
 * market_crypto.c
 *		The Market Data API's crypto endpoints (/v1beta3/crypto/{loc}) and
 *		perpetual futures (/v1beta1/crypto-perps/{loc}): bars, trades and
 *		quotes over a time range, every page; the latest bars, trades,
 *		quotes and order books; snapshots; perpetuals' pricing.  Declared.
 *
 * Crypto trades around the clock, so its bars have no sessions; sizes and
 * volumes are fractional (numeric, as every quantity).
 */
#include "postgres.h"

#include "market_data.h"

#define PAIRS_ARG {"symbols", "text[]", ARG_QUERY, NULL, "crypto pairs, e.g. ARRAY['BTC/USD', 'ETH/USD']"}
#define LOC_ARG {"loc", "text", ARG_PATH, "'us'::text", "us (Alpaca), us-1 (Kraken US), us-2, eu-1 (Kraken EU), bs-1", alpaca_crypto_locations}
#define PERPS_ARG {"symbols", "text[]", ARG_QUERY, NULL, "perpetual futures, e.g. ARRAY['BTC-PERP']"}
#define PERP_LOC_ARG {"loc", "text", ARG_PATH, "'global'::text", "global", perp_locations}

static const char *const perp_locations[] = {"global", NULL};

#define TOKEN_PAGES .paging = PAGES_TOKEN, .token_field = "next_page_token"
#define KEYED(shape_, field) .shape = shape_, .list_field = field, .key_column = "symbol"

const AlpacaOperation alpaca_market_crypto_operations[] = {
	{"alpaca_crypto_bars", ALPACA_READ, "GET", "/v1beta3/crypto/{loc}/bars",
		"Historical bars of crypto pairs, around the clock, every page.",
		(const AlpacaArg[]) {PAIRS_ARG, {"timeframe", "text", ARG_QUERY, NULL, MD_TIMEFRAME_DOC}, MD_RANGE_ARGS,
		MD_SORT_ARG, LOC_ARG, {NULL}},
		"SELECT symbol, timestamp, close, volume FROM alpaca_crypto_bars(ARRAY['BTC/USD'], '1Hour', start => now() - interval '1 day');",
		"crypto bars bitcoin ethereum price history candles",
		MD_READ, KEYED(ALPACA_KEYED_LISTS, "bars"), TOKEN_PAGES, .listing = "crypto bars",
		.aliases = alpaca_bar_aliases, .check = alpaca_check_bars_args, .returns = "SETOF alpaca_bar"},
	{"alpaca_crypto_trades", ALPACA_READ, "GET", "/v1beta3/crypto/{loc}/trades",
		"Historical trades of crypto pairs, every page.",
		(const AlpacaArg[]) {PAIRS_ARG, MD_RANGE_ARGS, MD_SORT_ARG, LOC_ARG, {NULL}},
		"SELECT symbol, timestamp, price, size, taker_side FROM alpaca_crypto_trades(ARRAY['BTC/USD'], start => now() - interval '1 minute');",
		"crypto trades bitcoin ticks",
		MD_READ, KEYED(ALPACA_KEYED_LISTS, "trades"), TOKEN_PAGES, .listing = "crypto trades",
		.aliases = alpaca_crypto_trade_aliases, .returns = "SETOF alpaca_crypto_trade"},
	{"alpaca_crypto_quotes", ALPACA_READ, "GET", "/v1beta3/crypto/{loc}/quotes",
		"Historical quotes of crypto pairs, every page.",
		(const AlpacaArg[]) {PAIRS_ARG, MD_RANGE_ARGS, MD_SORT_ARG, LOC_ARG, {NULL}},
		"SELECT symbol, timestamp, bid_price, ask_price FROM alpaca_crypto_quotes(ARRAY['BTC/USD'], start => now() - interval '1 minute');",
		"crypto quotes bid ask history",
		MD_READ, KEYED(ALPACA_KEYED_LISTS, "quotes"), TOKEN_PAGES, .listing = "crypto quotes",
		.aliases = alpaca_crypto_quote_aliases, .returns = "SETOF alpaca_crypto_quote"},
	{"alpaca_crypto_latest_bars", ALPACA_READ, "GET", "/v1beta3/crypto/{loc}/latest/bars",
		"The latest minute bar of each crypto pair.",
		(const AlpacaArg[]) {PAIRS_ARG, LOC_ARG, {NULL}},
		"SELECT symbol, close FROM alpaca_crypto_latest_bars(ARRAY['BTC/USD']);",
		"crypto latest bar",
		MD_READ, KEYED(ALPACA_KEYED_OBJECTS, "bars"), .aliases = alpaca_bar_aliases, .returns = "SETOF alpaca_bar"},
	{"alpaca_crypto_latest_trades", ALPACA_READ, "GET", "/v1beta3/crypto/{loc}/latest/trades",
		"The latest trade of each crypto pair: what it last traded at.",
		(const AlpacaArg[]) {PAIRS_ARG, LOC_ARG, {NULL}},
		"SELECT symbol, price FROM alpaca_crypto_latest_trades(ARRAY['BTC/USD', 'ETH/USD']);",
		"crypto latest trade bitcoin price now current price",
		MD_READ, KEYED(ALPACA_KEYED_OBJECTS, "trades"), .aliases = alpaca_crypto_trade_aliases,
		.returns = "SETOF alpaca_crypto_trade"},
	{"alpaca_crypto_latest_quotes", ALPACA_READ, "GET", "/v1beta3/crypto/{loc}/latest/quotes",
		"The latest quote of each crypto pair.",
		(const AlpacaArg[]) {PAIRS_ARG, LOC_ARG, {NULL}},
		"SELECT symbol, bid_price, ask_price FROM alpaca_crypto_latest_quotes(ARRAY['BTC/USD']);",
		"crypto latest quote bid ask",
		MD_READ, KEYED(ALPACA_KEYED_OBJECTS, "quotes"), .aliases = alpaca_crypto_quote_aliases,
		.returns = "SETOF alpaca_crypto_quote"},
	{"alpaca_crypto_latest_orderbooks", ALPACA_READ, "GET", "/v1beta3/crypto/{loc}/latest/orderbooks",
		"The latest order book of each crypto pair: bids and asks, each a jsonb array of price and size.",
		(const AlpacaArg[]) {PAIRS_ARG, LOC_ARG, {NULL}},
		"SELECT symbol, jsonb_array_length(bids) AS levels, bids -> 0 ->> 'p' AS best_bid FROM alpaca_crypto_latest_orderbooks(ARRAY['BTC/USD']);",
		"crypto order book depth bids asks liquidity",
		MD_READ, KEYED(ALPACA_KEYED_OBJECTS, "orderbooks"), .aliases = alpaca_orderbook_aliases,
		.returns = "SETOF alpaca_orderbook"},
	{"alpaca_crypto_snapshots", ALPACA_READ, "GET", "/v1beta3/crypto/{loc}/snapshots",
		"Each crypto pair's snapshot: latest trade and quote, minute bar, today's and the previous day's bar.",
		(const AlpacaArg[]) {PAIRS_ARG, LOC_ARG, {NULL}},
		"SELECT symbol, latest_trade_price, daily_bar_close FROM alpaca_crypto_snapshots(ARRAY['BTC/USD']);",
		"crypto snapshot bitcoin today",
		MD_READ, KEYED(ALPACA_KEYED_OBJECTS, "snapshots"), .aliases = alpaca_snapshot_aliases,
		.returns = "SETOF alpaca_snapshot"},
	{"alpaca_crypto_perp_latest_bars", ALPACA_READ, "GET", "/v1beta1/crypto-perps/{loc}/latest/bars",
		"The latest minute bar of each perpetual future.",
		(const AlpacaArg[]) {PERPS_ARG, PERP_LOC_ARG, {NULL}},
		"SELECT symbol, close FROM alpaca_crypto_perp_latest_bars(ARRAY['BTC-PERP']);",
		"perpetual futures perps latest bar",
		MD_READ, KEYED(ALPACA_KEYED_OBJECTS, "bars"), .aliases = alpaca_bar_aliases, .returns = "SETOF alpaca_bar"},
	{"alpaca_crypto_perp_latest_trades", ALPACA_READ, "GET", "/v1beta1/crypto-perps/{loc}/latest/trades",
		"The latest trade of each perpetual future.",
		(const AlpacaArg[]) {PERPS_ARG, PERP_LOC_ARG, {NULL}},
		"SELECT symbol, price FROM alpaca_crypto_perp_latest_trades(ARRAY['BTC-PERP']);",
		"perpetual futures perps latest trade price",
		MD_READ, KEYED(ALPACA_KEYED_OBJECTS, "trades"), .aliases = alpaca_crypto_trade_aliases,
		.returns = "SETOF alpaca_crypto_trade"},
	{"alpaca_crypto_perp_latest_quotes", ALPACA_READ, "GET", "/v1beta1/crypto-perps/{loc}/latest/quotes",
		"The latest quote of each perpetual future.",
		(const AlpacaArg[]) {PERPS_ARG, PERP_LOC_ARG, {NULL}},
		"SELECT symbol, bid_price, ask_price FROM alpaca_crypto_perp_latest_quotes(ARRAY['BTC-PERP']);",
		"perpetual futures perps latest quote",
		MD_READ, KEYED(ALPACA_KEYED_OBJECTS, "quotes"), .aliases = alpaca_crypto_quote_aliases,
		.returns = "SETOF alpaca_crypto_quote"},
	{"alpaca_crypto_perp_latest_orderbooks", ALPACA_READ, "GET", "/v1beta1/crypto-perps/{loc}/latest/orderbooks",
		"The latest order book of each perpetual future.",
		(const AlpacaArg[]) {PERPS_ARG, PERP_LOC_ARG, {NULL}},
		"SELECT symbol, bids -> 0 ->> 'p' AS best_bid FROM alpaca_crypto_perp_latest_orderbooks(ARRAY['BTC-PERP']);",
		"perpetual futures perps order book",
		MD_READ, KEYED(ALPACA_KEYED_OBJECTS, "orderbooks"), .aliases = alpaca_orderbook_aliases,
		.returns = "SETOF alpaca_orderbook"},
	{"alpaca_crypto_perp_latest_pricing", ALPACA_READ, "GET", "/v1beta1/crypto-perps/{loc}/latest/pricing",
		"Each perpetual future's pricing: index and mark price, open interest, funding rate and the next funding time.",
		(const AlpacaArg[]) {PERPS_ARG, PERP_LOC_ARG, {NULL}},
		"SELECT symbol, mark_price, funding_rate, funding_time FROM alpaca_crypto_perp_latest_pricing(ARRAY['BTC-PERP']);",
		"perpetual futures perps funding rate mark price open interest",
		MD_READ, KEYED(ALPACA_KEYED_OBJECTS, "pricing"),
		.aliases = (const AlpacaAlias[]) {{"timestamp", "t"}, {"funding_time", "ft"}, {"open_interest", "oi"},
		{"index_price", "ip"}, {"mark_price", "mp"}, {"funding_rate", "fr"}, {NULL}},
		.returns = "SETOF alpaca_perp_pricing"},
	ALPACA_END_OF_OPERATIONS
};
