"""The Market Data API, served on the simulator's port beside the Trading API.

Every operation of Alpaca's market-data-api.json: stocks, crypto and crypto
perpetuals, options, forex, indices, fixed income, news, corporate
actions, the screener, logos, exchange and condition codes.  Its answers
are made from the simulator's own market (the price walk, the calendar,
the tape, the news) and the broker's (its assets, option contracts and
corporate actions), so they agree with what the Trading API fills and
shows.  Its errors are 400 {"message": ...}.
"""

from urllib.parse import unquote

from data import reference
from data.corporate import CorporateActions
from data.crypto import Crypto
from data.news import News
from data.options import Options
from data.rates import Rates
from data.screener import Screener
from data.stocks import Stocks


class Desks:
    def __init__(self, sim):
        self.stocks = Stocks(sim)
        self.crypto = Crypto(sim)
        self.options = Options(sim)
        self.news = News(sim)
        self.corporate = CorporateActions(sim)
        self.screener = Screener(sim)
        self.rates = Rates(sim)


def _st(s):
    return s.data.stocks


def _cr(s):
    return s.data.crypto


def _op(s):
    return s.data.options


def _rt(s):
    return s.data.rates


U = unquote
SYM = r"(?P<sym>[^/]+)"
LOC = r"(?P<loc>[^/]+)"

ROUTES = [
    # stocks
    ("GET", r"/v2/stocks/bars", lambda s, q, b: _st(s).r_bars(q)),
    ("GET", r"/v2/stocks/bars/latest", lambda s, q, b: _st(s).r_latest_bars(q)),
    ("GET", r"/v2/stocks/trades", lambda s, q, b: _st(s).r_trades(q)),
    ("GET", r"/v2/stocks/trades/latest", lambda s, q, b: _st(s).r_latest_trades(q)),
    ("GET", r"/v2/stocks/quotes", lambda s, q, b: _st(s).r_quotes(q)),
    ("GET", r"/v2/stocks/quotes/latest", lambda s, q, b: _st(s).r_latest_quotes(q)),
    ("GET", r"/v2/stocks/snapshots", lambda s, q, b: _st(s).r_snapshots(q)),
    ("GET", r"/v2/stocks/auctions", lambda s, q, b: _st(s).r_auctions(q)),
    ("GET", r"/v2/stocks/meta/exchanges", lambda s, q, b: dict(reference.STOCK_EXCHANGES)),
    ("GET", r"/v2/stocks/meta/conditions/(?P<t>[^/]+)", lambda s, q, b, t: reference.r_stock_conditions(U(t), q)),
    ("GET", r"/v2/stocks/%s/bars" % SYM, lambda s, q, b, sym: _st(s).r_bars_single(U(sym), q)),
    ("GET", r"/v2/stocks/%s/bars/latest" % SYM, lambda s, q, b, sym: _st(s).r_latest_bar(U(sym), q)),
    ("GET", r"/v2/stocks/%s/trades" % SYM, lambda s, q, b, sym: _st(s).r_trades_single(U(sym), q)),
    ("GET", r"/v2/stocks/%s/trades/latest" % SYM, lambda s, q, b, sym: _st(s).r_latest_trade(U(sym), q)),
    ("GET", r"/v2/stocks/%s/quotes" % SYM, lambda s, q, b, sym: _st(s).r_quotes_single(U(sym), q)),
    ("GET", r"/v2/stocks/%s/quotes/latest" % SYM, lambda s, q, b, sym: _st(s).r_latest_quote(U(sym), q)),
    ("GET", r"/v2/stocks/%s/snapshot" % SYM, lambda s, q, b, sym: _st(s).r_snapshot(U(sym), q)),
    ("GET", r"/v2/stocks/%s/auctions" % SYM, lambda s, q, b, sym: _st(s).r_auctions_single(U(sym), q)),
    # crypto
    ("GET", r"/v1beta3/crypto/%s/bars" % LOC, lambda s, q, b, loc: _cr(s).r_bars(loc, q)),
    ("GET", r"/v1beta3/crypto/%s/trades" % LOC, lambda s, q, b, loc: _cr(s).r_trades(loc, q)),
    ("GET", r"/v1beta3/crypto/%s/quotes" % LOC, lambda s, q, b, loc: _cr(s).r_quotes(loc, q)),
    ("GET", r"/v1beta3/crypto/%s/snapshots" % LOC, lambda s, q, b, loc: _cr(s).r_snapshots(loc, q)),
    ("GET", r"/v1beta3/crypto/%s/latest/bars" % LOC, lambda s, q, b, loc: _cr(s).r_latest_bars(loc, q)),
    ("GET", r"/v1beta3/crypto/%s/latest/trades" % LOC, lambda s, q, b, loc: _cr(s).r_latest_trades(loc, q)),
    ("GET", r"/v1beta3/crypto/%s/latest/quotes" % LOC, lambda s, q, b, loc: _cr(s).r_latest_quotes(loc, q)),
    ("GET", r"/v1beta3/crypto/%s/latest/orderbooks" % LOC, lambda s, q, b, loc: _cr(s).r_latest_orderbooks(loc, q)),
    ("GET", r"/v1beta1/crypto-perps/%s/latest/bars" % LOC, lambda s, q, b, loc: _cr(s).r_perp_latest_bars(loc, q)),
    ("GET", r"/v1beta1/crypto-perps/%s/latest/trades" % LOC, lambda s, q, b, loc: _cr(s).r_perp_latest_trades(loc, q)),
    ("GET", r"/v1beta1/crypto-perps/%s/latest/quotes" % LOC, lambda s, q, b, loc: _cr(s).r_perp_latest_quotes(loc, q)),
    ("GET", r"/v1beta1/crypto-perps/%s/latest/orderbooks" % LOC,
     lambda s, q, b, loc: _cr(s).r_perp_latest_orderbooks(loc, q)),
    ("GET", r"/v1beta1/crypto-perps/%s/latest/pricing" % LOC, lambda s, q, b, loc: _cr(s).r_perp_pricing(loc, q)),
    # options
    ("GET", r"/v1beta1/options/bars", lambda s, q, b: _op(s).r_bars(q)),
    ("GET", r"/v1beta1/options/trades", lambda s, q, b: _op(s).r_trades(q)),
    ("GET", r"/v1beta1/options/trades/latest", lambda s, q, b: _op(s).r_latest_trades(q)),
    ("GET", r"/v1beta1/options/quotes/latest", lambda s, q, b: _op(s).r_latest_quotes(q)),
    ("GET", r"/v1beta1/options/snapshots", lambda s, q, b: _op(s).r_snapshots(q)),
    ("GET", r"/v1beta1/options/snapshots/%s" % SYM, lambda s, q, b, sym: _op(s).r_chain(U(sym), q)),
    ("GET", r"/v1beta1/options/meta/exchanges", lambda s, q, b: dict(reference.OPTION_EXCHANGES)),
    ("GET", r"/v1beta1/options/meta/conditions/(?P<t>[^/]+)", lambda s, q, b, t: reference.r_option_conditions(U(t))),
    # forex, indices, fixed income
    ("GET", r"/v1beta1/forex/latest/rates", lambda s, q, b: _rt(s).r_latest_rates(q)),
    ("GET", r"/v1beta1/forex/rates", lambda s, q, b: _rt(s).r_rates(q)),
    ("GET", r"/v1beta1/indices/latest/values", lambda s, q, b: _rt(s).r_latest_index_values(q)),
    ("GET", r"/v1beta1/indices/values", lambda s, q, b: _rt(s).r_index_values(q)),
    ("GET", r"/v1beta1/fixed_income/latest/prices", lambda s, q, b: _rt(s).r_fi_prices(q)),
    ("GET", r"/v1beta1/fixed_income/latest/quotes", lambda s, q, b: _rt(s).r_fi_quotes(q)),
    # news, corporate actions, the screener, logos
    ("GET", r"/v1beta1/news", lambda s, q, b: s.data.news.r_news(q)),
    ("GET", r"/v1/corporate-actions", lambda s, q, b: s.data.corporate.r_actions(q)),
    ("GET", r"/v1beta1/screener/stocks/most-actives", lambda s, q, b: s.data.screener.r_most_actives(q)),
    ("GET", r"/v1beta1/screener/(?P<m>[^/]+)/movers", lambda s, q, b, m: s.data.screener.r_movers(U(m), q)),
    ("GET", r"/v1beta1/logos/(?P<sym>.+)", lambda s, q, b, sym: reference.r_logo(s, U(sym), q)),
]
