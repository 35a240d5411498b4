"""The Market Data API, served on the simulator's port beside the Trading API."""

from data import latest

ROUTES = [
    ("GET", r"/v2/stocks/trades/latest", lambda s, q, b: latest.r_latest_trades(s, q)),
    ("GET", r"/v2/stocks/(?P<sym>[^/]+)/trades/latest", lambda s, q, b, sym: latest.r_latest_trade(s, sym)),
    ("GET", r"/v1beta3/crypto/us/latest/trades", lambda s, q, b: latest.r_latest_trades(s, q)),
    ("GET", r"/v1beta1/options/trades/latest", lambda s, q, b: latest.r_latest_trades(s, q)),
    ("GET", r"/v2/stocks/quotes/latest", lambda s, q, b: latest.r_latest_quotes(s, q)),
    ("GET", r"/v1beta3/crypto/us/latest/quotes", lambda s, q, b: latest.r_latest_quotes(s, q)),
    ("GET", r"/v2/stocks/bars", lambda s, q, b: latest.r_bars(s, q)),
    ("GET", r"/v1beta3/crypto/us/bars", lambda s, q, b: latest.r_bars(s, q)),
]
