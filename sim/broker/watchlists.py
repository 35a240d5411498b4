"""Watchlists: named lists of assets, by id or by name."""

import uuid
from urllib.parse import unquote

from values import E_NOT_FOUND, NO_CONTENT, ApiError, bad, iso, need, uuid_arg


class WatchlistDesk:
    def __init__(self, broker):
        self.b = broker

    @property
    def lists(self):
        return self.b.book.watchlists

    def find(self, wid=None, name=None):
        for w in self.lists:
            if (wid is not None and w["id"] == wid) or (name is not None and w["name"] == name):
                return w
        raise ApiError(404, E_NOT_FOUND, "watchlist not found")

    def by_id(self, w):
        return self.find(wid=uuid_arg(w))

    def by_name(self, q):
        return self.find(name=need(q, "name"))

    def assets(self, symbols):
        out = []
        for sym in symbols:
            if not isinstance(sym, str):
                raise bad("symbols must be strings")
            a = self.b.assets.resolve(sym)
            if a is None or a["class"] == "us_option":
                raise bad("asset not found: %s" % sym)
            if a in out:
                raise bad("duplicate symbol: %s" % a["symbol"])
            out.append(a)
        return out

    def check_name(self, name, other=None):
        if not isinstance(name, str) or not name.strip():
            raise bad("name is required")
        if len(name) > 64:
            raise bad("name must be no more than 64 characters")
        if any(w["name"] == name and w is not other for w in self.lists):
            raise bad("watchlist name must be unique")

    @staticmethod
    def public(w, with_assets=True):
        out = {k: v for k, v in w.items() if k != "assets"}
        if with_assets:
            out["assets"] = list(w["assets"])
        return out

    # ------------------------------------------------------------- routes
    def r_list(self):
        return [self.public(w, False) for w in self.lists]

    def r_create(self, body):
        self.check_name(body.get("name"))
        now = iso(self.b.now())
        w = {"id": str(uuid.uuid4()), "account_id": self.b.book.account_id, "created_at": now, "updated_at": now,
             "name": body["name"], "assets": self.assets(body.get("symbols") or [])}
        self.lists.append(w)
        return self.public(w)

    def r_update(self, w, body):
        self.check_name(body.get("name"), w)
        assets = self.assets(body.get("symbols") or [])
        w.update(name=body["name"], assets=assets, updated_at=iso(self.b.now()))
        return self.public(w)

    def r_add(self, w, body):
        sym = body.get("symbol")
        if not sym:
            raise bad("symbol is required")
        w["assets"] = w["assets"] + self.assets([sym])
        ids = [a["id"] for a in w["assets"]]
        if len(ids) != len(set(ids)):
            w["assets"] = w["assets"][:-1]
            raise bad("duplicate symbol: %s" % sym)
        w["updated_at"] = iso(self.b.now())
        return self.public(w)

    def r_delete(self, w):
        self.lists.remove(w)
        return NO_CONTENT

    def r_remove_symbol(self, w, sym):
        w = self.by_id(w)
        a = self.b.assets.resolve(sym)
        if a is None or a not in w["assets"]:
            raise ApiError(404, E_NOT_FOUND, "symbol not found in watchlist: %s" % unquote(sym))
        w["assets"] = [x for x in w["assets"] if x is not a]
        w["updated_at"] = iso(self.b.now())
        return self.public(w)
