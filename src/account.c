/*
 * account.c
 *		The account, its configurations, and which account the keys are for.
 *
 * All three endpoints are declared: the configurations' one rule beyond
 * their types (no 3x margin, something to change) is a check.
 */
#include "postgres.h"

#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "common/hashfn.h"
#include "utils/memutils.h"

#include "account.h"
#include "api.h"
#include "catalog.h"
#include "encoding.h"
#include "gate.h"
#include "guc.h"
#include "json.h"
#include "scalars.h"

ALPACA_DECLARED_SYMBOL(alpaca_account);
ALPACA_DECLARED_SYMBOL(alpaca_account_configurations);
ALPACA_DECLARED_SYMBOL(alpaca_update_account_configurations);

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

static void
check_configurations(FunctionCallInfo fcinfo, const AlpacaOperation *op)
{
	char	   *mult = alpaca_declared_arg(fcinfo, "max_margin_multiplier");
	bool		any = false;

	alpaca_require(mult == NULL || strcmp(mult, "3") != 0,
				   "max_margin_multiplier must be 1, 2 or 4", NULL);
	for (int i = 0; i < PG_NARGS(); i++)
		any |= !PG_ARGISNULL(i);
	alpaca_require(any, "no configuration to change",
				   "Name at least one setting, e.g. alpaca_update_account_configurations(no_shorting => true).");
}

const AlpacaOperation alpaca_account_operations[] = {
	{"alpaca_account", ALPACA_READ, "GET", "/v2/account",
		"The trading account: its status, cash, buying power, equity and margin, one row.",
		NULL, "SELECT status, cash, buying_power, equity FROM alpaca_account();",
		"account balance cash buying power equity margin how much money portfolio value net worth",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_account_configurations", ALPACA_READ, "GET", "/v2/account/configurations",
		"The account's configurations: day-trade and PDT checks, shorting, fractional trading, margin, options level.",
		NULL, "SELECT * FROM alpaca_account_configurations();",
		"account settings configuration shorting margin options level pdt",
		.declared = true, .shape = ALPACA_OBJECT},
	{"alpaca_update_account_configurations", ALPACA_CHANGE, "PATCH", "/v2/account/configurations",
		"Change the account configurations given (NULL leaves one as it is); returns them all.",
		(const AlpacaArg[]) {
			{"dtbp_check", "text", ARG_BODY, "NULL", "day-trading buying power check", dtbp_checks},
			{"trade_confirm_email", "text", ARG_BODY, "NULL", "trade confirmation emails", confirm_emails},
			{"suspend_trade", "boolean", ARG_BODY, "NULL", "stop all trading on the account"},
			{"no_shorting", "boolean", ARG_BODY, "NULL", "refuse orders that open short positions"},
			{"fractional_trading", "boolean", ARG_BODY, "NULL", "allow fractional quantities"},
			{"max_margin_multiplier", "integer", ARG_BODY, "NULL", "1 (no margin), 2 or 4", .min = 1, .max = 4},
			{"pdt_check", "text", ARG_BODY, "NULL", "pattern day trader check", dtbp_checks},
			{"max_options_trading_level", "integer", ARG_BODY, "NULL", "0 to 3", .min = 0, .max = 3, .number = true},
			{"ptp_no_exception_entry", "boolean", ARG_BODY, "NULL", "publicly traded partnerships without exception"},
			{"disable_overnight_trading", "boolean", ARG_BODY, "NULL", "no overnight sessions"},
			{NULL}},
		"SELECT no_shorting FROM alpaca_update_account_configurations(no_shorting => true);",
		"change account settings disable shorting enable fractional margin multiplier suspend trading",
		.declared = true, .shape = ALPACA_OBJECT, .what = "changing the account's configuration",
		.check = check_configurations},
	ALPACA_END_OF_OPERATIONS
};
