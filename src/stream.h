/*
 * stream.h
 *		What every stream reader shares (src/stream.c): malloc'd byte
 *		buffers, and the inbox the libraries' callbacks post messages to.
 *
 * libwebsockets and libcurl call back from inside their service calls,
 * where an ereport would unwind through the libraries: callbacks only copy
 * bytes (with malloc, never palloc), and the worker's loop reads the inbox.
 */
#ifndef ALPACA_STREAM_H
#define ALPACA_STREAM_H

#define ALPACA_MAX_MESSAGE (4 * 1024 * 1024)	/* one stream message, bytes */

typedef struct AlpacaBytes
{
	char	   *data;
	size_t		len;
	size_t		cap;
} AlpacaBytes;

/* false when it would pass ALPACA_MAX_MESSAGE or memory ran out */
extern bool alpaca_bytes_add(AlpacaBytes *b, const char *data, size_t len);
/* wipe (it may have held a key), then free */
extern void alpaca_bytes_free(AlpacaBytes *b);

typedef struct AlpacaMessage
{
	struct AlpacaMessage *next;
	int			source;			/* which stream, the reader's own code */
	size_t		len;
	char		data[FLEXIBLE_ARRAY_MEMBER];
} AlpacaMessage;

typedef struct AlpacaInbox
{
	AlpacaMessage *head;
	AlpacaMessage **tail;
	bool		overflow;		/* a message was lost: reconcile */
} AlpacaInbox;

extern void alpaca_inbox_init(AlpacaInbox *inbox);
extern void alpaca_inbox_post(AlpacaInbox *inbox, int source, const char *data, size_t len);
extern void alpaca_inbox_free(AlpacaInbox *inbox);

#endif
