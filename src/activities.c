/*
 * activities.c
 *		Account activities: fills and the non-trade kinds, all pages.
 *
 * Alpaca pages activities by the id of the last one seen; the functions
 * here follow the pages themselves, so one query returns every activity
 * the filters select, however many pages that takes.
 */
#include "postgres.h"

#include "json_c.h"

#include "api.h"

PG_FUNCTION_INFO_V1(alpaca_activities);
PG_FUNCTION_INFO_V1(alpaca_activities_by_type);

#define DEFAULT_PAGE_SIZE 100

static const char *const activity_types[] = {"FILL", "TRANS", "MISC", "ACATC", "ACATS", "CFEE",
	"CGD", "CSD", "CSW", "DIV", "DIVCGL", "DIVCGS", "DIVFEE", "DIVFT", "DIVNRA", "DIVROC", "DIVTW",
	"DIVTXEX", "FEE", "INT", "INTNRA", "INTTW", "JNL", "JNLC", "JNLS", "MA", "NC", "OPASN", "OPCA",
	"OPCSH", "OPEXC", "OPEXP", "OPTRD", "PTC", "PTR", "REORG", "SPIN", "SPLIT", "FOPT", NULL};
static const char *const categories[] = {"trade_activity", "non_trade_activity", NULL};
static const char *const directions[] = {"asc", "desc", NULL};

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

	alpaca_require(date == NULL || (until == NULL && after == NULL),
				   "date cannot be combined with until or after", NULL);

	for (;;)
	{
		AlpacaRequest req;
		json_object *page;
		size_t		n;
		const char *last;

		alpaca_request_init(&req, "GET", path);
		alpaca_query(&req, "activity_types", types);
		alpaca_query(&req, "category", category);
		alpaca_query(&req, "date", date);
		alpaca_query(&req, "until", until);
		alpaca_query(&req, "after", after);
		alpaca_query(&req, "direction", direction);
		alpaca_query(&req, "page_size", psprintf("%d", page_size));
		alpaca_query(&req, "page_token", token);
		page = alpaca_send(&req);
		if (page == NULL || !json_object_is_type(page, json_type_array))
			break;
		alpaca_rows_add(sink, page);
		n = json_object_array_length(page);
		if (n < (size_t) page_size)
			break;
		last = alpaca_json_string(json_object_array_get_idx(page, n - 1), "id");
		/* a page that does not move on would loop forever */
		if (last == NULL || (token && strcmp(last, token) == 0))
			break;
		token = pstrdup(last);
	}
}

/* alpaca_activities(activity_types text[], category, date, until, after, direction, page_size) */
Datum
alpaca_activities(PG_FUNCTION_ARGS)
{
	char	   *types = alpaca_arg_list(fcinfo, 0, "activity_types", activity_types);
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
	char	   *type = alpaca_arg_enum(fcinfo, 0, "activity_type", activity_types);
	StringInfoData path;

	alpaca_require(type != NULL, "activity_type must not be NULL", NULL);
	initStringInfo(&path);
	appendStringInfo(&path, "/v2/account/activities/%s", type);
	fetch_all(fcinfo, path.data, NULL, NULL, 1);
	return (Datum) 0;
}
