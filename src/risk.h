/*
 * risk.h
 *		Limits the owner sets per role, judged before a request leaves
 *		(src/risk.c).
 */
#ifndef ALPACA_RISK_H
#define ALPACA_RISK_H

#include "fmgr.h"
#include "nodes/pg_list.h"

#include "gate.h"
#include "ordercheck.h"
#include "pricing.h"
#include "symbols.h"

/* One limit that applied, and whether the order passes it. */
typedef struct AlpacaCheck
{
	const char *setting;		/* alpaca.max_order_notional */
	const char *limit;			/* its value for this role */
	bool		pass;
	char	   *detail;			/* what broke it (or would have) */
} AlpacaCheck;

/* What judging one order found. */
typedef struct AlpacaEvaluation
{
	bool		collect;		/* run every check and raise nothing (a preview) */
	bool		want_value;		/* value it even if no limit needs it */
	bool		for_change;		/* look-ups may use the budget's reserve */
	List	   *checks;			/* AlpacaCheck *, in order (when collecting) */
	const char *refused_by;		/* the first limit it breaks, or NULL */
	char	   *refusal;
	bool		resolved;		/* Alpaca knows the name: asset holds it */
	AlpacaAsset asset;
	const char *last;			/* the latest trade, or NULL */
	AlpacaPrice price;			/* what one unit counts as, and why */
	char	   *qty;			/* its quantity (a notional's at the price) */
	char	   *value;			/* dollars, or NULL when not known */
	char	   *held;			/* the position now, and after it */
	char	   *after;
	char	   *position_value;
} AlpacaEvaluation;

extern bool alpaca_order_limits_apply(void);
extern void alpaca_evaluate_order(const AlpacaOrderCheck *o, AlpacaEvaluation *ev);
extern char *alpaca_check_order(const AlpacaOrderCheck *o, bool want_value);
extern bool alpaca_order_needs_approval(const char *value);
extern void alpaca_order_check_of(Datum order, AlpacaOrderCheck *o);
extern void alpaca_check_replacement(const char *order_id, const char *qty,
									 const char *limit, const char *stop);
extern void alpaca_check_close(const char *symbol, const char *qty, const char *percentage);
extern void alpaca_check_close_all(void);
extern void alpaca_check_exercise(const char *what, const char *symbol_or_contract_id);
extern void alpaca_check_orders_today(void);
extern int64 alpaca_orders_today(bool lock);

#endif
