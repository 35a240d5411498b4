"""The NYSE's trading calendar, by its rules (any year), and the clock.

Holidays from their definitions (Easter for Good Friday, observed days for
those on a weekend), early closes at 13:00, and the sessions of a day: pre
market from 04:00, the core session 09:30 to the close, post market to 20:00
(17:00 on early-close days).  The clock is the simulator's: real time, or
frozen by the config's "now", with the market open by the calendar or
pinned open or closed.
"""

import datetime as dt
import functools

from values import NY, UTC, parse_time


def easter(y):
    """Easter Sunday (the Anonymous Gregorian algorithm)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = b // 4, b % 4
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = c // 4, c % 4
    l = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * l) // 451
    month = (h + l - 7 * m + 114) // 31
    return dt.date(y, month, (h + l - 7 * m + 114) % 31 + 1)


def nth_weekday(y, month, weekday, n):
    """The n-th (1-based; -1 for the last) given weekday of a month."""
    if n > 0:
        d = dt.date(y, month, 1)
        d += dt.timedelta(days=(weekday - d.weekday()) % 7 + 7 * (n - 1))
        return d
    d = dt.date(y + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    return d - dt.timedelta(days=(d.weekday() - weekday) % 7)


def observed(d):
    """A holiday on Saturday is kept on Friday, on Sunday on Monday."""
    return d - dt.timedelta(days=1) if d.weekday() == 5 else d + dt.timedelta(days=1) if d.weekday() == 6 else d


@functools.lru_cache(maxsize=None)
def nyse_holidays(y):
    """The NYSE's full closures in year y, by its rules."""
    h = set()
    new_year = dt.date(y, 1, 1)
    if new_year.weekday() == 6:
        h.add(new_year + dt.timedelta(days=1))
    elif new_year.weekday() < 5:
        h.add(new_year)          # on a Saturday it is not made up on the Friday before
    h.add(nth_weekday(y, 1, 0, 3))                     # Martin Luther King Jr. Day
    h.add(nth_weekday(y, 2, 0, 3))                     # Washington's Birthday
    h.add(easter(y) - dt.timedelta(days=2))            # Good Friday
    h.add(nth_weekday(y, 5, 0, -1))                    # Memorial Day
    if y >= 2022:
        h.add(observed(dt.date(y, 6, 19)))             # Juneteenth
    h.add(observed(dt.date(y, 7, 4)))                  # Independence Day
    h.add(nth_weekday(y, 9, 0, 1))                     # Labor Day
    h.add(nth_weekday(y, 11, 3, 4))                    # Thanksgiving
    h.add(observed(dt.date(y, 12, 25)))                # Christmas
    return frozenset(h)


@functools.lru_cache(maxsize=None)
def nyse_early_closes(y):
    """Days the NYSE closes at 13:00 New York time."""
    e = set()
    july3 = dt.date(y, 7, 3)
    if july3.weekday() < 4:                            # Mon-Thu before Independence Day
        e.add(july3)
    e.add(nth_weekday(y, 11, 3, 4) + dt.timedelta(days=1))  # the day after Thanksgiving
    eve = dt.date(y, 12, 24)
    if eve.weekday() < 4:                              # Christmas Eve, Mon-Thu
        e.add(eve)
    return frozenset(e - nyse_holidays(y))


class Calendar:
    """The trading calendar: NYSE hours in New York time."""

    @staticmethod
    def is_trading_day(d):
        return d.weekday() < 5 and d not in nyse_holidays(d.year)

    @staticmethod
    def hours(d):
        close = dt.time(13, 0) if d in nyse_early_closes(d.year) else dt.time(16, 0)
        return (dt.datetime.combine(d, dt.time(9, 30), NY), dt.datetime.combine(d, close, NY))

    @classmethod
    def next_trading_day(cls, d):
        d += dt.timedelta(days=1)
        while not cls.is_trading_day(d):
            d += dt.timedelta(days=1)
        return d

    @classmethod
    def previous_trading_day(cls, d):
        d -= dt.timedelta(days=1)
        while not cls.is_trading_day(d):
            d -= dt.timedelta(days=1)
        return d

    @classmethod
    def calendar_day(cls, d):
        o, c = cls.hours(d)
        return {"date": d.isoformat(), "open": o.strftime("%H:%M"), "close": c.strftime("%H:%M"),
                "session_open": "0400", "session_close": "2000",
                "settlement_date": cls.next_trading_day(d).isoformat()}

    @classmethod
    def open_at(cls, t):
        local = t.astimezone(NY)
        if not cls.is_trading_day(local.date()):
            return False
        o, c = cls.hours(local.date())
        return o <= local < c

    @classmethod
    def next_open_close(cls, t):
        local = t.astimezone(NY)
        d = local.date()
        if cls.is_trading_day(d):
            o, c = cls.hours(d)
            if local < o:
                return o, c
            if local < c:
                return cls.hours(cls.next_trading_day(d))[0], c
        nd = cls.next_trading_day(d)
        return cls.hours(nd)

    @classmethod
    def last_close(cls, t):
        """The most recent market close at or before t."""
        local = t.astimezone(NY)
        d = local.date()
        if cls.is_trading_day(d) and local >= cls.hours(d)[1]:
            return cls.hours(d)[1]
        return cls.hours(cls.previous_trading_day(d))[1]

    @staticmethod
    def phases(d):
        """A US trading day's phases: pre 04:00, core (09:30 to the close), post to 20:00."""
        core_start, core_end = Calendar.hours(d)
        post_end = dt.datetime.combine(d, dt.time(17, 0) if d in nyse_early_closes(d.year) else dt.time(20, 0), NY)
        return {"pre_start": dt.datetime.combine(d, dt.time(4, 0), NY), "pre_end": core_start,
                "core_start": core_start, "core_end": core_end, "post_start": core_end, "post_end": post_end}

    @classmethod
    def session_minutes(cls, d):
        """The epoch minutes [first, last) of day d's core session, or None on a closed day."""
        if not cls.is_trading_day(d):
            return None
        o, c = cls.hours(d)
        return int(o.timestamp()) // 60, int(c.timestamp()) // 60

    @classmethod
    def session_of_minute(cls, k):
        """Is epoch minute k inside a core session?"""
        t = dt.datetime.fromtimestamp(k * 60, UTC)
        span = cls.session_minutes(t.astimezone(NY).date())
        return span is not None and span[0] <= k < span[1]


class Clock:
    """The simulator's now and whether its market is open (the config decides both)."""

    def __init__(self, config):
        self.config = config

    def now(self):
        if self.config["now"]:
            return parse_time(self.config["now"], "now")
        return dt.datetime.now(UTC)

    def market_open(self):
        m = self.config["market"]
        return Calendar.open_at(self.now()) if m == "auto" else m == "open"
