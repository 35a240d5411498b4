"""The latest trades and quotes, and bars, at the simulator's prices."""

import datetime as dt
from decimal import Decimal

from values import E_NOT_FOUND, UTC, ApiError, bad, iso, need, one_of, parse_time, stable_hash


def trade(sim, symbol):
    try:
        px = sim.price(symbol)
    except ApiError:
        return None
    return {"t": iso(sim.now()), "p": float(px), "s": 100, "x": "V", "i": 1, "c": ["@"], "z": "C"}


def r_latest_trades(sim, q):
    symbols = [x for x in need(q, "symbols").split(",") if x]
    return {"trades": {sym: t for sym in symbols for t in [trade(sim, sym)] if t is not None}}


def quote(sim, symbol):
    try:
        px = sim.price(symbol)
    except ApiError:
        return None
    half = max(Decimal("0.01"), (px * Decimal("0.0002")).quantize(Decimal("0.01"))) if px >= 1 \
        else (px * Decimal("0.0005"))
    return {"t": iso(sim.now()), "bp": float(px - half), "bs": 3, "ap": float(px + half), "as": 2,
            "bx": "V", "ax": "V", "c": ["R"], "z": "C"}


def r_latest_quotes(sim, q):
    symbols = [x for x in need(q, "symbols").split(",") if x]
    return {"quotes": {sym: qt for sym in symbols for qt in [quote(sim, sym)] if qt is not None}}


def bars(sim, sym, q):
    frames = {"1Min": 60, "5Min": 300, "15Min": 900, "30Min": 1800, "1Hour": 3600, "1Day": 86400}
    tf = q.get("timeframe", "1Day")
    one_of(tf, tuple(frames), "timeframe")
    step = frames[tf]
    end = parse_time(q["end"], "end") if q.get("end") else sim.now()
    start = parse_time(q["start"], "start") if q.get("start") else end - dt.timedelta(seconds=step * 30)
    if start >= end:
        raise bad("end should be after start", 400)
    limit = int(q.get("limit", "1000"))
    out = []
    t = int(start.timestamp()) // step * step
    while t < end.timestamp() and len(out) < limit:
        minutes = [sim.broker.price_at(sym, dt.datetime.fromtimestamp(m, UTC))
                   for m in range(t, min(t + step, int(end.timestamp()) + 1), 60 if step < 86400 else 3600)]
        if minutes:
            out.append({"t": iso(dt.datetime.fromtimestamp(t, UTC)), "o": float(minutes[0]),
                        "h": float(max(minutes)), "l": float(min(minutes)), "c": float(minutes[-1]),
                        "v": 1000 + stable_hash("v", sym, t) % 9000, "n": 10 + stable_hash("n", sym, t) % 90,
                        "vw": float(sum(minutes) / len(minutes))})
        t += step
    return out


def r_bars(sim, q):
    symbols = [x for x in need(q, "symbols").split(",") if x]
    for sym in symbols:
        if sim.broker.assets.resolve(sym) is None:
            raise bad("invalid symbol: %s" % sym, 400)
    return {"bars": {sym: bars(sim, sym, q) for sym in symbols}, "next_page_token": None}


def r_latest_trade(sim, sym):
    t = trade(sim, sym)
    if t is None:
        raise ApiError(404, E_NOT_FOUND, "no trade for " + sym)
    return {"symbol": sym, "trade": t}
