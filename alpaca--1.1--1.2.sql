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

-- The mirror: orders, positions and account activities kept current by the
-- alpaca mirror worker (alpaca.mirror = on) from Alpaca's trade_updates
-- stream and activity event stream, reconciled in full at start, after
-- every reconnect and every alpaca.mirror_reconcile_interval.
CREATE TABLE alpaca_mirror_orders (
    LIKE alpaca_order,
    last_event text,
    event_at timestamptz,
    mirrored_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (id)
);
CREATE INDEX alpaca_mirror_orders_client_order_id ON alpaca_mirror_orders (client_order_id);
CREATE INDEX alpaca_mirror_orders_open ON alpaca_mirror_orders (symbol)
    WHERE status IN ('new', 'accepted', 'partially_filled', 'pending_new', 'held', 'pending_cancel', 'pending_replace', 'accepted_for_bidding', 'calculated', 'stopped', 'done_for_day');
CREATE TABLE alpaca_mirror_positions (
    LIKE alpaca_position,
    mirrored_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (symbol)
);
CREATE TABLE alpaca_mirror_activities (
    LIKE alpaca_activity_event,
    mirrored_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (event_id)
);
REVOKE ALL ON alpaca_mirror_orders, alpaca_mirror_positions, alpaca_mirror_activities FROM PUBLIC;
COMMENT ON TABLE alpaca_mirror_orders IS 'The account''s orders (those of the last alpaca.mirror_days days and every open one), kept current by the alpaca mirror worker from the trade_updates stream; each change raises NOTIFY alpaca_trade_updates. Grant SELECT to the roles that may read it.';
COMMENT ON COLUMN alpaca_mirror_orders.last_event IS 'The trade_updates event that last changed the row (new, fill, partial_fill, canceled, ...), or reconciled when a full comparison with Alpaca did.';
COMMENT ON COLUMN alpaca_mirror_orders.event_at IS 'The event''s own time (Alpaca''s timestamp), when it has one.';
COMMENT ON COLUMN alpaca_mirror_orders.mirrored_at IS 'When the row was written here.';
COMMENT ON INDEX alpaca_mirror_orders_client_order_id IS 'Orders by client_order_id.';
COMMENT ON INDEX alpaca_mirror_orders_open IS 'The open orders, by symbol.';
COMMENT ON TABLE alpaca_mirror_positions IS 'The account''s open positions, refreshed after every fill and at every reconciliation (prices as of then). Grant SELECT to the roles that may read it.';
COMMENT ON COLUMN alpaca_mirror_positions.mirrored_at IS 'When the row was written here.';
COMMENT ON TABLE alpaca_mirror_activities IS 'The account activity events, from Alpaca''s event stream (resumed after the last event_id) and reconciliation. Grant SELECT to the roles that may read it.';
COMMENT ON COLUMN alpaca_mirror_activities.mirrored_at IS 'When the row was written here.';

CREATE FUNCTION alpaca_mirror_order(o alpaca_order, event text, event_at timestamptz DEFAULT NULL)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    old record;
BEGIN
    IF o.id IS NULL THEN
        RAISE EXCEPTION 'an order without an id cannot be mirrored' USING ERRCODE = 'protocol_violation';
    END IF;
    SELECT to_jsonb(m) - ARRAY['last_event', 'event_at', 'mirrored_at'] AS j, m.updated_at INTO old
    FROM @extschema@.alpaca_mirror_orders m WHERE m.id = o.id FOR UPDATE;
    -- the same state again (a replayed event), or an older one: nothing changes
    IF FOUND AND (old.j = to_jsonb(o) OR o.updated_at < old.updated_at) THEN
        RETURN false;
    END IF;
    DELETE FROM @extschema@.alpaca_mirror_orders WHERE id = o.id;
    INSERT INTO @extschema@.alpaca_mirror_orders SELECT (o).*, event, event_at, clock_timestamp();
    PERFORM pg_notify('alpaca_trade_updates',
                      json_build_object('order_id', o.id, 'event', event, 'status', o.status)::text);
    RETURN true;
END
$$;
COMMENT ON FUNCTION alpaca_mirror_order(alpaca_order, text, timestamptz)
    IS 'Write one order into alpaca_mirror_orders unless it holds that state or a newer one already; on a change, NOTIFY alpaca_trade_updates with {"order_id", "event", "status"}. Returns whether it changed. Used by the mirror worker.';

CREATE FUNCTION alpaca_mirror_positions_refresh()
RETURNS integer
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    changed integer;
    closed integer;
BEGIN
    IF to_regclass('pg_temp.alpaca_fresh_positions') IS NULL THEN
        CREATE TEMP TABLE alpaca_fresh_positions (LIKE @extschema@.alpaca_position) ON COMMIT DELETE ROWS;
    END IF;
    DELETE FROM alpaca_fresh_positions;
    INSERT INTO alpaca_fresh_positions SELECT * FROM @extschema@.alpaca_positions();
    -- positions closed: gone; positions that differ: replaced
    DELETE FROM @extschema@.alpaca_mirror_positions m
    WHERE NOT EXISTS (SELECT 1 FROM alpaca_fresh_positions f WHERE f.symbol = m.symbol);
    GET DIAGNOSTICS closed = ROW_COUNT;
    DELETE FROM @extschema@.alpaca_mirror_positions m
    WHERE NOT EXISTS (SELECT 1 FROM alpaca_fresh_positions f
                      WHERE f.symbol = m.symbol AND to_jsonb(f) = to_jsonb(m) - 'mirrored_at');
    INSERT INTO @extschema@.alpaca_mirror_positions
    SELECT f.*, clock_timestamp() FROM alpaca_fresh_positions f
    WHERE NOT EXISTS (SELECT 1 FROM @extschema@.alpaca_mirror_positions m WHERE m.symbol = f.symbol);
    GET DIAGNOSTICS changed = ROW_COUNT;
    RETURN changed + closed;
END
$$;
COMMENT ON FUNCTION alpaca_mirror_positions_refresh()
    IS 'Replace alpaca_mirror_positions by Alpaca''s positions (GET /v2/positions), touching only rows that differ; returns how many were written. Used by the mirror worker after fills and when reconciling.';

CREATE FUNCTION alpaca_mirror_message(msg jsonb)
RETURNS text
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    d jsonb := msg->'data';
    o @extschema@.alpaca_order;
BEGIN
    IF jsonb_typeof(msg) <> 'object' OR jsonb_typeof(msg->'stream') <> 'string' OR jsonb_typeof(d) <> 'object' THEN
        RAISE EXCEPTION 'a stream message must be {"stream": ..., "data": {...}}' USING ERRCODE = 'protocol_violation';
    END IF;
    CASE msg->>'stream'
    WHEN 'authorization' THEN
        RETURN CASE WHEN d->>'status' = 'authorized' THEN 'authorized' ELSE 'unauthorized' END;
    WHEN 'listening' THEN
        RETURN CASE WHEN d->'streams' ? 'trade_updates' THEN 'listening' ELSE 'not listening' END;
    WHEN 'trade_updates' THEN
        IF jsonb_typeof(d->'event') <> 'string' OR jsonb_typeof(d->'order') <> 'object' THEN
            RAISE EXCEPTION 'a trade update needs an event and an order' USING ERRCODE = 'protocol_violation';
        END IF;
        o := jsonb_populate_record(NULL::@extschema@.alpaca_order, d->'order');
        PERFORM @extschema@.alpaca_mirror_order(o, d->>'event', (d->>'timestamp')::timestamptz);
        IF d->>'event' IN ('fill', 'partial_fill') THEN
            PERFORM @extschema@.alpaca_mirror_positions_refresh();
        END IF;
        RETURN 'applied';
    ELSE
        RETURN 'ignored';
    END CASE;
END
$$;
COMMENT ON FUNCTION alpaca_mirror_message(jsonb)
    IS 'Apply one message of Alpaca''s trade_updates stream to the mirror; returns what it was (authorized, unauthorized, listening, applied, ignored). Used by the mirror worker.';

CREATE FUNCTION alpaca_mirror_activity(e jsonb)
RETURNS boolean
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    r @extschema@.alpaca_activity_event := jsonb_populate_record(NULL::@extschema@.alpaca_activity_event, e);
BEGIN
    IF r.event_id IS NULL THEN
        RAISE EXCEPTION 'an activity event without an event_id' USING ERRCODE = 'protocol_violation';
    END IF;
    INSERT INTO @extschema@.alpaca_mirror_activities SELECT (r).*, clock_timestamp() ON CONFLICT (event_id) DO NOTHING;
    RETURN FOUND;
END
$$;
COMMENT ON FUNCTION alpaca_mirror_activity(jsonb)
    IS 'Add one account activity event (an event of the stream) to alpaca_mirror_activities unless it is there. Used by the mirror worker.';

CREATE FUNCTION alpaca_mirror_reconcile(since timestamptz DEFAULT now() - interval '7 days',
                                        OUT orders integer, OUT positions integer, OUT activities integer)
LANGUAGE plpgsql VOLATILE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    o @extschema@.alpaca_order;
    last_at timestamptz;
BEGIN
    orders := 0;
    FOR o IN SELECT * FROM @extschema@.alpaca_orders(status => 'all', after => since)
             UNION SELECT * FROM @extschema@.alpaca_orders(status => 'open')
    LOOP
        IF @extschema@.alpaca_mirror_order(o, 'reconciled') THEN
            orders := orders + 1;
        END IF;
    END LOOP;
    positions := @extschema@.alpaca_mirror_positions_refresh();
    SELECT max(m."at") INTO last_at FROM @extschema@.alpaca_mirror_activities m;
    INSERT INTO @extschema@.alpaca_mirror_activities
    SELECT e.*, clock_timestamp()
    FROM @extschema@.alpaca_activity_events(since => greatest(since, coalesce(last_at - interval '1 minute', since)), until => now()) e
    ON CONFLICT (event_id) DO NOTHING;
    GET DIAGNOSTICS activities = ROW_COUNT;
END
$$;
COMMENT ON FUNCTION alpaca_mirror_reconcile(timestamptz)
    IS 'Compare the mirror with Alpaca in full and heal it: every order submitted since since and every open one, all positions, and the activity events since the last mirrored one; returns how many rows of each changed. The mirror worker runs it at start, after each reconnect and every alpaca.mirror_reconcile_interval.';

REVOKE ALL ON FUNCTION alpaca_mirror_order(alpaca_order, text, timestamptz), alpaca_mirror_positions_refresh(),
    alpaca_mirror_message(jsonb), alpaca_mirror_activity(jsonb), alpaca_mirror_reconcile(timestamptz) FROM PUBLIC;

CREATE FUNCTION alpaca_mirror_status(
    OUT enabled boolean, OUT trade_updates text, OUT activities text, OUT messages bigint, OUT refused bigint,
    OUT reconnects bigint, OUT reconciliations bigint, OUT last_message_at timestamptz,
    OUT last_reconcile_at timestamptz, OUT last_activity_id text, OUT last_error text)
RETURNS record
AS 'MODULE_PATHNAME', 'alpaca_mirror_status'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_mirror_status()
    IS 'The mirror worker now: alpaca.mirror, the state of each stream (off, connecting, authenticating, listening, streaming, reconnecting), stream messages applied and refused, reconnects, reconciliations, when it last heard from a stream and last reconciled, the last activity event id (where the event stream resumes) and the last error.';
REVOKE ALL ON FUNCTION alpaca_mirror_status() FROM PUBLIC;
