--
-- Positions: list, get, close part or all, close every position
--
SELECT sim('reset');
SELECT count(*) AS no_positions FROM alpaca_positions();
SELECT (alpaca_place_order('AAPL', qty => 10, side => 'buy')).symbol;
SELECT (alpaca_place_order('MSFT', qty => 4, side => 'buy')).symbol;
SELECT (alpaca_place_order('TSLA', qty => 3, side => 'sell')).symbol;
SELECT (alpaca_place_order('BTC/USD', qty => 0.5, side => 'buy', time_in_force => 'gtc')).symbol;
SELECT sim('prices', '{"AAPL": "165", "TSLA": "240"}') ->> 'AAPL' AS aapl;
SELECT symbol, exchange, asset_class, side, qty, qty_available, avg_entry_price, current_price,
       lastday_price, market_value, cost_basis, unrealized_pl, unrealized_plpc, change_today
FROM alpaca_positions() ORDER BY symbol;
SELECT pg_typeof(qty) AS qty_type, pg_typeof(asset_id) AS id_type FROM alpaca_positions() LIMIT 1;
SELECT symbol, qty, unrealized_pl FROM alpaca_position('AAPL');
SELECT p.symbol FROM alpaca_position((alpaca_asset('MSFT')).id::text) p;
SELECT symbol, qty FROM alpaca_position('BTC/USD');
SELECT symbol, qty FROM alpaca_position('BTCUSD');
-- a sell order reserves shares: qty_available drops
SELECT (alpaca_place_order('AAPL', qty => 2, side => 'sell', type => 'limit', limit_price => 999)).status;
SELECT qty, qty_available FROM alpaca_position('AAPL');
SELECT count(*) FROM alpaca_cancel_all_orders();
-- close part of a position, by quantity or percentage
SELECT symbol, side, qty, type, position_intent FROM alpaca_close_position('AAPL', qty => 4);
SELECT qty FROM alpaca_position('AAPL');
SELECT symbol, side, qty FROM alpaca_close_position('AAPL', percentage => 50);
SELECT qty FROM alpaca_position('AAPL');
SELECT symbol, side, qty, position_intent FROM alpaca_close_position('TSLA');
-- argument checks
SELECT alpaca_close_position('AAPL', qty => 1, percentage => 10);
SELECT alpaca_close_position('AAPL', qty => 0);
SELECT alpaca_close_position('AAPL', percentage => 150);
SELECT alpaca_close_position('AAPL', percentage => -1);
SELECT alpaca_close_position('', qty => 1);
SELECT alpaca_close_position(NULL);
SELECT alpaca_position(NULL) IS NULL AS strict;
-- errors from the API
SELECT alpaca_close_position('AAPL', qty => 1000);
SELECT * FROM alpaca_position('GME');
SELECT sqlstate_of($$SELECT alpaca_position('GME')$$);
SELECT alpaca_close_position('GME');
-- close everything, cancelling open orders first
SELECT (alpaca_place_order('MSFT', qty => 1, side => 'buy', type => 'limit', limit_price => 1)).status;
SELECT symbol, status, body->>'side' AS side, body->>'qty' AS qty
FROM alpaca_close_all_positions(cancel_orders => true) ORDER BY symbol;
SELECT count(*) AS open_orders FROM alpaca_orders();
SELECT count(*) AS positions_left FROM alpaca_positions();
SELECT count(*) AS nothing_to_close FROM alpaca_close_all_positions();
