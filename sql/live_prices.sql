--
-- Live prices: the alpaca prices worker streams the symbols of positions,
-- open orders and a watchlist from the simulator's market data streams into
-- alpaca_live_prices, at most once per symbol per interval; the limits
-- price orders from it while fresh; what the stream sends is read strictly.
--
SELECT sim('reset') IS NOT NULL AS reset;
-- waits up to 10 s for a condition on the table
CREATE FUNCTION live_until(cond text) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE ok boolean;
BEGIN
    FOR i IN 1..200 LOOP
        EXECUTE 'SELECT ' || cond INTO ok;
        IF ok THEN RETURN true; END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
    RETURN false;
END $$;
SELECT sim('prices', '{"AAPL": "187.25", "MSFT": "402.10", "BTC/USD": "64123.5"}') IS NOT NULL AS pinned;
SELECT name FROM alpaca_create_watchlist('live', ARRAY['AAPL', 'BTC/USD']);

-- on, from the simulator's port (http:// means ws:// on loopback)
SELECT current_setting('alpaca.base_url') AS stream_url \gset
ALTER SYSTEM SET alpaca.data_stream_url = :'stream_url';
ALTER SYSTEM SET alpaca.live_prices_watchlist = 'live';
ALTER SYSTEM SET alpaca.live_prices_interval = '100ms';
ALTER SYSTEM SET alpaca.live_prices = on;
SELECT pg_reload_conf();
SELECT live_until($$(SELECT count(*) = 2 FROM alpaca_live_prices WHERE trade_price IS NOT NULL AND bid_price IS NOT NULL)$$) AS streaming;
-- the simulator's own latest trades, digit for digit
SELECT l.symbol, l.asset_class, l.trade_price, l.trade_price = t.price AS same_as_alpaca,
       l.ask_price >= l.bid_price AS quote_sane, l.trade_at IS NOT NULL AS dated
FROM alpaca_live_prices l
LEFT JOIN (SELECT symbol, price FROM alpaca_stock_latest_trades(ARRAY['AAPL'])
           UNION ALL SELECT symbol, price FROM alpaca_crypto_latest_trades(ARRAY['BTC/USD'])) t USING (symbol)
ORDER BY 1;
-- one connection per stream, authenticated, subscribed to exactly these
SELECT c ->> 'path' AS path, (c ->> 'authenticated')::boolean AS authenticated,
       c -> 'subscriptions' -> 'trades' AS trades, c -> 'subscriptions' -> 'quotes' AS quotes
FROM jsonb_array_elements(alpaca_request('GET', '/_sim/market_stream') -> 'connections') c ORDER BY 1;

-- a new price is followed
SELECT sim('prices', '{"AAPL": "188.00"}') IS NOT NULL AS pinned;
SELECT live_until($$(SELECT trade_price = 188.00 FROM alpaca_live_prices WHERE symbol = 'AAPL')$$) AS followed;

-- an order's symbol joins the set (with the mirror off, open orders are
-- read once a minute, and at once after a reload)
SELECT status FROM alpaca_place_order('MSFT', qty => 1, side => 'buy', type => 'limit', limit_price => 1,
                                      client_order_id => 'live-msft') \gset
SELECT pg_reload_conf();
SELECT live_until($$(SELECT count(*) = 1 FROM alpaca_live_prices WHERE symbol = 'MSFT')$$) AS order_symbol_streamed;
SELECT trade_price FROM alpaca_live_prices WHERE symbol = 'MSFT';
SELECT sqlstate_of($$SELECT alpaca_cancel_order((SELECT id FROM alpaca_order_by_client_id('live-msft')))$$) AS canceled;

-- the limits price from it while current, and say so: the trade is as old
-- as the simulator's last (its prices stand still), but came on the
-- connection still open, so no newer one exists
CREATE FUNCTION live_preview(q numeric, OUT allowed boolean, OUT price numeric, OUT price_source text, OUT value numeric)
LANGUAGE sql AS $$
    SELECT allowed, price, regexp_replace(price_source, '[0-9.]+ s ago', 'N s ago'), value
    FROM alpaca_preview_order('AAPL', qty => q, side => 'buy') $$;
SET alpaca.max_order_notional = '1000';
SELECT * FROM live_preview(5);
SELECT regexp_replace(sqlstate_of($$SELECT alpaca_place_order('AAPL', qty => 6, side => 'buy')$$), '[0-9.]+ s ago', 'N s ago') AS refused;
-- not current (written long ago, on another connection): the Market Data API again
UPDATE alpaca_live_prices SET trade_written_at = now() - interval '1 hour', stream_connection = 1, trade_price = 1
WHERE symbol = 'AAPL';
SELECT * FROM live_preview(5);
-- ... though written within alpaca.live_prices_max_age it is current
UPDATE alpaca_live_prices SET trade_written_at = now() - interval '2 s' WHERE symbol = 'AAPL';
SELECT * FROM live_preview(5);
ALTER SYSTEM SET alpaca.live_prices_max_age = 1;
SELECT pg_reload_conf();
SELECT pg_sleep(0.1);
SELECT * FROM live_preview(5);
ALTER SYSTEM RESET alpaca.live_prices_max_age;
SELECT pg_reload_conf();
RESET alpaca.max_order_notional;
SELECT sim('prices', '{"AAPL": "188.25"}') IS NOT NULL AS pinned;
SELECT live_until($$(SELECT trade_price = 188.25 FROM alpaca_live_prices WHERE symbol = 'AAPL')$$) AS mended;
-- a stalled stream (silent, not given up yet) is not current once nothing
-- was heard for alpaca.live_prices_max_age: the Market Data API again
ALTER SYSTEM SET alpaca.live_prices_max_age = 1;
SELECT pg_reload_conf();
SELECT sim('market_stream', '{"stall": true}') IS NOT NULL AS stalled;
SELECT pg_sleep(1.5);
SET alpaca.max_order_notional = '1000';
SELECT * FROM live_preview(5);
RESET alpaca.max_order_notional;
ALTER SYSTEM RESET alpaca.live_prices_max_age;
SELECT pg_reload_conf();
SELECT sim('market_stream', '{"disconnect": true}') IS NOT NULL AS cut;
SELECT sim('prices', '{"AAPL": "188.50"}') IS NOT NULL AS pinned;
SELECT live_until($$(SELECT trade_price = 188.50 FROM alpaca_live_prices WHERE symbol = 'AAPL')$$) AS streaming_again;

-- a role granted a kind reads it, and no role but the worker writes it
CREATE ROLE alpaca_live_reader;
SELECT count(*) > 0 AS granted FROM alpaca_grant('alpaca_live_reader', 'reader');
SET ROLE alpaca_live_reader;
SELECT count(*) AS readable FROM alpaca_live_prices;
SELECT sqlstate_of($$UPDATE alpaca_live_prices SET trade_price = 0.01$$);
SELECT sqlstate_of($$INSERT INTO alpaca_live_prices (symbol, asset_class, trade_price) VALUES ('GME', 'us_equity', 0.01)$$);
SELECT sqlstate_of($$SELECT * FROM alpaca_live_prices_store('[]', 'us_equity', '{GME}', 1)$$);
RESET ROLE;
CREATE ROLE alpaca_live_stranger;
SET ROLE alpaca_live_stranger;
SELECT sqlstate_of($$SELECT count(*) FROM alpaca_live_prices$$);
RESET ROLE;

-- each symbol written at most once per interval: with 1 s, ticks every
-- 50 ms for 2 s (each resends every point) give at most 3 writes of a row
ALTER SYSTEM SET alpaca.live_prices_interval = '1s';
SELECT pg_reload_conf();
SELECT pg_sleep(1.2);
CREATE FUNCTION writes_while_ticking() RETURNS integer LANGUAGE plpgsql AS $$
DECLARE seen timestamptz[] := '{}'; u timestamptz;
BEGIN
    FOR i IN 1..40 LOOP
        PERFORM sim('tick');
        SELECT updated_at INTO u FROM alpaca_live_prices WHERE symbol = 'BTC/USD';
        IF NOT u = ANY (seen) THEN seen := seen || u; END IF;
        PERFORM pg_sleep(0.05);
    END LOOP;
    RETURN cardinality(seen) - 1;
END $$;
SELECT writes_while_ticking() BETWEEN 1 AND 3 AS at_most_once_per_interval;
ALTER SYSTEM SET alpaca.live_prices_interval = '100ms';
SELECT pg_reload_conf();

-- what the stream sends is read strictly: a time to come (2099: kept, it
-- would outrank every later trade and stay current), a NaN, a string, a price of 0,
-- an impossible time, a symbol not subscribed, invalid JSON, a key twice;
-- each is refused and the row keeps the last good trade
SELECT sim('prices', '{"BTC/USD": "64500"}') IS NOT NULL AS pinned;
SELECT live_until($$(SELECT trade_price = 64500 FROM alpaca_live_prices WHERE symbol = 'BTC/USD')$$) AS before_hostile;
SELECT (alpaca_request('POST', '/_sim/market_stream', jsonb_build_object('family', 'crypto', 'inject', jsonb_build_array(
    '[{"T":"t","S":"BTC/USD","p":1,"s":1,"t":"2099-01-01T00:00:00Z"}]',
    '[{"T":"t","S":"BTC/USD","p":"NaN","s":1,"t":"2030-01-01T00:00:00Z"}]',
    '[{"T":"t","S":"BTC/USD","p":0,"s":1,"t":"2030-01-01T00:00:00Z"}]',
    '[{"T":"t","S":"BTC/USD","p":1,"s":1,"t":"2030-02-31T00:00:00Z"}]',
    '[{"T":"t","S":"BTC/USD","p":1,"s":1,"t":"infinity"}]',
    '[{"T":"t","S":"EVIL/USD","p":1,"s":1,"t":"2030-01-01T00:00:00Z"}]',
    '[{"T":"t","S":"BTC/USD","p":1,"s":1,"t":"2030-01-01T00:00:00Z"',
    '[{"T":"t","S":"BTC/USD","p":1,"p":2,"s":1,"t":"2030-01-01T00:00:00Z"}]'))) ->> 'injected')::int AS injected;
SELECT pg_sleep(0.5);
SELECT symbol, trade_price FROM alpaca_live_prices WHERE symbol LIKE '%/USD' ORDER BY 1;

-- a message refused, a newer trade may have been lost: the row's trade is
-- no longer the latest by the connection, only by its age
ALTER SYSTEM SET alpaca.live_prices_max_age = 1;
SELECT pg_reload_conf();
SELECT pg_sleep(1.2);
SET alpaca.max_order_notional = '1000000';
SELECT price, price_source FROM alpaca_preview_order('BTC/USD', qty => 1, side => 'buy', time_in_force => 'gtc');
RESET alpaca.max_order_notional;
ALTER SYSTEM RESET alpaca.live_prices_max_age;
SELECT pg_reload_conf();

-- a cut stream is opened again, and followed
SELECT sim('market_stream', '{"disconnect": true}') IS NOT NULL AS cut;
SELECT sim('prices', '{"AAPL": "189.50"}') IS NOT NULL AS pinned;
SELECT live_until($$(SELECT trade_price = 189.50 FROM alpaca_live_prices WHERE symbol = 'AAPL')$$) AS after_cut;

-- a symbol that leaves the watchlist is unsubscribed, and its row goes
SELECT name FROM alpaca_remove_from_watchlist((SELECT id FROM alpaca_watchlist_by_name('live')), 'BTC/USD');
SELECT pg_reload_conf();   -- the watchlist is read again at once after a reload
SELECT live_until($$(SELECT count(*) = 0 FROM alpaca_live_prices WHERE symbol = 'BTC/USD')$$) AS removed;
SELECT live_until($$(SELECT count(*) = 0 FROM jsonb_array_elements(alpaca_request('GET', '/_sim/market_stream') -> 'connections') c
                    WHERE c ->> 'path' LIKE '/v1beta3/%')$$) AS crypto_stream_closed;

-- with the mirror on, positions and open orders come from its tables, read
-- every few seconds: a stock bought, and a coin (Alpaca names its position
-- BTCUSD, the simulator BTC/USD; its stream's symbol is BTC/USD)
ALTER SYSTEM SET alpaca.mirror = on;
SELECT pg_reload_conf();
SELECT status FROM alpaca_place_order('AMZN', qty => 1, side => 'buy') \gset
SELECT status FROM alpaca_place_order('BTC/USD', qty => 0.01, side => 'buy', time_in_force => 'gtc') \gset
SELECT live_until($$(SELECT count(*) = 2 FROM alpaca_mirror_positions WHERE symbol IN ('AMZN', 'BTCUSD', 'BTC/USD'))$$) AS mirrored;
SELECT live_until($$(SELECT count(*) = 2 FROM alpaca_live_prices WHERE symbol IN ('AMZN', 'BTC/USD') AND trade_price IS NOT NULL)$$) AS positions_streamed;
-- the book valued with no request
SELECT p.symbol, p.qty, p.qty * l.trade_price = p.qty * t.price AS valued_at_alpacas_price
FROM alpaca_mirror_positions p
JOIN alpaca_live_prices l ON l.symbol = CASE p.symbol WHEN 'BTCUSD' THEN 'BTC/USD' ELSE p.symbol END
JOIN (SELECT symbol, price FROM alpaca_stock_latest_trades(ARRAY['AMZN'])
      UNION ALL SELECT symbol, price FROM alpaca_crypto_latest_trades(ARRAY['BTC/USD'])) t ON t.symbol = l.symbol
WHERE p.symbol IN ('AMZN', 'BTCUSD', 'BTC/USD') ORDER BY 1;
SELECT count(*) > 0 AS closed FROM alpaca_close_all_positions();
ALTER SYSTEM RESET alpaca.mirror;
SELECT pg_reload_conf();

-- a watchlist gone leaves the other symbols streamed (a role may delete it)
SELECT status FROM alpaca_place_order('NVDA', qty => 1, side => 'buy', type => 'limit', limit_price => 1,
                                      client_order_id => 'live-nvda') \gset
ALTER SYSTEM SET alpaca.live_prices_watchlist = 'no-such-watchlist';
SELECT pg_reload_conf();
SELECT live_until($$(SELECT count(*) = 1 FROM alpaca_live_prices WHERE symbol = 'NVDA')$$) AS streamed_without_the_watchlist;
SELECT sqlstate_of($$SELECT alpaca_cancel_order((SELECT id FROM alpaca_order_by_client_id('live-nvda')))$$) AS canceled;

-- off: the worker disconnects
ALTER SYSTEM RESET alpaca.live_prices;
ALTER SYSTEM RESET alpaca.live_prices_interval;
ALTER SYSTEM RESET alpaca.live_prices_watchlist;
ALTER SYSTEM RESET alpaca.data_stream_url;
SELECT pg_reload_conf();
SELECT live_until($$(SELECT (alpaca_request('GET', '/_sim/market_stream') ->> 'open')::int = 0)$$) AS disconnected;
SELECT worker, pid IS NOT NULL AS running, last_error FROM alpaca_workers() WHERE worker = 'alpaca prices';
SELECT sqlstate_of($$SELECT alpaca_delete_watchlist((SELECT id FROM alpaca_watchlist_by_name('live')))$$) AS deleted;
DROP OWNED BY alpaca_live_reader;
DROP ROLE alpaca_live_reader, alpaca_live_stranger;
