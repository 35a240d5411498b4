/*
 * log_filter.c
 *		Keeping the keys out of the server log.
 *
 * Some log lines PostgreSQL writes itself, with no way for the extension to
 * shape them: on a reload the postmaster logs 'parameter "alpaca.key_id"
 * changed to "<the new key>"', a refused ALTER ROLE ... SET logs the value
 * it refused, and log_statement or log_min_error_statement logs the
 * statement that set a key.  The library is preloaded, so this hook runs in
 * the postmaster and every backend and sees each line bound for the log:
 * it scrubs the current keys (and every value seen set as one) anywhere in
 * the message, and where a line or its statement names a key setting, or
 * may set one by a computed name (set_config('alpaca.' || 'secret_key',
 * ...)), it masks whatever follows, quoted, dollar-quoted or bare, and
 * leaves the statement out.  (Only lines bound for the server log
 * pass here; what a client is sent is built scrubbed in the first place.)
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "lib/stringinfo.h"
#include "tcop/tcopprot.h"
#include "utils/elog.h"

#include "errors.h"
#include "guc.h"

static emit_log_hook_type prev_emit_log_hook = NULL;

static const char *const key_settings[] = {"alpaca.key_id", "alpaca.secret_key", NULL};

/* The earliest mention of a key setting in text, and its length in *len. */
static const char *
names_key_setting(const char *text, size_t *len)
{
	const char *first = NULL;

	if (text == NULL)
		return NULL;
	for (const char *const *k = key_settings; *k; k++)
	{
		const char *hit = strcasestr(text, *k);

		if (hit && (first == NULL || hit < first))
		{
			first = hit;
			*len = strlen(*k);
		}
	}
	return first;
}

/*
 * Could this statement set a key, by a name not written out whole
 * (set_config('alpaca.' || 'secret_key', ...))?  Any statement that names
 * an alpaca setting, or calls set_config, and says "key" is taken to.
 */
static const char *
may_set_key(const char *text)
{
	const char *at;

	if (text == NULL || strcasestr(text, "key") == NULL)
		return NULL;
	if ((at = strcasestr(text, "alpaca.")) != NULL)
		return at;
	return strcasestr(text, "set_config");
}

/* Every quoted stretch ('...', "..." or $$...$$) after from, masked. */
static char *
mask_quoted_after(const char *text, const char *from)
{
	StringInfoData out;
	const char *p = from;

	initStringInfo(&out);
	appendBinaryStringInfo(&out, text, p - text);
	while (*p)
	{
		const char *end = NULL;
		size_t		q = 1;

		if (*p == '"' || *p == '\'')
			end = strchr(p + 1, *p);
		else if (*p == '$' && (end = strchr(p + 1, '$')) != NULL)
		{
			/* a dollar quote's tag, $$ or $tag$, closes with itself */
			q = end - p + 1;
			end = strstr(end + 1, pnstrdup(p, q));
		}
		if (*p == '"' || *p == '\'' || (*p == '$' && q > 1))
		{
			appendBinaryStringInfo(&out, p, q);
			appendStringInfoString(&out, "********");
			if (end == NULL)
				break;
			appendBinaryStringInfo(&out, end, q);
			p = end + q;
		}
		else
			appendStringInfoChar(&out, *p++);
	}
	return out.data;
}

/*
 * Is this line the text of a statement (log_statement, a duration, the
 * statement of an error)?  There a value may be bare, so everything from
 * the key's name on is masked.
 */
static bool
is_statement(const char *text)
{
	return strncmp(text, "statement: ", 11) == 0 || strncmp(text, "execute ", 8) == 0 ||
		strncmp(text, "duration: ", 10) == 0;
}

static char *
scrub(char *text)
{
	const char *hit;
	size_t		len;

	if (text == NULL)
		return NULL;
	text = alpaca_redact(text);
	if ((hit = names_key_setting(text, &len)) != NULL)
	{
		const char *end = hit + len;

		/* the name itself may be quoted: step past its closing quote */
		if (hit > text && (hit[-1] == '"' || hit[-1] == '\'') && *end == hit[-1])
			end++;
		text = is_statement(text) ? psprintf("%.*s ********", (int) (end - text), text) :
			mask_quoted_after(text, end);
	}
	else if (is_statement(text) && (hit = may_set_key(text)) != NULL)
		text = psprintf("%.*s ********", (int) (hit - text), text);
	return text;
}

static void
alpaca_emit_log_hook(ErrorData *edata)
{
	size_t		len;

	/* runs in ErrorContext, where the line's own strings live */
	edata->message = scrub(edata->message);
	edata->detail = scrub(edata->detail);
	edata->detail_log = scrub(edata->detail_log);
	edata->hint = scrub(edata->hint);
	edata->context = scrub(edata->context);
	edata->internalquery = scrub(edata->internalquery);
	if (names_key_setting(debug_query_string, &len) || may_set_key(debug_query_string))
		edata->hide_stmt = true;
	if (prev_emit_log_hook)
		prev_emit_log_hook(edata);
}

void
alpaca_install_log_filter(void)
{
	prev_emit_log_hook = emit_log_hook;
	emit_log_hook = alpaca_emit_log_hook;
}
