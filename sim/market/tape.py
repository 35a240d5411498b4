"""The tape: trades, quotes and bars, made from the price walk, the same every time.

An instrument is a symbol the tape can print: a stock, a crypto pair, an
option contract, a currency's rate, an index.  It trades in its minutes:
stocks and options in the NYSE's core sessions (early closes kept), crypto
around the clock, currencies from Sunday 17:00 to Friday 17:00 New York
time.  In each of those minutes every trade prints at the minute's price
(the first at the minute's very start, so the latest trade always shows
the price the simulator fills at); a block of 30 minutes has a volume and
a trade count of its own (from a hash), shared out among its minutes and
trades, so a day's volume is known without its minutes and agrees with
them.  Options trade sparsely: some minutes have no trade.

Bars aggregate the trades of their minutes: open and close from the first
and last traded minute, high and low from the walk (exact: a block's high
and low are known), volume and count summed.  The volume-weighted price is
exact over partial blocks and taken as the mean of open, high, low and
close over whole ones.
"""

import datetime as dt
import hashlib
import random
from collections import OrderedDict
from decimal import Decimal

from market.calendar import Calendar
from market.walk import BLOCK
from values import NY, UTC, stable_hash

MINUTE_NS = 60 * 10 ** 9

STOCK_EXCHANGES = "VPQNKZ"
OPTION_EXCHANGES = "ABCHIMNPQWXZ"
TAPES = {"NASDAQ": "C", "NYSE": "A", "ARCA": "B", "AMEX": "B", "BATS": "B", "NYSEARCA": "B", "OTC": "O"}


class Instrument:
    """A symbol as the tape sees it.  kind: stock, crypto, option, forex, index."""

    def __init__(self, market, kind, symbol, asset, base=None, contract=None, underlying=None):
        self.market, self.kind, self.symbol, self.asset = market, kind, symbol, asset
        self.base, self.contract, self.underlying = base, contract, underlying
        self.key = (market.seed, "tape", symbol)
        self.kbytes = repr(self.key).encode()

    # ---------------------------------------------------------- prices
    def price(self, k):
        """The price at epoch minute k."""
        m = self.market
        if self.kind == "option":
            u = m.walk.price_minute(self.underlying, m.base_price(self.underlying), k)
            t = dt.datetime.fromtimestamp(k * 60, UTC)
            return m.option_price_of(self.contract, u, t)
        return m.walk.price_minute(self.asset, self.base, k)

    def span(self, k1, k2):
        """(open, high, low, close) over the traded minutes of [k1, k2), or None."""
        if self.kind == "option":
            got = None
            for k in range(k1, k2):
                if self.open_at(k) and self.market.tape.minute_counts(self, k)[0]:
                    p = self.price(k)
                    got = [p, p, p, p] if got is None else [got[0], max(got[1], p), min(got[2], p), p]
            return tuple(got) if got else None
        return self.market.walk.span(self.asset, self.base, k1, k2)

    # ------------------------------------------------- when it trades
    def open_at(self, k):
        kind = self.kind
        if kind == "crypto":
            return True
        if kind == "forex":
            t = dt.datetime.fromtimestamp(k * 60, UTC).astimezone(NY)
            wd, h = t.weekday(), t.hour
            return not (wd == 5 or (wd == 4 and h >= 17) or (wd == 6 and h < 17))
        if not Calendar.session_of_minute(k):
            return False
        if kind == "option":
            exp = dt.date.fromisoformat(self.contract["expiration_date"])
            return dt.datetime.fromtimestamp(k * 60, UTC).astimezone(NY).date() <= exp
        return True

    def open_ranges(self, k1, k2):
        """The minute ranges [a, b) within [k1, k2) in which the instrument trades."""
        if self.kind == "crypto":
            return [(k1, k2)] if k1 < k2 else []
        out = []
        day = dt.datetime.fromtimestamp(k1 * 60, UTC).astimezone(NY).date()
        last = dt.datetime.fromtimestamp(max(k1, k2 - 1) * 60, UTC).astimezone(NY).date()
        while day <= last:
            for a, b in self.day_ranges(day):
                a, b = max(a, k1), min(b, k2)
                if a < b:
                    out.append((a, b))
            day += dt.timedelta(days=1)
        return out

    def day_ranges(self, day):
        """The minutes the instrument trades on New York day `day`."""
        if self.kind == "forex":
            start = int(dt.datetime.combine(day, dt.time(), NY).timestamp()) // 60
            end = int(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), NY).timestamp()) // 60
            wd = day.weekday()
            if wd == 5:
                return []
            if wd == 4:
                return [(start, int(dt.datetime.combine(day, dt.time(17), NY).timestamp()) // 60)]
            if wd == 6:
                return [(int(dt.datetime.combine(day, dt.time(17), NY).timestamp()) // 60, end)]
            return [(start, end)]
        if self.kind == "crypto":
            start = int(dt.datetime.combine(day, dt.time(), NY).timestamp()) // 60
            end = int(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), NY).timestamp()) // 60
            return [(start, end)]
        if self.kind == "option" and day > dt.date.fromisoformat(self.contract["expiration_date"]):
            return []
        span = Calendar.session_minutes(day)
        return [span] if span else []

    # ------------------------------------------------------ its units
    @property
    def unit(self):
        """The size of one volume unit: 0.0001 of a coin for crypto, one share or contract otherwise."""
        return Decimal("0.0001") if self.kind == "crypto" else Decimal(1)

    def base_volume(self):
        """Volume units a minute, about."""
        h = stable_hash(self.market.seed, "vol", self.symbol)
        if self.kind == "option":
            return 3
        if self.kind == "crypto":
            return {"BTC/USD": 25000, "ETH/USD": 300000}.get(self.symbol, 2000 + h % 200000)
        return {"AAPL": 40000, "MSFT": 25000, "TSLA": 60000, "SPY": 80000, "GME": 8000,
                "KKR": 3000}.get(self.symbol, 500 + h % 20000)


class Tape:
    """Trades, quotes and volumes of instruments, minute by minute."""

    def __init__(self, market):
        self.market = market
        self._details = OrderedDict()

    # ----------------------------------------------------------- volume
    def block_counts(self, inst, b):
        """(volume units, trades) of block b (whether or not it trades: the caller asks for open ones)."""
        h = hashlib.blake2b(inst.kbytes + b"v%d" % b, digest_size=16).digest()
        r1 = int.from_bytes(h[:8], "big")
        r2 = int.from_bytes(h[8:], "big")
        if inst.kind == "option":
            n = r1 % 40
            return (n * (1 + r2 % 10) if n else 0), n
        n = BLOCK + r1 % (2 * BLOCK)
        v = max(n, inst.base_volume() * BLOCK * (50 + r2 % 100) // 100)
        return v, n

    def detail(self, inst, b):
        """Per minute of block b: (trades, volume, sizes, offsets in ns, quotes, quote offsets, quote sizes)."""
        key = (inst.symbol, b)
        got = self._details.get(key)
        if got is not None:
            return got
        v, n = self.block_counts(inst, b)
        rng = random.Random(stable_hash(inst.key, "d", b))
        base = 0 if inst.kind == "option" else 1
        rnd = rng.random
        counts = [base] * BLOCK
        for _ in range(n - base * BLOCK):
            counts[int(rnd() * BLOCK)] += 1
        # every trade at least one unit, the rest shared by weight
        weights = [rng.random() + 0.05 for _ in range(n)]
        total = sum(weights)
        rest = v - n
        sizes = [1 + int(rest * w / total) for w in weights]
        if sizes:
            sizes[-1] += v - sum(sizes)
        out, j = [], 0
        for m in range(BLOCK):
            c = counts[m]
            mine = sizes[j:j + c]
            j += c
            offs = [0] + sorted(1 + int(rnd() * (MINUTE_NS - 1)) for _ in range(c - 1)) if c else []
            q = 1 + int(rnd() * 3)
            qoffs = [0] + sorted(1 + int(rnd() * (MINUTE_NS - 1)) for _ in range(q - 1))
            qsizes = [(1 + int(rnd() * 9), 1 + int(rnd() * 9)) for _ in range(q)]
            out.append((c, sum(mine), mine, offs, q, qoffs, qsizes))
        self._details[key] = out
        if len(self._details) > 4096:
            self._details.popitem(last=False)
        return out

    def minute_counts(self, inst, k):
        """(trades, volume units) of minute k."""
        b, m = divmod(k, BLOCK)
        d = self.detail(inst, b)[m]
        return d[0], d[1]

    def volume(self, inst, k1, k2):
        """(volume units, trades) over the traded minutes of [k1, k2)."""
        v = n = 0
        for a, e in inst.open_ranges(k1, k2):
            k = a
            while k < e:
                b, m = divmod(k, BLOCK)
                if m == 0 and k + BLOCK <= e:
                    bv, bn = self.block_counts(inst, b)
                    v, n = v + bv, n + bn
                    k += BLOCK
                    continue
                end = min(e, (b + 1) * BLOCK)
                for d in self.detail(inst, b)[m:end - b * BLOCK]:
                    n, v = n + d[0], v + d[1]
                k = end
        return v, n

    # ----------------------------------------------------------- trades
    def trades(self, inst, k, force=False):
        """The trades of minute k: (ns, id, price, size units, exchange), in time order.
        force: print the minute even outside the instrument's hours (the market pinned open)."""
        if not force and not inst.open_at(k):
            return []
        b, m = divmod(k, BLOCK)
        c, _, sizes, offs, _, _, _ = self.detail(inst, b)[m]
        if not c and force:       # the market pinned open prints every minute
            c, sizes, offs = 1, [1], [0]
        if not c:
            return []
        p = inst.price(k)
        exch = OPTION_EXCHANGES if inst.kind == "option" else STOCK_EXCHANGES
        out = []
        for j in range(c):
            out.append((k * MINUTE_NS + offs[j], k * 128 + j, p, sizes[j],
                        exch[(k + j) % len(exch)]))
        return out

    def quotes(self, inst, k, force=False):
        """The quotes of minute k: (ns, seq, bid, bid size, ask, ask size, bid exchange, ask exchange)."""
        if not force and not inst.open_at(k):
            return []
        b, m = divmod(k, BLOCK)
        _, _, _, _, q, qoffs, qsizes = self.detail(inst, b)[m]
        p = inst.price(k)
        bid, ask = self.market.spread(inst, p)
        exch = OPTION_EXCHANGES if inst.kind == "option" else STOCK_EXCHANGES
        out = []
        for j in range(q):
            bs, as_ = qsizes[j]
            out.append((k * MINUTE_NS + qoffs[j], j, bid, bs, ask, as_, exch[(k + 2 * j) % len(exch)],
                        exch[(k + 2 * j + 1) % len(exch)]))
        return out

    # ------------------------------------------------------------- bars
    def bar(self, inst, k1, k2, ranges=None):
        """The bar of minutes [k1, k2): (o, h, l, c, volume units, trades, vwap) or None.
        ranges: the minutes of [k1, k2) the instrument trades in, when the caller knows them."""
        if ranges is None:
            ranges = inst.open_ranges(k1, k2)
        if not ranges:
            return None
        if len(ranges) == 1 and ranges[0][1] - ranges[0][0] == 1 and inst.kind != "option":
            k = ranges[0][0]             # one minute: every trade at its price
            d = self.detail(inst, k // BLOCK)[k % BLOCK]
            if not d[0]:
                return None
            p = inst.price(k)
            return p, p, p, p, d[1], d[0], p
        o = h = lo = c = None
        num = Decimal(0)
        v_total = n_total = 0
        for a, e in ranges:
            got = inst.span(a, e)
            if got is None:
                continue
            so, sh, sl, sc = got
            o = so if o is None else o
            h = sh if h is None else max(h, sh)
            lo = sl if lo is None else min(lo, sl)
            c = sc
            k = a
            while k < e:
                b, m = divmod(k, BLOCK)
                if m == 0 and k + BLOCK <= e and inst.kind != "option":
                    bv, bn = self.block_counts(inst, b)
                    if bv:
                        num += self.market.walk.typical(inst.asset, inst.base, b) * bv
                    v_total, n_total = v_total + bv, n_total + bn
                    k += BLOCK
                    continue
                end = min(e, (b + 1) * BLOCK)
                for i, d in enumerate(self.detail(inst, b)[m:end - b * BLOCK]):
                    if d[0]:
                        num += inst.price(k + i) * d[1]
                        v_total, n_total = v_total + d[1], n_total + d[0]
                k = end
        if o is None or not n_total:
            return None
        vw = num / v_total
        vw = min(h, max(lo, vw))
        return o, h, lo, c, v_total, n_total, vw
