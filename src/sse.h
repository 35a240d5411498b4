/*
 * sse.h
 *		One server-sent event stream over libcurl's multi socket interface,
 *		driven from the worker's own wait (src/sse.c).
 */
#ifndef ALPACA_SSE_H
#define ALPACA_SSE_H

#include "stream.h"

#define ALPACA_SSE_MAX_FDS 16

typedef struct AlpacaWatchedFd
{
	int			fd;
	bool		in;
	bool		out;
} AlpacaWatchedFd;

/* GET url with the keys, each event's data posted to inbox as source */
extern void alpaca_sse_start(const char *url, AlpacaInbox *inbox, int source);
extern void alpaca_sse_stop(void);
/* freed for good: at the worker's exit */
extern void alpaca_sse_cleanup(void);
/* started and not yet ended (ended: *why says how) */
extern bool alpaca_sse_open(void);
extern bool alpaca_sse_running(const char **why);
/* libcurl's sockets and timer for the wait, and what to do when they fire */
extern int	alpaca_sse_fds(AlpacaWatchedFd **fds);
extern long alpaca_sse_timeout_ms(void);
extern void alpaca_sse_action(int fd, bool readable, bool writable);
extern void alpaca_sse_timer(void);

#endif
