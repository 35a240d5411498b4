/*
 * errors.h
 *		Turning Alpaca's answers and transport failures into PostgreSQL errors,
 *		and the one point every quoted piece of wire or caller text passes.
 */
#ifndef ALPACA_ERRORS_H
#define ALPACA_ERRORS_H

#include "http.h"

/* How much of a wire or caller value an error quotes. */
#define ALPACA_QUOTE_MAX 200

extern char *alpaca_redact(const char *text);
extern char *alpaca_quote(const char *text, size_t len);
extern char *alpaca_clip(const char *text, size_t len);

extern void alpaca_raise_http_error(const char *method, const char *path,
									AlpacaResponse *resp) pg_attribute_noreturn();
extern void alpaca_raise_transport_error(const char *method, const char *path,
										 AlpacaTransportError err,
										 const char *msg) pg_attribute_noreturn();

#endif
