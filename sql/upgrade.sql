--
-- Released versions are installed by users: each of them plus ALTER EXTENSION
-- alpaca UPDATE must give exactly the objects of a fresh install of the
-- current version.
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
CREATE EXTENSION alpaca;
CREATE TABLE fresh AS SELECT o FROM ext_objects() AS o;
DROP EXTENSION alpaca;
-- each released version, installed and then updated, against the fresh install
CREATE FUNCTION upgraded_from(v text) RETURNS TABLE (side text, o text) LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('CREATE EXTENSION alpaca VERSION %L', v);
    ALTER EXTENSION alpaca UPDATE;
    CREATE TEMP TABLE upgraded AS SELECT x AS o FROM ext_objects() AS x;
    DROP EXTENSION alpaca;
    RETURN QUERY
        (SELECT 'only after the upgrade', u.o FROM upgraded u EXCEPT SELECT 'only after the upgrade', f.o FROM fresh f)
        UNION ALL
        (SELECT 'only in a fresh install', f.o FROM fresh f EXCEPT SELECT 'only in a fresh install', u.o FROM upgraded u);
    DROP TABLE upgraded;
END $$;
SELECT count(*) > 60 AS many_objects FROM fresh;
-- whatever differs, either way, per released version (none: identical)
CREATE TABLE differences AS
SELECT v.version AS upgraded_from, d.side, d.o
FROM pg_available_extension_versions v LEFT JOIN LATERAL upgraded_from(v.version) d ON true
WHERE v.name = 'alpaca' AND v.version <> (SELECT default_version FROM pg_available_extensions WHERE name = 'alpaca');
SELECT upgraded_from, count(o) AS differences FROM differences GROUP BY 1 ORDER BY 1;
SELECT * FROM differences WHERE o IS NOT NULL ORDER BY 1, 3, 2;
-- and each reaches the default version
CREATE EXTENSION alpaca VERSION '1.0';
ALTER EXTENSION alpaca UPDATE;
SELECT extversion = (SELECT default_version FROM pg_available_extensions WHERE name = 'alpaca') AS updated_to_default
FROM pg_extension WHERE extname = 'alpaca';
-- every version on the path is installable and updatable
SELECT name, version, installed FROM pg_available_extension_versions WHERE name = 'alpaca' ORDER BY version;
SELECT source, target FROM pg_extension_update_paths('alpaca') WHERE path IS NOT NULL ORDER BY 1, 2;
-- a schema every role may create objects in (public before PostgreSQL 15):
-- the install warns and says how to close it; closed, it does not
DROP EXTENSION alpaca;
CREATE SCHEMA alpaca_open;
GRANT CREATE ON SCHEMA alpaca_open TO PUBLIC;
CREATE EXTENSION alpaca SCHEMA alpaca_open;
DROP EXTENSION alpaca;
REVOKE CREATE ON SCHEMA alpaca_open FROM PUBLIC;
CREATE EXTENSION alpaca SCHEMA alpaca_open;
DROP EXTENSION alpaca;
DROP SCHEMA alpaca_open;
-- a call in flight when the extension is dropped: the order was placed, and
-- the error says so and names its client_order_id
CREATE EXTENSION alpaca;
CREATE EXTENSION dblink;
\getenv pw PGPASSWORD
\if :{?pw}
\else
\set pw 'trust'
\endif
SELECT dblink_connect('placer', format('host=localhost port=%s dbname=%s user=%s password=%s',
                      current_setting('port'), current_database(), current_user, :'pw'));
SELECT alpaca_request('POST', '/_sim/faults', '{"method": "POST", "path": "/v2/orders", "delay_after_ms": 1500}') IS NOT NULL AS armed;
SELECT dblink_send_query('placer', $$SELECT id FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit',
                                                                     limit_price => 1, client_order_id => 'dropped-mid-call')$$);
SELECT pg_sleep(0.5);
DROP EXTENSION alpaca;
SELECT * FROM dblink_get_result('placer', false) AS t(id uuid);
SELECT dblink_disconnect('placer');
CREATE EXTENSION alpaca;
SELECT status, symbol FROM alpaca_order_by_client_id('dropped-mid-call');
SELECT count(*) AS canceled FROM alpaca_cancel_order((SELECT id FROM alpaca_order_by_client_id('dropped-mid-call')));
DROP EXTENSION alpaca;
DROP EXTENSION dblink;
\c contrib_regression
DROP DATABASE alpaca_upgrade;
