/*
 * rowbuild.c
 *		The plan for filling rows of one SQL row type from Alpaca's objects,
 *		and where the rows go: a tuplestore, or one composite result.
 *
 * A row type declared in SQL names its columns after Alpaca's fields.  Each
 * column gets its converter once per call (src/scalars.c); a jsonb column
 * takes any value as its JSON text, and a column named "raw" of type jsonb
 * takes the whole object.  Fields no column names are ignored (Alpaca adds
 * fields).  Rows of a set go into the tuplestore as each object closes, so
 * memory grows with a row, not with the answer (the tuplestore spills past
 * work_mem).
 */
#include "postgres.h"

#include <limits.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "rows_internal.h"

RowBuilder *
alpaca_make_builder(TupleDesc tupdesc)
{
	RowBuilder *rb = palloc0(sizeof(RowBuilder));

	rb->tupdesc = tupdesc;
	rb->natts = tupdesc->natts;
	rb->cols = palloc0(sizeof(ColInfo) * rb->natts);
	rb->raw_att = -1;
	rb->npredict = rb->natts * 2 + 8;
	rb->predict = palloc(sizeof(int) * rb->npredict);
	for (int i = 0; i < rb->npredict; i++)
		rb->predict[i] = -1;
	rb->values = palloc(sizeof(Datum) * rb->natts);
	rb->nulls = palloc(sizeof(bool) * rb->natts);
	rb->seen = palloc(sizeof(bool) * rb->natts);
	for (int i = 0; i < rb->natts; i++)
	{
		Form_pg_attribute att = TupleDescAttr(tupdesc, i);
		ColInfo    *ci = &rb->cols[i];

		ci->name = att->attisdropped ? NULL : NameStr(att->attname);
		if (att->attisdropped)
			continue;
		ci->namelen = strlen(ci->name);
		alpaca_setup_conv(&ci->conv, att->atttypid, att->atttypmod);
		if (ci->conv.kind == COL_ARRAY)
		{
			Oid			et = get_element_type(att->atttypid);

			alpaca_setup_conv(&ci->elem, et, -1);
			get_typlenbyvalalign(et, &ci->elmlen, &ci->elmbyval, &ci->elmalign);
			if (ci->elem.kind == COL_ARRAY || ci->elem.kind == COL_JSON)
				elog(ERROR, "column \"%s\": arrays of %s are not supported", ci->name,
					 format_type_be(et));
		}
		if (att->atttypid == JSONBOID && strcmp(ci->name, "raw") == 0)
			rb->raw_att = i;
	}
	return rb;
}

static bool
column_name_is(ColInfo *ci, const char *s, int n)
{
	return ci->name && ci->namelen == n && memcmp(ci->name, s, n) == 0;
}

/*
 * A column an alias names is matched by Alpaca's field name from then on
 * (and messages name that field, as the answer does).  An alias naming no
 * column is a mistake in a declaration, found by the first call and by
 * sql/market_data.sql, which calls every function.
 */
void
alpaca_builder_aliases(RowBuilder *rb, const AlpacaAlias *aliases)
{
	if (aliases == NULL || rb->aliases == aliases)
		return;
	if (rb->aliases != NULL)
		elog(ERROR, "a row builder is used with two sets of aliases");
	for (const AlpacaAlias *a = aliases; a->column; a++)
	{
		int			col = alpaca_find_column(rb, a->column, strlen(a->column), INT_MAX);

		if (col < 0)
			elog(ERROR, "row type %s has no column \"%s\" (for field \"%s\")",
				 format_type_be(rb->tupdesc->tdtypeid), a->column, a->field);
		rb->cols[col].name = a->field;
		rb->cols[col].namelen = strlen(a->field);
		if (strchr(a->field, '.'))
			rb->nested = true;
	}
	rb->aliases = aliases;
	for (int i = 0; i < rb->npredict; i++)
		rb->predict[i] = -1;
}

bool
alpaca_nested_object(RowBuilder *rb, const char *s, int n)
{
	if (!rb->nested)
		return false;
	for (int i = 0; i < rb->natts; i++)
	{
		ColInfo    *ci = &rb->cols[i];

		if (ci->name && ci->namelen > n && ci->name[n] == '.' && memcmp(ci->name, s, n) == 0)
			return true;
	}
	return false;
}

/*
 * The column a field named by the n bytes at s fills, or -1.  Fields come
 * in the same order row after row, so the column field k matched last time
 * is tried first.
 */
int
alpaca_find_column(RowBuilder *rb, const char *s, int n, int fieldno)
{
	int			guess = fieldno < rb->npredict ? rb->predict[fieldno] : -1;

	if (guess >= 0 && column_name_is(&rb->cols[guess], s, n))
		return guess;
	for (int i = 0; i < rb->natts; i++)
	{
		if (i != rb->raw_att && column_name_is(&rb->cols[i], s, n))
		{
			if (fieldno < rb->npredict)
				rb->predict[fieldno] = i;
			return i;
		}
	}
	return -1;
}

AlpacaRowSink *
alpaca_rows_begin(FunctionCallInfo fcinfo)
{
	AlpacaRowSink *sink = palloc0(sizeof(AlpacaRowSink));
	ReturnSetInfo *rsinfo;

	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sink->tupstore = rsinfo->setResult;
	sink->rb = alpaca_make_builder(rsinfo->setDesc);
	sink->callcxt = CurrentMemoryContext;
	return sink;
}

void
alpaca_rows_parse(AlpacaRowSink *sink, char *body, size_t len, const AlpacaRowSpec *spec,
				  AlpacaPage *page)
{
	AlpacaPage	dummy;

	if (len == 0)
	{
		memset(page ? page : &dummy, 0, sizeof(AlpacaPage));
		return;
	}
	alpaca_parse_into(sink, body, len, spec, page ? page : &dummy);
}

Datum
alpaca_object_datum(FunctionCallInfo fcinfo, char *body, size_t len)
{
	AlpacaRowSpec spec = {ALPACA_OBJECT};

	return alpaca_row_datum(fcinfo, body, len, &spec);
}

static HeapTuple
row_from(TupleDesc tupdesc, char *body, size_t len, const AlpacaRowSpec *spec)
{
	AlpacaRowSink sink = {0};
	AlpacaPage	page;

	sink.rb = alpaca_make_builder(tupdesc);
	sink.callcxt = CurrentMemoryContext;
	alpaca_parse_into(&sink, body, len, spec, &page);
	if (sink.result == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered with no object where one was expected")));
	return sink.result;
}

/* One object as a row of the given type, by the same strict rules as every answer. */
HeapTuple
alpaca_row_from_json(TupleDesc tupdesc, char *body, size_t len)
{
	AlpacaRowSpec spec = {ALPACA_OBJECT};

	return row_from(tupdesc, body, len, &spec);
}

Datum
alpaca_row_datum(FunctionCallInfo fcinfo, char *body, size_t len, const AlpacaRowSpec *spec)
{
	TupleDesc	tupdesc;

	if (len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered with an empty body")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "function returning a record called in a context that cannot accept it");
	return HeapTupleGetDatum(row_from(BlessTupleDesc(tupdesc), body, len, spec));
}

