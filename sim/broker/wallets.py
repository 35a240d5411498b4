"""Crypto funding: wallets, withdrawals to whitelisted addresses, fees; and
the crypto perpetuals account (collateral in a USDC wallet, a leverage per
underlying, withdrawals to its own whitelist).  Whitelisted addresses are
approved on the next request."""

import uuid
from decimal import Decimal

from broker.state import PERP_WALLET
from values import (E_FORBIDDEN, EMPTY_OK, NS, ApiError, D, bad, by_id, iso, money, need, one_of, s,
                    uuid_arg)

WALLET_CHAINS = {"BTC": "BTC", "ETH": "ETH", "USDC": "ETH", "SOL": "SOL"}
CHAINS = ("SOL", "ETH", "BTC", "XRP", "ARB")


def _required(body, fields):
    for f in fields:
        if not body.get(f):
            raise bad("%s is required" % f)


class WalletDesk:
    def __init__(self, broker):
        self.b = broker

    def wallet(self, asset):
        chain = WALLET_CHAINS.get(asset.upper())
        if chain is None:
            raise bad("unsupported asset: %s" % asset)
        return {"chain": chain, "address": "sim-%s-%s" % (chain.lower(), uuid.uuid5(NS, asset.upper()).hex[:24]),
                "created_at": iso(self.b.book.created), "asset": asset.upper()}

    def r_wallets(self, q):
        if q.get("network"):
            one_of(q["network"], ("ethereum", "solana"), "network")
        if q.get("asset"):
            return self.wallet(q["asset"])
        return [self.wallet(a) for a in ("BTC", "ETH", "USDC")]

    def r_transfers(self):
        return list(reversed(self.b.book.transfers))

    def r_transfer(self, i):
        return by_id(self.b.book.transfers, i, "transfer")

    def r_withdraw(self, body):
        b = self.b
        book = b.book
        _required(body, ("amount", "address", "asset"))
        amount = D(body["amount"], "amount")
        if amount <= 0:
            raise bad("amount must be > 0")
        asset = body["asset"].upper()
        chain = body.get("chain") or WALLET_CHAINS.get(asset)
        if chain is None:
            raise bad("unsupported asset: %s" % asset)
        one_of(chain, CHAINS, "chain")
        w = next((x for x in book.whitelists if x["address"] == body["address"] and x["asset"] == asset), None)
        if w is None or w["status"] != "APPROVED":
            raise ApiError(403, E_FORBIDDEN, "address is not whitelisted")
        held = book.positions.get(asset + "/USD", {"qty": Decimal(0)})["qty"]
        fee = Decimal("0.0001") if asset == "BTC" else Decimal("0.001")
        if amount + fee > held:
            raise ApiError(403, E_FORBIDDEN, "insufficient balance for withdrawal (requested: %s, available: %s)"
                           % (s(amount + fee), s(held)))
        p = book.positions[asset + "/USD"]
        avg = p["cost"] / p["qty"]
        p["qty"] -= amount + fee
        b.account.book_change(b.now(), asset + "/USD", -(amount + fee), Decimal(0))
        p["cost"] = avg * p["qty"]
        if p["qty"] == 0:
            del book.positions[asset + "/USD"]
        t = {"id": str(uuid.uuid4()), "direction": "OUTGOING", "status": "PROCESSING",
             "amount": s(amount), "usd_value": money(amount * b.price(asset + "/USD")),
             "network_fee": s(fee), "fees": "0", "chain": chain, "asset": asset,
             "from_address": self.wallet(asset)["address"], "to_address": body["address"],
             "created_at": iso(b.now())}
        book.transfers.append(t)
        return t

    def r_whitelists(self):
        return list(self.b.book.whitelists)

    def r_whitelist(self, body):
        book = self.b.book
        _required(body, ("address", "asset"))
        asset = body["asset"].upper()
        chain = body.get("chain") or WALLET_CHAINS.get(asset)
        if chain is None:
            raise bad("unsupported asset: %s" % asset)
        one_of(chain, CHAINS, "chain")
        if any(x["address"] == body["address"] and x["asset"] == asset for x in book.whitelists):
            raise bad("address is already whitelisted for %s" % asset)
        w = {"id": str(uuid.uuid4()), "chain": chain, "asset": asset, "address": body["address"],
             "status": "PENDING", "created_at": iso(self.b.now())}
        book.whitelists.append(w)
        return dict(w)

    @staticmethod
    def r_unwhitelist(listed, i):
        listed.remove(by_id(listed, i, "whitelisted address"))
        return EMPTY_OK

    @staticmethod
    def r_fee(q):
        asset = need(q, "asset").upper()
        if asset not in WALLET_CHAINS:
            raise bad("unsupported asset: %s" % asset)
        if q.get("amount"):
            D(q["amount"], "amount")
        return {"fee": "0", "network_fee": "0.0001" if asset == "BTC" else "0.001"}


class PerpetualsDesk:
    def __init__(self, broker):
        self.b = broker

    def r_vitals(self):
        total = sum(Decimal(t["amount"]) for t in self.b.book.perp_transfers if t["direction"] == "INCOMING")
        return {"total_collateral": int(total), "collateral_balance": int(total), "profit_loss": 0,
                "maintenance_margin": 0.05}

    def r_leverage(self, q):
        sym = need(q, "symbol").upper()
        return {"symbol": sym, "leverage": self.b.book.leverage.get(sym, 1)}

    def r_set_leverage(self, q):
        sym = need(q, "symbol").upper()
        try:
            lev = int(need(q, "leverage"))
        except ValueError:
            raise bad("invalid leverage", 400)
        if not 1 <= lev <= 50:
            raise bad("leverage must be between 1 and 50", 400)
        self.b.book.leverage[sym] = lev
        return {"symbol": sym, "leverage": lev}

    def r_wallet(self):
        return {"chain": "ARB", "address": PERP_WALLET, "created_at": iso(self.b.book.created)}

    def r_transfers(self):
        return list(reversed(self.b.book.perp_transfers))

    def r_transfer_new(self, body):
        book = self.b.book
        _required(body, ("amount", "address", "asset"))
        amount = D(body["amount"], "amount")
        w = next((x for x in book.perp_whitelists if x["address"] == body["address"]), None)
        if w is None or w["status"] != "APPROVED":
            raise ApiError(403, E_FORBIDDEN, "address is not whitelisted")
        have = sum(Decimal(t["amount"]) * (1 if t["direction"] == "INCOMING" else -1) for t in book.perp_transfers)
        if amount <= 0 or amount > have:
            raise ApiError(403, E_FORBIDDEN, "insufficient collateral for withdrawal (requested: %s, available: %s)"
                           % (s(amount), s(have)))
        t = {"id": str(uuid.uuid4()), "direction": "OUTGOING", "status": "PROCESSING", "amount": s(amount),
             "usd_value": s(amount), "network_fee": "0.5", "fees": "0", "chain": body.get("chain") or "ARB",
             "asset": body["asset"].upper(), "from_address": PERP_WALLET,
             "to_address": body["address"], "created_at": iso(self.b.now())}
        book.perp_transfers.append(t)
        return t

    def r_transfer(self, i):
        return by_id(self.b.book.perp_transfers, uuid_arg(i), "transfer")

    def r_whitelists(self):
        return list(self.b.book.perp_whitelists)

    def r_whitelist(self, body):
        _required(body, ("address", "asset"))
        w = {"id": str(uuid.uuid4()), "chain": "ARB", "asset": body["asset"].upper(), "address": body["address"],
             "status": "PENDING", "created_at": iso(self.b.now())}
        self.b.book.perp_whitelists.append(w)
        return dict(w)
