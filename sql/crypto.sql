--
-- Crypto funding: wallets, whitelisted addresses, transfers, fees
--
SELECT sim('reset');
SELECT asset, chain, address LIKE 'sim-%' AS has_address, created_at IS NOT NULL AS created FROM alpaca_crypto_wallets() ORDER BY asset;
SELECT asset, chain FROM alpaca_crypto_wallets(asset => 'BTC');
SELECT asset FROM alpaca_crypto_wallets(asset => 'ETH', network => 'ethereum');
SELECT count(*) AS no_addresses FROM alpaca_whitelisted_addresses();
-- a new address is PENDING, then APPROVED
SELECT chain, asset, address, status FROM alpaca_add_whitelisted_address('bc1qexampleaddress', 'BTC');
SELECT chain, asset, address, status FROM alpaca_whitelisted_addresses();
SELECT chain, asset, status FROM alpaca_add_whitelisted_address('0xabc', 'ETH', chain => 'ETH');
-- fees, then a withdrawal of bitcoin bought first
SELECT fee, network_fee FROM alpaca_crypto_fee_estimate(asset => 'BTC', amount => 0.1);
SELECT (alpaca_place_order('BTC/USD', qty => 0.5, side => 'buy', time_in_force => 'gtc')).status;
SELECT qty FROM alpaca_position('BTC/USD');
CREATE TEMP TABLE w AS SELECT * FROM alpaca_request_crypto_withdrawal(0.1, 'bc1qexampleaddress', 'BTC');
SELECT direction, status, amount, network_fee, asset, chain, to_address, usd_value FROM w;
SELECT qty FROM alpaca_position('BTC/USD');
SELECT count(*) AS transfers, bool_and(direction = 'OUTGOING') AS outgoing FROM alpaca_crypto_transfers();
SELECT t.amount, t.status FROM alpaca_crypto_transfer((SELECT id FROM w)) t;
-- argument checks
SELECT alpaca_request_crypto_withdrawal(0, 'bc1qexampleaddress', 'BTC');
SELECT alpaca_request_crypto_withdrawal(NULL, 'bc1qexampleaddress', 'BTC');
SELECT alpaca_request_crypto_withdrawal(0.1, '', 'BTC');
SELECT alpaca_request_crypto_withdrawal(0.1, 'bc1qexampleaddress', NULL);
SELECT alpaca_request_crypto_withdrawal(0.1, 'bc1qexampleaddress', 'BTC', chain => 'DOGE');
SELECT alpaca_add_whitelisted_address(NULL, 'BTC');
SELECT alpaca_add_whitelisted_address('x', 'BTC', chain => 'LTC');
SELECT * FROM alpaca_crypto_wallets(network => 'bitcoin');
SELECT * FROM alpaca_crypto_fee_estimate(amount => -1);
SELECT alpaca_delete_whitelisted_address('');
-- errors from the API
SELECT alpaca_request_crypto_withdrawal(0.1, 'not-whitelisted', 'BTC');
SELECT alpaca_request_crypto_withdrawal(5, 'bc1qexampleaddress', 'BTC');
SELECT sqlstate_of($$SELECT alpaca_request_crypto_withdrawal(5, 'bc1qexampleaddress', 'BTC')$$);
SELECT alpaca_add_whitelisted_address('bc1qexampleaddress', 'BTC');
SELECT * FROM alpaca_crypto_wallets(asset => 'DOGE');
SELECT * FROM alpaca_crypto_transfer('00000000-0000-4000-8000-000000000000');
-- remove an address
SELECT alpaca_delete_whitelisted_address(id) FROM alpaca_whitelisted_addresses() WHERE asset = 'ETH';
SELECT asset FROM alpaca_whitelisted_addresses();
SELECT alpaca_delete_whitelisted_address('no-such-id');
