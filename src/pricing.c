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
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/lsyscache.h"

#include "api.h"
#include "encoding.h"
#include "errors.h"
#include "extension.h"
#include "guc.h"
#include "prices.h"
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
 * The latest trade from alpaca_live_prices while it is current: written
 * within alpaca.live_prices_max_age, or on the stream connection still
 * open (a newer trade would have come on it): no request.  Read as the extension's
 * owner (the caller needs no grant, and cannot shape what is read); NULL
 * when there is none fresh enough, or no such table (an older version).
 */
static char *
live_price(const char *symbol, const char *asset_class, char **age)
{
	AlpacaExtension ext;
	MemoryContext caller = CurrentMemoryContext;
	char	   *price = NULL;
	int			level;

	if (!alpaca_live_prices_enabled || alpaca_live_prices_max_age_s <= 0 ||
		(strcmp(asset_class, "us_equity") != 0 && strcmp(asset_class, "crypto") != 0) ||
		!alpaca_extension_find(&ext, true) ||
		!OidIsValid(get_relname_relid("alpaca_live_prices", ext.schema)))
		return NULL;
	level = alpaca_spi_begin();
	if (alpaca_spi_execute_as(ext.owner,
							  psprintf("SELECT trade_price::pg_catalog.text, "
									   "pg_catalog.round(pg_catalog.date_part('epoch', pg_catalog.clock_timestamp() - trade_written_at)::pg_catalog.numeric, 1)::pg_catalog.text "
									   "FROM %s WHERE symbol = $1 AND trade_price > 0 "
									   "AND (trade_written_at > pg_catalog.clock_timestamp() - pg_catalog.make_interval(secs => $2) "
									   "OR stream_connection = $3)",
									   alpaca_extension_object(&ext, "alpaca_live_prices")),
							  3, (Oid[]) {TEXTOID, FLOAT8OID, INT8OID},
							  (Datum[]) {CStringGetTextDatum(symbol), Float8GetDatum(alpaca_live_prices_max_age_s),
							  Int64GetDatum(Max(alpaca_prices_connection(asset_class), 1))},
							  NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not read alpaca_live_prices");
	if (SPI_processed == 1)
	{
		price = MemoryContextStrdup(caller, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
		*age = MemoryContextStrdup(caller, SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2));
	}
	alpaca_spi_end(level);
	return price;
}

/*
 * The latest trade of a symbol (Alpaca's canonical one): from
 * alpaca_live_prices while fresh, else from the Market Data API; numeric
 * text, NULL when Alpaca has no trade.  *origin says which.
 */
char *
alpaca_latest_price(const char *symbol, const char *asset_class, bool for_change, const char **origin)
{
	AlpacaRequest req;
	AlpacaResponse resp;
	AlpacaTransportError err;
	char	   *msg;
	char	   *p;
	char	   *age = NULL;

	p = live_price(symbol, asset_class, &age);
	if (p)
	{
		*origin = psprintf("alpaca_live_prices, written %s s ago", age);
		return p;
	}
	*origin = "the Market Data API";
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
