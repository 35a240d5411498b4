/*
 * corporate_actions.c
 *		Corporate action announcements: dividends, splits, mergers, spinoffs.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "utils/date.h"

#include "api.h"

PG_FUNCTION_INFO_V1(alpaca_corporate_announcements);
PG_FUNCTION_INFO_V1(alpaca_corporate_announcement);

static const AlpacaRowSpec announcement_list = {ALPACA_LIST};
static const char *const date_types[] = {"declaration_date", "ex_date", "record_date", "payable_date", NULL};

#define MAX_RANGE_DAYS 90

/* alpaca_corporate_announcements(ca_types text[], since, until, symbol, cusip, date_type) */
Datum
alpaca_corporate_announcements(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	/* Dividend, Merger, Spinoff, Split and whatever Alpaca adds; any case, as Alpaca takes */
	char	   *types = alpaca_arg_codes(fcinfo, 0, "ca_types", false);

	alpaca_require(types != NULL, "ca_types is required",
				   "Give one or more of Dividend, Merger, Spinoff, Split, e.g. ARRAY['Dividend'].");
	alpaca_require(!PG_ARGISNULL(1) && !PG_ARGISNULL(2), "since and until are required", NULL);
	alpaca_require(PG_GETARG_DATEADT(1) <= PG_GETARG_DATEADT(2), "since must not be after until", NULL);
	alpaca_require(PG_GETARG_DATEADT(2) - PG_GETARG_DATEADT(1) <= MAX_RANGE_DAYS,
				   "the range from since to until must be at most 90 days",
				   "Alpaca limits one request to 90 days; query longer spans in parts.");

	alpaca_request_init(&req, "GET", "/v2/corporate_actions/announcements");
	alpaca_query(&req, "ca_types", types);
	alpaca_query(&req, "since", alpaca_arg_date(fcinfo, 1));
	alpaca_query(&req, "until", alpaca_arg_date(fcinfo, 2));
	alpaca_query(&req, "symbol", alpaca_arg_text(fcinfo, 3));
	alpaca_query(&req, "cusip", alpaca_arg_text(fcinfo, 4));
	alpaca_query(&req, "date_type", alpaca_arg_enum(fcinfo, 5, "date_type", date_types));
	return alpaca_send_rows(fcinfo, &req, &announcement_list);
}

Datum
alpaca_corporate_announcement(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_init(&req, "GET", "/v2/corporate_actions/announcements");
	alpaca_path_segment(&req, "id", alpaca_arg_uuid(fcinfo, 0));
	return alpaca_send_object(fcinfo, &req);
}
