/*
 * alpaca.c
 *		Module entry point of the alpaca extension.
 *
 * Load it through shared_preload_libraries: then the key settings exist,
 * sealed, before any session starts, the log filter runs in the postmaster
 * too, and the shared memory the audit trail and the rate budget use, and
 * the audit worker, can be had.  Loaded later, a session that has not yet
 * called an alpaca function would see the keys as plain placeholders,
 * readable by any role, and nothing that changes the account can be
 * recorded, so (while alpaca.audit is on) nothing that changes it is sent.
 */
#include "postgres.h"

#include "fmgr.h"
#include "miscadmin.h"
#include "postmaster/bgworker.h"
#include "storage/ipc.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/guc.h"

#include "audit.h"
#include "budget.h"
#include "guc.h"
#include "http.h"
#include "mirror.h"
#include "prices.h"
#include "worker.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

static shmem_request_hook_type prev_shmem_request_hook = NULL;
static shmem_startup_hook_type prev_shmem_startup_hook = NULL;

static void
alpaca_shmem_request(void)
{
	if (prev_shmem_request_hook)
		prev_shmem_request_hook();
	RequestAddinShmemSpace(alpaca_audit_shmem_size());
	RequestAddinShmemSpace(alpaca_budget_shmem_size());
	RequestAddinShmemSpace(alpaca_workers_shmem_size());
	RequestAddinShmemSpace(alpaca_mirror_shmem_size());
	RequestAddinShmemSpace(alpaca_prices_shmem_size());
	RequestNamedLWLockTranche("alpaca", 2);
}

static void
alpaca_shmem_startup(void)
{
	if (prev_shmem_startup_hook)
		prev_shmem_startup_hook();
	LWLockAcquire(AddinShmemInitLock, LW_EXCLUSIVE);
	alpaca_audit_shmem_startup();
	alpaca_budget_shmem_startup();
	alpaca_workers_shmem_startup();
	alpaca_mirror_shmem_startup();
	alpaca_prices_shmem_startup();
	LWLockRelease(AddinShmemInitLock);
}

void
_PG_init(void)
{
	alpaca_define_gucs();
	/* after every definition: placeholders for names not defined are dropped */
	MarkGUCPrefixReserved("alpaca");
	alpaca_install_log_filter();
	alpaca_http_init();

	if (!process_shared_preload_libraries_in_progress)
	{
		ereport(WARNING,
				(errmsg("alpaca is not in shared_preload_libraries"),
				 errdetail("Until the library is loaded, alpaca.key_id and alpaca.secret_key are visible to every role, "
						   "and no call that changes the account can be recorded in alpaca_audit."),
				 errhint("Add alpaca to shared_preload_libraries and restart the server.")));
		return;
	}
	prev_shmem_request_hook = shmem_request_hook;
	shmem_request_hook = alpaca_shmem_request;
	prev_shmem_startup_hook = shmem_startup_hook;
	shmem_startup_hook = alpaca_shmem_startup;
	/* like pg_cron: no worker while pg_upgrade runs the server */
	if (!IsBinaryUpgrade)
	{
		/* the audit trail (src/audit.c), orders on COMMIT (src/outbox.c), the mirror (src/mirror.c) */
		alpaca_worker_register(ALPACA_WORKER_AUDIT, "alpaca_audit_main", 1);
		alpaca_worker_register(ALPACA_WORKER_OUTBOX, "alpaca_outbox_main", 1);
		alpaca_worker_register(ALPACA_WORKER_MIRROR, "alpaca_mirror_main", 5);
		alpaca_worker_register(ALPACA_WORKER_PRICES, "alpaca_prices_main", 5);
	}
}
