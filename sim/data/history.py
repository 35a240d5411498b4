"""Historical bars, trades and quotes of several symbols, paged: shared by stocks, crypto and options.

resolve(sim, symbol) gives a symbol's instrument (None: no data); the
currency and the adjustments are the stock endpoints' (others pass none).
"""

from data import format as fmt
from data import params
from data.series import bars, minute_of, page, ticks


def _range(sim, q):
    now = sim.now()
    start, end = params.window(q, now)
    return now, start, end, params.limit(q), params.sort(q)


def bars_page(sim, q, syms, resolve, currency=None, adjustments=()):
    """({symbol: [bar, ...]}, next_page_token)."""
    tf = params.timeframe(q)
    now, start, end, lim, asc = _range(sim, q)

    def series(sym, key0):
        inst = resolve(sim, sym)
        if inst is None:
            return
        rates = fmt.Rates(sim, currency, adjustments, inst.symbol)
        for key, b in bars(sim.market.tape, inst, tf, start, end, asc, key0, minute_of(now)):
            yield key, fmt.bar(inst, b, rates)
    return page(syms, series, lim, q)


def ticks_page(sim, q, syms, resolve, which, currency=None, feed=None):
    """({symbol: [trade or quote, ...]}, next_page_token); which is "trades" or "quotes"."""
    now, start, end, lim, asc = _range(sim, q)
    tape = sim.market.tape
    rows_of = tape.trades if which == "trades" else tape.quotes
    shape = fmt.trade if which == "trades" else fmt.quote
    rates = fmt.Rates(sim, currency)

    def series(sym, key0):
        inst = resolve(sim, sym)
        if inst is None:
            return
        for key, r in ticks(rows_of, inst, start, end, asc, key0):
            yield key, shape(inst, r, rates, feed)
    return page(syms, series, lim, q)
