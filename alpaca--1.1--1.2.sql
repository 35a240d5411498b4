/* alpaca--1.1--1.2.sql: upgrade from 1.1 */

\echo Use "ALTER EXTENSION alpaca UPDATE TO '1.2'" to load this file. \quit

-- Orders that follow transactions: queued in the caller's transaction, sent
-- by the alpaca outbox worker only after it commits, exactly once.
CREATE TABLE alpaca_order_outbox (
    client_order_id text PRIMARY KEY,
    status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('pending_approval', 'queued', 'sending', 'placed', 'refused', 'rejected', 'failed')),
    queued_by name NOT NULL,
    queued_at timestamptz NOT NULL DEFAULT now(),
    symbol text,
    side text,
    qty numeric,
    notional numeric,
    order_value numeric,
    request jsonb NOT NULL,
    decided_by name,
    decided_at timestamptz,
    attempts integer NOT NULL DEFAULT 0,
    sent_at timestamptz,
    next_attempt_at timestamptz,
    answered_at timestamptz,
    http_status integer,
    order_id uuid,
    error text,
    answer jsonb
);
CREATE INDEX alpaca_order_outbox_due ON alpaca_order_outbox (queued_at) WHERE status IN ('queued', 'sending');
-- every role sees the orders it queued; a role that may approve sees all
ALTER TABLE alpaca_order_outbox ENABLE ROW LEVEL SECURITY;
REVOKE ALL ON alpaca_order_outbox FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('alpaca_order_outbox', '');
COMMENT ON TABLE alpaca_order_outbox IS 'Orders queued by alpaca_queue_order(), sent by the alpaca outbox worker after the queuing transaction commits, and what Alpaca answered. Written only through alpaca_queue_order, alpaca_approve_order and alpaca_reject_order; a role reads the orders it queued once SELECT is granted (rows of other roles only if it may approve).';
COMMENT ON INDEX alpaca_order_outbox_due IS 'The orders the outbox worker still has to send.';
COMMENT ON COLUMN alpaca_order_outbox.status IS 'pending_approval (waits for alpaca_approve_order), queued (sent after commit), sending (claimed; sent or being looked up), placed (Alpaca has it: see order_id, answer), refused (by Alpaca or by a limit when it was sent: see error), rejected (by alpaca_reject_order), failed (unsettled after alpaca.outbox_max_attempts sends, and Alpaca has no such order; never sent again).';
COMMENT ON COLUMN alpaca_order_outbox.order_value IS 'What the order was worth when queued (notional, or quantity at its limit, stop or latest price), compared with alpaca.approval_above_notional; NULL when not needed or not known.';
COMMENT ON COLUMN alpaca_order_outbox.request IS 'The POST /v2/orders body that is sent.';
COMMENT ON COLUMN alpaca_order_outbox.attempts IS 'Times the worker claimed the order to send it (or, past alpaca.outbox_max_attempts, to look it up).';
COMMENT ON COLUMN alpaca_order_outbox.next_attempt_at IS 'When an order left sending without a clear answer is looked up and sent again (with the same client_order_id).';
COMMENT ON COLUMN alpaca_order_outbox.answer IS 'Alpaca''s answer: the order, or its error.';

CREATE FUNCTION alpaca_queue_order(
    symbol text,
    qty numeric DEFAULT NULL,
    side text DEFAULT NULL,
    type text DEFAULT 'market',
    time_in_force text DEFAULT 'day',
    limit_price numeric DEFAULT NULL,
    stop_price numeric DEFAULT NULL,
    trail_price numeric DEFAULT NULL,
    trail_percent numeric DEFAULT NULL,
    extended_hours boolean DEFAULT NULL,
    client_order_id text DEFAULT NULL,
    order_class text DEFAULT NULL,
    take_profit_limit_price numeric DEFAULT NULL,
    stop_loss_stop_price numeric DEFAULT NULL,
    stop_loss_limit_price numeric DEFAULT NULL,
    position_intent text DEFAULT NULL,
    notional numeric DEFAULT NULL,
    legs jsonb DEFAULT NULL,
    advanced_instructions jsonb DEFAULT NULL)
RETURNS text
AS 'MODULE_PATHNAME', 'alpaca_queue_order'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_queue_order(text, numeric, text, text, text, numeric, numeric, numeric, numeric, boolean, text, text, numeric, numeric, numeric, text, numeric, jsonb, jsonb)
    IS 'Queue an order (the arguments of alpaca_place_order) to be sent after this transaction commits, never if it rolls back; returns its client_order_id. Checked now against the role''s limits, and again when sent. Above alpaca.approval_above_notional it waits for alpaca_approve_order. Follow it in alpaca_order_outbox.';

CREATE FUNCTION alpaca_approve_order(client_order_id text)
RETURNS alpaca_order_outbox
AS 'MODULE_PATHNAME', 'alpaca_approve_order'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_approve_order(text)
    IS 'Approve a queued order that waits for approval (pending_approval): it is sent after this transaction commits. Not by the role that queued it. Grant EXECUTE to the roles that approve.';

CREATE FUNCTION alpaca_reject_order(client_order_id text, reason text DEFAULT NULL)
RETURNS alpaca_order_outbox
AS 'MODULE_PATHNAME', 'alpaca_reject_order'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_reject_order(text, text)
    IS 'Reject (or, by the role that queued it, withdraw) a queued order that waits for approval or has not been sent yet; reason is kept in error.';

CREATE POLICY alpaca_order_outbox_own ON alpaca_order_outbox FOR SELECT
    USING (queued_by = current_user
           OR has_function_privilege('@extschema@.alpaca_approve_order(text)'::regprocedure, 'EXECUTE'));
COMMENT ON POLICY alpaca_order_outbox_own ON alpaca_order_outbox
    IS 'A role reads the orders it queued; a role that may approve reads them all.';

CREATE FUNCTION alpaca_wait_for_order(client_order_id text, timeout interval DEFAULT '10 s')
RETURNS alpaca_order_outbox
LANGUAGE plpgsql VOLATILE STRICT
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r @extschema@.alpaca_order_outbox;
    mine boolean;
    deadline timestamptz := clock_timestamp() + timeout;
BEGIN
    LOOP
        SELECT * INTO r FROM @extschema@.alpaca_order_outbox o
        WHERE o.client_order_id = alpaca_wait_for_order.client_order_id;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'no queued order has client_order_id %', quote_literal(client_order_id)
                USING ERRCODE = 'no_data_found', HINT = 'A role sees only the orders it queued.';
        END IF;
        IF r.status NOT IN ('queued', 'sending') THEN
            RETURN r;
        END IF;
        SELECT o.xmin = xid(pg_current_xact_id_if_assigned()) INTO mine FROM @extschema@.alpaca_order_outbox o
        WHERE o.client_order_id = alpaca_wait_for_order.client_order_id;
        IF r.status = 'queued' AND mine THEN
            RAISE EXCEPTION 'order % is sent after this transaction commits', quote_literal(client_order_id)
                USING ERRCODE = 'object_not_in_prerequisite_state', HINT = 'COMMIT, then wait for it.';
        END IF;
        IF clock_timestamp() >= deadline THEN
            RETURN r;
        END IF;
        PERFORM pg_sleep(0.005);
    END LOOP;
END
$$;
COMMENT ON FUNCTION alpaca_wait_for_order(text, interval)
    IS 'Wait (up to timeout) until a queued order is settled, and return its outbox row: placed, refused, rejected, failed or pending_approval; queued or sending when the time ran out.';

REVOKE ALL ON FUNCTION alpaca_queue_order(text, numeric, text, text, text, numeric, numeric, numeric, numeric, boolean, text, text, numeric, numeric, numeric, text, numeric, jsonb, jsonb),
    alpaca_approve_order(text), alpaca_reject_order(text, text), alpaca_wait_for_order(text, interval) FROM PUBLIC;
