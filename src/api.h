/*
 * api.h
 *		What every API area uses: argument checks, request building, the call,
 *		and paging.  Area files see requests, rows and pages, never JSON.
 */
#ifndef ALPACA_API_H
#define ALPACA_API_H

#include "fmgr.h"
#include "datatype/timestamp.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"

#include "http.h"
#include "rows.h"

/* Refused before sending: no endpoint of Alpaca's needs more. */
#define ALPACA_MAX_TARGET 8192		/* path and query, bytes */
#define ALPACA_MAX_BODY (1024 * 1024)	/* request body, bytes */

/* A request being built: path, query string and JSON body, all UTF-8. */
typedef struct AlpacaRequest
{
	FunctionCallInfo fcinfo;	/* the SQL function making it: its name goes
								 * in the audit trail (required for any
								 * method but GET) */
	const char *function;		/* ... or its name, for a request a worker
								 * makes on a function's behalf */
	const char *client_order_id;	/* an order's, for the audit trail */
	const struct AlpacaOrderCheck *order;	/* the order it places, as the
											 * limits judged it: its fields go
											 * in the audit trail */
	bool		market_data;	/* to alpaca.data_url rather than alpaca.base_url */
	bool		for_change;		/* a look-up the checks of a call that changes
								 * the account make: it may use the budget's
								 * reserve */
	int			attempt;		/* 0, then 1, 2 ... for retries */
	const char *method;
	StringInfoData path;
	StringInfoData template;	/* the path with {name} for each argument:
								 * what statistics are kept by */
	StringInfoData query;
	StringInfoData body;		/* empty: no body */
} AlpacaRequest;

extern void alpaca_request_start(AlpacaRequest *req, FunctionCallInfo fcinfo, const char *method,
								 const char *path);
/* a request no SQL function names: a read, or a lookup of our own */
#define alpaca_request_init(req, method, path) alpaca_request_start((req), NULL, (method), (path))
extern void alpaca_path_segment(AlpacaRequest *req, const char *name, const char *segment);
extern void alpaca_symbol_segment(AlpacaRequest *req, const char *name, const char *symbol);
extern void alpaca_query(AlpacaRequest *req, const char *key, const char *value);
extern void alpaca_body_raw(AlpacaRequest *req, const char *key, const char *json);
extern void alpaca_body_string(AlpacaRequest *req, const char *key, const char *value);
extern void alpaca_body_number(AlpacaRequest *req, const char *key, const char *value);
extern void alpaca_body_finish(AlpacaRequest *req);
extern char *alpaca_request_target(AlpacaRequest *req);
extern const char *alpaca_request_size_check(AlpacaRequest *req);

/* Sending.  Every answer that is not 2xx is an ERROR. */
extern AlpacaTransportError alpaca_try_send(AlpacaRequest *req, AlpacaResponse *resp, char **msg);
extern void alpaca_send(AlpacaRequest *req, AlpacaResponse *resp);
extern Datum alpaca_send_object(FunctionCallInfo fcinfo, AlpacaRequest *req);
extern Datum alpaca_send_rows(FunctionCallInfo fcinfo, AlpacaRequest *req, const AlpacaRowSpec *spec);
extern void alpaca_send_void(AlpacaRequest *req);
extern bool alpaca_retryable(long status);
extern bool alpaca_wait_to_retry(AlpacaRequest *req, AlpacaResponse *resp);

extern void alpaca_fetch_page(AlpacaRowSink *sink, AlpacaRequest *req,
							  const AlpacaRowSpec *spec, AlpacaPage *page);

/*
 * Following pages: every pager stops with an error on a token it has seen
 * before, a page that adds nothing yet points further, or more pages than
 * alpaca.max_pages.
 */
typedef struct AlpacaPager
{
	const char *what;			/* "option contracts", for messages */
	int			pages;
	List	   *tokens;
} AlpacaPager;

extern void alpaca_pager_init(AlpacaPager *pager, const char *what);
extern bool alpaca_pager_next(AlpacaPager *pager, const char *token, int added);

/* Arguments, as the text Alpaca wants; NULL when the SQL argument is NULL. */
extern char *alpaca_arg_text(FunctionCallInfo fcinfo, int n);
extern char *alpaca_arg_required(FunctionCallInfo fcinfo, int n, const char *name);
extern char *alpaca_arg_bool(FunctionCallInfo fcinfo, int n);
extern char *alpaca_arg_int(FunctionCallInfo fcinfo, int n, const char *name, int min, int max);
extern char *alpaca_arg_numeric(FunctionCallInfo fcinfo, int n, const char *name, bool positive);
extern char *alpaca_arg_timestamptz(FunctionCallInfo fcinfo, int n);
extern char *alpaca_format_timestamptz(TimestampTz ts);
extern char *alpaca_arg_date(FunctionCallInfo fcinfo, int n);
extern char *alpaca_arg_uuid(FunctionCallInfo fcinfo, int n);
extern char *alpaca_arg_list(FunctionCallInfo fcinfo, int n, const char *name,
							 const char *const *allowed);
extern char *alpaca_arg_codes(FunctionCallInfo fcinfo, int n, const char *name, bool upper);
extern char *alpaca_arg_enum(FunctionCallInfo fcinfo, int n, const char *name,
							 const char *const *allowed);
extern void alpaca_check_enum(const char *name, const char *value, const char *const *allowed);
extern char *alpaca_check_code(const char *name, char *elem, bool upper);
extern void alpaca_require(bool cond, const char *message, const char *hint);

#endif
