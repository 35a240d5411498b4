"""GET /v1beta1/news: the market's articles (market/news.py), newest first by default."""

from data import params



class News:
    def __init__(self, sim):
        self.sim = sim

    def r_news(self, q):
        now = self.sim.now()
        syms = None
        if q.get("symbols"):
            syms = [s.strip().upper().replace("/", "") for s in q["symbols"].split(",") if s.strip()]
        start = params.when(q["start"], "start") if q.get("start") else params.DATA_START
        end = min(params.when(q["end"], "end"), now) if q.get("end") else now
        if end < start:
            raise params.error("end should not be before start")
        lim = params.integer(q, "limit", 10, 1, 50)
        asc = params.sort(q, "desc")
        content = params.boolean(q, "include_content", False)
        contentless = params.boolean(q, "exclude_contentless", False)
        tsym, tkey = params.untoken(q)
        if tsym is not None and (tsym != "news" or len(tkey) != 2):
            raise params.error("invalid page_token")
        out, tok = [], None
        for a in self.sim.market.news.between(syms, start, end, asc, content):
            key = (a["_ns"], a["id"])
            if tkey and ((asc and key < tkey) or (not asc and key > tkey)):
                continue
            if contentless and not a["content"] and content:
                continue
            if len(out) == lim:
                tok = params.token("news", key)
                break
            out.append({k: v for k, v in a.items() if not k.startswith("_")})
        return {"news": out, "next_page_token": tok}



