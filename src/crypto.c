/*
 * crypto.c
 *		Crypto funding: wallets, transfers, whitelisted addresses, fees.
 */
#include "postgres.h"

#include "utils/builtins.h"

#include "api.h"
#include "risk.h"

PG_FUNCTION_INFO_V1(alpaca_crypto_wallets);
PG_FUNCTION_INFO_V1(alpaca_crypto_transfers);
PG_FUNCTION_INFO_V1(alpaca_crypto_transfer);
PG_FUNCTION_INFO_V1(alpaca_request_crypto_withdrawal);
PG_FUNCTION_INFO_V1(alpaca_whitelisted_addresses);
PG_FUNCTION_INFO_V1(alpaca_add_whitelisted_address);
PG_FUNCTION_INFO_V1(alpaca_delete_whitelisted_address);
PG_FUNCTION_INFO_V1(alpaca_crypto_fee_estimate);

static const char *const chains[] = {"SOL", "ETH", "BTC", "XRP", "ARB", NULL};
static const char *const networks[] = {"ethereum", "solana", NULL};

/* Alpaca answers one wallet object when an asset is named, else a list */
static const AlpacaRowSpec wallets = {ALPACA_OBJECT_OR_LIST};
static const AlpacaRowSpec list = {ALPACA_LIST};

/* alpaca_crypto_wallets(asset, network): Alpaca answers one object when an asset is named */
Datum
alpaca_crypto_wallets(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_start(&req, fcinfo, "GET", "/v2/wallets");
	alpaca_query(&req, "asset", alpaca_arg_text(fcinfo, 0));
	alpaca_query(&req, "network", alpaca_arg_enum(fcinfo, 1, "network", networks));
	return alpaca_send_rows(fcinfo, &req, &wallets);
}

Datum
alpaca_crypto_transfers(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_start(&req, fcinfo, "GET", "/v2/wallets/transfers");
	return alpaca_send_rows(fcinfo, &req, &list);
}

Datum
alpaca_crypto_transfer(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_start(&req, fcinfo, "GET", "/v2/wallets/transfers");
	alpaca_path_segment(&req, "transfer_id", alpaca_arg_uuid(fcinfo, 0));
	return alpaca_send_object(fcinfo, &req);
}

/* alpaca_request_crypto_withdrawal(amount, address, asset, chain) */
Datum
alpaca_request_crypto_withdrawal(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	char	   *amount = alpaca_arg_numeric(fcinfo, 0, "amount", true);

	alpaca_require(amount != NULL, "amount is required", NULL);
	alpaca_check_trading("requesting a crypto withdrawal");
	alpaca_request_start(&req, fcinfo, "POST", "/v2/wallets/transfers");
	alpaca_body_number(&req, "amount", amount);
	alpaca_body_string(&req, "address", alpaca_arg_required(fcinfo, 1, "address"));
	alpaca_body_string(&req, "asset", alpaca_arg_required(fcinfo, 2, "asset"));
	alpaca_body_string(&req, "chain", alpaca_arg_enum(fcinfo, 3, "chain", chains));
	alpaca_body_finish(&req);
	return alpaca_send_object(fcinfo, &req);
}

Datum
alpaca_whitelisted_addresses(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_start(&req, fcinfo, "GET", "/v2/wallets/whitelists");
	return alpaca_send_rows(fcinfo, &req, &list);
}

/* alpaca_add_whitelisted_address(address, asset, chain) */
Datum
alpaca_add_whitelisted_address(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_check_trading("whitelisting an address");
	alpaca_request_start(&req, fcinfo, "POST", "/v2/wallets/whitelists");
	alpaca_body_string(&req, "address", alpaca_arg_required(fcinfo, 0, "address"));
	alpaca_body_string(&req, "asset", alpaca_arg_required(fcinfo, 1, "asset"));
	alpaca_body_string(&req, "chain", alpaca_arg_enum(fcinfo, 2, "chain", chains));
	alpaca_body_finish(&req);
	return alpaca_send_object(fcinfo, &req);
}

Datum
alpaca_delete_whitelisted_address(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_check_trading("removing a whitelisted address");
	alpaca_request_start(&req, fcinfo, "DELETE", "/v2/wallets/whitelists");
	alpaca_path_segment(&req, "whitelisted_address_id", alpaca_arg_text(fcinfo, 0));
	alpaca_send_void(&req);
	PG_RETURN_VOID();
}

/* alpaca_crypto_fee_estimate(asset, from_address, to_address, amount) */
Datum
alpaca_crypto_fee_estimate(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_start(&req, fcinfo, "GET", "/v2/wallets/fees/estimate");
	alpaca_query(&req, "asset", alpaca_arg_text(fcinfo, 0));
	alpaca_query(&req, "from_address", alpaca_arg_text(fcinfo, 1));
	alpaca_query(&req, "to_address", alpaca_arg_text(fcinfo, 2));
	alpaca_query(&req, "amount", alpaca_arg_numeric(fcinfo, 3, "amount", true));
	return alpaca_send_object(fcinfo, &req);
}
