/*
 * orders.c
 *		Placing, listing, replacing and canceling orders.
 *
 * An order must never be lost or placed twice.  Every order is sent with a
 * client_order_id (ours if the caller gave none).  Placement counts as
 * refused only when Alpaca answers a well-formed 4xx error, and as done only
 * when it answers a well-formed order with that id; every other outcome (no
 * answer, a cut or garbled one, an empty or non-JSON 200, a proxy's error
 * page) is ambiguous, and the order is looked up by its client_order_id
 * before any error is raised, so the caller learns whether it exists.  When
 * it is not (yet) there, the caller is told to retry with the same
 * client_order_id: Alpaca refuses a duplicate, so even a first attempt that
 * arrives late cannot make a second order.  Every error raised while
 * placing carries the client_order_id.
 *
 * alpaca_orders() returns every order the filters select.  Alpaca pages
 * orders by time (after/until, exclusive, at most 500 a page); each next
 * window overlaps the last by a microsecond so orders submitted at the same
 * instant as a page's last one are not lost, and orders seen on the page
 * before are skipped, so none is returned twice.
 */
#include "postgres.h"

#include <limits.h>

#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/inval.h"
#include "utils/syscache.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "api.h"
#include "catalog.h"
#include "json.h"
#include "encoding.h"
#include "errors.h"
#include "orders.h"
#include "risk.h"

PG_FUNCTION_INFO_V1(alpaca_place_order);
PG_FUNCTION_INFO_V1(alpaca_orders);
PG_FUNCTION_INFO_V1(alpaca_replace_order);
ALPACA_DECLARED_SYMBOL(alpaca_order);
ALPACA_DECLARED_SYMBOL(alpaca_order_by_client_id);
ALPACA_DECLARED_SYMBOL(alpaca_cancel_order);
ALPACA_DECLARED_SYMBOL(alpaca_cancel_all_orders);

static const char *const sides[] = {"buy", "sell", NULL};
static const char *const order_types[] = {"market", "limit", "stop", "stop_limit", "trailing_stop", NULL};
static const char *const tifs[] = {"day", "gtc", "opg", "cls", "ioc", "fok", NULL};
static const char *const order_classes[] = {"simple", "bracket", "oco", "oto", "mleg", NULL};
static const char *const intents[] = {"buy_to_open", "buy_to_close", "sell_to_open", "sell_to_close", NULL};
static const char *const list_statuses[] = {"open", "closed", "all", NULL};
static const char *const directions[] = {"asc", "desc", NULL};
static const char *const asset_classes[] = {"us_equity", "us_option", "crypto", "all", NULL};

#define MAX_CLIENT_ORDER_ID 128
#define ORDERS_PAGE 500			/* Alpaca's largest page */

/* Argument positions of alpaca_place_order, as declared in SQL. */
enum
{
	PO_SYMBOL, PO_QTY, PO_SIDE, PO_TYPE, PO_TIF, PO_LIMIT, PO_STOP, PO_TRAIL_PRICE,
	PO_TRAIL_PERCENT, PO_EXTENDED, PO_CLIENT_ID, PO_CLASS, PO_TP_LIMIT, PO_SL_STOP,
	PO_SL_LIMIT, PO_INTENT, PO_NOTIONAL, PO_LEGS, PO_ADVANCED
};

StaticAssertDecl(PO_LEGS == ALPACA_PLACE_ORDER_LEGS, "the legs argument of alpaca_place_order");

char *
alpaca_new_client_order_id(void)
{
	uint8		b[16];

	if (!pg_strong_random(b, sizeof(b)))
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("could not generate a client_order_id")));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	return psprintf("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
					b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
					b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static const char *
jsonb_text(FunctionCallInfo fcinfo, int n)
{
	if (PG_ARGISNULL(n))
		return NULL;
	return DatumGetCString(DirectFunctionCall1(jsonb_out, PG_GETARG_DATUM(n)));
}

static void
refuse_unless(bool given, bool allowed, const char *arg, const char *why)
{
	if (given && !allowed)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not valid %s", arg, why)));
}

static void
need(bool given, const char *arg, const char *why)
{
	if (!given)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is required%s%s", arg, why[0] ? " " : "", why)));
}

/*
 * Build the POST /v2/orders body, refusing every combination Alpaca would
 * refuse for the shape of the order alone.
 */
void
alpaca_build_order(FunctionCallInfo fcinfo, AlpacaRequest *req, char **client_order_id, AlpacaOrderCheck *check)
{
	char	   *symbol = alpaca_arg_text(fcinfo, PO_SYMBOL);
	char	   *qty = alpaca_arg_numeric(fcinfo, PO_QTY, "qty", true);
	char	   *side = alpaca_arg_enum(fcinfo, PO_SIDE, "side", sides);
	char	   *type = alpaca_arg_enum(fcinfo, PO_TYPE, "type", order_types);
	char	   *tif = alpaca_arg_enum(fcinfo, PO_TIF, "time_in_force", tifs);
	char	   *limit = alpaca_arg_numeric(fcinfo, PO_LIMIT, "limit_price", true);
	char	   *stop = alpaca_arg_numeric(fcinfo, PO_STOP, "stop_price", true);
	char	   *trail_price = alpaca_arg_numeric(fcinfo, PO_TRAIL_PRICE, "trail_price", true);
	char	   *trail_percent = alpaca_arg_numeric(fcinfo, PO_TRAIL_PERCENT, "trail_percent", true);
	char	   *extended = alpaca_arg_bool(fcinfo, PO_EXTENDED);
	char	   *cid = alpaca_arg_text(fcinfo, PO_CLIENT_ID);
	char	   *klass = alpaca_arg_enum(fcinfo, PO_CLASS, "order_class", order_classes);
	char	   *tp_limit = alpaca_arg_numeric(fcinfo, PO_TP_LIMIT, "take_profit_limit_price", true);
	char	   *sl_stop = alpaca_arg_numeric(fcinfo, PO_SL_STOP, "stop_loss_stop_price", true);
	char	   *sl_limit = alpaca_arg_numeric(fcinfo, PO_SL_LIMIT, "stop_loss_limit_price", true);
	char	   *intent = alpaca_arg_enum(fcinfo, PO_INTENT, "position_intent", intents);
	char	   *notional = alpaca_arg_numeric(fcinfo, PO_NOTIONAL, "notional", true);
	const char *legs = jsonb_text(fcinfo, PO_LEGS);
	const char *advanced = jsonb_text(fcinfo, PO_ADVANCED);
	bool		mleg = klass && strcmp(klass, "mleg") == 0;

	need(type != NULL, "type", "(market, limit, stop, stop_limit or trailing_stop)");
	need(tif != NULL, "time_in_force", "(day, gtc, opg, cls, ioc or fok)");

	if (mleg)
	{
		Jsonb	   *jb = PG_ARGISNULL(PO_LEGS) ? NULL : PG_GETARG_JSONB_P(PO_LEGS);
		int			n = jb && JB_ROOT_IS_ARRAY(jb) && !JB_ROOT_IS_SCALAR(jb) ? JB_ROOT_COUNT(jb) : 0;

		need(legs != NULL, "legs", "for an mleg order");
		alpaca_require(n >= 2 && n <= 4, "legs must be a JSON array of 2 to 4 legs",
					   "Each leg is {\"symbol\": ..., \"ratio_qty\": ..., \"side\": ..., \"position_intent\": ...}.");
		need(qty != NULL, "qty", "for an mleg order (the number of strategy units)");
		refuse_unless(symbol != NULL, false, "symbol", "for an mleg order; give each leg's symbol in legs");
		refuse_unless(side != NULL, false, "side", "for an mleg order; give each leg's side in legs");
		refuse_unless(notional != NULL, false, "notional", "for an mleg order");
	}
	else
	{
		need(symbol != NULL && symbol[0] != '\0', "symbol", "");
		need(side != NULL, "side", "(buy or sell)");
		refuse_unless(legs != NULL, false, "legs", "unless order_class is mleg");
		if (qty != NULL && notional != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("qty and notional cannot both be given"),
					 errhint("qty is a number of shares, notional an amount in dollars; give one.")));
		need(qty != NULL || notional != NULL, "qty or notional", "");
		refuse_unless(notional != NULL, strcmp(type, "market") == 0, "notional",
					  "for this order type; only market orders take a notional amount");
	}

	if (strcmp(type, "limit") == 0 || strcmp(type, "stop_limit") == 0)
		need(limit != NULL, "limit_price", psprintf("for a %s order", type));
	else
		refuse_unless(limit != NULL, false, "limit_price", psprintf("for a %s order", type));
	if (strcmp(type, "stop") == 0 || strcmp(type, "stop_limit") == 0)
		need(stop != NULL, "stop_price", psprintf("for a %s order", type));
	else
		refuse_unless(stop != NULL, false, "stop_price", psprintf("for a %s order", type));
	if (strcmp(type, "trailing_stop") == 0)
	{
		if ((trail_price != NULL) == (trail_percent != NULL))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("a trailing_stop order needs exactly one of trail_price and trail_percent")));
	}
	else
	{
		refuse_unless(trail_price != NULL, false, "trail_price", "unless type is trailing_stop");
		refuse_unless(trail_percent != NULL, false, "trail_percent", "unless type is trailing_stop");
	}
	if (extended && strcmp(extended, "true") == 0)
		alpaca_require(strcmp(type, "limit") == 0 &&
					   (strcmp(tif, "day") == 0 || strcmp(tif, "gtc") == 0),
					   "extended_hours orders must be limit orders with time_in_force day or gtc", NULL);

	/* the legs of bracket, oco and oto orders */
	refuse_unless(sl_limit != NULL && sl_stop == NULL, false, "stop_loss_limit_price",
				  "without stop_loss_stop_price");
	if (klass == NULL || strcmp(klass, "simple") == 0 || mleg)
	{
		refuse_unless(tp_limit != NULL, false, "take_profit_limit_price",
					  "for this order_class; use bracket, oco or oto");
		refuse_unless(sl_stop != NULL, false, "stop_loss_stop_price",
					  "for this order_class; use bracket, oco or oto");
	}
	else if (strcmp(klass, "bracket") == 0)
	{
		need(tp_limit != NULL, "take_profit_limit_price", "for a bracket order");
		need(sl_stop != NULL, "stop_loss_stop_price", "for a bracket order");
	}
	else if (strcmp(klass, "oco") == 0)
	{
		need(tp_limit != NULL, "take_profit_limit_price", "for an oco order");
		need(sl_stop != NULL, "stop_loss_stop_price", "for an oco order");
		alpaca_require(strcmp(type, "limit") == 0, "an oco order must have type limit", NULL);
	}
	else if (strcmp(klass, "oto") == 0)
		alpaca_require((tp_limit != NULL) != (sl_stop != NULL),
					   "an oto order needs exactly one of take_profit_limit_price and stop_loss_stop_price",
					   NULL);

	check->what = "placing an order";
	check->symbol = symbol;
	check->side = side;
	check->type = type;
	check->qty = qty;
	check->notional = notional;
	check->limit_price = limit;
	check->stop_price = stop;
	check->intent = intent;

	if (cid == NULL)
		cid = alpaca_new_client_order_id();
	alpaca_require(cid[0] != '\0' && pg_mbstrlen(cid) <= MAX_CLIENT_ORDER_ID,
				   "client_order_id must be 1 to 128 characters", NULL);
	*client_order_id = cid;

	alpaca_request_start(req, fcinfo, "POST", "/v2/orders");
	req->client_order_id = cid;
	alpaca_body_string(req, "symbol", symbol);
	alpaca_body_number(req, "qty", qty);
	alpaca_body_number(req, "notional", notional);
	alpaca_body_string(req, "side", side);
	alpaca_body_string(req, "type", type);
	alpaca_body_string(req, "time_in_force", tif);
	alpaca_body_number(req, "limit_price", limit);
	alpaca_body_number(req, "stop_price", stop);
	alpaca_body_number(req, "trail_price", trail_price);
	alpaca_body_number(req, "trail_percent", trail_percent);
	alpaca_body_raw(req, "extended_hours", extended);
	alpaca_body_string(req, "client_order_id", cid);
	alpaca_body_string(req, "order_class", klass);
	if (tp_limit)
	{
		AlpacaRequest leg;

		alpaca_request_init(&leg, NULL, "");
		alpaca_body_number(&leg, "limit_price", tp_limit);
		alpaca_body_finish(&leg);
		alpaca_body_raw(req, "take_profit", leg.body.data);
	}
	if (sl_stop)
	{
		AlpacaRequest leg;

		alpaca_request_init(&leg, NULL, "");
		alpaca_body_number(&leg, "stop_price", sl_stop);
		alpaca_body_number(&leg, "limit_price", sl_limit);
		alpaca_body_finish(&leg);
		alpaca_body_raw(req, "stop_loss", leg.body.data);
	}
	alpaca_body_string(req, "position_intent", intent);
	alpaca_body_raw(req, "legs", legs);
	alpaca_body_raw(req, "advanced_instructions", advanced);
	alpaca_body_finish(req);
}

/*
 * The limits, before anything is sent: the order itself, or each leg of an
 * mleg order as the order it is (its quantity times the strategy's, at the
 * leg's latest trade: the strategy's limit price is net, not a leg's).
 * Returns the order's value when known (NULL for an mleg order: its net
 * value is not judged here).
 */
char *
alpaca_check_order_limits(AlpacaOrderCheck *order, Jsonb *legs, bool want_value)
{
	if (order->symbol != NULL || legs == NULL)
		return alpaca_check_order(order, want_value);
	for (int i = 0; i < (int) JB_ROOT_COUNT(legs); i++)
	{
		Datum		leg = JsonbPGetDatum(JsonbValueToJsonb(getIthJsonbValueFromContainer(&legs->root, i)));
		AlpacaOrderCheck o = *order;
		char	   *vals[4];
		Datum		ratio;

		for (int k = 0; k < 4; k++)
			vals[k] = alpaca_jsonb_text(leg, (const char *[]) {"symbol", "ratio_qty", "side", "position_intent"}[k], NULL, NULL);
		alpaca_require(vals[0] != NULL, "each leg needs a symbol", NULL);
		o.symbol = vals[0];
		o.side = vals[2];
		o.intent = vals[3];
		o.type = "market";
		o.limit_price = o.stop_price = NULL;
		ratio = DirectFunctionCall3(numeric_in, CStringGetDatum(vals[1] ? vals[1] : "1"),
									ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
		o.qty = DatumGetCString(DirectFunctionCall1(numeric_out,
													DirectFunctionCall2(numeric_mul,
																		DirectFunctionCall3(numeric_in, CStringGetDatum(order->qty), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)),
																		ratio)));
		(void) alpaca_check_order(&o, false);
	}
	return NULL;
}

/*
 * A queued order's limits when it is about to be sent, judged again from
 * the body that will be sent (the role's limits may have changed since).
 */
void
alpaca_check_order_body(const char *what, Jsonb *body)
{
	AlpacaOrderCheck check = {what};
	Datum		legs;

	alpaca_order_check_of(JsonbPGetDatum(body), &check);
	legs = alpaca_jsonb_get(JsonbPGetDatum(body), "legs");
	(void) alpaca_check_order_limits(&check, legs && check.symbol == NULL && JB_ROOT_IS_ARRAY(DatumGetJsonbP(legs)) ?
									 DatumGetJsonbP(legs) : NULL, false);
}

/*
 * After an answer that does not settle it: does an order with our
 * client_order_id exist?  Returns its body, or NULL when Alpaca says it
 * does not; raises when that cannot be known.
 */
AlpacaResponse *
alpaca_find_order(const char *cid, const char *failure)
{
	AlpacaRequest req;
	AlpacaResponse *resp = palloc0(sizeof(AlpacaResponse));
	char	   *msg = NULL;
	char	   *code;
	char	   *message;
	AlpacaTransportError err;

	alpaca_request_init(&req, "GET", "/v2/orders:by_client_order_id");
	alpaca_query(&req, "client_order_id", cid);
	err = alpaca_try_send(&req, resp, &msg);
	if (err == ALPACA_TRANSPORT_OK && resp->status == 200)
	{
		alpaca_answer_text(resp);
		if (alpaca_body_is_order(resp->body, resp->body_len, cid))
			return resp;
	}
	if (err == ALPACA_TRANSPORT_OK && resp->status == 404 &&
		alpaca_error_body(alpaca_wire_text(resp->body, resp->body_len), resp->body_len, &code, &message))
		return NULL;
	ereport(ERROR,
			(errcode(ERRCODE_CONNECTION_FAILURE),
			 errmsg("the Alpaca API gave no clear answer; the order may have been placed"),
			 errdetail_internal("POST /v2/orders: %s", alpaca_clip(failure, strlen(failure))),
			 errhint("Look for it with alpaca_order_by_client_id(%s) before placing it again, "
					 "and place it again only with the same client_order_id.",
					 quote_literal_cstr(cid))));
	pg_unreachable();
}

/* Alpaca's 422 for a client_order_id it has seen: "client_order_id must be unique" */
static bool
is_duplicate_id(const char *message)
{
	return message && strstr(message, "client_order_id") && strstr(message, "unique");
}

/* Two numbers as text, equal as numbers (both absent counts as equal). */
static bool
same_number(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return DatumGetBool(DirectFunctionCall2(numeric_eq,
											DirectFunctionCall3(numeric_in, CStringGetDatum(a), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)),
											DirectFunctionCall3(numeric_in, CStringGetDatum(b), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1))));
}

/* A symbol as Alpaca may echo it: BTCUSD for BTC/USD, any case. */
static char *
symbol_key(const char *s)
{
	StringInfoData b;

	if (s == NULL)
		return NULL;
	initStringInfo(&b);
	for (; *s; s++)
		if (*s != '/' && *s != '-')
			appendStringInfoChar(&b, pg_toupper((unsigned char) *s));
	return b.data;
}

/*
 * Is the order Alpaca holds under our client_order_id the one we sent?
 * The same symbol, side, quantity or notional, type, prices and time in
 * force; anything else is another order that reused the id.
 */
static bool
same_order(const char *sent, AlpacaResponse *found)
{
	Datum		ours = DirectFunctionCall1(jsonb_in, CStringGetDatum(sent));
	Datum		theirs = alpaca_jsonb_datum(found->body, found->body_len);
	char	   *s1 = symbol_key(alpaca_jsonb_text(ours, "symbol", NULL, NULL));
	char	   *s2 = symbol_key(alpaca_jsonb_text(theirs, "symbol", NULL, NULL));
	const char *texts[] = {"side", "type", "time_in_force", "order_class"};
	const char *numbers[] = {"qty", "notional", "limit_price", "stop_price", "trail_price", "trail_percent"};

	if ((s1 || s2) && (s1 == NULL || s2 == NULL || strcmp(s1, s2) != 0))
		return false;
	for (size_t i = 0; i < lengthof(texts); i++)
	{
		char	   *a = alpaca_jsonb_text(ours, texts[i], NULL, NULL);
		char	   *b = alpaca_jsonb_text(theirs, texts[i], NULL, NULL);

		/* Alpaca answers order_class "" or "simple" for a simple order */
		if (strcmp(texts[i], "order_class") == 0 && (a == NULL || strcmp(a, "simple") == 0) &&
			(b == NULL || b[0] == '\0' || strcmp(b, "simple") == 0))
			continue;
		if (a && (b == NULL || strcmp(a, b) != 0))
			return false;
	}
	for (size_t i = 0; i < lengthof(numbers); i++)
	{
		char	   *a = alpaca_jsonb_text(ours, numbers[i], NULL, NULL);

		if (a && !same_number(a, alpaca_jsonb_text(theirs, numbers[i], NULL, NULL)))
			return false;
	}
	return true;
}

static void
placing_context(void *arg)
{
	const char *cid = arg;

	errcontext("placing the order with client_order_id %s", alpaca_quote(cid, strlen(cid)));
}

/* What an answer that settles nothing was, for the message. */
static char *
unclear_answer(AlpacaResponse *resp)
{
	if (resp->body_len == 0)
		return psprintf("HTTP %ld with an empty body", resp->status);
	return psprintf("HTTP %ld with a body that is not %s: %s", resp->status,
					resp->status >= 200 && resp->status <= 299 ? "this order" : "an Alpaca error",
					alpaca_clip(alpaca_wire_text(resp->body, resp->body_len), resp->body_len));
}

/*
 * Send an order and settle what became of it: PLACED (resp holds the order,
 * *recovered says how, when it was found by client_order_id rather than answered)
 * or REFUSED (resp holds Alpaca's well-formed 4xx error).  Every other
 * outcome raises an error that names the client_order_id.  maybe_sent: an
 * earlier attempt may have reached Alpaca (a queued order sent again after
 * a restart), so the order is looked up before it is sent.
 */
AlpacaSubmitResult
alpaca_submit_order(AlpacaRequest *req, const char *cid, bool maybe_sent, AlpacaResponse *resp,
					const char **recovered)
{
	AlpacaResponse *found;
	AlpacaTransportError err;
	ErrorContextCallback errcb;
	char	   *msg = NULL;
	char	   *code;
	char	   *message;

	errcb.callback = placing_context;
	errcb.arg = (void *) cid;
	errcb.previous = error_context_stack;
	error_context_stack = &errcb;
	*recovered = NULL;

	if (maybe_sent && (found = alpaca_find_order(cid, "an earlier attempt may have been sent")) != NULL)
	{
		*resp = *found;
		*recovered = "an earlier attempt had placed the order";
		error_context_stack = errcb.previous;
		return ALPACA_SUBMIT_PLACED;
	}
	for (;;)
	{
		AlpacaResponse none = {0};

		err = alpaca_try_send(req, resp, &msg);
		if (err == ALPACA_TRANSPORT_NOT_SENT)
			alpaca_raise_transport_error("POST", "/v2/orders", err, msg);
		if (err == ALPACA_TRANSPORT_OK && resp->status >= 200 && resp->status <= 299)
		{
			/* done only if the answer is this order */
			if (pg_encoding_verifymbstr(PG_UTF8, resp->body, (int) resp->body_len) == (int) resp->body_len)
			{
				alpaca_answer_text(resp);
				if (alpaca_body_is_order(resp->body, resp->body_len, cid))
				{
					error_context_stack = errcb.previous;
					return ALPACA_SUBMIT_PLACED;
				}
			}
			msg = unclear_answer(resp);
		}
		else if (err == ALPACA_TRANSPORT_OK)
		{
			/* refused only if Alpaca says so in its own words */
			if (resp->status >= 400 && resp->status <= 499 &&
				alpaca_error_body(alpaca_wire_text(resp->body, resp->body_len), resp->body_len, &code, &message))
			{
				/* not taken for the rate limit: the same order may go again */
				if (resp->status == 429 && alpaca_wait_to_retry(req, resp))
					continue;

				/*
				 * Alpaca has an order with this client_order_id (ours, sent
				 * before: a failover, a restore, a late first attempt; or
				 * another's): the order it holds tells which.
				 */
				if (resp->status == 422 && is_duplicate_id(message))
				{
					AlpacaResponse refusal = *resp;

					found = alpaca_find_order(cid, "Alpaca says the client_order_id is in use");
					error_context_stack = errcb.previous;
					if (found && same_order(req->body.data, found))
					{
						*resp = *found;
						*recovered = "Alpaca already had the order with this client_order_id: an earlier attempt placed it";
						return ALPACA_SUBMIT_PLACED;
					}
					*resp = refusal;
					return found ? ALPACA_SUBMIT_REUSED_ID : ALPACA_SUBMIT_REFUSED;
				}

				/*
				 * Sent twice (libcurl resent it on a fresh connection, or we
				 * retried) and refused: the refusal may be of our own first
				 * attempt as a duplicate.
				 */
				if (resp->status == 422 && (resp->attempts > 1 || req->attempt > 0 || maybe_sent) &&
					(found = alpaca_find_order(cid, "the request was sent again")) != NULL)
				{
					*resp = *found;
					*recovered = "Alpaca already had the order: the request had been sent again";
					error_context_stack = errcb.previous;
					return ALPACA_SUBMIT_PLACED;
				}
				error_context_stack = errcb.previous;
				return ALPACA_SUBMIT_REFUSED;
			}
			msg = unclear_answer(resp);
		}

		found = alpaca_find_order(cid, msg);
		if (found != NULL)
		{
			*resp = *found;
			*recovered = "Alpaca's answer to the order was unclear, but Alpaca has the order";
			error_context_stack = errcb.previous;
			return ALPACA_SUBMIT_PLACED;
		}
		/* absent: sent again with the same client_order_id, it cannot double */
		none.retry_after = -1;
		none.ratelimit_remaining = -1;
		if (!alpaca_wait_to_retry(req, &none))
			break;
	}
	ereport(ERROR,
			(errcode(ERRCODE_CONNECTION_FAILURE),
			 errmsg("the Alpaca API gave no clear answer, and has no order with client_order_id %s",
					alpaca_quote(cid, strlen(cid))),
			 errdetail_internal("POST /v2/orders: %s", alpaca_clip(msg, strlen(msg))),
			 errhint("Retry with the same client_order_id: Alpaca refuses a duplicate, so the order cannot be placed twice.")));
	pg_unreachable();
}

static Datum alpaca_placed_row(FunctionCallInfo fcinfo, AlpacaResponse *resp, const char *cid);

Datum
alpaca_place_order(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	AlpacaResponse resp;
	char	   *cid;
	const char *recovered;
	AlpacaSubmitResult result;
	AlpacaOrderCheck check = {0};

	alpaca_build_order(fcinfo, &req, &cid, &check);
	alpaca_check_trading(check.what);
	alpaca_check_orders_today();
	(void) alpaca_check_order_limits(&check, PG_ARGISNULL(PO_LEGS) ? NULL : PG_GETARG_JSONB_P(PO_LEGS), false);
	req.order = &check;
	result = alpaca_submit_order(&req, cid, false, &resp, &recovered);
	if (result == ALPACA_SUBMIT_REUSED_ID)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("client_order_id %s is already used by a different order at Alpaca; this order was not placed",
						alpaca_quote(cid, strlen(cid))),
				 errhint("See alpaca_order_by_client_id(%s); give this order its own client_order_id.",
						 quote_literal_cstr(cid))));
	if (result == ALPACA_SUBMIT_REFUSED)
	{
		ErrorContextCallback errcb = {error_context_stack, placing_context, cid};

		error_context_stack = &errcb;
		alpaca_raise_http_error("POST", "/v2/orders", &resp);
	}
	if (recovered)
		ereport(NOTICE,
				(errmsg("%s", recovered),
				 errdetail("Found by client_order_id %s.", alpaca_quote(cid, strlen(cid)))));
	PG_RETURN_DATUM(alpaca_placed_row(fcinfo, &resp, cid));
}

/*
 * The row of an order Alpaca has placed.  Whatever fails now (its row type
 * dropped with the extension while the request was out, say) must not read
 * as an order not placed: the error says it was, and names it.
 */
static Datum
alpaca_placed_row(FunctionCallInfo fcinfo, AlpacaResponse *resp, const char *cid)
{
	MemoryContext here = CurrentMemoryContext;
	volatile Datum row = (Datum) 0;

	/*
	 * Dropped while the request was out: this function and its row type are
	 * gone, and the executor would fail on the type after we return.
	 */
	AcceptInvalidationMessages();
	if (!SearchSysCacheExists1(PROCOID, ObjectIdGetDatum(fcinfo->flinfo->fn_oid)))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the order with client_order_id %s was placed, but the alpaca extension was dropped while it was sent",
						alpaca_quote(cid, strlen(cid))),
				 errhint("Look for it with alpaca_order_by_client_id(%s) once the extension is installed again; do not place it again.",
						 quote_literal_cstr(cid))));
	PG_TRY();
	{
		row = alpaca_object_datum(fcinfo, resp->body, resp->body_len);
	}
	PG_CATCH();
	{
		ErrorData  *e;

		MemoryContextSwitchTo(here);
		e = CopyErrorData();
		if (e->sqlerrcode == ERRCODE_QUERY_CANCELED || e->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN)
			PG_RE_THROW();
		FlushErrorState();
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the order with client_order_id %s was placed, but its row could not be returned: %s",
						alpaca_quote(cid, strlen(cid)), e->message),
				 errhint("Look for it with alpaca_order_by_client_id(%s) (with the extension installed); do not place it again.",
						 quote_literal_cstr(cid))));
	}
	PG_END_TRY();
	return row;
}

/* The overlap between two pages of orders: the ids of the page before. */
typedef struct OrderWindow
{
	List	   *before;			/* ids on the previous page */
	List	   *now;			/* ids on this page */
	int64		room;			/* rows the caller's limit still allows */
	MemoryContext cxt;			/* where the lists live (rows are built in
								 * a context reset after each) */
} OrderWindow;

static bool
order_not_seen(void *arg, const char *id)
{
	OrderWindow *w = arg;
	ListCell   *lc;
	MemoryContext old;

	if (id == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered with an order without an id")));
	foreach(lc, w->before)
		if (strcmp((char *) lfirst(lc), id) == 0)
			return false;
	if (w->room <= 0)
		return false;
	w->room--;
	old = MemoryContextSwitchTo(w->cxt);
	w->now = lappend(w->now, pstrdup(id));
	MemoryContextSwitchTo(old);
	return true;
}

/* One microsecond past a page's last submitted_at, toward the next page. */
static char *
next_bound(const char *submitted_at, bool desc)
{
	TimestampTz ts;

	if (submitted_at == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered a full page of orders whose last one has no submitted_at"),
				 errdetail("Without it the next page cannot be asked for.")));
	ts = DatumGetTimestampTz(DirectFunctionCall3(timestamptz_in, CStringGetDatum(submitted_at),
												 ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)));
	return alpaca_format_timestamptz(desc ? ts + 1 : ts - 1);
}

/*
 * alpaca_orders(status, "limit", after, until, direction, nested, symbols,
 * side, asset_class, before_order_id, after_order_id): every order the
 * filters select (at most "limit" when given), all pages.
 */
Datum
alpaca_orders(PG_FUNCTION_ARGS)
{
	char	   *status = alpaca_arg_enum(fcinfo, 0, "status", list_statuses);
	char	   *limit_arg = alpaca_arg_int(fcinfo, 1, "limit", 1, INT_MAX);
	char	   *after = alpaca_arg_timestamptz(fcinfo, 2);
	char	   *until = alpaca_arg_timestamptz(fcinfo, 3);
	char	   *direction = alpaca_arg_enum(fcinfo, 4, "direction", directions);
	char	   *nested = alpaca_arg_bool(fcinfo, 5);
	char	   *symbols = alpaca_arg_list(fcinfo, 6, "symbols", NULL);
	char	   *side = alpaca_arg_enum(fcinfo, 7, "side", sides);
	char	   *classes = alpaca_arg_list(fcinfo, 8, "asset_class", asset_classes);
	char	   *before_id = alpaca_arg_uuid(fcinfo, 9);
	char	   *after_id = alpaca_arg_uuid(fcinfo, 10);
	bool		desc = direction == NULL || strcmp(direction, "desc") == 0;
	int64		wanted = limit_arg ? atoi(limit_arg) : PG_INT64_MAX;
	AlpacaRowSink *sink = alpaca_rows_begin(fcinfo);
	OrderWindow *window = palloc0(sizeof(OrderWindow));
	AlpacaRowSpec spec = {ALPACA_LIST, NULL, NULL, "id", "submitted_at", order_not_seen, window};
	AlpacaPager pager;
	AlpacaPage	page;
	char	   *bound = NULL;

	window->cxt = CurrentMemoryContext;
	window->room = wanted;
	alpaca_pager_init(&pager, "orders");
	for (;;)
	{
		AlpacaRequest req;
		int			size = (int) Min((int64) ORDERS_PAGE, wanted);
		char	   *prev = bound;

		alpaca_request_start(&req, fcinfo, "GET", "/v2/orders");
		alpaca_query(&req, "status", status);
		alpaca_query(&req, "limit", psprintf("%d", size));
		alpaca_query(&req, "after", after);
		alpaca_query(&req, "until", until);
		alpaca_query(&req, "direction", direction);
		alpaca_query(&req, "nested", nested);
		alpaca_query(&req, "symbols", symbols);
		alpaca_query(&req, "side", side);
		alpaca_query(&req, "asset_class", classes);
		alpaca_query(&req, "before_order_id", before_id);
		alpaca_query(&req, "after_order_id", after_id);
		/* full pages always: a short one would be mostly the overlap */
		alpaca_fetch_page(sink, &req, &spec, &page);
		window->before = window->now;
		window->now = NIL;

		/* a short page is the last; so is the caller's limit */
		bound = (page.parsed >= size && window->room > 0) ? next_bound(page.last_order, desc) : NULL;
		if (bound && prev && strcmp(bound, prev) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("more than %d orders share submitted_at %s; they cannot be paged by time",
							size, alpaca_quote(page.last_order, strlen(page.last_order))),
					 errhint("Narrow the query with symbols, side, after or until.")));
		if (!alpaca_pager_next(&pager, bound, page.added))
			break;
		if (desc)
			until = bound;
		else
			after = bound;
	}
	return (Datum) 0;
}


/*
 * alpaca_replace_order(order_id, qty, time_in_force, limit_price,
 * stop_price, trail, client_order_id): returns the new order.
 */
Datum
alpaca_replace_order(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	char	   *cid = alpaca_arg_text(fcinfo, 6);

	alpaca_request_start(&req, fcinfo, "PATCH", "/v2/orders");
	alpaca_path_segment(&req, "order_id", alpaca_arg_uuid(fcinfo, 0));
	alpaca_body_number(&req, "qty", alpaca_arg_numeric(fcinfo, 1, "qty", true));
	alpaca_body_string(&req, "time_in_force", alpaca_arg_enum(fcinfo, 2, "time_in_force", tifs));
	alpaca_body_number(&req, "limit_price", alpaca_arg_numeric(fcinfo, 3, "limit_price", true));
	alpaca_body_number(&req, "stop_price", alpaca_arg_numeric(fcinfo, 4, "stop_price", true));
	alpaca_body_number(&req, "trail", alpaca_arg_numeric(fcinfo, 5, "trail", true));
	alpaca_require(cid == NULL || (cid[0] != '\0' && pg_mbstrlen(cid) <= MAX_CLIENT_ORDER_ID),
				   "client_order_id must be 1 to 128 characters", NULL);
	alpaca_body_string(&req, "client_order_id", cid);
	alpaca_require(req.body.len > 0, "nothing to replace",
				   "Give at least one of qty, time_in_force, limit_price, stop_price, trail or client_order_id.");
	alpaca_body_finish(&req);
	/* a replacement is a new order: it counts */
	alpaca_check_trading("replacing an order");
	alpaca_check_orders_today();
	alpaca_check_replacement(alpaca_arg_uuid(fcinfo, 0), alpaca_arg_numeric(fcinfo, 1, "qty", true),
							 alpaca_arg_numeric(fcinfo, 3, "limit_price", true),
							 alpaca_arg_numeric(fcinfo, 4, "stop_price", true));
	return alpaca_send_object(fcinfo, &req);
}

/* alpaca_place_order's arguments, and alpaca_queue_order's (the same) */
static const char legs_schema[] =
"{\"type\":\"array\",\"minItems\":2,\"maxItems\":4,\"x-sql-type\":\"jsonb\","
"\"description\":\"an mleg order's legs (order_class mleg, no symbol or side): each a contract, its ratio and side\","
"\"items\":{\"type\":\"object\",\"required\":[\"symbol\",\"ratio_qty\",\"side\"],\"properties\":{"
"\"symbol\":{\"type\":\"string\",\"description\":\"an option contract, e.g. AAPL261204C00150000\"},"
"\"ratio_qty\":{\"type\":\"string\",\"description\":\"contracts of this leg per unit of the strategy\"},"
"\"side\":{\"type\":\"string\",\"enum\":[\"buy\",\"sell\"]},"
"\"position_intent\":{\"type\":\"string\",\"enum\":[\"buy_to_open\",\"buy_to_close\",\"sell_to_open\",\"sell_to_close\"]}}}}";

const AlpacaArg alpaca_order_args[] = {
	{"symbol", "text", ARG_LOCAL, NULL, "what to trade: AAPL, BTC/USD, an option contract; NULL for an mleg order"},
	{"qty", "numeric", ARG_LOCAL, "NULL", "shares, coins or contracts (or give notional)", .positive = true},
	{"side", "text", ARG_LOCAL, "NULL", "required unless mleg", sides},
	{"type", "text", ARG_LOCAL, "'market'::text", NULL, order_types},
	{"time_in_force", "text", ARG_LOCAL, "'day'::text", NULL, tifs},
	{"limit_price", "numeric", ARG_LOCAL, "NULL", "dollars; required for limit and stop_limit", .positive = true},
	{"stop_price", "numeric", ARG_LOCAL, "NULL", "dollars; required for stop and stop_limit", .positive = true},
	{"trail_price", "numeric", ARG_LOCAL, "NULL", "trailing_stop: dollars below the high (or give trail_percent)", .positive = true},
	{"trail_percent", "numeric", ARG_LOCAL, "NULL", "trailing_stop: percent below the high", .positive = true},
	{"extended_hours", "boolean", ARG_LOCAL, "NULL", "limit orders, day or gtc, in the extended sessions too"},
	{"client_order_id", "text", ARG_LOCAL, "NULL", "your id for it, 1 to 128 characters (one is made if not given); retry with the same one", .maxlen = 128},
	{"order_class", "text", ARG_LOCAL, "NULL", NULL, order_classes},
	{"take_profit_limit_price", "numeric", ARG_LOCAL, "NULL", "bracket, oco, oto: the take-profit leg's limit", .positive = true},
	{"stop_loss_stop_price", "numeric", ARG_LOCAL, "NULL", "bracket, oco, oto: the stop-loss leg's stop", .positive = true},
	{"stop_loss_limit_price", "numeric", ARG_LOCAL, "NULL", "the stop-loss leg's limit (with its stop)", .positive = true},
	{"position_intent", "text", ARG_LOCAL, "NULL", NULL, intents},
	{"notional", "numeric", ARG_LOCAL, "NULL", "dollars, instead of qty (market orders only)", .positive = true},
	{"legs", "jsonb", ARG_LOCAL, "NULL", NULL, .schema = legs_schema},
	{"advanced_instructions", "jsonb", ARG_LOCAL, "NULL", "Alpaca's advanced instructions object, as it is sent"},
	{NULL}
};

const AlpacaOperation alpaca_orders_operations[] = {
	{"alpaca_place_order", ALPACA_ORDER, "POST", "/v2/orders",
		"Place an order now (checked against the role's limits first); returns it. Exactly once: an unclear answer is looked up by client_order_id.",
		alpaca_order_args,
		"SELECT id, status FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 150);",
		"buy sell order trade purchase shares place an order limit market stop short go long"},
	{"alpaca_orders", ALPACA_READ, "GET", "/v2/orders",
		"Every order the filters select, all pages, none twice (status open by default, as Alpaca's).",
		(const AlpacaArg[]) {
			{"status", "text", ARG_LOCAL, "NULL", NULL, list_statuses},
			{"limit", "integer", ARG_LOCAL, "NULL", "at most this many rows", .min = 1, .max = PG_INT32_MAX},
			{"after", "timestamptz", ARG_LOCAL, "NULL", "submitted after"},
			{"until", "timestamptz", ARG_LOCAL, "NULL", "submitted until"},
			{"direction", "text", ARG_LOCAL, "NULL", "by submission time; desc by default", directions},
			{"nested", "boolean", ARG_LOCAL, "NULL", "legs inside their parent order"},
			{"symbols", "text[]", ARG_LOCAL, "NULL", "only these symbols"},
			{"side", "text", ARG_LOCAL, "NULL", NULL, sides},
			{"asset_class", "text[]", ARG_LOCAL, "NULL", NULL, asset_classes},
			{"before_order_id", "uuid", ARG_LOCAL, "NULL", NULL},
			{"after_order_id", "uuid", ARG_LOCAL, "NULL", NULL},
			{NULL}},
		"SELECT id, symbol, side, qty, status FROM alpaca_orders(status => 'open');",
		"orders list open orders pending working order history what did I buy fills status"},
	{"alpaca_order", ALPACA_READ, "GET", "/v2/orders/{order_id}",
		"One order by its id, with its fills so far.",
		(const AlpacaArg[]) {
			{"order_id", "uuid", ARG_PATH, NULL, "Alpaca's id of the order"},
			{"nested", "boolean", ARG_QUERY, "NULL", "its legs inside it"},
			{NULL}},
		"SELECT status, filled_qty, filled_avg_price FROM alpaca_order('61e69015-8549-4bfd-b9c3-01e75843f47d');",
		"order status fill filled price one order by id did it fill",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_order_by_client_id", ALPACA_READ, "GET", "/v2/orders:by_client_order_id",
		"One order by your client_order_id: whether it was placed, and its fills.",
		(const AlpacaArg[]) {
			{"client_order_id", "text", ARG_QUERY, NULL, "the id you placed it with", .nonempty = true},
			{NULL}},
		"SELECT id, status FROM alpaca_order_by_client_id('my-order-1');",
		"order by client order id was it placed look up my order",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_replace_order", ALPACA_ORDER, "PATCH", "/v2/orders/{order_id}",
		"Replace an open order's quantity, time in force or prices (checked against the limits as the order it becomes); returns the new order.",
		(const AlpacaArg[]) {
			{"order_id", "uuid", ARG_LOCAL, NULL, "the open order"},
			{"qty", "numeric", ARG_LOCAL, "NULL", NULL, .positive = true},
			{"time_in_force", "text", ARG_LOCAL, "NULL", NULL, tifs},
			{"limit_price", "numeric", ARG_LOCAL, "NULL", NULL, .positive = true},
			{"stop_price", "numeric", ARG_LOCAL, "NULL", NULL, .positive = true},
			{"trail", "numeric", ARG_LOCAL, "NULL", "a trailing stop's new trail", .positive = true},
			{"client_order_id", "text", ARG_LOCAL, "NULL", "the new order's id", .maxlen = 128},
			{NULL}},
		"SELECT id, limit_price FROM alpaca_replace_order('61e69015-8549-4bfd-b9c3-01e75843f47d', limit_price => 151);",
		"change modify amend replace an order move the limit price update quantity"},
	{"alpaca_cancel_order", ALPACA_ORDER, "DELETE", "/v2/orders/{order_id}",
		"Cancel one open order.",
		(const AlpacaArg[]) {
			{"order_id", "uuid", ARG_PATH, NULL, "the open order"},
			{NULL}},
		"SELECT alpaca_cancel_order('61e69015-8549-4bfd-b9c3-01e75843f47d');",
		"cancel an order withdraw kill remove order",
		.declared = true, .what = "canceling an order"},
	{"alpaca_cancel_all_orders", ALPACA_ORDER, "DELETE", "/v2/orders",
		"Cancel every open order; one row per order Alpaca tried to cancel.",
		NULL, "SELECT id, status FROM alpaca_cancel_all_orders();",
		"cancel all orders every open order flatten orders stop everything",
		.declared = true, .shape = ALPACA_LIST, .what = "canceling every order"},
	ALPACA_END_OF_OPERATIONS
};
