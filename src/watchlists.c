/*
 * watchlists.c
 *		Watchlists, by id and by name.
 *
 * A watchlist row carries its assets as jsonb; alpaca_watchlist_assets()
 * gives them as alpaca_asset rows, so they join alpaca_assets() and
 * alpaca_positions() by symbol.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "utils/array.h"
#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/json.h"

#include "api.h"
#include "risk.h"

PG_FUNCTION_INFO_V1(alpaca_watchlists);
PG_FUNCTION_INFO_V1(alpaca_watchlist);
PG_FUNCTION_INFO_V1(alpaca_watchlist_by_name);
PG_FUNCTION_INFO_V1(alpaca_watchlist_assets);
PG_FUNCTION_INFO_V1(alpaca_watchlist_assets_by_name);
PG_FUNCTION_INFO_V1(alpaca_create_watchlist);
PG_FUNCTION_INFO_V1(alpaca_update_watchlist);
PG_FUNCTION_INFO_V1(alpaca_update_watchlist_by_name);
PG_FUNCTION_INFO_V1(alpaca_add_to_watchlist);
PG_FUNCTION_INFO_V1(alpaca_add_to_watchlist_by_name);
PG_FUNCTION_INFO_V1(alpaca_remove_from_watchlist);
PG_FUNCTION_INFO_V1(alpaca_delete_watchlist);
PG_FUNCTION_INFO_V1(alpaca_delete_watchlist_by_name);

static const AlpacaRowSpec list = {ALPACA_LIST};
static const AlpacaRowSpec assets_of_watchlist = {ALPACA_FIELD_LIST, "assets"};

#define MAX_WATCHLIST_NAME 64

/* The request for one watchlist: /v2/watchlists/{id} or /v2/watchlists:by_name?name= */
static void
watchlist_target(FunctionCallInfo fcinfo, AlpacaRequest *req, const char *method, bool by_name)
{
	if (by_name)
	{
		char	   *name = alpaca_arg_text(fcinfo, 0);

		alpaca_require(name != NULL && name[0] != '\0', "watchlist name must not be empty", NULL);
		alpaca_request_start(req, fcinfo, method, "/v2/watchlists:by_name");
		alpaca_query(req, "name", name);
	}
	else
	{
		alpaca_request_start(req, fcinfo, method, "/v2/watchlists");
		alpaca_path_segment(req, "watchlist_id", alpaca_arg_uuid(fcinfo, 0));
	}
}

static char *
checked_name(FunctionCallInfo fcinfo, int n)
{
	char	   *name = alpaca_arg_text(fcinfo, n);

	alpaca_require(name != NULL && name[0] != '\0', "watchlist name must not be empty", NULL);
	alpaca_require(pg_mbstrlen(name) <= MAX_WATCHLIST_NAME, "watchlist name must be at most 64 characters", NULL);
	return name;
}

/* symbols text[] as a JSON array; NULL gives an empty list */
static char *
symbols_json(FunctionCallInfo fcinfo, int n)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			count;
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	if (!PG_ARGISNULL(n))
	{
		arr = PG_GETARG_ARRAYTYPE_P(n);
		alpaca_require(ARR_NDIM(arr) <= 1, "symbols must be a one-dimensional array", NULL);
		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &count);
		for (int i = 0; i < count; i++)
		{
			char	   *s;

			alpaca_require(!nulls[i], "symbols must not contain NULL", NULL);
			s = TextDatumGetCString(elems[i]);
			alpaca_require(s[0] != '\0', "symbols must not contain an empty symbol", NULL);
			if (i)
				appendStringInfoChar(&buf, ',');
			escape_json(&buf, s);
		}
	}
	appendStringInfoChar(&buf, ']');
	return buf.data;
}

Datum
alpaca_watchlists(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_start(&req, fcinfo, "GET", "/v2/watchlists");
	return alpaca_send_rows(fcinfo, &req, &list);
}

static Datum
one_watchlist(FunctionCallInfo fcinfo, bool by_name)
{
	AlpacaRequest req;

	watchlist_target(fcinfo, &req, "GET", by_name);
	return alpaca_send_object(fcinfo, &req);
}

Datum
alpaca_watchlist(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(one_watchlist(fcinfo, false));
}

Datum
alpaca_watchlist_by_name(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(one_watchlist(fcinfo, true));
}

static Datum
watchlist_assets(FunctionCallInfo fcinfo, bool by_name)
{
	AlpacaRequest req;

	watchlist_target(fcinfo, &req, "GET", by_name);
	return alpaca_send_rows(fcinfo, &req, &assets_of_watchlist);
}

Datum
alpaca_watchlist_assets(PG_FUNCTION_ARGS)
{
	return watchlist_assets(fcinfo, false);
}

Datum
alpaca_watchlist_assets_by_name(PG_FUNCTION_ARGS)
{
	return watchlist_assets(fcinfo, true);
}

/* alpaca_create_watchlist(name, symbols text[]) */
Datum
alpaca_create_watchlist(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_check_trading("creating a watchlist");
	alpaca_request_start(&req, fcinfo, "POST", "/v2/watchlists");
	alpaca_body_string(&req, "name", checked_name(fcinfo, 0));
	alpaca_body_raw(&req, "symbols", symbols_json(fcinfo, 1));
	alpaca_body_finish(&req);
	return alpaca_send_object(fcinfo, &req);
}

/*
 * alpaca_update_watchlist(watchlist_id, name, symbols) and
 * alpaca_update_watchlist_by_name(name, new_name, symbols): Alpaca replaces
 * the name and the whole list of symbols.
 */
static Datum
update_watchlist(FunctionCallInfo fcinfo, bool by_name)
{
	AlpacaRequest req;

	alpaca_check_trading("changing a watchlist");
	watchlist_target(fcinfo, &req, "PUT", by_name);
	if (by_name && PG_ARGISNULL(1))
		alpaca_body_string(&req, "name", alpaca_arg_text(fcinfo, 0));
	else
		alpaca_body_string(&req, "name", checked_name(fcinfo, 1));
	alpaca_body_raw(&req, "symbols", symbols_json(fcinfo, 2));
	alpaca_body_finish(&req);
	return alpaca_send_object(fcinfo, &req);
}

Datum
alpaca_update_watchlist(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(update_watchlist(fcinfo, false));
}

Datum
alpaca_update_watchlist_by_name(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(update_watchlist(fcinfo, true));
}

static Datum
add_symbol(FunctionCallInfo fcinfo, bool by_name)
{
	AlpacaRequest req;
	char	   *symbol = alpaca_arg_text(fcinfo, 1);

	alpaca_require(symbol != NULL && symbol[0] != '\0', "symbol must not be empty", NULL);
	alpaca_check_trading("changing a watchlist");
	watchlist_target(fcinfo, &req, "POST", by_name);
	alpaca_body_string(&req, "symbol", symbol);
	alpaca_body_finish(&req);
	return alpaca_send_object(fcinfo, &req);
}

Datum
alpaca_add_to_watchlist(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(add_symbol(fcinfo, false));
}

Datum
alpaca_add_to_watchlist_by_name(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(add_symbol(fcinfo, true));
}

/* alpaca_remove_from_watchlist(watchlist_id, symbol): the updated watchlist */
Datum
alpaca_remove_from_watchlist(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	alpaca_check_trading("changing a watchlist");
	watchlist_target(fcinfo, &req, "DELETE", false);
	alpaca_symbol_segment(&req, "symbol", alpaca_arg_text(fcinfo, 1));
	return alpaca_send_object(fcinfo, &req);
}

Datum
alpaca_delete_watchlist(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_check_trading("deleting a watchlist");
	watchlist_target(fcinfo, &req, "DELETE", false);
	alpaca_send_void(&req);
	PG_RETURN_VOID();
}

Datum
alpaca_delete_watchlist_by_name(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_check_trading("deleting a watchlist");
	watchlist_target(fcinfo, &req, "DELETE", true);
	alpaca_send_void(&req);
	PG_RETURN_VOID();
}
