/*
 * json.h
 *		Alpaca's JSON where no row type is wanted (src/json.c): answers as
 *		jsonb, two top-level fields of an object, and the error for JSON
 *		that is not.
 */
#ifndef ALPACA_JSON_H
#define ALPACA_JSON_H

#include "fmgr.h"

/* deeper than this is not an answer of Alpaca's */
#define ALPACA_MAX_DEPTH 64

/* a body (in the server encoding) as jsonb, strictly: duplicate keys refused */
extern Datum alpaca_jsonb_datum(char *body, size_t len);
/* j -> key, or 0 when absent or j is not an object */
extern Datum alpaca_jsonb_get(Datum jsonb, const char *key);
/* the scalar at k1 -> k2 -> k3 as text (numbers as written), or NULL */
extern char *alpaca_jsonb_text(Datum jsonb, const char *k1, const char *k2, const char *k3);

/* never raise: false/NULL for anything that is not such an object */
extern bool alpaca_body_is_order(char *body, size_t len, const char *client_order_id);
extern char *alpaca_order_id_of(char *body, size_t len);
extern bool alpaca_error_body(char *body, size_t len, char **code, char **message);

/* the parser's error, said as Alpaca's invalid JSON, at the byte it stopped */
extern void alpaca_json_fail(void *lex, int error, const char *field) pg_attribute_noreturn();

#endif
