/*
 * watchlists.c
 *		Watchlists, by id and by name.  All declared.
 *
 * A watchlist row carries its assets as jsonb; alpaca_watchlist_assets()
 * gives them as alpaca_asset rows, so they join alpaca_assets() and
 * alpaca_positions() by symbol.
 */
#include "postgres.h"

#include "api.h"
#include "catalog.h"

ALPACA_DECLARED_SYMBOL(alpaca_watchlists);
ALPACA_DECLARED_SYMBOL(alpaca_watchlist);
ALPACA_DECLARED_SYMBOL(alpaca_watchlist_by_name);
ALPACA_DECLARED_SYMBOL(alpaca_watchlist_assets);
ALPACA_DECLARED_SYMBOL(alpaca_watchlist_assets_by_name);
ALPACA_DECLARED_SYMBOL(alpaca_create_watchlist);
ALPACA_DECLARED_SYMBOL(alpaca_update_watchlist);
ALPACA_DECLARED_SYMBOL(alpaca_update_watchlist_by_name);
ALPACA_DECLARED_SYMBOL(alpaca_add_to_watchlist);
ALPACA_DECLARED_SYMBOL(alpaca_add_to_watchlist_by_name);
ALPACA_DECLARED_SYMBOL(alpaca_remove_from_watchlist);
ALPACA_DECLARED_SYMBOL(alpaca_delete_watchlist);
ALPACA_DECLARED_SYMBOL(alpaca_delete_watchlist_by_name);

#define MAX_WATCHLIST_NAME 64

/* the arguments watchlists share */
#define BY_ID {"watchlist_id", "uuid", ARG_PATH, NULL, "the watchlist's id"}
#define BY_NAME {"name", "text", ARG_QUERY, NULL, "the watchlist's name", .nonempty = true}
#define NEW_NAME(n, where, def) {n, "text", where, def, "its name, at most 64 characters", .nonempty = true, .maxlen = MAX_WATCHLIST_NAME, .wire = "name"}
#define SYMBOLS {"symbols", "text[]", ARG_BODY, "NULL", "its symbols, replacing any it had (none if NULL)", .array = true}
#define SYMBOL(where) {"symbol", "text", where, NULL, "a symbol", .nonempty = true}

const AlpacaOperation alpaca_watchlists_operations[] = {
	{"alpaca_watchlists", ALPACA_READ, "GET", "/v2/watchlists",
		"Every watchlist (without its assets).",
		NULL, "SELECT id, name FROM alpaca_watchlists();",
		"watchlists lists of symbols favourites",
		.declared = true, .shape = ALPACA_LIST},
	{"alpaca_watchlist", ALPACA_READ, "GET", "/v2/watchlists/{watchlist_id}",
		"One watchlist by id, its assets as jsonb.",
		(const AlpacaArg[]) {BY_ID, {NULL}},
		"SELECT name, assets FROM alpaca_watchlist('c9f32bb8-bd04-4ae9-a06d-3a1b2aa44fda');",
		"watchlist by id",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_watchlist_by_name", ALPACA_READ, "GET", "/v2/watchlists:by_name",
		"One watchlist by name, its assets as jsonb.",
		(const AlpacaArg[]) {BY_NAME, {NULL}},
		"SELECT id, assets FROM alpaca_watchlist_by_name('tech');",
		"watchlist by its name",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_watchlist_assets", ALPACA_READ, "GET", "/v2/watchlists/{watchlist_id}",
		"A watchlist's assets as alpaca_asset rows (they join alpaca_assets() and alpaca_positions() by symbol).",
		(const AlpacaArg[]) {BY_ID, {NULL}},
		"SELECT symbol FROM alpaca_watchlist_assets('c9f32bb8-bd04-4ae9-a06d-3a1b2aa44fda');",
		"symbols in a watchlist assets of",
		.declared = true, .shape = ALPACA_FIELD_LIST, .list_field = "assets"},
	{"alpaca_watchlist_assets_by_name", ALPACA_READ, "GET", "/v2/watchlists:by_name",
		"A watchlist's assets by its name, as alpaca_asset rows.",
		(const AlpacaArg[]) {BY_NAME, {NULL}},
		"SELECT symbol FROM alpaca_watchlist_assets_by_name('tech');",
		"symbols in a watchlist by its name",
		.declared = true, .shape = ALPACA_FIELD_LIST, .list_field = "assets"},
	{"alpaca_create_watchlist", ALPACA_CHANGE, "POST", "/v2/watchlists",
		"Create a watchlist with a name and symbols; returns it.",
		(const AlpacaArg[]) {NEW_NAME("name", ARG_BODY, NULL), SYMBOLS, {NULL}},
		"SELECT id FROM alpaca_create_watchlist('tech', ARRAY['AAPL', 'MSFT']);",
		"create a new watchlist make a list of symbols",
		.declared = true, .shape = ALPACA_OBJECT, .what = "creating a watchlist"},
	{"alpaca_update_watchlist", ALPACA_CHANGE, "PUT", "/v2/watchlists/{watchlist_id}",
		"Rename a watchlist and replace its symbols; returns it.",
		(const AlpacaArg[]) {BY_ID, NEW_NAME("name", ARG_BODY, NULL), SYMBOLS, {NULL}},
		"SELECT name FROM alpaca_update_watchlist('c9f32bb8-bd04-4ae9-a06d-3a1b2aa44fda', 'tech', ARRAY['AAPL']);",
		"rename update replace a watchlist's symbols",
		.declared = true, .shape = ALPACA_OBJECT, .what = "changing a watchlist"},
	{"alpaca_update_watchlist_by_name", ALPACA_CHANGE, "PUT", "/v2/watchlists:by_name",
		"Rename a watchlist found by name (new_name NULL keeps it) and replace its symbols; returns it.",
		(const AlpacaArg[]) {BY_NAME, {"new_name", "text", ARG_BODY, "NULL", "its new name, at most 64 characters; NULL keeps it",
			.nonempty = true, .maxlen = MAX_WATCHLIST_NAME, .wire = "name", .or_else = "name"}, SYMBOLS, {NULL}},
		"SELECT name FROM alpaca_update_watchlist_by_name('tech', symbols => ARRAY['AAPL', 'NVDA']);",
		"rename update replace a watchlist's symbols by its name",
		.declared = true, .shape = ALPACA_OBJECT, .what = "changing a watchlist"},
	{"alpaca_add_to_watchlist", ALPACA_CHANGE, "POST", "/v2/watchlists/{watchlist_id}",
		"Add a symbol to a watchlist; returns it.",
		(const AlpacaArg[]) {BY_ID, SYMBOL(ARG_BODY), {NULL}},
		"SELECT assets FROM alpaca_add_to_watchlist('c9f32bb8-bd04-4ae9-a06d-3a1b2aa44fda', 'NVDA');",
		"add put a symbol ticker stock on into a watchlist by id append include",
		.declared = true, .shape = ALPACA_OBJECT, .what = "changing a watchlist"},
	{"alpaca_add_to_watchlist_by_name", ALPACA_CHANGE, "POST", "/v2/watchlists:by_name",
		"Add a symbol to a watchlist found by its name; returns it.",
		(const AlpacaArg[]) {BY_NAME, SYMBOL(ARG_BODY), {NULL}},
		"SELECT assets FROM alpaca_add_to_watchlist_by_name('tech', 'NVDA');",
		"add put a symbol ticker stock on into a watchlist list called named by its name append include",
		.declared = true, .shape = ALPACA_OBJECT, .what = "changing a watchlist"},
	{"alpaca_remove_from_watchlist", ALPACA_CHANGE, "DELETE", "/v2/watchlists/{watchlist_id}/{symbol}",
		"Remove a symbol from a watchlist; returns it.",
		(const AlpacaArg[]) {BY_ID, SYMBOL(ARG_SYMBOL), {NULL}},
		"SELECT assets FROM alpaca_remove_from_watchlist('c9f32bb8-bd04-4ae9-a06d-3a1b2aa44fda', 'NVDA');",
		"remove a symbol from a watchlist drop stock",
		.declared = true, .shape = ALPACA_OBJECT, .what = "changing a watchlist"},
	{"alpaca_delete_watchlist", ALPACA_CHANGE, "DELETE", "/v2/watchlists/{watchlist_id}",
		"Delete a watchlist.",
		(const AlpacaArg[]) {BY_ID, {NULL}},
		"SELECT alpaca_delete_watchlist('c9f32bb8-bd04-4ae9-a06d-3a1b2aa44fda');",
		"delete remove a watchlist",
		.declared = true, .what = "deleting a watchlist"},
	{"alpaca_delete_watchlist_by_name", ALPACA_CHANGE, "DELETE", "/v2/watchlists:by_name",
		"Delete a watchlist by its name.",
		(const AlpacaArg[]) {BY_NAME, {NULL}},
		"SELECT alpaca_delete_watchlist_by_name('tech');",
		"delete remove a watchlist by its name",
		.declared = true, .what = "deleting a watchlist"},
	ALPACA_END_OF_OPERATIONS
};
