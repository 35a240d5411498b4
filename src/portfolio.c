/*
 * portfolio.c
 *		Portfolio history, one row per point.
 *
 * Alpaca answers with parallel arrays (timestamp[], equity[], ...); each
 * index becomes a row, so a drawdown or a monthly return is one query.
 */
#include "postgres.h"

#include "json_c.h"

#include "utils/timestamp.h"

#include "api.h"

PG_FUNCTION_INFO_V1(alpaca_portfolio_history);

static const char *const timeframes[] = {"1Min", "5Min", "15Min", "1H", "1D", NULL};
static const char *const reportings[] = {"market_hours", "extended_hours", "continuous", NULL};
static const char *const resets[] = {"no_reset", "per_day", NULL};
static const char *const series[] = {"timestamp", "equity", "profit_loss", "profit_loss_pct", NULL};

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
			 errmsg("invalid period: \"%s\"", period),
			 errhint("A number and a unit: D (day), W (week), M (month) or A (year), e.g. '1M'.")));
}

/*
 * Point k as one object, filled through the same by-name row layer as
 * every other row.  The object is ours, so it is released on every path.
 */
static void
add_point(AlpacaRowSink *sink, json_object *h, json_object **arrays, size_t k)
{
	json_object *point = json_object_new_object();
	json_object *v;

	if (point == NULL)
		elog(ERROR, "out of memory");
	PG_TRY();
	{
		for (int i = 0; series[i]; i++)
			if (arrays[i] && k < json_object_array_length(arrays[i]))
				json_object_object_add(point, series[i],
									   json_object_get(json_object_array_get_idx(arrays[i], k)));
		if (json_object_object_get_ex(h, "base_value", &v))
			json_object_object_add(point, "base_value", json_object_get(v));
		if (json_object_object_get_ex(h, "timeframe", &v))
			json_object_object_add(point, "timeframe", json_object_get(v));
		alpaca_rows_add(sink, point);
	}
	PG_FINALLY();
	{
		json_object_put(point);
	}
	PG_END_TRY();
}

/*
 * alpaca_portfolio_history(period, timeframe, intraday_reporting, start,
 * "end", pnl_reset, extended_hours, cashflow_types)
 */
Datum
alpaca_portfolio_history(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	AlpacaRowSink *sink;
	json_object *h;
	json_object *arrays[4];
	size_t		n;
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

	sink = alpaca_rows_begin(fcinfo);
	h = alpaca_send(&req);
	if (h == NULL || !json_object_is_type(h, json_type_object))
		return (Datum) 0;
	n = 0;
	for (int i = 0; series[i]; i++)
	{
		if (!json_object_object_get_ex(h, series[i], &arrays[i]) ||
			!json_object_is_type(arrays[i], json_type_array))
			arrays[i] = NULL;
		else if (i == 0)
			n = json_object_array_length(arrays[i]);
	}

	for (size_t k = 0; k < n; k++)
		add_point(sink, h, arrays, k);
	return (Datum) 0;
}
