/*
 * ws.c
 *		A WebSocket client connection through libwebsockets that never
 *		blocks the worker.
 *
 * Debian's lws is built without external poll support, and its service
 * call waits for events without a timeout; so each connection has a
 * context of its own, its socket sits in the worker's WaitEventSet, and
 * each pass is lws_cancel_service() (lws writes to its own pipe, so its
 * wait returns at once) then lws_service(): what the socket has, and lws's
 * timers (pings of a silent connection).  The callback only copies bytes:
 * a whole message goes to the inbox, and the worker's loop reads it.
 */
#include "postgres.h"

#include "ws.h"

/* lws's own errors, for the status; never headers or keys (level ERR only) */
static char lws_last_error[200];

static void
ws_log(int level, const char *line)
{
	snprintf(lws_last_error, sizeof(lws_last_error), "%s", line);
}

static int
ws_callback(struct lws *wsi, enum lws_callback_reasons reason, void *user, void *in, size_t len)
{
	AlpacaWs   *ws = lws_context_user(lws_get_context(wsi));

	if (ws == NULL)
		return 0;
	switch (reason)
	{
		case LWS_CALLBACK_CLIENT_ESTABLISHED:
			ws->state = ALPACA_WS_ESTABLISHED;
			break;
		case LWS_CALLBACK_CLIENT_WRITEABLE:
			if (ws->tx.len > 0)
			{
				int			n = lws_write(wsi, (unsigned char *) ws->tx.data + LWS_PRE, ws->tx.len - LWS_PRE,
										  LWS_WRITE_TEXT);

				explicit_bzero(ws->tx.data, ws->tx.cap);
				ws->tx.len = 0;
				if (n < 0)
					return -1;
			}
			break;
		case LWS_CALLBACK_CLIENT_RECEIVE:
			if (!alpaca_bytes_add(&ws->rx, in, len))
			{
				snprintf(ws->error, sizeof(ws->error), "a message larger than %d bytes", ALPACA_MAX_MESSAGE);
				return -1;
			}
			if (lws_is_final_fragment(wsi) && lws_remaining_packet_payload(wsi) == 0)
			{
				alpaca_inbox_post(ws->inbox, ws->source, ws->rx.data, ws->rx.len);
				ws->rx.len = 0;
			}
			break;
		case LWS_CALLBACK_CLIENT_CONNECTION_ERROR:
			snprintf(ws->error, sizeof(ws->error), "%s",
					 in ? (char *) in : lws_last_error[0] ? lws_last_error : "could not connect");
			ws->closed = true;
			ws->wsi = NULL;
			break;
		case LWS_CALLBACK_CLIENT_CLOSED:
			snprintf(ws->error, sizeof(ws->error), "the stream was closed");
			ws->closed = true;
			ws->wsi = NULL;
			break;
		default:
			break;
	}
	return 0;
}

static const struct lws_protocols protocols[] = {
	{"alpaca", ws_callback, 0, 65536, 0, NULL, 0},
	{NULL, NULL, 0, 0, 0, NULL, 0}
};

void
alpaca_ws_open(AlpacaWs *ws, const char *base_url, const char *path, AlpacaInbox *inbox, int source, int ping_s)
{
	struct lws_context_creation_info info;
	struct lws_client_connect_info ci;
	char	   *url;
	const char *scheme;
	const char *address;
	const char *ignored;
	int			port;

	memset(ws, 0, sizeof(*ws));
	ws->inbox = inbox;
	ws->source = source;
	memset(&info, 0, sizeof(info));
	info.port = CONTEXT_PORT_NO_LISTEN;
	info.protocols = protocols;
	info.options = LWS_SERVER_OPTION_DO_SSL_GLOBAL_INIT;
	info.gid = -1;
	info.uid = -1;
	info.user = ws;
	lws_set_log_level(LLL_ERR, ws_log);
	ws->context = lws_create_context(&info);
	if (ws->context == NULL)
		elog(ERROR, "could not create a libwebsockets context");
	url = pstrdup(base_url);
	if (lws_parse_uri(url, &scheme, &address, &port, &ignored) != 0)
		elog(ERROR, "%s is not a URL libwebsockets can parse", base_url);
	memset(&ci, 0, sizeof(ci));
	ci.context = ws->context;
	ci.address = address;
	ci.port = port;
	ci.path = path;
	ci.host = address;
	ci.origin = address;
	ci.ssl_connection = strcmp(scheme, "https") == 0 || strcmp(scheme, "wss") == 0 ? LCCSCF_USE_SSL : 0;
	ci.local_protocol_name = protocols[0].name;
	ci.pwsi = &ws->wsi;
	/* a half-open connection is silent, not closed: lws pings, then hangs up */
	ws->idle_policy.secs_since_valid_ping = ping_s;
	ws->idle_policy.secs_since_valid_hangup = 2 * ping_s;
	ci.retry_and_idle_policy = &ws->idle_policy;
	ws->state = ALPACA_WS_CONNECTING;
	if (lws_client_connect_via_info(&ci) == NULL)
	{
		ws->state = ALPACA_WS_DOWN;
		ws->closed = true;
		snprintf(ws->error, sizeof(ws->error), "%s", lws_last_error[0] ? lws_last_error : "could not connect");
	}
}

void
alpaca_ws_send(AlpacaWs *ws, const char *text)
{
	size_t		n = strlen(text);

	/* LWS_PRE bytes of room in front, as lws_write wants */
	if (ws->tx.cap < LWS_PRE + n + 1)
	{
		char	   *p = realloc(ws->tx.data, LWS_PRE + n + 1);

		if (p == NULL)
		{
			ws->closed = true;
			return;
		}
		ws->tx.data = p;
		ws->tx.cap = LWS_PRE + n + 1;
	}
	memcpy(ws->tx.data + LWS_PRE, text, n);
	ws->tx.len = LWS_PRE + n;
	if (ws->wsi)
		lws_callback_on_writable(ws->wsi);
}

void
alpaca_ws_service(AlpacaWs *ws)
{
	if (ws->context == NULL)
		return;
	lws_cancel_service(ws->context);
	lws_service(ws->context, 0);
}

int
alpaca_ws_fd(AlpacaWs *ws)
{
	return ws->wsi ? lws_get_socket_fd(ws->wsi) : -1;
}

bool
alpaca_ws_busy(AlpacaWs *ws)
{
	return ws->context && (alpaca_ws_fd(ws) < 0 || ws->state < ALPACA_WS_ESTABLISHED || ws->tx.len > 0);
}

void
alpaca_ws_close(AlpacaWs *ws)
{
	if (ws->context)
		lws_context_destroy(ws->context);
	ws->context = NULL;
	ws->wsi = NULL;
	ws->state = ALPACA_WS_DOWN;
	alpaca_bytes_free(&ws->rx);
	alpaca_bytes_free(&ws->tx);
}
