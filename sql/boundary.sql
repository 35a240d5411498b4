--
-- The boundary, tried as a hostile role would try it (one case per numbered
-- finding of the issue "The boundary holds"): temp views and functions that
-- shadow catalogs and the extension's tables, a writable public, raw
-- requests, marketable prices, other names for a symbol, read-only
-- transactions, group roles, hostile stream messages, the shared budget, a
-- cancelled call, the log filter, and requests per call.  Every attack ends
-- in a refusal; no role becomes superuser; no key is read; no order passes
-- a limit; nothing reaches Alpaca from a read-only transaction.
--
-- Assertions print SQLSTATEs, booleans and counts, not messages: the words
-- are not settled.  Each case cleans up after itself.
--
SELECT sim('reset');
SELECT current_user AS owner \gset
\getenv pw PGPASSWORD
\if :{?pw}
\else
\set pw 'trust'
\endif
CREATE EXTENSION dblink;
-- the SQLSTATE a statement fails with, or 'no error'
CREATE FUNCTION bnd_state(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE st text;
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
    RETURN st;
END $$;
-- what reached the simulator: API requests (the control plane is not
-- counted), and the orders it holds
CREATE FUNCTION bnd_requests() RETURNS int LANGUAGE sql AS $$ SELECT (alpaca_request('GET', '/_sim/state')->>'requests')::int $$;
CREATE FUNCTION bnd_orders() RETURNS int LANGUAGE sql AS $$ SELECT (alpaca_request('GET', '/_sim/state')->>'orders')::int $$;
-- wait (up to 10 s, or as long as given) until a condition holds
CREATE FUNCTION bnd_eventually(cond text, seconds numeric DEFAULT 10) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE ok boolean;
BEGIN
    FOR i IN 1..(seconds * 100)::int LOOP
        EXECUTE 'SELECT ' || cond INTO ok;
        IF ok THEN RETURN true; END IF;
        PERFORM pg_sleep(0.01);
    END LOOP;
    RETURN false;
END $$;
-- does this text hold either key of the test bed?
CREATE FUNCTION bnd_has_key(t text) RETURNS boolean LANGUAGE sql AS $$
    SELECT coalesce(strpos(t, (sim_keys()).key_id) > 0 OR strpos(t, (sim_keys()).secret_key) > 0, false) $$;
-- an option contract Alpaca lists, by symbol and by id
SELECT symbol AS opt, id AS opt_id FROM alpaca_option_contracts(underlying_symbols => ARRAY['AAPL'], type => 'call')
ORDER BY abs(strike_price - 150), expiration_date LIMIT 1 \gset
SELECT id AS gme_id FROM alpaca_asset('GME') \gset

--
-- 1. Temp views named pg_extension and pg_class (searched before
-- pg_catalog) choose the role the next query runs as and the table it
-- reads: a temp view whose WHERE calls the attacker's pg_temp function,
-- then run as a superuser.  Tried through each entry point: reject (a role
-- granted only alpaca_reject_order), approve, queue, and place while
-- alpaca.max_orders_per_day is set.
--
-- The attacker's kit, created as the attacker (security invoker) in its own
-- temp schema: loot it can read, the function, the shadows, and a row in its
-- own "outbox" so that the call succeeds and what the function did commits.
CREATE FUNCTION bnd_shadow_catalogs() RETURNS void LANGUAGE plpgsql AS $plant$
BEGIN
    CREATE TEMP TABLE loot (what text);
    CREATE FUNCTION pg_temp.evil() RETURNS boolean LANGUAGE plpgsql AS $f$
    BEGIN
        IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
            INSERT INTO pg_temp.loot VALUES ('ran as ' || current_user);
            EXECUTE pg_catalog.format('ALTER ROLE %I SUPERUSER', session_user);
            INSERT INTO pg_temp.loot SELECT pg_catalog.pg_read_file(pg_catalog.current_setting('config_file'));
        END IF;
        RETURN true;
    END $f$;
    -- the outbox's columns, one default calling the function; a row to approve or reject
    CREATE TEMP TABLE box (client_order_id text PRIMARY KEY, status text DEFAULT 'pending_approval',
        queued_by name DEFAULT 'nobody', queued_at timestamptz DEFAULT now(), symbol text, side text,
        qty numeric, notional numeric, order_value numeric, request jsonb, decided_by name,
        decided_at timestamptz, attempts integer DEFAULT (CASE WHEN pg_temp.evil() THEN 0 END),
        sent_at timestamptz, next_attempt_at timestamptz, answered_at timestamptz, http_status integer,
        order_id uuid, error text, answer jsonb);
    INSERT INTO pg_temp.box (client_order_id, request) VALUES ('bnd-1-box', '{}');
    CREATE TEMP VIEW alpaca_order_outbox AS SELECT * FROM pg_temp.box WHERE (SELECT pg_temp.evil());
    CREATE TEMP TABLE trail (id bigint, at timestamptz, role name, function text, client_order_id text);
    CREATE TEMP VIEW alpaca_audit AS SELECT * FROM pg_temp.trail WHERE (SELECT pg_temp.evil());
    -- the extension "is" in the attacker's temp schema, owned by a superuser
    CREATE TEMP VIEW pg_extension AS
        SELECT e.oid, e.extname, pg_catalog.pg_my_temp_schema() AS extnamespace,
               (SELECT min(r.oid) FROM pg_catalog.pg_roles r WHERE r.rolsuper) AS extowner, e.extversion
        FROM pg_catalog.pg_extension e;
    CREATE TEMP VIEW pg_namespace AS SELECT * FROM pg_catalog.pg_namespace;
    CREATE TEMP VIEW pg_class AS
        SELECT c.oid, c.relname, c.relnamespace, (SELECT min(r.oid) FROM pg_catalog.pg_roles r WHERE r.rolsuper) AS relowner
        FROM pg_catalog.pg_class c;
END $plant$;
-- what came of it: is the attacker superuser now, did its function run as
-- one, did it read a key
CREATE FUNCTION bnd_spoils(OUT became_superuser boolean, OUT ran_as_superuser boolean, OUT read_a_key boolean)
LANGUAGE plpgsql AS $$
BEGIN
    SELECT r.rolsuper INTO became_superuser FROM pg_catalog.pg_roles r WHERE r.rolname = session_user;
    EXECUTE 'SELECT count(*) > 0, coalesce(bool_or(bnd_has_key(what)), false) FROM pg_temp.loot' INTO ran_as_superuser, read_a_key;
END $$;
CREATE ROLE bnd_1_reject LOGIN PASSWORD :'pw';
CREATE ROLE bnd_1_approve LOGIN PASSWORD :'pw';
CREATE ROLE bnd_1_queue LOGIN PASSWORD :'pw';
CREATE ROLE bnd_1_place LOGIN PASSWORD :'pw';
GRANT EXECUTE ON FUNCTION alpaca_reject_order(text, text) TO bnd_1_reject;
GRANT EXECUTE ON FUNCTION alpaca_approve_order(text) TO bnd_1_approve;
GRANT EXECUTE ON FUNCTION alpaca_queue_order(text, numeric, text, text, text, numeric, numeric, numeric, numeric, boolean, text, text, numeric, numeric, numeric, text, numeric, jsonb, jsonb) TO bnd_1_queue;
GRANT EXECUTE ON FUNCTION alpaca_place_order(text, numeric, text, text, text, numeric, numeric, numeric, numeric, boolean, text, text, numeric, numeric, numeric, text, numeric, jsonb, jsonb) TO bnd_1_place;
ALTER ROLE bnd_1_place SET alpaca.max_orders_per_day = 5;
\c - bnd_1_reject
SELECT bnd_shadow_catalogs();
SELECT bnd_state($$SELECT alpaca_reject_order('bnd-1-box')$$) IS NOT NULL AS tried_reject;
SELECT * FROM bnd_spoils();
\c - bnd_1_approve
SELECT bnd_shadow_catalogs();
SELECT bnd_state($$SELECT alpaca_approve_order('bnd-1-box')$$) IS NOT NULL AS tried_approve;
SELECT * FROM bnd_spoils();
\c - bnd_1_queue
SELECT bnd_shadow_catalogs();
SELECT bnd_state($$SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, client_order_id => 'bnd-1-queue')$$) IS NOT NULL AS tried_queue;
SELECT * FROM bnd_spoils();
\c - bnd_1_place
SELECT bnd_shadow_catalogs();
SELECT bnd_state($$SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1)$$) IS NOT NULL AS tried_place;
SELECT * FROM bnd_spoils();
\c - :owner
SELECT rolname, rolsuper FROM pg_roles WHERE rolname LIKE 'bnd\_1\_%' ORDER BY 1;
ALTER ROLE bnd_1_reject NOSUPERUSER;
ALTER ROLE bnd_1_approve NOSUPERUSER;
ALTER ROLE bnd_1_queue NOSUPERUSER;
ALTER ROLE bnd_1_place NOSUPERUSER;
SELECT bnd_state($$SELECT alpaca_wait_for_order('bnd-1-queue')$$) IS NOT NULL AS settled;
DELETE FROM alpaca_order_outbox WHERE client_order_id = 'bnd-1-queue';
DROP OWNED BY bnd_1_reject, bnd_1_approve, bnd_1_queue, bnd_1_place;
DROP ROLE bnd_1_reject, bnd_1_approve, bnd_1_queue, bnd_1_place;
DROP FUNCTION bnd_shadow_catalogs(), bnd_spoils();
SELECT sim('reset');

--
-- 2. CREATE on public for PUBLIC (the default before 15, kept by upgraded
-- clusters): a role with read functions only plants exact-type overloads
-- of what the workers call unqualified, as superuser, with search_path
-- "$user", public.  The audit worker: jsonb_populate_record(alpaca_audit,
-- jsonb); the outbox worker: unnest(text[]) and the operator ^ (integer,
-- integer).
--
GRANT CREATE ON SCHEMA public TO PUBLIC;
CREATE ROLE bnd_2_audit LOGIN PASSWORD :'pw';
CREATE ROLE bnd_2_outbox LOGIN PASSWORD :'pw';
GRANT EXECUTE ON FUNCTION alpaca_clock(), alpaca_positions() TO bnd_2_audit, bnd_2_outbox;
\c - bnd_2_audit
CREATE TABLE bnd_2_loot (who text, what text);
CREATE FUNCTION bnd_2_evil() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        INSERT INTO public.bnd_2_loot
        SELECT (SELECT a.backend_type FROM pg_catalog.pg_stat_activity a WHERE a.pid = pg_catalog.pg_backend_pid()),
               pg_catalog.pg_read_file(pg_catalog.current_setting('config_file'));
        ALTER ROLE bnd_2_audit SUPERUSER;
    END IF;
END $$;
CREATE FUNCTION jsonb_populate_record(base alpaca_audit, from_json jsonb) RETURNS alpaca_audit
LANGUAGE plpgsql AS $$ BEGIN PERFORM public.bnd_2_evil(); RETURN pg_catalog.jsonb_populate_record(base, from_json); END $$;
\c - :owner
-- any state-changing call: the audit worker writes its intent
SELECT status FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, client_order_id => 'bnd-2-audit');
SELECT pg_sleep(0.2);
SELECT rolsuper AS became_superuser FROM pg_roles WHERE rolname = 'bnd_2_audit';
SELECT count(*) > 0 AS ran_as_superuser, coalesce(bool_or(bnd_has_key(what)), false) AS read_a_key FROM bnd_2_loot;
ALTER ROLE bnd_2_audit NOSUPERUSER;
DROP OWNED BY bnd_2_audit;
\c - bnd_2_outbox
CREATE TABLE bnd_2_loot (who text, what text);
CREATE FUNCTION bnd_2_evil() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = current_user) THEN
        INSERT INTO public.bnd_2_loot
        SELECT (SELECT a.backend_type FROM pg_catalog.pg_stat_activity a WHERE a.pid = pg_catalog.pg_backend_pid()),
               pg_catalog.pg_read_file(pg_catalog.current_setting('config_file'));
        ALTER ROLE bnd_2_outbox SUPERUSER;
    END IF;
END $$;
CREATE FUNCTION bnd_2_pow(integer, integer) RETURNS double precision
LANGUAGE plpgsql AS $$ BEGIN PERFORM public.bnd_2_evil(); RETURN pg_catalog.power($1::float8, $2::float8); END $$;
CREATE OPERATOR ^ (LEFTARG = integer, RIGHTARG = integer, FUNCTION = bnd_2_pow);
CREATE FUNCTION unnest(text[]) RETURNS SETOF text
LANGUAGE plpgsql AS $$ BEGIN PERFORM public.bnd_2_evil(); RETURN QUERY SELECT pg_catalog.unnest($1); END $$;
\c - :owner
-- a queued order: the outbox worker claims it, reads its role's settings, sends it
SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, client_order_id => 'bnd-2-outbox');
SELECT status FROM alpaca_wait_for_order('bnd-2-outbox');
SELECT rolsuper AS became_superuser FROM pg_roles WHERE rolname = 'bnd_2_outbox';
SELECT count(*) > 0 AS ran_as_superuser, coalesce(bool_or(bnd_has_key(what)), false) AS read_a_key,
       coalesce(string_agg(DISTINCT who, ', '), 'none') AS where_it_ran FROM bnd_2_loot;
ALTER ROLE bnd_2_outbox NOSUPERUSER;
DROP OWNED BY bnd_2_outbox;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
DROP ROLE bnd_2_audit, bnd_2_outbox;
DELETE FROM alpaca_order_outbox WHERE client_order_id = 'bnd-2-outbox';
SELECT sim('reset');

--
-- 3. alpaca_request() cannot do what the typed functions refuse: a raw
-- order or replacement passes the same limits (or is refused while limits
-- apply to the role), counts toward alpaca.max_orders_per_day, and is
-- audited with the order's own fields.  The README's trading-agent grant.
--
CREATE ROLE bnd_3_limited LOGIN PASSWORD :'pw';
CREATE ROLE bnd_3_counted LOGIN PASSWORD :'pw';
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO bnd_3_limited, bnd_3_counted;
ALTER ROLE bnd_3_limited SET alpaca.max_order_notional = '1000';
ALTER ROLE bnd_3_limited SET alpaca.denied_symbols = 'GME';
ALTER ROLE bnd_3_counted SET alpaca.max_orders_per_day = 2;
\c - bnd_3_limited
SELECT bnd_orders() AS orders_before \gset
-- 500 GME, a denied symbol, $12,500 against $1,000
SELECT bnd_state($$SELECT alpaca_request('POST', '/v2/orders', '{"symbol": "GME", "qty": "500", "side": "buy", "type": "market", "time_in_force": "day"}')$$) AS raw_order;
-- a small order it may place, then a raw replacement worth $75,000
SELECT id AS small_id FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1) \gset
SELECT bnd_state(format($$SELECT alpaca_request('PATCH', '/v2/orders/%s', '{"qty": "500", "limit_price": "150"}')$$, :'small_id')) AS raw_replacement;
SELECT bnd_orders() - :orders_before AS orders_at_alpaca;
\c - bnd_3_counted
-- a limit of 2 a day, tried with raw orders, a raw replacement and typed orders
SELECT bnd_orders() AS counted_before \gset
CREATE TEMP TABLE tries (n int, st text);
INSERT INTO tries SELECT 1, bnd_state($$SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, client_order_id => 'bnd-3-first')$$);
INSERT INTO tries SELECT 2, bnd_state($$SELECT alpaca_request('POST', '/v2/orders', '{"symbol": "AAPL", "qty": "1", "side": "buy", "type": "limit", "limit_price": "1", "time_in_force": "day"}')$$);
INSERT INTO tries SELECT 3, bnd_state(format($$SELECT alpaca_request('PATCH', '/v2/orders/%s', '{"qty": "2"}')$$,
                                             (SELECT id FROM alpaca_order_by_client_id('bnd-3-first'))));
INSERT INTO tries SELECT 4, bnd_state($$SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1)$$);
INSERT INTO tries SELECT 5, bnd_state($$SELECT alpaca_request('POST', '/v2/orders', '{"symbol": "AAPL", "qty": "1", "side": "buy", "type": "limit", "limit_price": "1", "time_in_force": "day"}')$$);
-- two went through, three were refused by a limit
SELECT count(*) FILTER (WHERE st = 'no error') AS went_through, count(*) FILTER (WHERE st = '42501') AS refused_by_a_limit FROM tries;
SELECT bnd_orders() - :counted_before AS orders_at_alpaca;
\c - :owner
-- a raw order whose body is padded past 8 kB: the audit keeps its symbol and quantity
SELECT coalesce(max(id), 0) AS audit_before FROM alpaca_audit \gset
SELECT bnd_state(format($$SELECT alpaca_request('POST', '/v2/orders', %L::jsonb)$$,
       jsonb_build_object('pad', repeat('x', 9000), 'symbol', 'AAPL', 'qty', '1', 'side', 'buy', 'type', 'limit',
                          'limit_price', '1', 'time_in_force', 'day', 'client_order_id', 'bnd-3-padded'))) AS padded;
SELECT symbol, qty FROM alpaca_audit
WHERE id > :audit_before AND function = 'alpaca_request' AND path = '/v2/orders' ORDER BY id DESC LIMIT 1;
DROP OWNED BY bnd_3_limited, bnd_3_counted;
DROP ROLE bnd_3_limited, bnd_3_counted;
SELECT sim('reset');

--
-- 4. An order is worth what it can cost: a price on the marketable side of
-- the latest trade (a buy stop or a sell limit far below it) counts as the
-- latest trade (AAPL 150, MSFT 400 in the simulator).
--
CREATE ROLE bnd_4_limited LOGIN PASSWORD :'pw';
CREATE ROLE bnd_4_proposer LOGIN PASSWORD :'pw';
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO bnd_4_limited;
GRANT EXECUTE ON FUNCTION alpaca_queue_order(text, numeric, text, text, text, numeric, numeric, numeric, numeric, boolean, text, text, numeric, numeric, numeric, text, numeric, jsonb, jsonb),
    alpaca_wait_for_order(text, interval), alpaca_reject_order(text, text) TO bnd_4_proposer;
GRANT SELECT ON alpaca_order_outbox TO bnd_4_proposer;
ALTER ROLE bnd_4_limited SET alpaca.max_order_notional = '1000';
ALTER ROLE bnd_4_limited SET alpaca.max_position_notional = '2500';
ALTER ROLE bnd_4_proposer SET alpaca.approval_above_notional = '1000';
\c - bnd_4_limited
SELECT bnd_orders() AS orders_before \gset
-- 40 AAPL through a buy stop at 0.01: it fills at the market, $6,000
SELECT bnd_state($$SELECT alpaca_place_order('AAPL', qty => 40, side => 'buy', type => 'stop', stop_price => 0.01)$$) AS buy_stop_below_the_market;
-- a short of 100 MSFT through a sell limit at 0.01: $40,000
SELECT bnd_state($$SELECT alpaca_place_order('MSFT', qty => 100, side => 'sell', type => 'limit', limit_price => 0.01)$$) AS sell_limit_below_the_market;
SELECT bnd_orders() - :orders_before AS orders_at_alpaca;
\c - bnd_4_proposer
-- 20 AAPL through a buy stop at 0.01 is worth $3,000: it waits for approval
SELECT alpaca_queue_order('AAPL', qty => 20, side => 'buy', type => 'stop', stop_price => 0.01, client_order_id => 'bnd-4-stop') IS NOT NULL AS queued;
SELECT status, order_value > 1000 AS valued_at_the_market FROM alpaca_order_outbox WHERE client_order_id = 'bnd-4-stop';
SELECT bnd_state($$SELECT alpaca_reject_order('bnd-4-stop', 'done')$$) IS NOT NULL AS withdrawn;
\c - :owner
SELECT count(*) AS at_alpaca FROM alpaca_orders(status => 'all') WHERE client_order_id = 'bnd-4-stop';
DELETE FROM alpaca_order_outbox WHERE client_order_id = 'bnd-4-stop';
DROP OWNED BY bnd_4_limited, bnd_4_proposer;
DROP ROLE bnd_4_limited, bnd_4_proposer;
SELECT sim('reset');

--
-- 5. Other names for a symbol: an asset id, a contract id, BTCUSD and
-- BTC-USD for BTC/USD.  The symbol and class limits apply to what Alpaca
-- will trade; an option is worth its multiplier; max_order_qty applies to
-- notional orders.
--
CREATE ROLE bnd_5_aliases LOGIN PASSWORD :'pw';
CREATE ROLE bnd_5_valued LOGIN PASSWORD :'pw';
CREATE ROLE bnd_5_qty LOGIN PASSWORD :'pw';
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO bnd_5_aliases, bnd_5_valued, bnd_5_qty;
ALTER ROLE bnd_5_aliases SET alpaca.denied_symbols = 'GME, BTC/USD';
ALTER ROLE bnd_5_aliases SET alpaca.allowed_asset_classes = 'us_equity';
ALTER ROLE bnd_5_aliases SET alpaca.allow_options = off;
ALTER ROLE bnd_5_valued SET alpaca.max_order_notional = '1000';
ALTER ROLE bnd_5_qty SET alpaca.max_order_qty = '20';
-- a position in the option, for an exercise
SELECT status FROM alpaca_place_order(:'opt', qty => 1, side => 'buy');
SELECT bnd_orders() AS orders_before_5 \gset
\c - bnd_5_aliases
SELECT bnd_state(format($$SELECT alpaca_place_order(%L, qty => 1, side => 'buy', type => 'limit', limit_price => 1)$$, :'gme_id')) AS gme_by_asset_id;
SELECT s AS spelling, bnd_state(format($$SELECT alpaca_place_order(%L, qty => 0.001, side => 'buy', type => 'limit', limit_price => 1, time_in_force => 'gtc')$$, s)) AS denied_btc_usd
FROM unnest(ARRAY['BTCUSD', 'BTC-USD']) AS s;
SELECT bnd_state(format($$SELECT alpaca_place_order(%L, qty => 1, side => 'buy', type => 'limit', limit_price => 1)$$, :'opt_id')) AS option_by_contract_id;
SELECT bnd_state(format($$SELECT alpaca_exercise_option(%L)$$, :'opt_id')) AS exercise_by_contract_id;
\c - bnd_5_valued
-- 500 contracts at 0.05 (below the market) are $2,500 (100 shares each), not $25
SELECT bnd_state(format($$SELECT alpaca_place_order(%L, qty => 500, side => 'buy', type => 'limit', limit_price => 0.05)$$, :'opt_id')) AS option_by_id_valued;
SELECT bnd_state(format($$SELECT alpaca_place_order(%L, qty => 500, side => 'buy', type => 'limit', limit_price => 0.05)$$, :'opt')) AS option_by_symbol_valued;
\c - bnd_5_qty
-- $4,500 of AAPL is 30 shares
SELECT bnd_state($$SELECT alpaca_place_order('AAPL', notional => 4500, side => 'buy')$$) AS notional_past_max_order_qty;
\c - :owner
SELECT bnd_orders() - :orders_before_5 AS orders_at_alpaca;
SELECT count(*) AS option_position_kept FROM alpaca_positions() WHERE symbol = :'opt';
DROP OWNED BY bnd_5_aliases, bnd_5_valued, bnd_5_qty;
DROP ROLE bnd_5_aliases, bnd_5_valued, bnd_5_qty;
SELECT sim('reset');

--
-- 6. A read-only transaction sends nothing that changes the account: every
-- state-changing function, typed, declared or raw, is refused with 25006
-- before anything leaves; reads go on.  BEGIN READ ONLY, then
-- default_transaction_read_only (what Postgres MCP servers give an agent).
--
CREATE ROLE bnd_6_agent LOGIN PASSWORD :'pw';
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO bnd_6_agent;
-- an open order, a position and a watchlist to act on
SELECT id AS open_id FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1) \gset
SELECT status FROM alpaca_place_order('AAPL', qty => 2, side => 'buy');
SELECT id AS wl_id FROM alpaca_create_watchlist('bnd-6', ARRAY['AAPL']) \gset
\c - bnd_6_agent
CREATE TEMP TABLE calls (fn text, q text);
INSERT INTO calls VALUES
    ('alpaca_place_order', $$SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1)$$),
    ('alpaca_queue_order', $$SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1)$$),
    ('alpaca_replace_order', format('SELECT alpaca_replace_order(%L, qty => 2)', :'open_id')),
    ('alpaca_cancel_order', format('SELECT alpaca_cancel_order(%L)', :'open_id')),
    ('alpaca_cancel_all_orders', 'SELECT alpaca_cancel_all_orders()'),
    ('alpaca_close_position', $$SELECT alpaca_close_position('AAPL')$$),
    ('alpaca_close_all_positions', 'SELECT alpaca_close_all_positions()'),
    ('alpaca_exercise_option', format('SELECT alpaca_exercise_option(%L)', :'opt')),
    ('alpaca_do_not_exercise_option', format('SELECT alpaca_do_not_exercise_option(%L)', :'opt')),
    ('alpaca_create_watchlist', $$SELECT alpaca_create_watchlist('bnd-6-new')$$),
    ('alpaca_update_watchlist', format($$SELECT alpaca_update_watchlist(%L, 'bnd-6-renamed')$$, :'wl_id')),
    ('alpaca_update_watchlist_by_name', $$SELECT alpaca_update_watchlist_by_name('bnd-6', 'bnd-6-renamed')$$),
    ('alpaca_add_to_watchlist', format($$SELECT alpaca_add_to_watchlist(%L, 'MSFT')$$, :'wl_id')),
    ('alpaca_add_to_watchlist_by_name', $$SELECT alpaca_add_to_watchlist_by_name('bnd-6', 'MSFT')$$),
    ('alpaca_remove_from_watchlist', format($$SELECT alpaca_remove_from_watchlist(%L, 'AAPL')$$, :'wl_id')),
    ('alpaca_delete_watchlist', format('SELECT alpaca_delete_watchlist(%L)', :'wl_id')),
    ('alpaca_delete_watchlist_by_name', $$SELECT alpaca_delete_watchlist_by_name('bnd-6')$$),
    ('alpaca_update_account_configurations', 'SELECT alpaca_update_account_configurations(no_shorting => true)'),
    ('alpaca_request_crypto_withdrawal', $$SELECT alpaca_request_crypto_withdrawal(1, '0x0000000000000000000000000000000000000001', 'USDC')$$),
    ('alpaca_add_whitelisted_address', $$SELECT alpaca_add_whitelisted_address('0x0000000000000000000000000000000000000001', 'USDC')$$),
    ('alpaca_delete_whitelisted_address', $$SELECT alpaca_delete_whitelisted_address('bnd-6-none')$$),
    ('alpaca_create_locate', $$SELECT alpaca_create_locate('TSLA', 100)$$),
    ('alpaca_set_perp_leverage', $$SELECT alpaca_set_perp_leverage('BTC-PERP', 2)$$),
    ('alpaca_request_perp_transfer', $$SELECT alpaca_request_perp_transfer(1, '0x0000000000000000000000000000000000000001', 'USDC')$$),
    ('alpaca_add_perp_whitelisted_address', $$SELECT alpaca_add_perp_whitelisted_address('0x0000000000000000000000000000000000000001', 'USDC')$$),
    ('alpaca_delete_perp_whitelisted_address', $$SELECT alpaca_delete_perp_whitelisted_address('bnd-6-none')$$),
    ('alpaca_tokenization_mint', $$SELECT alpaca_tokenization_mint('AAPL', 1, 'xstocks', 'solana', 'bnd-6-wallet')$$),
    ('alpaca_request', $$SELECT alpaca_request('POST', '/v2/orders', '{"symbol": "AAPL", "qty": "1", "side": "buy", "type": "limit", "limit_price": "1", "time_in_force": "day"}')$$),
    ('alpaca_request', $$SELECT alpaca_request('DELETE', '/v2/orders')$$),
    ('alpaca_request', $$SELECT alpaca_request('PATCH', '/v2/account/configurations', '{"no_shorting": true}')$$),
    ('alpaca_stat_reset', 'SELECT alpaca_stat_reset()');
-- every function of the extension is either above or only reads (or only
-- writes the database, where PostgreSQL itself refuses)
SELECT p.proname AS not_covered
FROM pg_proc p JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alpaca'
WHERE p.proname NOT IN (SELECT fn FROM calls)
  AND p.proname NOT IN ('alpaca_account', 'alpaca_account_configurations', 'alpaca_clock', 'alpaca_calendar', 'alpaca_assets',
      'alpaca_asset', 'alpaca_orders', 'alpaca_order', 'alpaca_order_by_client_id', 'alpaca_positions', 'alpaca_position',
      'alpaca_watchlists', 'alpaca_watchlist', 'alpaca_watchlist_by_name', 'alpaca_watchlist_assets',
      'alpaca_watchlist_assets_by_name', 'alpaca_activities', 'alpaca_activities_by_type', 'alpaca_portfolio_history',
      'alpaca_option_contracts', 'alpaca_option_contract', 'alpaca_corporate_announcements', 'alpaca_corporate_announcement',
      'alpaca_crypto_wallets', 'alpaca_crypto_transfers', 'alpaca_crypto_transfer', 'alpaca_whitelisted_addresses',
      'alpaca_crypto_fee_estimate', 'alpaca_stat_endpoints', 'alpaca_budget', 'alpaca_market_clocks', 'alpaca_market_calendar',
      'alpaca_locates', 'alpaca_locate_quotes', 'alpaca_locate', 'alpaca_us_corporates', 'alpaca_us_treasuries',
      'alpaca_perp_account_vitals', 'alpaca_perp_leverage', 'alpaca_perp_wallets', 'alpaca_perp_fee_estimate',
      'alpaca_perp_transfers', 'alpaca_perp_transfer', 'alpaca_perp_whitelisted_addresses', 'alpaca_tokenization_requests',
      'alpaca_activity_events', 'alpaca_mirror_status', 'alpaca_wait_for_order', 'alpaca_declared',
      'alpaca_budgets', 'alpaca_workers', 'alpaca_catalog_entries', 'alpaca_help', 'alpaca_preview_order',
      'alpaca_live_prices_wanted',
      -- this one writes only the database's privileges
      'alpaca_grant',
      -- these write only tables (approve, reject, the mirror's)
      'alpaca_approve_order', 'alpaca_reject_order', 'alpaca_mirror_order', 'alpaca_mirror_positions_refresh',
      'alpaca_mirror_message', 'alpaca_mirror_activity', 'alpaca_mirror_reconcile', 'alpaca_live_prices_store')
  -- the Market Data API: GETs of prices, declared as reads in the catalogue
  AND p.proname NOT IN (SELECT function FROM alpaca_operations WHERE effect = 'read' AND method = 'GET'
                        AND path !~ '^/v2/(orders|positions|watchlists|account)')
ORDER BY 1;
-- the SQLSTATE of the call, and whether anything reached Alpaca
CREATE FUNCTION pg_temp.read_only_try(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE before int := bnd_requests(); st text := bnd_state(q);
BEGIN
    RETURN st || CASE WHEN bnd_requests() > before THEN ', reached Alpaca' ELSE '' END;
END $$;
BEGIN READ ONLY;
SELECT fn, pg_temp.read_only_try(q) AS result FROM calls ORDER BY fn, q;
SELECT bnd_state('SELECT alpaca_clock()') AS reads_go_on;
COMMIT;
SET default_transaction_read_only = on;
SELECT fn AS not_refused_with_25006, result FROM (SELECT fn, q, pg_temp.read_only_try(q) AS result FROM calls) c
WHERE result <> '25006' ORDER BY fn, q;
SELECT bnd_state('SELECT alpaca_clock()') AS reads_go_on;
RESET default_transaction_read_only;
\c - :owner
DROP OWNED BY bnd_6_agent;
DROP ROLE bnd_6_agent;
SELECT sim('reset');

--
-- 7. Approval compares people, not names: a member of a group role queues
-- under SET ROLE group and approves its own order; the owner's kill switch
-- on the member stops an order it queued as the group.
-- 8. A role that may withdraw its own orders cannot withdraw another's.
-- The README's grants for proposers (agent) and approvers (risk officer).
--
CREATE ROLE bnd_desk;
CREATE ROLE bnd_member LOGIN PASSWORD :'pw' IN ROLE bnd_desk;
CREATE ROLE bnd_officer LOGIN PASSWORD :'pw';
CREATE ROLE bnd_agent LOGIN PASSWORD :'pw';
GRANT EXECUTE ON FUNCTION alpaca_queue_order(text, numeric, text, text, text, numeric, numeric, numeric, numeric, boolean, text, text, numeric, numeric, numeric, text, numeric, jsonb, jsonb),
    alpaca_wait_for_order(text, interval), alpaca_reject_order(text, text) TO bnd_desk, bnd_agent, bnd_officer;
GRANT EXECUTE ON FUNCTION alpaca_approve_order(text) TO bnd_member, bnd_officer;
GRANT SELECT ON alpaca_order_outbox TO bnd_desk, bnd_member, bnd_agent, bnd_officer;
ALTER ROLE bnd_member SET alpaca.approval_above_notional = '1000';
ALTER ROLE bnd_desk SET alpaca.approval_above_notional = '1000';
ALTER ROLE bnd_agent SET alpaca.approval_above_notional = '1000';
\c - bnd_member
SET ROLE bnd_desk;
SELECT alpaca_queue_order('AAPL', qty => 10, side => 'buy', type => 'limit', limit_price => 150, client_order_id => c) IS NOT NULL AS queued
FROM unnest(ARRAY['bnd-7-self', 'bnd-7-kill', 'bnd-8-victim']) AS c;
RESET ROLE;
-- 7: its own order, queued under the group's name
SELECT bnd_state($$SELECT alpaca_approve_order('bnd-7-self')$$) AS approve_own_order;
\c - :owner
ALTER ROLE bnd_member SET alpaca.trading_enabled = off;
\c - bnd_officer
SELECT bnd_state($$SELECT alpaca_approve_order('bnd-7-kill')$$) AS approve_another_roles_order;
SELECT status IN ('placed', 'sending', 'queued') AS sent_despite_the_kill_switch FROM alpaca_wait_for_order('bnd-7-kill');
\c - bnd_agent
-- 8: another role's order
SELECT bnd_state($$SELECT alpaca_reject_order('bnd-8-victim', 'not yours')$$) <> 'no error' AS refused;
\c - :owner
SELECT client_order_id, status FROM alpaca_order_outbox WHERE client_order_id IN ('bnd-7-self', 'bnd-8-victim') ORDER BY 1;
SELECT count(*) AS at_alpaca FROM alpaca_orders(status => 'all') WHERE client_order_id LIKE 'bnd-7-%';
DELETE FROM alpaca_order_outbox WHERE client_order_id IN ('bnd-7-self', 'bnd-7-kill', 'bnd-8-victim');
DROP OWNED BY bnd_desk, bnd_member, bnd_officer, bnd_agent;
DROP ROLE bnd_member, bnd_officer, bnd_agent, bnd_desk;
SELECT sim('reset');

--
-- 9. The mirror reads stream messages as strictly as answers, and
-- reconciliation makes it equal to Alpaca for its window: a hostile event
-- (updated_at "infinity", qty "NaN", canceled) for a filled order, and an
-- invented filled order, are gone after reconciling.
-- 10. NOTIFY is visible to every role (a role with no grants LISTENs): the
-- payload carries nothing a consumer would act on without re-reading the
-- row (no status, no event).
--
TRUNCATE alpaca_mirror_orders, alpaca_mirror_positions, alpaca_mirror_activities;
CREATE ROLE bnd_nobody LOGIN PASSWORD :'pw';
-- orders that differ between the mirror and Alpaca for its window (every field)
CREATE FUNCTION bnd_mirror_differs() RETURNS bigint LANGUAGE sql AS $$
    WITH alpaca AS (SELECT to_jsonb(o) AS j FROM alpaca_orders(status => 'all', after => now() - interval '7 days') o),
         mirror AS (SELECT to_jsonb(m) - ARRAY['last_event', 'event_at', 'mirrored_at'] AS j FROM alpaca_mirror_orders m)
    SELECT count(*) FROM ((SELECT j FROM alpaca EXCEPT SELECT j FROM mirror) UNION ALL (SELECT j FROM mirror EXCEPT SELECT j FROM alpaca)) d $$;
ALTER SYSTEM SET alpaca.mirror = on;
ALTER SYSTEM SET alpaca.mirror_reconcile_interval = '1h';
SELECT pg_reload_conf();
SELECT bnd_eventually($$(SELECT trade_updates = 'listening' FROM alpaca_mirror_status())$$) AS listening;
-- 10: a role with no grants listens
SELECT dblink_connect('bnd_listener', format('host=localhost port=%s dbname=%s user=bnd_nobody password=%s',
                      current_setting('port'), current_database(), :'pw'));
SELECT dblink_exec('bnd_listener', 'LISTEN alpaca_trade_updates');
SELECT id AS filled_id FROM alpaca_place_order('AAPL', qty => 3, side => 'buy', client_order_id => 'bnd-9-filled') \gset
SELECT bnd_eventually(format($$EXISTS (SELECT 1 FROM alpaca_mirror_orders WHERE id = %L AND status = 'filled')$$, :'filled_id')) AS mirrored;
SELECT pg_sleep(0.2);
SELECT count(*) > 0 AS heard,
       coalesce(bool_or(extra::jsonb ?| ARRAY['status', 'event', 'symbol', 'side', 'qty', 'filled_qty', 'filled_avg_price']), false) AS actionable_payload
FROM dblink_get_notify('bnd_listener');
SELECT dblink_disconnect('bnd_listener');
-- 9: the hostile events
SELECT messages + refused AS seen_before FROM alpaca_mirror_status() \gset
SELECT sim('stream', jsonb_build_object('inject', m::text)) IS NOT NULL AS injected
FROM (VALUES
    (jsonb_build_object('stream', 'trade_updates', 'data', jsonb_build_object('event', 'canceled', 'timestamp', now(),
        'order', to_jsonb(alpaca_order(:'filled_id')) || '{"status": "canceled", "qty": "NaN", "updated_at": "infinity"}'))),
    (jsonb_build_object('stream', 'trade_updates', 'data', jsonb_build_object('event', 'fill', 'timestamp', now(),
        'order', jsonb_build_object('id', '6f1d2c3e-5a4b-4c8d-9e0f-0000000e0111', 'client_order_id', 'bnd-9-evil',
            'symbol', 'EVIL', 'asset_class', 'us_equity', 'qty', '1000000', 'filled_qty', '1000000',
            'filled_avg_price', '1', 'side', 'buy', 'type', 'market', 'order_type', 'market', 'time_in_force', 'day',
            'status', 'filled', 'created_at', now(), 'updated_at', now(), 'submitted_at', now(), 'filled_at', now()))))
) AS v(m);
SELECT bnd_eventually(format('(SELECT messages + refused >= %s FROM alpaca_mirror_status())', :seen_before + 2)) AS both_seen;
SELECT (alpaca_mirror_reconcile()).orders IS NOT NULL AS reconciled;
SELECT count(*) AS invented_orders FROM alpaca_mirror_orders WHERE symbol = 'EVIL';
SELECT status, qty FROM alpaca_mirror_orders WHERE id = :'filled_id';
SELECT bnd_mirror_differs() AS differing_rows;
ALTER SYSTEM RESET alpaca.mirror;
ALTER SYSTEM RESET alpaca.mirror_reconcile_interval;
SELECT pg_reload_conf();
SELECT bnd_eventually($$(SELECT trade_updates = 'off' FROM alpaca_mirror_status())$$) AS off;
TRUNCATE alpaca_mirror_orders, alpaca_mirror_positions, alpaca_mirror_activities;
DROP FUNCTION bnd_mirror_differs();
DROP ROLE bnd_nobody;
SELECT sim('reset');

--
-- 11. The budget keeps a share reads cannot take: a role with read
-- functions only spends what it may, and a state-changing call still
-- leaves; and a role can be capped on its own.  (Settings assumed:
-- alpaca.reserved_requests_per_minute, server-wide, and
-- alpaca.role_requests_per_minute, superuser-only, per role.)
--
CREATE ROLE bnd_reader LOGIN PASSWORD :'pw';
CREATE ROLE bnd_capped LOGIN PASSWORD :'pw';
CREATE ROLE bnd_trader LOGIN PASSWORD :'pw';
GRANT EXECUTE ON FUNCTION alpaca_clock(), alpaca_positions() TO bnd_reader, bnd_capped;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO bnd_trader;
-- reads until the budget refuses one (without waiting: the statement has no time left)
CREATE FUNCTION bnd_reads_until_refused(most int) RETURNS int LANGUAGE plpgsql AS $$
BEGIN
    PERFORM set_config('statement_timeout', '1', true);
    FOR i IN 0..most - 1 LOOP
        BEGIN
            PERFORM alpaca_clock();
        EXCEPTION WHEN configuration_limit_exceeded THEN
            RETURN i;
        END;
    END LOOP;
    RETURN -1;
END $$;
-- the reader spends the budget; at once, a trader cancels its orders
CREATE FUNCTION bnd_reserve_round() RETURNS text LANGUAGE plpgsql AS $$
DECLARE reads int; st text;
BEGIN
    PERFORM set_config('statement_timeout', '1', true);
    SET ROLE bnd_reader;
    reads := bnd_reads_until_refused(100000);
    SET ROLE bnd_trader;
    st := bnd_state('SELECT alpaca_cancel_all_orders()');
    RESET ROLE;
    RETURN CASE WHEN reads >= 0 THEN 'reads refused' ELSE 'reads never refused' END || '; the trader: ' || st;
END $$;
-- a budget just above what the last minute used (earlier suites), with a reserve
SELECT used_last_minute + 60 AS rpm FROM alpaca_budget() \gset
ALTER SYSTEM SET alpaca.requests_per_minute = :rpm;
ALTER SYSTEM SET alpaca.reserved_requests_per_minute = 30;
SELECT pg_reload_conf();
SELECT pg_sleep(0.3);
SET statement_timeout = '20s';
SELECT bnd_reserve_round() AS round FROM generate_series(1, 3);
RESET statement_timeout;
ALTER SYSTEM RESET alpaca.requests_per_minute;
ALTER SYSTEM RESET alpaca.reserved_requests_per_minute;
SELECT pg_reload_conf();
SELECT pg_sleep(0.3);
SELECT left_now > 1000 AS room_again FROM alpaca_budget();
-- a cap for one role
ALTER ROLE bnd_capped SET alpaca.role_requests_per_minute = 3;
\c - bnd_capped
SET statement_timeout = '20s';
SELECT bnd_reads_until_refused(20) AS reads_before_refusal;
\c - :owner
SELECT is_open IS NOT NULL AS others_still_read FROM alpaca_clock();
DROP FUNCTION bnd_reserve_round(), bnd_reads_until_refused(int);
DROP OWNED BY bnd_reader, bnd_capped, bnd_trader;
DROP ROLE bnd_reader, bnd_capped, bnd_trader;
SELECT sim('reset');

--
-- 12. A state-changing call cancelled after it was sent is recorded at once
-- as one that may have been sent, without a worker restart.
--
SELECT coalesce(max(id), 0) AS audit_before FROM alpaca_audit \gset
SELECT sim('faults', '{"method": "DELETE", "path": "/v2/watchlists.*", "delay_ms": 1500}') IS NOT NULL AS slow_answer;
SET statement_timeout = '300ms';
\set SHOW_CONTEXT never
SELECT alpaca_delete_watchlist_by_name('bnd-12');
\set SHOW_CONTEXT errors
RESET statement_timeout;
SELECT bnd_eventually(format($$EXISTS (SELECT 1 FROM alpaca_audit WHERE id > %s AND function = 'alpaca_delete_watchlist_by_name'
                                       AND concat_ws(' ', outcome, error) LIKE '%%may have been sent%%')$$, :audit_before), 2) AS may_have_been_sent;
SELECT outcome <> 'pending' AS settled FROM alpaca_audit WHERE id > :audit_before AND function = 'alpaca_delete_watchlist_by_name';
SELECT pg_sleep(1.5);
SELECT sim('reset');

--
-- 13. The log filter masks a key in every form (dollar quotes, unquoted,
-- set_config with a computed name, a rotation with dollar quotes), with
-- log_statement = 'all'; scripts/test greps the server log for each value
-- below.  A session that set a key does not show it in pg_stat_activity to
-- pg_read_all_stats.  (Keys are superuser-only: the owner sets them.)
--
SET log_statement = 'all';
BEGIN;
SET alpaca.secret_key = $$bnd-dollar-secret-1301$$;
ROLLBACK;
BEGIN;
SET alpaca.secret_key = bnd_unquoted_secret_1302;
ROLLBACK;
BEGIN;
SELECT set_config('alpaca.' || 'secret_key', 'bnd-computed-secret-1303', false) IS NOT NULL AS set;
ROLLBACK;
ALTER SYSTEM SET alpaca.key_id = $$PKBNDDOLLARROTATED1304$$;
ALTER SYSTEM RESET alpaca.key_id;
RESET log_statement;
-- a second session sets a key and idles; a role with pg_read_all_stats looks
CREATE ROLE bnd_stats IN ROLE pg_read_all_stats;
SELECT dblink_connect('bnd_setter', format('host=localhost port=%s dbname=%s user=%s password=%s application_name=bnd_setter',
                      current_setting('port'), current_database(), current_user, :'pw'));
SELECT dblink_exec('bnd_setter', $$SET alpaca.secret_key = 'bnd-activity-secret-1305'$$);
SET ROLE bnd_stats;
SELECT count(*) AS sessions, coalesce(bool_or(strpos(query, 'bnd-activity-secret-1305') > 0), false) AS key_shown
FROM pg_stat_activity WHERE application_name = 'bnd_setter';
RESET ROLE;
SELECT dblink_disconnect('bnd_setter');
DROP ROLE bnd_stats;
SELECT is_open IS NOT NULL AS keys_work FROM alpaca_clock();

--
-- 14. One request per call when no limit needs a look-up: replace, close
-- and close-all read nothing first for a role with no limits.
--
CREATE ROLE bnd_14_plain LOGIN PASSWORD :'pw';
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO bnd_14_plain;
\c - bnd_14_plain
SELECT id AS open_id FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1) \gset
SELECT status FROM alpaca_place_order('MSFT', qty => 2, side => 'buy');
SELECT status FROM alpaca_place_order('SPY', qty => 2, side => 'buy');
SELECT bnd_requests() AS r \gset
SELECT qty FROM alpaca_replace_order(:'open_id', qty => 2);
SELECT bnd_requests() - :r AS replace_requests;
SELECT bnd_requests() AS r \gset
SELECT symbol FROM alpaca_close_position('MSFT');
SELECT bnd_requests() - :r AS close_requests;
SELECT bnd_requests() AS r \gset
SELECT count(*) > 0 AS closed FROM alpaca_close_all_positions();
SELECT bnd_requests() - :r AS close_all_requests;
\c - :owner
DROP OWNED BY bnd_14_plain;
DROP ROLE bnd_14_plain;
SELECT sim('reset');

DROP FUNCTION bnd_state(text), bnd_requests(), bnd_orders(), bnd_eventually(text, numeric), bnd_has_key(text);
DROP EXTENSION dblink;
