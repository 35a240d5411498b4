--
-- 1.0 is installed by users: 1.0 plus ALTER EXTENSION alpaca UPDATE must
-- give exactly the objects of a fresh install of the current version.
--
CREATE DATABASE alpaca_upgrade;
\c alpaca_upgrade
-- every member of the extension, with everything that defines it
CREATE FUNCTION ext_objects() RETURNS SETOF text LANGUAGE sql AS $$
    SELECT concat_ws(' | ',
        pg_describe_object(d.classid, d.objid, d.objsubid),
        coalesce(obj_description(d.objid, d.classid::regclass::name), 'NO COMMENT'),
        CASE d.classid
            WHEN 'pg_proc'::regclass THEN
                (SELECT pg_get_functiondef(p.oid) || ' acl=' || coalesce(p.proacl::text, 'default')
                 FROM pg_proc p WHERE p.oid = d.objid)
            WHEN 'pg_type'::regclass THEN
                (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod) ||
                                   coalesce(' -- ' || col_description(t.typrelid, a.attnum), ''), ', ' ORDER BY a.attnum)
                 FROM pg_type t JOIN pg_attribute a ON a.attrelid = t.typrelid
                 WHERE t.oid = d.objid AND a.attnum > 0 AND NOT a.attisdropped)
            WHEN 'pg_class'::regclass THEN
                (SELECT c.relkind::text || ' acl=' || coalesce(c.relacl::text, 'default') || ' ' ||
                        (SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod), ', ' ORDER BY a.attnum)
                         FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped)
                 FROM pg_class c WHERE c.oid = d.objid)
        END)
    FROM pg_depend d
    WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
      AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'alpaca')
$$;
CREATE EXTENSION alpaca VERSION '1.0';
ALTER EXTENSION alpaca UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'alpaca') AS updated_to_default
FROM pg_extension WHERE extname = 'alpaca';
CREATE TABLE upgraded AS SELECT o FROM ext_objects() AS o;
DROP EXTENSION alpaca;
CREATE EXTENSION alpaca;
CREATE TABLE fresh AS SELECT o FROM ext_objects() AS o;
SELECT count(*) > 60 AS many_objects, count(*) = (SELECT count(*) FROM upgraded) AS same_count FROM fresh;
-- whatever differs, either way (no rows: identical)
(SELECT 'only after the upgrade' AS side, o FROM upgraded EXCEPT SELECT 'only after the upgrade', o FROM fresh)
UNION ALL
(SELECT 'only in a fresh install', o FROM fresh EXCEPT SELECT 'only in a fresh install', o FROM upgraded)
ORDER BY 2, 1;
-- every version on the path is installable and updatable
SELECT name, version, installed FROM pg_available_extension_versions WHERE name = 'alpaca' ORDER BY version;
SELECT source, target FROM pg_extension_update_paths('alpaca') WHERE path IS NOT NULL ORDER BY 1, 2;
\c contrib_regression
DROP DATABASE alpaca_upgrade;
