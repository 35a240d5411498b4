--
-- Limits the owner sets per role, checked before any request leaves.  A
-- refusal is 42501 naming the limit, the value that broke it and who can
-- change it; the role cannot lift its own.
--
SELECT sim('reset');
SELECT current_user AS owner \gset
-- roles log in (per-role settings apply at login); the test bed's password, if any
\getenv pw PGPASSWORD
\if :{?pw}
\else
\set pw 'trust'
\endif
CREATE FUNCTION requests() RETURNS int LANGUAGE sql AS $$ SELECT (alpaca_request('GET', '/_sim/state')->>'requests')::int $$;
CREATE ROLE alpaca_agent LOGIN PASSWORD :'pw';
CREATE ROLE alpaca_options_off LOGIN PASSWORD :'pw';
CREATE ROLE alpaca_halted LOGIN PASSWORD :'pw';
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO alpaca_agent, alpaca_options_off, alpaca_halted;
ALTER ROLE alpaca_agent SET alpaca.max_order_notional = '1000';
ALTER ROLE alpaca_agent SET alpaca.max_order_qty = '20';
ALTER ROLE alpaca_agent SET alpaca.max_position_notional = '2500';
ALTER ROLE alpaca_agent SET alpaca.allowed_symbols = 'AAPL, MSFT, BTC/USD, GME';
ALTER ROLE alpaca_agent SET alpaca.allow_short = off;
ALTER ROLE alpaca_options_off SET alpaca.allow_options = off;
ALTER ROLE alpaca_options_off SET alpaca.denied_symbols = 'TSLA';
ALTER ROLE alpaca_options_off SET alpaca.allowed_asset_classes = 'us_equity, us_option';
ALTER ROLE alpaca_halted SET alpaca.trading_enabled = off;
-- positions for the closes below, bought by the owner
SELECT status FROM alpaca_place_order('MSFT', qty => 30, side => 'buy');
SELECT status FROM alpaca_place_order('GME', qty => 4, side => 'buy');

\c - alpaca_agent
SELECT current_user, current_setting('alpaca.max_order_notional') AS max_notional, current_setting('alpaca.allow_short') AS short;

-- within every limit
SELECT symbol, status FROM alpaca_place_order('AAPL', qty => 2, side => 'buy', type => 'limit', limit_price => 150);
-- the order's own limit price: 10 x 150 = 1500
SELECT alpaca_place_order('AAPL', qty => 10, side => 'buy', type => 'limit', limit_price => 150);
-- a market order, priced from the market data API's latest trade: 7 x 150 = 1050
SELECT alpaca_place_order('AAPL', qty => 7, side => 'buy');
-- a notional order
SELECT alpaca_place_order('AAPL', notional => 1500, side => 'buy');
-- a crypto pair, priced the same way: 0.02 x 60000 = 1200
SELECT alpaca_place_order('BTC/USD', qty => 0.02, side => 'buy', time_in_force => 'gtc');
-- quantity
SELECT alpaca_place_order('AAPL', qty => 25, side => 'buy', type => 'limit', limit_price => 1);
-- a symbol not on the list
SELECT alpaca_place_order('SPY', qty => 1, side => 'buy', type => 'limit', limit_price => 1);
-- the position it would make: 20 GME at 25 = 500 is fine; MSFT already holds 30 x 400
SELECT symbol, status FROM alpaca_place_order('GME', qty => 16, side => 'buy', type => 'limit', limit_price => 25);
SELECT alpaca_place_order('MSFT', qty => 1, side => 'buy', type => 'limit', limit_price => 400);
-- selling down a position is fine; past zero it would be short
SELECT symbol, status FROM alpaca_place_order('GME', qty => 4, side => 'sell', type => 'limit', limit_price => 25);
SELECT alpaca_place_order('GME', qty => 19, side => 'sell', type => 'limit', limit_price => 25);
-- closes and replacements are checked as the orders they would become
SELECT alpaca_close_position('MSFT');
SELECT symbol, side, qty FROM alpaca_close_position('MSFT', qty => 2);
SELECT id AS open_id FROM alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1) \gset
SELECT alpaca_replace_order(:'open_id', qty => 21);
-- (a limit at or above the market counts as the market: 7 x 149 rests, and counts as 1043)
SELECT alpaca_replace_order(:'open_id', qty => 7, limit_price => 149);
SELECT qty, limit_price FROM alpaca_replace_order(:'open_id', qty => 2, limit_price => 2);
-- every refusal above left before sending: only the lookups (positions,
-- prices, the order to replace) and the accepted calls reached Alpaca
SELECT count(*) AS orders_placed FROM alpaca_orders(status => 'all');
-- the role cannot lift its own limits
SET alpaca.max_order_notional = '1000000';
RESET alpaca.max_order_notional;
SELECT set_config('alpaca.max_order_notional', '', false);
SET alpaca.allow_short = on;
ALTER ROLE alpaca_agent SET alpaca.max_order_notional = '1000000';
ALTER ROLE alpaca_agent RESET alpaca.max_order_notional;
CREATE FUNCTION pg_temp.lift() RETURNS int LANGUAGE sql SET alpaca.max_order_notional = '1000000' AS 'SELECT 1';
SHOW alpaca.max_order_notional;
-- nor move the market data it is priced by
SET alpaca.data_url = 'http://127.0.0.1:1';

\c - alpaca_options_off
-- options: an option order, an mleg order's legs, an exercise
SELECT alpaca_place_order('AAPL261204C00150000', qty => 1, side => 'buy', type => 'limit', limit_price => 1);
SELECT alpaca_place_order(NULL, qty => 1, order_class => 'mleg', type => 'limit', limit_price => 1,
                          legs => '[{"symbol": "AAPL261204C00155000", "ratio_qty": "1", "side": "buy", "position_intent": "buy_to_open"},
                                    {"symbol": "AAPL261204C00160000", "ratio_qty": "1", "side": "sell", "position_intent": "sell_to_open"}]');
SELECT alpaca_exercise_option('AAPL261204C00150000');
-- a denied symbol, and an asset class not allowed
SELECT alpaca_place_order('TSLA', qty => 1, side => 'buy', type => 'limit', limit_price => 1);
SELECT alpaca_place_order('ETH/USD', qty => 1, side => 'buy', time_in_force => 'gtc', type => 'limit', limit_price => 1);
SELECT symbol, status FROM alpaca_place_order('KKR', qty => 1, side => 'buy', type => 'limit', limit_price => 1);

\c - alpaca_halted
-- the kill switch: every call that changes the account is refused; reads go on
SELECT count(*) >= 0 AS reads_go_on FROM alpaca_positions();
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy');
SELECT alpaca_cancel_all_orders();
SELECT alpaca_close_all_positions();
SELECT alpaca_create_watchlist('halted');
SELECT alpaca_update_account_configurations(no_shorting => true);
SELECT alpaca_request('POST', '/v2/orders', '{"symbol": "AAPL", "qty": "1", "side": "buy", "type": "market", "time_in_force": "day"}');
SELECT alpaca_request('GET', '/v2/clock') IS NOT NULL AS get_goes_on;

\c - :owner
-- an order with no price while a notional limit is set: refused, not guessed
-- (the fault is armed first: alpaca_request sends nothing the limits cannot
-- judge while they are set)
SELECT sim('faults', '{"path": "/v2/stocks/trades/latest", "raw": "{\"trades\": {}}"}') IS NOT NULL AS no_trades;
SET alpaca.max_order_notional = '1000';
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy');
RESET alpaca.max_order_notional;
-- the market data host follows the base URL's policy
SET alpaca.max_order_notional = '1000';
SET alpaca.data_url = 'http://data.example.com';
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy');
SET alpaca.data_url = 'https://data.example.com';
SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy');
RESET alpaca.data_url;
RESET alpaca.max_order_notional;
-- only a superuser sets them; bad values are refused
SET alpaca.max_order_notional = 'a lot';
SET alpaca.allowed_asset_classes = 'bonds';
DROP OWNED BY alpaca_agent, alpaca_options_off, alpaca_halted;
DROP ROLE alpaca_agent, alpaca_options_off, alpaca_halted;
