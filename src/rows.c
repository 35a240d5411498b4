/*
 * rows.c
 *		Alpaca's JSON objects as PostgreSQL rows.
 *
 * A row type declared in alpaca--1.0.sql names its columns after Alpaca's
 * fields; this file fills such a row from a JSON object by name, through
 * each column type's own input function.  So a new field is one more column
 * in SQL, with no C to write, and the type decides the parsing: numeric
 * from Alpaca's decimal strings (or JSON numbers, kept digit for digit),
 * timestamptz from RFC 3339 or epoch seconds, uuid, date, text[] from
 * arrays, jsonb for nested objects.  A column named "raw" of type jsonb
 * receives the whole object, for fields no column names.
 *
 * json-c trees are tied to the memory context they were parsed in, so they
 * are freed on every path, errors included.
 */
#include "postgres.h"

#include "json_c.h"

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "rows.h"

struct AlpacaRowSink
{
	ReturnSetInfo *rsinfo;
	AttInMetadata *meta;
	Datum	   *values;
	bool	   *nulls;
};

static void
free_json(void *arg)
{
	json_object_put((json_object *) arg);
}

/*
 * Parse a response body.  The tree lives as long as the current memory
 * context: a reset callback releases it, on error as on success.
 */
json_object *
alpaca_parse(const char *text, size_t len)
{
	json_tokener *tok;
	json_object *obj;
	enum json_tokener_error jerr;
	MemoryContextCallback *cb;

	if (len == 0)
		return NULL;
	if (len > INT_MAX)
		elog(ERROR, "Alpaca response too large to parse");

	cb = palloc(sizeof(MemoryContextCallback));
	tok = json_tokener_new_ex(JSON_TOKENER_DEFAULT_DEPTH);
	if (tok == NULL)
		elog(ERROR, "out of memory");
	obj = json_tokener_parse_ex(tok, text, (int) len);
	jerr = json_tokener_get_error(tok);
	if (jerr == json_tokener_success && json_tokener_get_parse_end(tok) < len)
	{
		/* trailing garbage after a complete value */
		jerr = json_tokener_error_parse_unexpected;
	}
	json_tokener_free(tok);
	if (jerr != json_tokener_success)
	{
		json_object_put(obj);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("the Alpaca API answered with invalid JSON"),
				 errdetail_internal("%s", json_tokener_error_desc(jerr))));
	}
	cb->func = free_json;
	cb->arg = obj;
	MemoryContextRegisterResetCallback(CurrentMemoryContext, cb);
	return obj;
}

const char *
alpaca_json_string(json_object *obj, const char *key)
{
	json_object *v;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v) ||
		json_object_is_type(v, json_type_null))
		return NULL;
	return json_object_get_string(v);
}

/* A JSON array as an array literal, for columns such as text[]. */
static char *
array_literal(json_object *arr)
{
	StringInfoData buf;
	size_t		n = json_object_array_length(arr);

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (size_t i = 0; i < n; i++)
	{
		json_object *e = json_object_array_get_idx(arr, i);
		const char *s;

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		if (e == NULL || json_object_is_type(e, json_type_null))
		{
			appendStringInfoString(&buf, "NULL");
			continue;
		}
		s = json_object_is_type(e, json_type_string) ? json_object_get_string(e) :
			json_object_to_json_string_ext(e, JSON_C_TO_STRING_PLAIN);
		appendStringInfoChar(&buf, '"');
		for (; *s; s++)
		{
			if (*s == '"' || *s == '\\')
				appendStringInfoChar(&buf, '\\');
			appendStringInfoChar(&buf, *s);
		}
		appendStringInfoChar(&buf, '"');
	}
	appendStringInfoChar(&buf, '}');
	return buf.data;
}

static bool
is_text_like(Oid typid)
{
	return typid == TEXTOID || typid == VARCHAROID || typid == BPCHAROID ||
		typid == JSONBOID || typid == JSONOID;
}

/*
 * The text a column's input function gets for a JSON value, or NULL for
 * SQL NULL.  Alpaca sends "" where it means "absent" in non-text fields.
 */
static const char *
json_cstring(json_object *v, Oid typid)
{
	switch (json_object_get_type(v))
	{
		case json_type_null:
			return NULL;
		case json_type_string:
			{
				const char *s = json_object_get_string(v);

				if (*s == '\0' && !is_text_like(typid))
					return NULL;
				if (typid == JSONBOID || typid == JSONOID)
					return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
				return s;
			}
		case json_type_boolean:
			return json_object_get_boolean(v) ? "true" : "false";
		case json_type_array:
			if (!is_text_like(typid) && get_element_type(typid) != InvalidOid)
				return array_literal(v);
			return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
		default:
			/* numbers print as they were received, so numeric loses nothing */
			return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	}
}

typedef struct FieldContext
{
	const char *field;
} FieldContext;

static void
field_error_context(void *arg)
{
	FieldContext *fc = (FieldContext *) arg;

	if (fc->field)
		errcontext("reading field \"%s\" of an Alpaca response", fc->field);
}

static void
fill_row(AttInMetadata *meta, json_object *obj, Datum *values, bool *nulls)
{
	TupleDesc	tupdesc = meta->tupdesc;
	FieldContext fc = {NULL};
	ErrorContextCallback errcb;

	if (!json_object_is_type(obj, json_type_object))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("the Alpaca API answered with an unexpected JSON value"),
				 errdetail_internal("Expected an object, got: %.200s",
									json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN))));

	errcb.callback = field_error_context;
	errcb.arg = &fc;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	for (int i = 0; i < tupdesc->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		const char *name = NameStr(att->attname);
		json_object *v = NULL;
		const char *s;

		nulls[i] = true;
		values[i] = (Datum) 0;
		if (att->attisdropped)
			continue;
		if (att->atttypid == JSONBOID && strcmp(name, "raw") == 0)
			v = obj;
		else if (!json_object_object_get_ex(obj, name, &v))
			continue;
		if (v == NULL || json_object_is_type(v, json_type_null))
			continue;
		fc.field = name;
		if (att->atttypid == TIMESTAMPTZOID && json_object_is_type(v, json_type_int))
		{
			values[i] = TimestampTzGetDatum(time_t_to_timestamptz((pg_time_t) json_object_get_int64(v)));
			nulls[i] = false;
			continue;
		}
		s = json_cstring(v, att->atttypid);
		if (s == NULL)
			continue;
		values[i] = InputFunctionCall(&meta->attinfuncs[i], (char *) s,
									  meta->attioparams[i], meta->atttypmods[i]);
		nulls[i] = false;
	}
	error_context_stack = errcb.previous;
}

/* One object as the composite result of a function. */
Datum
alpaca_object_datum(FunctionCallInfo fcinfo, json_object *obj)
{
	TupleDesc	tupdesc;
	AttInMetadata *meta;
	Datum	   *values;
	bool	   *nulls;

	if (obj == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("the Alpaca API answered with an empty body")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "function returning a record called in a context that cannot accept it");
	tupdesc = BlessTupleDesc(tupdesc);
	meta = TupleDescGetAttInMetadata(tupdesc);
	values = palloc(sizeof(Datum) * tupdesc->natts);
	nulls = palloc(sizeof(bool) * tupdesc->natts);
	fill_row(meta, obj, values, nulls);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

AlpacaRowSink *
alpaca_rows_begin(FunctionCallInfo fcinfo)
{
	AlpacaRowSink *sink = palloc0(sizeof(AlpacaRowSink));

	InitMaterializedSRF(fcinfo, 0);
	sink->rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sink->meta = TupleDescGetAttInMetadata(sink->rsinfo->setDesc);
	sink->values = palloc(sizeof(Datum) * sink->rsinfo->setDesc->natts);
	sink->nulls = palloc(sizeof(bool) * sink->rsinfo->setDesc->natts);
	return sink;
}

/* An object becomes one row, an array one row per element. */
void
alpaca_rows_add(AlpacaRowSink *sink, json_object *obj)
{
	if (obj == NULL)
		return;
	if (json_object_is_type(obj, json_type_array))
	{
		size_t		n = json_object_array_length(obj);

		for (size_t i = 0; i < n; i++)
			alpaca_rows_add(sink, json_object_array_get_idx(obj, i));
		return;
	}
	fill_row(sink->meta, obj, sink->values, sink->nulls);
	tuplestore_putvalues(sink->rsinfo->setResult, sink->rsinfo->setDesc,
						 sink->values, sink->nulls);
}

Datum
alpaca_jsonb_datum(json_object *obj)
{
	const char *s = obj ? json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN) : "null";

	return DirectFunctionCall1(jsonb_in, CStringGetDatum(s));
}
