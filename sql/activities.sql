--
-- Account activities (all pages) and portfolio history
--
SELECT sim('reset');
SELECT sim('config', '{"now": "2026-11-25T15:00:00Z"}') ->> 'now' AS frozen_at;
-- the simulator holds 60 non-trade activities: more than one page of 25
SELECT count(*) AS all_pages, count(DISTINCT id) AS distinct_ids FROM alpaca_activities(page_size => 25);
SELECT activity_type, count(*) FROM alpaca_activities() GROUP BY 1 ORDER BY 1;
SELECT id, activity_type, activity_sub_type, date, net_amount, symbol, qty, per_share_amount, status
FROM alpaca_activities(direction => 'asc', page_size => 7) LIMIT 4;
-- desc is Alpaca's default order
SELECT bool_and(id >= next_id) AS descending
FROM (SELECT id, lead(id) OVER () AS next_id FROM alpaca_activities(page_size => 10)) s WHERE next_id IS NOT NULL;
SELECT count(*) AS dividends, sum(net_amount) AS total FROM alpaca_activities(activity_types => ARRAY['DIV']);
SELECT count(*) AS div_or_fee FROM alpaca_activities(activity_types => ARRAY['DIV', 'FEE']);
SELECT count(*) AS dividends FROM alpaca_activities_by_type('DIV', page_size => 4);
SELECT count(*) AS after_oct_20 FROM alpaca_activities(after => '2026-10-20T00:00:00Z');
SELECT count(*) AS until_oct_10 FROM alpaca_activities(until => '2026-10-10T00:00:00Z');
SELECT count(*) AS on_oct_2 FROM alpaca_activities(date => '2026-10-02');
SELECT count(*) AS non_trade FROM alpaca_activities(category => 'non_trade_activity');
-- fills appear as activities, typed
SELECT sim('config', '{"now": null}') IS NOT NULL AS thawed;
SELECT (alpaca_place_order('AAPL', qty => 3, side => 'buy')).status;
SELECT (alpaca_close_position('AAPL')).side;
SELECT activity_type, type, side, qty, price, cum_qty, leaves_qty, order_status, order_id IS NOT NULL AS has_order,
       transaction_time IS NOT NULL AS has_time, raw ? 'transaction_time' AS raw_kept
FROM alpaca_activities(category => 'trade_activity') ORDER BY side;
SELECT count(*) AS fills FROM alpaca_activities_by_type('FILL');
-- the statistics count both types as one endpoint, by its path template
SELECT endpoint FROM alpaca_stat_endpoints WHERE endpoint LIKE 'GET /v2/account/activities/%' ORDER BY 1;
-- the last 30 days, as the issue asks
SELECT count(*) > 0 AS recent FROM alpaca_activities(after => now() - interval '30 days');
-- argument checks
-- a type Alpaca may add passes (the simulator has none of it); a malformed one does not
SELECT count(*) AS bonus FROM alpaca_activities(activity_types => ARRAY['BONUS']);
SELECT * FROM alpaca_activities(activity_types => ARRAY['no such']);
SELECT * FROM alpaca_activities(activity_types => ARRAY['DIV'], category => 'trade_activity');
SELECT * FROM alpaca_activities(category => 'everything');
SELECT * FROM alpaca_activities(direction => 'sideways');
SELECT * FROM alpaca_activities(page_size => 0);
SELECT * FROM alpaca_activities(page_size => 101);
SELECT * FROM alpaca_activities(date => '2026-10-02', after => '2026-10-01');
SELECT * FROM alpaca_activities_by_type(NULL);
-- Alpaca's codes are upper case; a caller's are made so
SELECT count(*) AS dividends FROM alpaca_activities_by_type('div');
--
-- portfolio history: one row per point
--
SELECT sim('config', '{"now": "2026-11-25T15:00:00Z"}') ->> 'now' AS frozen_at;
SET TimeZone = 'America/New_York';
SELECT * FROM alpaca_portfolio_history(period => '1W', timeframe => '1D');
SELECT count(*) AS points, min("timestamp") AS first, max("timestamp") AS last, min(timeframe) AS timeframe
FROM alpaca_portfolio_history(period => '1M');
SELECT count(*) AS points, min(timeframe) AS timeframe FROM alpaca_portfolio_history(period => '1D');
SELECT count(*) AS points FROM alpaca_portfolio_history(period => '1D', timeframe => '1H', intraday_reporting => 'continuous');
SELECT count(*) AS points FROM alpaca_portfolio_history(start => '2026-11-02', "end" => '2026-11-06 23:59', timeframe => '1D');
-- history is replayed from fills and prices: buy 100 AAPL at 150, and let
-- the price fall to 100 before the close
SELECT status FROM alpaca_place_order('AAPL', qty => 100, side => 'buy', type => 'limit', limit_price => 150);
SELECT qty, avg_entry_price FROM alpaca_positions() WHERE symbol = 'AAPL';  -- (fills as the next request comes in)
SELECT sim('config', '{"now": "2026-11-25T15:30:00Z"}') ->> 'now' AS at;
SELECT sim('prices', '{"AAPL": "100"}') ->> 'AAPL' AS aapl;
SELECT sim('config', '{"now": "2026-11-25T21:30:00Z"}') ->> 'now' AS after_the_close;
SELECT "timestamp"::date AS day, equity, profit_loss FROM alpaca_portfolio_history(period => '1W', timeframe => '1D')
ORDER BY "timestamp" DESC LIMIT 2;
-- a 2 % drawdown check is one query
SELECT max(peak - equity) / max(peak) > 0.02 AS drew_down_2pct
FROM (SELECT equity, max(equity) OVER (ORDER BY "timestamp") AS peak
      FROM alpaca_portfolio_history(period => '1M', timeframe => '1D')) s;
SELECT pg_typeof(equity) AS equity_type, pg_typeof("timestamp") AS time_type
FROM alpaca_portfolio_history(period => '1W') LIMIT 1;
-- argument checks
SELECT * FROM alpaca_portfolio_history(period => 'month');
SELECT * FROM alpaca_portfolio_history(period => '0D');
SELECT * FROM alpaca_portfolio_history(timeframe => '2H');
SELECT * FROM alpaca_portfolio_history(intraday_reporting => 'always');
SELECT * FROM alpaca_portfolio_history(pnl_reset => 'weekly');
SELECT * FROM alpaca_portfolio_history(start => '2026-11-06', "end" => '2026-11-02');
SELECT * FROM alpaca_portfolio_history(period => '1W', start => '2026-11-02', "end" => '2026-11-06');
-- the API's refusal
SELECT * FROM alpaca_portfolio_history(period => '1A', timeframe => '1Min');
RESET TimeZone;
