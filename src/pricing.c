/*
 * pricing.c
 *		What an order can cost: the price one unit of it counts as, and the
 *		latest trade that rule needs.
 *
 * An order is valued at what it can cost, not at what it says.  A price on
 * the marketable side of the latest trade fills at the market: a buy limit
 * at or above the last trade, a sell limit at or below it, a buy stop at or
 * below it and a sell stop at or above it (they trigger at once) all count
 * as the latest trade; so do market and trailing stop orders.  A price on
 * the other side counts as itself: a resting limit fills at its limit or
 * better, a resting stop becomes a market order at its stop.  A stop limit
 * that has not triggered counts as its limit when buying and its stop when
 * selling.  Without a latest trade, only a buy limit (it pays at most its
 * limit) or a stop not yet reached has a price; anything else has none, and
 * is refused while a limit needs one.  A position is valued at the latest
 * trade when there is one (what it is worth), else at the order's price.  README "How an order is valued" has
 * the table.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/numeric.h"

#include "api.h"
#include "encoding.h"
#include "errors.h"
#include "json.h"
#include "pricing.h"
#include "symbols.h"

static Datum
num(const char *s)
{
	return DirectFunctionCall3(numeric_in, CStringGetDatum(s), ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

static int
cmp(const char *a, const char *b)
{
	return DatumGetInt32(DirectFunctionCall2(numeric_cmp, num(a), num(b)));
}

/*
 * The latest trade of a symbol (Alpaca's canonical one) from the Market Data
 * API, as numeric text; NULL when Alpaca has no trade.
 */
char *
alpaca_latest_price(const char *symbol, const char *asset_class, bool for_change)
{
	AlpacaRequest req;
	AlpacaResponse resp;
	AlpacaTransportError err;
	char	   *msg;
	char	   *p;

	alpaca_request_init(&req, "GET", strcmp(asset_class, "crypto") == 0 ? "/v1beta3/crypto/us/latest/trades" :
						strcmp(asset_class, "us_option") == 0 ? "/v1beta1/options/trades/latest" :
						"/v2/stocks/trades/latest");
	req.market_data = true;
	req.for_change = for_change;
	alpaca_query(&req, "symbols", symbol);
	err = alpaca_try_send(&req, &resp, &msg);
	if (err == ALPACA_TRANSPORT_OK && resp.status == 404)
		return NULL;
	if (err != ALPACA_TRANSPORT_OK)
		alpaca_raise_transport_error(req.method, req.path.data, err, msg);
	if (resp.status < 200 || resp.status > 299)
		alpaca_raise_http_error(req.method, alpaca_request_target(&req), &resp);
	alpaca_answer_text(&resp);
	p = alpaca_jsonb_text(alpaca_jsonb_datum(resp.body, resp.body_len), "trades", symbol, "p");
	if (p && cmp(p, "0") <= 0)
		p = NULL;
	return p;
}

/* A limit price: on the marketable side of the last trade, the last trade. */
static void
limit_rule(bool buy, const char *limit, const char *last, AlpacaPrice *out)
{
	if (last == NULL)
	{
		/* a buy pays at most its limit; a sell's proceeds say nothing of its risk */
		out->price = buy ? limit : NULL;
		out->source = buy ? "its limit price (no latest trade is known)" : NULL;
	}
	else if (buy ? cmp(limit, last) >= 0 : cmp(limit, last) <= 0)
	{
		out->price = last;
		out->source = buy ? "the latest trade: a buy limit at or above it fills at the market" :
			"the latest trade: a sell limit at or below it fills at the market";
	}
	else
	{
		out->price = limit;
		out->source = "its limit price";
	}
}

void
alpaca_order_price(const AlpacaOrderCheck *o, const char *last, AlpacaPrice *out)
{
	const char *type = o->type ? o->type : o->limit_price && o->stop_price ? "stop_limit" :
		o->limit_price ? "limit" : o->stop_price ? "stop" : "market";
	bool		buy = o->side == NULL || strcmp(o->side, "sell") != 0;

	out->price = NULL;
	out->source = NULL;
	if (strcmp(type, "limit") == 0 && o->limit_price)
		limit_rule(buy, o->limit_price, last, out);
	else if ((strcmp(type, "stop") == 0 || strcmp(type, "stop_limit") == 0) && o->stop_price)
	{
		bool		stop_limit = strcmp(type, "stop_limit") == 0 && o->limit_price;

		if (last == NULL)
		{
			/* whether it triggers at once is not known; a buy stop limit pays at most its limit */
			if (stop_limit && buy)
			{
				out->price = o->limit_price;
				out->source = "its limit price (no latest trade is known)";
			}
		}
		else if (buy ? cmp(o->stop_price, last) <= 0 : cmp(o->stop_price, last) >= 0)
		{
			/* triggered at once: a market order, or a limit one */
			if (stop_limit)
				limit_rule(buy, o->limit_price, last, out);
			else
			{
				out->price = last;
				out->source = buy ? "the latest trade: a buy stop at or below it triggers at once" :
					"the latest trade: a sell stop at or above it triggers at once";
			}
		}
		else if (stop_limit && buy)
		{
			out->price = o->limit_price;
			out->source = "its limit price (a buy stop limit not yet triggered)";
		}
		else
		{
			out->price = o->stop_price;
			out->source = stop_limit ? "its stop price (a sell stop limit not yet triggered)" :
				"its stop price: it becomes a market order there";
		}
	}
	else if (last)
	{
		/* market, trailing_stop, and anything Alpaca adds */
		out->price = last;
		out->source = "the latest trade";
	}
}
