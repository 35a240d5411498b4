--
-- The test bed: the extension is installed, the server has the
-- simulator's keys in postgresql.conf, and the simulator answers.
--
-- Helpers used by every later suite.
CREATE FUNCTION sim(op text, body jsonb DEFAULT NULL) RETURNS jsonb
LANGUAGE sql AS $$ SELECT alpaca_request('POST', '/_sim/' || op, body) $$;
-- run a statement; say which SQLSTATE and message it failed with
CREATE FUNCTION sqlstate_of(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    RETURN st || ': ' || msg;
END $$;
-- the same, with Alpaca's own words from the detail
CREATE FUNCTION error_detail_of(q text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE st text; det text;
BEGIN
    EXECUTE q;
    RETURN 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, det = PG_EXCEPTION_DETAIL;
    RETURN st || ': ' || det;
END $$;
-- the test bed's keys (scripts/lib.sh puts them in the server's settings
-- and gives them to the simulator): what leak tests look for
CREATE FUNCTION sim_keys(OUT key_id text, OUT secret_key text)
LANGUAGE sql AS $$ SELECT 'PKSIMULATOR0000000001', 'sim-secret-0000000000000000000000000000' $$;
SELECT sim('reset');
SELECT current_setting('alpaca.base_url') ~ '^http://127\.0\.0\.1:[0-9]+$' AS base_url_is_the_simulator;
SELECT current_setting('alpaca.timeout_ms') AS timeout_ms;
SELECT current_setting('alpaca.allow_live') AS allow_live;
SELECT extversion FROM pg_extension WHERE extname = 'alpaca';
-- every object of the extension explains itself in \df+ and \dx+
SELECT pg_describe_object(classid, objid, 0) AS undocumented
FROM pg_depend
WHERE refclassid = 'pg_extension'::regclass
  AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'alpaca')
  AND deptype = 'e'
  AND obj_description(objid, classid::regclass::name) IS NULL
ORDER BY 1;
-- functions that talk to the API are volatile and parallel unsafe
SELECT proname FROM pg_proc
WHERE proname LIKE 'alpaca\_%' AND (provolatile <> 'v' OR proparallel <> 'u')
ORDER BY 1;
-- no function of the extension is callable by PUBLIC
SELECT p.oid::regprocedure AS public_function
FROM pg_proc p
JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alpaca'
WHERE has_function_privilege('public', p.oid, 'EXECUTE');
-- money and quantities are numeric, never float
SELECT t.typname, a.attname, format_type(a.atttypid, a.atttypmod)
FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid
WHERE t.typname LIKE 'alpaca\_%' AND a.atttypid IN ('float4'::regtype, 'float8'::regtype)
ORDER BY 1, 2;
