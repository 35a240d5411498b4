"""The Market Data API's WebSocket streams, as market-data-streaming-*.md describe them.

Paths (on the simulator's port, with Upgrade: websocket):

    /v2/{feed}             stocks: iex, sip, delayed_sip, boats, overnight, otc, test
    /v1beta3/crypto/{loc}  crypto: us, us-1, us-2, eu-1, bs-1
    /v1beta1/{feed}        options: indicative, opra (JSON here; Alpaca's is msgpack)
    /v1beta1/news          news

The flow is Alpaca's: [{"T":"success","msg":"connected"}], then
{"action":"auth","key":...,"secret":...} (or the APCA-API-KEY-ID and
APCA-API-SECRET-KEY headers on the upgrade) and [{"T":"success",
"msg":"authenticated"}], then subscribe and unsubscribe messages, each
answered with the whole subscription ({"T":"subscription", ...}).  Errors
are [{"T":"error","code":...,"msg":...}]: 400 invalid syntax, 401 not
authenticated, 402 auth failed, 403 already authenticated, 404 auth timeout,
405 symbol limit exceeded, 406 connection limit exceeded (an account has
one authenticated connection per stream), 410 invalid subscribe action for
this feed.  Messages go out as text frames, arrays of objects with their
"T" type: t, q, b, d (stocks and crypto), o (crypto order books), n (news).

Data come from the simulator's market: each subscribed symbol's trade and
quote whenever its latest trade or quote changes (time passing in the
tape, a pin) and again on POST /_sim/tick, its minute bar (and daily bar so
far) when a minute ends, news as it is written or published.

POST /_sim/market_stream misbehaves on purpose and reports:
{"disconnect": true} cuts every open connection (no close frame),
{"stall": true} silences the open ones (no data, no pong), {"inject":
text or [text, ...], "family": optional} sends raw frames to the open ones,
{"connection_limit": n}, {"symbol_limit": n or null} (trades and quotes
channels; default 30) and {"auth_timeout_ms": n} set the limits.  The
answer (GET too) lists the connections and their subscriptions.
"""

import datetime as dt
import json
import re
import select
import socket
import time

import websocket
from data import format as fmt
from data import live
from data.series import minute_of
from values import dumps

FAMILIES = [(re.compile(r"/v2/(iex|sip|delayed_sip|boats|overnight|otc|test)"), "stocks"),
            (re.compile(r"/v1beta3/crypto/(us|us-1|us-2|eu-1|bs-1)"), "crypto"),
            (re.compile(r"/v1beta1/(indicative|opra)"), "options"),
            (re.compile(r"/v1beta1/(news)"), "news")]
CHANNELS = {"stocks": ("trades", "quotes", "bars", "updatedBars", "dailyBars", "statuses", "lulds", "imbalances"),
            "crypto": ("trades", "quotes", "orderbooks", "bars", "updatedBars", "dailyBars"),
            "options": ("trades", "quotes"),
            "news": ("news",)}
PATTERNS = {"stocks": live.STOCK, "crypto": live.CRYPTO, "options": live.OPTION, "news": re.compile(r"[A-Za-z0-9./]{1,20}")}
ROUND = 0.05             # seconds between data rounds


def family_of(path):
    for rx, fam in FAMILIES:
        m = rx.fullmatch(path)
        if m:
            return fam, m.group(1)
    return None


def _error(code, msg):
    return [{"T": "error", "code": code, "msg": msg}]


class MarketStreams:
    """The market data streams' shared state (the caller holds the simulator's lock)."""

    def __init__(self, sim):
        self.sim = sim
        self.generation = 0
        self.opened = 0
        self.conns = {}
        self.reset()

    def reset(self):
        self.generation += 1          # what the open streams were told belongs to the old market
        self.stalled_upto = 0
        self.injected = []            # (family or None, text)
        self.ticks = 0
        self.connection_limit = 1
        self.symbol_limit = 30
        self.auth_timeout_ms = 10000

    def control(self, body):
        if body.get("disconnect"):
            self.generation += 1
        if body.get("stall"):
            self.stalled_upto = self.opened
        if "inject" in body:
            texts = body["inject"] if isinstance(body["inject"], list) else [body["inject"]]
            for t in texts:
                self.injected.append((body.get("family"), t if isinstance(t, str) else json.dumps(t)))
        for k in ("connection_limit", "auth_timeout_ms"):
            if k in body:
                setattr(self, k, int(body[k]))
        if "symbol_limit" in body:
            self.symbol_limit = None if body["symbol_limit"] is None else int(body["symbol_limit"])
        return self.report()

    def report(self):
        return {"connections": [c.describe() for c in sorted(self.conns.values(), key=lambda c: c.id)],
                "opened": self.opened, "open": len(self.conns), "connection_limit": self.connection_limit,
                "symbol_limit": self.symbol_limit, "auth_timeout_ms": self.auth_timeout_ms,
                "injected": len(self.injected)}


class Connection:
    def __init__(self, streams, sock, path, family, feed):
        self.st, self.sock, self.path, self.family, self.feed = streams, sock, path, family, feed
        self.sim = streams.sim
        streams.opened += 1
        self.id = streams.opened
        self.generation = streams.generation
        self.authenticated = False
        self.subs = {ch: [] for ch in CHANNELS[family]}
        self.sent = 0
        self.injected = len(streams.injected)
        self.last = {}             # (channel, symbol) -> what was sent last
        self.minute = None
        self.ticks = streams.ticks
        self.news_ns = None
        self.news_published = 0
        self.opened_at = time.monotonic()

    def describe(self):
        return {"id": self.id, "path": self.path, "family": self.family, "feed": self.feed,
                "authenticated": self.authenticated, "subscriptions": self.subscription(), "sent": self.sent,
                "stalled": self.id <= self.st.stalled_upto}

    # ------------------------------------------------------------ sending
    def send(self, messages):
        data = messages.encode() if isinstance(messages, str) else dumps(messages).encode()
        self.sock.sendall(websocket.frame(websocket.TEXT, data))
        self.sent += 1

    def subscription(self):
        out = {"T": "subscription"}
        for ch in CHANNELS[self.family]:
            out[ch] = list(self.subs[ch])
        if self.family == "stocks":
            out["corrections"] = list(self.subs["trades"])
            out["cancelErrors"] = list(self.subs["trades"])
        return out

    # ----------------------------------------------------------- receiving
    def authenticate(self, key, secret):
        sim = self.sim
        if self.authenticated:
            return _error(403, "already authenticated")
        if key != sim.key_id or secret != sim.secret_key:
            return _error(402, "auth failed")
        with sim.lock:
            # (connections a reset or a cut has ended are on their way out and do not count)
            peers = [c for c in self.st.conns.values() if c.authenticated and c.family == self.family
                     and c.generation == self.st.generation]
            if len(peers) >= self.st.connection_limit:
                return _error(406, "connection limit exceeded")
            self.authenticated = True
        self.news_ns = int(sim.now().timestamp() * 10 ** 9)
        self.news_published = len(sim.market.news.published)
        return [{"T": "success", "msg": "authenticated"}]

    def handle(self, data):
        try:
            msg = json.loads(data)
            action = msg["action"]
        except (ValueError, KeyError, TypeError):
            return _error(400, "invalid syntax")
        if action == "auth":
            if not isinstance(msg.get("key"), str) or not isinstance(msg.get("secret"), str):
                return _error(400, "invalid syntax")
            return self.authenticate(msg["key"], msg["secret"])
        if action not in ("subscribe", "unsubscribe"):
            return _error(400, "invalid syntax")
        if not self.authenticated:
            return _error(401, "not authenticated")
        change = {}
        for k, v in msg.items():
            if k == "action":
                continue
            if k not in self.subs and not (self.family == "stocks" and k in ("corrections", "cancelErrors")):
                return _error(410, "invalid subscribe action for this feed")
            if not isinstance(v, list) or not all(isinstance(x, str) for x in v):
                return _error(400, "invalid syntax")
            if any(x != "*" and not PATTERNS[self.family].fullmatch(x) for x in v):
                return _error(400, "invalid syntax")
            if k in self.subs:
                change[k] = [x.upper() if self.family != "news" else x.upper().replace("/", "") for x in v]
        new = {ch: list(xs) for ch, xs in self.subs.items()}
        for ch, xs in change.items():
            if action == "subscribe":
                new[ch] += [x for x in xs if x not in new[ch]]
            else:
                new[ch] = [x for x in new[ch] if x not in xs]
        limit = self.st.symbol_limit
        if limit is not None and self.family in ("stocks", "crypto", "options"):
            counted = new.get("trades", []) + new.get("quotes", [])
            if "*" in counted or len(counted) > limit:
                return _error(405, "symbol limit exceeded")
        with self.sim.lock:
            for ch in change:
                for x in new[ch]:
                    if x not in self.subs[ch]:
                        self.last.pop((ch, x), None)
            self.subs = new
            self.minute = minute_of(self.sim.now())
        return [self.subscription()]

    # ---------------------------------------------------------------- data
    def _symbols(self, ch):
        xs = self.subs.get(ch, [])
        if "*" not in xs:
            return xs
        cls = {"stocks": "us_equity", "crypto": "crypto"}.get(self.family)
        listed = [a["symbol"] for a in self.sim.broker.book.assets.values() if a["class"] == cls
                  and a["status"] == "active"] if cls else []
        return sorted(set(listed) | {x for x in xs if x != "*"})

    def _inst(self, sym):
        return {"stocks": live.stock, "crypto": live.crypto, "options": live.option}[self.family](self.sim, sym)

    def updates(self):
        """The data points due now (the caller holds the lock)."""
        sim = self.sim
        now = sim.now()
        out = []
        ticked = self.st.ticks != self.ticks
        self.ticks = self.st.ticks
        if self.family == "news":
            return self._news(now)
        rates = fmt.Rates(sim)
        k = minute_of(now)
        for ch in ("trades", "quotes", "orderbooks"):
            for sym in self._symbols(ch):
                inst = self._inst(sym)
                if inst is None:
                    continue
                if ch == "trades":
                    r = live.latest_trade(sim, inst, now)
                    row = dict(fmt.trade(inst, r, rates, self.feed), T="t", S=sym) if r else None
                else:
                    r = live.latest_quote(sim, inst, now)
                    if ch == "quotes":
                        row = dict(fmt.quote(inst, r, rates, self.feed), T="q", S=sym) if r else None
                    else:
                        book = sim.data.crypto.orderbook(inst, now)
                        row = dict(book, T="o", S=sym, r=True) if book else None
                if row is None:
                    continue
                if ticked or self.last.get((ch, sym)) != row:
                    self.last[(ch, sym)] = row
                    out.append(row)
        if self.minute is not None and k > self.minute:
            for sym in self._symbols("bars"):
                inst = self._inst(sym)
                b = sim.market.tape.bar(inst, k - 1, k) if inst else None
                if b:
                    out.append(dict(fmt.bar(inst, (k - 1,) + b, rates), T="b", S=sym))
            for sym in self._symbols("dailyBars"):
                inst = self._inst(sym)
                day = live.daily_bars(sim, inst, now)[0] if inst else None
                if day:
                    out.append(dict(fmt.bar(inst, day, rates), T="d", S=sym))
        self.minute = k
        return out

    def _news(self, now):
        news = self.sim.market.news
        subs = set(self.subs["news"])
        if not subs:
            return []
        hi = int(now.timestamp() * 10 ** 9)
        out = []
        if self.news_ns is not None and hi > self.news_ns:
            start = dt.datetime.fromtimestamp(self.news_ns / 10 ** 9 + 1e-6, dt.timezone.utc)
            which = None if "*" in subs else sorted(subs)
            for a in news.between(which, start, now, True):
                if a["id"] < 9 * 10 ** 11:         # published ones come below, once
                    out.append(a)
        for a in news.published[self.news_published:]:
            if "*" in subs or subs & set(a["symbols"]):
                out.append(a)
        self.news_published = len(news.published)
        self.news_ns = max(self.news_ns or hi, hi)
        return [dict({k: v for k, v in a.items() if not k.startswith("_")}, T="n") for a in out]


def serve(handler, sim, path):
    """One market data stream connection, until the client, a test or the simulator cuts it."""
    fam, feed = family_of(path)
    sock = websocket.accept(handler)
    if sock is None:
        return None
    st = sim.market_streams
    with sim.lock:
        conn = Connection(st, sock, path, fam, feed)
        st.conns[conn.id] = conn
    try:
        conn.send([{"T": "success", "msg": "connected"}])
        key, secret = handler.headers.get("APCA-API-KEY-ID"), handler.headers.get("APCA-API-SECRET-KEY")
        if key and secret:
            conn.send(conn.authenticate(key, secret))
        last_round = 0.0
        while True:
            with sim.lock:
                if st.generation != conn.generation:
                    return        # cut, as a network would: no close frame
                stalled = conn.id <= st.stalled_upto
                injected = [t for f, t in st.injected[conn.injected:] if f in (None, conn.family)]
                conn.injected = len(st.injected)
            if stalled:
                # what the client sends is dropped unanswered; only its close ends it
                r, _, _ = select.select([sock], [], [], 0.01)
                if r and not sock.recv(65536):
                    return
                continue
            for t in injected:
                conn.send(t)
            if not conn.authenticated and (time.monotonic() - conn.opened_at) * 1000 > st.auth_timeout_ms:
                conn.send(_error(404, "auth timeout"))
                return
            if conn.authenticated and time.monotonic() - last_round >= ROUND:
                last_round = time.monotonic()
                with sim.lock:
                    points = conn.updates()
                if points:
                    conn.send(points)
            r, _, _ = select.select([sock], [], [], 0.01)
            if not r:
                continue
            opcode, data = websocket.read_frame(sock)
            with sim.lock:
                if conn.id <= st.stalled_upto or st.generation != conn.generation:
                    continue      # stalled (or cut) while this frame was on its way: unanswered
            if opcode == websocket.CLOSE:
                sock.sendall(websocket.frame(websocket.CLOSE, data[:2]))
                return
            if opcode == websocket.PING:
                sock.sendall(websocket.frame(websocket.PONG, data))
                continue
            if opcode not in (websocket.TEXT, websocket.BINARY):
                continue
            conn.send(conn.handle(data))
    except (ConnectionError, OSError):
        return
    finally:
        with sim.lock:
            st.conns.pop(conn.id, None)
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

