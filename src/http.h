/*
 * http.h
 *		The transport: one HTTPS request to the Alpaca API, cancellable.
 */
#ifndef ALPACA_HTTP_H
#define ALPACA_HTTP_H

typedef struct AlpacaResponse
{
	long		status;			/* HTTP status, 0 when nothing came back */
	char	   *body;			/* palloc'd, NUL-terminated; bytes as
								 * received until alpaca_answer_text() */
	size_t		body_len;
	bool		is_text;		/* verified and in the server encoding */
	int			retry_after;	/* seconds from Retry-After, or -1 */
	int			ratelimit_limit;	/* X-RateLimit-Limit, or -1 */
	int			ratelimit_remaining;	/* X-RateLimit-Remaining, or -1 */
	int64		ratelimit_reset;	/* X-RateLimit-Reset (epoch seconds), or 0 */
	int			attempts;		/* times the request went out: libcurl
								 * resends once on a reused connection
								 * that turns out to be dead */
} AlpacaResponse;

/*
 * How a request failed before any HTTP status arrived.  The distinction
 * matters to order placement: after a failure past the point of sending,
 * Alpaca may have acted on the request.
 */
typedef enum AlpacaTransportError
{
	ALPACA_TRANSPORT_OK = 0,
	ALPACA_TRANSPORT_NOT_SENT,	/* could not connect: nothing reached Alpaca */
	ALPACA_TRANSPORT_MAYBE_SENT,	/* timed out, cut off or garbled after
									 * the request may have left */
	ALPACA_TRANSPORT_TOO_LARGE	/* the answer passed alpaca.max_response_size */
} AlpacaTransportError;

extern void alpaca_http_init(void);

/* the key headers for a transfer of one's own (the mirror's event stream) */
struct curl_slist;
extern struct curl_slist *alpaca_http_key_headers(struct curl_slist *list);
extern void alpaca_http_free_headers(struct curl_slist *list);
extern AlpacaTransportError alpaca_http_perform(const char *base, const char *method,
												const char *path_and_query,
												const char *body,
												AlpacaResponse *resp,
												char **errmsg);

#endif
