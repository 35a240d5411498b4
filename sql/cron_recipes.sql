--
-- The pg_cron recipes of the README, scheduled as the README gives them and
-- then run here, each job's command exactly as pg_cron stored it, against
-- the simulator.  (That pg_cron runs such jobs with the extension loaded is
-- what scripts/load shows, under load; here the recipes' SQL is the subject.)
--
SELECT sim('reset') IS NOT NULL AS reset;
CREATE EXTENSION pg_cron;
-- run a job's command now, as pg_cron would at its time
CREATE FUNCTION run_job(name text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE (SELECT command FROM cron.job WHERE jobname = run_job.name);
END $$;
-- 1. the daily risk job: five minutes before the close (20:55 UTC in winter;
-- pg_cron 1.4 schedules in UTC), close every position and cancel open orders
-- when equity has fallen more than 2 % since the last close
SELECT cron.schedule('drawdown-guard', '55 20 * * 1-5', $$
    SELECT alpaca_close_all_positions(cancel_orders => true)
    FROM alpaca_account() a
    WHERE a.equity < a.last_equity * 0.98
$$) > 0 AS scheduled;
SELECT (alpaca_place_order('AAPL', 100, 'buy')).status;
SELECT (alpaca_place_order('MSFT', 10, 'buy')).status;
SELECT (alpaca_place_order('AAPL', 1, 'buy', type => 'limit', limit_price => 1)).status AS resting_order;
-- under 1 % down: nothing happens
SELECT sim('prices', '{"AAPL": "142.50"}') ->> 'AAPL' AS aapl;
SELECT round(100 * (equity / last_equity - 1), 2) AS change_pct FROM alpaca_account();
SELECT run_job('drawdown-guard');
SELECT symbol, qty FROM alpaca_positions() ORDER BY symbol;
-- 5 % down: every position closed, the resting order canceled
SELECT sim('prices', '{"AAPL": "100"}') ->> 'AAPL' AS aapl;
SELECT round(100 * (equity / last_equity - 1), 2) AS change_pct FROM alpaca_account();
SELECT run_job('drawdown-guard');
SELECT count(*) AS positions FROM alpaca_positions();
SELECT count(*) AS open_orders FROM alpaca_orders(status => 'open');
-- 2. cancel every open order at the close (21:00 UTC in winter) on trading days
SELECT cron.schedule('cancel-at-close', '0 21 * * 1-5', $$
    SELECT alpaca_cancel_all_orders() FROM alpaca_clock() c WHERE NOT c.is_open OR c.next_close <= now() + interval '1 minute'
$$) > 0 AS scheduled;
SELECT (alpaca_place_order('AAPL', 1, 'buy', type => 'limit', limit_price => 1)).status;
SELECT (alpaca_place_order('MSFT', 1, 'buy', type => 'limit', limit_price => 1)).status;
SELECT run_job('cancel-at-close');   -- the market is open and not closing: nothing canceled
SELECT count(*) AS open_orders FROM alpaca_orders(status => 'open');
SELECT sim('config', '{"market": "closed"}') IS NOT NULL AS closed;
SELECT run_job('cancel-at-close');
SELECT count(*) AS open_orders FROM alpaca_orders(status => 'open');
SELECT sim('config', '{"market": "open"}') IS NOT NULL AS open;
-- 3. a nightly snapshot of positions into a history table
CREATE TABLE position_history AS
    SELECT current_date AS taken_on, * FROM alpaca_positions() WITH NO DATA;
ALTER TABLE position_history ADD PRIMARY KEY (taken_on, symbol);
SELECT cron.schedule('position-snapshot', '30 22 * * *', $$
    INSERT INTO position_history SELECT current_date, * FROM alpaca_positions()
    ON CONFLICT (taken_on, symbol) DO NOTHING
$$) > 0 AS scheduled;
SELECT (alpaca_place_order('TSLA', 4, 'buy')).status;
SELECT (alpaca_place_order('BTC/USD', 0.5, 'buy', time_in_force => 'gtc')).status;
SELECT run_job('position-snapshot');
SELECT run_job('position-snapshot');   -- a second run the same day adds nothing
SELECT taken_on = current_date AS today, symbol, qty, avg_entry_price FROM position_history ORDER BY symbol;
-- a rebalance that reads the mirror, not the API, and queues its orders: they
-- leave after the job's transaction commits (the outbox), one per symbol off
-- target, none while an order for the symbol is on its way
CREATE TABLE my_targets (symbol text PRIMARY KEY, target numeric NOT NULL);
INSERT INTO my_targets VALUES ('AAPL', 10), ('MSFT', 0), ('SPY', 3);
SELECT cron.schedule('rebalance-from-mirror', '*/5 13-20 * * 1-5', $$
    SELECT alpaca_queue_order(t.symbol, qty => abs(t.target - coalesce(p.qty, 0)),
                              side => CASE WHEN t.target > coalesce(p.qty, 0) THEN 'buy' ELSE 'sell' END)
    FROM my_targets t LEFT JOIN alpaca_mirror_positions p USING (symbol)
    WHERE t.target <> coalesce(p.qty, 0)
      AND NOT EXISTS (SELECT 1 FROM alpaca_mirror_orders o WHERE o.symbol = t.symbol
                      AND o.status IN ('new', 'accepted', 'pending_new', 'partially_filled', 'held'))
      AND NOT EXISTS (SELECT 1 FROM alpaca_order_outbox q WHERE q.symbol = t.symbol
                      AND q.status IN ('pending_approval', 'queued', 'sending'))
$$) > 0 AS scheduled;
SELECT sim('reset');
SELECT (alpaca_place_order('AAPL', 4, 'buy')).status, (alpaca_place_order('MSFT', 2, 'buy')).status;
-- a resting order for SPY: the job leaves SPY alone while it is open
SELECT id AS resting FROM alpaca_place_order('SPY', 3, 'buy', type => 'limit', limit_price => 1) \gset
SELECT orders > 0 AS mirrored FROM alpaca_mirror_reconcile();
SELECT run_job('rebalance-from-mirror');
SELECT symbol, side, qty, (alpaca_wait_for_order(client_order_id)).status FROM alpaca_order_outbox
WHERE queued_at > now() - interval '1 minute' ORDER BY symbol;
SELECT symbol, qty FROM alpaca_positions() ORDER BY symbol;
-- once the resting order is gone, SPY is bought; the others are on target
SELECT alpaca_cancel_order(:'resting');
SELECT orders > 0 AS mirrored FROM alpaca_mirror_reconcile();
SELECT run_job('rebalance-from-mirror');
SELECT symbol, side, qty, (alpaca_wait_for_order(client_order_id)).status FROM alpaca_order_outbox
WHERE queued_at > now() - interval '1 minute' AND symbol = 'SPY';
SELECT symbol, qty FROM alpaca_positions() ORDER BY symbol;
SELECT orders >= 0 AS mirrored FROM alpaca_mirror_reconcile();
SELECT run_job('rebalance-from-mirror');
SELECT count(*) AS queued_on_target FROM alpaca_order_outbox WHERE status IN ('queued', 'sending');
DROP TABLE my_targets;
TRUNCATE alpaca_mirror_orders, alpaca_mirror_positions, alpaca_mirror_activities;
-- 5. keep a table of one-minute bars current: each run fetches from the last
-- stored bar to the last whole minute on the market's clock (a bar still
-- forming is left for the next run); a bar stored already is skipped
SELECT sim('config', '{"now": "2026-11-25T15:00:00Z", "walk": false}') IS NOT NULL AS frozen;
CREATE TABLE minute_bars AS SELECT * FROM alpaca_stock_bars(ARRAY['AAPL'], '1Min') WITH NO DATA;
ALTER TABLE minute_bars ADD PRIMARY KEY (symbol, timestamp);
SELECT cron.schedule('minute-bars', '*/5 * * * *', $$
    INSERT INTO minute_bars
    SELECT b.* FROM alpaca_clock() c,
        alpaca_stock_bars(ARRAY['AAPL', 'MSFT'], '1Min',
            start => coalesce((SELECT max(timestamp) FROM minute_bars), c.timestamp - interval '30 minutes'),
            "end" => date_trunc('minute', c.timestamp) - interval '1 microsecond') b
    ON CONFLICT (symbol, timestamp) DO NOTHING
$$) > 0 AS scheduled;
SELECT run_job('minute-bars');
SELECT symbol, count(*) AS bars, max(timestamp) AT TIME ZONE 'UTC' AS last_bar FROM minute_bars GROUP BY symbol ORDER BY symbol;
-- ten minutes later: ten more bars each, from the last one on, none twice
SELECT sim('config', '{"now": "2026-11-25T15:10:00Z"}') IS NOT NULL AS later;
SELECT run_job('minute-bars');
SELECT symbol, count(*) AS bars, max(timestamp) AT TIME ZONE 'UTC' AS last_bar FROM minute_bars GROUP BY symbol ORDER BY symbol;
SELECT run_job('minute-bars');   -- nothing new: nothing added
SELECT count(*) AS bars FROM minute_bars;
-- what was stored is what Alpaca has
SELECT count(*) AS differ FROM (
    SELECT * FROM minute_bars
    EXCEPT SELECT * FROM alpaca_stock_bars(ARRAY['AAPL', 'MSFT'], '1Min', start => '2026-11-25T14:30:00Z', "end" => '2026-11-25T15:10:00Z')) d;
SELECT sim('config', '{"now": null}') IS NOT NULL AS unfrozen;
DROP TABLE minute_bars;
-- the jobs, as pg_cron holds them
SELECT jobname, schedule, active FROM cron.job ORDER BY jobid;
SELECT cron.unschedule(jobname) FROM cron.job ORDER BY jobid;
DROP FUNCTION run_job(text);
DROP TABLE position_history;
DROP EXTENSION pg_cron;
