/*
 * audit.c
 *		The audit trail: a record of every state-changing call that the
 *		caller's ROLLBACK cannot erase and a crash cannot lose.
 *
 * PostgreSQL has no autonomous transactions, so a background worker (the
 * "alpaca audit" worker, started when the library is preloaded) writes
 * alpaca_audit in its own transactions.  A backend about to send a
 * state-changing request puts the intent in a shared-memory slot, wakes the
 * worker, and waits until the worker has committed it (synchronously: it
 * is on disk) before the request leaves; if it cannot be recorded, the
 * request is not sent.  The answer completes the record afterwards without
 * waiting.  An intent a crash left pending is resolved when the worker
 * starts again: orders by client_order_id, the rest marked unknown.
 *
 * The worker batches whatever is waiting into one transaction, so
 * concurrent callers share a commit.  Roles read alpaca_audit only where
 * the owner grants it, and none can write it.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "mb/pg_wchar.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "tcop/tcopprot.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/json.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"
#include "utils/timestamp.h"

#include "api.h"
#include "audit.h"
#include "encoding.h"
#include "errors.h"
#include "guc.h"
#include "rows.h"

#define AUDIT_SLOTS 64
#define AUDIT_DATA 12288		/* one record as JSON */
#define AUDIT_BODY_MAX 8192		/* longer bodies are kept in part */

typedef enum SlotState
{
	SLOT_FREE, SLOT_INTENT, SLOT_COMPLETE, SLOT_DONE
} SlotState;

typedef struct AuditSlot
{
	SlotState	state;
	bool		waited;			/* a backend waits for the result */
	bool		abandoned;		/* ... and gave up: the worker frees it */
	Latch	   *owner;
	int64		id;				/* the record; set by the worker for an
								 * intent */
	bool		failed;
	char		error[256];
	int			len;
	char		data[AUDIT_DATA];
} AuditSlot;

typedef struct AuditShared
{
	LWLock	   *lock;
	Latch	   *worker;			/* NULL while no worker runs */
	AuditSlot	slots[AUDIT_SLOTS];
} AuditShared;

static AuditShared *audit = NULL;

bool		alpaca_audit_enabled = true;
char	   *alpaca_database = NULL;
static int	audit_timeout_ms = 5000;

Size
alpaca_audit_shmem_size(void)
{
	return sizeof(AuditShared);
}

void
alpaca_audit_shmem_startup(void)
{
	bool		found;

	audit = ShmemInitStruct("alpaca audit", sizeof(AuditShared), &found);
	if (!found)
	{
		memset(audit, 0, sizeof(AuditShared));
		audit->lock = &(GetNamedLWLockTranche("alpaca"))[0].lock;
	}
}

void
alpaca_define_audit_gucs(void)
{
	DefineCustomBoolVariable("alpaca.audit",
							 "Record every state-changing call in alpaca_audit before it is sent.",
							 "When on, a call whose intent cannot be recorded is not sent.",
							 &alpaca_audit_enabled, true, PGC_SUSET, 0, NULL, NULL, NULL);
	DefineCustomStringVariable("alpaca.database",
							   "The database whose alpaca_audit the audit worker writes.",
							   "The extension must be installed there.",
							   &alpaca_database, "postgres", PGC_POSTMASTER, 0, NULL, NULL, NULL);
	DefineCustomIntVariable("alpaca.audit_timeout_ms",
							"Longest wait for the audit worker to record an intent.",
							NULL, &audit_timeout_ms, 5000, 100, 600000, PGC_SUSET, GUC_UNIT_MS,
							NULL, NULL, NULL);
}

/* ---- the backend's side ---- */

static void
json_field(StringInfo buf, const char *key, const char *value)
{
	appendStringInfoString(buf, buf->len > 1 ? "," : "");
	escape_json(buf, key);
	appendStringInfoChar(buf, ':');
	if (value)
		escape_json(buf, value);
	else
		appendStringInfoString(buf, "null");
}

static void
json_raw(StringInfo buf, const char *key, const char *json)
{
	appendStringInfoString(buf, buf->len > 1 ? "," : "");
	escape_json(buf, key);
	appendStringInfoChar(buf, ':');
	appendStringInfoString(buf, json ? json : "null");
}

/* Put a record in a free slot; wait for one if all are busy. */
static int
post(SlotState kind, int64 id, const char *data, bool wait)
{
	TimestampTz start = GetCurrentTimestamp();

	for (;;)
	{
		LWLockAcquire(audit->lock, LW_EXCLUSIVE);
		if (audit->worker == NULL)
		{
			LWLockRelease(audit->lock);
			if (!wait)
				return -1;
		}
		else
		{
			for (int i = 0; i < AUDIT_SLOTS; i++)
			{
				AuditSlot  *s = &audit->slots[i];

				if (s->state != SLOT_FREE)
					continue;
				s->state = kind;
				s->waited = wait;
				s->abandoned = false;
				s->owner = MyLatch;
				s->id = id;
				s->failed = false;
				s->error[0] = '\0';
				s->len = strlen(data);
				memcpy(s->data, data, s->len + 1);
				SetLatch(audit->worker);
				LWLockRelease(audit->lock);
				return i;
			}
			LWLockRelease(audit->lock);
			if (!wait)
				return -1;		/* a completion is dropped rather than wait */
		}
		if (TimestampDifferenceExceeds(start, GetCurrentTimestamp(), audit_timeout_ms))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the audit trail cannot record this call, so it was not sent"),
					 errdetail(audit->worker == NULL ? "The alpaca audit worker is not running." :
							   "The alpaca audit worker is busy."),
					 errhint("The worker runs when alpaca is in shared_preload_libraries and the extension is installed in alpaca.database (%s).",
							 alpaca_database)));
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 50, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
}

/*
 * Record the intent of a request and wait until it is durable.  Returns the
 * record's id, or 0 when auditing is off.  Raises (and nothing is sent)
 * when it cannot be recorded.
 */
int64
alpaca_audit_intent(const char *function, const AlpacaRequest *req, const char *client_order_id)
{
	StringInfoData rec;
	char	   *target;
	int			slot;
	int64		id = 0;
	char		error[256] = "";
	TimestampTz start;

	if (!alpaca_audit_enabled)
		return 0;
	if (audit == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the audit trail cannot record this call, so it was not sent"),
				 errhint("Add alpaca to shared_preload_libraries and restart, or have a superuser set alpaca.audit = off.")));

	target = alpaca_request_target((AlpacaRequest *) req);
	initStringInfo(&rec);
	appendStringInfoChar(&rec, '{');
	json_field(&rec, "database", get_database_name(MyDatabaseId));
	json_raw(&rec, "pid", psprintf("%d", MyProcPid));
	json_field(&rec, "session_start", timestamptz_to_str(MyStartTimestamp));
	json_field(&rec, "role", GetUserNameFromId(GetUserId(), false));
	json_field(&rec, "session_role", GetUserNameFromId(GetSessionUserId(), false));
	json_field(&rec, "function", function ? function : "alpaca_request");
	json_field(&rec, "method", req->method);
	json_field(&rec, "path", target);
	if (req->body.len == 0)
		json_raw(&rec, "body", NULL);
	else if (req->body.len <= AUDIT_BODY_MAX)
		json_raw(&rec, "body", req->body.data);
	else
	{
		StringInfoData part;

		initStringInfo(&part);
		appendStringInfo(&part, "{\"bytes\": %d, \"first_4kB\": ", req->body.len);
		escape_json(&part, pnstrdup(req->body.data, pg_mbcliplen(req->body.data, req->body.len, 4096)));
		appendStringInfoChar(&part, '}');
		json_raw(&rec, "body", part.data);
	}
	json_field(&rec, "client_order_id", client_order_id);
	appendStringInfoChar(&rec, '}');
	if (rec.len >= AUDIT_DATA)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the audit record of this call is too large, so it was not sent")));

	start = GetCurrentTimestamp();
	slot = post(SLOT_INTENT, 0, rec.data, true);
	PG_TRY();
	{
		for (;;)
		{
			AuditSlot  *s = &audit->slots[slot];
			bool		done;

			LWLockAcquire(audit->lock, LW_EXCLUSIVE);
			done = (s->state == SLOT_DONE);
			if (done)
			{
				id = s->id;
				if (s->failed)
					strlcpy(error, s->error, sizeof(error));
				s->state = SLOT_FREE;
			}
			LWLockRelease(audit->lock);
			if (done)
				break;
			if (TimestampDifferenceExceeds(start, GetCurrentTimestamp(), audit_timeout_ms))
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("the audit trail did not record this call in time, so it was not sent"),
						 errhint("See the alpaca audit worker in the server log; alpaca.audit_timeout_ms is %d ms.",
								 audit_timeout_ms)));
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 100,
							 PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
			CHECK_FOR_INTERRUPTS();
		}
	}
	PG_CATCH();
	{
		/* the worker frees the slot when it gets to it */
		LWLockAcquire(audit->lock, LW_EXCLUSIVE);
		if (audit->slots[slot].state == SLOT_DONE)
			audit->slots[slot].state = SLOT_FREE;
		else
			audit->slots[slot].abandoned = true;
		LWLockRelease(audit->lock);
		PG_RE_THROW();
	}
	PG_END_TRY();

	if (error[0])
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the audit trail cannot record this call, so it was not sent"),
				 errdetail("The audit worker said: %s", error),
				 errhint("The extension must be installed in alpaca.database (%s).", alpaca_database)));
	return id;
}

/* Complete a record with what came back; does not wait. */
void
alpaca_audit_complete(int64 id, const char *outcome, long status, const char *order_id,
					  const char *error, double ms)
{
	StringInfoData rec;

	if (id <= 0 || audit == NULL)
		return;
	initStringInfo(&rec);
	appendStringInfoChar(&rec, '{');
	json_field(&rec, "outcome", outcome);
	json_raw(&rec, "status", status > 0 ? psprintf("%ld", status) : NULL);
	json_field(&rec, "order_id", order_id);
	json_field(&rec, "error", error ? alpaca_clip(error, strlen(error)) : NULL);
	json_raw(&rec, "duration_ms", psprintf("%.3f", ms));
	appendStringInfoChar(&rec, '}');
	(void) post(SLOT_COMPLETE, id, rec.data, false);
}

/* ---- the worker ---- */

static char *audit_table = NULL;	/* schema-qualified, once the extension
									 * is found */

static char *
find_table(void)
{
	int			rc;

	rc = SPI_execute("SELECT quote_ident(n.nspname) || '.alpaca_audit' FROM pg_extension e "
					 "JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'alpaca'",
					 true, 1);
	if (rc != SPI_OK_SELECT || SPI_processed == 0)
		return NULL;
	return MemoryContextStrdup(TopMemoryContext,
							   SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1));
}

/* The work of one slot, in the worker's open transaction. */
static void
write_slot(SlotState kind, int64 *id, const char *data)
{
	Oid			types[2] = {JSONBOID, INT8OID};
	Datum		values[2];
	char	   *sql;
	int			rc;
	bool		isnull;

	values[0] = DirectFunctionCall1(jsonb_in, CStringGetDatum(data));
	values[1] = Int64GetDatum(*id);
	if (kind == SLOT_INTENT)
		sql = psprintf("INSERT INTO %s (database, pid, session_start, role, session_role, function, method, path, body, client_order_id) "
					   "SELECT r.database, r.pid, r.session_start, r.role, r.session_role, r.function, r.method, r.path, r.body, r.client_order_id "
					   "FROM jsonb_populate_record(NULL::%s, $1) r RETURNING id", audit_table, audit_table);
	else
		sql = psprintf("UPDATE %s a SET outcome = r.outcome, status = r.status, order_id = r.order_id, error = r.error, "
					   "duration_ms = r.duration_ms, completed_at = now() "
					   "FROM jsonb_populate_record(NULL::%s, $1) r WHERE a.id = $2 RETURNING a.id", audit_table, audit_table);
	rc = SPI_execute_with_args(sql, kind == SLOT_INTENT ? 1 : 2, types, values, NULL, false, 1);
	if ((rc != SPI_OK_INSERT_RETURNING && rc != SPI_OK_UPDATE_RETURNING) || SPI_processed != 1)
		elog(ERROR, "alpaca audit: could not write record %lld", (long long) *id);
	*id = DatumGetInt64(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull));
}

/*
 * Write every waiting slot in one transaction (one synchronous commit for
 * all of them), then tell each waiting backend.
 */
static void
process_slots(void)
{
	int			idx[AUDIT_SLOTS];
	SlotState	kinds[AUDIT_SLOTS];
	int64		ids[AUDIT_SLOTS];
	char	   *datas[AUDIT_SLOTS];
	volatile int n = 0;
	char		error[256] = "";
	MemoryContext cxt = CurrentMemoryContext;

	LWLockAcquire(audit->lock, LW_SHARED);
	for (int i = 0; i < AUDIT_SLOTS; i++)
	{
		AuditSlot  *s = &audit->slots[i];

		if (s->state == SLOT_INTENT || s->state == SLOT_COMPLETE)
		{
			idx[n] = i;
			kinds[n] = s->state;
			ids[n] = s->id;
			datas[n] = pstrdup(s->data);
			n++;
		}
	}
	LWLockRelease(audit->lock);
	if (n == 0)
		return;

	PG_TRY();
	{
		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		SPI_connect();
		PushActiveSnapshot(GetTransactionSnapshot());
		pgstat_report_activity(STATE_RUNNING, "writing alpaca_audit");
		if (audit_table == NULL)
			audit_table = find_table();
		if (audit_table == NULL)
			elog(ERROR, "the alpaca extension is not installed in database \"%s\"", alpaca_database);
		/* intents first: a completion may follow its own intent in one batch */
		for (int pass = 0; pass < 2; pass++)
			for (int k = 0; k < n; k++)
				if ((pass == 0) == (kinds[k] == SLOT_INTENT))
					write_slot(kinds[k], &ids[k], datas[k]);
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
		pgstat_report_activity(STATE_IDLE, NULL);
	}
	PG_CATCH();
	{
		ErrorData  *e;

		MemoryContextSwitchTo(cxt);
		e = CopyErrorData();
		FlushErrorState();
		AbortCurrentTransaction();
		strlcpy(error, e->message, sizeof(error));
		ereport(LOG, (errmsg("alpaca audit: %s", e->message)));
		audit_table = NULL;		/* look again next time */
		pgstat_report_activity(STATE_IDLE, NULL);
	}
	PG_END_TRY();

	LWLockAcquire(audit->lock, LW_EXCLUSIVE);
	for (int k = 0; k < n; k++)
	{
		AuditSlot  *s = &audit->slots[idx[k]];

		if (!s->waited || s->abandoned)
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
}

/*
 * Intents a crash or shutdown left pending: an order is looked up by its
 * client_order_id, the rest are marked unknown.
 */
static void
resolve_pending(void)
{
	PG_TRY();
	{
		uint64		count;
		SPITupleTable *tab;

		SetCurrentStatementStartTimestamp();
		StartTransactionCommand();
		SPI_connect();
		PushActiveSnapshot(GetTransactionSnapshot());
		if (audit_table == NULL)
			audit_table = find_table();
		if (audit_table != NULL &&
			SPI_execute(psprintf("SELECT id, client_order_id FROM %s WHERE outcome = 'pending' ORDER BY id",
								 audit_table), true, 0) == SPI_OK_SELECT)
		{
			count = SPI_processed;
			tab = SPI_tuptable;
			for (uint64 i = 0; i < count; i++)
			{
				char	   *id = SPI_getvalue(tab->vals[i], tab->tupdesc, 1);
				char	   *cid = SPI_getvalue(tab->vals[i], tab->tupdesc, 2);
				const char *outcome = "unknown";
				char	   *order_id = NULL;

				if (cid)
				{
					AlpacaRequest req;
					AlpacaResponse resp;
					char	   *msg;

					alpaca_request_start(&req, NULL, "GET", "/v2/orders:by_client_order_id");
					alpaca_query(&req, "client_order_id", cid);
					if (alpaca_try_send(&req, &resp, &msg) == ALPACA_TRANSPORT_OK)
					{
						if (resp.status == 200)
						{
							alpaca_answer_text(&resp);
							if (alpaca_body_is_order(resp.body, resp.body_len, cid))
							{
								outcome = "resolved: placed";
								order_id = alpaca_order_id_of(resp.body, resp.body_len);
							}
						}
						else if (resp.status == 404)
							outcome = "resolved: absent";
					}
				}
				SPI_execute_with_args(psprintf("UPDATE %s SET outcome = $1, order_id = $2::uuid, completed_at = now(), "
											   "error = 'the server stopped before the answer came' WHERE id = $3::bigint",
											   audit_table),
									  3, (Oid[]) {TEXTOID, TEXTOID, TEXTOID},
									  (Datum[]) {CStringGetTextDatum(outcome),
										  order_id ? CStringGetTextDatum(order_id) : (Datum) 0,
									  CStringGetTextDatum(id)},
									  order_id ? "   " : " n ", false, 0);
			}
			if (count > 0)
				ereport(LOG, (errmsg("alpaca audit: resolved %llu intents left pending", (unsigned long long) count)));
		}
		SPI_finish();
		PopActiveSnapshot();
		CommitTransactionCommand();
	}
	PG_CATCH();
	{
		EmitErrorReport();
		FlushErrorState();
		AbortCurrentTransaction();
	}
	PG_END_TRY();
}

/* a worker that stops takes no more records until it starts again */
static void
worker_exit(int code, Datum arg)
{
	LWLockAcquire(audit->lock, LW_EXCLUSIVE);
	audit->worker = NULL;
	LWLockRelease(audit->lock);
}

PGDLLEXPORT void alpaca_audit_main(Datum arg);

void
alpaca_audit_main(Datum arg)
{
	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(alpaca_database, NULL, 0);
	/* an intent must be on disk before its request leaves */
	SetConfigOption("synchronous_commit", "on", PGC_SUSET, PGC_S_OVERRIDE);
	SetConfigOption("alpaca.audit", "off", PGC_SUSET, PGC_S_OVERRIDE);

	resolve_pending();
	before_shmem_exit(worker_exit, 0);
	LWLockAcquire(audit->lock, LW_EXCLUSIVE);
	audit->worker = MyLatch;
	LWLockRelease(audit->lock);

	for (;;)
	{
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 10000, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		process_slots();
	}
}
