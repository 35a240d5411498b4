#!/usr/bin/env python3
"""A stateful Alpaca paper-trading simulator for the Trading API v2 and the Market Data API.

Built from ../shared/alpaca (Alpaca's OpenAPI descriptions and guides) so the
extension can be developed and tested with no network: it keeps an account,
assets, orders with Alpaca's lifecycle, positions, watchlists, activities,
option contracts, corporate actions and crypto funding, serves market data
made from its own price walk and trading calendar, and answers with
Alpaca's status codes and error bodies.

Only the Python 3 standard library is used, so any Debian machine runs it.

Control endpoints live under /_sim/ (no keys needed) so tests can set
prices, freeze the clock, and inject faults (delays, errors, dropped
connections) into any API path.

The parts, each a module of its own: values (errors, decimals, times),
market (calendar, price walk, tape, news), broker (the account and its
desks), data (the Market Data API), routes, control (/_sim/*), server
(HTTP, faults, rate limits), streams and market_streams (WebSockets).
This file is the entry point and keeps the names tests import.
"""

import datetime as dt  # noqa: F401
import os
import sys
from decimal import Decimal  # noqa: F401

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from market.calendar import Calendar as Market, nyse_early_closes, nyse_holidays  # noqa: E402,F401
from server import Handler, Server, main as _main  # noqa: E402,F401
from simulator import Sim  # noqa: E402,F401
from values import NY, ApiError, D, dumps, iso, parse_time, s  # noqa: E402,F401


def main():
    _main(__doc__.splitlines()[0])


if __name__ == "__main__":
    main()
