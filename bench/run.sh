#!/usr/bin/env bash
# The SQL side of scripts/bench, run inside its throwaway cluster.
# Environment: SIM_URL, ASSETS_FILE, BODY_MB, RAW_CLOCK_MS, TRANSFER_MS, JSONC_MS, JSONC_KB.
set -euo pipefail
psql -qX -c 'CREATE EXTENSION alpaca' >/dev/null
psql -qX -v assets_file="$ASSETS_FILE" -f "$(dirname "$0")/helpers.sql" >/dev/null
cols=$(psql -AtqX -c "SELECT string_agg(quote_ident(attname) || ' ' || format_type(atttypid, atttypmod), ', ' ORDER BY attnum)
                      FROM pg_attribute WHERE attrelid = 'alpaca_asset'::regclass AND attnum > 0")
# one figure in a fresh backend: median ms of n runs, and peak MB over that backend idle
measure() {
    psql -AtqX -F ' ' -v q="$1" -v n="$2" <<'SQL'
SELECT hwm_kb() AS idle \gset
SELECT bench_ms(:'q', :n), round((hwm_kb() - :idle) / 1024.0, 1);
SQL
}
ratio() { python3 -c "print('%.2f' % ($1 / $2))"; }
read -r clock_ms _ < <(measure "SELECT is_open FROM alpaca_clock()" 5000)
read -r hand_ms _ < <(measure "SELECT count(*) FROM alpaca_crypto_wallets()" 5000)
read -r declared_ms _ < <(measure "SELECT count(*) FROM alpaca_perp_wallets()" 5000)
read -r lexer_ms lexer_mb < <(measure "SELECT t::json IS NOT NULL FROM body" 9)
read -r assets_ms assets_mb < <(measure "SELECT count(*) FROM alpaca_assets()" 9)
read -r jtr_ms jtr_mb < <(measure "SELECT count(*) FROM body, jsonb_to_recordset(t::jsonb) AS x($cols)" 9)
rows=$(psql -AtqX -c "SELECT count(*) FROM alpaca_assets()")
# two state-changing calls (place, cancel) against the simulator, audit on and off
place_cancel="SELECT alpaca_cancel_order((alpaca_place_order('AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1)).id)"
read -r audit_on _ < <(PGOPTIONS="-c alpaca.base_url=$SIM_URL" measure "$place_cancel" 300)
read -r audit_off _ < <(PGOPTIONS="-c alpaca.base_url=$SIM_URL -c alpaca.audit=off" measure "$place_cancel" 300)
cat <<TABLE

One small call, one connection kept alive (static server on loopback)

| call | ms per call | vs raw libcurl |
| --- | ---: | ---: |
| raw libcurl GET /v2/clock | $RAW_CLOCK_MS | 1 |
| alpaca_clock() | $clock_ms | $(ratio "$clock_ms" "$RAW_CLOCK_MS")x |

The same one-wallet answer, written in C and declared (a table row and one entry point)

| function | ms per call | |
| --- | ---: | ---: |
| alpaca_crypto_wallets() (hand-written C) | $hand_ms | 1 |
| alpaca_perp_wallets() (declared) | $declared_ms | $(ratio "$declared_ms" "$hand_ms")x |

The audit trail (place + cancel a limit order against the simulator: two state-changing calls)

| | ms per place + cancel | |
| --- | ---: | ---: |
| alpaca.audit = off | $audit_off | |
| alpaca.audit = on (each intent durable before its request leaves) | $audit_on | $(python3 -c "print('%.2f ms more per state-changing call' % (($audit_on - $audit_off) / 2))") |

The $rows-asset list ($BODY_MB MB body)

| step | ms (median) | peak MB over idle | |
| --- | ---: | ---: | --- |
| transfer alone (libcurl) | $TRANSFER_MS | | |
| json-c tree parse (1.0's way) | $JSONC_MS | $(python3 -c "print('%.1f' % ($JSONC_KB / 1024))") | |
| PostgreSQL JSON lexer alone (body::json) | $lexer_ms | $lexer_mb | |
| alpaca_assets(): transfer, parse, rows | $assets_ms | $assets_mb | $(ratio "$assets_mb" "$BODY_MB")x the body |
| jsonb_to_recordset(body::jsonb), same columns | $jtr_ms | $jtr_mb | alpaca_assets() $(ratio "$jtr_ms" "$assets_ms")x faster |
TABLE
