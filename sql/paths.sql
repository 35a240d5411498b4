--
-- Paths stay put: no argument can name another endpoint, the keys go only
-- to the paper API or loopback, and oversized input is refused before
-- anything is sent.
--
SELECT sim('reset');
CREATE FUNCTION requests() RETURNS int LANGUAGE sql AS $$ SELECT (alpaca_request('GET', '/_sim/state')->>'requests')::int $$;
CREATE TEMP TABLE before AS SELECT requests() AS n;
-- every function that puts an argument in a path, with "", "." and ".."
-- (a symbol's "./." loses its slash to become ".."): 22023, and nothing
-- sent; elsewhere "./." stays one harmless segment, ".%2F.", and is sent
-- (two 404s)
SELECT q, sqlstate_of(format(q, quote_literal(v))) AS result
FROM unnest(ARRAY[
    'SELECT alpaca_asset(%s)',
    'SELECT alpaca_position(%s)',
    'SELECT alpaca_close_position(%s)',
    'SELECT alpaca_exercise_option(%s)',
    'SELECT alpaca_do_not_exercise_option(%s)',
    'SELECT alpaca_option_contract(%s)',
    'SELECT alpaca_remove_from_watchlist(''6f1d2c3e-5a4b-4c8d-9e0f-a1b2c3d4e5f6'', %s)',
    'SELECT alpaca_delete_whitelisted_address(%s)',
    'SELECT alpaca_activities_by_type(%s)']) AS q,
    unnest(ARRAY['', '.', '..', './.']) AS v
ORDER BY 1, 2;
SELECT requests() - n AS sent FROM before;
-- the escape hatch: dot segments, plain or %-encoded, are refused too
SELECT p, sqlstate_of(format('SELECT alpaca_request(''GET'', %L)', p)) AS result
FROM unnest(ARRAY['/v2/../v2/account', '/v2/./account', '/v2/positions/..', '/v2/positions/.?x=1',
                  '/v2/positions/%2e%2E', '/v2/positions/.%2e/', '/v2\account']) AS p;
SELECT requests() - n AS sent FROM before;
-- a symbol with a slash in it is fine (a crypto pair), and %-encoding stays encoding
SELECT symbol FROM alpaca_asset('BTC/USD');
SELECT sqlstate_of($$SELECT alpaca_position('%2e%2e')$$);

-- loopback means 127.0.0.0/8, ::1 or localhost; any other name needs https
SET alpaca.timeout_ms = 2000;
SELECT u, regexp_replace(sqlstate_of('SELECT alpaca_clock()'), ':[0-9]+', ':PORT', 'g') AS result
FROM unnest(ARRAY['http://127.attacker.example/', 'http://127.0.0.1.nip.io/', 'http://localhost.attacker.example/',
                  'http://0x7f.1/', 'http://127.0.0.1:9/', 'http://127.255.0.1:9/', 'http://[::1]:9/', 'http://localhost:9/']) AS u,
     LATERAL (SELECT set_config('alpaca.base_url', u, false)) s;
RESET alpaca.base_url;
RESET alpaca.timeout_ms;

-- oversized input: a clear error, quoting at most a few hundred bytes
SELECT length(sqlstate_of(format('SELECT alpaca_position(%L)', repeat('A', 1000000)))) < 300 AS short, sqlstate_of(format('SELECT alpaca_position(%L)', repeat('A', 1000000)));
SELECT length(e) < 400 AS short, left(e, 60) FROM (SELECT sqlstate_of(format($$SELECT alpaca_place_order('AAPL', qty => 1, side => %L)$$, repeat('x', 2000000))) AS e) s;
SELECT sqlstate_of(format($$SELECT alpaca_request('POST', '/v2/orders', jsonb_build_object('note', %L::text))$$, repeat('n', 2000000)));
SELECT requests() - n AS sent FROM before;
-- client_order_id is counted in characters
SELECT length(client_order_id) FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1,
                                                       client_order_id => repeat('é', 128));
SELECT sqlstate_of(format($$SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', client_order_id => %L)$$, repeat('é', 129)));
