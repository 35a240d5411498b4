/*
 * worker.h
 *		What the extension's background workers share: start-up, the latch
 *		others wake them by, transactions, memory per pass, and the status
 *		each shows in alpaca_workers().
 */
#ifndef ALPACA_WORKER_H
#define ALPACA_WORKER_H

#include "utils/elog.h"
#include "utils/palloc.h"
#include "utils/resowner.h"

typedef enum AlpacaWorkerKind
{
	ALPACA_WORKER_AUDIT,		/* src/audit_worker.c */
	ALPACA_WORKER_OUTBOX,		/* src/outbox_worker.c */
	ALPACA_WORKER_MIRROR,		/* src/mirror.c */
	ALPACA_WORKER_PRICES,		/* src/prices.c */
	ALPACA_WORKER_KINDS
} AlpacaWorkerKind;

/* true in one of the extension's workers (their requests may use the reserve) */
extern bool alpaca_in_worker;

extern Size alpaca_workers_shmem_size(void);
extern void alpaca_workers_shmem_startup(void);
extern void alpaca_worker_register(AlpacaWorkerKind kind, const char *function, int restart_s);

/*
 * In the worker: signals, a connection to alpaca.database, the fixed search
 * path, its latch published; returns the context reset at every pass.
 */
extern MemoryContext alpaca_worker_start(AlpacaWorkerKind kind);
/* at the top of each pass: interrupts, a reload (returns true), a fresh context */
extern bool alpaca_worker_pass(void);
/* sleep until woken, the timeout, or postmaster death */
extern void alpaca_worker_wait(long timeout_ms);

/* a transaction with SPI and a snapshot, shown in pg_stat_activity */
extern void alpaca_worker_begin(const char *activity);
/* commit, report statistics and idleness, back in the context current at begin */
extern void alpaca_worker_commit(void);
/* after an error in a transaction: roll back and return the error, copied into cxt */
extern ErrorData *alpaca_worker_abort(MemoryContext cxt);
/* ... in an internal subtransaction: roll it back, back in cxt under owner */
extern ErrorData *alpaca_worker_subabort(MemoryContext cxt, ResourceOwner owner);
/*
 * Are a stream's server (url), the keys, the ping interval and extra (a
 * feed, or NULL) those it was opened with, as remembered in *opened?  A
 * hash, so no second copy of the keys is kept; the first call remembers.
 */
extern bool alpaca_worker_same_endpoint(uint64 *opened, const char *url, const char *extra);
/* what alpaca_workers() shows: the last error (NULL clears it once work succeeds) */
extern void alpaca_worker_report(const char *error);

/* from a backend: wake a worker; false when it is not running */
extern bool alpaca_worker_wake(AlpacaWorkerKind kind);
extern bool alpaca_worker_running(AlpacaWorkerKind kind);

#endif
