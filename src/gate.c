/*
 * gate.c
 *		What every call that changes the account passes first.
 *
 * Nothing changes the account from a read-only transaction or a standby:
 * a Postgres MCP server's "read-only" tool wraps each query in BEGIN READ
 * ONLY, and an agent told it can only read must not be able to trade
 * through it; a hot standby must not send what its primary may send too.
 * So every state-changing call, typed, declared or raw, is refused with
 * 25006 before anything is looked up or sent (alpaca_try_send() checks every
 * request that changes the account again, as the last word).  The way out is
 * in the message itself, not a hint: such a server hands the agent only the
 * primary message (scripts/mcp).  Then the kill
 * switch: alpaca.trading_enabled = off stops every such call, reads go on.
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "gate.h"
#include "guc.h"

void
alpaca_check_writable(const char *what)
{
	if (RecoveryInProgress())
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("%s is refused: this server is a standby, and calls that change the account are made on the primary", what),
				 errhint("Reads work here; the mirror's tables (alpaca_mirror_orders, alpaca_mirror_positions, alpaca_mirror_activities) are replicated and show live state.")));
	if (XactReadOnly)
		ereport(ERROR,
				(errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
				 errmsg("%s is refused in a read-only transaction: calls that change the account need a transaction that may write; "
						"alpaca_preview_order() shows what an order would do without sending it, alpaca_queue_order() proposes one from a connection that is not read-only", what)));
}

void
alpaca_refuse(const char *setting, const char *detail)
{
	const char *role = GetUserNameFromId(GetUserId(), false);

	ereport(ERROR,
			(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
			 errmsg("refused by %s: %s", setting, detail),
			 errdetail("The limit is set for role %s; the role cannot lift it.", quote_identifier(role)),
			 errhint("Only a superuser can change it, for example: ALTER ROLE %s SET %s = ...;",
					 quote_identifier(role), setting)));
}

void
alpaca_check_trading(const char *what)
{
	alpaca_check_writable(what);
	if (!alpaca_trading_enabled)
		alpaca_refuse("alpaca.trading_enabled", psprintf("trading is switched off; %s changes the account", what));
}
