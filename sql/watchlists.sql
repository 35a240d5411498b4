--
-- Watchlists by id and by name
--
SELECT sim('reset');
SELECT count(*) AS none FROM alpaca_watchlists();
CREATE TEMP TABLE wl AS SELECT * FROM alpaca_create_watchlist('tech', ARRAY['AAPL', 'MSFT']);
SELECT name, jsonb_array_length(assets) AS assets, account_id = (alpaca_account()).id AS mine,
       created_at IS NOT NULL AS created FROM wl;
SELECT name, id = (SELECT id FROM wl) AS same FROM alpaca_watchlists();
SELECT name, jsonb_path_query_array(assets, '$[*].symbol') AS symbols FROM alpaca_watchlist((SELECT id FROM wl));
SELECT name FROM alpaca_watchlist_by_name('tech');
-- the assets of a watchlist are asset rows: they join alpaca_assets() and positions
SELECT symbol, class, tradable FROM alpaca_watchlist_assets((SELECT id FROM wl)) ORDER BY symbol;
SELECT w.symbol, a.exchange FROM alpaca_watchlist_assets_by_name('tech') w JOIN alpaca_assets() a USING (id) ORDER BY 1;
-- add and remove symbols
SELECT jsonb_path_query_array(assets, '$[*].symbol') AS symbols FROM alpaca_add_to_watchlist((SELECT id FROM wl), 'TSLA');
SELECT jsonb_path_query_array(assets, '$[*].symbol') AS symbols FROM alpaca_add_to_watchlist_by_name('tech', 'BTC/USD');
SELECT jsonb_path_query_array(assets, '$[*].symbol') AS symbols FROM alpaca_remove_from_watchlist((SELECT id FROM wl), 'MSFT');
SELECT jsonb_path_query_array(assets, '$[*].symbol') AS symbols FROM alpaca_remove_from_watchlist((SELECT id FROM wl), 'BTC/USD');
-- replace name and symbols
SELECT name, jsonb_path_query_array(assets, '$[*].symbol') AS symbols
FROM alpaca_update_watchlist((SELECT id FROM wl), 'megacaps', ARRAY['AAPL', 'MSFT', 'SPY']);
SELECT name, jsonb_path_query_array(assets, '$[*].symbol') AS symbols
FROM alpaca_update_watchlist_by_name('megacaps', symbols => ARRAY['SPY']);
SELECT name, jsonb_path_query_array(assets, '$[*].symbol') AS symbols
FROM alpaca_update_watchlist_by_name('megacaps', new_name => 'index', symbols => ARRAY['SPY', 'KKR']);
SELECT jsonb_array_length(assets) AS empty FROM alpaca_create_watchlist('empty');
SELECT name FROM alpaca_watchlists() ORDER BY name;
-- argument checks
SELECT alpaca_create_watchlist('', ARRAY['AAPL']);
SELECT alpaca_create_watchlist(NULL);
SELECT alpaca_create_watchlist(repeat('w', 65));
SELECT alpaca_create_watchlist('x', ARRAY['AAPL', NULL]);
SELECT alpaca_create_watchlist('x', ARRAY['']);
SELECT alpaca_add_to_watchlist((SELECT id FROM wl), '');
SELECT alpaca_add_to_watchlist(NULL, 'AAPL');
SELECT alpaca_update_watchlist((SELECT id FROM wl), NULL);
SELECT alpaca_watchlist(NULL) IS NULL AS strict;
-- errors from the API: unknown watchlist, unknown symbol, duplicates
SELECT * FROM alpaca_watchlist('00000000-0000-4000-8000-000000000000');
SELECT * FROM alpaca_watchlist_by_name('nope');
SELECT sqlstate_of($$SELECT alpaca_watchlist_by_name('nope')$$);
SELECT alpaca_create_watchlist('index');
SELECT alpaca_create_watchlist('bad', ARRAY['NOPE99']);
SELECT alpaca_add_to_watchlist_by_name('index', 'SPY');
\set VERBOSITY terse
SELECT alpaca_remove_from_watchlist((SELECT id FROM wl), 'GME');
\set VERBOSITY default
SELECT error_detail_of($$SELECT alpaca_remove_from_watchlist((SELECT id FROM wl), 'GME')$$) ~ 'symbol not found in watchlist: GME' AS alpacas_message;
-- delete by id and by name
SELECT alpaca_delete_watchlist((SELECT id FROM wl));
SELECT alpaca_delete_watchlist_by_name('empty');
SELECT count(*) AS none_left FROM alpaca_watchlists();
\set VERBOSITY terse
SELECT alpaca_delete_watchlist((SELECT id FROM wl));
\set VERBOSITY default
SELECT alpaca_delete_watchlist_by_name('empty');
