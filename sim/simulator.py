"""The simulator: a market, a broker with one paper account, their APIs, their streams.

Sim ties the parts together and is what the HTTP server, the control
plane, the streams and the tests hold: its config (the clock, the market's
hours, fills, the walk, the rate limits), one lock for all state, the
route tables, and --state FILE persistence.
"""

import os
import pickle
import threading

import data
import market_streams
import routes
import streams
from broker import Broker
from control import Control
from market import Market
from ratelimit import Budgets

# "rate_limit": N answers the next N API requests and 429 after them (a
# fault, whatever the window); "requests_per_minute" and
# "data_requests_per_minute" are Alpaca's per-account minute (ratelimit.py)
DEFAULT_CONFIG = {"market": "auto", "now": None, "fill_delay_ms": 0, "partial_fill": False, "rate_limit": None,
                  "walk": True, "requests_per_minute": None, "data_requests_per_minute": None,
                  "retry_after": False}


class Sim:
    def __init__(self, key_id, secret_key, seed=1, market="auto", walk=True, universe=0, state_file=None,
                 account_id=None):
        self.key_id, self.secret_key = key_id, secret_key
        self.seed, self.default_market, self.default_walk = seed, market, walk
        self.state_file = state_file
        self.lock = threading.RLock()
        self.faults = []
        self.config = {}
        self._reset_config()
        self.market = Market(seed, self.config)
        self.broker = Broker(self.market, self.config, seed=seed, universe=universe, account_id=account_id)
        self.market.news.describe = self._describe
        self.router = routes.router()
        self.budgets = Budgets(self.config)
        self.data = data.Desks(self)
        self.streams = streams.Streams(self)
        self.market_streams = market_streams.MarketStreams(self)
        self.control_plane = Control(self)
        self.reset()
        if state_file and os.path.exists(state_file):
            self.load_state()

    def _reset_config(self):
        self.config.clear()
        self.config.update(DEFAULT_CONFIG, market=self.default_market, walk=self.default_walk)

    def reset(self):
        self.streams.reset()
        self.market_streams.reset()
        self._reset_config()
        self.market.walk.restore({})
        self.market.news.reset()
        self.broker.reset()
        self.budgets.reset()
        self.requests = 0
        self.by_method = {}       # API requests by method: GET, and the ones that may change the account
        self.request_times = []   # monotonic seconds of each API request, for max_per_minute
        self.last_request = {}    # the last API request's method, path and User-Agent (GET /_sim/last_request)

    def _describe(self, symbol):
        a = self.broker.assets.resolve(symbol)
        return (a["name"], a) if a is not None else None

    # ------------------------------------------------ what others ask of it
    def now(self):
        return self.market.now()

    def market_open(self):
        return self.market.clock.market_open()

    def price(self, symbol):
        return self.broker.price(symbol)

    def pin(self, symbol, px):
        self.broker.pin(symbol, px)

    def advance(self):
        self.broker.advance()

    def public_order(self, o, nested=True):
        return self.broker.orders.public_order(o, nested)

    def find_order(self, oid):
        return self.broker.orders.find_order(oid)

    def activity_events(self, q):
        return self.broker.activities.events(q)

    @property
    def cash(self):
        return self.broker.book.cash

    @property
    def orders(self):
        return self.broker.book.orders

    @property
    def positions(self):
        return self.broker.book.positions

    @property
    def activities(self):
        return self.broker.book.activities

    def max_per_minute(self):
        """The most API requests that arrived in any 60 seconds."""
        best, j, t = 0, 0, self.request_times
        for i in range(len(t)):
            while t[i] - t[j] >= 60:
                j += 1
            best = max(best, i - j + 1)
        return best

    # ----------------------------------------------------------- the APIs
    def api_of(self, path):
        return self.router.api_of(path)

    def handle(self, method, path, query, body):
        """One API request's answer (raises ApiError for Alpaca's error answers)."""
        api, fn, groups = self.router.dispatch(method, path)
        with self.lock:
            self.advance()
            try:
                return fn(self, query, body, **groups)
            finally:
                self.streams.emit()

    def control(self, method, path, body):
        return self.control_plane.handle(method, path, body)

    # ------------------------------------------------------- --state FILE
    def save_state(self):
        """--state FILE: the paper account, kept across restarts (written whole, then renamed)."""
        if not self.state_file:
            return
        state = {"book": self.broker.book.export(), "config": dict(self.config),
                 "paths": self.market.walk.export(), "base_prices": dict(self.market.base_prices),
                 "news": list(self.market.news.published)}
        tmp = self.state_file + ".tmp"
        with open(tmp, "wb") as f:
            pickle.dump({"version": 2, "state": state}, f)
        os.replace(tmp, self.state_file)

    def load_state(self):
        with open(self.state_file, "rb") as f:
            saved = pickle.load(f)
        state = saved.get("state", {})
        if saved.get("version") == 1:      # one flat dict, as the single-file simulator kept it
            state = {"book": state, "config": state.get("config", {}), "paths": state.get("paths", {}),
                     "base_prices": state.get("_base_prices", {}), "news": []}
        elif saved.get("version") != 2:
            return
        self.broker.book.restore(state["book"])
        self.config.update(state["config"])
        self.market.walk.restore(state["paths"])
        self.market.base_prices.update(state["base_prices"])
        self.market.news.published = list(state.get("news", []))
