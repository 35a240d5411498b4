--
-- The 22 operations of Alpaca's current file beyond the first 46, each a
-- declared function served by alpaca_declared() (src/declared.c): the v3
-- clock and calendar, locates, fixed income, perpetuals, tokenization and
-- the activity events.
--
SELECT sim('reset') IS NOT NULL AS reset;
-- the v3 clock: phases by the NYSE calendar, several markets at once
SELECT market ->> 'acronym' AS market, is_market_day, phase, phase_until, next_market_open, next_market_close
FROM alpaca_market_clocks(ARRAY['NYSE', 'NASDAQ'], '2026-11-27 15:00+00');
SELECT phase, is_market_day, phase_until FROM alpaca_market_clocks(ARRAY['XNYS'], '2026-11-26 15:00+00');
SELECT phase, phase_until FROM alpaca_market_clocks(ARRAY['NYSE'], '2026-11-25 12:00+00');
SELECT phase, phase_until FROM alpaca_market_clocks(ARRAY['NYSE'], '2026-11-25 22:00+00');
SELECT count(*) AS default_markets FROM alpaca_market_clocks();
SELECT * FROM alpaca_market_clocks(ARRAY['MOON']);
-- the v3 calendar: sessions of each trading day, Thanksgiving skipped, the
-- day after closing early
SELECT "date", pre_start, core_start, core_end, post_end, settlement_date
FROM alpaca_market_calendar('NYSE', '2026-11-25', '2026-11-30');
SELECT count(*) AS days_in_utc FROM alpaca_market_calendar('XNAS', '2026-12-01', '2026-12-31', timezone => 'UTC');
SELECT * FROM alpaca_market_calendar('NYSE', '2026-11-25', '2026-11-30', timezone => 'Mars');
SELECT * FROM alpaca_market_calendar(NULL);
-- locates: round lots, a fee per share, a limit on it, every page
CREATE TEMP TABLE loc AS SELECT * FROM alpaca_create_locate('KKR', 200, limit_price => 0.10);
SELECT symbol, status, requested_qty, located_qty, located_price, total_fee, all_or_none,
       expires_at > created_at AS expires_later FROM loc;
SELECT symbol, status, rejection_reason, located_qty FROM alpaca_create_locate('KKR', 100, limit_price => 0.005);
SELECT alpaca_create_locate('KKR', 150);
SELECT alpaca_create_locate('KKR', NULL);
SELECT l.status, l.total_fee FROM alpaca_locate((SELECT id FROM loc)) l;
SELECT alpaca_locate('00000000-0000-4000-8000-000000000000');
SELECT sim('seed_locates', '{"count": 2500}') IS NOT NULL AS seeded;
SELECT count(*) AS locates, count(DISTINCT id) AS distinct_ids FROM alpaca_locates();
SELECT status, count(*) FROM alpaca_locates(symbol => 'KKR') GROUP BY 1 ORDER BY 1;
SELECT * FROM alpaca_locates(status => 'lost');
-- quotes for what needs a locate (BYND is hard to borrow); KKR needs none, NOPE1 is no symbol
SELECT symbol, available_qty, price FROM alpaca_locate_quotes(ARRAY['KKR', 'BYND', 'NOPE1']);
SELECT alpaca_locate_quotes(NULL);
-- fixed income: Alpaca's doubles kept as the digits it sent
SELECT cusip, ticker, coupon, close_price, accrued_interest, issue_size, maturity_date, day_count
FROM alpaca_us_corporates(tickers => ARRAY['AAPL']);
SELECT cusip, subtype, coupon, coupon_type, close_yield_to_maturity FROM alpaca_us_treasuries() ORDER BY maturity_date;
SELECT count(*) AS bills FROM alpaca_us_treasuries(subtype => 'bill');
SELECT * FROM alpaca_us_treasuries(subtype => 'bond', bond_status => 'gone');
-- perpetuals: leverage, collateral, a withdrawal to a whitelisted address
SELECT * FROM alpaca_perp_account_vitals();
SELECT * FROM alpaca_perp_leverage('BTC-PERP');
SELECT * FROM alpaca_set_perp_leverage('BTC-PERP', 5);
SELECT * FROM alpaca_perp_leverage('BTC-PERP');
SELECT alpaca_set_perp_leverage('BTC-PERP', 500);
SELECT alpaca_set_perp_leverage('BTC-PERP', NULL);
SELECT chain, address LIKE '0x%' AS address FROM alpaca_perp_wallets();
SELECT fee FROM alpaca_perp_fee_estimate('USDC', amount => 10);
CREATE TEMP TABLE pwl AS SELECT * FROM alpaca_add_perp_whitelisted_address('0xfeed', 'USDC');
SELECT asset, address, status FROM pwl;
SELECT asset, address, status FROM alpaca_perp_whitelisted_addresses();
CREATE TEMP TABLE pt AS SELECT * FROM alpaca_request_perp_transfer(25, '0xfeed', 'USDC');
SELECT direction, status, amount, asset, to_address FROM pt;
SELECT alpaca_request_perp_transfer(1e9, '0xfeed', 'USDC');
SELECT sqlstate_of($$SELECT alpaca_request_perp_transfer(25, '0xunknown', 'USDC')$$);
SELECT direction, amount FROM alpaca_perp_transfers() ORDER BY created_at;
SELECT t.amount, t.status FROM alpaca_perp_transfer((SELECT id FROM pt)) t;
SELECT alpaca_delete_perp_whitelisted_address((SELECT id FROM pwl));
SELECT count(*) AS whitelisted FROM alpaca_perp_whitelisted_addresses();
SELECT error_detail_of(format('SELECT alpaca_delete_perp_whitelisted_address(%L)', (SELECT id FROM pwl))) ~ 'HTTP 404' AS gone;
-- tokenization: shares held become tokens; more than held is rejected
SELECT (alpaca_place_order('AAPL', 3, 'buy')).status;
SELECT underlying_symbol, token_symbol, qty, issuer, network, status
FROM alpaca_tokenization_mint('AAPL', 2, 'xstocks', 'solana', 'So1anaWa11et');
SELECT status FROM alpaca_tokenization_mint('AAPL', 20, 'xstocks', 'solana', 'So1anaWa11et');
SELECT alpaca_tokenization_mint('AAPL', 2, 'nobody', 'solana', 'So1anaWa11et');
SELECT "type", status, qty FROM alpaca_tokenization_requests() ORDER BY created_at, status;
SELECT count(*) AS rejected FROM alpaca_tokenization_requests(status => 'rejected');
-- activity events: every activity since a time, in event order
SELECT count(*) AS events, count(DISTINCT event_id) AS distinct_ids,
       bool_and(event_id ~ '^[0-9A-HJKMNP-TV-Z]{26}$') AS ulids
FROM alpaca_activity_events(since => '2026-10-01');
SELECT activity_type, net_amount, settle_date, details
FROM alpaca_activity_events(since => '2026-10-01', until => '2026-10-03');
SELECT activity_type, qty, price, details ->> 'side' AS side, details ->> 'execution_type' AS execution
FROM alpaca_activity_events(since => now() - interval '1 hour') WHERE activity_type = 'FILL';
SELECT * FROM alpaca_activity_events(until => '2026-10-03');
-- a changed answer is refused like any other
SELECT sim('faults', '{"path": "/v1/locates/quotes", "body": {"quotes": {"symbol": "KKR"}}}') IS NOT NULL AS armed;
SELECT * FROM alpaca_locate_quotes(ARRAY['KKR']);
SELECT sim('faults', '{"path": "/v2beta1/events/activities", "raw": "data: {\"event_id\": \"01\", \"at\": \"yesterday\"}\n\n", "content_type": "text/event-stream"}') IS NOT NULL AS armed;
SELECT * FROM alpaca_activity_events(since => '2026-10-01');
-- the stream's syntax as Alpaca may send it: comments, id: lines, CRLF, an
-- event's data over two lines, no blank line after the last event; and no
-- event at all
SELECT sim('faults', jsonb_build_object('path', '/v2beta1/events/activities', 'content_type', 'text/event-stream',
       'raw', E': hello\r\nid: 1\r\ndata: {"event_id": "01A", "activity_type": "FILL",\r\ndata:  "qty": "1.50"}\r\n\r\n'
              || E': heartbeat\n\ndata:{"event_id": "01B", "activity_type": "DIV"}')) IS NOT NULL AS armed;
SELECT event_id, activity_type, qty FROM alpaca_activity_events(since => '2026-10-01');
SELECT sim('faults', '{"path": "/v2beta1/events/activities", "raw": ": nothing yet\n\n", "content_type": "text/event-stream"}') IS NOT NULL AS armed;
SELECT count(*) AS no_events FROM alpaca_activity_events(since => '2026-10-01');
-- escapes inside a jsonb column are checked like any other string: a lone
-- surrogate or \u0000 is an odd answer (08P01), not jsonb's own 22P02/22P05
SELECT sim('faults', '{"path": "/v3/clock", "raw": "{\"clocks\": [{\"phase\": \"core\", \"market\": {\"name\": \"\\ud800\"}}]}"}') IS NOT NULL AS armed;
SELECT sqlstate_of('SELECT * FROM alpaca_market_clocks()');
SELECT sim('faults', '{"path": "/v3/clock", "raw": "{\"clocks\": [{\"market\": {\"a\": [\"\\u0000\"]}}]}"}') IS NOT NULL AS armed;
SELECT sqlstate_of('SELECT * FROM alpaca_market_clocks()');
SELECT sim('faults', '{"path": "/v3/clock", "raw": "{\"clocks\": [{\"market\": {\"\\ud800\": 1}}]}"}') IS NOT NULL AS armed;
SELECT sqlstate_of('SELECT * FROM alpaca_market_clocks()');
SELECT sim('faults', '{"path": "/v3/clock", "raw": "{\"clocks\": [{\"market\": {\"name\": \"caf\\u00e9 \\ud83d\\ude00\"}}]}"}') IS NOT NULL AS armed;
SELECT market ->> 'name' AS name FROM alpaca_market_clocks();
-- calls that change the account pass the kill switch
SET alpaca.trading_enabled = off;
SELECT alpaca_set_perp_leverage('BTC-PERP', 2);
SELECT alpaca_create_locate('KKR', 100);
SELECT count(*) > 0 AS reads_go_on FROM alpaca_market_clocks();
RESET alpaca.trading_enabled;
-- none of them is executable by PUBLIC
SELECT p.proname FROM pg_proc p
WHERE p.prosrc = 'alpaca_declared' AND has_function_privilege('public', p.oid, 'EXECUTE');
SELECT count(*) AS declared_functions FROM pg_proc WHERE prosrc = 'alpaca_declared';
