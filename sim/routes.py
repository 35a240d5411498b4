"""The route tables: each Trading API and Market Data API operation to its handler.

A route is (method, path pattern, handler); a handler takes the simulator,
the query (a dict of strings), the parsed JSON body and the pattern's
groups.  The first pattern that matches the path wins; a path some route
knows under another method is answered 405.
"""

import re

from broker import fixed_income
from values import Created, E_NOT_FOUND, ApiError, obj


def _b(s):
    return s.broker


TRADING = [
    ("GET", r"/v3/clock", lambda s, q, b: _b(s).clock.r_v3_clock(q)),
    ("GET", r"/v3/calendar/(?P<market>[^/]+)", lambda s, q, b, market: _b(s).clock.r_v3_calendar(market, q)),
    ("GET", r"/v1/locates", lambda s, q, b: _b(s).locates.r_list(q)),
    ("POST", r"/v1/locates", lambda s, q, b: Created(_b(s).locates.r_create(obj(b)))),
    ("GET", r"/v1/locates/quotes", lambda s, q, b: _b(s).locates.r_quotes(q)),
    ("GET", r"/v1/locates/(?P<i>[^/]+)", lambda s, q, b, i: _b(s).locates.r_get(i)),
    ("GET", r"/v2/assets/fixed_income/us_corporates", lambda s, q, b: fixed_income.r_corporates(q)),
    ("GET", r"/v2/assets/fixed_income/us_treasuries", lambda s, q, b: fixed_income.r_treasuries(q)),
    ("GET", r"/v2/perpetuals/account_vitals", lambda s, q, b: _b(s).perps.r_vitals()),
    ("GET", r"/v2/perpetuals/leverage", lambda s, q, b: _b(s).perps.r_leverage(q)),
    ("POST", r"/v2/perpetuals/leverage", lambda s, q, b: _b(s).perps.r_set_leverage(q)),
    ("GET", r"/v2/perpetuals/wallets", lambda s, q, b: _b(s).perps.r_wallet()),
    ("GET", r"/v2/perpetuals/wallets/fees/estimate", lambda s, q, b: {"fee": "0.5"}),
    ("GET", r"/v2/perpetuals/wallets/transfers", lambda s, q, b: _b(s).perps.r_transfers()),
    ("POST", r"/v2/perpetuals/wallets/transfers", lambda s, q, b: _b(s).perps.r_transfer_new(obj(b))),
    ("GET", r"/v2/perpetuals/wallets/transfers/(?P<i>[^/]+)", lambda s, q, b, i: _b(s).perps.r_transfer(i)),
    ("GET", r"/v2/perpetuals/wallets/whitelists", lambda s, q, b: _b(s).perps.r_whitelists()),
    ("POST", r"/v2/perpetuals/wallets/whitelists", lambda s, q, b: _b(s).perps.r_whitelist(obj(b))),
    ("DELETE", r"/v2/perpetuals/wallets/whitelists/(?P<i>[^/]+)",
     lambda s, q, b, i: _b(s).wallets.r_unwhitelist(_b(s).book.perp_whitelists, i)),
    ("POST", r"/v2/tokenization/mint", lambda s, q, b: _b(s).tokenization.r_mint(obj(b))),
    ("GET", r"/v2/tokenization/requests", lambda s, q, b: _b(s).tokenization.r_requests(q)),
    ("GET", r"/v2beta1/events/activities", lambda s, q, b: _b(s).activities.r_events(q)),
    ("GET", r"/v2/account", lambda s, q, b: _b(s).account.account()),
    ("GET", r"/v2/account/configurations", lambda s, q, b: _b(s).book.acct_config),
    ("PATCH", r"/v2/account/configurations", lambda s, q, b: _b(s).account.patch_config(obj(b))),
    ("GET", r"/v2/account/activities", lambda s, q, b: _b(s).activities.r_activities(q, None)),
    ("GET", r"/v2/account/activities/(?P<t>[^/]+)", lambda s, q, b, t: _b(s).activities.r_activities(q, t)),
    ("GET", r"/v2/account/portfolio/history", lambda s, q, b: _b(s).account.history(q)),
    ("GET", r"/v2/clock", lambda s, q, b: _b(s).clock.r_clock()),
    ("GET", r"/v2/calendar", lambda s, q, b: _b(s).clock.r_calendar(q)),
    ("GET", r"/v2/assets", lambda s, q, b: _b(s).assets.r_assets(q)),
    ("GET", r"/v2/assets/(?P<k>.+)", lambda s, q, b, k: _b(s).assets.r_asset(k)),
    ("GET", r"/v2/orders", lambda s, q, b: _b(s).orders.r_orders(q)),
    ("POST", r"/v2/orders", lambda s, q, b: _b(s).orders.r_place(obj(b))),
    ("DELETE", r"/v2/orders", lambda s, q, b: _b(s).orders.r_cancel_all()),
    ("GET", r"/v2/orders:by_client_order_id", lambda s, q, b: _b(s).orders.r_order_by_cid(q)),
    ("GET", r"/v2/orders/(?P<oid>[^/]+)", lambda s, q, b, oid: _b(s).orders.r_order(oid, q)),
    ("PATCH", r"/v2/orders/(?P<oid>[^/]+)", lambda s, q, b, oid: _b(s).orders.r_replace(oid, obj(b))),
    ("DELETE", r"/v2/orders/(?P<oid>[^/]+)", lambda s, q, b, oid: _b(s).orders.r_cancel(oid)),
    ("GET", r"/v2/positions", lambda s, q, b: _b(s).positions.r_positions()),
    ("DELETE", r"/v2/positions", lambda s, q, b: _b(s).positions.r_close_all(q)),
    ("GET", r"/v2/positions/(?P<k>[^/]+)", lambda s, q, b, k: _b(s).positions.r_position(k)),
    ("DELETE", r"/v2/positions/(?P<k>[^/]+)", lambda s, q, b, k: _b(s).positions.r_close(k, q)),
    ("POST", r"/v2/positions/(?P<k>[^/]+)/exercise", lambda s, q, b, k: _b(s).options.exercise(k)),
    ("POST", r"/v2/positions/(?P<k>[^/]+)/do-not-exercise", lambda s, q, b, k: _b(s).options.exercise(k, True)),
    ("GET", r"/v2/watchlists", lambda s, q, b: _b(s).watchlists.r_list()),
    ("POST", r"/v2/watchlists", lambda s, q, b: _b(s).watchlists.r_create(obj(b))),
    ("GET", r"/v2/watchlists:by_name", lambda s, q, b: _b(s).watchlists.public(_b(s).watchlists.by_name(q))),
    ("PUT", r"/v2/watchlists:by_name", lambda s, q, b: _b(s).watchlists.r_update(_b(s).watchlists.by_name(q), obj(b))),
    ("POST", r"/v2/watchlists:by_name", lambda s, q, b: _b(s).watchlists.r_add(_b(s).watchlists.by_name(q), obj(b))),
    ("DELETE", r"/v2/watchlists:by_name", lambda s, q, b: _b(s).watchlists.r_delete(_b(s).watchlists.by_name(q))),
    ("GET", r"/v2/watchlists/(?P<w>[^/]+)", lambda s, q, b, w: _b(s).watchlists.public(_b(s).watchlists.by_id(w))),
    ("PUT", r"/v2/watchlists/(?P<w>[^/]+)", lambda s, q, b, w: _b(s).watchlists.r_update(_b(s).watchlists.by_id(w), obj(b))),
    ("POST", r"/v2/watchlists/(?P<w>[^/]+)", lambda s, q, b, w: _b(s).watchlists.r_add(_b(s).watchlists.by_id(w), obj(b))),
    ("DELETE", r"/v2/watchlists/(?P<w>[^/]+)", lambda s, q, b, w: _b(s).watchlists.r_delete(_b(s).watchlists.by_id(w))),
    ("DELETE", r"/v2/watchlists/(?P<w>[^/]+)/(?P<sym>.+)", lambda s, q, b, w, sym: _b(s).watchlists.r_remove_symbol(w, sym)),
    ("GET", r"/v2/options/contracts", lambda s, q, b: _b(s).options.r_contracts(q)),
    ("GET", r"/v2/options/contracts/(?P<k>[^/]+)", lambda s, q, b, k: _b(s).options.r_contract(k)),
    ("GET", r"/v2/corporate_actions/announcements", lambda s, q, b: _b(s).corporate.r_announcements(q)),
    ("GET", r"/v2/corporate_actions/announcements/(?P<i>[^/]+)", lambda s, q, b, i: _b(s).corporate.r_announcement(i)),
    ("GET", r"/v2/wallets", lambda s, q, b: _b(s).wallets.r_wallets(q)),
    ("GET", r"/v2/wallets/transfers", lambda s, q, b: _b(s).wallets.r_transfers()),
    ("POST", r"/v2/wallets/transfers", lambda s, q, b: _b(s).wallets.r_withdraw(obj(b))),
    ("GET", r"/v2/wallets/transfers/(?P<i>[^/]+)", lambda s, q, b, i: _b(s).wallets.r_transfer(i)),
    ("GET", r"/v2/wallets/whitelists", lambda s, q, b: _b(s).wallets.r_whitelists()),
    ("POST", r"/v2/wallets/whitelists", lambda s, q, b: _b(s).wallets.r_whitelist(obj(b))),
    ("DELETE", r"/v2/wallets/whitelists/(?P<i>[^/]+)",
     lambda s, q, b, i: _b(s).wallets.r_unwhitelist(_b(s).book.whitelists, i)),
    ("GET", r"/v2/wallets/fees/estimate", lambda s, q, b: _b(s).wallets.r_fee(q)),
]


class Router:
    """A route table, compiled."""

    def __init__(self, api, table):
        self.api = api
        self.routes = [(m, re.compile(p), fn) for m, p, fn in table]

    def find(self, method, path):
        """(handler, groups) for the route, None when no pattern knows the path, False for another method."""
        known = False
        for m, rx, fn in self.routes:
            match = rx.fullmatch(path)
            if match:
                if m == method:
                    return fn, match.groupdict()
                known = True
        return False if known else None

    def knows(self, path):
        return any(rx.fullmatch(path) for _, rx, _ in self.routes)


def routers():
    """The Trading API's router and the Market Data API's, in the order paths are tried."""
    import data
    return [Router("data", data.ROUTES), Router("trading", TRADING)]


def api_of(routers_, path):
    """Which API a path belongs to ("trading" for paths no route knows)."""
    return next((r.api for r in routers_ if r.knows(path)), "trading")


def dispatch(routers_, method, path):
    """(API name, handler, groups) for a request, or Alpaca's 404 or 405."""
    known = False
    for r in routers_:
        got = r.find(method, path)
        if got:
            fn, groups = got
            return r.api, fn, groups
        known = known or got is False
    if known:
        raise ApiError(405, 40510000, "method not allowed")
    raise ApiError(404, E_NOT_FOUND, "endpoint not found")
