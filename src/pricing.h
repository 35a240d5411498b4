/*
 * pricing.h
 *		What an order can cost (src/pricing.c).
 */
#ifndef ALPACA_PRICING_H
#define ALPACA_PRICING_H

#include "ordercheck.h"

typedef struct AlpacaPrice
{
	const char *price;			/* numeric text, or NULL: no price is known */
	const char *source;			/* where it came from, for messages and previews */
} AlpacaPrice;

/* from alpaca_live_prices while fresh, else the Market Data API; *origin says which */
extern char *alpaca_latest_price(const char *symbol, const char *asset_class, bool for_change, const char **origin);
/* the price one unit of o counts as, given the latest trade (or NULL) */
extern void alpaca_order_price(const AlpacaOrderCheck *o, const char *last, AlpacaPrice *out);

#endif
