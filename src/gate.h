/*
 * gate.h
 *		What every call that changes the account passes first (src/gate.c).
 */
#ifndef ALPACA_GATE_H
#define ALPACA_GATE_H

/* 25006 on a standby or in a read-only transaction; what: "placing an order" */
extern void alpaca_check_writable(const char *what);
/* alpaca_check_writable(), then the kill switch (alpaca.trading_enabled) */
extern void alpaca_check_trading(const char *what);
/* the refusal of a limit: 42501 naming the setting, what broke it, who may change it */
extern void alpaca_refuse(const char *setting, const char *detail) pg_attribute_noreturn();

#endif
