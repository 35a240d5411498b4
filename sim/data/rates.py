"""Forex rates, index values and fixed income prices, from the market's walk.

Currencies trade from Sunday 17:00 to Friday 17:00 New York time; indices
and bonds in the NYSE's core sessions.  Each has one value a minute.
"""

import datetime as dt
import re
from decimal import Decimal

from broker import fixed_income
from data import params
from data.series import minute_of, minutes, ns_of, page
from market import CURRENCIES, INDICES
from market.tape import MINUTE_NS
from values import iso_ns

PAIR = re.compile(r"[A-Z]{6}")
INDEX = re.compile(r"[A-Z]{1,6}")
ISIN = re.compile(r"[A-Z]{2}[A-Z0-9]{9}\d")
STEPS = {"5Sec": 5, "5S": 5, "1Min": 60, "1T": 60, "1Day": 86400, "1D": 86400}


class Rates:
    def __init__(self, sim):
        self.sim = sim

    # ------------------------------------------------------------- forex
    def _pairs(self, q):
        pairs = params.symbols(q, PAIR, "currency_pairs")
        for p in pairs:
            if p[:3] not in CURRENCIES or p[3:] not in CURRENCIES or p[:3] == p[3:]:
                raise params.error("invalid currency pair: %s" % p)
        return pairs

    def _fx(self):
        return self.sim.market.instrument({"symbol": "FX", "class": "forex"})

    def rate(self, pair, k):
        m = self.sim.market
        t = dt.datetime.fromtimestamp(k * 60, dt.timezone.utc)
        mid = m.usd_in(pair[3:], t) / m.usd_in(pair[:3], t)
        q = Decimal("0.001") if pair[3:] in ("JPY", "MXN", "CNH", "HKD") else Decimal("0.00001")
        half = mid * Decimal("0.00003")
        return {"bp": (mid - half).quantize(q), "mp": mid.quantize(q), "ap": (mid + half).quantize(q)}

    def _last_open(self, inst, k):
        return next(iter(minutes(inst, k - 4 * 1440, k, False)), None)

    def r_latest_rates(self, q):
        now = self.sim.now()
        inst = self._fx()
        k = self._last_open(inst, minute_of(now))
        out = {}
        if k is not None:
            for p in self._pairs(q):
                out[p] = dict(self.rate(p, k), t=iso_ns(min(ns_of(now), k * MINUTE_NS + 59 * 10 ** 9)
                                                        if k == minute_of(now) else k * MINUTE_NS + 59 * 10 ** 9))
        return {"rates": out}

    def r_rates(self, q):
        pairs = self._pairs(q)
        step = STEPS.get(q.get("timeframe") or "1Min")
        if step is None:
            raise params.error("invalid timeframe: %s" % q["timeframe"])
        now = self.sim.now()
        start, end = params.window(q, now)
        lim, asc = params.limit(q), params.sort(q)
        inst = self._fx()
        lo, hi = ns_of(start), ns_of(end)

        def stamps(key0):
            if step == 86400:
                d0, d1 = start.date(), end.date()
                days = [d0 + dt.timedelta(days=i) for i in range((d1 - d0).days + 1)]
                for d in (days if asc else reversed(days)):
                    ranges = inst.day_ranges(d)
                    if ranges:
                        k = min(ranges[-1][1] - 1, minute_of(now))
                        yield k, int(dt.datetime.combine(d, dt.time(), dt.timezone.utc).timestamp()) * 10 ** 9
                return
            for k in minutes(inst, lo // MINUTE_NS, hi // MINUTE_NS, asc):
                subs = range(0, 60, step)
                for sub in (subs if asc else reversed(subs)):
                    yield k, k * MINUTE_NS + sub * 10 ** 9

        def series(pair, key0):
            for k, ns in stamps(key0):
                if not lo <= ns <= hi and step != 86400:
                    continue
                key = (ns,)
                if key0 and ((asc and key < key0) or (not asc and key > key0)):
                    continue
                yield key, dict(self.rate(pair, k), t=iso_ns(ns))
        rows, tok = page(pairs, series, lim, q)
        return {"rates": rows, "next_page_token": tok}

    # ------------------------------------------------------------ indices
    def _indices(self, q):
        return [(s, self.sim.market.instrument(self.sim.market.index_asset(s)))
                for s in params.symbols(q, INDEX) if s in INDICES]

    def r_latest_index_values(self, q):
        now = self.sim.now()
        out = {}
        for sym, inst in self._indices(q):
            k = self._last_open(inst, minute_of(now))
            if k is not None:
                out[sym] = {"t": iso_ns(k * MINUTE_NS), "v": inst.price(k)}
        return {"values": out}

    def r_index_values(self, q):
        insts = dict(self._indices(q))
        now = self.sim.now()
        start, end = params.window(q, now)
        lim, asc = params.limit(q), params.sort(q)
        lo, hi = ns_of(start), ns_of(end)

        def series(sym, key0):
            inst = insts[sym]
            for k in minutes(inst, (lo + MINUTE_NS - 1) // MINUTE_NS, hi // MINUTE_NS, asc):
                key = (k * MINUTE_NS,)
                if key0 and ((asc and key < key0) or (not asc and key > key0)):
                    continue
                yield key, {"t": iso_ns(k * MINUTE_NS), "v": inst.price(k)}
        rows, tok = page(list(insts), series, lim, q)
        return {"values": rows, "next_page_token": tok}

    # ------------------------------------------------------- fixed income
    def _bonds(self, q, maximum):
        known = {r["isin"]: r for r in fixed_income.treasuries() + fixed_income.corporates()}
        isins = params.symbols(q, ISIN, "isins", maximum=maximum)
        out = []
        for isin in isins:
            if isin in known:
                r = known[isin]
                out.append((isin, r, self.sim.market.instrument(
                    self.sim.market.fixed_income_asset(isin, r["close_price"]))))
        return out

    def _bond_price(self, r, inst, now):
        k = self._last_open(inst, minute_of(now))
        if k is None:
            return None
        p = inst.price(k).quantize(Decimal("0.0001"))
        base_ytm = Decimal(str(r.get("close_yield_to_maturity", r["coupon"] + 1.2)))
        ytm = (base_ytm + (Decimal(str(r["close_price"])) - p) * Decimal("0.1")).quantize(Decimal("0.0001"))
        return k, p, ytm

    def r_fi_prices(self, q):
        now = self.sim.now()
        out = {}
        for isin, r, inst in self._bonds(q, 1000):
            got = self._bond_price(r, inst, now)
            if got:
                k, p, ytm = got
                out[isin] = {"t": iso_ns(k * MINUTE_NS), "p": p, "ytm": ytm, "ytw": ytm}
        return {"prices": out}

    def r_fi_quotes(self, q):
        params.integer(q, "trade_size", 0, -2 ** 31, 2 ** 31 - 1)
        now = self.sim.now()
        out = {}
        for isin, r, inst in self._bonds(q, 100):
            got = self._bond_price(r, inst, now)
            if got:
                k, p, ytm = got
                spread, dy = Decimal("0.05"), Decimal("0.01")
                out[isin] = {"t": iso_ns(k * MINUTE_NS), "bp": p - spread, "bs": 1000000, "bms": 1000,
                             "bytm": ytm + dy, "bytw": ytm + dy, "ap": p + spread, "as": 1000000, "ams": 1000,
                             "aytm": ytm - dy, "aytw": ytm - dy}
        return {"quotes": out}
