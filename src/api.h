/*
 * api.h
 *		What every API area uses: argument checks, request building, the call.
 */
#ifndef ALPACA_API_H
#define ALPACA_API_H

#include "json_c.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "http.h"
#include "rows.h"

/* A request being built: path, query string and JSON body. */
typedef struct AlpacaRequest
{
	const char *method;
	StringInfoData path;
	StringInfoData query;
	StringInfoData body;		/* empty: no body */
} AlpacaRequest;

extern void alpaca_request_init(AlpacaRequest *req, const char *method, const char *path);
extern void alpaca_path_segment(AlpacaRequest *req, const char *segment);
extern void alpaca_symbol_segment(AlpacaRequest *req, const char *symbol);
extern void alpaca_query(AlpacaRequest *req, const char *key, const char *value);
extern void alpaca_body_raw(AlpacaRequest *req, const char *key, const char *json);
extern void alpaca_body_string(AlpacaRequest *req, const char *key, const char *value);
extern void alpaca_body_number(AlpacaRequest *req, const char *key, const char *value);
extern void alpaca_body_finish(AlpacaRequest *req);
extern json_object *alpaca_send(AlpacaRequest *req);
extern AlpacaTransportError alpaca_try_send(AlpacaRequest *req, AlpacaResponse *resp, char **msg);
extern char *alpaca_request_target(AlpacaRequest *req);
extern Datum alpaca_send_object(FunctionCallInfo fcinfo, AlpacaRequest *req);
extern Datum alpaca_send_rows(FunctionCallInfo fcinfo, AlpacaRequest *req);
extern long alpaca_send_status(AlpacaRequest *req, json_object **out);

/* Arguments, as the text Alpaca wants; NULL when the SQL argument is NULL. */
extern char *alpaca_arg_text(FunctionCallInfo fcinfo, int n);
extern char *alpaca_arg_bool(FunctionCallInfo fcinfo, int n);
extern char *alpaca_arg_int(FunctionCallInfo fcinfo, int n, const char *name, int min, int max);
extern char *alpaca_arg_numeric(FunctionCallInfo fcinfo, int n, const char *name, bool positive);
extern char *alpaca_arg_timestamptz(FunctionCallInfo fcinfo, int n);
extern char *alpaca_arg_date(FunctionCallInfo fcinfo, int n);
extern char *alpaca_arg_uuid(FunctionCallInfo fcinfo, int n);
extern char *alpaca_arg_list(FunctionCallInfo fcinfo, int n, const char *name,
							 const char *const *allowed);
extern char *alpaca_arg_enum(FunctionCallInfo fcinfo, int n, const char *name,
							 const char *const *allowed);
extern void alpaca_check_enum(const char *name, const char *value, const char *const *allowed);
extern void alpaca_require(bool cond, const char *message, const char *hint);

#endif
