"""The Market Data API's crypto endpoints (/v1beta3/crypto/{loc}/...) and
crypto perpetuals (/v1beta1/crypto-perps/{loc}/...).

Crypto trades around the clock, so its bars, trades and quotes have no
gaps; its daily bars are stamped at midnight in Chicago, as Alpaca's are.
A perpetual (BTCUSDT.P) prints its spot pair's tape (BTC/USD); its pricing
marks it a hash-made basis away from the spot price, funded every eight
hours.
"""

import datetime as dt
import re
from decimal import Decimal

from data import format as fmt
from data import history, live, params
from data.series import minute_of
from values import UTC, iso_ns, stable_hash

PERP = re.compile(r"([A-Za-z0-9]{2,10}?)(USDT|USDC|USD)\.P")


class Crypto:
    def __init__(self, sim):
        self.sim = sim

    @staticmethod
    def _loc(loc, allowed=params.CRYPTO_LOCS):
        if loc not in allowed:
            raise params.error("invalid location: %s" % loc)

    # ---------------------------------------------------------- historical
    def r_bars(self, loc, q):
        self._loc(loc)
        rows, tok = history.bars_page(self.sim, q, params.symbols(q, live.CRYPTO), live.crypto)
        return {"bars": rows, "next_page_token": tok}

    def _ticks(self, loc, q, which):
        self._loc(loc)
        rows, tok = history.ticks_page(self.sim, q, params.symbols(q, live.CRYPTO), live.crypto, which)
        return {which: rows, "next_page_token": tok}

    def r_trades(self, loc, q):
        return self._ticks(loc, q, "trades")

    def r_quotes(self, loc, q):
        return self._ticks(loc, q, "quotes")

    # -------------------------------------------------------------- latest
    def latest(self, insts, what):
        """{symbol: value} of the latest trade, quote, bar, orderbook or snapshot."""
        now = self.sim.now()
        rates = fmt.Rates(self.sim)
        out = {}
        for sym, inst in insts:
            if inst is None:
                continue
            if what == "trades":
                r = live.latest_trade(self.sim, inst, now)
                got = fmt.trade(inst, r, rates) if r else None
            elif what == "quotes":
                r = live.latest_quote(self.sim, inst, now)
                got = fmt.quote(inst, r, rates) if r else None
            elif what == "bars":
                r = live.latest_minute_bar(self.sim, inst, now)
                got = fmt.bar(inst, r, rates) if r else None
            elif what == "orderbooks":
                got = self.orderbook(inst, now)
            else:
                got = live.snapshot(self.sim, inst, now, rates) or None
            if got is not None:
                out[sym] = got
        return out

    def orderbook(self, inst, now):
        r = live.latest_quote(self.sim, inst, now)
        if r is None:
            return None
        ns, _, bid, bs, ask, as_, _, _ = r
        step = max(Decimal(inst.asset.get("price_increment", "0.0001")), (bid * Decimal("0.0001")).quantize(
            Decimal(inst.asset.get("price_increment", "0.0001"))))
        h = stable_hash(self.sim.seed, "book", inst.symbol, ns)

        def size(i):
            return (Decimal(1 + (h >> (i * 4)) % 97) / 100).normalize()
        return {"t": iso_ns(ns), "b": [{"p": bid - i * step, "s": size(i)} for i in range(10)],
                "a": [{"p": ask + i * step, "s": size(i + 10)} for i in range(10)]}

    def _latest(self, loc, q, what):
        self._loc(loc)
        syms = params.symbols(q, live.CRYPTO)
        return {what: self.latest([(s, live.crypto(self.sim, s)) for s in syms], what)}

    def r_latest_trades(self, loc, q):
        return self._latest(loc, q, "trades")

    def r_latest_quotes(self, loc, q):
        return self._latest(loc, q, "quotes")

    def r_latest_bars(self, loc, q):
        return self._latest(loc, q, "bars")

    def r_latest_orderbooks(self, loc, q):
        return self._latest(loc, q, "orderbooks")

    def r_snapshots(self, loc, q):
        self._loc(loc)
        syms = params.symbols(q, live.CRYPTO)
        return {"snapshots": self.latest([(s, live.crypto(self.sim, s)) for s in syms], "snapshots")}

    # --------------------------------------------------------- perpetuals
    def perp(self, sym):
        """The spot instrument a perpetual prints (None for no such pair)."""
        m = PERP.fullmatch(sym)
        return live.crypto(self.sim, "%s/USD" % m.group(1)) if m else None

    def _perp_latest(self, loc, q, what):
        self._loc(loc, ("global",))
        syms = params.symbols(q, PERP)
        return {what: self.latest([(s, self.perp(s)) for s in syms], what)}

    def r_perp_latest_trades(self, loc, q):
        return self._perp_latest(loc, q, "trades")

    def r_perp_latest_quotes(self, loc, q):
        return self._perp_latest(loc, q, "quotes")

    def r_perp_latest_bars(self, loc, q):
        return self._perp_latest(loc, q, "bars")

    def r_perp_latest_orderbooks(self, loc, q):
        return self._perp_latest(loc, q, "orderbooks")

    def r_perp_pricing(self, loc, q):
        self._loc(loc, ("global",))
        now = self.sim.now()
        out = {}
        for sym in params.symbols(q, PERP):
            inst = self.perp(sym)
            r = live.latest_trade(self.sim, inst, now) if inst else None
            if r is None:
                continue
            h = stable_hash(self.sim.seed, "perp", sym, minute_of(now) // 60)
            basis = Decimal((h % 2001) - 1000) / Decimal(10 ** 7)         # within 0.01 %
            spot = r[2]
            hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
            nxt = hour + dt.timedelta(hours=8 - hour.hour % 8)
            out[sym] = {"t": iso_ns(r[0]), "ft": nxt.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "oi": (Decimal(1000 + h % 9000) / 10).normalize(), "ip": spot,
                        "mp": (spot * (1 + basis)).quantize(Decimal("0.0001")).normalize(),
                        "fr": (basis / 3).quantize(Decimal("0.000000001")).normalize()}
        return {"pricing": out}
