/*
 * curl_loop.c: the floor for one request — GET a URL n times on one
 * kept-alive libcurl handle, collecting each body in memory as the
 * extension does; prints the mean milliseconds per call.
 */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct Buf
{
	char	   *data;
	size_t		len;
	size_t		cap;
} Buf;

static size_t
collect(char *p, size_t size, size_t n, void *arg)
{
	Buf		   *b = arg;

	if (b->len + size * n > b->cap)
	{
		b->cap = (b->len + size * n) * 2;
		b->data = realloc(b->data, b->cap);
		if (b->data == NULL)
			return 0;
	}
	memcpy(b->data + b->len, p, size * n);
	b->len += size * n;
	return size * n;
}

int
main(int argc, char **argv)
{
	CURL	   *h;
	Buf			b = {0};
	struct timespec t0, t1;
	int			n = argc > 2 ? atoi(argv[2]) : 1000;

	if (argc < 2)
	{
		fprintf(stderr, "usage: curl_loop URL [N]\n");
		return 2;
	}
	curl_global_init(CURL_GLOBAL_ALL);
	h = curl_easy_init();
	curl_easy_setopt(h, CURLOPT_URL, argv[1]);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &b);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (int i = 0; i < n; i++)
	{
		b.len = 0;
		if (curl_easy_perform(h) != CURLE_OK)
		{
			fprintf(stderr, "request failed\n");
			return 1;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("%.4f\n", ((t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6) / n);
	curl_easy_cleanup(h);
	free(b.data);
	return 0;
}
