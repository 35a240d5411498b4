/*
 * redact.h
 *		Keys scrubbed, long values clipped: how wire or caller text enters a
 *		message (src/redact.c).
 */
#ifndef ALPACA_REDACT_H
#define ALPACA_REDACT_H

/* How much of a wire or caller value an error quotes. */
#define ALPACA_QUOTE_MAX 200

extern char *alpaca_redact(const char *text);
extern char *alpaca_clip(const char *text, size_t len);
extern char *alpaca_quote(const char *text, size_t len);

#endif
