-- generated client_order_ids make the CONTEXT of order errors differ run to run;
-- sql/placement.sql tests that context
\set SHOW_CONTEXT never
--
-- Every HTTP status Alpaca can answer becomes an ERROR with a fitting
-- SQLSTATE, Alpaca's code and message in the detail, and no key material.
--
SELECT sim('reset');
-- each case is one answer: no retries (sql/budget.sql tests those)
SET alpaca.max_retries = 0;
CREATE FUNCTION fault_then(status int, body jsonb, q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE st text; msg text; det text; hnt text;
BEGIN
    PERFORM sim('faults', jsonb_build_object('path', '/v2/clock', 'status', status, 'body', body));
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RETURN concat_ws(' | ', st, msg, det, hnt);
END $$;
SELECT s AS http, fault_then(s, jsonb_build_object('code', s * 100000, 'message', 'simulated ' || s), 'SELECT alpaca_clock()') AS error
FROM unnest(ARRAY[400, 401, 403, 404, 405, 409, 422, 429, 500, 502, 503, 418]) AS s;
-- a body that is not JSON (a proxy's error page) still gives a clear error
SELECT fault_then(502, '"<html>Bad Gateway</html>"', 'SELECT alpaca_clock()');
-- a 200 answer that is not valid for the row type
SELECT fault_then(200, '{"timestamp": "not a time", "is_open": true}', 'SELECT alpaca_clock()');
SELECT fault_then(200, '[1, 2]', 'SELECT alpaca_clock()');
SELECT alpaca_clock() IS NOT NULL AS recovered;
-- the whole error, as psql shows it
SELECT sim('faults', '{"path": "/v2/orders", "status": 403, "body": {"code": 40310000, "message": "insufficient buying power"}}') IS NOT NULL AS armed;
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy');
SELECT sim('faults', '{"path": "/v2/orders/.*", "method": "DELETE", "status": 422, "body": {"code": 42210000, "message": "order is not cancelable"}}') IS NOT NULL AS armed;
SELECT alpaca_cancel_order('00000000-0000-4000-8000-000000000001');
SELECT sim('faults', '{"path": "/v2/positions", "status": 429, "body": {"code": 42910000, "message": "rate limit exceeded"}}') IS NOT NULL AS armed;
SELECT * FROM alpaca_positions();
-- cancel-all and close-all answer 500 when Alpaca cannot act at all
SELECT sim('faults', '{"method": "DELETE", "path": "/v2/orders", "status": 500, "body": {"code": 50010000, "message": "failed to cancel orders"}}') IS NOT NULL AS armed;
SELECT * FROM alpaca_cancel_all_orders();
SELECT sim('faults', '{"method": "DELETE", "path": "/v2/positions", "status": 500, "body": {"code": 50010000, "message": "failed to liquidate"}}') IS NOT NULL AS armed;
SELECT * FROM alpaca_close_all_positions();
-- the simulator's rate limit answers 429 like Alpaca
SELECT sim('config', '{"rate_limit": 1}') IS NOT NULL AS limited;
SELECT count(*) >= 0 AS first_ok FROM alpaca_positions();
SELECT sqlstate_of('SELECT alpaca_positions()');
SELECT sim('config', '{"rate_limit": null}') IS NOT NULL AS unlimited;
-- transport failures: nothing listening
SET alpaca.timeout_ms = 2000;
SELECT set_config('alpaca.base_url', 'http://127.0.0.1:9', false) IS NOT NULL AS pointed_at_closed_port;
SELECT alpaca_clock();
SELECT sqlstate_of('SELECT alpaca_clock()');
RESET alpaca.base_url;
SELECT alpaca_clock() IS NOT NULL AS back;
-- only the paper API and loopback, unless live trading is allowed
SET alpaca.base_url = 'https://api.alpaca.markets';
SELECT alpaca_clock();
SET alpaca.base_url = 'http://paper-api.alpaca.markets';
SELECT alpaca_clock();
SET alpaca.base_url = 'ftp://127.0.0.1/';
SELECT alpaca_clock();
SET alpaca.base_url = 'not a url';
SELECT alpaca_clock();
RESET alpaca.base_url;
-- the escape hatch keeps to the configured host
SELECT alpaca_request('GET', '@evil.example/v2/account');
SELECT alpaca_request('GET', 'v2/account');
SELECT alpaca_request('GET', '/v2/acc ount');
SELECT alpaca_request('TRACE', '/v2/account');
SELECT alpaca_request(NULL, '/v2/account');
SELECT alpaca_request('GET', '/v2/no/such/endpoint');
SELECT alpaca_request('DELETE', '/v2/orders/00000000-0000-4000-8000-000000000000');
-- missing keys: a clear error and a hint, and no request
SET alpaca.key_id = '';
SELECT alpaca_account();
RESET alpaca.key_id;
SELECT (alpaca_account()).status;
