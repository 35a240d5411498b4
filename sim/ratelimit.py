"""The account's request budget: Alpaca's per-account minute, one for each API.

Alpaca counts an account's requests, not a connection's or a server's:
every answer tells what the account has left, in three headers:

    X-RateLimit-Limit      the requests a minute the account may make
    X-RateLimit-Remaining  what is left of them in the current window
    X-RateLimit-Reset      the Unix time (seconds) at which the window resets

The window model: fixed 60-second windows.  A window opens with the first
request after the previous one closed (so windows are not aligned to the
clock's minutes: Alpaca's reset times are not either) and closes 60 seconds
later; X-RateLimit-Reset is its close, rounded up to the second.  Every
request with the account's keys counts in the window it arrives in,
whether it is answered or refused.

With a limit set (config "requests_per_minute" for the Trading API,
"data_requests_per_minute" for the Market Data API; null, the default,
enforces nothing) a request past the limit in its window is answered 429,
Remaining 0.  Without one the account has no limit to speak of: the headers
count down honestly from UNLIMITED, so a client that obeys them (as the
extension does) is not held back by a limit nobody set.
Alpaca is not known to send Retry-After with its 429s; config
"retry_after": true adds one (the seconds to the reset) for clients that
want to test it.
"""

import math
import threading
import time

UNLIMITED = 100000   # what the headers say while no limit is set
KEEP = 1000          # windows remembered for /_sim/state


class Budget:
    def __init__(self, api):
        self.api = api
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with self.lock:
            self.windows = []        # {"start", "requests", "limited"}, oldest first
            self.limited = 0
            self.peak = 0

    def take(self, limit, clock=time.time):
        """Count one request: (allowed, headers)."""
        now = clock()
        with self.lock:
            w = self.windows[-1] if self.windows else None
            if w is None or now >= w["start"] + 60:
                w = {"start": now, "requests": 0, "limited": 0}
                self.windows.append(w)
                del self.windows[:-KEEP]
            w["requests"] += 1
            self.peak = max(self.peak, w["requests"])
            shown = UNLIMITED if limit is None else limit
            allowed = limit is None or w["requests"] <= limit
            if not allowed:
                w["limited"] += 1
                self.limited += 1
            reset = int(math.ceil(w["start"] + 60))
            headers = {"X-RateLimit-Limit": str(shown),
                       "X-RateLimit-Remaining": str(max(0, shown - w["requests"])),
                       "X-RateLimit-Reset": str(reset)}
            return allowed, headers, max(0, int(math.ceil(w["start"] + 60 - now)))

    def peek(self, limit, clock=time.time):
        """The headers as they stand, without counting a request."""
        now = clock()
        with self.lock:
            w = self.windows[-1] if self.windows and now < self.windows[-1]["start"] + 60 else None
            shown = UNLIMITED if limit is None else limit
            used = w["requests"] if w else 0
            reset = int(math.ceil(w["start"] + 60)) if w else int(math.ceil(now + 60))
            return {"X-RateLimit-Limit": str(shown), "X-RateLimit-Remaining": str(max(0, shown - used)),
                    "X-RateLimit-Reset": str(reset)}

    def report(self, limit):
        with self.lock:
            return {"limit": UNLIMITED if limit is None else limit, "enforced": limit,
                    "windows": [{"start": round(w["start"], 3), "reset": int(math.ceil(w["start"] + 60)),
                                 "requests": w["requests"], "limited": w["limited"]} for w in self.windows],
                    "max_in_window": self.peak, "limited": self.limited}


class Budgets:
    """The trading budget and the market data budget, and the config keys that set them."""

    KEYS = {"trading": "requests_per_minute", "data": "data_requests_per_minute"}

    def __init__(self, config):
        self.config = config
        self.by_api = {api: Budget(api) for api in self.KEYS}

    def reset(self):
        for b in self.by_api.values():
            b.reset()

    def limit(self, api):
        return self.config.get(self.KEYS[api])

    def take(self, api):
        return self.by_api[api].take(self.limit(api))

    def report(self):
        return {api: b.report(self.limit(api)) for api, b in self.by_api.items()}
