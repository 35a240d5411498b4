#!/usr/bin/env python3
"""A stateful Alpaca paper-trading simulator for the Trading API v2.

Built from ../shared/alpaca (Alpaca's OpenAPI description and guides) so the
extension can be developed and tested with no network: it keeps an account,
assets, orders with Alpaca's lifecycle, positions, watchlists, activities,
option contracts, corporate actions and crypto funding, and answers with
Alpaca's status codes and {"code", "message"} error bodies.

Only the Python 3 standard library is used, so any Debian machine runs it.

Control endpoints live under /_sim/ (no keys needed) so tests can set
prices, freeze the clock, and inject faults (delays, errors, dropped
connections) into any API path.
"""

import argparse
import base64
import datetime as dt
import functools
import hashlib
import pickle
import random
import json
import math
import os
import re
import socket
import sys
import threading
import time
import uuid
from decimal import Decimal, InvalidOperation
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import streams

NY = ZoneInfo("America/New_York")
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

ORDER_TYPES = ("market", "limit", "stop", "stop_limit", "trailing_stop")
TIFS = ("day", "gtc", "opg", "cls", "ioc", "fok")
ORDER_CLASSES = ("simple", "bracket", "oco", "oto", "mleg", "")
INTENTS = ("buy_to_open", "buy_to_close", "sell_to_open", "sell_to_close")
OPEN_STATES = ("new", "accepted", "partially_filled", "pending_new", "held",
               "accepted_for_bidding", "pending_replace", "pending_cancel")


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


ASSETS = [
    # symbol, name, exchange, class, price, fractionable, shortable, status, attributes
    ("AAPL", "Apple Inc. Common Stock", "NASDAQ", "us_equity", "150", True, True, "active", ["has_options"]),
    ("MSFT", "Microsoft Corporation Common Stock", "NASDAQ", "us_equity", "400", True, True, "active", ["has_options"]),
    ("TSLA", "Tesla, Inc. Common Stock", "NASDAQ", "us_equity", "250", True, True, "active", ["has_options"]),
    ("SPY", "SPDR S&P 500 ETF Trust", "ARCA", "us_equity", "500", True, True, "active", ["has_options"]),
    ("GME", "GameStop Corp. Class A Common Stock", "NYSE", "us_equity", "25", False, False, "active", []),
    ("KKR", "KKR & Co. Inc. Common Stock", "NYSE", "us_equity", "120", True, True, "active", []),
    ("OLDCO", "Old Company Inc. (delisted)", "OTC", "us_equity", "1", False, False, "inactive", []),
    ("BTC/USD", "Bitcoin  / US Dollar", "CRYPTO", "crypto", "60000", True, False, "active", []),
    ("ETH/USD", "Ethereum / US Dollar", "CRYPTO", "crypto", "3000", True, False, "active", []),
]
OPTION_UNDERLYINGS = ("AAPL", "SPY", "TSLA")


class ApiError(Exception):
    def __init__(self, status, code, message):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


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


def parse_time(value, field):
    """RFC 3339 or YYYY-MM-DD, as Alpaca's filters accept."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), NY)
        t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return t if t.tzinfo else t.replace(tzinfo=UTC)
    except ValueError:
        raise bad("invalid %s: %s" % (field, value), 400)


def parse_date(value, field):
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
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


class Market:
    """The trading calendar and clock: NYSE hours in New York time."""

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


TICKER = re.compile(r"[A-Z]{1,5}(\.[A-Z])?")
PAIR = re.compile(r"([A-Z0-9]{2,10})/(USD|USDT|USDC|BTC)")
OCC = re.compile(r"([A-Z]{1,6})(\d{6})([CP])(\d{8})")
# volatility per minute of the random walk (about 30 % a year for stocks, 60 % for crypto)
SIGMA = {"us_equity": 0.0009, "crypto": 0.0012}


class Sim:
    def __init__(self, key_id, secret_key, seed=1, market="auto", walk=True, universe=0, state_file=None):
        self.key_id, self.secret_key = key_id, secret_key
        self.seed, self.default_market, self.default_walk = seed, market, walk
        self.universe, self.state_file = universe, state_file
        self.lock = threading.RLock()
        self.faults = []
        self.streams = streams.Streams(self)
        self.reset()
        if state_file and os.path.exists(state_file):
            self.load_state()

    # ------------------------------------------------------------------ state
    def reset(self):
        self.streams.reset()
        self.config = {"market": self.default_market, "now": None, "fill_delay_ms": 0,
                       "partial_fill": False, "rate_limit": None, "walk": self.default_walk}
        self.account_id = str(uuid.uuid5(NS, "account"))
        self.created = dt.datetime(2024, 1, 2, 15, 0, tzinfo=UTC)
        self.cash = Decimal("100000")
        self.assets = {}
        self._base_prices = {}    # the curated assets' first prices
        for sym, name, exch, cls, price, frac, short, status, attrs in ASSETS:
            a = {"id": str(uuid.uuid5(NS, "asset:" + sym)), "class": cls, "exchange": exch,
                 "symbol": sym, "name": name, "status": status, "tradable": status == "active",
                 "marginable": cls == "us_equity", "maintenance_margin_requirement": 30,
                 "margin_requirement_long": "30", "margin_requirement_short": "100",
                 "shortable": short, "easy_to_borrow": short, "fractionable": frac,
                 "attributes": attrs}
            if cls == "us_equity":
                a["cusip"] = {"AAPL": "037833100", "MSFT": "594918104", "TSLA": "88160R101",
                              "SPY": "78462F103", "KKR": "48251W104"}.get(sym)
                a["borrow_status"] = "easy_to_borrow" if short else "hard_to_borrow"
            else:
                a["min_order_size"] = "0.0001"
                a["min_trade_increment"] = "0.0001"
                a["price_increment"] = "1" if sym == "BTC/USD" else "0.1"
            self.assets[sym] = a
            self._base_prices[sym] = Decimal(price)
        # the price path of each symbol: segments (anchor minute, anchor price,
        # cumulative log returns), a new one from each pin; see price_at()
        self.paths = {}
        self.synth = {}           # symbols synthesized on first use (listed: --assets N)
        self.synth_contracts = {}
        self.ledger = []          # (epoch seconds, symbol or None, qty change, cash change): replayed by history
        self.orders = []          # newest last
        self.positions = {}       # symbol -> {"qty", "cost", "lastday"}
        self.activities = []
        self.watchlists = []
        self.dne = set()
        self.acct_config = {"dtbp_check": "entry", "trade_confirm_email": "all",
                            "suspend_trade": False, "no_shorting": False,
                            "fractional_trading": True, "max_margin_multiplier": "4",
                            "max_options_trading_level": 3, "pdt_check": "entry",
                            "ptp_no_exception_entry": False, "disable_overnight_trading": False}
        self.whitelists = []
        self.transfers = []
        self.locates = []
        self.leverage = {}
        self.perp_whitelists = []
        # the perpetuals wallet starts with one deposit of collateral
        self.perp_transfers = [{"id": str(uuid.uuid5(NS, "perp-deposit")), "direction": "INCOMING",
                                "status": "COMPLETE", "amount": "10000", "usd_value": "10000",
                                "network_fee": "0", "fees": "0", "chain": "ARB", "asset": "USDC",
                                "from_address": "0x" + "ab" * 20, "to_address": self.perp_wallet()["address"],
                                "tx_hash": "0x" + "cd" * 32, "created_at": iso(self.created)}]
        self.tokenization = []
        for i in range(self.universe):   # --assets N: a listed universe, like Alpaca's 30,000
            sym = "".join(chr(65 + (i // 26 ** k) % 26) for k in range(4))
            if sym not in self.assets:
                self.assets[sym] = self.synth_asset(sym)
        self.requests = 0
        self.request_times = []   # monotonic seconds of each API request, for max_per_minute
        self._seed_activities()

    def now(self):
        if self.config["now"]:
            return parse_time(self.config["now"], "now")
        return dt.datetime.now(UTC)

    def market_open(self):
        m = self.config["market"]
        return Market.open_at(self.now()) if m == "auto" else m == "open"

    def _seed_activities(self):
        base = dt.datetime(2026, 10, 1, 12, 0, tzinfo=UTC)
        seeds = [("CSD", None, "50000", None, None, None), ("DIV", "CDIV", "12.5", "AAPL", "50", "0.25"),
                 ("FEE", "REG", "-0.02", None, None, None), ("INT", None, "1.37", None, None, None)]
        for i in range(60):
            kind = seeds[i % 4]
            t = base + dt.timedelta(hours=13 * i)
            a = {"id": t.strftime("%Y%m%d%H%M%S%f")[:17] + "::" + str(uuid.uuid5(NS, "act%d" % i)),
                 "activity_type": kind[0], "date": iso(t), "created_at": iso(t),
                 "net_amount": kind[2], "description": "", "status": "executed", "currency": "USD"}
            if kind[1]:
                a["activity_sub_type"] = kind[1]
            if kind[3]:
                a.update(symbol=kind[3], qty=kind[4], per_share_amount=kind[5], cusip="037833100")
            self.activities.append(a)

    # ---------------------------------------------------------------- helpers
    def _h(self, *parts):
        """A stable number from the seed and the parts: synthesized metadata, never random."""
        return int.from_bytes(hashlib.sha256(repr((self.seed,) + parts).encode()).digest()[:8], "big")

    def synth_asset(self, sym):
        """An asset for any well-formed symbol: a US ticker or a crypto pair."""
        h = self._h("asset", sym)
        if TICKER.fullmatch(sym):
            short = h % 5 != 0
            return {"id": str(uuid.uuid5(NS, "asset:" + sym)), "class": "us_equity",
                    "exchange": ("NASDAQ", "NYSE", "ARCA", "AMEX")[h % 4], "symbol": sym,
                    "name": "%s Corporation Common Stock" % sym.title(), "status": "active", "tradable": True,
                    "marginable": True, "maintenance_margin_requirement": 30, "margin_requirement_long": "30",
                    "margin_requirement_short": "100", "shortable": short, "easy_to_borrow": short and h % 3 != 0,
                    "fractionable": h % 4 != 0, "attributes": ["has_options"] if h % 2 == 0 else [],
                    "cusip": "%09d" % (h % 10 ** 9), "borrow_status": "easy_to_borrow" if short else "hard_to_borrow"}
        m = PAIR.fullmatch(sym)
        if m:
            return {"id": str(uuid.uuid5(NS, "asset:" + sym)), "class": "crypto", "exchange": "CRYPTO",
                    "symbol": sym, "name": "%s / %s" % m.groups(), "status": "active", "tradable": True,
                    "marginable": False, "maintenance_margin_requirement": 100, "margin_requirement_long": "100",
                    "margin_requirement_short": "100", "shortable": False, "easy_to_borrow": False,
                    "fractionable": True, "attributes": [], "min_order_size": "0.0001",
                    "min_trade_increment": "0.0001", "price_increment": "0.0001"}
        return None

    def synth_price(self, sym, a):
        """The first price of a synthesized symbol."""
        h = self._h("price", sym)
        if a["class"] == "crypto":
            if sym.endswith("/BTC"):
                return Decimal(1 + h % 9999) / Decimal(100000)
            return Decimal(1 + h % 9) * Decimal(10) ** (h % 6 - 2)
        return Decimal(500 + h % 49500) / Decimal(100)

    def asset(self, key):
        key = unquote(key)
        up = key.upper()
        a = self.assets.get(up) or self.assets.get(key.replace("-", "/").upper()) or self.synth.get(up)
        if a is None:
            a = next((x for x in list(self.assets.values()) + list(self.synth.values()) if x["id"] == key), None)
        if a is None and up.replace("/", "").endswith("USD") and "/" not in key:
            a = self.assets.get(up[:-3] + "/USD") or self.synth.get(up[:-3] + "/USD")
        if a is None:
            c = self.contract(key)
            if c:
                return {"id": c["id"], "symbol": c["symbol"], "class": "us_option", "exchange": "",
                        "status": "active", "tradable": True, "fractionable": False,
                        "shortable": False, "marginable": False}
        if a is None and key == up:
            # any well-formed symbol trades, with metadata of its own
            a = self.synth_asset(up)
            if a is not None:
                self.synth[up] = a
        return a

    def tick(self, a, px):
        """A price on the symbol's grid: cents for stocks from a dollar, the asset's increment for crypto."""
        if a["class"] == "crypto":
            inc = Decimal(a.get("price_increment", "0.0001"))
            return max(inc, (px / inc).to_integral_value() * inc)
        q = Decimal("0.01") if px >= 1 else Decimal("0.0001")
        return max(q, px.quantize(q))

    def _path(self, sym, a):
        if sym not in self.paths:
            base = self._base_prices.get(sym)
            if base is None:
                base = self.synth_price(sym, a)
            # the first segment reaches back to the start of time, flat until
            # the simulator first saw the symbol, walking from then on
            seg = self._segment(sym, 0, base)
            seg["walk_from"] = int(self.now().timestamp()) // 60
            self.paths[sym] = [seg]
        return self.paths[sym]

    def _segment(self, sym, k0, p0):
        return {"k0": k0, "p0": Decimal(p0), "logs": [0.0],
                "rng": random.Random("%s:%s:%d:%s" % (self.seed, sym, k0, p0))}

    def pin(self, sym, px):
        """Set a price now; the walk goes on from there (tests freeze now or turn it off)."""
        a = self.asset(sym)
        if a is None:
            raise bad("unknown symbol: %s" % sym, 400)
        segs = self._path(a["symbol"], a)
        k = int(self.now().timestamp()) // 60
        segs[:] = [x for x in segs if x["k0"] < k] + [self._segment(a["symbol"], k, px)]

    def price_at(self, sym, t):
        """The price at time t: a seeded random walk, one step a minute, from the last pin before t."""
        c = self.contract(sym) if OCC.fullmatch(sym) else None
        if c is not None:
            return self.option_price(c, t)
        a = self.asset(sym)
        if a is None:
            raise bad("no price for " + sym)
        sym = a["symbol"]
        segs = self._path(sym, a)
        k = int(t.timestamp()) // 60
        seg = next((x for x in reversed(segs) if x["k0"] <= k), segs[0])
        start = seg.get("walk_from", seg["k0"])
        if not self.config["walk"] or k <= start:
            return seg["p0"]
        sigma = SIGMA.get(a["class"], 0.0009)
        logs = seg["logs"]
        while len(logs) <= k - start:
            logs.append(logs[-1] + sigma * seg["rng"].gauss(0.0, 1.0))
        return self.tick(a, seg["p0"] * Decimal(str(math.exp(logs[k - start]))))

    def price(self, symbol):
        return self.price_at(symbol, self.now())

    def option_price(self, c, t):
        """An option's price from its underlying's: intrinsic value and time value."""
        u = self.price_at(c["underlying_symbol"], t)
        strike = Decimal(c["strike_price"])
        intrinsic = max(Decimal(0), (u - strike) if c["type"] == "call" else (strike - u))
        days = (dt.date.fromisoformat(c["expiration_date"]) - t.astimezone(NY).date()).days
        return (intrinsic + u * Decimal("0.004") * Decimal(math.sqrt(max(days, 1)))).quantize(Decimal("0.01"))

    def _book(self, t, sym, qty, cash):
        """One change of a holding or of cash, for history to replay."""
        self.ledger.append((t.timestamp(), sym, qty, cash))

    def equity_at(self, t):
        """Cash and holdings as they stood at t, valued at the prices of t."""
        cash, held, ts = Decimal("100000"), {}, t.timestamp()
        for at, sym, qty, dcash in self.ledger:   # in booking order, which a test's clock may reorder
            if at > ts:
                continue
            cash += dcash
            if sym:
                held[sym] = held.get(sym, Decimal(0)) + qty
        value = cash
        for sym, qty in held.items():
            if qty:
                a = self.asset(sym)
                value += qty * self.price_at(sym, t) * self.multiplier(a)
        return value

    def last_close(self, t=None):
        """The most recent market close before t (default now)."""
        local = (t or self.now()).astimezone(NY)
        d = local.date()
        if Market.is_trading_day(d) and local >= Market.hours(d)[1]:
            return Market.hours(d)[1]
        d -= dt.timedelta(days=1)
        while not Market.is_trading_day(d):
            d -= dt.timedelta(days=1)
        return Market.hours(d)[1]

    def multiplier(self, asset):
        return Decimal(100) if asset["class"] == "us_option" else Decimal(1)

    # ---------------------------------------------------------------- account
    def position_values(self):
        long_mv = short_mv = Decimal(0)
        for sym, p in self.positions.items():
            mv = p["qty"] * self.price(sym) * self.multiplier(self.asset(sym))
            if mv >= 0:
                long_mv += mv
            else:
                short_mv += mv
        return long_mv, short_mv

    def reserved(self):
        total = Decimal(0)
        for o in self.orders:
            if o["status"] in OPEN_STATES and o["side"] == "buy" and not o.get("_leg"):
                a = self.asset(o["symbol"])
                px = Decimal(o["limit_price"]) if o.get("limit_price") else self.price(o["symbol"])
                if o.get("notional"):
                    total += Decimal(o["notional"])
                else:
                    total += (Decimal(o["qty"]) - Decimal(o["filled_qty"])) * px * self.multiplier(a)
        return total

    def account(self):
        long_mv, short_mv = self.position_values()
        equity = self.cash + long_mv + short_mv
        bp = max(Decimal(0), 2 * equity - long_mv + short_mv - self.reserved())
        return {"id": self.account_id, "account_number": "PA3SIM0001", "status": "ACTIVE",
                "crypto_status": "ACTIVE", "currency": "USD", "cash": money(self.cash),
                "buying_power": money(bp), "regt_buying_power": money(bp),
                "daytrading_buying_power": money(max(Decimal(0), 4 * equity - long_mv + short_mv)),
                "non_marginable_buying_power": money(max(Decimal(0), self.cash - self.reserved())),
                "options_buying_power": money(max(Decimal(0), self.cash - self.reserved())),
                "effective_buying_power": money(bp),
                "equity": money(equity), "last_equity": money(self.equity_at(self.last_close())),
                "portfolio_value": money(equity),
                "long_market_value": money(long_mv), "short_market_value": money(short_mv),
                "initial_margin": money(long_mv / 2 - short_mv / 2),
                "maintenance_margin": money(long_mv * Decimal("0.3") - short_mv * Decimal("0.3")),
                "last_maintenance_margin": "0", "sma": "0", "multiplier": "2",
                "daytrade_count": 0, "pattern_day_trader": False, "trading_blocked": False,
                "transfers_blocked": False, "account_blocked": False,
                "trade_suspended_by_user": self.acct_config["suspend_trade"],
                "shorting_enabled": not self.acct_config["no_shorting"],
                "options_approved_level": 3, "options_trading_level": 3,
                "accrued_fees": "0", "pending_transfer_in": "0", "pending_transfer_out": "0",
                "pending_reg_taf_fees": "0", "intraday_adjustments": "0",
                "balance_asof": (self.now().astimezone(NY).date() - dt.timedelta(days=1)).isoformat(),
                "created_at": iso(self.created)}

    def patch_config(self, body):
        cfg = dict(self.acct_config)
        kinds = {"dtbp_check": ("both", "entry", "exit"), "pdt_check": ("both", "entry", "exit"),
                 "trade_confirm_email": ("all", "none"), "max_options_trading_level": (0, 1, 2, 3)}
        for k, v in body.items():
            if k not in cfg:
                raise bad("unknown configuration: %s" % k, 400)
            if k in kinds:
                if v not in kinds[k]:
                    raise bad("invalid %s: %s" % (k, v))
            elif k == "max_margin_multiplier":
                if str(v) not in ("1", "2", "4"):
                    raise bad("invalid max_margin_multiplier: %s" % v)
                v = str(v)
            elif not isinstance(v, bool):
                raise bad("invalid %s: %s" % (k, v))
            cfg[k] = v
        self.acct_config = cfg
        return cfg

    # ----------------------------------------------------------------- orders
    def new_order(self, body, replaces=None):
        now = self.now()
        if self.acct_config["suspend_trade"]:
            raise ApiError(403, E_FORBIDDEN, "trading is suspended for this account")
        order_class = body.get("order_class") or "simple"
        one_of(order_class, ORDER_CLASSES, "order_class")
        otype = body.get("type") or body.get("order_type")
        if otype is None:
            raise bad("type is required")
        one_of(otype, ORDER_TYPES, "order type")
        tif = body.get("time_in_force")
        if tif is None:
            raise bad("time_in_force is required")
        one_of(tif, TIFS, "time_in_force")
        if body.get("position_intent") is not None:
            one_of(body["position_intent"], INTENTS, "position_intent")
        cid = body.get("client_order_id") or str(uuid.uuid4())
        if len(cid) > 128:
            raise bad("client_order_id must be no more than 128 characters")
        if any(o["client_order_id"] == cid for o in self.orders):
            raise bad("client_order_id must be unique")
        if order_class == "mleg":
            return self._new_mleg(body, otype, tif, cid, now)
        symbol = body.get("symbol")
        if not symbol:
            raise bad("symbol is required")
        asset = self.asset(symbol)
        if asset is None:
            raise bad("asset \"%s\" not found" % symbol)
        if not asset["tradable"]:
            raise bad("asset %s is not tradable" % asset["symbol"])
        side = body.get("side")
        if side is None:
            raise bad("side is required")
        one_of(side, ("buy", "sell"), "side")
        qty = notional = None
        if body.get("qty") is not None and body.get("notional") is not None:
            raise bad("qty and notional cannot both be specified")
        if body.get("qty") is not None:
            qty = D(body["qty"], "qty")
            if qty <= 0:
                raise bad("qty must be > 0")
        elif body.get("notional") is not None:
            notional = D(body["notional"], "notional")
            if notional <= 0:
                raise bad("notional must be > 0")
            if otype != "market" or tif != "day" and asset["class"] != "crypto":
                raise bad("notional orders only work with market orders and day time in force")
        else:
            raise bad("qty or notional is required")
        fractional = (qty is not None and qty != qty.to_integral_value()) or notional is not None
        if fractional and asset["class"] == "us_equity":
            if not asset["fractionable"]:
                raise bad("requested asset is not fractionable")
            if otype != "market" or tif != "day":
                raise bad("fractional orders must be market orders with day time in force")
        if asset["class"] == "crypto" and tif not in ("gtc", "ioc"):
            raise bad("invalid crypto time_in_force")
        if asset["class"] == "us_option" and tif != "day":
            raise bad("options orders must be day orders")
        prices = {}
        for f in ("limit_price", "stop_price", "trail_price", "trail_percent"):
            if body.get(f) is not None:
                prices[f] = D(body[f], f)
                if prices[f] <= 0:
                    raise bad("%s must be > 0" % f)
        if otype in ("limit", "stop_limit") and "limit_price" not in prices:
            raise bad("limit_price is required for %s orders" % otype)
        if otype in ("stop", "stop_limit") and "stop_price" not in prices:
            raise bad("stop_price is required for %s orders" % otype)
        if otype == "trailing_stop" and ("trail_price" in prices) == ("trail_percent" in prices):
            raise bad("one of trail_price or trail_percent is required for trailing_stop orders")
        if otype == "market" and ("limit_price" in prices or "stop_price" in prices):
            raise bad("limit_price and stop_price are not allowed for market orders")
        if body.get("extended_hours") and (otype != "limit" or tif not in ("day", "gtc")):
            raise bad("extended hours order must be DAY or GTC limit orders")
        tp, sl = body.get("take_profit"), body.get("stop_loss")
        if order_class == "bracket" and not (tp and sl):
            raise bad("bracket orders require take_profit and stop_loss")
        if order_class == "oco" and not (tp and sl and otype == "limit"):
            raise bad("oco orders must be limit orders with take_profit and stop_loss")
        if order_class == "oto" and not (tp or sl) or order_class == "oto" and tp and sl:
            raise bad("oto orders require one of take_profit or stop_loss")
        if order_class == "simple" and (tp or sl):
            raise bad("take_profit and stop_loss require an advanced order_class")
        # buying power and holdings
        px = prices.get("limit_price") or self.price(asset["symbol"])
        cost = notional if notional is not None else qty * px * self.multiplier(asset)
        held = self.positions.get(asset["symbol"], {"qty": Decimal(0)})["qty"]
        if side == "buy" and (held >= 0 or qty is None or qty > -held):
            if cost > Decimal(self.account()["buying_power"]):
                raise ApiError(403, E_FORBIDDEN, "insufficient buying power")
        if side == "sell" and order_class != "oco":
            want = qty if qty is not None else notional / px
            available = held - self._pending_sell(asset["symbol"])
            if want > available and (not asset["shortable"] or self.acct_config["no_shorting"]
                                     or fractional or available > 0):
                raise ApiError(403, E_FORBIDDEN,
                               "insufficient qty available for order (requested: %s, available: %s)"
                               % (s(want), s(max(available, Decimal(0)))))
        o = self._order_obj(asset, cid, now, otype, side, tif, qty, notional, prices, order_class,
                            body.get("extended_hours", False), body.get("position_intent"))
        if replaces:
            o["replaces"] = replaces
        legs = []
        exit_side = "sell" if side == "buy" else "buy"
        if tp:
            legs.append(self._order_obj(asset, str(uuid.uuid4()), now, "limit", exit_side, tif, qty, None,
                                        {"limit_price": D(tp.get("limit_price"), "take_profit.limit_price")},
                                        order_class, False, None))
        if sl:
            slp = {"stop_price": D(sl.get("stop_price"), "stop_loss.stop_price")}
            if sl.get("limit_price") is not None:
                slp["limit_price"] = D(sl["limit_price"], "stop_loss.limit_price")
            legs.append(self._order_obj(asset, str(uuid.uuid4()), now,
                                        "stop_limit" if "limit_price" in slp else "stop",
                                        exit_side, tif, qty, None, slp, order_class, False, None))
        if order_class == "oco":
            # the parent is the take-profit limit; the stop-loss is its only leg
            o["limit_price"] = s(D(tp.get("limit_price"), "take_profit.limit_price"))
            legs = legs[1:]
        for leg in legs:
            leg["_leg"] = True
            leg["status"] = "held" if order_class in ("bracket", "oto") else "new"
        o["legs"] = legs or None
        self.orders.append(o)
        self.orders.extend(legs)
        return o

    def _new_mleg(self, body, otype, tif, cid, now):
        legs = body.get("legs") or []
        if not 2 <= len(legs) <= 4:
            raise bad("mleg orders require 2 to 4 legs")
        if body.get("qty") is None:
            raise bad("qty is required for mleg orders")
        qty = D(body["qty"], "qty")
        if qty <= 0 or qty != qty.to_integral_value():
            raise bad("qty must be a positive whole number")
        if otype not in ("market", "limit"):
            raise bad("mleg orders must be market or limit orders")
        if otype == "limit" and body.get("limit_price") is None:
            raise bad("limit_price is required for limit orders")
        prices = {"limit_price": D(body["limit_price"], "limit_price")} if body.get("limit_price") else {}
        children = []
        for leg in legs:
            c = self.contract(leg.get("symbol", ""))
            if c is None:
                raise bad("asset \"%s\" not found" % leg.get("symbol"))
            one_of(leg.get("side"), ("buy", "sell"), "side")
            ratio = D(leg.get("ratio_qty"), "ratio_qty")
            a = self.asset(c["symbol"])
            child = self._order_obj(a, str(uuid.uuid4()), now, otype, leg["side"], tif, qty * ratio, None,
                                    {}, "mleg", False, leg.get("position_intent"))
            child["ratio_qty"] = s(ratio)
            child["_leg"] = True
            children.append(child)
        debit = sum((self.price(ch["symbol"]) * (1 if ch["side"] == "buy" else -1) for ch in children), Decimal(0))
        side = "buy" if debit >= 0 else "sell"
        o = self._order_obj({"symbol": "", "id": str(uuid.UUID(int=0)), "class": "us_option"}, cid, now,
                            otype, side, tif, qty, None, prices, "mleg", False, None)
        o["symbol"] = ""
        o["position_intent"] = None
        o["asset_id"] = str(uuid.UUID(int=0))
        o["legs"] = children
        self.orders.append(o)
        self.orders.extend(children)
        return o

    def _pending_sell(self, symbol):
        return sum((Decimal(o["qty"]) - Decimal(o["filled_qty"]) for o in self.orders
                    if o["symbol"] == symbol and o["side"] == "sell" and o["status"] in OPEN_STATES
                    and o.get("qty") and not o.get("_leg")), Decimal(0))

    def _order_obj(self, asset, cid, now, otype, side, tif, qty, notional, prices, order_class,
                   extended, intent):
        return {"id": str(uuid.uuid4()), "client_order_id": cid, "created_at": iso(now),
                "updated_at": iso(now), "submitted_at": iso(now), "filled_at": None,
                "expired_at": None, "expires_at": iso(Market.hours(now.astimezone(NY).date())[1]),
                "canceled_at": None, "failed_at": None, "replaced_at": None, "replaced_by": None,
                "replaces": None, "asset_id": asset["id"], "symbol": asset["symbol"],
                "asset_class": asset["class"], "notional": s(notional) if notional is not None else None,
                "qty": s(qty) if qty is not None else None, "filled_qty": "0", "filled_avg_price": None,
                "order_class": order_class if order_class != "simple" else "", "order_type": otype,
                "type": otype, "side": side,
                "position_intent": intent or (("buy_to_open" if side == "buy" else "sell_to_close")
                                              if side else None),
                "time_in_force": tif,
                "limit_price": s(prices["limit_price"]) if "limit_price" in prices else None,
                "stop_price": s(prices["stop_price"]) if "stop_price" in prices else None,
                "status": "accepted", "extended_hours": bool(extended), "legs": None,
                "trail_percent": s(prices["trail_percent"]) if "trail_percent" in prices else None,
                "trail_price": s(prices["trail_price"]) if "trail_price" in prices else None,
                "hwm": None, "subtag": None, "source": None, "expires_after": None}

    def public_order(self, o, nested=True):
        # position_intent is absent, not null, where it does not apply (mleg parents)
        out = {k: v for k, v in o.items() if not k.startswith("_") and not (k == "position_intent" and v is None)}
        if o.get("legs") is not None:
            out["legs"] = [self.public_order(x) for x in o["legs"]] if nested else None
        return out

    def find_order(self, oid):
        o = next((x for x in self.orders if x["id"] == oid), None)
        if o is None:
            raise ApiError(404, E_NOT_FOUND, "order not found for %s" % oid)
        return o

    def cancel(self, o, now):
        if o["status"] not in OPEN_STATES:
            raise ApiError(422, E_UNPROCESSABLE, "order is not cancelable (status: %s)" % o["status"])
        o["status"] = "canceled"
        o["canceled_at"] = o["updated_at"] = iso(now)
        for leg in o.get("legs") or []:
            if leg["status"] in OPEN_STATES:
                leg["status"] = "canceled"
                leg["canceled_at"] = leg["updated_at"] = iso(now)

    def replace(self, o, body):
        now = self.now()
        if o["status"] not in ("new", "accepted", "partially_filled", "held"):
            raise ApiError(422, E_UNPROCESSABLE, "order is not replaceable (status: %s)" % o["status"])
        if o.get("_leg") or o.get("order_class") == "mleg":
            raise bad("replacing legs of advanced orders is not supported")
        for k in body:
            if k not in ("qty", "time_in_force", "limit_price", "stop_price", "trail", "client_order_id",
                         "notional", "advanced_instructions"):
                raise bad("unknown parameter: %s" % k, 400)
        new = {"symbol": o["symbol"], "side": o["side"], "type": o["type"],
               "time_in_force": body.get("time_in_force", o["time_in_force"]),
               "qty": body.get("qty", o["qty"]), "limit_price": body.get("limit_price", o["limit_price"]),
               "stop_price": body.get("stop_price", o["stop_price"]),
               "extended_hours": o["extended_hours"], "client_order_id": body.get("client_order_id")}
        if o["type"] == "trailing_stop":
            key = "trail_price" if o["trail_price"] else "trail_percent"
            new[key] = body.get("trail", o[key])
        elif "trail" in body:
            raise bad("trail is only valid for trailing_stop orders")
        # the old order's reservation is released for the check, as Alpaca does
        status = o["status"]
        o["status"] = "pending_replace"
        try:
            n = self.new_order(new, replaces=o["id"])
        finally:
            o["status"] = status
        o["status"] = "replaced"
        o["replaced_at"] = o["updated_at"] = iso(now)
        o["replaced_by"] = n["id"]
        return n

    # ------------------------------------------------------------ the market
    def advance(self):
        """Fill what the simulated prices allow; called before every API request."""
        now = self.now()
        is_open = self.market_open()
        for w in self.whitelists + self.perp_whitelists:
            w["status"] = "APPROVED"
        for o in list(self.orders):
            if o["status"] not in ("accepted", "new", "partially_filled"):
                continue
            if o.get("order_class") == "mleg" and o.get("_leg"):
                continue
            age = (now - parse_time(o["created_at"], "created_at")).total_seconds() * 1000
            if self.config["fill_delay_ms"] and age < self.config["fill_delay_ms"]:
                continue
            if o["asset_class"] != "crypto" and not is_open:
                o["status"] = "new" if o["status"] == "accepted" else o["status"]
                continue
            if o.get("order_class") == "mleg":
                self._fill_mleg(o, now)
                continue
            px = self.price(o["symbol"])
            fill = self._fill_price(o, px)
            if fill is None:
                if o["time_in_force"] in ("ioc", "fok"):
                    self.cancel(o, now)
                elif o["status"] == "accepted":
                    o["status"] = "new"
                continue
            self._fill(o, fill, now)

    def _fill_price(self, o, px):
        buy = o["side"] == "buy"
        t = o["type"]
        if t in ("stop", "stop_limit") and not o.get("_triggered"):
            stop = Decimal(o["stop_price"])
            if (buy and px < stop) or (not buy and px > stop):
                return None
            o["_triggered"] = True
        if t == "trailing_stop":
            hwm = Decimal(o["hwm"]) if o["hwm"] else px
            hwm = max(hwm, px) if not buy else min(hwm, px)
            o["hwm"] = s(hwm)
            if o["trail_price"]:
                trail = Decimal(o["trail_price"])
            else:
                trail = hwm * Decimal(o["trail_percent"]) / 100
            o["stop_price"] = s((hwm - trail) if not buy else (hwm + trail))
            stop = Decimal(o["stop_price"])
            if (not buy and px > stop) or (buy and px < stop):
                return None
        if t in ("limit", "stop_limit"):
            limit = Decimal(o["limit_price"])
            if (buy and px > limit) or (not buy and px < limit):
                return None
        return px

    def _fill(self, o, px, now, qty=None):
        a = self.asset(o["symbol"])
        if qty is None:
            total = Decimal(o["qty"]) if o["qty"] else (Decimal(o["notional"]) / px).quantize(Decimal("1e-9"))
            remaining = total - Decimal(o["filled_qty"])
            qty = remaining
            if self.config["partial_fill"] and o["status"] != "partially_filled" and remaining > 1:
                qty = (remaining / 2).to_integral_value()
            if o["qty"] is None:
                o["qty"] = s(total)
        else:
            total = qty
        filled = Decimal(o["filled_qty"]) + qty
        prev_avg = Decimal(o["filled_avg_price"]) if o["filled_avg_price"] else Decimal(0)
        avg = (prev_avg * Decimal(o["filled_qty"]) + px * qty) / filled
        o["filled_qty"] = s(filled)
        o["filled_avg_price"] = s(avg.quantize(Decimal("1e-6")))
        o["status"] = "filled" if filled >= total else "partially_filled"
        o["updated_at"] = iso(now)
        if o["status"] == "filled":
            o["filled_at"] = iso(now)
        signed = qty if o["side"] == "buy" else -qty
        mult = self.multiplier(a)
        p = self.positions.setdefault(a["symbol"], {"qty": Decimal(0), "cost": Decimal(0),
                                                    "lastday": self.price(a["symbol"])})
        if p["qty"] == 0 or (p["qty"] > 0) == (signed > 0):
            p["cost"] += px * signed
        else:
            closing = min(abs(signed), abs(p["qty"]))
            avg_entry = p["cost"] / p["qty"]
            p["cost"] -= avg_entry * closing * (1 if p["qty"] > 0 else -1)
            if abs(signed) > abs(p["qty"]):
                p["cost"] = px * (signed + p["qty"])
        p["qty"] += signed
        self.cash -= px * signed * mult
        self._book(now, a["symbol"], signed, -px * signed * mult)
        if p["qty"] == 0:
            del self.positions[a["symbol"]]
        self.activities.append({
            "id": now.strftime("%Y%m%d%H%M%S%f")[:17] + "::" + str(uuid.uuid4()),
            "activity_type": "FILL", "transaction_time": iso(now),
            "type": "fill" if o["status"] == "filled" else "partial_fill",
            "price": s(px), "qty": s(qty), "side": o["side"], "symbol": a["symbol"],
            "leaves_qty": s(total - filled), "order_id": o["id"], "cum_qty": s(filled),
            "order_status": o["status"]})
        if o["status"] == "filled":
            self._after_fill(o, now)

    def _fill_mleg(self, o, now):
        net = Decimal(0)
        for leg in o["legs"]:
            px = self.price(leg["symbol"])
            net += px if leg["side"] == "buy" else -px
        if o["type"] == "limit" and net > Decimal(o["limit_price"]):
            o["status"] = "new"
            return
        for leg in o["legs"]:
            self._fill(leg, self.price(leg["symbol"]), now)
        o["filled_qty"] = o["qty"]
        o["filled_avg_price"] = s(net)
        o["status"] = "filled"
        o["filled_at"] = o["updated_at"] = iso(now)

    def _after_fill(self, o, now):
        parent = next((p for p in self.orders if o in (p.get("legs") or [])), None)
        if o.get("legs") and o["order_class"] in ("bracket", "oto"):
            for leg in o["legs"]:
                if leg["status"] == "held":
                    leg["status"] = "new"
        if parent is not None and parent["order_class"] in ("bracket", "oco", "oto"):
            for leg in parent["legs"]:
                if leg is not o and leg["status"] in OPEN_STATES:
                    leg["status"] = "canceled"
                    leg["canceled_at"] = leg["updated_at"] = iso(now)
        if o["order_class"] == "oco" and o.get("legs"):
            for leg in o["legs"]:
                if leg["status"] in OPEN_STATES:
                    leg["status"] = "canceled"
                    leg["canceled_at"] = leg["updated_at"] = iso(now)
        if o["order_class"] == "oco" and parent is not None and parent["status"] in OPEN_STATES:
            parent["status"] = "canceled"
            parent["canceled_at"] = parent["updated_at"] = iso(now)

    # -------------------------------------------------------------- positions
    def position(self, sym):
        p = self.positions[sym]
        a = self.asset(sym)
        mult = self.multiplier(a)
        px = self.price(sym)
        p["lastday"] = self.price_at(sym, self.last_close())
        qty = p["qty"]
        avg = p["cost"] / qty
        mv = qty * px * mult
        cost = qty * avg * mult
        pl = mv - cost
        intraday = mv - qty * p["lastday"] * mult
        q = Decimal("1e-10")
        held = sum((Decimal(o["qty"]) - Decimal(o["filled_qty"]) for o in self.orders
                    if o["symbol"] == sym and o["status"] in OPEN_STATES and o.get("qty")
                    and (o["side"] == "sell") == (qty > 0) and not o.get("_leg")), Decimal(0))
        return {"asset_id": a["id"], "symbol": sym, "exchange": a["exchange"] if a["class"] == "us_equity" else "",
                "asset_class": a["class"], "asset_marginable": a["marginable"],
                "qty": s(qty), "qty_available": s(qty - held if qty > 0 else qty + held),
                "avg_entry_price": s(avg.quantize(Decimal("1e-6"))),
                "side": "long" if qty > 0 else "short", "market_value": money(mv),
                "cost_basis": money(cost), "unrealized_pl": money(pl),
                "unrealized_plpc": s((pl / abs(cost)).quantize(q)) if cost else "0",
                "unrealized_intraday_pl": money(intraday),
                "unrealized_intraday_plpc": s((intraday / abs(qty * p["lastday"] * mult)).quantize(q)),
                "current_price": s(px), "lastday_price": s(p["lastday"]),
                "change_today": s(((px - p["lastday"]) / p["lastday"]).quantize(q))}

    def find_position(self, key):
        a = self.asset(key)
        if a is None or a["symbol"] not in self.positions:
            raise ApiError(404, E_NOT_FOUND, "position does not exist")
        return a["symbol"]

    def close_position(self, sym, qty=None, percentage=None):
        held = self.positions[sym]["qty"]
        if qty is not None and percentage is not None:
            raise bad("only one of qty or percentage can be specified", 400)
        if percentage is not None:
            if not 0 < percentage <= 100:
                raise bad("percentage must be between 0 and 100", 400)
            amount = (abs(held) * percentage / 100)
            a = self.asset(sym)
            amount = amount.quantize(Decimal("1e-9")) if a["fractionable"] else amount.to_integral_value()
        elif qty is not None:
            if qty <= 0 or qty > abs(held):
                raise ApiError(403, E_FORBIDDEN, "insufficient qty available for order (requested: %s, available: %s)"
                               % (s(qty), s(abs(held))))
            amount = qty
        else:
            amount = abs(held)
        if amount <= 0:
            raise bad("computed close qty is zero", 400)
        a = self.asset(sym)
        tif = "gtc" if a["class"] == "crypto" else "day"
        return self.new_order({"symbol": sym, "qty": s(amount), "side": "sell" if held > 0 else "buy",
                               "type": "market", "time_in_force": tif,
                               "position_intent": ("sell_to_close" if held > 0 else "buy_to_close")})

    # ---------------------------------------------------------------- options
    def contracts(self):
        if getattr(self, "_contracts", None) is not None and self._contracts[0] == self.now().date():
            return self._contracts[1]
        today = self.now().astimezone(NY).date()
        fridays = []
        d = today
        while len(fridays) < 5:
            d += dt.timedelta(days=1)
            if d.weekday() == 4:
                fridays.append(d)
        expiries = fridays + [dt.date(today.year + 1, 1, 15)]
        out = []
        for u in OPTION_UNDERLYINGS:
            base = self.price(u)
            step = Decimal(5) if base < 300 else Decimal(10)
            centre = (base / step).to_integral_value() * step
            for e in expiries:
                for k in range(-3, 4):
                    strike = centre + k * step
                    for typ in ("call", "put"):
                        sym = "%s%s%s%08d" % (u, e.strftime("%y%m%d"), typ[0].upper(), int(strike * 1000))
                        intrinsic = max(Decimal(0), (base - strike) if typ == "call" else (strike - base))
                        days = (e - today).days
                        px = (intrinsic + base * Decimal("0.004") * Decimal(math.sqrt(max(days, 1)))).quantize(Decimal("0.01"))
                        out.append({
                            "id": str(uuid.uuid5(NS, sym)), "symbol": sym,
                            "name": "%s %s %s %s" % (u, e.strftime("%b %d %Y"), s(strike), typ.capitalize()),
                            "status": "active", "tradable": True, "expiration_date": e.isoformat(),
                            "root_symbol": u, "underlying_symbol": u,
                            "underlying_asset_id": self.assets[u]["id"], "type": typ, "style": "american",
                            "strike_price": s(strike), "multiplier": "100", "size": "100",
                            "open_interest": str(100 + k * k * 37), "open_interest_date": today.isoformat(),
                            "close_price": s(px), "close_price_date": today.isoformat(), "ppind": True,
                            "deliverables": [{"type": "equity", "symbol": u, "asset_id": self.assets[u]["id"],
                                              "amount": "100", "allocation_percentage": "100",
                                              "settlement_type": "T+1", "settlement_method": "CCC",
                                              "delayed_settlement": False}]})
        self._contracts = (self.now().date(), out)
        return out

    def contract(self, key):
        key = unquote(key or "")
        if not re.fullmatch(r"[A-Z]{1,6}\d{6}[CP]\d{8}|[0-9a-f-]{36}", key):
            return None
        return next((c for c in self.contracts() if c["symbol"] == key or c["id"] == key), None) \
            or self.synth_contracts.get(key) or self.synth_contract(key)

    def synth_contract(self, sym):
        """Any OCC symbol of a listed underlying that has not expired: a contract of its own."""
        m = OCC.fullmatch(sym)
        if not m:
            return None
        root, ymd, cp, strike = m.groups()
        u = self.asset(root)
        if u is None or u["class"] != "us_equity":
            return None
        try:
            e = dt.date(2000 + int(ymd[:2]), int(ymd[2:4]), int(ymd[4:]))
        except ValueError:
            return None
        today = self.now().astimezone(NY).date()
        if e < today or int(strike) == 0:
            return None
        typ = "call" if cp == "C" else "put"
        k = Decimal(int(strike)) / 1000
        c = {"id": str(uuid.uuid5(NS, sym)), "symbol": sym,
             "name": "%s %s %s %s" % (root, e.strftime("%b %d %Y"), s(k), typ.capitalize()),
             "status": "active", "tradable": True, "expiration_date": e.isoformat(),
             "root_symbol": root, "underlying_symbol": root, "underlying_asset_id": u["id"], "type": typ,
             "style": "american", "strike_price": s(k), "multiplier": "100", "size": "100",
             "open_interest": str(self._h("oi", sym) % 5000), "open_interest_date": today.isoformat(),
             "close_price_date": today.isoformat(), "ppind": True,
             "deliverables": [{"type": "equity", "symbol": root, "asset_id": u["id"], "amount": "100",
                               "allocation_percentage": "100", "settlement_type": "T+1",
                               "settlement_method": "CCC", "delayed_settlement": False}]}
        c["close_price"] = s(self.option_price(c, self.now()))
        self.synth_contracts[sym] = self.synth_contracts[c["id"]] = c
        return c

    def exercise(self, key, do_not=False):
        c = self.contract(key)
        if c is None:
            if re.fullmatch(r"[A-Z]{1,6}\d{6}[CP]\d{8}|[0-9a-f-]{36}", unquote(key)):
                raise ApiError(403, E_FORBIDDEN, "no position found for %s" % unquote(key))
            raise bad("invalid option contract: %s" % unquote(key))
        p = self.positions.get(c["symbol"])
        if p is None or p["qty"] <= 0:
            raise ApiError(403, E_FORBIDDEN, "available position quantity is not sufficient")
        if do_not:
            self.dne.add(c["symbol"])
            return
        now = self.now()
        n = p["qty"]
        del self.positions[c["symbol"]]
        u = c["underlying_symbol"]
        shares = n * 100 * (1 if c["type"] == "call" else -1)
        strike = Decimal(c["strike_price"])
        up = self.positions.setdefault(u, {"qty": Decimal(0), "cost": Decimal(0), "lastday": self.price(u)})
        up["qty"] += shares
        up["cost"] += strike * shares
        self.cash -= strike * shares
        self._book(now, c["symbol"], -n, Decimal(0))
        self._book(now, u, shares, -strike * shares)
        if up["qty"] == 0:
            del self.positions[u]
        self.activities.append({"id": now.strftime("%Y%m%d%H%M%S%f")[:17] + "::" + str(uuid.uuid4()),
                                "activity_type": "OPEXC", "date": iso(now), "created_at": iso(now),
                                "net_amount": "0", "symbol": c["symbol"], "qty": s(n),
                                "status": "executed", "description": "Option exercise"})

    # ------------------------------------------------------ corporate actions
    def announcements(self):
        today = self.now().astimezone(NY).date()
        rows = [("Dividend", "cash", "AAPL", "037833100", "AAPL", "037833100", "0.25", "1", "1", -20),
                ("Dividend", "cash", "KKR", "48251W104", "KKR", "48251W104", "0.145", "1", "1", 5),
                ("Split", "stock_split", "TSLA", "88160R101", "TSLA", "88160R101", "0", "1", "3", 12),
                ("Merger", "merger_completion", "MSFT", "594918104", "OLDCO", "000000000", "10.5", "1", "1", -40),
                ("Spinoff", "spinoff", "SPY", "78462F103", "SPY", "78462F103", "0", "1", "1", 30)]
        out = []
        for i, (t, st, isym, icus, tsym, tcus, cash, old, new, off) in enumerate(rows):
            ex = today + dt.timedelta(days=off)
            out.append({"id": str(uuid.uuid5(NS, "ca%d" % i)), "corporate_action_id": "%s_CA%02d" % (icus, i),
                        "ca_type": t, "ca_sub_type": st, "initiating_symbol": isym,
                        "initiating_original_cusip": icus, "target_symbol": tsym, "target_original_cusip": tcus,
                        "declaration_date": (ex - dt.timedelta(days=14)).isoformat(), "ex_date": ex.isoformat(),
                        "record_date": (ex + dt.timedelta(days=1)).isoformat(),
                        "payable_date": (ex + dt.timedelta(days=14)).isoformat(),
                        "cash": cash, "old_rate": old, "new_rate": new})
        return out

    # ------------------------------------------------------- portfolio history
    def history(self, q):
        now = self.now()
        period = q.get("period")
        timeframe = q.get("timeframe")
        if period is not None and not re.fullmatch(r"[1-9]\d*[DWMA]", period):
            raise bad("invalid period: %s" % period, 400)
        if timeframe is not None and timeframe not in ("1Min", "5Min", "15Min", "1H", "1D"):
            raise bad("invalid timeframe: %s" % timeframe, 400)
        ir = q.get("intraday_reporting", "market_hours")
        one_of(ir, ("market_hours", "extended_hours", "continuous"), "intraday_reporting")
        pnl_reset = q.get("pnl_reset", "per_day")
        one_of(pnl_reset, ("no_reset", "per_day"), "pnl_reset")
        start = parse_time(q["start"], "start") if "start" in q else None
        end = parse_time(q["end"], "end") if "end" in q else now
        if start and period and "end" in q:
            raise bad("only two of start, end and period can be specified", 400)
        days = {"D": 1, "W": 7, "M": 30, "A": 365}
        if start is None:
            p = period or "1M"
            span = dt.timedelta(days=int(p[:-1]) * days[p[-1]])
            start = end - span
        elif period:
            p = period
            end = start + dt.timedelta(days=int(p[:-1]) * days[p[-1]])
        if start >= end:
            raise bad("start must be before end", 400)
        span_days = (end - start).total_seconds() / 86400
        if timeframe is None:
            timeframe = "1Min" if span_days < 7 else "15Min" if span_days < 30 else "1D"
        step = {"1Min": 60, "5Min": 300, "15Min": 900, "1H": 3600, "1D": 86400}[timeframe]
        if step < 86400 and span_days > 30:
            raise bad("intraday timeframes are limited to 30 days", 400)
        points = []
        if timeframe == "1D":
            d = start.astimezone(NY).date()
            while d <= end.astimezone(NY).date():
                if Market.is_trading_day(d):
                    points.append(dt.datetime.combine(d, dt.time(), NY))
                d += dt.timedelta(days=1)
        else:
            t = int(start.timestamp()) // step * step
            while t <= end.timestamp():
                at = dt.datetime.fromtimestamp(t, UTC)
                local = at.astimezone(NY)
                ok = Market.is_trading_day(local.date())
                if ir == "market_hours" and ok:
                    o, c = Market.hours(local.date())
                    ok = o <= local < c
                elif ir == "extended_hours" and ok:
                    ok = dt.time(4) <= local.time() < dt.time(20)
                if ok or ir == "continuous":
                    points.append(at)
                t += step
        # replayed from the ledger of fills at the prices of each point;
        # a daily point is the day's close
        base = self.equity_at(start).quantize(Decimal("0.01"))
        ts, eq, pl, plpc = [], [], [], []
        for at in points:
            when = Market.hours(at.astimezone(NY).date())[1] if timeframe == "1D" else at
            if at > now:
                break
            e = self.equity_at(min(when, now)).quantize(Decimal("0.01"))
            ts.append(int(at.timestamp()))
            eq.append(float(e))
            pl.append(float((e - base).quantize(Decimal("0.01"))))
            plpc.append(float(((e - base) / base).quantize(Decimal("1e-6"))) if base else 0.0)
        return {"timestamp": ts, "equity": eq, "profit_loss": pl, "profit_loss_pct": plpc,
                "base_value": float(base), "base_value_asof": (start.astimezone(NY).date()).isoformat(),
                "timeframe": timeframe, "cashflow": {}}

    # -------------------------------------------------------------- watchlists
    def find_watchlist(self, wid=None, name=None):
        for w in self.watchlists:
            if (wid is not None and w["id"] == wid) or (name is not None and w["name"] == name):
                return w
        raise ApiError(404, E_NOT_FOUND, "watchlist not found")

    def watchlist_assets(self, symbols):
        out = []
        for sym in symbols:
            if not isinstance(sym, str):
                raise bad("symbols must be strings")
            a = self.asset(sym)
            if a is None or a["class"] == "us_option":
                raise bad("asset not found: %s" % sym)
            if a in out:
                raise bad("duplicate symbol: %s" % a["symbol"])
            out.append(a)
        return out

    def check_watchlist_name(self, name, other=None):
        if not isinstance(name, str) or not name.strip():
            raise bad("name is required")
        if len(name) > 64:
            raise bad("name must be no more than 64 characters")
        if any(w["name"] == name and w is not other for w in self.watchlists):
            raise bad("watchlist name must be unique")

    def public_watchlist(self, w, with_assets=True):
        out = {k: v for k, v in w.items() if k != "assets"}
        if with_assets:
            out["assets"] = list(w["assets"])
        return out

    # ---------------------------------------------------------- crypto funding
    WALLET_CHAINS = {"BTC": "BTC", "ETH": "ETH", "USDC": "ETH", "SOL": "SOL"}

    def wallet(self, asset):
        chain = self.WALLET_CHAINS.get(asset.upper())
        if chain is None:
            raise bad("unsupported asset: %s" % asset)
        return {"chain": chain, "address": "sim-%s-%s" % (chain.lower(), uuid.uuid5(NS, asset.upper()).hex[:24]),
                "created_at": iso(self.created), "asset": asset.upper()}

    # ------------------------------------------------------------- dispatcher
    def handle(self, method, path, query, body):
        routes = [
            ("GET", r"/v3/clock", lambda: self.r_v3_clock(query)),
            ("GET", r"/v3/calendar/(?P<market>[^/]+)", lambda market: self.r_v3_calendar(market, query)),
            ("GET", r"/v1/locates", lambda: self.r_locates(query)),
            ("POST", r"/v1/locates", lambda: Created(self.r_create_locate(self.obj(body)))),
            ("GET", r"/v1/locates/quotes", lambda: self.r_locate_quotes(query)),
            ("GET", r"/v1/locates/(?P<i>[^/]+)", self.r_locate),
            ("GET", r"/v2/assets/fixed_income/us_corporates", lambda: self.r_corporates(query)),
            ("GET", r"/v2/assets/fixed_income/us_treasuries", lambda: self.r_treasuries(query)),
            ("GET", r"/v2/perpetuals/account_vitals", self.r_perp_vitals),
            ("GET", r"/v2/perpetuals/leverage", lambda: self.r_perp_leverage(query)),
            ("POST", r"/v2/perpetuals/leverage", lambda: self.r_set_perp_leverage(query)),
            ("GET", r"/v2/perpetuals/wallets", self.perp_wallet),
            ("GET", r"/v2/perpetuals/wallets/fees/estimate", lambda: {"fee": "0.5"}),
            ("GET", r"/v2/perpetuals/wallets/transfers", lambda: list(reversed(self.perp_transfers))),
            ("POST", r"/v2/perpetuals/wallets/transfers", lambda: self.r_perp_transfer_new(self.obj(body))),
            ("GET", r"/v2/perpetuals/wallets/transfers/(?P<i>[^/]+)", self.r_perp_transfer),
            ("GET", r"/v2/perpetuals/wallets/whitelists", lambda: list(self.perp_whitelists)),
            ("POST", r"/v2/perpetuals/wallets/whitelists", lambda: self.r_perp_whitelist(self.obj(body))),
            ("DELETE", r"/v2/perpetuals/wallets/whitelists/(?P<i>[^/]+)", lambda i: self.r_unwhitelist(i, self.perp_whitelists)),
            ("POST", r"/v2/tokenization/mint", lambda: self.r_mint(self.obj(body))),
            ("GET", r"/v2/tokenization/requests", lambda: self.r_tokenization(query)),
            ("GET", r"/v2beta1/events/activities", lambda: self.r_events(query)),
            ("GET", r"/v2/account", self.r_account),
            ("GET", r"/v2/account/configurations", lambda: self.acct_config),
            ("PATCH", r"/v2/account/configurations", lambda: self.patch_config(self.obj(body))),
            ("GET", r"/v2/account/activities", lambda: self.r_activities(query, None)),
            ("GET", r"/v2/account/activities/(?P<t>[^/]+)", lambda t: self.r_activities(query, t)),
            ("GET", r"/v2/account/portfolio/history", lambda: self.history(query)),
            ("GET", r"/v2/clock", self.r_clock),
            ("GET", r"/v2/calendar", lambda: self.r_calendar(query)),
            ("GET", r"/v2/assets", lambda: self.r_assets(query)),
            ("GET", r"/v2/assets/(?P<k>.+)", self.r_asset),
            ("GET", r"/v2/orders", lambda: self.r_orders(query)),
            ("POST", r"/v2/orders", lambda: self.public_order(self.new_order(self.obj(body)))),
            ("DELETE", r"/v2/orders", self.r_cancel_all),
            ("GET", r"/v2/orders:by_client_order_id", lambda: self.r_order_by_cid(query)),
            ("GET", r"/v2/orders/(?P<oid>[^/]+)", lambda oid: self.public_order(
                self.find_order(oid), flag(query, "nested", True))),
            ("PATCH", r"/v2/orders/(?P<oid>[^/]+)", lambda oid: self.public_order(
                self.replace(self.find_order(oid), self.obj(body)))),
            ("DELETE", r"/v2/orders/(?P<oid>[^/]+)", self.r_cancel),
            ("GET", r"/v2/positions", lambda: [self.position(x) for x in sorted(self.positions)]),
            ("DELETE", r"/v2/positions", lambda: self.r_close_all(query)),
            ("GET", r"/v2/positions/(?P<k>[^/]+)", lambda k: self.position(self.find_position(k))),
            ("DELETE", r"/v2/positions/(?P<k>[^/]+)", lambda k: self.r_close(k, query)),
            ("POST", r"/v2/positions/(?P<k>[^/]+)/exercise", lambda k: self.exercise(k)),
            ("POST", r"/v2/positions/(?P<k>[^/]+)/do-not-exercise", lambda k: self.exercise(k, True)),
            ("GET", r"/v2/watchlists", lambda: [self.public_watchlist(w, False) for w in self.watchlists]),
            ("POST", r"/v2/watchlists", lambda: self.r_create_watchlist(self.obj(body))),
            ("GET", r"/v2/watchlists:by_name", lambda: self.public_watchlist(self.find_watchlist(name=self.need(query, "name")))),
            ("PUT", r"/v2/watchlists:by_name", lambda: self.r_update_watchlist(self.find_watchlist(name=self.need(query, "name")), self.obj(body))),
            ("POST", r"/v2/watchlists:by_name", lambda: self.r_add_symbol(self.find_watchlist(name=self.need(query, "name")), self.obj(body))),
            ("DELETE", r"/v2/watchlists:by_name", lambda: self.r_delete_watchlist(self.find_watchlist(name=self.need(query, "name")))),
            ("GET", r"/v2/watchlists/(?P<w>[^/]+)", lambda w: self.public_watchlist(self.find_watchlist(wid=self.uuid_arg(w)))),
            ("PUT", r"/v2/watchlists/(?P<w>[^/]+)", lambda w: self.r_update_watchlist(self.find_watchlist(wid=self.uuid_arg(w)), self.obj(body))),
            ("POST", r"/v2/watchlists/(?P<w>[^/]+)", lambda w: self.r_add_symbol(self.find_watchlist(wid=self.uuid_arg(w)), self.obj(body))),
            ("DELETE", r"/v2/watchlists/(?P<w>[^/]+)", lambda w: self.r_delete_watchlist(self.find_watchlist(wid=self.uuid_arg(w)))),
            ("DELETE", r"/v2/watchlists/(?P<w>[^/]+)/(?P<sym>.+)", self.r_remove_symbol),
            ("GET", r"/v2/options/contracts", lambda: self.r_contracts(query)),
            ("GET", r"/v2/options/contracts/(?P<k>[^/]+)", self.r_contract),
            ("GET", r"/v2/corporate_actions/announcements", lambda: self.r_announcements(query)),
            ("GET", r"/v2/corporate_actions/announcements/(?P<i>[^/]+)", self.r_announcement),
            ("GET", r"/v2/wallets", lambda: self.r_wallets(query)),
            ("GET", r"/v2/wallets/transfers", lambda: list(reversed(self.transfers))),
            ("POST", r"/v2/wallets/transfers", lambda: self.r_withdraw(self.obj(body))),
            ("GET", r"/v2/wallets/transfers/(?P<i>[^/]+)", self.r_transfer),
            ("GET", r"/v2/wallets/whitelists", lambda: list(self.whitelists)),
            ("POST", r"/v2/wallets/whitelists", lambda: self.r_whitelist(self.obj(body))),
            ("DELETE", r"/v2/wallets/whitelists/(?P<i>[^/]+)", self.r_unwhitelist),
            ("GET", r"/v2/wallets/fees/estimate", lambda: self.r_fee(query)),
            # the Market Data API's latest trades (served here under alpaca.data_url too)
            ("GET", r"/v2/stocks/trades/latest", lambda: self.r_latest_trades(query)),
            ("GET", r"/v2/stocks/(?P<sym>[^/]+)/trades/latest", lambda sym: self.r_latest_trade(sym)),
            ("GET", r"/v1beta3/crypto/us/latest/trades", lambda: self.r_latest_trades(query)),
            ("GET", r"/v1beta1/options/trades/latest", lambda: self.r_latest_trades(query)),
            ("GET", r"/v2/stocks/quotes/latest", lambda: self.r_latest_quotes(query)),
            ("GET", r"/v1beta3/crypto/us/latest/quotes", lambda: self.r_latest_quotes(query)),
            ("GET", r"/v2/stocks/bars", lambda: self.r_bars(query)),
            ("GET", r"/v1beta3/crypto/us/bars", lambda: self.r_bars(query)),
        ]
        known_path = False
        for m, pattern, fn in routes:
            match = re.fullmatch(pattern, path)
            if match:
                known_path = True
                if m == method:
                    with self.lock:
                        self.advance()
                        try:
                            return fn(**match.groupdict())
                        finally:
                            self.streams.emit()
        if known_path:
            raise ApiError(405, 40510000, "method not allowed")
        raise ApiError(404, E_NOT_FOUND, "endpoint not found")

    @staticmethod
    def obj(body):
        if not isinstance(body, dict):
            raise bad("request body must be a JSON object", 400)
        return body

    @staticmethod
    def need(query, name):
        if not query.get(name):
            raise bad("%s is required" % name)
        return query[name]

    @staticmethod
    def uuid_arg(value):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            raise bad("invalid watchlist id: %s" % value)

    def r_account(self):
        return self.account()

    def r_clock(self):
        now = self.now()
        o, c = Market.next_open_close(now)
        return {"timestamp": now.astimezone(NY).isoformat(), "is_open": self.market_open(),
                "next_open": o.isoformat(), "next_close": c.isoformat()}

    def r_calendar(self, q):
        today = self.now().astimezone(NY).date()
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
            if Market.is_trading_day(d):
                day = Market.calendar_day(d)
                key = day["settlement_date"] if settlement else day["date"]
                if start.isoformat() <= key <= end.isoformat():
                    out.append(day)
            d += dt.timedelta(days=1)
        return out

    def r_assets(self, q):
        out = []
        attrs = [a for a in q.get("attributes", "").split(",") if a]
        for a in self.assets.values():
            if q.get("status") and a["status"] != q["status"]:
                continue
            if q.get("asset_class") and a["class"] != q["asset_class"]:
                continue
            if q.get("exchange") and a["exchange"] != q["exchange"]:
                continue
            if attrs and not any(x in a["attributes"] for x in attrs):
                continue
            out.append(a)
        return out

    def r_asset(self, k):
        a = self.asset(k)
        if a is None or a["class"] == "us_option":
            raise ApiError(404, E_NOT_FOUND, "asset not found for %s" % unquote(k))
        return a

    def r_orders(self, q):
        status = q.get("status", "open")
        one_of(status, ("open", "closed", "all"), "status")
        direction = q.get("direction", "desc")
        one_of(direction, ("asc", "desc"), "direction")
        try:
            limit = int(q.get("limit", "50"))
        except ValueError:
            raise bad("invalid limit", 400)
        if not 1 <= limit <= 500:
            raise bad("limit must be between 1 and 500")
        nested = flag(q, "nested")
        after = parse_time(q["after"], "after") if q.get("after") else None
        until = parse_time(q["until"], "until") if q.get("until") else None
        symbols = set(x.strip().upper() for x in q.get("symbols", "").split(",") if x.strip())
        classes = [x for x in q.get("asset_class", "").split(",") if x and x != "all"]
        out = []
        for o in self.orders:
            if o.get("_leg") and not (q.get("symbols") and not nested):
                continue
            is_open = o["status"] in OPEN_STATES
            if (status == "open" and not is_open) or (status == "closed" and is_open):
                continue
            t = parse_time(o["submitted_at"], "submitted_at")
            if (after and t <= after) or (until and t >= until):
                continue
            if symbols and o["symbol"] not in symbols:
                continue
            if q.get("side") and o["side"] != q["side"]:
                continue
            if classes and o["asset_class"] not in classes:
                continue
            out.append(self.public_order(o, nested))
        out.sort(key=lambda o: o["submitted_at"], reverse=direction == "desc")
        return out[:limit]

    def r_order_by_cid(self, q):
        cid = self.need(q, "client_order_id")
        o = next((x for x in self.orders if x["client_order_id"] == cid), None)
        if o is None:
            raise ApiError(404, E_NOT_FOUND, "order not found for %s" % cid)
        return self.public_order(o)

    def r_cancel(self, oid):
        self.cancel(self.find_order(oid), self.now())
        return NO_CONTENT

    def r_cancel_all(self):
        now = self.now()
        out = []
        for o in self.orders:
            if o["status"] in OPEN_STATES and not o.get("_leg"):
                self.cancel(o, now)
                out.append({"id": o["id"], "status": 200, "body": self.public_order(o)})
        return MultiStatus(out)

    def r_close(self, k, q):
        sym = self.find_position(k)
        qty = D(q["qty"], "qty") if "qty" in q else None
        pct = D(q["percentage"], "percentage") if "percentage" in q else None
        return self.public_order(self.close_position(sym, qty, pct))

    def r_close_all(self, q):
        if flag(q, "cancel_orders"):
            now = self.now()
            for o in self.orders:
                if o["status"] in OPEN_STATES and not o.get("_leg"):
                    self.cancel(o, now)
        out = []
        for sym in sorted(self.positions):
            try:
                out.append({"symbol": sym, "status": 200, "body": self.public_order(self.close_position(sym))})
            except ApiError as e:
                out.append({"symbol": sym, "status": e.status, "body": {"code": e.code, "message": e.message}})
        return MultiStatus(out)

    def r_activities(self, q, atype):
        types = None
        if atype is not None:
            types = [atype]
        elif q.get("activity_types"):
            types = q["activity_types"].split(",")
        if q.get("category"):
            if types:
                raise bad("activity_types and category cannot be used together", 400)
            one_of(q["category"], ("trade_activity", "non_trade_activity"), "category")
        direction = q.get("direction", "desc")
        one_of(direction, ("asc", "desc"), "direction")
        try:
            size = int(q.get("page_size", "100"))
        except ValueError:
            raise bad("invalid page_size", 400)
        if not 1 <= size <= 100:
            raise bad("page_size must be between 1 and 100", 400)
        if q.get("date") and (q.get("after") or q.get("until")):
            raise bad("date cannot be used with after or until", 400)
        bounds = []
        if q.get("date"):
            day = parse_time(q["date"], "date")
            bounds = [day, day + dt.timedelta(days=1)]
        after = parse_time(q["after"], "after") if q.get("after") else None
        until = parse_time(q["until"], "until") if q.get("until") else None
        rows = sorted(self.activities, key=lambda a: a["id"], reverse=direction == "desc")
        out = []
        for a in rows:
            if types and a["activity_type"] not in types:
                continue
            if q.get("category") == "trade_activity" and a["activity_type"] != "FILL":
                continue
            if q.get("category") == "non_trade_activity" and a["activity_type"] == "FILL":
                continue
            t = parse_time(a.get("transaction_time") or a["date"], "t")
            if bounds and not bounds[0] <= t < bounds[1]:
                continue
            if (after and t <= after) or (until and t >= until):
                continue
            if q.get("page_token"):
                if (direction == "desc" and a["id"] >= q["page_token"]) or \
                   (direction == "asc" and a["id"] <= q["page_token"]):
                    continue
            out.append(a)
            if len(out) == size:
                break
        return out

    def r_create_watchlist(self, body):
        self.check_watchlist_name(body.get("name"))
        now = iso(self.now())
        w = {"id": str(uuid.uuid4()), "account_id": self.account_id, "created_at": now, "updated_at": now,
             "name": body["name"], "assets": self.watchlist_assets(body.get("symbols") or [])}
        self.watchlists.append(w)
        return self.public_watchlist(w)

    def r_update_watchlist(self, w, body):
        self.check_watchlist_name(body.get("name"), w)
        assets = self.watchlist_assets(body.get("symbols") or [])
        w.update(name=body["name"], assets=assets, updated_at=iso(self.now()))
        return self.public_watchlist(w)

    def r_add_symbol(self, w, body):
        sym = body.get("symbol")
        if not sym:
            raise bad("symbol is required")
        w["assets"] = w["assets"] + self.watchlist_assets([sym])
        ids = [a["id"] for a in w["assets"]]
        if len(ids) != len(set(ids)):
            w["assets"] = w["assets"][:-1]
            raise bad("duplicate symbol: %s" % sym)
        w["updated_at"] = iso(self.now())
        return self.public_watchlist(w)

    def r_delete_watchlist(self, w):
        self.watchlists.remove(w)
        return NO_CONTENT

    def r_remove_symbol(self, w, sym):
        w = self.find_watchlist(wid=self.uuid_arg(w))
        a = self.asset(sym)
        if a is None or a not in w["assets"]:
            raise ApiError(404, E_NOT_FOUND, "symbol not found in watchlist: %s" % unquote(sym))
        w["assets"] = [x for x in w["assets"] if x is not a]
        w["updated_at"] = iso(self.now())
        return self.public_watchlist(w)

    def r_contracts(self, q):
        try:
            limit = int(q.get("limit", "100"))
        except ValueError:
            raise bad("invalid limit", 400)
        if not 1 <= limit <= 10000:
            raise bad("limit must be between 1 and 10000")
        for f in ("type", "style", "status"):
            if q.get(f):
                one_of(q[f], {"type": ("call", "put"), "style": ("american", "european"),
                              "status": ("active", "inactive")}[f], f)
        unders = set(x.strip() for x in q.get("underlying_symbols", "").split(",") if x.strip())
        lte = parse_date(q["expiration_date_lte"], "expiration_date_lte") if q.get("expiration_date_lte") else None
        gte = parse_date(q["expiration_date_gte"], "expiration_date_gte") if q.get("expiration_date_gte") else None
        exact = parse_date(q["expiration_date"], "expiration_date") if q.get("expiration_date") else None
        if lte is None and exact is None:
            today = self.now().astimezone(NY).date()
            lte = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
        kgte = D(q["strike_price_gte"], "strike_price_gte") if q.get("strike_price_gte") else None
        klte = D(q["strike_price_lte"], "strike_price_lte") if q.get("strike_price_lte") else None
        out = []
        for c in self.contracts():
            e = dt.date.fromisoformat(c["expiration_date"])
            k = Decimal(c["strike_price"])
            if (unders and c["underlying_symbol"] not in unders) or (q.get("root_symbol") and c["root_symbol"] != q["root_symbol"]) \
               or (q.get("type") and c["type"] != q["type"]) or (q.get("style") and c["style"] != q["style"]) \
               or (q.get("status", "active") != c["status"]) or (exact and e != exact) \
               or (lte and e > lte) or (gte and e < gte) or (kgte is not None and k < kgte) \
               or (klte is not None and k > klte):
                continue
            out.append(c)
        try:
            offset = int(base64.b64decode(q["page_token"]).decode()) if q.get("page_token") else 0
        except (ValueError, UnicodeDecodeError):
            raise bad("invalid page_token", 400)
        page = out[offset:offset + limit]
        if not flag(q, "show_deliverables"):
            page = [{k: v for k, v in c.items() if k != "deliverables"} for c in page]
        nxt = base64.b64encode(str(offset + limit).encode()).decode() if offset + limit < len(out) else None
        return {"option_contracts": page, "next_page_token": nxt}

    def r_contract(self, k):
        c = self.contract(k)
        if c is None:
            raise ApiError(404, E_NOT_FOUND, "option contract not found for %s" % unquote(k))
        return c

    def r_announcements(self, q):
        # Alpaca takes the types in any case (its own SDK sends "dividend")
        types = [t.strip().capitalize() for t in self.need(q, "ca_types").split(",")]
        for t in types:
            one_of(t, ("Dividend", "Merger", "Spinoff", "Split"), "ca_types")
        since = parse_date(self.need(q, "since"), "since")
        until = parse_date(self.need(q, "until"), "until")
        if until < since:
            raise bad("until must not be before since")
        if (until - since).days > 90:
            raise bad("date range cannot be longer than 90 days")
        date_type = q.get("date_type")
        if date_type:
            one_of(date_type, ("declaration_date", "ex_date", "record_date", "payable_date"), "date_type")
        out = []
        for a in self.announcements():
            keys = [date_type] if date_type else ["declaration_date", "ex_date", "record_date", "payable_date"]
            if a["ca_type"] not in types:
                continue
            if not any(since.isoformat() <= a[k] <= until.isoformat() for k in keys):
                continue
            if q.get("symbol") and q["symbol"] not in (a["initiating_symbol"], a["target_symbol"]):
                continue
            if q.get("cusip") and q["cusip"] not in (a["initiating_original_cusip"], a["target_original_cusip"]):
                continue
            out.append(a)
        return out

    def r_announcement(self, i):
        a = next((x for x in self.announcements() if x["id"] == i), None)
        if a is None:
            raise ApiError(404, E_NOT_FOUND, "corporate action announcement not found")
        return a

    def r_wallets(self, q):
        if q.get("network"):
            one_of(q["network"], ("ethereum", "solana"), "network")
        if q.get("asset"):
            return self.wallet(q["asset"])
        return [self.wallet(a) for a in ("BTC", "ETH", "USDC")]

    @staticmethod
    def by_id(items, i, what):
        """The item with id i, or Alpaca's 404."""
        found = next((x for x in items if x["id"] == i), None)
        if found is None:
            raise ApiError(404, E_NOT_FOUND, "%s not found" % what)
        return found

    def r_transfer(self, i):
        return self.by_id(self.transfers, i, "transfer")

    def r_withdraw(self, body):
        for f in ("amount", "address", "asset"):
            if not body.get(f):
                raise bad("%s is required" % f)
        amount = D(body["amount"], "amount")
        if amount <= 0:
            raise bad("amount must be > 0")
        asset = body["asset"].upper()
        chain = body.get("chain") or self.WALLET_CHAINS.get(asset)
        if chain is None:
            raise bad("unsupported asset: %s" % asset)
        one_of(chain, ("SOL", "ETH", "BTC", "XRP", "ARB"), "chain")
        w = next((x for x in self.whitelists if x["address"] == body["address"] and x["asset"] == asset), None)
        if w is None or w["status"] != "APPROVED":
            raise ApiError(403, E_FORBIDDEN, "address is not whitelisted")
        held = self.positions.get(asset + "/USD", {"qty": Decimal(0)})["qty"]
        fee = Decimal("0.0001") if asset == "BTC" else Decimal("0.001")
        if amount + fee > held:
            raise ApiError(403, E_FORBIDDEN, "insufficient balance for withdrawal (requested: %s, available: %s)"
                           % (s(amount + fee), s(held)))
        p = self.positions[asset + "/USD"]
        avg = p["cost"] / p["qty"]
        p["qty"] -= amount + fee
        self._book(self.now(), asset + "/USD", -(amount + fee), Decimal(0))
        p["cost"] = avg * p["qty"]
        if p["qty"] == 0:
            del self.positions[asset + "/USD"]
        t = {"id": str(uuid.uuid4()), "direction": "OUTGOING", "status": "PROCESSING",
             "amount": s(amount), "usd_value": money(amount * self.price(asset + "/USD")),
             "network_fee": s(fee), "fees": "0", "chain": chain, "asset": asset,
             "from_address": self.wallet(asset)["address"], "to_address": body["address"],
             "created_at": iso(self.now())}
        self.transfers.append(t)
        return t

    def r_whitelist(self, body):
        for f in ("address", "asset"):
            if not body.get(f):
                raise bad("%s is required" % f)
        asset = body["asset"].upper()
        chain = body.get("chain") or self.WALLET_CHAINS.get(asset)
        if chain is None:
            raise bad("unsupported asset: %s" % asset)
        one_of(chain, ("SOL", "ETH", "BTC", "XRP", "ARB"), "chain")
        if any(x["address"] == body["address"] and x["asset"] == asset for x in self.whitelists):
            raise bad("address is already whitelisted for %s" % asset)
        w = {"id": str(uuid.uuid4()), "chain": chain, "asset": asset, "address": body["address"],
             "status": "PENDING", "created_at": iso(self.now())}
        self.whitelists.append(w)
        return dict(w)

    def r_unwhitelist(self, i, listed=None):
        listed = self.whitelists if listed is None else listed   # or the perpetuals' own
        listed.remove(self.by_id(listed, i, "whitelisted address"))
        return EMPTY_OK

    def r_fee(self, q):
        asset = self.need(q, "asset").upper()
        if asset not in self.WALLET_CHAINS:
            raise bad("unsupported asset: %s" % asset)
        if q.get("amount"):
            D(q["amount"], "amount")
        return {"fee": "0", "network_fee": "0.0001" if asset == "BTC" else "0.001"}

    # ------------------------------------------- the rest of the current API
    # Operations Alpaca's current file added to the first 46: the v3 clock
    # and calendar, short-sale locates, the fixed income lists, perpetuals,
    # tokenization, and the activity event stream.  Shapes follow
    # trading-api-latest.json; test_sim checks every answer against it.

    V3_MARKETS = {"NYSE": ("NYSE", "New York Stock Exchange", "XNYS", "America/New_York"),
                  "XNYS": ("NYSE", "New York Stock Exchange", "XNYS", "America/New_York"),
                  "NASDAQ": ("NASDAQ", "Nasdaq Stock Market", "XNAS", "America/New_York"),
                  "XNAS": ("NASDAQ", "Nasdaq Stock Market", "XNAS", "America/New_York")}

    def v3_market(self, code):
        m = self.V3_MARKETS.get(code.upper())
        if m is None:
            raise ApiError(404, E_NOT_FOUND, "market not found: %s" % code)
        return {"acronym": m[0], "name": m[1], "mic": m[2], "timezone": m[3]}

    @staticmethod
    def v3_sessions(d):
        """A US trading day's phases: pre 04:00, core (09:30 to the close), post to 20:00."""
        core_start, core_end = Market.hours(d)
        post_end = dt.datetime.combine(d, dt.time(17, 0) if d in nyse_early_closes(d.year) else dt.time(20, 0), NY)
        return {"pre_start": dt.datetime.combine(d, dt.time(4, 0), NY), "pre_end": core_start,
                "core_start": core_start, "core_end": core_end, "post_start": core_end, "post_end": post_end}

    def r_v3_clock(self, q):
        now = parse_time(q["time"], "time") if q.get("time") else self.now()
        out = []
        for code in (q.get("markets") or "NYSE,NASDAQ").split(","):
            market = self.v3_market(code.strip())
            local = now.astimezone(NY)
            d = local.date()
            phase, until = "closed", None
            if Market.is_trading_day(d):
                s_ = self.v3_sessions(d)
                for name, a, b in (("pre", "pre_start", "pre_end"), ("core", "core_start", "core_end"),
                                   ("post", "post_start", "post_end")):
                    if s_[a] <= local < s_[b]:
                        phase, until = name, s_[b]
            if until is None:   # closed until the next pre-market
                nd = d if Market.is_trading_day(d) and local < self.v3_sessions(d)["pre_start"] \
                    else Market.next_trading_day(d)
                until = self.v3_sessions(nd)["pre_start"]
            o, c = Market.next_open_close(now)
            out.append({"market": market, "timestamp": local.isoformat(), "is_market_day": Market.is_trading_day(d),
                        "phase": phase, "phase_until": until.isoformat(),
                        "next_market_open": o.isoformat(), "next_market_close": c.isoformat()})
        return {"clocks": out}

    def r_v3_calendar(self, market, q):
        m = self.v3_market(market)
        start = parse_date(q["start"], "start") if q.get("start") else self.now().astimezone(NY).date()
        end = parse_date(q["end"], "end") if q.get("end") else start + dt.timedelta(days=7)
        if q.get("timezone"):
            one_of(q["timezone"], ("UTC",), "timezone")
        if end < start or (end - start).days > 3660:
            raise bad("invalid date range", 400)
        tz = UTC if q.get("timezone") == "UTC" else NY
        out, d = [], start
        while d <= end:
            if Market.is_trading_day(d):
                day = {k: v.astimezone(tz).isoformat() for k, v in self.v3_sessions(d).items()}
                day.update(date=d.isoformat(), settlement_date=Market.next_trading_day(d).isoformat())
                out.append(day)
            d += dt.timedelta(days=1)
        return {"market": m, "calendar": out}

    # short-sale locates: round lots of 100, a fee per share by how hard the
    # symbol is to borrow, active until 20:00 New York time
    def locate_fee(self, sym):
        return Decimal("0.01") if self.asset(sym).get("easy_to_borrow") else Decimal("0.05")

    def r_create_locate(self, body):
        sym = body.get("symbol")
        qty = body.get("qty")
        if not isinstance(sym, str) or not sym:
            raise bad("symbol is required", 400)
        if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0 or qty % 100:
            raise bad("qty must be a positive round lot of 100", 400)
        a = self.asset(sym)
        if a is None or a["class"] != "us_equity":
            raise bad("locates are for US equities: %s" % sym, 400)
        fee = self.locate_fee(sym)
        limit = D(body["limit_price"], "limit_price") if body.get("limit_price") is not None else None
        now = self.now()
        loc = {"id": str(uuid.uuid4()), "symbol": a["symbol"], "requested_qty": qty,
               "all_or_none": bool(body.get("all_or_none", False)), "created_at": iso(now)}
        if limit is not None:
            loc["limit_price"] = s(limit)
        if limit is not None and fee > limit:
            loc.update(status="rejected", rejection_reason="locate fee %s exceeds limit_price %s" % (s(fee), s(limit)))
        else:
            close = dt.datetime.combine(now.astimezone(NY).date(), dt.time(20, 0), NY)
            loc.update(status="active", located_qty=qty, located_price=s(fee), total_fee=money(fee * qty),
                       expires_at=iso(close if close > now else close + dt.timedelta(days=1)))
        self.locates.append(loc)
        return loc

    def r_locates(self, q):
        if q.get("status"):
            one_of(q["status"], ("active", "expired", "rejected"), "status")
        limit = int(q.get("limit") or 1000)
        if not 1 <= limit <= 10000:
            raise bad("limit must be between 1 and 10000", 400)
        rows = sorted(self.locates, key=lambda x: (x["created_at"], x["id"]), reverse=True)
        day = lambda x: (parse_time(x["created_at"], "t").astimezone(NY) + dt.timedelta(hours=4)).date()
        rows = [x for x in rows if (not q.get("status") or x["status"] == q["status"])
                and (not q.get("symbol") or x["symbol"] == q["symbol"].upper())
                and (not q.get("start") or day(x) >= parse_date(q["start"], "start"))
                and (not q.get("end") or day(x) < parse_date(q["end"], "end"))]
        if q.get("page_token"):
            after = base64.urlsafe_b64decode(q["page_token"] + "==").decode()
            rows = rows[next((i + 1 for i, x in enumerate(rows) if x["id"] == after), len(rows)):]
        page = rows[:limit]
        token = base64.urlsafe_b64encode(page[-1]["id"].encode()).decode().rstrip("=") \
            if len(rows) > limit else ""
        return {"locates": page, "next_page_token": token}

    def r_locate(self, i):
        return self.by_id(self.locates, self.uuid_arg(i), "locate")

    def r_locate_quotes(self, q):
        quotes, errors = [], []
        for sym in self.need(q, "symbols").split(","):
            a = self.asset(sym)
            if a is None or a["class"] != "us_equity":
                errors.append({"symbol": sym, "code": "symbol_not_found", "message": "not a US equity"})
            elif a.get("easy_to_borrow"):
                errors.append({"symbol": sym, "code": "easy_to_borrow", "message": "no locate needed"})
            else:
                quotes.append({"symbol": a["symbol"], "available_qty": 10000, "price": s(self.locate_fee(sym)),
                               "quoted_at": iso(self.now())})
        return {"quotes": quotes, "errors": errors}

    # fixed income: a curated list, as the real one is (the fields Alpaca
    # sends as numbers are numbers here too, with more digits than a double)
    TREASURIES = [("912797PZ4", "US912797PZ42", "bill", "0", "2026-08-13", "2027-02-11"),
                  ("91282CMM0", "US91282CMM00", "note", "4.25", "2025-02-15", "2030-02-15"),
                  ("912810UF3", "US912810UF38", "bond", "4.625", "2024-11-15", "2054-11-15")]

    def r_treasuries(self, q):
        if q.get("subtype"):
            one_of(q["subtype"], ("bond", "bill", "note", "strips", "tips", "floating"), "subtype")
        rows = []
        for cusip, isin, sub, coupon, issued, matures in self.TREASURIES:
            t = {"cusip": cusip, "isin": isin, "bond_status": "outstanding", "tradable": True, "subtype": sub,
                 "issue_date": issued, "maturity_date": matures, "description": "United States Treasury %s" % sub,
                 "description_short": "T %s %s" % (coupon, matures), "close_price": 99.87312500000001,
                 "close_price_date": "2026-11-25", "close_yield_to_maturity": 4.0123456789012345,
                 "close_yield_to_worst": 4.0123456789012345, "coupon": float(coupon),
                 "coupon_type": "zero" if sub == "bill" else "fixed",
                 "coupon_frequency": "zero" if sub == "bill" else "semi_annual"}
            rows.append(t)
        return {"us_treasuries": self.fi_filter(rows, q)}

    def r_corporates(self, q):
        rows = []
        for cusip, isin, ticker, issuer, coupon in (("037833DX5", "US037833DX52", "AAPL", "Apple Inc.", 2.2),
                                                    ("594918BY9", "US594918BY93", "MSFT", "Microsoft Corp", 3.3)):
            b = {"cusip": cusip, "isin": isin, "ticker": ticker, "issuer": issuer, "bond_status": "outstanding",
                 "callable": True, "call_type": "make_whole", "convertible": False, "country_domicile": "US",
                 "coupon": coupon, "coupon_frequency": "semi_annual", "coupon_type": "fixed",
                 "dated_date": "2019-09-11", "issue_date": "2019-09-11", "maturity_date": "2029-09-11",
                 "day_count": "30/360", "description": "%s %s%% 2029" % (issuer, coupon),
                 "description_short": "%s %s 09/29" % (ticker, coupon), "issue_minimum_denomination": 2000,
                 "issue_price": 99.9, "issue_size": 1250000000, "marginable": True, "par_value": 1000,
                 "perpetual": False, "puttable": False, "reg_s": False, "sector": "Technology",
                 "seniority": "Senior Unsecured", "close_price": 94.123456789012345, "close_price_date": "2026-11-25",
                 "accrued_interest": 0.45833333333333337, "tradable": True}
            rows.append(b)
        return {"us_corporates": self.fi_filter(rows, q)}

    FI_FILTERS = (("cusips", "cusip"), ("isins", "isin"), ("tickers", "ticker"), ("bond_status", "bond_status"),
                  ("subtype", "subtype"))

    @classmethod
    def fi_filter(cls, rows, q):
        """The bonds the query's filters select (a filter on a field a list lacks selects all)."""
        if q.get("bond_status"):
            one_of(q["bond_status"], ("outstanding", "matured", "pre_issuance"), "bond_status")
        return [r for r in rows
                if all(not q.get(f) or r[k] in q[f].split(",") for f, k in cls.FI_FILTERS if k in r)]

    # perpetuals: a leverage per underlying, a USDC wallet, withdrawals to
    # whitelisted addresses
    def r_perp_vitals(self):
        total = sum(Decimal(t["amount"]) for t in self.perp_transfers if t["direction"] == "INCOMING")
        return {"total_collateral": int(total), "collateral_balance": int(total), "profit_loss": 0,
                "maintenance_margin": 0.05}

    def r_perp_leverage(self, q):
        sym = self.need(q, "symbol").upper()
        return {"symbol": sym, "leverage": self.leverage.get(sym, 1)}

    def r_set_perp_leverage(self, q):
        sym = self.need(q, "symbol").upper()
        try:
            lev = int(self.need(q, "leverage"))
        except ValueError:
            raise bad("invalid leverage", 400)
        if not 1 <= lev <= 50:
            raise bad("leverage must be between 1 and 50", 400)
        self.leverage[sym] = lev
        return {"symbol": sym, "leverage": lev}

    def perp_wallet(self):
        return {"chain": "ARB", "address": "0x" + uuid.uuid5(NS, "perp").hex + "00000000",
                "created_at": iso(self.created)}

    def r_perp_transfer_new(self, body):
        for f in ("amount", "address", "asset"):
            if not body.get(f):
                raise bad("%s is required" % f)
        amount = D(body["amount"], "amount")
        w = next((x for x in self.perp_whitelists if x["address"] == body["address"]), None)
        if w is None or w["status"] != "APPROVED":
            raise ApiError(403, E_FORBIDDEN, "address is not whitelisted")
        have = sum(Decimal(t["amount"]) * (1 if t["direction"] == "INCOMING" else -1) for t in self.perp_transfers)
        if amount <= 0 or amount > have:
            raise ApiError(403, E_FORBIDDEN, "insufficient collateral for withdrawal (requested: %s, available: %s)"
                           % (s(amount), s(have)))
        t = {"id": str(uuid.uuid4()), "direction": "OUTGOING", "status": "PROCESSING", "amount": s(amount),
             "usd_value": s(amount), "network_fee": "0.5", "fees": "0", "chain": body.get("chain") or "ARB",
             "asset": body["asset"].upper(), "from_address": self.perp_wallet()["address"],
             "to_address": body["address"], "created_at": iso(self.now())}
        self.perp_transfers.append(t)
        return t

    def r_perp_transfer(self, i):
        return self.by_id(self.perp_transfers, self.uuid_arg(i), "transfer")

    def r_perp_whitelist(self, body):
        for f in ("address", "asset"):
            if not body.get(f):
                raise bad("%s is required" % f)
        w = {"id": str(uuid.uuid4()), "chain": "ARB", "asset": body["asset"].upper(), "address": body["address"],
             "status": "PENDING", "created_at": iso(self.now())}
        self.perp_whitelists.append(w)
        return dict(w)

    # tokenization: a mint converts held shares at once (completed) or is
    # rejected when the account holds too few
    def r_mint(self, body):
        for f in ("underlying_symbol", "qty", "issuer", "network", "wallet_address"):
            if not body.get(f):
                raise bad("%s is required" % f)
        one_of(body["issuer"], ("xstocks", "st0x"), "issuer")
        one_of(body["network"], ("solana", "arbitrum", "ethereum", "binance", "base", "ton", "tron", "mantle"), "network")
        qty = D(body["qty"], "qty")
        sym = body["underlying_symbol"].upper()
        held = self.positions.get(sym, {"qty": Decimal(0)})["qty"]
        r = {"tokenization_request_id": str(uuid.uuid4()), "type": "mint", "underlying_symbol": sym,
             "token_symbol": sym + "x", "qty": s(qty), "issuer": body["issuer"], "network": body["network"],
             "wallet_address": body["wallet_address"], "created_at": iso(self.now()), "updated_at": iso(self.now()),
             "status": "completed" if 0 < qty <= held else "rejected", "fees": "0"}
        self.tokenization.append(r)
        return {k: r[k] for k in ("tokenization_request_id", "underlying_symbol", "token_symbol", "qty", "issuer",
                                  "network", "created_at", "status")}

    def r_tokenization(self, q):
        return [r for r in reversed(self.tokenization)
                if all(not q.get(f) or r[f] == q[f] for f in ("type", "status", "underlying_symbol", "issuer", "network"))]

    # the activity event stream: every activity as an ActivityEventV2, its
    # event_id a ULID of its time (so since_id/until_id order like time)
    @staticmethod
    def ulid(t, seq):
        """Monotonic, as Alpaca's are: the time, then the event's place in the account's history."""
        ms = int(t.timestamp() * 1000)
        n = (ms << 80) | (seq & ((1 << 80) - 1))
        alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
        return "".join(alphabet[(n >> (5 * i)) & 31] for i in range(25, -1, -1))

    def r_events(self, q):
        out = self.activity_events(q)
        if not q.get("until") and not q.get("until_id"):
            return LiveEvents(q, out)      # history, then live: the stream stays open
        return EventStream("".join("data: %s\n\n" % json.dumps(e) for e in out))

    def activity_events(self, q):
        if q.get("until") and not q.get("since"):
            raise bad("since is required with until", 400)
        if q.get("until_id") and not q.get("since_id"):
            raise bad("since_id is required with until_id", 400)
        if (q.get("since") or q.get("until")) and (q.get("since_id") or q.get("until_id")):
            raise bad("since/until and since_id/until_id cannot be combined", 400)
        since = parse_time(q["since"], "since") if q.get("since") else None
        until = parse_time(q["until"], "until") if q.get("until") else None
        out = []
        for seq, a in sorted(enumerate(self.activities), key=lambda x: x[1]["id"]):
            t = parse_time(a.get("transaction_time") or a["date"], "t")
            e = {"event_id": self.ulid(t, seq), "at": iso(t), "activity_type": a["activity_type"],
                 "status": a.get("status", "executed"), "currency": "USD", "executed_at": iso(t),
                 "settle_date": Market.next_trading_day(t.astimezone(NY).date()).isoformat(),
                 "ref_id": str(uuid.uuid5(NS, a["id"]))}
            if a["activity_type"] == "FILL":
                asset = self.asset(a["symbol"]) or {"id": str(uuid.uuid5(NS, "asset:" + a["symbol"]))}
                e["details"] = {k: a[k] for k in ("order_id", "side", "symbol", "leaves_qty", "cum_qty", "order_status")}
                e["details"].update(asset_id=asset["id"], execution_type="fill")
            else:
                e["details"] = {"system_date": t.astimezone(NY).date().isoformat()}
            if a.get("activity_sub_type"):
                e["activity_subtype"] = a["activity_sub_type"]
            for k in ("net_amount", "price", "qty"):
                if a.get(k) is not None:
                    e[k] = a[k]
            if (since and t < since) or (until and t > until) or \
                    (q.get("since_id") and e["event_id"] < q["since_id"]) or \
                    (q.get("until_id") and e["event_id"] > q["until_id"]):
                continue
            out.append(e)
        out.sort(key=lambda e: e["event_id"])   # the stream's order is the ids' order
        return out

    # --------------------------------------------------------- control plane
    def control(self, method, path, body):
        with self.lock:
            if path == "/_sim/reset" and method == "POST":
                self.reset()
                self.faults = []
                return {"ok": True}
            if path == "/_sim/config" and method == "POST":
                for k, v in self.obj(body).items():
                    if k not in self.config:
                        raise bad("unknown config key: %s" % k, 400)
                    self.config[k] = v
                if self.config["now"]:
                    self.now()
                return self.config
            if path == "/_sim/prices" and method in ("GET", "POST"):
                for k, v in (self.obj(body) if method == "POST" else {}).items():
                    self.pin(k, D(v, k))
                return {k: s(self.price(k)) for k in sorted(self.paths)}
            if path == "/_sim/faults" and method == "POST":
                f = self.obj(body)
                f.setdefault("times", 1)
                self.faults.append(f)
                return {"faults": self.faults}
            if path == "/_sim/faults" and method == "DELETE":
                self.faults = []
                return {"faults": []}
            if path == "/_sim/state" and method in ("GET", "POST"):
                return {"requests": self.requests, "max_per_minute": self.max_per_minute(),
                        "orders": len(self.orders),
                        "positions": {k: s(v["qty"]) for k, v in self.positions.items()},
                        "cash": s(self.cash), "faults": self.faults}
            if path == "/_sim/orders" and method == "POST":
                return self.seed_orders(self.obj(body))
            if path == "/_sim/seed_locates" and method == "POST":
                return self.seed_locates(self.obj(body))
            if path == "/_sim/tick" and method == "POST":
                self.advance()
                self.streams.emit()
                return {"ok": True}
            if path == "/_sim/stream" and method == "POST":
                return self.streams.control(self.obj(body or {}))
        raise ApiError(404, E_NOT_FOUND, "endpoint not found")

    STATE_KEYS = ("config", "account_id", "created", "cash", "assets", "_base_prices", "paths", "synth",
                  "synth_contracts", "ledger", "orders", "positions", "activities", "watchlists", "dne",
                  "acct_config", "whitelists", "transfers", "locates", "leverage", "perp_whitelists",
                  "perp_transfers", "tokenization")

    def save_state(self):
        """--state FILE: the paper account, kept across restarts (written whole, then renamed)."""
        if not self.state_file:
            return
        state = {k: getattr(self, k) for k in self.STATE_KEYS}
        tmp = self.state_file + ".tmp"
        with open(tmp, "wb") as f:
            pickle.dump({"version": 1, "state": state}, f)
        os.replace(tmp, self.state_file)

    def load_state(self):
        with open(self.state_file, "rb") as f:
            saved = pickle.load(f)
        if saved.get("version") == 1:
            for k, v in saved["state"].items():
                setattr(self, k, v)

    def trade(self, symbol):
        """The latest trade of a symbol at the simulator's price, as Market Data shows it."""
        try:
            px = self.price(symbol)
        except ApiError:
            return None
        return {"t": iso(self.now()), "p": float(px), "s": 100, "x": "V", "i": 1, "c": ["@"], "z": "C"}

    def r_latest_trades(self, q):
        symbols = [x for x in self.need(q, "symbols").split(",") if x]
        trades = {sym: t for sym in symbols for t in [self.trade(sym)] if t is not None}
        return {"trades": trades}

    def quote(self, symbol):
        """The latest quote: a bid and an ask a spread around the price."""
        try:
            px = self.price(symbol)
        except ApiError:
            return None
        half = max(Decimal("0.01"), (px * Decimal("0.0002")).quantize(Decimal("0.01"))) if px >= 1 \
            else (px * Decimal("0.0005"))
        return {"t": iso(self.now()), "bp": float(px - half), "bs": 3, "ap": float(px + half), "as": 2,
                "bx": "V", "ax": "V", "c": ["R"], "z": "C"}

    def r_latest_quotes(self, q):
        symbols = [x for x in self.need(q, "symbols").split(",") if x]
        return {"quotes": {sym: qt for sym in symbols for qt in [self.quote(sym)] if qt is not None}}

    def bars(self, sym, q):
        """Bars from the price path: open, high, low and close of each period's minutes."""
        frames = {"1Min": 60, "5Min": 300, "15Min": 900, "30Min": 1800, "1Hour": 3600, "1Day": 86400}
        tf = q.get("timeframe", "1Day")
        one_of(tf, tuple(frames), "timeframe")
        step = frames[tf]
        end = parse_time(q["end"], "end") if q.get("end") else self.now()
        start = parse_time(q["start"], "start") if q.get("start") else end - dt.timedelta(seconds=step * 30)
        if start >= end:
            raise bad("end should be after start", 400)
        limit = int(q.get("limit", "1000"))
        out = []
        t = int(start.timestamp()) // step * step
        while t < end.timestamp() and len(out) < limit:
            minutes = [self.price_at(sym, dt.datetime.fromtimestamp(m, UTC))
                       for m in range(t, min(t + step, int(end.timestamp()) + 1), 60 if step < 86400 else 3600)]
            if minutes:
                out.append({"t": iso(dt.datetime.fromtimestamp(t, UTC)), "o": float(minutes[0]),
                            "h": float(max(minutes)), "l": float(min(minutes)), "c": float(minutes[-1]),
                            "v": 1000 + self._h("v", sym, t) % 9000, "n": 10 + self._h("n", sym, t) % 90,
                            "vw": float(sum(minutes) / len(minutes))})
            t += step
        return out

    def r_bars(self, q):
        symbols = [x for x in self.need(q, "symbols").split(",") if x]
        for sym in symbols:
            if self.asset(sym) is None:
                raise bad("invalid symbol: %s" % sym, 400)
        return {"bars": {sym: self.bars(sym, q) for sym in symbols}, "next_page_token": None}

    def r_latest_trade(self, sym):
        t = self.trade(sym)
        if t is None:
            raise ApiError(404, E_NOT_FOUND, "no trade for " + sym)
        return {"symbol": sym, "trade": t}

    def max_per_minute(self):
        """The most API requests that arrived in any 60 seconds."""
        best, j, t = 0, 0, self.request_times
        for i in range(len(t)):
            while t[i] - t[j] >= 60:
                j += 1
            best = max(best, i - j + 1)
        return best

    def seed_orders(self, b):
        """Closed orders in bulk, per_instant of them at each second, for paging tests."""
        n, per = int(b.get("count", 1)), max(1, int(b.get("per_instant", 1)))
        start = parse_time(b.get("start", "2026-01-05T15:00:00Z"), "start")
        asset = self.assets[b.get("symbol", "AAPL")]
        for i in range(n):
            t = start + dt.timedelta(seconds=i // per)
            o = self._order_obj(asset, "%s%d" % (b.get("prefix", "seed-"), i), t, "limit", "buy", "day",
                                Decimal(1), None, {"limit_price": Decimal(1)}, "simple", False, None)
            o.update(status="canceled", canceled_at=iso(t))
            self.orders.append(o)
        return {"orders": len(self.orders)}

    def seed_locates(self, b):
        """Expired locates in bulk, a second apart, for paging tests."""
        start = parse_time(b.get("start", "2026-06-01T15:00:00Z"), "start")
        for i in range(int(b.get("count", 1))):
            t = start + dt.timedelta(seconds=i)
            self.locates.append({"id": str(uuid.uuid5(NS, "locate%d" % i)), "symbol": b.get("symbol", "TSLA"),
                                 "requested_qty": 100, "located_qty": 100, "all_or_none": False,
                                 "located_price": "0.05", "total_fee": "5", "status": "expired",
                                 "created_at": iso(t), "expires_at": iso(t + dt.timedelta(hours=5))})
        return {"locates": len(self.locates)}

    def take_fault(self, method, path):
        with self.lock:
            for f in self.faults:
                if f.get("method", method) == method and re.fullmatch(f.get("path", ".*"), path):
                    f["times"] -= 1
                    if f["times"] <= 0:
                        self.faults.remove(f)
                    return f
        return None


def answers(fault):
    """Does this fault replace the answer (rather than only delay or drop)?"""
    return any(k in fault for k in ("status", "body", "raw", "raw_b64", "generate", "garble"))


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


NO_CONTENT = object()
EMPTY_OK = object()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AlpacaSim/1.0"
    # headers and body go out in two writes; with Nagle on, the second waits
    # for the client's delayed ACK and every call costs 40 ms
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("sim: " + fmt % args + "\n")

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    def send_json(self, status, payload):
        data = b"" if payload is None else json.dumps(payload).encode()
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-RateLimit-Limit", "200")
        self.end_headers()
        self.wfile.write(data)

    def dispatch(self):
        sim = self.server.sim
        url = urlsplit(self.path)
        path = url.path
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return self.send_json(400, {"code": E_INVALID, "message": "request body format is invalid"})
        try:
            if path == "/stream" and self.command == "GET":
                return streams.serve_websocket(self, sim)
            if path.startswith("/_sim/"):
                answer = sim.control(self.command, path, body)
                with sim.lock:
                    sim.save_state()
                return self.send_json(200, answer)
            with sim.lock:
                sim.requests += 1   # every request that reached the API, answered or not
                sim.request_times.append(time.monotonic())
            fault = sim.take_fault(self.command, path)
            if fault and fault.get("delay_ms"):
                time.sleep(fault["delay_ms"] / 1000.0)
            if fault and fault.get("drop") == "before":
                return self.drop()
            if fault and not fault.get("after") and answers(fault):
                return self.send_fault(fault)
            auth = self.authorize(sim)
            if auth:
                return self.send_json(*auth)
            with sim.lock:
                limit = sim.config.get("rate_limit")
                if limit is not None:
                    if limit <= 0:
                        return self.send_json(429, {"code": E_RATE_LIMIT, "message": "rate limit exceeded"})
                    sim.config["rate_limit"] = limit - 1
            result = sim.handle(self.command, path, query, body)
            if fault and fault.get("delay_after_ms"):   # done, but slow to say so
                time.sleep(fault["delay_after_ms"] / 1000.0)
            if fault and fault.get("drop") == "after":
                return self.drop()
            if fault and fault.get("after") and answers(fault):
                return self.send_fault(fault)
            if self.command != "GET":
                with sim.lock:
                    sim.save_state()
            if result is NO_CONTENT:
                return self.send_json(204, None)
            if result is EMPTY_OK or result is None:
                return self.send_json(200, None)
            if isinstance(result, MultiStatus):
                return self.send_json(207, list(result))
            if isinstance(result, Created):
                return self.send_json(201, dict(result))
            if isinstance(result, EventStream):
                return self.send_events(result)
            if isinstance(result, LiveEvents):
                return streams.serve_live_events(self, sim, result.query, result.history)
            return self.send_json(200, result)
        except ApiError as e:
            return self.send_json(e.status, {"code": e.code, "message": e.message})
        except Exception as e:  # a simulator bug must still look like Alpaca's 500
            sys.stderr.write("sim: internal error: %r\n" % (e,))
            return self.send_json(500, {"code": E_INTERNAL, "message": "internal server error"})

    def send_events(self, text):
        data = text.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def send_fault(self, f):
        """Answer as the fault says, however broken that is.

        status, body (JSON), raw (text), raw_b64 (bytes), generate (head + item
        repeated count times with sep + tail), content_type, headers,
        chunked, truncate (send only that many bytes of a longer declared
        body, then close), chunk_delay_ms, garble (not HTTP at all), and
        echo_keys (replace {key_id} and {secret_key} everywhere with the
        keys the request carried: an upstream that leaks them back).
        """
        keys = (self.headers.get("APCA-API-KEY-ID") or "", self.headers.get("APCA-API-SECRET-KEY") or "")

        def echo(text):
            if f.get("echo_keys"):
                return text.replace("{key_id}", keys[0]).replace("{secret_key}", keys[1])
            return text

        if f.get("garble"):
            self.close_connection = True
            self.wfile.write(echo(f["garble"] if isinstance(f["garble"], str) else "SPDY/9 banana\r\n\r\n").encode())
            self.wfile.flush()
            return self.drop()
        if "generate" in f:
            g = f["generate"]
            item = echo(g["item"]).encode()
            data = (echo(g.get("head", "")).encode() + echo(g.get("sep", ",")).encode().join([item] * int(g["count"]))
                    + echo(g.get("tail", "")).encode())
        elif "raw_b64" in f:
            data = base64.b64decode(f["raw_b64"])
        elif "raw" in f:
            data = echo(f["raw"]).encode("utf-8")
        else:
            data = echo(json.dumps(f.get("body", {"code": E_INTERNAL, "message": "internal server error"}))).encode()
        self.send_response(f.get("status", 200))
        self.send_header("Content-Type", f.get("content_type", "application/json; charset=UTF-8"))
        for k, v in f.get("headers", {}).items():
            self.send_header(k, echo(str(v)))
        if f.get("chunked"):
            self.send_header("Transfer-Encoding", "chunked")
        else:
            self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if "truncate" in f:
            data = data[:int(f["truncate"])]
            self.close_connection = True
        step = 65536
        for i in range(0, len(data), step):
            part = data[i:i + step]
            if f.get("chunked"):
                part = b"%x\r\n%s\r\n" % (len(part), part)
            try:
                self.wfile.write(part)
            except OSError:
                return self.drop()
            if f.get("chunk_delay_ms"):
                time.sleep(f["chunk_delay_ms"] / 1000.0)
        if f.get("chunked"):
            self.wfile.write(b"0\r\n\r\n")
        if "truncate" in f:
            self.wfile.flush()
            return self.drop()

    def authorize(self, sim):
        key = self.headers.get("APCA-API-KEY-ID")
        secret = self.headers.get("APCA-API-SECRET-KEY")
        if not key or not secret or key != sim.key_id:
            return 401, {"code": E_UNAUTHORIZED, "message": "request is not authorized"}
        if secret != sim.secret_key:
            return 403, {"code": E_FORBIDDEN, "message": "forbidden."}
        return None

    def drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=int(os.environ.get("ALPACA_SIM_PORT", "0")))
    ap.add_argument("--port-file", help="write the bound port here once listening")
    ap.add_argument("--key-id", default=os.environ.get("ALPACA_SIM_KEY_ID", "PKSIMULATOR0000000001"))
    ap.add_argument("--secret-key", default=os.environ.get("ALPACA_SIM_SECRET_KEY", "sim-secret-0000000000000000000000000000"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--seed", type=int, default=1, help="the random walk's seed (default 1)")
    ap.add_argument("--market", choices=("auto", "open", "closed"), default="auto",
                    help="auto: the NYSE calendar (the default); open or closed: pinned, as tests want it")
    ap.add_argument("--static-prices", action="store_true",
                    help="prices move only through /_sim/prices (tests); by default they walk")
    ap.add_argument("--assets", type=int, default=0, metavar="N",
                    help="also list N synthesized assets in /v2/assets (Alpaca lists about 30,000)")
    ap.add_argument("--state", metavar="FILE", help="keep the paper account in FILE across restarts")
    args = ap.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the simulator listens on loopback only")
    srv = Server((args.host, args.port), Handler)
    srv.sim = Sim(args.key_id, args.secret_key, seed=args.seed, market=args.market,
                  walk=not args.static_prices, universe=args.assets, state_file=args.state)
    srv.verbose = args.verbose
    port = srv.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    sys.stderr.write("alpaca simulator listening on http://%s:%d\n" % (args.host, port))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
