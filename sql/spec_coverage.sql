--
-- Every operation in Alpaca's OpenAPI file has a SQL function.  The spec is
-- read from ../shared/alpaca beside the checkout (or $ALPACA_SPEC_FILE);
-- a function names its operation at the start of its comment, as
-- "METHOD /path:".
--
\getenv spec_file ALPACA_SPEC_FILE
\if :{?spec_file}
\else
\getenv abs_srcdir PG_ABS_SRCDIR
\set spec_file :abs_srcdir '/../shared/alpaca/trading-api.json'
\endif
CREATE TEMP TABLE spec AS SELECT pg_read_file(:'spec_file')::jsonb AS doc;
CREATE TEMP VIEW spec_ops AS
SELECT upper(m) AS method, p AS path
FROM spec, jsonb_each(doc -> 'paths') AS x(p, item), jsonb_object_keys(item) AS m
WHERE m IN ('get', 'post', 'put', 'patch', 'delete');
SELECT count(*) AS operations FROM spec_ops;
-- the extension's functions and the operation each comment names
CREATE TEMP TABLE ext_functions AS
SELECT f.oid::regprocedure AS function, f.proname, obj_description(f.oid, 'pg_proc') AS comment
FROM pg_proc f
JOIN pg_depend d ON d.objid = f.oid AND d.classid = 'pg_proc'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alpaca';
-- operations with no function: none
SELECT method, path FROM spec_ops o
WHERE NOT EXISTS (SELECT 1 FROM ext_functions f WHERE starts_with(f.comment, o.method || ' ' || o.path || ': '))
ORDER BY path, method;
-- and no function claims an operation the spec does not have
SELECT function, split_part(comment, ': ', 1) AS claims
FROM ext_functions f
WHERE comment ~ '^(GET|POST|PUT|PATCH|DELETE) /'
  AND NOT EXISTS (SELECT 1 FROM spec_ops o WHERE starts_with(f.comment, o.method || ' ' || o.path || ': '))
ORDER BY 1;
-- the operations, each with its function
SELECT o.method, o.path, string_agg(f.proname, ', ' ORDER BY f.proname) AS functions
FROM spec_ops o
JOIN ext_functions f ON starts_with(f.comment, o.method || ' ' || o.path || ': ')
GROUP BY 1, 2 ORDER BY 2, 1;
