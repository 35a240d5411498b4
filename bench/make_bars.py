#!/usr/bin/env python3
"""Write pages of Alpaca's GET /v2/stocks/bars answer (market-data-api.json,
stock_bars_resp) for scripts/bench: one-minute bars, PAGE_SIZE to a page
(Alpaca's largest limit), each page's next_page_token naming the file of the
next, the last page's null.

    make_bars.py DIR [PAGES]

DIR/all/: PAGES pages (100: 1,000,000 bars) of the symbols below, sorted by
symbol then time as Alpaca sends them; AAPL has 100,000 bars (the first 10
pages), the others share the rest, so later pages hold the end of one symbol
and the start of the next.  DIR/aapl/: AAPL's bars alone, the same 10 pages
with the last one ending the list.  The first page of each is first.json,
any other <its token>.json; a token is base64url, as Alpaca's base64 is,
without "=" so that it names a file as sent.
"""
import base64
import datetime
import os
import random
import sys

PAGE_SIZE = 10000
AAPL_BARS = 10 * PAGE_SIZE
OTHERS = ["AMZN", "GOOGL", "JPM", "META", "MSFT", "NVDA", "QQQ", "SPY", "TSLA"]
START = datetime.datetime(2024, 1, 2, 9, 0, tzinfo=datetime.timezone.utc)


def bars(symbol, count, seed):
    """count one-minute bars of symbol: a random walk, prices to the cent, vwap to 6 places."""
    rng = random.Random(seed)
    price = rng.randint(5000, 50000)
    t0 = int(START.timestamp())
    for i in range(count):
        o = price
        c = max(100, o + rng.randint(-40, 40))
        h = max(o, c) + rng.randint(0, 25)
        lo = min(o, c) - rng.randint(0, 25)
        v = rng.randint(100, 90000)
        n = max(1, v // rng.randint(20, 80))
        vw = rng.randint(lo * 10000, h * 10000)
        t = datetime.datetime.fromtimestamp(t0 + 60 * i, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        price = c
        # numbers as Alpaca writes its doubles: the shortest that reads back (302.6, not 302.60)
        yield symbol, t, ('{"t":"%s","o":%r,"h":%r,"l":%r,"c":%r,"v":%d,"n":%d,"vw":%r}'
                          % (t, o / 100, h / 100, lo / 100, c / 100, v, n, vw / 1e6))


def token(symbol, t):
    return base64.urlsafe_b64encode(("%s|M|%s" % (symbol, t.replace("Z", ".000000000Z"))).encode()).decode().rstrip("=")


def write_pages(out, rows, total):
    """rows: (symbol, t, json) in order; total: how many; pages of PAGE_SIZE."""
    os.makedirs(out, exist_ok=True)
    name = "first"
    page = []
    done = 0
    for row in rows:
        page.append(row)
        done += 1
        if len(page) == PAGE_SIZE or done == total:
            nxt = None
            if done < total:
                # Alpaca's token names where the next page starts; ours, the row after this page's last
                sym, t, _ = page[-1]
                nxt = token(sym, t)
            by = {}
            for sym, _, js in page:
                by.setdefault(sym, []).append(js)
            body = '{"bars":{%s},"next_page_token":%s}' % (
                ",".join('"%s":[%s]' % (s, ",".join(b)) for s, b in by.items()),
                '"%s"' % nxt if nxt else "null")
            with open(os.path.join(out, name + ".json"), "w") as f:
                f.write(body)
            name = nxt
            page = []
        if done == total:
            break


def main():
    out = sys.argv[1]
    pages = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    total = pages * PAGE_SIZE
    rest = total - AAPL_BARS
    if rest < 0:
        sys.exit("at least 10 pages")
    # uneven, so that pages straddle symbols
    weights = [1.05, 0.95, 1.1, 0.9, 1.0, 1.2, 0.8, 1.03, 0.97]
    share = [int(rest * w / sum(weights)) for w in weights]
    share[-1] += rest - sum(share)

    def everything():
        yield from bars("AAPL", AAPL_BARS, 0)
        for k, sym in enumerate(OTHERS):
            yield from bars(sym, share[k], k + 1)

    write_pages(os.path.join(out, "all"), everything(), total)
    write_pages(os.path.join(out, "aapl"), bars("AAPL", AAPL_BARS, 0), AAPL_BARS)


if __name__ == "__main__":
    main()
