--
-- An order is never lost to a strange answer.  Placing counts as refused
-- only on a well-formed Alpaca error, and as done only on a well-formed
-- order with our client_order_id; every other answer is looked up by that
-- id.  Every error carries the client_order_id to retry with.
--
SELECT sim('reset');
CREATE FUNCTION orders_with(cid text) RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*) FROM alpaca_orders(status => 'all') WHERE client_order_id = cid $$;
CREATE FUNCTION requests() RETURNS int LANGUAGE sql AS $$ SELECT (alpaca_request('GET', '/_sim/state')->>'requests')::int $$;
-- the order is placed, then the answer is replaced by something that is not an order
CREATE FUNCTION place_through(cid text, fault jsonb) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE o alpaca_order; st text; msg text;
BEGIN
    PERFORM alpaca_request('DELETE', '/_sim/faults');
    PERFORM sim('faults', fault || '{"method": "POST", "path": "/v2/orders"}');
    o := alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, client_order_id => cid);
    RETURN 'placed: ' || o.client_order_id || ' ' || o.status;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ': ' || msg;
END $$;
SELECT f AS answer, place_through('after-' || n, f::jsonb || '{"after": true}') AS result, orders_with('after-' || n) AS orders
FROM unnest(ARRAY[
    '{"status": 200, "raw": ""}',
    '{"status": 200, "content_type": "text/html", "raw": "<html>OK</html>"}',
    '{"status": 200, "raw": "{\"ok\": true}"}',
    '{"status": 200, "raw": "{\"id\": \"6f1d2c3e-5a4b-4c8d-9e0f-a1b2c3d4e5f6\", \"client_order_id\": \"someone-else\"}"}',
    '{"status": 201, "raw": "[]"}',
    '{"status": 502, "content_type": "text/html", "raw": "<html>Bad Gateway</html>"}',
    '{"status": 500, "raw": ""}',
    '{"status": 200, "raw": "{\"id\": \"6f1d2c3e-5a4b-4c8d-9e0f-a1b2c3d4e5f6\"", "truncate": 10}',
    '{"garble": "HTTP/1.1 2OO OK\r\n\r\n"}',
    '{"garble": "banana\r\n\r\n"}']) WITH ORDINALITY AS a(f, n);
-- the same answers when the order was not placed: with retries off, an
-- error that says so, and a retry with the same client_order_id places
-- exactly one
SET alpaca.max_retries = 0;
SELECT f AS answer, place_through('before-' || n, f::jsonb) AS result, orders_with('before-' || n) AS orders,
       place_through('before-' || n, '{"times": 0}') AS retried, orders_with('before-' || n) AS after_retry
FROM unnest(ARRAY[
    '{"status": 200, "raw": ""}',
    '{"status": 200, "content_type": "text/html", "raw": "<html>OK</html>"}',
    '{"status": 502, "content_type": "text/html", "raw": "<html>Bad Gateway</html>"}',
    '{"garble": "banana\r\n\r\n"}']) WITH ORDINALITY AS a(f, n);
RESET alpaca.max_retries;
-- with retries (alpaca.max_retries, default 2), the lookup that finds no
-- order sends it again, with the same client_order_id: placed once
SELECT place_through('auto-retry', '{"status": 502, "content_type": "text/html", "raw": "<html>Bad Gateway</html>"}') AS result,
       orders_with('auto-retry') AS orders;
-- 429 in Alpaca's words: not taken, so sent again after Retry-After
SELECT place_through('after-429', '{"status": 429, "body": {"code": 42910000, "message": "rate limit exceeded"}, "headers": {"Retry-After": "0"}}') AS result,
       orders_with('after-429') AS orders;
-- a well-formed refusal is final: no lookup
CREATE TEMP TABLE before AS SELECT requests() AS n;
SELECT place_through('refused', '{"status": 422, "body": {"code": 40010001, "message": "no"}}');
SELECT requests() - n AS requests_sent FROM before;
-- a 5xx error in Alpaca's own words may still have placed it: looked up
SELECT place_through('alpaca-500', '{"after": true, "status": 500, "body": {"code": 50010000, "message": "internal server error"}}');
-- nothing listening: not sent, 08001
SET alpaca.base_url = 'http://127.0.0.1:9';
SELECT place_through('nowhere', '{"times": 0}');
RESET alpaca.base_url;
-- the lookup itself fails: the order may exist; the error names the id
SELECT sim('faults', '{"path": "/v2/orders:by_client_order_id", "status": 503, "raw": "down"}') IS NOT NULL AS lookup_down;
SELECT sim('faults', '{"method": "POST", "path": "/v2/orders", "after": true, "status": 200, "raw": ""}') IS NOT NULL AS armed;
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, client_order_id => 'lookup-down');
-- every error while placing carries the client_order_id, a generated one too
DO $$
DECLARE ctx text;
BEGIN
    PERFORM sim('faults', '{"method": "POST", "path": "/v2/orders", "status": 403, "body": {"code": 40310000, "message": "insufficient buying power"}}');
    PERFORM alpaca_place_order('AAPL', qty => 1, side => 'buy');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS ctx = PG_EXCEPTION_CONTEXT;
    RAISE NOTICE 'context names a generated id: %', ctx ~ 'client_order_id "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"';
END $$;
SELECT count(*) AS orders, count(DISTINCT client_order_id) AS distinct_ids FROM alpaca_orders(status => 'all');
