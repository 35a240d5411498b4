/*
 * worker.c
 *		The plumbing every background worker of the extension shares.
 *
 * Three workers (audit, outbox, mirror) connect to alpaca.database and loop:
 * wait on their latch, do a pass of work in transactions of their own, and
 * sleep again.  What they have in common is here, once, after pg_cron's
 * launcher and pg_net's worker: the signal handlers and the connection;
 * search_path fixed to pg_catalog, pg_temp for the whole session, so no
 * object a role creates can stand in for one the worker means; the latch
 * published in shared memory (a spinlock, as it is read and written in a
 * few instructions) so backends can wake the worker; a memory context reset
 * at every pass, so a long-running worker's memory grows with a pass, never
 * with its lifetime; the transaction bracket, with statistics reported after
 * each commit as a backend does after a statement; and what alpaca_workers()
 * shows of each: its pid, passes, memory and last error.
 */
#include "postgres.h"

#include "access/xact.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "errors.h"
#include "extension.h"
#include "guc.h"
#include "worker.h"

typedef struct WorkerState
{
	Latch	   *latch;			/* NULL while it does not run */
	int			pid;
	TimestampTz started_at;
	TimestampTz last_pass_at;
	int64		passes;
	Size		memory;			/* TopMemoryContext and below, after a pass */
	TimestampTz last_error_at;
	char		last_error[256];
} WorkerState;

typedef struct WorkersShared
{
	slock_t		mutex;
	WorkerState w[ALPACA_WORKER_KINDS];
} WorkersShared;

static const char *const names[ALPACA_WORKER_KINDS] = {"alpaca audit", "alpaca outbox", "alpaca mirror", "alpaca prices"};

static WorkersShared *workers = NULL;
static AlpacaWorkerKind my_kind;
static MemoryContext pass_cxt = NULL;

bool		alpaca_in_worker = false;

Size
alpaca_workers_shmem_size(void)
{
	return sizeof(WorkersShared);
}

void
alpaca_workers_shmem_startup(void)
{
	bool		found;

	workers = ShmemInitStruct("alpaca workers", sizeof(WorkersShared), &found);
	if (!found)
	{
		memset(workers, 0, sizeof(WorkersShared));
		SpinLockInit(&workers->mutex);
	}
}

/*
 * Each connects to alpaca.database once recovery is over (never on a
 * standby) and is restarted by the postmaster restart_s after it exits.
 */
void
alpaca_worker_register(AlpacaWorkerKind kind, const char *function, int restart_s)
{
	BackgroundWorker bgw;

	memset(&bgw, 0, sizeof(bgw));
	bgw.bgw_flags = BGWORKER_SHMEM_ACCESS | BGWORKER_BACKEND_DATABASE_CONNECTION;
	bgw.bgw_start_time = BgWorkerStart_RecoveryFinished;
	bgw.bgw_restart_time = restart_s;
	strlcpy(bgw.bgw_library_name, "alpaca", BGW_MAXLEN);
	strlcpy(bgw.bgw_function_name, function, BGW_MAXLEN);
	strlcpy(bgw.bgw_name, names[kind], BGW_MAXLEN);
	strlcpy(bgw.bgw_type, names[kind], BGW_MAXLEN);
	RegisterBackgroundWorker(&bgw);
}

static void
worker_exit(int code, Datum arg)
{
	SpinLockAcquire(&workers->mutex);
	workers->w[my_kind].latch = NULL;
	workers->w[my_kind].pid = 0;
	SpinLockRelease(&workers->mutex);
}

MemoryContext
alpaca_worker_start(AlpacaWorkerKind kind)
{
	WorkerState *w = &workers->w[kind];

	my_kind = kind;
	alpaca_in_worker = true;
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(alpaca_database, NULL, 0);
	/* before any query: no role's object may stand in for one the worker means */
	alpaca_fix_search_path();
	pgstat_report_appname(names[kind]);
	pass_cxt = AllocSetContextCreate(TopMemoryContext, "alpaca worker pass", ALLOCSET_DEFAULT_SIZES);

	before_shmem_exit(worker_exit, 0);
	SpinLockAcquire(&workers->mutex);
	w->latch = MyLatch;
	w->pid = MyProcPid;
	w->started_at = GetCurrentTimestamp();
	w->passes = 0;
	w->last_error[0] = '\0';
	w->last_error_at = 0;
	SpinLockRelease(&workers->mutex);
	return pass_cxt;
}

/*
 * Bytes in use in a context and its children: what the blocks hold less their
 * free space.  MemoryContextMemAllocated() counts whole blocks, which grow by
 * doubling, so a leak shows there as rare jumps of hundreds of kilobytes and
 * a cache filling once looks the same; in-use bytes grow with each leaked
 * chunk, which is what a leak test and an operator watching for one need.
 */
static Size
memory_in_use(MemoryContext cxt)
{
	MemoryContextCounters totals = {0};
	Size		used;

	cxt->methods->stats(cxt, NULL, NULL, &totals, false);
	used = totals.totalspace - totals.freespace;
	for (MemoryContext child = cxt->firstchild; child != NULL; child = child->nextchild)
		used += memory_in_use(child);
	return used;
}

bool
alpaca_worker_pass(void)
{
	WorkerState *w = &workers->w[my_kind];
	bool		reloaded = false;
	Size		memory;

	CHECK_FOR_INTERRUPTS();
	if (ConfigReloadPending)
	{
		ConfigReloadPending = false;
		ProcessConfigFile(PGC_SIGHUP);
		reloaded = true;
	}
	MemoryContextSwitchTo(pass_cxt);
	MemoryContextReset(pass_cxt);
	memory = memory_in_use(TopMemoryContext);
	SpinLockAcquire(&workers->mutex);
	w->passes++;
	w->last_pass_at = GetCurrentTimestamp();
	w->memory = memory;
	SpinLockRelease(&workers->mutex);
	return reloaded;
}

void
alpaca_worker_wait(long timeout_ms)
{
	(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, timeout_ms, PG_WAIT_EXTENSION);
	ResetLatch(MyLatch);
}

/*
 * The memory context current when a worker's transaction began, current
 * again after it commits: CommitTransactionCommand() leaves
 * TopMemoryContext current, and whatever a worker allocated after it (a copy
 * of the next slot's data, say) would live as long as the worker did.
 */
static MemoryContext before_xact = NULL;

void
alpaca_worker_begin(const char *activity)
{
	before_xact = CurrentMemoryContext;
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, activity);
}

void
alpaca_worker_commit(void)
{
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_stat(false);
	pgstat_report_activity(STATE_IDLE, NULL);
	MemoryContextSwitchTo(before_xact ? before_xact : pass_cxt);
}

ErrorData *
alpaca_worker_abort(MemoryContext cxt)
{
	ErrorData  *e;

	MemoryContextSwitchTo(cxt);
	e = CopyErrorData();
	FlushErrorState();
	AbortCurrentTransaction();
	MemoryContextSwitchTo(cxt);
	pgstat_report_activity(STATE_IDLE, NULL);
	return e;
}

/*
 * The same for an internal subtransaction, in a PG_CATCH: the error copied
 * into cxt, the subtransaction rolled back, and cxt and owner (the memory
 * context and resource owner from before BeginInternalSubTransaction) current
 * again.
 */
ErrorData *
alpaca_worker_subabort(MemoryContext cxt, ResourceOwner owner)
{
	ErrorData  *e;

	MemoryContextSwitchTo(cxt);
	e = CopyErrorData();
	FlushErrorState();
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(cxt);
	CurrentResourceOwner = owner;
	return e;
}

bool
alpaca_worker_same_endpoint(uint64 *opened, const char *url, const char *extra)
{
	uint64		now;
	bool		same;

	now = hash_bytes_extended((const unsigned char *) url, strlen(url), 1);
	now = hash_bytes_extended((const unsigned char *) alpaca_key_id, strlen(alpaca_key_id), now);
	now = hash_bytes_extended((const unsigned char *) alpaca_secret_key, strlen(alpaca_secret_key), now);
	now = hash_bytes_extended((const unsigned char *) &alpaca_mirror_ping_interval_s,
							  sizeof(alpaca_mirror_ping_interval_s), now);
	if (extra)
		now = hash_bytes_extended((const unsigned char *) extra, strlen(extra), now);
	same = (now == *opened);
	*opened = now;
	return same;
}

void
alpaca_worker_report(const char *error)
{
	WorkerState *w = &workers->w[my_kind];

	SpinLockAcquire(&workers->mutex);
	if (error)
	{
		strlcpy(w->last_error, error, sizeof(w->last_error));
		w->last_error_at = GetCurrentTimestamp();
	}
	else
		w->last_error[0] = '\0';
	SpinLockRelease(&workers->mutex);
}

bool
alpaca_worker_wake(AlpacaWorkerKind kind)
{
	bool		running = false;

	if (workers == NULL)
		return false;
	SpinLockAcquire(&workers->mutex);
	if (workers->w[kind].latch)
	{
		SetLatch(workers->w[kind].latch);
		running = true;
	}
	SpinLockRelease(&workers->mutex);
	return running;
}

bool
alpaca_worker_running(AlpacaWorkerKind kind)
{
	bool		running;

	if (workers == NULL)
		return false;
	SpinLockAcquire(&workers->mutex);
	running = workers->w[kind].latch != NULL;
	SpinLockRelease(&workers->mutex);
	return running;
}

PG_FUNCTION_INFO_V1(alpaca_workers);

/* One row per worker: name, pid, started, passes, last pass, memory, last error. */
Datum
alpaca_workers(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	WorkersShared copy;

	InitMaterializedSRF(fcinfo, 0);
	if (workers == NULL)
		return (Datum) 0;
	SpinLockAcquire(&workers->mutex);
	copy = *workers;
	SpinLockRelease(&workers->mutex);
	for (int k = 0; k < ALPACA_WORKER_KINDS; k++)
	{
		WorkerState *w = &copy.w[k];
		Datum		values[8];
		bool		nulls[8] = {0};

		values[0] = CStringGetTextDatum(names[k]);
		values[1] = Int32GetDatum(w->pid);
		nulls[1] = w->latch == NULL;
		values[2] = TimestampTzGetDatum(w->started_at);
		nulls[2] = w->started_at == 0;
		values[3] = Int64GetDatum(w->passes);
		values[4] = TimestampTzGetDatum(w->last_pass_at);
		nulls[4] = w->last_pass_at == 0;
		values[5] = Int64GetDatum((int64) w->memory);
		nulls[5] = w->memory == 0;
		values[6] = CStringGetTextDatum(w->last_error);
		nulls[6] = w->last_error[0] == '\0';
		values[7] = TimestampTzGetDatum(w->last_error_at);
		nulls[7] = w->last_error_at == 0 || nulls[6];
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
