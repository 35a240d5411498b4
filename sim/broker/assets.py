"""The asset universe and the one reading of a symbol.

A curated list (a few stocks, two crypto pairs, a delisted one), an
optional synthesized universe (--assets N), and any well-formed symbol on
first use: a US ticker or a crypto pair, with metadata from its symbol.

Every endpoint that names an asset reads it here, so the spellings Alpaca
takes mean the same thing everywhere: a symbol in any case, the asset's
id, a crypto pair as BTC/USD, BTC-USD or BTCUSD, an option contract by
its OCC symbol or its id (a us_option asset; its contract has the
multiplier), and for GET /v2/assets a US equity's CUSIP.
"""

import re
import uuid
from urllib.parse import unquote

from values import E_NOT_FOUND, NS, ApiError, seed_hash

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
CUSIPS = {"AAPL": "037833100", "MSFT": "594918104", "TSLA": "88160R101", "SPY": "78462F103", "KKR": "48251W104"}
OPTION_UNDERLYINGS = ("AAPL", "SPY", "TSLA")

TICKER = re.compile(r"[A-Z]{1,5}(\.[A-Z])?")
PAIR = re.compile(r"([A-Z0-9]{2,10})/(USD|USDT|USDC|BTC)")
OCC = re.compile(r"([A-Z]{1,6})(\d{6})([CP])(\d{8})")
CONTRACT_KEY = re.compile(r"[A-Z]{1,6}\d{6}[CP]\d{8}|[0-9a-f-]{36}")
QUOTES = ("USDT", "USDC", "USD", "BTC")


class Universe:
    def __init__(self, broker, universe=0):
        self.b = broker
        self.universe = universe

    def populate(self):
        """The curated assets, and --assets N synthesized ones, listed."""
        book, market = self.b.book, self.b.market
        market.base_prices.clear()
        for sym, name, exch, cls, price, frac, short, status, attrs in ASSETS:
            a = {"id": str(uuid.uuid5(NS, "asset:" + sym)), "class": cls, "exchange": exch,
                 "symbol": sym, "name": name, "status": status, "tradable": status == "active",
                 "marginable": cls == "us_equity", "maintenance_margin_requirement": 30,
                 "margin_requirement_long": "30", "margin_requirement_short": "100",
                 "shortable": short, "easy_to_borrow": short, "fractionable": frac,
                 "attributes": attrs}
            if cls == "us_equity":
                a["cusip"] = CUSIPS.get(sym)
                a["borrow_status"] = "easy_to_borrow" if short else "hard_to_borrow"
            else:
                a["min_order_size"] = "0.0001"
                a["min_trade_increment"] = "0.0001"
                a["price_increment"] = "1" if sym == "BTC/USD" else "0.1"
            book.assets[sym] = a
            market.base_prices[sym] = __import__("decimal").Decimal(price)
        for i in range(self.universe):   # --assets N: a listed universe, like Alpaca's 30,000
            sym = "".join(chr(65 + (i // 26 ** k) % 26) for k in range(4))
            if sym not in book.assets:
                book.assets[sym] = self.synth_asset(sym)

    def synth_asset(self, sym):
        """An asset for any well-formed symbol: a US ticker or a crypto pair."""
        h = seed_hash(self.b.seed, "asset", sym)
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

    def _known(self, sym):
        book = self.b.book
        return book.assets.get(sym) or book.synth.get(sym)

    def _ensure(self, sym):
        """A listed or synthesized asset for a canonical symbol, synthesized on first use."""
        a = self._known(sym)
        if a is None:
            a = self.synth_asset(sym)
            if a is not None:
                self.b.book.synth[sym] = a
        return a

    @staticmethod
    def pair_of(up):
        """BTC-USD and BTCUSD as BTC/USD (None when the spelling is no pair)."""
        if "/" in up:
            return up if PAIR.fullmatch(up) else None
        if "-" in up:
            p = up.replace("-", "/")
            return p if PAIR.fullmatch(p) else None
        for q in QUOTES:
            if up.endswith(q) and len(up) > len(q) + 1:
                p = up[:-len(q)] + "/" + q
                if PAIR.fullmatch(p):
                    return p
        return None

    def resolve(self, key, cusip=False):
        """The asset a spelling names, or None (option contracts as us_option assets)."""
        key = unquote(key or "").strip()
        up = key.upper()
        book = self.b.book
        a = self._known(up)
        if a is not None:
            return a
        if re.fullmatch(r"[0-9a-fA-F-]{36}", key):
            low = key.lower()
            a = next((x for x in list(book.assets.values()) + list(book.synth.values()) if x["id"] == low), None)
            if a is not None:
                return a
        if OCC.fullmatch(up) or re.fullmatch(r"[0-9a-fA-F-]{36}", key):
            c = self.b.options.contract(up if OCC.fullmatch(up) else key.lower())
            return self.contract_asset(c) if c else None
        if TICKER.fullmatch(up):
            return self._ensure(up)
        pair = self.pair_of(up)
        if pair:
            return self._ensure(pair)
        if cusip and re.fullmatch(r"[0-9A-Z]{9}", up):
            return next((x for x in list(book.assets.values()) + list(book.synth.values())
                         if x["class"] == "us_equity" and x.get("cusip") == up), None)
        return None

    @staticmethod
    def contract_asset(c):
        """An option contract as the assets API shows it."""
        return {"id": c["id"], "class": "us_option", "exchange": "OPRA", "symbol": c["symbol"], "name": c["name"],
                "status": c["status"], "tradable": c["tradable"], "marginable": False, "shortable": False,
                "easy_to_borrow": False, "fractionable": False, "attributes": []}

    # ------------------------------------------------------------ routes
    def r_assets(self, q):
        out = []
        attrs = [a for a in q.get("attributes", "").split(",") if a]
        for a in self.b.book.assets.values():
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
        a = self.resolve(k, cusip=True)
        if a is None:
            raise ApiError(404, E_NOT_FOUND, "asset not found for %s" % unquote(k))
        return a
