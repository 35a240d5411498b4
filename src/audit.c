/*
 * audit.c
 *		The audit trail, the caller's half: a record of every state-changing
 *		call that the caller's ROLLBACK cannot erase and a crash cannot lose.
 *
 * PostgreSQL has no autonomous transactions, so a background worker (the
 * "alpaca audit" worker, src/audit_worker.c) writes alpaca_audit in its own
 * transactions.  A backend about to send a state-changing request puts the
 * intent in a shared-memory slot, wakes the worker, and waits until the
 * worker has committed it (synchronously: it is on disk) before the request
 * leaves; if it cannot be recorded, the request is not sent.  The answer
 * completes the record afterwards without waiting.  A call that stops after
 * the request left (a cancel, statement_timeout) is recorded at once as
 * "may have been sent"; one whose intent was written after its backend gave
 * up waiting is recorded as not sent.  Whatever a crash leaves pending is
 * settled by the outbox worker (src/settle.c), by client_order_id.
 */
#include "postgres.h"

#include "commands/dbcommands.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "storage/latch.h"
#include "storage/lwlock.h"
#include "storage/shmem.h"
#include "utils/builtins.h"
#include "utils/json.h"
#include "utils/timestamp.h"

#include "audit.h"
#include "audit_slots.h"
#include "guc.h"
#include "redact.h"
#include "worker.h"

#define AUDIT_BODY_MAX 8192		/* longer bodies are kept in part */

AuditShared *alpaca_audit_slots = NULL;

Size
alpaca_audit_shmem_size(void)
{
	return sizeof(AuditShared);
}

void
alpaca_audit_shmem_startup(void)
{
	bool		found;

	alpaca_audit_slots = ShmemInitStruct("alpaca audit", sizeof(AuditShared), &found);
	if (!found)
	{
		memset(alpaca_audit_slots, 0, sizeof(AuditShared));
		alpaca_audit_slots->lock = &(GetNamedLWLockTranche("alpaca"))[0].lock;
	}
}

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
	AuditShared *audit = alpaca_audit_slots;
	TimestampTz start = GetCurrentTimestamp();

	for (;;)
	{
		if (alpaca_worker_running(ALPACA_WORKER_AUDIT))
		{
			LWLockAcquire(audit->lock, LW_EXCLUSIVE);
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
				s->tries = 0;
				s->error[0] = '\0';
				s->len = strlen(data);
				memcpy(s->data, data, s->len + 1);
				LWLockRelease(audit->lock);
				(void) alpaca_worker_wake(ALPACA_WORKER_AUDIT);
				return i;
			}
			LWLockRelease(audit->lock);
		}
		if (!wait)
			return -1;			/* a completion is dropped rather than wait */
		if (TimestampDifferenceExceeds(start, GetCurrentTimestamp(), alpaca_audit_timeout_ms))
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("the audit trail cannot record this call, so it was not sent: %s",
							alpaca_worker_running(ALPACA_WORKER_AUDIT) ? "the alpaca audit worker is busy" :
							"the alpaca audit worker is not running"),
					 errhint("The worker runs when alpaca is in shared_preload_libraries and the extension is installed in alpaca.database (%s).",
							 alpaca_database)));
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 50, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
		CHECK_FOR_INTERRUPTS();
	}
}

/* A body as the record keeps it: whole, or its first 4 kB and the order's own fields. */
static const char *
recorded_body(const AlpacaAuditIntent *in)
{
	StringInfoData part;

	if (in->body == NULL || in->body_len == 0)
		return NULL;
	if (in->body_len <= AUDIT_BODY_MAX)
		return in->body;
	initStringInfo(&part);
	appendStringInfo(&part, "{\"bytes\": %d, \"first_4kB\": ", in->body_len);
	escape_json(&part, pnstrdup(in->body, pg_mbcliplen(in->body, in->body_len, 4096)));
	appendStringInfoChar(&part, '}');
	return part.data;
}

/*
 * Record the intent of a request and wait until it is durable.  Returns the
 * record's id, or 0 when auditing is off.  Raises (and nothing is sent)
 * when it cannot be recorded.
 */
int64
alpaca_audit_intent(const AlpacaAuditIntent *in)
{
	AuditShared *audit = alpaca_audit_slots;
	StringInfoData rec;
	int			slot;
	int64		id = 0;
	char		error[256] = "";
	TimestampTz start;

	if (!alpaca_audit_enabled)
		return 0;
	if (audit == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the audit trail cannot record this call, so it was not sent: alpaca is not in shared_preload_libraries"),
				 errhint("Add alpaca to shared_preload_libraries and restart, or have a superuser set alpaca.audit = off.")));

	initStringInfo(&rec);
	appendStringInfoChar(&rec, '{');
	json_field(&rec, "database", get_database_name(MyDatabaseId));
	json_raw(&rec, "pid", psprintf("%d", MyProcPid));
	json_field(&rec, "session_start", timestamptz_to_str(MyStartTimestamp));
	json_field(&rec, "role", GetUserNameFromId(GetUserId(), false));
	json_field(&rec, "session_role", GetUserNameFromId(GetSessionUserId(), false));
	json_field(&rec, "function", in->function);
	json_field(&rec, "method", in->method);
	json_field(&rec, "path", in->target);
	json_raw(&rec, "body", recorded_body(in));
	json_field(&rec, "client_order_id", in->client_order_id);
	/* an order's own fields, whatever the body's size (the limits judged these) */
	json_field(&rec, "symbol", in->symbol);
	json_field(&rec, "side", in->side);
	json_field(&rec, "qty", in->qty);
	json_field(&rec, "notional", in->notional);
	json_field(&rec, "keys", alpaca_keys_id());
	appendStringInfoChar(&rec, '}');
	if (rec.len >= AUDIT_DATA)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("the audit record of this call is too large (%d bytes, at most %d), so it was not sent",
						rec.len, AUDIT_DATA)));

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
			if (TimestampDifferenceExceeds(start, GetCurrentTimestamp(), alpaca_audit_timeout_ms))
				ereport(ERROR,
						(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
						 errmsg("the audit trail did not record this call within alpaca.audit_timeout_ms (%d ms), so it was not sent",
								alpaca_audit_timeout_ms),
						 errhint("See the alpaca audit worker in the server log and in alpaca_workers().")));
			(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 100,
							 PG_WAIT_EXTENSION);
			ResetLatch(MyLatch);
			CHECK_FOR_INTERRUPTS();
		}
	}
	PG_CATCH();
	{
		/* the worker frees the slot when it gets to it, and records "not sent" */
		LWLockAcquire(audit->lock, LW_EXCLUSIVE);
		if (audit->slots[slot].state == SLOT_DONE)
		{
			int64		written = audit->slots[slot].failed ? 0 : audit->slots[slot].id;

			audit->slots[slot].state = SLOT_FREE;
			LWLockRelease(audit->lock);
			/* written just as we gave up: it says so now */
			if (written)
				alpaca_audit_complete(written, "not sent", 0, NULL,
									  "the call stopped before the request was sent", 0);
		}
		else
		{
			audit->slots[slot].abandoned = true;
			LWLockRelease(audit->lock);
		}
		PG_RE_THROW();
	}
	PG_END_TRY();

	if (error[0])
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the audit trail cannot record this call, so it was not sent: %s", error),
				 errhint("The extension must be installed in alpaca.database (%s).", alpaca_database)));
	return id;
}

/* Complete a record with what came back; does not wait. */
void
alpaca_audit_complete(int64 id, const char *outcome, long status, const char *order_id,
					  const char *error, double ms)
{
	StringInfoData rec;

	if (id <= 0 || alpaca_audit_slots == NULL)
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
