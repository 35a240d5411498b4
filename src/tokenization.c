/*
 * tokenization.c
 *		Tokenized shares: minting tokens of a stock to a wallet, and the
 *		requests so far.  Declared.
 */
#include "postgres.h"

#include "api.h"
#include "catalog.h"

const AlpacaOperation alpaca_tokenization_operations[] = {
	{"alpaca_tokenization_mint", ALPACA_TRANSFER, "POST", "/v2/tokenization/mint",
		"Mint tokens of shares you hold to a wallet.",
		(const AlpacaArg[]) {
			{"underlying_symbol", "text", ARG_BODY, NULL, NULL},
			{"qty", "numeric", ARG_BODY, NULL, NULL},
			{"issuer", "text", ARG_BODY, NULL, NULL},
			{"network", "text", ARG_BODY, NULL, NULL},
			{"wallet_address", "text", ARG_BODY, NULL, NULL},
			{NULL}},
		"SELECT * FROM alpaca_tokenization_mint('AAPL', 1, 'xstocks', 'solana', 'So1...');",
		"tokenize mint tokens shares to a wallet",
		.declared = true, .shape = ALPACA_OBJECT, .what = "minting tokens"},
	{"alpaca_tokenization_requests", ALPACA_READ, "GET", "/v2/tokenization/requests",
		"Tokenization requests (mints and redemptions).",
		(const AlpacaArg[]) {
			{"type", "text", ARG_QUERY, "NULL", NULL},
			{"status", "text", ARG_QUERY, "NULL", NULL},
			{"underlying_symbol", "text", ARG_QUERY, "NULL", NULL},
			{"issuer", "text", ARG_QUERY, "NULL", NULL},
			{"network", "text", ARG_QUERY, "NULL", NULL},
			{"after", "timestamptz", ARG_QUERY, "NULL", NULL},
			{"before", "timestamptz", ARG_QUERY, "NULL", NULL},
			{NULL}},
		"SELECT * FROM alpaca_tokenization_requests();",
		"tokenization requests mints",
		.declared = true, .shape = ALPACA_LIST},
	ALPACA_END_OF_OPERATIONS
};
