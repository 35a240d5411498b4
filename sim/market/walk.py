"""The price walk: every symbol's price at every minute, past and future.

A symbol's path is a list of segments.  The first reaches from the start of
time to the end and is anchored at its base price on the minute the
simulator first saw the symbol; each pin (POST /_sim/prices) starts a new
segment at its minute, anchored at the pinned price.  Within a segment the
log price is a seeded random walk, built so that any minute can be read
without walking there step by step:

- a day (a "chunk" of 1440 minutes, UTC) holds 48 blocks of 30 minutes; the
  block starts walk by Gaussian steps, and each block has a high and a low
  beyond its ends, reached at two of its minutes;
- the minutes of a block run through its start, high, low (in an order of
  its own) and end, with a little noise that never leaves the high and low.

So the high and low of any whole block are known without its minutes, which
keeps daily bars over years cheap, and the minutes are made only when asked
for.  Prices tick on their symbol's grid (cents from a dollar for stocks,
the asset's increment for crypto).  With the walk off ("walk": false, the
tests' --static-prices) each segment is flat at its anchor price.
"""

import hashlib
import math
import random
from collections import OrderedDict
from decimal import Decimal

from values import stable_hash

BLOCK = 30                      # minutes in a block
BLOCKS = 48                     # blocks in a chunk
CHUNK = BLOCK * BLOCKS          # minutes in a chunk (a UTC day)

# volatility per minute (about 30 % a year for stocks, 60 % for crypto)
SIGMA = {"us_equity": 0.0009, "crypto": 0.0012, "forex": 0.00012, "index": 0.0006, "vix": 0.003,
         "fixed_income": 0.00002}


class _Lru(OrderedDict):
    def __init__(self, size):
        super().__init__()
        self.size = size

    def put(self, k, v):
        self[k] = v
        if len(self) > self.size:
            self.popitem(last=False)
        return v


class Field:
    """One segment's log-price walk, readable at any minute; 0 at the anchor."""

    def __init__(self, key, sigma, anchor):
        self.key = key
        self.sigma = sigma
        self.step = sigma * math.sqrt(BLOCK)      # one block's standard deviation
        self.anchor = anchor
        self.c0 = anchor // CHUNK
        self.levels = {self.c0: 0.0}              # chunk -> level at its start (relative to chunk c0)
        self.chunks = _Lru(4096)
        self.totals = {}
        self.blocks = _Lru(2048)
        self.params = _Lru(8192)
        self._origin = None
        self.kbytes = repr(key).encode() + b":"

    # the 48 block steps of a chunk come first from its generator, so a
    # chunk's total is known from them alone
    def _rng(self, *parts):
        return random.Random(stable_hash(self.key, *parts))

    def _total(self, c):
        t = self.totals.get(c)
        if t is None:
            t = self.totals[c] = self.chunk(c)[-1]
        return t

    def level(self, c):
        """The walk at the start of chunk c, relative to the start of chunk c0."""
        lv = self.levels
        if c in lv:
            return lv[c]
        if c > self.c0:
            j = c - 1 if c - 1 in lv else max(x for x in lv if x < c)
            v = lv[j]
            while j < c:
                v += self._total(j)
                j += 1
                lv[j] = v
        else:
            j = c + 1 if c + 1 in lv else min(x for x in lv if x > c)
            v = lv[j]
            while j > c:
                j -= 1
                v -= self._total(j)
                lv[j] = v
        return lv[c]

    def chunk(self, c):
        """The walk at the start of each of the chunk's blocks (and its end), from the chunk's start."""
        data = self.chunks.get(c)
        if data is not None:
            return data
        rng = self._rng("c", c)
        step = self.step
        starts = [0.0]
        for _ in range(BLOCKS):
            starts.append(starts[-1] + rng.gauss(0.0, step))
        return self.chunks.put(c, starts)

    def block(self, b):
        """(start, end, low, high, first minute, second minute, high first?) of block b, from its chunk's start."""
        got = self.params.get(b)
        if got is not None:
            return got
        starts = self.chunk(b // BLOCKS)
        i = b % BLOCKS
        u, v = starts[i], starts[i + 1]
        h = hashlib.blake2b(self.kbytes + b"p%d" % b, digest_size=32).digest()
        r = [int.from_bytes(h[j:j + 8], "big") / 18446744073709551616.0 for j in (0, 8, 16, 24)]
        # beyond the ends by an exponential amount (mean 0.4 of a block's step)
        hi = max(u, v) - math.log(1.0 - r[0]) * self.step * 0.4
        lo = min(u, v) + math.log(1.0 - r[1]) * self.step * 0.4
        x = int(r[2] * (BLOCK - 1) * (BLOCK - 2))
        ma, mb = 1 + x // (BLOCK - 2), 1 + x % (BLOCK - 2)
        if mb >= ma:
            mb += 1
        ma, mb = min(ma, mb), max(ma, mb)
        return self.params.put(b, (u, v, lo, hi, ma, mb, r[3] < 0.5))

    def minute(self, b, m):
        """The walk at minute m of block b, from its chunk's start."""
        u, v, lo, hi, ma, mb, hifirst = self.block(b)
        ea, eb = (hi, lo) if hifirst else (lo, hi)
        if m <= ma:
            x = u + (ea - u) * m / ma
        elif m <= mb:
            x = ea + (eb - ea) * (m - ma) / (mb - ma)
        else:
            x = eb + (v - eb) * (m - mb) / (BLOCK - mb)
        if m in (0, ma, mb):
            return x
        # a little noise, from the minute's own hash, that stays inside the block's range
        h = hashlib.blake2b(self.kbytes + b"%d" % (b * BLOCK + m), digest_size=8).digest()
        r = int.from_bytes(h, "big") / 18446744073709551616.0
        return min(hi, max(lo, x + (2.0 * r - 1.0) * self.sigma * 0.5))

    def minutes(self, b):
        """The walk at each of the block's 30 minutes, from its chunk's start."""
        got = self.blocks.get(b)
        if got is not None:
            return got
        return self.blocks.put(b, [self.minute(b, m) for m in range(BLOCK)])

    def origin(self):
        if self._origin is None:
            self._origin = self.raw(self.anchor)
        return self._origin

    def raw(self, k):
        c = k // CHUNK
        b, m = divmod(k, BLOCK)
        if m == 0:
            return self.level(c) + self.chunk(c)[b % BLOCKS]
        got = self.blocks.get(b)
        return self.level(c) + (got[m] if got is not None else self.minute(b, m))

    def at(self, k):
        """The walk at minute k: 0 at the anchor."""
        return self.raw(k) - self.origin()

    def typical(self, b):
        """The mean of a whole block's start, end, low and high (a stand-in for its average price)."""
        u, v, lo, hi = self.block(b)[:4]
        return self.level(b // BLOCKS) - self.origin() + (u + v + lo + hi) / 4

    def extremes(self, k1, k2):
        """(low, high) of the walk over minutes [k1, k2)."""
        lo, hi = math.inf, -math.inf
        k = k1
        base = self.origin()
        while k < k2:
            b, m = divmod(k, BLOCK)
            lv = self.level(b // BLOCKS) - base
            if m == 0 and k + BLOCK <= k2:
                p = self.block(b)
                lo = min(lo, p[2] + lv)
                hi = max(hi, p[3] + lv)
                k += BLOCK
                continue
            end = min(k2, (b + 1) * BLOCK)
            vals = self.minutes(b)[m:end - b * BLOCK]
            lo = min(lo, min(vals) + lv)
            hi = max(hi, max(vals) + lv)
            k = end
        return lo, hi


class PriceWalk:
    """Every symbol's path of segments (see the module's description)."""

    def __init__(self, seed, clock, config):
        self.seed, self.clock, self.config = seed, clock, config
        self.paths = {}          # symbol -> [segment]; a segment is {"k0", "p0", "anchor", "key"}
        self._fields = {}

    @staticmethod
    def tick(asset, px):
        """A price on the symbol's grid: cents for stocks from a dollar, the asset's increment for crypto."""
        if asset["class"] == "crypto":
            inc = Decimal(asset.get("price_increment", "0.0001"))
            return max(inc, (px / inc).to_integral_value() * inc)
        if asset["class"] in ("forex", "fixed_income"):
            return px.quantize(Decimal("0.000001"))
        q = Decimal("0.01") if px >= 1 else Decimal("0.0001")
        return max(q, px.quantize(q))

    def path(self, asset, base):
        sym = asset["symbol"]
        if sym not in self.paths:
            # the first segment reaches over all of time, anchored where the
            # simulator first saw the symbol; its shape depends on the seed
            # and the symbol alone
            k = int(self.clock.now().timestamp()) // 60
            self.paths[sym] = [{"k0": None, "p0": Decimal(base), "anchor": k, "key": (self.seed, sym),
                                "cls": asset["class"]}]
        return self.paths[sym]

    def pin(self, asset, base, px):
        """Set a price now; the walk goes on from there (tests freeze now or turn it off)."""
        segs = self.path(asset, base)
        k = int(self.clock.now().timestamp()) // 60
        px = Decimal(px)
        segs[:] = [x for x in segs if x["k0"] is None or x["k0"] < k] + \
            [{"k0": k, "p0": px, "anchor": k, "key": (self.seed, asset["symbol"], k, str(px)), "cls": asset["class"]}]

    def last_pin(self, symbol, k):
        """The minute of the latest pin at or before minute k, or None."""
        return max((x["k0"] for x in self.paths.get(symbol, ()) if x["k0"] is not None and x["k0"] <= k),
                   default=None)

    def field(self, asset, seg):
        key = seg["key"]
        f = self._fields.get(key)
        if f is None:
            f = Field(key, self.sigma(asset), seg["anchor"])
            self._fields[key] = f
        return f

    @staticmethod
    def sigma(asset):
        if asset["symbol"] == "INDEX:VIX":
            return SIGMA["vix"]
        return SIGMA.get(asset["class"], SIGMA["us_equity"])

    @staticmethod
    def segment_at(segs, k):
        for x in reversed(segs):
            if x["k0"] is None or x["k0"] <= k:
                return x
        return segs[0]

    def _price(self, asset, seg, w):
        return self.tick(asset, seg["p0"] * Decimal(repr(math.exp(w))))

    def price_minute(self, asset, base, k):
        """The price at epoch minute k."""
        segs = self.path(asset, base)
        seg = self.segment_at(segs, k)
        if not self.config["walk"] or k == seg["anchor"]:
            return seg["p0"]
        return self._price(asset, seg, self.field(asset, seg).at(k))

    def price_at(self, asset, base, t):
        return self.price_minute(asset, base, int(t.timestamp()) // 60)

    def span(self, asset, base, k1, k2):
        """(open, high, low, close) over minutes [k1, k2), k2 > k1."""
        segs = self.path(asset, base)
        o = self.price_minute(asset, base, k1)
        c = self.price_minute(asset, base, k2 - 1)
        hi = lo = None
        k = k1
        while k < k2:
            seg = self.segment_at(segs, k)
            nxt = next((x["k0"] for x in segs if x["k0"] is not None and x["k0"] > k), None)
            end = k2 if nxt is None else min(k2, nxt)
            if not self.config["walk"]:
                plo = phi = seg["p0"]
            else:
                f = self.field(asset, seg)
                wlo, whi = f.extremes(k, end)
                plo, phi = self._price(asset, seg, wlo), self._price(asset, seg, whi)
                if k <= seg["anchor"] < end:       # the anchor prints its own price, unticked
                    plo, phi = min(plo, seg["p0"]), max(phi, seg["p0"])
            hi = phi if hi is None else max(hi, phi)
            lo = plo if lo is None else min(lo, plo)
            k = end
        return o, max(hi, o, c), min(lo, o, c), c

    def typical(self, asset, base, b):
        """A whole block's typical price (see Field.typical); the anchor's price in a flat walk."""
        segs = self.path(asset, base)
        k = b * BLOCK
        seg = self.segment_at(segs, k)
        if not self.config["walk"] or any(x["k0"] is not None and k < x["k0"] < k + BLOCK for x in segs):
            o, h, lo, c = self.span(asset, base, k, k + BLOCK)
            return (o + h + lo + c) / 4
        return self._price(asset, seg, self.field(asset, seg).typical(b))

    # --state FILE keeps the segments; the fields are made again from them
    def export(self):
        return {sym: [dict(x) for x in segs] for sym, segs in self.paths.items()}

    def restore(self, paths):
        self.paths, self._fields = {}, {}
        for sym, segs in paths.items():
            out = []
            for x in segs:
                if "anchor" in x:
                    out.append(dict(x))
                elif x.get("k0", 0) == 0 and "walk_from" in x:      # a version 1 state file
                    out.append({"k0": None, "p0": x["p0"], "anchor": x["walk_from"], "key": (self.seed, sym)})
                else:
                    out.append({"k0": x["k0"], "p0": x["p0"], "anchor": x["k0"],
                                "key": (self.seed, sym, x["k0"], str(x["p0"]))})
            self.paths[sym] = out
