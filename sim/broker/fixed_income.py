"""Fixed income: a curated list of treasuries and corporate bonds, as the
real one is (the fields Alpaca sends as numbers are numbers here too, with
more digits than a double).  The Market Data API prices the same bonds."""

from values import one_of

TREASURIES = [("912797PZ4", "US912797PZ42", "bill", "0", "2026-08-13", "2027-02-11"),
              ("91282CMM0", "US91282CMM00", "note", "4.25", "2025-02-15", "2030-02-15"),
              ("912810UF3", "US912810UF38", "bond", "4.625", "2024-11-15", "2054-11-15")]
CORPORATES = (("037833DX5", "US037833DX52", "AAPL", "Apple Inc.", 2.2),
              ("594918BY9", "US594918BY93", "MSFT", "Microsoft Corp", 3.3))
FILTERS = (("cusips", "cusip"), ("isins", "isin"), ("tickers", "ticker"), ("bond_status", "bond_status"),
           ("subtype", "subtype"))


def treasuries():
    rows = []
    for cusip, isin, sub, coupon, issued, matures in TREASURIES:
        rows.append({"cusip": cusip, "isin": isin, "bond_status": "outstanding", "tradable": True, "subtype": sub,
                     "issue_date": issued, "maturity_date": matures, "description": "United States Treasury %s" % sub,
                     "description_short": "T %s %s" % (coupon, matures), "close_price": 99.87312500000001,
                     "close_price_date": "2026-11-25", "close_yield_to_maturity": 4.0123456789012345,
                     "close_yield_to_worst": 4.0123456789012345, "coupon": float(coupon),
                     "coupon_type": "zero" if sub == "bill" else "fixed",
                     "coupon_frequency": "zero" if sub == "bill" else "semi_annual"})
    return rows


def corporates():
    rows = []
    for cusip, isin, ticker, issuer, coupon in CORPORATES:
        rows.append({"cusip": cusip, "isin": isin, "ticker": ticker, "issuer": issuer, "bond_status": "outstanding",
                     "callable": True, "call_type": "make_whole", "convertible": False, "country_domicile": "US",
                     "coupon": coupon, "coupon_frequency": "semi_annual", "coupon_type": "fixed",
                     "dated_date": "2019-09-11", "issue_date": "2019-09-11", "maturity_date": "2029-09-11",
                     "day_count": "30/360", "description": "%s %s%% 2029" % (issuer, coupon),
                     "description_short": "%s %s 09/29" % (ticker, coupon), "issue_minimum_denomination": 2000,
                     "issue_price": 99.9, "issue_size": 1250000000, "marginable": True, "par_value": 1000,
                     "perpetual": False, "puttable": False, "reg_s": False, "sector": "Technology",
                     "seniority": "Senior Unsecured", "close_price": 94.123456789012345,
                     "close_price_date": "2026-11-25", "accrued_interest": 0.45833333333333337, "tradable": True})
    return rows


def select(rows, q):
    """The bonds the query's filters select (a filter on a field a list lacks selects all)."""
    if q.get("bond_status"):
        one_of(q["bond_status"], ("outstanding", "matured", "pre_issuance"), "bond_status")
    return [r for r in rows if all(not q.get(f) or r[k] in q[f].split(",") for f, k in FILTERS if k in r)]


def r_treasuries(q):
    if q.get("subtype"):
        one_of(q["subtype"], ("bond", "bill", "note", "strips", "tips", "floating"), "subtype")
    return {"us_treasuries": select(treasuries(), q)}


def r_corporates(q):
    return {"us_corporates": select(corporates(), q)}
