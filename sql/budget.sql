--
-- One request budget for the cluster, per-endpoint statistics, and retries
-- with backoff for reads.  (scripts/test also runs a load test across
-- sessions and a pg_cron job: scripts/load.)
--
SELECT sim('reset');
SELECT alpaca_stat_reset();
-- statistics per endpoint, by path template
SELECT count(*) FROM alpaca_positions();
SELECT symbol FROM alpaca_asset('AAPL');
SELECT symbol FROM alpaca_asset('MSFT');
SELECT sqlstate_of($$SELECT alpaca_asset('NOPE99')$$);
SELECT endpoint, calls, errors, retries, rate_limited, mean_ms >= 0 AS timed, max_ms >= mean_ms AS max_at_least_mean
FROM alpaca_stat_endpoints WHERE endpoint LIKE 'GET /v2/assets%' OR endpoint LIKE 'GET /v2/positions%' ORDER BY 1;

-- a read answered 429 or 502/503/504 is tried again, honouring Retry-After
SELECT sim('faults', '{"path": "/v2/clock", "status": 503, "body": {"code": 50300000, "message": "busy"}, "headers": {"Retry-After": "0"}, "times": 2}') IS NOT NULL AS armed;
SELECT is_open IS NOT NULL AS answered_on_the_third_try FROM alpaca_clock();
SELECT endpoint, calls, errors, retries FROM alpaca_stat_endpoints WHERE endpoint = 'GET /v2/clock';
-- ... up to alpaca.max_retries
SET alpaca.max_retries = 1;
SELECT sim('faults', '{"path": "/v2/clock", "status": 429, "body": {"code": 42910000, "message": "slow down"}, "headers": {"Retry-After": "0"}, "times": 2}') IS NOT NULL AS armed;
SELECT sqlstate_of('SELECT alpaca_clock()');
RESET alpaca.max_retries;
-- ... with exponential backoff when Alpaca says nothing, within the statement's time
SELECT sim('faults', '{"path": "/v2/clock", "status": 502, "raw": "bad gateway", "times": 5}') IS NOT NULL AS armed;
SET statement_timeout = '2s';
CREATE TEMP TABLE t0 AS SELECT clock_timestamp() AS t;
SELECT sqlstate_of('SELECT alpaca_clock()');
SELECT clock_timestamp() - t BETWEEN interval '0.1 seconds' AND interval '2 seconds' AS backed_off_within_the_statement FROM t0;
RESET statement_timeout;
SELECT alpaca_request('DELETE', '/_sim/faults') IS NOT NULL AS cleared;
-- X-RateLimit-Remaining: 0 waits for X-RateLimit-Reset
SELECT sim('faults', jsonb_build_object('path', '/v2/clock', 'status', 429, 'body', '{"code": 42910000, "message": "slow down"}'::jsonb,
           'headers', jsonb_build_object('X-RateLimit-Remaining', '0', 'X-RateLimit-Reset', extract(epoch FROM now())::bigint + 1))) IS NOT NULL AS armed;
SELECT is_open IS NOT NULL AS answered_after_the_reset FROM alpaca_clock();
-- writes are not retried
SELECT sim('faults', '{"method": "POST", "path": "/v2/watchlists", "status": 503, "body": {"code": 50300000, "message": "busy"}, "headers": {"Retry-After": "0"}}') IS NOT NULL AS armed;
SELECT sqlstate_of($$SELECT alpaca_create_watchlist('not twice')$$);
SELECT calls, retries FROM alpaca_stat_endpoints WHERE endpoint = 'POST /v2/watchlists';

-- the budget: a call past it waits for the statement's remaining time, then fails with 53400
ALTER SYSTEM SET alpaca.requests_per_minute = 5;
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
SELECT requests_per_minute, used_last_minute >= 5 AS spent, left_now FROM alpaca_budget();
SET statement_timeout = '300ms';
SELECT sqlstate_of('SELECT alpaca_clock()');
RESET statement_timeout;
SELECT refused >= 1 AS refused FROM alpaca_budget();
ALTER SYSTEM RESET alpaca.requests_per_minute;
SELECT pg_reload_conf();
SELECT pg_sleep(0.5);
SELECT requests_per_minute, left_now > 0 AS room FROM alpaca_budget();
SELECT is_open IS NOT NULL AS answered FROM alpaca_clock();
-- statistics are readable only where granted
SELECT has_function_privilege('public', 'alpaca_budget()', 'EXECUTE') AS public_budget,
       has_table_privilege('public', 'alpaca_stat_endpoints', 'SELECT') AS public_stats;
