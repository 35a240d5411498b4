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
 *	  loopback, derived from alpaca.base_url), through libwebsockets: its
 *	  socket is in our wait set, and lws is serviced without blocking
 *	  (Debian's lws is built without external poll support, and its own
 *	  service call waits for events without a timeout; lws_cancel_service()
 *	  first makes that wait return at once).  Every order event is applied
 *	  by alpaca_mirror_message(), which NOTIFYs alpaca_trade_updates;
 *	- the account activity event stream (GET /v2beta1/events/activities,
 *	  server-sent events over HTTP), through libcurl's multi socket
 *	  interface, resumed after the last event_id mirrored.
 *
 * Streams miss events while disconnected (Alpaca does not replay
 * trade_updates), so a full reconciliation (alpaca_mirror_reconcile())
 * runs at start, after every reconnect once listening again, and every
 * alpaca.mirror_reconcile_interval.  Every message is parsed strictly
 * (alpaca_jsonb_datum) and applied in a subtransaction of its own: a bad
 * one is logged and triggers a reconciliation, the rest go on.
 *
 * libwebsockets and libcurl call back from inside their service calls;
 * those callbacks only copy bytes into malloc'd buffers (an ereport there
 * would unwind through the libraries), and everything else happens in the
 * loop.
 */
#include "postgres.h"

#include <curl/curl.h>
#include <libwebsockets.h>

#include "access/xact.h"
#include "catalog/pg_type.h"
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
#include "storage/shmem.h"
#include "storage/spin.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "encoding.h"
#include "errors.h"
#include "guc.h"
#include "http.h"
#include "mirror.h"
#include "extension.h"
#include "json.h"
#include "rows.h"
#include "worker.h"

#define MAX_MESSAGE (4 * 1024 * 1024)	/* one stream message, bytes */
#define MAX_FDS 16

PG_FUNCTION_INFO_V1(alpaca_mirror_status);

/* ---- settings and what the worker shows of itself ---- */

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

static void
set_error(const char *what, const char *error)
{
	char		buf[256];

	snprintf(buf, sizeof(buf), "%s: %s", what, error);
	SpinLockAcquire(&shared->mutex);
	strlcpy(shared->last_error, alpaca_clip(buf, strlen(buf)), sizeof(shared->last_error));
	SpinLockRelease(&shared->mutex);
}

Datum
alpaca_mirror_status(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[11];
	bool		nulls[11] = {0};
	MirrorShared s;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	if (shared == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the mirror needs alpaca in shared_preload_libraries")));
	SpinLockAcquire(&shared->mutex);
	s = *shared;
	SpinLockRelease(&shared->mutex);
	values[0] = BoolGetDatum(alpaca_mirror_enabled);
	values[1] = CStringGetTextDatum(s.trade_updates);
	values[2] = CStringGetTextDatum(s.activities);
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

/* ---- messages, handed from the libraries' callbacks to the loop ---- */

typedef enum Source
{
	FROM_TRADE_UPDATES, FROM_ACTIVITIES
} Source;

typedef struct Message
{
	struct Message *next;
	Source		source;
	size_t		len;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} Message;

static Message *inbox_head = NULL;
static Message **inbox_tail = &inbox_head;
static bool inbox_overflow = false;

/* malloc, not palloc: called from inside libwebsockets and libcurl */
static void
post_message(Source source, const char *data, size_t len)
{
	Message    *m = malloc(offsetof(Message, data) + len + 1);

	if (m == NULL)
	{
		inbox_overflow = true;
		return;
	}
	m->next = NULL;
	m->source = source;
	m->len = len;
	memcpy(m->data, data, len);
	m->data[len] = '\0';
	*inbox_tail = m;
	inbox_tail = &m->next;
}

static void
free_inbox(void)
{
	while (inbox_head)
	{
		Message    *m = inbox_head;

		inbox_head = m->next;
		free(m);
	}
	inbox_tail = &inbox_head;
}

/* A growing byte buffer, malloc'd. */
typedef struct Bytes
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Bytes;

static bool
bytes_add(Bytes *b, const char *data, size_t len)
{
	if (b->len + len + 1 > b->cap)
	{
		size_t		cap = Max(b->cap * 2, b->len + len + 1);
		char	   *p;

		if (cap > MAX_MESSAGE + 1)
			return false;
		p = realloc(b->data, Max(cap, 4096));
		if (p == NULL)
			return false;
		b->data = p;
		b->cap = Max(cap, 4096);
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return true;
}

static void
bytes_free(Bytes *b)
{
	free(b->data);
	memset(b, 0, sizeof(*b));
}

/* ---- libcurl's sockets, which the loop waits on (lws's one socket is asked of lws) ---- */

typedef struct WatchedFd
{
	int			fd;
	bool		in;
	bool		out;
} WatchedFd;

static WatchedFd fds[MAX_FDS];
static int	nfds = 0;

static WatchedFd *
find_fd(int fd, bool add)
{
	for (int i = 0; i < nfds; i++)
		if (fds[i].fd == fd)
			return &fds[i];
	if (!add || nfds == MAX_FDS)
		return NULL;
	fds[nfds].fd = fd;
	fds[nfds].in = fds[nfds].out = false;
	return &fds[nfds++];
}

static void
forget_fd(int fd)
{
	for (int i = 0; i < nfds; i++)
		if (fds[i].fd == fd)
		{
			fds[i] = fds[--nfds];
			return;
		}
}

/* ---- trade_updates over libwebsockets ---- */

typedef enum WsState
{
	WS_DOWN, WS_CONNECTING, WS_ESTABLISHED, WS_AUTHENTICATING, WS_LISTENING
} WsState;

static struct lws_context *ws_context = NULL;
static struct lws *ws = NULL;
static WsState ws_state = WS_DOWN;
static bool ws_closed = false;	/* the connection ended: reconnect */
static Bytes ws_rx;
static Bytes ws_tx;				/* one message waiting to be written */
static char ws_error[200];
static lws_retry_bo_t idle_policy;	/* read by lws for as long as the stream lasts */

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	switch (reason)
	{
		case LWS_CALLBACK_CLIENT_ESTABLISHED:
			ws_state = WS_ESTABLISHED;	/* the loop authenticates */
			break;
		case LWS_CALLBACK_CLIENT_WRITEABLE:
			if (ws_tx.len > 0)
			{
				int			n = lws_write(wsi, (unsigned char *) ws_tx.data + LWS_PRE, ws_tx.len - LWS_PRE,
										  LWS_WRITE_TEXT);

				/* the authentication message holds the keys: wiped once sent */
				explicit_bzero(ws_tx.data, ws_tx.cap);
				ws_tx.len = 0;
				if (n < 0)
					return -1;
			}
			break;
		case LWS_CALLBACK_CLIENT_RECEIVE:
			if (!bytes_add(&ws_rx, in, len))
			{
				snprintf(ws_error, sizeof(ws_error), "a message larger than %d bytes", MAX_MESSAGE);
				return -1;
			}
			if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0)
			{
				post_message(FROM_TRADE_UPDATES, ws_rx.data, ws_rx.len);
				ws_rx.len = 0;
			}
			break;
		case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
			snprintf(ws_error, sizeof(ws_error), "%s", in ? (char *) in : "could not connect");
			ws_closed = true;
			ws = NULL;
			break;
		case LWS_CALLBACK_CLIENT_CLOSED:
			snprintf(ws_error, sizeof(ws_error), "the stream was closed");
			ws_closed = true;
			ws = NULL;
			break;
		default:
			break;
	}
	return 0;
}

static const struct lws_protocols ws_protocols[] = {
	{"alpaca-trade-updates", ws_callback, 0, 65536, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0}
};

static void
ws_log(int level, const char *line)
{
	/* lws's own errors, for the status; never headers or keys (level ERR only) */
	snprintf(ws_error, sizeof(ws_error), "%s", line);
}

/* Queue one text message (LWS_PRE bytes of room in front, as lws_write wants). */
static void
ws_send(const char *json)
{
	size_t		need = LWS_PRE + strlen(json) + 1;

	if (ws_tx.cap < need)
	{
		char	   *p = realloc(ws_tx.data, need);

		if (p == NULL)
		{
			ws_closed = true;
			return;
		}
		ws_tx.data = p;
		ws_tx.cap = need;
	}
	memcpy(ws_tx.data + LWS_PRE, json, strlen(json));
	ws_tx.len = LWS_PRE + strlen(json);
	if (ws)
		lws_callback_on_writable(ws);
}

static void
ws_send_authentication(void)
{
	StringInfoData m;

	initStringInfo(&m);
	appendStringInfoString(&m, "{\"action\":\"authenticate\",\"data\":{\"key_id\":");
	escape_json(&m, alpaca_key_id);
	appendStringInfoString(&m, ",\"secret_key\":");
	escape_json(&m, alpaca_secret_key);
	appendStringInfoString(&m, "}}");
	ws_send(m.data);
	explicit_bzero(m.data, m.maxlen);
	pfree(m.data);
}

/* Open the stream: ws:// for a loopback base URL, wss:// otherwise. */
static void
ws_connect(void)
{
	struct lws_client_connect_info ci;
	char	   *url;
	const char *scheme;
	const char *address;
	const char *path;
	int			port;
	bool		tls;

	alpaca_check_base_url();	/* the same policy as every request */
	if (ws_context == NULL)
	{
		struct lws_context_creation_info info;

		memset(&info, 0, sizeof(info));
		info.port = CONTEXT_PORT_NO_LISTEN;
		info.protocols = ws_protocols;
		info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
		info.gid = -1;
		info.uid = -1;
		lws_set_log_level(LLL_ERR, ws_log);
		ws_context = lws_create_context(&info);
		if (ws_context == NULL)
			elog(ERROR, "could not create a libwebsockets context");
	}
	url = pstrdup(alpaca_base_url);
	if (lws_parse_uri(url, &scheme, &address, &port, &path) != 0)
		elog(ERROR, "alpaca.base_url is not a URL libwebsockets can parse");
	tls = strcmp(scheme, "https") == 0;
	memset(&ci, 0, sizeof(ci));
	ci.context = ws_context;
	ci.address = address;
	ci.port = port;
	ci.path = "/stream";
	ci.host = address;
	ci.origin = address;
	ci.ssl_connection = tls ? LCCSCF_USE_SSL : 0;
	ci.local_protocol_name = ws_protocols[0].name;
	ci.pwsi = &ws;
	/* a half-open connection is silent, not closed: lws pings, then hangs up */
	idle_policy.secs_since_valid_ping = alpaca_mirror_ping_interval_s;
	idle_policy.secs_since_valid_hangup = 2 * alpaca_mirror_ping_interval_s;
	ci.retry_and_idle_policy = &idle_policy;
	ws_closed = false;
	ws_error[0] = '\0';
	ws_state = WS_CONNECTING;
	if (lws_client_connect_via_info(&ci) == NULL)
	{
		ws_state = WS_DOWN;
		ws_closed = true;
	}
}

static void
ws_disconnect(void)
{
	if (ws_context)
		lws_context_destroy(ws_context);
	ws_context = NULL;
	ws = NULL;
	ws_state = WS_DOWN;
	bytes_free(&ws_rx);
	if (ws_tx.data)
		explicit_bzero(ws_tx.data, ws_tx.cap);
	bytes_free(&ws_tx);
}

/*
 * One pass of lws's service that cannot block: lws waits in poll() until
 * something happens, so its wait is cancelled first (lws writes to its own
 * pipe), and the pass handles whatever is ready on its socket.
 */
static void
ws_service(void)
{
	if (ws_context == NULL)
		return;
	lws_cancel_service(ws_context);
	lws_service(ws_context, 0);
}

/* ---- the activity event stream over libcurl's multi socket interface ---- */

static CURLM *sse_multi = NULL;
static CURL *sse = NULL;
static struct curl_slist *sse_headers = NULL;
static Bytes sse_rx;
static long sse_timeout_ms = -1;
static bool sse_running = false;
static char sse_error[CURL_ERROR_SIZE];
static char last_event_id[64];

static int
sse_socket_cb(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	WatchedFd  *w;

	if (what == CURL_POLL_REMOVE)
	{
		forget_fd(s);
		return 0;
	}
	w = find_fd(s, true);
	if (w == NULL)
		return -1;
	w->in = (what & CURL_POLL_IN) != 0;
	w->out = (what & CURL_POLL_OUT) != 0;
	return 0;
}

static int
sse_timer_cb(CURLM *multi, long timeout_ms, void *userp)
{
	sse_timeout_ms = timeout_ms;
	return 0;
}

/* Each complete event ("data: {...}" lines, then a blank line) is posted. */
static size_t
sse_write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	size_t		n = size * nmemb;
	char	   *end;

	if (!bytes_add(&sse_rx, ptr, n))
		return 0;				/* an event too large: the transfer fails */
	while ((end = strstr(sse_rx.data, "\n\n")) != NULL)
	{
		size_t		used = end - sse_rx.data + 2;

		*end = '\0';
		for (char *line = sse_rx.data; line && *line; )
		{
			char	   *next = strchr(line, '\n');

			if (next)
				*next++ = '\0';
			if (strncmp(line, "data:", 5) == 0)
				post_message(FROM_ACTIVITIES, line + 5 + (line[5] == ' '), strlen(line + 5 + (line[5] == ' ')));
			line = next;		/* comments (":") and other fields are skipped */
		}
		memmove(sse_rx.data, sse_rx.data + used, sse_rx.len - used + 1);
		sse_rx.len -= used;
	}
	return n;
}

static void
sse_stop(void)
{
	if (sse)
	{
		curl_multi_remove_handle(sse_multi, sse);
		curl_easy_cleanup(sse);
		sse = NULL;
	}
	if (sse_headers)
		alpaca_http_free_headers(sse_headers);
	sse_headers = NULL;
	bytes_free(&sse_rx);
	sse_running = false;
	nfds = 0;
}

static void
sse_start(void)
{
	StringInfoData url;
	size_t		baselen = strlen(alpaca_base_url);

	alpaca_check_base_url();
	if (sse_multi == NULL)
	{
		sse_multi = curl_multi_init();
		if (sse_multi == NULL)
			elog(ERROR, "could not create a libcurl multi handle");
		curl_multi_setopt(sse_multi, CURLMOPT_SOCKETFUNCTION, sse_socket_cb);
		curl_multi_setopt(sse_multi, CURLMOPT_TIMERFUNCTION, sse_timer_cb);
	}
	while (baselen > 0 && alpaca_base_url[baselen - 1] == '/')
		baselen--;
	initStringInfo(&url);
	appendBinaryStringInfo(&url, alpaca_base_url, baselen);
	appendStringInfoString(&url, "/v2beta1/events/activities");
	/* resumed after the last event mirrored; none yet: from now on */
	if (last_event_id[0])
		appendStringInfo(&url, "?since_id=%s", last_event_id);
	sse = curl_easy_init();
	if (sse == NULL)
		elog(ERROR, "could not create a libcurl handle");
	sse_headers = alpaca_http_key_headers(NULL);
	sse_headers = curl_slist_append(sse_headers, "Accept: text/event-stream");
	curl_easy_setopt(sse, CURLOPT_URL, url.data);
	curl_easy_setopt(sse, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(sse, CURLOPT_HTTPHEADER, sse_headers);
	curl_easy_setopt(sse, CURLOPT_WRITEFUNCTION, sse_write_cb);
	curl_easy_setopt(sse, CURLOPT_ERRORBUFFER, sse_error);
	curl_easy_setopt(sse, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(sse, CURLOPT_CONNECTTIMEOUT_MS, (long) alpaca_timeout_ms);
	curl_easy_setopt(sse, CURLOPT_NOSIGNAL, 1L);
	/* a stream that sends nothing, not even a heartbeat, for a minute is dead */
	curl_easy_setopt(sse, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(sse, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(sse, CURLOPT_PROTOCOLS_STR, "http,https");
	sse_error[0] = '\0';
	curl_multi_add_handle(sse_multi, sse);
	sse_running = true;
	pfree(url.data);
}

/* Drive libcurl for one socket (or its timer) and see whether the stream ended. */
static void
sse_action(curl_socket_t fd, int events)
{
	int			running;
	CURLMsg    *msg;
	int			left;

	curl_multi_socket_action(sse_multi, fd, events, &running);
	while ((msg = curl_multi_info_read(sse_multi, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE)
		{
			const char *why = sse_error[0] ? sse_error : curl_easy_strerror(msg->data.result);

			set_error("activity events", msg->data.result == CURLE_OK ? "the stream ended" : why);
			sse_running = false;
		}
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
apply_one(Message *m)
{
	AlpacaResponse text = {0};
	AlpacaExtension ext;
	Datum		doc;
	const char *sql;
	bool		isnull;

	alpaca_extension_find(&ext, false);
	sql = m->source == FROM_TRADE_UPDATES ?
		psprintf("SELECT %s($1)", alpaca_extension_object(&ext, "alpaca_mirror_message")) :
		psprintf("SELECT %s($1)::pg_catalog.text, $1 OPERATOR(pg_catalog.->>) 'event_id'",
				 alpaca_extension_object(&ext, "alpaca_mirror_activity"));

	/* as every answer: verified UTF-8, converted, refused if it holds a key */
	text.body = pnstrdup(m->data, m->len);
	text.body_len = m->len;
	alpaca_answer_text(&text);
	doc = alpaca_jsonb_datum(text.body, text.body_len);

	if (SPI_execute_with_args(sql, 1, (Oid[]) {JSONBOID}, &doc, NULL, false, 1) != SPI_OK_SELECT ||
		SPI_processed != 1)
		elog(ERROR, "could not apply a stream message");
	if (m->source == FROM_ACTIVITIES)
	{
		char	   *id = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);

		if (id && strlen(id) < sizeof(last_event_id) && strcmp(id, last_event_id) > 0)
			strlcpy(last_event_id, id, sizeof(last_event_id));
		return "applied";
	}
	(void) SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull);
	return isnull ? "ignored" : SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/* Every message that came, in one transaction; each in a subtransaction of its own. */
static void
apply_inbox(Loop *loop)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile int64 applied = 0;
	volatile int64 refused = 0;

	if (inbox_head == NULL)
		return;
	alpaca_worker_begin("applying stream messages");
	for (Message *m = inbox_head; m; m = m->next)
	{
		ResourceOwner owner = CurrentResourceOwner;

		BeginInternalSubTransaction(NULL);
		PG_TRY();
		{
			const char *what = apply_one(m);

			ReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(cxt);
			CurrentResourceOwner = owner;
			applied++;
			if (strcmp(what, "authorized") == 0)
				ws_send("{\"action\":\"listen\",\"data\":{\"streams\":[\"trade_updates\"]}}");
			else if (strcmp(what, "unauthorized") == 0)
			{
				set_error("trade_updates", "Alpaca did not authorize the keys");
				ws_closed = true;
				loop->ws_backoff_ms = 60000;
			}
			else if (strcmp(what, "listening") == 0)
			{
				ws_state = WS_LISTENING;
				set_state(shared->trade_updates, "listening");
				loop->ws_backoff_ms = 100;
				/* events before the stream listened are found by comparing */
				loop->reconcile = true;
			}
		}
		PG_CATCH();
		{
			ErrorData  *e;

			MemoryContextSwitchTo(cxt);
			e = CopyErrorData();
			FlushErrorState();
			RollbackAndReleaseCurrentSubTransaction();
			MemoryContextSwitchTo(cxt);
			CurrentResourceOwner = owner;
			refused++;
			set_error(m->source == FROM_TRADE_UPDATES ? "trade_updates" : "activity events", e->message);
			ereport(LOG, (errmsg("alpaca mirror: a stream message was refused: %s", e->message)));
			loop->reconcile = true;
		}
		PG_END_TRY();
	}
	alpaca_worker_commit();
	MemoryContextSwitchTo(cxt);
	free_inbox();
	SpinLockAcquire(&shared->mutex);
	shared->messages += applied;
	shared->refused += refused;
	shared->last_message_at = GetCurrentTimestamp();
	strlcpy(shared->last_activity_id, last_event_id, sizeof(shared->last_activity_id));
	SpinLockRelease(&shared->mutex);
}

static void
reconcile(Loop *loop)
{
	MemoryContext cxt = CurrentMemoryContext;

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
	pgstat_report_activity(STATE_IDLE, NULL);
}

static void
worker_exit(int code, Datum arg)
{
	ws_disconnect();
	sse_stop();
	if (sse_multi)
		curl_multi_cleanup(sse_multi);
	sse_multi = NULL;
	free_inbox();
	SpinLockAcquire(&shared->mutex);
	strlcpy(shared->trade_updates, "off", sizeof(shared->trade_updates));
	strlcpy(shared->activities, "off", sizeof(shared->activities));
	SpinLockRelease(&shared->mutex);
}

/* Connect what is down and due; a failure to start waits for the next try. */
static void
connect_streams(Loop *loop, TimestampTz now)
{
	MemoryContext cxt = CurrentMemoryContext;

	if (ws_closed && ws_context)
	{
		ws_disconnect();
		SpinLockAcquire(&shared->mutex);
		shared->reconnects++;
		SpinLockRelease(&shared->mutex);
		set_state(shared->trade_updates, "reconnecting");
		if (ws_error[0])
			set_error("trade_updates", ws_error);
		loop->ws_retry_at = TimestampTzPlusMilliseconds(now, loop->ws_backoff_ms);
		loop->ws_backoff_ms = Min(loop->ws_backoff_ms * 2, 5000);
	}
	if (sse != NULL && !sse_running)
	{
		sse_stop();
		set_state(shared->activities, "reconnecting");
		SpinLockAcquire(&shared->mutex);
		shared->reconnects++;
		SpinLockRelease(&shared->mutex);
		loop->sse_retry_at = TimestampTzPlusMilliseconds(now, loop->sse_backoff_ms);
		loop->sse_backoff_ms = Min(loop->sse_backoff_ms * 2, 5000);
		loop->reconcile = true;
	}
	PG_TRY();
	{
		if (ws_context == NULL && now >= loop->ws_retry_at)
		{
			set_state(shared->trade_updates, "connecting");
			ws_connect();
		}
		if (sse == NULL && now >= loop->sse_retry_at)
		{
			sse_start();
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
	if (ws_context && ws != NULL && ws_state == WS_ESTABLISHED)
	{
		/* connected: authenticate, then listen when Alpaca says authorized */
		ws_send_authentication();
		ws_state = WS_AUTHENTICATING;
		set_state(shared->trade_updates, "authenticating");
	}
}

/* Are the server, keys and ping interval still those the streams were opened with? */
static bool
same_endpoint(void)
{
	static uint64 opened = 0;
	uint64		now;
	bool		same;

	/* a hash, so no second copy of the keys is kept */
	now = hash_bytes_extended((const unsigned char *) alpaca_base_url, strlen(alpaca_base_url), 1);
	now = hash_bytes_extended((const unsigned char *) alpaca_key_id, strlen(alpaca_key_id), now);
	now = hash_bytes_extended((const unsigned char *) alpaca_secret_key, strlen(alpaca_secret_key), now);
	now = hash_bytes_extended((const unsigned char *) &alpaca_mirror_ping_interval_s, sizeof(alpaca_mirror_ping_interval_s), now);
	same = (now == opened);
	opened = now;
	return same;
}

PGDLLEXPORT void alpaca_mirror_main(Datum arg);

void
alpaca_mirror_main(Datum arg)
{
	Loop		loop = {false, true, 0, 0, 0, 100, 100};
	bool		running = false;

	(void) alpaca_worker_start(ALPACA_WORKER_MIRROR);
	/* the mirror can always be rebuilt from Alpaca: no need to wait for disk */
	SetConfigOption("synchronous_commit", "off", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("alpaca.audit", "off", PGC_SUSET, PGC_S_OVERRIDE);
	before_shmem_exit(worker_exit, 0);

	for (;;)
	{
		WaitEventSet *set;
		WaitEvent	events[MAX_FDS + 3];
		int			n;
		long		timeout = 1000;
		int			ws_fd;
		TimestampTz now = GetCurrentTimestamp();

		if (alpaca_worker_pass())
		{
			if (running && !same_endpoint())
			{
				/* another server, other keys, another ping interval: start over */
				ws_disconnect();
				sse_stop();
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
				ws_disconnect();
				sse_stop();
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
			reconcile(&loop);
		/* not before the tables are there to take what the streams send */
		if (loop.ready)
			connect_streams(&loop, now);

		/* wait: the latch, lws's sockets, libcurl's, and the nearest timer */
		if (sse_running && sse_timeout_ms >= 0)
			timeout = Min(timeout, sse_timeout_ms);
		timeout = Min(timeout, Max(0, (loop.next_reconcile - now) / 1000));
		ws_fd = ws ? lws_get_socket_fd(ws) : -1;
		/* connecting, or a message to write: lws is serviced again soon */
		if (ws_context && (ws_fd < 0 || ws_state < WS_ESTABLISHED || ws_tx.len > 0))
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
			if (events[i].user_data != NULL && sse_running)
				sse_action(events[i].fd, ((events[i].events & WL_SOCKET_READABLE) ? CURL_CSELECT_IN : 0) |
						   ((events[i].events & WL_SOCKET_WRITEABLE) ? CURL_CSELECT_OUT : 0));
		}
		/* lws: what its socket has, and its timers; libcurl's timeouts */
		ws_service();
		if (sse_running)
			sse_action(CURL_SOCKET_TIMEOUT, 0);
		if (inbox_overflow)
		{
			inbox_overflow = false;
			loop.reconcile = true;
		}
		apply_inbox(&loop);
	}
}
