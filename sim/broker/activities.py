"""Account activities, and the activity event stream built from them.

Sixty non-trade activities are seeded (deposits, dividends, fees,
interest); each fill adds a FILL.  The event stream shows every activity
as an ActivityEventV2, its event_id a ULID of its time (so since_id and
until_id order like time).
"""

import datetime as dt
import json
import uuid

from market.calendar import Calendar
from values import NS, NY, EventStream, LiveEvents, bad, iso, one_of, parse_time


class ActivityDesk:
    def __init__(self, broker):
        self.b = broker

    def seed(self):
        base = dt.datetime(2026, 10, 1, 12, 0, tzinfo=dt.timezone.utc)
        seeds = [("CSD", None, "50000", None, None, None), ("DIV", "CDIV", "12.5", "AAPL", "50", "0.25"),
                 ("FEE", "REG", "-0.02", None, None, None), ("INT", None, "1.37", None, None, None)]
        for i in range(60):
            kind = seeds[i % 4]
            t = base + dt.timedelta(hours=13 * i)
            a = {"id": t.strftime("%Y%m%d%H%M%S%f")[:17] + "::" + str(uuid.uuid5(NS, "act%d" % i)),
                 "activity_type": kind[0], "date": iso(t), "created_at": iso(t),
                 "net_amount": kind[2], "description": "", "status": "executed", "currency": "USD"}
            if kind[1]:
                a["activity_sub_type"] = kind[1]
            if kind[3]:
                a.update(symbol=kind[3], qty=kind[4], per_share_amount=kind[5], cusip="037833100")
            self.b.book.activities.append(a)

    def r_activities(self, q, atype):
        types = None
        if atype is not None:
            types = [atype]
        elif q.get("activity_types"):
            types = q["activity_types"].split(",")
        if q.get("category"):
            if types:
                raise bad("activity_types and category cannot be used together", 400)
            one_of(q["category"], ("trade_activity", "non_trade_activity"), "category")
        direction = q.get("direction", "desc")
        one_of(direction, ("asc", "desc"), "direction")
        try:
            size = int(q.get("page_size", "100"))
        except ValueError:
            raise bad("invalid page_size", 400)
        if not 1 <= size <= 100:
            raise bad("page_size must be between 1 and 100", 400)
        if q.get("date") and (q.get("after") or q.get("until")):
            raise bad("date cannot be used with after or until", 400)
        bounds = []
        if q.get("date"):
            day = parse_time(q["date"], "date")
            bounds = [day, day + dt.timedelta(days=1)]
        after = parse_time(q["after"], "after") if q.get("after") else None
        until = parse_time(q["until"], "until") if q.get("until") else None
        rows = sorted(self.b.book.activities, key=lambda a: a["id"], reverse=direction == "desc")
        out = []
        for a in rows:
            if types and a["activity_type"] not in types:
                continue
            if q.get("category") == "trade_activity" and a["activity_type"] != "FILL":
                continue
            if q.get("category") == "non_trade_activity" and a["activity_type"] == "FILL":
                continue
            t = parse_time(a.get("transaction_time") or a["date"], "t")
            if bounds and not bounds[0] <= t < bounds[1]:
                continue
            if (after and t <= after) or (until and t >= until):
                continue
            if q.get("page_token"):
                if (direction == "desc" and a["id"] >= q["page_token"]) or \
                   (direction == "asc" and a["id"] <= q["page_token"]):
                    continue
            out.append(a)
            if len(out) == size:
                break
        return out

    # ------------------------------------------------- the event stream
    @staticmethod
    def ulid(t, seq):
        """Monotonic, as Alpaca's are: the time, then the event's place in the account's history."""
        ms = int(t.timestamp() * 1000)
        n = (ms << 80) | (seq & ((1 << 80) - 1))
        alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
        return "".join(alphabet[(n >> (5 * i)) & 31] for i in range(25, -1, -1))

    def r_events(self, q):
        out = self.events(q)
        if not q.get("until") and not q.get("until_id"):
            return LiveEvents(q, out)      # history, then live: the stream stays open
        return EventStream("".join("data: %s\n\n" % json.dumps(e) for e in out))

    def events(self, q):
        if q.get("until") and not q.get("since"):
            raise bad("since is required with until", 400)
        if q.get("until_id") and not q.get("since_id"):
            raise bad("since_id is required with until_id", 400)
        if (q.get("since") or q.get("until")) and (q.get("since_id") or q.get("until_id")):
            raise bad("since/until and since_id/until_id cannot be combined", 400)
        since = parse_time(q["since"], "since") if q.get("since") else None
        until = parse_time(q["until"], "until") if q.get("until") else None
        out = []
        for seq, a in sorted(enumerate(self.b.book.activities), key=lambda x: x[1]["id"]):
            t = parse_time(a.get("transaction_time") or a["date"], "t")
            e = {"event_id": self.ulid(t, seq), "at": iso(t), "activity_type": a["activity_type"],
                 "status": a.get("status", "executed"), "currency": "USD", "executed_at": iso(t),
                 "settle_date": Calendar.next_trading_day(t.astimezone(NY).date()).isoformat(),
                 "ref_id": str(uuid.uuid5(NS, a["id"]))}
            if a["activity_type"] == "FILL":
                asset = self.b.assets.resolve(a["symbol"]) or {"id": str(uuid.uuid5(NS, "asset:" + a["symbol"]))}
                e["details"] = {k: a[k] for k in ("order_id", "side", "symbol", "leaves_qty", "cum_qty", "order_status")}
                e["details"].update(asset_id=asset["id"], execution_type="fill")
            else:
                e["details"] = {"system_date": t.astimezone(NY).date().isoformat()}
            if a.get("activity_sub_type"):
                e["activity_subtype"] = a["activity_sub_type"]
            for k in ("net_amount", "price", "qty"):
                if a.get(k) is not None:
                    e[k] = a[k]
            if (since and t < since) or (until and t > until) or \
                    (q.get("since_id") and e["event_id"] < q["since_id"]) or \
                    (q.get("until_id") and e["event_id"] > q["until_id"]):
                continue
            out.append(e)
        out.sort(key=lambda e: e["event_id"])   # the stream's order is the ids' order
        return out
