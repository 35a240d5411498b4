--
-- Text crosses the boundary in the right encoding both ways: the server
-- encoding to UTF-8 out, UTF-8 to the server encoding in.
--
SELECT sim('reset');
-- a UTF-8 database: the name reads back as written
SELECT name FROM alpaca_create_watchlist('café ☕', ARRAY['AAPL']);
SELECT name, octet_length(name) AS bytes FROM alpaca_watchlists();
SELECT alpaca_request('GET', '/v2/watchlists')->0->>'name' AS as_jsonb;
-- the name's limit counts characters, not bytes: 64 two-byte ones pass
SELECT length(name) FROM alpaca_create_watchlist(repeat('é', 64));
SELECT alpaca_create_watchlist(repeat('é', 65));

-- a LATIN1 database
CREATE DATABASE alpaca_latin1 ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0;
\c alpaca_latin1
SET client_encoding = 'UTF8';
CREATE EXTENSION alpaca;
SELECT alpaca_request('POST', '/_sim/reset') IS NOT NULL AS reset;
-- out: was HTTP 400 (LATIN1 bytes sent as if UTF-8)
SELECT name FROM alpaca_create_watchlist('café', ARRAY['AAPL']);
-- in: was cafÃ©
SELECT name, name = 'café' AS same FROM alpaca_watchlists();
SELECT name FROM alpaca_watchlist_by_name('café');
-- a character LATIN1 cannot hold is an error, not a substitute
-- (the answers are given to the simulator in base64: [{"symbol": "\u20ac"}], then [{"symbol": "€"}])
SELECT alpaca_request('POST', '/_sim/faults', '{"path": "/v2/positions", "raw_b64": "W3sic3ltYm9sIjogIlx1MjBhYyJ9XQ=="}') IS NOT NULL AS armed;
SELECT symbol FROM alpaca_positions();
SELECT alpaca_request('POST', '/_sim/faults', '{"path": "/v2/positions", "raw_b64": "W3sic3ltYm9sIjogIuKCrCJ9XQ=="}') IS NOT NULL AS armed;
SELECT symbol FROM alpaca_positions();
\c contrib_regression
DROP DATABASE alpaca_latin1;
