--
-- The audit trail: every state-changing call, durable before its request
-- leaves, completed with the answer; the caller's ROLLBACK cannot erase it;
-- readable by roles the owner grants, writable by none.
--
SELECT sim('reset');
SELECT current_user AS owner \gset
\getenv pw PGPASSWORD
\if :{?pw}
\else
\set pw 'trust'
\endif
-- the worker completes a record after the answer; wait for it (by the
-- order's client_order_id, or every call to a path)
CREATE FUNCTION settled(cid text, on_path text DEFAULT NULL) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..100 LOOP
        IF NOT EXISTS (SELECT 1 FROM alpaca_audit
                       WHERE (client_order_id = cid OR path = on_path) AND outcome = 'pending') THEN
            RETURN true;
        END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
    RETURN false;
END $$;
SELECT backend_type FROM pg_stat_activity WHERE backend_type = 'alpaca audit';
SELECT count(*) AS before FROM alpaca_audit \gset

-- an order, and what the trail says of it
SELECT id AS order_id FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1,
                                              client_order_id => 'audit-1') \gset
SELECT settled('audit-1');
SELECT function, method, path, client_order_id, outcome, status, order_id = :'order_id' AS same_order,
       body->>'symbol' AS symbol, body->>'limit_price' AS limit_price, role, session_role,
       database = current_database() AS here, pid = pg_backend_pid() AS this_session, duration_ms >= 0 AS timed
FROM alpaca_audit WHERE client_order_id = 'audit-1';
-- every kind of call that changes the account leaves a record
SELECT alpaca_cancel_order(:'order_id');
SELECT name FROM alpaca_create_watchlist('audited', ARRAY['AAPL']);
SELECT alpaca_delete_watchlist_by_name('audited');
SELECT count(*) FROM alpaca_cancel_all_orders();
SELECT alpaca_request('POST', '/_sim/tick') IS NOT NULL AS raw_post;
SELECT pg_sleep(0.3);
SELECT function, method, regexp_replace(path, '[0-9a-f-]{36}', '{id}') AS path, outcome, status FROM alpaca_audit
WHERE id > (SELECT max(id) FROM alpaca_audit WHERE client_order_id = 'audit-1') AND path NOT LIKE '/_sim/faults%'
ORDER BY id;
-- reads leave none
SELECT count(*) AS reads_recorded FROM alpaca_audit WHERE method = 'GET';

-- the caller's ROLLBACK does not erase it
BEGIN;
SELECT status FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, client_order_id => 'rolled-back');
ROLLBACK;
SELECT settled('rolled-back');
SELECT client_order_id, outcome, status FROM alpaca_audit WHERE client_order_id = 'rolled-back';
-- a request that got no answer is recorded as such
-- (twice: libcurl resends once on a connection that turns out dead)
SELECT sim('faults', '{"method": "POST", "path": "/v2/watchlists", "drop": "before", "times": 2}') IS NOT NULL AS armed;
SELECT sqlstate_of($$SELECT alpaca_create_watchlist('dropped')$$);
SELECT pg_sleep(0.3);
SELECT function, outcome, status, error IS NOT NULL AS has_error FROM alpaca_audit
WHERE function = 'alpaca_create_watchlist' ORDER BY id DESC LIMIT 1;
-- refused by Alpaca: answered, with its status and words
SELECT alpaca_place_order('ZZZZZZ', qty => 1, side => 'buy', client_order_id => 'audit-refused');
SELECT settled('audit-refused');
SELECT outcome, status, error FROM alpaca_audit WHERE client_order_id = 'audit-refused';
-- no key is ever in it
SELECT count(*) AS keys_in_audit FROM alpaca_audit a
WHERE a::text LIKE '%' || (sim_keys()).key_id || '%' OR a::text LIKE '%' || (sim_keys()).secret_key || '%';

-- intents a crash left pending (their backend is gone) are settled by the
-- outbox worker when it starts: an order Alpaca has, one it has not, and a
-- call that is not an order
INSERT INTO alpaca_audit (database, pid, session_start, role, session_role, function, method, path, client_order_id)
VALUES (current_database(), 0, now(), current_user, session_user, 'alpaca_place_order', 'POST', '/v2/orders', 'audit-1'),
       (current_database(), 0, now(), current_user, session_user, 'alpaca_place_order', 'POST', '/v2/orders', 'never-arrived'),
       (current_database(), 0, now(), current_user, session_user, 'alpaca_cancel_order', 'DELETE', '/v2/orders/{order_id}', NULL);
-- ... and an order made with other keys (restored from another account's
-- server): absent here says nothing of it there, so it is not looked up
INSERT INTO alpaca_audit (database, pid, session_start, role, session_role, function, method, path, client_order_id, keys)
VALUES (current_database(), 0, now(), current_user, session_user, 'alpaca_place_order', 'POST', '/v2/orders', 'audit-1', '0123456789abcdef');
-- (every record knows its keys, and never as the key itself)
SELECT count(*) FILTER (WHERE keys IS NULL) AS without_keys, count(*) FILTER (WHERE keys !~ '^[0-9a-f]{16}$') AS odd_keys,
       count(*) FILTER (WHERE keys = (SELECT key_id FROM sim_keys()) OR keys = (SELECT secret_key FROM sim_keys())) AS key_itself
FROM alpaca_audit WHERE pid <> 0;
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'alpaca outbox';
CREATE FUNCTION resolved() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..100 LOOP
        IF NOT EXISTS (SELECT 1 FROM alpaca_audit WHERE pid = 0 AND outcome = 'pending') THEN
            RETURN true;
        END IF;
        PERFORM pg_sleep(0.1);
    END LOOP;
    RETURN false;
END $$;
SELECT resolved();
SELECT function, client_order_id, outcome, order_id = :'order_id' AS same_order, error
FROM alpaca_audit WHERE pid = 0 ORDER BY id;
-- and the worker takes records again
SELECT status FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, client_order_id => 'after-restart');
SELECT settled('after-restart');
-- ... and settles them while it runs, not only when it starts
ALTER SYSTEM SET alpaca.settle_interval = '1s';
SELECT pg_reload_conf();
INSERT INTO alpaca_audit (database, pid, session_start, role, session_role, function, method, path, client_order_id)
VALUES (current_database(), 0, now(), current_user, session_user, 'alpaca_place_order', 'POST', '/v2/orders', 'audit-1');
SELECT resolved();
SELECT function, client_order_id, outcome FROM alpaca_audit WHERE pid = 0 ORDER BY id DESC LIMIT 1;
ALTER SYSTEM RESET alpaca.settle_interval;
SELECT pg_reload_conf();

-- the audit worker's memory does not grow with the calls it records: after a
-- warm-up, three batches of 150 calls, the worker's memory read after each
-- (alpaca_workers() shows the bytes in use as of the start of a pass, so one
-- more call's pass brings it up to date).  A cache may grow once, in any
-- batch (a new plan after autoanalyze); a leak grows in every batch, so the
-- smallest growth is the one that tells: 30 bytes a call is 4.5 kB.  (It
-- caught one: each answer's copy made in TopMemoryContext, which a commit
-- leaves current; alpaca_worker_commit() now returns to the pass's context.)
CREATE FUNCTION audit_worker(OUT memory bigint, OUT passes bigint) LANGUAGE sql
AS $$ SELECT memory_bytes, passes FROM alpaca_workers() WHERE worker = 'alpaca audit' $$;
CREATE FUNCTION audited_calls(n int) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    FOR i IN 1..n LOOP
        PERFORM alpaca_request('POST', '/_sim/state');
    END LOOP;
    RETURN settled(NULL, '/_sim/state') AND audited_calls_settle();
END $$;
CREATE FUNCTION audited_calls_settle() RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
    PERFORM alpaca_request('POST', '/_sim/state');
    RETURN settled(NULL, '/_sim/state');
END $$;
CREATE FUNCTION audit_batches(OUT measured boolean, OUT a_pass_per_call boolean, OUT growth bigint[])
LANGUAGE plpgsql AS $$
DECLARE
    before record;
    after record;
BEGIN
    growth := '{}';
    SELECT * INTO before FROM audit_worker();
    measured := before.memory > 0;
    a_pass_per_call := true;
    FOR b IN 1..3 LOOP
        PERFORM audited_calls(150);
        SELECT * INTO after FROM audit_worker();
        growth := growth || (after.memory - before.memory);
        a_pass_per_call := a_pass_per_call AND after.passes - before.passes >= 150;
        before := after;
    END LOOP;
END $$;
SELECT coalesce(max(id), 0) AS audit_before FROM alpaca_audit \gset
SELECT audited_calls(30) AS warmed_up;
SELECT measured, a_pass_per_call,
       (SELECT min(g) FROM unnest(growth) g) < 4 * 1024 AS memory_flat
FROM audit_batches();
-- every one of those 484 calls answered and recorded (what earlier suites recorded aside)
SELECT count(*) AS audited FROM alpaca_audit WHERE path = '/_sim/state' AND outcome = 'answered' AND id > :audit_before;

-- readable by roles the owner grants, writable by none
CREATE ROLE alpaca_auditor;
CREATE ROLE alpaca_stranger;
GRANT SELECT ON alpaca_audit TO alpaca_auditor;
SET ROLE alpaca_auditor;
SELECT count(*) > 0 AS can_read FROM alpaca_audit;
INSERT INTO alpaca_audit (database, pid, session_start, role, session_role, function, method, path) VALUES ('x', 1, now(), 'x', 'x', 'x', 'x', 'x');
UPDATE alpaca_audit SET outcome = 'answered';
DELETE FROM alpaca_audit;
SET ROLE alpaca_stranger;
SELECT count(*) FROM alpaca_audit;
RESET ROLE;
REVOKE SELECT ON alpaca_audit FROM alpaca_auditor;
DROP ROLE alpaca_auditor, alpaca_stranger;

-- alpaca.max_orders_per_day, counted per role from the trail
CREATE ROLE alpaca_daytrader LOGIN PASSWORD :'pw';
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO alpaca_daytrader;
GRANT SELECT ON alpaca_audit TO alpaca_daytrader;
ALTER ROLE alpaca_daytrader SET alpaca.max_orders_per_day = 2;
\c - alpaca_daytrader
SELECT status FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1);
SELECT status FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1);
\c - :owner
-- other roles count their own
SELECT status FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1);
DROP OWNED BY alpaca_daytrader;
DROP ROLE alpaca_daytrader;

-- with the audit on, a call that cannot be recorded is not sent
CREATE TEMP TABLE n AS SELECT (alpaca_request('GET', '/_sim/state')->>'orders')::int AS orders;
SET alpaca.audit_timeout_ms = 300;
SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE backend_type = 'alpaca audit';
-- (it is restarted after a second; this call comes in between)
SELECT pg_sleep(0.2);
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, client_order_id => 'unrecorded');
RESET alpaca.audit_timeout_ms;
SELECT (alpaca_request('GET', '/_sim/state')->>'orders')::int - orders AS sent_anyway FROM n;
