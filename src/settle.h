/*
 * settle.h
 *		Settling audit records a stop left unclear (src/settle.c).
 */
#ifndef ALPACA_SETTLE_H
#define ALPACA_SETTLE_H

extern void alpaca_settle_audit(MemoryContext cxt);

#endif
