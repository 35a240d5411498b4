/*
 * market_data.c
 *		The Market Data API's shared parts: field names as columns, valid
 *		values, the timeframe and adjustment checks, and an option
 *		contract read from its OCC symbol.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/numeric.h"

#include "api.h"
#include "market_data.h"
#include "redact.h"

const char *const alpaca_sorts[] = {"asc", "desc", NULL};
const char *const alpaca_stock_historical_feeds[] = {"sip", "iex", "otc", "boats", NULL};
const char *const alpaca_stock_latest_feeds[] = {"sip", "iex", "delayed_sip", "otc", "boats", "overnight", NULL};
const char *const alpaca_option_feeds[] = {"opra", "indicative", NULL};
const char *const alpaca_crypto_locations[] = {"us", "us-1", "us-2", "eu-1", "bs-1", NULL};
const char *const alpaca_ticktypes[] = {"trade", "quote", NULL};

const AlpacaAlias alpaca_bar_aliases[] = {
	{"timestamp", "t"}, {"open", "o"}, {"high", "h"}, {"low", "l"}, {"close", "c"},
	{"volume", "v"}, {"trade_count", "n"}, {"vwap", "vw"}, {NULL}
};

const AlpacaAlias alpaca_stock_trade_aliases[] = {
	{"timestamp", "t"}, {"price", "p"}, {"size", "s"}, {"exchange", "x"}, {"id", "i"},
	{"conditions", "c"}, {"tape", "z"}, {"update", "u"}, {NULL}
};

const AlpacaAlias alpaca_crypto_trade_aliases[] = {
	{"timestamp", "t"}, {"price", "p"}, {"size", "s"}, {"id", "i"}, {"taker_side", "tks"}, {NULL}
};

const AlpacaAlias alpaca_option_trade_aliases[] = {
	{"timestamp", "t"}, {"price", "p"}, {"size", "s"}, {"exchange", "x"}, {"condition", "c"}, {NULL}
};

const AlpacaAlias alpaca_stock_quote_aliases[] = {
	{"timestamp", "t"}, {"bid_price", "bp"}, {"bid_size", "bs"}, {"bid_exchange", "bx"},
	{"ask_price", "ap"}, {"ask_size", "as"}, {"ask_exchange", "ax"}, {"conditions", "c"}, {"tape", "z"}, {NULL}
};

const AlpacaAlias alpaca_crypto_quote_aliases[] = {
	{"timestamp", "t"}, {"bid_price", "bp"}, {"bid_size", "bs"}, {"ask_price", "ap"}, {"ask_size", "as"}, {NULL}
};

const AlpacaAlias alpaca_option_quote_aliases[] = {
	{"timestamp", "t"}, {"bid_price", "bp"}, {"bid_size", "bs"}, {"bid_exchange", "bx"},
	{"ask_price", "ap"}, {"ask_size", "as"}, {"ask_exchange", "ax"}, {"condition", "c"}, {NULL}
};

/* a snapshot's bars: the object's fields, each a column of its own */
#define BAR_OF(col, obj) \
	{col "_timestamp", obj ".t"}, {col "_open", obj ".o"}, {col "_high", obj ".h"}, \
	{col "_low", obj ".l"}, {col "_close", obj ".c"}, {col "_volume", obj ".v"}, \
	{col "_trade_count", obj ".n"}, {col "_vwap", obj ".vw"}

#define TRADE_AND_QUOTE \
	{"latest_trade_timestamp", "latestTrade.t"}, {"latest_trade_price", "latestTrade.p"}, \
	{"latest_trade_size", "latestTrade.s"}, {"latest_trade_exchange", "latestTrade.x"}, \
	{"latest_quote_timestamp", "latestQuote.t"}, \
	{"bid_price", "latestQuote.bp"}, {"bid_size", "latestQuote.bs"}, {"bid_exchange", "latestQuote.bx"}, \
	{"ask_price", "latestQuote.ap"}, {"ask_size", "latestQuote.as"}, {"ask_exchange", "latestQuote.ax"}, \
	BAR_OF("minute_bar", "minuteBar"), BAR_OF("daily_bar", "dailyBar"), BAR_OF("prev_daily_bar", "prevDailyBar")

const AlpacaAlias alpaca_snapshot_aliases[] = {
	TRADE_AND_QUOTE, {NULL}
};

const AlpacaAlias alpaca_option_snapshot_aliases[] = {
	TRADE_AND_QUOTE,
	{"latest_trade_condition", "latestTrade.c"},
	{"implied_volatility", "impliedVolatility"},
	{"delta", "greeks.delta"}, {"gamma", "greeks.gamma"}, {"theta", "greeks.theta"},
	{"vega", "greeks.vega"}, {"rho", "greeks.rho"},
	{NULL}
};

const AlpacaAlias alpaca_orderbook_aliases[] = {
	{"timestamp", "t"}, {"bids", "b"}, {"asks", "a"}, {NULL}
};

/*
 * Alpaca's timeframes: [1-59]Min or T, [1-23]Hour or H, 1Day or D, 1Week or
 * W, [1,2,3,4,6,12]Month or M.  Checked here so that a wrong one is an
 * error naming them all, not Alpaca's 400 after a request of the budget.
 */
static bool
valid_timeframe(const char *tf)
{
	char	   *unit;
	long		n = strtol(tf, &unit, 10);

	if (unit == tf || tf[0] == '0' || tf[0] == '-' || tf[0] == '+')
		return false;
	if (strcmp(unit, "Min") == 0 || strcmp(unit, "T") == 0)
		return n >= 1 && n <= 59;
	if (strcmp(unit, "Hour") == 0 || strcmp(unit, "H") == 0)
		return n >= 1 && n <= 23;
	if (strcmp(unit, "Day") == 0 || strcmp(unit, "D") == 0 ||
		strcmp(unit, "Week") == 0 || strcmp(unit, "W") == 0)
		return n == 1;
	if (strcmp(unit, "Month") == 0 || strcmp(unit, "M") == 0)
		return n == 1 || n == 2 || n == 3 || n == 4 || n == 6 || n == 12;
	return false;
}

static const char *const adjustments[] = {"raw", "split", "dividend", "spin-off", "all", NULL};

void
alpaca_check_bars_args(FunctionCallInfo fcinfo, const AlpacaOperation *op)
{
	char	   *tf = alpaca_operation_arg(op, "timeframe") ? alpaca_declared_arg(fcinfo, "timeframe") : NULL;
	char	   *adj = alpaca_operation_arg(op, "adjustment") ? alpaca_declared_arg(fcinfo, "adjustment") : NULL;

	if (tf && !valid_timeframe(tf))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid timeframe: %s; valid values are [1-59]Min, [1-23]Hour, 1Day, 1Week, [1,2,3,4,6,12]Month (or T, H, D, W, M), e.g. 5Min",
						alpaca_quote(tf, strlen(tf)))));
	/* adjustments combine: "split,dividend" */
	if (adj)
	{
		char	   *save = NULL;
		char	   *copy = pstrdup(adj);

		alpaca_require(adj[0] != '\0', "invalid adjustment: \"\"; valid values are raw, split, dividend, spin-off, all, or several joined by commas", NULL);
		for (char *part = strtok_r(copy, ",", &save); part; part = strtok_r(NULL, ",", &save))
			alpaca_check_enum("adjustment", part, adjustments);
	}
}

/*
 * An option snapshot's symbol is the contract's OCC symbol: the root (up to
 * six characters), the expiry as YYMMDD, C or P, and the strike in
 * thousandths over eight digits (SPY261218P00450000).  The chain is chosen
 * by strike and expiry, so they are columns of their own; a symbol of
 * another form leaves them NULL.
 */
static int
column_named(TupleDesc tupdesc, const char *name)
{
	for (int i = 0; i < tupdesc->natts; i++)
		if (strcmp(NameStr(TupleDescAttr(tupdesc, i)->attname), name) == 0)
			return i;
	elog(ERROR, "row type %s has no column \"%s\"", format_type_be(tupdesc->tdtypeid), name);
	pg_unreachable();
}

static bool
valid_date(int y, int m, int d)
{
	int			y2,
				m2,
				d2;

	if (m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	j2date(date2j(y, m, d), &y2, &m2, &d2);
	return y2 == y && m2 == m && d2 == d;
}

void
alpaca_occ_columns(TupleDesc tupdesc, Datum *values, bool *nulls)
{
	int			sym = column_named(tupdesc, "symbol");
	int			und = column_named(tupdesc, "underlying_symbol");
	int			exp = column_named(tupdesc, "expiration_date");
	int			typ = column_named(tupdesc, "type");
	int			strike = column_named(tupdesc, "strike_price");
	char	   *s;
	size_t		len;
	const char *tail;
	char		digits[16];
	int			yy,
				mm,
				dd;

	if (nulls[sym])
		return;
	s = TextDatumGetCString(values[sym]);
	len = strlen(s);
	if (len < 16 || len > 21)
		return;
	tail = s + len - 15;
	if (strspn(tail, "0123456789") != 6 || (tail[6] != 'C' && tail[6] != 'P') ||
		strspn(tail + 7, "0123456789") != 8)
		return;
	if (sscanf(tail, "%2d%2d%2d", &yy, &mm, &dd) != 3 || !valid_date(2000 + yy, mm, dd))
		return;
	values[und] = PointerGetDatum(cstring_to_text_with_len(s, len - 15));
	nulls[und] = false;
	values[exp] = DateADTGetDatum(date2j(2000 + yy, mm, dd) - POSTGRES_EPOCH_JDATE);
	nulls[exp] = false;
	values[typ] = CStringGetTextDatum(tail[6] == 'C' ? "call" : "put");
	nulls[typ] = false;
	/* 00450000 is 450.000 */
	snprintf(digits, sizeof(digits), "%.5s.%.3s", tail + 7, tail + 12);
	values[strike] = DirectFunctionCall3(numeric_in, CStringGetDatum(digits), ObjectIdGetDatum(InvalidOid),
										 Int32GetDatum(-1));
	nulls[strike] = false;
}
