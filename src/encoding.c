/*
 * encoding.c
 *		Text across the boundary: UTF-8 on the wire, the database's encoding
 *		inside.
 *
 * Alpaca speaks UTF-8 (RFC 8259 requires it).  Everything sent is converted
 * from the server encoding; every answer is verified as UTF-8, then
 * converted to the server encoding, before any value is read from it, so a
 * LATIN1 database stores "café" as café and invalid bytes never reach a
 * text column.  A character the database's encoding cannot hold is an
 * error, never a substitute.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "mb/pg_wchar.h"
#include "miscadmin.h"

#include "encoding.h"
#include "guc.h"

/* verified a slice at a time, so query cancel is honoured on a large answer */
#define VERIFY_CHUNK (1024 * 1024)

static void
verify_utf8(const char *s, size_t len)
{
	size_t		off = 0;

	while (off < len)
	{
		size_t		chunk = Min(len - off, (size_t) VERIFY_CHUNK);
		int			ok = pg_encoding_verifymbstr(PG_UTF8, s + off, (int) chunk);

		if ((size_t) ok < chunk)
		{
			/* a character cut by the slice's end is checked whole */
			int			l = pg_encoding_verifymbchar(PG_UTF8, s + off + ok, (int) Min(len - off - ok, (size_t) 8));

			if (l <= 0 || (size_t) ok + l <= chunk)
				ereport(ERROR,
						(errcode(ERRCODE_PROTOCOL_VIOLATION),
						 errmsg("the Alpaca API answered with invalid UTF-8"),
						 errdetail("%s at byte %zu.",
								   s[off + ok] == '\0' ? "A NUL byte" : "An invalid byte sequence",
								   off + ok)));
			off += ok + l;
		}
		else
			off += chunk;
		CHECK_FOR_INTERRUPTS();
	}
}

static bool
contains(const char *body, size_t len, const char *key)
{
	size_t		n = strlen(key);

	return n >= 4 && memmem(body, len, key, n) != NULL;
}

/*
 * Make an answer's body text of this database: verified UTF-8, converted.
 * An answer that carries either key is refused unread: Alpaca never sends
 * one back, and a proxy or debugging endpoint that echoes request headers
 * would otherwise hand the keys to whoever reads the rows.  Idempotent per
 * response.
 */
void
alpaca_answer_text(AlpacaResponse *resp)
{
	int			enc = GetDatabaseEncoding();
	char	   *conv;

	if (resp->is_text || resp->body_len == 0)
	{
		resp->is_text = true;
		return;
	}
	if (contains(resp->body, resp->body_len, alpaca_secret_key) ||
		contains(resp->body, resp->body_len, alpaca_key_id))
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answer contains an API key"),
				 errdetail("The answer was refused unread; something between the server and Alpaca echoes the request's headers.")));
	verify_utf8(resp->body, resp->body_len);
	if (enc != PG_UTF8 && enc != PG_SQL_ASCII)
	{
		conv = pg_any_to_server(resp->body, (int) resp->body_len, PG_UTF8);
		if (conv != resp->body)
		{
			pfree(resp->body);
			resp->body = conv;
			resp->body_len = strlen(conv);
		}
	}
	resp->is_text = true;
}

/*
 * Server text as UTF-8 for the wire.  In a SQL_ASCII database the bytes
 * have no known encoding; they must already be UTF-8.
 */
char *
alpaca_to_utf8(const char *s)
{
	int			enc = GetDatabaseEncoding();
	size_t		len = strlen(s);

	if (enc == PG_UTF8)
		return (char *) s;
	if (enc == PG_SQL_ASCII)
	{
		(void) pg_verify_mbstr(PG_UTF8, s, (int) len, false);
		return (char *) s;
	}
	return pg_server_to_any(s, (int) len, PG_UTF8);
}

/*
 * Wire bytes as server text for an error message: whatever cannot be
 * shown (invalid UTF-8, a NUL, a character the database's encoding lacks)
 * becomes "?".  Never raises for the bytes it is given.
 */
char *
alpaca_wire_text(const char *s, size_t len)
{
	int			enc = GetDatabaseEncoding();
	char	   *out = palloc(len + 1);
	size_t		o = 0;

	for (size_t i = 0; i < len;)
	{
		int			l = pg_encoding_verifymbchar(PG_UTF8, s + i, (int) Min(len - i, (size_t) 8));

		if (l <= 0)
		{
			out[o++] = '?';
			i++;
			continue;
		}
		/* outside a UTF-8 database only ASCII is certain to be representable */
		if (l > 1 && enc != PG_UTF8)
			out[o++] = '?';
		else
		{
			memcpy(out + o, s + i, l);
			o += l;
		}
		i += l;
	}
	out[o] = '\0';
	return out;
}
