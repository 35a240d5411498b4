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
 * it scrubs the current keys anywhere in the message, and where a line or
 * its statement names a key setting, it masks the quoted values after that
 * name and leaves the statement out.  (Only lines bound for the server log
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

/* Every quoted stretch ('...' or "...") after the setting's name, masked. */
static char *
mask_quoted_after(const char *text, const char *name, size_t namelen)
{
	StringInfoData out;
	const char *p = name + namelen;

	/* the name itself may be quoted: step past its closing quote */
	if (name > text && (name[-1] == '"' || name[-1] == '\'') && *p == name[-1])
		p++;
	initStringInfo(&out);
	appendBinaryStringInfo(&out, text, p - text);
	while (*p)
	{
		if (*p == '"' || *p == '\'')
		{
			const char *end = strchr(p + 1, *p);

			appendStringInfoChar(&out, *p);
			appendStringInfoString(&out, "********");
			if (end == NULL)
				break;
			appendStringInfoChar(&out, *end);
			p = end + 1;
		}
		else
			appendStringInfoChar(&out, *p++);
	}
	return out.data;
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
		text = mask_quoted_after(text, hit, len);
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
	if (names_key_setting(debug_query_string, &len))
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
