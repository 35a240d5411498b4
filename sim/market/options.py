"""Option prices from their underlying's, and the Black-Scholes view of them.

The simulator prices a contract as its intrinsic value plus a time value that
grows with the square root of the days left; the option chain's implied
volatility is the Black-Scholes volatility (no rates, no dividends) that
gives that same price, and its greeks are Black-Scholes' at that volatility,
so the chain and the prices agree.
"""

import datetime as dt
import math
from decimal import Decimal

from values import NY

TIME_VALUE = Decimal("0.004")


def days_left(expiration, t):
    return (dt.date.fromisoformat(expiration) - t.astimezone(NY).date()).days


def option_price(kind, strike, expiration, underlying_price, t):
    """The simulator's price of a contract (kind "call" or "put")."""
    u = underlying_price
    strike = Decimal(strike)
    intrinsic = max(Decimal(0), (u - strike) if kind == "call" else (strike - u))
    days = days_left(expiration, t)
    return (intrinsic + u * TIME_VALUE * Decimal(math.sqrt(max(days, 1)))).quantize(Decimal("0.01"))


def _cdf(x):
    return 0.5 * (1.0 + math.erf(x / math.sqrt(2.0)))


def _pdf(x):
    return math.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)


def _bs(kind, u, k, years, vol):
    if vol <= 0 or years <= 0:
        return max(0.0, u - k) if kind == "call" else max(0.0, k - u)
    d1 = (math.log(u / k) + 0.5 * vol * vol * years) / (vol * math.sqrt(years))
    d2 = d1 - vol * math.sqrt(years)
    if kind == "call":
        return u * _cdf(d1) - k * _cdf(d2)
    return k * _cdf(-d2) - u * _cdf(-d1)


def implied_volatility(kind, u, k, years, price):
    """The volatility that prices the contract at price (bisection, clamped to [0.01, 5])."""
    lo, hi = 0.01, 5.0
    if _bs(kind, u, k, years, lo) >= price:
        return lo
    if _bs(kind, u, k, years, hi) <= price:
        return hi
    for _ in range(60):
        mid = (lo + hi) / 2
        if _bs(kind, u, k, years, mid) < price:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


def greeks(kind, u, k, years, vol):
    """delta, gamma, theta (a day), vega and rho (a point of volatility or rate)."""
    years = max(years, 1 / 365)
    sq = math.sqrt(years)
    d1 = (math.log(u / k) + 0.5 * vol * vol * years) / (vol * sq)
    d2 = d1 - vol * sq
    gamma = _pdf(d1) / (u * vol * sq)
    vega = u * _pdf(d1) * sq / 100
    theta = -(u * _pdf(d1) * vol) / (2 * sq) / 365
    if kind == "call":
        delta = _cdf(d1)
        rho = k * years * _cdf(d2) / 100
    else:
        delta = _cdf(d1) - 1
        rho = -k * years * _cdf(-d2) / 100
    return {"delta": delta, "gamma": gamma, "theta": theta, "vega": vega, "rho": rho}
