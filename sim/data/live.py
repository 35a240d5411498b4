"""What the Market Data API knows of a symbol now: its latest trade, quote and
bars, and its snapshot; and the symbols each part of the API takes.

The latest trade is the tape's last trade at or before now.  While the
market is open (by the calendar, or pinned open with "market": "open",
when stocks and options print every minute) that is a trade of the current
minute at the price the simulator fills at; otherwise the last trade of the
last session.
"""

import datetime as dt
import re

from broker.assets import OCC, PAIR
from data import format as fmt
from data.params import TimeFrame
from data.series import bars, minute_of, minutes, ns_of
from market.calendar import Calendar
from values import CHICAGO, NY

STOCK = re.compile(r"[A-Za-z][A-Za-z0-9]{0,9}(\.[A-Za-z]{1,2})?")
CRYPTO = re.compile(r"[A-Za-z0-9]{2,10}/[A-Za-z]{3,4}")
OPTION = re.compile(r"[A-Za-z]{1,6}\d{6}[CPcp]\d{8}")
LOOKBACK = 14 * 1440      # minutes a latest trade is looked for before now
DAY = TimeFrame("1Day")


def stock(sim, sym):
    a = sim.broker.assets.resolve(sym.upper())
    if a is None or a["class"] != "us_equity":
        return None
    return sim.market.instrument(a)


def crypto(sim, sym):
    sym = sym.upper()
    if not PAIR.fullmatch(sym):
        return None
    a = sim.broker.assets.resolve(sym)
    return sim.market.instrument(a) if a is not None and a["class"] == "crypto" else None


def option(sim, sym):
    sym = sym.upper()
    if not OCC.fullmatch(sym):
        return None
    c = sim.broker.options.contract(sym)
    if c is None:
        return None
    return sim.market.option_instrument(c, sim.broker.assets.resolve(c["underlying_symbol"]))


def pinned_open(sim, inst):
    """Stocks and options print every minute while the market is open or pinned open."""
    return inst.kind in ("stock", "option") and sim.market_open()


def _pinned(sim, inst, k):
    """The latest minute at or before k its price (or its underlying's) was pinned, or None."""
    sym = inst.underlying["symbol"] if inst.kind == "option" else inst.symbol
    return sim.market.walk.last_pin(sym, k)


def _latest(sim, inst, now, rows_of):
    tape = sim.market.tape
    k, ns = minute_of(now), ns_of(now)
    force = pinned_open(sim, inst)
    if force or inst.open_at(k):
        rows = [r for r in rows_of(tape, inst, k, force) if r[0] <= ns]
        if rows:
            return k, rows
    found, rows = None, []
    for kk in minutes(inst, k - LOOKBACK, k - 1, False):
        rows = rows_of(tape, inst, kk, False)
        if rows:
            found = kk
            break
    # a price pinned while the market is closed is a print of its own (an
    # extended-hours trade): the latest endpoints show it
    pin = _pinned(sim, inst, k)
    if pin is not None and (found is None or pin > found) and not inst.open_at(pin):
        return pin, rows_of(tape, inst, pin, True)[:1]
    return found, rows


def latest_trade(sim, inst, now):
    """The raw latest trade row, or None."""
    _, rows = _latest(sim, inst, now, lambda t, i, k, f: t.trades(i, k, f))
    return rows[-1] if rows else None


def latest_quote(sim, inst, now):
    _, rows = _latest(sim, inst, now, lambda t, i, k, f: t.quotes(i, k, f))
    return rows[-1] if rows else None


def latest_minute_bar(sim, inst, now):
    """The bar of the latest minute that traded (as far as now): (stamp, o, h, l, c, v, n, vw)."""
    k, rows = _latest(sim, inst, now, lambda t, i, kk, f: t.trades(i, kk, f))
    if not rows:
        return None
    if k != minute_of(now):
        rows = sim.market.tape.trades(inst, k)
    p = rows[0][2]
    return (k, p, p, p, p, sum(r[3] for r in rows), len(rows), p)


def daily_bars(sim, inst, now):
    """(this day's bar so far, the day before's), either None; days of the instrument's calendar."""
    tz = CHICAGO if inst.kind == "crypto" else NY
    today = now.astimezone(tz).date()
    if inst.kind in ("stock", "option") and not Calendar.is_trading_day(today):
        today = Calendar.previous_trading_day(today)
    start = dt.datetime.combine(today - dt.timedelta(days=10), dt.time(), tz)
    got = [b for _, b in bars(sim.market.tape, inst, DAY, start, now, False, None, minute_of(now))][:2]
    got += [None] * (2 - len(got))
    return got[0], got[1]


def snapshot(sim, inst, now, rates, feed=None):
    out = {}
    t = latest_trade(sim, inst, now)
    if t is not None:
        out["latestTrade"] = fmt.trade(inst, t, rates, feed)
    q = latest_quote(sim, inst, now)
    if q is not None:
        out["latestQuote"] = fmt.quote(inst, q, rates, feed)
    mb = latest_minute_bar(sim, inst, now)
    if mb is not None:
        out["minuteBar"] = fmt.bar(inst, mb, rates)
    day, prev = daily_bars(sim, inst, now)
    if day is not None:
        out["dailyBar"] = fmt.bar(inst, day, rates)
    if prev is not None:
        out["prevDailyBar"] = fmt.bar(inst, prev, rates)
    return out
