/*
 * api.c
 *		Building and sending one Alpaca request from SQL arguments.
 *
 * Arguments are checked here, before anything leaves the server, so a bad
 * call costs no request and gets PostgreSQL's own kind of error; the API's
 * checks stay the authority for everything that depends on account state.
 */
#include "postgres.h"

#include <limits.h>

#include "catalog/pg_type.h"
#include "mb/pg_wchar.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "api.h"
#include "audit.h"
#include "gate.h"
#include "json.h"
#include "ordercheck.h"
#include "budget.h"
#include "encoding.h"
#include "errors.h"
#include "guc.h"
#include "http.h"

void
alpaca_request_start(AlpacaRequest *req, FunctionCallInfo fcinfo, const char *method, const char *path)
{
	req->fcinfo = fcinfo;
	req->function = NULL;
	req->client_order_id = NULL;
	req->order = NULL;
	req->for_change = false;
	req->market_data = false;
	req->attempt = 0;
	req->method = method;
	initStringInfo(&req->path);
	appendStringInfoString(&req->path, path);
	initStringInfo(&req->template);
	appendBinaryStringInfo(&req->template, path, strcspn(path, "?"));
	initStringInfo(&req->query);
	initStringInfo(&req->body);
}

/* UTF-8, then RFC 3986: unreserved characters pass, everything else is %-encoded. */
static void
append_encoded(StringInfo buf, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (s = alpaca_to_utf8(s); *s; s++)
	{
		unsigned char c = (unsigned char) *s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			(c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~')
			appendStringInfoChar(buf, c);
		else
		{
			appendStringInfoChar(buf, '%');
			appendStringInfoChar(buf, hex[c >> 4]);
			appendStringInfoChar(buf, hex[c & 15]);
		}
	}
}

/*
 * A caller's value as one path segment.  "", "." and ".." are refused:
 * they would name another endpoint ("DELETE /v2/positions/." is one slash
 * from closing every position), and libcurl would resolve the dots.
 */
void
alpaca_path_segment(AlpacaRequest *req, const char *name, const char *segment)
{
	if (segment == NULL || segment[0] == '\0' || strcmp(segment, ".") == 0 || strcmp(segment, "..") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not be %s", name,
						segment == NULL ? "NULL" : segment[0] == '\0' ? "empty" : "\".\" or \"..\""),
				 errdetail("It becomes a segment of the request path.")));
	appendStringInfoChar(&req->path, '/');
	append_encoded(&req->path, segment);
	appendStringInfo(&req->template, "/{%s}", name);
}

/*
 * A symbol in a path.  Crypto pairs go without their slash ("BTCUSD"), the
 * form Alpaca's path parameters take.
 */
void
alpaca_symbol_segment(AlpacaRequest *req, const char *name, const char *symbol)
{
	StringInfoData buf;

	if (symbol == NULL)
	{
		alpaca_path_segment(req, name, NULL);
		return;
	}
	initStringInfo(&buf);
	for (const char *p = symbol; *p; p++)
		if (*p != '/')
			appendStringInfoChar(&buf, *p);
	/* checked after the slashes go: "./." would be ".." */
	alpaca_path_segment(req, name, buf.data);
	pfree(buf.data);
}

void
alpaca_query(AlpacaRequest *req, const char *key, const char *value)
{
	if (value == NULL)
		return;
	appendStringInfoChar(&req->query, req->query.len ? '&' : '?');
	append_encoded(&req->query, key);
	appendStringInfoChar(&req->query, '=');
	append_encoded(&req->query, value);
}

void
alpaca_body_raw(AlpacaRequest *req, const char *key, const char *json)
{
	if (json == NULL)
		return;
	appendStringInfoChar(&req->body, req->body.len ? ',' : '{');
	escape_json(&req->body, key);
	appendStringInfoChar(&req->body, ':');
	appendStringInfoString(&req->body, json);
}

void
alpaca_body_string(AlpacaRequest *req, const char *key, const char *value)
{
	StringInfoData tmp;

	if (value == NULL)
		return;
	initStringInfo(&tmp);
	escape_json(&tmp, value);
	alpaca_body_raw(req, key, tmp.data);
	pfree(tmp.data);
}

/* Alpaca takes decimals as strings; sending them so keeps every digit. */
void
alpaca_body_number(AlpacaRequest *req, const char *key, const char *value)
{
	alpaca_body_string(req, key, value);
}

void
alpaca_body_finish(AlpacaRequest *req)
{
	if (req->body.len == 0)
		appendStringInfoChar(&req->body, '{');
	appendStringInfoChar(&req->body, '}');
}

char *
alpaca_request_target(AlpacaRequest *req)
{
	return psprintf("%s%s", req->path.data, req->query.data);
}

/*
 * Send the request as built.  A request that changes the account is refused
 * at once in a read-only transaction or on a standby, then recorded in the
 * audit trail (durably: it is not sent otherwise), and its answer after.
 * Oversized requests are refused here, before anything leaves; the body goes
 * out as UTF-8.  If the call stops while the request is out (a cancel,
 * statement_timeout), the record says at once that it may have been sent.
 */
AlpacaTransportError
alpaca_try_send(AlpacaRequest *req, AlpacaResponse *resp, char **msg)
{
	char	   *target;
	const char *volatile body = NULL;
	volatile int64 audit_id = 0;
	volatile TimestampTz start;
	AlpacaTransportError err = ALPACA_TRANSPORT_OK;
	AlpacaApi	api = req->market_data ? ALPACA_API_DATA : ALPACA_API_TRADING;
	bool		changes = strcmp(req->method, "GET") != 0 && !req->market_data;
	MemoryContext cxt = CurrentMemoryContext;

	if (changes)
		alpaca_check_writable(psprintf("sending %s %s", req->method, req->template.data));
	alpaca_require_keys();
	if (req->market_data)
		alpaca_check_data_url();
	else
		alpaca_check_base_url();
	target = alpaca_request_target(req);
	body = alpaca_request_size_check(req);
	if (changes)
	{
		AlpacaAuditIntent in = {0};

		if (req->fcinfo == NULL && req->function == NULL)
			elog(ERROR, "a request that changes the account must name its SQL function");
		in.function = req->fcinfo ? get_func_name(req->fcinfo->flinfo->fn_oid) : req->function;
		in.method = req->method;
		in.target = target;
		in.body = req->body.len ? req->body.data : NULL;
		in.body_len = req->body.len;
		in.client_order_id = req->client_order_id;
		if (req->order)
		{
			in.symbol = req->order->symbol;
			in.side = req->order->side;
			in.qty = req->order->qty;
			in.notional = req->order->notional;
		}
		audit_id = alpaca_audit_intent(&in);
	}

	/*
	 * The budgets, taken last, just before the request leaves, so the time
	 * they record is when Alpaca sees the request.
	 */
	PG_TRY();
	{
		alpaca_budget_take(api, changes || req->for_change);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		alpaca_audit_complete(audit_id, "not sent", 0, NULL, "not sent: the request budget was spent", 0);
		PG_RE_THROW();
	}
	PG_END_TRY();
	start = GetCurrentTimestamp();
	PG_TRY();
	{
		err = alpaca_http_perform(req->market_data ? alpaca_data_url : alpaca_base_url,
								  req->method, target, body, resp, msg);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		alpaca_budget_answered(api, NULL);
		alpaca_audit_complete(audit_id, "may have been sent", 0, NULL,
							  "the call was cancelled or timed out while the request was out: it may have been sent",
							  (double) (GetCurrentTimestamp() - start) / 1000.0);
		PG_RE_THROW();
	}
	PG_END_TRY();
	alpaca_budget_answered(api, err == ALPACA_TRANSPORT_OK ? resp : NULL);
	alpaca_budget_record(req->method, req->template.data, err == ALPACA_TRANSPORT_OK ? resp->status : 0,
						 err != ALPACA_TRANSPORT_OK, req->attempt > 0,
						 (double) (GetCurrentTimestamp() - start) / 1000.0);
	if (audit_id)
	{
		bool		answered = (err == ALPACA_TRANSPORT_OK);
		bool		ok = answered && resp->status >= 200 && resp->status <= 299;
		char	   *order_id = NULL;
		char	   *error = NULL;

		if (ok && req->client_order_id && pg_encoding_verifymbstr(PG_UTF8, resp->body, (int) resp->body_len) == (int) resp->body_len)
			order_id = alpaca_order_id_of(resp->body, resp->body_len);
		if (!answered)
			error = *msg;
		else if (!ok)
			error = alpaca_wire_text(resp->body, Min(resp->body_len, (size_t) 4096));
		alpaca_audit_complete(audit_id,
							  answered ? "answered" : err == ALPACA_TRANSPORT_NOT_SENT ? "not sent" :
							  err == ALPACA_TRANSPORT_MAYBE_SENT ? "may have been sent" : "failed",
							  answered ? resp->status : 0, order_id, error,
							  (double) (GetCurrentTimestamp() - start) / 1000.0);
	}
	return err;
}

/*
 * Refuse a request too large to be one of Alpaca's, before anything is
 * judged or sent; the body (or NULL) as it goes out, in UTF-8.
 */
const char *
alpaca_request_size_check(AlpacaRequest *req)
{
	char	   *target = alpaca_request_target(req);
	const char *body = NULL;

	if (strlen(target) > ALPACA_MAX_TARGET)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the request path is too long: %zu bytes with its query; at most %d",
						strlen(target), ALPACA_MAX_TARGET)));
	if (req->body.len)
	{
		body = alpaca_to_utf8(req->body.data);
		if (strlen(body) > ALPACA_MAX_BODY)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("the request body is too large: %zu bytes; at most %d", strlen(body), ALPACA_MAX_BODY)));
	}
	return body;
}

/* Worth another try: Alpaca's rate limit, or a gateway that lost its upstream. */
bool
alpaca_retryable(long status)
{
	return status == 429 || status == 502 || status == 503 || status == 504;
}

/*
 * Wait before retry number req->attempt + 1, if alpaca.max_retries and the
 * statement's time allow it; false (and no wait) if not.
 */
bool
alpaca_wait_to_retry(AlpacaRequest *req, AlpacaResponse *resp)
{
	int64		wait;
	int64		left = alpaca_statement_time_left();

	if (req->attempt >= alpaca_max_retries)
		return false;
	wait = alpaca_backoff_us(req->attempt + 1, resp->retry_after, resp->ratelimit_reset,
							 resp->ratelimit_remaining);
	if (left >= 0 && wait >= left)
		return false;
	alpaca_sleep_us(wait);
	req->attempt++;
	return true;
}

/*
 * Send; a 2xx answer comes back as verified text, anything else is an
 * ERROR.  A read answered 429, 502, 503 or 504 is tried again (it cannot
 * change anything), and so is any request answered 429 (Alpaca did nothing
 * with it), as alpaca.max_retries allows; after a 429 the account's budget
 * holds the retry, and every other request of this server, until Alpaca's
 * reset.
 */
void
alpaca_send(AlpacaRequest *req, AlpacaResponse *resp)
{
	AlpacaTransportError err;
	char	   *msg = NULL;

	for (;;)
	{
		err = alpaca_try_send(req, resp, &msg);
		if (!(err == ALPACA_TRANSPORT_OK && (strcmp(req->method, "GET") == 0 || resp->status == 429) &&
			  alpaca_retryable(resp->status) && alpaca_wait_to_retry(req, resp)))
			break;
	}
	if (err != ALPACA_TRANSPORT_OK)
		alpaca_raise_transport_error(req->method, req->path.data, err, msg);
	if (resp->status < 200 || resp->status > 299)
		alpaca_raise_http_error(req->method, alpaca_request_target(req), resp);
	alpaca_answer_text(resp);
}

void
alpaca_send_void(AlpacaRequest *req)
{
	AlpacaResponse resp;

	alpaca_send(req, &resp);
}

/* Send, and answer with the one object as the function's composite result. */
Datum
alpaca_send_object(FunctionCallInfo fcinfo, AlpacaRequest *req)
{
	AlpacaResponse resp;

	alpaca_send(req, &resp);
	return alpaca_object_datum(fcinfo, resp.body, resp.body_len);
}

/*
 * One request whose answer becomes rows in sink.  The answer's memory is
 * freed before this returns, so a pager holds one page at a time.
 */
void
alpaca_fetch_page(AlpacaRowSink *sink, AlpacaRequest *req, const AlpacaRowSpec *spec,
				  AlpacaPage *page)
{
	MemoryContext pagecxt = AllocSetContextCreate(CurrentMemoryContext, "alpaca page",
												  ALLOCSET_DEFAULT_SIZES);
	MemoryContext old = MemoryContextSwitchTo(pagecxt);
	AlpacaResponse resp;

	alpaca_send(req, &resp);
	MemoryContextSwitchTo(old);
	alpaca_rows_parse(sink, resp.body, resp.body_len, spec, page);
	MemoryContextDelete(pagecxt);
}

/* Send, and answer with the rows the spec describes. */
Datum
alpaca_send_rows(FunctionCallInfo fcinfo, AlpacaRequest *req, const AlpacaRowSpec *spec)
{
	AlpacaPage	page;

	alpaca_fetch_page(alpaca_rows_begin(fcinfo), req, spec, &page);
	return (Datum) 0;
}

void
alpaca_pager_init(AlpacaPager *pager, const char *what)
{
	pager->what = what;
	pager->pages = 0;
	pager->tokens = NIL;
}

/*
 * After each page: true if there is another to fetch.  A pager that
 * neither ends nor moves on is an upstream fault, and an error, not a loop.
 */
bool
alpaca_pager_next(AlpacaPager *pager, const char *token, int added)
{
	ListCell   *lc;

	pager->pages++;
	if (token == NULL || token[0] == '\0')
		return false;
	if (added == 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered a page of %s that adds nothing but points to another",
						pager->what),
				 errdetail("Page %d.", pager->pages)));
	foreach(lc, pager->tokens)
		if (strcmp((char *) lfirst(lc), token) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_PROTOCOL_VIOLATION),
					 errmsg("the Alpaca API repeated a page token while listing %s", pager->what),
					 errdetail("Page %d points to %s, which an earlier page gave.", pager->pages,
							   alpaca_quote(token, strlen(token)))));
	if (pager->pages >= alpaca_max_pages)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("listing %s took more than %d pages", pager->what, alpaca_max_pages),
				 errhint("Narrow the query (a shorter time range, fewer symbols), or raise alpaca.max_pages.")));
	pager->tokens = lappend(pager->tokens, pstrdup(token));
	return true;
}

char *
alpaca_arg_text(FunctionCallInfo fcinfo, int n)
{
	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
}

char *
alpaca_arg_required(FunctionCallInfo fcinfo, int n, const char *name)
{
	char	   *v = alpaca_arg_text(fcinfo, n);

	if (v == NULL || v[0] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is required", name)));
	return v;
}

char *
alpaca_arg_bool(FunctionCallInfo fcinfo, int n)
{
	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	return PG_GETARG_BOOL(n) ? "true" : "false";
}

char *
alpaca_arg_int(FunctionCallInfo fcinfo, int n, const char *name, int min, int max)
{
	int32		v;

	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	v = PG_GETARG_INT32(n);
	if (v < min || v > max)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between %d and %d", name, min, max)));
	return psprintf("%d", v);
}

char *
alpaca_arg_numeric(FunctionCallInfo fcinfo, int n, const char *name, bool positive)
{
	Numeric		num;

	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	num = PG_GETARG_NUMERIC(n);
	if (numeric_is_nan(num) || numeric_is_inf(num))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a finite number", name)));
	if (positive &&
		DatumGetInt32(DirectFunctionCall2(numeric_cmp, NumericGetDatum(num),
										  NumericGetDatum(int64_to_numeric(0)))) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be greater than zero", name)));
	return DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(num)));
}

/* RFC 3339 in UTC, the form every Alpaca time filter accepts. */
char *
alpaca_format_timestamptz(TimestampTz ts)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_NOT_FINITE(ts) || timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range for the Alpaca API")));
	if (fsec)
		return psprintf("%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", tm.tm_year, tm.tm_mon, tm.tm_mday,
						tm.tm_hour, tm.tm_min, tm.tm_sec, (int) fsec);
	return psprintf("%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year, tm.tm_mon, tm.tm_mday,
					tm.tm_hour, tm.tm_min, tm.tm_sec);
}

char *
alpaca_arg_timestamptz(FunctionCallInfo fcinfo, int n)
{
	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	return alpaca_format_timestamptz(PG_GETARG_TIMESTAMPTZ(n));
}

char *
alpaca_arg_date(FunctionCallInfo fcinfo, int n)
{
	DateADT		d;
	int			y,
				m,
				day;

	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	d = PG_GETARG_DATEADT(n);
	if (DATE_NOT_FINITE(d))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range for the Alpaca API")));
	j2date(d + POSTGRES_EPOCH_JDATE, &y, &m, &day);
	return psprintf("%04d-%02d-%02d", y, m, day);
}

char *
alpaca_arg_uuid(FunctionCallInfo fcinfo, int n)
{
	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	return DatumGetCString(DirectFunctionCall1(uuid_out, PG_GETARG_DATUM(n)));
}

void
alpaca_check_enum(const char *name, const char *value, const char *const *allowed)
{
	StringInfoData list;

	for (const char *const *a = allowed; *a; a++)
		if (strcmp(value, *a) == 0)
			return;
	initStringInfo(&list);
	for (const char *const *a = allowed; *a; a++)
		appendStringInfo(&list, "%s%s", a == allowed ? "" : ", ", *a);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid %s: %s; valid values are %s", name, alpaca_quote(value, strlen(value)), list.data)));
}

char *
alpaca_arg_enum(FunctionCallInfo fcinfo, int n, const char *name, const char *const *allowed)
{
	char	   *v = alpaca_arg_text(fcinfo, n);

	if (v != NULL && allowed != NULL)
		alpaca_check_enum(name, v, allowed);
	return v;
}

/*
 * A text[] argument as Alpaca's comma-separated list; each element passes
 * check (which may rewrite it).  NULL for NULL or an empty array.
 */
static char *
join_list(FunctionCallInfo fcinfo, int n, const char *name,
		  char *(*check) (const char *name, char *elem, const void *arg), const void *arg)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			count;
	StringInfoData buf;

	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	arr = PG_GETARG_ARRAYTYPE_P(n);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("%s must be a one-dimensional array", name)));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &count);
	if (count == 0)
		return NULL;
	initStringInfo(&buf);
	for (int i = 0; i < count; i++)
	{
		char	   *s;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain NULL", name)));
		s = TextDatumGetCString(elems[i]);
		if (*s == '\0' || strchr(s, ','))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid element in %s: %s", name, alpaca_quote(s, strlen(s)))));
		if (check)
			s = check(name, s, arg);
		appendStringInfo(&buf, "%s%s", i ? "," : "", s);
	}
	return buf.data;
}

static char *
check_listed(const char *name, char *elem, const void *arg)
{
	alpaca_check_enum(name, elem, (const char *const *) arg);
	return elem;
}

char *
alpaca_arg_list(FunctionCallInfo fcinfo, int n, const char *name, const char *const *allowed)
{
	return join_list(fcinfo, n, name, allowed ? check_listed : NULL, allowed);
}

/*
 * Codes Alpaca extends over time (asset attributes, activity types,
 * corporate action types): any code of the form Alpaca uses passes, so a
 * new one works the day Alpaca adds it.  upper: Alpaca's codes of this kind
 * are upper case, and the caller's are made so.
 */
char *
alpaca_check_code(const char *name, char *elem, bool upper)
{
	bool		valid = elem[0] != '\0' && strlen(elem) <= 64;

	for (char *p = elem; *p && valid; p++)
	{
		unsigned char c = (unsigned char) *p;

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
			valid = false;
		else if (upper)
			*p = pg_toupper(c);
	}
	if (!valid)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid element in %s: %s (Alpaca's codes are letters, digits and underscores, at most 64)",
						name, alpaca_quote(elem, strlen(elem)))));
	return elem;
}

static char *
check_code(const char *name, char *elem, const void *arg)
{
	return alpaca_check_code(name, elem, arg != NULL);
}

char *
alpaca_arg_codes(FunctionCallInfo fcinfo, int n, const char *name, bool upper)
{
	return join_list(fcinfo, n, name, check_code, upper ? (void *) 1 : NULL);
}

void
alpaca_require(bool cond, const char *message, const char *hint)
{
	if (!cond)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s", message),
				 hint ? errhint("%s", hint) : 0));
}
