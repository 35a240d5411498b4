"""The screener (/v1beta1/screener/...): the most active stocks and the day's movers,
among the assets the broker lists."""

import datetime as dt
from decimal import Decimal

from data import live, params
from data.series import minute_of
from market.calendar import Calendar
from values import NY, UTC, iso_ns


class Screener:
    def __init__(self, sim):
        self.sim = sim

    def _listed(self, cls):
        return [a for a in self.sim.broker.book.assets.values() if a["class"] == cls and a["status"] == "active"]

    def _session(self, now):
        """The minutes of the session the screener shows: today's once open, else the last one."""
        d = now.astimezone(NY).date()
        span = Calendar.session_minutes(d)
        if span is None or minute_of(now) < span[0]:
            d = Calendar.previous_trading_day(d)
            span = Calendar.session_minutes(d)
        return span

    def r_most_actives(self, q):
        by = params.one_of(q, "by", ("volume", "trades"), "volume")
        top = params.integer(q, "top", 10, 1, 100)
        now = self.sim.now()
        a, b = self._session(now)
        rows = []
        tape = self.sim.market.tape
        for asset in self._listed("us_equity"):
            inst = self.sim.market.instrument(asset)
            v, n = tape.volume(inst, a, min(b, minute_of(now) + 1))
            rows.append({"symbol": asset["symbol"], "volume": v, "trade_count": n})
        rows.sort(key=lambda r: (-(r["volume"] if by == "volume" else r["trade_count"]), r["symbol"]))
        return {"most_actives": rows[:top], "last_updated": iso_ns(int(now.timestamp() * 10 ** 9))}

    def r_movers(self, market_type, q):
        if market_type not in ("stocks", "crypto"):
            raise params.error("invalid market type: %s" % market_type)
        top = params.integer(q, "top", 10, 1, 50)
        now = self.sim.now()
        rows = []
        for asset in self._listed("us_equity" if market_type == "stocks" else "crypto"):
            inst = self.sim.market.instrument(asset)
            last = live.latest_trade(self.sim, inst, now)
            if last is None:
                continue
            if market_type == "stocks":
                a, _ = self._session(now)
                before = live.latest_trade(self.sim, inst, dt.datetime.fromtimestamp(a * 60 - 1, UTC))
            else:
                midnight = dt.datetime.combine(now.astimezone(UTC).date(), dt.time(), UTC)
                before = live.latest_trade(self.sim, inst, midnight - dt.timedelta(microseconds=1))
            if before is None or not before[2]:
                continue
            change = last[2] - before[2]
            rows.append({"symbol": asset["symbol"], "percent_change": (change / before[2] * 100).quantize(Decimal("0.01")),
                         "change": change, "price": last[2]})
        gainers = sorted((r for r in rows if r["change"] > 0), key=lambda r: -r["percent_change"])[:top]
        losers = sorted((r for r in rows if r["change"] < 0), key=lambda r: r["percent_change"])[:top]
        return {"gainers": gainers, "losers": losers, "market_type": market_type,
                "last_updated": iso_ns(int(now.timestamp() * 10 ** 9))}
