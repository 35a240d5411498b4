/*
 * stream.c
 *		Byte buffers and the inbox of the stream readers (see stream.h).
 */
#include "postgres.h"

#include "stream.h"

bool
alpaca_bytes_add(AlpacaBytes *b, const char *data, size_t len)
{
	if (b->len + len + 1 > b->cap)
	{
		size_t		cap = Max(Max(b->cap * 2, b->len + len + 1), 4096);
		char	   *p;

		if (b->len + len > ALPACA_MAX_MESSAGE)
			return false;
		p = realloc(b->data, cap);
		if (p == NULL)
			return false;
		b->data = p;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return true;
}

void
alpaca_bytes_free(AlpacaBytes *b)
{
	if (b->data)
		explicit_bzero(b->data, b->cap);
	free(b->data);
	memset(b, 0, sizeof(*b));
}

void
alpaca_inbox_init(AlpacaInbox *inbox)
{
	inbox->head = NULL;
	inbox->tail = &inbox->head;
	inbox->overflow = false;
}

/* malloc, not palloc: called from inside libwebsockets and libcurl */
void
alpaca_inbox_post(AlpacaInbox *inbox, int source, const char *data, size_t len)
{
	AlpacaMessage *m = malloc(offsetof(AlpacaMessage, data) + len + 1);

	if (m == NULL)
	{
		inbox->overflow = true;
		return;
	}
	m->next = NULL;
	m->source = source;
	m->len = len;
	memcpy(m->data, data, len);
	m->data[len] = '\0';
	*inbox->tail = m;
	inbox->tail = &m->next;
}

void
alpaca_inbox_free(AlpacaInbox *inbox)
{
	while (inbox->head)
	{
		AlpacaMessage *m = inbox->head;

		inbox->head = m->next;
		free(m);
	}
	inbox->tail = &inbox->head;
}
