/*
 * ordercheck.h
 *		An order as the limits judge it (src/risk.c) and the audit trail
 *		records it.
 */
#ifndef ALPACA_ORDERCHECK_H
#define ALPACA_ORDERCHECK_H

/* One order, or what a replace, close or exercise would become. */
typedef struct AlpacaOrderCheck
{
	const char *what;			/* "placing an order", for messages */
	const char *symbol;
	const char *side;			/* buy, sell; NULL for an exercise */
	const char *type;			/* market, limit, stop, stop_limit,
								 * trailing_stop; NULL: from its prices */
	const char *qty;			/* numeric text, or NULL */
	const char *notional;		/* numeric text, or NULL */
	const char *limit_price;	/* numeric text, or NULL */
	const char *stop_price;		/* numeric text, or NULL */
	const char *intent;			/* position_intent, or NULL */
	bool		closing;		/* only reduces a position */
	bool		exercise;		/* an exercise: no amount */
} AlpacaOrderCheck;

#endif
