/*
 * portfolio.c
 *		Portfolio history, one row per point.  Declared.
 *
 * Alpaca answers with parallel arrays (timestamp[], equity[], ...); each
 * index becomes a row (ALPACA_COLUMNS), so a drawdown or a monthly return
 * is one query.  Arrays of different lengths are an error, not rows with
 * holes.
 */
#include "postgres.h"

#include "utils/timestamp.h"

#include "api.h"
#include "catalog.h"
#include "errors.h"

ALPACA_DECLARED_SYMBOL(alpaca_portfolio_history);

static const char *const timeframes[] = {"1Min", "5Min", "15Min", "1H", "1D", NULL};
static const char *const reportings[] = {"market_hours", "extended_hours", "continuous", NULL};
static const char *const resets[] = {"no_reset", "per_day", NULL};

static void
check_history(FunctionCallInfo fcinfo, const AlpacaOperation *op)
{
	const char *period = alpaca_declared_arg(fcinfo, "period");
	int			start = alpaca_declared_position(fcinfo, "start");
	int			end = alpaca_declared_position(fcinfo, "end");

	if (period)
	{
		const char *p = period;
		bool		ok = false;

		if (*p >= '1' && *p <= '9')
		{
			while (*p >= '0' && *p <= '9')
				p++;
			ok = (*p == 'D' || *p == 'W' || *p == 'M' || *p == 'A') && p[1] == '\0';
		}
		if (!ok)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid period: %s; a number and a unit: D (day), W (week), M (month) or A (year), e.g. '1M'",
							alpaca_quote(period, strlen(period)))));
	}
	alpaca_require(PG_ARGISNULL(start) || PG_ARGISNULL(end) ||
				   PG_GETARG_TIMESTAMPTZ(start) < PG_GETARG_TIMESTAMPTZ(end),
				   "start must be before end", NULL);
	alpaca_require(period == NULL || PG_ARGISNULL(start) || PG_ARGISNULL(end),
				   "give at most two of period, start and end", NULL);
}

const AlpacaOperation alpaca_portfolio_operations[] = {
	{"alpaca_portfolio_history", ALPACA_READ, "GET", "/v2/account/portfolio/history",
		"The account's equity and profit and loss over time, one row per point.",
		(const AlpacaArg[]) {
			{"period", "text", ARG_QUERY, "NULL", "a number and a unit: D, W, M or A, e.g. 1M"},
			{"timeframe", "text", ARG_QUERY, "NULL", "the time between points", timeframes},
			{"intraday_reporting", "text", ARG_QUERY, "NULL", NULL, reportings},
			{"start", "timestamptz", ARG_QUERY, "NULL", NULL},
			{"end", "timestamptz", ARG_QUERY, "NULL", NULL},
			{"pnl_reset", "text", ARG_QUERY, "NULL", NULL, resets},
			{"extended_hours", "boolean", ARG_QUERY, "NULL", NULL},
			{"cashflow_types", "text", ARG_QUERY, "NULL", "cash flows to include, Alpaca's codes comma-separated"},
			{NULL}},
		"SELECT \"timestamp\", equity, profit_loss FROM alpaca_portfolio_history(period => '1M', timeframe => '1D');",
		"portfolio history equity over time performance returns profit loss what did I earn last month gains drawdown",
		.declared = true, .shape = ALPACA_COLUMNS, .check = check_history},
	ALPACA_END_OF_OPERATIONS
};
