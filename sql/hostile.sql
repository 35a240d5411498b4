--
-- Hostile answers: an upstream that answers anything at all.  Every case
-- ends in exact rows or a clear error (SQLSTATE 08P01 for an answer that is
-- not what Alpaca sends, 54000 for one too large), never a plausible row.
--
SELECT sim('reset');
-- each case is one answer: no retries (sql/budget.sql tests those)
SET alpaca.max_retries = 0;
-- arm one answer for path, run q, say what came of it
CREATE FUNCTION answer(path text, fault jsonb, q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE r text; st text; msg text; det text; hnt text;
BEGIN
    PERFORM alpaca_request('DELETE', '/_sim/faults');
    PERFORM sim('faults', fault || jsonb_build_object('path', path));
    EXECUTE q INTO r;
    RETURN 'ok: ' || coalesce(r, 'NULL');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RETURN st || ': ' || msg || coalesce(' | ' || nullif(det, ''), '') || coalesce(' | ' || nullif(hnt, ''), '');
END $$;
CREATE FUNCTION raw(path text, body text, q text) RETURNS text
LANGUAGE sql AS $$ SELECT answer(path, jsonb_build_object('raw', body), q) $$;

-- numbers keep every digit, whatever their size (json-c saturated them)
SELECT raw('/v2/account', '{"cash": 123456789012345678901234567890, "equity": -99999999999999999999, "buying_power": "0.000000000000000000001"}',
           'SELECT cash || '' '' || equity || '' '' || buying_power FROM alpaca_account()');
SELECT raw('/v2/account', '{"cash": 1.5e3, "equity": "-0.0"}', 'SELECT cash || '' '' || equity FROM alpaca_account()');
-- an integer column out of range is an error naming the field
SELECT raw('/v2/account', '{"daytrade_count": 99999999999}', 'SELECT daytrade_count FROM alpaca_account()');
SELECT raw('/v2/account', '{"daytrade_count": 1.5}', 'SELECT daytrade_count FROM alpaca_account()');

-- not JSON: each was accepted as if valid
SELECT v AS body, raw('/v2/account', v, 'SELECT cash FROM alpaca_account()') AS result
FROM unnest(ARRAY[
    '{"cash": NaN}', '{"cash": Infinity}', '{"cash": -Infinity}',
    '{"cash": 1 /* comment */}', '{''cash'': 1}', '{"cash": 1,}', '{"cash": [1,]}',
    '{"cash": 01}', '{"cash": 1} {"cash": 2}', '{"cash": 1', '', '   ']) AS v;
-- strings that are not numbers, in a numeric column
SELECT v AS cash, raw('/v2/account', format('{"cash": %s}', v), 'SELECT cash FROM alpaca_account()') AS result
FROM unnest(ARRAY['"NaN"', '"Infinity"', '" 12"', '"1,000"', 'true', '{"amount": 1}']) AS v;
-- NUL in a string
SELECT raw('/v2/account', '{"status": "ACT\u0000IVE"}', 'SELECT status FROM alpaca_account()');
-- PostgreSQL's special words never become times; epoch numbers only in range
SELECT v AS "timestamp", raw('/v2/clock', format('{"timestamp": %s, "is_open": true}', v), 'SELECT "timestamp" FROM alpaca_clock()') AS result
FROM unnest(ARRAY['"now"', '"today"', '"infinity"', '"-infinity"', '"epoch"', '9223372036854775807',
                  '-9223372036854775808', '1.5', '"2026-11-25"', '"2026-11-25T15:04:05"',
                  '"2026-11-25T15:04:05.123456789Z"', '"2026-11-25T10:04:05-05:00"', '1767225600']) AS v;
SELECT raw('/v2/calendar', '[{"date": "today", "open": "09:30", "close": "16:00"}]', 'SELECT count(*) FROM alpaca_calendar()');
-- invalid UTF-8 never reaches a text column; neither does an unpaired surrogate
SELECT answer('/v2/positions', '{"raw_b64": "W3sic3ltYm9sIjogIkFBUEz/In1d"}', 'SELECT symbol FROM alpaca_positions()');
SELECT answer('/v2/positions', '{"raw_b64": "W3sic3ltYm9sIjogIsCvIn1d"}', 'SELECT symbol FROM alpaca_positions()');
SELECT raw('/v2/positions', '[{"symbol": "A\ud800"}]', 'SELECT symbol FROM alpaca_positions()');
SELECT raw('/v2/positions', '[{"symbol": "A\udc00B"}]', 'SELECT symbol FROM alpaca_positions()');
-- escapes are read exactly
SELECT raw('/v2/positions', '[{"symbol": "caf\u00e9 \ud83d\ude00 \"q\" \\ \/"}]', 'SELECT symbol FROM alpaca_positions()');
SELECT raw('/v2/positions', '[{"sym\u0062ol": "B"}]', 'SELECT symbol FROM alpaca_positions()');

-- shapes: a list function given one object, or lists of lists
SELECT raw('/v2/positions', '{"symbol": "AAPL", "qty": "1"}', 'SELECT count(*) FROM alpaca_positions()');
SELECT raw('/v2/positions', '[[{"symbol": "AAPL"}], [[{"symbol": "MSFT"}]]]', 'SELECT count(*) FROM alpaca_positions()');
SELECT raw('/v2/positions', '[{"symbol": "AAPL"}, 7]', 'SELECT count(*) FROM alpaca_positions()');
SELECT raw('/v2/positions', 'null', 'SELECT count(*) FROM alpaca_positions()');
SELECT raw('/v2/positions', '[]', 'SELECT count(*) FROM alpaca_positions()');
SELECT raw('/v2/clock', '[{"is_open": true}]', 'SELECT is_open FROM alpaca_clock()');
SELECT raw('/v2/clock', '"open"', 'SELECT is_open FROM alpaca_clock()');
SELECT raw('/v2/options/contracts', '{"option_contracts": {"symbol": "X"}}', 'SELECT count(*) FROM alpaca_option_contracts()');
-- a field twice in one object has no right answer
SELECT raw('/v2/positions', '[{"symbol": "AAPL", "qty": "1", "qty": "1000"}]', 'SELECT qty FROM alpaca_positions()');
SELECT raw('/v2/orders', '[{"id": "6f1d2c3e-5a4b-4c8d-9e0f-a1b2c3d4e5f6", "legs": [], "legs": null}]', 'SELECT count(*) FROM alpaca_orders()');
-- wrong types
SELECT raw('/v2/assets', '[{"symbol": "X", "tradable": "yes"}]', 'SELECT tradable FROM alpaca_assets()');
SELECT raw('/v2/assets', '[{"symbol": "X", "attributes": "ipo"}]', 'SELECT attributes FROM alpaca_assets()');
SELECT raw('/v2/assets', '[{"symbol": "X", "attributes": [["ipo"]]}]', 'SELECT attributes FROM alpaca_assets()');
SELECT raw('/v2/assets', '[{"symbol": {"ticker": "X"}}]', 'SELECT symbol FROM alpaca_assets()');
SELECT raw('/v2/assets', '[{"id": "PK-not-a-uuid"}]', 'SELECT id FROM alpaca_assets()');
-- unknown fields pass (Alpaca adds them), into raw where there is one
SELECT raw('/v2/assets', '[{"symbol": "X", "new_field": {"a": [1, 2]}, "attributes": ["brand_new"]}]', 'SELECT symbol || '' '' || attributes::text FROM alpaca_assets()');
-- parallel arrays of different lengths are an error, not rows with holes
SELECT raw('/v2/account/portfolio/history', '{"timestamp": [1767225600, 1767312000], "equity": [1], "profit_loss": [0, 0]}', 'SELECT count(*) FROM alpaca_portfolio_history()');
SELECT raw('/v2/account/portfolio/history', '{"timestamp": [1767225600, 1767312000], "equity": ["100000.5", null], "base_value": "100000"}', 'SELECT string_agg(coalesce(equity::text, ''-'') || ''/'' || base_value, '','') FROM alpaca_portfolio_history()');
-- nesting 100,000 deep: an error, not a crash
SELECT answer('/v2/clock', '{"generate": {"item": "{\"a\":", "sep": "", "count": 100000, "tail": "1"}}', 'SELECT is_open FROM alpaca_clock()');
SELECT answer('/v2/clock', '{"generate": {"item": "[", "sep": "", "count": 100000}}', 'SELECT alpaca_request(''GET'', ''/v2/clock'')::text');
-- alpaca_request parses once, as strictly
SELECT raw('/v2/clock', '{"a": 1, "a": 2}', 'SELECT alpaca_request(''GET'', ''/v2/clock'')::text');
SELECT raw('/v2/clock', '{"cash": NaN}', 'SELECT alpaca_request(''GET'', ''/v2/clock'')::text');
SELECT raw('/v2/clock', '{"cash": 123456789012345678901234567890.10, "s": "\u00e9"}', 'SELECT alpaca_request(''GET'', ''/v2/clock'')::text');
SELECT raw('/v2/clock', '42', 'SELECT alpaca_request(''GET'', ''/v2/clock'')::text');
SELECT raw('/v2/clock', '', 'SELECT coalesce(alpaca_request(''GET'', ''/v2/clock'')::text, ''SQL NULL'')');

-- truncated, and cut mid-transfer
SELECT answer('/v2/clock', '{"raw": "{\"is_open\": true, \"timestamp\": \"2026-11-25T15:00:00Z\"}", "truncate": 20}', 'SELECT is_open FROM alpaca_clock()');
SELECT raw('/v2/clock', '{"is_open": tr', 'SELECT is_open FROM alpaca_clock()');

-- Retry-After as seconds, as an HTTP date, huge, or nonsense: a clear hint, capped
SELECT answer('/v2/clock', jsonb_build_object('status', 429, 'body', '{"code": 42910000, "message": "rate limit exceeded"}'::jsonb,
              'headers', jsonb_build_object('Retry-After', v)), 'SELECT is_open FROM alpaca_clock()') AS result, v AS retry_after
FROM unnest(ARRAY['7', 'Wed, 21 Oct 2015 07:28:00 GMT', '99999999999999999999999', 'soon']) AS v;
SELECT answer('/v2/clock', jsonb_build_object('status', 429, 'body', '{"code": 42910000, "message": "slow down"}'::jsonb,
              'headers', jsonb_build_object('Retry-After', to_char(now() AT TIME ZONE 'UTC' + interval '2 hours', 'Dy, DD Mon YYYY HH24:MI:SS "GMT"'))),
              'SELECT is_open FROM alpaca_clock()') ~ 'Retry in 3[56][0-9][0-9] seconds' AS http_date_in_two_hours_capped_at_an_hour;

-- big answers: refused before they are read, past alpaca.max_response_size
SHOW alpaca.max_response_size;
SELECT answer('/v2/assets', '{"generate": {"head": "[", "item": "{\"symbol\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", "count": 1000000, "tail": "]"}}',
              'SELECT count(*) FROM alpaca_assets()');
SELECT answer('/v2/assets', '{"chunked": true, "generate": {"head": "[", "item": "{\"symbol\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", "count": 1000000, "tail": "]"}}',
              'SELECT count(*) FROM alpaca_assets()');
-- 100 MB allowed in, under a statement_timeout: cancelled promptly, not after a minute
SET alpaca.max_response_size = '200MB';
SET statement_timeout = '500ms';
SELECT sim('faults', '{"path": "/v2/assets", "generate": {"head": "[", "item": "{\"symbol\": \"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\"}", "count": 1000000, "tail": "]"}}') IS NOT NULL AS armed;
CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
\set SHOW_CONTEXT never
SELECT count(*) FROM alpaca_assets();
\set SHOW_CONTEXT errors
RESET statement_timeout;
SELECT clock_timestamp() - t < interval '10 seconds' AS cancelled_promptly FROM t0;
RESET alpaca.max_response_size;
SELECT alpaca_request('DELETE', '/_sim/faults') IS NOT NULL AS cleared;
SELECT is_open IS NOT NULL AS recovered FROM alpaca_clock();
