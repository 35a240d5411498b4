/*
 * jsonc_parse.c: what 1.0 did with an answer — json-c's tree parse of a
 * whole body.  Prints the best of n parses in milliseconds, and the peak
 * resident memory the tree added (kB), for comparison with the extension.
 */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static long
hwm_kb(void)
{
	FILE	   *f = fopen("/proc/self/status", "r");
	char		line[256];
	long		kb = -1;

	while (f && fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

int
main(int argc, char **argv)
{
	FILE	   *f;
	long		len;
	char	   *text;
	double		best = 1e30;
	long		before;
	int			n = argc > 2 ? atoi(argv[2]) : 5;

	if (argc < 2 || (f = fopen(argv[1], "rb")) == NULL)
	{
		fprintf(stderr, "usage: jsonc_parse FILE [N]\n");
		return 2;
	}
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = malloc(len + 1);
	if (text == NULL || fread(text, 1, len, f) != (size_t) len)
		return 1;
	text[len] = '\0';
	fclose(f);
	before = hwm_kb();
	for (int i = 0; i < n; i++)
	{
		struct timespec t0, t1;
		json_tokener *tok = json_tokener_new();
		json_object *o;
		double		ms;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		o = json_tokener_parse_ex(tok, text, (int) len);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (o == NULL)
			return 1;
		if (ms < best)
			best = ms;
		json_object_put(o);
		json_tokener_free(tok);
	}
	printf("%.1f %ld\n", best, hwm_kb() - before);
	return 0;
}
