--
-- Corporate action announcements
--
SELECT sim('reset');
SELECT sim('config', '{"now": "2026-11-25T15:00:00Z"}') ->> 'now' AS frozen_at;
SELECT ca_type, ca_sub_type, initiating_symbol, target_symbol, ex_date, record_date, payable_date, cash, old_rate, new_rate
FROM alpaca_corporate_announcements(ARRAY['Dividend', 'Split', 'Merger', 'Spinoff'], '2026-10-01', '2026-12-29')
ORDER BY ex_date;
SELECT ca_type, initiating_symbol FROM alpaca_corporate_announcements(ARRAY['Dividend'], '2026-11-01', '2026-12-31');
SELECT count(*) AS by_ex_date FROM alpaca_corporate_announcements(ARRAY['Dividend', 'Split'], '2026-12-01', '2026-12-31', date_type => 'ex_date');
SELECT initiating_symbol FROM alpaca_corporate_announcements(ARRAY['Dividend', 'Split', 'Merger', 'Spinoff'], '2026-10-01', '2026-12-29', symbol => 'TSLA');
SELECT initiating_symbol FROM alpaca_corporate_announcements(ARRAY['Dividend', 'Split', 'Merger', 'Spinoff'], '2026-10-01', '2026-12-29', cusip => '48251W104');
-- dividends on what I hold, joined to positions
SELECT (alpaca_place_order('KKR', qty => 100, side => 'buy')).status;
SELECT p.symbol, p.qty * a.cash AS expected_dividend, a.payable_date
FROM alpaca_positions() p
JOIN alpaca_corporate_announcements(ARRAY['Dividend'], '2026-11-25', '2026-12-31') a ON a.initiating_symbol = p.symbol;
-- one by id; raw keeps every field
SELECT a.ca_type, a.raw ->> 'corporate_action_id' = a.corporate_action_id AS raw_kept
FROM alpaca_corporate_announcement(
    (SELECT id FROM alpaca_corporate_announcements(ARRAY['Split'], '2026-11-01', '2026-12-31'))) a;
-- argument checks
SELECT * FROM alpaca_corporate_announcements(NULL, '2026-11-01', '2026-11-30');
SELECT * FROM alpaca_corporate_announcements('{}', '2026-11-01', '2026-11-30');
-- Alpaca judges the types (it adds them, and takes any case, as its SDK sends)
SELECT * FROM alpaca_corporate_announcements(ARRAY['Bonus'], '2026-11-01', '2026-11-30');
SELECT count(*) AS lowercase_ok FROM alpaca_corporate_announcements(ARRAY['dividend'], '2026-11-01', '2026-11-30');
SELECT * FROM alpaca_corporate_announcements(ARRAY['Dividend'], NULL, '2026-11-30');
SELECT * FROM alpaca_corporate_announcements(ARRAY['Dividend'], '2026-11-30', '2026-11-01');
SELECT * FROM alpaca_corporate_announcements(ARRAY['Dividend'], '2026-01-01', '2026-11-30');
SELECT * FROM alpaca_corporate_announcements(ARRAY['Dividend'], '2026-11-01', '2026-11-30', date_type => 'paid_date');
-- errors from the API
SELECT * FROM alpaca_corporate_announcement('00000000-0000-4000-8000-000000000000');
SELECT alpaca_request('GET', '/v2/corporate_actions/announcements?ca_types=Dividend&since=2026-01-01&until=2026-11-30');
