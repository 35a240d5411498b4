/*
 * rows.c
 *		Alpaca's JSON answers as PostgreSQL rows, built while the body is parsed.
 *
 * The body is read once by PostgreSQL's own JSON event parser
 * (common/jsonapi.h, the parser behind json and jsonb: strict RFC 8259, no
 * tree), and each row object is turned into a tuple as soon as it closes,
 * then its memory is reset: memory grows with a row, not with the answer,
 * and a list of 30,000 assets costs the body plus the tuplestore.  What an
 * answer must look like is the spec's shape (rows.h); a list where an
 * object belongs, or the reverse, a field twice in one object, parallel
 * arrays of different lengths, nesting deeper than ALPACA_MAX_DEPTH, are
 * errors.  Values are checked by src/scalars.c; the plan for a row type is
 * src/rowbuild.c.
 *
 * Query cancel and statement_timeout are honoured at every value.
 */
#include "postgres.h"

#include <limits.h>

#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "json.h"
#include "redact.h"
#include "rows_internal.h"

/* What the container being read means. */
typedef enum Frame
{
	F_TOP_OBJECT,				/* FIELD_LIST / COLUMNS: the enclosing object */
	F_ROW_LIST,					/* an array whose elements are rows */
	F_ROW,						/* an object whose fields are columns */
	F_FIELD_ARRAY,				/* the array value of an array column */
	F_COLUMN_ARRAY,				/* COLUMNS: one of the parallel arrays */
	F_KEYED,					/* KEYED_*: an object of rows or row lists by
								 * key */
	F_NESTED,					/* an object within a row whose fields fill
								 * columns (a snapshot's latestTrade) */
	F_MAP,						/* MAP: an object of scalars, a row each */
	F_SKIP						/* ignored, or captured as JSON text */
} Frame;

/* What the next value must be. */
typedef enum Role
{
	R_TOP, R_ROW, R_ROW_LIST, R_COLUMN, R_ARRAY_ELEM, R_COLUMN_ELEM,
	R_COLUMNS_FIELD, R_TOKEN, R_KEYED, R_KEYED_VALUE, R_NESTED, R_MAP_VALUE,
	R_IGNORE
} Role;

/* COLUMNS: one top-level field, an array of scalars or one scalar. */
typedef struct ColumnData
{
	char	   *name;
	bool		is_array;
	List	   *tokens;			/* char *, NULL for JSON null */
	List	   *types;			/* JsonTokenType as int */
} ColumnData;

typedef struct ParseState
{
	JsonLexContext *lex;
	const AlpacaRowSpec *spec;
	AlpacaRowSink *sink;
	RowBuilder *rb;
	AlpacaPage *page;
	MemoryContext parsecxt;		/* the parse; deleted at the end */
	MemoryContext rowcxt;		/* one row; reset after each */
	MemoryContext callcxt;		/* the caller's: page results */

	Frame		frames[ALPACA_MAX_DEPTH + 1];
	int			depth;
	Role		role;			/* of the value about to start */
	int			col;			/* R_COLUMN: which column */
	int			key_att;		/* spec's key_field column, or -1 */
	int			order_att;		/* spec's order_field column, or -1 */
	int			json_col;		/* a jsonb column whose value is being read,
								 * or -1: taken as text at the field's end */
	char	   *value_start;	/* where the current value begins */
	char	   *name_from;		/* the next field name follows this point */
	char	   *json_start;		/* where json_col's value begins */
	char	   *row_start;
	int			fieldno;
	const char *field;			/* for error messages: a column name */
	ArrayBuildState *astate;
	char	   *key_text;
	char	   *order_text;
	bool		list_seen;
	List	   *columns;		/* COLUMNS: ColumnData * */
	ColumnData *cur_column;
	int			keycol_att;		/* spec's key_column, or -1 */
	char	   *map_key;		/* KEYED_*, MAP: the field being read (in
								 * parsecxt) */
	bool		top_keyed;		/* the answer itself is the keyed object */
	char	   *nest_prefix;	/* F_NESTED: "latestTrade." */
	int			nest_len;
} ParseState;

static int
byte_offset(ParseState *ps)
{
	char	   *at = ps->lex->token_start ? ps->lex->token_start : ps->lex->input;

	return (int) (at - ps->lex->input);
}

static void pg_attribute_noreturn()
shape_error(ParseState *ps, const char *expected, JsonTokenType got)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("the Alpaca API answered with an unexpected JSON shape"),
			 errdetail("Expected %s, got %s at byte %d%s%s%s.", expected, alpaca_token_kind(got),
					   byte_offset(ps), ps->field ? " (field \"" : "",
					   ps->field ? ps->field : "", ps->field ? "\")" : "")));
}

/*
 * The name of the field about to be read, the first string after
 * name_from, as a span of the body; decoded (palloc'd) only if it has
 * escapes.
 */
static void
field_name(ParseState *ps, const char **s, int *n)
{
	char	   *p = memchr(ps->name_from, '"', ps->lex->token_start - ps->name_from);
	char	   *q = p + 1;
	bool		plain;

	while ((q = memchr(q, '"', ps->lex->token_start - q)) != NULL)
	{
		int			bs = 0;

		/* a quote after an odd number of backslashes is escaped */
		while (q[-1 - bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			break;
		q++;
	}
	alpaca_string_span(p, q + 1, s, n, &plain);
	if (!plain)
	{
		*s = alpaca_unescape(*s, *n);
		*n = strlen(*s);
	}
}

static void
begin_row(ParseState *ps)
{
	RowBuilder *rb = ps->rb;

	if (rb == NULL)
		elog(ERROR, "row object without a row type");
	MemoryContextSwitchTo(ps->rowcxt);
	for (int i = 0; i < rb->natts; i++)
	{
		rb->values[i] = (Datum) 0;
		rb->nulls[i] = true;
		rb->seen[i] = false;
	}
	ps->row_start = ps->lex->token_start;
	ps->fieldno = 0;
	ps->key_text = NULL;
	ps->order_text = NULL;
	if (ps->keycol_att >= 0 && (ps->map_key || ps->spec->key_value))
	{
		ColInfo    *ci = &rb->cols[ps->keycol_att];

		rb->values[ps->keycol_att] = alpaca_convert_scalar(&ci->conv, ci->name,
														   ps->map_key ? ps->map_key : pstrdup(ps->spec->key_value),
														   JSON_TOKEN_STRING, &rb->nulls[ps->keycol_att]);
	}
}

static void
end_row(ParseState *ps)
{
	RowBuilder *rb = ps->rb;
	AlpacaRowSink *sink = ps->sink;
	const AlpacaRowSpec *spec = ps->spec;
	bool		keep = true;

	if (rb->raw_att >= 0)
	{
		rb->values[rb->raw_att] = alpaca_json_text_datum(&rb->cols[rb->raw_att].conv, ps->row_start,
												  ps->lex->prev_token_terminator);
		rb->nulls[rb->raw_att] = false;
	}
	ps->page->parsed++;
	if (spec->finish)
		spec->finish(rb->tupdesc, rb->values, rb->nulls);
	if (spec->keep)
		keep = spec->keep(spec->keep_arg, ps->key_text);
	if (keep)
	{
		if (sink->tupstore)
			tuplestore_putvalues(sink->tupstore, rb->tupdesc, rb->values, rb->nulls);
		else
		{
			MemoryContext old = MemoryContextSwitchTo(sink->callcxt);

			if (sink->result)
				elog(ERROR, "more than one row for a one-row result");
			sink->result = heap_form_tuple(rb->tupdesc, rb->values, rb->nulls);
			MemoryContextSwitchTo(old);
		}
		ps->page->added++;
	}
	if (spec->key_field)
		ps->page->last_key = ps->key_text ? MemoryContextStrdup(ps->callcxt, ps->key_text) : NULL;
	if (spec->order_field)
		ps->page->last_order = ps->order_text ? MemoryContextStrdup(ps->callcxt, ps->order_text) : NULL;
	MemoryContextSwitchTo(ps->parsecxt);
	MemoryContextReset(ps->rowcxt);
}

static void
push(ParseState *ps, Frame f)
{
	CHECK_FOR_INTERRUPTS();
	if (ps->depth >= ALPACA_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered with JSON nested too deeply"),
				 errdetail("More than %d levels at byte %d.", ALPACA_MAX_DEPTH, byte_offset(ps))));
	ps->frames[++ps->depth] = f;
}

static void
on_object_start(void *arg)
{
	ParseState *ps = arg;
	Frame		f = F_SKIP;

	ps->name_from = ps->lex->token_start;
	switch (ps->role)
	{
		case R_TOP:
			switch (ps->spec->shape)
			{
				case ALPACA_LIST:
					shape_error(ps, "an array of objects", JSON_TOKEN_OBJECT_START);
					break;
				case ALPACA_FIELD_LIST:
				case ALPACA_COLUMNS:
				case ALPACA_FIELD_OBJECT:
					f = F_TOP_OBJECT;
					break;
				case ALPACA_KEYED_LISTS:
				case ALPACA_KEYED_OBJECTS:
					f = ps->spec->list_field ? F_TOP_OBJECT : F_KEYED;
					ps->top_keyed = ps->spec->list_field == NULL;
					break;
				case ALPACA_MAP:
					f = F_MAP;
					break;
				default:
					f = F_ROW;
					break;
			}
			break;
		case R_ROW:
			f = F_ROW;
			break;
		case R_KEYED:
			f = F_KEYED;
			ps->list_seen = true;
			break;
		case R_KEYED_VALUE:
			if (ps->spec->shape == ALPACA_KEYED_LISTS)
				shape_error(ps, "an array of objects", JSON_TOKEN_OBJECT_START);
			f = F_ROW;
			break;
		case R_NESTED:
			f = F_NESTED;
			break;
		case R_MAP_VALUE:
			shape_error(ps, "a scalar", JSON_TOKEN_OBJECT_START);
			break;
		case R_ROW_LIST:
			shape_error(ps, "an array of objects", JSON_TOKEN_OBJECT_START);
			break;
		case R_COLUMN:
			if (ps->rb->cols[ps->col].conv.kind != COL_JSON)
				alpaca_value_error(ps->rb->cols[ps->col].name,
							ps->rb->cols[ps->col].conv.kind == COL_ARRAY ? "an array" : "a scalar",
							JSON_TOKEN_OBJECT_START, NULL);
			break;
		case R_ARRAY_ELEM:
		case R_COLUMN_ELEM:
			alpaca_value_error(ps->field, "an array of scalars", JSON_TOKEN_OBJECT_START, NULL);
			break;
		case R_TOKEN:
			alpaca_value_error(ps->spec->token_field, "a string", JSON_TOKEN_OBJECT_START, NULL);
			break;
		case R_COLUMNS_FIELD:
		case R_IGNORE:
			break;
	}
	push(ps, f);
	if (f == F_ROW)
		begin_row(ps);
}

static void
on_object_end(void *arg)
{
	ParseState *ps = arg;

	if (ps->frames[ps->depth] == F_ROW)
		end_row(ps);
	ps->depth--;
}

static void
on_array_start(void *arg)
{
	ParseState *ps = arg;
	Frame		f = F_SKIP;

	switch (ps->role)
	{
		case R_TOP:
			if (ps->spec->shape != ALPACA_LIST && ps->spec->shape != ALPACA_OBJECT_OR_LIST)
				shape_error(ps, "an object", JSON_TOKEN_ARRAY_START);
			f = F_ROW_LIST;
			break;
		case R_ROW:
			shape_error(ps, ps->frames[ps->depth] == F_TOP_OBJECT ? "an object" :
						"an object as element of the list", JSON_TOKEN_ARRAY_START);
			break;
		case R_KEYED:
			shape_error(ps, "an object", JSON_TOKEN_ARRAY_START);
			break;
		case R_KEYED_VALUE:
			if (ps->spec->shape != ALPACA_KEYED_LISTS)
				shape_error(ps, "an object", JSON_TOKEN_ARRAY_START);
			f = F_ROW_LIST;
			break;
		case R_NESTED:
			alpaca_value_error(ps->field, "an object", JSON_TOKEN_ARRAY_START, NULL);
			break;
		case R_MAP_VALUE:
			shape_error(ps, "a scalar", JSON_TOKEN_ARRAY_START);
			break;
		case R_ROW_LIST:
			f = F_ROW_LIST;
			ps->list_seen = true;
			break;
		case R_COLUMN:
			{
				ColInfo    *ci = &ps->rb->cols[ps->col];

				if (ci->conv.kind == COL_ARRAY)
				{
					f = F_FIELD_ARRAY;
					ps->astate = initArrayResult(ci->elem.typid, ps->rowcxt, false);
				}
				else if (ci->conv.kind != COL_JSON)
					alpaca_value_error(ci->name, "a scalar", JSON_TOKEN_ARRAY_START, NULL);
				break;
			}
		case R_ARRAY_ELEM:
		case R_COLUMN_ELEM:
			alpaca_value_error(ps->field, "an array of scalars", JSON_TOKEN_ARRAY_START, NULL);
			break;
		case R_TOKEN:
			alpaca_value_error(ps->spec->token_field, "a string", JSON_TOKEN_ARRAY_START, NULL);
			break;
		case R_COLUMNS_FIELD:
			f = F_COLUMN_ARRAY;
			ps->cur_column->is_array = true;
			break;
		case R_IGNORE:
			break;
	}
	push(ps, f);
}

static void
on_array_end(void *arg)
{
	ParseState *ps = arg;

	if (ps->frames[ps->depth] == F_FIELD_ARRAY)
	{
		ps->rb->values[ps->col] = makeArrayResult(ps->astate, CurrentMemoryContext);
		ps->rb->nulls[ps->col] = false;
		ps->astate = NULL;
	}
	ps->depth--;
}

static void
on_array_element_start(void *arg, bool isnull)
{
	ParseState *ps = arg;

	ps->value_start = ps->lex->token_start;
	switch (ps->frames[ps->depth])
	{
		case F_ROW_LIST:
			ps->role = R_ROW;
			break;
		case F_FIELD_ARRAY:
			ps->role = R_ARRAY_ELEM;
			break;
		case F_COLUMN_ARRAY:
			ps->role = R_COLUMN_ELEM;
			break;
		default:
			ps->role = R_IGNORE;
			break;
	}
}

/* A field of a row object (or of an object nested in one): the column it fills. */
static void
row_field(ParseState *ps, const char *name, int namelen)
{
	int			col = alpaca_find_column(ps->rb, name, namelen, ps->fieldno++);

	ps->role = R_IGNORE;
	ps->json_col = -1;
	if (col < 0)
	{
		/* an object whose fields are columns of their own: one level deep */
		if (ps->frames[ps->depth] == F_ROW && alpaca_nested_object(ps->rb, name, namelen))
		{
			ps->nest_prefix = MemoryContextAlloc(ps->rowcxt, namelen + 2);
			memcpy(ps->nest_prefix, name, namelen);
			ps->nest_prefix[namelen] = '.';
			ps->nest_prefix[namelen + 1] = '\0';
			ps->nest_len = namelen + 1;
			/* a fault names the object itself, without the dot */
			ps->field = MemoryContextStrdup(ps->rowcxt, ps->nest_prefix);
			((char *) ps->field)[namelen] = '\0';
			ps->role = R_NESTED;
		}
		return;
	}
	if (ps->rb->seen[col])
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered with field \"%s\" twice in one object",
						ps->rb->cols[col].name),
				 errdetail("At byte %d.", byte_offset(ps))));
	ps->rb->seen[col] = true;
	ps->json_col = ps->rb->cols[col].conv.kind == COL_JSON ? col : -1;
	ps->json_start = ps->value_start;
	ps->role = R_COLUMN;
	ps->col = col;
	ps->field = ps->rb->cols[col].name;
}

/* KEYED_*, MAP: the field's name is the rows' key, kept until the next */
static void
keyed_field(ParseState *ps)
{
	const char *name;
	int			namelen;

	field_name(ps, &name, &namelen);
	if (ps->map_key)
		pfree(ps->map_key);
	ps->map_key = MemoryContextAlloc(ps->parsecxt, namelen + 1);
	memcpy(ps->map_key, name, namelen);
	ps->map_key[namelen] = '\0';
	ps->field = ps->map_key;
}

static void
on_field_start(void *arg, char *fname, bool isnull)
{
	ParseState *ps = arg;
	const AlpacaRowSpec *spec = ps->spec;

	ps->value_start = ps->lex->token_start;
	switch (ps->frames[ps->depth])
	{
		case F_ROW:
			{
				const char *name;
				int			namelen;

				field_name(ps, &name, &namelen);
				row_field(ps, name, namelen);
				break;
			}
		case F_NESTED:
			{
				const char *name;
				int			namelen;
				char	   *full;

				field_name(ps, &name, &namelen);
				full = palloc(ps->nest_len + namelen + 1);
				memcpy(full, ps->nest_prefix, ps->nest_len);
				memcpy(full + ps->nest_len, name, namelen);
				full[ps->nest_len + namelen] = '\0';
				row_field(ps, full, ps->nest_len + namelen);
				break;
			}
		case F_KEYED:
			keyed_field(ps);
			ps->role = R_KEYED_VALUE;
			break;
		case F_MAP:
			keyed_field(ps);
			ps->role = R_MAP_VALUE;
			break;
		case F_TOP_OBJECT:
			{
				const char *name;
				int			namelen;

				field_name(ps, &name, &namelen);
				fname = pnstrdup(name, namelen);
			}
			if (spec->list_field && strcmp(fname, spec->list_field) == 0)
			{
				if (ps->list_seen)
					ereport(ERROR,
							(errcode(ERRCODE_PROTOCOL_VIOLATION),
							 errmsg("the Alpaca API answered with field \"%s\" twice in one object",
									spec->list_field)));
				ps->role = spec->shape == ALPACA_FIELD_OBJECT ? R_ROW :
					(spec->shape == ALPACA_KEYED_LISTS || spec->shape == ALPACA_KEYED_OBJECTS) ? R_KEYED :
					R_ROW_LIST;
				if (ps->role == R_ROW)
					ps->list_seen = true;
				ps->field = spec->list_field;
			}
			else if (spec->token_field && strcmp(fname, spec->token_field) == 0)
				ps->role = R_TOKEN;
			else if (spec->shape == ALPACA_COLUMNS)
			{
				ColumnData *cd = palloc0(sizeof(ColumnData));

				for (ListCell *lc = list_head(ps->columns); lc; lc = lnext(ps->columns, lc))
					if (strcmp(((ColumnData *) lfirst(lc))->name, fname) == 0)
						ereport(ERROR,
								(errcode(ERRCODE_PROTOCOL_VIOLATION),
								 errmsg("the Alpaca API answered with a field twice in one object"),
								 errdetail("Field %s at byte %d.", alpaca_quote(fname, strlen(fname)),
										   byte_offset(ps))));
				cd->name = fname;
				ps->columns = lappend(ps->columns, cd);
				ps->cur_column = cd;
				ps->role = R_COLUMNS_FIELD;
				ps->field = NULL;
			}
			else
				ps->role = R_IGNORE;
			break;
		default:
			ps->role = R_IGNORE;
			break;
	}
}

static void
on_field_end(void *arg, char *fname, bool isnull)
{
	ParseState *ps = arg;

	ps->name_from = ps->lex->token_start;
	if ((ps->frames[ps->depth] == F_ROW || ps->frames[ps->depth] == F_NESTED) && ps->json_col >= 0)
	{
		if (!isnull)
		{
			ColInfo    *ci = &ps->rb->cols[ps->json_col];

			ps->rb->values[ps->json_col] = alpaca_json_text_datum(&ci->conv, ps->json_start,
														   ps->lex->prev_token_terminator);
			ps->rb->nulls[ps->json_col] = false;
		}
		ps->json_col = -1;
	}
	switch (ps->frames[ps->depth])
	{
		case F_ROW:
		case F_NESTED:
		case F_TOP_OBJECT:
		case F_KEYED:
		case F_MAP:
			ps->role = R_IGNORE;
			ps->field = NULL;
			break;
		default:
			break;
	}
}

static void
on_scalar(void *arg, char *token, JsonTokenType tt)
{
	ParseState *ps = arg;

	CHECK_FOR_INTERRUPTS();
	/* strings are read from the body (the lexer makes no copy of them) */
	if (tt == JSON_TOKEN_STRING && ps->role != R_IGNORE && ps->role != R_TOP && ps->role != R_ROW &&
		ps->role != R_ROW_LIST)
	{
		if (ps->role == R_COLUMN && ps->rb->cols[ps->col].conv.typid == TEXTOID &&
			ps->col != ps->key_att && ps->col != ps->order_att)
		{
			const char *s;
			int			n;
			bool		plain;

			alpaca_string_span(ps->value_start, ps->lex->prev_token_terminator, &s, &n, &plain);
			ps->rb->values[ps->col] = PointerGetDatum(plain ? cstring_to_text_with_len(s, n) :
													  cstring_to_text(alpaca_unescape(s, n)));
			ps->rb->nulls[ps->col] = false;
			return;
		}
		token = alpaca_string_value(ps->value_start, ps->lex->prev_token_terminator);
	}
	switch (ps->role)
	{
		case R_TOP:
			shape_error(ps, ps->spec->shape == ALPACA_LIST ? "an array of objects" : "an object", tt);
			break;
		case R_ROW:
			shape_error(ps, ps->frames[ps->depth] == F_TOP_OBJECT ? "an object" :
						"an object as element of the list", tt);
			break;
		case R_ROW_LIST:
			if (tt != JSON_TOKEN_NULL)
				shape_error(ps, "an array of objects", tt);
			ps->list_seen = true;
			break;
		case R_COLUMN:
			{
				ColInfo    *ci = &ps->rb->cols[ps->col];
				const char *name = ci->name;

				if (ci->conv.kind == COL_JSON)
					break;		/* taken as JSON text at the field's end */
				if (ci->conv.kind == COL_ARRAY && tt != JSON_TOKEN_NULL)
					alpaca_value_error(name, "an array", tt, token);
				ps->rb->values[ps->col] = alpaca_convert_scalar(&ci->conv, name, token, tt,
														 &ps->rb->nulls[ps->col]);
				if (ps->col == ps->key_att)
					ps->key_text = token;
				if (ps->col == ps->order_att)
					ps->order_text = token;
				break;
			}
		case R_ARRAY_ELEM:
			{
				ColInfo    *ci = &ps->rb->cols[ps->col];
				bool		isnull;
				Datum		d = alpaca_convert_scalar(&ci->elem, ci->name, token, tt, &isnull);

				ps->astate = accumArrayResult(ps->astate, d, isnull, ci->elem.typid, ps->rowcxt);
				break;
			}
		case R_COLUMN_ELEM:
		case R_COLUMNS_FIELD:
			ps->cur_column->tokens = lappend(ps->cur_column->tokens,
											 tt == JSON_TOKEN_NULL ? NULL : token);
			ps->cur_column->types = lappend_int(ps->cur_column->types, (int) tt);
			break;
		case R_TOKEN:
			if (tt == JSON_TOKEN_STRING)
				ps->page->token = token[0] ? MemoryContextStrdup(ps->callcxt, token) : NULL;
			else if (tt != JSON_TOKEN_NULL)
				alpaca_value_error(ps->spec->token_field, "a string", tt, token);
			break;
		case R_KEYED:
			/* null: no rows */
			if (tt != JSON_TOKEN_NULL)
				shape_error(ps, "an object", tt);
			ps->list_seen = true;
			break;
		case R_KEYED_VALUE:

			/*
			 * null: no row for the key.  Beside the rows of an answer that is
			 * itself keyed (snapshots, movers) Alpaca sends a few strings of
			 * its own ("currency", "last_updated"): not rows.
			 */
			if (tt == JSON_TOKEN_NULL || (tt == JSON_TOKEN_STRING && ps->top_keyed))
				break;
			shape_error(ps, ps->spec->shape == ALPACA_KEYED_LISTS ? "an array of objects" : "an object", tt);
			break;
		case R_NESTED:
			if (tt != JSON_TOKEN_NULL)
				alpaca_value_error(ps->field, "an object", tt, token);
			break;
		case R_MAP_VALUE:
			{
				RowBuilder *rb = ps->rb;
				int			col = ps->spec->value_column ?
					alpaca_find_column(rb, ps->spec->value_column, strlen(ps->spec->value_column), INT_MAX) : -1;

				if (col < 0)
					elog(ERROR, "a map answer without its value column");
				begin_row(ps);
				rb->values[col] = alpaca_convert_scalar(&rb->cols[col].conv, ps->map_key, token, tt,
														&rb->nulls[col]);
				end_row(ps);
				break;
			}
		case R_IGNORE:
			break;
	}
}

/*
 * COLUMNS: row k takes element k of every array field that names a column,
 * and every scalar field.  Arrays of different lengths are an error, not
 * rows with holes.
 */
static void
emit_columns(ParseState *ps)
{
	RowBuilder *rb = ps->rb;
	int			n = -1;
	ColumnData **bycol = palloc0(sizeof(ColumnData *) * rb->natts);

	for (ListCell *lc = list_head(ps->columns); lc; lc = lnext(ps->columns, lc))
	{
		ColumnData *cd = lfirst(lc);
		int			col = alpaca_find_column(rb, cd->name, strlen(cd->name), 0);

		if (col < 0)
			continue;
		bycol[col] = cd;
		if (!cd->is_array)
			continue;
		if (n >= 0 && list_length(cd->tokens) != n)
			ereport(ERROR,
					(errcode(ERRCODE_PROTOCOL_VIOLATION),
					 errmsg("the Alpaca API answered with parallel arrays of different lengths"),
					 errdetail("Field \"%s\" has %d elements, an earlier one %d.",
							   rb->cols[col].name, list_length(cd->tokens), n)));
		n = list_length(cd->tokens);
	}
	for (int k = 0; k < n; k++)
	{
		begin_row(ps);
		for (int col = 0; col < rb->natts; col++)
		{
			ColumnData *cd = bycol[col];
			int			idx = (cd && cd->is_array) ? k : 0;

			if (cd == NULL || list_length(cd->tokens) <= idx)
				continue;
			if (rb->cols[col].conv.kind == COL_JSON)
				elog(ERROR, "jsonb columns are not supported in parallel arrays");
			rb->values[col] = alpaca_convert_scalar(&rb->cols[col].conv, rb->cols[col].name,
											 list_nth(cd->tokens, idx),
											 (JsonTokenType) list_nth_int(cd->types, idx),
											 &rb->nulls[col]);
		}
		/* not a span of the body: no raw column in this shape */
		rb->raw_att = -1;
		end_row(ps);
	}
}

static void
parse_error_context(void *arg)
{
	ParseState *ps = arg;

	if (ps->field)
		errcontext("reading field \"%s\" of an Alpaca answer, at byte %d", ps->field, byte_offset(ps));
}

/* Parse one body into the sink; the parse's memory is gone when this returns. */
void
alpaca_parse_into(AlpacaRowSink *sink, char *body, size_t len, const AlpacaRowSpec *spec, AlpacaPage *page)
{
	ParseState ps;
	JsonSemAction sem;
	JsonParseErrorType rc;
	ErrorContextCallback errcb;
	MemoryContext old;

	if (len > (size_t) INT_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the Alpaca API answer is too large to parse")));
	memset(page, 0, sizeof(*page));
	memset(&ps, 0, sizeof(ps));
	ps.spec = spec;
	ps.sink = sink;
	ps.rb = sink->rb;
	ps.page = page;
	ps.callcxt = CurrentMemoryContext;
	ps.parsecxt = AllocSetContextCreate(CurrentMemoryContext, "alpaca parse", ALLOCSET_DEFAULT_SIZES);
	ps.rowcxt = AllocSetContextCreate(ps.parsecxt, "alpaca row", ALLOCSET_DEFAULT_SIZES);
	ps.role = R_TOP;
	ps.json_col = -1;
	ps.key_att = (spec->key_field && ps.rb) ?
		alpaca_find_column(ps.rb, spec->key_field, strlen(spec->key_field), INT_MAX) : -1;
	ps.order_att = (spec->order_field && ps.rb) ?
		alpaca_find_column(ps.rb, spec->order_field, strlen(spec->order_field), INT_MAX) : -1;
	ps.keycol_att = (spec->key_column && ps.rb) ?
		alpaca_find_column(ps.rb, spec->key_column, strlen(spec->key_column), INT_MAX) : -1;
	if (spec->key_column && ps.keycol_att < 0)
		elog(ERROR, "row type has no key column \"%s\"", spec->key_column);
	if (ps.rb && spec->aliases)
		alpaca_builder_aliases(ps.rb, spec->aliases);

	old = MemoryContextSwitchTo(ps.parsecxt);
	/* no de-escaped copies from the lexer: strings are read from their spans */
	ps.lex = makeJsonLexContextCstringLen(body, (int) len, GetDatabaseEncoding(), false);
	memset(&sem, 0, sizeof(sem));
	sem.semstate = &ps;
	sem.object_start = on_object_start;
	sem.object_end = on_object_end;
	sem.array_start = on_array_start;
	sem.array_end = on_array_end;
	sem.array_element_start = on_array_element_start;
	sem.object_field_start = on_field_start;
	sem.object_field_end = on_field_end;
	sem.scalar = on_scalar;

	errcb.callback = parse_error_context;
	errcb.arg = &ps;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;

	rc = pg_parse_json(ps.lex, &sem);
	if (rc != JSON_SUCCESS)
		alpaca_json_fail(ps.lex, rc, ps.field);
	if (spec->shape == ALPACA_COLUMNS)
		emit_columns(&ps);

	error_context_stack = errcb.previous;
	MemoryContextSwitchTo(old);
	MemoryContextDelete(ps.parsecxt);
}

