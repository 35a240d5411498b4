-- generated client_order_ids make the CONTEXT of order errors differ run to run;
-- sql/placement.sql tests that context
\set SHOW_CONTEXT never
--
-- Orders: place, list, get, replace, cancel; every argument check; the full loop
--
SELECT sim('reset');
CREATE TEMP TABLE placed (name text PRIMARY KEY, id uuid);
-- a market order comes back as a typed row
SELECT symbol, qty, side, type, order_type, time_in_force, status, order_class, filled_qty,
       id IS NOT NULL AS has_id, client_order_id ~ '^[0-9a-f-]{36}$' AS generated_client_id,
       asset_class, extended_hours, position_intent
FROM alpaca_place_order('AAPL', qty => 10, side => 'buy', type => 'market', time_in_force => 'day');
-- type and time_in_force default to market and day
SELECT type, time_in_force FROM alpaca_place_order('MSFT', qty => 1, side => 'buy');
-- limit, stop, stop_limit, trailing_stop
WITH o AS (SELECT * FROM alpaca_place_order('AAPL', qty => 5, side => 'buy', type => 'limit', limit_price => 100.25,
                                            time_in_force => 'gtc', client_order_id => 'limit-1'))
INSERT INTO placed SELECT 'limit', id FROM o RETURNING name;
SELECT type, limit_price, stop_price, time_in_force, status FROM alpaca_order_by_client_id('limit-1');
SELECT type, stop_price, status FROM alpaca_place_order('AAPL', qty => 1, side => 'sell', type => 'stop', stop_price => 120);
SELECT type, stop_price, limit_price FROM alpaca_place_order('AAPL', qty => 1, side => 'sell', type => 'stop_limit', stop_price => 120, limit_price => 119.5);
SELECT type, trail_percent, trail_price FROM alpaca_place_order('AAPL', qty => 1, side => 'sell', type => 'trailing_stop', trail_percent => 2.5);
SELECT type, trail_price FROM alpaca_place_order('AAPL', qty => 1, side => 'sell', type => 'trailing_stop', trail_price => 3);
-- notional and fractional orders
SELECT notional, qty, status FROM alpaca_place_order('SPY', notional => 250.50, side => 'buy');
SELECT qty, status FROM alpaca_order_by_client_id(
    (alpaca_place_order('TSLA', qty => 0.125, side => 'buy', client_order_id => 'frac-1')).client_order_id);
-- advanced orders: legs come back as jsonb
SELECT order_class, type, jsonb_array_length(legs) AS legs,
       jsonb_path_query_array(legs, '$[*].type') AS leg_types,
       jsonb_path_query_array(legs, '$[*].status') AS leg_status
FROM alpaca_place_order('AAPL', qty => 2, side => 'buy', type => 'limit', limit_price => 140,
                        order_class => 'bracket', take_profit_limit_price => 170,
                        stop_loss_stop_price => 130, stop_loss_limit_price => 129);
SELECT order_class, jsonb_path_query_array(legs, '$[*].type') AS leg_types
FROM alpaca_place_order('AAPL', qty => 1, side => 'sell', type => 'limit', limit_price => 200,
                        order_class => 'oco', take_profit_limit_price => 200, stop_loss_stop_price => 100);
SELECT order_class, jsonb_path_query_array(legs, '$[*].type') AS leg_types
FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 140,
                        order_class => 'oto', stop_loss_stop_price => 120);
-- crypto trades around the clock, gtc
SELECT symbol, asset_class, status FROM alpaca_place_order('BTC/USD', qty => 0.01, side => 'buy', time_in_force => 'gtc');
SELECT position_intent FROM alpaca_place_order('MSFT', qty => 1, side => 'buy', position_intent => 'buy_to_open');
--
-- argument checks: each refused before any request is sent
--
CREATE TEMP TABLE requests_before AS SELECT (sim('state') ->> 'requests')::int AS n;
SELECT alpaca_place_order('AAPL', qty => -1, side => 'buy');
SELECT alpaca_place_order('AAPL', qty => 0, side => 'buy');
SELECT alpaca_place_order('AAPL', qty => 'NaN', side => 'buy');
SELECT alpaca_place_order('AAPL', side => 'buy');
SELECT alpaca_place_order('AAPL', qty => 1, notional => 10, side => 'buy');
SELECT alpaca_place_order('AAPL', notional => -5, side => 'buy');
SELECT alpaca_place_order('AAPL', notional => 50, side => 'buy', type => 'limit', limit_price => 1);
SELECT alpaca_place_order('AAPL', qty => 1);
SELECT alpaca_place_order(NULL, qty => 1, side => 'buy');
SELECT alpaca_place_order('', qty => 1, side => 'buy');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'hold');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'iceberg');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => NULL);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', time_in_force => 'forever');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => -3);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'stop');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'stop_limit', stop_price => 1);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', limit_price => 100);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', stop_price => 100);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'sell', type => 'trailing_stop');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'sell', type => 'trailing_stop', trail_price => 1, trail_percent => 1);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'sell', trail_percent => 1);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', extended_hours => true);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, time_in_force => 'ioc', extended_hours => true);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', order_class => 'ladder');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', order_class => 'bracket', take_profit_limit_price => 200);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', order_class => 'bracket', stop_loss_stop_price => 100);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', order_class => 'oco', take_profit_limit_price => 200, stop_loss_stop_price => 100);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', order_class => 'oto');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', order_class => 'oto', take_profit_limit_price => 200, stop_loss_stop_price => 100);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', take_profit_limit_price => 200);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', order_class => 'bracket', take_profit_limit_price => 200, stop_loss_limit_price => 99);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', position_intent => 'buy_to_hold');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', client_order_id => '');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', client_order_id => repeat('x', 129));
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', legs => '[]');
-- nothing above reached the simulator
SELECT (sim('state') ->> 'requests')::int - n AS requests_sent FROM requests_before;
--
-- the API's own refusals: 403 buying power, 403 quantity, 422 parameters
--
SELECT alpaca_place_order('AAPL', qty => 100000, side => 'buy');
SELECT alpaca_place_order('GME', qty => 10, side => 'sell');
SELECT alpaca_place_order('GME', qty => 0.5, side => 'buy');
SELECT alpaca_place_order('ZZZZZZ', qty => 1, side => 'buy');
SELECT alpaca_place_order('OLDCO', qty => 1, side => 'buy');
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', client_order_id => 'limit-1');
SELECT sqlstate_of($$SELECT alpaca_place_order('AAPL', qty => 100000, side => 'buy')$$);
SELECT sqlstate_of($$SELECT alpaca_place_order('GME', qty => 0.5, side => 'buy')$$);
--
-- list, get, replace, cancel
--
SELECT status, count(*) FROM alpaca_orders(status => 'all') GROUP BY 1 ORDER BY 1;
SELECT count(*) AS open_orders FROM alpaca_orders();
SELECT count(*) AS open_aapl_buys FROM alpaca_orders(symbols => ARRAY['AAPL'], side => 'buy');
SELECT count(*) AS two FROM alpaca_orders(status => 'all', "limit" => 2);
SELECT count(*) AS crypto FROM alpaca_orders(status => 'all', asset_class => ARRAY['crypto']);
SELECT count(*) AS none_after FROM alpaca_orders(status => 'all', after => now() + interval '1 hour');
SELECT count(*) = (SELECT count(*) FROM alpaca_orders(status => 'all')) AS all_before
FROM alpaca_orders(status => 'all', until => now() + interval '1 hour');
SELECT bool_and(submitted_at <= coalesce(lead_at, submitted_at)) AS ascending
FROM (SELECT submitted_at, lead(submitted_at) OVER () AS lead_at
      FROM alpaca_orders(status => 'all', direction => 'asc')) s;
SELECT jsonb_array_length(legs) AS nested_legs FROM alpaca_orders(status => 'all', nested => true) WHERE order_class = 'bracket';
SELECT o.symbol, o.limit_price FROM placed p, alpaca_order(p.id) o WHERE p.name = 'limit';
-- replace: a new order replaces the old
WITH r AS (SELECT r.* FROM placed p, alpaca_replace_order(p.id, qty => 3, limit_price => 101.5) r WHERE p.name = 'limit')
INSERT INTO placed SELECT 'replacement', id FROM r RETURNING name;
SELECT o.qty, o.limit_price, o.status, o.replaces = p.id AS replaces_old
FROM placed p, placed n, alpaca_order(n.id) o WHERE p.name = 'limit' AND n.name = 'replacement';
SELECT o.status, o.replaced_by = n.id AS replaced_by_new
FROM placed p, placed n, alpaca_order(p.id) o WHERE p.name = 'limit' AND n.name = 'replacement';
SELECT alpaca_replace_order(id) FROM placed WHERE name = 'replacement';
SELECT alpaca_replace_order(id, qty => -2) FROM placed WHERE name = 'replacement';
SELECT alpaca_replace_order(NULL, qty => 2);
SELECT alpaca_replace_order(id, time_in_force => 'sometimes') FROM placed WHERE name = 'replacement';
\set VERBOSITY terse
SELECT alpaca_replace_order(id, qty => 1) FROM placed WHERE name = 'limit';
\set VERBOSITY default
SELECT sqlstate_of(format('SELECT alpaca_replace_order(%L, qty => 1)', id)) FROM placed WHERE name = 'limit';
-- cancel one; cancel again is refused; unknown id is 404
SELECT alpaca_cancel_order(id) FROM placed WHERE name = 'replacement';
SELECT o.status, o.canceled_at IS NOT NULL AS canceled_at FROM placed p, alpaca_order(p.id) o WHERE p.name = 'replacement';
\set VERBOSITY terse
SELECT alpaca_cancel_order(id) FROM placed WHERE name = 'replacement';
\set VERBOSITY default
SELECT sqlstate_of(format('SELECT alpaca_cancel_order(%L)', id)) FROM placed WHERE name = 'replacement';
SELECT alpaca_cancel_order('00000000-0000-4000-8000-000000000000');
SELECT sqlstate_of($$SELECT alpaca_cancel_order('00000000-0000-4000-8000-000000000000')$$);
SELECT * FROM alpaca_order('00000000-0000-4000-8000-000000000000');
SELECT * FROM alpaca_order_by_client_id('no-such-order');
SELECT alpaca_cancel_order(NULL) IS NULL AS strict;
-- cancel all: one row per order, each with its status (207 Multi-Status)
SELECT count(*) > 0 AS some, bool_and(status = 200) AS all_ok, bool_and(body->>'status' = 'canceled') AS canceled
FROM alpaca_cancel_all_orders();
SELECT count(*) AS open_after FROM alpaca_orders();
SELECT count(*) AS nothing_left FROM alpaca_cancel_all_orders();
--
-- the full loop: buy, poll until filled, the position appears, close all, it is gone
--
SELECT sim('reset');
SELECT sim('config', '{"fill_delay_ms": 300}') ->> 'fill_delay_ms' AS fill_delay_ms;
WITH o AS (SELECT * FROM alpaca_place_order('AAPL', qty => 10, side => 'buy'))
INSERT INTO placed SELECT 'loop', id FROM o RETURNING name;
SELECT o.status AS before_fill FROM placed p, alpaca_order(p.id) o WHERE p.name = 'loop';
DO $$
DECLARE s text; polls int := 0;
BEGIN
    LOOP
        SELECT o.status INTO s FROM placed p, alpaca_order(p.id) o WHERE p.name = 'loop';
        EXIT WHEN s = 'filled' OR polls > 200;
        polls := polls + 1;
        PERFORM pg_sleep(0.05);
    END LOOP;
    RAISE NOTICE 'status %, polled more than once: %', s, polls > 1;
END $$;
SELECT o.filled_qty, o.filled_avg_price, o.filled_at IS NOT NULL AS filled_at FROM placed p, alpaca_order(p.id) o WHERE p.name = 'loop';
SELECT symbol, qty, side, avg_entry_price, cost_basis, market_value FROM alpaca_positions();
-- positions join local tables
SELECT p.symbol, p.qty, t.target, p.market_value FROM alpaca_positions() p JOIN (VALUES ('AAPL', 5::numeric)) t(symbol, target) USING (symbol);
SELECT sim('config', '{"fill_delay_ms": 0}') ->> 'fill_delay_ms' AS fill_delay_ms;
SELECT symbol, status, body->>'side' AS side, body->>'qty' AS qty FROM alpaca_close_all_positions();
SELECT count(*) AS positions_left FROM alpaca_positions();
SELECT cash FROM alpaca_account();
--
-- a limit order fills when the simulated price crosses it
--
SELECT (alpaca_place_order('AAPL', qty => 4, side => 'buy', type => 'limit', limit_price => 145, client_order_id => 'cross')).status;
SELECT status FROM alpaca_order_by_client_id('cross');
SELECT sim('prices', '{"AAPL": "144.50"}') ->> 'AAPL' AS aapl;
SELECT status, filled_avg_price FROM alpaca_order_by_client_id('cross');
-- an oco exit: the take-profit fills and cancels its stop-loss leg
SELECT (alpaca_place_order('AAPL', qty => 4, side => 'sell', type => 'limit', limit_price => 150,
        order_class => 'oco', take_profit_limit_price => 150, stop_loss_stop_price => 140, client_order_id => 'exit')).status;
SELECT sim('prices', '{"AAPL": "151"}') ->> 'AAPL' AS aapl;
SELECT status, legs->0->>'status' AS stop_leg FROM alpaca_order_by_client_id('exit');
SELECT count(*) AS positions_left FROM alpaca_positions();
--
-- exactly once under connection faults
--
-- cut after Alpaca took the order: libcurl resends on a fresh connection,
-- Alpaca refuses the duplicate client_order_id, and the order is found and returned
SELECT sim('faults', '{"method": "POST", "path": "/v2/orders", "drop": "after"}') IS NOT NULL AS armed;
SELECT client_order_id, status FROM alpaca_place_order('MSFT', qty => 1, side => 'buy', client_order_id => 'cut-after');
SELECT count(*) AS placed_once FROM alpaca_orders(status => 'all') WHERE client_order_id = 'cut-after';
-- the same with our own generated client_order_id
SELECT sim('faults', '{"method": "POST", "path": "/v2/orders", "drop": "after"}') IS NOT NULL AS armed;
SET client_min_messages = warning;  -- the notice names the random id
SELECT symbol, client_order_id ~ '^[0-9a-f-]{36}$' AS generated FROM alpaca_place_order('KKR', qty => 1, side => 'buy');
RESET client_min_messages;
SELECT count(*) AS placed_once FROM alpaca_orders(status => 'all', symbols => ARRAY['KKR']);
-- cut before Alpaca saw it, twice: not placed, and (with retries off) the
-- caller is told to retry with the same id; sql/placement.sql shows the
-- retry alpaca.max_retries makes by itself
SET alpaca.max_retries = 0;
SELECT sim('faults', '{"method": "POST", "path": "/v2/orders", "drop": "before", "times": 2}') IS NOT NULL AS armed;
SELECT client_order_id FROM alpaca_place_order('MSFT', qty => 1, side => 'buy', client_order_id => 'cut-before');
SELECT count(*) AS not_placed FROM alpaca_orders(status => 'all') WHERE client_order_id = 'cut-before';
RESET alpaca.max_retries;
SELECT client_order_id FROM alpaca_place_order('MSFT', qty => 1, side => 'buy', client_order_id => 'cut-before');
-- a retry of a placed order, with its client_order_id, is that order: Alpaca
-- refuses the duplicate id, and the order it holds is this one
SELECT client_order_id, status FROM alpaca_place_order('MSFT', qty => 1, side => 'buy', client_order_id => 'cut-after');
-- another order under a used client_order_id is refused, saying so
SELECT sqlstate_of($$SELECT alpaca_place_order('MSFT', qty => 2, side => 'buy', client_order_id => 'cut-after')$$);
SELECT count(*) AS msft_orders FROM alpaca_orders(status => 'all', symbols => ARRAY['MSFT']);
