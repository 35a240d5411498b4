--
-- Whole lists: every list function returns every row, across pages, and a
-- pager that neither ends nor moves on is an error, not a loop.
--
SELECT sim('reset');
-- 120 orders used to come back as Alpaca's default page of 50
SELECT sim('orders', '{"count": 120}');
SELECT count(*) AS orders, count(DISTINCT id) AS distinct_ids FROM alpaca_orders(status => 'all');
-- 1,234 orders, seven submitted at each instant, so page boundaries fall
-- among equal timestamps: nothing lost, nothing twice, in both directions
SELECT sim('reset');
SELECT sim('orders', '{"count": 1234, "per_instant": 7}');
SELECT count(*) AS orders, count(DISTINCT id) AS distinct_ids FROM alpaca_orders(status => 'all');
SELECT count(*) AS orders, count(DISTINCT id) AS distinct_ids FROM alpaca_orders(status => 'all', direction => 'asc');
SELECT bool_and(a <= b) AS ascending
FROM (SELECT submitted_at AS a, lead(submitted_at) OVER (ORDER BY ordinality) AS b
      FROM alpaca_orders(status => 'all', direction => 'asc') WITH ORDINALITY) s WHERE b IS NOT NULL;
SELECT bool_and(a >= b) AS descending
FROM (SELECT submitted_at AS a, lead(submitted_at) OVER (ORDER BY ordinality) AS b
      FROM alpaca_orders(status => 'all') WITH ORDINALITY) s WHERE b IS NOT NULL;
-- "limit" is the most rows wanted, over as many pages as that takes
SELECT count(*) AS orders, count(DISTINCT id) AS distinct_ids FROM alpaca_orders(status => 'all', "limit" => 777);
SELECT count(*) AS orders FROM alpaca_orders(status => 'all', "limit" => 3);
-- the caller's own window is kept
SELECT count(*) AS in_window FROM alpaca_orders(status => 'all', after => '2026-01-05T15:00:10Z', until => '2026-01-05T15:01:00Z');
-- more orders at one instant than a page holds cannot be paged by time: say so
SELECT sim('orders', '{"count": 501, "per_instant": 501, "start": "2026-03-01T00:00:00Z", "prefix": "burst-"}');
SELECT count(*) FROM alpaca_orders(status => 'all');
SELECT count(*) AS before_the_burst FROM alpaca_orders(status => 'all', until => '2026-02-01T00:00:00Z');

-- option contracts: a next_page_token seen before, repeating or alternating
SELECT sim('reset');
SELECT sim('faults', '{"path": "/v2/options/contracts", "times": 5, "raw": "{\"option_contracts\": [{\"symbol\": \"AAPL261204C00150000\"}], \"next_page_token\": \"same\"}"}') IS NOT NULL AS armed;
SELECT count(*) FROM alpaca_option_contracts();
SELECT alpaca_request('DELETE', '/_sim/faults') IS NOT NULL AS cleared;
SELECT sim('faults', jsonb_build_object('path', '/v2/options/contracts', 'raw',
           format('{"option_contracts": [{"symbol": "X%s"}], "next_page_token": "%s"}', n, CASE WHEN n % 2 = 0 THEN 'A' ELSE 'B' END))) IS NOT NULL
FROM generate_series(0, 5) AS n;
SELECT count(*) FROM alpaca_option_contracts();
SELECT alpaca_request('DELETE', '/_sim/faults') IS NOT NULL AS cleared;
-- a page that adds nothing but points further
SELECT sim('faults', '{"path": "/v2/options/contracts", "raw": "{\"option_contracts\": [], \"next_page_token\": \"more\"}"}') IS NOT NULL AS armed;
SELECT count(*) FROM alpaca_option_contracts();
-- the page cap, with a way out in the hint
SET alpaca.max_pages = 3;
SELECT count(*) FROM alpaca_option_contracts(page_limit => 10);
RESET alpaca.max_pages;
SELECT count(*) AS every_contract, count(DISTINCT symbol) AS distinct_symbols FROM alpaca_option_contracts(page_limit => 10);

-- activities page by the last id: a page that ends on the id it started from
SELECT sim('faults', '{"path": "/v2/account/activities", "times": 3, "raw": "[{\"id\": \"a1\", \"activity_type\": \"DIV\"}, {\"id\": \"a2\", \"activity_type\": \"DIV\"}]"}') IS NOT NULL AS armed;
SELECT count(*) FROM alpaca_activities(page_size => 2);
SELECT alpaca_request('DELETE', '/_sim/faults') IS NOT NULL AS cleared;
SELECT count(*) AS all_activities, count(DISTINCT id) AS distinct_ids FROM alpaca_activities(page_size => 7);
