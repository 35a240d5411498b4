"""The Market Data API's query parameters, read and checked as Alpaca does.

Errors are the Market Data API's: 400 with {"message": "..."}.
"""

import base64
import datetime as dt
import re

from market import CURRENCIES
from values import NY, UTC, ApiError

STOCK_HISTORICAL_FEEDS = ("iex", "otc", "sip", "boats")
STOCK_LATEST_FEEDS = ("delayed_sip", "iex", "otc", "sip", "boats", "overnight")
OPTION_FEEDS = ("opra", "indicative")
CRYPTO_LOCS = ("us", "us-1", "us-2", "eu-1", "bs-1")
ADJUSTMENTS = ("raw", "split", "dividend", "spin-off", "all")
# the earliest data the simulator has (Alpaca's stock history starts in 2016)
DATA_START = dt.datetime(2016, 1, 1, tzinfo=UTC)


def error(message, status=400):
    return ApiError(status, None, message)


def symbols(q, pattern, name="symbols", maximum=None):
    """The comma-separated symbols, each checked against pattern, in their order, once each."""
    raw = q.get(name)
    if not raw:
        raise error("missing %s" % name)
    out = []
    for sym in raw.split(","):
        sym = sym.strip().upper()
        if not sym:
            continue
        if not pattern.fullmatch(sym):
            raise error("invalid symbol: %s" % sym)
        if sym not in out:
            out.append(sym)
    if not out:
        raise error("missing %s" % name)
    if maximum is not None and len(out) > maximum:
        raise error("too many symbols: at most %d" % maximum)
    return out


def integer(q, name, default, lo, hi):
    v = q.get(name)
    if v is None or v == "":
        return default
    if not re.fullmatch(r"-?\d+", v):
        raise error("invalid %s: %s" % (name, v))
    n = int(v)
    if not lo <= n <= hi:
        raise error("invalid %s: must be between %d and %d" % (name, lo, hi))
    return n


def limit(q, default=1000, maximum=10000):
    return integer(q, "limit", default, 1, maximum)


def sort(q, default="asc"):
    v = q.get("sort") or default
    if v not in ("asc", "desc"):
        raise error("invalid sort: %s" % v)
    return v == "asc"


def boolean(q, name, default):
    v = q.get(name)
    if v is None or v == "":
        return default
    if v.lower() not in ("true", "false"):
        raise error("invalid %s: %s" % (name, v))
    return v.lower() == "true"


def one_of(q, name, allowed, default):
    v = q.get(name) or default
    if v not in allowed:
        raise error("invalid %s: %s" % (name, v))
    return v


def when(value, name):
    """RFC 3339 (nanoseconds allowed) or YYYY-MM-DD (New York midnight)."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), NY)
        m = re.fullmatch(r"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})", value)
        if not m:
            raise ValueError(value)
        frac = (m.group(2) or "")[:7]
        t = dt.datetime.fromisoformat(m.group(1) + frac + (m.group(3).replace("Z", "+00:00")))
        return t
    except ValueError:
        raise error("invalid %s: %s" % (name, value))


def window(q, now):
    """[start, end]: start defaults to the beginning of the day, end to now; no data after now."""
    end = when(q["end"], "end") if q.get("end") else now
    start = when(q["start"], "start") if q.get("start") else \
        dt.datetime.combine(now.astimezone(NY).date(), dt.time(), NY)
    if end < start:
        raise error("end should not be before start")
    return max(start, DATA_START), min(end, now)


def feed(q, allowed, default="iex"):
    return one_of(q, "feed", allowed, default)


def currency(q):
    v = q.get("currency")
    if not v:
        return None
    if v not in CURRENCIES:
        raise error("invalid currency: %s" % v)
    return v


def adjustment(q):
    v = q.get("adjustment") or "raw"
    parts = [x.strip() for x in v.split(",")]
    if not parts or any(x not in ADJUSTMENTS for x in parts):
        raise error("invalid adjustment: %s" % v)
    if "all" in parts:
        return {"split", "dividend", "spin-off"}
    return set(parts) - {"raw"}


def asof(q):
    v = q.get("asof")
    if v and v != "-" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
        raise error("invalid asof: %s" % v)
    if v and v != "-":
        try:
            dt.date.fromisoformat(v)
        except ValueError:
            raise error("invalid asof: %s" % v)
    return v


class TimeFrame:
    """[1-59]Min|T, [1-23]Hour|H, 1Day|D, 1Week|W, [1,2,3,4,6,12]Month|M."""

    UNITS = {"Min": "min", "T": "min", "Hour": "hour", "H": "hour", "Day": "day", "D": "day",
             "Week": "week", "W": "week", "Month": "month", "M": "month"}

    def __init__(self, text):
        m = re.fullmatch(r"(\d+)(Min|T|Hour|H|Day|D|Week|W|Month|M)", text or "")
        if not m:
            raise error("invalid timeframe")
        self.n, self.unit = int(m.group(1)), self.UNITS[m.group(2)]
        caps = {"min": 59, "hour": 23, "day": 1, "week": 1}
        if self.unit == "month":
            if self.n not in (1, 2, 3, 4, 6, 12):
                raise error("invalid timeframe: months must be 1, 2, 3, 4, 6 or 12")
        elif not 1 <= self.n <= caps[self.unit]:
            raise error("timeframe period number is larger than the allowed maximum of %d" % caps[self.unit]
                        if self.n else "invalid timeframe")

    @property
    def minutes(self):
        """The length of an intraday bar in minutes (None for days and longer)."""
        return self.n if self.unit == "min" else self.n * 60 if self.unit == "hour" else None


def timeframe(q):
    if not q.get("timeframe"):
        raise error("missing timeframe")
    return TimeFrame(q["timeframe"])


# ------------------------------------------------------------ page tokens
# A token names the row the next page starts with: its symbol and its key
# (the key's parts as integers), base64 as Alpaca's are.
def token(symbol, key):
    return base64.b64encode(("%s|%s" % (symbol, "|".join(str(x) for x in key))).encode()).decode()


def untoken(q):
    v = q.get("page_token")
    if not v:
        return None, None
    try:
        text = base64.b64decode(v, validate=True).decode()
        sym, *parts = text.split("|")
        return sym, tuple(int(x) for x in parts)
    except (ValueError, UnicodeDecodeError):
        raise error("invalid page_token")
