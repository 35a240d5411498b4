--
-- The account and its configurations
--
SELECT sim('reset');
SELECT sim('config', '{"now": "2026-11-25T15:00:00Z"}') ->> 'now' AS frozen_at;
SELECT * FROM alpaca_account();
-- one typed row: arithmetic on numeric, no casts needed
SELECT cash + long_market_value = equity AS balanced,
       buying_power > 0 AS can_buy,
       pg_typeof(cash) AS cash_type, pg_typeof(id) AS id_type, pg_typeof(created_at) AS created_type
FROM alpaca_account();
SELECT (alpaca_account()).status;
-- the jsonb escape hatch reaches every field, including any added later
SELECT jsonb_typeof(a) AS kind, a ? 'effective_buying_power' AS has_new_field
FROM alpaca_request('GET', '/v2/account') AS a;
-- configurations
SELECT * FROM alpaca_account_configurations();
SELECT no_shorting, dtbp_check, max_margin_multiplier
FROM alpaca_update_account_configurations(no_shorting => true, dtbp_check => 'both', max_margin_multiplier => 2);
SELECT no_shorting, dtbp_check, max_margin_multiplier, suspend_trade FROM alpaca_account_configurations();
SELECT shorting_enabled FROM alpaca_account();
-- argument checks, before any request
SELECT * FROM alpaca_update_account_configurations();
SELECT * FROM alpaca_update_account_configurations(dtbp_check => 'sometimes');
SELECT * FROM alpaca_update_account_configurations(trade_confirm_email => 'daily');
SELECT * FROM alpaca_update_account_configurations(max_margin_multiplier => 3);
SELECT * FROM alpaca_update_account_configurations(max_options_trading_level => 4);
SELECT * FROM alpaca_update_account_configurations(pdt_check => 'never');
-- the API's own refusal reaches the caller with its message
SELECT error_detail_of($$SELECT alpaca_request('PATCH', '/v2/account/configurations', '{"dtbp_check": "sometimes"}')$$);
SELECT error_detail_of($$SELECT alpaca_request('PATCH', '/v2/account/configurations', '{"unknown_setting": true}')$$);
-- trading suspended by the user: orders are refused with 403
SELECT suspend_trade FROM alpaca_update_account_configurations(suspend_trade => true);
SELECT sqlstate_of($$SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy')$$);
SELECT suspend_trade FROM alpaca_update_account_configurations(suspend_trade => false);
-- the User-Agent names the extension's version
SELECT count(*) AS asked FROM alpaca_clock();
SELECT r->>'path' AS path, r->>'user_agent' AS user_agent,
       r->>'user_agent' = 'pg-alpaca/' || (SELECT extversion FROM pg_extension WHERE extname = 'alpaca') AS current_version
FROM alpaca_request('GET', '/_sim/last_request') r;
