#!/usr/bin/env python3
"""The simulator against Alpaca's own OpenAPI description.

Drives every operation of ../shared/alpaca/trading-api-latest.json (Alpaca's
current file, 68 operations) through a live simulator and checks each answer
against the response schema the file gives for it (an event stream's events
against its items); error answers must have Alpaca's {"code", "message"}
shape.  It fails if any operation of the file goes unexercised.
"""

import json
from decimal import Decimal
import os
import re
import sys
import threading
import unittest
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import alpaca_sim  # noqa: E402

SPEC_DIR = os.environ.get("ALPACA_SPEC_DIR", os.path.join(HERE, "..", "..", "shared", "alpaca"))
KEY, SECRET = "PKTEST", "test-secret"

# Where the simulator knowingly answers outside the spec's letter, and why.
KNOWN = {
    # Alpaca answers "CRYPTO" for crypto assets; the spec's Exchange enum omits it.
    ("exchange", "CRYPTO"),
    # an option contract read through GET /v2/assets: the enum has no options exchange either
    ("exchange", "OPRA"),
}


def load(name):
    with open(os.path.join(SPEC_DIR, name)) as f:
        return json.load(f)


class Validator:
    def __init__(self, spec):
        self.spec = spec

    def resolve(self, node):
        while "$ref" in node:
            cur = self.spec
            for part in node["$ref"].lstrip("#/").split("/"):
                cur = cur[part]
            node = cur
        return node

    def check(self, schema, value, where, errors, field=None):
        schema = self.resolve(schema)
        if value is None:
            if not schema.get("nullable") and schema:
                errors.append("%s: null where %s is required" % (where, schema.get("type", "a value")))
            return
        for key in ("allOf",):
            for sub in schema.get(key, []):
                self.check(sub, value, where, errors, field)
        for key in ("anyOf", "oneOf"):
            if key in schema:
                trials = []
                for sub in schema[key]:
                    e = []
                    self.check(sub, value, where, e, field)
                    trials.append(e)
                if all(trials):
                    errors.append("%s: matches none of %s: %s" % (where, key, trials[0][:2]))
        t = schema.get("type")
        kinds = {"string": str, "boolean": bool, "object": dict, "array": list}
        if t in kinds and not isinstance(value, kinds[t]):
            errors.append("%s: %r is not %s" % (where, value, t))
            return
        if t == "integer" and (isinstance(value, bool) or not isinstance(value, int)):
            errors.append("%s: %r is not integer" % (where, value))
            return
        if t == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))):
            errors.append("%s: %r is not number" % (where, value))
            return
        if "enum" in schema and value not in schema["enum"] and (field, value) not in KNOWN:
            errors.append("%s: %r not in %s" % (where, value, schema["enum"]))
        fmt = schema.get("format")
        if isinstance(value, str) and value:
            if fmt == "date-time" and not re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", value):
                errors.append("%s: %r is not date-time" % (where, value))
            if fmt == "date" and not re.fullmatch(r"\d{4}-\d\d-\d\d", value):
                errors.append("%s: %r is not a date" % (where, value))
            if fmt == "uuid" and not re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", value):
                errors.append("%s: %r is not a uuid" % (where, value))
            if fmt == "decimal" and not re.fullmatch(r"-?\d+(\.\d+)?", value):
                errors.append("%s: %r is not a decimal" % (where, value))
        if isinstance(value, dict):
            for req in schema.get("required", []):
                if req not in value:
                    errors.append("%s: missing required %s" % (where, req))
            for name, sub in schema.get("properties", {}).items():
                if name in value:
                    self.check(sub, value[name], "%s.%s" % (where, name), errors, name)
        extra = schema.get("additionalProperties")
        if isinstance(value, dict) and isinstance(extra, dict):
            # a map: every value not named by properties has the schema additionalProperties gives
            named = schema.get("properties", {})
            for name in [k for k in value if k not in named][:50]:
                self.check(extra, value[name], "%s[%s]" % (where, name), errors, name)
        if isinstance(value, list) and "items" in schema:
            for i, item in enumerate(value[:50]):
                self.check(schema["items"], item, "%s[%d]" % (where, i), errors, field)


class SimulatorConformance(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.latest = load("trading-api-latest.json")
        cls.validator = Validator(cls.latest)
        cls.server = alpaca_sim.Server(("127.0.0.1", 0), alpaca_sim.Handler)
        cls.server.sim = alpaca_sim.Sim(KEY, SECRET, market="open", walk=False)
        cls.server.verbose = False
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.base = "http://127.0.0.1:%d" % cls.server.server_address[1]
        cls.ops = []
        for path, item in cls.latest["paths"].items():
            for method in item:
                if method in ("get", "post", "put", "patch", "delete"):
                    rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"
                    cls.ops.append((method.upper(), path, re.compile(rx)))
        cls.seen = set()

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()

    def op_for(self, method, path):
        # the most specific template wins (fewest parameters)
        cands = [(p.count("{"), p) for m, p, rx in self.ops if m == method and rx.match(path)]
        return min(cands)[1] if cands else None

    def call(self, method, path, body=None, keys=(KEY, SECRET), expect=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method)
        if keys:
            req.add_header("APCA-API-KEY-ID", keys[0])
            req.add_header("APCA-API-SECRET-KEY", keys[1])
        if data is not None:
            req.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(req) as r:
                status, raw, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, raw, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
        if ctype.startswith("text/event-stream"):
            # a server-sent event stream: the events' data, as the array the spec describes
            payload = [json.loads(line[6:]) for line in raw.decode().split("\n") if line.startswith("data: ")]
        else:
            payload = json.loads(raw) if raw else None
        if expect is not None:
            self.assertEqual(status, expect, "%s %s -> %s %s" % (method, path, status, payload))
        bare = path.split("?")[0]
        template = self.op_for(method, bare) if not bare.startswith("/_sim") else None
        errors = []
        if status >= 400:
            self.validator.check({"$ref": "#/components/schemas/Error"}, payload, "%s %s error" % (method, path), errors)
        elif template:
            self.seen.add((method, template))
            op = self.latest["paths"][template][method.lower()]
            resp = op["responses"].get(str(status))
            self.assertIsNotNone(resp, "%s %s answered %s, which the spec does not list" % (method, path, status))
            resp = self.validator.resolve(resp)
            content = resp.get("content", {})
            schema = (content.get("application/json") or content.get("text/event-stream") or {}).get("schema")
            if schema and payload is not None:
                # the wallet endpoints' spec gives the item schema and says "an array of" in prose
                if isinstance(payload, list) and self.validator.resolve(schema).get("type") == "object" \
                        and "array" in resp.get("description", ""):
                    schema = {"type": "array", "items": schema}
                self.validator.check(schema, payload, "%s %s" % (method, template), errors)
        self.assertEqual(errors, [], "\n".join(errors[:10]))
        return status, payload

    def test_1_every_operation(self):
        c = self.call
        c("POST", "/_sim/reset")
        c("GET", "/v2/account", expect=200)
        c("GET", "/v2/account/configurations", expect=200)
        c("PATCH", "/v2/account/configurations", {"no_shorting": False, "dtbp_check": "both"}, expect=200)
        c("GET", "/v2/clock", expect=200)
        c("GET", "/v2/calendar?start=2026-11-01&end=2026-11-30", expect=200)
        c("GET", "/v2/assets?status=active", expect=200)
        c("GET", "/v2/assets/AAPL", expect=200)
        # orders and positions
        _, o = c("POST", "/v2/orders", {"symbol": "AAPL", "qty": "10", "side": "buy", "type": "market",
                                        "time_in_force": "day", "client_order_id": "t-1"}, expect=200)
        c("GET", "/v2/orders/" + o["id"], expect=200)
        c("GET", "/v2/orders:by_client_order_id?client_order_id=t-1", expect=200)
        _, lim = c("POST", "/v2/orders", {"symbol": "MSFT", "qty": "2", "side": "buy", "type": "limit",
                                          "limit_price": "300", "time_in_force": "gtc"}, expect=200)
        _, rep = c("PATCH", "/v2/orders/" + lim["id"], {"qty": "3", "limit_price": "301"}, expect=200)
        self.assertEqual(rep["replaces"], lim["id"])
        c("DELETE", "/v2/orders/" + rep["id"], expect=204)
        c("POST", "/v2/orders", {"symbol": "AAPL", "qty": "1", "side": "buy", "type": "limit", "limit_price": "140",
                                 "time_in_force": "day", "order_class": "bracket",
                                 "take_profit": {"limit_price": "170"}, "stop_loss": {"stop_price": "130"}}, expect=200)
        c("GET", "/v2/orders?status=all&nested=true", expect=200)
        status, body = c("DELETE", "/v2/orders", expect=207)
        self.assertTrue(all(x["status"] == 200 for x in body))
        c("GET", "/v2/positions", expect=200)
        c("GET", "/v2/positions/AAPL", expect=200)
        c("DELETE", "/v2/positions/AAPL?qty=2", expect=200)
        c("POST", "/v2/orders", {"symbol": "BTC/USD", "qty": "1", "side": "buy", "type": "market",
                                 "time_in_force": "gtc"}, expect=200)
        # options
        _, page = c("GET", "/v2/options/contracts?underlying_symbols=AAPL&limit=5&show_deliverables=true", expect=200)
        self.assertEqual(len(page["option_contracts"]), 5)
        self.assertIsNotNone(page["next_page_token"])
        c("GET", "/v2/options/contracts?underlying_symbols=AAPL&page_token=" + page["next_page_token"], expect=200)
        call = page["option_contracts"][0]
        c("GET", "/v2/options/contracts/" + call["symbol"], expect=200)
        c("POST", "/v2/orders", {"symbol": call["symbol"], "qty": "1", "side": "buy", "type": "market",
                                 "time_in_force": "day"}, expect=200)
        c("GET", "/v2/positions/" + call["symbol"], expect=200)
        c("POST", "/v2/positions/%s/do-not-exercise" % call["symbol"], expect=200)
        c("POST", "/v2/positions/%s/exercise" % call["id"], expect=200)
        contracts = page["option_contracts"]
        c("POST", "/v2/orders", {"order_class": "mleg", "qty": "1", "type": "market", "time_in_force": "day",
                                 "legs": [{"symbol": contracts[0]["symbol"], "ratio_qty": "1", "side": "buy"},
                                          {"symbol": contracts[2]["symbol"], "ratio_qty": "1", "side": "sell"}]},
          expect=200)
        # activities and history
        c("GET", "/v2/account/activities?page_size=5", expect=200)
        c("GET", "/v2/account/activities/FILL", expect=200)
        c("GET", "/v2/account/activities/DIV?direction=asc", expect=200)
        c("GET", "/v2/account/portfolio/history?period=1W&timeframe=1D", expect=200)
        c("GET", "/v2/account/portfolio/history?period=1D&timeframe=15Min&intraday_reporting=continuous", expect=200)
        # watchlists
        _, w = c("POST", "/v2/watchlists", {"name": "tech", "symbols": ["AAPL", "MSFT"]}, expect=200)
        c("GET", "/v2/watchlists", expect=200)
        c("GET", "/v2/watchlists/" + w["id"], expect=200)
        c("PUT", "/v2/watchlists/" + w["id"], {"name": "tech", "symbols": ["AAPL"]}, expect=200)
        c("POST", "/v2/watchlists/" + w["id"], {"symbol": "TSLA"}, expect=200)
        c("DELETE", "/v2/watchlists/%s/TSLA" % w["id"], expect=200)
        c("GET", "/v2/watchlists:by_name?name=tech", expect=200)
        c("PUT", "/v2/watchlists:by_name?name=tech", {"name": "tech2", "symbols": ["SPY"]}, expect=200)
        c("POST", "/v2/watchlists:by_name?name=tech2", {"symbol": "KKR"}, expect=200)
        c("DELETE", "/v2/watchlists:by_name?name=tech2", expect=204)
        _, w2 = c("POST", "/v2/watchlists", {"name": "gone"}, expect=200)
        c("DELETE", "/v2/watchlists/" + w2["id"], expect=204)
        # corporate actions
        _, anns = c("GET", "/v2/corporate_actions/announcements?ca_types=Dividend,Split,Merger,Spinoff"
                    "&since=2026-10-01&until=2026-12-25", expect=200)
        self.assertTrue(anns)
        c("GET", "/v2/corporate_actions/announcements/" + anns[0]["id"], expect=200)
        # crypto funding
        c("GET", "/v2/wallets", expect=200)
        c("GET", "/v2/wallets?asset=BTC", expect=200)
        _, wl = c("POST", "/v2/wallets/whitelists", {"address": "bc1qexample", "asset": "BTC"}, expect=200)
        c("GET", "/v2/wallets/whitelists", expect=200)
        c("GET", "/v2/wallets/fees/estimate?asset=BTC&amount=0.1", expect=200)
        _, t = c("POST", "/v2/wallets/transfers", {"amount": "0.1", "address": "bc1qexample", "asset": "BTC"}, expect=200)
        c("GET", "/v2/wallets/transfers", expect=200)
        c("GET", "/v2/wallets/transfers/" + t["id"], expect=200)
        c("DELETE", "/v2/wallets/whitelists/" + wl["id"], expect=200)
        status, body = c("DELETE", "/v2/positions?cancel_orders=true", expect=207)
        self.assertTrue(body)
        self.newer_operations()

    def newer_operations(self):
        """The 22 operations trading-api-latest.json added to the first 46."""
        c = self.call
        _, clocks = c("GET", "/v3/clock?markets=NYSE,NASDAQ", expect=200)
        self.assertEqual([x["market"]["acronym"] for x in clocks["clocks"]], ["NYSE", "NASDAQ"])
        _, thanksgiving = c("GET", "/v3/clock?markets=NYSE&time=2026-11-26T15:00:00Z", expect=200)
        self.assertEqual(thanksgiving["clocks"][0]["phase"], "closed")
        self.assertFalse(thanksgiving["clocks"][0]["is_market_day"])
        _, day = c("GET", "/v3/clock?markets=XNYS&time=2026-11-27T15:00:00Z", expect=200)
        self.assertEqual((day["clocks"][0]["phase"], day["clocks"][0]["phase_until"]), ("core", "2026-11-27T13:00:00-05:00"))
        c("GET", "/v3/clock?markets=MOON", expect=404)
        _, cal = c("GET", "/v3/calendar/NYSE?start=2026-11-23&end=2026-11-27", expect=200)
        self.assertEqual([d["date"] for d in cal["calendar"]], ["2026-11-23", "2026-11-24", "2026-11-25", "2026-11-27"])
        c("GET", "/v3/calendar/XNAS?start=2026-11-23&timezone=UTC", expect=200)
        _, loc = c("POST", "/v1/locates", {"symbol": "KKR", "qty": 200, "limit_price": "0.10"}, expect=201)
        self.assertEqual((loc["status"], loc["total_fee"]), ("active", "2"))
        c("POST", "/v1/locates", {"symbol": "KKR", "qty": 150}, expect=400)
        _, rej = c("POST", "/v1/locates", {"symbol": "KKR", "qty": 100, "limit_price": "0.005"}, expect=201)
        self.assertEqual(rej["status"], "rejected")
        c("GET", "/v1/locates/" + loc["id"], expect=200)
        _, page = c("GET", "/v1/locates?limit=1", expect=200)
        self.assertEqual(page["locates"][0]["id"], rej["id"])
        _, page2 = c("GET", "/v1/locates?limit=1&page_token=" + page["next_page_token"], expect=200)
        self.assertEqual((page2["locates"][0]["id"], page2["next_page_token"]), (loc["id"], ""))
        _, quotes = c("GET", "/v1/locates/quotes?symbols=KKR,AAPL,NOPE1", expect=200)
        self.assertEqual(len(quotes["quotes"]) + len(quotes["errors"]), 3)
        c("GET", "/v2/assets/fixed_income/us_treasuries?subtype=bill", expect=200)
        _, corp = c("GET", "/v2/assets/fixed_income/us_corporates?tickers=AAPL", expect=200)
        self.assertEqual([b["ticker"] for b in corp["us_corporates"]], ["AAPL"])
        c("GET", "/v2/perpetuals/account_vitals", expect=200)
        c("POST", "/v2/perpetuals/leverage?symbol=BTC-PERP&leverage=5", expect=200)
        _, lev = c("GET", "/v2/perpetuals/leverage?symbol=BTC-PERP", expect=200)
        self.assertEqual(lev["leverage"], 5)
        c("POST", "/v2/perpetuals/leverage?symbol=BTC-PERP&leverage=500", expect=400)
        c("GET", "/v2/perpetuals/wallets", expect=200)
        c("GET", "/v2/perpetuals/wallets/fees/estimate?asset=USDC&amount=10", expect=200)
        _, wl = c("POST", "/v2/perpetuals/wallets/whitelists", {"address": "0xfeed", "asset": "USDC"}, expect=200)
        c("GET", "/v2/perpetuals/wallets/whitelists", expect=200)
        _, t = c("POST", "/v2/perpetuals/wallets/transfers", {"amount": "25", "address": "0xfeed", "asset": "USDC"},
                 expect=200)
        c("POST", "/v2/perpetuals/wallets/transfers", {"amount": "1e9", "address": "0xfeed", "asset": "USDC"},
          expect=403)
        c("GET", "/v2/perpetuals/wallets/transfers", expect=200)
        c("GET", "/v2/perpetuals/wallets/transfers/" + t["id"], expect=200)
        c("DELETE", "/v2/perpetuals/wallets/whitelists/" + wl["id"], expect=200)
        c("POST", "/v2/orders", {"symbol": "AAPL", "qty": "3", "side": "buy", "type": "market",
                                 "time_in_force": "day"}, expect=200)
        _, m = c("POST", "/v2/tokenization/mint", {"underlying_symbol": "AAPL", "qty": "2", "issuer": "xstocks",
                                                   "network": "solana", "wallet_address": "So1ana"}, expect=200)
        self.assertEqual(m["status"], "completed")
        _, reqs = c("GET", "/v2/tokenization/requests?type=mint", expect=200)
        self.assertEqual(reqs[0]["tokenization_request_id"], m["tokenization_request_id"])
        _, events = c("GET", "/v2beta1/events/activities?since=2026-10-01T00:00:00Z&until=2099-01-01T00:00:00Z",
                      expect=200)
        self.assertGreater(len(events), 50)
        self.assertEqual([e["event_id"] for e in events], sorted(e["event_id"] for e in events))
        c("GET", "/v2beta1/events/activities?until=2026-10-02T00:00:00Z", expect=400)

    def test_2_errors_have_alpacas_shape(self):
        c = self.call
        c("POST", "/_sim/reset")
        c("GET", "/v2/account", keys=None, expect=401)
        c("GET", "/v2/account", keys=("nope", SECRET), expect=401)
        c("GET", "/v2/account", keys=(KEY, "wrong"), expect=403)
        c("POST", "/v2/orders", {"symbol": "AAPL", "qty": "1000000", "side": "buy", "type": "market",
                                 "time_in_force": "day"}, expect=403)
        c("POST", "/v2/orders", {"symbol": "AAPL", "side": "buy", "type": "market", "time_in_force": "day"}, expect=422)
        c("POST", "/v2/orders", {"symbol": "AAPL", "qty": "1", "side": "buy", "type": "limit",
                                 "time_in_force": "day"}, expect=422)
        c("GET", "/v2/orders/00000000-0000-4000-8000-000000000000", expect=404)
        c("GET", "/v2/assets/NOPE99", expect=404)   # not a well-formed ticker: no such asset
        c("GET", "/v2/positions/AAPL", expect=404)
        c("GET", "/v2/options/contracts/AAPL201218C00999000", expect=404)   # expired: no such contract
        c("POST", "/v2/positions/AAPL261218C00150000/exercise", expect=403)
        c("GET", "/v2/watchlists/00000000-0000-4000-8000-000000000000", expect=404)
        c("GET", "/v2/corporate_actions/announcements?ca_types=Dividend&since=2026-01-01&until=2026-12-31", expect=422)
        c("POST", "/v2/wallets/transfers", {"amount": "1", "address": "x", "asset": "BTC"}, expect=403)
        _, o = c("POST", "/v2/orders", {"symbol": "AAPL", "qty": "1", "side": "buy", "type": "market",
                                        "time_in_force": "day"}, expect=200)
        c("GET", "/v2/account", expect=200)  # fills it
        c("DELETE", "/v2/orders/" + o["id"], expect=422)
        c("PATCH", "/v2/orders/" + o["id"], {"qty": "2"}, expect=422)
        c("POST", "/_sim/config", {"rate_limit": 0})
        c("GET", "/v2/account", expect=429)
        c("POST", "/_sim/config", {"rate_limit": None})

    def test_3_order_lifecycle(self):
        c = self.call
        c("POST", "/_sim/reset")
        _, o = c("POST", "/v2/orders", {"symbol": "AAPL", "qty": "4", "side": "buy", "type": "limit",
                                        "limit_price": "145", "time_in_force": "day"}, expect=200)
        self.assertEqual(o["status"], "accepted")
        _, o = c("GET", "/v2/orders/" + o["id"], expect=200)
        self.assertEqual(o["status"], "new")
        c("POST", "/_sim/config", {"partial_fill": True})
        c("POST", "/_sim/prices", {"AAPL": "144"})
        _, o = c("GET", "/v2/orders/" + o["id"], expect=200)
        self.assertEqual((o["status"], o["filled_qty"]), ("partially_filled", "2"))
        _, o = c("GET", "/v2/orders/" + o["id"], expect=200)
        self.assertEqual((o["status"], o["filled_qty"], o["filled_avg_price"]), ("filled", "4", "144"))
        _, pos = c("GET", "/v2/positions/AAPL", expect=200)
        self.assertEqual(pos["qty"], "4")
        c("POST", "/_sim/config", {"partial_fill": False})
        # trailing stop follows the high-water mark
        _, t = c("POST", "/v2/orders", {"symbol": "AAPL", "qty": "4", "side": "sell", "type": "trailing_stop",
                                        "trail_price": "2", "time_in_force": "gtc"}, expect=200)
        c("POST", "/_sim/prices", {"AAPL": "150"})
        _, t = c("GET", "/v2/orders/" + t["id"], expect=200)
        self.assertEqual((t["status"], t["hwm"], t["stop_price"]), ("new", "150", "148"))
        c("POST", "/_sim/prices", {"AAPL": "147.5"})
        _, t = c("GET", "/v2/orders/" + t["id"], expect=200)
        self.assertEqual(t["status"], "filled")
        c("GET", "/v2/positions/AAPL", expect=404)
        # market closed: a day order waits, crypto still fills
        c("POST", "/_sim/config", {"market": "closed", "partial_fill": False})
        _, o = c("POST", "/v2/orders", {"symbol": "MSFT", "qty": "1", "side": "buy", "type": "market",
                                        "time_in_force": "day"}, expect=200)
        _, o = c("GET", "/v2/orders/" + o["id"], expect=200)
        self.assertEqual(o["status"], "new")
        _, b = c("POST", "/v2/orders", {"symbol": "ETH/USD", "qty": "0.5", "side": "buy", "type": "market",
                                        "time_in_force": "gtc"}, expect=200)
        _, b = c("GET", "/v2/orders/" + b["id"], expect=200)
        self.assertEqual(b["status"], "filled")

    def test_5_market_data_answers_match_the_market_data_api(self):
        """The latest trades the limits price orders by, against market-data-api.json."""
        md = load("market-data-api.json")
        v = Validator(md)
        cases = [("/v2/stocks/trades/latest?symbols=AAPL", "/v2/stocks/trades/latest", "AAPL"),
                 ("/v1beta3/crypto/us/latest/trades?symbols=BTC/USD", "/v1beta3/crypto/{loc}/latest/trades", "BTC/USD"),
                 ("/v1beta1/options/trades/latest?symbols=AAPL261204C00150000", "/v1beta1/options/trades/latest",
                  "AAPL261204C00150000")]
        for path, template, symbol in cases:
            req = urllib.request.Request(self.base + path)
            req.add_header("APCA-API-KEY-ID", KEY)
            req.add_header("APCA-API-SECRET-KEY", SECRET)
            with urllib.request.urlopen(req) as r:
                payload = json.loads(r.read())
            schema = md["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
            errors = []
            v.check(schema, payload, "GET " + template, errors)
            self.assertEqual(errors, [], "\n".join(errors[:10]))
            self.assertGreater(payload["trades"][symbol]["p"], 0)
        _, b = self.call("GET", "/v2/positions", expect=200)   # the same prices the account is valued at
        price = self.server.sim.price("AAPL")
        self.assertEqual(Decimal(str(json.loads(urllib.request.urlopen(urllib.request.Request(
            self.base + "/v2/stocks/trades/latest?symbols=AAPL",
            headers={"APCA-API-KEY-ID": KEY, "APCA-API-SECRET-KEY": SECRET})).read())["trades"]["AAPL"]["p"])), price)

    def test_6_every_spelling_of_a_symbol_means_one_asset(self):
        """What POST /v2/orders takes, GET /v2/assets and /v2/options/contracts read the same way."""
        c = self.call
        c("POST", "/_sim/reset")
        _, btc = c("GET", "/v2/assets/BTC%2FUSD", expect=200)
        for spelling in ("BTCUSD", "BTC-USD", "btc/usd", "BTC%2FUSD", btc["id"]):
            _, a = c("GET", "/v2/assets/" + spelling, expect=200)
            self.assertEqual((a["id"], a["symbol"], a["class"]), (btc["id"], "BTC/USD", "crypto"), spelling)
            _, o = c("POST", "/v2/orders", {"symbol": urllib.request.unquote(spelling), "qty": "0.01", "side": "buy",
                                            "type": "market", "time_in_force": "gtc"}, expect=200)
            self.assertEqual((o["symbol"], o["asset_id"], o["asset_class"]), ("BTC/USD", btc["id"], "crypto"))
        _, usdt = c("GET", "/v2/assets/ETHUSDT", expect=200)
        self.assertEqual(usdt["symbol"], "ETH/USDT")
        _, aapl = c("GET", "/v2/assets/AAPL", expect=200)
        for spelling in ("aapl", aapl["id"], aapl["id"].upper(), aapl["cusip"]):
            _, a = c("GET", "/v2/assets/" + spelling, expect=200)
            self.assertEqual(a["id"], aapl["id"], spelling)
        _, page = c("GET", "/v2/options/contracts?underlying_symbols=SPY&limit=1", expect=200)
        contract = page["option_contracts"][0]
        for spelling in (contract["symbol"], contract["symbol"].lower(), contract["id"]):
            _, a = c("GET", "/v2/assets/" + spelling, expect=200)
            self.assertEqual((a["id"], a["symbol"], a["class"]), (contract["id"], contract["symbol"], "us_option"))
            _, k = c("GET", "/v2/options/contracts/" + spelling, expect=200)
            self.assertEqual((k["id"], k["symbol"], k["multiplier"]), (contract["id"], contract["symbol"], "100"))
            _, o = c("POST", "/v2/orders", {"symbol": spelling, "qty": "1", "side": "buy", "type": "limit",
                                            "limit_price": "0.01", "time_in_force": "day"}, expect=200)
            self.assertEqual((o["symbol"], o["asset_id"], o["asset_class"]), (contract["symbol"], contract["id"], "us_option"))
        for nothing in ("NOPE99", "BTC-EUR", "AAPL201218C00150000"):
            c("GET", "/v2/assets/" + nothing, expect=404)
            c("POST", "/v2/orders", {"symbol": nothing, "qty": "1", "side": "buy", "type": "market",
                                     "time_in_force": "day"}, expect=422)
        c("GET", "/v2/options/contracts/AAPL201218C00150000", expect=404)
        # a client_order_id is the account's once
        c("POST", "/v2/orders", {"symbol": "AAPL", "qty": "1", "side": "buy", "type": "limit", "limit_price": "1",
                                 "time_in_force": "day", "client_order_id": "once"}, expect=200)
        _, e = c("POST", "/v2/orders", {"symbol": "MSFT", "qty": "1", "side": "buy", "type": "limit", "limit_price": "1",
                                        "time_in_force": "day", "client_order_id": "once"}, expect=422)
        self.assertEqual(e, {"code": 40010001, "message": "client_order_id must be unique"})

    def test_4_every_operation_was_exercised(self):
        wanted = {(m, p) for m, p, _ in self.ops}
        self.assertEqual(len(wanted), 68)
        self.assertEqual(sorted(wanted - self.seen), [])


class SimulatorAsAMarket(unittest.TestCase):
    """What issue 11 asks of the simulator, each on a simulator of its own."""

    def sim(self, **kw):
        return alpaca_sim.Sim(KEY, SECRET, **kw)

    def test_any_well_formed_symbol_trades(self):
        sim = self.sim(market="open", walk=False)
        o = sim.handle("POST", "/v2/orders", {}, {"symbol": "NVDA", "qty": "5", "side": "buy", "type": "market",
                                                   "time_in_force": "day"})
        sim.advance()             # orders fill as the next request comes in
        o = sim.public_order(sim.find_order(o["id"]))
        self.assertEqual((o["symbol"], o["status"], o["filled_qty"]), ("NVDA", "filled", "5"))
        a = sim.handle("GET", "/v2/assets/NVDA", {}, None)
        self.assertEqual(a, self.sim().handle("GET", "/v2/assets/NVDA", {}, None), "metadata is deterministic")
        for sym in ("DOGE/USD", "ETH/USDT", "SOL/BTC"):
            self.assertEqual(sim.handle("GET", "/v2/assets/" + sym, {}, None)["class"], "crypto")
        occ = "NVDA%sC00100000" % (sim.now().date() + alpaca_sim.dt.timedelta(days=30)).strftime("%y%m%d")
        self.assertEqual(sim.handle("GET", "/v2/options/contracts/" + occ, {}, None)["underlying_symbol"], "NVDA")
        for bad in ("NOPE99", "TOOLONGX", "BTC/EUR", "AAPL201218C00150000"):
            with self.assertRaises(alpaca_sim.ApiError):
                sim.handle("GET", "/v2/assets/" + bad, {}, None)
        self.assertEqual(len(self.sim(universe=300).handle("GET", "/v2/assets", {}, None)), 309)

    def test_clock_follows_the_nyse_calendar(self):
        sim = self.sim()
        cases = [("2026-11-26T06:00:00Z", False),   # 01:00 New York on Thanksgiving
                 ("2026-11-27T17:30:00Z", True),    # the day after: open until 13:00
                 ("2026-11-27T18:30:00Z", False),
                 ("2030-04-19T15:00:00Z", False),   # Good Friday 2030, from Easter
                 ("2030-04-18T15:00:00Z", True),
                 ("2027-06-18T15:00:00Z", False),   # Juneteenth on a Saturday, kept on Friday
                 ("2033-12-30T15:00:00Z", True)]    # New Year's Day 2034 is a Sunday: Monday off, Friday open
        for now, is_open in cases:
            sim.config["now"] = now
            self.assertEqual(sim.handle("GET", "/v2/clock", {}, None)["is_open"], is_open, now)
        self.assertIn(alpaca_sim.dt.date(2034, 1, 2), alpaca_sim.nyse_holidays(2034))
        days = sim.handle("GET", "/v2/calendar", {"start": "2041-12-22", "end": "2041-12-27"}, None)
        self.assertEqual([d["date"] for d in days], ["2041-12-23", "2041-12-24", "2041-12-26", "2041-12-27"])
        self.assertEqual(days[1]["close"], "13:00")
        # crypto trades around the clock
        sim.config["now"] = "2026-11-26T06:00:00Z"
        o = sim.handle("POST", "/v2/orders", {}, {"symbol": "BTC/USD", "qty": "0.01", "side": "buy",
                                                   "type": "market", "time_in_force": "gtc"})
        sim.advance()
        self.assertEqual(sim.public_order(sim.find_order(o["id"]))["status"], "filled")

    def test_prices_walk_and_orders_fill_over_time(self):
        sim = self.sim(market="open", seed=7)
        sim.config["now"] = "2026-11-25T15:00:00Z"
        p0 = sim.price("AAPL")
        self.assertEqual(p0, sim.price("AAPL"), "a frozen now pins the price")
        sim.config["now"] = "2026-11-25T16:00:00Z"
        p1 = sim.price("AAPL")
        self.assertNotEqual(p0, p1)
        self.assertEqual(p1, p1.quantize(alpaca_sim.Decimal("0.01")), "stock prices tick in cents")
        twin = self.sim(market="open", seed=7)
        twin.config["now"] = "2026-11-25T15:00:00Z"
        twin.price("AAPL")
        twin.config["now"] = "2026-11-25T16:00:00Z"
        self.assertEqual(twin.price("AAPL"), p1, "the same seed walks the same path")
        # a limit order below the price fills once the walk reaches it
        sim.pin("AAPL", alpaca_sim.Decimal("150"))
        o = sim.handle("POST", "/v2/orders", {}, {"symbol": "AAPL", "qty": "1", "side": "buy", "type": "limit",
                                                   "limit_price": "149", "time_in_force": "gtc"})
        t = alpaca_sim.parse_time("2026-11-25T16:00:00Z", "t")
        for minutes in range(1, 60 * 24 * 30):
            sim.config["now"] = alpaca_sim.iso(t + alpaca_sim.dt.timedelta(minutes=minutes))
            sim.advance()
            if sim.find_order(o["id"])["status"] == "filled":
                break
        self.assertEqual(sim.find_order(o["id"])["status"], "filled")
        self.assertLessEqual(alpaca_sim.Decimal(sim.find_order(o["id"])["filled_avg_price"]), 149)

    def test_the_account_follows_the_prices(self):
        sim = self.sim(market="open", walk=False)
        sim.config["now"] = "2026-11-24T15:00:00Z"
        sim.handle("POST", "/v2/orders", {}, {"symbol": "AAPL", "qty": "10", "side": "buy", "type": "market",
                                               "time_in_force": "day"})
        sim.advance()
        sim.config["now"] = "2026-11-25T15:00:00Z"
        sim.pin("AAPL", alpaca_sim.Decimal("160"))
        acct = sim.handle("GET", "/v2/account", {}, None)
        self.assertEqual((acct["equity"], acct["last_equity"]), ("100100", "100000"))
        pos = sim.handle("GET", "/v2/positions/AAPL", {}, None)
        self.assertEqual((pos["market_value"], pos["unrealized_pl"], pos["lastday_price"]), ("1600", "100", "150"))
        h = sim.handle("GET", "/v2/account/portfolio/history", {"period": "1W", "timeframe": "1D"}, None)
        self.assertEqual(h["equity"][-1], 100100.0)
        self.assertEqual(h["equity"][0], 100000.0, "replayed: before the fill the account was cash")

    def test_market_data_quotes_and_bars(self):
        md = load("market-data-api.json")
        v = Validator(md)
        sim = self.sim(market="open", seed=3)
        sim.config["now"] = "2026-11-25T15:00:00Z"
        sim.price("AAPL")
        sim.config["now"] = "2026-11-25T18:00:00Z"
        for path, template, q in (
                ("/v2/stocks/quotes/latest", "/v2/stocks/quotes/latest", {"symbols": "AAPL,NVDA"}),
                ("/v2/stocks/bars", "/v2/stocks/bars", {"symbols": "AAPL", "timeframe": "1Hour",
                                                        "start": "2026-11-25T15:00:00Z"}),
                ("/v1beta3/crypto/us/bars", "/v1beta3/crypto/{loc}/bars", {"symbols": "BTC/USD", "timeframe": "1Day"})):
            payload = json.loads(alpaca_sim.dumps(sim.handle("GET", path, q, None)))
            errors = []
            v.check(md["paths"][template]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
                    payload, "GET " + template, errors)
            self.assertEqual(errors, [], "\n".join(errors[:10]))
        bars = sim.handle("GET", "/v2/stocks/bars", {"symbols": "AAPL", "timeframe": "1Hour",
                                                       "start": "2026-11-25T15:00:00Z"}, None)["bars"]["AAPL"]
        # 15:00, 16:00, 17:00 and the hour so far (end, now, is inclusive)
        self.assertEqual([b["t"] for b in bars], ["2026-11-25T%d:00:00Z" % h for h in (15, 16, 17, 18)])
        self.assertTrue(all(b["l"] <= min(b["o"], b["c"]) <= max(b["o"], b["c"]) <= b["h"] for b in bars))
        q = sim.handle("GET", "/v2/stocks/quotes/latest", {"symbols": "AAPL"}, None)["quotes"]["AAPL"]
        self.assertLess(q["bp"], float(sim.price("AAPL")))
        self.assertGreater(q["ap"], float(sim.price("AAPL")))

    def test_state_survives_a_restart(self):
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            f = os.path.join(d, "paper.state")
            sim = self.sim(market="open", walk=False, state_file=f)
            o = sim.handle("POST", "/v2/orders", {}, {"symbol": "MSFT", "qty": "2", "side": "buy", "type": "market",
                                                       "time_in_force": "day"})
            sim.advance()
            sim.save_state()
            again = self.sim(market="open", walk=False, state_file=f)
            self.assertEqual(again.find_order(o["id"])["status"], "filled")
            self.assertEqual(again.handle("GET", "/v2/positions/MSFT", {}, None)["qty"], "2")
            self.assertEqual(again.cash, sim.cash)


class LiveSimulator(unittest.TestCase):
    """A simulator on a loopback port for the class's tests (SIM: its arguments)."""

    SIM = {"market": "open", "walk": False}

    @classmethod
    def setUpClass(cls):
        cls.server = alpaca_sim.Server(("127.0.0.1", 0), alpaca_sim.Handler)
        cls.server.sim = alpaca_sim.Sim(KEY, SECRET, **cls.SIM)
        cls.server.verbose = False
        threading.Thread(target=cls.server.serve_forever, daemon=True).start()
        cls.port = cls.server.server_address[1]
        cls.base = "http://127.0.0.1:%d" % cls.port

    @classmethod
    def tearDownClass(cls):
        cls.server.shutdown()
        cls.server.server_close()


class WebSocketClient:
    """A minimal RFC 6455 client for the tests: the upgrade, masked frames out, frames in."""

    OPCODE = 0x82                   # what the server under test sends (trade_updates: binary)

    def upgrade(self, path, headers=""):
        import base64
        import hashlib
        import socket
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall(("GET %s HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n%s\r\n" % (path, key, headers)).encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(1)
        self.assertIn(b" 101 ", head.split(b"\r\n")[0])
        accept = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest())
        self.assertIn(b"Sec-WebSocket-Accept: " + accept, head)
        return sock

    def send(self, sock, msg):
        import struct
        data = (msg if isinstance(msg, str) else json.dumps(msg)).encode()
        mask = os.urandom(4)
        sock.sendall(struct.pack(">BBH", 0x81, 0x80 | 126, len(data)) + mask
                     + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def recv(self, sock, raw=False):
        import streams
        b0, b1 = streams._recv_exact(sock, 2)
        self.assertEqual(b0, self.OPCODE, "the stream's kind of frame")
        n = b1 & 0x7F
        if n == 126:
            n = int.from_bytes(streams._recv_exact(sock, 2), "big")
        elif n == 127:
            n = int.from_bytes(streams._recv_exact(sock, 8), "big")
        data = streams._recv_exact(sock, n)
        return data if raw else json.loads(data)


class SimulatorStreams(WebSocketClient, LiveSimulator):
    """trade_updates over a WebSocket and the live activity event stream (sim/streams.py)."""


    def post(self, path, body):
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), data=json.dumps(body).encode(),
                                     method="POST", headers={"APCA-API-KEY-ID": KEY, "APCA-API-SECRET-KEY": SECRET,
                                                             "Content-Type": "application/json"})
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())

    def ws(self, key_id=KEY, secret=SECRET, listen=True):
        """Handshake, authenticate, listen."""
        sock = self.upgrade("/stream")
        self.send(sock, {"action": "authenticate", "data": {"key_id": key_id, "secret_key": secret}})
        auth = self.recv(sock)
        if listen and auth["data"]["status"] == "authorized":
            self.send(sock, {"action": "listen", "data": {"streams": ["trade_updates"]}})
            self.assertEqual(self.recv(sock), {"stream": "listening", "data": {"streams": ["trade_updates"]}})
        return sock, auth

    def order(self, **kw):
        body = {"symbol": "AAPL", "qty": "1", "side": "buy", "type": "market", "time_in_force": "day"}
        body.update(kw)
        return self.post("/v2/orders", body)

    def test_trade_updates_report_each_change_of_an_order(self):
        self.post("/_sim/reset", {})
        sock, auth = self.ws()
        self.assertEqual(auth["data"], {"status": "authorized", "action": "authenticate"})
        o = self.order()
        new, fill = self.recv(sock), self.recv(sock)
        self.assertEqual((new["stream"], new["data"]["event"], new["data"]["order"]["id"]),
                         ("trade_updates", "pending_new", o["id"]))     # accepted, not yet routed
        self.assertEqual(fill["data"]["event"], "fill")        # the ticker fills it, no request needed
        self.assertEqual(fill["data"]["order"]["status"], "filled")
        self.assertEqual((fill["data"]["qty"], fill["data"]["position_qty"]), ("1", "1"))
        self.assertIn("timestamp", fill["data"])
        limit = self.order(type="limit", limit_price="1")
        self.assertEqual([self.recv(sock)["data"]["event"] for _ in range(2)], ["pending_new", "new"])
        req = urllib.request.Request("http://127.0.0.1:%d/v2/orders/%s" % (self.port, limit["id"]), method="DELETE",
                                     headers={"APCA-API-KEY-ID": KEY, "APCA-API-SECRET-KEY": SECRET})
        urllib.request.urlopen(req).read()
        canceled = self.recv(sock)
        self.assertEqual((canceled["data"]["event"], canceled["data"]["order"]["status"]), ("canceled", "canceled"))
        sock.close()

    def test_wrong_keys_are_not_authorized(self):
        sock, auth = self.ws(secret="wrong", listen=False)
        self.assertEqual(auth["data"]["status"], "unauthorized")
        self.send(sock, {"action": "listen", "data": {"streams": ["trade_updates"]}})
        self.assertEqual(self.recv(sock)["data"], {"status": "unauthorized", "action": "listen"})
        sock.close()

    def test_misbehaving_on_purpose(self):
        self.post("/_sim/reset", {})
        sock, _ = self.ws()
        self.post("/_sim/stream", {"lose": 4})          # the events of the next two orders are lost
        self.order(type="limit", limit_price="1")       # (resting limit orders: pending_new, new)
        self.order(type="limit", limit_price="1")
        o = self.order(type="limit", limit_price="1")
        self.assertEqual([self.recv(sock)["data"]["order"]["id"] for _ in range(2)], [o["id"], o["id"]])
        self.post("/_sim/stream", {"disconnect": True})   # cut, no close frame
        self.assertEqual(sock.recv(1), b"")
        self.post("/_sim/stream", {"replay": 1})
        sock, _ = self.ws()
        again = self.recv(sock)["data"]                     # sent again
        self.assertEqual((again["order"]["id"], again["event"]), (o["id"], "new"))
        self.post("/_sim/stream", {"drop_every": 1})
        self.order(type="limit", limit_price="1")
        self.recv(sock)
        self.assertEqual(sock.recv(1), b"")
        self.post("/_sim/stream", {"drop_every": 0})
        sock, _ = self.ws()
        self.post("/_sim/stream", {"lose_for": ["lost-for-good"]})   # every event of that order
        self.order(type="limit", limit_price="1", client_order_id="lost-for-good")
        kept = self.order(type="limit", limit_price="1")
        seen = []
        while seen.count(kept["id"]) < 2:     # (an event of an earlier order may come first)
            o = self.recv(sock)["data"]["order"]
            self.assertNotEqual(o["client_order_id"], "lost-for-good")
            seen.append(o["id"])
        self.post("/_sim/stream", {"lose_for": []})
        sock.close()

    def test_activity_events_stay_open_and_push_new_ones(self):
        import socket
        self.post("/_sim/reset", {})
        self.order()
        sock = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        sock.sendall(("GET /v2beta1/events/activities?since=2020-01-01T00:00:00Z HTTP/1.1\r\nHost: x\r\n"
                      "APCA-API-KEY-ID: %s\r\nAPCA-API-SECRET-KEY: %s\r\n\r\n" % (KEY, SECRET)).encode())
        f = sock.makefile("rb")
        self.assertIn(b" 200 ", f.readline())
        while f.readline() not in (b"\r\n", b""):
            pass

        def next_event():
            while True:
                line = f.readline()
                self.assertNotEqual(line, b"", "the stream ended")
                if line.startswith(b"data: "):
                    return json.loads(line[6:])

        history = [next_event() for _ in range(len(self.server.sim.activity_events({"since": "2020-01-01T00:00:00Z"})))]
        self.order(symbol="MSFT")                         # happens after the stream opened
        live = next_event()
        self.assertEqual(live["details"]["symbol"], "MSFT")
        self.assertGreater(live["event_id"], history[-1]["event_id"])
        sock.close()


class SimulatorMarketData(LiveSimulator):
    """Every operation of market-data-api.json, answered from the simulator's own market."""

    NOW = "2026-11-27T17:00:00Z"     # noon in New York, the day after Thanksgiving (closes at 13:00)
    SIM = {"market": "auto", "seed": 5}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.md = load("market-data-api.json")
        cls.validator = Validator(cls.md)
        cls.ops = []
        for path, item in cls.md["paths"].items():
            for method in item:
                if method in ("get", "post"):
                    rx = "^" + re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(path)) + "$"
                    cls.ops.append((method.upper(), path, re.compile(rx)))
        cls.seen = set()

    def setUp(self):
        self.control("/_sim/reset", {})
        self.control("/_sim/config", {"now": self.NOW})

    def control(self, path, body):
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode(), method="POST")
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())

    def get(self, path, expect=200, raw=False):
        req = urllib.request.Request(self.base + path)
        req.add_header("APCA-API-KEY-ID", KEY)
        req.add_header("APCA-API-SECRET-KEY", SECRET)
        try:
            with urllib.request.urlopen(req) as r:
                status, data, ctype = r.status, r.read(), r.headers.get("Content-Type", "")
        except urllib.error.HTTPError as e:
            status, data, ctype = e.code, e.read(), e.headers.get("Content-Type", "")
        bare = path.split("?")[0]
        cands = [(p.count("{"), p) for m, p, rx in self.ops if m == "GET" and rx.match(bare)]
        template = min(cands)[1] if cands else None
        self.assertEqual(status, expect, "%s -> %s %s" % (path, status, data[:300]))
        if status >= 400:
            payload = json.loads(data)
            self.assertEqual(list(payload), ["message"], "the Market Data API's errors are {message}")
            self.assertIsInstance(payload["message"], str)
            return payload
        self.assertIsNotNone(template, path)
        self.seen.add(template)
        resp = self.md["paths"][template]["get"]["responses"]["200"]
        if "image/png" in resp["content"]:
            self.assertEqual(ctype, "image/png")
            self.assertTrue(data.startswith(b"\x89PNG\r\n\x1a\n"))
            return data
        if raw:
            return data
        payload = json.loads(data)
        errors = []
        self.validator.check(resp["content"]["application/json"]["schema"], payload, "GET " + template, errors)
        self.assertEqual(errors, [], "\n".join(errors[:10]))
        return payload

    def test_1_every_operation(self):
        g = self.get
        # stocks: several symbols, one symbol, latest, snapshots, auctions, reference
        bars = g("/v2/stocks/bars?symbols=AAPL,MSFT&timeframe=15Min&start=2026-11-27T14:00:00Z&limit=100")["bars"]
        self.assertEqual(sorted(bars), ["AAPL", "MSFT"])
        self.assertEqual(bars["AAPL"][0]["t"], "2026-11-27T14:30:00Z", "the session opens at 09:30")
        g("/v2/stocks/AAPL/bars?timeframe=1Day&start=2026-11-01&end=2026-11-27&adjustment=split,dividend&feed=sip")
        g("/v2/stocks/bars/latest?symbols=AAPL,TSLA&feed=iex")
        g("/v2/stocks/AAPL/bars/latest")
        trades = g("/v2/stocks/trades?symbols=AAPL,NVDA&start=2026-11-27T16:58:00Z&limit=5&feed=sip")["trades"]
        self.assertEqual(list(trades), ["AAPL"], "the first symbol fills the page")
        g("/v2/stocks/AAPL/trades?start=2026-11-27T16:58:00Z&sort=desc&limit=5&asof=2026-11-27")
        latest = g("/v2/stocks/trades/latest?symbols=AAPL,MSFT&currency=EUR")
        self.assertEqual(latest["currency"], "EUR")
        g("/v2/stocks/MSFT/trades/latest?feed=delayed_sip")
        g("/v2/stocks/quotes?symbols=AAPL,MSFT&start=2026-11-27T16:59:00Z")
        g("/v2/stocks/MSFT/quotes?start=2026-11-27T16:59:00Z&limit=3")
        q = g("/v2/stocks/quotes/latest?symbols=AAPL")["quotes"]["AAPL"]
        self.assertLess(q["bp"], q["ap"])
        g("/v2/stocks/TSLA/quotes/latest")
        snaps = g("/v2/stocks/snapshots?symbols=AAPL,SPY")
        self.assertEqual(sorted(snaps), ["AAPL", "SPY"])
        self.assertEqual(snaps["AAPL"]["dailyBar"]["t"], "2026-11-27T05:00:00Z", "a day's bar is stamped at its midnight")
        self.assertEqual(snaps["AAPL"]["prevDailyBar"]["t"], "2026-11-25T05:00:00Z", "Thanksgiving has none")
        self.assertEqual(g("/v2/stocks/AAPL/snapshot")["symbol"], "AAPL")
        auctions = g("/v2/stocks/auctions?symbols=AAPL&start=2026-11-24&end=2026-11-27")["auctions"]["AAPL"]
        self.assertEqual([a["d"] for a in auctions], ["2026-11-24", "2026-11-25", "2026-11-27"])
        self.assertEqual(auctions[-1]["c"], [], "the 27th has not closed yet")
        g("/v2/stocks/AAPL/auctions?start=2026-11-20&limit=2")
        self.assertEqual(g("/v2/stocks/meta/exchanges")["V"], "IEX")
        self.assertEqual(g("/v2/stocks/meta/conditions/trade?tape=C")["@"], "Regular Sale")
        g("/v2/stocks/meta/conditions/quote?tape=A")
        # crypto and perpetuals
        g("/v1beta3/crypto/us/bars?symbols=BTC/USD,ETH/USD&timeframe=1Hour&start=2026-11-26T00:00:00Z&limit=50")
        g("/v1beta3/crypto/us/trades?symbols=BTC/USD&start=2026-11-27T16:59:00Z")
        g("/v1beta3/crypto/us-1/quotes?symbols=ETH/USD&start=2026-11-27T16:59:00Z&limit=10")
        g("/v1beta3/crypto/us/latest/trades?symbols=BTC/USD,ETH/USD")
        g("/v1beta3/crypto/us/latest/quotes?symbols=BTC/USD")
        g("/v1beta3/crypto/us/latest/bars?symbols=BTC/USD")
        book = g("/v1beta3/crypto/us/latest/orderbooks?symbols=BTC/USD")["orderbooks"]["BTC/USD"]
        self.assertLess(book["b"][0]["p"], book["a"][0]["p"])
        g("/v1beta3/crypto/eu-1/snapshots?symbols=BTC/USD,ETH/USD")
        g("/v1beta1/crypto-perps/global/latest/trades?symbols=BTCUSDT.P,ETHUSDT.P")
        g("/v1beta1/crypto-perps/global/latest/quotes?symbols=BTCUSDT.P")
        g("/v1beta1/crypto-perps/global/latest/bars?symbols=BTCUSDT.P")
        g("/v1beta1/crypto-perps/global/latest/orderbooks?symbols=BTCUSDT.P")
        pricing = g("/v1beta1/crypto-perps/global/latest/pricing?symbols=BTCUSDT.P")["pricing"]["BTCUSDT.P"]
        self.assertEqual(pricing["ft"], "2026-11-28T00:00:00Z", "funded at 00:00, 08:00 and 16:00 UTC")
        # options: from the broker's own chain
        chain = g("/v1beta1/options/snapshots/AAPL?type=call&limit=5&feed=indicative")
        self.assertEqual(len(chain["snapshots"]), 5)
        self.assertIsNotNone(chain["next_page_token"])
        first = sorted(chain["snapshots"])[0]
        snap = chain["snapshots"][first]
        self.assertTrue(0 < snap["greeks"]["delta"] <= 1 and snap["impliedVolatility"] > 0)
        more = g("/v1beta1/options/snapshots/AAPL?type=call&limit=5&page_token=" + chain["next_page_token"])
        self.assertFalse(set(more["snapshots"]) & set(chain["snapshots"]))
        g("/v1beta1/options/snapshots?symbols=%s&feed=opra" % first)
        g("/v1beta1/options/trades/latest?symbols=" + first)
        g("/v1beta1/options/quotes/latest?symbols=" + first)
        g("/v1beta1/options/trades?symbols=%s&start=2026-11-27T14:30:00Z&limit=20" % first)
        g("/v1beta1/options/bars?symbols=%s&timeframe=1Hour&start=2026-11-24" % first)
        self.assertIn("A", g("/v1beta1/options/meta/exchanges"))
        g("/v1beta1/options/meta/conditions/trade")
        g("/v1beta1/options/meta/conditions/quote")
        # forex, indices, fixed income
        g("/v1beta1/forex/latest/rates?currency_pairs=USDJPY,EURUSD")
        rates = g("/v1beta1/forex/rates?currency_pairs=USDJPY&timeframe=5Sec&start=2026-11-27T16:55:00Z&limit=24")
        self.assertEqual(len(rates["rates"]["USDJPY"]), 24)
        g("/v1beta1/forex/rates?currency_pairs=EURUSD&timeframe=1Day&start=2026-11-20")
        g("/v1beta1/indices/latest/values?symbols=SPX,VIX")
        g("/v1beta1/indices/values?symbols=SPX&start=2026-11-27T14:30:00Z&limit=10")
        prices = g("/v1beta1/fixed_income/latest/prices?isins=US912797PZ42,US037833DX52")["prices"]
        self.assertEqual(sorted(prices), ["US037833DX52", "US912797PZ42"])
        g("/v1beta1/fixed_income/latest/quotes?isins=US912797PZ42&trade_size=1000")
        # news, corporate actions, the screener, logos
        news = g("/v1beta1/news?symbols=AAPL&limit=3&include_content=true")
        self.assertTrue(all(n["headline"] and n["summary"] and n["content"] for n in news["news"]))
        self.assertEqual([n["symbols"] for n in news["news"]], [["AAPL"]] * 3)
        g("/v1beta1/news?limit=2&page_token=" + news["next_page_token"] + "&symbols=AAPL")
        ca = g("/v1/corporate-actions?start=2026-10-01&end=2026-12-31&types=cash_dividend,forward_split,cash_merger,spin_off")
        self.assertEqual(sorted(ca["corporate_actions"]), ["cash_dividends", "cash_mergers", "forward_splits", "spin_offs"])
        g("/v1beta1/screener/stocks/most-actives?by=trades&top=3")
        g("/v1beta1/screener/crypto/movers?top=5")
        g("/v1beta1/screener/stocks/movers")
        g("/v1beta1/logos/AAPL")
        g("/v1beta1/logos/NOPE1?placeholder=true")

    def test_2_invalid_values_are_400s(self):
        for path in ("/v2/stocks/bars?symbols=AAPL&timeframe=61Min", "/v2/stocks/bars?symbols=AAPL&timeframe=2Day",
                     "/v2/stocks/bars?symbols=AAPL", "/v2/stocks/bars?timeframe=1Min",
                     "/v2/stocks/trades?symbols=AAPL&limit=10001", "/v2/stocks/trades?symbols=AAPL&limit=0",
                     "/v2/stocks/trades?symbols=AAPL&sort=up", "/v2/stocks/trades?symbols=AAPL&feed=nasdaq",
                     "/v2/stocks/trades/latest?symbols=AAPL&feed=opra", "/v2/stocks/auctions?symbols=AAPL&feed=iex",
                     "/v2/stocks/trades?symbols=AAPL&start=yesterday",
                     "/v2/stocks/trades?symbols=AAPL&start=2026-11-27&end=2026-11-26",
                     "/v2/stocks/trades?symbols=AAPL&page_token=%21%21", "/v2/stocks/trades?symbols=AA$PL",
                     "/v2/stocks/bars?symbols=AAPL&timeframe=1Day&adjustment=splits",
                     "/v2/stocks/trades/latest?symbols=AAPL&currency=XYZ", "/v2/stocks/bars?symbols=AAPL&timeframe=1Day&asof=26-11-01",
                     "/v1beta3/crypto/mars/latest/trades?symbols=BTC/USD", "/v1beta3/crypto/us/latest/trades?symbols=BTC",
                     "/v1beta1/crypto-perps/us/latest/pricing?symbols=BTCUSDT.P",
                     "/v1beta1/options/trades/latest?symbols=AAPL&feed=opra",
                     "/v1beta1/options/trades/latest?symbols=AAPL261218C00150000&feed=sip",
                     "/v1beta1/options/snapshots/AAPL?limit=1001", "/v1beta1/options/snapshots/AAPL?type=straddle",
                     "/v1beta1/forex/rates?currency_pairs=USDXXX", "/v1beta1/forex/rates?currency_pairs=USDJPY&timeframe=1Hour",
                     "/v1beta1/news?limit=51", "/v1beta1/news?include_content=maybe",
                     "/v1/corporate-actions?types=dividend", "/v1/corporate-actions?ids=x&symbols=AAPL",
                     "/v1beta1/screener/stocks/most-actives?top=101", "/v1beta1/screener/bonds/movers",
                     "/v2/stocks/meta/conditions/trade", "/v2/stocks/meta/conditions/bids?tape=A",
                     "/v1beta1/logos/AAPL?placeholder=perhaps"):
            self.get(path, expect=400)
        self.get("/v2/stocks/NOPE1/trades/latest", expect=404)
        self.get("/v1beta1/logos/NOPE1?placeholder=false", expect=404)

    def test_3_tokens_lead_through_every_row_once(self):
        def pages(path, key):
            rows, token, n = [], None, 0
            while True:
                got = self.get(path + ("&page_token=" + urllib.parse.quote(token) if token else ""))
                n += 1
                for sym, xs in got[key].items():
                    rows.extend((sym, x["t"], json.dumps(x, sort_keys=True)) for x in xs)
                token = got["next_page_token"]
                if not token:
                    return rows, n
        import urllib.parse
        base = "/v2/stocks/bars?symbols=TSLA,AAPL,MSFT&timeframe=1Min&start=2026-11-24&end=2026-11-26"
        whole = self.get(base + "&limit=10000")
        self.assertIsNone(whole["next_page_token"])
        expected = [(sym, x["t"], json.dumps(x, sort_keys=True)) for sym in sorted(whole["bars"])
                    for x in whole["bars"][sym]]
        self.assertEqual(len(expected), 3 * 2 * 390)
        rows, n = pages(base + "&limit=500", "bars")
        self.assertEqual(rows, expected)
        self.assertEqual(n, 5)
        rows, _ = pages(base + "&limit=777&sort=desc", "bars")
        self.assertEqual(sorted(rows), sorted(expected))
        self.assertEqual([r[1] for r in rows if r[0] == "AAPL"], [r[1] for r in expected if r[0] == "AAPL"][::-1])
        # trades: two at one nanosecond are still two rows, each once
        base = "/v2/stocks/trades?symbols=AAPL,MSFT&start=2026-11-27T16:00:00Z&end=2026-11-27T16:20:00Z"
        whole = self.get(base + "&limit=10000")
        expected = [(s, x["t"], json.dumps(x, sort_keys=True)) for s in sorted(whole["trades"]) for x in whole["trades"][s]]
        rows, _ = pages(base + "&limit=7", "trades")
        self.assertEqual(rows, expected)
        ids = [json.loads(r[2])["i"] for r in rows if r[0] == "AAPL"]
        self.assertEqual(len(ids), len(set(ids)))

    def test_4_stocks_keep_the_calendar(self):
        import datetime as dt
        days = self.get("/v2/stocks/bars?symbols=SPY&timeframe=1Day&start=2025-01-01&end=2026-11-27&limit=10000")["bars"]["SPY"]
        dates = [dt.date.fromisoformat(b["t"][:10]) for b in days]
        self.assertEqual(days[0]["t"], "2025-01-02T05:00:00Z")
        cal = alpaca_sim.Market
        self.assertTrue(all(cal.is_trading_day(d) for d in dates), "no weekend or holiday bars")
        expect = [dt.date(2025, 1, 1) + dt.timedelta(days=i) for i in range(696)]
        self.assertEqual(dates, [d for d in expect if cal.is_trading_day(d)], "every trading day has its bar")
        self.assertNotIn(dt.date(2026, 11, 26), dates)
        # minutes: only in the core session, and the early close ends at 13:00
        mins = self.get("/v2/stocks/AAPL/bars?timeframe=1Min&start=2026-11-26T00:00:00Z&end=2026-11-28T00:00:00Z"
                        "&limit=10000")["bars"]
        self.assertEqual((mins[0]["t"], mins[-1]["t"]), ("2026-11-27T14:30:00Z", "2026-11-27T17:00:00Z"))
        self.control("/_sim/config", {"now": "2026-11-28T12:00:00Z"})
        mins = self.get("/v2/stocks/AAPL/bars?timeframe=1Min&start=2026-11-27&end=2026-11-28&limit=10000")["bars"]
        self.assertEqual((len(mins), mins[-1]["t"]), (210, "2026-11-27T17:59:00Z"))
        hours = self.get("/v2/stocks/AAPL/bars?timeframe=1Hour&start=2026-11-23&end=2026-11-28")["bars"]
        for h in hours:
            t = alpaca_sim.parse_time(h["t"], "t")
            o, c = cal.hours(t.astimezone(alpaca_sim.NY).date())
            self.assertTrue(o - dt.timedelta(hours=1) < t < c, h["t"])
        weeks = self.get("/v2/stocks/AAPL/bars?timeframe=1Week&start=2026-11-02&end=2026-11-28")["bars"]
        self.assertEqual([w["t"] for w in weeks], ["2026-11-02T05:00:00Z", "2026-11-09T05:00:00Z",
                                                   "2026-11-16T05:00:00Z", "2026-11-23T05:00:00Z"])
        # a day's bar agrees with its minutes
        day = self.get("/v2/stocks/AAPL/bars?timeframe=1Day&start=2026-11-25&end=2026-11-25")["bars"][0]
        mins = self.get("/v2/stocks/AAPL/bars?timeframe=1Min&start=2026-11-25&end=2026-11-25T23:59:59Z&limit=10000")["bars"]
        self.assertEqual(len(mins), 390)
        self.assertEqual((day["o"], day["c"]), (mins[0]["o"], mins[-1]["c"]))
        self.assertEqual((day["h"], day["l"]), (max(m["h"] for m in mins), min(m["l"] for m in mins)))
        self.assertEqual((day["v"], day["n"]), (sum(m["v"] for m in mins), sum(m["n"] for m in mins)))
        trades = self.get("/v2/stocks/AAPL/trades?start=2026-11-25T15:00:00Z&end=2026-11-25T15:04:59Z&limit=10000")
        self.assertEqual(sum(t["s"] for t in trades["trades"]), sum(m["v"] for m in mins[30:35]))

    def test_5_crypto_trades_around_the_clock(self):
        hours = self.get("/v1beta3/crypto/us/bars?symbols=BTC/USD&timeframe=1Hour&start=2026-11-21T00:00:00Z"
                         "&end=2026-11-22T23:59:00Z")["bars"]["BTC/USD"]
        self.assertEqual(len(hours), 48, "a weekend, every hour")
        days = self.get("/v1beta3/crypto/us/bars?symbols=BTC/USD&timeframe=1Day&start=2026-11-20&end=2026-11-27")
        self.assertEqual([d["t"] for d in days["bars"]["BTC/USD"]][:3],
                         ["2026-11-20T06:00:00Z", "2026-11-21T06:00:00Z", "2026-11-22T06:00:00Z"],
                         "crypto days are Chicago's")
        t = self.get("/v1beta3/crypto/us/trades?symbols=ETH/USD&start=2026-11-26T08:00:00Z&end=2026-11-26T08:01:00Z")
        self.assertTrue(t["trades"]["ETH/USD"], "Thanksgiving at 03:00 in New York: crypto trades")

    def test_6_the_walk_the_broker_and_the_data_agree(self):
        self.control("/_sim/config", {"market": "open"})
        self.control("/_sim/prices", {"AAPL": "151.23"})
        sim = self.server.sim
        t = self.get("/v2/stocks/trades/latest?symbols=AAPL")["trades"]["AAPL"]
        self.assertEqual((t["p"], t["t"]), (151.23, "2026-11-27T17:00:00Z"))
        self.assertEqual(alpaca_sim.Decimal(str(t["p"])), sim.price("AAPL"))
        raw = self.get("/v2/stocks/bars?symbols=AAPL,BTC&timeframe=1Min&start=2026-11-27T16:00:00Z", raw=True)
        self.assertNotRegex(raw.decode(), r"\d\.\d{7,}", "numbers are exact decimals, never float noise")
        self.assertIn(b'"vw": 151.23', raw)
        opt = self.get("/v1beta1/options/snapshots/AAPL?limit=1")["snapshots"]
        sym, snap = next(iter(opt.items()))
        self.assertEqual(alpaca_sim.Decimal(str(snap["latestTrade"]["p"])), sim.price(sym))

    def test_7_a_full_page_is_fast(self):
        import time
        t0 = time.perf_counter()
        got = self.get("/v2/stocks/bars?symbols=AAPL&timeframe=1Min&start=2026-09-01&limit=10000")
        self.assertEqual(len(got["bars"]["AAPL"]), 10000)
        self.assertLess(time.perf_counter() - t0, 1.0)
        t0 = time.perf_counter()
        got = self.get("/v2/stocks/bars?symbols=SPY&timeframe=1Day&start=2016-01-01&limit=10000")
        self.assertGreater(len(got["bars"]["SPY"]), 2700)
        self.assertLess(time.perf_counter() - t0, 2.0)

    def test_9_every_operation_was_exercised(self):
        wanted = {p for m, p, _ in self.ops}
        self.assertEqual(len(wanted), 50)
        self.assertEqual(sorted(wanted - self.seen), [])


class SimulatorMarketStreams(WebSocketClient, LiveSimulator):
    """The market data streams (sim/market_streams.py): Alpaca's protocol, the simulator's prices."""


    def setUp(self):
        self.control("/_sim/reset", {})
        self.control("/_sim/config", {"now": "2026-11-25T15:00:00Z"})

    def control(self, path, body, method="POST"):
        req = urllib.request.Request("http://127.0.0.1:%d%s" % (self.port, path), method=method,
                                     data=json.dumps(body).encode() if method == "POST" else None)
        with urllib.request.urlopen(req) as r:
            return json.loads(r.read())

    OPCODE = 0x81                   # the market data streams send text frames

    def connect(self, path, auth=True, headers=""):
        sock = self.upgrade(path, headers)
        self.assertEqual(self.recv(sock), [{"T": "success", "msg": "connected"}])
        if auth:
            self.send(sock, {"action": "auth", "key": KEY, "secret": SECRET})
            self.assertEqual(self.recv(sock), [{"T": "success", "msg": "authenticated"}])
        return sock

    def test_subscribe_and_the_prices_arrive(self):
        sock = self.connect("/v2/iex")
        self.send(sock, {"action": "subscribe", "trades": ["AAPL"], "quotes": ["AAPL", "MSFT"], "bars": ["*"]})
        sub = self.recv(sock)
        self.assertEqual(sub, [{"T": "subscription", "trades": ["AAPL"], "quotes": ["AAPL", "MSFT"], "bars": ["*"],
                                "updatedBars": [], "dailyBars": [], "statuses": [], "lulds": [], "imbalances": [],
                                "corrections": ["AAPL"], "cancelErrors": ["AAPL"]}])
        first = self.recv(sock)           # the current trade and quotes
        self.assertEqual(sorted((m["T"], m["S"]) for m in first), [("q", "AAPL"), ("q", "MSFT"), ("t", "AAPL")])
        self.control("/_sim/prices", {"AAPL": "151.5"})
        moved = self.recv(sock)
        self.assertEqual(sorted((m["T"], m["S"]) for m in moved), [("q", "AAPL"), ("t", "AAPL")])
        trade = next(m for m in moved if m["T"] == "t")
        self.assertEqual((trade["p"], trade["x"], trade["c"], trade["z"]), (151.5, "V", ["@"], "C"))
        self.assertTrue(set(trade) >= {"T", "S", "i", "x", "p", "s", "t", "c", "z"})
        self.control("/_sim/tick", {})
        again = self.recv(sock)
        self.assertEqual(len(again), 3, "a tick sends each trade and quote again")
        self.control("/_sim/config", {"now": "2026-11-25T15:01:00Z"})
        got = []
        while not any(m["T"] == "b" for m in got):
            got += self.recv(sock)
        bars = {m["S"]: m for m in got if m["T"] == "b"}
        self.assertIn("AAPL", bars)
        self.assertEqual((bars["AAPL"]["t"], bars["AAPL"]["c"]), ("2026-11-25T15:00:00Z", 151.5))
        self.send(sock, {"action": "unsubscribe", "bars": ["*"], "quotes": ["MSFT"]})
        msgs = self.recv(sock)
        while msgs[0]["T"] != "subscription":
            msgs = self.recv(sock)
        self.assertEqual((msgs[0]["bars"], msgs[0]["quotes"]), ([], ["AAPL"]))
        report = self.control("/_sim/market_stream", None, method="GET")
        self.assertEqual([(c["path"], c["authenticated"], c["subscriptions"]["trades"]) for c in report["connections"]],
                         [("/v2/iex", True, ["AAPL"])])
        sock.close()

    def test_errors_in_alpacas_words(self):
        sock = self.connect("/v2/sip", auth=False)
        self.send(sock, {"action": "subscribe", "trades": ["AAPL"]})
        self.assertEqual(self.recv(sock), [{"T": "error", "code": 401, "msg": "not authenticated"}])
        self.send(sock, "not json")
        self.assertEqual(self.recv(sock), [{"T": "error", "code": 400, "msg": "invalid syntax"}])
        self.send(sock, {"action": "auth", "key": KEY, "secret": "wrong"})
        self.assertEqual(self.recv(sock), [{"T": "error", "code": 402, "msg": "auth failed"}])
        self.send(sock, {"action": "auth", "key": KEY, "secret": SECRET})
        self.assertEqual(self.recv(sock), [{"T": "success", "msg": "authenticated"}])
        self.send(sock, {"action": "auth", "key": KEY, "secret": SECRET})
        self.assertEqual(self.recv(sock), [{"T": "error", "code": 403, "msg": "already authenticated"}])
        self.send(sock, {"action": "subscribe", "orderbooks": ["AAPL"]})
        self.assertEqual(self.recv(sock), [{"T": "error", "code": 410, "msg": "invalid subscribe action for this feed"}])
        self.send(sock, {"action": "subscribe", "trades": "AAPL"})
        self.assertEqual(self.recv(sock)[0]["code"], 400)
        self.control("/_sim/market_stream", {"symbol_limit": 2})
        self.send(sock, {"action": "subscribe", "trades": ["AAPL", "MSFT"], "quotes": ["TSLA"]})
        self.assertEqual(self.recv(sock), [{"T": "error", "code": 405, "msg": "symbol limit exceeded"}])
        self.send(sock, {"action": "subscribe", "bars": ["AAPL"]})
        self.assertEqual(self.recv(sock)[0]["trades"], [], "a refused subscription changes nothing")
        # one authenticated connection per account and stream
        other = self.connect("/v2/iex", auth=False)
        self.send(other, {"action": "auth", "key": KEY, "secret": SECRET})
        self.assertEqual(self.recv(other), [{"T": "error", "code": 406, "msg": "connection limit exceeded"}])
        crypto = self.connect("/v1beta3/crypto/us")      # another stream: allowed
        crypto.close()
        sock.close()
        other.close()
        self.control("/_sim/market_stream", {"auth_timeout_ms": 100})
        late = self.connect("/v2/iex", auth=False)
        self.assertEqual(self.recv(late), [{"T": "error", "code": 404, "msg": "auth timeout"}])
        self.assertEqual(late.recv(1), b"")

    def test_crypto_news_and_misbehaviour(self):
        sock = self.connect("/v1beta3/crypto/us", auth=False,
                            headers="APCA-API-KEY-ID: %s\r\nAPCA-API-SECRET-KEY: %s\r\n" % (KEY, SECRET))
        self.assertEqual(self.recv(sock), [{"T": "success", "msg": "authenticated"}])
        self.send(sock, {"action": "subscribe", "trades": ["BTC/USD"], "orderbooks": ["BTC/USD"]})
        self.assertEqual(self.recv(sock)[0]["orderbooks"], ["BTC/USD"])
        data = self.recv(sock)
        kinds = {m["T"]: m for m in data}
        self.assertEqual(set(kinds), {"t", "o"})
        self.assertTrue(set(kinds["t"]) >= {"T", "S", "p", "s", "t", "i", "tks"})
        self.assertLess(kinds["o"]["b"][0]["p"], kinds["o"]["a"][0]["p"])
        news = self.connect("/v1beta1/news")
        self.send(news, {"action": "subscribe", "news": ["*"]})
        self.assertEqual(self.recv(news), [{"T": "subscription", "news": ["*"]}])
        article = self.control("/_sim/news", {"headline": "Simulated headline", "symbols": ["AAPL"]})
        got = self.recv(news)
        self.assertEqual([(m["T"], m["headline"], m["symbols"], m["id"]) for m in got],
                         [("n", "Simulated headline", ["AAPL"], article["id"])])
        self.control("/_sim/market_stream", {"inject": '[{"T":"s","S":"BTC/USD","sc":"H"}]', "family": "crypto"})
        self.assertEqual(self.recv(sock, raw=True), b'[{"T":"s","S":"BTC/USD","sc":"H"}]')
        self.control("/_sim/market_stream", {"disconnect": True})
        self.assertEqual(sock.recv(1), b"")
        self.assertEqual(news.recv(1), b"")
        sock = self.connect("/v1beta3/crypto/us")
        self.control("/_sim/market_stream", {"stall": True})
        import select
        import struct
        mask = os.urandom(4)
        sock.sendall(struct.pack(">BB", 0x89, 0x80) + mask)          # a ping: no pong
        self.assertEqual(select.select([sock], [], [], 0.3)[0], [])
        sock.close()


class SimulatorRateLimit(LiveSimulator):
    """The account's minute (sim/ratelimit.py): headers on every answer, 429 past the limit, one budget an API."""


    def call(self, method, path, body=None, keys=True):
        req = urllib.request.Request(self.base + path, data=json.dumps(body).encode() if body is not None else None,
                                     method=method)
        if keys:
            req.add_header("APCA-API-KEY-ID", KEY)
            req.add_header("APCA-API-SECRET-KEY", SECRET)
        try:
            with urllib.request.urlopen(req) as r:
                return r.status, r.headers, json.loads(r.read() or b"null")
        except urllib.error.HTTPError as e:
            return e.code, e.headers, json.loads(e.read() or b"null")

    def test_headers_count_down_and_the_limit_answers_429(self):
        import time
        self.call("POST", "/_sim/reset", {})
        status, h, _ = self.call("GET", "/v2/account")
        self.assertEqual((status, h["X-RateLimit-Limit"], h["X-RateLimit-Remaining"]), (200, "100000", "99999"))
        reset = int(h["X-RateLimit-Reset"])
        self.assertTrue(time.time() + 58 <= reset <= time.time() + 61, reset - time.time())
        status, h, _ = self.call("GET", "/v2/orders/00000000-0000-4000-8000-000000000000")   # an error counts too
        self.assertEqual((status, h["X-RateLimit-Remaining"], int(h["X-RateLimit-Reset"])), (404, "99998", reset))
        self.call("POST", "/_sim/config", {"requests_per_minute": 4})
        seen = [self.call("GET", "/v2/clock") for _ in range(4)]
        self.assertEqual([(s, h["X-RateLimit-Limit"], h["X-RateLimit-Remaining"]) for s, h, _ in seen],
                         [(200, "4", "1"), (200, "4", "0"), (429, "4", "0"), (429, "4", "0")])
        status, h, body = seen[-1]
        self.assertEqual(body, {"code": 42910000, "message": "rate limit exceeded"})
        self.assertIsNone(h.get("Retry-After"), "Alpaca is not known to send Retry-After")
        self.assertEqual(int(h["X-RateLimit-Reset"]), reset, "one window: the same reset")
        self.call("POST", "/_sim/config", {"retry_after": True})
        status, h, _ = self.call("GET", "/v2/clock")
        self.assertTrue(0 <= int(h["Retry-After"]) <= 60)
        # the Market Data API has a budget of its own
        self.call("POST", "/_sim/config", {"data_requests_per_minute": 2, "retry_after": False})
        seen = [self.call("GET", "/v2/stocks/trades/latest?symbols=AAPL") for _ in range(3)]
        self.assertEqual([(s, h["X-RateLimit-Limit"], h["X-RateLimit-Remaining"]) for s, h, _ in seen],
                         [(200, "2", "1"), (200, "2", "0"), (429, "2", "0")])
        self.assertEqual(seen[-1][2], {"message": "too many requests."})
        _, _, state = self.call("GET", "/_sim/state")
        trading, data = state["rate_limits"]["trading"], state["rate_limits"]["data"]
        self.assertEqual((trading["windows"][-1]["requests"], trading["windows"][-1]["limited"], trading["limited"],
                          trading["max_in_window"], trading["enforced"]), (7, 3, 3, 7, 4))
        self.assertEqual((data["windows"][-1]["requests"], data["limited"], data["limit"]), (3, 1, 2))
        # unauthorized requests are not the account's
        self.assertEqual(self.call("GET", "/v2/clock", keys=False)[0], 401)
        _, _, state = self.call("GET", "/_sim/state")
        self.assertEqual(state["rate_limits"]["trading"]["windows"][-1]["requests"], 7)
        self.call("POST", "/_sim/config", {"requests_per_minute": None, "data_requests_per_minute": None})
        status, h, _ = self.call("GET", "/v2/clock")
        self.assertEqual((status, h["X-RateLimit-Limit"], h["X-RateLimit-Remaining"]), (200, "100000", "99992"))
        self.assertEqual(self.call("POST", "/_sim/config", {"requests_per_minute": "lots"})[0], 400)

    def test_windows_are_fixed_minutes_from_their_first_request(self):
        import ratelimit
        t = [1000.0]
        b = ratelimit.Budget("trading")
        got = [b.take(3, clock=lambda: t[0]) for _ in range(4)]
        self.assertEqual([g[0] for g in got], [True, True, True, False])
        self.assertEqual(got[0][1]["X-RateLimit-Reset"], "1060")
        t[0] = 1059.9                       # still the first window
        self.assertFalse(b.take(3, clock=lambda: t[0])[0])
        t[0] = 1060.0                       # a new window opens with this request
        allowed, h, _ = b.take(3, clock=lambda: t[0])
        self.assertEqual((allowed, h["X-RateLimit-Remaining"], h["X-RateLimit-Reset"]), (True, "2", "1120"))
        t[0] = 1200.5
        self.assertEqual(b.take(3, clock=lambda: t[0])[1]["X-RateLimit-Reset"], "1261")
        r = b.report(3)
        self.assertEqual([(w["requests"], w["limited"]) for w in r["windows"]], [(5, 2), (1, 0), (1, 0)])
        self.assertEqual((r["max_in_window"], r["limited"]), (5, 2))

    def test_two_servers_share_the_account(self):
        """Two clients at once: the account's window counts both, each request once."""
        self.call("POST", "/_sim/reset", {})
        self.call("POST", "/_sim/config", {"requests_per_minute": 30})
        results = []

        def client():
            mine = [self.call("GET", "/v2/clock")[0] for _ in range(25)]
            results.append(mine)
        threads = [threading.Thread(target=client) for _ in range(2)]
        for x in threads:
            x.start()
        for x in threads:
            x.join()
        codes = results[0] + results[1]
        self.assertEqual((codes.count(200), codes.count(429)), (30, 20))
        _, _, state = self.call("GET", "/_sim/state")
        w = state["rate_limits"]["trading"]["windows"]
        self.assertEqual((len(w), w[0]["requests"], w[0]["limited"]), (1, 50, 20))
        self.call("POST", "/_sim/config", {"requests_per_minute": None})

    def test_requests_are_counted_by_method(self):
        """/_sim/state says how many API requests of each method arrived: a standby's reads are GETs only."""
        self.call("POST", "/_sim/reset", {})
        self.call("GET", "/v2/clock")
        self.call("GET", "/v2/account")
        self.call("POST", "/v2/watchlists", {"name": "by-method", "symbols": []})
        self.call("DELETE", "/v2/orders/00000000-0000-4000-8000-000000000000")   # refused, still counted
        self.call("GET", "/v2/clock", keys=False)                                # not the account's, still arrived
        _, _, state = self.call("GET", "/_sim/state")
        self.assertEqual(state["by_method"], {"GET": 3, "POST": 1, "DELETE": 1})
        self.assertEqual(state["requests"], 5)
        self.call("POST", "/_sim/reset", {})
        self.assertEqual(self.call("GET", "/_sim/state")[2]["by_method"], {})

    def test_another_account(self):
        """--account-id: a second simulator on other keys is another account (the outbox sends to no other)."""
        import alpaca_sim as a
        other = "6d1ff0c8-0a2b-4c5e-9a3b-1c2d3e4f5a6b"
        first = a.Sim(KEY, SECRET, market="open", walk=False).handle("GET", "/v2/account", {}, None)["id"]
        sim = a.Sim("PKOTHERACCOUNT0000002", "other-secret", market="open", walk=False, account_id=other)
        self.assertEqual(sim.handle("GET", "/v2/account", {}, None)["id"], other)
        self.assertNotEqual(first, other)
        sim.reset()
        self.assertEqual(sim.handle("GET", "/v2/account", {}, None)["id"], other, "a reset keeps the account")


class Summary(unittest.TextTestResult):
    pass


if __name__ == "__main__":
    runner = unittest.TextTestRunner(verbosity=2, resultclass=Summary)
    suite = unittest.TestSuite([unittest.defaultTestLoader.loadTestsFromTestCase(SimulatorConformance),
                                unittest.defaultTestLoader.loadTestsFromTestCase(SimulatorAsAMarket),
                                unittest.defaultTestLoader.loadTestsFromTestCase(SimulatorStreams),
                                unittest.defaultTestLoader.loadTestsFromTestCase(SimulatorRateLimit),
                                unittest.defaultTestLoader.loadTestsFromTestCase(SimulatorMarketData),
                                unittest.defaultTestLoader.loadTestsFromTestCase(SimulatorMarketStreams)])
    result = runner.run(suite)
    failed = len(result.failures) + len(result.errors)
    print("simulator: %d passed, %d failed" % (result.testsRun - failed, failed))
    sys.exit(1 if failed else 0)
