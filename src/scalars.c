/*
 * scalars.c
 *		One value from the wire, checked for its form, as a column's Datum.
 *
 * Nothing from the wire is trusted.  Each column's type decides what it
 * accepts, checked before its input function sees the text, so PostgreSQL's
 * special words ("now", "infinity", "NaN") never become values: numeric
 * takes a JSON number or a decimal string as its exact text, any length;
 * integers only integers in range; timestamptz RFC 3339 or an in-range
 * epoch integer; date YYYY-MM-DD (or an RFC 3339 time, whose date as
 * written is taken: Alpaca's NonTradeActivities.date is one); uuid the
 * 8-4-4-4-12 form; boolean true or false.  Alpaca sends "" for "absent" in
 * non-text fields: that is NULL.  Strings are read from the body's bytes,
 * de-escaped only when they hold escapes, and what the lexer leaves to its
 * de-escaping (surrogate pairs, \u0000, characters the server encoding
 * lacks) is checked here.
 */
#include "postgres.h"

#include <limits.h>

#include "catalog/pg_type.h"
#include "common/jsonapi.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "utils/uuid.h"

#include "redact.h"
#include "scalars.h"

const char *
alpaca_token_kind(JsonTokenType tt)
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

void pg_attribute_noreturn()
alpaca_value_error(const char *field, const char *expected, JsonTokenType tt, const char *token)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("the Alpaca API answered with an invalid value in field \"%s\"", field),
			 errdetail("Expected %s, got %s%s%s.", expected, alpaca_token_kind(tt),
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

bool
alpaca_is_integer(const char *s)
{
	return all_digits(*s == '-' ? s + 1 : s, 1, 19);
}

/* JSON's number grammar, which Alpaca's decimal strings follow too. */
bool
alpaca_is_decimal(const char *s, int len)
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

bool
alpaca_is_date(const char *s)
{
	return fixed(&s, 4) && *s++ == '-' && fixed(&s, 2) && *s++ == '-' && fixed(&s, 2) && *s == '\0';
}

/* RFC 3339: 2026-11-25T15:04:05.123456789Z, or with an offset. */
bool
alpaca_is_rfc3339(const char *s)
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
bool
alpaca_is_clock(const char *s)
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

bool
alpaca_is_uuid(const char *s)
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
Datum
alpaca_uuid_datum(const char *s)
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
char *
alpaca_unescape(const char *s, int n)
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
void
alpaca_string_span(char *start, char *end, const char **s, int *n, bool *plain)
{
	*s = start + 1;
	*n = (int) (end - start) - 2;
	*plain = memchr(*s, '\\', *n) == NULL;
}

char *
alpaca_string_value(char *start, char *end)
{
	const char *s;
	int			n;
	bool		plain;

	alpaca_string_span(start, end, &s, &n, &plain);
	return plain ? pnstrdup(s, n) : alpaca_unescape(s, n);
}

/*
 * The common forms, without the input functions' general parsing (a bar is
 * six numbers and a time, a million bars a few seconds of numeric_in and
 * timestamptz_in): the same values they give, digit for digit; any other
 * form is left to them.
 */

/*
 * A plain decimal (already checked as a JSON number: "-"? digits, "."
 * digits?) of at most 18 digits and no exponent, as numeric_in reads it:
 * its digits over 10^(digits after the point), that many of them kept.
 */
static bool
fast_numeric(const char *s, Datum *result)
{
	const char *p = s;
	int64		m = 0;
	int			digits = 0;
	int			scale = 0;
	bool		neg = (*p == '-');

	if (neg)
		p++;
	for (; *p >= '0' && *p <= '9'; p++, digits++)
		m = m * 10 + (*p - '0');
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++, digits++, scale++)
			m = m * 10 + (*p - '0');
	/* 18 digits cannot overflow; an exponent, or anything else, is numeric_in's */
	if (*p != '\0' || digits == 0 || digits > 18)
		return false;
	*result = NumericGetDatum(int64_div_fast_to_numeric(neg ? -m : m, scale));
	return true;
}

static int
two(const char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/*
 * An RFC 3339 time (already checked for form) as timestamptz_in reads it,
 * for the form Alpaca sends: YYYY-MM-DDTHH:MM:SS, up to six digits of
 * fraction (no rounding), Z.  Other separators, offsets, longer fractions
 * (rounded by timestamptz_in) and values out of range are timestamptz_in's,
 * to accept or refuse.
 */
static bool
fast_timestamptz(const char *s, Datum *result)
{
	int			year = two(s) * 100 + two(s + 2);
	int			mon = two(s + 5);
	int			mday = two(s + 8);
	int			hour = two(s + 11);
	int			min = two(s + 14);
	int			sec = two(s + 17);
	const char *p = s + 19;
	int64		usec = 0;
	int			frac = 0;
	TimestampTz t;

	if (s[10] != 'T' || year < 1 || mon < 1 || mon > 12 || mday < 1 ||
		mday > day_tab[isleap(year)][mon - 1] || hour > 23 || min > 59 || sec > 59)
		return false;
	if (*p == '.')
	{
		for (p++; *p >= '0' && *p <= '9'; p++, frac++)
			usec = usec * 10 + (*p - '0');
		if (frac > 6)
			return false;
		for (int k = frac; k < 6; k++)
			usec *= 10;
	}
	if (p[0] != 'Z' || p[1] != '\0')
		return false;
	t = ((int64) (date2j(year, mon, mday) - POSTGRES_EPOCH_JDATE) * SECS_PER_DAY +
		 (hour * MINS_PER_HOUR + min) * SECS_PER_MINUTE + sec) * USECS_PER_SEC + usec;
	if (!IS_VALID_TIMESTAMP(t))
		return false;
	*result = TimestampTzGetDatum(t);
	return true;
}

/* Later than this is not a time Alpaca means: 9999-12-31T23:59:59Z. */
#define MAX_EPOCH INT64CONST(253402300799)

/*
 * One scalar as a column value.  *isnull is set for JSON null and for ""
 * in a non-text column.
 */
Datum
alpaca_convert_scalar(Conv *c, const char *field, char *token, JsonTokenType tt, bool *isnull)
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
			if (tt != JSON_TOKEN_NUMBER && !(is_string && alpaca_is_decimal(token, strlen(token))))
				alpaca_value_error(field, "a decimal number", tt, token);
			{
				Datum		d;

				if (c->typmod < 0 && fast_numeric(token, &d))
					return d;
			}
			break;
		case COL_INT:
			{
				int64		v;

				if ((tt != JSON_TOKEN_NUMBER && !is_string) || !alpaca_is_integer(token))
					alpaca_value_error(field, "an integer", tt, token);
				errno = 0;
				if (strlen(token) <= 18)
				{
					/* checked above: "-"? and up to 18 digits, which cannot overflow */
					const char *p = token + (token[0] == '-');

					for (v = 0; *p; p++)
						v = v * 10 + (*p - '0');
					if (token[0] == '-')
						v = -v;
				}
				else
					v = strtoi64(token, NULL, 10);
				if (errno == ERANGE ||
					(c->typid == INT4OID && (v < PG_INT32_MIN || v > PG_INT32_MAX)) ||
					(c->typid == INT2OID && (v < PG_INT16_MIN || v > PG_INT16_MAX)))
					alpaca_value_error(field, psprintf("an integer in the range of %s", format_type_be(c->typid)),
								tt, token);
				return c->typid == INT8OID ? Int64GetDatum(v) :
					c->typid == INT4OID ? Int32GetDatum((int32) v) : Int16GetDatum((int16) v);
			}
		case COL_BOOL:
			if (tt == JSON_TOKEN_TRUE || (is_string && strcmp(token, "true") == 0))
				return BoolGetDatum(true);
			if (tt == JSON_TOKEN_FALSE || (is_string && strcmp(token, "false") == 0))
				return BoolGetDatum(false);
			alpaca_value_error(field, "true or false", tt, token);
			break;
		case COL_TIME:
			if (tt == JSON_TOKEN_NUMBER)
			{
				int64		secs;

				if (!alpaca_is_integer(token) ||
					(secs = strtoi64(token, NULL, 10)) > MAX_EPOCH || secs < -MAX_EPOCH)
					alpaca_value_error(field, "an RFC 3339 time or epoch seconds in range", tt, token);
				return TimestampTzGetDatum(time_t_to_timestamptz((pg_time_t) secs));
			}
			if (!is_string || !alpaca_is_rfc3339(token))
				alpaca_value_error(field, "an RFC 3339 time", tt, token);
			{
				Datum		d;

				if (c->typid == TIMESTAMPTZOID && c->typmod < 0 && fast_timestamptz(token, &d))
					return d;
			}
			break;
		case COL_DATE:
			/* Alpaca sends some dates as date-times: the date as written */
			if (is_string && alpaca_is_rfc3339(token))
				token[10] = '\0';
			if (!is_string || !alpaca_is_date(token))
				alpaca_value_error(field, "a date (YYYY-MM-DD)", tt, token);
			break;
		case COL_CLOCK:
			if (!is_string || !alpaca_is_clock(token))
				alpaca_value_error(field, "a time of day (HH:MM)", tt, token);
			break;
		case COL_OTHER:
			/* no type of ours needs more; an input function would quote it all */
			if (strlen(token) > ALPACA_QUOTE_MAX)
				alpaca_value_error(field, psprintf("a %s", format_type_be(c->typid)), tt, token);
			break;
		case COL_UUID:
			if (!is_string || !alpaca_is_uuid(token))
				alpaca_value_error(field, "a uuid", tt, token);
			return alpaca_uuid_datum(token);
		case COL_JSON:
		case COL_ARRAY:
			alpaca_value_error(field, c->kind == COL_ARRAY ? "an array" : "a JSON value", tt, token);
			break;
	}
	return InputFunctionCall(&c->infunc, token, c->ioparam, c->typmod);
}

void
alpaca_setup_conv(Conv *c, Oid typid, int32 typmod)
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

Datum
alpaca_json_text_datum(Conv *c, char *start, char *end)
{
	char	   *s = pnstrdup(start, end - start);

	/*
	 * The lexer checked the escapes' form only.  jsonb_in would refuse a lone
	 * surrogate or \u0000 with its own SQLSTATE (22P02, 22P05); refuse them
	 * here as the odd answer they are.  In JSON text every backslash is an
	 * escape inside a string, so de-escaping the whole text checks them all.
	 */
	if (memchr(s, '\\', end - start) != NULL)
		pfree(alpaca_unescape(s, end - start));

	return InputFunctionCall(&c->infunc, s, c->ioparam, c->typmod);
}

