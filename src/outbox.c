/*
 * outbox.c
 *		Orders that follow transactions: queued in the caller's transaction,
 *		sent by a background worker only after it commits.
 *
 * alpaca_queue_order() checks the order as alpaca_place_order() would (its
 * shape and the role's limits), then inserts it into alpaca_order_outbox in
 * the caller's transaction: a ROLLBACK takes it back, and nothing has left.
 * A commit wakes the "alpaca outbox" worker (a transaction callback sets its
 * latch), which sends each queued order once:
 *
 *	1. claim it: status 'sending', attempts + 1, committed synchronously
 *	   before anything leaves, after the role's limits are checked again
 *	   with the role's own settings (they may have changed since);
 *	2. send it as the role that queued it (so the audit trail names that
 *	   role) with the same placement rules as alpaca_place_order(): done only
 *	   on a well-formed order, refused only on Alpaca's well-formed 4xx
 *	   error, anything else looked up by client_order_id;
 *	3. record the answer: 'placed' with the order, or 'refused'.
 *
 * An order left 'sending' (a crash, an unclear answer) is tried again later
 * with the same client_order_id, and looked up first: Alpaca refuses a
 * duplicate client_order_id, so it cannot be placed twice.  After
 * alpaca.outbox_max_attempts sends it is only looked up: found, 'placed';
 * absent, 'failed' (never sent again).
 *
 * An order worth more than alpaca.approval_above_notional is queued as
 * 'pending_approval' and sent once a role granted alpaca_approve_order()
 * (not the role that queued it) approves it; alpaca_reject_order() takes it
 * back.  The worker is separate from the audit worker so that a slow send
 * never delays anyone's audit record.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "pgstat.h"
#include "postmaster/bgworker.h"
#include "postmaster/interrupt.h"
#include "storage/ipc.h"
#include "storage/latch.h"
#include "storage/proc.h"
#include "storage/shmem.h"
#include "storage/spin.h"
#include "tcop/tcopprot.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "audit.h"
#include "encoding.h"
#include "errors.h"
#include "orders.h"
#include "outbox.h"

PG_FUNCTION_INFO_V1(alpaca_queue_order);
PG_FUNCTION_INFO_V1(alpaca_approve_order);
PG_FUNCTION_INFO_V1(alpaca_reject_order);

typedef struct OutboxShared
{
	slock_t		mutex;
	Latch	   *worker;			/* NULL while no worker runs */
} OutboxShared;

static OutboxShared *outbox = NULL;
static int	max_attempts = 5;
static bool wake_at_commit = false;
static bool callback_registered = false;

Size
alpaca_outbox_shmem_size(void)
{
	return sizeof(OutboxShared);
}

void
alpaca_outbox_shmem_startup(void)
{
	bool		found;

	outbox = ShmemInitStruct("alpaca outbox", sizeof(OutboxShared), &found);
	if (!found)
	{
		SpinLockInit(&outbox->mutex);
		outbox->worker = NULL;
	}
}

void
alpaca_define_outbox_gucs(void)
{
	DefineCustomIntVariable("alpaca.outbox_max_attempts",
							"Times the outbox worker sends a queued order before it only looks it up.",
							"An order still unsettled after this many sends is looked up by client_order_id: "
							"found, it is placed; absent, it is marked failed and never sent again.",
							&max_attempts, 5, 1, 100, PGC_SIGHUP, 0, NULL, NULL, NULL);
}

/* ---- the caller's side ---- */

/* After COMMIT (never before, never on ROLLBACK): wake the worker. */
static void
outbox_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT && wake_at_commit)
	{
		SpinLockAcquire(&outbox->mutex);
		if (outbox->worker)
			SetLatch(outbox->worker);
		SpinLockRelease(&outbox->mutex);
	}
	/* a prepared transaction's orders are found by the worker's poll */
	if (event == XACT_EVENT_COMMIT || event == XACT_EVENT_ABORT || event == XACT_EVENT_PREPARE ||
		event == XACT_EVENT_PARALLEL_COMMIT || event == XACT_EVENT_PARALLEL_ABORT)
		wake_at_commit = false;
}

static void
wake_worker_at_commit(void)
{
	if (!callback_registered)
	{
		RegisterXactCallback(outbox_xact_callback, NULL);
		callback_registered = true;
	}
	wake_at_commit = true;
}

/*
 * The outbox table, schema-qualified, and its owner: the rows are written
 * as the owner, so roles that queue need (and get) no right to write them.
 */
static char *
outbox_table(Oid *owner)
{
	bool		isnull;

	if (SPI_execute("SELECT quote_ident(n.nspname) || '.alpaca_order_outbox', c.relowner "
					"FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace "
					"JOIN pg_class c ON c.relnamespace = n.oid AND c.relname = 'alpaca_order_outbox' "
					"WHERE e.extname = 'alpaca'", true, 1) != SPI_OK_SELECT || SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("the alpaca extension (version 1.2 or later) is not installed in database \"%s\"",
						get_database_name(MyDatabaseId))));
	*owner = DatumGetObjectId(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2, &isnull));
	return SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
}

/* Orders are queued where the worker looks: alpaca.database, with it preloaded. */
static void
require_outbox(void)
{
	if (outbox == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("queued orders need the alpaca outbox worker"),
				 errhint("Add alpaca to shared_preload_libraries and restart the server.")));
	if (strcmp(get_database_name(MyDatabaseId), alpaca_database) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("orders are queued only in database %s", quote_identifier(alpaca_database)),
				 errdetail("The outbox worker sends the orders of alpaca.database."),
				 errhint("Connect to %s, or use alpaca_place_order() to send at once.",
						 quote_identifier(alpaca_database))));
}

/* Run an SPI statement as the table's owner. */
static int
execute_as(Oid owner, const char *sql, int nargs, Oid *types, Datum *values, const char *nulls)
{
	Oid			save_user;
	int			save_context;
	int			rc;

	GetUserIdAndSecContext(&save_user, &save_context);
	SetUserIdAndSecContext(owner, save_context | SECURITY_LOCAL_USERID_CHANGE);
	rc = SPI_execute_with_args(sql, nargs, types, values, nulls, false, 0);
	SetUserIdAndSecContext(save_user, save_context);
	return rc;
}

static Datum
text_or_null(const char *s, char *null)
{
	*null = s ? ' ' : 'n';
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

Datum
alpaca_queue_order(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	AlpacaOrderCheck check = {0};
	char	   *cid;
	char	   *value;
	bool		approval;
	char	   *table;
	Oid			owner;
	char		nulls[9];
	Datum		values[9];
	const char *role = GetUserNameFromId(GetUserId(), false);

	require_outbox();
	alpaca_build_order(fcinfo, &req, &cid, &check);
	check.what = "queuing an order";
	alpaca_check_orders_today();
	alpaca_check_order_limits(&check, PG_ARGISNULL(ALPACA_PLACE_ORDER_LEGS) ? NULL :
							  PG_GETARG_JSONB_P(ALPACA_PLACE_ORDER_LEGS));
	approval = alpaca_order_needs_approval(&check, &value);

	SPI_connect();
	table = outbox_table(&owner);
	values[0] = text_or_null(cid, &nulls[0]);
	values[1] = text_or_null(approval ? "pending_approval" : "queued", &nulls[1]);
	values[2] = text_or_null(role, &nulls[2]);
	values[3] = text_or_null(check.symbol, &nulls[3]);
	values[4] = text_or_null(check.side, &nulls[4]);
	values[5] = text_or_null(check.qty, &nulls[5]);
	values[6] = text_or_null(check.notional, &nulls[6]);
	values[7] = text_or_null(value, &nulls[7]);
	values[8] = text_or_null(req.body.data, &nulls[8]);
	if (execute_as(owner, psprintf("INSERT INTO %s (client_order_id, status, queued_by, symbol, side, qty, notional, order_value, request) "
								   "VALUES ($1, $2, $3, $4, $5, $6::numeric, $7::numeric, $8::numeric, $9::jsonb) "
								   "ON CONFLICT (client_order_id) DO NOTHING", table),
				   9, (Oid[]) {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID},
				   values, nulls) != SPI_OK_INSERT)
		elog(ERROR, "could not queue the order");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("an order with client_order_id %s is already queued", alpaca_quote(cid, strlen(cid))),
				 errhint("Each order needs its own client_order_id; see alpaca_order_outbox.")));
	SPI_finish();

	if (approval)
		ereport(NOTICE,
				(errmsg("the order waits for approval"),
				 value ? errdetail("It is worth %s, above alpaca.approval_above_notional.", value) :
				 errdetail("Its value is not known, and alpaca.approval_above_notional is set."),
				 errhint("A role granted alpaca_approve_order() approves it: SELECT alpaca_approve_order(%s);",
						 quote_literal_cstr(cid))));
	else
		wake_worker_at_commit();
	PG_RETURN_TEXT_P(cstring_to_text(cid));
}

/*
 * Approve or reject one order.  Only an order waiting for approval can be
 * approved, and not by the role that queued it; an order waiting for
 * approval or still queued can be rejected (by its own role too: taking
 * back one's proposal), never one being sent.
 */
static Datum
decide(FunctionCallInfo fcinfo, bool approve)
{
	char	   *cid = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *reason = PG_NARGS() > 1 && !PG_ARGISNULL(1) ? text_to_cstring(PG_GETARG_TEXT_PP(1)) : NULL;
	const char *role = GetUserNameFromId(GetUserId(), false);
	char	   *table;
	Oid			owner;
	HeapTupleHeader row;
	TupleDesc	desc;
	char	   *status;
	char	   *queued_by;
	char		nulls[3];
	Datum		values[3];

	require_outbox();
	SPI_connect();
	table = outbox_table(&owner);
	values[0] = text_or_null(cid, &nulls[0]);
	values[1] = text_or_null(role, &nulls[1]);
	values[2] = text_or_null(reason, &nulls[2]);
	if (execute_as(owner, psprintf("SELECT status, queued_by FROM %s WHERE client_order_id = $1 FOR UPDATE", table),
				   1, (Oid[]) {TEXTOID}, values, nulls) != SPI_OK_SELECT)
		elog(ERROR, "could not read the outbox");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("no queued order has client_order_id %s", alpaca_quote(cid, strlen(cid)))));
	status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	queued_by = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	if (approve && strcmp(queued_by, role) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("an order cannot be approved by the role that queued it"),
				 errdetail("Role %s queued order %s.", quote_identifier(role), alpaca_quote(cid, strlen(cid))),
				 errhint("Another role granted EXECUTE on alpaca_approve_order approves it.")));
	if (approve ? strcmp(status, "pending_approval") != 0 :
		(strcmp(status, "pending_approval") != 0 && strcmp(status, "queued") != 0))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg(approve ? "order %s is not waiting for approval" : "order %s can no longer be rejected",
						alpaca_quote(cid, strlen(cid))),
				 errdetail("Its status is %s.", status),
				 strcmp(status, "sending") == 0 || strcmp(status, "placed") == 0 ?
				 errhint("It may be at Alpaca already: cancel it there with alpaca_cancel_order().") : 0));
	if (execute_as(owner, psprintf(approve ?
								   "UPDATE %s SET status = 'queued', decided_by = $2, decided_at = now() "
								   "WHERE client_order_id = $1 RETURNING *" :
								   "UPDATE %s SET status = 'rejected', decided_by = $2, decided_at = now(), error = $3 "
								   "WHERE client_order_id = $1 RETURNING *", table),
				   3, (Oid[]) {TEXTOID, TEXTOID, TEXTOID}, values, nulls) != SPI_OK_UPDATE_RETURNING ||
		SPI_processed != 1)
		elog(ERROR, "could not update the outbox");
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "the function must return a row");
	row = SPI_returntuple(SPI_tuptable->vals[0], desc);
	SPI_finish();
	if (approve)
		wake_worker_at_commit();
	PG_RETURN_DATUM(PointerGetDatum(row));
}

Datum
alpaca_approve_order(PG_FUNCTION_ARGS)
{
	return decide(fcinfo, true);
}

Datum
alpaca_reject_order(PG_FUNCTION_ARGS)
{
	return decide(fcinfo, false);
}

/* ---- the worker ---- */

static char *worker_table = NULL;	/* in TopMemoryContext once found */
static char last_logged[256];
static Oid	worker_owner = InvalidOid;

/* Start a transaction with SPI and a snapshot; find the table. */
static void
begin(const char *activity)
{
	SetCurrentStatementStartTimestamp();
	StartTransactionCommand();
	SPI_connect();
	PushActiveSnapshot(GetTransactionSnapshot());
	pgstat_report_activity(STATE_RUNNING, activity);
	if (worker_table == NULL)
		worker_table = MemoryContextStrdup(TopMemoryContext, outbox_table(&worker_owner));
}

static void
commit(void)
{
	SPI_finish();
	PopActiveSnapshot();
	CommitTransactionCommand();
	pgstat_report_activity(STATE_IDLE, NULL);
}

/* After an error: roll back, log it, keep its text for the row. */
static char *
abort_with(MemoryContext cxt)
{
	ErrorData  *e;
	char	   *text;

	MemoryContextSwitchTo(cxt);
	e = CopyErrorData();
	FlushErrorState();
	AbortCurrentTransaction();
	pgstat_report_activity(STATE_IDLE, NULL);
	text = e->detail ? psprintf("%s: %s", e->message, e->detail) : pstrdup(e->message);
	/* a condition that lasts (the extension not installed yet) is logged once */
	if (strncmp(text, last_logged, sizeof(last_logged) - 1) != 0)
		ereport(LOG, (errmsg("alpaca outbox: %s", text)));
	strlcpy(last_logged, text, sizeof(last_logged));
	return text;
}

static void
set_row(const char *sql, const char *cid, const char *a, const char *b, const char *c)
{
	char		nulls[4];
	Datum		values[4];

	values[0] = text_or_null(cid, &nulls[0]);
	values[1] = text_or_null(a, &nulls[1]);
	values[2] = text_or_null(b, &nulls[2]);
	values[3] = text_or_null(c, &nulls[3]);
	if (SPI_execute_with_args(psprintf(sql, worker_table), 4,
							  (Oid[]) {TEXTOID, TEXTOID, TEXTOID, TEXTOID}, values, nulls, false, 0) < 0)
		elog(ERROR, "could not update the outbox");
}

/* The role's own alpaca.* settings (ALTER ROLE ... SET), for this transaction. */
static void
apply_role_settings(Oid role)
{
	if (SPI_execute_with_args("SELECT unnest(setconfig) FROM pg_db_role_setting "
							  "WHERE setrole = $1 AND setdatabase IN (0, $2) ORDER BY setdatabase",
							  2, (Oid[]) {OIDOID, OIDOID},
							  (Datum[]) {ObjectIdGetDatum(role), ObjectIdGetDatum(MyDatabaseId)},
							  NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the role's settings");
	for (uint64 i = 0; i < SPI_processed; i++)
	{
		char	   *name;
		char	   *value;
		char	   *n;
		char	   *v;

		/* name and value come malloc'd (ProcessGUCArray frees them too) */
		ParseLongOption(SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1), &name, &value);
		n = pstrdup(name);
		v = value ? pstrdup(value) : NULL;
		free(name);
		if (value)
			free(value);
		/* an invalid limit is an error (the order is refused), never ignored */
		if (v && strncmp(n, "alpaca.", 7) == 0)
			(void) set_config_option(n, v, PGC_SUSET, PGC_S_SESSION, GUC_ACTION_LOCAL, true, 0, false);
	}
}

typedef struct Claimed
{
	char	   *cid;
	char	   *body;
	char	   *role;
	Oid			roleid;
	int			attempts;		/* including this one */
} Claimed;

/*
 * Claim the next order that is due, check it again as its role, and commit
 * 'sending' (synchronously) before it leaves.  false: nothing is due.
 */
static bool
claim(Claimed *c, MemoryContext cxt)
{
	volatile bool found = false;

	PG_TRY();
	{
		begin("claiming a queued order");
		if (SPI_execute(psprintf("SELECT client_order_id, request::text, queued_by, attempts + 1 FROM %s "
								 "WHERE status = 'queued' OR (status = 'sending' AND next_attempt_at <= now()) "
								 "ORDER BY queued_at LIMIT 1 FOR UPDATE SKIP LOCKED", worker_table),
						false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read the outbox");
		if (SPI_processed == 1)
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);
			TupleDesc	d = SPI_tuptable->tupdesc;
			HeapTuple	t = SPI_tuptable->vals[0];

			c->cid = SPI_getvalue(t, d, 1);
			c->body = SPI_getvalue(t, d, 2);
			c->role = SPI_getvalue(t, d, 3);
			c->attempts = pg_strtoint32(SPI_getvalue(t, d, 4));
			MemoryContextSwitchTo(old);
			found = true;
			/* the next try of an order left unsettled: 1 s, 2 s, 4 s ... 5 min */
			set_row("UPDATE %s SET status = 'sending', attempts = attempts + 1, sent_at = clock_timestamp(), "
					"next_attempt_at = now() + least(interval '1 s' * 2 ^ attempts, interval '5 min') "
					"WHERE client_order_id = $1", c->cid, NULL, NULL, NULL);
			c->roleid = get_role_oid(c->role, true);
			if (!OidIsValid(c->roleid))
			{
				set_row("UPDATE %s SET status = 'refused', answered_at = clock_timestamp(), error = $2 WHERE client_order_id = $1",
						c->cid, "the role that queued it no longer exists", NULL, NULL);
				c->cid = NULL;
			}
			else if (c->attempts <= max_attempts)
			{
				/* the limits as they are now, as the role */
				volatile bool ok = true;
				Oid			save_user;
				int			save_context;
				char	   *volatile refusal = NULL;
				MemoryContext here = CurrentMemoryContext;

				GetUserIdAndSecContext(&save_user, &save_context);
				BeginInternalSubTransaction(NULL);
				PG_TRY();
				{
					apply_role_settings(c->roleid);
					SetUserIdAndSecContext(c->roleid, save_context | SECURITY_LOCAL_USERID_CHANGE);
					alpaca_check_order_body("sending a queued order",
											DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(c->body))));
					SetUserIdAndSecContext(save_user, save_context);
					ReleaseCurrentSubTransaction();
				}
				PG_CATCH();
				{
					ErrorData  *e;

					MemoryContextSwitchTo(here);
					e = CopyErrorData();
					FlushErrorState();
					RollbackAndReleaseCurrentSubTransaction();
					SetUserIdAndSecContext(save_user, save_context);
					/* a limit says no; a failed price lookup is tried again */
					if (ERRCODE_TO_CATEGORY(e->sqlerrcode) != ERRCODE_CONNECTION_EXCEPTION)
						refusal = e->detail ? psprintf("%s: %s", e->message, e->detail) : e->message;
					else
						refusal = "";
					ok = false;
				}
				PG_END_TRY();
				MemoryContextSwitchTo(here);
				if (!ok)
				{
					if (refusal[0])
						set_row("UPDATE %s SET status = 'refused', answered_at = clock_timestamp(), error = $2 WHERE client_order_id = $1",
								c->cid, refusal, NULL, NULL);
					c->cid = NULL;
				}
			}
		}
		commit();
	}
	PG_CATCH();
	{
		(void) abort_with(cxt);
		worker_table = NULL;
		return false;
	}
	PG_END_TRY();
	return found;
}

/* Send a claimed order (or, past the attempts, look it up) and record the answer. */
static void
send_claimed(Claimed *c, MemoryContext cxt)
{
	char	   *error;

	PG_TRY();
	{
		AlpacaRequest req;
		AlpacaResponse resp;
		AlpacaResponse *found;
		bool		recovered = false;
		AlpacaSubmitResult result = ALPACA_SUBMIT_PLACED;
		Oid			save_user;
		int			save_context;
		char	   *code;
		char	   *message;

		begin("sending a queued order");
		GetUserIdAndSecContext(&save_user, &save_context);
		SetUserIdAndSecContext(c->roleid, save_context | SECURITY_LOCAL_USERID_CHANGE);
		if (c->attempts > max_attempts)
		{
			found = alpaca_find_order(c->cid, "the last attempts had no clear answer");
			if (found == NULL)
				result = ALPACA_SUBMIT_ABSENT;
			else
				resp = *found;
		}
		else
		{
			alpaca_request_init(&req, "POST", "/v2/orders");
			req.function = "alpaca_queue_order";
			req.client_order_id = c->cid;
			appendStringInfoString(&req.body, c->body);
			result = alpaca_submit_order(&req, c->cid, c->attempts > 1, &resp, &recovered);
		}
		SetUserIdAndSecContext(save_user, save_context);
		if (result == ALPACA_SUBMIT_ABSENT)
			set_row("UPDATE %s SET status = 'failed', answered_at = clock_timestamp(), "
					"error = 'Alpaca has no such order after ' || $2 || ' attempts; it will not be sent again' "
					"WHERE client_order_id = $1", c->cid, psprintf("%d", max_attempts), NULL, NULL);
		else if (result == ALPACA_SUBMIT_PLACED)
			set_row("UPDATE %s SET status = 'placed', answered_at = clock_timestamp(), http_status = 200, error = NULL, "
					"order_id = $2::uuid, answer = $3::jsonb WHERE client_order_id = $1",
					c->cid, alpaca_order_id_of(resp.body, resp.body_len), resp.body, NULL);
		else
		{
			char	   *body = alpaca_wire_text(resp.body, resp.body_len);

			if (!alpaca_error_body(body, resp.body_len, &code, &message) || message == NULL)
				message = body;
			set_row("UPDATE %s SET status = 'refused', answered_at = clock_timestamp(), http_status = $2::int, "
					"error = $3, answer = $4::jsonb WHERE client_order_id = $1",
					c->cid, psprintf("%ld", resp.status), alpaca_clip(message, strlen(message)), body);
		}
		commit();
	}
	PG_CATCH();
	{
		/* unsettled: stays 'sending', tried again at next_attempt_at */
		error = abort_with(cxt);
		PG_TRY();
		{
			begin("recording an outbox error");
			set_row("UPDATE %s SET error = $2 WHERE client_order_id = $1", c->cid,
					alpaca_clip(error, strlen(error)), NULL, NULL);
			commit();
		}
		PG_CATCH();
		{
			(void) abort_with(cxt);
		}
		PG_END_TRY();
	}
	PG_END_TRY();
}

/* Orders a stop left 'sending' are due at once (and looked up first). */
static void
recover(MemoryContext cxt)
{
	PG_TRY();
	{
		begin("recovering the outbox");
		if (SPI_execute(psprintf("UPDATE %s SET next_attempt_at = now() WHERE status = 'sending'", worker_table),
						false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "could not update the outbox");
		if (SPI_processed > 0)
			ereport(LOG, (errmsg("alpaca outbox: %llu orders were being sent when the server stopped; looking them up",
								 (unsigned long long) SPI_processed)));
		commit();
	}
	PG_CATCH();
	{
		(void) abort_with(cxt);
		worker_table = NULL;
	}
	PG_END_TRY();
}

static void
worker_exit(int code, Datum arg)
{
	SpinLockAcquire(&outbox->mutex);
	outbox->worker = NULL;
	SpinLockRelease(&outbox->mutex);
}

PGDLLEXPORT void alpaca_outbox_main(Datum arg);

void
alpaca_outbox_main(Datum arg)
{
	MemoryContext pass;
	bool		recovered = false;

	pqsignal(SIGHUP, SignalHandlerForConfigReload);
	pqsignal(SIGTERM, die);
	BackgroundWorkerUnblockSignals();
	BackgroundWorkerInitializeConnection(alpaca_database, NULL, 0);
	/* 'sending' must be on disk before the order leaves */
	SetConfigOption("synchronous_commit", "on", PGC_SUSET, PGC_S_OVERRIDE);
	pass = AllocSetContextCreate(TopMemoryContext, "alpaca outbox pass", ALLOCSET_DEFAULT_SIZES);

	before_shmem_exit(worker_exit, 0);
	SpinLockAcquire(&outbox->mutex);
	outbox->worker = MyLatch;
	SpinLockRelease(&outbox->mutex);

	for (;;)
	{
		Claimed		c;

		CHECK_FOR_INTERRUPTS();
		if (ConfigReloadPending)
		{
			ConfigReloadPending = false;
			ProcessConfigFile(PGC_SIGHUP);
		}
		MemoryContextSwitchTo(pass);
		if (!recovered)
		{
			recover(pass);
			MemoryContextSwitchTo(pass);
			recovered = worker_table != NULL;
		}
		/* drain: every order due, one at a time, each in its own transactions */
		while (recovered && claim(&c, pass))
		{
			MemoryContextSwitchTo(pass);
			if (c.cid)
				send_claimed(&c, pass);
			MemoryContextSwitchTo(pass);
			MemoryContextReset(pass);
			CHECK_FOR_INTERRUPTS();
		}
		MemoryContextSwitchTo(pass);
		MemoryContextReset(pass);
		(void) WaitLatch(MyLatch, WL_LATCH_SET | WL_TIMEOUT | WL_EXIT_ON_PM_DEATH, 1000, PG_WAIT_EXTENSION);
		ResetLatch(MyLatch);
	}
}
