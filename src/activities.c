/*
 * activities.c
 *		Account activities: fills and the non-trade kinds, all pages.
 *
 * Alpaca pages activities by the id of the last one seen; the functions
 * here follow the pages themselves, so one query returns every activity
 * the filters select, however many pages that takes.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "api.h"

PG_FUNCTION_INFO_V1(alpaca_activities);
PG_FUNCTION_INFO_V1(alpaca_activities_by_type);

#define DEFAULT_PAGE_SIZE 100

static const char *const categories[] = {"trade_activity", "non_trade_activity", NULL};
static const char *const directions[] = {"asc", "desc", NULL};

/* Alpaca pages activities by the id of the last one seen */
static const AlpacaRowSpec activity_pages = {ALPACA_LIST, NULL, NULL, "id"};

/*
 * Fetch every page.  first_filter is the argument position of "date"; the
 * arguments from there are date, until, after, direction, page_size.
 */
static void
fetch_all(FunctionCallInfo fcinfo, const char *path, const char *types,
		  const char *category, int first_filter)
{
	AlpacaRowSink *sink = alpaca_rows_begin(fcinfo);
	char	   *date = alpaca_arg_date(fcinfo, first_filter);
	char	   *until = alpaca_arg_timestamptz(fcinfo, first_filter + 1);
	char	   *after = alpaca_arg_timestamptz(fcinfo, first_filter + 2);
	char	   *direction = alpaca_arg_enum(fcinfo, first_filter + 3, "direction", directions);
	char	   *size_arg = alpaca_arg_int(fcinfo, first_filter + 4, "page_size", 1, 100);
	int			page_size = size_arg ? atoi(size_arg) : DEFAULT_PAGE_SIZE;
	char	   *token = NULL;
	AlpacaPager pager;
	AlpacaPage	page;

	alpaca_require(date == NULL || (until == NULL && after == NULL),
				   "date cannot be combined with until or after", NULL);

	alpaca_pager_init(&pager, "activities");
	do
	{
		AlpacaRequest req;

		alpaca_request_init(&req, "GET", path);
		alpaca_query(&req, "activity_types", types);
		alpaca_query(&req, "category", category);
		alpaca_query(&req, "date", date);
		alpaca_query(&req, "until", until);
		alpaca_query(&req, "after", after);
		alpaca_query(&req, "direction", direction);
		alpaca_query(&req, "page_size", psprintf("%d", page_size));
		alpaca_query(&req, "page_token", token);
		alpaca_fetch_page(sink, &req, &activity_pages, &page);
		/* a full page may have a next one, which starts after its last id */
		token = page.parsed >= page_size ? page.last_key : NULL;
		if (page.parsed >= page_size && token == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_PROTOCOL_VIOLATION),
					 errmsg("the Alpaca API answered a full page of activities whose last one has no id"),
					 errdetail("Without it the next page cannot be asked for.")));
	} while (alpaca_pager_next(&pager, token, page.added));
}

/* alpaca_activities(activity_types text[], category, date, until, after, direction, page_size) */
Datum
alpaca_activities(PG_FUNCTION_ARGS)
{
	/* Alpaca adds activity types; its codes are upper case */
	char	   *types = alpaca_arg_codes(fcinfo, 0, "activity_types", true);
	char	   *category = alpaca_arg_enum(fcinfo, 1, "category", categories);

	alpaca_require(types == NULL || category == NULL,
				   "activity_types and category cannot both be given", NULL);
	fetch_all(fcinfo, "/v2/account/activities", types, category, 2);
	return (Datum) 0;
}

/* alpaca_activities_by_type(activity_type, date, until, after, direction, page_size) */
Datum
alpaca_activities_by_type(PG_FUNCTION_ARGS)
{
	char	   *type = alpaca_arg_text(fcinfo, 0);
	AlpacaRequest path;

	alpaca_require(type != NULL && type[0] != '\0', "activity_type must not be empty", NULL);
	for (char *p = type; *p; p++)
	{
		alpaca_require((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
					   (*p >= '0' && *p <= '9') || *p == '_',
					   "activity_type must be one of Alpaca's codes, e.g. 'FILL' or 'DIV'", NULL);
		*p = pg_toupper((unsigned char) *p);
	}
	alpaca_request_init(&path, "GET", "/v2/account/activities");
	alpaca_path_segment(&path, "activity_type", type);
	fetch_all(fcinfo, path.path.data, NULL, NULL, 1);
	return (Datum) 0;
}
