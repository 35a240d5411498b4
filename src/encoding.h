/*
 * encoding.h
 *		UTF-8 on the wire, the database's encoding inside.
 */
#ifndef ALPACA_ENCODING_H
#define ALPACA_ENCODING_H

#include "http.h"

extern void alpaca_answer_text(AlpacaResponse *resp);
extern char *alpaca_to_utf8(const char *s);
extern char *alpaca_wire_text(const char *s, size_t len);

#endif
