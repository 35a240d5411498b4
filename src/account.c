/*
 * account.c
 *		The account, its configurations, and which account the keys are for.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "common/hashfn.h"
#include "utils/memutils.h"

#include "account.h"
#include "api.h"
#include "encoding.h"
#include "gate.h"
#include "guc.h"
#include "json.h"
#include "scalars.h"

PG_FUNCTION_INFO_V1(alpaca_account);
PG_FUNCTION_INFO_V1(alpaca_account_configurations);
PG_FUNCTION_INFO_V1(alpaca_update_account_configurations);

Datum
alpaca_account(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_start(&req, fcinfo, "GET", "/v2/account");
	return alpaca_send_object(fcinfo, &req);
}

Datum
alpaca_account_configurations(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;

	alpaca_request_start(&req, fcinfo, "GET", "/v2/account/configurations");
	return alpaca_send_object(fcinfo, &req);
}

/*
 * The account the keys are for: queued orders record it, and the outbox
 * worker sends a row to no other (a restore into a cluster with another
 * account's keys sends nothing).  Asked once per process for a given base
 * URL and keys; a hash of them tells when they change, so no second copy of
 * a key is kept.
 */
const char *
alpaca_account_id(void)
{
	static char *cached = NULL;
	static uint64 cached_for = 0;
	uint64		keys;
	AlpacaRequest req;
	AlpacaResponse resp;
	char	   *id;

	keys = hash_bytes_extended((const unsigned char *) alpaca_base_url, strlen(alpaca_base_url), 7);
	keys = hash_bytes_extended((const unsigned char *) alpaca_key_id, strlen(alpaca_key_id), keys);
	keys = hash_bytes_extended((const unsigned char *) alpaca_secret_key, strlen(alpaca_secret_key), keys);
	if (cached && cached_for == keys)
		return cached;
	alpaca_request_init(&req, "GET", "/v2/account");
	req.for_change = true;
	alpaca_send(&req, &resp);
	id = alpaca_jsonb_text(alpaca_jsonb_datum(resp.body, resp.body_len), "id", NULL, NULL);
	if (id == NULL || !alpaca_is_uuid(id))
		ereport(ERROR,
				(errcode(ERRCODE_PROTOCOL_VIOLATION),
				 errmsg("the Alpaca API answered GET /v2/account without an account id")));
	if (cached)
		pfree(cached);
	cached = MemoryContextStrdup(TopMemoryContext, id);
	cached_for = keys;
	return cached;
}

static const char *const dtbp_checks[] = {"both", "entry", "exit", NULL};
static const char *const confirm_emails[] = {"all", "none", NULL};

/*
 * Arguments: dtbp_check, trade_confirm_email, suspend_trade, no_shorting,
 * fractional_trading, max_margin_multiplier, pdt_check,
 * max_options_trading_level, ptp_no_exception_entry,
 * disable_overnight_trading.  NULL leaves a setting as it is.
 */
Datum
alpaca_update_account_configurations(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	char	   *mult;

	alpaca_check_trading("changing the account's configuration");
	alpaca_request_start(&req, fcinfo, "PATCH", "/v2/account/configurations");
	alpaca_body_string(&req, "dtbp_check", alpaca_arg_enum(fcinfo, 0, "dtbp_check", dtbp_checks));
	alpaca_body_string(&req, "trade_confirm_email",
					   alpaca_arg_enum(fcinfo, 1, "trade_confirm_email", confirm_emails));
	alpaca_body_raw(&req, "suspend_trade", alpaca_arg_bool(fcinfo, 2));
	alpaca_body_raw(&req, "no_shorting", alpaca_arg_bool(fcinfo, 3));
	alpaca_body_raw(&req, "fractional_trading", alpaca_arg_bool(fcinfo, 4));
	mult = alpaca_arg_int(fcinfo, 5, "max_margin_multiplier", 1, 4);
	alpaca_require(mult == NULL || strcmp(mult, "3") != 0,
				   "max_margin_multiplier must be 1, 2 or 4", NULL);
	alpaca_body_string(&req, "max_margin_multiplier", mult);
	alpaca_body_string(&req, "pdt_check", alpaca_arg_enum(fcinfo, 6, "pdt_check", dtbp_checks));
	alpaca_body_raw(&req, "max_options_trading_level",
					alpaca_arg_int(fcinfo, 7, "max_options_trading_level", 0, 3));
	alpaca_body_raw(&req, "ptp_no_exception_entry", alpaca_arg_bool(fcinfo, 8));
	alpaca_body_raw(&req, "disable_overnight_trading", alpaca_arg_bool(fcinfo, 9));
	alpaca_require(req.body.len > 0, "no configuration to change",
				   "Name at least one setting, e.g. alpaca_update_account_configurations(no_shorting => true).");
	alpaca_body_finish(&req);
	return alpaca_send_object(fcinfo, &req);
}
