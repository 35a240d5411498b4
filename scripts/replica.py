#!/usr/bin/python3
"""scripts/replica's helpers (Debian's python3 with python3-psycopg2).

  driver PORT PREFIX LOG    orders, until the server goes away: one thread
                            queues them (alpaca_queue_order, each committed),
                            one places them (alpaca_place_order); LOG gets a
                            line per attempt and per outcome
  compare PORT SIM PREFIX LOG
                            the orders at the simulator whose client_order_id
                            starts with PREFIX against the rows of the server
                            on PORT (alpaca_order_outbox, alpaca_audit) and
                            what the driver saw: prints one JSON object
  orders SIM PREFIX         the simulator's orders with that prefix: JSON
                            {client_order_id: count}
SIM is http://127.0.0.1:PORT; the keys come from SIM_KEY_ID, SIM_SECRET.
"""

import datetime as dt
import json
import os
import sys
import threading
import time
import urllib.parse
import urllib.request

import psycopg2


def connect(port):
    c = psycopg2.connect(host="127.0.0.1", port=int(port), user="postgres", dbname="postgres", connect_timeout=5)
    c.autocommit = True
    return c


def driver(port, prefix, log):
    out = open(log, "a", buffering=1)
    lock = threading.Lock()

    def note(**kw):
        with lock:
            out.write(json.dumps(kw) + "\n")

    def loop(kind, sql):
        try:
            conn = connect(port)
        except psycopg2.Error as e:
            note(kind=kind, event="no connection", error=str(e).strip())
            return
        cur = conn.cursor()
        i = 0
        while True:
            i += 1
            cid = "%s-%s%d" % (prefix, kind[0], i)
            note(cid=cid, kind=kind, event="attempt")
            try:
                cur.execute(sql, (cid,))
                row = cur.fetchone()
                note(cid=cid, kind=kind, event="done", result=str(row[0]) if row else None)
            except (psycopg2.OperationalError, psycopg2.InterfaceError) as e:
                # the server went away: whether it took effect is unknown
                note(cid=cid, kind=kind, event="unknown", error=str(e).strip()[:200])
                return
            except psycopg2.Error as e:
                note(cid=cid, kind=kind, event="error", code=e.pgcode, error=str(e).strip()[:300])
                if conn.closed:
                    return
            time.sleep(0.02)

    # limit orders far from the price: they stay open, nothing fills
    args = "'AAPL', qty => 1, side => 'buy', type => 'limit', limit_price => 1, client_order_id => %s"
    threads = [threading.Thread(target=loop, args=("queue", "SELECT alpaca_queue_order(%s)" % args)),
               threading.Thread(target=loop, args=("place", "SELECT id FROM alpaca_place_order(%s)" % args))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def sim_orders(sim, prefix):
    """Every order at the simulator with a client_order_id starting with prefix: {cid: [orders]}."""
    seen, found, after = set(), {}, None
    while True:
        q = {"status": "all", "limit": "500", "direction": "asc", "nested": "false"}
        if after:
            q["after"] = after
        req = urllib.request.Request(sim + "/v2/orders?" + urllib.parse.urlencode(q))
        req.add_header("APCA-API-KEY-ID", os.environ["SIM_KEY_ID"])
        req.add_header("APCA-API-SECRET-KEY", os.environ["SIM_SECRET"])
        with urllib.request.urlopen(req, timeout=30) as r:
            page = json.loads(r.read())
        new = [o for o in page if o["id"] not in seen]
        for o in new:
            seen.add(o["id"])
            if o["client_order_id"].startswith(prefix):
                found.setdefault(o["client_order_id"], []).append(o)
        if len(page) < 500 or not new:
            return found
        # the next page overlaps this one by a microsecond: orders of one instant are not skipped
        last = dt.datetime.fromisoformat(page[-1]["submitted_at"].replace("Z", "+00:00"))
        after = (last - dt.timedelta(microseconds=1)).isoformat()


def compare(port, sim, prefix, log):
    at_sim = sim_orders(sim, prefix)
    conn = connect(port)
    cur = conn.cursor()
    cur.execute("SELECT client_order_id, status, order_id::text, error FROM alpaca_order_outbox "
                "WHERE starts_with(client_order_id, %s)", (prefix,))
    outbox = {r[0]: r[1:] for r in cur.fetchall()}
    cur.execute("SELECT client_order_id, outcome, status, order_id::text FROM alpaca_audit "
                "WHERE function = 'alpaca_place_order' AND starts_with(client_order_id, %s)", (prefix,))
    audit = {}
    for r in cur.fetchall():
        audit.setdefault(r[0], []).append(r[1:])
    seen = {}
    if log and os.path.exists(log):
        for line in open(log):
            e = json.loads(line)
            if "cid" in e:
                seen[e["cid"]] = e
    problems = []
    f = {"queued": 0, "placed_directly": 0, "refused_directly": 0, "unknown_at_kill": 0,
         "outbox": {}, "audit": {}, "at_alpaca": sum(len(v) for v in at_sim.values()),
         "lost": 0, "doubled": 0, "wrong": 0}
    for cid, e in seen.items():
        ev, kind = e["event"], e["kind"]
        if ev == "unknown" or ev == "attempt":
            f["unknown_at_kill"] += 1
        elif ev == "done" and kind == "queue":
            f["queued"] += 1
            if cid not in outbox:
                f["lost"] += 1
                problems.append("lost: %s was committed (alpaca_queue_order) but the promoted server has no row" % cid)
        elif ev == "done" and kind == "place":
            f["placed_directly"] += 1
            if cid not in at_sim:
                f["lost"] += 1
                problems.append("lost: %s was placed (alpaca_place_order answered) but Alpaca has no such order" % cid)
            elif at_sim[cid][0]["id"] != e["result"]:
                f["wrong"] += 1
                problems.append("wrong: %s was placed as %s; Alpaca's order is %s" % (cid, e["result"], at_sim[cid][0]["id"]))
            if cid not in audit:
                f["lost"] += 1
                problems.append("lost: %s was placed, but the promoted server has no audit record of it" % cid)
        elif ev == "error":
            f["refused_directly"] += 1
            if cid in at_sim and e["code"] != "25006":
                f["wrong"] += 1
                problems.append("wrong: %s failed for its caller (%s) yet Alpaca has it" % (cid, e["error"][:120]))
    for cid, orders in at_sim.items():
        if len(orders) > 1:
            f["doubled"] += 1
            problems.append("doubled: Alpaca has %d orders %s" % (len(orders), cid))
        if cid not in outbox and cid not in audit:
            f["lost"] += 1
            problems.append("lost: Alpaca has %s, the promoted server has no row for it" % cid)
    for cid, (status, order_id, error) in outbox.items():
        f["outbox"][status] = f["outbox"].get(status, 0) + 1
        there = cid in at_sim
        if status == "placed" and not there or status in ("failed", "refused", "rejected") and there \
                or status in ("queued", "sending", "pending_approval"):
            f["wrong"] += 1
            problems.append("wrong: outbox %s is %s (%s), Alpaca %s it" % (cid, status, error, "has" if there else "has not"))
        elif status == "placed" and order_id != at_sim[cid][0]["id"]:
            f["wrong"] += 1
            problems.append("wrong: outbox %s names order %s, Alpaca's is %s" % (cid, order_id, at_sim[cid][0]["id"]))
    for cid, records in audit.items():
        for outcome, status, order_id in records:
            f["audit"][outcome] = f["audit"].get(outcome, 0) + 1
            there = cid in at_sim
            placed = outcome == "resolved: placed" or (outcome == "answered" and status is not None and 200 <= status < 300)
            absent = outcome == "resolved: absent" or (outcome == "answered" and status is not None and status >= 400)
            if (placed and not there) or (absent and there) or not (placed or absent):
                f["wrong"] += 1
                problems.append("wrong: audit of %s says %s (status %s), Alpaca %s it" % (cid, outcome, status, "has" if there else "has not"))
    f["problems"] = problems[:20]
    print(json.dumps(f))


def main():
    cmd = sys.argv[1]
    if cmd == "driver":
        driver(*sys.argv[2:5])
    elif cmd == "compare":
        compare(*sys.argv[2:6])
    elif cmd == "orders":
        print(json.dumps({k: len(v) for k, v in sim_orders(sys.argv[2], sys.argv[3]).items()}, sort_keys=True))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
