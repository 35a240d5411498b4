#!/usr/bin/env bash
# The market data part of scripts/bench, run inside its throwaway cluster:
# 1,000,000 one-minute bars (100 pages of GET /v2/stocks/bars, 10,000 bars
# each, from nginx) into a logged table, three ways side by side:
#   (1) INSERT INTO ... SELECT FROM alpaca_stock_bars(...);
#   (2) the generic SQL way: alpaca_request() per page, a plpgsql loop
#       following next_page_token, jsonb_each + jsonb_to_recordset;
#   (3) Python: urllib + json + psycopg2's COPY FROM STDIN.
# Each run is a fresh backend and an empty table; rows/s is the median of
# BENCH_BARS_RUNS runs, the peak memory the largest.  Then (1) again over 10
# pages (AAPL alone), to show its memory does not grow with the pages.
# Environment: BARS_URL (nginx's base URL), BENCH_BARS_RUNS (default 3).
set -euo pipefail
here=$(dirname "$0")
runs=${BENCH_BARS_RUNS:-3}
psql -qX -c 'CREATE EXTENSION alpaca' >/dev/null
psql -qX -f "$here/bars.sql" >/dev/null

symbols=(AAPL AMZN GOOGL JPM META MSFT NVDA QQQ SPY TSLA)
start=2024-01-02T09:00:00Z
end=2024-04-01T00:00:00Z
sql_array() { local out='' s; for s; do out+="${out:+, }'$s'"; done; echo "ARRAY[$out]"; }
ext_load() { # SYMBOL...: loader (1)
    echo "INSERT INTO bars_load SELECT * FROM alpaca_stock_bars($(sql_array "$@"), '1Min', start => '$start', \"end\" => '$end', page_limit => 10000)"
}
query_string() { local IFS=,; echo "symbols=$*&timeframe=1Min&start=$start&end=$end&limit=10000"; }

# one load in a fresh backend: "seconds rows peak_mb"
load_sql() {
    psql -AtqX -F ' ' -v q="$1" <<'SQL'
TRUNCATE bars_load;
SELECT idle_kb() AS idle \gset
SELECT clock_timestamp() AS t0 \gset
:q \g /dev/null
SELECT round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 3),
       (SELECT count(*) FROM bars_load), round((hwm_kb() - :idle) / 1024.0, 1);
SQL
}
# Debian's Python, whose psycopg2 scripts/bench installs (not another python3 on PATH)
load_python() {
    /usr/bin/python3 "$here/bars_loader.py" "$BARS_URL/v2/stocks/bars?$(query_string "${symbols[@]}")" bars_load
}
# what the table holds, every row as text (numeric's digits as kept), to see
# that every loader loaded the same rows
digest() {
    psql -AtqX -c "SELECT md5(string_agg(b::text, E'\n' ORDER BY symbol, timestamp)) FROM bars_load b"
}
median() { python3 -c 'import statistics, sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
max() { python3 -c 'import sys; print(max(float(x) for x in sys.argv[1:]))' "$@"; }

declare -A rate peak own sums
run_loader() { # NAME EXPECTED_ROWS COMMAND...: sets rate[NAME], peak[NAME], own[NAME], sums[NAME]
    local name=$1 expect=$2 rates=() peaks=() owns=() secs rows mb py
    shift 2
    for _ in $(seq "$runs"); do
        # each load from the same start: no dirty buffers, WAL segments to recycle
        psql -qX -c 'TRUNCATE bars_load' -c CHECKPOINT
        read -r secs rows mb py < <("$@")
        if [ "$rows" != "$expect" ]; then
            echo "loader $name loaded $rows rows, not $expect" >&2
            exit 1
        fi
        rates+=("$(python3 -c "print(round($rows / $secs))")")
        peaks+=("$mb")
        owns+=("${py:-0}")
    done
    rate[$name]=$(median "${rates[@]}")
    peak[$name]=$(max "${peaks[@]}")
    own[$name]=$(max "${owns[@]}")
    sums[$name]=$(digest)
}
run_loader ext 1000000 load_sql "$(ext_load "${symbols[@]}")"
run_loader generic 1000000 load_sql "SELECT bars_generic('$(query_string "${symbols[@]}")')"
run_loader python 1000000 load_python
run_loader ext10 100000 load_sql "$(ext_load AAPL)"

fmt() { python3 -c "print(format(round($1), ','))"; }
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
same=$([ "${sums[ext]}" = "${sums[generic]}" ] && [ "${sums[ext]}" = "${sums[python]}" ] && echo yes || echo NO)
r_generic=$(ratio "${rate[ext]}" "${rate[generic]}")
r_python=$(ratio "${rate[ext]}" "${rate[python]}")
goal() { python3 -c "print('met' if $1 else 'NOT met')"; }
cat <<TABLE

1,000,000 one-minute bars: 100 pages of GET /v2/stocks/bars (10,000 bars each, $(du -sm "$BARS_DIR/all" | cut -f1) MB of JSON, nginx on loopback) into a logged table; median of $runs runs, fresh backend each; the same rows each way: $same

| loader | rows/s | peak MB over idle (backend) | alpaca_stock_bars() |
| --- | ---: | ---: | ---: |
| (1) INSERT ... SELECT FROM alpaca_stock_bars(...) | $(fmt "${rate[ext]}") | ${peak[ext]} | 1 |
| (2) alpaca_request() per page + jsonb_each/jsonb_to_recordset (plpgsql) | $(fmt "${rate[generic]}") | ${peak[generic]} | ${r_generic}x faster |
| (3) Python: urllib + json + psycopg2 COPY FROM STDIN | $(fmt "${rate[python]}") | ${peak[python]} (and ${own[python]} MB in Python) | ${r_python}x faster |

alpaca_stock_bars() over 10 pages (AAPL alone): $(fmt "${rate[ext10]}") rows/s, peak ${peak[ext10]} MB; over 100 pages: ${peak[ext]} MB

Goals of (1):
- at least 3x the generic SQL way: ${r_generic}x, $(goal "$r_generic >= 3")
- at least 500,000 rows/s: $(fmt "${rate[ext]}"), $(goal "${rate[ext]} >= 500000")
- peak memory flat from 10 to 100 pages (at most 10% + 1 MB more): ${peak[ext10]} -> ${peak[ext]} MB, $(goal "${peak[ext]} <= ${peak[ext10]} * 1.1 + 1")
TABLE
