"""Option contracts and exercise.

Each of AAPL, SPY and TSLA has a chain: the next five Fridays and a January
a year on, seven strikes about the price, calls and puts.  Any other OCC
symbol of a listed underlying that has not expired is a contract of its
own, made on first use.
"""

import base64
import datetime as dt
import math
import re
import uuid
from decimal import Decimal
from urllib.parse import unquote

from broker.assets import CONTRACT_KEY, OCC, OPTION_UNDERLYINGS
from values import (E_FORBIDDEN, E_NOT_FOUND, NS, NY, ApiError, D, bad, flag, iso, one_of, parse_date, s,
                    seed_hash)


def contract_filter(q, strikes=D):
    """A predicate for the type, strike, expiration and root filters (shared with the option chain)."""
    if q.get("type"):
        one_of(q["type"], ("call", "put"), "type")
    lte = parse_date(q["expiration_date_lte"], "expiration_date_lte") if q.get("expiration_date_lte") else None
    gte = parse_date(q["expiration_date_gte"], "expiration_date_gte") if q.get("expiration_date_gte") else None
    exact = parse_date(q["expiration_date"], "expiration_date") if q.get("expiration_date") else None
    kgte = strikes(q["strike_price_gte"], "strike_price_gte") if q.get("strike_price_gte") else None
    klte = strikes(q["strike_price_lte"], "strike_price_lte") if q.get("strike_price_lte") else None

    def keep(c, lte=lte):
        e = dt.date.fromisoformat(c["expiration_date"])
        k = Decimal(c["strike_price"])
        return not ((q.get("root_symbol") and c["root_symbol"] != q["root_symbol"])
                    or (q.get("type") and c["type"] != q["type"]) or (exact and e != exact)
                    or (lte and e > lte) or (gte and e < gte) or (kgte is not None and k < kgte)
                    or (klte is not None and k > klte))
    keep.unbounded = lte is None and exact is None
    return keep


class OptionDesk:
    def __init__(self, broker):
        self.b = broker
        self._contracts = None

    def reset(self):
        self._contracts = None

    def contracts(self):
        b = self.b
        if self._contracts is not None and self._contracts[0] == b.now().date():
            return self._contracts[1]
        today = b.now().astimezone(NY).date()
        fridays = []
        d = today
        while len(fridays) < 5:
            d += dt.timedelta(days=1)
            if d.weekday() == 4:
                fridays.append(d)
        expiries = fridays + [dt.date(today.year + 1, 1, 15)]
        out = []
        for u in OPTION_UNDERLYINGS:
            base = b.price(u)
            uid = b.book.assets[u]["id"]
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
                            "underlying_asset_id": uid, "type": typ, "style": "american",
                            "strike_price": s(strike), "multiplier": "100", "size": "100",
                            "open_interest": str(100 + k * k * 37), "open_interest_date": today.isoformat(),
                            "close_price": s(px), "close_price_date": today.isoformat(), "ppind": True,
                            "deliverables": [{"type": "equity", "symbol": u, "asset_id": uid,
                                              "amount": "100", "allocation_percentage": "100",
                                              "settlement_type": "T+1", "settlement_method": "CCC",
                                              "delayed_settlement": False}]})
        self._contracts = (b.now().date(), out)
        return out

    def contract(self, key):
        """The contract an OCC symbol (any case) or a contract id names, or None."""
        key = unquote(key or "").strip()
        if OCC.fullmatch(key.upper()):
            key = key.upper()
        elif re.fullmatch(r"[0-9a-fA-F-]{36}", key):
            key = key.lower()
        if not CONTRACT_KEY.fullmatch(key):
            return None
        return next((c for c in self.contracts() if c["symbol"] == key or c["id"] == key), None) \
            or self.b.book.synth_contracts.get(key) or self.synth_contract(key)

    def synth_contract(self, sym):
        """Any OCC symbol of a listed underlying that has not expired: a contract of its own."""
        b = self.b
        m = OCC.fullmatch(sym)
        if not m:
            return None
        root, ymd, cp, strike = m.groups()
        u = b.assets.resolve(root)
        if u is None or u["class"] != "us_equity":
            return None
        try:
            e = dt.date(2000 + int(ymd[:2]), int(ymd[2:4]), int(ymd[4:]))
        except ValueError:
            return None
        today = b.now().astimezone(NY).date()
        if e < today or int(strike) == 0:
            return None
        typ = "call" if cp == "C" else "put"
        k = Decimal(int(strike)) / 1000
        c = {"id": str(uuid.uuid5(NS, sym)), "symbol": sym,
             "name": "%s %s %s %s" % (root, e.strftime("%b %d %Y"), s(k), typ.capitalize()),
             "status": "active", "tradable": True, "expiration_date": e.isoformat(),
             "root_symbol": root, "underlying_symbol": root, "underlying_asset_id": u["id"], "type": typ,
             "style": "american", "strike_price": s(k), "multiplier": "100", "size": "100",
             "open_interest": str(seed_hash(b.seed, "oi", sym) % 5000), "open_interest_date": today.isoformat(),
             "close_price_date": today.isoformat(), "ppind": True,
             "deliverables": [{"type": "equity", "symbol": root, "asset_id": u["id"], "amount": "100",
                               "allocation_percentage": "100", "settlement_type": "T+1",
                               "settlement_method": "CCC", "delayed_settlement": False}]}
        c["close_price"] = s(b.market.option_price(c, u, b.now()))
        b.book.synth_contracts[sym] = b.book.synth_contracts[c["id"]] = c
        return c

    def exercise(self, key, do_not=False):
        b = self.b
        c = self.contract(key)
        if c is None:
            if CONTRACT_KEY.fullmatch(unquote(key)):
                raise ApiError(403, E_FORBIDDEN, "no position found for %s" % unquote(key))
            raise bad("invalid option contract: %s" % unquote(key))
        p = b.book.positions.get(c["symbol"])
        if p is None or p["qty"] <= 0:
            raise ApiError(403, E_FORBIDDEN, "available position quantity is not sufficient")
        if do_not:
            b.book.dne.add(c["symbol"])
            return
        now = b.now()
        n = p["qty"]
        del b.book.positions[c["symbol"]]
        u = c["underlying_symbol"]
        shares = n * 100 * (1 if c["type"] == "call" else -1)
        strike = Decimal(c["strike_price"])
        up = b.book.positions.setdefault(u, {"qty": Decimal(0), "cost": Decimal(0), "lastday": b.price(u)})
        up["qty"] += shares
        up["cost"] += strike * shares
        b.book.cash -= strike * shares
        b.account.book_change(now, c["symbol"], -n, Decimal(0))
        b.account.book_change(now, u, shares, -strike * shares)
        if up["qty"] == 0:
            del b.book.positions[u]
        b.book.activities.append({"id": now.strftime("%Y%m%d%H%M%S%f")[:17] + "::" + str(uuid.uuid4()),
                                  "activity_type": "OPEXC", "date": iso(now), "created_at": iso(now),
                                  "net_amount": "0", "symbol": c["symbol"], "qty": s(n),
                                  "status": "executed", "description": "Option exercise"})

    # ------------------------------------------------------------- routes
    def r_contracts(self, q):
        try:
            limit = int(q.get("limit", "100"))
        except ValueError:
            raise bad("invalid limit", 400)
        if not 1 <= limit <= 10000:
            raise bad("limit must be between 1 and 10000")
        for f in ("style", "status"):
            if q.get(f):
                one_of(q[f], {"style": ("american", "european"), "status": ("active", "inactive")}[f], f)
        unders = set(x.strip() for x in q.get("underlying_symbols", "").split(",") if x.strip())
        keep = contract_filter(q)
        lte = None
        if keep.unbounded:
            today = self.b.now().astimezone(NY).date()
            lte = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
        out = []
        for c in self.contracts():
            ok = keep(c, lte) if lte else keep(c)
            if not ok or (unders and c["underlying_symbol"] not in unders) \
                    or (q.get("style") and c["style"] != q["style"]) or q.get("status", "active") != c["status"]:
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
