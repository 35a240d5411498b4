/*
 * calendar.c
 *		The market clock and the trading calendar.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "utils/date.h"

#include "api.h"

PG_FUNCTION_INFO_V1(alpaca_clock);
PG_FUNCTION_INFO_V1(alpaca_calendar);

Datum
alpaca_clock(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_init(&req, "GET", "/v2/clock");
	return alpaca_send_object(fcinfo, &req);
}

static const char *const date_types[] = {"TRADING", "SETTLEMENT", NULL};
static const AlpacaRowSpec day_list = {ALPACA_LIST};

/* alpaca_calendar(start date, "end" date, date_type text) */
Datum
alpaca_calendar(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_init(&req, "GET", "/v2/calendar");
	alpaca_query(&req, "start", alpaca_arg_date(fcinfo, 0));
	alpaca_query(&req, "end", alpaca_arg_date(fcinfo, 1));
	alpaca_query(&req, "date_type", alpaca_arg_enum(fcinfo, 2, "date_type", date_types));
	alpaca_require(PG_ARGISNULL(0) || PG_ARGISNULL(1) ||
				   PG_GETARG_DATEADT(0) <= PG_GETARG_DATEADT(1),
				   "start must not be after end", NULL);
	return alpaca_send_rows(fcinfo, &req, &day_list);
}
