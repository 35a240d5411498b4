"""The paper account's state: everything a reset starts afresh and --state keeps.

Plain data only (dicts, lists, Decimals), so it pickles; the broker's desks
read and change it.
"""

import datetime as dt
import uuid
from decimal import Decimal

from values import NS, UTC, iso

KEYS = ("account_id", "created", "cash", "assets", "synth", "synth_contracts", "ledger", "orders", "positions",
        "activities", "watchlists", "dne", "acct_config", "whitelists", "transfers", "locates", "leverage",
        "perp_whitelists", "perp_transfers", "tokenization")

PERP_WALLET = "0x" + uuid.uuid5(NS, "perp").hex + "00000000"


# the account's id unless --account-id gives another (a second account, on other keys)
ACCOUNT_ID = str(uuid.uuid5(NS, "account"))


class Book:
    def __init__(self, account_id=None):
        self.account_id = account_id or ACCOUNT_ID
        self.created = dt.datetime(2024, 1, 2, 15, 0, tzinfo=UTC)
        self.cash = Decimal("100000")
        self.assets = {}          # symbol -> asset: the listed universe
        self.synth = {}           # symbols synthesized on first use
        self.synth_contracts = {}
        self.ledger = []          # (epoch seconds, symbol or None, qty change, cash change): replayed by history
        self.orders = []          # newest last
        self.positions = {}       # symbol -> {"qty", "cost", "lastday"}
        self.activities = []
        self.watchlists = []
        self.dne = set()
        self.acct_config = {"dtbp_check": "entry", "trade_confirm_email": "all",
                            "suspend_trade": False, "no_shorting": False,
                            "fractional_trading": True, "max_margin_multiplier": "4",
                            "max_options_trading_level": 3, "pdt_check": "entry",
                            "ptp_no_exception_entry": False, "disable_overnight_trading": False}
        self.whitelists = []
        self.transfers = []
        self.locates = []
        self.leverage = {}
        self.perp_whitelists = []
        # the perpetuals wallet starts with one deposit of collateral
        self.perp_transfers = [{"id": str(uuid.uuid5(NS, "perp-deposit")), "direction": "INCOMING",
                                "status": "COMPLETE", "amount": "10000", "usd_value": "10000",
                                "network_fee": "0", "fees": "0", "chain": "ARB", "asset": "USDC",
                                "from_address": "0x" + "ab" * 20, "to_address": PERP_WALLET,
                                "tx_hash": "0x" + "cd" * 32, "created_at": iso(self.created)}]
        self.tokenization = []

    def export(self):
        return {k: getattr(self, k) for k in KEYS}

    def restore(self, state):
        for k, v in state.items():
            if k in KEYS:
                setattr(self, k, v)
