#!/usr/bin/env python3
"""Write an /v2/assets answer of N assets shaped like Alpaca's live list."""
import json
import sys
import uuid

n = int(sys.argv[1]) if len(sys.argv) > 1 else 30000
exchanges = ["NASDAQ", "NYSE", "ARCA", "AMEX", "BATS", "OTC"]
out = []
for i in range(n):
    sym = "".join(chr(65 + (i // 26 ** k) % 26) for k in range(4))
    out.append({
        "id": str(uuid.uuid5(uuid.NAMESPACE_OID, sym + str(i))), "class": "us_equity",
        "exchange": exchanges[i % len(exchanges)], "symbol": sym,
        "name": "%s Holdings Inc. Common Stock" % sym, "status": "active" if i % 7 else "inactive",
        "tradable": i % 7 != 0, "marginable": i % 3 != 0, "maintenance_margin_requirement": 30,
        "margin_requirement_long": "30", "margin_requirement_short": "100",
        "shortable": i % 2 == 0, "easy_to_borrow": i % 4 == 0, "fractionable": i % 5 != 0,
        "attributes": ["has_options"] if i % 3 == 0 else [],
        "cusip": "%09d" % (i * 7919 % 10 ** 9)})
json.dump(out, sys.stdout, separators=(",", ":"))
