--
-- Assets
--
SELECT sim('reset');
SELECT symbol, class, exchange, status, tradable, fractionable, shortable, attributes
FROM alpaca_assets() ORDER BY symbol;
SELECT symbol FROM alpaca_assets(status => 'active', asset_class => 'us_equity') ORDER BY symbol;
SELECT symbol FROM alpaca_assets(status => 'inactive');
SELECT symbol FROM alpaca_assets(exchange => 'NYSE') ORDER BY symbol;
SELECT symbol FROM alpaca_assets(attributes => ARRAY['has_options']) ORDER BY symbol;
SELECT symbol, class, min_order_size, min_trade_increment, price_increment FROM alpaca_assets(asset_class => 'crypto') ORDER BY symbol;
SELECT symbol, name, cusip, borrow_status, margin_requirement_long, maintenance_margin_requirement FROM alpaca_asset('AAPL');
-- by id, and a crypto pair by either spelling
SELECT a.symbol FROM alpaca_asset((alpaca_asset('MSFT')).id::text) a;
SELECT symbol FROM alpaca_asset('BTC/USD');
SELECT symbol FROM alpaca_asset('ETHUSD');
-- assets join local tables
CREATE TEMP TABLE my_targets (symbol text PRIMARY KEY, target numeric);
INSERT INTO my_targets VALUES ('AAPL', 0.5), ('SPY', 0.5), ('XYZ', 0);
SELECT t.symbol, a.tradable FROM my_targets t LEFT JOIN alpaca_assets() a USING (symbol) ORDER BY 1;
-- errors
SELECT * FROM alpaca_asset('NOPE99');
SELECT sqlstate_of($$SELECT alpaca_asset('NOPE99')$$);
SELECT * FROM alpaca_asset('');
SELECT alpaca_asset(NULL) IS NULL AS strict;
SELECT * FROM alpaca_assets(status => 'delisted');
SELECT * FROM alpaca_assets(asset_class => 'bonds');
-- an attribute Alpaca may add passes; a malformed one does not
SELECT count(*) AS shiny FROM alpaca_assets(attributes => ARRAY['shiny']);
SELECT * FROM alpaca_assets(attributes => ARRAY['shiny; drop']);
SELECT * FROM alpaca_assets(attributes => ARRAY['ipo', NULL]);
