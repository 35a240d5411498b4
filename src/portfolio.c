/*
 * portfolio.c
 *		Portfolio history, one row per point.
 *
 * Alpaca answers with parallel arrays (timestamp[], equity[], ...); each
 * index becomes a row, so a drawdown or a monthly return is one query.
 * Arrays of different lengths are an error, not rows with holes.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "utils/timestamp.h"

#include "api.h"
#include "errors.h"

PG_FUNCTION_INFO_V1(alpaca_portfolio_history);

static const char *const timeframes[] = {"1Min", "5Min", "15Min", "1H", "1D", NULL};
static const char *const reportings[] = {"market_hours", "extended_hours", "continuous", NULL};
static const char *const resets[] = {"no_reset", "per_day", NULL};
/* parallel arrays timestamp[], equity[], ...: row k takes element k of each */
static const AlpacaRowSpec points = {ALPACA_COLUMNS};

static void
check_period(const char *period)
{
	const char *p = period;

	if (p == NULL)
		return;
	if (*p >= '1' && *p <= '9')
	{
		while (*p >= '0' && *p <= '9')
			p++;
		if ((*p == 'D' || *p == 'W' || *p == 'M' || *p == 'A') && p[1] == '\0')
			return;
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid period: %s", alpaca_quote(period, strlen(period))),
			 errhint("A number and a unit: D (day), W (week), M (month) or A (year), e.g. '1M'.")));
}

/*
 * alpaca_portfolio_history(period, timeframe, intraday_reporting, start,
 * "end", pnl_reset, extended_hours, cashflow_types)
 */
Datum
alpaca_portfolio_history(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	char	   *period = alpaca_arg_text(fcinfo, 0);

	check_period(period);
	alpaca_require(PG_ARGISNULL(3) || PG_ARGISNULL(4) ||
				   PG_GETARG_TIMESTAMPTZ(3) < PG_GETARG_TIMESTAMPTZ(4),
				   "start must be before end", NULL);
	alpaca_require(PG_ARGISNULL(0) || PG_ARGISNULL(3) || PG_ARGISNULL(4),
				   "give at most two of period, start and end", NULL);
	alpaca_request_init(&req, "GET", "/v2/account/portfolio/history");
	alpaca_query(&req, "period", period);
	alpaca_query(&req, "timeframe", alpaca_arg_enum(fcinfo, 1, "timeframe", timeframes));
	alpaca_query(&req, "intraday_reporting", alpaca_arg_enum(fcinfo, 2, "intraday_reporting", reportings));
	alpaca_query(&req, "start", alpaca_arg_timestamptz(fcinfo, 3));
	alpaca_query(&req, "end", alpaca_arg_timestamptz(fcinfo, 4));
	alpaca_query(&req, "pnl_reset", alpaca_arg_enum(fcinfo, 5, "pnl_reset", resets));
	alpaca_query(&req, "extended_hours", alpaca_arg_bool(fcinfo, 6));
	alpaca_query(&req, "cashflow_types", alpaca_arg_text(fcinfo, 7));

	return alpaca_send_rows(fcinfo, &req, &points);
}
