/*
 * risk.c
 *		What a role may do with the keys: limits the owner sets per role.
 *
 * Every limit is a superuser-only setting, so it can be set for the server,
 * per database and per role (ALTER ROLE agent SET alpaca.max_order_notional
 * = '1000'), and the role it binds can neither SET nor RESET it.  Every
 * state-changing call passes alpaca_check_trading() (the kill switch); every
 * order, and every replace, close and exercise as the order it would
 * become, passes alpaca_check_order() before its request leaves.  A refusal
 * is 42501 naming the limit, the value that broke it and who may change it.
 *
 * A notional needs a price: the order's own notional, limit or stop price,
 * else the latest trade from Alpaca's Market Data API; without one the
 * order is refused while a notional limit is set.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "api.h"
#include "json.h"
#include "encoding.h"
#include "errors.h"
#include "guc.h"
#include "extension.h"
#include "risk.h"

static const char *
role_name(void)
{
	return GetUserNameFromId(GetUserId(), false);
}

/* ---- numbers ---- */

static Datum
num(const char *s)
{
	return DirectFunctionCall3(numeric_in, CStringGetDatum(s), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

static char *
num_text(Datum n)
{
	return DatumGetCString(DirectFunctionCall1(numeric_out, n));
}

static Datum
mul(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_mul, a, b);
}

static bool
above(Datum a, const char *limit)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a, num(limit))) > 0;
}

static Datum
abs_num(Datum a)
{
	return DirectFunctionCall1(numeric_abs, a);
}

/* ---- symbols ---- */

static bool
listed(const char *list, const char *symbol)
{
	char	   *copy = pstrdup(list ? list : "");

	for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ","))
	{
		while (*tok == ' ')
			tok++;
		for (char *end = tok + strlen(tok); end > tok && end[-1] == ' ';)
			*--end = '\0';
		if (pg_strcasecmp(tok, symbol) == 0)
			return true;
	}
	return false;
}

/* An option's OCC symbol: root, YYMMDD, C or P, strike in 8 digits. */
static bool
is_option_symbol(const char *s)
{
	size_t		n = strlen(s);

	if (n < 16 || n > 21)
		return false;
	for (size_t i = n - 15; i < n; i++)
		if (i == n - 9 ? (s[i] != 'C' && s[i] != 'P') : (s[i] < '0' || s[i] > '9'))
			return false;
	return true;
}

const char *
alpaca_asset_class_of(const char *symbol)
{
	if (strchr(symbol, '/'))
		return "crypto";
	return is_option_symbol(symbol) ? "us_option" : "us_equity";
}

/* ---- what Alpaca says: prices and positions ---- */

/* A small answer as jsonb; 0 for a 404 when missing_ok. */
static Datum
fetch_jsonb(AlpacaRequest *req, bool missing_ok)
{
	AlpacaResponse resp;
	AlpacaTransportError err;
	char	   *msg;

	err = alpaca_try_send(req, &resp, &msg);
	if (missing_ok && err == ALPACA_TRANSPORT_OK && resp.status == 404)
		return (Datum) 0;
	if (err != ALPACA_TRANSPORT_OK)
		alpaca_raise_transport_error(req->method, req->path.data, err, msg);
	if (resp.status < 200 || resp.status > 299)
		alpaca_raise_http_error(req->method, alpaca_request_target(req), &resp);
	alpaca_answer_text(&resp);
	return alpaca_jsonb_datum(resp.body, resp.body_len);
}

static char *
answer_text(AlpacaRequest *req, const char *k1, const char *k2, const char *k3, bool missing_ok)
{
	Datum		j = fetch_jsonb(req, missing_ok);

	return j ? alpaca_jsonb_text(j, k1, k2, k3) : NULL;
}

/*
 * The latest trade price of a symbol from the Market Data API, as numeric
 * text; NULL when Alpaca has no trade.
 */
static char *
latest_price(const char *symbol)
{
	AlpacaRequest req;
	const char *cls = alpaca_asset_class_of(symbol);
	char	   *p;

	alpaca_request_init(&req, "GET", strcmp(cls, "crypto") == 0 ? "/v1beta3/crypto/us/latest/trades" :
						strcmp(cls, "us_option") == 0 ? "/v1beta1/options/trades/latest" :
						"/v2/stocks/trades/latest");
	req.market_data = true;
	alpaca_query(&req, "symbols", symbol);
	p = answer_text(&req, "trades", symbol, "p", true);
	if (p && DatumGetInt32(DirectFunctionCall2(numeric_cmp, num(p), num("0"))) <= 0)
		p = NULL;
	return p;
}

/* The account's position in a symbol, signed (short is negative); 0 for none. */
static char *
position_qty(const char *symbol)
{
	AlpacaRequest req;
	char	   *q;

	alpaca_request_init(&req, "GET", "/v2/positions");
	alpaca_symbol_segment(&req, "symbol", symbol);
	q = answer_text(&req, "qty", NULL, NULL, true);
	return q ? q : "0";
}

static bool
notional_limited(void)
{
	return (alpaca_max_order_notional && alpaca_max_order_notional[0]) ||
		(alpaca_max_position_notional && alpaca_max_position_notional[0]);
}

/*
 * Check one order (or one leg) against every limit before it is sent.
 * qty or notional is given (numeric text); price is the order's own limit
 * or stop price, if it has one.  closing: it only reduces a position.
 */
void
alpaca_check_order(const AlpacaOrderCheck *o)
{
	const char *cls = alpaca_asset_class_of(o->symbol);
	bool		option = strcmp(cls, "us_option") == 0;
	Datum		multiplier = num(option ? "100" : "1");
	Datum		qty = o->qty ? num(o->qty) : (Datum) 0;
	Datum		value = (Datum) 0;
	const char *price = o->price;
	bool		sell = o->side && strcmp(o->side, "sell") == 0;

	alpaca_check_trading(o->what);
	if (alpaca_allowed_symbols && alpaca_allowed_symbols[0] && !listed(alpaca_allowed_symbols, o->symbol))
		alpaca_refuse("alpaca.allowed_symbols", psprintf("%s is not among the allowed symbols (%s)",
												  alpaca_quote(o->symbol, strlen(o->symbol)), alpaca_allowed_symbols));
	if (listed(alpaca_denied_symbols, o->symbol))
		alpaca_refuse("alpaca.denied_symbols", psprintf("%s is a denied symbol", alpaca_quote(o->symbol, strlen(o->symbol))));
	if (alpaca_allowed_asset_classes && alpaca_allowed_asset_classes[0] && !listed(alpaca_allowed_asset_classes, cls))
		alpaca_refuse("alpaca.allowed_asset_classes", psprintf("%s is %s, not among %s",
														alpaca_quote(o->symbol, strlen(o->symbol)), cls, alpaca_allowed_asset_classes));
	if (option && !alpaca_allow_options)
		alpaca_refuse("alpaca.allow_options", psprintf("%s is an option", alpaca_quote(o->symbol, strlen(o->symbol))));
	if (o->intent && strcmp(o->intent, "sell_to_open") == 0 && !alpaca_allow_short)
		alpaca_refuse("alpaca.allow_short", psprintf("sell_to_open of %s opens a short position",
											  alpaca_quote(o->symbol, strlen(o->symbol))));
	/* an exercise names a symbol and no amount: nothing more to check */
	if (o->qty == NULL && o->notional == NULL)
		return;
	if (o->qty && alpaca_max_order_qty && alpaca_max_order_qty[0] && above(abs_num(qty), alpaca_max_order_qty))
		alpaca_refuse("alpaca.max_order_qty", psprintf("The order is for %s; the limit is %s", o->qty, alpaca_max_order_qty));

	/* the order's value: its notional, else its quantity at a price */
	if (o->notional)
		value = num(o->notional);
	else if (notional_limited())
	{
		if (price == NULL)
			price = latest_price(o->symbol);
		if (price == NULL)
			alpaca_refuse(alpaca_max_order_notional && alpaca_max_order_notional[0] ? "alpaca.max_order_notional" : "alpaca.max_position_notional",
				   psprintf("No price is known for %s: the order has no limit or stop price and the market data API has no trade",
							alpaca_quote(o->symbol, strlen(o->symbol))));
		value = mul(mul(abs_num(qty), num(price)), multiplier);
	}
	if (value && alpaca_max_order_notional && alpaca_max_order_notional[0] && above(value, alpaca_max_order_notional))
		alpaca_refuse("alpaca.max_order_notional", psprintf("The order's value is %s; the limit is %s",
													 num_text(DirectFunctionCall2(numeric_round, value, Int32GetDatum(2))),
													 alpaca_max_order_notional));

	/* what the position would become */
	if (!o->closing && (!alpaca_allow_short || (alpaca_max_position_notional && alpaca_max_position_notional[0])))
	{
		Datum		held = num(position_qty(o->symbol));
		Datum		change;
		Datum		after;

		if (o->qty)
			change = qty;
		else
		{
			/* a notional order: its quantity at the price */
			if (price == NULL)
				price = latest_price(o->symbol);
			if (price == NULL)
				alpaca_refuse("alpaca.max_position_notional",
					   psprintf("No price is known for %s", alpaca_quote(o->symbol, strlen(o->symbol))));
			change = DirectFunctionCall2(numeric_div, value, mul(num(price), multiplier));
		}
		after = sell ? DirectFunctionCall2(numeric_sub, held, change) : DirectFunctionCall2(numeric_add, held, change);
		if (!alpaca_allow_short && DatumGetInt32(DirectFunctionCall2(numeric_cmp, after, num("0"))) < 0)
			alpaca_refuse("alpaca.allow_short", psprintf("Selling would leave a position of %s in %s", num_text(after),
												  alpaca_quote(o->symbol, strlen(o->symbol))));
		if (alpaca_max_position_notional && alpaca_max_position_notional[0])
		{
			Datum		pos_value;

			if (price == NULL)
				price = latest_price(o->symbol);
			if (price == NULL)
				alpaca_refuse("alpaca.max_position_notional",
					   psprintf("No price is known for %s", alpaca_quote(o->symbol, strlen(o->symbol))));
			pos_value = mul(mul(abs_num(after), num(price)), multiplier);
			/* an order that shrinks a position is always allowed */
			if (above(pos_value, alpaca_max_position_notional) &&
				DatumGetInt32(DirectFunctionCall2(numeric_cmp, abs_num(after), abs_num(held))) > 0)
				alpaca_refuse("alpaca.max_position_notional",
					   psprintf("The position in %s would be worth %s; the limit is %s",
								alpaca_quote(o->symbol, strlen(o->symbol)),
								num_text(DirectFunctionCall2(numeric_round, pos_value, Int32GetDatum(2))),
								alpaca_max_position_notional));
		}
	}
}

/*
 * What an order is worth, for alpaca.approval_above_notional: its notional,
 * else its quantity at its own limit or stop price, else at the latest
 * trade.  NULL when no price is known (an mleg order, or no trade).
 */
char *
alpaca_order_value(const AlpacaOrderCheck *o)
{
	const char *price = o->price;

	if (o->symbol == NULL)
		return NULL;
	if (o->notional)
		return pstrdup(o->notional);
	if (o->qty == NULL)
		return NULL;
	if (price == NULL)
		price = latest_price(o->symbol);
	if (price == NULL)
		return NULL;
	return num_text(mul(mul(abs_num(num(o->qty)), num(price)),
						num(strcmp(alpaca_asset_class_of(o->symbol), "us_option") == 0 ? "100" : "1")));
}

/*
 * Does a queued order wait for a person (alpaca.approval_above_notional)?
 * *value: what it is worth, or NULL when that is not known.
 */
bool
alpaca_order_needs_approval(const AlpacaOrderCheck *o, char **value)
{
	*value = NULL;
	if (alpaca_approval_above_notional == NULL || alpaca_approval_above_notional[0] == '\0')
		return false;
	*value = alpaca_order_value(o);
	return *value == NULL || above(num(*value), alpaca_approval_above_notional);
}

/*
 * alpaca.max_orders_per_day: the orders this role placed today (New York
 * time), from alpaca_audit: placed with alpaca_place_order, through
 * alpaca_request or as a replacement (a replacement is a new order), and
 * queued to be sent (retries of one client_order_id count once).  An
 * advisory lock on the role, held to the end of the transaction, keeps two
 * of its sessions from both taking the last one: the intent is durable (and
 * visible) before the lock is released.  Counted as the extension's owner,
 * so the role need not read the trail, with the extension's schema and owner
 * found by its OID and the fixed search path: nothing the role can create
 * takes part in the query.
 */
void
alpaca_check_orders_today(void)
{
	const char *role = role_name();
	AlpacaExtension ext;
	int64		placed;
	bool		isnull;
	int			level;

	if (alpaca_max_orders_per_day <= 0)
		return;
	DirectFunctionCall1(pg_advisory_xact_lock_int8,
						Int64GetDatum((int64) hash_bytes((const unsigned char *) role, strlen(role)) | INT64CONST(0x616c70000000000)));
	alpaca_extension_find(&ext, false);
	level = alpaca_spi_begin();
	/* sent, and queued to be sent (an order in both counts once) */
	if (alpaca_spi_execute_as(ext.owner,
							  psprintf("WITH today AS (SELECT pg_catalog.timezone('America/New_York', "
									   "pg_catalog.date_trunc('day', pg_catalog.timezone('America/New_York', pg_catalog.now()))) AS t) "
									   "SELECT pg_catalog.count(DISTINCT o) FROM ("
									   "SELECT COALESCE(a.client_order_id, a.id::pg_catalog.text) FROM %s a, today "
									   "WHERE a.role = $1::pg_catalog.name AND a.at >= today.t AND a.outcome <> 'not sent' AND "
									   "((a.method = 'POST' AND a.path OPERATOR(pg_catalog.~) '^/+v2/+orders/*([?]|$)') OR "
									   "(a.method = 'PATCH' AND a.path OPERATOR(pg_catalog.~) '^/+v2/+orders/+[^/?]+/*([?]|$)')) "
									   "UNION ALL SELECT q.client_order_id FROM %s q, today "
									   "WHERE q.queued_by = $1::pg_catalog.name AND q.queued_at >= today.t AND q.status IN ('pending_approval', 'queued', 'sending')) AS s(o)",
									   alpaca_extension_object(&ext, "alpaca_audit"),
									   alpaca_extension_object(&ext, "alpaca_order_outbox")),
							  1, (Oid[]) {TEXTOID}, (Datum[]) {CStringGetTextDatum(role)}, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not count today's orders");
	placed = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	alpaca_spi_end(level);
	if (placed >= alpaca_max_orders_per_day)
		alpaca_refuse("alpaca.max_orders_per_day",
					  psprintf("%lld orders were placed today (New York time); the limit is %d",
							   (long long) placed, alpaca_max_orders_per_day));
}

/*
 * What an order object says for the checks (an order of Alpaca's, or the
 * body of one to be sent): its price is its limit price, else its stop price.
 */
void
alpaca_order_check_of(Datum order, AlpacaOrderCheck *o)
{
	o->symbol = alpaca_jsonb_text(order, "symbol", NULL, NULL);
	o->side = alpaca_jsonb_text(order, "side", NULL, NULL);
	o->qty = alpaca_jsonb_text(order, "qty", NULL, NULL);
	o->notional = o->qty ? NULL : alpaca_jsonb_text(order, "notional", NULL, NULL);
	o->price = alpaca_jsonb_text(order, "limit_price", NULL, NULL);
	if (o->price == NULL)
		o->price = alpaca_jsonb_text(order, "stop_price", NULL, NULL);
	o->intent = alpaca_jsonb_text(order, "position_intent", NULL, NULL);
}

/*
 * A replacement is checked as the order it would become: the existing
 * order with the new quantity and prices.
 */
void
alpaca_check_replacement(const char *order_id, const char *qty, const char *limit, const char *stop)
{
	AlpacaRequest req;
	Datum		order;
	AlpacaOrderCheck o = {"replacing an order"};

	alpaca_check_trading(o.what);
	alpaca_request_init(&req, "GET", "/v2/orders");
	alpaca_path_segment(&req, "order_id", order_id);
	order = fetch_jsonb(&req, false);
	alpaca_order_check_of(order, &o);
	if (qty)
	{
		o.qty = qty;
		o.notional = NULL;
	}
	if (limit || stop)
		o.price = limit ? limit : stop;
	if (o.symbol == NULL)
		return;					/* an mleg parent: its legs were checked when placed */
	alpaca_check_order(&o);
}

/* A close is checked as the order it would become: the opposite side. */
static void
check_close(const char *symbol, Datum held, const char *qty, const char *percentage)
{
	AlpacaOrderCheck o = {"closing a position"};
	Datum		amount;

	o.symbol = symbol;
	o.closing = true;
	o.side = DatumGetInt32(DirectFunctionCall2(numeric_cmp, held, num("0"))) < 0 ? "buy" : "sell";
	if (qty)
		amount = num(qty);
	else if (percentage)
		amount = DirectFunctionCall2(numeric_div, mul(abs_num(held), num(percentage)), num("100"));
	else
		amount = abs_num(held);
	o.qty = num_text(amount);
	alpaca_check_order(&o);
}

void
alpaca_check_close(const char *symbol, const char *qty, const char *percentage)
{
	alpaca_check_trading("closing a position");
	check_close(symbol, num(position_qty(symbol)), qty, percentage);
}

void
alpaca_check_close_all(void)
{
	AlpacaRequest req;
	Datum		list;
	Jsonb	   *jb;

	alpaca_check_trading("closing every position");
	alpaca_request_init(&req, "GET", "/v2/positions");
	list = fetch_jsonb(&req, false);
	jb = DatumGetJsonbP(list);
	if (!JB_ROOT_IS_ARRAY(jb) || JB_ROOT_IS_SCALAR(jb))
		return;
	for (int i = 0; i < (int) JB_ROOT_COUNT(jb); i++)
	{
		Datum		p = JsonbPGetDatum(JsonbValueToJsonb(getIthJsonbValueFromContainer(&jb->root, i)));
		char	   *symbol = alpaca_jsonb_text(p, "symbol", NULL, NULL);
		char	   *qty = alpaca_jsonb_text(p, "qty", NULL, NULL);

		if (symbol && qty)
			check_close(symbol, num(qty), NULL, NULL);
	}
}
