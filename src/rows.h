/*
 * rows.h
 *		Alpaca's JSON objects as PostgreSQL rows.
 */
#ifndef ALPACA_ROWS_H
#define ALPACA_ROWS_H

#include "json_c.h"

#include "fmgr.h"

typedef struct AlpacaRowSink AlpacaRowSink;

extern json_object *alpaca_parse(const char *text, size_t len);
extern Datum alpaca_object_datum(FunctionCallInfo fcinfo, json_object *obj);
extern AlpacaRowSink *alpaca_rows_begin(FunctionCallInfo fcinfo);
extern void alpaca_rows_add(AlpacaRowSink *sink, json_object *obj);
extern Datum alpaca_jsonb_datum(json_object *obj);
extern const char *alpaca_json_string(json_object *obj, const char *key);

#endif
