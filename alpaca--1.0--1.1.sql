/* alpaca--1.0--1.1.sql: upgrade from 1.0 */

\echo Use "ALTER EXTENSION alpaca UPDATE TO '1.1'" to load this file. \quit

-- 1.1 changes no function's signature or row type; what changed is in the
-- library (strict answers, whole lists, sealed keys) and is described here.

COMMENT ON FUNCTION alpaca_request(text, text, jsonb)
    IS 'Any Trading API request, e.g. alpaca_request(''GET'', ''/v2/account''): the answer as jsonb (NULL for an empty one), parsed once and strictly (duplicate keys, NaN and invalid UTF-8 are errors). The path may not contain "." or ".." segments. For fields and endpoints no typed function covers.';

COMMENT ON FUNCTION alpaca_assets(text, text, text, text[])
    IS 'GET /v2/assets: assets, filtered by status, asset_class, exchange and attributes (any attribute code Alpaca has, including ones added after this release).';

COMMENT ON FUNCTION alpaca_orders(text, integer, timestamptz, timestamptz, text, boolean, text[], text, text[], uuid, uuid)
    IS 'GET /v2/orders: every order the filters select (status open, closed or all; Alpaca''s default is open), following Alpaca''s pages by submission time with no order lost or repeated; "limit" caps the rows returned.';

COMMENT ON FUNCTION alpaca_activities(text[], text, date, timestamptz, timestamptz, text, integer)
    IS 'GET /v2/account/activities: every activity the filters select, following page_token through all pages (page_size per request); activity_types takes any of Alpaca''s codes.';

COMMENT ON FUNCTION alpaca_corporate_announcements(text[], date, date, text, text, text)
    IS 'GET /v2/corporate_actions/announcements: announcements of ca_types (Dividend, Merger, Spinoff, Split, or any type Alpaca adds; any case) from since to until (at most 90 days).';

-- The audit trail: every state-changing call, written by the alpaca audit
-- worker in its own transactions, so the caller's ROLLBACK cannot erase it.
CREATE TABLE alpaca_audit (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    database name NOT NULL,
    pid integer NOT NULL,
    session_start timestamptz NOT NULL,
    role name NOT NULL,
    session_role name NOT NULL,
    function text NOT NULL,
    method text NOT NULL,
    path text NOT NULL,
    body jsonb,
    client_order_id text,
    outcome text NOT NULL DEFAULT 'pending'
        CHECK (outcome IN ('pending', 'answered', 'failed', 'unknown', 'resolved: placed', 'resolved: absent')),
    status integer,
    order_id uuid,
    error text,
    duration_ms numeric,
    completed_at timestamptz
);
CREATE INDEX alpaca_audit_role_at ON alpaca_audit (role, at);
CREATE INDEX alpaca_audit_client_order_id ON alpaca_audit (client_order_id) WHERE client_order_id IS NOT NULL;
CREATE INDEX alpaca_audit_pending ON alpaca_audit (id) WHERE outcome = 'pending';
REVOKE ALL ON alpaca_audit FROM PUBLIC;
REVOKE ALL ON SEQUENCE alpaca_audit_id_seq FROM PUBLIC;
SELECT pg_catalog.pg_extension_config_dump('alpaca_audit', '');
SELECT pg_catalog.pg_extension_config_dump('alpaca_audit_id_seq', '');
COMMENT ON TABLE alpaca_audit IS 'Every state-changing Alpaca call: its intent, durable before the request leaves, then its answer. Written only by the alpaca audit worker; survives the caller''s ROLLBACK and a crash (pending intents are resolved by client_order_id at restart). Grant SELECT to the roles that may read it.';
COMMENT ON SEQUENCE alpaca_audit_id_seq IS 'Ids of alpaca_audit records.';
COMMENT ON COLUMN alpaca_audit.outcome IS 'pending (sent, no answer yet), answered (an HTTP answer, see status), failed (no answer; see error), unknown (the server stopped before the answer), resolved: placed / resolved: absent (an unknown order, looked up by client_order_id).';
COMMENT ON COLUMN alpaca_audit.body IS 'The request body as sent (it never holds the keys); bodies over 8 kB are kept as their first 4 kB.';

-- The cluster's request budget and what each endpoint cost, in the spirit
-- of pg_stat_statements.  Kept in shared memory since the server started
-- (or alpaca_stat_reset()).
CREATE FUNCTION alpaca_stat_endpoints(OUT endpoint text, OUT calls bigint, OUT errors bigint,
                                      OUT retries bigint, OUT rate_limited bigint,
                                      OUT mean_ms float8, OUT max_ms float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'alpaca_stat_endpoints'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_stat_endpoints() IS 'Per Trading API endpoint (method and path template) since the server started: calls, errors, retries, 429 answers, mean and max latency. Read it through the view alpaca_stat_endpoints.';

CREATE VIEW alpaca_stat_endpoints AS
    SELECT endpoint, calls, errors, retries, rate_limited,
           round(mean_ms::numeric, 3) AS mean_ms, round(max_ms::numeric, 3) AS max_ms
    FROM alpaca_stat_endpoints();
COMMENT ON VIEW alpaca_stat_endpoints IS 'What each Trading API endpoint cost since the server started (or alpaca_stat_reset()): calls, errors, retries, 429 answers, mean and max milliseconds. See alpaca_budget() for the request budget.';

CREATE FUNCTION alpaca_stat_reset() RETURNS void
AS 'MODULE_PATHNAME', 'alpaca_stat_reset'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_stat_reset() IS 'Forget the statistics of alpaca_stat_endpoints and alpaca_budget().';

CREATE FUNCTION alpaca_budget(OUT requests_per_minute integer, OUT used_last_minute integer,
                              OUT left_now integer, OUT waited bigint, OUT refused bigint)
RETURNS record
AS 'MODULE_PATHNAME', 'alpaca_budget'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_budget() IS 'The cluster''s Trading API budget: alpaca.requests_per_minute, the requests sent in the last 60 seconds, what is left, and how many requests had to wait for it or were refused (53400) since the server started.';

REVOKE ALL ON FUNCTION alpaca_stat_endpoints(), alpaca_stat_reset(), alpaca_budget() FROM PUBLIC;
REVOKE ALL ON alpaca_stat_endpoints FROM PUBLIC;

-- Alpaca's whole current Trading API: the operations added since 1.0.
CREATE TYPE alpaca_market_clock AS (
    is_market_day boolean,
    market jsonb,
    next_market_close timestamptz,
    next_market_open timestamptz,
    phase text,
    phase_until timestamptz,
    "timestamp" timestamptz
);
COMMENT ON TYPE alpaca_market_clock IS 'A market''s clock: its phase (pre, core, lunch, post or closed, as Alpaca adds more), when it ends, and the next open and close. (schema: clock)';

CREATE TYPE alpaca_market_day AS (
    core_end timestamptz,
    core_start timestamptz,
    "date" date,
    lunch_end timestamptz,
    lunch_start timestamptz,
    post_end timestamptz,
    post_start timestamptz,
    pre_end timestamptz,
    pre_start timestamptz,
    settlement_date date
);
COMMENT ON TYPE alpaca_market_day IS 'One trading day of a market: its sessions (pre, core, lunch, post) and settlement date. (schema: calendar_day)';

CREATE TYPE alpaca_locate AS (
    all_or_none boolean,
    created_at timestamptz,
    expires_at timestamptz,
    id uuid,
    limit_price numeric,
    located_price numeric,
    located_qty numeric,
    rejection_reason text,
    requested_qty numeric,
    status text,
    symbol text,
    total_fee numeric
);
COMMENT ON TYPE alpaca_locate IS 'A short-sale locate: shares located to borrow, at what price and until when. (schema: Locate)';

CREATE TYPE alpaca_locate_quote AS (
    available_qty numeric,
    price numeric,
    quoted_at timestamptz,
    symbol text
);
COMMENT ON TYPE alpaca_locate_quote IS 'A quote for locating shares of a symbol: the quantity available and its price. (schema: LocateQuote)';

CREATE TYPE alpaca_us_corporate AS (
    accrued_interest numeric,
    bond_status text,
    call_type text,
    callable boolean,
    close_price numeric,
    close_price_date date,
    close_yield_to_maturity numeric,
    close_yield_to_worst numeric,
    convertible boolean,
    country_domicile text,
    coupon numeric,
    coupon_frequency text,
    coupon_type text,
    cusip text,
    dated_date date,
    day_count text,
    description text,
    description_short text,
    first_coupon_date date,
    isin text,
    issue_date date,
    issue_minimum_denomination numeric,
    issue_price numeric,
    issue_size numeric,
    issuer text,
    last_coupon_date date,
    liquidity_institutional_aggregate numeric,
    liquidity_institutional_buy numeric,
    liquidity_institutional_sell numeric,
    liquidity_micro_aggregate numeric,
    liquidity_micro_buy numeric,
    liquidity_micro_sell numeric,
    liquidity_retail_aggregate numeric,
    liquidity_retail_buy numeric,
    liquidity_retail_sell numeric,
    marginable boolean,
    maturity_date date,
    next_call_date date,
    next_call_price numeric,
    next_coupon_date date,
    par_value numeric,
    perpetual boolean,
    puttable boolean,
    reg_s boolean,
    reissue_date date,
    reissue_price numeric,
    reissue_size numeric,
    sector text,
    seniority text,
    sp_creditwatch text,
    sp_creditwatch_date date,
    sp_outlook text,
    sp_outlook_date date,
    sp_rating text,
    sp_rating_date date,
    ticker text,
    tradable boolean
);
COMMENT ON TYPE alpaca_us_corporate IS 'A US corporate bond. (schema: us_corporate)';

CREATE TYPE alpaca_us_treasury AS (
    bond_status text,
    close_price numeric,
    close_price_date date,
    close_yield_to_maturity numeric,
    close_yield_to_worst numeric,
    coupon numeric,
    coupon_frequency text,
    coupon_type text,
    cusip text,
    description text,
    description_short text,
    first_coupon_date date,
    isin text,
    issue_date date,
    last_coupon_date date,
    maturity_date date,
    next_coupon_date date,
    subtype text,
    tradable boolean
);
COMMENT ON TYPE alpaca_us_treasury IS 'A US Treasury security. (schema: us_treasury)';

CREATE TYPE alpaca_tokenization_mint AS (
    created_at timestamptz,
    issuer text,
    network text,
    qty numeric,
    status text,
    token_symbol text,
    tokenization_request_id text,
    underlying_symbol text
);
COMMENT ON TYPE alpaca_tokenization_mint IS 'A request to mint tokens of a stock. (schema: TokenizationMintResponse)';

CREATE TYPE alpaca_tokenization_request AS (
    account text,
    created_at timestamptz,
    fees numeric,
    issuer text,
    issuer_account text,
    issuer_request_id text,
    network text,
    qty numeric,
    status text,
    token_symbol text,
    tokenization_request_id text,
    tx_hash text,
    "type" text,
    underlying_symbol text,
    updated_at timestamptz,
    wallet_address text
);
COMMENT ON TYPE alpaca_tokenization_request IS 'A tokenization request (mint or redeem) and its state. (schema: TokenizationRequest)';

CREATE TYPE alpaca_perp_account_vitals AS (
    collateral_balance numeric,
    maintenance_margin numeric,
    profit_loss numeric,
    total_collateral numeric
);
COMMENT ON TYPE alpaca_perp_account_vitals IS 'The crypto perpetuals account''s vitals: collateral, margin, profit and loss. (schema: GET /v2/perpetuals/account_vitals)';

CREATE TYPE alpaca_perp_leverage AS (
    leverage integer,
    symbol text
);
COMMENT ON TYPE alpaca_perp_leverage IS 'The leverage of a crypto perpetual. (schema: GET /v2/perpetuals/leverage)';

CREATE TYPE alpaca_activity_event AS (
    event_id text,
    "at" timestamptz,
    activity_type text,
    activity_subtype text,
    status text,
    currency text,
    executed_at timestamptz,
    settle_date date,
    net_amount numeric,
    price numeric,
    qty numeric,
    ref_id text,
    previous_id uuid,
    swap_fee_bps numeric,
    swap_rate numeric,
    details jsonb
);
COMMENT ON TYPE alpaca_activity_event IS 'An account activity event: a trade or a non-trade activity, with its details as jsonb. (schema: ActivityEventV2)';


-- The operations of Alpaca's current file beyond the first 46.  Each is
-- declared here and served by one C entry point, alpaca_declared(), which
-- finds the operation by the function's name and maps the arguments, by
-- their names, to the path, query and body (src/declared.c).
CREATE FUNCTION alpaca_market_clocks(markets text[] DEFAULT NULL, "time" timestamptz DEFAULT NULL)
RETURNS SETOF alpaca_market_clock AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_market_clocks(text[], timestamptz) IS 'GET /v3/clock: the clock of each market (NYSE, NASDAQ, OPRA, SIFMA ...; Alpaca''s default set when markets is NULL): its phase, when it ends, the next open and close.';

CREATE FUNCTION alpaca_market_calendar(market text DEFAULT 'NYSE', start date DEFAULT NULL, "end" date DEFAULT NULL, timezone text DEFAULT NULL)
RETURNS SETOF alpaca_market_day AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_market_calendar(text, date, date, text) IS 'GET /v3/calendar/{market}: the trading days of a market, with their pre, core, lunch and post sessions.';

CREATE FUNCTION alpaca_locates(status text DEFAULT NULL, symbol text DEFAULT NULL, start date DEFAULT NULL, "end" date DEFAULT NULL)
RETURNS SETOF alpaca_locate AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_locates(text, text, date, date) IS 'GET /v1/locates: every short-sale locate the filters select, all pages.';

CREATE FUNCTION alpaca_create_locate(symbol text, qty numeric, limit_price numeric DEFAULT NULL, all_or_none boolean DEFAULT NULL)
RETURNS alpaca_locate AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_create_locate(text, numeric, numeric, boolean) IS 'POST /v1/locates: locate shares to sell short.';

CREATE FUNCTION alpaca_locate_quotes(symbols text[])
RETURNS SETOF alpaca_locate_quote AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_locate_quotes(text[]) IS 'GET /v1/locates/quotes: what locating shares of each symbol would cost.';

CREATE FUNCTION alpaca_locate(locate_id uuid)
RETURNS alpaca_locate AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_locate(uuid) IS 'GET /v1/locates/{locate_id}: one locate.';

CREATE FUNCTION alpaca_us_corporates(bond_status text DEFAULT NULL, isins text[] DEFAULT NULL, cusips text[] DEFAULT NULL, tickers text[] DEFAULT NULL)
RETURNS SETOF alpaca_us_corporate AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_us_corporates(text, text[], text[], text[]) IS 'GET /v2/assets/fixed_income/us_corporates: US corporate bonds.';

CREATE FUNCTION alpaca_us_treasuries(subtype text DEFAULT NULL, bond_status text DEFAULT NULL, cusips text[] DEFAULT NULL, isins text[] DEFAULT NULL)
RETURNS SETOF alpaca_us_treasury AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_us_treasuries(text, text, text[], text[]) IS 'GET /v2/assets/fixed_income/us_treasuries: US Treasury securities.';

CREATE FUNCTION alpaca_perp_account_vitals()
RETURNS alpaca_perp_account_vitals AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_perp_account_vitals() IS 'GET /v2/perpetuals/account_vitals: collateral, margin and profit and loss of the crypto perpetuals account.';

CREATE FUNCTION alpaca_perp_leverage(symbol text DEFAULT NULL)
RETURNS alpaca_perp_leverage AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_perp_leverage(text) IS 'GET /v2/perpetuals/leverage: the leverage of a crypto perpetual.';

CREATE FUNCTION alpaca_set_perp_leverage(symbol text, leverage integer)
RETURNS alpaca_perp_leverage AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_set_perp_leverage(text, integer) IS 'POST /v2/perpetuals/leverage: set the leverage of a crypto perpetual.';

CREATE FUNCTION alpaca_perp_wallets()
RETURNS SETOF alpaca_crypto_wallet AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_perp_wallets() IS 'GET /v2/perpetuals/wallets: the funding wallets of the crypto perpetuals account.';

CREATE FUNCTION alpaca_perp_fee_estimate(asset text DEFAULT NULL, from_address text DEFAULT NULL, to_address text DEFAULT NULL, amount numeric DEFAULT NULL)
RETURNS alpaca_crypto_fee_estimate AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_perp_fee_estimate(text, text, text, numeric) IS 'GET /v2/perpetuals/wallets/fees/estimate: the fee a perpetuals transfer would cost.';

CREATE FUNCTION alpaca_perp_transfers()
RETURNS SETOF alpaca_crypto_transfer AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_perp_transfers() IS 'GET /v2/perpetuals/wallets/transfers: the transfers of the crypto perpetuals account.';

CREATE FUNCTION alpaca_request_perp_transfer(amount numeric, address text, asset text, chain text DEFAULT NULL)
RETURNS alpaca_crypto_transfer AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_request_perp_transfer(numeric, text, text, text) IS 'POST /v2/perpetuals/wallets/transfers: withdraw from the crypto perpetuals account to a whitelisted address.';

CREATE FUNCTION alpaca_perp_transfer(transfer_id uuid)
RETURNS alpaca_crypto_transfer AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_perp_transfer(uuid) IS 'GET /v2/perpetuals/wallets/transfers/{transfer_id}: one perpetuals transfer.';

CREATE FUNCTION alpaca_perp_whitelisted_addresses()
RETURNS SETOF alpaca_whitelisted_address AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_perp_whitelisted_addresses() IS 'GET /v2/perpetuals/wallets/whitelists: the addresses the perpetuals account may withdraw to.';

CREATE FUNCTION alpaca_add_perp_whitelisted_address(address text, asset text)
RETURNS alpaca_whitelisted_address AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_add_perp_whitelisted_address(text, text) IS 'POST /v2/perpetuals/wallets/whitelists: whitelist an address for the perpetuals account.';

CREATE FUNCTION alpaca_delete_perp_whitelisted_address(whitelisted_address_id text)
RETURNS void AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_delete_perp_whitelisted_address(text) IS 'DELETE /v2/perpetuals/wallets/whitelists/{whitelisted_address_id}: remove a whitelisted perpetuals address.';

CREATE FUNCTION alpaca_tokenization_mint(underlying_symbol text, qty numeric, issuer text, network text, wallet_address text)
RETURNS alpaca_tokenization_mint AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_tokenization_mint(text, numeric, text, text, text) IS 'POST /v2/tokenization/mint: mint tokens of a stock the account holds, to a wallet.';

CREATE FUNCTION alpaca_tokenization_requests("type" text DEFAULT NULL, status text DEFAULT NULL, underlying_symbol text DEFAULT NULL,
                                             issuer text DEFAULT NULL, network text DEFAULT NULL, after timestamptz DEFAULT NULL, before timestamptz DEFAULT NULL)
RETURNS SETOF alpaca_tokenization_request AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_tokenization_requests(text, text, text, text, text, timestamptz, timestamptz) IS 'GET /v2/tokenization/requests: tokenization requests (mint, redeem) and their state.';

CREATE FUNCTION alpaca_activity_events(since timestamptz DEFAULT NULL, until timestamptz DEFAULT NULL, since_id text DEFAULT NULL, until_id text DEFAULT NULL)
RETURNS SETOF alpaca_activity_event AS 'MODULE_PATHNAME', 'alpaca_declared' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_activity_events(timestamptz, timestamptz, text, text) IS 'GET /v2beta1/events/activities: the account activity events between since and until (or since_id and until_id), read from the event stream, as rows.';

-- columns Alpaca's current file has and 1.0's row types lacked
ALTER TYPE alpaca_position ADD ATTRIBUTE prev_swap_rate numeric;
ALTER TYPE alpaca_corporate_announcement ADD ATTRIBUTE corporate_actions_id text;

DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p WHERE p.prosrc = 'alpaca_declared'
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

-- Each row type names the schema of Alpaca's current file it follows;
-- spec_coverage compares them field for field.
COMMENT ON TYPE alpaca_account IS 'The trading account (Alpaca Account object). (schema: Account)';
COMMENT ON TYPE alpaca_account_configurations IS 'Account configurations (Alpaca AccountConfigurations object). (schema: AccountConfigurations)';
COMMENT ON TYPE alpaca_activity IS 'An account activity: a fill (TradingActivities) or a non-trade activity (NonTradeActivities); raw holds the whole object. (schema: TradingActivities, NonTradeActivities)';
COMMENT ON TYPE alpaca_asset IS 'A tradable asset: stock, ETF or crypto pair (Alpaca Assets object). (schema: Assets)';
COMMENT ON TYPE alpaca_calendar_day IS 'One trading day: core hours (open, close) and extended session, in New York time. (schema: legacy_calendar_day)';
COMMENT ON TYPE alpaca_clock IS 'The market clock: now, whether the market is open, and its next open and close. (schema: legacy_clock)';
COMMENT ON TYPE alpaca_corporate_announcement IS 'A corporate action announcement: dividend, merger, spinoff or split. (schema: GET /v2/corporate_actions/announcements/{id})';
COMMENT ON TYPE alpaca_crypto_fee_estimate IS 'The estimated fees of a crypto withdrawal. (schema: WalletFeeEstimateResponse)';
COMMENT ON TYPE alpaca_crypto_transfer IS 'A crypto transfer, INCOMING or OUTGOING (Alpaca CryptoTransfer object). (schema: CryptoTransfer)';
COMMENT ON TYPE alpaca_crypto_wallet IS 'A crypto funding wallet: where to send an asset on a chain. (schema: CryptoWallet)';
COMMENT ON TYPE alpaca_option_contract IS 'An option contract (Alpaca OptionContract object). (schema: OptionContract)';
COMMENT ON TYPE alpaca_order IS 'An order (Alpaca Order object); legs of bracket, oco, oto and mleg orders are in legs, as Alpaca sends them. (schema: Order)';
COMMENT ON TYPE alpaca_position IS 'An open position (Alpaca Position object); qty is negative for a short. (schema: Position)';
COMMENT ON TYPE alpaca_watchlist IS 'A watchlist (Alpaca Watchlist object); assets as jsonb, or as rows through alpaca_watchlist_assets(). (schema: Watchlist)';
COMMENT ON TYPE alpaca_whitelisted_address IS 'An address withdrawals may go to (Alpaca WhitelistedAddress object). (schema: WhitelistedAddress)';
COMMENT ON TYPE alpaca_order_cancellation IS 'One order that cancel-all tried to cancel: its id, the HTTP status of that attempt, and the order. (schema: CanceledOrderResponse)';
COMMENT ON TYPE alpaca_position_closing IS 'One position that close-all tried to close: its symbol, the HTTP status of that attempt, and the closing order or error. (schema: PositionClosedReponse)';
