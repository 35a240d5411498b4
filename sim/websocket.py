"""RFC 6455 as far as the simulator's streams need it: the upgrade, frames both ways."""

import base64
import hashlib
import struct

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TEXT, BINARY, CLOSE, PING, PONG = 0x1, 0x2, 0x8, 0x9, 0xA


def _recv_exact(sock, n):
    buf = b""
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("closed")
        buf += chunk
    return buf


def read_frame(sock):
    """One frame from the client: (opcode, payload).  Clients must mask."""
    b0, b1 = _recv_exact(sock, 2)
    opcode = b0 & 0x0F
    n = b1 & 0x7F
    if n == 126:
        n = struct.unpack(">H", _recv_exact(sock, 2))[0]
    elif n == 127:
        n = struct.unpack(">Q", _recv_exact(sock, 8))[0]
    if not b1 & 0x80:
        raise ConnectionError("unmasked client frame")
    mask = _recv_exact(sock, 4)
    data = bytes(c ^ mask[i % 4] for i, c in enumerate(_recv_exact(sock, n)))
    return opcode, data


def frame(opcode, payload):
    n = len(payload)
    if n < 126:
        head = struct.pack(">BB", 0x80 | opcode, n)
    elif n < 65536:
        head = struct.pack(">BBH", 0x80 | opcode, 126, n)
    else:
        head = struct.pack(">BBQ", 0x80 | opcode, 127, n)
    return head + payload


def is_upgrade(handler):
    return handler.headers.get("Upgrade", "").lower() == "websocket"


def accept(handler):
    """Answer the upgrade (101) and return the socket, or answer 400 and return None."""
    key = handler.headers.get("Sec-WebSocket-Key")
    if not is_upgrade(handler) or not key or handler.headers.get("Sec-WebSocket-Version") != "13":
        handler.send_json(400, {"code": 40010000, "message": "websocket upgrade required"})
        return None
    digest = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    handler.send_response(101, "Switching Protocols")
    handler.send_header("Upgrade", "websocket")
    handler.send_header("Connection", "Upgrade")
    handler.send_header("Sec-WebSocket-Accept", digest)
    handler.end_headers()
    handler.wfile.flush()
    handler.close_connection = True
    return handler.connection
