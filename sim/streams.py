"""The simulator's two live streams, as Alpaca serves them:

- trade_updates over a WebSocket at /stream (RFC 6455; binary frames, as the
  paper endpoint sends them): authenticate, listen, then an event for every
  change of an order (new, partial_fill, fill, canceled, replaced, ...);
  nothing is replayed after a reconnect, as with Alpaca;
- the account activity events (GET /v2beta1/events/activities without
  until/until_id): the history asked for, then each new event as it
  happens, with comment heartbeats.

While a stream is open a ticker advances the market every few milliseconds,
so orders fill without another request.  For tests, POST /_sim/stream
misbehaves on purpose: {"disconnect": true} cuts every open stream now (no
close frame), {"stall": true} makes the open trade_updates connections go
silent (no events, no pong: a half-open connection), {"inject": "text"}
sends a message exactly as given (hostile
tests), {"lose": n} silently drops the next n trade events, {"lose_for":
[client_order_id, ...]} every event of those orders,
{"replay": n} sends the last n again on the next connection, and
{"drop_every": n} cuts a connection after every n events it sends.
"""
import json
import select
import socket
import threading
import time
import uuid
from decimal import Decimal

import websocket
from websocket import _recv_exact, frame, read_frame  # noqa: F401  (test_sim reads frames with _recv_exact)

# an order's status, and the trade_updates event that reports reaching it
EVENTS = {"accepted": "pending_new", "new": "new", "partially_filled": "partial_fill", "filled": "fill",
          "canceled": "canceled", "expired": "expired", "replaced": "replaced", "rejected": "rejected",
          "pending_new": "pending_new", "pending_cancel": "pending_cancel",
          "pending_replace": "pending_replace", "done_for_day": "done_for_day",
          "stopped": "stopped", "suspended": "suspended", "calculated": "calculated"}


class Streams:
    def __init__(self, sim):
        self.sim = sim
        self.cv = threading.Condition(sim.lock)
        self.ticker = None
        self.reset()

    def reset(self):
        # open streams are cut: what they were told belongs to the old account
        self.generation = getattr(self, "generation", 0) + 1
        self.events = []          # every trade_updates message, in order
        self.seen = {}            # order id -> what the last event reported
        self.lose = 0
        self.lose_for = set()     # client_order_ids whose every event is lost
        self.replay = 0
        self.drop_every = 0
        self.connections = 0      # trade_updates connections so far
        self.stalled_upto = 0     # connections up to this one fall silent
        # (open counts sockets, which outlive a reset until their handlers see the cut)
        self.open = getattr(self, "open", 0)

    def control(self, body):
        """POST /_sim/stream (the caller holds the lock)."""
        for k in ("lose", "replay", "drop_every"):
            if k in body:
                setattr(self, k, int(body[k]))
        if "lose_for" in body:
            self.lose_for = set(body["lose_for"] or [])
        if body.get("disconnect"):
            self.generation += 1
        if body.get("stall"):
            # the open connections go silent (a half-open TCP connection):
            # no events, no answer to a ping; later ones are served
            self.stalled_upto = self.connections
        if "inject" in body:
            # a message as given, for hostile tests: sent as is to whoever listens
            self.events.append({"_raw": body["inject"]})
        self.cv.notify_all()
        return {"events": len(self.events), "connections": self.connections, "open": self.open,
                "lose": self.lose, "lose_for": sorted(self.lose_for), "replay": self.replay,
                "drop_every": self.drop_every}

    def emit(self):
        """An event for every order whose state changed (the caller holds the lock)."""
        sim = self.sim
        for o in sim.orders:
            key = (o["status"], o["filled_qty"], o["updated_at"])
            prev = self.seen.get(o["id"])
            if prev == key:
                continue
            self.seen[o["id"]] = key
            event = EVENTS.get(o["status"])
            if event is None:
                continue
            data = {"event": event, "execution_id": str(uuid.uuid4()), "order": sim.public_order(o)}
            if event in ("fill", "partial_fill"):
                p = sim.positions.get(o["symbol"])
                filled = o["filled_qty"]
                before = prev[1] if prev else "0"
                data.update(timestamp=o["updated_at"], price=o["filled_avg_price"],
                            qty=str(_dec(filled) - _dec(before)),
                            position_qty=str(p["qty"]) if p else "0")
            elif event in ("canceled", "expired", "replaced", "rejected"):
                data["timestamp"] = o["updated_at"]
            self.events.append({"stream": "trade_updates", "data": data})
        self.cv.notify_all()

    def start_ticker(self):
        """Advance the market while any stream is open (the caller holds the lock)."""
        if self.ticker is not None:
            return
        def tick():
            while True:
                time.sleep(0.005)
                with self.sim.lock:
                    if self.open == 0:
                        self.ticker = None
                        return
                    self.sim.advance()
                    self.emit()
        self.ticker = threading.Thread(target=tick, daemon=True)
        self.ticker.start()


def _dec(s):
    return Decimal(s or "0")


# ------------------------------------------------------------ WebSocket
def serve_websocket(handler, sim):
    """GET /stream with Upgrade: websocket: trade_updates until the client or a test cuts it."""
    sock = websocket.accept(handler)
    if sock is None:
        return None
    st = sim.streams

    def send(msg):
        raw = msg.get("_raw")
        sock.sendall(frame(0x2, raw.encode() if raw is not None else json.dumps(msg).encode()))

    authorized = False
    cursor = None                 # listening from here
    sent = 0
    conn_id = None                # set once listening
    with sim.lock:
        st.open += 1
        generation = st.generation
        st.start_ticker()
    try:
        while True:
            with sim.lock:
                if st.generation != generation:
                    return        # cut, as a network would: no close frame
                stalled = conn_id is not None and conn_id <= st.stalled_upto
            if stalled:
                # what the client sends is dropped unanswered; only its close ends it
                r, _, _ = select.select([sock], [], [], 0.01)
                if r and not sock.recv(65536):
                    return
                continue
            with sim.lock:
                if cursor is not None:
                    out = st.events[cursor:]
                    cursor = len(st.events)
                    lost = min(st.lose, len(out))
                    st.lose -= lost
                    out = out[lost:]
                    if st.lose_for:
                        out = [m for m in out
                               if (m.get("data") or {}).get("order", {}).get("client_order_id") not in st.lose_for]
                else:
                    out = []
                # read with the events: a test that sets it after reading an
                # event must not cut the connection that event came on
                drop_every = st.drop_every
            for msg in out:
                send(msg)
                sent += 1
                if drop_every and sent % drop_every == 0:
                    return
            r, _, _ = select.select([sock], [], [], 0.002)
            if not r:
                continue
            opcode, data = read_frame(sock)
            if opcode == 0x8:
                sock.sendall(frame(0x8, data[:2]))
                return
            if opcode == 0x9:
                sock.sendall(frame(0xA, data))
                continue
            if opcode not in (0x1, 0x2):
                continue
            try:
                msg = json.loads(data)
                action = msg["action"]
                payload = msg.get("data") or {}
            except (ValueError, KeyError, TypeError):
                send({"stream": "error", "data": {"error_message": "invalid syntax"}})
                continue
            if action == "authenticate":
                authorized = (payload.get("key_id") == sim.key_id and payload.get("secret_key") == sim.secret_key)
                send({"stream": "authorization",
                      "data": {"status": "authorized" if authorized else "unauthorized", "action": "authenticate"}})
            elif action == "listen":
                if not authorized:
                    send({"stream": "authorization", "data": {"status": "unauthorized", "action": "listen"}})
                    continue
                streams = [s for s in payload.get("streams") or [] if s == "trade_updates"]
                with sim.lock:
                    if streams and cursor is None:
                        st.connections += 1
                        conn_id = st.connections
                        cursor = max(0, len(st.events) - st.replay)
                        st.replay = 0
                    elif not streams:
                        cursor = None
                send({"stream": "listening", "data": {"streams": streams}})
            else:
                send({"stream": "error", "data": {"error_message": "unrecognized action"}})
    except (ConnectionError, OSError):
        return
    finally:
        with sim.lock:
            st.open -= 1
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


# ------------------------------------------------------ activity events
def serve_live_events(handler, sim, query, history):
    """The history, then each new activity event as it happens, until cut."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.send_header("Cache-Control", "no-cache")
    handler.send_header("Connection", "close")
    handler.send_rate_headers()
    handler.end_headers()
    handler.close_connection = True
    st = sim.streams
    if query.get("since") or query.get("since_id"):
        last = history[-1]["event_id"] if history else None
    else:
        # no history asked for: only what happens from now on
        with sim.lock:
            now = sim.activity_events({})
        last = now[-1]["event_id"] if now else "0"
    seen_count = None
    beat = time.monotonic()
    with sim.lock:
        st.open += 1
        generation = st.generation
        st.start_ticker()
    try:
        handler.wfile.write("".join("data: %s\n\n" % json.dumps(e) for e in history).encode())
        handler.wfile.flush()
        while True:
            # the client went away: a read of a closed connection gives nothing
            r, _, _ = select.select([handler.connection], [], [], 0.005)
            if r and not handler.connection.recv(1, socket.MSG_PEEK):
                return
            with sim.lock:
                if st.generation != generation:
                    return
                out = []
                if len(sim.activities) != seen_count:
                    seen_count = len(sim.activities)
                    q = dict(query)
                    if last:
                        q.pop("since", None)
                        q["since_id"] = last if last != "0" else "00000000000000000000000000"
                    out = [e for e in sim.activity_events(q) if last is None or e["event_id"] > last]
            if out:
                last = out[-1]["event_id"]
                handler.wfile.write("".join("data: %s\n\n" % json.dumps(e) for e in out).encode())
                handler.wfile.flush()
            elif time.monotonic() - beat > 5:
                handler.wfile.write(b": heartbeat\n\n")
                handler.wfile.flush()
                beat = time.monotonic()
    except OSError:
        return
    finally:
        with sim.lock:
            st.open -= 1
        try:
            handler.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
