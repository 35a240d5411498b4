--
-- The mirror: alpaca_mirror_orders, _positions and _activities kept current
-- by the alpaca mirror worker from the simulator's trade_updates WebSocket and
-- activity event stream; missed events healed by reconciliation; hostile
-- messages refused.
--
SELECT sim('reset');
-- wait (up to 10 s) until a condition holds
CREATE FUNCTION eventually(cond text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE ok boolean;
BEGIN
    FOR i IN 1..1000 LOOP
        EXECUTE 'SELECT ' || cond INTO ok;
        IF ok THEN RETURN true; END IF;
        PERFORM pg_sleep(0.01);
    END LOOP;
    RETURN false;
END $$;
-- orders that differ between the mirror and Alpaca (every field)
CREATE FUNCTION mirror_differs() RETURNS bigint LANGUAGE sql AS $$
    WITH alpaca AS (SELECT to_jsonb(o) AS j FROM alpaca_orders(status => 'all', after => now() - interval '7 days') o),
         mirror AS (SELECT to_jsonb(m) - ARRAY['last_event', 'event_at', 'mirrored_at'] AS j FROM alpaca_mirror_orders m)
    SELECT count(*) FROM ((SELECT j FROM alpaca EXCEPT SELECT j FROM mirror) UNION ALL (SELECT j FROM mirror EXCEPT SELECT j FROM alpaca)) d $$;
CREATE FUNCTION mirrored(order_id uuid, want text) RETURNS boolean LANGUAGE sql AS $$
    SELECT eventually(format('EXISTS (SELECT 1 FROM alpaca_mirror_orders WHERE id = %L AND status = %L)', order_id, want)) $$;
TRUNCATE alpaca_mirror_orders, alpaca_mirror_positions, alpaca_mirror_activities;
SELECT enabled, trade_updates, activities FROM alpaca_mirror_status();

-- on: the worker reconciles, connects, authenticates and listens
ALTER SYSTEM SET alpaca.mirror = on;
ALTER SYSTEM SET alpaca.mirror_reconcile_interval = '1h';
SELECT pg_reload_conf();
SELECT eventually($$(SELECT trade_updates = 'listening' AND activities = 'streaming' FROM alpaca_mirror_status())$$) AS listening;
SELECT backend_type FROM pg_stat_activity WHERE backend_type = 'alpaca mirror';

-- an order: new, then filled; each change a row, the position after the fill
SELECT id AS market_id FROM alpaca_place_order('AAPL', qty => 3, side => 'buy', client_order_id => 'mirror-market') \gset
SELECT mirrored(:'market_id', 'filled') AS filled;
SELECT client_order_id, symbol, qty, filled_qty, status, last_event, event_at IS NOT NULL AS has_event_time
FROM alpaca_mirror_orders WHERE id = :'market_id';
SELECT eventually($$EXISTS (SELECT 1 FROM alpaca_mirror_positions WHERE symbol = 'AAPL' AND qty = 3)$$) AS position;
-- exactly Alpaca's order, field for field
SELECT to_jsonb(m) - ARRAY['last_event', 'event_at', 'mirrored_at'] = to_jsonb(alpaca_order(:'market_id')) AS same_as_alpaca
FROM alpaca_mirror_orders m WHERE id = :'market_id';
-- the fill's activity event, from the event stream
SELECT eventually($$EXISTS (SELECT 1 FROM alpaca_mirror_activities WHERE activity_type = 'FILL' AND details->>'order_id' = '$$ || :'market_id' || $$')$$) AS activity;
-- a limit order that rests, then is canceled
SELECT id AS limit_id FROM alpaca_place_order('MSFT', qty => 1, side => 'buy', type => 'limit', limit_price => 1) \gset
SELECT mirrored(:'limit_id', 'new') AS resting;
SELECT alpaca_cancel_order(:'limit_id');
SELECT mirrored(:'limit_id', 'canceled') AS canceled;
SELECT last_event FROM alpaca_mirror_orders WHERE id = :'limit_id';

-- a replayed event changes nothing
SELECT mirrored_at AS before FROM alpaca_mirror_orders WHERE id = :'limit_id' \gset
SELECT messages AS messages_before, reconciliations AS reconciliations_before FROM alpaca_mirror_status() \gset
SELECT sim('stream', '{"replay": 2, "disconnect": true}') IS NOT NULL AS replay_armed;
-- listening again, and the comparison that follows every reconnect done
SELECT eventually($$(SELECT reconnects >= 1 AND trade_updates = 'listening' AND reconciliations > $$ || :reconciliations_before || $$
                     FROM alpaca_mirror_status())$$) AS reconnected;
SELECT eventually($$(SELECT messages >= $$ || :messages_before + 2 || $$ FROM alpaca_mirror_status())$$) AS replay_received;
SELECT mirrored_at = :'before' AS unchanged FROM alpaca_mirror_orders WHERE id = :'limit_id';

-- events lost on the stream: the mirror lacks the order until a reconciliation heals it
-- (every event of that order: a market order has three, and the fill may
-- come before or after a count of them runs out)
SELECT sim('stream', '{"lose_for": ["mirror-lost"]}') IS NOT NULL AS lose_armed;
SELECT id AS lost_id FROM alpaca_place_order('SPY', qty => 1, side => 'buy', client_order_id => 'mirror-lost') \gset
SELECT pg_sleep(0.3);
SELECT count(*) AS mirrored_without_reconciling FROM alpaca_mirror_orders WHERE id = :'lost_id';
SELECT mirror_differs() AS differing_rows;
SELECT * FROM alpaca_mirror_reconcile();
SELECT status, last_event FROM alpaca_mirror_orders WHERE id = :'lost_id';
SELECT mirror_differs() AS differing_rows;
-- the worker reconciles on its own every alpaca.mirror_reconcile_interval
ALTER SYSTEM SET alpaca.mirror_reconcile_interval = '1s';
SELECT pg_reload_conf();
-- (a reload that changes neither the server nor the keys keeps the streams)
SELECT reconnects AS reconnects_before FROM alpaca_mirror_status() \gset
SELECT sim('stream', '{"lose_for": ["mirror-lost-2"]}') IS NOT NULL AS lose_armed;
SELECT id AS lost2_id FROM alpaca_place_order('SPY', qty => 2, side => 'buy', client_order_id => 'mirror-lost-2') \gset
SELECT mirrored(:'lost2_id', 'filled') AS healed;
SELECT reconnects = :reconnects_before AS kept_the_streams FROM alpaca_mirror_status();
SELECT last_event FROM alpaca_mirror_orders WHERE id = :'lost2_id';

-- a stream cut while orders change: reconnect, then reconcile
SELECT sim('stream', '{"disconnect": true}') IS NOT NULL AS cut;
SELECT id AS during_id FROM alpaca_place_order('AAPL', qty => 1, side => 'sell', client_order_id => 'mirror-during-cut') \gset
SELECT mirrored(:'during_id', 'filled') AS after_the_cut;
SELECT eventually('mirror_differs() = 0') AS nothing_differs;
SELECT eventually($$(SELECT qty = 2 FROM alpaca_mirror_positions WHERE symbol = 'AAPL')$$) AS position_after_the_cut;

-- hostile messages are refused, counted, and heal by reconciliation; the stream goes on
SELECT eventually($$(SELECT trade_updates = 'listening' FROM alpaca_mirror_status())$$) AS listening_again;
SELECT sim('stream', '{"lose": 0}') IS NOT NULL AS nothing_left_to_lose;
SELECT refused AS refused_before FROM alpaca_mirror_status() \gset
SELECT sim('stream', jsonb_build_object('inject', m)) IS NOT NULL AS injected
FROM unnest(ARRAY[
    '{"stream": "trade_updates", "data": {"event": "fill", "order": {"id": "not-a-uuid"}}}',
    '{"stream": "trade_updates", "stream": "trade_updates", "data": {}}',
    '{"stream": "trade_updates", "data": {"event": "fill", "order": {"id": "6f1d2c3e-5a4b-4c8d-9e0f-a1b2c3d4e5f6", "qty": NaN}}}',
    '{"stream": "trade_updates", "data": {"event": "fill"}}',
    '[1, 2, 3]',
    'not json at all',
    -- an upstream that echoes the keys: refused unread, never a row anyone can read
    format('{"stream": "trade_updates", "data": {"event": "new", "order": {"id": "6f1d2c3e-5a4b-4c8d-9e0f-a1b2c3d4e5f6", "client_order_id": "%s"}}}',
           (SELECT secret_key FROM sim_keys()))]) AS m;
SELECT eventually($$(SELECT refused >= $$ || :refused_before + 7 || $$ FROM alpaca_mirror_status())$$) AS all_refused;
SELECT count(*) AS ghost_rows FROM alpaca_mirror_orders WHERE id = '6f1d2c3e-5a4b-4c8d-9e0f-a1b2c3d4e5f6';
SELECT id AS after_id FROM alpaca_place_order('MSFT', qty => 1, side => 'buy', client_order_id => 'mirror-after-hostile') \gset
SELECT mirrored(:'after_id', 'filled') AS still_mirroring;
SELECT last_error IS NOT NULL AS error_shown, last_error !~ 'PKSIM|sim-secret' AS no_key_in_it FROM alpaca_mirror_status();

-- the event stream resumes after its last event: nothing missing, nothing twice
SELECT sim('stream', '{"disconnect": true}') IS NOT NULL AS cut;
SELECT id AS resumed_id FROM alpaca_place_order('SPY', qty => 1, side => 'sell', client_order_id => 'mirror-resumed') \gset
SELECT mirrored(:'resumed_id', 'filled') AS filled;
SELECT eventually($$(SELECT count(*) FROM alpaca_mirror_activities) = (SELECT count(*) FROM alpaca_activity_events(since => '2000-01-01'))$$) AS same_events;
SELECT count(*) = count(DISTINCT event_id) AS none_twice FROM alpaca_mirror_activities;
-- a new worker (after a restart) resumes the event stream after the last event in the table
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'alpaca mirror';
SELECT eventually($$(SELECT trade_updates = 'off' FROM alpaca_mirror_status())$$) AS stopped;
-- an order while no worker runs: its events are missed, and healed
SELECT id AS while_down_id FROM alpaca_place_order('MSFT', qty => 1, side => 'sell', client_order_id => 'mirror-while-down') \gset
SELECT eventually($$(SELECT trade_updates = 'listening' AND activities = 'streaming' FROM alpaca_mirror_status())$$) AS restarted;
SELECT mirrored(:'while_down_id', 'filled') AS healed;
SELECT id AS after_restart_id FROM alpaca_place_order('SPY', qty => 1, side => 'buy', client_order_id => 'mirror-after-restart') \gset
SELECT mirrored(:'after_restart_id', 'filled') AS filled;
SELECT eventually($$(SELECT count(*) FROM alpaca_mirror_activities) = (SELECT count(*) FROM alpaca_activity_events(since => '2000-01-01'))$$) AS same_events;
SELECT count(*) = count(DISTINCT event_id) AS none_twice FROM alpaca_mirror_activities;

-- a connection that goes silent (half-open: no events, no answer to a ping)
-- is given up after twice alpaca.mirror_ping_interval and opened again
ALTER SYSTEM SET alpaca.mirror_ping_interval = '1s';
SELECT pg_reload_conf();
SELECT eventually($$(SELECT trade_updates = 'listening' FROM alpaca_mirror_status())$$) AS listening;
SELECT pg_sleep(0.2);
SELECT eventually($$(SELECT trade_updates = 'listening' FROM alpaca_mirror_status())$$) AS listening_with_pings;
SELECT reconnects AS reconnects_before FROM alpaca_mirror_status() \gset
SELECT sim('stream', '{"stall": true}') IS NOT NULL AS stalled;
SELECT id AS stalled_id FROM alpaca_place_order('SPY', qty => 2, side => 'sell', client_order_id => 'mirror-stalled') \gset
SELECT eventually($$(SELECT reconnects > $$ || :reconnects_before || $$ AND trade_updates = 'listening' FROM alpaca_mirror_status())$$) AS gave_up_and_reconnected;
SELECT mirrored(:'stalled_id', 'filled') AS healed;
ALTER SYSTEM RESET alpaca.mirror_ping_interval;
SELECT pg_reload_conf();

-- an error is shown until the work it was about succeeds: Alpaca down when
-- the worker (re)starts, then back (the error of the start was kept for
-- good before)
SELECT sim('faults', '{"path": "/v2/.*", "status": 503, "raw": "down", "times": 100000}') IS NOT NULL AS alpaca_down;
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'alpaca mirror';
CREATE FUNCTION mirror_error_seen() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..300 LOOP
        IF EXISTS (SELECT 1 FROM alpaca_mirror_status() WHERE last_error LIKE 'reconciling: %') THEN RETURN true; END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
    RETURN false;
END $$;
SELECT mirror_error_seen() AS error_at_start;
SELECT alpaca_request('DELETE', '/_sim/faults') IS NOT NULL AS alpaca_back;
-- (it tries again 5 s after a failed reconciliation; eventually() waits 10)
SELECT eventually($$(SELECT last_error IS NULL AND trade_updates = 'listening' FROM alpaca_mirror_status())$$) AS error_cleared;
SELECT last_error FROM alpaca_workers() WHERE worker = 'alpaca mirror';

-- the mirror is not readable by PUBLIC
CREATE ROLE alpaca_onlooker;
SET ROLE alpaca_onlooker;
SELECT sqlstate_of('SELECT count(*) FROM alpaca_mirror_orders');
SELECT sqlstate_of('SELECT * FROM alpaca_mirror_status()');
RESET ROLE;
DROP ROLE alpaca_onlooker;

-- off: the worker disconnects
ALTER SYSTEM RESET alpaca.mirror;
ALTER SYSTEM RESET alpaca.mirror_reconcile_interval;
SELECT pg_reload_conf();
SELECT eventually($$(SELECT trade_updates = 'off' AND activities = 'off' FROM alpaca_mirror_status())$$) AS off;
SELECT eventually($$(SELECT (sim('stream', '{}')->>'open')::int = 0)$$) AS no_stream_open_at_alpaca;
