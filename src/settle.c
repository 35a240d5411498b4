/*
 * settle.c
 *		Audit records a stop left unclear, settled by asking Alpaca.
 *
 * An intent is written before its request leaves; its answer completes it.
 * When no answer came (the server crashed, the backend was killed, a call
 * was cancelled after the request left), the record says "pending" or "may
 * have been sent".  The outbox worker (which may wait on Alpaca; the audit
 * worker never does) runs this at start and every half minute: a record
 * whose backend is gone (or that has waited an hour) is settled, an order
 * by its client_order_id ("resolved: placed" or "resolved: absent"), any
 * other call as "unknown".  A lookup without a clear answer is tried again
 * next time.  A queued order's record is looked up only in the account it
 * was queued for (alpaca_order_outbox.account_id): restored into a server
 * whose keys are another account's, where the order is absent whether or
 * not it was placed, it is "unknown", saying so; so is any record made with
 * other keys than the server's (alpaca_audit.keys), when no account tells.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "account.h"
#include "extension.h"
#include "guc.h"
#include "json.h"
#include "orders.h"
#include "settle.h"
#include "worker.h"

#define SETTLE_BATCH 100

typedef struct Unsettled
{
	char	   *id;
	char	   *cid;
	char	   *account;		/* a queued order's: the account it was queued for */
	char	   *keys;			/* the keys it was made with (alpaca_keys_id()) */
} Unsettled;

static char *
audit_table(void)
{
	AlpacaExtension ext;

	alpaca_extension_find(&ext, false);
	return alpaca_extension_object(&ext, "alpaca_audit");
}

static char *
outbox_table(void)
{
	AlpacaExtension ext;

	alpaca_extension_find(&ext, false);
	return alpaca_extension_object(&ext, "alpaca_order_outbox");
}

/*
 * One record, now that Alpaca has answered (or, without an order id to ask
 * by, or queued for another account than here's, as unknown).
 */
static void
settle_one(Unsettled *u, const char *here)
{
	const char *outcome = "unknown";
	char	   *order_id = NULL;
	const char *why = "the call ended before its answer came; settled later";

	if (u->account && here && pg_strcasecmp(u->account, here) != 0)
		why = psprintf("the order was queued for Alpaca account %s, and this server's keys are for account %s: "
					   "not looked up", u->account, here);
	else if (u->account == NULL && u->keys && strcmp(u->keys, alpaca_keys_id()) != 0)
		why = "the call was made with other API keys than this server's (another account's, or keys rotated since): not looked up";
	else if (u->cid)
	{
		AlpacaResponse *found = alpaca_find_order(u->cid, "the call ended without an answer");

		outcome = found ? "resolved: placed" : "resolved: absent";
		if (found)
			order_id = alpaca_order_id_of(found->body, found->body_len);
	}
	if (SPI_execute_with_args(psprintf("UPDATE %s SET outcome = $1, order_id = $2::pg_catalog.uuid, "
									   "completed_at = pg_catalog.now(), error = pg_catalog.concat_ws('; ', error, $4) "
									   "WHERE id = $3::pg_catalog.int8 AND outcome IN ('pending', 'may have been sent')",
									   audit_table()),
							  4, (Oid[]) {TEXTOID, TEXTOID, TEXTOID, TEXTOID},
							  (Datum[]) {CStringGetTextDatum(outcome),
								  order_id ? CStringGetTextDatum(order_id) : (Datum) 0,
							  CStringGetTextDatum(u->id), CStringGetTextDatum(why)},
							  order_id ? "    " : " n  ", false, 0) != SPI_OK_UPDATE)
		elog(ERROR, "could not settle audit record %s", u->id);
}

static void
try_settle(Unsettled *u, const char *here, MemoryContext cxt)
{
	PG_TRY();
	{
		alpaca_worker_begin("settling an audit record");
		settle_one(u, here);
		alpaca_worker_commit();
	}
	PG_CATCH();
	{
		/* no clear answer now: next time */
		(void) alpaca_worker_abort(cxt);
	}
	PG_END_TRY();
}

void
alpaca_settle_audit(MemoryContext cxt)
{
	Unsettled  *volatile list = NULL;
	volatile uint64 n = 0;
	const char *volatile here = NULL;

	PG_TRY();
	{
		alpaca_worker_begin("finding unsettled audit records");
		if (SPI_execute(psprintf("SELECT a.id, a.client_order_id, "
								 "(SELECT o.account_id::pg_catalog.text FROM %s o WHERE o.client_order_id = a.client_order_id "
								 "AND a.function = 'alpaca_queue_order'), a.keys "
								 "FROM %s a "
								 "WHERE (a.outcome = 'pending' AND (a.at < pg_catalog.now() - interval '1 hour' OR NOT EXISTS "
								 "(SELECT 1 FROM pg_catalog.pg_stat_activity s WHERE s.pid = a.pid AND s.backend_start = a.session_start))) "
								 "OR (a.outcome = 'may have been sent' AND a.client_order_id IS NOT NULL) "
								 "ORDER BY a.id LIMIT %d", outbox_table(), audit_table(), SETTLE_BATCH), true, 0) != SPI_OK_SELECT)
			elog(ERROR, "could not read the audit trail");
		n = SPI_processed;
		list = MemoryContextAlloc(cxt, sizeof(Unsettled) * (n + 1));
		for (uint64 i = 0; i < n; i++)
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);

			list[i].id = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1);
			list[i].cid = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 2);
			list[i].account = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 3);
			list[i].keys = SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 4);
			MemoryContextSwitchTo(old);
		}
		/* the account these keys are for, when a queued order's record may be another's */
		for (uint64 i = 0; i < n && here == NULL; i++)
			if (list[i].account)
				here = MemoryContextStrdup(cxt, alpaca_account_id());
		alpaca_worker_commit();
	}
	PG_CATCH();
	{
		(void) alpaca_worker_abort(cxt);
		return;
	}
	PG_END_TRY();

	for (uint64 i = 0; i < n; i++)
		try_settle(&list[i], here, cxt);
	if (n > 0)
		ereport(LOG, (errmsg("alpaca outbox: looked at %llu audit records left unsettled", (unsigned long long) n)));
}
