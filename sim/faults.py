"""Misbehaviour on the wire, armed by POST /_sim/faults for the next requests.

A fault matches by method and a path pattern (a regular expression), for
`times` requests (default 1).  It may delay (delay_ms before, delay_after_ms
after the request is handled), drop the connection (drop: "before" or
"after"), or answer in its place, before or (with "after": true) after the
request took effect: status, body (JSON), raw (text), raw_b64 (bytes),
generate (head + item repeated count times with sep + tail), content_type,
headers, chunked, truncate (send only that many bytes of a longer declared
body, then close), chunk_delay_ms, garble (not HTTP at all), and echo_keys
(replace {key_id} and {secret_key} everywhere with the keys the request
carried: an upstream that leaks them back).
"""

import base64
import json
import re

from values import E_INTERNAL


def take(sim, method, path):
    """The first armed fault for this request, counted down (and disarmed when spent)."""
    with sim.lock:
        for f in sim.faults:
            if f.get("method", method) == method and re.fullmatch(f.get("path", ".*"), path):
                f["times"] -= 1
                if f["times"] <= 0:
                    sim.faults.remove(f)
                return f
    return None


def answers(fault):
    """Does this fault replace the answer (rather than only delay or drop)?"""
    return any(k in fault for k in ("status", "body", "raw", "raw_b64", "generate", "garble"))


def send(handler, f):
    """Answer as the fault says, however broken that is."""
    keys = (handler.headers.get("APCA-API-KEY-ID") or "", handler.headers.get("APCA-API-SECRET-KEY") or "")

    def echo(text):
        if f.get("echo_keys"):
            return text.replace("{key_id}", keys[0]).replace("{secret_key}", keys[1])
        return text

    if f.get("garble"):
        handler.close_connection = True
        handler.wfile.write(echo(f["garble"] if isinstance(f["garble"], str) else "SPDY/9 banana\r\n\r\n").encode())
        handler.wfile.flush()
        return handler.drop()
    if "generate" in f:
        g = f["generate"]
        item = echo(g["item"]).encode()
        data = (echo(g.get("head", "")).encode() + echo(g.get("sep", ",")).encode().join([item] * int(g["count"]))
                + echo(g.get("tail", "")).encode())
    elif "raw_b64" in f:
        data = base64.b64decode(f["raw_b64"])
    elif "raw" in f:
        data = echo(f["raw"]).encode("utf-8")
    else:
        data = echo(json.dumps(f.get("body", {"code": E_INTERNAL, "message": "internal server error"}))).encode()
    handler.send_response(f.get("status", 200))
    handler.send_header("Content-Type", f.get("content_type", "application/json; charset=UTF-8"))
    for k, v in f.get("headers", {}).items():
        handler.send_header(k, echo(str(v)))
    if f.get("chunked"):
        handler.send_header("Transfer-Encoding", "chunked")
    else:
        handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    if "truncate" in f:
        data = data[:int(f["truncate"])]
        handler.close_connection = True
    step = 65536
    for i in range(0, len(data), step):
        part = data[i:i + step]
        if f.get("chunked"):
            part = b"%x\r\n%s\r\n" % (len(part), part)
        try:
            handler.wfile.write(part)
        except OSError:
            return handler.drop()
        if f.get("chunk_delay_ms"):
            import time
            time.sleep(f["chunk_delay_ms"] / 1000.0)
    if f.get("chunked"):
        handler.wfile.write(b"0\r\n\r\n")
    if "truncate" in f:
        handler.wfile.flush()
        return handler.drop()
