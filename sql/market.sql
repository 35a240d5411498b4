--
-- Clock and calendar, on a frozen simulator clock
--
SELECT sim('reset');
SELECT sim('config', '{"now": "2026-11-25T15:00:00Z", "market": "auto"}') ->> 'now' AS frozen_at;
SET TimeZone = 'America/New_York';
SELECT * FROM alpaca_clock();
-- Thanksgiving: closed on the 26th; half day on the 27th
SELECT sim('config', '{"now": "2026-11-26T15:00:00Z"}') ->> 'now' AS thanksgiving;
SELECT * FROM alpaca_clock();
SELECT * FROM alpaca_calendar('2026-11-23', '2026-11-30');
SELECT * FROM alpaca_calendar(start => '2026-12-24', "end" => '2026-12-28');
SELECT count(*) AS trading_days_in_2026 FROM alpaca_calendar('2026-01-01', '2026-12-31');
SELECT count(*) AS settling FROM alpaca_calendar('2026-11-23', '2026-11-30', date_type => 'SETTLEMENT');
-- calendar rows add up like any rows: core trading hours in Thanksgiving week
SELECT sum(close - open) AS core_hours
FROM alpaca_calendar('2026-11-23', '2026-11-27');
-- argument checks
SELECT * FROM alpaca_calendar('2026-11-30', '2026-11-01');
SELECT * FROM alpaca_calendar(date_type => 'HOLIDAY');
SELECT * FROM alpaca_calendar('infinity', NULL);
RESET TimeZone;
-- the simulator as a market: Alpaca's own catalogue example trades, and the
-- calendar holds for any year (Good Friday 2030, from Easter, is closed;
-- Christmas Eve 2041 closes early)
SELECT sim('config', '{"market": "open", "now": null}') ->> 'market' AS market;
SELECT symbol, qty, side, status FROM alpaca_place_order('NVDA', qty => 5, side => 'buy');
SELECT symbol, qty FROM alpaca_positions() WHERE symbol = 'NVDA';
SELECT date, open, close FROM alpaca_calendar('2030-04-17', '2030-04-22');
SELECT date, close FROM alpaca_calendar('2041-12-23', '2041-12-27');
-- at 01:00 New York on Thanksgiving the calendar says closed (the tests pin the market open)
SELECT sim('config', '{"market": "auto", "now": "2026-11-26T06:00:00Z"}') ->> 'market' AS market;
SELECT is_open, next_open FROM alpaca_clock();
