"""Trades, quotes and bars as the Market Data API writes them, for each kind of symbol.

Prices go out as exact decimals; a `Rates` converts them to another
currency (the `currency` parameter) and applies the `adjustment`s (splits
and dividends of the broker's corporate actions) to bars before them.
"""

import datetime as dt
from decimal import Decimal

from market.tape import MINUTE_NS, TAPES
from values import NY, UTC, iso_ns

VW = Decimal("0.000001")


class Rates:
    """Prices in a currency, and bars adjusted for corporate actions."""

    def __init__(self, sim, currency=None, adjustments=(), symbol=None):
        self.currency = currency
        self.rate = sim.market.usd_in(currency, sim.now()) if currency and currency != "USD" else None
        self.steps = []        # (ex date, price factor, volume factor) for this symbol, newest first
        if adjustments and symbol:
            for a in sim.broker.corporate.announcements():
                if a["initiating_symbol"] != symbol:
                    continue
                ex = dt.date.fromisoformat(a["ex_date"])
                if a["ca_type"] == "Split" and "split" in adjustments:
                    r = Decimal(a["old_rate"]) / Decimal(a["new_rate"])
                    self.steps.append((ex, r, 1 / r))
                elif a["ca_type"] == "Dividend" and "dividend" in adjustments:
                    asset = sim.broker.assets.resolve(symbol)
                    before = dt.datetime.combine(ex, dt.time(), NY) - dt.timedelta(minutes=1)
                    close = sim.market.price_at(asset, before)
                    if close > 0:
                        self.steps.append((ex, 1 - Decimal(a["cash"]) / close, Decimal(1)))
        self.steps.sort(reverse=True)

    def price(self, p):
        if self.rate is None:
            return p
        return (p * self.rate).quantize(Decimal("0.0001"))

    def adjust(self, stamp_minute):
        """(price factor, volume factor) for a bar stamped at that minute."""
        pf = vf = Decimal(1)
        day = dt.datetime.fromtimestamp(stamp_minute * 60, UTC).astimezone(NY).date()
        for ex, p, v in self.steps:
            if day < ex:
                pf, vf = pf * p, vf * v
        return pf, vf


def _units(inst, n):
    return (inst.unit * n).normalize() if inst.kind == "crypto" else n


def tape_of(inst):
    if inst.kind == "stock":
        return TAPES.get(inst.asset.get("exchange"), "C")
    return None


def trade(inst, r, rates, feed=None):
    ns, tid, p, size, x = r
    p = rates.price(p)
    if inst.kind == "crypto":
        return {"t": iso_ns(ns), "p": p, "s": _units(inst, size), "i": tid, "tks": "B" if tid % 2 else "S"}
    if inst.kind == "option":
        return {"t": iso_ns(ns), "x": x, "p": p, "s": size, "c": "I"}
    return {"t": iso_ns(ns), "x": "V" if feed in (None, "iex") else x, "p": p, "s": size, "c": ["@"], "i": tid,
            "z": tape_of(inst)}


def quote(inst, r, rates, feed=None):
    ns, _, bid, bs, ask, as_, bx, ax = r
    bid, ask = rates.price(bid), rates.price(ask)
    if inst.kind == "crypto":
        return {"t": iso_ns(ns), "bp": bid, "bs": _units(inst, bs * 1234), "ap": ask, "as": _units(inst, as_ * 1234)}
    if inst.kind == "option":
        return {"t": iso_ns(ns), "bx": bx, "bp": bid, "bs": bs * 10, "ax": ax, "ap": ask, "as": as_ * 10, "c": "A"}
    iex = feed in (None, "iex")
    return {"t": iso_ns(ns), "bx": "V" if iex else bx, "bp": bid, "bs": bs * 100, "ax": "V" if iex else ax,
            "ap": ask, "as": as_ * 100, "c": ["R"], "z": tape_of(inst)}


def bar(inst, b, rates):
    stamp, o, h, lo, c, v, n, vw = b
    pf, vf = rates.adjust(stamp) if rates.steps else (Decimal(1), Decimal(1))

    def px(p, places=None):
        p = rates.price(p * pf if pf != 1 else p)
        return p.quantize(places) if places is not None else (p.quantize(Decimal("0.0001")) if pf != 1 else p)
    volume = v if vf == 1 else int((v * vf).to_integral_value())
    return {"t": iso_ns(stamp * MINUTE_NS), "o": px(o), "h": px(h), "l": px(lo), "c": px(c),
            "v": _units(inst, volume), "n": n, "vw": px(vw, VW).normalize()}
