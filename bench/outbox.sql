-- scripts/bench: how soon after COMMIT a queued order is at Alpaca, beside
-- the time alpaca_place_order() itself takes to place the same order, in
-- one run against the simulator on loopback.
\set n 300
CREATE TABLE lat (how text, cid text, ms float8);
CREATE PROCEDURE bench_outbox(n int) LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz; cid text; r alpaca_order_outbox;
BEGIN
    FOR i IN 1..n LOOP
        -- placed at once, in the statement
        t0 := clock_timestamp();
        cid := (alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1)).client_order_id;
        INSERT INTO lat VALUES ('alpaca_place_order(): the call', cid, extract(epoch FROM clock_timestamp() - t0) * 1000);
        COMMIT;
        -- queued, sent after COMMIT: from the commit to Alpaca's answer recorded
        cid := alpaca_queue_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1);
        COMMIT;
        t0 := clock_timestamp();
        r := alpaca_wait_for_order(cid);
        IF r.status <> 'placed' THEN
            RAISE EXCEPTION 'order % was %', cid, r.status;
        END IF;
        INSERT INTO lat VALUES ('alpaca_queue_order(): COMMIT to placed', cid, extract(epoch FROM r.answered_at - t0) * 1000);
        COMMIT;
    END LOOP;
END $$;
CALL bench_outbox(:n);
SELECT how, count(*) AS orders,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS p50_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY ms)::numeric, 2) AS p99_ms,
       round(max(ms)::numeric, 2) AS max_ms
FROM lat GROUP BY how ORDER BY how DESC;
