"""Matching: orders fill as the simulated prices allow.

advance() runs before every request (and on the streams' ticker): open
orders whose price is reached fill (or half fill, with "partial_fill"),
stock orders wait while the market is closed, IOC and FOK orders that
cannot fill are canceled, and a filled leg releases or cancels its
siblings.  Each fill moves cash and the position and books a FILL activity.
"""

import uuid
from decimal import Decimal

from broker.orders import OPEN_STATES
from values import iso, parse_time, s


class Matching:
    def __init__(self, broker):
        self.b = broker

    def advance(self):
        """Fill what the simulated prices allow."""
        b = self.b
        book = b.book
        now = b.now()
        is_open = b.market.clock.market_open()
        for w in book.whitelists + book.perp_whitelists:
            w["status"] = "APPROVED"
        delay = b.config["fill_delay_ms"]
        for o in list(book.orders):
            if o["status"] not in ("accepted", "new", "partially_filled"):
                continue
            if o.get("order_class") == "mleg" and o.get("_leg"):
                continue
            age = (now - parse_time(o["created_at"], "created_at")).total_seconds() * 1000
            if delay and age < delay:
                continue
            if o["asset_class"] != "crypto" and not is_open:
                o["status"] = "new" if o["status"] == "accepted" else o["status"]
                continue
            if o.get("order_class") == "mleg":
                self._fill_mleg(o, now)
                continue
            px = b.price(o["symbol"])
            fill = self.fill_price(o, px)
            if fill is None:
                if o["time_in_force"] in ("ioc", "fok"):
                    b.orders.cancel(o, now)
                elif o["status"] == "accepted":
                    o["status"] = "new"
                continue
            self.fill(o, fill, now)

    @staticmethod
    def fill_price(o, px):
        buy = o["side"] == "buy"
        t = o["type"]
        if t in ("stop", "stop_limit") and not o.get("_triggered"):
            stop = Decimal(o["stop_price"])
            if (buy and px < stop) or (not buy and px > stop):
                return None
            o["_triggered"] = True
        if t == "trailing_stop":
            hwm = Decimal(o["hwm"]) if o["hwm"] else px
            hwm = max(hwm, px) if not buy else min(hwm, px)
            o["hwm"] = s(hwm)
            if o["trail_price"]:
                trail = Decimal(o["trail_price"])
            else:
                trail = hwm * Decimal(o["trail_percent"]) / 100
            o["stop_price"] = s((hwm - trail) if not buy else (hwm + trail))
            stop = Decimal(o["stop_price"])
            if (not buy and px > stop) or (buy and px < stop):
                return None
        if t in ("limit", "stop_limit"):
            limit = Decimal(o["limit_price"])
            if (buy and px > limit) or (not buy and px < limit):
                return None
        return px

    def fill(self, o, px, now, qty=None):
        b = self.b
        book = b.book
        a = b.assets.resolve(o["symbol"])
        if qty is None:
            total = Decimal(o["qty"]) if o["qty"] else (Decimal(o["notional"]) / px).quantize(Decimal("1e-9"))
            remaining = total - Decimal(o["filled_qty"])
            qty = remaining
            if b.config["partial_fill"] and o["status"] != "partially_filled" and remaining > 1:
                qty = (remaining / 2).to_integral_value()
            if o["qty"] is None:
                o["qty"] = s(total)
        else:
            total = qty
        filled = Decimal(o["filled_qty"]) + qty
        prev_avg = Decimal(o["filled_avg_price"]) if o["filled_avg_price"] else Decimal(0)
        avg = (prev_avg * Decimal(o["filled_qty"]) + px * qty) / filled
        o["filled_qty"] = s(filled)
        o["filled_avg_price"] = s(avg.quantize(Decimal("1e-6")))
        o["status"] = "filled" if filled >= total else "partially_filled"
        o["updated_at"] = iso(now)
        if o["status"] == "filled":
            o["filled_at"] = iso(now)
        signed = qty if o["side"] == "buy" else -qty
        mult = b.multiplier(a)
        p = book.positions.setdefault(a["symbol"], {"qty": Decimal(0), "cost": Decimal(0),
                                                    "lastday": b.price(a["symbol"])})
        if p["qty"] == 0 or (p["qty"] > 0) == (signed > 0):
            p["cost"] += px * signed
        else:
            closing = min(abs(signed), abs(p["qty"]))
            avg_entry = p["cost"] / p["qty"]
            p["cost"] -= avg_entry * closing * (1 if p["qty"] > 0 else -1)
            if abs(signed) > abs(p["qty"]):
                p["cost"] = px * (signed + p["qty"])
        p["qty"] += signed
        book.cash -= px * signed * mult
        b.account.book_change(now, a["symbol"], signed, -px * signed * mult)
        if p["qty"] == 0:
            del book.positions[a["symbol"]]
        book.activities.append({
            "id": now.strftime("%Y%m%d%H%M%S%f")[:17] + "::" + str(uuid.uuid4()),
            "activity_type": "FILL", "transaction_time": iso(now),
            "type": "fill" if o["status"] == "filled" else "partial_fill",
            "price": s(px), "qty": s(qty), "side": o["side"], "symbol": a["symbol"],
            "leaves_qty": s(total - filled), "order_id": o["id"], "cum_qty": s(filled),
            "order_status": o["status"]})
        if o["status"] == "filled":
            self._after_fill(o, now)

    def _fill_mleg(self, o, now):
        b = self.b
        net = Decimal(0)
        for leg in o["legs"]:
            px = b.price(leg["symbol"])
            net += px if leg["side"] == "buy" else -px
        if o["type"] == "limit" and net > Decimal(o["limit_price"]):
            o["status"] = "new"
            return
        for leg in o["legs"]:
            self.fill(leg, b.price(leg["symbol"]), now)
        o["filled_qty"] = o["qty"]
        o["filled_avg_price"] = s(net)
        o["status"] = "filled"
        o["filled_at"] = o["updated_at"] = iso(now)

    def _after_fill(self, o, now):
        orders = self.b.book.orders
        parent = next((p for p in orders if o in (p.get("legs") or [])), None)
        if o.get("legs") and o["order_class"] in ("bracket", "oto"):
            for leg in o["legs"]:
                if leg["status"] == "held":
                    leg["status"] = "new"
        if parent is not None and parent["order_class"] in ("bracket", "oco", "oto"):
            for leg in parent["legs"]:
                if leg is not o and leg["status"] in OPEN_STATES:
                    leg["status"] = "canceled"
                    leg["canceled_at"] = leg["updated_at"] = iso(now)
        if o["order_class"] == "oco" and o.get("legs"):
            for leg in o["legs"]:
                if leg["status"] in OPEN_STATES:
                    leg["status"] = "canceled"
                    leg["canceled_at"] = leg["updated_at"] = iso(now)
        if o["order_class"] == "oco" and parent is not None and parent["status"] in OPEN_STATES:
            parent["status"] = "canceled"
            parent["canceled_at"] = parent["updated_at"] = iso(now)
