"""The route tables: each Trading API and Market Data API operation to its handler.

A route is (method, path pattern, handler); a handler takes the simulator,
the query (a dict of strings), the parsed JSON body and the pattern's
groups.  The first pattern that matches the path wins; a path some route
knows under another method is answered 405.  Every pattern starts with two
literal segments (/v2/orders, /v1beta3/crypto), by which routes are found.
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
    """The route tables, compiled, and indexed by a path's first two segments."""

    KEY = re.compile(r"/([^/(\\[]+)/([^/(\\[]+)")

    def __init__(self, tables):
        self.index = {}
        for api, table in tables:
            for m, p, fn in table:
                k = self.KEY.match(p)
                self.index.setdefault(k.groups() if k else None, []).append((api, m, re.compile(p), fn))

    def candidates(self, path):
        parts = path.split("/", 3)
        key = (parts[1], parts[2]) if len(parts) > 2 else None
        return self.index.get(key, ())

    def api_of(self, path):
        """Which API a path belongs to ("trading" for paths no route knows)."""
        return next((api for api, _, rx, _ in self.candidates(path) if rx.fullmatch(path)), "trading")

    def dispatch(self, method, path):
        """(API name, handler, groups) for a request, or Alpaca's 404 or 405."""
        known = False
        for api, m, rx, fn in self.candidates(path):
            match = rx.fullmatch(path)
            if match:
                if m == method:
                    return api, fn, match.groupdict()
                known = True
        if known:
            raise ApiError(405, 40510000, "method not allowed")
        raise ApiError(404, E_NOT_FOUND, "endpoint not found")


def router():
    """The Market Data API's routes and the Trading API's, in the order paths are tried."""
    import data
    return Router([("data", data.ROUTES), ("trading", TRADING)])
