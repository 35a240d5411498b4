/*
 * api.c
 *		Building and sending one Alpaca request from SQL arguments.
 *
 * Arguments are checked here, before anything leaves the server, so a bad
 * call costs no request and gets PostgreSQL's own kind of error; the API's
 * checks stay the authority for everything that depends on account state.
 */
#include "postgres.h"

#include "json_c.h"

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "api.h"
#include "errors.h"
#include "guc.h"
#include "http.h"

void
alpaca_request_init(AlpacaRequest *req, const char *method, const char *path)
{
	req->method = method;
	initStringInfo(&req->path);
	appendStringInfoString(&req->path, path);
	initStringInfo(&req->query);
	initStringInfo(&req->body);
}

/* RFC 3986 unreserved characters pass; everything else is %-encoded. */
static void
append_encoded(StringInfo buf, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (; *s; s++)
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

void
alpaca_path_segment(AlpacaRequest *req, const char *segment)
{
	appendStringInfoChar(&req->path, '/');
	append_encoded(&req->path, segment);
}

/*
 * A symbol in a path.  Crypto pairs go without their slash ("BTCUSD"), the
 * form Alpaca's path parameters take.
 */
void
alpaca_symbol_segment(AlpacaRequest *req, const char *symbol)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (const char *p = symbol; *p; p++)
		if (*p != '/')
			appendStringInfoChar(&buf, *p);
	alpaca_path_segment(req, buf.data);
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

/*
 * Send the request; any 2xx answer's body is returned parsed (NULL when
 * empty) and its status stored in *status.  Everything else is an ERROR.
 */
AlpacaTransportError
alpaca_try_send(AlpacaRequest *req, AlpacaResponse *resp, char **msg)
{
	alpaca_require_keys();
	alpaca_check_base_url();
	return alpaca_http_perform(req->method, alpaca_request_target(req),
							   req->body.len ? req->body.data : NULL, resp, msg);
}

char *
alpaca_request_target(AlpacaRequest *req)
{
	return psprintf("%s%s", req->path.data, req->query.data);
}

long
alpaca_send_status(AlpacaRequest *req, json_object **out)
{
	AlpacaResponse resp;
	AlpacaTransportError err;
	char	   *msg = NULL;

	err = alpaca_try_send(req, &resp, &msg);
	if (err != ALPACA_TRANSPORT_OK)
		alpaca_raise_transport_error(req->method, req->path.data, err, msg);
	if (resp.status < 200 || resp.status > 299)
		alpaca_raise_http_error(req->method, alpaca_request_target(req), &resp);
	*out = alpaca_parse(resp.body, resp.body_len);
	return resp.status;
}

json_object *
alpaca_send(AlpacaRequest *req)
{
	json_object *out;

	(void) alpaca_send_status(req, &out);
	return out;
}

/* Send, and answer with the one object as the function's composite result. */
Datum
alpaca_send_object(FunctionCallInfo fcinfo, AlpacaRequest *req)
{
	return alpaca_object_datum(fcinfo, alpaca_send(req));
}

/* Send, and answer with an array as one row per element, an object as one row. */
Datum
alpaca_send_rows(FunctionCallInfo fcinfo, AlpacaRequest *req)
{
	AlpacaRowSink *sink = alpaca_rows_begin(fcinfo);

	alpaca_rows_add(sink, alpaca_send(req));
	return (Datum) 0;
}

char *
alpaca_arg_text(FunctionCallInfo fcinfo, int n)
{
	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	return text_to_cstring(PG_GETARG_TEXT_PP(n));
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
alpaca_arg_timestamptz(FunctionCallInfo fcinfo, int n)
{
	TimestampTz ts;
	struct pg_tm tm;
	fsec_t		fsec;

	if (PG_NARGS() <= n || PG_ARGISNULL(n))
		return NULL;
	ts = PG_GETARG_TIMESTAMPTZ(n);
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
			 errmsg("invalid %s: \"%s\"", name, value),
			 errhint("Valid values are: %s.", list.data)));
}

char *
alpaca_arg_enum(FunctionCallInfo fcinfo, int n, const char *name, const char *const *allowed)
{
	char	   *v = alpaca_arg_text(fcinfo, n);

	if (v != NULL && allowed != NULL)
		alpaca_check_enum(name, v, allowed);
	return v;
}

/* A text[] argument as Alpaca's comma-separated list. */
char *
alpaca_arg_list(FunctionCallInfo fcinfo, int n, const char *name, const char *const *allowed)
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
					 errmsg("invalid element in %s: \"%s\"", name, s)));
		if (allowed)
			alpaca_check_enum(name, s, allowed);
		appendStringInfo(&buf, "%s%s", i ? "," : "", s);
	}
	return buf.data;
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
