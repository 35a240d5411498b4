--
-- The Market Data API as rows: every function against the simulator, whose
-- market follows the trading calendar (stock bars only in sessions on
-- trading days, crypto around the clock); rows the same whatever the page
-- size; digits as sent; odd answers refused.
--
SELECT sim('reset');
-- a fixed clock: Wednesday 2026-11-25 15:30 New York, the day before Thanksgiving
SELECT sim('config', '{"now": "2026-11-25T20:30:00Z", "walk": false}') IS NOT NULL AS frozen;

-- every market data function is in the catalogue, made from its declaration
SELECT count(*) AS market_data_functions FROM alpaca_operations WHERE method = 'GET' AND path ~ '^/(v1|v1beta1|v1beta3|v2/stocks)' AND path !~ '^/v1/locates';
SELECT o.function AS without_comment FROM alpaca_operations o
WHERE o.path ~ '^/(v1|v1beta1|v1beta3|v2/stocks)' AND o.path !~ '^/v1/locates' AND obj_description(to_regprocedure(o.signature), 'pg_proc') NOT LIKE 'Market Data API GET %';
SELECT pg_get_function_arguments('alpaca_stock_bars'::regproc) AS stock_bars_arguments;
SELECT format_type(prorettype, NULL) AS returns, proretset FROM pg_proc WHERE oid = 'alpaca_stock_bars'::regproc;

-- bars: daily bars on trading days only (no weekend, no Thanksgiving), every page
SELECT count(*) AS daily_bars,
       count(*) FILTER (WHERE extract(isodow FROM timestamp AT TIME ZONE 'America/New_York') IN (6, 7)) AS on_weekends,
       count(*) FILTER (WHERE (timestamp AT TIME ZONE 'America/New_York')::date = '2026-11-26') AS on_thanksgiving
FROM alpaca_stock_bars(ARRAY['AAPL'], '1Day', start => '2026-10-01', "end" => '2026-11-30');
SELECT symbol, count(*) AS bars FROM alpaca_stock_bars(ARRAY['AAPL', 'MSFT'], '1Hour', start => '2026-11-20', "end" => '2026-11-25')
GROUP BY symbol ORDER BY symbol;
-- the same rows whatever the page size: 7 per page is many pages
SELECT (SELECT count(*) FROM alpaca_stock_bars(ARRAY['AAPL', 'MSFT'], '1Hour', start => '2026-11-20', "end" => '2026-11-25', page_limit => 7))
     = (SELECT count(*) FROM alpaca_stock_bars(ARRAY['AAPL', 'MSFT'], '1Hour', start => '2026-11-20', "end" => '2026-11-25', page_limit => 10000)) AS same_rows_any_page_size;
SELECT count(DISTINCT (symbol, timestamp)) = count(*) AS no_row_twice
FROM alpaca_stock_bars(ARRAY['AAPL', 'MSFT'], '1Hour', start => '2026-11-20', "end" => '2026-11-25', page_limit => 7);
SELECT b.open >= b.low AND b.high >= b.close AND b.trade_count > 0 AND b.vwap BETWEEN b.low AND b.high AS bar_is_a_bar
FROM alpaca_stock_bars(ARRAY['AAPL'], '1Day', start => '2026-11-24', "end" => '2026-11-25') b;
-- one symbol's bars, the symbol filled in
SELECT symbol, count(*) AS bars FROM alpaca_stock_bar_single('AAPL', '1Day', start => '2026-11-01', "end" => '2026-11-25') GROUP BY symbol;

-- trades, quotes, auctions
SELECT symbol, count(*) > 0 AS trades, bool_and(price > 0 AND size > 0) AS priced
FROM alpaca_stock_trades(ARRAY['AAPL'], start => '2026-11-25T20:00:00Z', "end" => '2026-11-25T20:01:00Z') GROUP BY symbol;
SELECT count(*) > 0 AS quotes, bool_and(ask_price >= bid_price) AS not_crossed
FROM alpaca_stock_quotes(ARRAY['AAPL'], start => '2026-11-25T20:00:00Z', "end" => '2026-11-25T20:00:10Z');
SELECT count(*) AS auction_days, bool_and(jsonb_typeof(closing) = 'array') AS closing_prints
FROM alpaca_stock_auctions(ARRAY['AAPL'], start => '2026-11-16', "end" => '2026-11-20');
SELECT count(*) > 0 AS single_trades FROM alpaca_stock_trade_single('AAPL', start => '2026-11-25T20:00:00Z', "end" => '2026-11-25T20:01:00Z');
SELECT count(*) > 0 AS single_quotes FROM alpaca_stock_quote_single('AAPL', start => '2026-11-25T20:00:00Z', "end" => '2026-11-25T20:00:10Z');
SELECT count(*) AS single_auction_days FROM alpaca_stock_auction_single('AAPL', start => '2026-11-16', "end" => '2026-11-20');

-- the latest: a row per symbol, the same price the order limits use
SELECT symbol, price > 0 AS priced, timestamp <= '2026-11-25T20:30:00Z' AS not_from_the_future
FROM alpaca_stock_latest_trades(ARRAY['AAPL', 'SPY']) ORDER BY symbol;
SELECT (SELECT price FROM alpaca_stock_latest_trades(ARRAY['AAPL'])) =
       (alpaca_request('GET', '/_sim/prices') ->> 'AAPL')::numeric AS latest_trade_is_the_price;
SELECT symbol, price > 0 AS priced FROM alpaca_stock_latest_trade_single('AAPL');
SELECT symbol, bid_price < ask_price AS spread FROM alpaca_stock_latest_quotes(ARRAY['AAPL']);
SELECT symbol, bid_price < ask_price AS spread FROM alpaca_stock_latest_quote_single('MSFT');
SELECT symbol, close > 0 AS priced FROM alpaca_stock_latest_bars(ARRAY['AAPL']);
SELECT symbol, close > 0 AS priced FROM alpaca_stock_latest_bar_single('AAPL');
SELECT symbol, latest_trade_price > 0 AS trade, bid_price > 0 AS quote, minute_bar_close > 0 AS minute_bar,
       daily_bar_close > 0 AS daily_bar, prev_daily_bar_close > 0 AS prev_daily_bar,
       daily_bar_timestamp > prev_daily_bar_timestamp AS in_order
FROM alpaca_stock_snapshots(ARRAY['AAPL', 'SPY']) ORDER BY symbol;
SELECT symbol, latest_trade_price > 0 AS trade FROM alpaca_stock_snapshot_single('AAPL');
SELECT count(*) > 5 AS exchanges FROM alpaca_stock_meta_exchanges();
SELECT count(*) > 0 AS conditions FROM alpaca_stock_meta_conditions('trade', 'C');

-- the book valued with no order: positions joined with latest trades
SELECT (alpaca_place_order('AAPL', qty => 2, side => 'buy')).id IS NOT NULL AS bought;
SELECT p.symbol, p.qty * t.price = p.market_value AS valued_at_the_latest_trade
FROM alpaca_positions() p JOIN alpaca_stock_latest_trades(ARRAY(SELECT symbol FROM alpaca_positions())) t USING (symbol);

-- options: the chain of an underlying, its contracts read from their symbols
SELECT count(*) > 0 AS contracts,
       bool_and(underlying_symbol = 'SPY') AS underlying,
       bool_and(type IN ('call', 'put')) AS types,
       bool_and(symbol = underlying_symbol || to_char(expiration_date, 'YYMMDD') || upper(left(type, 1))
                || lpad((strike_price * 1000)::bigint::text, 8, '0')) AS symbols_read_back
FROM alpaca_option_chain('SPY');
SELECT count(*) FILTER (WHERE type <> 'put') AS not_puts FROM alpaca_option_chain('SPY', type => 'put');
-- the at-the-money put: nearest strike to the latest trade
SELECT c.type, abs(c.strike_price - t.price) <= 5 AS near_the_money, c.delta < 0 AS put_delta
FROM alpaca_option_chain('SPY', type => 'put') c, alpaca_stock_latest_trade_single('SPY') t
ORDER BY abs(c.strike_price - t.price), c.expiration_date LIMIT 1;
SELECT (SELECT symbol FROM alpaca_option_chain('SPY', type => 'call') ORDER BY symbol LIMIT 1) AS a_call \gset
SELECT count(*) AS snapshots, bool_and(implied_volatility > 0) AS iv FROM alpaca_option_snapshots(ARRAY[:'a_call']);
SELECT count(*) AS latest_trades FROM alpaca_option_latest_trades(ARRAY[:'a_call']);
SELECT count(*) AS latest_quotes FROM alpaca_option_latest_quotes(ARRAY[:'a_call']);
SELECT count(*) > 0 AS bars FROM alpaca_option_bars(ARRAY[:'a_call'], '1Day', start => '2026-11-01');
SELECT count(*) > 0 AS trades FROM alpaca_option_trades(ARRAY[:'a_call'], start => '2026-11-25');
SELECT count(*) > 0 AS option_exchanges FROM alpaca_option_meta_exchanges();
SELECT count(*) > 0 AS option_conditions FROM alpaca_option_meta_conditions('trade');

-- crypto: around the clock, the weekend too
SELECT count(*) AS hourly_bars_over_a_weekend
FROM alpaca_crypto_bars(ARRAY['BTC/USD'], '1Hour', start => '2026-11-21T00:00:00Z', "end" => '2026-11-22T23:59:00Z');
SELECT symbol, price > 0 AS priced FROM alpaca_crypto_latest_trades(ARRAY['BTC/USD', 'ETH/USD']) ORDER BY symbol;
SELECT count(*) > 0 AS trades FROM alpaca_crypto_trades(ARRAY['BTC/USD'], start => '2026-11-25T20:00:00Z', "end" => '2026-11-25T20:05:00Z');
SELECT count(*) > 0 AS quotes FROM alpaca_crypto_quotes(ARRAY['BTC/USD'], start => '2026-11-25T20:00:00Z', "end" => '2026-11-25T20:01:00Z');
SELECT symbol, bid_price < ask_price AS spread FROM alpaca_crypto_latest_quotes(ARRAY['BTC/USD']);
SELECT symbol, close > 0 AS priced FROM alpaca_crypto_latest_bars(ARRAY['BTC/USD']);
SELECT symbol, jsonb_array_length(bids) > 0 AS bids, (bids -> 0 ->> 'p')::numeric < (asks -> 0 ->> 'p')::numeric AS not_crossed
FROM alpaca_crypto_latest_orderbooks(ARRAY['BTC/USD']);
SELECT symbol, latest_trade_price > 0 AS trade FROM alpaca_crypto_snapshots(ARRAY['BTC/USD']);
SELECT count(*) AS perp_bars FROM alpaca_crypto_perp_latest_bars(ARRAY['BTCUSDT.P']);
SELECT count(*) AS perp_trades FROM alpaca_crypto_perp_latest_trades(ARRAY['BTCUSDT.P']);
SELECT count(*) AS perp_quotes FROM alpaca_crypto_perp_latest_quotes(ARRAY['BTCUSDT.P']);
SELECT count(*) AS perp_books FROM alpaca_crypto_perp_latest_orderbooks(ARRAY['BTCUSDT.P']);
SELECT symbol, mark_price > 0 AS marked, funding_time > timestamp AS funding_ahead FROM alpaca_crypto_perp_latest_pricing(ARRAY['BTCUSDT.P']);

-- news, the screener, corporate actions, forex, indices, bonds
SELECT count(*) > 0 AS articles, bool_and('AAPL' = ANY (symbols)) AS about_aapl
FROM alpaca_news(ARRAY['AAPL'], start => '2026-11-01');
SELECT (SELECT count(*) FROM alpaca_news(start => '2026-10-01', page_limit => 3)) =
       (SELECT count(*) FROM alpaca_news(start => '2026-10-01', page_limit => 50)) AS news_every_page;
SELECT count(*) AS most_actives FROM alpaca_most_actives(top => 5);
-- movers need prices that move: walk for these two calls
SELECT sim('config', '{"walk": true}') IS NOT NULL AS walking;
SELECT kind, count(*) > 0 AS some, bool_and(abs(percent_change) > 0) AS moved FROM alpaca_movers(top => 3) GROUP BY kind ORDER BY kind;
SELECT sim('config', '{"walk": false}') IS NOT NULL AS still;
SELECT count(*) > 0 AS actions, bool_and(type IN ('cash_dividend', 'forward_split', 'reverse_split', 'stock_dividend', 'spin_off',
       'cash_merger', 'stock_merger', 'stock_and_cash_merger', 'redemption', 'name_change', 'worthless_removal',
       'rights_distribution', 'partial_call', 'reorganization', 'unit_split')) AS singular_types, bool_and(raw IS NOT NULL) AS raw
FROM alpaca_corporate_actions(start => '2026-01-01', "end" => '2026-11-25');
SELECT count(*) FILTER (WHERE type <> 'cash_dividend') AS other_types
FROM alpaca_corporate_actions(types => ARRAY['cash_dividend'], start => '2026-01-01', "end" => '2026-11-25');
SELECT currency_pair, bid_price <= ask_price AS ordered FROM alpaca_forex_latest_rates(ARRAY['USDJPY']);
SELECT count(*) > 0 AS rates FROM alpaca_forex_rates(ARRAY['USDJPY'], '1Min', start => '2026-11-25T20:00:00Z', "end" => '2026-11-25T20:10:00Z');
SELECT count(*) AS index_values FROM alpaca_index_latest_values(ARRAY['SPX']);
SELECT count(*) > 0 AS history FROM alpaca_index_values(ARRAY['SPX'], start => '2026-11-25T20:00:00Z', "end" => '2026-11-25T20:10:00Z');
SELECT count(*) AS bond_prices FROM alpaca_fixed_income_latest_prices(ARRAY['US91282CMM00']);
SELECT count(*) AS bond_quotes FROM alpaca_fixed_income_latest_quotes(ARRAY['US91282CMM00']);

-- the caller's mistakes: a message that names what is valid, nothing sent
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_bars(ARRAY['AAPL'], '90Min')$$);
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_bars(ARRAY['AAPL'], '1Day', adjustment => 'split,magic')$$);
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_bars(ARRAY['AAPL'], '1Day', feed => 'nasdaq')$$);
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_bars(ARRAY['AAPL'], '1Day', page_limit => 20000)$$);
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_bars(ARRAY[]::text[], '1Day')$$);
SELECT sqlstate_of($$SELECT * FROM alpaca_crypto_bars(ARRAY['BTC/USD'], '1Day', loc => 'mars')$$);
-- ... and Alpaca's: a 4xx in its own words
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_latest_trade_single('NOSUCH')$$);

-- the wire: an odd answer is an error, never a plausible row
SELECT sim('faults', '{"path": "/v2/stocks/bars", "body": {"bars": [{"t": "2026-11-24T05:00:00Z"}], "next_page_token": null}}') IS NOT NULL AS armed;
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_bars(ARRAY['AAPL'], '1Day')$$);
SELECT sim('faults', '{"path": "/v2/stocks/bars", "body": {"bars": {"AAPL": [{"t": "2026-11-24T05:00:00Z", "o": "NaN"}]}, "next_page_token": null}}') IS NOT NULL AS armed;
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_bars(ARRAY['AAPL'], '1Day')$$);
SELECT sim('faults', '{"path": "/v2/stocks/trades/latest", "body": {"trades": {"AAPL": [{"p": 1}]}}}') IS NOT NULL AS armed;
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_latest_trades(ARRAY['AAPL'])$$);
SELECT sim('faults', '{"path": "/v2/stocks/snapshots", "body": {"AAPL": {"latestTrade": [1, 2]}}}') IS NOT NULL AS armed;
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_snapshots(ARRAY['AAPL'])$$);
SELECT sim('faults', '{"path": "/v2/stocks/snapshots", "raw": "{\"AAPL\": {\"latestTrade\": {\"p\": 1, \"p\": 2}}}", "content_type": "application/json"}') IS NOT NULL AS armed;
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_snapshots(ARRAY['AAPL'])$$);
-- exact digits and a field Alpaca may add
SELECT sim('faults', '{"path": "/v2/stocks/trades/latest", "raw": "{\"trades\": {\"AAPL\": {\"t\": \"2026-11-25T20:29:59.123456789Z\", \"p\": 187.123456789012345678, \"s\": 100, \"x\": \"V\", \"i\": 18446744073709551615, \"c\": [\"@\"], \"z\": \"C\", \"new\": {\"a\": 1}}}}", "content_type": "application/json"}') IS NOT NULL AS armed;
SELECT symbol, timestamp, price, id, conditions FROM alpaca_stock_latest_trades(ARRAY['AAPL']);
-- a bar's usual forms (a plain decimal, YYYY-MM-DDTHH:MM:SS[.ffffff]Z) are read
-- without numeric_in and timestamptz_in: the same values as theirs, digit for
-- digit; other forms (exponents, over 18 digits, offsets, longer fractions, a
-- leap second, 24:00) are left to them; rows keyed by trade_count
CREATE TEMP TABLE odd_bars AS SELECT $j${"bars": {"AAPL": [
 {"t": "2024-02-29T23:59:59Z", "o": 0, "h": -0, "l": -0.0, "c": 0.000001, "v": 0, "n": 1, "vw": 302.1},
 {"t": "2023-12-31T00:00:00.5Z", "o": 123456789012345678, "h": 1234567890123456789, "l": 1.5e3, "c": -12.340, "v": 999999999999999999, "n": 2, "vw": 99999999.9999999999},
 {"t": "2024-01-02T09:00:00.123456Z", "o": "302.10", "h": "-0.5", "l": 1E-2, "c": 0.1, "v": 10000, "n": 3, "vw": 1.000000000000000001},
 {"t": "2024-01-02T09:00:00.1234567Z", "o": 9.99, "h": 10, "l": 9, "c": 9.5, "v": 1, "n": 4, "vw": 9.7},
 {"t": "2024-01-02T09:00:00.000000Z", "o": 12345678901234567890.12345678901234567890, "h": -10000.00010000, "l": 0.00000000000000000001, "c": 100000000, "v": 123456789012345678901, "n": 5, "vw": -0.1000},
 {"t": "2024-01-02T04:00:00-05:00", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1, "n": 6, "vw": 1},
 {"t": "1999-12-31T23:59:59.999999Z", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1, "n": 7, "vw": 1},
 {"t": "0001-01-01T00:00:00Z", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1, "n": 8, "vw": 1},
 {"t": "9999-12-31T23:59:59.999999Z", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1, "n": 9, "vw": 1},
 {"t": "2016-12-31T23:59:60Z", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1, "n": 10, "vw": 1},
 {"t": "2024-01-01T24:00:00Z", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1, "n": 11, "vw": 1},
 {"t": "1970-01-01T00:00:00Z", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1, "n": 12, "vw": 1},
 {"t": "2100-02-28T12:00:00.000001Z", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1, "n": 13, "vw": 1},
 {"t": "2000-02-29T00:00:00Z", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1, "n": 14, "vw": 1}
]}, "next_page_token": null}$j$::text AS body;
SELECT sim('faults', jsonb_build_object('path', '/v2/stocks/bars', 'raw', body, 'content_type', 'application/json')) IS NOT NULL AS armed
FROM odd_bars;
CREATE TEMP TABLE odd_rows AS SELECT * FROM alpaca_stock_bars(ARRAY['AAPL'], '1Day');
SELECT count(*) AS bars, count(*) FILTER (WHERE a::text IS DISTINCT FROM j::text) AS not_as_input_functions_read_them
FROM odd_rows a
FULL JOIN (SELECT 'AAPL'::text AS symbol, t, o, h, l, c, v, n, vw
           FROM odd_bars, jsonb_to_recordset(body::jsonb -> 'bars' -> 'AAPL')
                AS x(t timestamptz, o numeric, h numeric, l numeric, c numeric, v numeric, n bigint, vw numeric)) j
ON a.trade_count = j.n;
-- ... and numeric's stored bytes: the same digits, scale and header (numeric_send, the stored size)
CREATE TEMP TABLE odd_expected AS
SELECT x.* FROM odd_bars, jsonb_to_recordset(body::jsonb -> 'bars' -> 'AAPL')
     AS x(o numeric, h numeric, l numeric, c numeric, v numeric, n bigint, vw numeric);
SELECT count(*) FILTER (WHERE (numeric_send(a.open), numeric_send(a.high), numeric_send(a.low), numeric_send(a.close),
                               numeric_send(a.volume), numeric_send(a.vwap),
                               pg_column_size(a.open), pg_column_size(a.high), pg_column_size(a.low),
                               pg_column_size(a.close), pg_column_size(a.volume), pg_column_size(a.vwap))
                          IS DISTINCT FROM
                              (numeric_send(j.o), numeric_send(j.h), numeric_send(j.l), numeric_send(j.c),
                               numeric_send(j.v), numeric_send(j.vw),
                               pg_column_size(j.o), pg_column_size(j.h), pg_column_size(j.l),
                               pg_column_size(j.c), pg_column_size(j.v), pg_column_size(j.vw))) AS numerics_stored_otherwise
FROM odd_rows a JOIN odd_expected j ON a.trade_count = j.n;
SELECT trade_count, timestamp AT TIME ZONE 'UTC' AS utc, open, high, low, close, volume, vwap FROM odd_rows ORDER BY trade_count;
-- ... and what they refuse, refused
SELECT t, sim('faults', jsonb_build_object('path', '/v2/stocks/bars', 'body',
                  jsonb_build_object('bars', jsonb_build_object('AAPL', jsonb_build_array(jsonb_build_object('t', t, 'o', 1))),
                                     'next_page_token', NULL))) IS NOT NULL AS armed,
       sqlstate_of($$SELECT * FROM alpaca_stock_bars(ARRAY['AAPL'], '1Day')$$)
FROM unnest(ARRAY['2023-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T00:60:00Z', '0000-01-01T00:00:00Z']) AS t;
-- a page that repeats its token is an upstream fault, not a loop
SELECT sim('faults', '{"path": "/v2/stocks/bars", "times": 3, "body": {"bars": {"AAPL": [{"t": "2026-11-24T05:00:00Z", "o": 1, "h": 1, "l": 1, "c": 1, "v": 1, "n": 1, "vw": 1}]}, "next_page_token": "again"}}') IS NOT NULL AS armed;
SELECT sqlstate_of($$SELECT * FROM alpaca_stock_bars(ARRAY['AAPL'], '1Day')$$);
SELECT alpaca_request('DELETE', '/_sim/faults') IS NOT NULL AS cleared;

-- the data API has its own budget, apart from trading's
SELECT api, used_last_minute > 0 AS used FROM alpaca_budgets() ORDER BY api;
