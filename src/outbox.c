/*
 * outbox.c
 *		Orders that follow transactions, the caller's half: queued in the
 *		caller's transaction, approved or rejected; src/outbox_worker.c sends
 *		them after COMMIT.
 *
 * alpaca_queue_order() checks the order as alpaca_place_order() would (its
 * shape and the role's limits), then inserts it into alpaca_order_outbox in
 * the caller's transaction: a ROLLBACK takes it back, and nothing has left.
 * A commit wakes the "alpaca outbox" worker (a transaction callback sets its
 * latch).  Each row records who queued it (current_user and session_user,
 * so a SET ROLE cannot hide the person), the Alpaca account it is for, and
 * its value when that decides approval.
 *
 * An order worth more than alpaca.approval_above_notional waits as
 * 'pending_approval' until alpaca_approve_order() by someone else: neither
 * the session nor the current role of the approver may be either role of
 * the queuing call, nor a member of either (a superuser may always
 * approve).  alpaca_reject_order() takes back one's own order, or, by a
 * role that may approve, anyone's.
 *
 * The rows are written as the extension's owner (found by the extension's
 * OID, never by a query a caller could shape), under a fixed search path:
 * roles that queue need, and get, no right to write the table.
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/pg_type.h"
#include "commands/dbcommands.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "parser/parse_func.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/regproc.h"

#include "account.h"
#include "encoding.h"
#include "errors.h"
#include "extension.h"
#include "guc.h"
#include "orders.h"
#include "gate.h"
#include "risk.h"
#include "worker.h"

PG_FUNCTION_INFO_V1(alpaca_queue_order);
PG_FUNCTION_INFO_V1(alpaca_approve_order);
PG_FUNCTION_INFO_V1(alpaca_reject_order);

static bool wake_at_commit = false;
static bool callback_registered = false;

/* After COMMIT (never before, never on ROLLBACK): wake the worker. */
static void
outbox_xact_callback(XactEvent event, void *arg)
{
	if (event == XACT_EVENT_COMMIT && wake_at_commit)
		(void) alpaca_worker_wake(ALPACA_WORKER_OUTBOX);
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

/* Orders are queued where the worker looks: alpaca.database, with it preloaded. */
static void
require_outbox(const char *what)
{
	alpaca_check_writable(what);
	if (!process_shared_preload_libraries_done)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("queued orders need the alpaca outbox worker, and alpaca is not in shared_preload_libraries"),
				 errhint("Add alpaca to shared_preload_libraries and restart the server.")));
	if (strcmp(get_database_name(MyDatabaseId), alpaca_database) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("orders are queued only in database %s (alpaca.database); this is %s",
						quote_identifier(alpaca_database), quote_identifier(get_database_name(MyDatabaseId))),
				 errdetail("The outbox worker sends the orders of alpaca.database."),
				 errhint("Connect to %s, or use alpaca_place_order() to send at once.",
						 quote_identifier(alpaca_database))));
}

static Datum
text_or_null(const char *s, char *null)
{
	*null = s ? ' ' : 'n';
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

/*
 * Why a queued order waits, for the row (an agent sees what a call returns,
 * not the notices it raises).
 */
static char *
waiting_for(const char *cid, const char *value)
{
	return psprintf("approval: %s alpaca.approval_above_notional (%s); a role granted alpaca_approve_order, "
					"other than the one that queued it, approves it: SELECT alpaca_approve_order(%s)",
					value ? psprintf("worth %s, above", value) :
					"its value is not known, and such an order waits whenever there is",
					alpaca_approval_above_notional, quote_literal_cstr(cid));
}

Datum
alpaca_queue_order(PG_FUNCTION_ARGS)
{
	AlpacaRequest req;
	AlpacaOrderCheck check = {0};
	AlpacaExtension ext;
	char	   *cid;
	char	   *value;
	bool		approval;
	char	   *why = NULL;
	const char *account;
	int			level;
	char		nulls[12];
	Datum		values[12];

	require_outbox("queuing an order");
	alpaca_build_order(fcinfo, &req, &cid, &check);
	check.what = "queuing an order";
	alpaca_check_trading(check.what);
	alpaca_check_orders_today();
	value = alpaca_check_order_limits(&check, PG_ARGISNULL(ALPACA_PLACE_ORDER_LEGS) ? NULL :
									  PG_GETARG_JSONB_P(ALPACA_PLACE_ORDER_LEGS),
									  alpaca_approval_above_notional && alpaca_approval_above_notional[0]);
	approval = alpaca_order_needs_approval(value);
	if (approval)
		why = waiting_for(cid, value);
	/* the account these keys are for: the worker sends to no other */
	account = alpaca_account_id();

	alpaca_extension_find(&ext, false);
	level = alpaca_spi_begin();
	values[0] = text_or_null(cid, &nulls[0]);
	values[1] = text_or_null(approval ? "pending_approval" : "queued", &nulls[1]);
	values[2] = text_or_null(GetUserNameFromId(GetUserId(), false), &nulls[2]);
	values[3] = text_or_null(GetUserNameFromId(GetSessionUserId(), false), &nulls[3]);
	values[4] = text_or_null(check.symbol, &nulls[4]);
	values[5] = text_or_null(check.side, &nulls[5]);
	values[6] = text_or_null(check.qty, &nulls[6]);
	values[7] = text_or_null(check.notional, &nulls[7]);
	values[8] = text_or_null(value, &nulls[8]);
	values[9] = text_or_null(req.body.data, &nulls[9]);
	values[10] = text_or_null(account, &nulls[10]);
	values[11] = text_or_null(why, &nulls[11]);
	if (alpaca_spi_execute_as(ext.owner,
							  psprintf("INSERT INTO %s (client_order_id, status, queued_by, queued_session_role, symbol, side, "
									   "qty, notional, order_value, request, account_id, waiting_for) "
									   "VALUES ($1, $2, $3::pg_catalog.name, $4::pg_catalog.name, $5, $6, $7::pg_catalog.numeric, $8::pg_catalog.numeric, "
									   "$9::pg_catalog.numeric, $10::pg_catalog.jsonb, $11::pg_catalog.uuid, $12) "
									   "ON CONFLICT (client_order_id) DO NOTHING",
									   alpaca_extension_object(&ext, "alpaca_order_outbox")),
							  12, (Oid[]) {TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID, TEXTOID,
								  TEXTOID, TEXTOID, TEXTOID, TEXTOID},
							  values, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not queue the order");
	if (SPI_processed != 1)
		ereport(ERROR,
				(errcode(ERRCODE_UNIQUE_VIOLATION),
				 errmsg("an order with client_order_id %s is already queued; each order needs its own client_order_id",
						alpaca_quote(cid, strlen(cid))),
				 errhint("See alpaca_order_outbox.")));
	alpaca_spi_end(level);

	if (approval)
		ereport(NOTICE,
				(errmsg("the order waits for %s", why)));
	else
		wake_worker_at_commit();
	PG_RETURN_TEXT_P(cstring_to_text(cid));
}

/* May role approve (EXECUTE on the extension's alpaca_approve_order)? */
static bool
may_approve(const AlpacaExtension *ext, Oid role)
{
	Oid			approve = LookupFuncName(list_make2(makeString(get_namespace_name(ext->schema)),
													makeString("alpaca_approve_order")),
										 1, (Oid[]) {TEXTOID}, true);

	return OidIsValid(approve) && pg_proc_aclcheck(approve, role, ACL_EXECUTE) == ACLCHECK_OK;
}

/* Is a (this session's current or session role) one of the queuing call's roles, or a member of one? */
static bool
same_person(Oid a, const char *queued_by, const char *queued_session_role)
{
	const char *queuers[2] = {queued_by, queued_session_role};

	for (int i = 0; i < 2; i++)
	{
		Oid			q = queuers[i] ? get_role_oid(queuers[i], true) : InvalidOid;

		if (queuers[i] && (!OidIsValid(q) ? strcmp(GetUserNameFromId(a, false), queuers[i]) == 0 :
						   (a == q || is_member_of_role_nosuper(a, q))))
			return true;
	}
	return false;
}

/*
 * Approve or reject one order.  Only an order waiting for approval can be
 * approved, and not by the person who queued it; an order waiting for
 * approval or still queued can be rejected (taking back one's own proposal,
 * or, by a role that may approve, anyone's), never one being sent.
 */
static Datum
decide(FunctionCallInfo fcinfo, bool approve)
{
	char	   *cid = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char	   *reason = PG_NARGS() > 1 && !PG_ARGISNULL(1) ? text_to_cstring(PG_GETARG_TEXT_PP(1)) : NULL;
	const char *role = GetUserNameFromId(GetUserId(), false);
	AlpacaExtension ext;
	char	   *table;
	int			level;
	HeapTupleHeader row;
	TupleDesc	desc;
	char	   *status;
	char	   *queued_by;
	char	   *queued_session_role;
	bool		own;
	char		nulls[3];
	Datum		values[3];

	require_outbox(approve ? "approving an order" : "rejecting an order");
	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "the function must return a row");
	alpaca_extension_find(&ext, false);
	table = alpaca_extension_object(&ext, "alpaca_order_outbox");
	level = alpaca_spi_begin();
	values[0] = text_or_null(cid, &nulls[0]);
	values[1] = text_or_null(role, &nulls[1]);
	values[2] = text_or_null(reason, &nulls[2]);
	if (alpaca_spi_execute_as(ext.owner, psprintf("SELECT status, queued_by, queued_session_role FROM %s "
												  "WHERE client_order_id = $1 FOR UPDATE", table),
							  1, (Oid[]) {TEXTOID}, values, nulls, false, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read the outbox");
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_NO_DATA_FOUND),
				 errmsg("no queued order has client_order_id %s", alpaca_quote(cid, strlen(cid)))));
	status = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1);
	queued_by = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 2);
	queued_session_role = SPI_getvalue(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 3);
	own = same_person(GetUserId(), queued_by, queued_session_role) ||
		same_person(GetSessionUserId(), queued_by, queued_session_role);
	if (approve && own && !superuser())
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("order %s cannot be approved by the person who queued it (queued by %s in a session of %s; this is %s in a session of %s); another role granted alpaca_approve_order approves it",
						alpaca_quote(cid, strlen(cid)), quote_identifier(queued_by),
						quote_identifier(queued_session_role ? queued_session_role : queued_by),
						quote_identifier(role), quote_identifier(GetUserNameFromId(GetSessionUserId(), false)))));
	if (!approve && !own && !may_approve(&ext, GetUserId()))
		ereport(ERROR,
				(errcode(ERRCODE_INSUFFICIENT_PRIVILEGE),
				 errmsg("order %s was queued by %s: a role withdraws only its own orders, unless it may approve (EXECUTE on alpaca_approve_order)",
						alpaca_quote(cid, strlen(cid)), quote_identifier(queued_by))));
	if (approve ? strcmp(status, "pending_approval") != 0 :
		(strcmp(status, "pending_approval") != 0 && strcmp(status, "queued") != 0))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg(approve ? "order %s is not waiting for approval: its status is %s" :
						"order %s can no longer be rejected: its status is %s",
						alpaca_quote(cid, strlen(cid)), status),
				 strcmp(status, "sending") == 0 || strcmp(status, "placed") == 0 ?
				 errhint("It may be at Alpaca already: cancel it there with alpaca_cancel_order().") : 0));
	if (alpaca_spi_execute_as(ext.owner,
							  psprintf(approve ?
									   "UPDATE %s SET status = 'queued', decided_by = $2, decided_at = pg_catalog.now(), waiting_for = NULL "
									   "WHERE client_order_id = $1 RETURNING *" :
									   "UPDATE %s SET status = 'rejected', decided_by = $2, decided_at = pg_catalog.now(), error = $3, "
									   "waiting_for = NULL WHERE client_order_id = $1 RETURNING *", table),
							  3, (Oid[]) {TEXTOID, TEXTOID, TEXTOID}, values, nulls, false, 0) != SPI_OK_UPDATE_RETURNING ||
		SPI_processed != 1)
		elog(ERROR, "could not update the outbox");
	row = SPI_returntuple(SPI_tuptable->vals[0], desc);
	alpaca_spi_end(level);
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
