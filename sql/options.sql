-- generated client_order_ids make the CONTEXT of order errors differ run to run;
-- sql/placement.sql tests that context
\set SHOW_CONTEXT never
--
-- Option contracts (all pages), exercise, multi-leg orders
--
SELECT sim('reset');
SELECT sim('config', '{"now": "2026-11-25T15:00:00Z"}') ->> 'now' AS frozen_at;
-- by default Alpaca returns the contracts expiring by next weekend
SELECT count(*) AS contracts, count(DISTINCT underlying_symbol) AS underlyings, max(expiration_date) AS last_expiry
FROM alpaca_option_contracts();
-- transparent paging: 5 per request, every page followed
SELECT count(*) AS aapl_all_expiries, count(DISTINCT id) AS distinct_ids
FROM alpaca_option_contracts(underlying_symbols => ARRAY['AAPL'], expiration_date_lte => '2027-12-31', page_limit => 5);
SELECT symbol, name, type, style, strike_price, expiration_date, multiplier, size, root_symbol, tradable
FROM alpaca_option_contracts(underlying_symbols => ARRAY['AAPL'], type => 'call',
                             expiration_date => '2026-12-04', strike_price_gte => 145, strike_price_lte => 155)
ORDER BY strike_price;
SELECT count(*) AS puts FROM alpaca_option_contracts(underlying_symbols => ARRAY['SPY', 'TSLA'], type => 'put',
                                                     expiration_date_gte => '2026-11-27', expiration_date_lte => '2026-12-11');
SELECT count(*) AS by_root FROM alpaca_option_contracts(root_symbol => 'TSLA', expiration_date => '2026-11-27');
SELECT count(*) AS european FROM alpaca_option_contracts(style => 'european');
SELECT count(*) AS inactive FROM alpaca_option_contracts(status => 'inactive');
SELECT jsonb_array_length(deliverables) AS deliverables, deliverables->0->>'symbol' AS delivers
FROM alpaca_option_contracts(underlying_symbols => ARRAY['AAPL'], expiration_date => '2026-11-27',
                             show_deliverables => true, strike_price_gte => 150, strike_price_lte => 150, type => 'call');
-- one contract, by symbol or id
SELECT symbol, strike_price, close_price > 0 AS priced, underlying_asset_id = (alpaca_asset('AAPL')).id AS underlying
FROM alpaca_option_contract('AAPL261204C00150000');
SELECT c.symbol FROM alpaca_option_contract((alpaca_option_contract('AAPL261204C00150000')).id::text) c;
-- argument checks
SELECT * FROM alpaca_option_contracts(type => 'straddle');
SELECT * FROM alpaca_option_contracts(style => 'bermudan');
SELECT * FROM alpaca_option_contracts(status => 'expired');
SELECT * FROM alpaca_option_contracts(page_limit => 0);
SELECT * FROM alpaca_option_contracts(page_limit => 10001);
SELECT * FROM alpaca_option_contracts(expiration_date => '2026-12-04', expiration_date_gte => '2026-12-01');
SELECT * FROM alpaca_option_contracts(expiration_date_gte => '2026-12-31', expiration_date_lte => '2026-12-01');
SELECT * FROM alpaca_option_contracts(underlying_symbols => ARRAY['AAPL,SPY']);
SELECT * FROM alpaca_option_contract('');
SELECT * FROM alpaca_option_contract('AAPL201204C09990000');
SELECT sqlstate_of($$SELECT alpaca_option_contract('AAPL201204C09990000')$$);
--
-- buy a call, then exercise: the option becomes 100 shares at the strike
--
SELECT symbol, asset_class, qty FROM alpaca_place_order('AAPL261204C00150000', qty => 2, side => 'buy');
SELECT symbol, asset_class, qty, market_value > 0 AS valued FROM alpaca_positions();
SELECT alpaca_do_not_exercise_option('AAPL261204C00150000');
SELECT alpaca_exercise_option('AAPL261204C00150000');
SELECT symbol, qty, avg_entry_price FROM alpaca_positions();
SELECT activity_type, symbol, qty FROM alpaca_activities_by_type('OPEXC');
-- no position: 403; not an option: 422
SELECT alpaca_exercise_option('AAPL261204C00150000');
SELECT sqlstate_of($$SELECT alpaca_exercise_option('AAPL261204C00150000')$$);
SELECT alpaca_do_not_exercise_option('AAPL261204P00150000');
SELECT alpaca_exercise_option('AAPL');
SELECT alpaca_exercise_option('');
--
-- multi-leg (mleg) orders: a call spread
--
SELECT order_class, type, qty, symbol, jsonb_array_length(legs) AS legs,
       jsonb_path_query_array(legs, '$[*].symbol') AS leg_symbols,
       jsonb_path_query_array(legs, '$[*].ratio_qty') AS ratios
FROM alpaca_place_order(NULL, qty => 1, order_class => 'mleg', type => 'limit', limit_price => 20,
    legs => '[{"symbol": "AAPL261204C00145000", "ratio_qty": "1", "side": "buy", "position_intent": "buy_to_open"},
              {"symbol": "AAPL261204C00155000", "ratio_qty": "1", "side": "sell", "position_intent": "sell_to_open"}]');
SELECT symbol, qty FROM alpaca_positions() WHERE asset_class = 'us_option' ORDER BY symbol;
-- argument checks of mleg orders
SELECT alpaca_place_order(NULL, qty => 1, order_class => 'mleg');
SELECT alpaca_place_order(NULL, qty => 1, order_class => 'mleg', legs => '[{"symbol": "AAPL261204C00145000", "ratio_qty": "1", "side": "buy"}]');
SELECT alpaca_place_order(NULL, qty => 1, order_class => 'mleg', legs => '{"symbol": "x"}');
SELECT alpaca_place_order('AAPL', qty => 1, order_class => 'mleg', legs => '[{}, {}]');
SELECT alpaca_place_order(NULL, order_class => 'mleg', legs => '[{}, {}]');
SELECT alpaca_place_order(NULL, qty => 1, side => 'buy', order_class => 'mleg', legs => '[{}, {}]');
SELECT alpaca_place_order(NULL, qty => 1, order_class => 'mleg', legs => '[{"symbol": "NOPE", "ratio_qty": "1", "side": "buy"}, {"symbol": "AAPL261204C00155000", "ratio_qty": "1", "side": "sell"}]');
