/*
 * locates.c
 *		Short-sale locates: shares found to borrow before selling short, for
 *		a fee.  Declared.
 */
#include "postgres.h"

#include "api.h"
#include "catalog.h"

const AlpacaOperation alpaca_locates_operations[] = {
	{"alpaca_locates", ALPACA_READ, "GET", "/v1/locates",
		"Short-sale locates, every page.",
		(const AlpacaArg[]) {
			{"status", "text", ARG_QUERY, "NULL", NULL},
			{"symbol", "text", ARG_QUERY, "NULL", NULL},
			{"start", "date", ARG_QUERY, "NULL", NULL},
			{"end", "date", ARG_QUERY, "NULL", NULL},
			{NULL}},
		"SELECT symbol, located_qty, status FROM alpaca_locates();",
		"locates short sale borrow",
		.declared = true, .shape = ALPACA_FIELD_LIST, .list_field = "locates",
		.paging = PAGES_TOKEN, .token_field = "next_page_token", .listing = "locates"},
	{"alpaca_create_locate", ALPACA_CHANGE, "POST", "/v1/locates",
		"Ask Alpaca to locate shares to borrow for a short sale (a fee if it does).",
		(const AlpacaArg[]) {
			{"symbol", "text", ARG_BODY, NULL, NULL},
			{"qty", "numeric", ARG_BODY, NULL, "shares", .number = true},
			{"limit_price", "numeric", ARG_BODY, "NULL", "the most to pay per share"},
			{"all_or_none", "boolean", ARG_BODY, "NULL", NULL},
			{NULL}},
		"SELECT id, status, located_qty FROM alpaca_create_locate('KKR', 100);",
		"locate shares to short borrow before shorting",
		.declared = true, .shape = ALPACA_OBJECT, .what = "locating shares"},
	{"alpaca_locate_quotes", ALPACA_READ, "GET", "/v1/locates/quotes",
		"What locating shares would cost, per symbol (symbols Alpaca cannot quote are left out).",
		(const AlpacaArg[]) {{"symbols", "text[]", ARG_QUERY, NULL, NULL}, {NULL}},
		"SELECT * FROM alpaca_locate_quotes(ARRAY['KKR']);",
		"locate quotes borrow cost short fee",
		.declared = true, .shape = ALPACA_FIELD_LIST, .list_field = "quotes"},
	{"alpaca_locate", ALPACA_READ, "GET", "/v1/locates/{locate_id}",
		"One locate by id.",
		(const AlpacaArg[]) {{"locate_id", "uuid", ARG_PATH, NULL, NULL}, {NULL}},
		"SELECT status FROM alpaca_locate('0f38c9ab-0c3d-4c1f-8b8f-52a4b2bd2f2c');",
		"locate status",
		.declared = true, .shape = ALPACA_OBJECT},
	ALPACA_END_OF_OPERATIONS
};
