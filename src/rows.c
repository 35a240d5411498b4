/*
 * rows.c
 *		Alpaca's JSON answers as PostgreSQL rows, built while the body is parsed.
 *
 * A row type declared in SQL names its columns after Alpaca's fields.  The
 * body is read once by PostgreSQL's own JSON parser (common/jsonapi.h, the
 * event parser behind json and jsonb: strict RFC 8259, no tree), and each
 * row object is turned into a tuple as soon as it closes, then its memory is
 * reset: memory grows with a row, not with the answer, and a list of 30,000
 * assets costs the body plus the tuplestore (which spills past work_mem).
 *
 * Nothing from the wire is trusted.  Each column's type decides what it
 * accepts, checked before its input function sees the text, so PostgreSQL's
 * special words ("now", "infinity", "NaN") never become values: numeric
 * takes a JSON number or a decimal string as its exact text, any length;
 * integers only integers in range; timestamptz RFC 3339 or an in-range
 * epoch integer; date YYYY-MM-DD (or an RFC 3339 time, whose date as
 * written is taken: Alpaca's NonTradeActivities.date is one); uuid the 8-4-4-4-12 form; boolean true or
 * false.  Alpaca sends "" for "absent" in non-text fields: that is NULL.  A
 * jsonb column takes any value as its JSON text; a column named "raw" of
 * type jsonb takes the whole object.  Fields no column names are ignored
 * (Alpaca adds fields), but a field that appears twice is an error, and so
 * is a list where an object belongs or the reverse.
 *
 * Query cancel and statement_timeout are honoured at every value.
 */
#include "postgres.h"

#include <limits.h>

#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "errors.h"
#include "rows.h"

typedef enum ColKind
{
	COL_TEXT, COL_NUMERIC, COL_INT, COL_BOOL, COL_TIME, COL_DATE, COL_CLOCK, COL_UUID,
	COL_JSON, COL_ARRAY, COL_OTHER
} ColKind;

/* How one column of the row type reads its value. */
typedef struct Conv
{
	ColKind		kind;
	Oid			typid;
	int32		typmod;
	Oid			ioparam;
	FmgrInfo	infunc;
} Conv;

typedef struct ColInfo
{
	const char *name;
	int			namelen;
	Conv		conv;
	Conv		elem;			/* COL_ARRAY: its elements */
	int16		elmlen;
	bool		elmbyval;
	char		elmalign;
} ColInfo;

/* Everything needed to fill rows of one type, set up once per call. */
typedef struct RowBuilder
{
	TupleDesc	tupdesc;
	int			natts;
	ColInfo    *cols;
	int			raw_att;		/* "raw" jsonb column, or -1 */
	int		   *predict;		/* column that field k matched last time */
	int			npredict;
	Datum	   *values;
	bool	   *nulls;
	bool	   *seen;
} RowBuilder;

struct AlpacaRowSink
{
	RowBuilder *rb;
	Tuplestorestate *tupstore;	/* NULL: one row, kept in result */
	HeapTuple	result;
	MemoryContext callcxt;
};

/* What the container being read means. */
typedef enum Frame
{
	F_TOP_OBJECT,				/* FIELD_LIST / COLUMNS: the enclosing object */
	F_ROW_LIST,					/* an array whose elements are rows */
	F_ROW,						/* an object whose fields are columns */
	F_FIELD_ARRAY,				/* the array value of an array column */
	F_COLUMN_ARRAY,				/* COLUMNS: one of the parallel arrays */
	F_SKIP						/* ignored, or captured as JSON text */
} Frame;

/* What the next value must be. */
typedef enum Role
{
	R_TOP, R_ROW, R_ROW_LIST, R_COLUMN, R_ARRAY_ELEM, R_COLUMN_ELEM,
	R_COLUMNS_FIELD, R_TOKEN, R_IGNORE
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
} ParseState;

static const char *
token_kind(JsonTokenType tt)
{
	switch (tt)
	{
		case JSON_TOKEN_STRING:
			return "a string";
		case JSON_TOKEN_NUMBER:
			return "a number";
		case JSON_TOKEN_TRUE:
		case JSON_TOKEN_FALSE:
			return "a boolean";
		case JSON_TOKEN_NULL:
			return "null";
		case JSON_TOKEN_OBJECT_START:
			return "an object";
		case JSON_TOKEN_ARRAY_START:
			return "an array";
		default:
			return "a value";
	}
}

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
			 errdetail("Expected %s, got %s at byte %d%s%s%s.", expected, token_kind(got),
					   byte_offset(ps), ps->field ? " (field \"" : "",
					   ps->field ? ps->field : "", ps->field ? "\")" : "")));
}

static void pg_attribute_noreturn()
value_error(const char *field, const char *expected, JsonTokenType tt, const char *token)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("the Alpaca API answered with an invalid value in field \"%s\"", field),
			 errdetail("Expected %s, got %s%s%s.", expected, token_kind(tt),
					   token ? " " : "", token ? alpaca_quote(token, strlen(token)) : "")));
}

/* Strict forms, checked before a type's input function sees the text. */
static bool
all_digits(const char *p, int min, int max)
{
	int			n = 0;

	for (; *p; p++, n++)
		if (*p < '0' || *p > '9' || n >= max)
			return false;
	return n >= min;
}

static bool
is_integer(const char *s)
{
	return all_digits(*s == '-' ? s + 1 : s, 1, 19);
}

/* JSON's number grammar, which Alpaca's decimal strings follow too. */
static bool
is_decimal(const char *s, int len)
{
	return len > 0 && IsValidJsonNumber(s, len);
}

static bool
fixed(const char **p, int n)
{
	for (int i = 0; i < n; i++)
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
	*p += n;
	return true;
}

static bool
is_date(const char *s)
{
	return fixed(&s, 4) && *s++ == '-' && fixed(&s, 2) && *s++ == '-' && fixed(&s, 2) && *s == '\0';
}

/* RFC 3339: 2026-11-25T15:04:05.123456789Z, or with an offset. */
static bool
is_rfc3339(const char *s)
{
	if (!(fixed(&s, 4) && *s++ == '-' && fixed(&s, 2) && *s++ == '-' && fixed(&s, 2)))
		return false;
	if (*s != 'T' && *s != 't' && *s != ' ')
		return false;
	s++;
	if (!(fixed(&s, 2) && *s++ == ':' && fixed(&s, 2) && *s++ == ':' && fixed(&s, 2)))
		return false;
	if (*s == '.')
	{
		int			n = 0;

		for (s++; *s >= '0' && *s <= '9'; s++)
			n++;
		if (n == 0 || n > 12)
			return false;
	}
	if (*s == 'Z' || *s == 'z')
		return s[1] == '\0';
	if (*s != '+' && *s != '-')
		return false;
	s++;
	return fixed(&s, 2) && *s++ == ':' && fixed(&s, 2) && *s == '\0';
}

/*
 * A time of day: HH:MM, HH:MM:SS or HH:MM:SS.fraction (the calendar's open
 * and close), or HHMM (its session_open and session_close).
 */
static bool
is_clock(const char *s)
{
	if (all_digits(s, 4, 4))
		return true;
	if (!(fixed(&s, 2) && *s++ == ':' && fixed(&s, 2)))
		return false;
	if (*s == '\0')
		return true;
	if (!(*s++ == ':' && fixed(&s, 2)))
		return false;
	if (*s == '.')
		return all_digits(s + 1, 1, 12);
	return *s == '\0';
}

static bool
is_uuid(const char *s)
{
	static const int groups[] = {8, 4, 4, 4, 12};

	for (int g = 0; g < 5; g++)
	{
		for (int i = 0; i < groups[g]; i++, s++)
			if (!isxdigit((unsigned char) *s))
				return false;
		if (*s++ != (g < 4 ? '-' : '\0'))
			return false;
	}
	return true;
}

static int
hexval(char c)
{
	return c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* A checked 8-4-4-4-12 uuid, without uuid_in's strtoul per byte. */
static Datum
uuid_datum(const char *s)
{
	pg_uuid_t  *u = palloc(sizeof(pg_uuid_t));

	for (int i = 0; i < UUID_LEN; i++)
	{
		if (*s == '-')
			s++;
		u->data[i] = (unsigned char) (hexval(s[0]) << 4 | hexval(s[1]));
		s += 2;
	}
	return UUIDPGetDatum(u);
}

static void pg_attribute_noreturn()
escape_error(const char *why)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("the Alpaca API answered with invalid JSON"),
			 errdetail("%s.", why)));
}

/*
 * The value of a JSON string whose escapes the lexer has already checked
 * for form; what it leaves to its de-escaping (surrogate pairs, \u0000,
 * characters the server encoding lacks) is checked here.
 */
static char *
unescape(const char *s, int n)
{
	StringInfoData buf;

	initStringInfo(&buf);
	for (int i = 0; i < n; i++)
	{
		char		c = s[i];

		if (c != '\\')
		{
			appendStringInfoChar(&buf, c);
			continue;
		}
		c = s[++i];
		switch (c)
		{
			case 'b':
				appendStringInfoChar(&buf, '\b');
				break;
			case 'f':
				appendStringInfoChar(&buf, '\f');
				break;
			case 'n':
				appendStringInfoChar(&buf, '\n');
				break;
			case 'r':
				appendStringInfoChar(&buf, '\r');
				break;
			case 't':
				appendStringInfoChar(&buf, '\t');
				break;
			case 'u':
				{
					pg_wchar	cp = 0;
					unsigned char out[MAX_UNICODE_EQUIVALENT_STRING + 1];

					for (int k = 1; k <= 4; k++)
						cp = cp * 16 + hexval(s[i + k]);
					i += 4;
					if (is_utf16_surrogate_first(cp))
					{
						pg_wchar	lo = 0;

						if (i + 6 >= n || s[i + 1] != '\\' || s[i + 2] != 'u')
							escape_error("A \\u high surrogate is not followed by a low one");
						for (int k = 3; k <= 6; k++)
							lo = lo * 16 + hexval(s[i + k]);
						if (!is_utf16_surrogate_second(lo))
							escape_error("A \\u high surrogate is not followed by a low one");
						cp = surrogate_pair_to_codepoint(cp, lo);
						i += 6;
					}
					else if (is_utf16_surrogate_second(cp))
						escape_error("A \\u low surrogate has no high one before it");
					if (cp == 0)
						escape_error("\\u0000 cannot be text");
					pg_unicode_to_server(cp, out);
					appendStringInfoString(&buf, (char *) out);
					break;
				}
			default:			/* " \ / */
				appendStringInfoChar(&buf, c);
				break;
		}
	}
	return buf.data;
}

/*
 * A string token spanning [start, end), quotes included.  Without escapes
 * its text is the span itself: *plain is set and *s, *n point into the body.
 */
static void
string_span(char *start, char *end, const char **s, int *n, bool *plain)
{
	*s = start + 1;
	*n = (int) (end - start) - 2;
	*plain = memchr(*s, '\\', *n) == NULL;
}

static char *
string_value(char *start, char *end)
{
	const char *s;
	int			n;
	bool		plain;

	string_span(start, end, &s, &n, &plain);
	return plain ? pnstrdup(s, n) : unescape(s, n);
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
	string_span(p, q + 1, s, n, &plain);
	if (!plain)
	{
		*s = unescape(*s, *n);
		*n = strlen(*s);
	}
}

/* Later than this is not a time Alpaca means: 9999-12-31T23:59:59Z. */
#define MAX_EPOCH INT64CONST(253402300799)

/*
 * One scalar as a column value.  *isnull is set for JSON null and for ""
 * in a non-text column.
 */
static Datum
convert_scalar(Conv *c, const char *field, char *token, JsonTokenType tt, bool *isnull)
{
	bool		is_string = (tt == JSON_TOKEN_STRING);

	*isnull = false;
	if (tt == JSON_TOKEN_NULL || (is_string && token[0] == '\0' && c->kind != COL_TEXT))
	{
		*isnull = true;
		return (Datum) 0;
	}
	switch (c->kind)
	{
		case COL_TEXT:
			break;
		case COL_NUMERIC:
			if (tt != JSON_TOKEN_NUMBER && !(is_string && is_decimal(token, strlen(token))))
				value_error(field, "a decimal number", tt, token);
			break;
		case COL_INT:
			{
				int64		v;

				if ((tt != JSON_TOKEN_NUMBER && !is_string) || !is_integer(token))
					value_error(field, "an integer", tt, token);
				errno = 0;
				v = strtoi64(token, NULL, 10);
				if (errno == ERANGE ||
					(c->typid == INT4OID && (v < PG_INT32_MIN || v > PG_INT32_MAX)) ||
					(c->typid == INT2OID && (v < PG_INT16_MIN || v > PG_INT16_MAX)))
					value_error(field, psprintf("an integer in the range of %s", format_type_be(c->typid)),
								tt, token);
				return c->typid == INT8OID ? Int64GetDatum(v) :
					c->typid == INT4OID ? Int32GetDatum((int32) v) : Int16GetDatum((int16) v);
			}
		case COL_BOOL:
			if (tt == JSON_TOKEN_TRUE || (is_string && strcmp(token, "true") == 0))
				return BoolGetDatum(true);
			if (tt == JSON_TOKEN_FALSE || (is_string && strcmp(token, "false") == 0))
				return BoolGetDatum(false);
			value_error(field, "true or false", tt, token);
			break;
		case COL_TIME:
			if (tt == JSON_TOKEN_NUMBER)
			{
				int64		secs;

				if (!is_integer(token) ||
					(secs = strtoi64(token, NULL, 10)) > MAX_EPOCH || secs < -MAX_EPOCH)
					value_error(field, "an RFC 3339 time or epoch seconds in range", tt, token);
				return TimestampTzGetDatum(time_t_to_timestamptz((pg_time_t) secs));
			}
			if (!is_string || !is_rfc3339(token))
				value_error(field, "an RFC 3339 time", tt, token);
			break;
		case COL_DATE:
			/* Alpaca sends some dates as date-times: the date as written */
			if (is_string && is_rfc3339(token))
				token[10] = '\0';
			if (!is_string || !is_date(token))
				value_error(field, "a date (YYYY-MM-DD)", tt, token);
			break;
		case COL_CLOCK:
			if (!is_string || !is_clock(token))
				value_error(field, "a time of day (HH:MM)", tt, token);
			break;
		case COL_OTHER:
			/* no type of ours needs more; an input function would quote it all */
			if (strlen(token) > ALPACA_QUOTE_MAX)
				value_error(field, psprintf("a %s", format_type_be(c->typid)), tt, token);
			break;
		case COL_UUID:
			if (!is_string || !is_uuid(token))
				value_error(field, "a uuid", tt, token);
			return uuid_datum(token);
		case COL_JSON:
		case COL_ARRAY:
			value_error(field, c->kind == COL_ARRAY ? "an array" : "a JSON value", tt, token);
			break;
	}
	return InputFunctionCall(&c->infunc, token, c->ioparam, c->typmod);
}

static void
setup_conv(Conv *c, Oid typid, int32 typmod)
{
	Oid			infunc;

	c->typid = typid;
	c->typmod = typmod;
	switch (typid)
	{
		case TEXTOID:
		case VARCHAROID:
		case BPCHAROID:
		case NAMEOID:
			c->kind = COL_TEXT;
			break;
		case NUMERICOID:
			c->kind = COL_NUMERIC;
			break;
		case INT2OID:
		case INT4OID:
		case INT8OID:
			c->kind = COL_INT;
			break;
		case BOOLOID:
			c->kind = COL_BOOL;
			break;
		case TIMESTAMPTZOID:
		case TIMESTAMPOID:
			c->kind = COL_TIME;
			break;
		case DATEOID:
			c->kind = COL_DATE;
			break;
		case TIMEOID:
			c->kind = COL_CLOCK;
			break;
		case UUIDOID:
			c->kind = COL_UUID;
			break;
		case JSONBOID:
		case JSONOID:
			c->kind = COL_JSON;
			break;
		default:
			c->kind = type_is_array(typid) ? COL_ARRAY : COL_OTHER;
			break;
	}
	getTypeInputInfo(typid, &infunc, &c->ioparam);
	fmgr_info(infunc, &c->infunc);
}

static RowBuilder *
make_builder(TupleDesc tupdesc)
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
		setup_conv(&ci->conv, att->atttypid, att->atttypmod);
		if (ci->conv.kind == COL_ARRAY)
		{
			Oid			et = get_element_type(att->atttypid);

			setup_conv(&ci->elem, et, -1);
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
name_is(ColInfo *ci, const char *s, int n)
{
	return ci->name && ci->namelen == n && memcmp(ci->name, s, n) == 0;
}

/*
 * The column a field named by the n bytes at s fills, or -1.  Fields come
 * in the same order row after row, so the column field k matched last time
 * is tried first.
 */
static int
find_column(RowBuilder *rb, const char *s, int n, int fieldno)
{
	int			guess = fieldno < rb->npredict ? rb->predict[fieldno] : -1;

	if (guess >= 0 && name_is(&rb->cols[guess], s, n))
		return guess;
	for (int i = 0; i < rb->natts; i++)
	{
		if (i != rb->raw_att && name_is(&rb->cols[i], s, n))
		{
			if (fieldno < rb->npredict)
				rb->predict[fieldno] = i;
			return i;
		}
	}
	return -1;
}

static Datum
json_text_datum(Conv *c, char *start, char *end)
{
	char	   *s = pnstrdup(start, end - start);

	/*
	 * The lexer checked the escapes' form only.  jsonb_in would refuse a lone
	 * surrogate or \u0000 with its own SQLSTATE (22P02, 22P05); refuse them
	 * here as the odd answer they are.  In JSON text every backslash is an
	 * escape inside a string, so de-escaping the whole text checks them all.
	 */
	if (memchr(s, '\\', end - start) != NULL)
		pfree(unescape(s, end - start));

	return InputFunctionCall(&c->infunc, s, c->ioparam, c->typmod);
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
		rb->values[rb->raw_att] = json_text_datum(&rb->cols[rb->raw_att].conv, ps->row_start,
												  ps->lex->prev_token_terminator);
		rb->nulls[rb->raw_att] = false;
	}
	ps->page->parsed++;
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
			if (ps->spec->shape == ALPACA_LIST)
				shape_error(ps, "an array of objects", JSON_TOKEN_OBJECT_START);
			if (ps->spec->shape == ALPACA_FIELD_LIST || ps->spec->shape == ALPACA_COLUMNS)
				f = F_TOP_OBJECT;
			else
				f = F_ROW;
			break;
		case R_ROW:
			f = F_ROW;
			break;
		case R_ROW_LIST:
			shape_error(ps, "an array of objects", JSON_TOKEN_OBJECT_START);
			break;
		case R_COLUMN:
			if (ps->rb->cols[ps->col].conv.kind != COL_JSON)
				value_error(ps->rb->cols[ps->col].name,
							ps->rb->cols[ps->col].conv.kind == COL_ARRAY ? "an array" : "a scalar",
							JSON_TOKEN_OBJECT_START, NULL);
			break;
		case R_ARRAY_ELEM:
		case R_COLUMN_ELEM:
			value_error(ps->field, "an array of scalars", JSON_TOKEN_OBJECT_START, NULL);
			break;
		case R_TOKEN:
			value_error(ps->spec->token_field, "a string", JSON_TOKEN_OBJECT_START, NULL);
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
			shape_error(ps, "an object as element of the list", JSON_TOKEN_ARRAY_START);
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
					value_error(ci->name, "a scalar", JSON_TOKEN_ARRAY_START, NULL);
				break;
			}
		case R_ARRAY_ELEM:
		case R_COLUMN_ELEM:
			value_error(ps->field, "an array of scalars", JSON_TOKEN_ARRAY_START, NULL);
			break;
		case R_TOKEN:
			value_error(ps->spec->token_field, "a string", JSON_TOKEN_ARRAY_START, NULL);
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
				int			col;

				field_name(ps, &name, &namelen);
				col = find_column(ps->rb, name, namelen, ps->fieldno++);

				ps->role = R_IGNORE;
				ps->json_col = -1;
				if (col < 0)
					break;
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
				break;
			}
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
				ps->role = R_ROW_LIST;
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
	if (ps->frames[ps->depth] == F_ROW && ps->json_col >= 0)
	{
		if (!isnull)
		{
			ColInfo    *ci = &ps->rb->cols[ps->json_col];

			ps->rb->values[ps->json_col] = json_text_datum(&ci->conv, ps->json_start,
														   ps->lex->prev_token_terminator);
			ps->rb->nulls[ps->json_col] = false;
		}
		ps->json_col = -1;
	}
	if (ps->frames[ps->depth] == F_ROW || ps->frames[ps->depth] == F_TOP_OBJECT)
	{
		ps->role = R_IGNORE;
		ps->field = NULL;
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

			string_span(ps->value_start, ps->lex->prev_token_terminator, &s, &n, &plain);
			ps->rb->values[ps->col] = PointerGetDatum(plain ? cstring_to_text_with_len(s, n) :
													  cstring_to_text(unescape(s, n)));
			ps->rb->nulls[ps->col] = false;
			return;
		}
		token = string_value(ps->value_start, ps->lex->prev_token_terminator);
	}
	switch (ps->role)
	{
		case R_TOP:
			shape_error(ps, ps->spec->shape == ALPACA_LIST ? "an array of objects" : "an object", tt);
			break;
		case R_ROW:
			shape_error(ps, "an object as element of the list", tt);
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
					value_error(name, "an array", tt, token);
				ps->rb->values[ps->col] = convert_scalar(&ci->conv, name, token, tt,
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
				Datum		d = convert_scalar(&ci->elem, ci->name, token, tt, &isnull);

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
				value_error(ps->spec->token_field, "a string", tt, token);
			break;
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
		int			col = find_column(rb, cd->name, strlen(cd->name), 0);

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
			rb->values[col] = convert_scalar(&rb->cols[col].conv, rb->cols[col].name,
											 list_nth(cd->tokens, idx),
											 (JsonTokenType) list_nth_int(cd->types, idx),
											 &rb->nulls[col]);
		}
		/* not a span of the body: no raw column in this shape */
		rb->raw_att = -1;
		end_row(ps);
	}
}

void
alpaca_json_fail(void *lexp, int error, const char *field)
{
	JsonLexContext *lex = lexp;
	char	   *what = json_errdetail((JsonParseErrorType) error, lex);
	int			at;

	/* the answer stopped short: say where it stopped */
	if (error == JSON_EXPECTED_MORE || lex->token_start == NULL)
		at = lex->input_length;
	else
		at = (int) (lex->token_start - lex->input);
	/* json_errdetail quotes the offending token: clip it */
	what = alpaca_clip(what, strlen(what));
	if (what[0] && what[strlen(what) - 1] == '.')
		what[strlen(what) - 1] = '\0';
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("the Alpaca API answered with invalid JSON"),
			 errdetail("%s, at byte %d of %d%s%s%s.",
					   what, at, lex->input_length,
					   field ? " (field \"" : "", field ? field : "", field ? "\")" : "")));
}

static void
parse_error_context(void *arg)
{
	ParseState *ps = arg;

	if (ps->field)
		errcontext("reading field \"%s\" of an Alpaca answer, at byte %d", ps->field, byte_offset(ps));
}

/* Parse one body into the sink; the parse's memory is gone when this returns. */
static void
parse_into(AlpacaRowSink *sink, char *body, size_t len, const AlpacaRowSpec *spec, AlpacaPage *page)
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
		find_column(ps.rb, spec->key_field, strlen(spec->key_field), INT_MAX) : -1;
	ps.order_att = (spec->order_field && ps.rb) ?
		find_column(ps.rb, spec->order_field, strlen(spec->order_field), INT_MAX) : -1;

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

AlpacaRowSink *
alpaca_rows_begin(FunctionCallInfo fcinfo)
{
	AlpacaRowSink *sink = palloc0(sizeof(AlpacaRowSink));
	ReturnSetInfo *rsinfo;

	InitMaterializedSRF(fcinfo, 0);
	rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	sink->tupstore = rsinfo->setResult;
	sink->rb = make_builder(rsinfo->setDesc);
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
	parse_into(sink, body, len, spec, page ? page : &dummy);
}

Datum
alpaca_object_datum(FunctionCallInfo fcinfo, char *body, size_t len)
{
	AlpacaRowSink sink = {0};
	AlpacaRowSpec spec = {ALPACA_OBJECT};
	AlpacaPage	page;
	TupleDesc	tupdesc;

	if (len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered with an empty body")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "function returning a record called in a context that cannot accept it");
	sink.rb = make_builder(BlessTupleDesc(tupdesc));
	sink.callcxt = CurrentMemoryContext;
	parse_into(&sink, body, len, &spec, &page);
	return HeapTupleGetDatum(sink.result);
}

/* ---- checks that need no row type ---- */

typedef struct TopFields
{
	JsonLexContext *lex;
	int			depth;
	const char *want[2];
	char	   *text[2];		/* scalar text, or JSON text of a container */
	JsonTokenType type[2];
	int			cur;
	char	   *start;
} TopFields;

static void
tf_push(void *arg)
{
	TopFields  *tf = arg;

	CHECK_FOR_INTERRUPTS();
	if (++tf->depth > ALPACA_MAX_DEPTH)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered with JSON nested too deeply")));
}

static void
tf_pop(void *arg)
{
	((TopFields *) arg)->depth--;
}

static void
tf_field_start(void *arg, char *fname, bool isnull)
{
	TopFields  *tf = arg;

	tf->cur = -1;
	if (tf->depth != 1)
		return;
	for (int i = 0; i < 2; i++)
		if (tf->want[i] && strcmp(fname, tf->want[i]) == 0)
		{
			tf->cur = i;
			tf->start = tf->lex->token_start;
			tf->text[i] = NULL;
		}
}

static void
tf_field_end(void *arg, char *fname, bool isnull)
{
	TopFields  *tf = arg;

	if (tf->depth == 1 && tf->cur >= 0 && tf->text[tf->cur] == NULL && !isnull)
	{
		tf->text[tf->cur] = pnstrdup(tf->start, tf->lex->prev_token_terminator - tf->start);
		tf->type[tf->cur] = JSON_TOKEN_OBJECT_START;
	}
	if (tf->depth == 1)
		tf->cur = -1;
}

static void
tf_scalar(void *arg, char *token, JsonTokenType tt)
{
	TopFields  *tf = arg;

	if (tf->depth == 1 && tf->cur >= 0 && tt != JSON_TOKEN_NULL)
	{
		tf->text[tf->cur] = token;
		tf->type[tf->cur] = tt;
	}
	else if (tf->depth == 0)
		tf->depth = -1;			/* a bare scalar: not an object */
}

/*
 * Parse a body for two top-level fields; false if it is not a JSON object.
 * Never raises for a malformed body: callers decide what that means.
 */
static bool
top_fields(char *body, size_t len, TopFields *tf)
{
	JsonSemAction sem;

	if (len == 0 || len > (size_t) INT_MAX)
		return false;
	while (len > 0 && isspace((unsigned char) *body))
		body++, len--;
	if (len == 0 || *body != '{')
		return false;
	tf->lex = makeJsonLexContextCstringLen(body, (int) len, GetDatabaseEncoding(), true);
	memset(&sem, 0, sizeof(sem));
	sem.semstate = tf;
	sem.object_start = tf_push;
	sem.object_end = tf_pop;
	sem.array_start = tf_push;
	sem.array_end = tf_pop;
	sem.object_field_start = tf_field_start;
	sem.object_field_end = tf_field_end;
	sem.scalar = tf_scalar;
	return pg_parse_json(tf->lex, &sem) == JSON_SUCCESS;
}

/*
 * Is this Alpaca's answer to placing our order: an object with a uuid id
 * and our client_order_id?  Anything else leaves placement ambiguous.
 */
bool
alpaca_body_is_order(char *body, size_t len, const char *client_order_id)
{
	TopFields	tf = {0};

	tf.want[0] = "id";
	tf.want[1] = "client_order_id";
	return top_fields(body, len, &tf) &&
		tf.text[0] && tf.type[0] == JSON_TOKEN_STRING && is_uuid(tf.text[0]) &&
		tf.text[1] && tf.type[1] == JSON_TOKEN_STRING && strcmp(tf.text[1], client_order_id) == 0;
}

/* The "id" of an object answer (an order), or NULL. */
char *
alpaca_order_id_of(char *body, size_t len)
{
	TopFields	tf = {0};

	tf.want[0] = "id";
	if (top_fields(body, len, &tf) && tf.text[0] && tf.type[0] == JSON_TOKEN_STRING && is_uuid(tf.text[0]))
		return tf.text[0];
	return NULL;
}

/*
 * Alpaca's error body: {"code": 40010001, "message": "..."}.  True when the
 * body is such an object with a string message; code and message are
 * returned as found (code may be any JSON value, as its text).
 */
bool
alpaca_error_body(char *body, size_t len, char **code, char **message)
{
	TopFields	tf = {0};
	bool		ok;

	tf.want[0] = "code";
	tf.want[1] = "message";
	ok = top_fields(body, len, &tf);
	*code = ok ? tf.text[0] : NULL;
	*message = ok && tf.type[1] == JSON_TOKEN_STRING ? tf.text[1] : NULL;
	return ok && *message != NULL;
}
