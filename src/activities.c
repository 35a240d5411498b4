/*
 * activities.c
 *		Account activities (fills and the non-trade kinds, every page), and
 *		the account's activity events.  All declared.
 *
 * Alpaca pages activities by the id of the last one seen; the declared
 * entry point follows the pages itself (PAGES_LAST_ID), so one query
 * returns every activity the filters select.
 */
#include "postgres.h"

#include "api.h"
#include "catalog.h"

ALPACA_DECLARED_SYMBOL(alpaca_activities);
ALPACA_DECLARED_SYMBOL(alpaca_activities_by_type);

static const char *const categories[] = {"trade_activity", "non_trade_activity", NULL};
static const char *const directions[] = {"asc", "desc", NULL};

static void
check_activities(FunctionCallInfo fcinfo, const AlpacaOperation *op)
{
	if (alpaca_operation_arg(op, "activity_types"))
		alpaca_require(alpaca_declared_arg(fcinfo, "activity_types") == NULL ||
					   alpaca_declared_arg(fcinfo, "category") == NULL,
					   "activity_types and category cannot both be given", NULL);
	alpaca_require(alpaca_declared_arg(fcinfo, "date") == NULL ||
				   (alpaca_declared_arg(fcinfo, "until") == NULL && alpaca_declared_arg(fcinfo, "after") == NULL),
				   "date cannot be combined with until or after", NULL);
}

/* the filters both activity functions take */
#define ACTIVITY_FILTERS \
	{"date", "date", ARG_QUERY, "NULL", "one day's activities (not with until or after)"}, \
	{"until", "timestamptz", ARG_QUERY, "NULL", "up to this time"}, \
	{"after", "timestamptz", ARG_QUERY, "NULL", "after this time"}, \
	{"direction", "text", ARG_QUERY, "NULL", "by time; desc by default", directions}, \
	{"page_size", "integer", ARG_QUERY, "NULL", "rows per request (1 to 100; 100 by default); every page is read", .min = 1, .max = 100}

const AlpacaOperation alpaca_activities_operations[] = {
	{"alpaca_activities", ALPACA_READ, "GET", "/v2/account/activities",
		"Account activities, every page: fills, dividends, interest, fees, transfers and the rest.",
		(const AlpacaArg[]) {
			{"activity_types", "text[]", ARG_QUERY, "NULL", "Alpaca's codes, e.g. FILL, DIV, TRANS, FEE; new ones accepted",
			.codes = true, .upper = true},
			{"category", "text", ARG_QUERY, "NULL", "not with activity_types", categories},
			ACTIVITY_FILTERS,
			{NULL}},
		"SELECT activity_type, symbol, net_amount, \"date\" FROM alpaca_activities(activity_types => ARRAY['DIV'], after => now() - interval '30 days');",
		"activities fills trades dividends interest fees deposits transfers what happened history of the account",
		.declared = true, .shape = ALPACA_LIST, .paging = PAGES_LAST_ID, .listing = "activities",
		.check = check_activities},
	{"alpaca_activities_by_type", ALPACA_READ, "GET", "/v2/account/activities/{activity_type}",
		"Account activities of one type, every page.",
		(const AlpacaArg[]) {
			{"activity_type", "text", ARG_PATH, NULL, "one of Alpaca's codes, e.g. FILL or DIV", .codes = true, .upper = true},
			ACTIVITY_FILTERS,
			{NULL}},
		"SELECT symbol, net_amount FROM alpaca_activities_by_type('DIV');",
		"dividends fills of one kind activities by type",
		.declared = true, .shape = ALPACA_LIST, .paging = PAGES_LAST_ID, .listing = "activities",
		.check = check_activities},
	{"alpaca_activity_events", ALPACA_READ, "GET", "/v2beta1/events/activities",
		"The account's activity events between two times (or event ids), as rows; the live stream is the mirror's.",
		(const AlpacaArg[]) {
			{"since", "timestamptz", ARG_QUERY, "NULL", "from this time (or give since_id)"},
			{"until", "timestamptz", ARG_QUERY, "NULL", "up to this time; now by default"},
			{"since_id", "text", ARG_QUERY, "NULL", "after this event id (needs until_id)"},
			{"until_id", "text", ARG_QUERY, "NULL", "up to this event id"},
			{NULL}},
		"SELECT event_id, activity_type, net_amount FROM alpaca_activity_events(since => now() - interval '1 day');",
		"activity events stream recent events account events",
		.declared = true, .shape = ALPACA_LIST, .paging = PAGES_EVENTS},
	ALPACA_END_OF_OPERATIONS
};
