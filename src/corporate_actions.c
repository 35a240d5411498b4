/*
 * corporate_actions.c
 *		Corporate action announcements: dividends, splits, mergers,
 *		spinoffs.  Declared.
 */
#include "postgres.h"

#include "utils/date.h"

#include "api.h"
#include "catalog.h"

ALPACA_DECLARED_SYMBOL(alpaca_corporate_announcements);
ALPACA_DECLARED_SYMBOL(alpaca_corporate_announcement);

static const char *const date_types[] = {"declaration_date", "ex_date", "record_date", "payable_date", NULL};

#define MAX_RANGE_DAYS 90

static void
check_announcements(FunctionCallInfo fcinfo, const AlpacaOperation *op)
{
	int			since = alpaca_declared_position(fcinfo, "since");
	int			until = alpaca_declared_position(fcinfo, "until");

	alpaca_require(PG_GETARG_DATEADT(since) <= PG_GETARG_DATEADT(until), "since must not be after until", NULL);
	alpaca_require(PG_GETARG_DATEADT(until) - PG_GETARG_DATEADT(since) <= MAX_RANGE_DAYS,
				   "the range from since to until must be at most 90 days",
				   "Alpaca limits one request to 90 days; query longer spans in parts.");
}

const AlpacaOperation alpaca_corporate_actions_operations[] = {
	{"alpaca_corporate_announcements", ALPACA_READ, "GET", "/v2/corporate_actions/announcements",
		"Corporate action announcements (dividends, mergers, spinoffs, splits) from since to until, at most 90 days.",
		(const AlpacaArg[]) {
			{"ca_types", "text[]", ARG_QUERY, NULL, "Dividend, Merger, Spinoff, Split, or any type Alpaca adds; any case", .codes = true},
			{"since", "date", ARG_QUERY, NULL, NULL},
			{"until", "date", ARG_QUERY, NULL, "at most 90 days after since"},
			{"symbol", "text", ARG_QUERY, "NULL", NULL},
			{"cusip", "text", ARG_QUERY, "NULL", NULL},
			{"date_type", "text", ARG_QUERY, "NULL", "which date since and until are", date_types},
			{NULL}},
		"SELECT target_symbol, ca_type, ex_date, cash FROM alpaca_corporate_announcements(ARRAY['Dividend'], current_date - 30, current_date);",
		"corporate actions dividends splits mergers spinoffs announcements ex dividend date",
		.declared = true, .shape = ALPACA_LIST, .check = check_announcements},
	{"alpaca_corporate_announcement", ALPACA_READ, "GET", "/v2/corporate_actions/announcements/{id}",
		"One corporate action announcement by id.",
		(const AlpacaArg[]) {
			{"id", "uuid", ARG_PATH, NULL, NULL},
			{NULL}},
		"SELECT * FROM alpaca_corporate_announcement('be3c368a-4c7c-4384-808e-f02c9f5a8afe');",
		"corporate action announcement by id",
		.declared = true, .shape = ALPACA_OBJECT},
	ALPACA_END_OF_OPERATIONS
};
