/*
 * raw.c
 *		alpaca_request(method, path, body): any endpoint, for fields and
 *		operations no typed function covers, and no road around the limits.
 *
 * The path must start with "/" so that it can only extend alpaca.base_url,
 * never replace its host (as "@host/..." would), and no segment may be "."
 * or ".." (plain or %-encoded), which would climb out of the path given.
 * It is sent in its plain form: unreserved characters %-encoded are
 * decoded, repeated slashes and a trailing one dropped, so what is judged
 * below is what Alpaca reads.
 *
 * A request that changes the account passes what the typed function it
 * resembles passes: an order (POST /v2/orders) the limits, the day's count
 * and the exactly-once placement of alpaca_place_order() (a client_order_id
 * is added if the body has none), and is audited with its own fields; a
 * replacement, close, close-all or exercise the checks of its typed
 * function; anything else the kill switch.  A state-changing request to a
 * path the limits cannot judge is refused while any order limit is set for
 * the role.  The answer is parsed once, strictly, straight into jsonb.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "api.h"
#include "encoding.h"
#include "errors.h"
#include "json.h"
#include "orders.h"
#include "risk.h"

PG_FUNCTION_INFO_V1(alpaca_request);

static const char *const methods[] = {"GET", "POST", "PUT", "PATCH", "DELETE", NULL};

static void
check_raw_path(const char *path)
{
	const char *seg = path + 1;

	alpaca_require(path[0] == '/', "path must start with \"/\"",
				   "Give the path below alpaca.base_url, e.g. '/v2/account'.");
	for (const char *p = path; *p; p++)
		alpaca_require((unsigned char) *p > ' ' && *p != '#' && *p != '\\' && (unsigned char) *p != 0x7f,
					   "path must not contain spaces, control characters, \"\\\" or \"#\"",
					   "Percent-encode such characters.");
	for (;;)
	{
		size_t		n = strcspn(seg, "/?");
		int			dots = 0;
		bool		only_dots = true;

		/* "%2e" is a dot to many servers: count it as one */
		for (size_t i = 0; i < n && only_dots; i++)
		{
			if (seg[i] == '.')
				dots++;
			else if (seg[i] == '%' && i + 2 < n && seg[i + 1] == '2' && (seg[i + 2] | 0x20) == 'e')
			{
				dots++;
				i += 2;
			}
			else
				only_dots = false;
		}
		alpaca_require(!(only_dots && (dots == 1 || dots == 2)),
					   "path must not contain \".\" or \"..\" segments, plain or %-encoded", NULL);
		if (seg[n] != '/')
			break;
		seg += n + 1;
	}
}

static int
hexdigit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/*
 * The path as Alpaca reads it: %XX of an unreserved character decoded
 * (RFC 3986 6.2.2.2), repeated slashes and a trailing one dropped; the
 * query as given.
 */
static char *
plain_path(const char *path)
{
	StringInfoData b;
	const char *p = path;

	initStringInfo(&b);
	for (; *p && *p != '?'; p++)
	{
		if (*p == '%' && hexdigit(p[1]) >= 0 && hexdigit(p[2]) >= 0)
		{
			char		c = (char) (hexdigit(p[1]) * 16 + hexdigit(p[2]));

			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
				c == '-' || c == '.' || c == '_' || c == '~')
			{
				appendStringInfoChar(&b, c);
				p += 2;
				continue;
			}
		}
		if (*p == '/' && b.len > 0 && b.data[b.len - 1] == '/')
			continue;
		appendStringInfoChar(&b, *p);
	}
	while (b.len > 1 && b.data[b.len - 1] == '/')
		b.data[--b.len] = '\0';
	appendStringInfoString(&b, p);
	return b.data;
}

/* The path's segments (before any query), lower-cased for judging; at most 8. */
static int
segments(const char *path, char **seg, int max)
{
	char	   *copy = pstrdup(path + 1);
	char	   *save = NULL;
	int			n = 0;

	copy[strcspn(copy, "?")] = '\0';
	for (char *s = strtok_r(copy, "/", &save); s && n < max; s = strtok_r(NULL, "/", &save))
	{
		for (char *c = s; *c; c++)
			*c = pg_tolower((unsigned char) *c);
		seg[n++] = s;
	}
	return n;
}

/* A query parameter's value, %-decoded; NULL when absent. */
static char *
query_param(const char *path, const char *name)
{
	const char *q = strchr(path, '?');
	size_t		n = strlen(name);

	for (q = q ? q + 1 : NULL; q && *q; q = strchr(q, '&') ? strchr(q, '&') + 1 : NULL)
		if (strncmp(q, name, n) == 0 && q[n] == '=')
		{
			StringInfoData v;

			initStringInfo(&v);
			for (const char *p = q + n + 1; *p && *p != '&'; p++)
			{
				if (*p == '%' && hexdigit(p[1]) >= 0 && hexdigit(p[2]) >= 0)
				{
					appendStringInfoChar(&v, (char) (hexdigit(p[1]) * 16 + hexdigit(p[2])));
					p += 2;
				}
				else
					appendStringInfoChar(&v, *p == '+' ? ' ' : *p);
			}
			return v.data;
		}
	return NULL;
}

/* A segment of the path as given (case kept): the symbol or id it names. */
static char *
segment_as_given(const char *path, int k)
{
	char	   *copy = pstrdup(path + 1);
	char	   *save = NULL;
	char	   *s;

	copy[strcspn(copy, "?")] = '\0';
	s = strtok_r(copy, "/", &save);
	for (int i = 0; s && i < k; i++)
		s = strtok_r(NULL, "/", &save);
	if (s == NULL)
		return NULL;
	/* %2F in a crypto pair's symbol */
	return query_param(psprintf("?x=%s", s), "x");
}

static Jsonb *
body_object(FunctionCallInfo fcinfo)
{
	Jsonb	   *body = PG_ARGISNULL(2) ? NULL : PG_GETARG_JSONB_P(2);

	alpaca_require(body && JB_ROOT_IS_OBJECT(body), "the body of an order must be a JSON object", NULL);
	return body;
}

/* POST /v2/orders: an order, as alpaca_place_order() places one. */
static Datum
place(FunctionCallInfo fcinfo, AlpacaRequest *req)
{
	Jsonb	   *body = body_object(fcinfo);
	AlpacaOrderCheck check = {"placing an order through alpaca_request()"};
	AlpacaResponse resp;
	AlpacaSubmitResult result;
	const char *recovered;
	char	   *cid = alpaca_jsonb_text(JsonbPGetDatum(body), "client_order_id", NULL, NULL);
	Datum		legs;

	/* an id of our own, so an unclear answer can be looked up and the day's count is exact */
	if (cid == NULL)
	{
		cid = alpaca_new_client_order_id();
		body = DatumGetJsonbP(DirectFunctionCall2(jsonb_concat, JsonbPGetDatum(body),
												  DirectFunctionCall1(jsonb_in, CStringGetDatum(
																						 psprintf("{\"client_order_id\": \"%s\"}", cid)))));
	}
	alpaca_order_check_of(JsonbPGetDatum(body), &check);
	legs = alpaca_jsonb_get(JsonbPGetDatum(body), "legs");
	alpaca_require(check.symbol || legs, "an order needs a symbol, or legs", NULL);
	alpaca_check_trading(check.what);
	alpaca_check_orders_today();
	(void) alpaca_check_order_limits(&check, legs && check.symbol == NULL && JB_ROOT_IS_ARRAY(DatumGetJsonbP(legs)) ?
									 DatumGetJsonbP(legs) : NULL, false);
	req->client_order_id = cid;
	req->order = &check;
	resetStringInfo(&req->body);
	appendStringInfoString(&req->body, DatumGetCString(DirectFunctionCall1(jsonb_out, JsonbPGetDatum(body))));
	result = alpaca_submit_order(req, cid, false, &resp, &recovered);
	if (result == ALPACA_SUBMIT_REUSED_ID)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("client_order_id %s is already used by a different order at Alpaca; this order was not placed",
						alpaca_quote(cid, strlen(cid)))));
	if (result == ALPACA_SUBMIT_REFUSED)
		alpaca_raise_http_error("POST", "/v2/orders", &resp);
	return alpaca_jsonb_datum(resp.body, resp.body_len);
}

/*
 * Judge a request that changes the account as its typed function would;
 * true when it was placed (result holds the answer).
 */
static bool
judge_change(FunctionCallInfo fcinfo, AlpacaRequest *req, const char *method, const char *path, Datum *result)
{
	char	   *seg[8];
	int			n = segments(path, seg, lengthof(seg));
	bool		v2 = n >= 2 && strcmp(seg[0], "v2") == 0;
	const char *what = psprintf("%s %s through alpaca_request()", method, path);

	alpaca_check_writable(psprintf("sending %s", what));
	if (v2 && n == 2 && strcmp(seg[1], "orders") == 0 && strcmp(method, "POST") == 0)
	{
		*result = place(fcinfo, req);
		return true;
	}
	if (v2 && n == 3 && strcmp(seg[1], "orders") == 0 && strcmp(method, "PATCH") == 0)
	{
		Jsonb	   *body = body_object(fcinfo);

		alpaca_check_trading(what);
		alpaca_check_orders_today();
		alpaca_check_replacement(segment_as_given(path, 2),
								 alpaca_jsonb_text(JsonbPGetDatum(body), "qty", NULL, NULL),
								 alpaca_jsonb_text(JsonbPGetDatum(body), "limit_price", NULL, NULL),
								 alpaca_jsonb_text(JsonbPGetDatum(body), "stop_price", NULL, NULL));
		return false;
	}
	if (v2 && n == 2 && strcmp(seg[1], "positions") == 0 && strcmp(method, "DELETE") == 0)
	{
		alpaca_check_close_all();
		return false;
	}
	if (v2 && n == 3 && strcmp(seg[1], "positions") == 0 && strcmp(method, "DELETE") == 0)
	{
		alpaca_check_close(segment_as_given(path, 2), query_param(path, "qty"), query_param(path, "percentage"));
		return false;
	}
	if (v2 && n == 4 && strcmp(seg[1], "positions") == 0 && strcmp(method, "POST") == 0 &&
		(strcmp(seg[3], "exercise") == 0 || strcmp(seg[3], "do-not-exercise") == 0))
	{
		alpaca_check_exercise(what, segment_as_given(path, 2));
		return false;
	}
	/*
	 * What no limit judges: cancels, watchlists, the account's configuration,
	 * funding (its typed functions pass the kill switch only); anything else
	 * is refused while the role has limits the request could step around.
	 */
	if (!(v2 && ((strcmp(seg[1], "orders") == 0 && strcmp(method, "DELETE") == 0 && n <= 3) ||
				 strcmp(seg[1], "watchlists") == 0 || strncmp(seg[1], "watchlists:", 11) == 0 ||
				 (strcmp(seg[1], "account") == 0 && n == 3 && strcmp(seg[2], "configurations") == 0) ||
				 strcmp(seg[1], "wallets") == 0 || strcmp(seg[1], "perpetuals") == 0 ||
				 strcmp(seg[1], "tokenization") == 0)) &&
		!(n >= 2 && strcmp(seg[0], "v1") == 0 && strcmp(seg[1], "locates") == 0) &&
		alpaca_order_limits_apply())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("alpaca_request cannot send %s %s while order limits are set for role %s: the limits cannot judge it",
						method, path, quote_identifier(GetUserNameFromId(GetUserId(), false))),
				 errhint("Use the typed function for this endpoint.")));
	alpaca_check_trading(what);
	return false;
}

/*
 * alpaca_request(method, path, body): any endpoint, answered as jsonb (NULL
 * for an empty answer).
 */
Datum
alpaca_request(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	AlpacaResponse resp;
	char	   *method = alpaca_arg_text(fcinfo, 0);
	char	   *path = alpaca_arg_text(fcinfo, 1);
	Datum		result;

	alpaca_require(method != NULL && path != NULL, "method and path must not be NULL", NULL);
	alpaca_check_enum("method", method, methods);
	check_raw_path(path);
	path = plain_path(path);
	alpaca_request_start(&req, fcinfo, method, alpaca_to_utf8(path));
	if (!PG_ARGISNULL(2))
		appendStringInfoString(&req.body,
							   DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(2))));
	(void) alpaca_request_size_check(&req);
	if (strcmp(method, "GET") != 0 && judge_change(fcinfo, &req, method, path, &result))
		PG_RETURN_DATUM(result);
	alpaca_send(&req, &resp);
	if (resp.body_len == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(alpaca_jsonb_datum(resp.body, resp.body_len));
}
