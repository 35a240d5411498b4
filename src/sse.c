/*
 * sse.c
 *		One server-sent event stream (Alpaca's account activity events) over
 *		libcurl's multi socket interface, driven from the worker's own wait.
 *
 * libcurl tells which sockets it wants watched and when its timer is due;
 * the worker waits on them with its latch and calls back here.  Each whole
 * event ("data: ..." lines, then a blank line) is posted to the inbox;
 * comments and other fields carry nothing a row needs.  A stream that sends
 * nothing, not even a heartbeat, for a minute is given up.
 */
#include "postgres.h"

#include <curl/curl.h>

#include "guc.h"
#include "http.h"
#include "sse.h"

static CURLM *multi = NULL;
static CURL *easy = NULL;
static struct curl_slist *headers = NULL;
static AlpacaBytes rx;
static long timeout_ms = -1;
static bool running = false;
static char error[CURL_ERROR_SIZE];
static const char *ended_why = NULL;
static AlpacaInbox *sse_inbox;
static int	sse_source;

static AlpacaWatchedFd fds[ALPACA_SSE_MAX_FDS];
static int	nfds = 0;

static AlpacaWatchedFd *
find_fd(int fd, bool add)
{
	for (int i = 0; i < nfds; i++)
		if (fds[i].fd == fd)
			return &fds[i];
	if (!add || nfds == ALPACA_SSE_MAX_FDS)
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

static int
socket_cb(CURL *e, curl_socket_t s, int what, void *userp, void *socketp)
{
	AlpacaWatchedFd *w;

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
timer_cb(CURLM *m, long ms, void *userp)
{
	timeout_ms = ms;
	return 0;
}

static size_t
write_cb(char *ptr, size_t size, size_t nmemb, void *userdata)
{
	size_t		n = size * nmemb;
	char	   *end;

	if (!alpaca_bytes_add(&rx, ptr, n))
		return 0;				/* an event too large: the transfer fails */
	while ((end = strstr(rx.data, "\n\n")) != NULL)
	{
		size_t		used = end - rx.data + 2;

		*end = '\0';
		for (char *line = rx.data; line && *line;)
		{
			char	   *next = strchr(line, '\n');

			if (next)
				*next++ = '\0';
			if (strncmp(line, "data:", 5) == 0)
				alpaca_inbox_post(sse_inbox, sse_source, line + 5 + (line[5] == ' '),
								  strlen(line + 5 + (line[5] == ' ')));
			line = next;
		}
		memmove(rx.data, rx.data + used, rx.len - used + 1);
		rx.len -= used;
	}
	return n;
}

void
alpaca_sse_start(const char *url, AlpacaInbox *inbox, int source)
{
	if (multi == NULL)
	{
		multi = curl_multi_init();
		if (multi == NULL)
			elog(ERROR, "could not create a libcurl multi handle");
		curl_multi_setopt(multi, CURLMOPT_SOCKETFUNCTION, socket_cb);
		curl_multi_setopt(multi, CURLMOPT_TIMERFUNCTION, timer_cb);
	}
	sse_inbox = inbox;
	sse_source = source;
	easy = curl_easy_init();
	if (easy == NULL)
		elog(ERROR, "could not create a libcurl handle");
	headers = alpaca_http_key_headers(NULL);
	headers = curl_slist_append(headers, "Accept: text/event-stream");
	curl_easy_setopt(easy, CURLOPT_URL, url);
	curl_easy_setopt(easy, CURLOPT_PATH_AS_IS, 1L);
	curl_easy_setopt(easy, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(easy, CURLOPT_WRITEFUNCTION, write_cb);
	curl_easy_setopt(easy, CURLOPT_ERRORBUFFER, error);
	curl_easy_setopt(easy, CURLOPT_FAILONERROR, 1L);
	curl_easy_setopt(easy, CURLOPT_CONNECTTIMEOUT_MS, (long) alpaca_timeout_ms);
	curl_easy_setopt(easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(easy, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(easy, CURLOPT_LOW_SPEED_TIME, 60L);
	curl_easy_setopt(easy, CURLOPT_PROTOCOLS_STR, "http,https");
	error[0] = '\0';
	ended_why = NULL;
	curl_multi_add_handle(multi, easy);
	running = true;
}

void
alpaca_sse_stop(void)
{
	if (easy)
	{
		curl_multi_remove_handle(multi, easy);
		curl_easy_cleanup(easy);
		easy = NULL;
	}
	if (headers)
		alpaca_http_free_headers(headers);
	headers = NULL;
	alpaca_bytes_free(&rx);
	running = false;
	nfds = 0;
}

void
alpaca_sse_cleanup(void)
{
	alpaca_sse_stop();
	if (multi)
		curl_multi_cleanup(multi);
	multi = NULL;
}

bool
alpaca_sse_open(void)
{
	return easy != NULL;
}

bool
alpaca_sse_running(const char **why)
{
	if (why)
		*why = ended_why;
	return running;
}

int
alpaca_sse_fds(AlpacaWatchedFd **out)
{
	*out = fds;
	return nfds;
}

long
alpaca_sse_timeout_ms(void)
{
	return running ? timeout_ms : -1;
}

/* Drive libcurl for one socket (or its timer) and see whether the stream ended. */
static void
action(curl_socket_t fd, int events)
{
	int			still;
	CURLMsg    *msg;
	int			left;

	curl_multi_socket_action(multi, fd, events, &still);
	while ((msg = curl_multi_info_read(multi, &left)) != NULL)
		if (msg->msg == CURLMSG_DONE)
		{
			ended_why = msg->data.result == CURLE_OK ? "the stream ended" :
				error[0] ? error : curl_easy_strerror(msg->data.result);
			running = false;
		}
}

void
alpaca_sse_action(int fd, bool readable, bool writable)
{
	if (running)
		action(fd, (readable ? CURL_CSELECT_IN : 0) | (writable ? CURL_CSELECT_OUT : 0));
}

void
alpaca_sse_timer(void)
{
	if (running)
		action(CURL_SOCKET_TIMEOUT, 0);
}
