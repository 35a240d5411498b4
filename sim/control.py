"""The control plane: /_sim/*, for tests (no keys needed).

POST /_sim/reset                 a fresh account, config and faults
POST /_sim/config {key: value}   the clock, the market's hours, fills, the walk, the rate limits
GET|POST /_sim/prices            the prices of the symbols seen; POST pins {symbol: price}
POST|DELETE /_sim/faults         misbehaviour on the wire (see faults.py)
GET|POST /_sim/state             counts: requests (and by method), orders, positions, cash, faults, rate limit windows
GET /_sim/last_request           the last API request's method, path and User-Agent
POST /_sim/orders                closed orders in bulk (paging tests)
POST /_sim/seed_locates          expired locates in bulk (paging tests)
POST /_sim/tick                  advance the market now and push to every stream
POST /_sim/stream                trade_updates and activity event streams: cut, stall, lose, replay
GET|POST /_sim/market_stream     the market data streams: cut, stall, inject, limits, report
POST /_sim/news                  publish an article now
"""

from values import E_NOT_FOUND, ApiError, D, bad, obj, s


class Control:
    def __init__(self, sim):
        self.sim = sim

    def handle(self, method, path, body):
        sim = self.sim
        with sim.lock:
            fn = self.ROUTES.get((method, path))
            if fn is None:
                raise ApiError(404, E_NOT_FOUND, "endpoint not found")
            return fn(self, body)

    def reset(self, body):
        self.sim.reset()
        self.sim.faults = []
        return {"ok": True}

    def config(self, body):
        cfg = self.sim.config
        for k, v in obj(body).items():
            if k not in cfg:
                raise bad("unknown config key: %s" % k, 400)
            if k in ("requests_per_minute", "data_requests_per_minute") and v is not None and \
                    (isinstance(v, bool) or not isinstance(v, int) or v < 0):
                raise bad("%s must be a whole number of requests or null" % k, 400)
            if k == "retry_after" and not isinstance(v, bool):
                raise bad("retry_after must be true or false", 400)
        for k, v in body.items():
            cfg[k] = v
        if cfg["now"]:
            self.sim.now()
        return cfg

    def pin_prices(self, body):
        for k, v in obj(body).items():
            self.sim.pin(k, D(v, k))
        return self.prices(None)

    def prices(self, body):
        sim = self.sim
        walk = sim.market.walk
        return {k: s(sim.price(k)) for k in sorted(walk.paths)
                if walk.paths[k][0].get("cls") not in ("forex", "index", "fixed_income")}

    def add_fault(self, body):
        f = obj(body)
        f.setdefault("times", 1)
        self.sim.faults.append(f)
        return {"faults": self.sim.faults}

    def clear_faults(self, body):
        self.sim.faults = []
        return {"faults": []}

    def state(self, body):
        sim = self.sim
        return {"requests": sim.requests, "by_method": dict(sim.by_method), "max_per_minute": sim.max_per_minute(),
                "orders": len(sim.orders),
                "positions": {k: s(v["qty"]) for k, v in sim.positions.items()},
                "cash": s(sim.cash), "faults": sim.faults, "rate_limits": sim.budgets.report()}

    def last_request(self, body):
        return dict(self.sim.last_request)

    def seed_orders(self, body):
        return self.sim.broker.orders.seed_orders(obj(body))

    def seed_locates(self, body):
        return self.sim.broker.locates.seed(obj(body))

    def tick(self, body):
        self.sim.advance()
        self.sim.streams.emit()
        self.sim.market_streams.ticks += 1
        return {"ok": True}

    def stream(self, body):
        return self.sim.streams.control(obj(body or {}))

    def market_stream(self, body):
        return self.sim.market_streams.control(obj(body or {}))

    def market_stream_report(self, body):
        return self.sim.market_streams.report()

    def news(self, body):
        try:
            return {k: v for k, v in self.sim.market.news.publish(obj(body), self.sim.now()).items()
                    if not k.startswith("_")}
        except ValueError as e:
            raise bad(str(e), 400)

    ROUTES = {("POST", "/_sim/reset"): reset,
              ("POST", "/_sim/config"): config,
              ("GET", "/_sim/prices"): prices, ("POST", "/_sim/prices"): pin_prices,
              ("POST", "/_sim/faults"): add_fault, ("DELETE", "/_sim/faults"): clear_faults,
              ("GET", "/_sim/state"): state, ("POST", "/_sim/state"): state,
              ("GET", "/_sim/last_request"): last_request,
              ("POST", "/_sim/orders"): seed_orders,
              ("POST", "/_sim/seed_locates"): seed_locates,
              ("POST", "/_sim/tick"): tick,
              ("POST", "/_sim/stream"): stream,
              ("POST", "/_sim/market_stream"): market_stream, ("GET", "/_sim/market_stream"): market_stream_report,
              ("POST", "/_sim/news"): news}
