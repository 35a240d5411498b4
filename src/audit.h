/*
 * audit.h
 *		The audit trail of state-changing calls, the caller's half
 *		(src/audit.c); the worker that writes it is src/audit_worker.c.
 */
#ifndef ALPACA_AUDIT_H
#define ALPACA_AUDIT_H

/* What the record of one call says before its request leaves. */
typedef struct AlpacaAuditIntent
{
	const char *function;		/* the SQL function */
	const char *method;
	const char *target;			/* path and query */
	const char *body;			/* or NULL */
	int			body_len;
	const char *client_order_id;
	/* an order's own fields, as the limits judged them, or NULL */
	const char *symbol;
	const char *side;
	const char *qty;
	const char *notional;
} AlpacaAuditIntent;

extern Size alpaca_audit_shmem_size(void);
extern void alpaca_audit_shmem_startup(void);
extern int64 alpaca_audit_intent(const AlpacaAuditIntent *intent);
extern void alpaca_audit_complete(int64 id, const char *outcome, long status,
								  const char *order_id, const char *error, double ms);

#endif
