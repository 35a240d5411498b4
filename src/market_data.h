/*
 * market_data.h
 *		What the Market Data API's areas share: the answers' field names,
 *		the arguments most endpoints take, and their checks.
 *
 * Alpaca's market data objects name their fields with a letter or two
 * ("t", "o", "bp"); the row types name their columns in words (timestamp,
 * open, bid_price), and these aliases map one to the other.  Every
 * function of the Market Data API is declared (src/catalog.h) in
 * src/market_stocks.c, src/market_options.c, src/market_crypto.c and
 * src/market_reference.c, and its SQL is made from the declaration.
 */
#ifndef ALPACA_MARKET_DATA_H
#define ALPACA_MARKET_DATA_H

#include "catalog.h"

/* the fields of a bar, a trade, a quote, as columns */
extern const AlpacaAlias alpaca_bar_aliases[];
extern const AlpacaAlias alpaca_stock_trade_aliases[];
extern const AlpacaAlias alpaca_crypto_trade_aliases[];
extern const AlpacaAlias alpaca_option_trade_aliases[];
extern const AlpacaAlias alpaca_stock_quote_aliases[];
extern const AlpacaAlias alpaca_crypto_quote_aliases[];
extern const AlpacaAlias alpaca_option_quote_aliases[];
extern const AlpacaAlias alpaca_snapshot_aliases[];
extern const AlpacaAlias alpaca_option_snapshot_aliases[];
extern const AlpacaAlias alpaca_orderbook_aliases[];

/* valid values */
extern const char *const alpaca_sorts[];
extern const char *const alpaca_stock_historical_feeds[];
extern const char *const alpaca_stock_latest_feeds[];
extern const char *const alpaca_option_feeds[];
extern const char *const alpaca_crypto_locations[];
extern const char *const alpaca_ticktypes[];

/* timeframe and adjustment, which Alpaca spells in patterns */
extern void alpaca_check_bars_args(FunctionCallInfo fcinfo, const AlpacaOperation *op);

/* an option snapshot's contract, from its OCC symbol */
extern void alpaca_occ_columns(TupleDesc tupdesc, Datum *values, bool *nulls);

#define MD_TIMEFRAME_DOC "bar length: [1-59]Min, [1-23]Hour, 1Day, 1Week, [1,2,3,4,6,12]Month (or T, H, D, W, M)"
#define MD_PAGE_LIMIT_DOC "data points per request (Alpaca's limit, up to 10,000); every page is read"

/* the arguments of a historical request, after the symbols (and timeframe) */
#define MD_RANGE_ARGS \
	{"start", "timestamptz", ARG_QUERY, "NULL", "from (inclusive); Alpaca's default: the beginning of today"}, \
	{"end", "timestamptz", ARG_QUERY, "NULL", "to (inclusive); Alpaca's default: now"}, \
	{"page_limit", "integer", ARG_QUERY, "NULL", MD_PAGE_LIMIT_DOC, .min = 1, .max = 10000, .wire = "limit"}

#define MD_SORT_ARG \
	{"sort", "text", ARG_QUERY, "NULL", "by time; Alpaca's default asc", alpaca_sorts}

/* the fields every market data declaration shares */
#define MD_READ .declared = true, .market_data = true, .since = "1.3"

#endif
