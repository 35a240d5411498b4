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
\set spec_file :abs_srcdir '/../shared/alpaca/trading-api-latest.json'
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
-- Every row type names the schema of the file it follows, "(schema: Name)"
-- at the end of its comment (a component, or "METHOD /path" for an answer
-- described inline), and has a column for each of that schema's fields,
-- through $ref, allOf and array items.  A field Alpaca adds makes this fail.
CREATE TEMP TABLE row_types AS
SELECT t.typname, t.typrelid,
       substring(obj_description(t.oid, 'pg_type') FROM '\(schema: ([^)]+)\)$') AS schemas
FROM pg_type t
JOIN pg_depend d ON d.objid = t.oid AND d.classid = 'pg_type'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alpaca'
WHERE t.typtype = 'c';
-- The Market Data API's types name their schemas in Alpaca's other file,
-- market-data-api.json, anywhere in their comment ("(schema: stock_bar, ...)");
-- their columns are the fields' long names (p is price), so here each named
-- schema must exist in that file.
\getenv md_spec_file ALPACA_MD_SPEC_FILE
\if :{?md_spec_file}
\else
\getenv abs_srcdir PG_ABS_SRCDIR
\set md_spec_file :abs_srcdir '/../shared/alpaca/market-data-api.json'
\endif
CREATE TEMP TABLE md_spec AS SELECT pg_read_file(:'md_spec_file')::jsonb AS doc;
CREATE TEMP TABLE md_types AS
SELECT t.typname, substring(obj_description(t.oid, 'pg_type') FROM '\(schema: ([^)]+)\)') AS schemas
FROM pg_type t
JOIN pg_depend d ON d.objid = t.oid AND d.classid = 'pg_type'::regclass AND d.deptype = 'e'
JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'alpaca'
WHERE t.typtype = 'c' AND obj_description(t.oid, 'pg_type') !~ '\(schema: [^)]+\)$'
  AND obj_description(t.oid, 'pg_type') ~ '\(schema: [^)]+\)';
CREATE TEMP TABLE schema_fields AS
WITH RECURSIVE s(typname, typrelid, node, depth) AS (
    SELECT typname, typrelid,
           CASE WHEN name ~ '^(GET|POST|PUT|PATCH|DELETE) /'
                THEN doc #> ARRAY['paths', split_part(name, ' ', 2), lower(split_part(name, ' ', 1)),
                                  'responses', '200', 'content', 'application/json', 'schema']
                ELSE doc #> ARRAY['components', 'schemas', name] END, 0
    FROM row_types, spec, regexp_split_to_table(schemas, ', ') AS name
    UNION ALL
    SELECT s.typname, s.typrelid, c, s.depth + 1
    FROM s, spec, jsonb_array_elements(
        coalesce(s.node -> 'allOf', '[]')
        || CASE WHEN s.node ? '$ref'
                THEN jsonb_build_array(doc #> ARRAY['components', 'schemas', regexp_replace(s.node ->> '$ref', '.*/', '')])
                ELSE '[]' END
        || CASE WHEN s.node ? 'items' THEN jsonb_build_array(s.node -> 'items') ELSE '[]' END) AS c
    WHERE s.depth < 8
)
SELECT DISTINCT typname, typrelid, field
FROM s, jsonb_object_keys(CASE WHEN jsonb_typeof(node -> 'properties') = 'object'
                               THEN node -> 'properties' ELSE '{}' END) AS field;
-- a named schema that is not in the file
SELECT r.typname, r.schemas FROM row_types r
WHERE r.schemas IS NOT NULL AND NOT EXISTS (SELECT 1 FROM schema_fields f WHERE f.typname = r.typname)
ORDER BY 1;
-- types with no schema: the portfolio history's point, which is one index
-- across the answer's parallel arrays (timestamp, equity, ...), not an
-- object of the file, and the order preview, which is the extension's own
SELECT typname FROM row_types WHERE schemas IS NULL
  AND typname NOT IN (SELECT typname FROM md_types) ORDER BY 1;
-- fields of a schema that its row type lacks: none
SELECT typname, field AS missing FROM schema_fields f
WHERE NOT EXISTS (SELECT 1 FROM pg_attribute a
                  WHERE a.attrelid = f.typrelid AND a.attname = f.field AND NOT a.attisdropped)
ORDER BY 1, 2;
-- how many fields each type was compared on
SELECT typname, count(*) AS fields FROM schema_fields GROUP BY 1 ORDER BY 1;

-- Market Data API: every operation of market-data-api.json has a function
-- whose comment names it ("Market Data API GET /path:")
SELECT count(*) AS market_data_operations FROM md_spec, jsonb_each(doc -> 'paths') AS x(p, item), jsonb_object_keys(item) AS m
WHERE m IN ('get', 'post', 'put', 'patch', 'delete');
SELECT upper(m) AS method, p AS path_without_function
FROM md_spec, jsonb_each(doc -> 'paths') AS x(p, item), jsonb_object_keys(item) AS m
WHERE m IN ('get', 'post', 'put', 'patch', 'delete')
  AND NOT EXISTS (SELECT 1 FROM ext_functions f WHERE starts_with(f.comment, 'Market Data API ' || upper(m) || ' ' || p || ': '))
ORDER BY 2;
-- each market data type's schemas are in that file
SELECT t.typname, name AS schema_not_in_the_file
FROM md_types t, md_spec, regexp_split_to_table(t.schemas, ', ') AS name
WHERE NOT (doc -> 'components' -> 'schemas') ? name
ORDER BY 1, 2;
SELECT count(*) AS market_data_types FROM md_types;
