"""What Alpaca checks of an order before it takes it, in the order it checks:
the account may trade; the class, type, time in force and intent are known
ones; the client_order_id is new; the asset exists and trades; quantities,
prices and legs fit the order's type and class; and the account has the
buying power, or the shares, for it.  Each failure is Alpaca's answer
(422, or 403 for the account's means)."""

import uuid
from decimal import Decimal

from values import E_FORBIDDEN, ApiError, D, bad, one_of, s

ORDER_TYPES = ("market", "limit", "stop", "stop_limit", "trailing_stop")
TIFS = ("day", "gtc", "opg", "cls", "ioc", "fok")
ORDER_CLASSES = ("simple", "bracket", "oco", "oto", "mleg", "")
INTENTS = ("buy_to_open", "buy_to_close", "sell_to_open", "sell_to_close")


def common(b, body, orders):
    """(order class, type, time in force, client_order_id) of any order."""
    if b.book.acct_config["suspend_trade"]:
        raise ApiError(403, E_FORBIDDEN, "trading is suspended for this account")
    order_class = body.get("order_class") or "simple"
    one_of(order_class, ORDER_CLASSES, "order_class")
    otype = body.get("type") or body.get("order_type")
    if otype is None:
        raise bad("type is required")
    one_of(otype, ORDER_TYPES, "order type")
    tif = body.get("time_in_force")
    if tif is None:
        raise bad("time_in_force is required")
    one_of(tif, TIFS, "time_in_force")
    if body.get("position_intent") is not None:
        one_of(body["position_intent"], INTENTS, "position_intent")
    cid = body.get("client_order_id") or str(uuid.uuid4())
    if len(cid) > 128:
        raise bad("client_order_id must be no more than 128 characters")
    if any(o["client_order_id"] == cid for o in orders):
        raise bad("client_order_id must be unique")
    return order_class, otype, tif, cid


def _quantity(body, otype, tif, asset):
    qty = notional = None
    if body.get("qty") is not None and body.get("notional") is not None:
        raise bad("qty and notional cannot both be specified")
    if body.get("qty") is not None:
        qty = D(body["qty"], "qty")
        if qty <= 0:
            raise bad("qty must be > 0")
    elif body.get("notional") is not None:
        notional = D(body["notional"], "notional")
        if notional <= 0:
            raise bad("notional must be > 0")
        if otype != "market" or tif != "day" and asset["class"] != "crypto":
            raise bad("notional orders only work with market orders and day time in force")
    else:
        raise bad("qty or notional is required")
    return qty, notional


def _prices(body, otype, tif):
    prices = {}
    for f in ("limit_price", "stop_price", "trail_price", "trail_percent"):
        if body.get(f) is not None:
            prices[f] = D(body[f], f)
            if prices[f] <= 0:
                raise bad("%s must be > 0" % f)
    if otype in ("limit", "stop_limit") and "limit_price" not in prices:
        raise bad("limit_price is required for %s orders" % otype)
    if otype in ("stop", "stop_limit") and "stop_price" not in prices:
        raise bad("stop_price is required for %s orders" % otype)
    if otype == "trailing_stop" and ("trail_price" in prices) == ("trail_percent" in prices):
        raise bad("one of trail_price or trail_percent is required for trailing_stop orders")
    if otype == "market" and ("limit_price" in prices or "stop_price" in prices):
        raise bad("limit_price and stop_price are not allowed for market orders")
    if body.get("extended_hours") and (otype != "limit" or tif not in ("day", "gtc")):
        raise bad("extended hours order must be DAY or GTC limit orders")
    return prices


def simple(b, body, order_class, otype, tif):
    """(asset, side, qty, notional, prices, fractional) of an order of one asset."""
    symbol = body.get("symbol")
    if not symbol:
        raise bad("symbol is required")
    asset = b.assets.resolve(symbol) if isinstance(symbol, str) else None
    if asset is None:
        raise bad("asset \"%s\" not found" % symbol)
    if not asset["tradable"]:
        raise bad("asset %s is not tradable" % asset["symbol"])
    side = body.get("side")
    if side is None:
        raise bad("side is required")
    one_of(side, ("buy", "sell"), "side")
    qty, notional = _quantity(body, otype, tif, asset)
    fractional = (qty is not None and qty != qty.to_integral_value()) or notional is not None
    if fractional and asset["class"] == "us_equity":
        if not asset["fractionable"]:
            raise bad("requested asset is not fractionable")
        if otype != "market" or tif != "day":
            raise bad("fractional orders must be market orders with day time in force")
    if asset["class"] == "crypto" and tif not in ("gtc", "ioc"):
        raise bad("invalid crypto time_in_force")
    if asset["class"] == "us_option" and tif != "day":
        raise bad("options orders must be day orders")
    prices = _prices(body, otype, tif)
    tp, sl = body.get("take_profit"), body.get("stop_loss")
    if order_class == "bracket" and not (tp and sl):
        raise bad("bracket orders require take_profit and stop_loss")
    if order_class == "oco" and not (tp and sl and otype == "limit"):
        raise bad("oco orders must be limit orders with take_profit and stop_loss")
    if order_class == "oto" and not (tp or sl) or order_class == "oto" and tp and sl:
        raise bad("oto orders require one of take_profit or stop_loss")
    if order_class == "simple" and (tp or sl):
        raise bad("take_profit and stop_loss require an advanced order_class")
    return asset, side, qty, notional, prices, fractional


def funds(b, asset, side, qty, notional, prices, order_class, fractional, pending_sell):
    """The account's buying power for a buy, its shares (or its right to short) for a sell."""
    px = prices.get("limit_price") or b.price(asset["symbol"])
    cost = notional if notional is not None else qty * px * b.multiplier(asset)
    held = b.book.positions.get(asset["symbol"], {"qty": Decimal(0)})["qty"]
    if side == "buy" and (held >= 0 or qty is None or qty > -held):
        if cost > Decimal(b.account.account()["buying_power"]):
            raise ApiError(403, E_FORBIDDEN, "insufficient buying power")
    if side == "sell" and order_class != "oco":
        want = qty if qty is not None else notional / px
        available = held - pending_sell(asset["symbol"])
        if want > available and (not asset["shortable"] or b.book.acct_config["no_shorting"]
                                 or fractional or available > 0):
            raise ApiError(403, E_FORBIDDEN,
                           "insufficient qty available for order (requested: %s, available: %s)"
                           % (s(want), s(max(available, Decimal(0)))))
