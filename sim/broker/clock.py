"""The Trading API's clock and calendar (v2, and v3 per market)."""

import datetime as dt

from market.calendar import Calendar
from values import E_NOT_FOUND, NY, UTC, ApiError, bad, one_of, parse_date, parse_time

V3_MARKETS = {"NYSE": ("NYSE", "New York Stock Exchange", "XNYS", "America/New_York"),
              "XNYS": ("NYSE", "New York Stock Exchange", "XNYS", "America/New_York"),
              "NASDAQ": ("NASDAQ", "Nasdaq Stock Market", "XNAS", "America/New_York"),
              "XNAS": ("NASDAQ", "Nasdaq Stock Market", "XNAS", "America/New_York")}


class ClockDesk:
    def __init__(self, broker):
        self.b = broker

    def r_clock(self):
        now = self.b.now()
        o, c = Calendar.next_open_close(now)
        return {"timestamp": now.astimezone(NY).isoformat(), "is_open": self.b.market.clock.market_open(),
                "next_open": o.isoformat(), "next_close": c.isoformat()}

    def r_calendar(self, q):
        today = self.b.now().astimezone(NY).date()
        start = parse_date(q["start"], "start") if q.get("start") else dt.date(1970, 1, 1)
        end = parse_date(q["end"], "end") if q.get("end") else today + dt.timedelta(days=365)
        if q.get("date_type"):
            one_of(q["date_type"], ("TRADING", "SETTLEMENT"), "date_type")
        # the calendar is computed by the NYSE's rules, so any year works; with
        # no start given it begins in 2025, to keep the answer short
        start = max(start, dt.date(2025, 1, 1) if not q.get("start") else dt.date(1970, 1, 1))
        end = min(end, dt.date(2100, 12, 31))
        settlement = q.get("date_type") == "SETTLEMENT"
        out = []
        # with SETTLEMENT, start and end bound the settlement date, which trails by days
        d = start - dt.timedelta(days=10) if settlement else start
        while d <= end:
            if Calendar.is_trading_day(d):
                day = Calendar.calendar_day(d)
                key = day["settlement_date"] if settlement else day["date"]
                if start.isoformat() <= key <= end.isoformat():
                    out.append(day)
            d += dt.timedelta(days=1)
        return out

    @staticmethod
    def v3_market(code):
        m = V3_MARKETS.get(code.upper())
        if m is None:
            raise ApiError(404, E_NOT_FOUND, "market not found: %s" % code)
        return {"acronym": m[0], "name": m[1], "mic": m[2], "timezone": m[3]}

    def r_v3_clock(self, q):
        now = parse_time(q["time"], "time") if q.get("time") else self.b.now()
        out = []
        for code in (q.get("markets") or "NYSE,NASDAQ").split(","):
            market = self.v3_market(code.strip())
            local = now.astimezone(NY)
            d = local.date()
            phase, until = "closed", None
            if Calendar.is_trading_day(d):
                s_ = Calendar.phases(d)
                for name, a, b in (("pre", "pre_start", "pre_end"), ("core", "core_start", "core_end"),
                                   ("post", "post_start", "post_end")):
                    if s_[a] <= local < s_[b]:
                        phase, until = name, s_[b]
            if until is None:   # closed until the next pre-market
                nd = d if Calendar.is_trading_day(d) and local < Calendar.phases(d)["pre_start"] \
                    else Calendar.next_trading_day(d)
                until = Calendar.phases(nd)["pre_start"]
            o, c = Calendar.next_open_close(now)
            out.append({"market": market, "timestamp": local.isoformat(), "is_market_day": Calendar.is_trading_day(d),
                        "phase": phase, "phase_until": until.isoformat(),
                        "next_market_open": o.isoformat(), "next_market_close": c.isoformat()})
        return {"clocks": out}

    def r_v3_calendar(self, market, q):
        m = self.v3_market(market)
        start = parse_date(q["start"], "start") if q.get("start") else self.b.now().astimezone(NY).date()
        end = parse_date(q["end"], "end") if q.get("end") else start + dt.timedelta(days=7)
        if q.get("timezone"):
            one_of(q["timezone"], ("UTC",), "timezone")
        if end < start or (end - start).days > 3660:
            raise bad("invalid date range", 400)
        tz = UTC if q.get("timezone") == "UTC" else NY
        out, d = [], start
        while d <= end:
            if Calendar.is_trading_day(d):
                day = {k: v.astimezone(tz).isoformat() for k, v in Calendar.phases(d).items()}
                day.update(date=d.isoformat(), settlement_date=Calendar.next_trading_day(d).isoformat())
                out.append(day)
            d += dt.timedelta(days=1)
        return {"market": m, "calendar": out}
