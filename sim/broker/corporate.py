"""Corporate action announcements: five, dated about today (a dividend paid,
one coming, a split, a merger, a spin-off).  The Market Data API's
/v1/corporate-actions shows the same actions in its own shape."""

import datetime as dt
import uuid

from values import E_NOT_FOUND, NS, NY, ApiError, bad, need, one_of, parse_date

ANNOUNCED = [("Dividend", "cash", "AAPL", "037833100", "AAPL", "037833100", "0.25", "1", "1", -20),
             ("Dividend", "cash", "KKR", "48251W104", "KKR", "48251W104", "0.145", "1", "1", 5),
             ("Split", "stock_split", "TSLA", "88160R101", "TSLA", "88160R101", "0", "1", "3", 12),
             ("Merger", "merger_completion", "MSFT", "594918104", "OLDCO", "000000000", "10.5", "1", "1", -40),
             ("Spinoff", "spinoff", "SPY", "78462F103", "SPY", "78462F103", "0", "1", "1", 30)]


class CorporateDesk:
    def __init__(self, broker):
        self.b = broker

    def announcements(self):
        today = self.b.now().astimezone(NY).date()
        out = []
        for i, (t, st, isym, icus, tsym, tcus, cash, old, new, off) in enumerate(ANNOUNCED):
            ex = today + dt.timedelta(days=off)
            out.append({"id": str(uuid.uuid5(NS, "ca%d" % i)), "corporate_action_id": "%s_CA%02d" % (icus, i),
                        "ca_type": t, "ca_sub_type": st, "initiating_symbol": isym,
                        "initiating_original_cusip": icus, "target_symbol": tsym, "target_original_cusip": tcus,
                        "declaration_date": (ex - dt.timedelta(days=14)).isoformat(), "ex_date": ex.isoformat(),
                        "record_date": (ex + dt.timedelta(days=1)).isoformat(),
                        "payable_date": (ex + dt.timedelta(days=14)).isoformat(),
                        "cash": cash, "old_rate": old, "new_rate": new})
        return out

    def r_announcements(self, q):
        # Alpaca takes the types in any case (its own SDK sends "dividend")
        types = [t.strip().capitalize() for t in need(q, "ca_types").split(",")]
        for t in types:
            one_of(t, ("Dividend", "Merger", "Spinoff", "Split"), "ca_types")
        since = parse_date(need(q, "since"), "since")
        until = parse_date(need(q, "until"), "until")
        if until < since:
            raise bad("until must not be before since")
        if (until - since).days > 90:
            raise bad("date range cannot be longer than 90 days")
        date_type = q.get("date_type")
        if date_type:
            one_of(date_type, ("declaration_date", "ex_date", "record_date", "payable_date"), "date_type")
        out = []
        for a in self.announcements():
            keys = [date_type] if date_type else ["declaration_date", "ex_date", "record_date", "payable_date"]
            if a["ca_type"] not in types:
                continue
            if not any(since.isoformat() <= a[k] <= until.isoformat() for k in keys):
                continue
            if q.get("symbol") and q["symbol"] not in (a["initiating_symbol"], a["target_symbol"]):
                continue
            if q.get("cusip") and q["cusip"] not in (a["initiating_original_cusip"], a["target_original_cusip"]):
                continue
            out.append(a)
        return out

    def r_announcement(self, i):
        a = next((x for x in self.announcements() if x["id"] == i), None)
        if a is None:
            raise ApiError(404, E_NOT_FOUND, "corporate action announcement not found")
        return a
