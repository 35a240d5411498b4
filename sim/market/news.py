"""News about the market: articles made from the price walk, and those a test publishes.

Every symbol has a few articles a day: in each three-hour slot a hash of
the symbol and the slot decides whether one appeared, when, and what it
says.  What it says comes from the walk: the price when it was written and
how far it moved over the day before.  POST /_sim/news publishes an article
now; it is then served and streamed like the others.
"""

import datetime as dt
from decimal import Decimal

from values import UTC, stable_hash

SLOT = 3 * 3600
# the symbols news is written about when a request names none
COVERED = ("AAPL", "MSFT", "TSLA", "SPY", "GME", "KKR", "BTCUSD", "ETHUSD")
AUTHORS = ("Benzinga Newsdesk", "Charles Gross", "Happy Mohamed", "Simulator Staff", "Erica Kollmann")
VERBS_UP = ("rise", "climb", "gain", "rally", "edge higher")
VERBS_DOWN = ("fall", "slip", "decline", "drop", "edge lower")
TOPICS = ("as analysts weigh the quarter ahead", "after an upgrade at a large broker",
          "amid sector rotation", "as volume picks up", "ahead of a product event",
          "on renewed interest from funds", "as traders eye the options market")


def _time(t):
    return t.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Newsroom:
    def __init__(self, market):
        self.market = market
        self.published = []     # articles published through the control plane, oldest first
        self.describe = None    # symbol -> (name, asset) or None; set by the simulator

    def reset(self):
        self.published = []

    # ---------------------------------------------------------- writing
    def _exists(self, symbol, slot):
        return stable_hash(self.market.seed, "news", symbol, slot) % 4 == 0

    def article(self, symbol, slot, content=True):
        """The article about symbol in slot, if one appeared (a dict with "_ns" for ordering)."""
        if not self._exists(symbol, slot):
            return None
        h = stable_hash(self.market.seed, "news-body", symbol, slot)
        created = dt.datetime.fromtimestamp(slot * SLOT + h % SLOT, UTC)
        updated = created + dt.timedelta(seconds=h % 97)
        described = self.describe(symbol) if self.describe else None
        name, asset = described if described else (symbol, None)
        if asset is not None:
            now = self.market.price_at(asset, created)
            before = self.market.price_at(asset, created - dt.timedelta(days=1))
            change = ((now - before) / before * 100).quantize(Decimal("0.01")) if before else Decimal(0)
        else:
            now, change = None, Decimal(0)
        verbs = VERBS_UP if change >= 0 else VERBS_DOWN
        verb = verbs[h % len(verbs)]
        topic = TOPICS[(h >> 8) % len(TOPICS)]
        price = " to $%s" % now if now is not None else ""
        headline = "%s shares %s %s%%%s %s" % (name, verb, abs(change), price, topic)
        summary = "%s (%s) moved %s%% over the last day%s, %s." % (name, symbol, change, price.replace(" to ", " to trade at "), topic)
        body = ("<p>%s</p><p>The move came %s. Shares of %s have traded in the simulator's own market, "
                "whose prices walk minute by minute from a seeded path.</p>" % (summary, topic, name))
        ident = stable_hash(self.market.seed, "news-id", symbol, slot) % 10 ** 10 + 10 ** 7
        return {"id": ident, "headline": headline, "author": AUTHORS[(h >> 16) % len(AUTHORS)],
                "created_at": _time(created), "updated_at": _time(updated), "summary": summary,
                "content": body if content else "", "url": "https://news.simulator.invalid/%d" % ident,
                "images": [], "symbols": [symbol], "source": "benzinga",
                "_ns": int(created.timestamp()) * 10 ** 9}

    def publish(self, body, now):
        """An article published now (POST /_sim/news)."""
        symbols = body.get("symbols") or []
        if not isinstance(symbols, list) or not all(isinstance(x, str) and x for x in symbols):
            raise ValueError("symbols must be a list of strings")
        for f in ("headline", "summary", "content", "author"):
            if f in body and not isinstance(body[f], str):
                raise ValueError("%s must be a string" % f)
        ident = 9 * 10 ** 11 + len(self.published) + 1
        a = {"id": ident, "headline": body.get("headline") or "Simulator news %d" % ident,
             "author": body.get("author") or "Simulator Staff", "created_at": _time(now),
             "updated_at": _time(now), "summary": body.get("summary") or body.get("headline") or "News.",
             "content": body.get("content") or "<p>%s</p>" % (body.get("summary") or "News."),
             "url": body.get("url", "https://news.simulator.invalid/%d" % ident), "images": [],
             "symbols": [x.upper().replace("/", "") for x in symbols], "source": body.get("source") or "benzinga",
             "_ns": int(now.timestamp() * 10 ** 9)}
        self.published.append(a)
        return a

    # ---------------------------------------------------------- reading
    def between(self, symbols, start, end, asc, content=True):
        """Articles with created_at in [start, end] about any of symbols (None: all), in order (lazily)."""
        first, last = int(start.timestamp()) // SLOT, int(end.timestamp()) // SLOT
        lo_ns, hi_ns = int(start.timestamp() * 10 ** 9), int(end.timestamp() * 10 ** 9)
        about = list(symbols) if symbols else list(COVERED)
        slots = range(first, last + 1) if asc else range(last, first - 1, -1)
        for slot in slots:
            found = []
            for sym in about:
                a = self.article(sym, slot, content)
                if a is not None and lo_ns <= a["_ns"] <= hi_ns:
                    found.append(a)
            for a in self.published:
                if a["_ns"] // 10 ** 9 // SLOT == slot and lo_ns <= a["_ns"] <= hi_ns and \
                        (not symbols or set(a["symbols"]) & set(symbols)):
                    found.append(dict(a, content=a["content"] if content else ""))
            found.sort(key=lambda a: (a["_ns"], a["id"]), reverse=not asc)
            for a in found:
                yield a
