--
-- The keys are the account: no other role may read or change them, and no
-- error shows them.
--
SELECT sim('reset');
CREATE ROLE alpaca_agent LOGIN;
-- superuser sees that the settings exist, but SHOW ALL and pg_settings do not list them
SELECT name FROM pg_settings WHERE name LIKE 'alpaca.%' ORDER BY 1;
SET ROLE alpaca_agent;
SHOW alpaca.secret_key;
SHOW alpaca.key_id;
SELECT current_setting('alpaca.secret_key');
SELECT name FROM pg_settings WHERE name LIKE 'alpaca.%' ORDER BY 1;
SET alpaca.secret_key = 'stolen';
SET alpaca.base_url = 'http://127.0.0.1:1/';
SET alpaca.allow_live = on;
-- a role may shorten its own timeout
SET alpaca.timeout_ms = 5000;
RESET alpaca.timeout_ms;
-- functions are not callable until granted
SELECT alpaca_clock();
RESET ROLE;
GRANT EXECUTE ON FUNCTION alpaca_clock(), alpaca_positions(), alpaca_account() TO alpaca_agent;
SET ROLE alpaca_agent;
SELECT is_open FROM alpaca_clock();
SELECT count(*) FROM alpaca_positions();
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy');
RESET ROLE;
-- keys cannot be stored where every role can read them
ALTER ROLE alpaca_agent SET alpaca.secret_key = 'abc';
ALTER DATABASE contrib_regression SET alpaca.key_id = 'abc';
CREATE FUNCTION leaky() RETURNS int LANGUAGE sql SET alpaca.secret_key = 'abc' AS 'SELECT 1';
SELECT count(*) AS stored_settings FROM pg_db_role_setting WHERE array_to_string(setconfig, ',') LIKE '%alpaca%';
-- no error text carries a key, even when Alpaca's answer echoes it back
-- (SQL cannot read the keys, not even a superuser: the simulator echoes
-- the keys the request carried, and sim_keys() knows the test bed's own)
DO $$
DECLARE msg text; det text; hnt text; k text := (sim_keys()).key_id; s text := (sim_keys()).secret_key;
BEGIN
    PERFORM sim('faults', jsonb_build_object('path', '/v2/account', 'status', 401, 'echo_keys', true,
        'body', jsonb_build_object('code', 40110000, 'message', 'bad key {key_id} with secret {secret_key}')));
    PERFORM alpaca_account();
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL, hnt = PG_EXCEPTION_HINT;
    RAISE NOTICE 'key in error: %, secret in error: %', concat(msg, det, hnt) LIKE '%' || k || '%', concat(msg, det, hnt) LIKE '%' || s || '%';
    RAISE NOTICE '%', det;
END $$;
-- a wrong secret: 403 from Alpaca, and the wrong secret is not shown either
SET alpaca.secret_key = 'wrong-secret-1234';
SELECT alpaca_account();
RESET alpaca.secret_key;
DROP OWNED BY alpaca_agent;
DROP ROLE alpaca_agent;
