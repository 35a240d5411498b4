/*
 * scalars.h
 *		One value from the wire, checked for its form, as a column's Datum
 *		(src/scalars.c): what the row parser and the JSON module share.
 */
#ifndef ALPACA_SCALARS_H
#define ALPACA_SCALARS_H

#include "common/jsonapi.h"
#include "fmgr.h"

typedef enum ColKind
{
	COL_TEXT, COL_NUMERIC, COL_INT, COL_BOOL, COL_TIME, COL_DATE, COL_CLOCK, COL_UUID,
	COL_JSON, COL_ARRAY, COL_OTHER
} ColKind;

/* How one column of a row type reads its value. */
typedef struct Conv
{
	ColKind		kind;
	Oid			typid;
	int32		typmod;
	Oid			ioparam;
	FmgrInfo	infunc;
} Conv;

extern void alpaca_setup_conv(Conv *c, Oid typid, int32 typmod);
/* a scalar token as the column's value; *isnull for null, and "" in a non-text column */
extern Datum alpaca_convert_scalar(Conv *c, const char *field, char *token, JsonTokenType tt, bool *isnull);
/* JSON text [start, end) as a json or jsonb value */
extern Datum alpaca_json_text_datum(Conv *c, char *start, char *end);

extern const char *alpaca_token_kind(JsonTokenType tt);
extern void alpaca_value_error(const char *field, const char *expected, JsonTokenType tt,
							   const char *token) pg_attribute_noreturn();

/* the strict wire forms */
extern bool alpaca_is_integer(const char *s);
extern bool alpaca_is_decimal(const char *s, int len);
extern bool alpaca_is_date(const char *s);
extern bool alpaca_is_rfc3339(const char *s);
extern bool alpaca_is_clock(const char *s);
extern bool alpaca_is_uuid(const char *s);
extern Datum alpaca_uuid_datum(const char *s);

/* strings: a token's span (quotes included) and its value */
extern char *alpaca_unescape(const char *s, int n);
extern void alpaca_string_span(char *start, char *end, const char **s, int *n, bool *plain);
extern char *alpaca_string_value(char *start, char *end);

#endif
