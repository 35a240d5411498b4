/*
 * crypto.c
 *		Crypto funding (wallets, transfers, whitelisted addresses, fees) and
 *		crypto perpetuals (account vitals, leverage, their own wallet).  All
 *		declared: money that leaves passes the gate like every change.
 */
#include "postgres.h"

#include "api.h"
#include "catalog.h"

ALPACA_DECLARED_SYMBOL(alpaca_crypto_wallets);
ALPACA_DECLARED_SYMBOL(alpaca_crypto_transfers);
ALPACA_DECLARED_SYMBOL(alpaca_crypto_transfer);
ALPACA_DECLARED_SYMBOL(alpaca_request_crypto_withdrawal);
ALPACA_DECLARED_SYMBOL(alpaca_whitelisted_addresses);
ALPACA_DECLARED_SYMBOL(alpaca_add_whitelisted_address);
ALPACA_DECLARED_SYMBOL(alpaca_delete_whitelisted_address);
ALPACA_DECLARED_SYMBOL(alpaca_crypto_fee_estimate);

static const char *const chains[] = {"SOL", "ETH", "BTC", "XRP", "ARB", NULL};
static const char *const networks[] = {"ethereum", "solana", NULL};

#define FEE_ARGS \
	{"asset", "text", ARG_QUERY, "NULL", "e.g. BTC"}, \
	{"from_address", "text", ARG_QUERY, "NULL", NULL}, \
	{"to_address", "text", ARG_QUERY, "NULL", NULL}, \
	{"amount", "numeric", ARG_QUERY, "NULL", "coins", .positive = true}

const AlpacaOperation alpaca_crypto_operations[] = {
	{"alpaca_crypto_wallets", ALPACA_READ, "GET", "/v2/wallets",
		"The account's crypto wallets (one, when an asset is named) and their deposit addresses.",
		(const AlpacaArg[]) {
			{"asset", "text", ARG_QUERY, "NULL", "e.g. BTC"},
			{"network", "text", ARG_QUERY, "NULL", NULL, networks},
			{NULL}},
		"SELECT asset_id, address FROM alpaca_crypto_wallets('USDC', 'ethereum');",
		"crypto wallet deposit address coins",
		.declared = true, .shape = ALPACA_OBJECT_OR_LIST},
	{"alpaca_crypto_transfers", ALPACA_READ, "GET", "/v2/wallets/transfers",
		"Crypto deposits and withdrawals.",
		NULL, "SELECT id, direction, amount, status FROM alpaca_crypto_transfers();",
		"crypto transfers deposits withdrawals",
		.declared = true, .shape = ALPACA_LIST},
	{"alpaca_crypto_transfer", ALPACA_READ, "GET", "/v2/wallets/transfers/{transfer_id}",
		"One crypto transfer by id.",
		(const AlpacaArg[]) {{"transfer_id", "uuid", ARG_PATH, NULL, NULL}, {NULL}},
		"SELECT status FROM alpaca_crypto_transfer('0f38c9ab-0c3d-4c1f-8b8f-52a4b2bd2f2c');",
		"crypto transfer status",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_request_crypto_withdrawal", ALPACA_TRANSFER, "POST", "/v2/wallets/transfers",
		"Withdraw coins to a whitelisted address.",
		(const AlpacaArg[]) {
			{"amount", "numeric", ARG_BODY, NULL, "coins", .positive = true},
			{"address", "text", ARG_BODY, NULL, "a whitelisted address", .nonempty = true},
			{"asset", "text", ARG_BODY, NULL, "e.g. BTC", .nonempty = true},
			{"chain", "text", ARG_BODY, "NULL", NULL, chains},
			{NULL}},
		"SELECT id, status FROM alpaca_request_crypto_withdrawal(0.01, 'bc1q...', 'BTC');",
		"withdraw crypto send coins transfer out",
		.declared = true, .shape = ALPACA_OBJECT, .what = "requesting a crypto withdrawal"},
	{"alpaca_whitelisted_addresses", ALPACA_READ, "GET", "/v2/wallets/whitelists",
		"The addresses crypto may be withdrawn to.",
		NULL, "SELECT address, asset, status FROM alpaca_whitelisted_addresses();",
		"whitelisted addresses withdrawal addresses",
		.declared = true, .shape = ALPACA_LIST},
	{"alpaca_add_whitelisted_address", ALPACA_TRANSFER, "POST", "/v2/wallets/whitelists",
		"Allow withdrawals of an asset to an address.",
		(const AlpacaArg[]) {
			{"address", "text", ARG_BODY, NULL, NULL, .nonempty = true},
			{"asset", "text", ARG_BODY, NULL, "e.g. BTC", .nonempty = true},
			{"chain", "text", ARG_BODY, "NULL", NULL, chains},
			{NULL}},
		"SELECT id, status FROM alpaca_add_whitelisted_address('bc1q...', 'BTC');",
		"whitelist an address allow withdrawals",
		.declared = true, .shape = ALPACA_OBJECT, .what = "whitelisting an address"},
	{"alpaca_delete_whitelisted_address", ALPACA_CHANGE, "DELETE", "/v2/wallets/whitelists/{whitelisted_address_id}",
		"Remove a whitelisted address.",
		(const AlpacaArg[]) {{"whitelisted_address_id", "text", ARG_PATH, NULL, NULL}, {NULL}},
		"SELECT alpaca_delete_whitelisted_address('0f38c9ab-0c3d-4c1f-8b8f-52a4b2bd2f2c');",
		"remove delete a whitelisted address",
		.declared = true, .what = "removing a whitelisted address"},
	{"alpaca_crypto_fee_estimate", ALPACA_READ, "GET", "/v2/wallets/fees/estimate",
		"What a crypto withdrawal would cost in fees.",
		(const AlpacaArg[]) {FEE_ARGS, {NULL}},
		"SELECT fee FROM alpaca_crypto_fee_estimate('BTC', amount => 0.01);",
		"crypto withdrawal fee estimate network fee",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_perp_account_vitals", ALPACA_READ, "GET", "/v2/perpetuals/account_vitals",
		"The crypto perpetuals account: equity, margin, leverage in use.",
		NULL, "SELECT * FROM alpaca_perp_account_vitals();",
		"perpetuals futures account margin vitals",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_perp_leverage", ALPACA_READ, "GET", "/v2/perpetuals/leverage",
		"The leverage set for a perpetual.",
		(const AlpacaArg[]) {{"symbol", "text", ARG_QUERY, "NULL", "e.g. BTC-PERP"}, {NULL}},
		"SELECT * FROM alpaca_perp_leverage('BTC-PERP');",
		"perpetual leverage",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_set_perp_leverage", ALPACA_CHANGE, "POST", "/v2/perpetuals/leverage",
		"Set a perpetual's leverage.",
		(const AlpacaArg[]) {
			{"symbol", "text", ARG_QUERY, NULL, "e.g. BTC-PERP"},
			{"leverage", "integer", ARG_QUERY, NULL, "times"},
			{NULL}},
		"SELECT * FROM alpaca_set_perp_leverage('BTC-PERP', 2);",
		"set change perpetual leverage",
		.declared = true, .shape = ALPACA_OBJECT, .what = "setting a perpetual's leverage"},
	{"alpaca_perp_wallets", ALPACA_READ, "GET", "/v2/perpetuals/wallets",
		"The perpetuals account's wallets.",
		NULL, "SELECT * FROM alpaca_perp_wallets();",
		"perpetuals wallet",
		.declared = true, .shape = ALPACA_OBJECT_OR_LIST},
	{"alpaca_perp_fee_estimate", ALPACA_READ, "GET", "/v2/perpetuals/wallets/fees/estimate",
		"What a perpetuals withdrawal would cost in fees.",
		(const AlpacaArg[]) {FEE_ARGS, {NULL}},
		"SELECT fee FROM alpaca_perp_fee_estimate('USDC', amount => 10);",
		"perpetuals withdrawal fee",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_perp_transfers", ALPACA_READ, "GET", "/v2/perpetuals/wallets/transfers",
		"The perpetuals account's transfers.",
		NULL, "SELECT * FROM alpaca_perp_transfers();",
		"perpetuals transfers",
		.declared = true, .shape = ALPACA_OBJECT_OR_LIST},
	{"alpaca_request_perp_transfer", ALPACA_TRANSFER, "POST", "/v2/perpetuals/wallets/transfers",
		"Withdraw from the perpetuals wallet to a whitelisted address.",
		(const AlpacaArg[]) {
			{"amount", "numeric", ARG_BODY, NULL, NULL},
			{"address", "text", ARG_BODY, NULL, NULL},
			{"asset", "text", ARG_BODY, NULL, NULL},
			{"chain", "text", ARG_BODY, "NULL", NULL},
			{NULL}},
		"SELECT * FROM alpaca_request_perp_transfer(10, '0x...', 'USDC');",
		"withdraw from perpetuals transfer out",
		.declared = true, .shape = ALPACA_OBJECT, .what = "requesting a perpetuals withdrawal"},
	{"alpaca_perp_transfer", ALPACA_READ, "GET", "/v2/perpetuals/wallets/transfers/{transfer_id}",
		"One perpetuals transfer by id.",
		(const AlpacaArg[]) {{"transfer_id", "uuid", ARG_PATH, NULL, NULL}, {NULL}},
		"SELECT * FROM alpaca_perp_transfer('0f38c9ab-0c3d-4c1f-8b8f-52a4b2bd2f2c');",
		"perpetuals transfer status",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_perp_whitelisted_addresses", ALPACA_READ, "GET", "/v2/perpetuals/wallets/whitelists",
		"The addresses the perpetuals wallet may withdraw to.",
		NULL, "SELECT * FROM alpaca_perp_whitelisted_addresses();",
		"perpetuals whitelisted addresses",
		.declared = true, .shape = ALPACA_OBJECT_OR_LIST},
	{"alpaca_add_perp_whitelisted_address", ALPACA_TRANSFER, "POST", "/v2/perpetuals/wallets/whitelists",
		"Allow the perpetuals wallet to withdraw to an address.",
		(const AlpacaArg[]) {
			{"address", "text", ARG_BODY, NULL, NULL},
			{"asset", "text", ARG_BODY, NULL, NULL},
			{NULL}},
		"SELECT * FROM alpaca_add_perp_whitelisted_address('0x...', 'USDC');",
		"whitelist a perpetuals address",
		.declared = true, .shape = ALPACA_OBJECT, .what = "whitelisting an address"},
	{"alpaca_delete_perp_whitelisted_address", ALPACA_CHANGE, "DELETE", "/v2/perpetuals/wallets/whitelists/{whitelisted_address_id}",
		"Remove a perpetuals whitelisted address.",
		(const AlpacaArg[]) {{"whitelisted_address_id", "text", ARG_PATH, NULL, NULL}, {NULL}},
		"SELECT * FROM alpaca_delete_perp_whitelisted_address('0f38c9ab-0c3d-4c1f-8b8f-52a4b2bd2f2c');",
		"remove a perpetuals whitelisted address",
		.declared = true, .shape = ALPACA_OBJECT, .what = "removing a whitelisted address"},
	ALPACA_END_OF_OPERATIONS
};
