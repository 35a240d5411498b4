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
