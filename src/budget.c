/*
 * budget.c
 *		The request budgets: this server's, and the account's as Alpaca
 *		counts it; and what each endpoint cost.
 *
 * Alpaca allows an account about 200 Trading API requests a minute (the
 * Market Data API has a budget of its own: 200 on the basic plan, 10,000 on
 * the paid one), counted across every client on the same keys: a primary,
 * its standbys, other programs.  Two things keep a request from being one
 * too many:
 *
 *	- The account's budget, learned: every answer's X-RateLimit-Limit,
 *	  -Remaining and -Reset say what the account has left until when, in
 *	  shared memory per API; with the requests this server has in flight
 *	  counted as spent, nothing is sent while Alpaca says none remain until
 *	  its reset (a 429 says the same).  So servers on one account together
 *	  stay inside Alpaca's limit, overshooting it by at most the requests
 *	  each had in flight when the last one was spent.
 *	- This server's own cap (alpaca.requests_per_minute for the Trading API,
 *	  alpaca.data_requests_per_minute for market data, 0 for none): the send
 *	  times of the last requests in a ring, a sliding window of 61 seconds
 *	  (a second for a request to reach Alpaca).  Of it, reads may not take
 *	  alpaca.reserved_requests_per_minute: that share is kept for calls that
 *	  change the account (and the look-ups their checks make) and for the
 *	  extension's workers, so a role that only reads cannot starve a
 *	  drawdown guard or the outbox.  alpaca.role_requests_per_minute caps
 *	  what one role (the session's) may send.
 *
 * A request past a budget waits, interruptibly, as long as the statement's
 * remaining time allows, and then fails with 53400 naming the budget.
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
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/timestamp.h"

#include "budget.h"
#include "guc.h"
#include "worker.h"

#define BUDGET_MAX ALPACA_BUDGET_MAX
/* a minute, and a second more for the time a request takes to reach Alpaca */
#define WINDOW_US INT64CONST(61000000)
#define ENDPOINTS_MAX 256
#define ENDPOINT_LEN 96
/* epoch seconds in PostgreSQL's timestamps */
#define UNIX_EPOCH_DIFF_S INT64CONST(946684800)

typedef struct Send
{
	TimestampTz at;
	Oid			role;			/* the session's */
	bool		change;			/* may use the reserve */
} Send;

/* This server's sliding window of sends to one API. */
typedef struct Ring
{
	int			head;			/* next slot to write */
	int			count;			/* sends in the ring (newest count) */
	Send		sent[BUDGET_MAX];
} Ring;

/* What Alpaca last said of the account's budget for one API. */
typedef struct Account
{
	bool		known;
	int			limit;			/* X-RateLimit-Limit */
	int			remaining;		/* X-RateLimit-Remaining, as of its answer */
	TimestampTz reset_at;		/* X-RateLimit-Reset */
	int			in_flight;		/* sent since, not answered */
	int64		limited;		/* 429s */
} Account;

typedef struct BudgetShared
{
	LWLock	   *lock;
	int64		waited[ALPACA_APIS];	/* requests that had to wait */
	int64		refused[ALPACA_APIS];	/* ... and could not, in time */
	Account		account[ALPACA_APIS];
	Ring		ring[ALPACA_APIS];
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
/* this backend's requests in flight, given back if it exits mid-request */
static int	my_in_flight[ALPACA_APIS];
static bool exit_hook = false;

static const char *const api_names[ALPACA_APIS] = {"trading", "market data"};

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
		memset(budget, 0, offsetof(BudgetShared, ring));
		for (int a = 0; a < ALPACA_APIS; a++)
			budget->ring[a].head = budget->ring[a].count = 0;
		budget->lock = &(GetNamedLWLockTranche("alpaca"))[1].lock;
	}
	memset(&info, 0, sizeof(info));
	info.keysize = sizeof(EndpointKey);
	info.entrysize = sizeof(EndpointStats);
	endpoints = ShmemInitHash("alpaca endpoints", ENDPOINTS_MAX, ENDPOINTS_MAX, &info,
							  HASH_ELEM | HASH_BLOBS);
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

static int
server_cap(AlpacaApi api)
{
	return Min(api == ALPACA_API_TRADING ? alpaca_requests_per_minute : alpaca_data_requests_per_minute,
			   BUDGET_MAX);
}

static void
give_back_in_flight(int code, Datum arg)
{
	if (budget == NULL)
		return;
	LWLockAcquire(budget->lock, LW_EXCLUSIVE);
	for (int a = 0; a < ALPACA_APIS; a++)
		budget->account[a].in_flight = Max(budget->account[a].in_flight - my_in_flight[a], 0);
	LWLockRelease(budget->lock);
}

/* What reads may not take of a cap: the setting, or (-1) a tenth of the cap. */
static int
reserved(int cap)
{
	int			r = alpaca_reserved_requests_per_minute < 0 ? cap / 10 : alpaca_reserved_requests_per_minute;

	return Min(r, cap - 1);
}

/* Sends older than the window no longer count. */
static void
age_out(Ring *r, TimestampTz now)
{
	while (r->count > 0 && r->sent[(r->head - r->count + BUDGET_MAX) % BUDGET_MAX].at <= now - WINDOW_US)
		r->count--;
}

/* The k-th newest send in the window (k from 0). */
static Send *
newest(Ring *r, int k)
{
	return &r->sent[(r->head - 1 - k + BUDGET_MAX) % BUDGET_MAX];
}

/*
 * Why this request may not leave yet: *why for the message (the budget and
 * its limit), *detail for the counts; how long until it may (microseconds),
 * 0 when it may.  Called with the lock held.
 */
static int64
must_wait(AlpacaApi api, bool change, Oid role, TimestampTz now, char **why, char **detail)
{
	Ring	   *r = &budget->ring[api];
	Account    *acct = &budget->account[api];
	int			cap = server_cap(api);
	const char *setting = api == ALPACA_API_TRADING ? "alpaca.requests_per_minute" : "alpaca.data_requests_per_minute";

	age_out(r, now);
	/* the account, as Alpaca last said, with what is in flight counted as spent */
	if (acct->known && now < acct->reset_at && acct->remaining - acct->in_flight <= 0)
	{
		*why = psprintf("the account's %s API budget at Alpaca is spent (Alpaca allows it %d requests a minute)",
						api_names[api], acct->limit);
		*detail = psprintf("Alpaca said %d remain until %s; this server has %d in flight.",
						   Max(acct->remaining, 0), timestamptz_to_str(acct->reset_at), acct->in_flight);
		/* an answer in flight may say more: look again soon */
		return Max(acct->in_flight > 0 ? Min(acct->reset_at - now, 100000) : acct->reset_at - now, 1);
	}
	if (cap > 0)
	{
		int			reserve = change ? 0 : reserved(cap);
		int			limit = cap - reserve;

		if (r->count >= limit)
		{
			*why = reserve ?
				psprintf("this server's %s API budget for reads is spent (%s = %d, of which %d are kept for calls that change the account: alpaca.reserved_requests_per_minute)",
						 api_names[api], setting, cap, reserve) :
				psprintf("this server's %s API budget is spent (%s = %d)", api_names[api], setting, cap);
			*detail = psprintf("%d requests left this server in the last minute.", r->count);
			/* the send that must age out first */
			return Max(newest(r, limit - 1)->at + WINDOW_US - now, 1);
		}
	}
	if (alpaca_role_requests_per_minute > 0 && OidIsValid(role))
	{
		int			mine = 0;
		int			k;

		for (k = 0; k < r->count; k++)
			if (newest(r, k)->role == role && ++mine >= alpaca_role_requests_per_minute)
				break;
		if (mine >= alpaca_role_requests_per_minute)
		{
			*why = psprintf("role %s's request budget is spent (alpaca.role_requests_per_minute = %d)",
							quote_identifier(GetUserNameFromId(role, false)), alpaca_role_requests_per_minute);
			*detail = psprintf("Its sessions sent %d requests to the %s API in the last minute.", mine, api_names[api]);
			return Max(newest(r, k)->at + WINDOW_US - now, 1);
		}
	}
	return 0;
}

/*
 * Take one request from the budgets of api, waiting for it if need be.
 * change: a call that changes the account, a look-up its checks make, or a
 * worker's request: it may use the reserve.  Without shared memory (not
 * preloaded) there is no budget to share.
 */
void
alpaca_budget_take(AlpacaApi api, bool change)
{
	bool		waited = false;
	Oid			role = GetSessionUserId();

	if (budget == NULL)
		return;
	if (!exit_hook)
	{
		before_shmem_exit(give_back_in_flight, 0);
		exit_hook = true;
	}
	change |= alpaca_in_worker;
	for (;;)
	{
		TimestampTz now = GetCurrentTimestamp();
		char	   *why = NULL;
		char	   *detail = NULL;
		int64		wait;
		int64		left;

		LWLockAcquire(budget->lock, LW_EXCLUSIVE);
		wait = must_wait(api, change, role, now, &why, &detail);
		if (wait == 0)
		{
			Ring	   *r = &budget->ring[api];
			Send	   *s = &r->sent[r->head];

			s->at = now;
			s->role = role;
			s->change = change;
			r->head = (r->head + 1) % BUDGET_MAX;
			r->count = Min(r->count + 1, BUDGET_MAX);
			budget->account[api].in_flight++;
			my_in_flight[api]++;
			if (waited)
				budget->waited[api]++;
			LWLockRelease(budget->lock);
			return;
		}
		left = alpaca_statement_time_left();
		if (left >= 0 && wait > left)
			budget->refused[api]++;
		LWLockRelease(budget->lock);

		if (left >= 0 && wait > left)
			ereport(ERROR,
					(errcode(ERRCODE_CONFIGURATION_LIMIT_EXCEEDED),
					 errmsg("%s, and the statement's time runs out before the next request may leave", why),
					 errdetail("%s The next may leave in %lld ms.", detail, (long long) (wait / 1000)),
					 errhint("Wait, make fewer calls (a pg_cron job that polls, say), or have a superuser raise the limit within Alpaca's.")));
		waited = true;
		pgstat_report_wait_start(PG_WAIT_EXTENSION);
		alpaca_sleep_us(Min(wait, 100000));
		pgstat_report_wait_end();
	}
}

/*
 * What an answer said of the account's budget (resp NULL: no answer came,
 * the request is only no longer in flight).
 */
void
alpaca_budget_answered(AlpacaApi api, const AlpacaResponse *resp)
{
	Account    *acct;
	TimestampTz now = GetCurrentTimestamp();

	if (budget == NULL)
		return;
	LWLockAcquire(budget->lock, LW_EXCLUSIVE);
	acct = &budget->account[api];
	acct->in_flight = Max(acct->in_flight - 1, 0);
	my_in_flight[api] = Max(my_in_flight[api] - 1, 0);
	if (resp && resp->ratelimit_remaining >= 0 && resp->ratelimit_reset > 0)
	{
		/* Alpaca's window is a minute: a reset further off is not believed */
		TimestampTz reset = Min((TimestampTz) (resp->ratelimit_reset - UNIX_EPOCH_DIFF_S) * USECS_PER_SEC,
								now + WINDOW_US);

		/* answers overtake one another: within a window the lowest is the latest */
		if (!acct->known || reset != acct->reset_at || resp->ratelimit_remaining < acct->remaining)
			acct->remaining = resp->ratelimit_remaining;
		acct->reset_at = reset;
		acct->limit = resp->ratelimit_limit > 0 ? resp->ratelimit_limit : acct->limit;
		acct->known = true;
	}
	/*
	 * A 429 with the headers said the account has none left, above; one
	 * without them (a proxy's, a fault) holds only its own request, which
	 * backs off as Retry-After asks.
	 */
	if (resp && resp->status == 429)
		acct->limited++;
	LWLockRelease(budget->lock);
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
		us = Max(0, reset_epoch_s * 1000000 - (GetCurrentTimestamp() / 1000000 + UNIX_EPOCH_DIFF_S) * 1000000);
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
PG_FUNCTION_INFO_V1(alpaca_budgets);

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

/* Forgets statistics only: it writes nothing at Alpaca, but it is a change all the same. */
Datum
alpaca_stat_reset(PG_FUNCTION_ARGS)
{
	HASH_SEQ_STATUS seq;
	EndpointStats *e;

	if (XactReadOnly)
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("cannot reset the alpaca statistics in a read-only transaction")));
	if (endpoints == NULL)
		PG_RETURN_VOID();
	LWLockAcquire(budget->lock, LW_EXCLUSIVE);
	hash_seq_init(&seq, endpoints);
	while ((e = hash_seq_search(&seq)) != NULL)
		hash_search(endpoints, &e->key, HASH_REMOVE, NULL);
	for (int a = 0; a < ALPACA_APIS; a++)
		budget->waited[a] = budget->refused[a] = budget->account[a].limited = 0;
	LWLockRelease(budget->lock);
	PG_RETURN_VOID();
}

static int
used_last_minute(AlpacaApi api, TimestampTz now)
{
	Ring	   *r = &budget->ring[api];
	int			used = 0;

	for (int i = 0; i < r->count; i++)
		if (newest(r, i)->at > now - WINDOW_US)
			used++;
	return used;
}

/* The Trading API's budget on this server: the limit, the requests in the last minute, what is left. */
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
		used = used_last_minute(ALPACA_API_TRADING, now);
		values[3] = Int64GetDatum(budget->waited[ALPACA_API_TRADING]);
		values[4] = Int64GetDatum(budget->refused[ALPACA_API_TRADING]);
		LWLockRelease(budget->lock);
	}
	else
		nulls[3] = nulls[4] = true;
	values[0] = Int32GetDatum(alpaca_requests_per_minute);
	values[1] = Int32GetDatum(used);
	values[2] = Int32GetDatum(Max(0, alpaca_requests_per_minute - used));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/*
 * Both APIs: this server's cap, its use in the last minute and the reserve;
 * what Alpaca last said of the account (limit, remaining, reset), what is in
 * flight, and the waits, refusals and 429s.
 */
Datum
alpaca_budgets(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	TimestampTz now = GetCurrentTimestamp();

	InitMaterializedSRF(fcinfo, 0);
	if (budget == NULL)
		return (Datum) 0;
	LWLockAcquire(budget->lock, LW_SHARED);
	for (int a = 0; a < ALPACA_APIS; a++)
	{
		Account    *acct = &budget->account[a];
		Datum		values[12];
		bool		nulls[12] = {0};

		values[0] = CStringGetTextDatum(api_names[a]);
		values[1] = Int32GetDatum(server_cap(a));
		values[2] = Int32GetDatum(used_last_minute(a, now));
		values[3] = Int32GetDatum(server_cap(a) > 0 ? reserved(server_cap(a)) : 0);
		values[4] = Int32GetDatum(acct->limit);
		values[5] = Int32GetDatum(acct->remaining);
		values[6] = TimestampTzGetDatum(acct->reset_at);
		nulls[4] = nulls[5] = nulls[6] = !acct->known;
		values[7] = Int32GetDatum(acct->in_flight);
		values[8] = Int64GetDatum(budget->waited[a]);
		values[9] = Int64GetDatum(budget->refused[a]);
		values[10] = Int64GetDatum(acct->limited);
		values[11] = Int32GetDatum(alpaca_role_requests_per_minute);
		nulls[11] = alpaca_role_requests_per_minute <= 0;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	LWLockRelease(budget->lock);
	return (Datum) 0;
}
