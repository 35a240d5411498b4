/*
 * audit_worker.c
 *		The audit trail, the worker's half: the "alpaca audit" worker writes
 *		what backends hand it in alpaca_audit, in transactions of its own.
 *
 * Whatever is waiting goes into one transaction, so concurrent callers
 * share a synchronous commit.  Intents are answered to their backends at
 * once, written or failed (a backend sends nothing it could not record).
 * Completions are kept until written: a write that fails (a read-only phase
 * during failover, the extension being upgraded) is tried again, with
 * backoff, not dropped.  An intent written after its backend gave up
 * waiting is completed as "not sent".  The worker never talks to Alpaca:
 * pending records are settled by the outbox worker (src/settle.c), so a
 * slow answer cannot hold up anyone's audit record.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "storage/lwlock.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "audit_slots.h"
#include "extension.h"
#include "guc.h"
#include "worker.h"

/* The work of one slot, in the worker's open transaction. */
static void
write_slot(const char *table, SlotState kind, int64 *id, const char *data)
{
	Oid			types[2] = {JSONBOID, INT8OID};
	Datum		values[2];
	char	   *sql;
	int			rc;
	bool		isnull;

	values[0] = DirectFunctionCall1(jsonb_in, CStringGetDatum(data));
	values[1] = Int64GetDatum(*id);
	if (kind == SLOT_INTENT)
		sql = psprintf("INSERT INTO %s (database, pid, session_start, role, session_role, function, method, path, body, "
					   "client_order_id, symbol, side, qty, notional, keys) "
					   "SELECT r.database, r.pid, r.session_start, r.role, r.session_role, r.function, r.method, r.path, r.body, "
					   "r.client_order_id, r.symbol, r.side, r.qty, r.notional, r.keys "
					   "FROM pg_catalog.jsonb_populate_record(NULL::%s, $1) r RETURNING id", table, table);
	else
		sql = psprintf("UPDATE %s a SET outcome = r.outcome, status = r.status, order_id = r.order_id, error = r.error, "
					   "duration_ms = r.duration_ms, completed_at = pg_catalog.now() "
					   "FROM pg_catalog.jsonb_populate_record(NULL::%s, $1) r WHERE a.id = $2 RETURNING a.id",
					   table, table);
	rc = SPI_execute_with_args(sql, kind == SLOT_INTENT ? 1 : 2, types, values, NULL, false, 1);
	if (rc != SPI_OK_INSERT_RETURNING && rc != SPI_OK_UPDATE_RETURNING)
		elog(ERROR, "alpaca audit: could not write record %lld", (long long) *id);
	/* a completion of a record that is gone (the extension was dropped) has nothing to complete */
	if (SPI_processed == 1)
		*id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/*
 * Write every waiting slot of one kind in one transaction, then settle the
 * slots.  Intents go first and alone: their commit is synchronous (on disk
 * before the request leaves) and shared by every backend waiting, and no
 * completion that fails to write can hold them up.  Completions follow in a
 * transaction of their own, committed asynchronously (a lost one is settled
 * like a crash's); one that keeps failing is given up after a while, with a
 * line in the log.  Returns false when the write failed.
 */
#define COMPLETION_TRIES 50

static bool
process(SlotState kind, MemoryContext cxt)
{
	AuditShared *audit = alpaca_audit_slots;
	int			idx[AUDIT_SLOTS];
	int64		ids[AUDIT_SLOTS];
	char	   *datas[AUDIT_SLOTS];
	volatile int n = 0;
	char		error[256] = "";

	LWLockAcquire(audit->lock, LW_SHARED);
	for (int i = 0; i < AUDIT_SLOTS; i++)
	{
		AuditSlot  *s = &audit->slots[i];

		if (s->state == kind)
		{
			idx[n] = i;
			ids[n] = s->id;
			datas[n] = pstrdup(s->data);	/* the pass's context, reset after */
			n++;
		}
	}
	LWLockRelease(audit->lock);
	if (n == 0)
		return true;

	PG_TRY();
	{
		AlpacaExtension ext;
		char	   *table;

		alpaca_worker_begin(kind == SLOT_INTENT ? "recording intents in alpaca_audit" :
							"recording answers in alpaca_audit");
		if (kind == SLOT_COMPLETE)
			(void) set_config_option("synchronous_commit", "off", PGC_SUSET, PGC_S_SESSION,
									 GUC_ACTION_LOCAL, true, 0, false);
		alpaca_extension_find(&ext, false);
		table = alpaca_extension_object(&ext, "alpaca_audit");
		for (int k = 0; k < n; k++)
			write_slot(table, kind, &ids[k], datas[k]);
		alpaca_worker_commit();
		alpaca_worker_report(NULL);
	}
	PG_CATCH();
	{
		ErrorData  *e = alpaca_worker_abort(cxt);

		strlcpy(error, e->message, sizeof(error));
		ereport(LOG, (errmsg("alpaca audit: %s", e->message)));
		alpaca_worker_report(e->message);
	}
	PG_END_TRY();

	LWLockAcquire(audit->lock, LW_EXCLUSIVE);
	for (int k = 0; k < n; k++)
	{
		AuditSlot  *s = &audit->slots[idx[k]];

		if (kind == SLOT_COMPLETE)
		{
			/* written, or kept to be tried again */
			if (error[0] == '\0' || ++s->tries >= COMPLETION_TRIES)
			{
				if (error[0])
					ereport(LOG, (errmsg("alpaca audit: gave up recording the answer of record %lld: %s",
										 (long long) s->id, error)));
				s->state = SLOT_FREE;
			}
		}
		else if (s->abandoned)
		{
			/* the backend gave up (and sent nothing): say so in the record */
			if (error[0] == '\0')
			{
				s->state = SLOT_COMPLETE;
				s->id = ids[k];
				s->tries = 0;
				s->len = snprintf(s->data, AUDIT_DATA,
								  "{\"outcome\": \"not sent\", \"error\": \"the caller stopped waiting for the audit record; the request was not sent\"}");
			}
			else
				s->state = SLOT_FREE;
		}
		else if (!s->waited)
			s->state = SLOT_FREE;
		else
		{
			s->id = ids[k];
			s->failed = error[0] != '\0';
			strlcpy(s->error, error, sizeof(s->error));
			s->state = SLOT_DONE;
			SetLatch(s->owner);
		}
	}
	LWLockRelease(audit->lock);
	return error[0] == '\0';
}

PGDLLEXPORT void alpaca_audit_main(Datum arg);

void
alpaca_audit_main(Datum arg)
{
	MemoryContext pass = alpaca_worker_start(ALPACA_WORKER_AUDIT);
	long		retry_ms = 0;	/* while completions wait to be written again */

	/* an intent must be on disk before its request leaves */
	SetConfigOption("synchronous_commit", "on", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("alpaca.audit", "off", PGC_SUSET, PGC_S_OVERRIDE);

	for (;;)
	{
		bool		intents;
		bool		answers;

		(void) alpaca_worker_pass();
		intents = process(SLOT_INTENT, pass);
		answers = process(SLOT_COMPLETE, pass);

		if (intents && answers)
			retry_ms = 0;
		else
			retry_ms = Min(Max(retry_ms * 2, 100), 5000);
		alpaca_worker_wait(retry_ms ? retry_ms : 10000);
	}
}
