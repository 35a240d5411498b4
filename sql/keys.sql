--
-- No role but a superuser can learn a key through SQL, and not even a
-- superuser can through a setting: a key is never a setting's value, only
-- its fingerprint is.  Echoed keys are scrubbed from every message.
--
SELECT sim('reset');
CREATE ROLE alpaca_monitor LOGIN IN ROLE pg_monitor;
CREATE ROLE alpaca_settings_reader LOGIN IN ROLE pg_read_all_settings;
CREATE ROLE alpaca_stats_reader LOGIN IN ROLE pg_read_all_stats;
CREATE ROLE alpaca_owner LOGIN CREATEROLE CREATEDB;
-- every way a setting is shown, for each kind of role
CREATE FUNCTION shown(r text) RETURNS TABLE (role text, how text, what text)
LANGUAGE plpgsql AS $$
DECLARE v text; k text := (sim_keys()).key_id; s text := (sim_keys()).secret_key;
BEGIN
    EXECUTE format('SET ROLE %I', r);
    FOR how, v IN
        SELECT 'current_setting(key_id)', current_setting('alpaca.key_id', true)
        UNION ALL SELECT 'current_setting(secret_key)', current_setting('alpaca.secret_key', true)
        UNION ALL SELECT 'pg_settings', string_agg(concat_ws(' ', name, setting, reset_val, boot_val), '; ')
                  FROM pg_settings WHERE name LIKE 'alpaca.%'
    LOOP
        role := r;
        what := CASE WHEN v LIKE '%' || k || '%' OR v LIKE '%' || s || '%' THEN 'A KEY' ELSE coalesce(left(v, 40), 'NULL') END;
        RETURN NEXT;
    END LOOP;
    RESET ROLE;
EXCEPTION WHEN OTHERS THEN
    RESET ROLE;
    role := r; how := 'error'; what := SQLERRM;
    RETURN NEXT;
END $$;
SELECT s.* FROM unnest(ARRAY['alpaca_monitor', 'alpaca_settings_reader', 'alpaca_stats_reader', 'alpaca_owner', current_user]) AS r,
     shown(r) AS s;
-- SHOW, for a monitoring role and a superuser
SET ROLE alpaca_monitor;
SHOW alpaca.key_id;
SHOW alpaca.secret_key;
SELECT count(*) FROM pg_file_settings;
RESET ROLE;
SHOW alpaca.key_id;
SHOW alpaca.secret_key;
-- and the keys still work
SELECT is_open IS NOT NULL AS keys_work FROM alpaca_clock();

-- an upstream that echoes the keys back, in every field and position
CREATE FUNCTION leaked(path text, fault jsonb, q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE msg text; det text; hnt text; ctx text; st text;
        k text := (sim_keys()).key_id; s text := (sim_keys()).secret_key; all_text text;
BEGIN
    PERFORM alpaca_request('DELETE', '/_sim/faults');
    -- one fault, or several (an object with its own path each)
    PERFORM sim('faults', f || jsonb_build_object('path', coalesce(f->>'path', path), 'echo_keys', true))
    FROM jsonb_array_elements(CASE jsonb_typeof(fault) WHEN 'array' THEN fault ELSE jsonb_build_array(fault) END) AS f;
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                            hnt = PG_EXCEPTION_HINT, ctx = PG_EXCEPTION_CONTEXT;
    all_text := concat_ws(' ', msg, det, hnt, ctx);
    -- any 8 characters of either key would be a leak in part
    RETURN CASE WHEN EXISTS (SELECT 1 FROM generate_series(1, length(k) - 7) i WHERE position(substr(k, i, 8) IN all_text) > 0)
                  OR EXISTS (SELECT 1 FROM generate_series(1, length(s) - 7) i WHERE position(substr(s, i, 8) IN all_text) > 0)
                THEN 'LEAKED: ' ELSE '' END || st || ': ' || msg || coalesce(' | ' || nullif(det, ''), '') || coalesce(' | ' || nullif(hnt, ''), '');
END $$;
-- Alpaca's code field, as text and as an object
SELECT leaked('/v2/account', '{"status": 401, "body": {"code": "{key_id}", "message": "{secret_key}"}}', 'SELECT alpaca_account()');
SELECT leaked('/v2/account', '{"status": 403, "body": {"code": {"k": "{secret_key}"}, "message": "bad {key_id}"}}', 'SELECT alpaca_account()');
-- a body that is not JSON, with the secret across the old 200-byte cut
SELECT leaked('/v2/account', jsonb_build_object('status', 502, 'content_type', 'text/html', 'raw', '<html>' || repeat('x', 185) || '{secret_key}</html>'), 'SELECT alpaca_account()');
SELECT leaked('/v2/account', jsonb_build_object('status', 502, 'content_type', 'text/html', 'raw', repeat('y', 300) || '{secret_key}'), 'SELECT alpaca_account()');
-- a 2xx answer with a key as a value, or as a bare word: refused unread
SELECT leaked('/v2/account', '{"raw": "{\"id\": \"{key_id}\"}"}', 'SELECT alpaca_account()');
SELECT leaked('/v2/clock', '{"raw": "{\"timestamp\": \"{secret_key}\"}"}', 'SELECT alpaca_clock()');
SELECT leaked('/v2/positions', '{"raw": "[{secret_key}]"}', 'SELECT alpaca_positions()');
SELECT leaked('/v2/clock', '{"raw": "{\"x\": \"{secret_key}\"}"}', 'SELECT alpaca_request(''GET'', ''/v2/clock'')');
-- headers
SELECT leaked('/v2/clock', '{"status": 429, "body": {"code": 42910000, "message": "slow"}, "headers": {"Retry-After": "{secret_key}"}}', 'SELECT alpaca_clock()');
-- an order's answer that echoes the keys: looked up, never quoted
SELECT leaked('/v2/orders', '{"after": true, "status": 502, "raw": "proxy says {key_id}:{secret_key}"}',
              $$SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', client_order_id => 'echo-1')$$);
-- and a lookup whose answer echoes them too
SELECT leaked('/v2/orders', '[{"method": "POST", "after": true, "status": 200, "raw": ""},
                              {"path": "/v2/orders:by_client_order_id", "status": 500, "raw": "{secret_key}"}]',
              $$SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', client_order_id => 'echo-2', type => 'limit', limit_price => 1, time_in_force => 'day')$$);
-- a base URL carrying credentials is never quoted whole
SET alpaca.base_url = 'ftp://PKSIMULATOR0000000001:sim-secret-0000000000000000000000000000@127.0.0.1/';
SELECT sqlstate_of('SELECT alpaca_clock()') ~ 'PKSIMULATOR0000000001|sim-secret-0000' AS leaked_base_url;
RESET alpaca.base_url;

-- keys cannot be stored where other roles can read them; the refusal
-- quotes no value, and the server log gets neither value nor statement
-- (scripts/test checks the log for every key this suite uses)
ALTER ROLE alpaca_owner SET alpaca.secret_key = 'leaked-by-alter-role-0042';
ALTER DATABASE contrib_regression SET alpaca.key_id = 'PKLEAKEDBYALTERDB0043';

-- rotating a key: the log says the setting changed, never to what
SET log_statement = 'all';
ALTER SYSTEM SET alpaca.key_id = 'PKROTATED000000000002';
RESET log_statement;
SELECT pg_reload_conf();
SELECT pg_sleep(1);
SHOW alpaca.key_id;
SELECT sqlstate_of('SELECT alpaca_clock()');
ALTER SYSTEM RESET alpaca.key_id;
SELECT pg_reload_conf();
SELECT pg_sleep(1);
SHOW alpaca.key_id;
SELECT is_open IS NOT NULL AS keys_work_again FROM alpaca_clock();

DROP FUNCTION shown(text);
DROP ROLE alpaca_monitor, alpaca_settings_reader, alpaca_stats_reader, alpaca_owner;
