"""The broker: one paper account and everything Alpaca keeps for it.

Broker holds the account's state (a Book) and the desks that act on it:
assets, orders and their matching, positions, the account itself,
activities, watchlists, options, corporate actions, crypto funding and
perpetuals, locates, tokenization, and the Trading API's clock.  Prices
come from the market.
"""

from decimal import Decimal

from broker.account import AccountDesk
from broker.activities import ActivityDesk
from broker.assets import OCC, Universe
from broker.clock import ClockDesk
from broker.corporate import CorporateDesk
from broker.fills import Matching
from broker.locates import LocateDesk
from broker.options import OptionDesk
from broker.orders import OrderDesk
from broker.positions import PositionDesk
from broker.state import Book
from broker.tokenization import TokenizationDesk
from broker.watchlists import WatchlistDesk
from broker.wallets import PerpetualsDesk, WalletDesk
from values import bad


class Broker:
    def __init__(self, market, config, seed=1, universe=0, account_id=None):
        self.market, self.config, self.seed = market, config, seed
        self.account_id = account_id
        self.assets = Universe(self, universe)
        self.orders = OrderDesk(self)
        self.matching = Matching(self)
        self.positions = PositionDesk(self)
        self.account = AccountDesk(self)
        self.activities = ActivityDesk(self)
        self.watchlists = WatchlistDesk(self)
        self.options = OptionDesk(self)
        self.corporate = CorporateDesk(self)
        self.clock = ClockDesk(self)
        self.wallets = WalletDesk(self)
        self.perps = PerpetualsDesk(self)
        self.locates = LocateDesk(self)
        self.tokenization = TokenizationDesk(self)
        self.book = Book(account_id)
        self.reset()

    def reset(self):
        self.book = Book(self.account_id)
        self.options.reset()
        self.assets.populate()
        self.activities.seed()

    def now(self):
        return self.market.now()

    def advance(self):
        self.matching.advance()

    # ----------------------------------------------------------- prices
    def price_at(self, sym, t):
        """The price of a symbol (or an option contract) at time t."""
        c = self.options.contract(sym) if OCC.fullmatch(sym) else None
        if c is not None:
            return self.market.option_price(c, self.assets.resolve(c["underlying_symbol"]), t)
        a = self.assets.resolve(sym)
        if a is None:
            raise bad("no price for " + sym)
        return self.market.price_at(a, t)

    def price(self, sym):
        return self.price_at(sym, self.now())

    def pin(self, sym, px):
        a = self.assets.resolve(sym)
        if a is None:
            raise bad("unknown symbol: %s" % sym, 400)
        self.market.pin(a, px)

    @staticmethod
    def multiplier(asset):
        return Decimal(100) if asset["class"] == "us_option" else Decimal(1)
