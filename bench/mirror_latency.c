/*
 * mirror_latency: how soon a fill in the simulator is a row in
 * alpaca_mirror_orders and a NOTIFY in a LISTENing session.
 *
 *   mirror_latency CONNINFO SIM_URL KEY_ID SECRET N
 *
 * For each of N market orders, posted straight to the simulator (which fills
 * it within milliseconds and streams the fill): the time the NOTIFY with the
 * order's fill reached this session, and afterwards, from the mirror row,
 * the fill's own time (Alpaca's timestamp, event_at) and when the row was
 * written (mirrored_at).  One clock: everything runs on this machine.
 * Prints the percentiles of fill -> row, fill -> NOTIFY, order sent -> NOTIFY.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <time.h>

#include <curl/curl.h>
#include <libpq-fe.h>

typedef struct
{
	char		id[40];
	double		sent;
	double		notified;
} Sample;

static double
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return t.tv_sec * 1e6 + t.tv_nsec / 1e3;
}

static size_t
collect(char *p, size_t size, size_t n, void *buf)
{
	size_t		len = strlen(buf);
	size_t		add = size * n;

	if (len + add < 4095)
	{
		memcpy((char *) buf + len, p, add);
		((char *) buf)[len + add] = '\0';
	}
	return add;
}

static int
cmp(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return x < y ? -1 : x > y;
}

static void
report(const char *what, double *v, int n)
{
	qsort(v, n, sizeof(double), cmp);
	printf("| %s | %d | %.1f | %.1f | %.1f |\n", what, n, v[n / 2] / 1000, v[(int) (n * 0.99)] / 1000, v[n - 1] / 1000);
}

int
main(int argc, char **argv)
{
	PGconn	   *db;
	CURL	   *c;
	struct curl_slist *h = NULL;
	char		url[512];
	char		hdr[256];
	int			n;
	Sample	   *s;
	double	   *row, *notify, *sent;
	int			got = 0;

	if (argc != 6)
	{
		fprintf(stderr, "usage: mirror_latency CONNINFO SIM_URL KEY_ID SECRET N\n");
		return 2;
	}
	n = atoi(argv[5]);
	s = calloc(n, sizeof(Sample));
	row = calloc(n, sizeof(double));
	notify = calloc(n, sizeof(double));
	sent = calloc(n, sizeof(double));
	db = PQconnectdb(argv[1]);
	if (PQstatus(db) != CONNECTION_OK)
	{
		fprintf(stderr, "%s", PQerrorMessage(db));
		return 1;
	}
	PQclear(PQexec(db, "LISTEN alpaca_trade_updates"));
	c = curl_easy_init();
	snprintf(url, sizeof(url), "%s/v2/orders", argv[2]);
	snprintf(hdr, sizeof(hdr), "APCA-API-KEY-ID: %s", argv[3]);
	h = curl_slist_append(h, hdr);
	snprintf(hdr, sizeof(hdr), "APCA-API-SECRET-KEY: %s", argv[4]);
	h = curl_slist_append(h, hdr);
	h = curl_slist_append(h, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);

	for (int i = 0; i < n; i++)
	{
		char		answer[4096] = "";
		char	   *p;
		double		deadline;

		curl_easy_setopt(c, CURLOPT_POSTFIELDS, i % 2 ? "{\"symbol\":\"AAPL\",\"qty\":\"1\",\"side\":\"sell\",\"type\":\"market\",\"time_in_force\":\"day\"}"
						 : "{\"symbol\":\"AAPL\",\"qty\":\"1\",\"side\":\"buy\",\"type\":\"market\",\"time_in_force\":\"day\"}");
		curl_easy_setopt(c, CURLOPT_WRITEDATA, answer);
		s[i].sent = now_us();
		if (curl_easy_perform(c) != CURLE_OK || (p = strstr(answer, "\"id\": \"")) == NULL)
		{
			fprintf(stderr, "the simulator did not take the order: %s\n", answer);
			return 1;
		}
		memcpy(s[i].id, p + 7, 36);
		deadline = s[i].sent + 5e6;
		while (s[i].notified == 0 && now_us() < deadline)
		{
			PGnotify   *note;
			fd_set		fds;
			struct timeval tv = {0, 100000};

			FD_ZERO(&fds);
			FD_SET(PQsocket(db), &fds);
			select(PQsocket(db) + 1, &fds, NULL, NULL, &tv);
			PQconsumeInput(db);
			while ((note = PQnotifies(db)) != NULL)
			{
				/* the payload names the order; the row says what happened (as a consumer reads it) */
				if (strstr(note->extra, s[i].id))
				{
					double		heard = now_us();
					char		q[160];
					PGresult   *r;

					snprintf(q, sizeof(q), "SELECT 1 FROM alpaca_mirror_orders WHERE id = '%s' AND last_event = 'fill'", s[i].id);
					r = PQexec(db, q);
					if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
						s[i].notified = heard;
					PQclear(r);
				}
				PQfreemem(note);
			}
		}
		if (s[i].notified == 0)
		{
			fprintf(stderr, "no NOTIFY of the fill of order %s within 5 s\n", s[i].id);
			return 1;
		}
	}
	for (int i = 0; i < n; i++)
	{
		char		q[256];
		PGresult   *r;

		snprintf(q, sizeof(q), "SELECT extract(epoch FROM event_at) * 1e6, extract(epoch FROM mirrored_at) * 1e6 "
				 "FROM alpaca_mirror_orders WHERE id = '%s' AND last_event = 'fill'", s[i].id);
		r = PQexec(db, q);
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		{
			double		fill = atof(PQgetvalue(r, 0, 0));

			row[got] = atof(PQgetvalue(r, 0, 1)) - fill;
			notify[got] = s[i].notified - fill;
			sent[got] = s[i].notified - s[i].sent;
			got++;
		}
		PQclear(r);
	}
	if (got == 0)
	{
		fprintf(stderr, "no mirror row of a fill\n");
		return 1;
	}
	printf("| from | orders | p50 ms | p99 ms | max ms |\n| --- | ---: | ---: | ---: | ---: |\n");
	report("fill (the simulator's timestamp) to the mirror row", row, got);
	report("fill to the NOTIFY in a LISTENing session", notify, got);
	report("order sent to the NOTIFY of its fill (includes placing it)", sent, got);
	printf("fills with no mirror row from their event: %d\n", n - got);
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	PQfinish(db);
	return 0;
}
