/*
 * audit.h
 *		The audit trail of state-changing calls, written by a background worker.
 */
#ifndef ALPACA_AUDIT_H
#define ALPACA_AUDIT_H

#include "api.h"

extern bool alpaca_audit_enabled;
extern char *alpaca_database;

extern Size alpaca_audit_shmem_size(void);
extern void alpaca_audit_shmem_startup(void);
extern void alpaca_define_audit_gucs(void);
extern int64 alpaca_audit_intent(const char *function, const AlpacaRequest *req,
								 const char *client_order_id);
extern void alpaca_audit_complete(int64 id, const char *outcome, long status,
								  const char *order_id, const char *error, double ms);

#endif
