--
-- A slow request stops at once on statement_timeout or cancel, and the
-- connection is usable right after.
--
SELECT sim('reset');
-- the simulator holds GET /v2/clock for 20 seconds
SELECT sim('faults', '{"path": "/v2/clock", "delay_ms": 20000}') IS NOT NULL AS armed;
CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
SET statement_timeout = '200ms';
SELECT alpaca_clock();
RESET statement_timeout;
SELECT clock_timestamp() - t < interval '5 seconds' AS stopped_at_once FROM t0;
SELECT is_open IS NOT NULL AS usable_after FROM alpaca_clock();
-- the cancel is an ordinary query_canceled that PL/pgSQL can trap
SELECT sim('faults', '{"path": "/v2/account", "delay_ms": 20000}') IS NOT NULL AS armed;
SET statement_timeout = '300ms';
DO $$
BEGIN
    PERFORM alpaca_account();
EXCEPTION WHEN query_canceled THEN
    RAISE NOTICE 'canceled: %', SQLERRM;
END $$;
RESET statement_timeout;
-- alpaca.timeout_ms bounds one request without cancelling the statement
SELECT sim('faults', '{"path": "/v2/positions", "delay_ms": 5000}') IS NOT NULL AS armed;
SET alpaca.timeout_ms = 300;
SELECT * FROM alpaca_positions();
SELECT sqlstate_of('SELECT alpaca_positions()') AS second_call_not_delayed;
RESET alpaca.timeout_ms;
-- a timed-out order is looked up before an error is raised
SELECT sim('faults', '{"method": "POST", "path": "/v2/orders", "delay_ms": 3000}') IS NOT NULL AS armed;
-- (retries off: the caller retries; sql/placement.sql shows alpaca.max_retries doing it)
SET alpaca.max_retries = 0;
SET alpaca.timeout_ms = 300;
SELECT client_order_id FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', client_order_id => 'slow-1');
RESET alpaca.timeout_ms;
RESET alpaca.max_retries;
-- the retry with the same id places it; the late first attempt is then refused as a duplicate
SELECT client_order_id, status FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', client_order_id => 'slow-1');
SELECT pg_sleep(3);
SELECT count(*) AS placed_once FROM alpaca_orders(status => 'all') WHERE client_order_id = 'slow-1';
