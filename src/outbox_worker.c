/*
 * outbox_worker.c
 *		Orders that follow transactions, the worker's half: the "alpaca
 *		outbox" worker sends each committed order once.
 *
 *	1. claim it: status 'sending', attempts + 1, the claimer (this server's
 *	   system identifier and timeline) recorded, committed synchronously
 *	   before anything leaves, after checking that it was queued for the
 *	   account this server's keys belong to and that the limits of both the
 *	   role and the session role that queued it allow it now (their
 *	   settings may have changed since);
 *	2. send it as the role that queued it (the audit trail names that role)
 *	   through alpaca_submit_order(), as alpaca_place_order() does: done only
 *	   on a well-formed order, refused only on Alpaca's well-formed 4xx
 *	   error, anything else looked up by client_order_id, and Alpaca's 422
 *	   for a client_order_id it already has settled by comparing that order;
 *	3. record the answer: 'placed' with the order, or 'refused'.
 *
 * An order left 'sending' (a crash, an unclear answer), or claimed by
 * another server (a promoted standby, a restored copy), is looked up before
 * it is sent again with the same client_order_id: Alpaca refuses a
 * duplicate, so it cannot be placed twice.  After alpaca.outbox_max_attempts
 * sends it is only looked up: found, 'placed'; absent, 'failed' (never sent
 * again).  The worker also settles audit records a stop left unclear
 * (src/settle.c).  It is separate from the audit worker so that a slow send
 * never delays anyone's audit record.
 */
#include "postgres.h"

#include "access/xact.h"
#include "access/xlog.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "tcop/tcopprot.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "account.h"
#include "encoding.h"
#include "errors.h"
#include "extension.h"
#include "guc.h"
#include "json.h"
#include "orders.h"
#include "settle.h"
#include "worker.h"

static char last_logged[256];

/* After an error: roll back, log it once while it lasts, keep its text for the row. */
static char *
abort_with(MemoryContext cxt)
{
	ErrorData  *e = alpaca_worker_abort(cxt);
	char	   *text = e->detail ? psprintf("%s: %s", e->message, e->detail) : pstrdup(e->message);

	if (strncmp(text, last_logged, sizeof(last_logged) - 1) != 0)
		ereport(LOG, (errmsg("alpaca outbox: %s", text)));
	strlcpy(last_logged, text, sizeof(last_logged));
	alpaca_worker_report(text);
	return text;
}

static Datum
text_or_null(const char *s, char *null)
{
	*null = s ? ' ' : 'n';
	return s ? CStringGetTextDatum(s) : (Datum) 0;
}

static char *outbox_table;		/* in the pass's context, found per pass */

static void
set_row(const char *sql, const char *cid, const char *a, const char *b, const char *c)
{
	char		nulls[4];
	Datum		values[4];

	values[0] = text_or_null(cid, &nulls[0]);
	values[1] = text_or_null(a, &nulls[1]);
	values[2] = text_or_null(b, &nulls[2]);
	values[3] = text_or_null(c, &nulls[3]);
	if (SPI_execute_with_args(psprintf(sql, outbox_table), 4,
							  (Oid[]) {TEXTOID, TEXTOID, TEXTOID, TEXTOID}, values, nulls, false, 0) < 0)
		elog(ERROR, "could not update the outbox");
}

static void
begin(const char *activity)
{
	AlpacaExtension ext;

	alpaca_worker_begin(activity);
	alpaca_extension_find(&ext, false);
	outbox_table = alpaca_extension_object(&ext, "alpaca_order_outbox");
}

/* This server, as a claim records it: after a promotion or a restore it differs. */
static char *
this_server(void)
{
	return psprintf("%llu/%u", (unsigned long long) GetSystemIdentifier(), GetWALInsertionTimeLine());
}

/* The role's own alpaca.* settings (ALTER ROLE ... SET), for this (sub)transaction. */
static void
apply_role_settings(Oid role)
{
	if (SPI_execute_with_args("SELECT pg_catalog.unnest(setconfig) FROM pg_catalog.pg_db_role_setting "
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

/*
 * The limits of one role as they are now, for an order about to be sent:
 * NULL when they allow it, the refusal's text when they do not, "" when
 * that cannot be known yet (a price lookup failed: tried again later).
 */
static char *
refusal_by(Oid role, const char *body)
{
	Oid			save_user;
	int			save_context;
	char	   *volatile refusal = NULL;
	MemoryContext here = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;

	GetUserIdAndSecContext(&save_user, &save_context);
	BeginInternalSubTransaction(NULL);
	PG_TRY();
	{
		apply_role_settings(role);
		SetUserIdAndSecContext(role, save_context | SECURITY_LOCAL_USERID_CHANGE);
		alpaca_check_order_body("sending a queued order",
								DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(body))));
		SetUserIdAndSecContext(save_user, save_context);
		RollbackAndReleaseCurrentSubTransaction();	/* the settings go with it */
	}
	PG_CATCH();
	{
		ErrorData  *e = alpaca_worker_subabort(here, owner);

		SetUserIdAndSecContext(save_user, save_context);
		/* a limit says no; a failed price lookup is tried again */
		refusal = ERRCODE_TO_CATEGORY(e->sqlerrcode) == ERRCODE_CONNECTION_EXCEPTION ? "" :
			e->detail ? psprintf("%s: %s", e->message, e->detail) : e->message;
	}
	PG_END_TRY();
	MemoryContextSwitchTo(here);
	CurrentResourceOwner = owner;
	return refusal;
}

typedef struct Claimed
{
	char	   *cid;
	char	   *body;
	char	   *role;
	Oid			roleid;
	int			attempts;		/* including this one */
	bool		maybe_sent;		/* an earlier claim, here or elsewhere */
} Claimed;

/*
 * Claim the next order that is due, check it again, and commit 'sending'
 * (synchronously) before it leaves.  false: nothing is due.
 */
static bool
claim(Claimed *c, const char *account, MemoryContext cxt)
{
	volatile bool found = false;

	PG_TRY();
	{
		begin("claiming a queued order");
		if (SPI_execute(psprintf("SELECT client_order_id, request::pg_catalog.text, queued_by, attempts + 1, "
								 "queued_session_role, account_id::pg_catalog.text, claimed_by "
								 "FROM %s WHERE status = 'queued' OR (status = 'sending' AND next_attempt_at <= pg_catalog.now()) "
								 "ORDER BY queued_at LIMIT 1 FOR UPDATE SKIP LOCKED", outbox_table),
						false, 1) != SPI_OK_SELECT)
			elog(ERROR, "could not read the outbox");
		if (SPI_processed == 1)
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);
			TupleDesc	d = SPI_tuptable->tupdesc;
			HeapTuple	t = SPI_tuptable->vals[0];
			char	   *session_role = SPI_getvalue(t, d, 5);
			char	   *queued_for = SPI_getvalue(t, d, 6);
			char	   *claimed_by = SPI_getvalue(t, d, 7);
			char	   *here = this_server();
			Oid			session_roleid;
			char	   *refusal = NULL;

			c->cid = SPI_getvalue(t, d, 1);
			c->body = SPI_getvalue(t, d, 2);
			c->role = SPI_getvalue(t, d, 3);
			c->attempts = pg_strtoint32(SPI_getvalue(t, d, 4));
			/* claimed before, by this server or another (a promotion, a restore) */
			c->maybe_sent = c->attempts > 1 || claimed_by != NULL;
			MemoryContextSwitchTo(old);
			found = true;
			/* the next try of an order left unsettled: 1 s, 2 s, 4 s ... 5 min */
			set_row("UPDATE %s SET status = 'sending', attempts = attempts + 1, sent_at = pg_catalog.clock_timestamp(), "
					"claimed_by = $2, next_attempt_at = pg_catalog.now() + "
					"LEAST(interval '1 s' * 2 ^ attempts, interval '5 min') WHERE client_order_id = $1",
					c->cid, here, NULL, NULL);
			c->roleid = get_role_oid(c->role, true);
			session_roleid = session_role ? get_role_oid(session_role, true) : c->roleid;
			if (queued_for && account && strcmp(queued_for, account) != 0)
				refusal = psprintf("queued for Alpaca account %s, but this server's keys are for account %s: not sent",
								   queued_for, account);
			else if (!OidIsValid(c->roleid) || !OidIsValid(session_roleid))
				refusal = "the role that queued it no longer exists";
			else if (c->attempts <= alpaca_outbox_max_attempts)
			{
				/* the limits as they are now, of both roles of the queuing call */
				refusal = refusal_by(c->roleid, c->body);
				if (refusal == NULL && session_roleid != c->roleid)
					refusal = refusal_by(session_roleid, c->body);
			}
			if (refusal)
			{
				if (refusal[0])
					set_row("UPDATE %s SET status = CASE WHEN $3 = 'account' THEN 'failed' ELSE 'refused' END, "
							"answered_at = pg_catalog.clock_timestamp(), error = $2 WHERE client_order_id = $1",
							c->cid, refusal, strncmp(refusal, "queued for", 10) == 0 ? "account" : "limit", NULL);
				c->cid = NULL;
			}
		}
		alpaca_worker_commit();
	}
	PG_CATCH();
	{
		(void) abort_with(cxt);
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
		const char *recovered = NULL;
		AlpacaSubmitResult result = ALPACA_SUBMIT_PLACED;
		Oid			save_user;
		int			save_context;
		char	   *code;
		char	   *message;

		begin("sending a queued order");
		GetUserIdAndSecContext(&save_user, &save_context);
		SetUserIdAndSecContext(c->roleid, save_context | SECURITY_LOCAL_USERID_CHANGE);
		if (c->attempts > alpaca_outbox_max_attempts)
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
			result = alpaca_submit_order(&req, c->cid, c->maybe_sent, &resp, &recovered);
		}
		SetUserIdAndSecContext(save_user, save_context);
		if (result == ALPACA_SUBMIT_ABSENT)
			set_row("UPDATE %s SET status = 'failed', answered_at = pg_catalog.clock_timestamp(), "
					"error = 'Alpaca has no such order after ' || $2 || ' attempts; it will not be sent again' "
					"WHERE client_order_id = $1", c->cid, psprintf("%d", alpaca_outbox_max_attempts), NULL, NULL);
		else if (result == ALPACA_SUBMIT_PLACED)
			set_row("UPDATE %s SET status = 'placed', answered_at = pg_catalog.clock_timestamp(), http_status = 200, error = NULL, "
					"order_id = $2::pg_catalog.uuid, answer = $3::pg_catalog.jsonb WHERE client_order_id = $1",
					c->cid, alpaca_order_id_of(resp.body, resp.body_len), resp.body, NULL);
		else
		{
			char	   *body = alpaca_wire_text(resp.body, resp.body_len);

			if (result == ALPACA_SUBMIT_REUSED_ID)
				message = psprintf("Alpaca has a different order with client_order_id %s; this one was not placed",
								   alpaca_quote(c->cid, strlen(c->cid)));
			else if (!alpaca_error_body(body, resp.body_len, &code, &message) || message == NULL)
				message = body;
			set_row("UPDATE %s SET status = 'refused', answered_at = pg_catalog.clock_timestamp(), http_status = $2::pg_catalog.int4, "
					"error = $3, answer = $4::pg_catalog.jsonb WHERE client_order_id = $1",
					c->cid, psprintf("%ld", resp.status), alpaca_clip(message, strlen(message)), body);
		}
		alpaca_worker_commit();
		alpaca_worker_report(NULL);
		last_logged[0] = '\0';
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
			alpaca_worker_commit();
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
static bool
recover(MemoryContext cxt)
{
	PG_TRY();
	{
		begin("recovering the outbox");
		if (SPI_execute(psprintf("UPDATE %s SET next_attempt_at = pg_catalog.now() WHERE status = 'sending'", outbox_table),
						false, 0) != SPI_OK_UPDATE)
			elog(ERROR, "could not update the outbox");
		if (SPI_processed > 0)
			ereport(LOG, (errmsg("alpaca outbox: %llu orders were being sent when the server stopped; looking them up",
								 (unsigned long long) SPI_processed)));
		alpaca_worker_commit();
	}
	PG_CATCH();
	{
		(void) abort_with(cxt);
		return false;
	}
	PG_END_TRY();
	return true;
}

/* The account these keys are for, or NULL while it cannot be asked (tried next pass). */
static const char *
account_or_null(MemoryContext cxt)
{
	const char *volatile account = NULL;

	PG_TRY();
	{
		alpaca_worker_begin("asking Alpaca which account the keys are for");
		account = alpaca_account_id();
		alpaca_worker_commit();
	}
	PG_CATCH();
	{
		(void) abort_with(cxt);
	}
	PG_END_TRY();
	return account;
}

PGDLLEXPORT void alpaca_outbox_main(Datum arg);

void
alpaca_outbox_main(Datum arg)
{
	MemoryContext pass = alpaca_worker_start(ALPACA_WORKER_OUTBOX);
	bool		recovered = false;
	TimestampTz next_settle = 0;

	/* 'sending' must be on disk before the order leaves */
	SetConfigOption("synchronous_commit", "on", PGC_SUSET, PGC_S_OVERRIDE);

	for (;;)
	{
		Claimed		c;
		const char *account;

		/* a shorter interval counts from now */
		if (alpaca_worker_pass())
			next_settle = Min(next_settle, TimestampTzPlusMilliseconds(GetCurrentTimestamp(), alpaca_settle_interval_s * 1000));
		if (!recovered)
			recovered = recover(pass);
		/* what a stop left pending in the audit trail, now and then */
		if (GetCurrentTimestamp() >= next_settle)
		{
			alpaca_settle_audit(pass);
			next_settle = TimestampTzPlusMilliseconds(GetCurrentTimestamp(), alpaca_settle_interval_s * 1000);
		}
		MemoryContextSwitchTo(pass);
		account = recovered ? account_or_null(pass) : NULL;
		if (account)
			alpaca_worker_report(NULL);		/* it is working again */
		/* drain: every order due, one at a time, each in its own transactions */
		while (account && claim(&c, account, pass))
		{
			if (c.cid)
				send_claimed(&c, pass);
			MemoryContextSwitchTo(pass);
			CHECK_FOR_INTERRUPTS();
		}
		alpaca_worker_wait(1000);
	}
}
