"""GET /v1/corporate-actions: the broker's corporate actions in the Market Data API's shape."""

import datetime as dt
from decimal import Decimal

from data import params
from values import NY

TYPES = ("reverse_split", "forward_split", "unit_split", "cash_dividend", "stock_dividend", "spin_off",
         "cash_merger", "stock_merger", "stock_and_cash_merger", "redemption", "name_change",
         "worthless_removal", "rights_distribution", "partial_call", "reorganization")


def _num(text):
    return Decimal(text).normalize()


def actions(sim):
    """(type, process date, symbols, cusips, row) for each of the broker's announcements."""
    out = []
    for a in sim.broker.corporate.announcements():
        base = {"id": a["id"]}
        if a["ca_type"] == "Dividend":
            row = dict(base, symbol=a["initiating_symbol"], cusip=a["initiating_original_cusip"],
                       rate=_num(a["cash"]), special=False, foreign=False, process_date=a["payable_date"],
                       ex_date=a["ex_date"], record_date=a["record_date"], payable_date=a["payable_date"],
                       currency="USD")
            kind = "cash_dividend"
        elif a["ca_type"] == "Split":
            row = dict(base, symbol=a["initiating_symbol"], cusip=a["initiating_original_cusip"],
                       new_rate=_num(a["new_rate"]), old_rate=_num(a["old_rate"]), process_date=a["ex_date"],
                       ex_date=a["ex_date"], record_date=a["record_date"], payable_date=a["payable_date"],
                       due_bill_redemption_date=a["payable_date"])
            kind = "forward_split" if Decimal(a["new_rate"]) > Decimal(a["old_rate"]) else "reverse_split"
            if kind == "reverse_split":
                row.update(old_cusip=row.pop("cusip"), new_cusip=a["target_original_cusip"])
        elif a["ca_type"] == "Merger":
            row = dict(base, acquirer_symbol=a["initiating_symbol"], acquirer_cusip=a["initiating_original_cusip"],
                       acquiree_symbol=a["target_symbol"], acquiree_cusip=a["target_original_cusip"],
                       rate=_num(a["cash"]), process_date=a["ex_date"], effective_date=a["ex_date"],
                       payable_date=a["payable_date"])
            kind = "cash_merger"
        else:
            row = dict(base, source_symbol=a["initiating_symbol"], source_cusip=a["initiating_original_cusip"],
                       source_rate=_num(a["old_rate"]), new_symbol=a["target_symbol"],
                       new_cusip=a["target_original_cusip"], new_rate=_num(a["new_rate"]),
                       process_date=a["ex_date"], ex_date=a["ex_date"], record_date=a["record_date"],
                       payable_date=a["payable_date"])
            kind = "spin_off"
        syms = {a["initiating_symbol"], a["target_symbol"]}
        cusips = {a["initiating_original_cusip"], a["target_original_cusip"]}
        out.append((kind, row["process_date"], syms, cusips, row))
    return out


class CorporateActions:
    def __init__(self, sim):
        self.sim = sim

    def r_actions(self, q):
        today = self.sim.now().astimezone(NY).date()
        ids = [x for x in (q.get("ids") or "").split(",") if x]
        if ids and any(q.get(k) for k in ("symbols", "cusips", "types", "start", "end")):
            raise params.error("ids cannot be combined with other filters")
        types = [x.strip() for x in (q.get("types") or "").split(",") if x.strip()]
        for t in types:
            if t not in TYPES:
                raise params.error("invalid type: %s" % t)
        region = params.one_of(q, "region", ("us", "non_us", "all"), "us")

        def day(name):
            if not q.get(name):
                return today
            try:
                return dt.date.fromisoformat(q[name])
            except ValueError:
                raise params.error("invalid %s: %s" % (name, q[name]))
        start, end = day("start"), day("end")
        if end < start:
            raise params.error("end should not be before start")
        lim = params.integer(q, "limit", 100, 1, 1000)
        asc = params.sort(q)
        syms = {x.strip().upper() for x in (q.get("symbols") or "").split(",") if x.strip()}
        cusips = {x.strip().upper() for x in (q.get("cusips") or "").split(",") if x.strip()}
        rows = []
        for kind, when, s, c, row in actions(self.sim):
            if region == "non_us":
                continue
            if ids:
                if row["id"] not in ids:
                    continue
            elif (types and kind not in types) or (syms and not syms & s) or (cusips and not cusips & c) \
                    or not start.isoformat() <= when <= end.isoformat():
                continue
            rows.append(((when, row["id"]), kind, row))
        rows.sort(key=lambda r: r[0], reverse=not asc)
        tsym, tkey = params.untoken(q)
        offset = tkey[0] if tsym == "ca" and tkey else 0
        page = rows[offset:offset + lim]
        out = {}
        for _, kind, row in page:
            out.setdefault(kind + "s", []).append(row)
        tok = params.token("ca", (offset + lim,)) if offset + lim < len(rows) else None
        return {"corporate_actions": out, "next_page_token": tok}
