/*
 * prices.c
 *		Live prices: the "alpaca prices" worker keeps alpaca_live_prices
 *		current from Alpaca's market data streams.
 *
 * Two WebSocket connections at most (src/ws.c, the mirror's client): the
 * stock stream of alpaca.live_prices_feed (/v2/iex ...) and the crypto one
 * (/v1beta3/crypto/us), each opened only while it has symbols to stream
 * (Alpaca allows an account one connection per stream, and other programs
 * on the same keys may need it).  Options are not streamed: Alpaca's
 * option stream is MessagePack, and the limits price options from the
 * Market Data API as before.
 *
 * The symbols are those of open positions and open orders (from the
 * mirror's tables when alpaca.mirror is on, read every few seconds; from
 * Alpaca once a minute otherwise) and of the watchlist named by
 * alpaca.live_prices_watchlist (from Alpaca, once a minute).  Subscriptions
 * follow the set: what leaves it is unsubscribed and its row removed.
 *
 * What comes is kept in the inbox and stored once per
 * alpaca.live_prices_interval: every message read by the same strict rules
 * as an answer (UTF-8, no key, strict JSON, in a subtransaction of its own:
 * a bad one is logged and dropped), then alpaca_live_prices_store() checks
 * each point and writes each symbol once, its latest trade and quote.
 * While a connection authenticates, what comes is read at every pass, so
 * the handshake is not held up by the interval.
 */
#include "postgres.h"

#include "access/xact.h"
#include "common/hashfn.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "nodes/pg_list.h"
#include "pgstat.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "encoding.h"
#include "extension.h"
#include "guc.h"
#include "http.h"
#include "json.h"
#include "prices.h"
#include "stream.h"
#include "worker.h"
#include "ws.h"

/* how often the symbols are read again, and how long a refused stream waits */
#define FROM_MIRROR_MS 5000
#define FROM_ALPACA_MS 60000
#define REFUSED_WAIT_MS 60000
/* stored at once, before the interval ends, past this much waiting */
#define INBOX_BYTES (1024 * 1024)

typedef enum FeedState
{
	FEED_DOWN,					/* no connection */
	FEED_OPEN,					/* connecting, or waiting for "connected" */
	FEED_AUTHENTICATING,
	FEED_LIVE					/* authenticated: subscriptions follow the set */
} FeedState;

typedef struct Feed
{
	const char *asset_class;	/* us_equity or crypto, as in the table */
	const char *name;			/* for messages */
	AlpacaWs	ws;
	FeedState	state;
	List	   *from_mirror;	/* symbols (char *), each list in a context */
	List	   *from_alpaca;	/* of its own, replaced whole */
	List	   *subscribed;
	MemoryContext cxt[3];
	TimestampTz retry_at;
	int			backoff_ms;
	int64		connection;		/* when it authenticated, its id; 0 */
} Feed;

static Feed feeds[2] = {
	{"us_equity", "stocks"},
	{"crypto", "crypto"},
};

static AlpacaInbox inbox;

/* what backends learn of the streams: the connection now authenticated */
typedef struct PricesShared
{
	slock_t		mutex;
	int64		connection[2];	/* when it authenticated; 0: none */
	TimestampTz heard[2];		/* when its last message was stored */
} PricesShared;

static PricesShared *shared = NULL;

Size
alpaca_prices_shmem_size(void)
{
	return sizeof(PricesShared);
}

void
alpaca_prices_shmem_startup(void)
{
	bool		found;

	shared = ShmemInitStruct("alpaca prices", sizeof(PricesShared), &found);
	if (!found)
	{
		memset(shared, 0, sizeof(PricesShared));
		SpinLockInit(&shared->mutex);
	}
}

/*
 * The connection rule holds only while the stream is heard from: a stalled
 * connection (silent, not yet hung up) or a worker busy elsewhere (asking
 * Alpaca for the symbols) is not known to have missed nothing, so after
 * alpaca.live_prices_max_age without a message stored it is not current.
 * Nor is a delayed feed, whose trades are 15 minutes old when they come.
 */
int64
alpaca_prices_connection(const char *asset_class)
{
	int64		id = 0;
	TimestampTz heard = 0;

	if (shared == NULL)
		return 0;
	if (strcmp(asset_class, "us_equity") == 0 && strncmp(alpaca_live_prices_feed, "delayed", 7) == 0)
		return 0;
	for (int k = 0; k < 2; k++)
		if (strcmp(asset_class, feeds[k].asset_class) == 0)
		{
			SpinLockAcquire(&shared->mutex);
			id = shared->connection[k];
			heard = shared->heard[k];
			SpinLockRelease(&shared->mutex);
		}
	if (!TimestampDifferenceExceeds(heard, GetCurrentTimestamp(), alpaca_live_prices_max_age_s * 1000))
		return id;
	return 0;
}

static void
heard_now(int k)
{
	TimestampTz now = GetCurrentTimestamp();

	SpinLockAcquire(&shared->mutex);
	shared->heard[k] = now;
	SpinLockRelease(&shared->mutex);
}

static void
publish(int k, int64 id)
{
	SpinLockAcquire(&shared->mutex);
	shared->connection[k] = id;
	SpinLockRelease(&shared->mutex);
}

/*
 * A message of a live connection was lost (refused, not stored, out of
 * memory): a newer trade may have come on it, so what was written on it so
 * far is no longer the latest by the connection rule.  The connection goes
 * on under a new id; its rows are current again as their next trades come.
 */
static bool lost[2];

static void
renumber(int k)
{
	if (feeds[k].state != FEED_LIVE)
		return;
	feeds[k].connection = Max((int64) GetCurrentTimestamp(), feeds[k].connection + 1);
	publish(k, feeds[k].connection);
}

/* ---- symbol lists ---- */

static List *
list_keep(Feed *f, int which, List *src)
{
	MemoryContext cxt = AllocSetContextCreate(TopMemoryContext, "alpaca prices symbols", ALLOCSET_SMALL_SIZES);
	MemoryContext old = MemoryContextSwitchTo(cxt);
	List	   *out = NIL;
	ListCell   *lc;

	foreach(lc, src)
		out = lappend(out, pstrdup(lfirst(lc)));
	MemoryContextSwitchTo(old);
	if (f->cxt[which])
		MemoryContextDelete(f->cxt[which]);
	f->cxt[which] = cxt;
	return out;
}

static bool
has(List *l, const char *s)
{
	ListCell   *lc;

	foreach(lc, l)
		if (strcmp(lfirst(lc), s) == 0)
			return true;
	return false;
}

static int
list_strcmp_ptr(const ListCell *a, const ListCell *b)
{
	return strcmp(lfirst(a), lfirst(b));
}

/* the symbols of a not in b, in the current context */
static List *
minus(List *a, List *b)
{
	List	   *out = NIL;
	ListCell   *lc;

	foreach(lc, a)
		if (!has(b, lfirst(lc)))
			out = lappend(out, lfirst(lc));
	return out;
}

/* what the feed should stream now, sorted, in the current context */
static List *
wanted(Feed *f)
{
	List	   *out = NIL;
	ListCell   *lc;

	foreach(lc, f->from_mirror)
		if (!has(out, lfirst(lc)))
			out = lappend(out, lfirst(lc));
	foreach(lc, f->from_alpaca)
		if (!has(out, lfirst(lc)))
			out = lappend(out, lfirst(lc));
	list_sort(out, list_strcmp_ptr);
	return out;
}

static void
set_error(const char *what, const char *error)
{
	if (error)
		ereport(LOG, (errmsg("alpaca prices: %s: %s", what, error)));
	alpaca_worker_report(error ? psprintf("%s: %s", what, error) : NULL);
}

/*
 * Read the symbols again: from the mirror's tables, or from Alpaca.  Returns
 * false when the extension (at a version with alpaca_live_prices) is not in
 * the database yet.
 */
static bool
refresh(bool from_alpaca, MemoryContext cxt)
{
	volatile bool ready = false;

	PG_TRY();
	{
		AlpacaExtension ext;
		List	   *got[2][2] = {{NIL, NIL}, {NIL, NIL}};
		const char *sources[2];
		int			nsources = 0;

		alpaca_worker_begin(from_alpaca ? "asking Alpaca which symbols to stream" :
							"reading the mirror for the symbols to stream");
		if (alpaca_extension_find(&ext, true) &&
			OidIsValid(get_relname_relid("alpaca_live_prices", ext.schema)))
		{
			ready = true;
			if (!from_alpaca)
				sources[nsources++] = "mirror";
			else
			{
				if (!alpaca_mirror_enabled)
					sources[nsources++] = "positions";
				sources[nsources++] = "watchlist";
			}
			for (int s = 0; s < nsources; s++)
			{
				if (SPI_execute_with_args(psprintf("SELECT symbol, asset_class FROM %s($1)",
												   alpaca_extension_object(&ext, "alpaca_live_prices_wanted")),
										  1, (Oid[]) {TEXTOID}, (Datum[]) {CStringGetTextDatum(sources[s])},
										  NULL, true, 0) != SPI_OK_SELECT)
					elog(ERROR, "could not read the symbols to stream");
				for (uint64 r = 0; r < SPI_processed; r++)
				{
					char	   *sym = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 1);
					char	   *cls = SPI_getvalue(SPI_tuptable->vals[r], SPI_tuptable->tupdesc, 2);

					for (int k = 0; k < 2; k++)
						if (sym && cls && strcmp(cls, feeds[k].asset_class) == 0)
						{
							MemoryContext old = MemoryContextSwitchTo(cxt);

							got[k][0] = lappend(got[k][0], pstrdup(sym));
							MemoryContextSwitchTo(old);
						}
				}
			}
		}
		alpaca_worker_commit();
		if (ready)
			for (int k = 0; k < 2; k++)
			{
				if (from_alpaca)
				{
					feeds[k].from_alpaca = list_keep(&feeds[k], 1, got[k][0]);
					/* the mirror's part too, when there is no mirror */
					if (!alpaca_mirror_enabled)
						feeds[k].from_mirror = list_keep(&feeds[k], 0, NIL);
				}
				else
					feeds[k].from_mirror = list_keep(&feeds[k], 0, got[k][0]);
			}
	}
	PG_CATCH();
	{
		ErrorData  *e = alpaca_worker_abort(cxt);

		set_error("reading the symbols to stream", e->message);
	}
	PG_END_TRY();
	return ready;
}

static Datum
text_array(List *l)
{
	Datum	   *d = palloc(sizeof(Datum) * Max(list_length(l), 1));
	int			n = 0;
	ListCell   *lc;

	foreach(lc, l)
		d[n++] = CStringGetTextDatum(lfirst(lc));
	return PointerGetDatum(construct_array(d, n, TEXTOID, -1, false, TYPALIGN_INT));
}

/* The rows of symbols no longer streamed go (a feed with none has no connection to store through). */
static void
forget(MemoryContext cxt)
{
	PG_TRY();
	{
		AlpacaExtension ext;

		alpaca_worker_begin("forgetting symbols no longer streamed");
		alpaca_extension_find(&ext, false);
		for (int k = 0; k < 2; k++)
			if (SPI_execute_with_args(psprintf("DELETE FROM %s WHERE asset_class = $1 AND NOT symbol = ANY ($2)",
											   alpaca_extension_object(&ext, "alpaca_live_prices")),
									  2, (Oid[]) {TEXTOID, TEXTARRAYOID},
									  (Datum[]) {CStringGetTextDatum(feeds[k].asset_class), text_array(wanted(&feeds[k]))},
									  NULL, false, 0) != SPI_OK_DELETE)
				elog(ERROR, "could not forget the symbols no longer streamed");
		alpaca_worker_commit();
	}
	PG_CATCH();
	{
		ErrorData  *e = alpaca_worker_abort(cxt);

		set_error("forgetting symbols no longer streamed", e->message);
	}
	PG_END_TRY();
}

/* ---- the connections ---- */

static void
send_authentication(Feed *f)
{
	StringInfoData m;

	initStringInfo(&m);
	appendStringInfoString(&m, "{\"action\":\"auth\",\"key\":");
	escape_json(&m, alpaca_key_id);
	appendStringInfoString(&m, ",\"secret\":");
	escape_json(&m, alpaca_secret_key);
	appendStringInfoChar(&m, '}');
	alpaca_ws_send(&f->ws, m.data);
	explicit_bzero(m.data, m.maxlen);
	pfree(m.data);
	f->state = FEED_AUTHENTICATING;
}

/* {"action":..., "trades":[...], "quotes":[...]} */
static void
send_subscription(Feed *f, const char *action, List *symbols)
{
	StringInfoData m;
	StringInfoData list;
	ListCell   *lc;

	initStringInfo(&list);
	appendStringInfoChar(&list, '[');
	foreach(lc, symbols)
	{
		if (lc != list_head(symbols))
			appendStringInfoChar(&list, ',');
		escape_json(&list, lfirst(lc));
	}
	appendStringInfoChar(&list, ']');
	initStringInfo(&m);
	appendStringInfo(&m, "{\"action\":\"%s\",\"trades\":%s,\"quotes\":%s}", action, list.data, list.data);
	alpaca_ws_send(&f->ws, m.data);
}

static void
close_feed(Feed *f, int wait_ms)
{
	/* first: no backend may take a row as current once the stream is gone */
	f->connection = 0;
	publish((int) (f - feeds), 0);
	alpaca_ws_close(&f->ws);
	f->state = FEED_DOWN;
	f->subscribed = list_keep(f, 2, NIL);
	f->retry_at = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), wait_ms);
}

static void
open_feed(Feed *f)
{
	const char *path = f == &feeds[0] ? psprintf("/v2/%s", alpaca_live_prices_feed) : "/v1beta3/crypto/us";

	PG_TRY();
	{
		alpaca_check_data_stream_url();
		alpaca_ws_open(&f->ws, alpaca_data_stream_url, path, &inbox, (int) (f - feeds),
					   alpaca_mirror_ping_interval_s);
		f->state = FEED_OPEN;
	}
	PG_CATCH();
	{
		ErrorData  *e;

		MemoryContextSwitchTo(TopMemoryContext);
		e = CopyErrorData();
		FlushErrorState();
		set_error(f->name, e->message);
		f->retry_at = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), REFUSED_WAIT_MS);
		FreeErrorData(e);
	}
	PG_END_TRY();
}

/* Open what has symbols, close what has none; subscriptions follow the set. */
static void
follow(Feed *f, TimestampTz now)
{
	List	   *want = wanted(f);
	List	   *added = NIL;
	List	   *removed = NIL;

	if (f->ws.context && f->ws.closed)
	{
		set_error(f->name, f->ws.error[0] ? f->ws.error : "the stream ended");
		close_feed(f, f->backoff_ms);
		f->backoff_ms = Min(f->backoff_ms * 2, 5000);
	}
	if (want == NIL)
	{
		if (f->ws.context)
			close_feed(f, 0);
		return;
	}
	if (f->ws.context == NULL)
	{
		if (now >= f->retry_at)
			open_feed(f);
		return;
	}
	if (f->state != FEED_LIVE || f->ws.tx.len > 0)
		return;
	/* one message at a time: what left the set first */
	removed = minus(f->subscribed, want);
	added = minus(want, f->subscribed);
	if (removed)
	{
		send_subscription(f, "unsubscribe", removed);
		f->subscribed = list_keep(f, 2, minus(f->subscribed, removed));
	}
	else if (added)
	{
		send_subscription(f, "subscribe", added);
		f->subscribed = list_keep(f, 2, list_concat_copy(f->subscribed, added));
	}
}

/* What a control message of the stream asks of the worker. */
static void
control(Feed *f, const char *c)
{
	if (strcmp(c, "connected") == 0 && f->state == FEED_OPEN)
		send_authentication(f);
	else if (strcmp(c, "authenticated") == 0)
	{
		f->state = FEED_LIVE;
		f->backoff_ms = 100;
		f->connection = (int64) GetCurrentTimestamp();
		f->subscribed = list_keep(f, 2, NIL);
		set_error(f->name, NULL);
	}
	else if (strncmp(c, "error", 5) == 0)
	{
		/*
		 * Refused: bad keys (402), another connection on these keys (406),
		 * too many symbols (405).  Tried again after a while, not at once.
		 */
		set_error(f->name, psprintf("Alpaca's stream answered %s", c + 6));
		close_feed(f, REFUSED_WAIT_MS);
	}
}

/* ---- storing what came ---- */

static bool
read_message(AlpacaMessage *m, StringInfo batch)
{
	ResourceOwner owner = CurrentResourceOwner;
	MemoryContext here = CurrentMemoryContext;
	volatile bool ok = true;

	BeginInternalSubTransaction(NULL);
	PG_TRY();
	{
		AlpacaResponse text = {0};

		text.body = pnstrdup(m->data, m->len);
		text.body_len = m->len;
		alpaca_answer_text(&text);	/* verified UTF-8, converted, no key */
		(void) alpaca_jsonb_datum(text.body, text.body_len);	/* strict JSON */
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(here);
		CurrentResourceOwner = owner;
		if (batch->len > 1)
			appendStringInfoChar(batch, ',');
		appendBinaryStringInfo(batch, text.body, text.body_len);
	}
	PG_CATCH();
	{
		ErrorData  *e = alpaca_worker_subabort(here, owner);

		lost[m->source] = true;
		ereport(LOG, (errmsg("alpaca prices: a stream message was refused: %s", e->message)));
		alpaca_worker_report(psprintf("a stream message was refused: %s", e->message));
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

/* Every message that came, in one transaction; then what they ask of the worker. */
static void
store(MemoryContext cxt)
{
	/* in cxt (SPI_finish frees what SPI's context holds), volatile (read after PG_CATCH) */
	List	   *volatile controls[2] = {NIL, NIL};
	/* a batch of the feed's messages stored: it is heard from */
	volatile bool stored[2] = {false, false};

	if (inbox.head == NULL)
		return;
	PG_TRY();
	{
		AlpacaExtension ext;

		alpaca_worker_begin("storing live prices");
		alpaca_extension_find(&ext, false);
		for (int k = 0; k < 2; k++)
		{
			StringInfoData batch;
			int			n = 0;
			bool		isnull;
			Datum		c;

			initStringInfo(&batch);
			appendStringInfoChar(&batch, '[');
			for (AlpacaMessage *m = inbox.head; m; m = m->next)
				if (m->source == k && read_message(m, &batch))
					n++;
			appendStringInfoChar(&batch, ']');
			if (n == 0)
				continue;
			stored[k] = true;
			if (SPI_execute_with_args(psprintf("SELECT stored, refused, control FROM %s($1::pg_catalog.jsonb, $2, $3, $4)",
											   alpaca_extension_object(&ext, "alpaca_live_prices_store")),
									  4, (Oid[]) {TEXTOID, TEXTOID, TEXTARRAYOID, INT8OID},
									  (Datum[]) {CStringGetTextDatum(batch.data), CStringGetTextDatum(feeds[k].asset_class),
								  text_array(wanted(&feeds[k])), Int64GetDatum(feeds[k].connection)}, NULL, false, 1) != SPI_OK_SELECT || SPI_processed != 1)
				elog(ERROR, "could not store live prices");
			if (DatumGetInt32(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull)) > 0)
				ereport(LOG, (errmsg("alpaca prices: %s: %s points were refused", feeds[k].name,
									 SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2))));
			c = SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3, &isnull);
			if (!isnull)
			{
				Datum	   *elems;
				bool	   *enulls;
				int			ne;

				deconstruct_array(DatumGetArrayTypeP(c), TEXTOID, -1, false, TYPALIGN_INT, &elems, &enulls, &ne);
				for (int i = 0; i < ne; i++)
					if (!enulls[i])
					{
						char	   *msg = TextDatumGetCString(elems[i]);
						MemoryContext old = MemoryContextSwitchTo(cxt);

						controls[k] = lappend(controls[k], pstrdup(msg));
						MemoryContextSwitchTo(old);
					}
			}
		}
		alpaca_worker_commit();
	}
	PG_CATCH();
	{
		ErrorData  *e = alpaca_worker_abort(cxt);

		set_error("storing live prices", e->message);
		lost[0] = lost[1] = true;
		stored[0] = stored[1] = false;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(cxt);
	alpaca_inbox_free(&inbox);
	for (int k = 0; k < 2; k++)
	{
		ListCell   *lc;

		if (lost[k])
			renumber(k);
		lost[k] = false;

		foreach(lc, controls[k])
			control(&feeds[k], lfirst(lc));
		/* rows written on this connection are current while it lasts, and is heard */
		if (feeds[k].state == FEED_LIVE)
			publish(k, feeds[k].connection);
		if (stored[k])
			heard_now(k);
	}
}

static size_t
inbox_bytes(void)
{
	size_t		n = 0;

	for (AlpacaMessage *m = inbox.head; m; m = m->next)
		n += m->len;
	return n;
}

/* ---- the loop ---- */

static void
wait_for_feeds(long timeout)
{
	WaitEventSet *set = CreateWaitEventSet(CurrentMemoryContext, 4);
	WaitEvent	events[4];

	AddWaitEventToSet(set, WL_LATCH_SET, PGINVALID_SOCKET, MyLatch, NULL);
	AddWaitEventToSet(set, WL_EXIT_ON_PM_DEATH, PGINVALID_SOCKET, NULL, NULL);
	for (int k = 0; k < 2; k++)
	{
		int			fd = alpaca_ws_fd(&feeds[k].ws);

		if (fd >= 0)
			AddWaitEventToSet(set, WL_SOCKET_READABLE, fd, NULL, NULL);
		/* connecting, or a message to write: lws is serviced again soon */
		if (alpaca_ws_busy(&feeds[k].ws))
			timeout = Min(timeout, 10);
	}
	pgstat_report_wait_start(PG_WAIT_EXTENSION);
	(void) WaitEventSetWait(set, Max(timeout, 0), events, lengthof(events), PG_WAIT_EXTENSION);
	pgstat_report_wait_end();
	FreeWaitEventSet(set);
	ResetLatch(MyLatch);
	for (int k = 0; k < 2; k++)
		alpaca_ws_service(&feeds[k].ws);
}

static void
close_all(void)
{
	for (int k = 0; k < 2; k++)
		if (feeds[k].ws.context)
			close_feed(&feeds[k], 0);
	alpaca_inbox_free(&inbox);
}

static void
worker_exit(int code, Datum arg)
{
	publish(0, 0);
	publish(1, 0);
	for (int k = 0; k < 2; k++)
		alpaca_ws_close(&feeds[k].ws);
	alpaca_inbox_free(&inbox);
}

/* Are the server, keys, feed and ping interval those the streams were opened with? */
static bool
same_endpoint(void)
{
	static uint64 opened = 0;

	return alpaca_worker_same_endpoint(&opened, alpaca_data_stream_url, alpaca_live_prices_feed);
}

PGDLLEXPORT void alpaca_prices_main(Datum arg);

void
alpaca_prices_main(Datum arg)
{
	MemoryContext pass = alpaca_worker_start(ALPACA_WORKER_PRICES);
	TimestampTz next_mirror = 0;
	TimestampTz next_alpaca = 0;
	TimestampTz next_store = 0;
	bool		ready = false;

	/* the table can always be filled again from the streams */
	SetConfigOption("synchronous_commit", "off", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("alpaca.audit", "off", PGC_SUSET, PGC_S_OVERRIDE);
	alpaca_inbox_init(&inbox);
	for (int k = 0; k < 2; k++)
	{
		feeds[k].backoff_ms = 100;
		feeds[k].subscribed = list_keep(&feeds[k], 2, NIL);
	}
	before_shmem_exit(worker_exit, 0);

	for (;;)
	{
		TimestampTz now = GetCurrentTimestamp();
		bool		handshaking = false;
		long		timeout;

		if (alpaca_worker_pass())
		{
			/* another server, other keys, another feed: start over */
			if (!same_endpoint())
				close_all();
			next_mirror = next_alpaca = 0;
		}
		if (!alpaca_live_prices_enabled)
		{
			close_all();
			ready = false;
			alpaca_worker_wait(10000);
			continue;
		}
		if (alpaca_mirror_enabled && now >= next_mirror)
		{
			ready = refresh(false, pass);
			next_mirror = TimestampTzPlusMilliseconds(now, FROM_MIRROR_MS);
			if (ready)
				forget(pass);
		}
		if (now >= next_alpaca)
		{
			ready = refresh(true, pass);
			next_alpaca = TimestampTzPlusMilliseconds(now, ready ? FROM_ALPACA_MS : 5000);
			if (ready)
				forget(pass);
		}
		if (!ready)
		{
			close_all();
			alpaca_worker_wait(5000);
			continue;
		}
		for (int k = 0; k < 2; k++)
		{
			follow(&feeds[k], now);
			handshaking |= feeds[k].ws.context && feeds[k].state != FEED_LIVE;
		}
		/* data wake the loop through the sockets; what waits is stored when due */
		timeout = inbox.head ? Max(0, (next_store - now) / 1000) : 1000;
		if (handshaking)
			timeout = Min(timeout, 10);
		wait_for_feeds(Min(timeout, 1000));
		now = GetCurrentTimestamp();
		if (inbox.head && (handshaking || now >= next_store || inbox_bytes() > INBOX_BYTES))
		{
			store(pass);
			next_store = TimestampTzPlusMilliseconds(now, alpaca_live_prices_interval_ms);
		}
		if (inbox.overflow)
		{
			inbox.overflow = false;
			set_error("live prices", "a stream message was lost (out of memory)");
			renumber(0);
			renumber(1);
		}
	}
}
