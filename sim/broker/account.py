"""The account: balances from cash and positions, its configuration, and its
portfolio history replayed from the ledger of every change."""

import datetime as dt
import re
from decimal import Decimal

from broker.orders import OPEN_STATES
from market.calendar import Calendar
from values import NY, bad, iso, money, one_of, parse_time


class AccountDesk:
    def __init__(self, broker):
        self.b = broker

    def book_change(self, t, sym, qty, cash):
        """One change of a holding or of cash, for history to replay."""
        self.b.book.ledger.append((t.timestamp(), sym, qty, cash))

    def last_close(self, t=None):
        """The most recent market close before t (default now)."""
        return Calendar.last_close(t or self.b.now())

    def equity_at(self, t):
        """Cash and holdings as they stood at t, valued at the prices of t."""
        b = self.b
        cash, held, ts = Decimal("100000"), {}, t.timestamp()
        for at, sym, qty, dcash in b.book.ledger:   # in booking order, which a test's clock may reorder
            if at > ts:
                continue
            cash += dcash
            if sym:
                held[sym] = held.get(sym, Decimal(0)) + qty
        value = cash
        for sym, qty in held.items():
            if qty:
                a = b.assets.resolve(sym)
                value += qty * b.price_at(sym, t) * b.multiplier(a)
        return value

    def reserved(self):
        b = self.b
        total = Decimal(0)
        for o in b.book.orders:
            if o["status"] in OPEN_STATES and o["side"] == "buy" and not o.get("_leg"):
                a = b.assets.resolve(o["symbol"])
                px = Decimal(o["limit_price"]) if o.get("limit_price") else b.price(o["symbol"])
                if o.get("notional"):
                    total += Decimal(o["notional"])
                else:
                    total += (Decimal(o["qty"]) - Decimal(o["filled_qty"])) * px * b.multiplier(a)
        return total

    def account(self):
        b = self.b
        book = b.book
        long_mv, short_mv = b.positions.values()
        equity = book.cash + long_mv + short_mv
        reserved = self.reserved()
        bp = max(Decimal(0), 2 * equity - long_mv + short_mv - reserved)
        return {"id": book.account_id, "account_number": "PA3SIM0001", "status": "ACTIVE",
                "crypto_status": "ACTIVE", "currency": "USD", "cash": money(book.cash),
                "buying_power": money(bp), "regt_buying_power": money(bp),
                "daytrading_buying_power": money(max(Decimal(0), 4 * equity - long_mv + short_mv)),
                "non_marginable_buying_power": money(max(Decimal(0), book.cash - reserved)),
                "options_buying_power": money(max(Decimal(0), book.cash - reserved)),
                "effective_buying_power": money(bp),
                "equity": money(equity), "last_equity": money(self.equity_at(self.last_close())),
                "portfolio_value": money(equity),
                "long_market_value": money(long_mv), "short_market_value": money(short_mv),
                "initial_margin": money(long_mv / 2 - short_mv / 2),
                "maintenance_margin": money(long_mv * Decimal("0.3") - short_mv * Decimal("0.3")),
                "last_maintenance_margin": "0", "sma": "0", "multiplier": "2",
                "daytrade_count": 0, "pattern_day_trader": False, "trading_blocked": False,
                "transfers_blocked": False, "account_blocked": False,
                "trade_suspended_by_user": book.acct_config["suspend_trade"],
                "shorting_enabled": not book.acct_config["no_shorting"],
                "options_approved_level": 3, "options_trading_level": 3,
                "accrued_fees": "0", "pending_transfer_in": "0", "pending_transfer_out": "0",
                "pending_reg_taf_fees": "0", "intraday_adjustments": "0",
                "balance_asof": (b.now().astimezone(NY).date() - dt.timedelta(days=1)).isoformat(),
                "created_at": iso(book.created)}

    def patch_config(self, body):
        book = self.b.book
        cfg = dict(book.acct_config)
        kinds = {"dtbp_check": ("both", "entry", "exit"), "pdt_check": ("both", "entry", "exit"),
                 "trade_confirm_email": ("all", "none"), "max_options_trading_level": (0, 1, 2, 3)}
        for k, v in body.items():
            if k not in cfg:
                raise bad("unknown configuration: %s" % k, 400)
            if k in kinds:
                if v not in kinds[k]:
                    raise bad("invalid %s: %s" % (k, v))
            elif k == "max_margin_multiplier":
                if str(v) not in ("1", "2", "4"):
                    raise bad("invalid max_margin_multiplier: %s" % v)
                v = str(v)
            elif not isinstance(v, bool):
                raise bad("invalid %s: %s" % (k, v))
            cfg[k] = v
        book.acct_config = cfg
        return cfg

    # ------------------------------------------------------- portfolio history
    def history(self, q):
        now = self.b.now()
        period = q.get("period")
        timeframe = q.get("timeframe")
        if period is not None and not re.fullmatch(r"[1-9]\d*[DWMA]", period):
            raise bad("invalid period: %s" % period, 400)
        if timeframe is not None and timeframe not in ("1Min", "5Min", "15Min", "1H", "1D"):
            raise bad("invalid timeframe: %s" % timeframe, 400)
        ir = q.get("intraday_reporting", "market_hours")
        one_of(ir, ("market_hours", "extended_hours", "continuous"), "intraday_reporting")
        pnl_reset = q.get("pnl_reset", "per_day")
        one_of(pnl_reset, ("no_reset", "per_day"), "pnl_reset")
        start = parse_time(q["start"], "start") if "start" in q else None
        end = parse_time(q["end"], "end") if "end" in q else now
        if start and period and "end" in q:
            raise bad("only two of start, end and period can be specified", 400)
        days = {"D": 1, "W": 7, "M": 30, "A": 365}
        if start is None:
            p = period or "1M"
            span = dt.timedelta(days=int(p[:-1]) * days[p[-1]])
            start = end - span
        elif period:
            p = period
            end = start + dt.timedelta(days=int(p[:-1]) * days[p[-1]])
        if start >= end:
            raise bad("start must be before end", 400)
        span_days = (end - start).total_seconds() / 86400
        if timeframe is None:
            timeframe = "1Min" if span_days < 7 else "15Min" if span_days < 30 else "1D"
        step = {"1Min": 60, "5Min": 300, "15Min": 900, "1H": 3600, "1D": 86400}[timeframe]
        if step < 86400 and span_days > 30:
            raise bad("intraday timeframes are limited to 30 days", 400)
        points = self._points(start, end, timeframe, step, ir)
        # replayed from the ledger of fills at the prices of each point;
        # a daily point is the day's close
        base = self.equity_at(start).quantize(Decimal("0.01"))
        ts, eq, pl, plpc = [], [], [], []
        for at in points:
            when = Calendar.hours(at.astimezone(NY).date())[1] if timeframe == "1D" else at
            if at > now:
                break
            e = self.equity_at(min(when, now)).quantize(Decimal("0.01"))
            ts.append(int(at.timestamp()))
            eq.append(float(e))
            pl.append(float((e - base).quantize(Decimal("0.01"))))
            plpc.append(float(((e - base) / base).quantize(Decimal("1e-6"))) if base else 0.0)
        return {"timestamp": ts, "equity": eq, "profit_loss": pl, "profit_loss_pct": plpc,
                "base_value": float(base), "base_value_asof": (start.astimezone(NY).date()).isoformat(),
                "timeframe": timeframe, "cashflow": {}}

    @staticmethod
    def _points(start, end, timeframe, step, ir):
        points = []
        if timeframe == "1D":
            d = start.astimezone(NY).date()
            while d <= end.astimezone(NY).date():
                if Calendar.is_trading_day(d):
                    points.append(dt.datetime.combine(d, dt.time(), NY))
                d += dt.timedelta(days=1)
            return points
        t = int(start.timestamp()) // step * step
        while t <= end.timestamp():
            at = dt.datetime.fromtimestamp(t, dt.timezone.utc)
            local = at.astimezone(NY)
            ok = Calendar.is_trading_day(local.date())
            if ir == "market_hours" and ok:
                o, c = Calendar.hours(local.date())
                ok = o <= local < c
            elif ir == "extended_hours" and ok:
                ok = dt.time(4) <= local.time() < dt.time(20)
            if ok or ir == "continuous":
                points.append(at)
            t += step
        return points
