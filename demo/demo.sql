-- A tour of the alpaca extension against the simulator.
-- The server holds the keys (postgresql.conf); this session never sees them.
\set ON_ERROR_STOP on
\pset null '(null)'
CREATE EXTENSION IF NOT EXISTS alpaca;
\echo '== the account, one typed row'
SELECT account_number, status, cash, buying_power, equity FROM alpaca_account();
\echo '== the market clock and this month''s calendar'
SELECT * FROM alpaca_clock();
SELECT * FROM alpaca_calendar('2026-11-01', '2026-11-30');
\echo '== every market''s phase now (v3 clock), and the sessions of the next days'
SELECT market ->> 'acronym' AS market, phase, phase_until FROM alpaca_market_clocks();
SELECT "date", pre_start, core_start, core_end, post_end FROM alpaca_market_calendar('NYSE', current_date, current_date + 7);
\echo '== assets'
SELECT symbol, name, exchange, fractionable FROM alpaca_assets(status => 'active', asset_class => 'us_equity');
SELECT symbol, name, class FROM alpaca_asset('AAPL');
\echo '== place a market order and a limit order'
SELECT id, symbol, qty, side, type, status FROM alpaca_place_order('AAPL', qty => 10, side => 'buy', type => 'market', time_in_force => 'day');
SELECT symbol, qty, limit_price, status FROM alpaca_place_order('MSFT', qty => 5, side => 'buy', type => 'limit',
    limit_price => 390, time_in_force => 'gtc', client_order_id => 'demo-msft');
\echo '== a bracket order: entry with take-profit and stop-loss legs'
SELECT symbol, order_class, jsonb_path_query_array(legs, '$[*].type') AS legs
FROM alpaca_place_order('SPY', qty => 2, side => 'buy', type => 'limit', limit_price => 505,
    order_class => 'bracket', take_profit_limit_price => 530, stop_loss_stop_price => 490);
\echo '== open orders, and one by client order id'
SELECT symbol, side, type, qty, status FROM alpaca_orders(status => 'open');
SELECT symbol, status FROM alpaca_order_by_client_id('demo-msft');
\echo '== replace the limit order, then cancel everything open'
SELECT symbol, qty, limit_price, status FROM alpaca_replace_order((alpaca_order_by_client_id('demo-msft')).id, qty => 3, limit_price => 395);
SELECT status, count(*) FROM alpaca_cancel_all_orders() GROUP BY status;
\echo '== positions join local tables'
CREATE TEMP TABLE my_targets (symbol text PRIMARY KEY, target numeric);
INSERT INTO my_targets VALUES ('AAPL', 20), ('TSLA', 5);
SELECT p.symbol, p.qty, t.target, t.target - p.qty AS to_buy, p.market_value
FROM alpaca_positions() p JOIN my_targets t USING (symbol);
\echo '== close half of the position, then everything'
SELECT symbol, side, qty FROM alpaca_close_position('AAPL', percentage => 50);
SELECT symbol, status FROM alpaca_close_all_positions(cancel_orders => true);
SELECT count(*) AS positions_left FROM alpaca_positions();
\echo '== a watchlist whose assets join alpaca_assets()'
SELECT name FROM alpaca_create_watchlist('demo', ARRAY['AAPL', 'TSLA', 'BTC/USD']);
SELECT w.symbol, a.exchange FROM alpaca_watchlist_assets_by_name('demo') w JOIN alpaca_assets() a USING (id);
\echo '== a short-sale locate, and Treasury bills'
SELECT symbol, status, located_qty, located_price, total_fee FROM alpaca_create_locate('KKR', 200);
SELECT cusip, description_short, maturity_date, close_yield_to_maturity FROM alpaca_us_treasuries(subtype => 'bill');
\echo '== activities of the last 30 days, every page'
SELECT activity_type, count(*), sum(net_amount) AS net FROM alpaca_activities(after => now() - interval '30 days') GROUP BY 1 ORDER BY 1;
\echo '== portfolio history: the last month, and a 2 % drawdown check'
SELECT "timestamp"::date AS day, equity, profit_loss_pct FROM alpaca_portfolio_history(period => '1W', timeframe => '1D');
SELECT coalesce(max(peak - equity) / max(peak) > 0.02, false) AS drew_down_2pct
FROM (SELECT equity, max(equity) OVER (ORDER BY "timestamp") AS peak
      FROM alpaca_portfolio_history(period => '1M', timeframe => '1D')) s;
\echo '== option contracts, corporate actions, crypto wallets'
SELECT symbol, type, strike_price, expiration_date FROM alpaca_option_contracts(underlying_symbols => ARRAY['AAPL'], type => 'call') LIMIT 5;
SELECT ca_type, initiating_symbol, ex_date, cash FROM alpaca_corporate_announcements(ARRAY['Dividend', 'Split'], current_date - 30, current_date + 30);
SELECT asset, chain FROM alpaca_crypto_wallets();
\echo '== errors are PostgreSQL errors, with Alpaca''s message in the detail'
\set ON_ERROR_STOP off
SELECT alpaca_place_order('AAPL', qty => 1000000, side => 'buy');
SELECT alpaca_place_order('AAPL', qty => -1, side => 'buy');
\echo '== anything else, as jsonb'
SELECT alpaca_request('GET', '/v2/account/configurations');
\set ON_ERROR_STOP on
\echo '== an agent''s limits: the owner sets them per role; the role cannot lift them'
SET alpaca.max_order_notional = '1000';
\set ON_ERROR_STOP off
SELECT alpaca_place_order('AAPL', qty => 10, side => 'buy');
\set ON_ERROR_STOP on
RESET alpaca.max_order_notional;
\echo '== orders on COMMIT: queued in a transaction, sent after it commits, never after a rollback'
BEGIN;
SELECT alpaca_queue_order('MSFT', qty => 2, side => 'buy', client_order_id => 'demo-rolled-back');
ROLLBACK;
BEGIN;
SELECT alpaca_queue_order('MSFT', qty => 2, side => 'buy', client_order_id => 'demo-committed');
COMMIT;
SELECT client_order_id, status, symbol, qty, order_id IS NOT NULL AS at_alpaca, answered_at - queued_at AS took
FROM alpaca_wait_for_order('demo-committed');
SELECT count(*) AS rolled_back_orders_at_alpaca FROM alpaca_orders(status => 'all') WHERE client_order_id = 'demo-rolled-back';
\echo '== the agent proposes, a person confirms: above alpaca.approval_above_notional an order waits'
SET alpaca.approval_above_notional = '1000';
SELECT alpaca_queue_order('AAPL', qty => 50, side => 'buy', client_order_id => 'demo-big');
RESET alpaca.approval_above_notional;
SELECT client_order_id, status, order_value FROM alpaca_order_outbox WHERE client_order_id = 'demo-big';
SELECT status, error FROM alpaca_reject_order('demo-big', 'too large for a demo');
\echo '== the mirror: orders, positions and activities kept current from Alpaca''s streams, NOTIFY on each change'
ALTER SYSTEM SET alpaca.mirror = on;
SELECT pg_reload_conf();
DO $$ BEGIN
    FOR i IN 1..500 LOOP
        EXIT WHEN (SELECT trade_updates = 'listening' FROM alpaca_mirror_status());
        PERFORM pg_sleep(0.01);
    END LOOP;
END $$;
-- each notification names only the order ({"order_id" : "..."}) and carries no
-- authority (any role may LISTEN or NOTIFY): the row says what happened
LISTEN alpaca_trade_updates;
SELECT id AS demo_order FROM alpaca_place_order('TSLA', qty => 3, side => 'buy', client_order_id => 'demo-mirrored') \gset
SELECT pg_sleep(0.2);
SELECT client_order_id, status, last_event, mirrored_at - event_at AS fill_to_row FROM alpaca_mirror_orders WHERE id = :'demo_order';
SELECT symbol, qty, avg_entry_price FROM alpaca_mirror_positions ORDER BY symbol;
SELECT trade_updates, activities, messages, reconciliations FROM alpaca_mirror_status();
ALTER SYSTEM RESET alpaca.mirror;
SELECT pg_reload_conf();
\echo '== the audit trail: every call that changed the account, which no ROLLBACK erases'
SELECT function, method, regexp_replace(path, '[0-9a-f-]{36}', '{id}') AS path, client_order_id, outcome, status
FROM alpaca_audit ORDER BY id DESC LIMIT 8;
\echo '== the cluster''s request budget, and what each endpoint cost'
SELECT * FROM alpaca_budget();
SELECT endpoint, calls, errors, mean_ms FROM alpaca_stat_endpoints ORDER BY calls DESC LIMIT 6;
