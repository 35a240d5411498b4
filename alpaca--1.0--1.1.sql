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
