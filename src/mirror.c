/*
 * mirror.c
 *		The account, live in the database: the "alpaca mirror" worker keeps
 *		alpaca_mirror_orders, _positions and _activities current.
 *
 * Two streams feed it, each in its own connection driven from one
 * WaitEventSet together with the worker's latch, so a change of setting,
 * a shutdown or postmaster death is seen at once and nothing blocks:
 *
 *	- Alpaca's trade_updates WebSocket (wss://.../stream, or ws:// on
 *	  loopback, derived from alpaca.base_url) through src/ws.c: every order
 *	  event is applied by alpaca_mirror_message() (src/mirror_apply.c);
 *	- the account activity event stream (GET /v2beta1/events/activities,
 *	  server-sent events) through src/sse.c, resumed after the last event_id
 *	  mirrored.
 *
 * Streams miss events while disconnected (Alpaca does not replay
 * trade_updates), so a full reconciliation (alpaca_mirror_reconcile(),
 * which makes the mirror equal to Alpaca for its window) runs at start,
 * after every reconnect once listening again, and every
 * alpaca.mirror_reconcile_interval.  Every message is read by the same
 * strict rules as an answer and applied in a subtransaction of its own: a
 * bad one is logged and triggers a reconciliation, the rest go on.  The
 * SQL it runs names the extension's functions by the extension's schema.
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "encoding.h"
#include "extension.h"
#include "guc.h"
#include "http.h"
#include "json.h"
#include "mirror.h"
#include "redact.h"
#include "sse.h"
#include "worker.h"
#include "ws.h"

PG_FUNCTION_INFO_V1(alpaca_mirror_status);

/* ---- what the worker shows of itself ---- */

typedef struct MirrorShared
{
	slock_t		mutex;
	char		trade_updates[32];	/* off, connecting, listening, ... */
	char		activities[32];
	int64		messages;		/* stream messages applied */
	int64		refused;		/* ... and refused */
	int64		reconnects;
	int64		reconciliations;
	TimestampTz last_message_at;
	TimestampTz last_reconcile_at;
	char		last_activity_id[64];
	char		last_error[256];
} MirrorShared;

static MirrorShared *shared = NULL;

Size
alpaca_mirror_shmem_size(void)
{
	return sizeof(MirrorShared);
}

void
alpaca_mirror_shmem_startup(void)
{
	bool		found;

	shared = ShmemInitStruct("alpaca mirror", sizeof(MirrorShared), &found);
	if (!found)
	{
		memset(shared, 0, sizeof(MirrorShared));
		SpinLockInit(&shared->mutex);
		strlcpy(shared->trade_updates, "off", sizeof(shared->trade_updates));
		strlcpy(shared->activities, "off", sizeof(shared->activities));
	}
}

static void
set_state(char *field, const char *state)
{
	SpinLockAcquire(&shared->mutex);
	strlcpy(field, state, 32);
	SpinLockRelease(&shared->mutex);
}

/* the last error, until the work it was about succeeds (error NULL: it did) */
static void
set_error(const char *what, const char *error)
{
	char		buf[256];

	snprintf(buf, sizeof(buf), "%s: %s", what, error ? error : "");
	SpinLockAcquire(&shared->mutex);
	if (error)
		strlcpy(shared->last_error, alpaca_clip(buf, strlen(buf)), sizeof(shared->last_error));
	else if (strncmp(shared->last_error, buf, strlen(buf)) == 0)
		shared->last_error[0] = '\0';
	SpinLockRelease(&shared->mutex);
	alpaca_worker_report(error ? buf : NULL);
}

Datum
alpaca_mirror_status(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[11];
	bool		nulls[11] = {0};
	MirrorShared s;
	bool		standby = RecoveryInProgress();

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (shared == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the mirror needs alpaca in shared_preload_libraries")));
	SpinLockAcquire(&shared->mutex);
	s = *shared;
	SpinLockRelease(&shared->mutex);
	values[0] = BoolGetDatum(alpaca_mirror_enabled && !standby);
	/* on a standby no worker runs: the tables are the primary's, replicated */
	values[1] = CStringGetTextDatum(standby ? "standby: replicated from the primary" : s.trade_updates);
	values[2] = CStringGetTextDatum(standby ? "standby: replicated from the primary" : s.activities);
	values[3] = Int64GetDatum(s.messages);
	values[4] = Int64GetDatum(s.refused);
	values[5] = Int64GetDatum(s.reconnects);
	values[6] = Int64GetDatum(s.reconciliations);
	values[7] = TimestampTzGetDatum(s.last_message_at);
	nulls[7] = s.last_message_at == 0;
	values[8] = TimestampTzGetDatum(s.last_reconcile_at);
	nulls[8] = s.last_reconcile_at == 0;
	values[9] = CStringGetTextDatum(s.last_activity_id);
	nulls[9] = s.last_activity_id[0] == '\0';
	values[10] = CStringGetTextDatum(s.last_error);
	nulls[10] = s.last_error[0] == '\0';
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(desc), values, nulls)));
}

/* ---- the streams ---- */

typedef enum Source
{
	FROM_TRADE_UPDATES, FROM_ACTIVITIES
} Source;

typedef enum Listening
{
	NOT_YET, AUTHENTICATING, LISTENING
} Listening;

static AlpacaInbox inbox;
static AlpacaWs trade_updates;
static Listening listening = NOT_YET;
static char last_event_id[64];

static void
send_authentication(void)
{
	StringInfoData m;

	initStringInfo(&m);
	appendStringInfoString(&m, "{\"action\":\"authenticate\",\"data\":{\"key_id\":");
	escape_json(&m, alpaca_key_id);
	appendStringInfoString(&m, ",\"secret_key\":");
	escape_json(&m, alpaca_secret_key);
	appendStringInfoString(&m, "}}");
	alpaca_ws_send(&trade_updates, m.data);
	explicit_bzero(m.data, m.maxlen);
	pfree(m.data);
}

static void
open_trade_updates(void)
{
	alpaca_check_base_url();	/* the same policy as every request */
	listening = NOT_YET;
	alpaca_ws_open(&trade_updates, alpaca_base_url, "/stream", &inbox, FROM_TRADE_UPDATES,
				   alpaca_mirror_ping_interval_s);
}

static void
open_activities(void)
{
	StringInfoData url;
	size_t		baselen = strlen(alpaca_base_url);

	alpaca_check_base_url();
	while (baselen > 0 && alpaca_base_url[baselen - 1] == '/')
		baselen--;
	initStringInfo(&url);
	appendBinaryStringInfo(&url, alpaca_base_url, baselen);
	appendStringInfoString(&url, "/v2beta1/events/activities");
	/* resumed after the last event mirrored; none yet: from now on */
	if (last_event_id[0])
		appendStringInfo(&url, "?since_id=%s", last_event_id);
	alpaca_sse_start(url.data, &inbox, FROM_ACTIVITIES);
	pfree(url.data);
}

static void
close_streams(void)
{
	alpaca_ws_close(&trade_updates);
	alpaca_sse_stop();
	listening = NOT_YET;
}

/* ---- applying what came ---- */

typedef struct Loop
{
	bool		ready;			/* a comparison succeeded: the extension is
								 * there, the streams may open */
	bool		reconcile;		/* a full comparison is due */
	TimestampTz next_reconcile;
	TimestampTz ws_retry_at;
	TimestampTz sse_retry_at;
	int			ws_backoff_ms;
	int			sse_backoff_ms;
} Loop;

static const char *
apply_one(AlpacaMessage *m)
{
	AlpacaResponse text = {0};
	AlpacaExtension ext;
	Datum		doc;
	const char *sql;

	alpaca_extension_find(&ext, false);
	/* as every answer: verified UTF-8, converted, refused if it holds a key */
	text.body = pnstrdup(m->data, m->len);
	text.body_len = m->len;
	alpaca_answer_text(&text);
	doc = alpaca_jsonb_datum(text.body, text.body_len);
	sql = m->source == FROM_TRADE_UPDATES ?
		psprintf("SELECT %s($1)", alpaca_extension_object(&ext, "alpaca_mirror_message")) :
		psprintf("SELECT %s($1)::pg_catalog.text", alpaca_extension_object(&ext, "alpaca_mirror_activity"));
	if (SPI_execute_with_args(sql, 1, (Oid[]) {JSONBOID}, &doc, NULL, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not apply a stream message");
	if (m->source == FROM_ACTIVITIES)
	{
		char	   *id = alpaca_jsonb_text(doc, "event_id", NULL, NULL);

		if (id && strlen(id) < sizeof(last_event_id) && strcmp(id, last_event_id) > 0)
			strlcpy(last_event_id, id, sizeof(last_event_id));
		return "applied";
	}
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/* One message in a subtransaction of its own: a refused one leaves the others. */
static bool
apply_message(AlpacaMessage *m, Loop *loop)
{
	ResourceOwner owner = CurrentResourceOwner;
	MemoryContext here = CurrentMemoryContext;
	volatile bool ok = true;

	BeginInternalSubTransaction(NULL);
	PG_TRY();
	{
		const char *what = apply_one(m);

		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(here);
		CurrentResourceOwner = owner;
		if (strcmp(what, "authorized") == 0)
			alpaca_ws_send(&trade_updates, "{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
		else if (strcmp(what, "unauthorized") == 0)
		{
			set_error("trade_updates", "Alpaca did not authorize the keys");
			trade_updates.closed = true;
			loop->ws_backoff_ms = 60000;
		}
		else if (strcmp(what, "listening") == 0)
		{
			listening = LISTENING;
			set_state(shared->trade_updates, "listening");
			set_error("trade_updates", NULL);
			loop->ws_backoff_ms = 100;
			/* events before the stream listened are found by comparing */
			loop->reconcile = true;
		}
	}
	PG_CATCH();
	{
		ErrorData  *e = alpaca_worker_subabort(here, owner);

		set_error(m->source == FROM_TRADE_UPDATES ? "trade_updates" : "activity events", e->message);
		ereport(LOG, (errmsg("alpaca mirror: a stream message was refused: %s", e->message)));
		loop->reconcile = true;
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/* Every message that came, in one transaction. */
static void
apply_inbox(Loop *loop, MemoryContext cxt)
{
	volatile int64 applied = 0;
	volatile int64 refused = 0;

	if (inbox.head == NULL)
		return;
	PG_TRY();
	{
		alpaca_worker_begin("applying stream messages");
		for (AlpacaMessage *m = inbox.head; m; m = m->next)
		{
			if (apply_message(m, loop))
				applied++;
			else
				refused++;
		}
		alpaca_worker_commit();
	}
	PG_CATCH();
	{
		ErrorData  *e = alpaca_worker_abort(cxt);

		set_error("applying stream messages", e->message);
		loop->reconcile = true;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(cxt);
	alpaca_inbox_free(&inbox);
	SpinLockAcquire(&shared->mutex);
	shared->messages += applied;
	shared->refused += refused;
	shared->last_message_at = GetCurrentTimestamp();
	strlcpy(shared->last_activity_id, last_event_id, sizeof(shared->last_activity_id));
	SpinLockRelease(&shared->mutex);
}

static void
reconcile(Loop *loop, MemoryContext cxt)
{
	loop->reconcile = false;
	loop->next_reconcile = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), alpaca_mirror_reconcile_interval_s * 1000);
	PG_TRY();
	{
		AlpacaExtension ext;

		alpaca_worker_begin("reconciling the mirror with Alpaca");
		alpaca_extension_find(&ext, false);
		if (SPI_execute(psprintf("SELECT * FROM %s(pg_catalog.now() - interval '%d days')",
								 alpaca_extension_object(&ext, "alpaca_mirror_reconcile"), alpaca_mirror_days),
						false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not reconcile the mirror");
		if (last_event_id[0] == '\0' &&
			SPI_execute(psprintf("SELECT pg_catalog.max(event_id) FROM %s",
								 alpaca_extension_object(&ext, "alpaca_mirror_activities")), true, 1) == SPI_OK_SELECT)
		{
			char	   *id = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);

			if (id && strlen(id) < sizeof(last_event_id))
				strlcpy(last_event_id, id, sizeof(last_event_id));
		}
		alpaca_worker_commit();
		MemoryContextSwitchTo(cxt);
		SpinLockAcquire(&shared->mutex);
		shared->reconciliations++;
		shared->last_reconcile_at = GetCurrentTimestamp();
		SpinLockRelease(&shared->mutex);
		set_error("reconciling", NULL);
		loop->ready = true;
	}
	PG_CATCH();
	{
		ErrorData  *e = alpaca_worker_abort(cxt);

		/* a condition that lasts (the extension not installed yet) is logged once */
		if (strncmp(shared->last_error, "reconciling: ", 13) != 0 ||
			strncmp(shared->last_error + 13, e->message, sizeof(shared->last_error) - 14) != 0)
			ereport(LOG, (errmsg("alpaca mirror: could not reconcile: %s", e->message)));
		set_error("reconciling", e->message);
		/* tried again soon, not at the full interval */
		loop->next_reconcile = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), 5000);
	}
	PG_END_TRY();
}

static void
worker_exit(int code, Datum arg)
{
	close_streams();
	alpaca_sse_cleanup();
	alpaca_inbox_free(&inbox);
	SpinLockAcquire(&shared->mutex);
	strlcpy(shared->trade_updates, "off", sizeof(shared->trade_updates));
	strlcpy(shared->activities, "off", sizeof(shared->activities));
	SpinLockRelease(&shared->mutex);
}

static void
count_reconnect(void)
{
	SpinLockAcquire(&shared->mutex);
	shared->reconnects++;
	SpinLockRelease(&shared->mutex);
}

/* Connect what is down and due; a failure to start waits for the next try. */
static void
connect_streams(Loop *loop, TimestampTz now, MemoryContext cxt)
{
	const char *why;

	if (trade_updates.closed && trade_updates.context)
	{
		if (trade_updates.error[0])
			set_error("trade_updates", trade_updates.error);
		alpaca_ws_close(&trade_updates);
		count_reconnect();
		set_state(shared->trade_updates, "reconnecting");
		loop->ws_retry_at = TimestampTzPlusMilliseconds(now, loop->ws_backoff_ms);
		loop->ws_backoff_ms = Min(loop->ws_backoff_ms * 2, 5000);
	}
	if (alpaca_sse_open() && !alpaca_sse_running(&why))
	{
		set_error("activity events", why ? why : "the stream ended");
		alpaca_sse_stop();
		set_state(shared->activities, "reconnecting");
		count_reconnect();
		loop->sse_retry_at = TimestampTzPlusMilliseconds(now, loop->sse_backoff_ms);
		loop->sse_backoff_ms = Min(loop->sse_backoff_ms * 2, 5000);
		loop->reconcile = true;
	}
	PG_TRY();
	{
		if (trade_updates.context == NULL && now >= loop->ws_retry_at)
		{
			set_state(shared->trade_updates, "connecting");
			open_trade_updates();
		}
		if (!alpaca_sse_open() && now >= loop->sse_retry_at)
		{
			open_activities();
			set_state(shared->activities, "streaming");
			loop->sse_backoff_ms = 100;
		}
	}
	PG_CATCH();
	{
		ErrorData  *e;

		MemoryContextSwitchTo(cxt);
		e = CopyErrorData();
		FlushErrorState();
		set_error("connecting", e->message);
		loop->ws_retry_at = loop->sse_retry_at = TimestampTzPlusMilliseconds(now, 5000);
	}
	PG_END_TRY();
	if (trade_updates.context && trade_updates.wsi && trade_updates.state == ALPACA_WS_ESTABLISHED &&
		listening == NOT_YET)
	{
		/* connected: authenticate, then listen when Alpaca says authorized */
		send_authentication();
		listening = AUTHENTICATING;
		set_state(shared->trade_updates, "authenticating");
	}
}

/* Are the server, keys and ping interval still those the streams were opened with? */
static bool
same_endpoint(void)
{
	static uint64 opened = 0;

	return alpaca_worker_same_endpoint(&opened, alpaca_base_url, NULL);
}

/* Wait for the latch, the streams' sockets, or the nearest timer. */
static void
wait_for_streams(Loop *loop, TimestampTz now)
{
	WaitEventSet *set;
	WaitEvent	events[ALPACA_SSE_MAX_FDS + 3];
	AlpacaWatchedFd *fds;
	int			nfds = alpaca_sse_fds(&fds);
	int			n;
	long		timeout = 1000;
	int			ws_fd = alpaca_ws_fd(&trade_updates);

	if (alpaca_sse_timeout_ms() >= 0)
		timeout = Min(timeout, alpaca_sse_timeout_ms());
	timeout = Min(timeout, Max(0, (loop->next_reconcile - now) / 1000));
	/* connecting, or a message to write: lws is serviced again soon */
	if (alpaca_ws_busy(&trade_updates))
		timeout = Min(timeout, 10);
	set = CreateWaitEventSet(CurrentMemoryContext, nfds + 3);
	AddWaitEventToSet(set, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
	AddWaitEventToSet(set, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
	if (ws_fd >= 0)
		AddWaitEventToSet(set, WL_SOCKET_READABLE, ws_fd, NULL, NULL);
	for (int i = 0; i < nfds; i++)
	{
		uint32		ev = (fds[i].in ? WL_SOCKET_READABLE : 0) | (fds[i].out ? WL_SOCKET_WRITEABLE : 0);

		if (ev)
			AddWaitEventToSet(set, ev, fds[i].fd, NULL, &fds[i]);
	}
	pgstat_report_wait_start(PG_WAIT_EXTENSION);
	n = WaitEventSetWait(set, timeout, events, lengthof(events), PG_WAIT_EXTENSION);
	pgstat_report_wait_end();
	FreeWaitEventSet(set);

	for (int i = 0; i < n; i++)
	{
		if (events[i].events & WL_LATCH_SET)
		{
			ResetLatch(MyLatch);
			continue;
		}
		/* libcurl's sockets; lws's is serviced below whatever woke us */
		if (events[i].user_data != NULL)
			alpaca_sse_action(events[i].fd, (events[i].events & WL_SOCKET_READABLE) != 0,
							  (events[i].events & WL_SOCKET_WRITEABLE) != 0);
	}
	/* lws: what its socket has, and its timers; libcurl's timeouts */
	alpaca_ws_service(&trade_updates);
	alpaca_sse_timer();
}

PGDLLEXPORT void alpaca_mirror_main(Datum arg);

void
alpaca_mirror_main(Datum arg)
{
	Loop		loop = {false, true, 0, 0, 0, 100, 100};
	bool		running = false;
	MemoryContext pass = alpaca_worker_start(ALPACA_WORKER_MIRROR);

	/* the mirror can always be rebuilt from Alpaca: no need to wait for disk */
	SetConfigOption("synchronous_commit", "off", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("alpaca.audit", "off", PGC_SUSET, PGC_S_OVERRIDE);
	alpaca_inbox_init(&inbox);
	before_shmem_exit(worker_exit, 0);

	for (;;)
	{
		TimestampTz now = GetCurrentTimestamp();

		if (alpaca_worker_pass())
		{
			if (running && !same_endpoint())
			{
				/* another server, other keys, another ping interval: start over */
				close_streams();
				running = false;
			}
			/* a shorter interval counts from now */
			loop.next_reconcile = Min(loop.next_reconcile,
									  TimestampTzPlusMilliseconds(now, alpaca_mirror_reconcile_interval_s * 1000));
		}
		if (!alpaca_mirror_enabled)
		{
			if (running)
			{
				close_streams();
				running = false;
			}
			set_state(shared->trade_updates, "off");
			set_state(shared->activities, "off");
			alpaca_worker_wait(10000);
			continue;
		}
		if (!running)
		{
			(void) same_endpoint();
			running = true;
			loop.reconcile = true;
			loop.ws_retry_at = loop.sse_retry_at = 0;
		}
		if (loop.reconcile || now >= loop.next_reconcile)
			reconcile(&loop, pass);
		/* not before the tables are there to take what the streams send */
		if (loop.ready)
			connect_streams(&loop, now, pass);
		wait_for_streams(&loop, now);
		if (inbox.overflow)
		{
			inbox.overflow = false;
			loop.reconcile = true;
		}
		apply_inbox(&loop, pass);
	}
}
