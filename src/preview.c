/*
 * preview.c
 *		alpaca_preview_order(): what placing an order would do, without
 *		sending it.
 *
 * The order is built and judged exactly as alpaca_place_order() would
 * (src/orders.c builds it, src/risk.c judges it), but every limit is
 * checked and recorded instead of the first failure raised, and nothing is
 * sent or audited: only reads (the asset, the latest trade, the position,
 * the clock).  So it works in a read-only transaction and on a standby,
 * which is where an agent behind a Postgres MCP server's read-only tool
 * lives; the answer says in one line what it needs to know (message), and
 * in columns what a program needs (refused_by, value, checks ...).
 */
#include "postgres.h"

#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"

#include "api.h"
#include "catalog.h"
#include "guc.h"
#include "json.h"
#include "orders.h"
#include "risk.h"

PG_FUNCTION_INFO_V1(alpaca_preview_order);

static void
add_check(StringInfo s, const AlpacaCheck *c)
{
	if (s->len > 1)
		appendStringInfoChar(s, ',');
	appendStringInfoString(s, "{\"setting\":");
	escape_json(s, c->setting);
	appendStringInfoString(s, ",\"limit\":");
	if (c->limit)
		escape_json(s, c->limit);
	else
		appendStringInfoString(s, "null");
	appendStringInfo(s, ",\"pass\":%s", c->pass ? "true" : "false");
	if (!c->pass)
	{
		appendStringInfoString(s, ",\"detail\":");
		escape_json(s, c->detail);
	}
	appendStringInfoChar(s, '}');
}

static Datum
numeric_or_null(const char *s, bool *isnull)
{
	*isnull = s == NULL;
	return s ? DirectFunctionCall3(numeric_in, CStringGetDatum(s), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)) : (Datum) 0;
}

static bool
market_open(void)
{
	AlpacaRequest req;
	AlpacaResponse resp;
	char	   *open;

	alpaca_request_init(&req, "GET", "/v2/clock");
	alpaca_send(&req, &resp);
	open = alpaca_jsonb_text(alpaca_jsonb_datum(resp.body, resp.body_len), "is_open", NULL, NULL);
	return open && strcmp(open, "true") == 0;
}

Datum
alpaca_preview_order(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	AlpacaOrderCheck check = {0};
	AlpacaEvaluation ev = {0};
	char	   *cid;
	TupleDesc	desc;
	StringInfoData checks;
	StringInfoData message;
	Datum		values[17];
	bool		nulls[17] = {0};
	bool		approval;
	bool		open;
	int64		today = -1;
	ListCell   *lc;
	Jsonb	   *legs = PG_ARGISNULL(ALPACA_PLACE_ORDER_LEGS) ? NULL : PG_GETARG_JSONB_P(ALPACA_PLACE_ORDER_LEGS);

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "the function must return a row");
	alpaca_build_order(fcinfo, &req, &cid, &check);
	check.what = "placing an order";

	ev.collect = true;
	ev.want_value = true;
	initStringInfo(&checks);
	appendStringInfoChar(&checks, '[');
	if (check.symbol || legs == NULL)
		alpaca_evaluate_order(&check, &ev);
	else
	{
		/* an mleg order: each leg as the order it is (its value as a whole is not judged) */
		for (int i = 0; i < (int) JB_ROOT_COUNT(legs); i++)
		{
			Datum		leg = JsonbPGetDatum(JsonbValueToJsonb(getIthJsonbValueFromContainer(&legs->root, i)));
			AlpacaOrderCheck o = check;
			AlpacaEvaluation leg_ev = {0};
			char	   *ratio = alpaca_jsonb_text(leg, "ratio_qty", NULL, NULL);

			o.symbol = alpaca_jsonb_text(leg, "symbol", NULL, NULL);
			o.side = alpaca_jsonb_text(leg, "side", NULL, NULL);
			o.intent = alpaca_jsonb_text(leg, "position_intent", NULL, NULL);
			o.type = "market";
			o.limit_price = o.stop_price = NULL;
			o.qty = DatumGetCString(DirectFunctionCall1(numeric_out,
														DirectFunctionCall2(numeric_mul,
																			DirectFunctionCall3(numeric_in, CStringGetDatum(check.qty), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)),
																			DirectFunctionCall3(numeric_in, CStringGetDatum(ratio ? ratio : "1"), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1)))));
			if (o.symbol == NULL)
				continue;
			leg_ev.collect = true;
			alpaca_evaluate_order(&o, &leg_ev);
			ev.checks = list_concat(ev.checks, leg_ev.checks);
			if (ev.refused_by == NULL && leg_ev.refused_by)
			{
				ev.refused_by = leg_ev.refused_by;
				ev.refusal = leg_ev.refusal;
			}
		}
	}
	if (alpaca_max_orders_per_day > 0)
	{
		AlpacaCheck *c = palloc0(sizeof(AlpacaCheck));

		today = alpaca_orders_today(false);
		c->setting = "alpaca.max_orders_per_day";
		c->limit = psprintf("%d", alpaca_max_orders_per_day);
		c->pass = today < alpaca_max_orders_per_day;
		c->detail = psprintf("%lld orders were placed today (New York time); the limit is %d",
							 (long long) today, alpaca_max_orders_per_day);
		ev.checks = lappend(ev.checks, c);
		if (!c->pass && ev.refused_by == NULL)
		{
			ev.refused_by = c->setting;
			ev.refusal = c->detail;
		}
	}
	foreach(lc, ev.checks)
		add_check(&checks, lfirst(lc));
	appendStringInfoChar(&checks, ']');
	approval = alpaca_order_needs_approval(ev.value);
	open = market_open();

	initStringInfo(&message);
	if (ev.refused_by)
		appendStringInfo(&message, "would be refused by %s: %s", ev.refused_by, ev.refusal);
	else
		appendStringInfo(&message, "would be allowed");
	if (ev.value && ev.refused_by == NULL)
		appendStringInfo(&message, "; worth %s (%s)", ev.value, ev.price.source ? ev.price.source : "its notional");
	if (approval)
		appendStringInfo(&message, "; queued with alpaca_queue_order it would wait for approval (alpaca.approval_above_notional %s)",
						 alpaca_approval_above_notional);
	appendStringInfo(&message, "; the market is %s", open ? "open" : "closed");

	values[0] = BoolGetDatum(ev.refused_by == NULL);
	values[1] = ev.refused_by ? CStringGetTextDatum(ev.refused_by) : (Datum) 0;
	nulls[1] = ev.refused_by == NULL;
	values[2] = ev.refusal ? CStringGetTextDatum(ev.refusal) : (Datum) 0;
	nulls[2] = ev.refusal == NULL;
	values[3] = DirectFunctionCall1(jsonb_in, CStringGetDatum(req.body.data));
	values[4] = CStringGetTextDatum(ev.resolved ? ev.asset.symbol : check.symbol ? check.symbol : "(legs)");
	values[5] = ev.resolved ? CStringGetTextDatum(ev.asset.asset_class) : (Datum) 0;
	nulls[5] = !ev.resolved;
	values[6] = numeric_or_null(ev.price.price, &nulls[6]);
	values[7] = ev.price.source ? CStringGetTextDatum(ev.price.source) : (Datum) 0;
	nulls[7] = ev.price.source == NULL;
	values[8] = numeric_or_null(ev.last, &nulls[8]);
	values[9] = numeric_or_null(ev.qty, &nulls[9]);
	values[10] = numeric_or_null(ev.value, &nulls[10]);
	values[11] = numeric_or_null(ev.held, &nulls[11]);
	values[12] = numeric_or_null(ev.after, &nulls[12]);
	values[13] = BoolGetDatum(approval);
	values[14] = BoolGetDatum(open);
	values[15] = DirectFunctionCall1(jsonb_in, CStringGetDatum(checks.data));
	values[16] = CStringGetTextDatum(message.data);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}
