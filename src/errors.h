/*
 * errors.h
 *		Turning Alpaca's answers and transport failures into PostgreSQL errors.
 */
#ifndef ALPACA_ERRORS_H
#define ALPACA_ERRORS_H

#include "http.h"
#include "redact.h"

extern void alpaca_raise_http_error(const char *method, const char *path,
									AlpacaResponse *resp) pg_attribute_noreturn();
extern void alpaca_raise_transport_error(const char *method, const char *path,
										 AlpacaTransportError err,
										 const char *msg) pg_attribute_noreturn();

#endif
