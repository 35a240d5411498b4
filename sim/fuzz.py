#!/usr/bin/env python3
"""Write a psql script that feeds mutated Alpaca answers to every row function.

Real answers come from the simulator itself (its Sim class, in process);
each case mutates one of them (bytes flipped, cut, spliced with hostile
tokens, values swapped for other types, keys doubled, nesting deepened),
arms it as the next answer of the running simulator, and calls the SQL
function that reads that endpoint.  Whatever comes back, rows or an error,
is recorded by SQLSTATE; a backend crash ends the script (psql loses its
connection), and XX000 (an internal error) counts as a failure.

    python3 sim/fuzz.py --count 400 --seed 1 > fuzz.sql
    psql -X -q -v ON_ERROR_STOP=1 -f fuzz.sql
"""

import argparse
import base64
import copy
import json
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import alpaca_sim  # noqa: E402

# endpoint (a regular expression for the simulator's fault), the call that reads it
TARGETS = [
    ("/v2/account", "SELECT * FROM alpaca_account()"),
    ("/v2/account/configurations", "SELECT * FROM alpaca_account_configurations()"),
    ("/v2/clock", "SELECT * FROM alpaca_clock()"),
    ("/v2/calendar", "SELECT * FROM alpaca_calendar()"),
    ("/v2/assets", "SELECT * FROM alpaca_assets()"),
    ("/v2/assets/AAPL", "SELECT * FROM alpaca_asset('AAPL')"),
    ("/v2/orders", "SELECT * FROM alpaca_orders(status => 'all')"),
    ("/v2/positions", "SELECT * FROM alpaca_positions()"),
    ("/v2/watchlists", "SELECT * FROM alpaca_watchlists()"),
    ("/v2/account/activities", "SELECT * FROM alpaca_activities(page_size => 100)"),
    ("/v2/account/portfolio/history", "SELECT * FROM alpaca_portfolio_history()"),
    ("/v2/options/contracts", "SELECT * FROM alpaca_option_contracts()"),
    ("/v2/wallets", "SELECT * FROM alpaca_crypto_wallets()"),
    ("/v2/clock", "SELECT alpaca_request('GET', '/v2/clock')"),
    # declared operations (src/declared.c)
    ("/v3/clock", "SELECT * FROM alpaca_market_clocks()"),
    ("/v3/calendar/NYSE", "SELECT * FROM alpaca_market_calendar('NYSE')"),
    ("/v1/locates", "SELECT * FROM alpaca_locates()"),
    ("/v2/assets/fixed_income/us_corporates", "SELECT * FROM alpaca_us_corporates()"),
    ("/v2/perpetuals/wallets/transfers", "SELECT * FROM alpaca_perp_transfers()"),
]

HOSTILE = [b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b"NaN", b"Infinity", b"1e999999",
           b"-", b"\\u0000", b"\\ud800", b"\xff", b"\xc0\xaf", b"\x00", b"null", b"true", b'"x"',
           b"9" * 400, b"[" * 300, b'{"a":' * 100, b"/* c */", b"'", b"01", b"\t\n ", b'"\\uDBFF\\uDFFF"']


def real_answers():
    """One real answer per target, from a simulator with some history."""
    sim = alpaca_sim.Sim("PKFUZZ", "fuzz-secret")
    sim.config["now"] = "2026-11-25T15:00:00Z"
    for sym, qty in (("AAPL", "3"), ("MSFT", "2"), ("BTC/USD", "0.5")):
        sim.handle("POST", "/v2/orders", {}, {"symbol": sym, "qty": qty, "side": "buy", "type": "market",
                                               "time_in_force": "gtc" if "/" in sym else "day"})
    sim.handle("POST", "/v2/orders", {}, {"symbol": "AAPL", "qty": "1", "side": "buy", "type": "limit",
                                           "limit_price": "100", "time_in_force": "day", "order_class": "bracket",
                                           "take_profit": {"limit_price": "200"}, "stop_loss": {"stop_price": "90"}})
    sim.handle("POST", "/v2/watchlists", {}, {"name": "fuzz", "symbols": ["AAPL", "MSFT"]})
    sim.handle("POST", "/v1/locates", {}, {"symbol": "KKR", "qty": 200})
    out = {}
    for path, _ in TARGETS:
        query = {"status": "all"} if path == "/v2/orders" else {}
        out[path] = json.dumps(sim.handle("GET", path, query, None)).encode()
    return out


def random_value(rng):
    return rng.choice([None, True, False, 0, -1, 1e308, 10 ** 40, "", "x" * 300, "NaN", "now", "infinity",
                       "2026-13-45T99:99:99Z", "not-a-uuid", [], [1, [2]], {}, {"a": {"b": []}}, "\u00e9\u20ac",
                       "1e5", "-0", 9223372036854775807, "9223372036854775808"])


def mutate_structure(doc, rng):
    """Swap one value somewhere in the document for another kind of value."""
    nodes = []

    def walk(v):
        if isinstance(v, dict):
            for k in v:
                nodes.append((v, k))
                walk(v[k])
        elif isinstance(v, list):
            for i in range(len(v)):
                nodes.append((v, i))
                walk(v[i])
    walk(doc)
    if not nodes:
        return random_value(rng)
    parent, key = rng.choice(nodes)
    parent[key] = random_value(rng)
    return doc


def mutate(body, rng):
    kind = rng.randrange(7)
    b = bytearray(body)
    if kind == 0 and b:                       # flip bytes
        for _ in range(rng.randint(1, 4)):
            b[rng.randrange(len(b))] = rng.randrange(256)
        return bytes(b)
    if kind == 1:                             # cut short
        return bytes(b[:rng.randrange(len(b) + 1)])
    if kind == 2:                             # splice in a hostile token
        i = rng.randrange(len(b) + 1)
        return bytes(b[:i]) + rng.choice(HOSTILE) + bytes(b[i:])
    if kind == 3 and b:                       # delete a span
        i = rng.randrange(len(b))
        return bytes(b[:i] + b[i + rng.randint(1, 40):])
    try:
        doc = json.loads(body)
    except ValueError:                        # already broken: break it further
        return bytes(b[:len(b) // 2]) + rng.choice(HOSTILE) + bytes(b[len(b) // 2:])
    if kind == 4:                             # another kind of value somewhere
        return json.dumps(mutate_structure(doc, rng)).encode()
    if kind == 5:                             # a key twice
        text = json.dumps(doc)
        i = text.find('{"')
        if i >= 0:
            j = text.find(",", i)
            if j > 0:
                return (text[:j] + "," + text[i + 1:j] + text[j:]).encode()
        return text.encode()
    return json.dumps([doc] if rng.random() < 0.5 else {"data": doc}).encode()   # wrong shape


def sql_literal(s):
    return "'" + s.replace("'", "''") + "'"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=400)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    answers = real_answers()
    print("\\set ON_ERROR_STOP 1")
    print("SET client_min_messages = warning;")
    print("SET statement_timeout = '20s';")
    print("SET alpaca.max_retries = 0;")
    print("CREATE TEMP TABLE fuzz_result (n int, target text, sqlstate text, message text);")
    print("""CREATE FUNCTION pg_temp.fuzz_one(n int, path text, b64 text, q text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE st text; msg text;
BEGIN
    PERFORM alpaca_request('DELETE', '/_sim/faults');
    PERFORM alpaca_request('POST', '/_sim/faults', jsonb_build_object('path', path, 'raw_b64', b64));
    BEGIN
        EXECUTE q;
        st := '00000';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE, msg = MESSAGE_TEXT;
    END;
    INSERT INTO fuzz_result VALUES (n, q, st, msg);
END $$;""")
    for n in range(args.count):
        path, q = TARGETS[rng.randrange(len(TARGETS))]
        body = answers[path]
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            body = mutate(body, rng)
        print("SELECT pg_temp.fuzz_one(%d, %s, %s, %s);" % (
            n, sql_literal("^" + path.replace("/", "/") + "$"), sql_literal(base64.b64encode(body).decode()),
            sql_literal(q)))
    print("SELECT alpaca_request('DELETE', '/_sim/faults') IS NOT NULL AS cleared;")
    print("\\pset format unaligned")
    print("\\pset tuples_only on")
    print("SELECT 'fuzz: ' || count(*) || ' bodies; by SQLSTATE: ' || "
          "(SELECT string_agg(sqlstate || ' ' || c, ', ' ORDER BY sqlstate) FROM "
          "(SELECT sqlstate, count(*) AS c FROM fuzz_result GROUP BY 1) s) FROM fuzz_result;")
    print("SELECT 'internal error: ' || n || ' ' || target || ': ' || message FROM fuzz_result WHERE sqlstate = 'XX000';")
    print("SELECT 'internal errors: ' || count(*) FROM fuzz_result WHERE sqlstate = 'XX000';")


if __name__ == "__main__":
    main()
