/*
 * redact.c
 *		The one point every quoted piece of wire or caller text passes.
 *
 * Both keys are scrubbed from the whole text before it is cut to a few
 * hundred bytes, so a key never reaches a client or the server log, whole
 * or in part, even if some proxy echoes it back, and a 2 MB value is not
 * quoted whole.
 */
#include "postgres.h"

#include <limits.h>

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"

#include "guc.h"
#include "redact.h"

static void
redact_one(StringInfo out, const char *text, const char *secret)
{
	const char *p = text;
	const char *hit;
	size_t		n = strlen(secret);

	resetStringInfo(out);
	if (n < 4)
	{
		appendStringInfoString(out, text);
		return;
	}
	while ((hit = strstr(p, secret)) != NULL)
	{
		appendBinaryStringInfo(out, p, hit - p);
		appendStringInfoString(out, "********");
		p = hit + n;
	}
	appendStringInfoString(out, p);
}

/*
 * Both keys replaced by ********, wherever they occur, and every value this
 * process has seen set as a key (a rotation's new key, a refused one).
 */
char *
alpaca_redact(const char *text)
{
	StringInfoData a;
	StringInfoData b;

	initStringInfo(&a);
	initStringInfo(&b);
	redact_one(&a, text, alpaca_secret_key);
	redact_one(&b, a.data, alpaca_key_id);
	for (int i = 0; i < alpaca_keys_seen_max(); i++)
	{
		const char *seen = alpaca_key_seen(i);

		if (seen)
		{
			redact_one(&a, b.data, seen);
			resetStringInfo(&b);
			appendStringInfoString(&b, a.data);
		}
	}
	pfree(a.data);
	return b.data;
}

/*
 * The one way wire or caller text enters a message: keys scrubbed from the
 * whole text first, then cut to ALPACA_QUOTE_MAX bytes on a character
 * boundary, saying how long it was.  The text must be valid in the server
 * encoding (wire bytes go through alpaca_wire_text() first).
 */
char *
alpaca_clip(const char *text, size_t len)
{
	char	   *clean = alpaca_redact(pnstrdup(text, len));
	size_t		n = strlen(clean);
	int			cut;

	if (n <= ALPACA_QUOTE_MAX)
		return clean;
	cut = pg_mbcliplen(clean, (int) Min(n, (size_t) INT_MAX), ALPACA_QUOTE_MAX);
	return psprintf("%.*s... (%zu bytes in all)", cut, clean, n);
}

/* alpaca_clip() in double quotes, for a value */
char *
alpaca_quote(const char *text, size_t len)
{
	return psprintf("\"%s\"", alpaca_clip(text, len));
}

