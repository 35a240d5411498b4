"""Short-sale locates: round lots of 100, a fee per share by how hard the
symbol is to borrow, active until 20:00 New York time."""

import base64
import datetime as dt
import uuid
from decimal import Decimal

from values import NS, NY, D, bad, by_id, iso, money, need, one_of, parse_date, parse_time, s, uuid_arg


class LocateDesk:
    def __init__(self, broker):
        self.b = broker

    def fee(self, sym):
        return Decimal("0.01") if self.b.assets.resolve(sym).get("easy_to_borrow") else Decimal("0.05")

    def r_create(self, body):
        sym = body.get("symbol")
        qty = body.get("qty")
        if not isinstance(sym, str) or not sym:
            raise bad("symbol is required", 400)
        if not isinstance(qty, int) or isinstance(qty, bool) or qty <= 0 or qty % 100:
            raise bad("qty must be a positive round lot of 100", 400)
        a = self.b.assets.resolve(sym)
        if a is None or a["class"] != "us_equity":
            raise bad("locates are for US equities: %s" % sym, 400)
        fee = self.fee(sym)
        limit = D(body["limit_price"], "limit_price") if body.get("limit_price") is not None else None
        now = self.b.now()
        loc = {"id": str(uuid.uuid4()), "symbol": a["symbol"], "requested_qty": qty,
               "all_or_none": bool(body.get("all_or_none", False)), "created_at": iso(now)}
        if limit is not None:
            loc["limit_price"] = s(limit)
        if limit is not None and fee > limit:
            loc.update(status="rejected", rejection_reason="locate fee %s exceeds limit_price %s" % (s(fee), s(limit)))
        else:
            close = dt.datetime.combine(now.astimezone(NY).date(), dt.time(20, 0), NY)
            loc.update(status="active", located_qty=qty, located_price=s(fee), total_fee=money(fee * qty),
                       expires_at=iso(close if close > now else close + dt.timedelta(days=1)))
        self.b.book.locates.append(loc)
        return loc

    def r_list(self, q):
        if q.get("status"):
            one_of(q["status"], ("active", "expired", "rejected"), "status")
        limit = int(q.get("limit") or 1000)
        if not 1 <= limit <= 10000:
            raise bad("limit must be between 1 and 10000", 400)
        rows = sorted(self.b.book.locates, key=lambda x: (x["created_at"], x["id"]), reverse=True)
        day = lambda x: (parse_time(x["created_at"], "t").astimezone(NY) + dt.timedelta(hours=4)).date()  # noqa: E731
        rows = [x for x in rows if (not q.get("status") or x["status"] == q["status"])
                and (not q.get("symbol") or x["symbol"] == q["symbol"].upper())
                and (not q.get("start") or day(x) >= parse_date(q["start"], "start"))
                and (not q.get("end") or day(x) < parse_date(q["end"], "end"))]
        if q.get("page_token"):
            after = base64.urlsafe_b64decode(q["page_token"] + "==").decode()
            rows = rows[next((i + 1 for i, x in enumerate(rows) if x["id"] == after), len(rows)):]
        page = rows[:limit]
        token = base64.urlsafe_b64encode(page[-1]["id"].encode()).decode().rstrip("=") \
            if len(rows) > limit else ""
        return {"locates": page, "next_page_token": token}

    def r_get(self, i):
        return by_id(self.b.book.locates, uuid_arg(i), "locate")

    def r_quotes(self, q):
        quotes, errors = [], []
        for sym in need(q, "symbols").split(","):
            a = self.b.assets.resolve(sym)
            if a is None or a["class"] != "us_equity":
                errors.append({"symbol": sym, "code": "symbol_not_found", "message": "not a US equity"})
            elif a.get("easy_to_borrow"):
                errors.append({"symbol": sym, "code": "easy_to_borrow", "message": "no locate needed"})
            else:
                quotes.append({"symbol": a["symbol"], "available_qty": 10000, "price": s(self.fee(sym)),
                               "quoted_at": iso(self.b.now())})
        return {"quotes": quotes, "errors": errors}

    def seed(self, body):
        """Expired locates in bulk, a second apart, for paging tests."""
        start = parse_time(body.get("start", "2026-06-01T15:00:00Z"), "start")
        for i in range(int(body.get("count", 1))):
            t = start + dt.timedelta(seconds=i)
            self.b.book.locates.append({"id": str(uuid.uuid5(NS, "locate%d" % i)), "symbol": body.get("symbol", "TSLA"),
                                        "requested_qty": 100, "located_qty": 100, "all_or_none": False,
                                        "located_price": "0.05", "total_fee": "5", "status": "expired",
                                        "created_at": iso(t), "expires_at": iso(t + dt.timedelta(hours=5))})
        return {"locates": len(self.b.book.locates)}
