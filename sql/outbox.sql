--
-- Orders that follow transactions: alpaca_queue_order() in a transaction,
-- sent by the alpaca outbox worker only after COMMIT, never after ROLLBACK,
-- exactly once; the role's limits at queue time and again at send time;
-- approval above alpaca.approval_above_notional.
--
SELECT sim('reset');
SELECT current_user AS owner \gset
\getenv pw PGPASSWORD
\if :{?pw}
\else
\set pw 'trust'
\endif
SELECT backend_type FROM pg_stat_activity WHERE backend_type = 'alpaca outbox';
CREATE FUNCTION orders_at_alpaca(cid text) RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM alpaca_orders(status => 'all') WHERE client_order_id = cid $$;
CREATE FUNCTION outcome(cid text) RETURNS text LANGUAGE sql AS $$
    SELECT concat_ws(' | ', status, 'attempts ' || attempts, http_status, error)
    FROM alpaca_wait_for_order(cid) $$;

-- ROLLBACK: never sent
BEGIN;
SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'ob-rollback');
SELECT status FROM alpaca_order_outbox WHERE client_order_id = 'ob-rollback';
-- waiting inside the transaction that queued it would wait forever
SELECT sqlstate_of($$SELECT alpaca_wait_for_order('ob-rollback')$$);
ROLLBACK;
SELECT pg_sleep(0.3);
SELECT count(*) AS queued FROM alpaca_order_outbox WHERE client_order_id = 'ob-rollback';
SELECT orders_at_alpaca('ob-rollback') AS at_alpaca;

-- COMMIT: sent once, the answer recorded beside it, the trail names it
BEGIN;
SELECT alpaca_queue_order('AAPL', qty => 2, side => 'buy', type => 'limit', limit_price => 100,
                          client_order_id => 'ob-commit') AS cid;
SELECT count(*) AS sent_before_commit FROM alpaca_audit WHERE client_order_id = 'ob-commit';
COMMIT;
SELECT outcome('ob-commit');
SELECT o.status, o.symbol, o.qty, o.order_id = (o.answer->>'id')::uuid AS same_order,
       o.answer->>'limit_price' AS limit_price, o.request->>'client_order_id' AS sent_cid,
       o.answered_at >= o.sent_at AND o.sent_at >= o.queued_at AS in_order
FROM alpaca_order_outbox o WHERE client_order_id = 'ob-commit';
SELECT orders_at_alpaca('ob-commit') AS at_alpaca;
SELECT a.function, a.method, a.path, a.role = current_user AS queuing_role, a.outcome, a.status
FROM alpaca_audit a WHERE client_order_id = 'ob-commit';
-- the same client_order_id twice
SELECT sqlstate_of($$SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'ob-commit')$$);
-- the order's shape is checked as alpaca_place_order checks it
SELECT sqlstate_of($$SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', type => 'limit')$$);
SELECT sqlstate_of($$SELECT alpaca_queue_order('AAPL', qty => 1, notional => 5, side => 'buy')$$);

-- several in one transaction: all or none
BEGIN;
SELECT alpaca_queue_order(s, qty => 1, side => 'buy', client_order_id => 'ob-batch-' || s) FROM unnest(ARRAY['AAPL', 'MSFT', 'SPY']) s;
COMMIT;
SELECT client_order_id, outcome(client_order_id), orders_at_alpaca(client_order_id) AS at_alpaca
FROM alpaca_order_outbox WHERE client_order_id LIKE 'ob-batch-%' ORDER BY 1;

-- Alpaca's refusal, in its own words
SELECT sim('faults', '{"method": "POST", "path": "/v2/orders", "status": 403, "body": {"code": 40310000, "message": "insufficient buying power"}}');
SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'ob-refused');
SELECT outcome('ob-refused');
SELECT answer->>'message' AS alpaca_said FROM alpaca_order_outbox WHERE client_order_id = 'ob-refused';
SELECT orders_at_alpaca('ob-refused') AS at_alpaca;

-- placed, then the connection dropped before the answer: looked up, placed once
SELECT sim('faults', '{"method": "POST", "path": "/v2/orders", "drop": "after"}');
SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'ob-dropped');
SELECT outcome('ob-dropped');
SELECT orders_at_alpaca('ob-dropped') AS at_alpaca;
-- not placed and no answer (a gateway's page): looked up, absent, sent again with the same id
SELECT sim('faults', '{"method": "POST", "path": "/v2/orders", "status": 502, "content_type": "text/html", "raw": "<html>Bad Gateway</html>"}');
SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'ob-502');
SELECT outcome('ob-502');
SELECT orders_at_alpaca('ob-502') AS at_alpaca;
-- no answer at all, for a while: stays 'sending', tried again later with the same id
SELECT sim('faults', '{"method": "POST", "path": "/v2/orders", "drop": "before", "times": 20}');
SELECT sim('faults', '{"method": "GET", "path": "/v2/orders:by_client_order_id", "drop": "before", "times": 20}');
SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'ob-unreachable');
SELECT status, attempts >= 1 AS tried, error IS NOT NULL AS has_error, next_attempt_at > sent_at AS retried_later
FROM alpaca_wait_for_order('ob-unreachable', '1 s');
SELECT alpaca_request('DELETE', '/_sim/faults') IS NOT NULL AS faults_cleared;
SELECT status, attempts >= 2 AS sent_again, http_status, error FROM alpaca_wait_for_order('ob-unreachable');
SELECT orders_at_alpaca('ob-unreachable') AS at_alpaca;

-- roles: an agent queues, a person approves
CREATE ROLE alpaca_queuer LOGIN PASSWORD :'pw';
CREATE ROLE alpaca_approver LOGIN PASSWORD :'pw';
GRANT EXECUTE ON FUNCTION alpaca_queue_order(text, numeric, text, text, text, numeric, numeric, numeric, numeric, boolean, text, text, numeric, numeric, numeric, text, numeric, jsonb, jsonb),
    alpaca_wait_for_order(text, interval), alpaca_reject_order(text, text), sim(text, jsonb), alpaca_request(text, text, jsonb),
    alpaca_orders(text, integer, timestamptz, timestamptz, text, boolean, text[], text, text[], uuid, uuid)
    TO alpaca_queuer, alpaca_approver;
GRANT EXECUTE ON FUNCTION alpaca_approve_order(text) TO alpaca_approver;
GRANT SELECT ON alpaca_order_outbox TO alpaca_queuer, alpaca_approver;
ALTER ROLE alpaca_queuer SET alpaca.approval_above_notional = '1000';
ALTER ROLE alpaca_queuer SET alpaca.max_order_notional = '50000';
ALTER ROLE alpaca_queuer SET alpaca.max_orders_per_day = 4;
ALTER ROLE alpaca_approver SET alpaca.approval_above_notional = '1';
SELECT sim('prices', '{"AAPL": "190.00"}');
\c - alpaca_queuer
-- the limits apply when queued: nothing is queued
SELECT sqlstate_of($$SELECT alpaca_queue_order('AAPL', qty => 1000, side => 'buy', client_order_id => 'ob-too-big')$$);
SELECT count(*) FROM alpaca_order_outbox WHERE client_order_id = 'ob-too-big';
-- below the approval line: sent at commit
SELECT alpaca_queue_order('AAPL', qty => 5, side => 'buy', client_order_id => 'ob-small');
SELECT outcome('ob-small');
-- above it: waits
SELECT alpaca_queue_order('AAPL', qty => 10, side => 'buy', client_order_id => 'ob-big');
SELECT alpaca_queue_order('AAPL', qty => 20, side => 'buy', client_order_id => 'ob-big-2');
SELECT client_order_id, status, order_value FROM alpaca_order_outbox WHERE client_order_id LIKE 'ob-big%' ORDER BY 1;
-- the role cannot approve its own order, nor write the outbox
SELECT sqlstate_of($$SELECT alpaca_approve_order('ob-big')$$);
SELECT sqlstate_of($$UPDATE alpaca_order_outbox SET status = 'queued' WHERE client_order_id = 'ob-big'$$);
SELECT sqlstate_of($$INSERT INTO alpaca_order_outbox (client_order_id, queued_by, request) VALUES ('x', current_user, '{}')$$);
-- queued orders count toward alpaca.max_orders_per_day (ob-small, ob-big, ob-big-2 so far)
SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'ob-fourth') IS NOT NULL AS fourth;
SELECT sqlstate_of($$SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'ob-fifth')$$);
-- it sees its own orders only
SELECT count(*) FILTER (WHERE queued_by <> current_user) AS others, count(*) > 0 AS own FROM alpaca_order_outbox;
-- and may withdraw its proposal
SELECT status, decided_by = current_user AS by_itself, error FROM alpaca_reject_order('ob-big-2', 'changed my mind');
\c - alpaca_approver
SELECT count(*) FILTER (WHERE queued_by = 'alpaca_queuer') AS sees_the_queuers FROM alpaca_order_outbox;
BEGIN;
SELECT status, decided_by FROM alpaca_approve_order('ob-big');
-- sent only when the approval commits
SELECT pg_sleep(0.2);
SELECT status FROM alpaca_order_outbox WHERE client_order_id = 'ob-big';
COMMIT;
SELECT outcome('ob-big');
SELECT sqlstate_of($$SELECT alpaca_approve_order('ob-big')$$);
SELECT sqlstate_of($$SELECT alpaca_reject_order('ob-big')$$);
SELECT sqlstate_of($$SELECT alpaca_approve_order('ob-big-2')$$);
SELECT sqlstate_of($$SELECT alpaca_approve_order('no-such-order')$$);
-- a role that may approve cannot approve its own proposal either
SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'ob-own');
SELECT sqlstate_of($$SELECT alpaca_approve_order('ob-own')$$);
SELECT status FROM alpaca_reject_order('ob-own');
\c - :owner
SELECT client_order_id, status, orders_at_alpaca(client_order_id) AS at_alpaca
FROM alpaca_order_outbox WHERE client_order_id IN ('ob-small', 'ob-big', 'ob-big-2') ORDER BY 1;
-- the trail names the role that queued each order it sent
SELECT client_order_id, role, function FROM alpaca_audit
WHERE client_order_id IN ('ob-small', 'ob-big') AND method = 'POST' ORDER BY 1;

-- the limits are checked again when the order is sent, with the role's settings then
ALTER ROLE alpaca_queuer RESET alpaca.max_orders_per_day;
\c - alpaca_queuer
SELECT alpaca_queue_order('AAPL', qty => 50, side => 'buy', client_order_id => 'ob-halted');
\c - :owner
ALTER ROLE alpaca_queuer SET alpaca.trading_enabled = off;
\c - alpaca_approver
SELECT status FROM alpaca_approve_order('ob-halted');
SELECT outcome('ob-halted');
\c - :owner
SELECT orders_at_alpaca('ob-halted') AS at_alpaca;
-- an order's value that cannot be known waits for approval while the line is set
ALTER ROLE alpaca_queuer RESET alpaca.trading_enabled;
ALTER ROLE alpaca_queuer RESET alpaca.max_order_notional;
\c - alpaca_queuer
SELECT sim('faults', '{"method": "GET", "path": "/v2/stocks/trades/latest", "status": 200, "body": {"trades": {}}}');
SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'ob-no-price');
SELECT status, order_value FROM alpaca_order_outbox WHERE client_order_id = 'ob-no-price';
\c - :owner
DROP OWNED BY alpaca_queuer, alpaca_approver;
DROP ROLE alpaca_queuer, alpaca_approver;
-- rows the dropped roles queued stay, as a record
SELECT count(*) > 0 AS kept FROM alpaca_order_outbox WHERE queued_by = 'alpaca_queuer';
DELETE FROM alpaca_order_outbox WHERE client_order_id = 'ob-no-price';
