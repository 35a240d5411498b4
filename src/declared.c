/*
 * declared.c
 *		One C entry point for every endpoint without checks of its own.
 *
 * An endpoint that needs nothing beyond its arguments' types is a
 * declaration (src/catalog.h) beside the code of its area: the SQL
 * function's name, the method, the path template, each argument's type,
 * where it goes and what it may be, the answer's shape and paging.  Its SQL
 * function names alpaca_declared (or, for the functions of 1.0, its own
 * symbol, which forwards here: CREATE EXTENSION ... VERSION '1.0' still
 * finds them).  The call finds its declaration by the function's name
 * (cached in fn_extra), maps the arguments by their names (not positions),
 * checks each, builds the path, query and body, and answers with the
 * function's row type: one row, a set (following every page), or nothing.
 * A declaration whose arguments do not match its SQL function is an error
 * here and in sql/declarations.sql.  Calls that change the account pass the
 * gate (read-only, standby, kill switch), the audit trail and the budget
 * like every other.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/timestamp.h"

#include "api.h"
#include "catalog.h"
#include "errors.h"
#include "gate.h"

#define MAX_DECLARED_ARGS 32

/* What a call needs of its function, found once per call site. */
typedef struct DeclaredCall
{
	const AlpacaOperation *op;
	int			nargs;
	int			position[MAX_DECLARED_ARGS];	/* SQL argument of each declared one */
	bool		returns_void;
} DeclaredCall;

static DeclaredCall *
prepare(FunctionCallInfo fcinfo)
{
	Oid			fn = fcinfo->flinfo->fn_oid;
	HeapTuple	tup = SearchSysCache1(PROCOID, ObjectIdGetDatum(fn));
	Form_pg_proc proc;
	Oid		   *types;
	char	  **names;
	char	   *modes;
	int			nargs;
	DeclaredCall *call;

	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for function %u", fn);
	proc = (Form_pg_proc) GETSTRUCT(tup);
	call = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(DeclaredCall));
	call->op = alpaca_operation(NameStr(proc->proname));
	if (call->op == NULL)
		elog(ERROR, "alpaca_declared: no operation is declared for %s", NameStr(proc->proname));
	call->returns_void = (proc->prorettype == VOIDOID);
	nargs = get_func_arg_info(tup, &types, &names, &modes);
	for (const AlpacaArg *a = call->op->args; a && a->name; a++)
	{
		int			k = call->nargs++;

		if (k >= MAX_DECLARED_ARGS)
			elog(ERROR, "alpaca_declared: %s declares too many arguments", call->op->name);
		call->position[k] = -1;
		for (int i = 0; i < nargs && names; i++)
			if (names[i] && strcmp(names[i], a->name) == 0)
				call->position[k] = i;
		if (call->position[k] < 0)
			elog(ERROR, "alpaca_declared: %s has no argument named %s", call->op->name, a->name);
	}
	ReleaseSysCache(tup);
	return call;
}

static DeclaredCall *
declared_call(FunctionCallInfo fcinfo)
{
	if (fcinfo->flinfo->fn_extra == NULL)
		fcinfo->flinfo->fn_extra = prepare(fcinfo);
	return fcinfo->flinfo->fn_extra;
}

/* symbols text[] as a JSON array; NULL gives an empty list */
static char *
json_array(FunctionCallInfo fcinfo, int n, const char *name)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			count;
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '[');
	if (!PG_ARGISNULL(n))
	{
		arr = PG_GETARG_ARRAYTYPE_P(n);
		alpaca_require(ARR_NDIM(arr) <= 1, psprintf("%s must be a one-dimensional array", name), NULL);
		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &count);
		for (int i = 0; i < count; i++)
		{
			char	   *s;

			alpaca_require(!nulls[i], psprintf("%s must not contain NULL", name), NULL);
			s = TextDatumGetCString(elems[i]);
			alpaca_require(s[0] != '\0', psprintf("%s must not contain an empty symbol", name), NULL);
			if (i)
				appendStringInfoChar(&buf, ',');
			escape_json(&buf, s);
		}
	}
	appendStringInfoChar(&buf, ']');
	return buf.data;
}

/* One argument as the text Alpaca wants, checked as it is declared; NULL for NULL. */
static char *
arg_text(FunctionCallInfo fcinfo, int n, const AlpacaArg *a)
{
	const char *t = a->type;
	char	   *v;

	if (strcmp(t, "text[]") == 0)
	{
		if (a->array)
			return json_array(fcinfo, n, a->name);
		return a->codes ? alpaca_arg_codes(fcinfo, n, a->name, a->upper) :
			alpaca_arg_list(fcinfo, n, a->name, a->values);
	}
	if (strcmp(t, "numeric") == 0)
		return alpaca_arg_numeric(fcinfo, n, a->name, a->positive);
	if (strcmp(t, "integer") == 0)
		return alpaca_arg_int(fcinfo, n, a->name, a->max > a->min ? a->min : PG_INT32_MIN,
							  a->max > a->min ? a->max : PG_INT32_MAX);
	if (strcmp(t, "boolean") == 0)
		return alpaca_arg_bool(fcinfo, n);
	if (strcmp(t, "date") == 0)
		return alpaca_arg_date(fcinfo, n);
	if (strcmp(t, "timestamptz") == 0)
		return alpaca_arg_timestamptz(fcinfo, n);
	if (strcmp(t, "uuid") == 0)
		return alpaca_arg_uuid(fcinfo, n);
	if (strcmp(t, "jsonb") == 0)
		return PG_ARGISNULL(n) ? NULL : DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(n)));
	v = alpaca_arg_text(fcinfo, n);
	if (v == NULL)
		return NULL;
	if (a->nonempty)
		alpaca_require(v[0] != '\0', psprintf("%s must not be empty", a->name), NULL);
	if (a->maxlen)
		alpaca_require(pg_mbstrlen(v) <= a->maxlen,
					   psprintf("%s must be at most %d characters", a->name, a->maxlen), NULL);
	if (a->values)
		alpaca_check_enum(a->name, v, a->values);
	if (a->codes)
		v = alpaca_check_code(a->name, v, a->upper);
	return v;
}

int
alpaca_declared_position(FunctionCallInfo fcinfo, const char *name)
{
	DeclaredCall *call = declared_call(fcinfo);
	int			k = 0;

	for (const AlpacaArg *a = call->op->args; a && a->name; a++, k++)
		if (strcmp(a->name, name) == 0)
			return call->position[k];
	elog(ERROR, "alpaca_declared: %s declares no argument %s", call->op->name, name);
	pg_unreachable();
}

char *
alpaca_declared_arg(FunctionCallInfo fcinfo, const char *name)
{
	DeclaredCall *call = declared_call(fcinfo);
	int			k = 0;

	for (const AlpacaArg *a = call->op->args; a && a->name; a++, k++)
		if (strcmp(a->name, name) == 0)
			return arg_text(fcinfo, call->position[k], a);
	elog(ERROR, "alpaca_declared: %s declares no argument %s", call->op->name, name);
	pg_unreachable();
}

/*
 * A server-sent event stream ("data: {...}" lines, a blank line after each
 * event) as a JSON array of the events' data, for the rows layer, rewritten
 * in place: each event's "data:" prefix and blank line are longer than the
 * "[", "," or "]" that replace them, so the writer never passes the reader
 * and a long history is not held twice.
 */
static void
events_to_array(AlpacaResponse *resp)
{
	char	   *p = resp->body;
	char	   *end = resp->body + resp->body_len;
	char	   *w = resp->body;
	bool		in_event = false;
	int			n = 0;

	while (p <= end)
	{
		char	   *eol = memchr(p, '\n', end - p);
		size_t		len = (eol ? eol : end) - p;

		if (len > 0 && p[len - 1] == '\r')
			len--;
		if (len == 0)
		{
			/* a blank line ends an event; a long history stays cancellable */
			CHECK_FOR_INTERRUPTS();
			in_event = false;
		}
		else if (len >= 5 && strncmp(p, "data:", 5) == 0)
		{
			size_t		skip = (len > 5 && p[5] == ' ') ? 6 : 5;

			/* a new event's separator, or the newline between its data lines */
			*w++ = in_event ? '\n' : (n++ ? ',' : '[');
			in_event = true;
			memmove(w, p + skip, len - skip);
			w += len - skip;
		}
		/* event:, id:, retry: and ":" comments carry nothing a row needs */
		if (eol == NULL)
			break;
		p = eol + 1;
	}
	if (n == 0)
	{
		resp->body = pstrdup("[]");
		resp->body_len = 2;
		return;
	}
	*w++ = ']';
	*w = '\0';
	resp->body_len = w - resp->body;
}

/*
 * Alpaca's event stream stays open, sending events as they happen, unless
 * it is given an end (until or until_id): a function that returns rows
 * reads the history up to now.  The live stream is the mirror's.
 */
static void
bound_history(FunctionCallInfo fcinfo, AlpacaRequest *req)
{
	if (alpaca_declared_arg(fcinfo, "until") || alpaca_declared_arg(fcinfo, "until_id"))
		return;
	if (alpaca_declared_arg(fcinfo, "since_id"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("until_id is required with since_id"),
				 errdetail("Without an end Alpaca's event stream stays open."),
				 errhint("Give until_id, or since and until; the mirror (alpaca.mirror) keeps the live stream in alpaca_mirror_activities.")));
	if (!alpaca_declared_arg(fcinfo, "since"))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("since or since_id is required"),
				 errdetail("Without one Alpaca sends no history, only the events that happen from now on.")));
	alpaca_query(req, "until", alpaca_format_timestamptz(GetCurrentTimestamp()));
}

/* The request as declared, from the call's arguments. */
static void
build(FunctionCallInfo fcinfo, DeclaredCall *call, AlpacaRequest *req)
{
	const AlpacaOperation *op = call->op;
	char	   *path = pstrdup(op->path);
	char	   *save = NULL;
	int			k;

	alpaca_request_start(req, fcinfo, op->method, "");
	req->market_data = op->market_data;
	/* the path: literal segments as written, {name} from the argument */
	for (char *seg = strtok_r(path, "/", &save); seg; seg = strtok_r(NULL, "/", &save))
	{
		const AlpacaArg *a;

		if (seg[0] != '{')
		{
			appendStringInfo(&req->path, "/%s", seg);
			appendStringInfo(&req->template, "/%s", seg);
			continue;
		}
		seg[strlen(seg) - 1] = '\0';
		a = alpaca_operation_arg(op, seg + 1);
		if (a == NULL)
			elog(ERROR, "alpaca_declared: %s has no argument for {%s}", op->name, seg + 1);
		k = a - op->args;
		if (a->where == ARG_SYMBOL)
			alpaca_symbol_segment(req, a->name, arg_text(fcinfo, call->position[k], a));
		else
			alpaca_path_segment(req, a->name, arg_text(fcinfo, call->position[k], a));
	}
	k = 0;
	for (const AlpacaArg *a = op->args; a && a->name; a++, k++)
	{
		const char *wire = a->wire ? a->wire : a->name;
		char	   *v;

		if (a->where != ARG_QUERY && a->where != ARG_BODY)
			continue;
		v = arg_text(fcinfo, call->position[k], a);
		if (v == NULL && a->or_else)
			v = alpaca_declared_arg(fcinfo, a->or_else);
		if (v == NULL && a->def == NULL && !a->array)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s is required", a->name)));
		if (a->where == ARG_QUERY)
			alpaca_query(req, wire, v);
		else if (a->number || a->array || strcmp(a->type, "boolean") == 0 || strcmp(a->type, "jsonb") == 0)
			alpaca_body_raw(req, wire, v);
		else
			alpaca_body_string(req, wire, v);
	}
	if (req->body.len > 0)
		alpaca_body_finish(req);
}

PG_FUNCTION_INFO_V1(alpaca_declared);

Datum
alpaca_declared(PG_FUNCTION_ARGS)
{
	DeclaredCall *call = declared_call(fcinfo);
	const AlpacaOperation *op = call->op;
	AlpacaRequest req;
	AlpacaRowSpec spec = {0};

	if (!op->declared)
		elog(ERROR, "alpaca_declared: %s is not a declared endpoint", op->name);
	/* a change is refused before anything else: a read-only transaction, a standby, the kill switch */
	if (op->effect != ALPACA_READ)
		alpaca_check_trading(op->what);
	build(fcinfo, call, &req);
	if (op->check)
		op->check(fcinfo, op);
	if (op->paging == PAGES_EVENTS)
		bound_history(fcinfo, &req);

	if (call->returns_void)
	{
		alpaca_send_void(&req);
		PG_RETURN_VOID();
	}
	spec.shape = op->shape;
	spec.list_field = op->list_field;
	spec.token_field = op->token_field;
	spec.aliases = op->aliases;
	spec.key_column = op->key_column;
	spec.key_value = op->key_arg ? alpaca_declared_arg(fcinfo, op->key_arg) : NULL;
	spec.value_column = op->value_column;
	spec.finish = op->finish;
	if (!fcinfo->flinfo->fn_retset)
	{
		AlpacaResponse resp;

		alpaca_send(&req, &resp);
		return alpaca_row_datum(fcinfo, resp.body, resp.body_len, &spec);
	}
	if (op->paging == PAGES_EVENTS)
	{
		AlpacaResponse resp;
		AlpacaPage	page;

		alpaca_send(&req, &resp);
		events_to_array(&resp);
		alpaca_rows_parse(alpaca_rows_begin(fcinfo), resp.body, resp.body_len, &spec, &page);
	}
	else if (op->paging == PAGES_NONE)
		alpaca_send_rows(fcinfo, &req, &spec);
	else
	{
		/* every page: the same request with the answer's token */
		AlpacaRowSink *sink = alpaca_rows_begin(fcinfo);
		AlpacaPager pager;
		AlpacaPage	page;
		StringInfoData query = req.query;
		char	   *token = NULL;
		int			page_size = 0;

		if (op->paging == PAGES_LAST_ID)
		{
			/* a full page may have a next one, which starts after its last id */
			char	   *size = alpaca_declared_arg(fcinfo, "page_size");

			spec.key_field = "id";
			page_size = size ? atoi(size) : 100;
			if (size == NULL)
				alpaca_query(&req, "page_size", "100");
			query = req.query;
		}
		alpaca_pager_init(&pager, op->listing ? op->listing : op->name);
		do
		{
			AlpacaRequest page_req = req;

			initStringInfo(&page_req.query);
			appendStringInfoString(&page_req.query, query.data);
			alpaca_query(&page_req, "page_token", token);
			alpaca_fetch_page(sink, &page_req, &spec, &page);
			if (op->paging == PAGES_LAST_ID)
			{
				token = page.parsed >= page_size ? page.last_key : NULL;
				if (page.parsed >= page_size && token == NULL)
					ereport(ERROR,
							(errcode(ERRCODE_PROTOCOL_VIOLATION),
							 errmsg("the Alpaca API answered a full page whose last row has no id"),
							 errdetail("Without it the next page cannot be asked for.")));
			}
			else
				token = page.token;
		} while (alpaca_pager_next(&pager, token, page.added));
	}
	return (Datum) 0;
}
