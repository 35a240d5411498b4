"""The Market Data API's stock endpoints (/v2/stocks/...).

Bars, trades, quotes and auctions over a time range, several symbols at
once or one; the latest trade, quote and bar; snapshots.  Stocks trade in
the NYSE's core sessions only: no bar, trade or quote falls on a weekend,
a holiday or after an early close.
"""

import datetime as dt

from data import format as fmt
from data import history, live, params
from data.series import minute_of, ns_of, page
from market.calendar import Calendar
from market.tape import MINUTE_NS
from values import NY, ApiError, iso_ns

DELAY = dt.timedelta(minutes=15)


class Stocks:
    def __init__(self, sim):
        self.sim = sim

    # ------------------------------------------------------------ helpers
    def _answer(self, key, rows, tok, cur, single=None):
        out = {key: rows.get(single, []) if single else rows, "next_page_token": tok}
        if single:
            out["symbol"] = single
        if cur:
            out["currency"] = cur
        return out

    def _single(self, sym):
        if not live.STOCK.fullmatch(sym):
            raise params.error("invalid symbol: %s" % sym)
        return sym

    # ------------------------------------------------- bars, trades, quotes
    def _checked(self, q):
        """The stock endpoints' own parameters: feed, currency, asof."""
        feed = params.feed(q, params.STOCK_HISTORICAL_FEEDS)
        cur = params.currency(q)
        params.asof(q)
        return feed, cur

    def bars_page(self, q, syms):
        feed, cur = self._checked(q)
        rows, tok = history.bars_page(self.sim, q, syms, live.stock, cur, params.adjustment(q))
        return rows, tok, cur

    def ticks_page(self, q, syms, which):
        feed, cur = self._checked(q)
        rows, tok = history.ticks_page(self.sim, q, syms, live.stock, which, cur, feed)
        return rows, tok, cur

    def r_bars(self, q):
        rows, tok, cur = self.bars_page(q, params.symbols(q, live.STOCK))
        return self._answer("bars", rows, tok, cur)

    def r_bars_single(self, sym, q):
        sym = self._single(sym)
        rows, tok, cur = self.bars_page(q, [sym])
        return self._answer("bars", rows, tok, cur, single=sym)

    def r_trades(self, q):
        rows, tok, cur = self.ticks_page(q, params.symbols(q, live.STOCK), "trades")
        return self._answer("trades", rows, tok, cur)

    def r_trades_single(self, sym, q):
        sym = self._single(sym)
        rows, tok, cur = self.ticks_page(q, [sym], "trades")
        return self._answer("trades", rows, tok, cur, single=sym)

    def r_quotes(self, q):
        rows, tok, cur = self.ticks_page(q, params.symbols(q, live.STOCK), "quotes")
        return self._answer("quotes", rows, tok, cur)

    def r_quotes_single(self, sym, q):
        sym = self._single(sym)
        rows, tok, cur = self.ticks_page(q, [sym], "quotes")
        return self._answer("quotes", rows, tok, cur, single=sym)

    # ------------------------------------------------------------ auctions
    def auction_days(self, inst, start, end, asc, key0, now, rates):
        tape = self.sim.market.tape
        d0, d1 = start.astimezone(NY).date(), end.astimezone(NY).date()
        days = [d0 + dt.timedelta(days=i) for i in range((d1 - d0).days + 1)]
        for d in (days if asc else reversed(days)):
            if not Calendar.is_trading_day(d):
                continue
            key = (int(dt.datetime.combine(d, dt.time(), NY).timestamp()) * 10 ** 9,)
            if key0 and ((asc and key < key0) or (not asc and key > key0)):
                continue
            o, c = Calendar.hours(d)
            ko, kc = minute_of(o), minute_of(c) - 1
            if ns_of(now) < ko * MINUTE_NS:
                continue
            size = tape.block_counts(inst, ko // 30)[0] // 20 + 100
            po = rates.price(inst.price(ko))
            day = {"d": d.isoformat(),
                   "o": [{"c": "Q", "p": po, "t": iso_ns(ko * MINUTE_NS + 68034304), "x": "P"},
                         {"c": "O", "p": po, "t": iso_ns(ko * MINUTE_NS + 1079567733), "x": "Q", "s": size}],
                   "c": []}
            if ns_of(now) >= (kc + 1) * MINUTE_NS:
                pc = rates.price(inst.price(kc))
                day["c"] = [{"c": "M", "p": pc, "t": iso_ns((kc + 1) * MINUTE_NS + 152902912), "x": "P"},
                            {"c": "6", "p": pc, "t": iso_ns((kc + 1) * MINUTE_NS + 875570864), "x": "Q",
                             "s": size * 3}]
            yield key, day

    def auctions_page(self, q, syms):
        params.feed(q, ("sip",), "sip")
        cur = params.currency(q)
        params.asof(q)
        now = self.sim.now()
        start, end = params.window(q, now)
        lim, asc = params.limit(q), params.sort(q)

        def series(sym, key0):
            inst = live.stock(self.sim, sym)
            if inst is not None:
                yield from self.auction_days(inst, start, end, asc, key0, now, fmt.Rates(self.sim, cur))
        rows, tok = page(syms, series, lim, q)
        return rows, tok, cur

    def r_auctions(self, q):
        rows, tok, cur = self.auctions_page(q, params.symbols(q, live.STOCK))
        return self._answer("auctions", rows, tok, cur)

    def r_auctions_single(self, sym, q):
        sym = self._single(sym)
        rows, tok, cur = self.auctions_page(q, [sym])
        return self._answer("auctions", rows, tok, cur, single=sym)

    # -------------------------------------------------------------- latest
    def _latest_args(self, q):
        feed = params.feed(q, params.STOCK_LATEST_FEEDS)
        cur = params.currency(q)
        now = self.sim.now() - (DELAY if feed == "delayed_sip" else dt.timedelta(0))
        return feed, cur, now

    def _latest(self, q, syms, what):
        feed, cur, now = self._latest_args(q)
        rates = fmt.Rates(self.sim, cur)
        out = {}
        for sym in syms:
            inst = live.stock(self.sim, sym)
            if inst is None:
                continue
            if what == "trade":
                r = live.latest_trade(self.sim, inst, now)
                got = fmt.trade(inst, r, rates, feed) if r else None
            elif what == "quote":
                r = live.latest_quote(self.sim, inst, now)
                got = fmt.quote(inst, r, rates, feed) if r else None
            elif what == "bar":
                r = live.latest_minute_bar(self.sim, inst, now)
                got = fmt.bar(inst, r, rates) if r else None
            else:
                got = live.snapshot(self.sim, inst, now, rates, feed) or None
            if got is not None:
                out[sym] = got
        return out, cur

    def _latest_many(self, q, what, key):
        got, cur = self._latest(q, params.symbols(q, live.STOCK), what)
        out = {key: got}
        if cur:
            out["currency"] = cur
        return out

    def _latest_one(self, sym, q, what, key):
        sym = self._single(sym)
        got, cur = self._latest(q, [sym], what)
        if sym not in got:
            raise ApiError(404, None, "no %s found for %s" % (what, sym))
        out = {"symbol": sym, key: got[sym]}
        if cur:
            out["currency"] = cur
        return out

    def r_latest_trades(self, q):
        return self._latest_many(q, "trade", "trades")

    def r_latest_trade(self, sym, q):
        return self._latest_one(sym, q, "trade", "trade")

    def r_latest_quotes(self, q):
        return self._latest_many(q, "quote", "quotes")

    def r_latest_quote(self, sym, q):
        return self._latest_one(sym, q, "quote", "quote")

    def r_latest_bars(self, q):
        return self._latest_many(q, "bar", "bars")

    def r_latest_bar(self, sym, q):
        return self._latest_one(sym, q, "bar", "bar")

    def r_snapshots(self, q):
        got, _ = self._latest(q, params.symbols(q, live.STOCK), "snapshot")
        return got

    def r_snapshot(self, sym, q):
        sym = self._single(sym)
        got, cur = self._latest(q, [sym], "snapshot")
        if sym not in got:
            raise ApiError(404, None, "no snapshot found for %s" % sym)
        out = dict(got[sym], symbol=sym)
        if cur:
            out["currency"] = cur
        return out

