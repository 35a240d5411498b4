"""The simulated market: its calendar and clock, its prices, its tape, its news.

Market is what the broker and the Market Data API ask about prices: the
walk's price of an asset at a time, an option's price from its
underlying's, the spread a quote shows, and instruments for the tape.
Besides the assets the broker lists, the market prices currencies (each
against the dollar), indices and the fixed income the broker lists.
"""

from decimal import Decimal

from market.calendar import Calendar, Clock, nyse_early_closes, nyse_holidays  # noqa: F401
from market.news import Newsroom
from market.options import option_price
from market.tape import Instrument, Tape
from market.walk import PriceWalk
from values import seed_hash

# a dollar in each currency the simulator converts to
CURRENCIES = {"USD": "1", "EUR": "0.92", "JPY": "150.2", "GBP": "0.79", "CAD": "1.36", "MXN": "17.1",
              "CHF": "0.88", "AUD": "1.52", "CNH": "7.21", "HKD": "7.82", "SGD": "1.34", "NZD": "1.65"}
INDICES = {"SPX": "5800", "NDX": "20500", "DJI": "43000", "RUT": "2300", "VIX": "16.5", "COMP": "18500"}


class Market:
    def __init__(self, seed, config):
        self.seed = seed
        self.config = config
        self.clock = Clock(config)
        self.calendar = Calendar
        self.walk = PriceWalk(seed, self.clock, config)
        self.tape = Tape(self)
        self.news = Newsroom(self)
        self.base_prices = {}       # the curated assets' first prices (the broker fills it)

    def now(self):
        return self.clock.now()

    # ---------------------------------------------------------- prices
    def base_price(self, asset):
        """The first price of an asset: its curated price, or one from its symbol."""
        sym = asset["symbol"]
        got = self.base_prices.get(sym)
        if got is not None:
            return got
        h = seed_hash(self.seed, "price", sym)
        if asset["class"] == "crypto":
            if sym.endswith("/BTC"):
                return Decimal(1 + h % 9999) / Decimal(100000)
            return Decimal(1 + h % 9) * Decimal(10) ** (h % 6 - 2)
        return Decimal(500 + h % 49500) / Decimal(100)

    def price_at(self, asset, t):
        return self.walk.price_at(asset, self.base_price(asset), t)

    def pin(self, asset, px):
        self.walk.pin(asset, self.base_price(asset), px)

    def option_price_of(self, contract, underlying_price, t):
        return option_price(contract["type"], contract["strike_price"], contract["expiration_date"],
                            underlying_price, t)

    def option_price(self, contract, underlying_asset, t):
        return self.option_price_of(contract, self.price_at(underlying_asset, t), t)

    @staticmethod
    def spread(inst, p):
        """(bid, ask) about price p."""
        if inst.kind == "option":
            half = max(Decimal("0.01"), (p * Decimal("0.02")).quantize(Decimal("0.01")))
            return max(Decimal(0), p - half), p + half
        if inst.kind == "forex":
            half = (p * Decimal("0.00002")).quantize(Decimal("0.000001"))
            return p - half, p + half
        half = max(Decimal("0.01"), (p * Decimal("0.0002")).quantize(Decimal("0.01"))) if p >= 1 \
            else (p * Decimal("0.0005"))
        return p - half, p + half

    # ----------------------------------------------------- instruments
    def instrument(self, asset):
        kind = {"us_equity": "stock", "crypto": "crypto", "forex": "forex", "index": "index",
                "fixed_income": "index"}[asset["class"]]
        return Instrument(self, kind, asset["symbol"], asset, base=self.base_price(asset))

    def option_instrument(self, contract, underlying_asset):
        return Instrument(self, "option", contract["symbol"], None, contract=contract, underlying=underlying_asset)

    # ------------------------------------------------ currencies, indices
    @staticmethod
    def currency_asset(code):
        return {"symbol": "FX:" + code, "class": "forex"}

    def usd_in(self, code, t):
        """A dollar in currency code at time t."""
        if code == "USD":
            return Decimal(1)
        asset = self.currency_asset(code)
        self.base_prices.setdefault(asset["symbol"], Decimal(CURRENCIES[code]))
        return self.price_at(asset, t)

    def index_asset(self, symbol):
        asset = {"symbol": "INDEX:" + symbol, "class": "index"}
        self.base_prices.setdefault(asset["symbol"], Decimal(INDICES[symbol]))
        return asset

    def fixed_income_asset(self, isin, price):
        asset = {"symbol": "FI:" + isin, "class": "fixed_income"}
        self.base_prices.setdefault(asset["symbol"], Decimal(str(price)).quantize(Decimal("0.000001")))
        return asset
