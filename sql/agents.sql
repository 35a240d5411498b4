--
-- The account as an agent's tool: find (alpaca_operations, alpaca_help),
-- preview (alpaca_preview_order), propose and confirm, with grants by kind
-- of role (alpaca_grant) and messages that carry what the caller needs.
--
SELECT sim('reset');
SELECT current_user AS owner \gset
\getenv pw PGPASSWORD
\if :{?pw}
\else
\set pw 'trust'
\endif
CREATE ROLE agt_reader LOGIN PASSWORD :'pw';
CREATE ROLE agt_trader LOGIN PASSWORD :'pw';
CREATE ROLE agt_proposer LOGIN PASSWORD :'pw';
CREATE ROLE agt_approver LOGIN PASSWORD :'pw';
CREATE ROLE agt_nobody LOGIN PASSWORD :'pw';
SELECT count(*) > 20 AS granted FROM alpaca_grant('agt_reader', 'reader');
SELECT count(*) > 20 AS granted FROM alpaca_grant('agt_trader', 'trader');
SELECT count(*) > 20 AS granted FROM alpaca_grant('agt_proposer', 'proposer');
SELECT count(*) > 20 AS granted FROM alpaca_grant('agt_approver', 'approver');
SELECT sqlstate_of($$SELECT alpaca_grant('agt_nobody', 'admin')$$);
ALTER ROLE agt_proposer SET alpaca.approval_above_notional = '100';
ALTER ROLE agt_trader SET alpaca.max_order_notional = '1000';

-- what each kind may call: the catalogue says so, per role
CREATE FUNCTION kinds() RETURNS TABLE (role name, allowed text[]) LANGUAGE sql AS $$
    SELECT r, array_agg(o.function ORDER BY o.function)
    FROM unnest(ARRAY['agt_reader', 'agt_trader', 'agt_proposer', 'agt_approver', 'agt_nobody']::name[]) r,
         alpaca_operations o
    WHERE has_function_privilege(r, o.signature, 'EXECUTE')
      AND o.function IN ('alpaca_clock', 'alpaca_positions', 'alpaca_order', 'alpaca_preview_order', 'alpaca_place_order',
                         'alpaca_queue_order', 'alpaca_approve_order', 'alpaca_reject_order', 'alpaca_request',
                         'alpaca_request_crypto_withdrawal', 'alpaca_stock_latest_trades', 'alpaca_wait_for_order')
    GROUP BY r ORDER BY r $$;
SELECT * FROM kinds();

-- discovery: every role reads the catalogue, with what it may call
\c - agt_nobody
SELECT count(*) > 80 AS operations, count(*) FILTER (WHERE allowed) AS allowed_to_nobody FROM alpaca_operations;
SELECT count(*) FILTER (WHERE effect = 'read') > 40 AS reads, count(*) FILTER (WHERE effect = 'order') >= 10 AS orders
FROM alpaca_operations;
-- no internal helper is listed
SELECT count(*) AS helpers_listed FROM alpaca_operations WHERE function IN ('alpaca_mirror_message', 'alpaca_mirror_order', 'alpaca_catalog_entries');
\c - agt_proposer
SELECT function, effect, allowed FROM alpaca_operations WHERE function IN ('alpaca_queue_order', 'alpaca_approve_order', 'alpaca_clock') ORDER BY 1;
-- intents in words, the seed's and paraphrases: the right function first
CREATE TEMP TABLE asked (sentence text, want text);
INSERT INTO asked VALUES
    ('close all my positions now', 'alpaca_close_all_positions'),
    ('liquidate everything', 'alpaca_close_all_positions'),
    ('sell everything I hold right now', 'alpaca_close_all_positions'),
    ('add a symbol to a watchlist by its name', 'alpaca_add_to_watchlist_by_name'),
    ('put NVDA on the watchlist called tech', 'alpaca_add_to_watchlist_by_name'),
    ('what did I earn last month', 'alpaca_portfolio_history'),
    ('how did my portfolio perform over time', 'alpaca_portfolio_history'),
    ('is the market open', 'alpaca_clock'),
    ('when does the market close today', 'alpaca_clock'),
    ('cancel every open order', 'alpaca_cancel_all_orders'),
    ('check an order before placing it', 'alpaca_preview_order'),
    ('dry run an order', 'alpaca_preview_order'),
    ('propose an order for approval', 'alpaca_queue_order'),
    ('how much cash do I have', 'alpaca_account'),
    ('what do I own', 'alpaca_positions'),
    ('did my order fill', 'alpaca_order');
SELECT a.sentence, (SELECT h.function FROM alpaca_help(a.sentence) h LIMIT 1) = a.want AS first, a.want
FROM asked a ORDER BY 1;
SELECT function, effect, example IS NOT NULL AS has_example FROM alpaca_help('close all my positions now') LIMIT 1;
-- an order asked for in words offers the preview beside placing it
SELECT function FROM alpaca_help('buy 1 share of AAPL') WHERE function IN ('alpaca_place_order', 'alpaca_preview_order');

-- preview: what an order would do, sending nothing and writing no audit row
\c - :owner
SELECT (alpaca_request('GET', '/_sim/state')->>'orders')::int AS orders_before,
       (SELECT count(*) FROM alpaca_audit) AS audit_before \gset
\c - agt_trader
BEGIN READ ONLY;
SELECT allowed, refused_by, value, price_source, needs_approval, market_open, message
FROM alpaca_preview_order('AAPL', qty => 10, side => 'buy');
SELECT allowed, value, message FROM alpaca_preview_order('AAPL', qty => 2, side => 'buy', type => 'limit', limit_price => 140);
SELECT jsonb_path_query_array(checks, '$[*].setting') AS checked FROM alpaca_preview_order('AAPL', qty => 2, side => 'buy');
-- ... and the real thing, in the same read-only transaction, is refused (25006), with the way out in the message
SELECT sqlstate_of($$SELECT alpaca_place_order('AAPL', qty => 1, side => 'buy')$$);
COMMIT;
\c - :owner
SELECT (alpaca_request('GET', '/_sim/state')->>'orders')::int - :orders_before AS orders_sent,
       (SELECT count(*) FROM alpaca_audit) - :audit_before AS audit_rows;
\c - agt_trader
-- a refusal says the limit and its value in the message itself
SELECT sqlstate_of($$SELECT alpaca_place_order('AAPL', qty => 10, side => 'buy')$$);
SELECT sqlstate_of($$SELECT alpaca_place_order('AAPL', qty => 1, side => 'long')$$);
-- a trader may not approve, nor send raw requests, nor withdraw coins
SELECT sqlstate_of($$SELECT alpaca_approve_order('x')$$);
SELECT sqlstate_of($$SELECT alpaca_request('GET', '/v2/account')$$);

-- propose (from a connection that may write), then an approver confirms
\c - agt_proposer
SELECT is_open IS NOT NULL AS reads_the_clock FROM alpaca_clock();
SELECT count(*) >= 0 AS reads_positions FROM alpaca_positions();
SELECT alpaca_queue_order('AAPL', qty => 1, side => 'buy', client_order_id => 'agt-1') AS queued;
-- why it waits is one read away, in words
SELECT status, waiting_for FROM alpaca_order_outbox WHERE client_order_id = 'agt-1';
SELECT sqlstate_of($$SELECT alpaca_approve_order('agt-1')$$);
\c - agt_approver
SELECT status, decided_by FROM alpaca_approve_order('agt-1');
\c - agt_proposer
SELECT status, order_id IS NOT NULL AS placed FROM alpaca_wait_for_order('agt-1');
SELECT status FROM alpaca_order(( SELECT order_id FROM alpaca_order_outbox WHERE client_order_id = 'agt-1'));

\c - :owner
DROP FUNCTION kinds();
DROP OWNED BY agt_reader, agt_trader, agt_proposer, agt_approver, agt_nobody;
DROP ROLE agt_reader, agt_trader, agt_proposer, agt_approver, agt_nobody;
