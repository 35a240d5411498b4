"""Orders: placement with Alpaca's checks, replacement, cancellation, listing.

An order is accepted, then new once routed, then filled (see fills.py),
canceled, expired or replaced; bracket, OCO and OTO orders carry legs, and
multi-leg option orders (mleg) carry one child per contract.
"""

import datetime as dt
import uuid
from decimal import Decimal

from broker import placement
from market.calendar import Calendar
from values import (E_NOT_FOUND, E_UNPROCESSABLE, NO_CONTENT, NY, ApiError, D, MultiStatus, bad, flag, iso, need,
                    one_of, parse_time, s)

OPEN_STATES = ("new", "accepted", "partially_filled", "pending_new", "held",
               "accepted_for_bidding", "pending_replace", "pending_cancel")


class OrderDesk:
    def __init__(self, broker):
        self.b = broker

    @property
    def orders(self):
        return self.b.book.orders

    # ------------------------------------------------------------ placing
    def new_order(self, body, replaces=None):
        b = self.b
        now = b.now()
        order_class, otype, tif, cid = placement.common(b, body, self.orders)
        if order_class == "mleg":
            return self._new_mleg(body, otype, tif, cid, now)
        asset, side, qty, notional, prices, fractional = placement.simple(b, body, order_class, otype, tif)
        placement.funds(b, asset, side, qty, notional, prices, order_class, fractional, self.pending_sell)
        tp, sl = body.get("take_profit"), body.get("stop_loss")
        o = self.order_obj(asset, cid, now, otype, side, tif, qty, notional, prices, order_class,
                           body.get("extended_hours", False), body.get("position_intent"))
        if replaces:
            o["replaces"] = replaces
        legs = []
        exit_side = "sell" if side == "buy" else "buy"
        if tp:
            legs.append(self.order_obj(asset, str(uuid.uuid4()), now, "limit", exit_side, tif, qty, None,
                                       {"limit_price": D(tp.get("limit_price"), "take_profit.limit_price")},
                                       order_class, False, None))
        if sl:
            slp = {"stop_price": D(sl.get("stop_price"), "stop_loss.stop_price")}
            if sl.get("limit_price") is not None:
                slp["limit_price"] = D(sl["limit_price"], "stop_loss.limit_price")
            legs.append(self.order_obj(asset, str(uuid.uuid4()), now,
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
        b = self.b
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
            c = b.options.contract(leg.get("symbol", ""))
            if c is None:
                raise bad("asset \"%s\" not found" % leg.get("symbol"))
            one_of(leg.get("side"), ("buy", "sell"), "side")
            ratio = D(leg.get("ratio_qty"), "ratio_qty")
            a = b.assets.resolve(c["symbol"])
            child = self.order_obj(a, str(uuid.uuid4()), now, otype, leg["side"], tif, qty * ratio, None,
                                   {}, "mleg", False, leg.get("position_intent"))
            child["ratio_qty"] = s(ratio)
            child["_leg"] = True
            children.append(child)
        debit = sum((b.price(ch["symbol"]) * (1 if ch["side"] == "buy" else -1) for ch in children), Decimal(0))
        side = "buy" if debit >= 0 else "sell"
        o = self.order_obj({"symbol": "", "id": str(uuid.UUID(int=0)), "class": "us_option"}, cid, now,
                           otype, side, tif, qty, None, prices, "mleg", False, None)
        o["symbol"] = ""
        o["position_intent"] = None
        o["asset_id"] = str(uuid.UUID(int=0))
        o["legs"] = children
        self.orders.append(o)
        self.orders.extend(children)
        return o

    def pending_sell(self, symbol):
        return sum((Decimal(o["qty"]) - Decimal(o["filled_qty"]) for o in self.orders
                    if o["symbol"] == symbol and o["side"] == "sell" and o["status"] in OPEN_STATES
                    and o.get("qty") and not o.get("_leg")), Decimal(0))

    @staticmethod
    def order_obj(asset, cid, now, otype, side, tif, qty, notional, prices, order_class, extended, intent):
        return {"id": str(uuid.uuid4()), "client_order_id": cid, "created_at": iso(now),
                "updated_at": iso(now), "submitted_at": iso(now), "filled_at": None,
                "expired_at": None, "expires_at": iso(Calendar.hours(now.astimezone(NY).date())[1]),
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

    @staticmethod
    def cancel(o, now):
        if o["status"] not in OPEN_STATES:
            raise ApiError(422, E_UNPROCESSABLE, "order is not cancelable (status: %s)" % o["status"])
        o["status"] = "canceled"
        o["canceled_at"] = o["updated_at"] = iso(now)
        for leg in o.get("legs") or []:
            if leg["status"] in OPEN_STATES:
                leg["status"] = "canceled"
                leg["canceled_at"] = leg["updated_at"] = iso(now)

    def replace(self, o, body):
        now = self.b.now()
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

    # ------------------------------------------------------------- routes
    def r_place(self, body):
        return self.public_order(self.new_order(body))

    def r_order(self, oid, q):
        return self.public_order(self.find_order(oid), flag(q, "nested", True))

    def r_replace(self, oid, body):
        return self.public_order(self.replace(self.find_order(oid), body))

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
        cid = need(q, "client_order_id")
        o = next((x for x in self.orders if x["client_order_id"] == cid), None)
        if o is None:
            raise ApiError(404, E_NOT_FOUND, "order not found for %s" % cid)
        return self.public_order(o)

    def r_cancel(self, oid):
        self.cancel(self.find_order(oid), self.b.now())
        return NO_CONTENT

    def r_cancel_all(self):
        now = self.b.now()
        out = []
        for o in self.orders:
            if o["status"] in OPEN_STATES and not o.get("_leg"):
                self.cancel(o, now)
                out.append({"id": o["id"], "status": 200, "body": self.public_order(o)})
        return MultiStatus(out)

    def cancel_open(self):
        now = self.b.now()
        for o in self.orders:
            if o["status"] in OPEN_STATES and not o.get("_leg"):
                self.cancel(o, now)

    def seed_orders(self, body):
        """Closed orders in bulk, per_instant of them at each second, for paging tests."""
        n, per = int(body.get("count", 1)), max(1, int(body.get("per_instant", 1)))
        start = parse_time(body.get("start", "2026-01-05T15:00:00Z"), "start")
        asset = self.b.book.assets[body.get("symbol", "AAPL")]
        for i in range(n):
            t = start + dt.timedelta(seconds=i // per)
            o = self.order_obj(asset, "%s%d" % (body.get("prefix", "seed-"), i), t, "limit", "buy", "day",
                               Decimal(1), None, {"limit_price": Decimal(1)}, "simple", False, None)
            o.update(status="canceled", canceled_at=iso(t))
            self.orders.append(o)
        return {"orders": len(self.orders)}
