"""Reference data: exchange codes, condition codes, and company logos."""

import struct
import zlib

from data import live, params
from values import Binary, stable_hash

STOCK_EXCHANGES = {
    "A": "NYSE American (AMEX)", "B": "NASDAQ OMX BX", "C": "National Stock Exchange", "D": "FINRA ADF",
    "E": "Market Independent", "H": "MIAX", "I": "International Securities Exchange", "J": "Cboe EDGA",
    "K": "Cboe EDGX", "L": "Long Term Stock Exchange", "M": "Chicago Stock Exchange", "N": "New York Stock Exchange",
    "P": "NYSE Arca", "Q": "NASDAQ OMX", "S": "NASDAQ Small Cap", "T": "NASDAQ Int", "U": "Members Exchange",
    "V": "IEX", "W": "CBOE", "X": "NASDAQ OMX PSX", "Y": "Cboe BYX", "Z": "Cboe BZX"}
OPTION_EXCHANGES = {
    "A": "NYSE American Options", "B": "BOX Options Exchange", "C": "Cboe Options Exchange",
    "D": "Nasdaq ISE Gemini", "E": "Cboe EDGX Options", "H": "Nasdaq ISE Mercury", "I": "Nasdaq ISE",
    "M": "MIAX Options", "N": "NYSE Arca Options", "P": "MIAX Pearl", "Q": "Nasdaq Options Market",
    "T": "Nasdaq BX Options", "U": "MEMX Options", "W": "Cboe C2 Options", "X": "Nasdaq PHLX",
    "Z": "Cboe BZX Options"}
# trade conditions of the CTS (tapes A and B) and UTDF (tape C) plans
TRADE_CONDITIONS_CTS = {
    "@": "Regular Sale", "B": "Average Price Trade", "C": "Cash Trade (Same Day Clearing)",
    "E": "Automatic Execution", "F": "Inter-market Sweep Order", "H": "Price Variation Trade",
    "I": "Odd Lot Trade", "K": "Rule 127 (NYSE only) or Rule 155 (NYSE MKT only)", "L": "Sold Last (Late Reporting)",
    "M": "Market Center Official Close", "N": "Next Day Trade (Next Day Clearing)", "O": "Market Center Opening Trade",
    "P": "Prior Reference Price", "Q": "Market Center Official Open", "R": "Seller", "T": "Extended Hours Trade",
    "U": "Extended Hours Sold (Out Of Sequence)", "V": "Contingent Trade", "X": "Cross Trade",
    "Z": "Sold (Out Of Sequence)", "4": "Derivatively Priced", "5": "Market Center Reopening Trade",
    "6": "Market Center Closing Trade", "7": "Qualified Contingent Trade", "9": "Corrected Consolidated Close Price"}
TRADE_CONDITIONS_UTDF = {
    "@": "Regular Sale", "A": "Acquisition", "B": "Bunched Trade", "C": "Cash Sale", "D": "Distribution",
    "E": "Placeholder", "F": "Intermarket Sweep", "G": "Bunched Sold Trade", "H": "Price Variation Trade",
    "I": "Odd Lot Trade", "K": "Rule 155 Trade (AMEX)", "L": "Sold Last", "M": "Market Center Official Close",
    "N": "Next Day", "O": "Opening Prints", "P": "Prior Reference Price", "Q": "Market Center Official Open",
    "R": "Seller", "S": "Split Trade", "T": "Form T", "U": "Extended trading hours (Sold Out of Sequence)",
    "V": "Contingent Trade", "W": "Average Price Trade", "X": "Cross/Periodic Auction Trade", "Y": "Yellow Flag Regular Trade",
    "Z": "Sold (out of sequence)", "1": "Stopped Stock (Regular Trade)", "4": "Derivatively priced",
    "5": "Re-Opening Prints", "6": "Closing Prints", "7": "Qualified Contingent Trade (QCT)", "8": "Placeholder For 611 Exempt",
    "9": "Corrected Consolidated Close (per listing market)"}
QUOTE_CONDITIONS = {
    "A": "Slow Quote Offer Side", "B": "Slow Quote Bid Side", "E": "Slow Quote LRP Bid Side",
    "F": "Slow Quote LRP Offer Side", "H": "Slow Quote Bid And Offer Side", "O": "Opening Quote",
    "R": "Regular Market Maker Open", "W": "Slow Quote Set Slow List", "C": "Closing Quote",
    "L": "Market Maker Quotes Closed", "U": "Slow Quote LRP Bid And Offer", "N": "Non Firm Quote",
    "4": "On Demand Intra Day Auction"}
OPTION_TRADE_CONDITIONS = {
    "a": "SLAN - Single Leg Auction Non ISO", "b": "SLAI - Single Leg Auction ISO", "c": "SLCN - Single Leg Cross Non ISO",
    "d": "SLCI - Single Leg Cross ISO", "e": "SLFT - Single Leg Floor Trade", "f": "MLET - Multi Leg auto-electronic trade",
    "g": "MLAT - Multi Leg Auction", "h": "MLCT - Multi Leg Cross", "i": "MLFT - Multi Leg floor trade",
    "j": "MESL - Multi Leg auto-electronic trade against single leg(s)", "k": "TLAT - Stock Options Auction",
    "I": "AUTO - Automatic Execution", "J": "LATE - Late", "K": "OPEN - Opening", "L": "REOP - Reopening",
    "S": "ISOI - Intermarket Sweep Order"}
OPTION_QUOTE_CONDITIONS = {
    "A": "Regular Trading", "B": "Rotation", "C": "Trading Halted", "D": "eligible for automatic execution",
    "E": "Bid side not firm", "F": "Offer side not firm", "G": "Both sides not firm", " ": "Regular"}


def r_stock_conditions(ticktype, q):
    if ticktype not in ("trade", "quote"):
        raise params.error("invalid ticktype: %s" % ticktype)
    tape = q.get("tape")
    if tape not in ("A", "B", "C"):
        raise params.error("invalid tape: %s" % tape if tape else "missing tape")
    if ticktype == "quote":
        return dict(QUOTE_CONDITIONS)
    return dict(TRADE_CONDITIONS_UTDF if tape == "C" else TRADE_CONDITIONS_CTS)


def r_option_conditions(ticktype):
    if ticktype not in ("trade", "quote"):
        raise params.error("invalid ticktype: %s" % ticktype)
    return dict(OPTION_TRADE_CONDITIONS if ticktype == "trade" else OPTION_QUOTE_CONDITIONS)


def png(width, height, rgb):
    """A solid-colour PNG."""
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    row = b"\x00" + bytes(rgb) * width
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(row * height)) + chunk(b"IEND", b""))


def r_logo(sim, symbol, q):
    placeholder = params.boolean(q, "placeholder", True)
    sym = symbol.upper()
    a = sim.broker.assets.resolve(sym) if live.STOCK.fullmatch(sym) or "/" in sym else None
    if a is not None and a["class"] in ("us_equity", "crypto"):
        h = stable_hash(sim.seed, "logo", a["symbol"])
        return Binary(png(64, 64, (h & 0xFF, (h >> 8) & 0xFF, (h >> 16) & 0xFF)), "image/png")
    if placeholder:
        return Binary(png(64, 64, (200, 200, 200)), "image/png")
    raise params.error("logo not found for %s" % symbol, 404)
