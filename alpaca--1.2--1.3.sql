/* alpaca--1.2--1.3.sql: upgrade from 1.2 */

\echo Use "ALTER EXTENSION alpaca UPDATE TO '1.3'" to load this file. \quit

-- A role that may create objects in the extension's schema could plant a
-- better-matching overload of a function the extension calls (the
-- extension's own SQL fixes its search path, but a caller's query names
-- what it finds first): say so at install and upgrade.
DO $$
BEGIN
    IF pg_catalog.has_schema_privilege('public', '@extschema@', 'CREATE') THEN
        RAISE WARNING 'every role may create objects in schema %, where the alpaca extension is installed', '@extschema@'
            USING DETAIL = 'A role could place there functions or operators that other roles'' queries find before PostgreSQL''s own.',
                  HINT = pg_catalog.format('REVOKE CREATE ON SCHEMA %I FROM PUBLIC; (PostgreSQL 15''s default for public), or install the extension in a schema of its own.', '@extschema@');
    END IF;
END $$;

-- The audit trail records an order's own fields, whatever the body's size,
-- and says when a call was not sent or may have been.
ALTER TABLE alpaca_audit
    ADD COLUMN symbol text,
    ADD COLUMN side text,
    ADD COLUMN qty numeric,
    ADD COLUMN notional numeric,
    DROP CONSTRAINT alpaca_audit_outcome_check,
    ADD CONSTRAINT alpaca_audit_outcome_check
        CHECK (outcome IN ('pending', 'answered', 'failed', 'not sent', 'may have been sent', 'unknown',
                           'resolved: placed', 'resolved: absent'));
COMMENT ON COLUMN alpaca_audit.outcome IS 'pending (sent, no answer yet), answered (an HTTP answer, see status), not sent (nothing left: the budget, a refusal, the caller stopped waiting for the record), may have been sent (the call stopped, or the connection failed, while the request was out), failed (no usable answer; see error), unknown (no answer, and nothing to look it up by), resolved: placed / resolved: absent (an order without an answer, looked up later by client_order_id).';
COMMENT ON COLUMN alpaca_audit.symbol IS 'The order''s symbol, as the limits judged it (orders and replacements).';
COMMENT ON COLUMN alpaca_audit.side IS 'The order''s side (buy, sell).';
COMMENT ON COLUMN alpaca_audit.qty IS 'The order''s quantity, when it has one.';
COMMENT ON COLUMN alpaca_audit.notional IS 'The order''s notional amount in dollars, when it has one.';

-- Queued orders: who queued them (the session role too: SET ROLE cannot
-- hide the person), for which account, claimed by which server, and why
-- one waits.
ALTER TABLE alpaca_order_outbox
    ADD COLUMN queued_session_role name,
    ADD COLUMN account_id uuid,
    ADD COLUMN claimed_by text,
    ADD COLUMN waiting_for text;
COMMENT ON COLUMN alpaca_order_outbox.queued_by IS 'current_user of the queuing call: the role the order is sent as.';
COMMENT ON COLUMN alpaca_order_outbox.queued_session_role IS 'session_user of the queuing call: neither it nor queued_by (nor a member of either) may approve the order, and the limits of both apply when it is sent.';
COMMENT ON COLUMN alpaca_order_outbox.account_id IS 'The Alpaca account the order was queued for (the keys'' account); the outbox worker sends it to no other.';
COMMENT ON COLUMN alpaca_order_outbox.claimed_by IS 'The server that last claimed the order to send it: system identifier/timeline. A claim of another server (a promoted standby, a restored copy) is looked up before the order is sent again.';
COMMENT ON COLUMN alpaca_order_outbox.waiting_for IS 'Why a pending_approval order waits, and how to approve it.';
ALTER POLICY alpaca_order_outbox_own ON alpaca_order_outbox
    USING (queued_by = current_user OR queued_session_role = session_user
           OR pg_catalog.has_function_privilege('@extschema@.alpaca_approve_order(text)'::pg_catalog.regprocedure, 'EXECUTE'));
COMMENT ON POLICY alpaca_order_outbox_own ON alpaca_order_outbox
    IS 'A role reads the orders it queued (as current or session role); a role that may approve reads them all.';

-- The workers, and both request budgets.
CREATE FUNCTION alpaca_workers(OUT worker text, OUT pid integer, OUT started_at timestamptz, OUT passes bigint,
                               OUT last_pass_at timestamptz, OUT memory_bytes bigint, OUT last_error text,
                               OUT last_error_at timestamptz)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'alpaca_workers'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_workers() IS 'The extension''s background workers (alpaca audit, alpaca outbox, alpaca mirror): pid (NULL when not running), when it started, passes of its loop, the last one, the memory it holds after a pass, and its last error (cleared once its work succeeds again).';

CREATE FUNCTION alpaca_budgets(OUT api text, OUT server_limit integer, OUT used_last_minute integer,
                               OUT reserved integer, OUT account_limit integer, OUT account_remaining integer,
                               OUT account_reset timestamptz, OUT in_flight integer, OUT waited bigint,
                               OUT refused bigint, OUT rate_limited bigint, OUT role_limit integer)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'alpaca_budgets'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_budgets() IS 'Both request budgets (trading, market data): this server''s cap (alpaca.requests_per_minute, alpaca.data_requests_per_minute; 0 for none), its requests in the last minute, the share reads may not take (alpaca.reserved_requests_per_minute); what Alpaca last said of the account (X-RateLimit-Limit, -Remaining, -Reset), this server''s requests in flight, how many waited, were refused (53400) or answered 429, and this role''s cap (alpaca.role_requests_per_minute).';
REVOKE ALL ON FUNCTION alpaca_workers(), alpaca_budgets() FROM PUBLIC;
