/*
 * risk.c
 *		What a role may do with the keys: the limits the owner sets per role.
 *
 * Every limit is a superuser-only setting, so it can be set for the server,
 * per database and per role (ALTER ROLE agent SET alpaca.max_order_notional
 * = '1000'), and the role it binds can neither SET nor RESET it.  Every
 * state-changing call passes the gate (src/gate.c: read-only transactions,
 * standbys, the kill switch); every order, and every replace, close and
 * exercise as the order it would become, is judged here before its request
 * leaves.  A refusal is 42501 naming the limit, its value and what broke it.
 *
 * The limits judge what Alpaca will trade, not the name the caller chose:
 * the symbol is resolved to Alpaca's canonical symbol and class first
 * (src/symbols.c), and an order is valued at what it can cost
 * (src/pricing.c), options and legs with their multiplier.  Nothing is
 * looked up that no limit needs: with no limit set for the role a replace,
 * a close or a close-all costs the one request it is.
 *
 * alpaca_evaluate_order() does the judging; it raises at the first limit an
 * order breaks, or, for alpaca_preview_order(), runs every check and
 * records each.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "api.h"
#include "encoding.h"
#include "errors.h"
#include "extension.h"
#include "guc.h"
#include "json.h"
#include "pricing.h"
#include "risk.h"
#include "symbols.h"

static const char *
role_name(void)
{
	return GetUserNameFromId(GetUserId(), false);
}

static bool
set(const char *setting)
{
	return setting && setting[0];
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

static char *
money(Datum n)
{
	return num_text(DirectFunctionCall2(numeric_round, n, Int32GetDatum(2)));
}

static Datum
mul(Datum a, Datum b)
{
	return DirectFunctionCall2(numeric_mul, a, b);
}

static int
cmp(Datum a, Datum b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, a, b));
}

static Datum
abs_num(Datum a)
{
	return DirectFunctionCall1(numeric_abs, a);
}

/* ---- which limits are set ---- */

/* limits on what may be traded: they need the asset Alpaca resolves a name to */
static bool
symbol_limits(void)
{
	return set(alpaca_allowed_symbols) || set(alpaca_denied_symbols) || set(alpaca_allowed_asset_classes) ||
		!alpaca_allow_options;
}

/* limits on how much: they need a price */
static bool
value_limits(void)
{
	return set(alpaca_max_order_notional) || set(alpaca_max_position_notional) || set(alpaca_max_order_qty);
}

/* limits on what the position becomes: they need the position */
static bool
position_limits(void)
{
	return !alpaca_allow_short || set(alpaca_max_position_notional);
}

bool
alpaca_order_limits_apply(void)
{
	return symbol_limits() || value_limits() || position_limits();
}

/* ---- recording a judgement ---- */

static void
judge(AlpacaEvaluation *ev, const char *setting, const char *limit, bool pass, char *detail)
{
	AlpacaCheck *c;

	if (!pass && !ev->collect)
		alpaca_refuse(setting, detail);
	c = palloc0(sizeof(AlpacaCheck));
	c->setting = setting;
	c->limit = limit;
	c->pass = pass;
	c->detail = detail;
	ev->checks = lappend(ev->checks, c);
	if (!pass && ev->refused_by == NULL)
	{
		ev->refused_by = setting;
		ev->refusal = detail;
	}
}

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

/* "GME" or, when asked for by another name, "GME (asked for as 5f1c...)" */
static char *
named(const AlpacaEvaluation *ev, const char *given)
{
	const char *sym = ev->resolved ? ev->asset.symbol : given;

	if (ev->resolved && strcmp(sym, given) != 0)
		return psprintf("%s (asked for as %s)", alpaca_quote(sym, strlen(sym)), alpaca_quote(given, strlen(given)));
	return alpaca_quote(sym, strlen(sym));
}

/* The account's position in a symbol, signed (short is negative); "0" for none. */
static char *
position_qty(const char *symbol, bool for_change)
{
	AlpacaRequest req;
	AlpacaResponse resp;
	AlpacaTransportError err;
	char	   *msg;
	char	   *q;

	alpaca_request_init(&req, "GET", "/v2/positions");
	req.for_change = for_change;
	alpaca_symbol_segment(&req, "symbol", symbol);
	err = alpaca_try_send(&req, &resp, &msg);
	if (err == ALPACA_TRANSPORT_OK && resp.status == 404)
		return "0";
	if (err != ALPACA_TRANSPORT_OK)
		alpaca_raise_transport_error(req.method, req.path.data, err, msg);
	if (resp.status < 200 || resp.status > 299)
		alpaca_raise_http_error(req.method, alpaca_request_target(&req), &resp);
	alpaca_answer_text(&resp);
	q = alpaca_jsonb_text(alpaca_jsonb_datum(resp.body, resp.body_len), "qty", NULL, NULL);
	return q ? q : "0";
}

/*
 * Judge one order (or one leg) against every limit.  ev->collect: record
 * each check and raise nothing (a preview); else raise at the first the
 * order breaks.  ev->want_value: its value is wanted even if no limit needs
 * it (approval, a preview).
 */
void
alpaca_evaluate_order(const AlpacaOrderCheck *o, AlpacaEvaluation *ev)
{
	const char *given = o->symbol;
	const char *sym;
	const char *cls;
	Datum		multiplier;
	bool		sell = o->side && strcmp(o->side, "sell") == 0;
	bool		want_price = value_limits() || position_limits() || ev->want_value || ev->collect;
	Datum		qty = (Datum) 0;
	Datum		value = (Datum) 0;

	if (ev->collect)
		judge(ev, "alpaca.trading_enabled", alpaca_trading_enabled ? "on" : "off", alpaca_trading_enabled,
			  psprintf("trading is switched off; %s changes the account", o->what));
	else
		alpaca_check_trading(o->what);

	/* what Alpaca will trade under this name, when a limit or the value depends on it */
	if (symbol_limits() || want_price)
		ev->resolved = alpaca_resolve_symbol(given, &ev->asset, ev->for_change);
	sym = ev->resolved ? ev->asset.symbol : given;
	cls = ev->resolved ? ev->asset.asset_class : alpaca_asset_class_of(given);
	multiplier = num(ev->resolved ? ev->asset.multiplier : strcmp(cls, "us_option") == 0 ? "100" : "1");
	if (!ev->resolved && symbol_limits())
	{
		const char *setting = set(alpaca_allowed_symbols) ? "alpaca.allowed_symbols" :
			set(alpaca_denied_symbols) ? "alpaca.denied_symbols" :
			set(alpaca_allowed_asset_classes) ? "alpaca.allowed_asset_classes" : "alpaca.allow_options";

		judge(ev, setting, NULL, false,
			  psprintf("Alpaca knows no asset or option contract %s, so the limits set for the role cannot judge it",
					   alpaca_quote(given, strlen(given))));
	}
	if (set(alpaca_allowed_symbols))
		judge(ev, "alpaca.allowed_symbols", alpaca_allowed_symbols, listed(alpaca_allowed_symbols, sym),
			  psprintf("%s is not among the allowed symbols (%s)", named(ev, given), alpaca_allowed_symbols));
	if (set(alpaca_denied_symbols))
		judge(ev, "alpaca.denied_symbols", alpaca_denied_symbols,
			  !listed(alpaca_denied_symbols, sym) && !listed(alpaca_denied_symbols, given),
			  psprintf("%s is a denied symbol", named(ev, given)));
	if (set(alpaca_allowed_asset_classes))
		judge(ev, "alpaca.allowed_asset_classes", alpaca_allowed_asset_classes, listed(alpaca_allowed_asset_classes, cls),
			  psprintf("%s is %s, not among %s", named(ev, given), cls, alpaca_allowed_asset_classes));
	if (!alpaca_allow_options || ev->collect)
		judge(ev, "alpaca.allow_options", alpaca_allow_options ? "on" : "off",
			  alpaca_allow_options || strcmp(cls, "us_option") != 0,
			  psprintf("%s is an option", named(ev, given)));
	if (o->intent && strcmp(o->intent, "sell_to_open") == 0 && (!alpaca_allow_short || ev->collect))
		judge(ev, "alpaca.allow_short", alpaca_allow_short ? "on" : "off", alpaca_allow_short,
			  psprintf("sell_to_open of %s opens a short position", named(ev, given)));
	/* an exercise names a contract and no amount: nothing more to judge */
	if (o->exercise || (o->qty == NULL && o->notional == NULL))
		return;

	/* what one unit counts as (README: how an order is valued) */
	if (want_price)
	{
		const char *origin = NULL;

		ev->last = alpaca_latest_price(sym, cls, ev->for_change, &origin);
		alpaca_order_price(o, ev->last, &ev->price);
		/* a live price says where it came from (the API's is the usual way) */
		if (ev->last && ev->price.price == ev->last && strncmp(origin, "alpaca_live_prices", 18) == 0)
			ev->price.source = psprintf("%s (%s)", ev->price.source, origin);
	}
	if (o->qty)
		qty = abs_num(num(o->qty));
	else if (ev->price.price)
		qty = DirectFunctionCall2(numeric_div, num(o->notional), mul(num(ev->price.price), multiplier));
	if (o->notional)
		value = num(o->notional);
	else if (ev->price.price)
		value = mul(mul(qty, num(ev->price.price)), multiplier);
	ev->qty = qty ? num_text(qty) : NULL;
	ev->value = value ? money(value) : NULL;

	if (set(alpaca_max_order_qty))
		judge(ev, "alpaca.max_order_qty", alpaca_max_order_qty, qty && cmp(qty, num(alpaca_max_order_qty)) <= 0,
			  qty ? psprintf("the order is for %s of %s; the limit is %s", num_text(qty), named(ev, given), alpaca_max_order_qty) :
			  psprintf("no price is known for %s, so the quantity its notional buys cannot be judged", named(ev, given)));
	if (set(alpaca_max_order_notional))
		judge(ev, "alpaca.max_order_notional", alpaca_max_order_notional,
			  value && cmp(value, num(alpaca_max_order_notional)) <= 0,
			  value ? psprintf("the order's value is %s (%s); the limit is %s", money(value),
							   o->notional ? "its notional" :
							   psprintf("%s at %s%s, %s", num_text(qty), ev->price.price,
										cmp(multiplier, num("1")) != 0 ? psprintf(" x %s", num_text(multiplier)) : "",
										ev->price.source),
							   alpaca_max_order_notional) :
			  psprintf("no price is known for %s: %s", named(ev, given),
					   ev->last ? "the order's own price says nothing of what it can cost" :
					   "the market data API has no trade"));

	/* what the position would become */
	if (!o->closing && (position_limits() || ev->collect))
	{
		Datum		held = num(position_qty(sym, ev->for_change));
		Datum		after = (Datum) 0;

		ev->held = num_text(held);
		if (qty)
		{
			after = sell ? DirectFunctionCall2(numeric_sub, held, qty) : DirectFunctionCall2(numeric_add, held, qty);
			ev->after = num_text(after);
		}
		if (!alpaca_allow_short || ev->collect)
			judge(ev, "alpaca.allow_short", alpaca_allow_short ? "on" : "off",
				  alpaca_allow_short || (after && cmp(after, num("0")) >= 0),
				  after ? psprintf("selling would leave a position of %s in %s", num_text(after), named(ev, given)) :
				  psprintf("no price is known for %s, so the position the order leaves cannot be judged", named(ev, given)));
		if (set(alpaca_max_position_notional))
		{
			/* a position is worth what the market pays for it, when that is known */
			const char *at = ev->last ? ev->last : ev->price.price;
			Datum		pos_value = after && at ? mul(mul(abs_num(after), num(at)), multiplier) : (Datum) 0;

			if (pos_value)
				ev->position_value = money(pos_value);
			/* an order that shrinks a position is always allowed */
			judge(ev, "alpaca.max_position_notional", alpaca_max_position_notional,
				  pos_value && (cmp(pos_value, num(alpaca_max_position_notional)) <= 0 ||
								cmp(abs_num(after), abs_num(held)) <= 0),
				  pos_value ? psprintf("the position in %s would be worth %s; the limit is %s", named(ev, given),
									   money(pos_value), alpaca_max_position_notional) :
				  psprintf("no price is known for %s, so what the position would be worth cannot be judged", named(ev, given)));
		}
	}
}

/* Judge an order, raising at the first limit it breaks; its value, when known (or wanted). */
char *
alpaca_check_order(const AlpacaOrderCheck *o, bool want_value)
{
	AlpacaEvaluation ev = {0};

	ev.for_change = true;
	ev.want_value = want_value;
	alpaca_evaluate_order(o, &ev);
	return ev.value;
}

/*
 * Does a queued order wait for a person (alpaca.approval_above_notional)?
 * value: what it is worth, or NULL when that is not known (it waits then).
 */
bool
alpaca_order_needs_approval(const char *value)
{
	if (!set(alpaca_approval_above_notional))
		return false;
	return value == NULL || cmp(num(value), num(alpaca_approval_above_notional)) > 0;
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
/* How many orders this role placed today (New York time), and so far queued. */
int64
alpaca_orders_today(bool lock)
{
	const char *role = role_name();
	AlpacaExtension ext;
	int64		placed;
	bool		isnull;
	int			level;

	if (lock)
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
									   "WHERE q.queued_by = $1::pg_catalog.name AND q.queued_at >= today.t "
									   "AND q.status IN ('pending_approval', 'queued', 'sending')) AS s(o)",
									   alpaca_extension_object(&ext, "alpaca_audit"),
									   alpaca_extension_object(&ext, "alpaca_order_outbox")),
							  1, (Oid[]) {TEXTOID}, (Datum[]) {CStringGetTextDatum(role)}, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not count today's orders");
	placed = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
	alpaca_spi_end(level);
	return placed;
}

void
alpaca_check_orders_today(void)
{
	int64		placed;

	if (alpaca_max_orders_per_day <= 0)
		return;
	placed = alpaca_orders_today(true);
	if (placed >= alpaca_max_orders_per_day)
		alpaca_refuse("alpaca.max_orders_per_day",
					  psprintf("%lld orders were placed today (New York time); the limit is %d",
							   (long long) placed, alpaca_max_orders_per_day));
}

/*
 * What an order object says for the checks (an order of Alpaca's, or the
 * body of one to be sent).
 */
void
alpaca_order_check_of(Datum order, AlpacaOrderCheck *o)
{
	o->symbol = alpaca_jsonb_text(order, "symbol", NULL, NULL);
	o->side = alpaca_jsonb_text(order, "side", NULL, NULL);
	o->type = alpaca_jsonb_text(order, "type", NULL, NULL);
	if (o->type == NULL)
		o->type = alpaca_jsonb_text(order, "order_type", NULL, NULL);
	o->qty = alpaca_jsonb_text(order, "qty", NULL, NULL);
	o->notional = o->qty ? NULL : alpaca_jsonb_text(order, "notional", NULL, NULL);
	o->limit_price = alpaca_jsonb_text(order, "limit_price", NULL, NULL);
	o->stop_price = alpaca_jsonb_text(order, "stop_price", NULL, NULL);
	o->intent = alpaca_jsonb_text(order, "position_intent", NULL, NULL);
}

/* A small answer as jsonb. */
static Datum
fetch_jsonb(AlpacaRequest *req)
{
	AlpacaResponse resp;

	req->for_change = true;
	alpaca_send(req, &resp);
	return alpaca_jsonb_datum(resp.body, resp.body_len);
}

/*
 * A replacement is judged as the order it would become: the existing order
 * with the new quantity and prices.  Only when a limit is set for the role
 * is the order read first.
 */
void
alpaca_check_replacement(const char *order_id, const char *qty, const char *limit, const char *stop)
{
	AlpacaRequest req;
	AlpacaOrderCheck o = {"replacing an order"};

	alpaca_check_trading(o.what);
	if (!alpaca_order_limits_apply())
		return;
	alpaca_request_init(&req, "GET", "/v2/orders");
	alpaca_path_segment(&req, "order_id", order_id);
	alpaca_order_check_of(fetch_jsonb(&req), &o);
	if (qty)
	{
		o.qty = qty;
		o.notional = NULL;
	}
	if (limit)
		o.limit_price = limit;
	if (stop)
		o.stop_price = stop;
	if (o.symbol == NULL)
		return;					/* an mleg parent: its legs were judged when placed */
	(void) alpaca_check_order(&o, false);
}

/* A close is judged as the order it would become: the opposite side, at the market. */
static void
check_close(const char *what, const char *symbol, Datum held, const char *qty, const char *percentage)
{
	AlpacaOrderCheck o = {what};
	Datum		amount;

	o.symbol = symbol;
	o.closing = true;
	o.type = "market";
	o.side = cmp(held, num("0")) < 0 ? "buy" : "sell";
	if (qty)
		amount = num(qty);
	else if (percentage)
		amount = DirectFunctionCall2(numeric_div, mul(abs_num(held), num(percentage)), num("100"));
	else
		amount = abs_num(held);
	o.qty = num_text(amount);
	(void) alpaca_check_order(&o, false);
}

void
alpaca_check_close(const char *symbol, const char *qty, const char *percentage)
{
	alpaca_check_trading("closing a position");
	if (!alpaca_order_limits_apply())
		return;
	check_close("closing a position", symbol, num(position_qty(symbol, true)), qty, percentage);
}

void
alpaca_check_close_all(void)
{
	AlpacaRequest req;
	Jsonb	   *jb;

	alpaca_check_trading("closing every position");
	if (!alpaca_order_limits_apply())
		return;
	alpaca_request_init(&req, "GET", "/v2/positions");
	jb = DatumGetJsonbP(fetch_jsonb(&req));
	if (!JB_ROOT_IS_ARRAY(jb) || JB_ROOT_IS_SCALAR(jb))
		return;
	for (int i = 0; i < (int) JB_ROOT_COUNT(jb); i++)
	{
		Datum		p = JsonbPGetDatum(JsonbValueToJsonb(getIthJsonbValueFromContainer(&jb->root, i)));
		char	   *symbol = alpaca_jsonb_text(p, "symbol", NULL, NULL);
		char	   *qty = alpaca_jsonb_text(p, "qty", NULL, NULL);

		if (symbol && qty)
			check_close("closing every position", symbol, num(qty), NULL, NULL);
	}
}

/* An exercise is an option trade: the symbol limits and alpaca.allow_options apply. */
void
alpaca_check_exercise(const char *what, const char *symbol_or_contract_id)
{
	AlpacaOrderCheck o = {what};

	o.symbol = symbol_or_contract_id;
	o.closing = true;
	o.exercise = true;
	(void) alpaca_check_order(&o, false);
}
