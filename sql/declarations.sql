--
-- One declaration per function (src/catalog.h): a declaration and its SQL
-- function cannot disagree unseen.  The arguments declared (names, types,
-- defaults) are the function's, every function of the extension is
-- declared, its comment is its declaration's, and the catalogue
-- alpaca_operations shows holds every declaration meant for callers.
--
SET intervalstyle = postgres;
CREATE TEMP TABLE declared AS SELECT * FROM alpaca_catalog_entries();
CREATE TEMP TABLE ext_functions AS
SELECT p.oid, p.oid::regprocedure AS function, p.proname,
       -- pg_get_function_arguments without the OUT arguments
       regexp_replace(regexp_replace(pg_get_function_arguments(p.oid), '(^|, )OUT [^,]+', '', 'g'), '^, ', '') AS arguments
FROM pg_proc p
JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alpaca';
SELECT count(*) > 90 AS many_declared, count(*) FILTER (WHERE internal) AS internal FROM declared;
-- declared, but no such function, or its arguments differ
SELECT d.function, d.arguments_text AS declared, f.arguments AS in_sql
FROM declared d LEFT JOIN ext_functions f ON f.oid = to_regprocedure(d.signature)
WHERE f.oid IS NULL OR f.arguments <> d.arguments_text
ORDER BY 1;
-- functions of the extension no declaration describes
SELECT f.function FROM ext_functions f
WHERE NOT EXISTS (SELECT 1 FROM declared d WHERE to_regprocedure(d.signature) = f.oid)
ORDER BY 1;
-- comments that are not their declaration's
SELECT d.function FROM declared d
WHERE obj_description(to_regprocedure(d.signature), 'pg_proc') IS DISTINCT FROM d.comment
ORDER BY 1;
-- every effect is one of four, and the catalogue holds every declaration meant for callers
SELECT effect, count(*) > 0 AS some FROM declared GROUP BY 1 ORDER BY 1;
SELECT count(*) = (SELECT count(*) FROM declared WHERE NOT internal) AS catalogue_complete FROM alpaca_catalog;
-- a declaration that does not match its function is an error at its first call too
-- (a function of that name whose arguments are not the declaration's)
CREATE FUNCTION alpaca_calendar(start date, date_type text) RETURNS SETOF alpaca_calendar_day
AS 'alpaca', 'alpaca_declared' LANGUAGE C;
SELECT sqlstate_of($$SELECT * FROM alpaca_calendar(current_date, 'TRADING')$$);
DROP FUNCTION alpaca_calendar(date, text);
-- and a function no declaration names
CREATE FUNCTION alpaca_clock_undeclared() RETURNS alpaca_clock AS 'alpaca', 'alpaca_declared' LANGUAGE C;
SELECT sqlstate_of('SELECT alpaca_clock_undeclared()');
DROP FUNCTION alpaca_clock_undeclared();
-- each argument's JSON Schema says what it may be
SELECT arguments -> 'properties' -> 'side' AS side, arguments -> 'required' AS required
FROM alpaca_operations WHERE function = 'alpaca_place_order';
SELECT arguments -> 'properties' -> 'legs' -> 'items' -> 'required' AS leg_needs FROM alpaca_operations WHERE function = 'alpaca_place_order';
