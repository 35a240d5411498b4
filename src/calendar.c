/*
 * calendar.c
 *		The market clock and the trading calendar, Alpaca's first (v2) and
 *		per market (v3).  All declared.
 */
#include "postgres.h"

#include "utils/date.h"

#include "api.h"
#include "catalog.h"

ALPACA_DECLARED_SYMBOL(alpaca_clock);
ALPACA_DECLARED_SYMBOL(alpaca_calendar);

static const char *const date_types[] = {"TRADING", "SETTLEMENT", NULL};

static void
check_calendar(FunctionCallInfo fcinfo, const AlpacaOperation *op)
{
	int			start = alpaca_declared_position(fcinfo, "start");
	int			end = alpaca_declared_position(fcinfo, "end");

	alpaca_require(PG_ARGISNULL(start) || PG_ARGISNULL(end) ||
				   PG_GETARG_DATEADT(start) <= PG_GETARG_DATEADT(end),
				   "start must not be after end", NULL);
}

const AlpacaOperation alpaca_calendar_operations[] = {
	{"alpaca_clock", ALPACA_READ, "GET", "/v2/clock",
		"Is the market open now, and when it next opens and closes.",
		NULL, "SELECT is_open, next_open, next_close FROM alpaca_clock();",
		"market open closed now clock time trading hours when does the market open close today",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_calendar", ALPACA_READ, "GET", "/v2/calendar",
		"Trading days between two dates, with their core and extended sessions (New York time).",
		(const AlpacaArg[]) {
			{"start", "date", ARG_QUERY, "NULL", "the first day"},
			{"end", "date", ARG_QUERY, "NULL", "the last day"},
			{"date_type", "text", ARG_QUERY, "NULL", "which dates start and end are", date_types},
			{NULL}},
		"SELECT date, open, close FROM alpaca_calendar(current_date, current_date + 7);",
		"trading days holidays calendar schedule sessions early closes upcoming days next week dates",
		.declared = true, .shape = ALPACA_LIST, .check = check_calendar},
	{"alpaca_market_clocks", ALPACA_READ, "GET", "/v3/clock",
		"Each market's clock: its phase (pre, core, lunch, post, closed) and when it ends, the next open and close.",
		(const AlpacaArg[]) {
			{"markets", "text[]", ARG_QUERY, "NULL", "market codes, e.g. NYSE, NASDAQ; all by default"},
			{"time", "timestamptz", ARG_QUERY, "NULL", "the moment to ask about; now by default"},
			{NULL}},
		"SELECT market, phase, phase_until FROM alpaca_market_clocks();",
		"market phase pre market after hours lunch session every market exchange clock",
		.declared = true, .shape = ALPACA_FIELD_LIST, .list_field = "clocks"},
	{"alpaca_market_calendar", ALPACA_READ, "GET", "/v3/calendar/{market}",
		"One market's calendar: each day's sessions between two dates.",
		(const AlpacaArg[]) {
			{"market", "text", ARG_PATH, "'NYSE'::text", "a market code, e.g. NYSE"},
			{"start", "date", ARG_QUERY, "NULL", "the first day"},
			{"end", "date", ARG_QUERY, "NULL", "the last day"},
			{"timezone", "text", ARG_QUERY, "NULL", "the time zone the sessions are given in"},
			{NULL}},
		"SELECT * FROM alpaca_market_calendar('NYSE', current_date, current_date + 7);",
		"market calendar sessions days exchange schedule",
		.declared = true, .shape = ALPACA_FIELD_LIST, .list_field = "calendar"},
	ALPACA_END_OF_OPERATIONS
};
