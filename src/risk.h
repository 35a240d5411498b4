/*
 * risk.h
 *		Limits the owner sets per role, checked before a request leaves.
 */
#ifndef ALPACA_RISK_H
#define ALPACA_RISK_H

#include "fmgr.h"

/* One order, or what a replace, close or exercise would become. */
typedef struct AlpacaOrderCheck
{
	const char *what;			/* "placing an order", for messages */
	const char *symbol;
	const char *side;			/* buy, sell; NULL for an exercise */
	const char *qty;			/* numeric text, or NULL */
	const char *notional;		/* numeric text, or NULL */
	const char *price;			/* the order's limit or stop price, or NULL */
	const char *intent;			/* position_intent, or NULL */
	bool		closing;		/* only reduces a position */
} AlpacaOrderCheck;

extern int	alpaca_max_orders_per_day;

extern void alpaca_define_limit_gucs(void);
extern void alpaca_check_trading(const char *what);
extern void alpaca_check_order(const AlpacaOrderCheck *o);
extern void alpaca_order_check_of(Datum order, AlpacaOrderCheck *o);
extern const char *alpaca_asset_class_of(const char *symbol);
extern void alpaca_check_replacement(const char *order_id, const char *qty,
									 const char *limit, const char *stop);
extern void alpaca_check_close(const char *symbol, const char *qty, const char *percentage);
extern void alpaca_check_close_all(void);
extern void alpaca_check_orders_today(void);
extern char *alpaca_order_value(const AlpacaOrderCheck *o);
extern bool alpaca_order_needs_approval(const AlpacaOrderCheck *o, char **value);

#endif
