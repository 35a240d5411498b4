#!/usr/bin/env python3
"""The Python way of loading bars, for scripts/bench: every page of GET
/v2/stocks/bars with urllib, json, and psycopg2's COPY FROM STDIN into the
table, in one transaction, the table emptied first.

    bars_loader.py URL TABLE

URL is the first page's (symbols, timeframe, range, limit); the next pages add
page_token.  The connection is libpq's default (PGHOST, PGPORT, ...).  Prints
"seconds rows backend_peak_mb python_peak_mb": the load's time, the rows in
the table after it, the peak resident memory it added to the backend that
copied (over idle_kb(), bench/bars.sql), and this process's own peak.
"""
import io
import json
import resource
import sys
import time
import urllib.parse
import urllib.request

import psycopg2

url, table = sys.argv[1], sys.argv[2]
conn = psycopg2.connect("")
cur = conn.cursor()
cur.execute("TRUNCATE %s" % table)
conn.commit()
cur.execute("SELECT idle_kb()")
idle = cur.fetchone()[0]

start = time.monotonic()
token = None
while True:
    page_url = url + ("&page_token=" + urllib.parse.quote(token, safe="") if token else "")
    with urllib.request.urlopen(page_url) as r:
        # prices as they were written (str), as the extension keeps them: numeric, digit for digit
        page = json.loads(r.read(), parse_float=str)
    buf = io.StringIO()
    for symbol, bars in (page.get("bars") or {}).items():
        for b in bars:
            buf.write("%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n"
                      % (symbol, b["t"], b["o"], b["h"], b["l"], b["c"], b["v"], b["n"], b["vw"]))
    buf.seek(0)
    cur.copy_expert("COPY %s FROM STDIN" % table, buf)
    token = page.get("next_page_token")
    if not token:
        break
conn.commit()
seconds = time.monotonic() - start

cur.execute("SELECT count(*), round((hwm_kb() - %s) / 1024.0, 1) FROM " + table, (idle,))
rows, backend_mb = cur.fetchone()
conn.close()
python_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print("%.3f %d %s %.1f" % (seconds, rows, backend_mb, python_mb))
