/*
 * risk.h
 *		Limits the owner sets per role, checked before a request leaves.
 */
#ifndef ALPACA_RISK_H
#define ALPACA_RISK_H

#include "fmgr.h"

#include "gate.h"
#include "ordercheck.h"


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
