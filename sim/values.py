"""Alpaca's values on the wire, shared by every part of the simulator.

Errors (ApiError and Alpaca's codes), decimals as Alpaca prints them,
timestamps, the small validators every handler uses, the kinds of answer a
handler may give besides a JSON body, and JSON with exact decimal numbers.
"""

import datetime as dt
import hashlib
import json
import os
import re
import uuid
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

NY = ZoneInfo("America/New_York")
CHICAGO = ZoneInfo("America/Chicago")
UTC = dt.timezone.utc
NS = uuid.UUID("6f1d2c3e-5a4b-4c8d-9e0f-a1b2c3d4e5f6")

# Alpaca's error codes, as seen in its error bodies.
E_INVALID = 40010001
E_UNAUTHORIZED = 40110000
E_FORBIDDEN = 40310000
E_NOT_FOUND = 40410000
E_UNPROCESSABLE = 42210000
E_RATE_LIMIT = 42910000
E_INTERNAL = 50010000


class ApiError(Exception):
    """An answer other than success.  The Trading API's bodies are
    {"code", "message"}; the Market Data API's are {"message"} (code None)."""

    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    def body(self):
        if self.code is None:
            return {"message": self.message}
        return {"code": self.code, "message": self.message}


def bad(message, status=422):
    return ApiError(status, E_INVALID, message)


def D(value, field):
    """Parse a decimal that Alpaca accepts as a JSON string or number."""
    if isinstance(value, bool) or value is None:
        raise bad("invalid %s" % field)
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        raise bad("invalid %s" % field)
    if not d.is_finite():
        raise bad("invalid %s" % field)
    return d


def s(d):
    """A decimal as Alpaca prints it: plain digits, no exponent."""
    if d is None:
        return None
    d = Decimal(d)
    if d == d.to_integral_value():
        return str(d.quantize(Decimal(1)))
    return format(d.normalize(), "f")


def money(d):
    return s(Decimal(d).quantize(Decimal("0.01")))


def iso(t):
    if t is None:
        return None
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def iso_ns(ns):
    """RFC 3339 with nanoseconds, as the Market Data API stamps its points
    (trailing zeros dropped, "Z" for UTC)."""
    secs, frac = divmod(int(ns), 10 ** 9)
    base = dt.datetime.fromtimestamp(secs, UTC).strftime("%Y-%m-%dT%H:%M:%S")
    if frac:
        base += ("." + "%09d" % frac).rstrip("0")
    return base + "Z"


def parse_time(value, field):
    """RFC 3339 or YYYY-MM-DD, as Alpaca's filters accept."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), NY)
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return t if t.tzinfo else t.replace(tzinfo=UTC)
    except (ValueError, TypeError):
        raise bad("invalid %s: %s" % (field, value), 400)


def parse_date(value, field):
    try:
        return dt.date.fromisoformat(value[:10])
    except (ValueError, TypeError):
        raise bad("invalid %s: %s" % (field, value), 400)


def one_of(value, allowed, field):
    if value not in allowed:
        raise bad("invalid %s: %s" % (field, value))
    return value


def flag(query, name, default=False):
    if name not in query:
        return default
    v = query[name].lower()
    if v not in ("true", "false"):
        raise bad("invalid %s: %s" % (name, query[name]), 400)
    return v == "true"


def obj(body):
    if not isinstance(body, dict):
        raise bad("request body must be a JSON object", 400)
    return body


def need(query, name):
    if not query.get(name):
        raise bad("%s is required" % name)
    return query[name]


def uuid_arg(value, what="watchlist id"):
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise bad("invalid %s: %s" % (what, value))


def by_id(items, i, what):
    """The item with id i, or Alpaca's 404."""
    found = next((x for x in items if x["id"] == i), None)
    if found is None:
        raise ApiError(404, E_NOT_FOUND, "%s not found" % what)
    return found


def stable_hash(*parts):
    """A stable 64-bit number from the parts: synthesized values, never random."""
    return int.from_bytes(hashlib.blake2b(repr(parts).encode(), digest_size=8).digest(), "big")


def seed_hash(*parts):
    """The simulator's older hash (sha256): kept where metadata was already derived from it."""
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8], "big")


# ------------------------------------------------------------------ answers
class Created(dict):
    """A 201 Created answer, as POST /v1/locates gives."""


class EventStream(str):
    """A text/event-stream answer: the events so far, then the stream ends."""


class LiveEvents:
    """A text/event-stream answer that stays open: the history, then new events."""

    def __init__(self, query, history):
        self.query = query
        self.history = history


class MultiStatus(list):
    """A 207 Multi-Status answer, as cancel-all and close-all give."""


class Binary:
    """Bytes of a given content type (a logo)."""

    def __init__(self, data, content_type):
        self.data, self.content_type = data, content_type


NO_CONTENT = object()
EMPTY_OK = object()


# ------------------------------------------------- JSON with exact numbers
# A Decimal goes out as its own digits, never through a binary float: it is
# encoded as a marker string (with a nonce no request can guess) and the
# marker is then replaced by the bare number.  Trailing zeros are dropped;
# a whole number keeps one decimal place (190.0: the Market Data API's
# prices are doubles, and the simulator has always written them so).
_NONCE = os.urandom(6).hex()
_OPEN, _CLOSE = '"\\u0000%s' % _NONCE, '\\u0001%s"' % _NONCE


def _default(o):
    if isinstance(o, Decimal):
        t = str(o)
        if "E" in t:
            t = s(o)
        elif "." in t:
            t = t.rstrip("0").rstrip(".")
        if "." not in t:
            t += ".0"        # a whole number still reads as a decimal one (190.0), as the simulator always wrote it
        return "\x00%s%s\x01%s" % (_NONCE, t, _NONCE)
    raise TypeError("%r is not JSON serializable" % (o,))


def dumps(payload):
    """JSON text, Decimals as exact numbers."""
    text = json.dumps(payload, default=_default)
    if _OPEN in text:
        text = text.replace(_OPEN, "").replace(_CLOSE, "")
    return text


def num(value, places=None):
    """A number for a Market Data answer: a Decimal, quantized if asked."""
    d = value if isinstance(value, Decimal) else Decimal(repr(value))
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places))
    return d
