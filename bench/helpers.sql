-- Helpers for scripts/bench, created in the throwaway cluster.
-- the answer body, for the approaches that start from its text
CREATE TABLE body AS SELECT pg_read_file(:'assets_file') AS t;
-- median milliseconds of n runs of q
CREATE FUNCTION bench_ms(q text, n int) RETURNS numeric LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; ms float8[] := '{}';
BEGIN
    FOR i IN 1..n LOOP
        t0 := clock_timestamp();
        EXECUTE q;
        ms := ms || extract(epoch FROM clock_timestamp() - t0)::float8 * 1000;
    END LOOP;
    RETURN round((SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(ms) x)::numeric, 3);
END $$;
-- this backend's peak resident memory so far, in kB
CREATE FUNCTION hwm_kb() RETURNS bigint LANGUAGE sql AS
    $$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]::bigint $$;
