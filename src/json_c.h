/*
 * json_c.h
 *		json-c, included so that it can live beside PostgreSQL's headers.
 *
 * json-c names its value type json_object, which is also the name of the
 * C function behind PostgreSQL's SQL function json_object().  We never call
 * that function, so its declaration is renamed out of the way; include this
 * file before any other header that could pull in utils/fmgrprotos.h.
 */
#ifndef ALPACA_JSON_C_H
#define ALPACA_JSON_C_H

#define json_object pg_sql_json_object
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#undef json_object

#include <json-c/json.h>

#endif
