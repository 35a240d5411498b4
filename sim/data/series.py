"""Time series from the tape, and Alpaca's paging over several symbols.

A series yields (key, row) in the order asked for (ascending or descending
time); a key is a tuple of integers, the first a time in nanoseconds, so a
page token can name the row the next page starts with.  Several symbols are
paged the way Alpaca pages them: sorted by symbol, then by time, the limit
counting every row, so a first page may hold only the first symbol.
"""

import datetime as dt

from data.params import error, token, untoken
from market.tape import MINUTE_NS
from values import CHICAGO, NY, UTC


def minute_of(t):
    return int(t.timestamp()) // 60


def ns_of(t):
    return int(t.timestamp()) * 10 ** 9 + t.microsecond * 1000


def _days(first, last, asc):
    d = first if asc else last
    step = dt.timedelta(days=1 if asc else -1)
    while first <= d <= last:
        yield d
        d += step


def _local_day(k, tz=NY):
    return dt.datetime.fromtimestamp(k * 60, UTC).astimezone(tz).date()


def minutes(inst, k_lo, k_hi, asc):
    """The minutes the instrument trades within [k_lo, k_hi], in order."""
    if k_hi < k_lo:
        return
    if inst.kind == "crypto":
        yield from (range(k_lo, k_hi + 1) if asc else range(k_hi, k_lo - 1, -1))
        return
    for day in _days(_local_day(k_lo), _local_day(k_hi), asc):
        for a, b in (inst.day_ranges(day) if asc else reversed(inst.day_ranges(day))):
            a, b = max(a, k_lo), min(b, k_hi + 1)
            if a < b:
                yield from (range(a, b) if asc else range(b - 1, a - 1, -1))


def ticks(tape_rows, inst, start, end, asc, key0):
    """Trades or quotes (tape_rows(inst, k) -> rows whose [0] is ns and [1] an id) in [start, end]."""
    lo_ns, hi_ns = ns_of(start), ns_of(end)
    k_lo, k_hi = lo_ns // MINUTE_NS, hi_ns // MINUTE_NS
    if key0:
        if asc:
            k_lo = max(k_lo, key0[0] // MINUTE_NS)
        else:
            k_hi = min(k_hi, key0[0] // MINUTE_NS)
    for k in minutes(inst, k_lo, k_hi, asc):
        rows = tape_rows(inst, k)
        for r in (rows if asc else reversed(rows)):
            if not lo_ns <= r[0] <= hi_ns:
                continue
            key = (r[0], r[1])
            if key0 and ((asc and key < key0) or (not asc and key > key0)):
                continue
            yield key, r


# ---------------------------------------------------------------- bars
def buckets(inst, tf, start, end, asc):
    """The bar periods [k1, k2) with their timestamps (minute) whose timestamp lies in [start, end]."""
    day_tz = CHICAGO if inst.kind == "crypto" else NY
    lo, hi = start.astimezone(day_tz).date(), end.astimezone(day_tz).date()
    k_start, k_end = minute_of(start) + (1 if start.second or start.microsecond else 0), minute_of(end)
    if tf.minutes:
        size = tf.minutes
        lo, hi = start.astimezone(NY).date(), end.astimezone(NY).date()
        for day in _days(lo, hi, asc):
            midnight = minute_of(dt.datetime.combine(day, dt.time(), NY))
            ranges = inst.day_ranges(day) if inst.kind != "crypto" else \
                [(midnight, minute_of(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), NY)))]
            starts = []
            for a, b in ranges:
                j = (a - midnight) // size
                while midnight + j * size < b:
                    starts.append(midnight + j * size)
                    j += 1
            for k1 in (sorted(set(starts)) if asc else sorted(set(starts), reverse=True)):
                if k_start <= k1 <= k_end:
                    yield k1, k1, k1 + size, [(max(a, k1), min(b, k1 + size)) for a, b in ranges
                                              if a < k1 + size and b > k1]
        return
    # days, weeks and months: unions of trading days (or of calendar days for
    # crypto), stamped at the local midnight of their first day
    first = start.astimezone(day_tz).date()
    if tf.unit == "week":
        first -= dt.timedelta(days=first.weekday())
    elif tf.unit == "month":
        first = dt.date(first.year, (first.month - 1) // tf.n * tf.n + 1, 1)
    groups = []
    for day in _days(first, hi, True):
        if inst.kind == "crypto":
            a = minute_of(dt.datetime.combine(day, dt.time(), CHICAGO))
            b = minute_of(dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), CHICAGO))
        else:
            r = inst.day_ranges(day)
            if not r:
                continue
            a, b = r[0][0], r[-1][1]
        gkey = day.toordinal() if tf.unit == "day" else day.isocalendar()[:2] if tf.unit == "week" \
            else (day.year, (day.month - 1) // tf.n)
        if groups and groups[-1][0] == gkey:
            groups[-1][3] = b
        else:
            groups.append([gkey, minute_of(dt.datetime.combine(day, dt.time(), day_tz)), a, b])
    for _, stamp, a, b in (groups if asc else reversed(groups)):
        if k_start <= stamp <= k_end:
            yield stamp, a, b, None


def bars(tape, inst, tf, start, end, asc, key0, now_k):
    """(key, (t minute, o, h, l, c, volume units, trades, vwap)) for the bars of [start, end]."""
    for stamp, a, b, ranges in buckets(inst, tf, start, end, asc):
        key = (stamp * MINUTE_NS,)
        if key0 and ((asc and key < key0) or (not asc and key > key0)):
            continue
        b = min(b, now_k + 1)
        if ranges is not None:
            ranges = [(x, min(y, b)) for x, y in ranges if x < b]
        got = tape.bar(inst, a, b, ranges)
        if got is not None:
            yield key, (stamp,) + got


# -------------------------------------------------------------- paging
def page(symbols, series, lim, q):
    """({symbol: [row, ...]}, next_page_token) over the symbols' series (series(sym, key0) -> (key, row)...)."""
    tsym, tkey = untoken(q)
    order = sorted(symbols)
    if tsym is not None and tsym not in order:
        raise error("invalid page_token")
    out, n = {}, 0
    for sym in order:
        if tsym is not None and sym < tsym:
            continue
        for key, row in series(sym, tkey if sym == tsym else None):
            if n == lim:
                return out, token(sym, key)
            out.setdefault(sym, []).append(row)
            n += 1
    return out, None
