/*
 * budget.c
 *		One rate budget for the whole cluster, and what each endpoint cost.
 *
 * Alpaca allows an account about 200 requests a minute, counted across
 * every client; concurrent sessions that each keep to it would still spend
 * it against each other.  So every backend and worker draws from one budget
 * in shared memory: the send times of the last alpaca.requests_per_minute
 * requests, kept in a ring.  A request may leave when fewer than that many
 * left in the last 61 seconds (a sliding window, with a second for the
 * request to reach Alpaca, so no minute there ever holds more); otherwise
 * it waits, interruptibly, for the oldest to age out, as
 * long as the statement's remaining time allows, and then fails with 53400.
 *
 * Beside it, per endpoint (method and path template): calls, errors,
 * retries, 429s, mean and max latency, for the alpaca_stat_endpoints view.
 */
#include "postgres.h"

#include <math.h>

#include "access/xact.h"
#include "common/pg_prng.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/timestamp.h"

#include "budget.h"

#define BUDGET_MAX 100000		/* the largest requests_per_minute */
/* a minute, and a second more for the time a request takes to reach Alpaca */
#define WINDOW_US INT64CONST(61000000)
#define ENDPOINTS_MAX 256
#define ENDPOINT_LEN 96

typedef struct BudgetShared
{
	LWLock	   *lock;
	int			head;			/* next slot to write */
	int			count;			/* sends in the ring (newest count) */
	int64		waited;			/* requests that had to wait */
	int64		refused;		/* ... and could not, in time */
	TimestampTz sent[BUDGET_MAX];
} BudgetShared;

typedef struct EndpointKey
{
	char		name[ENDPOINT_LEN]; /* "GET /v2/orders/{order_id}" */
} EndpointKey;

typedef struct EndpointStats
{
	EndpointKey key;
	int64		calls;
	int64		errors;
	int64		retries;
	int64		limited;		/* answered 429 */
	double		total_ms;
	double		max_ms;
} EndpointStats;

static BudgetShared *budget = NULL;
static HTAB *endpoints = NULL;

int			alpaca_requests_per_minute = 200;
int			alpaca_max_retries = 2;

Size
alpaca_budget_shmem_size(void)
{
	return add_size(sizeof(BudgetShared), hash_estimate_size(ENDPOINTS_MAX, sizeof(EndpointStats)));
}

void
alpaca_budget_shmem_startup(void)
{
	bool		found;
	HASHCTL		info;

	budget = ShmemInitStruct("alpaca budget", sizeof(BudgetShared), &found);
	if (!found)
	{
		memset(budget, 0, offsetof(BudgetShared, sent));
		budget->lock = &(GetNamedLWLockTranche("alpaca"))[1].lock;
	}
	memset(&info, 0, sizeof(info));
	info.keysize = sizeof(EndpointKey);
	info.entrysize = sizeof(EndpointStats);
	endpoints = ShmemInitHash("alpaca endpoints", ENDPOINTS_MAX, ENDPOINTS_MAX, &info,
							  HASH_ELEM | HASH_BLOBS);
}

void
alpaca_define_budget_gucs(void)
{
	DefineCustomIntVariable("alpaca.requests_per_minute",
							"Most requests the whole cluster sends to the Trading API in any 60 seconds.",
							"Alpaca allows about 200 a minute per account. A request past it waits, then fails with 53400.",
							&alpaca_requests_per_minute, 200, 1, BUDGET_MAX, PGC_SIGHUP, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.max_retries",
							"How often a read answered 429, 502, 503 or 504 is tried again, with backoff.",
							NULL, &alpaca_max_retries, 2, 0, 10, PGC_USERSET, 0, NULL, NULL, NULL);
}

/* Microseconds the statement may still run; -1 for no limit. */
int64
alpaca_statement_time_left(void)
{
	if (StatementTimeout <= 0)
		return -1;
	return Max(0, (GetCurrentStatementStartTimestamp() + (int64) StatementTimeout * 1000) -
			   GetCurrentTimestamp());
}

/* Sleep, interruptibly, showing why in pg_stat_activity. */
void
alpaca_sleep_us(int64 us)
{
	TimestampTz until = GetCurrentTimestamp() + us;

	for (;;)
	{
		int64		left = until - GetCurrentTimestamp();

		CHECK_FOR_INTERRUPTS();
		if (left <= 0)
			return;
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH,
						 Min(left / 1000 + 1, 100), PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}

/*
 * Take one request from the budget, waiting for it if need be.  Without
 * shared memory (not preloaded) there is no budget to share.
 */
void
alpaca_budget_take(void)
{
	bool		waited = false;

	if (budget == NULL)
		return;
	for (;;)
	{
		TimestampTz now = GetCurrentTimestamp();
		int			limit = Min(alpaca_requests_per_minute, BUDGET_MAX);
		int64		wait;
		int64		left;
		int			in_window;

		LWLockAcquire(budget->lock, LW_EXCLUSIVE);
		/* sends older than a minute no longer count */
		while (budget->count > 0 &&
			   budget->sent[(budget->head - budget->count + BUDGET_MAX) % BUDGET_MAX] <= now - WINDOW_US)
			budget->count--;
		in_window = budget->count;
		if (in_window < limit)
		{
			budget->sent[budget->head] = now;
			budget->head = (budget->head + 1) % BUDGET_MAX;
			budget->count = Min(budget->count + 1, BUDGET_MAX);
			if (waited)
				budget->waited++;
			LWLockRelease(budget->lock);
			return;
		}
		/* the send that must age out before this one may leave */
		wait = budget->sent[(budget->head - limit + BUDGET_MAX) % BUDGET_MAX] + WINDOW_US - now;
		left = alpaca_statement_time_left();
		if (left >= 0 && wait > left)
			budget->refused++;
		LWLockRelease(budget->lock);

		if (left >= 0 && wait > left)
			ereport(ERROR,
					(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
					 errmsg("the cluster's Alpaca request budget is spent"),
					 errdetail("%d requests left in the last minute; alpaca.requests_per_minute is %d. "
							   "The next may leave in %lld ms, after the statement's time runs out.",
							   in_window, limit, (long long) (wait / 1000)),
					 errhint("Wait, make fewer calls (a pg_cron job that polls, say), or have a superuser raise alpaca.requests_per_minute within Alpaca's limit.")));
		waited = true;
		pgstat_report_wait_start(PG_WAIT_EXTENSION);
		alpaca_sleep_us(Min(wait, 100000));
		pgstat_report_wait_end();
	}
}

/*
 * How long to wait before retry number attempt (from 1): what Alpaca asked
 * for (Retry-After, or X-RateLimit-Reset when none are left), else
 * exponential backoff from 250 ms with full jitter; capped at 30 s.
 */
int64
alpaca_backoff_us(int attempt, int retry_after_s, int64 reset_epoch_s, int remaining)
{
	int64		us;

	if (retry_after_s >= 0)
		us = (int64) retry_after_s * 1000000;
	else if (remaining == 0 && reset_epoch_s > 0)
		us = Max(0, reset_epoch_s * 1000000 - (GetCurrentTimestamp() / 1000000 + 946684800) * 1000000);
	else
		us = (int64) (250000 * pow(2, attempt - 1) * (0.5 + pg_prng_double(&pg_global_prng_state)));
	return Min(us, INT64CONST(30000000));
}

/* Count one finished request against its endpoint. */
void
alpaca_budget_record(const char *method, const char *template, long status, bool failed,
					 bool retry, double ms)
{
	EndpointKey key;
	EndpointStats *e;
	bool		found;

	if (endpoints == NULL)
		return;
	memset(&key, 0, sizeof(key));
	snprintf(key.name, sizeof(key.name), "%s %s", method, template);
	LWLockAcquire(budget->lock, LW_EXCLUSIVE);
	e = hash_search(endpoints, &key, HASH_ENTER_NULL, &found);
	if (e == NULL)
	{
		/* full: everything else counts as one */
		memset(&key, 0, sizeof(key));
		strlcpy(key.name, "(other endpoints)", sizeof(key.name));
		e = hash_search(endpoints, &key, HASH_FIND, &found);
	}
	if (e != NULL)
	{
		if (!found)
			memset((char *) e + sizeof(EndpointKey), 0, sizeof(EndpointStats) - sizeof(EndpointKey));
		e->calls++;
		e->errors += (failed || status >= 400) ? 1 : 0;
		e->retries += retry ? 1 : 0;
		e->limited += status == 429 ? 1 : 0;
		e->total_ms += ms;
		e->max_ms = Max(e->max_ms, ms);
	}
	LWLockRelease(budget->lock);
}

PG_FUNCTION_INFO_V1(alpaca_stat_endpoints);
PG_FUNCTION_INFO_V1(alpaca_stat_reset);
PG_FUNCTION_INFO_V1(alpaca_budget);

/* One row per endpoint; the budget in alpaca_budget(). */
Datum
alpaca_stat_endpoints(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	HASH_SEQ_STATUS seq;
	EndpointStats *e;

	InitMaterializedSRF(fcinfo, 0);
	if (endpoints == NULL)
		return (Datum) 0;
	LWLockAcquire(budget->lock, LW_SHARED);
	hash_seq_init(&seq, endpoints);
	while ((e = hash_seq_search(&seq)) != NULL)
	{
		Datum		values[7];
		bool		nulls[7] = {0};

		values[0] = CStringGetTextDatum(e->key.name);
		values[1] = Int64GetDatum(e->calls);
		values[2] = Int64GetDatum(e->errors);
		values[3] = Int64GetDatum(e->retries);
		values[4] = Int64GetDatum(e->limited);
		values[5] = Float8GetDatum(e->calls ? e->total_ms / e->calls : 0);
		values[6] = Float8GetDatum(e->max_ms);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	LWLockRelease(budget->lock);
	return (Datum) 0;
}

Datum
alpaca_stat_reset(PG_FUNCTION_ARGS)
{
	HASH_SEQ_STATUS seq;
	EndpointStats *e;

	if (endpoints == NULL)
		PG_RETURN_VOID();
	LWLockAcquire(budget->lock, LW_EXCLUSIVE);
	hash_seq_init(&seq, endpoints);
	while ((e = hash_seq_search(&seq)) != NULL)
		hash_search(endpoints, &e->key, HASH_REMOVE, NULL);
	budget->waited = budget->refused = 0;
	LWLockRelease(budget->lock);
	PG_RETURN_VOID();
}

/* The budget now: the limit, the requests in the last minute, what is left. */
Datum
alpaca_budget(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[5];
	bool		nulls[5] = {0};
	TimestampTz now = GetCurrentTimestamp();
	int			used = 0;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (budget != NULL)
	{
		LWLockAcquire(budget->lock, LW_SHARED);
		for (int i = 0; i < budget->count; i++)
			if (budget->sent[(budget->head - 1 - i + BUDGET_MAX) % BUDGET_MAX] > now - WINDOW_US)
				used++;
		values[3] = Int64GetDatum(budget->waited);
		values[4] = Int64GetDatum(budget->refused);
		LWLockRelease(budget->lock);
	}
	else
		nulls[3] = nulls[4] = true;
	values[0] = Int32GetDatum(alpaca_requests_per_minute);
	values[1] = Int32GetDatum(used);
	values[2] = Int32GetDatum(Max(0, alpaca_requests_per_minute - used));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
