"""Tokenization: a mint converts held shares at once (completed), or is
rejected when the account holds too few."""

import uuid
from decimal import Decimal

from values import D, bad, iso, one_of, s


class TokenizationDesk:
    def __init__(self, broker):
        self.b = broker

    def r_mint(self, body):
        for f in ("underlying_symbol", "qty", "issuer", "network", "wallet_address"):
            if not body.get(f):
                raise bad("%s is required" % f)
        one_of(body["issuer"], ("xstocks", "st0x"), "issuer")
        one_of(body["network"], ("solana", "arbitrum", "ethereum", "binance", "base", "ton", "tron", "mantle"), "network")
        qty = D(body["qty"], "qty")
        sym = body["underlying_symbol"].upper()
        held = self.b.book.positions.get(sym, {"qty": Decimal(0)})["qty"]
        now = iso(self.b.now())
        r = {"tokenization_request_id": str(uuid.uuid4()), "type": "mint", "underlying_symbol": sym,
             "token_symbol": sym + "x", "qty": s(qty), "issuer": body["issuer"], "network": body["network"],
             "wallet_address": body["wallet_address"], "created_at": now, "updated_at": now,
             "status": "completed" if 0 < qty <= held else "rejected", "fees": "0"}
        self.b.book.tokenization.append(r)
        return {k: r[k] for k in ("tokenization_request_id", "underlying_symbol", "token_symbol", "qty", "issuer",
                                  "network", "created_at", "status")}

    def r_requests(self, q):
        return [r for r in reversed(self.b.book.tokenization)
                if all(not q.get(f) or r[f] == q[f] for f in ("type", "status", "underlying_symbol", "issuer", "network"))]
