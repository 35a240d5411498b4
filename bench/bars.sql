-- Helpers for the market data part of scripts/bench (bench/bars.sh), created
-- in its throwaway cluster.
CREATE EXTENSION pg_prewarm;
-- where every loader writes: a logged table of alpaca_bar's columns
CREATE TABLE bars_load (
    symbol text,
    "timestamp" timestamptz,
    open numeric,
    high numeric,
    low numeric,
    close numeric,
    volume numeric,
    trade_count bigint,
    vwap numeric
);
-- this backend's peak resident memory so far, in kB
CREATE FUNCTION hwm_kb() RETURNS bigint LANGUAGE sql AS
    $$ SELECT (regexp_match(pg_read_file('/proc/self/status'), 'VmHWM:\s+(\d+)'))[1]::bigint $$;
-- Resident memory counts the shared buffers and WAL buffers a backend has
-- touched, and loading a million rows touches all of them: the same for every
-- loader, and none of its own.  idle_kb() touches them first (a table larger
-- than shared_buffers read through them, a few MB of WAL), then answers
-- hwm_kb(), so that what a load adds over it is the loader's own memory.
CREATE TABLE filler AS
    SELECT repeat('x', 900) AS x FROM generate_series(1, (SELECT setting::bigint * 8192 / 1000 * 5 / 4 FROM pg_settings WHERE name = 'shared_buffers'));
CREATE TABLE wal_filler (x text);
CREATE FUNCTION idle_kb() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_prewarm('filler', 'buffer');
    -- about 8 MB of WAL, past wal_buffers (shared_buffers / 32)
    INSERT INTO wal_filler SELECT repeat('x', 900) FROM generate_series(1, 8000);
    TRUNCATE wal_filler;
    RETURN hwm_kb();
END $$;
-- The generic SQL way: alpaca_request() for every page, following
-- next_page_token, and jsonb_each + jsonb_to_recordset over its bars.
-- query: the first page's query string (symbols, timeframe, range, limit);
-- the tokens here need no %-encoding (Alpaca's base64 would: "+", "/", "=").
CREATE FUNCTION bars_generic(query text) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
    page jsonb;
    token text;
    n bigint := 0;
    k bigint;
BEGIN
    LOOP
        page := alpaca_request('GET', '/v2/stocks/bars?' || query || coalesce('&page_token=' || token, ''));
        INSERT INTO bars_load
            SELECT s.key, b.t, b.o, b.h, b.l, b.c, b.v, b.n, b.vw
            FROM jsonb_each(page -> 'bars') AS s,
                 jsonb_to_recordset(s.value) AS b(t timestamptz, o numeric, h numeric, l numeric, c numeric,
                                                  v numeric, n bigint, vw numeric);
        GET DIAGNOSTICS k = ROW_COUNT;
        n := n + k;
        token := page ->> 'next_page_token';
        EXIT WHEN token IS NULL;
    END LOOP;
    RETURN n;
END $$;
