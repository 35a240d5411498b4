"""The simulator on HTTP: the request handler, the server, and main.

Each request is routed to a stream (trade_updates at /stream, the market
data streams), to the control plane (/_sim/*), or to the APIs; an API
request is counted, may meet an armed fault, is authorized by its
APCA-API-KEY-ID and APCA-API-SECRET-KEY headers, is counted against the
account's rate limit, and is answered with Alpaca's status codes and
bodies.
"""

import argparse
import json
import os
import socket
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import faults
import market_streams
import streams
import websocket
from simulator import Sim
from values import (E_FORBIDDEN, E_INTERNAL, E_INVALID, E_RATE_LIMIT, E_UNAUTHORIZED, EMPTY_OK, NO_CONTENT,
                    ApiError, Binary, Created, EventStream, LiveEvents, MultiStatus, dumps)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "AlpacaSim/1.0"
    # headers and body go out in two writes; with Nagle on, the second waits
    # for the client's delayed ACK and every call costs 40 ms
    disable_nagle_algorithm = True

    def log_message(self, fmt, *args):
        if self.server.verbose:
            sys.stderr.write("sim: " + fmt % args + "\n")

    def do_GET(self):
        self.dispatch()

    do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

    # ---------------------------------------------------------- answers
    def send_rate_headers(self):
        for k, v in self.rate_headers.items():
            self.send_header(k, v)

    def send_json(self, status, payload):
        data = b"" if payload is None else dumps(payload).encode()
        self.send_response(status)
        if payload is not None:
            self.send_header("Content-Type", "application/json; charset=UTF-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_rate_headers()
        self.end_headers()
        self.wfile.write(data)

    def send_bytes(self, status, data, content_type):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_rate_headers()
        self.end_headers()
        self.wfile.write(data)

    def send_events(self, text):
        self.send_bytes(200, text.encode(), "text/event-stream")

    def answer(self, sim, result):
        if result is NO_CONTENT:
            return self.send_json(204, None)
        if result is EMPTY_OK or result is None:
            return self.send_json(200, None)
        if isinstance(result, MultiStatus):
            return self.send_json(207, list(result))
        if isinstance(result, Created):
            return self.send_json(201, dict(result))
        if isinstance(result, EventStream):
            return self.send_events(result)
        if isinstance(result, LiveEvents):
            return streams.serve_live_events(self, sim, result.query, result.history)
        if isinstance(result, Binary):
            return self.send_bytes(200, result.data, result.content_type)
        return self.send_json(200, result)

    # ---------------------------------------------------------- requests
    def dispatch(self):
        sim = self.server.sim
        self.rate_headers = {}
        self.api = None
        url = urlsplit(self.path)
        path = url.path
        query = {k: v[-1] for k, v in parse_qs(url.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            return self.send_json(400, {"code": E_INVALID, "message": "request body format is invalid"})
        try:
            if path == "/stream" and self.command == "GET":
                return streams.serve_websocket(self, sim)
            if self.command == "GET" and websocket.is_upgrade(self) and market_streams.family_of(path):
                return market_streams.serve(self, sim, path)
            if path.startswith("/_sim/"):
                answer = sim.control(self.command, path, body)
                with sim.lock:
                    sim.save_state()
                return self.send_json(200, answer)
            return self.api_request(sim, path, query, body)
        except ApiError as e:
            # the Market Data API's errors are {"message"}; the broker's checks it shares speak that way there
            body = e.body()
            if getattr(self, "api", None) == "data" and e.status != 429:
                body = {"message": e.message}
            return self.send_json(e.status, body)
        except Exception as e:  # a simulator bug must still look like Alpaca's 500
            sys.stderr.write("sim: internal error: %r\n" % (e,))
            return self.send_json(500, {"code": E_INTERNAL, "message": "internal server error"})

    def api_request(self, sim, path, query, body):
        with sim.lock:
            sim.requests += 1   # every request that reached the API, answered or not
            sim.by_method[self.command] = sim.by_method.get(self.command, 0) + 1
            sim.request_times.append(time.monotonic())
            sim.last_request = {"method": self.command, "path": path,
                                "user_agent": self.headers.get("User-Agent")}
        fault = faults.take(sim, self.command, path)
        if fault and fault.get("delay_ms"):
            time.sleep(fault["delay_ms"] / 1000.0)
        if fault and fault.get("drop") == "before":
            return self.drop()
        if fault and not fault.get("after") and faults.answers(fault):
            return faults.send(self, fault)
        auth = self.authorize(sim)
        if auth:
            return self.send_json(*auth)
        api = self.api = sim.api_of(path)
        allowed, self.rate_headers, wait = sim.budgets.take(api)
        if not allowed:
            if sim.config.get("retry_after"):
                self.rate_headers["Retry-After"] = str(wait)
            return self.send_json(429, {"code": E_RATE_LIMIT, "message": "rate limit exceeded"} if api == "trading"
                                  else {"message": "too many requests."})
        with sim.lock:
            limit = sim.config.get("rate_limit")
            if limit is not None:
                if limit <= 0:
                    return self.send_json(429, {"code": E_RATE_LIMIT, "message": "rate limit exceeded"})
                sim.config["rate_limit"] = limit - 1
        result = sim.handle(self.command, path, query, body)
        if fault and fault.get("delay_after_ms"):   # done, but slow to say so
            time.sleep(fault["delay_after_ms"] / 1000.0)
        if fault and fault.get("drop") == "after":
            return self.drop()
        if fault and fault.get("after") and faults.answers(fault):
            return faults.send(self, fault)
        if self.command != "GET":
            with sim.lock:
                sim.save_state()
        return self.answer(sim, result)

    def authorize(self, sim):
        key = self.headers.get("APCA-API-KEY-ID")
        secret = self.headers.get("APCA-API-SECRET-KEY")
        if not key or not secret or key != sim.key_id:
            return 401, {"code": E_UNAUTHORIZED, "message": "request is not authorized"}
        if secret != sim.secret_key:
            return 403, {"code": E_FORBIDDEN, "message": "forbidden."}
        return None

    def drop(self):
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(description="A stateful Alpaca paper-trading simulator"):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=int(os.environ.get("ALPACA_SIM_PORT", "0")))
    ap.add_argument("--port-file", help="write the bound port here once listening")
    ap.add_argument("--key-id", default=os.environ.get("ALPACA_SIM_KEY_ID", "PKSIMULATOR0000000001"))
    ap.add_argument("--secret-key", default=os.environ.get("ALPACA_SIM_SECRET_KEY", "sim-secret-0000000000000000000000000000"))
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--seed", type=int, default=1, help="the random walk's seed (default 1)")
    ap.add_argument("--market", choices=("auto", "open", "closed"), default="auto",
                    help="auto: the NYSE calendar (the default); open or closed: pinned, as tests want it")
    ap.add_argument("--static-prices", action="store_true",
                    help="prices move only through /_sim/prices (tests); by default they walk")
    ap.add_argument("--assets", type=int, default=0, metavar="N",
                    help="also list N synthesized assets in /v2/assets (Alpaca lists about 30,000)")
    ap.add_argument("--state", metavar="FILE", help="keep the paper account in FILE across restarts")
    ap.add_argument("--account-id", metavar="UUID", type=lambda v: str(uuid.UUID(v)),
                    help="the account's id (default: one fixed id); a second simulator on other keys is another account")
    args = ap.parse_args()
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        sys.exit("the simulator listens on loopback only")
    srv = Server((args.host, args.port), Handler)
    srv.sim = Sim(args.key_id, args.secret_key, seed=args.seed, market=args.market,
                  walk=not args.static_prices, universe=args.assets, state_file=args.state,
                  account_id=args.account_id)
    srv.verbose = args.verbose
    port = srv.server_address[1]
    if args.port_file:
        tmp = args.port_file + ".tmp"
        with open(tmp, "w") as f:
            f.write("%d\n" % port)
        os.replace(tmp, args.port_file)
    sys.stderr.write("alpaca simulator listening on http://%s:%d\n" % (args.host, port))
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
