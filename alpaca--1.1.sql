/* alpaca--1.1.sql: the Alpaca Trading API v2 as SQL */

\echo Use "CREATE EXTENSION alpaca" to load this file. \quit

-- Row types mirror Alpaca's objects field by field, with Alpaca's names:
-- money, prices and quantities numeric, times timestamptz, ids uuid.
-- The C side fills them by column name, so a field Alpaca adds later is one
-- more column here.

CREATE TYPE alpaca_account AS (
    id uuid,
    account_number text,
    status text,
    crypto_status text,
    currency text,
    cash numeric,
    buying_power numeric,
    regt_buying_power numeric,
    daytrading_buying_power numeric,
    non_marginable_buying_power numeric,
    options_buying_power numeric,
    equity numeric,
    last_equity numeric,
    portfolio_value numeric,
    long_market_value numeric,
    short_market_value numeric,
    initial_margin numeric,
    maintenance_margin numeric,
    last_maintenance_margin numeric,
    sma numeric,
    multiplier numeric,
    daytrade_count integer,
    pattern_day_trader boolean,
    trading_blocked boolean,
    transfers_blocked boolean,
    account_blocked boolean,
    trade_suspended_by_user boolean,
    shorting_enabled boolean,
    options_approved_level integer,
    options_trading_level integer,
    accrued_fees numeric,
    pending_transfer_in numeric,
    pending_transfer_out numeric,
    pending_reg_taf_fees numeric,
    intraday_adjustments numeric,
    balance_asof date,
    created_at timestamptz
);
COMMENT ON TYPE alpaca_account IS 'The trading account (Alpaca Account object). (schema: Account)';

CREATE TYPE alpaca_clock AS (
    "timestamp" timestamptz,
    is_open boolean,
    next_open timestamptz,
    next_close timestamptz
);
COMMENT ON TYPE alpaca_clock IS 'The market clock: now, whether the market is open, and its next open and close. (schema: legacy_clock)';

CREATE TYPE alpaca_calendar_day AS (
    date date,
    open time,
    close time,
    session_open time,
    session_close time,
    settlement_date date
);
COMMENT ON TYPE alpaca_calendar_day IS 'One trading day: core hours (open, close) and extended session, in New York time. (schema: legacy_calendar_day)';

CREATE TYPE alpaca_asset AS (
    id uuid,
    class text,
    exchange text,
    symbol text,
    name text,
    status text,
    tradable boolean,
    marginable boolean,
    shortable boolean,
    easy_to_borrow boolean,
    fractionable boolean,
    cusip text,
    maintenance_margin_requirement numeric,
    margin_requirement_long numeric,
    margin_requirement_short numeric,
    min_order_size numeric,
    min_trade_increment numeric,
    price_increment numeric,
    borrow_status text,
    attributes text[]
);
COMMENT ON TYPE alpaca_asset IS 'A tradable asset: stock, ETF or crypto pair (Alpaca Assets object). (schema: Assets)';

CREATE TYPE alpaca_order AS (
    id uuid,
    client_order_id text,
    created_at timestamptz,
    updated_at timestamptz,
    submitted_at timestamptz,
    filled_at timestamptz,
    expired_at timestamptz,
    expires_at timestamptz,
    canceled_at timestamptz,
    failed_at timestamptz,
    replaced_at timestamptz,
    replaced_by uuid,
    replaces uuid,
    asset_id uuid,
    symbol text,
    asset_class text,
    notional numeric,
    qty numeric,
    filled_qty numeric,
    filled_avg_price numeric,
    order_class text,
    order_type text,
    type text,
    side text,
    position_intent text,
    time_in_force text,
    limit_price numeric,
    stop_price numeric,
    status text,
    extended_hours boolean,
    trail_percent numeric,
    trail_price numeric,
    hwm numeric,
    ratio_qty numeric,
    legs jsonb
);
COMMENT ON TYPE alpaca_order IS 'An order (Alpaca Order object); legs of bracket, oco, oto and mleg orders are in legs, as Alpaca sends them. (schema: Order)';

CREATE TYPE alpaca_position AS (
    asset_id uuid,
    symbol text,
    exchange text,
    asset_class text,
    asset_marginable boolean,
    qty numeric,
    qty_available numeric,
    side text,
    avg_entry_price numeric,
    market_value numeric,
    cost_basis numeric,
    unrealized_pl numeric,
    unrealized_plpc numeric,
    unrealized_intraday_pl numeric,
    unrealized_intraday_plpc numeric,
    current_price numeric,
    lastday_price numeric,
    change_today numeric,
    swap_rate numeric,
    avg_entry_swap_rate numeric,
    usd jsonb
);
COMMENT ON TYPE alpaca_position IS 'An open position (Alpaca Position object); qty is negative for a short. (schema: Position)';

CREATE TYPE alpaca_order_cancellation AS (
    id uuid,
    status integer,
    body jsonb
);
COMMENT ON TYPE alpaca_order_cancellation IS 'One order that cancel-all tried to cancel: its id, the HTTP status of that attempt, and the order. (schema: CanceledOrderResponse)';

CREATE TYPE alpaca_position_closing AS (
    symbol text,
    status integer,
    body jsonb
);
COMMENT ON TYPE alpaca_position_closing IS 'One position that close-all tried to close: its symbol, the HTTP status of that attempt, and the closing order or error. (schema: PositionClosedReponse)';

CREATE TYPE alpaca_account_configurations AS (
    dtbp_check text,
    trade_confirm_email text,
    suspend_trade boolean,
    no_shorting boolean,
    fractional_trading boolean,
    max_margin_multiplier numeric,
    max_options_trading_level integer,
    pdt_check text,
    ptp_no_exception_entry boolean,
    disable_overnight_trading boolean
);
COMMENT ON TYPE alpaca_account_configurations IS 'Account configurations (Alpaca AccountConfigurations object). (schema: AccountConfigurations)';

-- Account

CREATE FUNCTION alpaca_account()
RETURNS alpaca_account
AS 'MODULE_PATHNAME', 'alpaca_account'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_account() IS 'GET /v2/account: the account, one row.';

CREATE FUNCTION alpaca_account_configurations()
RETURNS alpaca_account_configurations
AS 'MODULE_PATHNAME', 'alpaca_account_configurations'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_account_configurations() IS 'GET /v2/account/configurations: the account configurations.';

CREATE FUNCTION alpaca_update_account_configurations(
    dtbp_check text DEFAULT NULL,
    trade_confirm_email text DEFAULT NULL,
    suspend_trade boolean DEFAULT NULL,
    no_shorting boolean DEFAULT NULL,
    fractional_trading boolean DEFAULT NULL,
    max_margin_multiplier integer DEFAULT NULL,
    pdt_check text DEFAULT NULL,
    max_options_trading_level integer DEFAULT NULL,
    ptp_no_exception_entry boolean DEFAULT NULL,
    disable_overnight_trading boolean DEFAULT NULL)
RETURNS alpaca_account_configurations
AS 'MODULE_PATHNAME', 'alpaca_update_account_configurations'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_update_account_configurations(text, text, boolean, boolean, boolean, integer, text, integer, boolean, boolean)
    IS 'PATCH /v2/account/configurations: change the settings given (NULL leaves one as it is); returns them all.';

CREATE FUNCTION alpaca_request(method text, path text, body jsonb DEFAULT NULL)
RETURNS jsonb
AS 'MODULE_PATHNAME', 'alpaca_request'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_request(text, text, jsonb)
    IS 'Any Trading API request, e.g. alpaca_request(''GET'', ''/v2/account''): the answer as jsonb (NULL for an empty one), parsed once and strictly (duplicate keys, NaN and invalid UTF-8 are errors). The path may not contain "." or ".." segments. For fields and endpoints no typed function covers.';

-- Market clock, calendar, assets

CREATE FUNCTION alpaca_clock()
RETURNS alpaca_clock
AS 'MODULE_PATHNAME', 'alpaca_clock'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_clock() IS 'GET /v2/clock: is the market open, and when it next opens and closes.';

CREATE FUNCTION alpaca_calendar(start date DEFAULT NULL, "end" date DEFAULT NULL, date_type text DEFAULT NULL)
RETURNS SETOF alpaca_calendar_day
AS 'MODULE_PATHNAME', 'alpaca_calendar'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 30;
COMMENT ON FUNCTION alpaca_calendar(date, date, text) IS 'GET /v2/calendar: trading days between start and end (date_type TRADING or SETTLEMENT).';

CREATE FUNCTION alpaca_assets(status text DEFAULT NULL, asset_class text DEFAULT NULL,
                              exchange text DEFAULT NULL, attributes text[] DEFAULT NULL)
RETURNS SETOF alpaca_asset
AS 'MODULE_PATHNAME', 'alpaca_assets'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 1000;
COMMENT ON FUNCTION alpaca_assets(text, text, text, text[])
    IS 'GET /v2/assets: assets, filtered by status, asset_class, exchange and attributes (any attribute code Alpaca has, including ones added after this release).';

CREATE FUNCTION alpaca_asset(symbol_or_asset_id text)
RETURNS alpaca_asset
AS 'MODULE_PATHNAME', 'alpaca_asset'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_asset(text) IS 'GET /v2/assets/{symbol_or_asset_id}: one asset.';

-- Orders

CREATE FUNCTION alpaca_place_order(
    symbol text,
    qty numeric DEFAULT NULL,
    side text DEFAULT NULL,
    type text DEFAULT 'market',
    time_in_force text DEFAULT 'day',
    limit_price numeric DEFAULT NULL,
    stop_price numeric DEFAULT NULL,
    trail_price numeric DEFAULT NULL,
    trail_percent numeric DEFAULT NULL,
    extended_hours boolean DEFAULT NULL,
    client_order_id text DEFAULT NULL,
    order_class text DEFAULT NULL,
    take_profit_limit_price numeric DEFAULT NULL,
    stop_loss_stop_price numeric DEFAULT NULL,
    stop_loss_limit_price numeric DEFAULT NULL,
    position_intent text DEFAULT NULL,
    notional numeric DEFAULT NULL,
    legs jsonb DEFAULT NULL,
    advanced_instructions jsonb DEFAULT NULL)
RETURNS alpaca_order
AS 'MODULE_PATHNAME', 'alpaca_place_order'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_place_order(text, numeric, text, text, text, numeric, numeric, numeric, numeric, boolean, text, text, numeric, numeric, numeric, text, numeric, jsonb, jsonb)
    IS 'POST /v2/orders: place an order; returns it. take_profit_* and stop_loss_* are the legs of bracket, oco and oto orders; legs (jsonb array) those of an mleg order. A client_order_id is generated when none is given, and used to find the order if the connection fails.';

CREATE FUNCTION alpaca_orders(
    status text DEFAULT NULL,
    "limit" integer DEFAULT NULL,
    after timestamptz DEFAULT NULL,
    until timestamptz DEFAULT NULL,
    direction text DEFAULT NULL,
    nested boolean DEFAULT NULL,
    symbols text[] DEFAULT NULL,
    side text DEFAULT NULL,
    asset_class text[] DEFAULT NULL,
    before_order_id uuid DEFAULT NULL,
    after_order_id uuid DEFAULT NULL)
RETURNS SETOF alpaca_order
AS 'MODULE_PATHNAME', 'alpaca_orders'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 50;
COMMENT ON FUNCTION alpaca_orders(text, integer, timestamptz, timestamptz, text, boolean, text[], text, text[], uuid, uuid)
    IS 'GET /v2/orders: every order the filters select (status open, closed or all; Alpaca''s default is open), following Alpaca''s pages by submission time with no order lost or repeated; "limit" caps the rows returned.';

CREATE FUNCTION alpaca_order(order_id uuid, nested boolean DEFAULT NULL)
RETURNS alpaca_order
AS 'MODULE_PATHNAME', 'alpaca_order'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_order(uuid, boolean) IS 'GET /v2/orders/{order_id}: one order.';

CREATE FUNCTION alpaca_order_by_client_id(client_order_id text)
RETURNS alpaca_order
AS 'MODULE_PATHNAME', 'alpaca_order_by_client_id'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_order_by_client_id(text) IS 'GET /v2/orders:by_client_order_id: the order with this client_order_id.';

CREATE FUNCTION alpaca_replace_order(
    order_id uuid,
    qty numeric DEFAULT NULL,
    time_in_force text DEFAULT NULL,
    limit_price numeric DEFAULT NULL,
    stop_price numeric DEFAULT NULL,
    trail numeric DEFAULT NULL,
    client_order_id text DEFAULT NULL)
RETURNS alpaca_order
AS 'MODULE_PATHNAME', 'alpaca_replace_order'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_replace_order(uuid, numeric, text, numeric, numeric, numeric, text)
    IS 'PATCH /v2/orders/{order_id}: replace an open order; returns the new order (the old one becomes replaced).';

CREATE FUNCTION alpaca_cancel_order(order_id uuid)
RETURNS void
AS 'MODULE_PATHNAME', 'alpaca_cancel_order'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_cancel_order(uuid) IS 'DELETE /v2/orders/{order_id}: cancel an open order.';

CREATE FUNCTION alpaca_cancel_all_orders()
RETURNS SETOF alpaca_order_cancellation
AS 'MODULE_PATHNAME', 'alpaca_cancel_all_orders'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 10;
COMMENT ON FUNCTION alpaca_cancel_all_orders() IS 'DELETE /v2/orders: cancel every open order; one row per order with the status of its cancellation.';

-- Positions

CREATE FUNCTION alpaca_positions()
RETURNS SETOF alpaca_position
AS 'MODULE_PATHNAME', 'alpaca_positions'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 20;
COMMENT ON FUNCTION alpaca_positions() IS 'GET /v2/positions: every open position.';

CREATE FUNCTION alpaca_position(symbol_or_asset_id text)
RETURNS alpaca_position
AS 'MODULE_PATHNAME', 'alpaca_position'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_position(text) IS 'GET /v2/positions/{symbol_or_asset_id}: one open position.';

CREATE FUNCTION alpaca_close_position(symbol_or_asset_id text, qty numeric DEFAULT NULL, percentage numeric DEFAULT NULL)
RETURNS alpaca_order
AS 'MODULE_PATHNAME', 'alpaca_close_position'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_close_position(text, numeric, numeric)
    IS 'DELETE /v2/positions/{symbol_or_asset_id}: close all of a position, or qty of it, or a percentage; returns the closing order.';

CREATE FUNCTION alpaca_close_all_positions(cancel_orders boolean DEFAULT NULL)
RETURNS SETOF alpaca_position_closing
AS 'MODULE_PATHNAME', 'alpaca_close_all_positions'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 20;
COMMENT ON FUNCTION alpaca_close_all_positions(boolean)
    IS 'DELETE /v2/positions: close every position (cancel_orders => true cancels open orders first); one row per position.';

CREATE FUNCTION alpaca_exercise_option(symbol_or_contract_id text)
RETURNS void
AS 'MODULE_PATHNAME', 'alpaca_exercise_option'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_exercise_option(text) IS 'POST /v2/positions/{symbol_or_contract_id}/exercise: exercise a held option position.';

CREATE FUNCTION alpaca_do_not_exercise_option(symbol_or_contract_id text)
RETURNS void
AS 'MODULE_PATHNAME', 'alpaca_do_not_exercise_option'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_do_not_exercise_option(text) IS 'POST /v2/positions/{symbol_or_contract_id}/do-not-exercise: ask that an option position not be exercised at expiry.';

-- Watchlists

CREATE TYPE alpaca_watchlist AS (
    id uuid,
    account_id uuid,
    name text,
    created_at timestamptz,
    updated_at timestamptz,
    assets jsonb
);
COMMENT ON TYPE alpaca_watchlist IS 'A watchlist (Alpaca Watchlist object); assets as jsonb, or as rows through alpaca_watchlist_assets(). (schema: Watchlist)';

CREATE FUNCTION alpaca_watchlists()
RETURNS SETOF alpaca_watchlist
AS 'MODULE_PATHNAME', 'alpaca_watchlists'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 10;
COMMENT ON FUNCTION alpaca_watchlists() IS 'GET /v2/watchlists: every watchlist (without its assets).';

CREATE FUNCTION alpaca_watchlist(watchlist_id uuid)
RETURNS alpaca_watchlist
AS 'MODULE_PATHNAME', 'alpaca_watchlist'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_watchlist(uuid) IS 'GET /v2/watchlists/{watchlist_id}: one watchlist with its assets.';

CREATE FUNCTION alpaca_watchlist_by_name(name text)
RETURNS alpaca_watchlist
AS 'MODULE_PATHNAME', 'alpaca_watchlist_by_name'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_watchlist_by_name(text) IS 'GET /v2/watchlists:by_name: one watchlist, found by name.';

CREATE FUNCTION alpaca_watchlist_assets(watchlist_id uuid)
RETURNS SETOF alpaca_asset
AS 'MODULE_PATHNAME', 'alpaca_watchlist_assets'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE ROWS 20;
COMMENT ON FUNCTION alpaca_watchlist_assets(uuid) IS 'The assets of a watchlist as alpaca_asset rows (from GET /v2/watchlists/{watchlist_id}).';

CREATE FUNCTION alpaca_watchlist_assets_by_name(name text)
RETURNS SETOF alpaca_asset
AS 'MODULE_PATHNAME', 'alpaca_watchlist_assets_by_name'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE ROWS 20;
COMMENT ON FUNCTION alpaca_watchlist_assets_by_name(text) IS 'The assets of a watchlist found by name, as alpaca_asset rows (from GET /v2/watchlists:by_name).';

CREATE FUNCTION alpaca_create_watchlist(name text, symbols text[] DEFAULT NULL)
RETURNS alpaca_watchlist
AS 'MODULE_PATHNAME', 'alpaca_create_watchlist'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_create_watchlist(text, text[]) IS 'POST /v2/watchlists: create a watchlist with these symbols.';

CREATE FUNCTION alpaca_update_watchlist(watchlist_id uuid, name text, symbols text[] DEFAULT NULL)
RETURNS alpaca_watchlist
AS 'MODULE_PATHNAME', 'alpaca_update_watchlist'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_update_watchlist(uuid, text, text[]) IS 'PUT /v2/watchlists/{watchlist_id}: rename a watchlist and replace all its symbols.';

CREATE FUNCTION alpaca_update_watchlist_by_name(name text, new_name text DEFAULT NULL, symbols text[] DEFAULT NULL)
RETURNS alpaca_watchlist
AS 'MODULE_PATHNAME', 'alpaca_update_watchlist_by_name'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_update_watchlist_by_name(text, text, text[]) IS 'PUT /v2/watchlists:by_name: replace the symbols of the named watchlist (and rename it to new_name).';

CREATE FUNCTION alpaca_add_to_watchlist(watchlist_id uuid, symbol text)
RETURNS alpaca_watchlist
AS 'MODULE_PATHNAME', 'alpaca_add_to_watchlist'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_add_to_watchlist(uuid, text) IS 'POST /v2/watchlists/{watchlist_id}: add a symbol to a watchlist.';

CREATE FUNCTION alpaca_add_to_watchlist_by_name(name text, symbol text)
RETURNS alpaca_watchlist
AS 'MODULE_PATHNAME', 'alpaca_add_to_watchlist_by_name'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_add_to_watchlist_by_name(text, text) IS 'POST /v2/watchlists:by_name: add a symbol to the named watchlist.';

CREATE FUNCTION alpaca_remove_from_watchlist(watchlist_id uuid, symbol text)
RETURNS alpaca_watchlist
AS 'MODULE_PATHNAME', 'alpaca_remove_from_watchlist'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_remove_from_watchlist(uuid, text) IS 'DELETE /v2/watchlists/{watchlist_id}/{symbol}: remove a symbol from a watchlist.';

CREATE FUNCTION alpaca_delete_watchlist(watchlist_id uuid)
RETURNS void
AS 'MODULE_PATHNAME', 'alpaca_delete_watchlist'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_delete_watchlist(uuid) IS 'DELETE /v2/watchlists/{watchlist_id}: delete a watchlist.';

CREATE FUNCTION alpaca_delete_watchlist_by_name(name text)
RETURNS void
AS 'MODULE_PATHNAME', 'alpaca_delete_watchlist_by_name'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_delete_watchlist_by_name(text) IS 'DELETE /v2/watchlists:by_name: delete the named watchlist.';

-- Account activities and portfolio history

CREATE TYPE alpaca_activity AS (
    id text,
    activity_type text,
    activity_sub_type text,
    date date,
    created_at timestamptz,
    transaction_time timestamptz,
    type text,
    symbol text,
    side text,
    qty numeric,
    price numeric,
    cum_qty numeric,
    leaves_qty numeric,
    order_id uuid,
    order_status text,
    net_amount numeric,
    per_share_amount numeric,
    cusip text,
    currency text,
    status text,
    description text,
    group_id text,
    raw jsonb
);
COMMENT ON TYPE alpaca_activity IS 'An account activity: a fill (TradingActivities) or a non-trade activity (NonTradeActivities); raw holds the whole object. (schema: TradingActivities, NonTradeActivities)';

CREATE FUNCTION alpaca_activities(
    activity_types text[] DEFAULT NULL,
    category text DEFAULT NULL,
    date date DEFAULT NULL,
    until timestamptz DEFAULT NULL,
    after timestamptz DEFAULT NULL,
    direction text DEFAULT NULL,
    page_size integer DEFAULT NULL)
RETURNS SETOF alpaca_activity
AS 'MODULE_PATHNAME', 'alpaca_activities'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 100;
COMMENT ON FUNCTION alpaca_activities(text[], text, date, timestamptz, timestamptz, text, integer)
    IS 'GET /v2/account/activities: every activity the filters select, following page_token through all pages (page_size per request); activity_types takes any of Alpaca''s codes.';

CREATE FUNCTION alpaca_activities_by_type(
    activity_type text,
    date date DEFAULT NULL,
    until timestamptz DEFAULT NULL,
    after timestamptz DEFAULT NULL,
    direction text DEFAULT NULL,
    page_size integer DEFAULT NULL)
RETURNS SETOF alpaca_activity
AS 'MODULE_PATHNAME', 'alpaca_activities_by_type'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 100;
COMMENT ON FUNCTION alpaca_activities_by_type(text, date, timestamptz, timestamptz, text, integer)
    IS 'GET /v2/account/activities/{activity_type}: every activity of one type (FILL, DIV, FEE ...), all pages.';

CREATE TYPE alpaca_portfolio_point AS (
    "timestamp" timestamptz,
    equity numeric,
    profit_loss numeric,
    profit_loss_pct numeric,
    base_value numeric,
    timeframe text
);
COMMENT ON TYPE alpaca_portfolio_point IS 'One point of portfolio history: equity and profit/loss at a time.';

CREATE FUNCTION alpaca_portfolio_history(
    period text DEFAULT NULL,
    timeframe text DEFAULT NULL,
    intraday_reporting text DEFAULT NULL,
    start timestamptz DEFAULT NULL,
    "end" timestamptz DEFAULT NULL,
    pnl_reset text DEFAULT NULL,
    extended_hours boolean DEFAULT NULL,
    cashflow_types text DEFAULT NULL)
RETURNS SETOF alpaca_portfolio_point
AS 'MODULE_PATHNAME', 'alpaca_portfolio_history'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 30;
COMMENT ON FUNCTION alpaca_portfolio_history(text, text, text, timestamptz, timestamptz, text, boolean, text)
    IS 'GET /v2/account/portfolio/history: one row per point; period like ''1M'', timeframe 1Min, 5Min, 15Min, 1H or 1D.';

-- Options

CREATE TYPE alpaca_option_contract AS (
    id uuid,
    symbol text,
    name text,
    status text,
    tradable boolean,
    expiration_date date,
    root_symbol text,
    underlying_symbol text,
    underlying_asset_id uuid,
    type text,
    style text,
    strike_price numeric,
    multiplier numeric,
    size numeric,
    open_interest numeric,
    open_interest_date date,
    close_price numeric,
    close_price_date date,
    ppind boolean,
    deliverables jsonb
);
COMMENT ON TYPE alpaca_option_contract IS 'An option contract (Alpaca OptionContract object). (schema: OptionContract)';

CREATE FUNCTION alpaca_option_contracts(
    underlying_symbols text[] DEFAULT NULL,
    status text DEFAULT NULL,
    expiration_date date DEFAULT NULL,
    expiration_date_gte date DEFAULT NULL,
    expiration_date_lte date DEFAULT NULL,
    root_symbol text DEFAULT NULL,
    type text DEFAULT NULL,
    style text DEFAULT NULL,
    strike_price_gte numeric DEFAULT NULL,
    strike_price_lte numeric DEFAULT NULL,
    show_deliverables boolean DEFAULT NULL,
    ppind boolean DEFAULT NULL,
    page_limit integer DEFAULT NULL)
RETURNS SETOF alpaca_option_contract
AS 'MODULE_PATHNAME', 'alpaca_option_contracts'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 100;
COMMENT ON FUNCTION alpaca_option_contracts(text[], text, date, date, date, text, text, text, numeric, numeric, boolean, boolean, integer)
    IS 'GET /v2/options/contracts: every contract the filters select, following next_page_token (page_limit per request, Alpaca''s limit). Without expiration filters Alpaca returns those expiring by next weekend.';

CREATE FUNCTION alpaca_option_contract(symbol_or_id text)
RETURNS alpaca_option_contract
AS 'MODULE_PATHNAME', 'alpaca_option_contract'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_option_contract(text) IS 'GET /v2/options/contracts/{symbol_or_id}: one option contract.';

-- Corporate actions

CREATE TYPE alpaca_corporate_announcement AS (
    id uuid,
    corporate_action_id text,
    ca_type text,
    ca_sub_type text,
    initiating_symbol text,
    initiating_original_cusip text,
    target_symbol text,
    target_original_cusip text,
    declaration_date date,
    ex_date date,
    record_date date,
    payable_date date,
    expiration_date date,
    cash numeric,
    old_rate numeric,
    new_rate numeric,
    raw jsonb
);
COMMENT ON TYPE alpaca_corporate_announcement IS 'A corporate action announcement: dividend, merger, spinoff or split. (schema: GET /v2/corporate_actions/announcements/{id})';

CREATE FUNCTION alpaca_corporate_announcements(
    ca_types text[],
    since date,
    until date,
    symbol text DEFAULT NULL,
    cusip text DEFAULT NULL,
    date_type text DEFAULT NULL)
RETURNS SETOF alpaca_corporate_announcement
AS 'MODULE_PATHNAME', 'alpaca_corporate_announcements'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 20;
COMMENT ON FUNCTION alpaca_corporate_announcements(text[], date, date, text, text, text)
    IS 'GET /v2/corporate_actions/announcements: announcements of ca_types (Dividend, Merger, Spinoff, Split, or any type Alpaca adds; any case) from since to until (at most 90 days).';

CREATE FUNCTION alpaca_corporate_announcement(id uuid)
RETURNS alpaca_corporate_announcement
AS 'MODULE_PATHNAME', 'alpaca_corporate_announcement'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_corporate_announcement(uuid) IS 'GET /v2/corporate_actions/announcements/{id}: one announcement.';

-- Crypto funding

CREATE TYPE alpaca_crypto_wallet AS (
    asset text,
    chain text,
    address text,
    created_at timestamptz
);
COMMENT ON TYPE alpaca_crypto_wallet IS 'A crypto funding wallet: where to send an asset on a chain. (schema: CryptoWallet)';

CREATE TYPE alpaca_crypto_transfer AS (
    id uuid,
    tx_hash text,
    direction text,
    status text,
    amount numeric,
    usd_value numeric,
    network_fee numeric,
    fees numeric,
    chain text,
    asset text,
    from_address text,
    to_address text,
    created_at timestamptz
);
COMMENT ON TYPE alpaca_crypto_transfer IS 'A crypto transfer, INCOMING or OUTGOING (Alpaca CryptoTransfer object). (schema: CryptoTransfer)';

CREATE TYPE alpaca_whitelisted_address AS (
    id text,
    chain text,
    asset text,
    address text,
    status text,
    created_at timestamptz
);
COMMENT ON TYPE alpaca_whitelisted_address IS 'An address withdrawals may go to (Alpaca WhitelistedAddress object). (schema: WhitelistedAddress)';

CREATE TYPE alpaca_crypto_fee_estimate AS (
    fee numeric,
    network_fee numeric
);
COMMENT ON TYPE alpaca_crypto_fee_estimate IS 'The estimated fees of a crypto withdrawal. (schema: WalletFeeEstimateResponse)';

CREATE FUNCTION alpaca_crypto_wallets(asset text DEFAULT NULL, network text DEFAULT NULL)
RETURNS SETOF alpaca_crypto_wallet
AS 'MODULE_PATHNAME', 'alpaca_crypto_wallets'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 5;
COMMENT ON FUNCTION alpaca_crypto_wallets(text, text) IS 'GET /v2/wallets: the funding wallets, or the one for an asset.';

CREATE FUNCTION alpaca_crypto_transfers()
RETURNS SETOF alpaca_crypto_transfer
AS 'MODULE_PATHNAME', 'alpaca_crypto_transfers'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 20;
COMMENT ON FUNCTION alpaca_crypto_transfers() IS 'GET /v2/wallets/transfers: crypto transfers in and out.';

CREATE FUNCTION alpaca_crypto_transfer(transfer_id uuid)
RETURNS alpaca_crypto_transfer
AS 'MODULE_PATHNAME', 'alpaca_crypto_transfer'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_crypto_transfer(uuid) IS 'GET /v2/wallets/transfers/{transfer_id}: one crypto transfer.';

CREATE FUNCTION alpaca_request_crypto_withdrawal(amount numeric, address text, asset text, chain text DEFAULT NULL)
RETURNS alpaca_crypto_transfer
AS 'MODULE_PATHNAME', 'alpaca_request_crypto_withdrawal'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_request_crypto_withdrawal(numeric, text, text, text)
    IS 'POST /v2/wallets/transfers: withdraw amount of asset to a whitelisted address.';

CREATE FUNCTION alpaca_whitelisted_addresses()
RETURNS SETOF alpaca_whitelisted_address
AS 'MODULE_PATHNAME', 'alpaca_whitelisted_addresses'
LANGUAGE C VOLATILE PARALLEL UNSAFE ROWS 10;
COMMENT ON FUNCTION alpaca_whitelisted_addresses() IS 'GET /v2/wallets/whitelists: addresses withdrawals may go to.';

CREATE FUNCTION alpaca_add_whitelisted_address(address text, asset text, chain text DEFAULT NULL)
RETURNS alpaca_whitelisted_address
AS 'MODULE_PATHNAME', 'alpaca_add_whitelisted_address'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_add_whitelisted_address(text, text, text) IS 'POST /v2/wallets/whitelists: request that an address be whitelisted (PENDING until approved).';

CREATE FUNCTION alpaca_delete_whitelisted_address(whitelisted_address_id text)
RETURNS void
AS 'MODULE_PATHNAME', 'alpaca_delete_whitelisted_address'
LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_delete_whitelisted_address(text) IS 'DELETE /v2/wallets/whitelists/{whitelisted_address_id}: remove a whitelisted address.';

CREATE FUNCTION alpaca_crypto_fee_estimate(asset text DEFAULT NULL, from_address text DEFAULT NULL,
                                           to_address text DEFAULT NULL, amount numeric DEFAULT NULL)
RETURNS alpaca_crypto_fee_estimate
AS 'MODULE_PATHNAME', 'alpaca_crypto_fee_estimate'
LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION alpaca_crypto_fee_estimate(text, text, text, numeric) IS 'GET /v2/wallets/fees/estimate: the fees a withdrawal would cost.';

-- Every function trades with the server's keys: none is callable by a role
-- until the owner grants it (see README: read-only and trading grants).
DO $$
DECLARE f regprocedure;
BEGIN
    FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
             JOIN pg_depend d ON d.objid = p.oid AND d.classid = 'pg_proc'::regclass
             WHERE d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'alpaca')
               AND d.deptype = 'e'
    LOOP
        EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
    END LOOP;
END $$;

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
