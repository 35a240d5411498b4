/*
 * ws.h
 *		A WebSocket client connection through libwebsockets that never
 *		blocks the worker (src/ws.c): trade_updates, and market data.
 */
#ifndef ALPACA_WS_H
#define ALPACA_WS_H

#include <libwebsockets.h>

#include "stream.h"

typedef enum AlpacaWsState
{
	ALPACA_WS_DOWN,
	ALPACA_WS_CONNECTING,
	ALPACA_WS_ESTABLISHED		/* the caller may authenticate */
} AlpacaWsState;

typedef struct AlpacaWs
{
	struct lws_context *context;	/* one per connection */
	struct lws *wsi;
	AlpacaWsState state;
	bool		closed;			/* it ended: open it again */
	AlpacaBytes rx;				/* a message being received */
	AlpacaBytes tx;				/* one message waiting to be written */
	char		error[200];
	AlpacaInbox *inbox;			/* where whole messages go */
	int			source;			/* ... marked as this */
	lws_retry_bo_t idle_policy; /* read by lws while the connection lasts */
} AlpacaWs;

/*
 * Open base_url's WebSocket at path: ws:// for http://, wss:// for
 * https:// (the URL already checked by the caller's policy).  A half-open
 * connection is pinged after ping_s of silence and given up after twice
 * that.  Raises only when libwebsockets cannot be set up at all.
 */
extern void alpaca_ws_open(AlpacaWs *ws, const char *base_url, const char *path, AlpacaInbox *inbox,
						   int source, int ping_s);
/* queue one text message; wiped once written (an authentication holds the keys) */
extern void alpaca_ws_send(AlpacaWs *ws, const char *text);
/* one pass of lws that cannot block: what its socket has, and its timers */
extern void alpaca_ws_service(AlpacaWs *ws);
/* its socket to wait on, or -1 */
extern int	alpaca_ws_fd(AlpacaWs *ws);
/* connecting, or a message to write: it wants servicing again soon */
extern bool alpaca_ws_busy(AlpacaWs *ws);
extern void alpaca_ws_close(AlpacaWs *ws);

#endif
