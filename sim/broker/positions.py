"""Positions: their values at the simulated prices, and closing them."""

from decimal import Decimal

from broker.orders import OPEN_STATES
from values import E_FORBIDDEN, E_NOT_FOUND, ApiError, D, MultiStatus, bad, flag, money, s


class PositionDesk:
    def __init__(self, broker):
        self.b = broker

    def position(self, sym):
        b = self.b
        p = b.book.positions[sym]
        a = b.assets.resolve(sym)
        mult = b.multiplier(a)
        px = b.price(sym)
        p["lastday"] = b.price_at(sym, b.account.last_close())
        qty = p["qty"]
        avg = p["cost"] / qty
        mv = qty * px * mult
        cost = qty * avg * mult
        pl = mv - cost
        intraday = mv - qty * p["lastday"] * mult
        q = Decimal("1e-10")
        held = sum((Decimal(o["qty"]) - Decimal(o["filled_qty"]) for o in b.book.orders
                    if o["symbol"] == sym and o["status"] in OPEN_STATES and o.get("qty")
                    and (o["side"] == "sell") == (qty > 0) and not o.get("_leg")), Decimal(0))
        return {"asset_id": a["id"], "symbol": sym, "exchange": a["exchange"] if a["class"] == "us_equity" else "",
                "asset_class": a["class"], "asset_marginable": a["marginable"],
                "qty": s(qty), "qty_available": s(qty - held if qty > 0 else qty + held),
                "avg_entry_price": s(avg.quantize(Decimal("1e-6"))),
                "side": "long" if qty > 0 else "short", "market_value": money(mv),
                "cost_basis": money(cost), "unrealized_pl": money(pl),
                "unrealized_plpc": s((pl / abs(cost)).quantize(q)) if cost else "0",
                "unrealized_intraday_pl": money(intraday),
                "unrealized_intraday_plpc": s((intraday / abs(qty * p["lastday"] * mult)).quantize(q)),
                "current_price": s(px), "lastday_price": s(p["lastday"]),
                "change_today": s(((px - p["lastday"]) / p["lastday"]).quantize(q))}

    def values(self):
        """(long market value, short market value)."""
        b = self.b
        long_mv = short_mv = Decimal(0)
        for sym, p in b.book.positions.items():
            mv = p["qty"] * b.price(sym) * b.multiplier(b.assets.resolve(sym))
            if mv >= 0:
                long_mv += mv
            else:
                short_mv += mv
        return long_mv, short_mv

    def find_position(self, key):
        a = self.b.assets.resolve(key)
        if a is None or a["symbol"] not in self.b.book.positions:
            raise ApiError(404, E_NOT_FOUND, "position does not exist")
        return a["symbol"]

    def close_position(self, sym, qty=None, percentage=None):
        b = self.b
        held = b.book.positions[sym]["qty"]
        if qty is not None and percentage is not None:
            raise bad("only one of qty or percentage can be specified", 400)
        if percentage is not None:
            if not 0 < percentage <= 100:
                raise bad("percentage must be between 0 and 100", 400)
            amount = (abs(held) * percentage / 100)
            a = b.assets.resolve(sym)
            amount = amount.quantize(Decimal("1e-9")) if a["fractionable"] else amount.to_integral_value()
        elif qty is not None:
            if qty <= 0 or qty > abs(held):
                raise ApiError(403, E_FORBIDDEN, "insufficient qty available for order (requested: %s, available: %s)"
                               % (s(qty), s(abs(held))))
            amount = qty
        else:
            amount = abs(held)
        if amount <= 0:
            raise bad("computed close qty is zero", 400)
        a = b.assets.resolve(sym)
        tif = "gtc" if a["class"] == "crypto" else "day"
        return b.orders.new_order({"symbol": sym, "qty": s(amount), "side": "sell" if held > 0 else "buy",
                                   "type": "market", "time_in_force": tif,
                                   "position_intent": ("sell_to_close" if held > 0 else "buy_to_close")})

    # ------------------------------------------------------------- routes
    def r_positions(self):
        return [self.position(x) for x in sorted(self.b.book.positions)]

    def r_position(self, k):
        return self.position(self.find_position(k))

    def r_close(self, k, q):
        sym = self.find_position(k)
        qty = D(q["qty"], "qty") if "qty" in q else None
        pct = D(q["percentage"], "percentage") if "percentage" in q else None
        return self.b.orders.public_order(self.close_position(sym, qty, pct))

    def r_close_all(self, q):
        b = self.b
        if flag(q, "cancel_orders"):
            b.orders.cancel_open()
        out = []
        for sym in sorted(b.book.positions):
            try:
                out.append({"symbol": sym, "status": 200, "body": b.orders.public_order(self.close_position(sym))})
            except ApiError as e:
                out.append({"symbol": sym, "status": e.status, "body": e.body()})
        return MultiStatus(out)
