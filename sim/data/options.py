"""The Market Data API's option endpoints (/v1beta1/options/...).

The contracts are the broker's (its chains of AAPL, SPY and TSLA, and any
OCC symbol of a listed underlying); their prices come from their
underlying's walk, and they trade sparsely in the core sessions until they
expire.  A snapshot carries the Black-Scholes implied volatility of the
contract's price and its greeks at that volatility.
"""

import datetime as dt
from decimal import Decimal

from broker.options import contract_filter
from data import format as fmt
from data import history, live, params
from data.series import minute_of, page
from market.options import days_left, greeks, implied_volatility

SNAPSHOT_LIMIT = 1000
G = Decimal("0.00000001")


class Options:
    def __init__(self, sim):
        self.sim = sim

    def _symbols(self, q):
        return params.symbols(q, live.OPTION, maximum=100)

    def r_bars(self, q):
        rows, tok = history.bars_page(self.sim, q, self._symbols(q), live.option)
        return {"bars": rows, "next_page_token": tok}

    def r_trades(self, q):
        rows, tok = history.ticks_page(self.sim, q, self._symbols(q), live.option, "trades")
        return {"trades": rows, "next_page_token": tok}

    def _latest(self, q, what):
        params.feed(q, params.OPTION_FEEDS, "indicative")
        now = self.sim.now()
        rates = fmt.Rates(self.sim)
        out = {}
        for sym in self._symbols(q):
            inst = live.option(self.sim, sym)
            if inst is None:
                continue
            if what == "trades":
                r = live.latest_trade(self.sim, inst, now)
                if r:
                    out[sym] = fmt.trade(inst, r, rates)
            else:
                r = live.latest_quote(self.sim, inst, now)
                if r:
                    out[sym] = fmt.quote(inst, r, rates)
        return {what: out}

    def r_latest_trades(self, q):
        return self._latest(q, "trades")

    def r_latest_quotes(self, q):
        return self._latest(q, "quotes")

    # ----------------------------------------------------------- snapshots
    def snapshot(self, inst, now, since):
        rates = fmt.Rates(self.sim)
        snap = live.snapshot(self.sim, inst, now, rates)
        if since is not None:
            times = [snap[k]["t"] for k in ("latestTrade", "latestQuote") if k in snap]
            if not any(params.when(t, "t") >= since for t in times):
                return None
        c = inst.contract
        u = float(self.sim.market.price_at(inst.underlying, now))
        price = float(inst.price(minute_of(now)))
        years = max(days_left(c["expiration_date"], now), 1) / 365
        k = float(c["strike_price"])
        if u > 0 and price > 0:
            vol = implied_volatility(c["type"], u, k, years, price)
            snap["greeks"] = {n: Decimal(repr(v)).quantize(G).normalize() for n, v in greeks(c["type"], u, k, years, vol).items()}
            snap["impliedVolatility"] = Decimal(repr(vol)).quantize(G).normalize()
        return snap

    def _snapshots(self, q, contracts):
        params.feed(q, params.OPTION_FEEDS, "indicative")
        lim = params.integer(q, "limit", 100, 1, SNAPSHOT_LIMIT)
        since = params.when(q["updated_since"], "updated_since") if q.get("updated_since") else None
        now = self.sim.now()

        def series(sym, key0):
            inst = contracts.get(sym)
            if inst is not None:
                snap = self.snapshot(inst, now, since)
                if snap is not None:
                    yield (0,), snap
        rows, tok = page(list(contracts), series, lim, q)
        return {"snapshots": {sym: v[0] for sym, v in rows.items()}, "next_page_token": tok}

    def r_snapshots(self, q):
        return self._snapshots(q, {s: live.option(self.sim, s) for s in self._symbols(q)})

    def r_chain(self, underlying, q):
        if not live.STOCK.fullmatch(underlying):
            raise params.error("invalid symbol: %s" % underlying)
        underlying = underlying.upper()

        def strike(v, name):
            try:
                return Decimal(str(float(v)))
            except ValueError:
                raise params.error("invalid %s: %s" % (name, v))
        try:
            keep = contract_filter(q, strike)
        except Exception as e:            # the broker's checks, in the Market Data API's words
            raise params.error(getattr(e, "message", str(e)))
        ua = self.sim.broker.assets.resolve(underlying)
        chain = {}
        for c in self.sim.broker.options.contracts():
            if c["underlying_symbol"] == underlying and keep(c) and \
                    dt.date.fromisoformat(c["expiration_date"]) >= self.sim.now().date():
                chain[c["symbol"]] = self.sim.market.option_instrument(c, ua)
        return self._snapshots(q, chain)
