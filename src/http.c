/*
 * http.c
 *		One request to the Alpaca API over libcurl.
 *
 * A single easy handle lives for the whole backend so that consecutive
 * calls reuse the TLS connection; that is most of the cost of a call.
 * The transfer runs through the multi interface in short slices so that
 * query cancel and statement_timeout are honoured within ~50 ms rather than
 * when curl's own timeout expires.
 *
 * The response is collected in palloc'd memory of the caller's context, so
 * it is accounted for and freed with that context on every path; the write
 * callback runs inside libcurl, where an ereport must not longjmp, so it
 * allocates with MCXT_ALLOC_NO_OOM and stops the transfer instead.  The
 * body is bounded by alpaca.max_response_size, checked against
 * Content-Length before the first byte and against the bytes as they come.
 */
#include "postgres.h"

#include <limits.h>

#include <curl/curl.h>

#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "guc.h"
#include "http.h"

#define ALPACA_POLL_MS 50
/* Retry-After beyond this is not advice a caller can act on */
#define ALPACA_MAX_RETRY_AFTER 3600

static CURL *alpaca_curl = NULL;
static CURLM *alpaca_multi = NULL;

typedef struct RawBuffer
{
	char	   *data;
	size_t		len;
	size_t		cap;
	size_t		limit;			/* alpaca.max_response_size in bytes */
	MemoryContext cxt;
	bool		overflow;		/* larger than limit */
	bool		oom;
} RawBuffer;

typedef struct HeaderState
{
	int			retry_after;
	int			attempts;
	RawBuffer  *buf;
	int			limit;
	int			remaining;
	int64		reset;
} HeaderState;

void
alpaca_http_init(void)
{
	if (curl_global_init(CURL_GLOBAL_ALL) != CURLE_OK)
		elog(ERROR, "could not initialize libcurl");
}

/* Make room for need bytes and a NUL; false (never an ereport) if not possible. */
static bool
reserve(RawBuffer *buf, size_t need)
{
	size_t		cap;
	char	   *p;

	if (need + 1 <= buf->cap)
		return true;
	if (need > buf->limit)
	{
		buf->overflow = true;
		return false;
	}
	cap = Max(Max(buf->cap * 2, need + 1), (size_t) 65536);
	cap = Min(cap, buf->limit + 1);
	p = MemoryContextAllocExtended(buf->cxt, cap, MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
	if (p == NULL)
	{
		buf->oom = true;
		return false;
	}
	if (buf->len)
		memcpy(p, buf->data, buf->len);
	if (buf->data)
		pfree(buf->data);
	buf->data = p;
	buf->cap = cap;
	return true;
}

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	RawBuffer  *buf = (RawBuffer *) userdata;
	size_t		n = size * nmemb;

	if (!reserve(buf, buf->len + n))
		return 0;
	memcpy(buf->data + buf->len, ptr, n);
	buf->len += n;
	buf->data[buf->len] = '\0';
	return n;
}

/*
 * Retry-After is either delay-seconds or an HTTP date (RFC 9110 10.2.3);
 * both become seconds from now, capped.  -1 when absent or unreadable.
 */
static int
parse_retry_after(const char *v)
{
	const char *p = v;
	time_t		when;

	while (*p == ' ' || *p == '\t')
		p++;
	if (*p >= '0' && *p <= '9')
	{
		long		secs = 0;

		for (; *p >= '0' && *p <= '9'; p++)
			secs = Min(secs * 10 + (*p - '0'), (long) ALPACA_MAX_RETRY_AFTER);
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		return *p == '\0' ? (int) secs : -1;
	}
	when = curl_getdate(p, NULL);
	if (when == -1)
		return -1;
	return (int) Max(0, Min((long) (when - time(NULL)), (long) ALPACA_MAX_RETRY_AFTER));
}

static size_t
header_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	HeaderState *hs = (HeaderState *) userdata;
	size_t		n = size * nmemb;
	char		tmp[128];
	size_t		len;

	/* a new status line starts a new response (after a 100 Continue, say) */
	if (n >= 5 && strncmp(ptr, "HTTP/", 5) == 0)
	{
		hs->retry_after = -1;
		hs->limit = hs->remaining = -1;
		hs->reset = 0;
		return n;
	}
	if (n > 12 && pg_strncasecmp(ptr, "retry-after:", 12) == 0)
	{
		len = Min(n - 12, sizeof(tmp) - 1);
		memcpy(tmp, ptr + 12, len);
		tmp[len] = '\0';
		hs->retry_after = parse_retry_after(tmp);
	}
	else if (n > 18 && pg_strncasecmp(ptr, "x-ratelimit-limit:", 18) == 0)
	{
		len = Min(n - 18, sizeof(tmp) - 1);
		memcpy(tmp, ptr + 18, len);
		tmp[len] = '\0';
		hs->limit = (int) Min(Max(strtol(tmp, NULL, 10), -1L), (long) INT_MAX);
	}
	else if (n > 22 && pg_strncasecmp(ptr, "x-ratelimit-remaining:", 22) == 0)
	{
		len = Min(n - 22, sizeof(tmp) - 1);
		memcpy(tmp, ptr + 22, len);
		tmp[len] = '\0';
		hs->remaining = (int) Min(Max(strtol(tmp, NULL, 10), -1L), (long) INT_MAX);
	}
	else if (n > 18 && pg_strncasecmp(ptr, "x-ratelimit-reset:", 18) == 0)
	{
		len = Min(n - 18, sizeof(tmp) - 1);
		memcpy(tmp, ptr + 18, len);
		tmp[len] = '\0';
		hs->reset = strtoll(tmp, NULL, 10);
	}
	else if (n > 15 && pg_strncasecmp(ptr, "content-length:", 15) == 0)
	{
		char	   *end;
		unsigned long long cl;

		len = Min(n - 15, sizeof(tmp) - 1);
		memcpy(tmp, ptr + 15, len);
		tmp[len] = '\0';
		errno = 0;
		cl = strtoull(tmp, &end, 10);
		/* too large: stop before the first byte of the body */
		if (errno == 0 && end != tmp && !reserve(hs->buf, (size_t) Min(cl, (unsigned long long) SIZE_MAX - 1)))
			return 0;
	}
	return n;
}

/*
 * Counts how often the request headers went out.  libcurl silently sends a
 * request again when a kept-alive connection dies before any answer; for an
 * order that first attempt may have been acted on, and the caller needs to
 * know.  The headers carry the keys: they are counted, never kept.
 */
static int
debug_cb(CURL *handle, curl_infotype type, char *data, size_t size, void *userdata)
{
	if (type == CURLINFO_HEADER_OUT)
		((HeaderState *) userdata)->attempts++;
	return 0;
}

/* On failure the list passed in is intact, and freed by the caller's cleanup. */
static struct curl_slist *
append_header(struct curl_slist *list, const char *line)
{
	struct curl_slist *h = curl_slist_append(list, line);

	if (h == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OUT_OF_MEMORY),
				 errmsg("out of memory")));
	return h;
}

/* libcurl's messages say " after 12 ms"; the number only makes logs differ */
static char *
strip_timing(const char *msg)
{
	char	   *out = pstrdup(msg);
	char	   *p = strstr(out, " after ");

	if (p)
	{
		char	   *q = p + 7;

		while (*q >= '0' && *q <= '9')
			q++;
		if (q > p + 7 && strncmp(q, " ms", 3) == 0)
			memmove(p, q + 3, strlen(q + 3) + 1);
	}
	return out;
}

static void
ensure_handles(void)
{
	if (alpaca_curl == NULL)
	{
		alpaca_curl = curl_easy_init();
		if (alpaca_curl == NULL)
			elog(ERROR, "could not create a libcurl handle");
	}
	if (alpaca_multi == NULL)
	{
		alpaca_multi = curl_multi_init();
		if (alpaca_multi == NULL)
			elog(ERROR, "could not create a libcurl multi handle");
	}
}

/* The key lines, built in a StringInfo that is wiped, never logged. */
struct curl_slist *
alpaca_http_key_headers(struct curl_slist *list)
{
	StringInfoData hdr;

	initStringInfo(&hdr);
	appendStringInfo(&hdr, "APCA-API-KEY-ID: %s", alpaca_key_id);
	list = append_header(list, hdr.data);
	explicit_bzero(hdr.data, hdr.maxlen);
	resetStringInfo(&hdr);
	appendStringInfo(&hdr, "APCA-API-SECRET-KEY: %s", alpaca_secret_key);
	list = append_header(list, hdr.data);
	explicit_bzero(hdr.data, hdr.maxlen);
	pfree(hdr.data);
	return list;
}

/* libcurl keeps its own copies of header lines; the key lines are wiped first */
void
alpaca_http_free_headers(struct curl_slist *list)
{
	for (struct curl_slist *h = list; h; h = h->next)
		explicit_bzero(h->data, strlen(h->data));
	curl_slist_free_all(list);
}

/*
 * Perform one request.  Returns ALPACA_TRANSPORT_OK with resp filled in
 * whenever a whole HTTP answer arrived (of any status); otherwise a
 * classification of the failure and a palloc'd message in *errmsg.  The
 * body is palloc'd in the caller's memory context.  Query cancel escapes by
 * ereport, with every curl resource released.
 */
AlpacaTransportError
alpaca_http_perform(const char *base, const char *method, const char *path_and_query,
					const char *body, AlpacaResponse *resp, char **errmsg)
{
	struct curl_slist *volatile headers = NULL;
	RawBuffer	buf = {0};
	HeaderState hs = {-1, 0, &buf, -1, -1, 0};
	char		errbuf[CURL_ERROR_SIZE];
	StringInfoData url;
	volatile CURLcode result = CURLE_OK;
	volatile long status = 0;
	volatile bool added = false;
	bool		traced = (strcmp(method, "GET") != 0);
	size_t		baselen;

	ensure_handles();
	buf.cxt = CurrentMemoryContext;
	buf.limit = (size_t) alpaca_max_response_kb * 1024;

	initStringInfo(&url);
	baselen = strlen(base);
	while (baselen > 0 && base[baselen - 1] == '/')
		baselen--;
	appendBinaryStringInfo(&url, base, baselen);
	appendStringInfoString(&url, path_and_query);

	curl_easy_reset(alpaca_curl);
	errbuf[0] = '\0';
	memset(resp, 0, sizeof(*resp));

	PG_TRY();
	{
		int			running = 1;
		long		st = 0;
		CURLMsg    *msg;
		int			left;

		headers = alpaca_http_key_headers(headers);
		headers = append_header(headers, "Accept: application/json");
		if (body)
			headers = append_header(headers, "Content-Type: application/json");
		/* no "Expect: 100-continue" round trip before a body */
		headers = append_header(headers, "Expect:");

		curl_easy_setopt(alpaca_curl, CURLOPT_URL, url.data);
		/* never resolve "." or ".." segments into another endpoint */
		curl_easy_setopt(alpaca_curl, CURLOPT_PATH_AS_IS, 1L);
		curl_easy_setopt(alpaca_curl, CURLOPT_HTTPHEADER, headers);
		curl_easy_setopt(alpaca_curl, CURLOPT_CUSTOMREQUEST, method);
		if (body)
		{
			curl_easy_setopt(alpaca_curl, CURLOPT_POSTFIELDS, body);
			curl_easy_setopt(alpaca_curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen(body));
		}
		else if (strcmp(method, "GET") == 0)
			curl_easy_setopt(alpaca_curl, CURLOPT_HTTPGET, 1L);
		else if (strcmp(method, "DELETE") != 0)
		{
			/* a bodiless POST still says Content-Length: 0, as proxies expect */
			curl_easy_setopt(alpaca_curl, CURLOPT_POSTFIELDS, "");
			curl_easy_setopt(alpaca_curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) 0);
		}
		curl_easy_setopt(alpaca_curl, CURLOPT_WRITEFUNCTION, write_cb);
		curl_easy_setopt(alpaca_curl, CURLOPT_WRITEDATA, &buf);
		curl_easy_setopt(alpaca_curl, CURLOPT_HEADERFUNCTION, header_cb);
		curl_easy_setopt(alpaca_curl, CURLOPT_HEADERDATA, &hs);
		curl_easy_setopt(alpaca_curl, CURLOPT_ERRORBUFFER, errbuf);
		curl_easy_setopt(alpaca_curl, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(alpaca_curl, CURLOPT_TIMEOUT_MS, (long) alpaca_timeout_ms);
		curl_easy_setopt(alpaca_curl, CURLOPT_CONNECTTIMEOUT_MS, (long) Min(alpaca_timeout_ms, 10000));
		/* a redirect could carry the key headers to another host */
		curl_easy_setopt(alpaca_curl, CURLOPT_FOLLOWLOCATION, 0L);
		curl_easy_setopt(alpaca_curl, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(alpaca_curl, CURLOPT_USERAGENT, "pg-alpaca/" ALPACA_VERSION);
		curl_easy_setopt(alpaca_curl, CURLOPT_TCP_KEEPALIVE, 1L);
		if (traced)
		{
			curl_easy_setopt(alpaca_curl, CURLOPT_DEBUGFUNCTION, debug_cb);
			curl_easy_setopt(alpaca_curl, CURLOPT_DEBUGDATA, &hs);
			curl_easy_setopt(alpaca_curl, CURLOPT_VERBOSE, 1L);
		}

		if (curl_multi_add_handle(alpaca_multi, alpaca_curl) != CURLM_OK)
			elog(ERROR, "could not start a libcurl transfer");
		added = true;

		while (running)
		{
			CURLMcode	mc;

			CHECK_FOR_INTERRUPTS();
			mc = curl_multi_perform(alpaca_multi, &running);
			if (mc != CURLM_OK)
				elog(ERROR, "libcurl failed: %s", curl_multi_strerror(mc));
			if (!running)
				break;
			mc = curl_multi_poll(alpaca_multi, NULL, 0, ALPACA_POLL_MS, NULL);
			if (mc != CURLM_OK)
				elog(ERROR, "libcurl failed: %s", curl_multi_strerror(mc));
		}
		while ((msg = curl_multi_info_read(alpaca_multi, &left)) != NULL)
		{
			if (msg->msg == CURLMSG_DONE && msg->easy_handle == alpaca_curl)
				result = msg->data.result;
		}
		curl_easy_getinfo(alpaca_curl, CURLINFO_RESPONSE_CODE, &st);
		status = st;
	}
	PG_FINALLY();
	{
		if (added)
			curl_multi_remove_handle(alpaca_multi, alpaca_curl);
		/* the handle keeps no pointer to freed memory into the next call */
		curl_easy_setopt(alpaca_curl, CURLOPT_HTTPHEADER, NULL);
		curl_easy_setopt(alpaca_curl, CURLOPT_ERRORBUFFER, NULL);
		alpaca_http_free_headers(headers);
	}
	PG_END_TRY();

	resp->status = status;
	resp->retry_after = hs.retry_after;
	resp->ratelimit_limit = hs.limit;
	resp->ratelimit_remaining = hs.remaining;
	resp->ratelimit_reset = hs.reset;
	resp->attempts = hs.attempts;
	resp->body_len = buf.len;
	resp->body = buf.data ? buf.data : pstrdup("");

	if (result == CURLE_OK && status > 0)
		return ALPACA_TRANSPORT_OK;

	if (buf.overflow)
	{
		*errmsg = psprintf("the answer is larger than alpaca.max_response_size (%d kB)",
						   alpaca_max_response_kb);
		return ALPACA_TRANSPORT_TOO_LARGE;
	}
	if (buf.oom)
		*errmsg = pstrdup("out of memory while receiving the answer");
	else if (result == CURLE_OPERATION_TIMEDOUT)
		*errmsg = psprintf("no answer within alpaca.timeout_ms (%d ms)", alpaca_timeout_ms);
	else
		*errmsg = strip_timing(errbuf[0] ? errbuf : curl_easy_strerror(result));

	/*
	 * "Not sent" is claimed only where libcurl proves that no byte of the
	 * request left: it failed to resolve or connect, and (where the request
	 * headers are traced) none went out on an earlier, reused connection.
	 * Everything else, a garbled or cut answer included, may have reached
	 * Alpaca.
	 */
	switch (result)
	{
		case CURLE_COULDNT_RESOLVE_HOST:
		case CURLE_COULDNT_RESOLVE_PROXY:
		case CURLE_COULDNT_CONNECT:
			if (status == 0 && (!traced || hs.attempts == 0))
				return ALPACA_TRANSPORT_NOT_SENT;
			break;
		default:
			break;
	}
	return ALPACA_TRANSPORT_MAYBE_SENT;
}
