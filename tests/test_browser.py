#!/usr/bin/python3
"""The search page in a real browser: Debian's chromium, driven by
python3-selenium through chromium-driver, headless.

Builds an index of the project's corpus/ plus generated documents (enough hits
to page, a title with markup in it, a document with its term many times, a
hostile URL), starts wensuo-searchd on a free loopback port, and works through
the page as a researcher would: search, read the total, click a facet and
remove its chip, page, sort, go back; open the trend, click a point; open the
concordance, sort it, open a line's document; follow next and previous match;
take the export links. Every figure the page shows is checked against the
daemon's own JSON answer to the same question, and the console must hold no
script error and no Content-Security-Policy violation; the page loads nothing
from another origin, its labels are Chinese, and marks read without colour.
Screenshots of each view at 1280 px and at 400 px go to WS_BIN/test_browser/
(look at them).

Exits 77 with a message when no browser can run here; any failure exits 1
(a part that fails does not stop the others)."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsd import INDEXER, check, failures  # noqa: E402
import wsd  # noqa: E402

SRC = os.environ.get("WS_SRC", "")
BIN = os.environ.get("WS_BIN", "")
CORPUS = os.path.join(SRC, "corpus")
SHOTS = os.path.join(BIN, "test_browser")
WAIT = 60  # seconds for one view to render (the machine may be busy)

EVIL_TITLE = '港口计划<img src=x onerror="document.title=666">第11期'
TERM = "蓝鲸计划"  # in every generated document
RARE = "潮汐能"  # many times in one document, in several paragraphs
UNDATED = "无日期测试"  # in one undated document only
WRAPPED = "版面测试"  # in a hard-wrapped page and a law with headings


def generate(path, n=45):
    docs = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            doc = {
                "id": "gen/%03d" % i,
                "title": "%s第%d期港口建设进展" % (TERM, i) if i != 11 else EVIL_TITLE + TERM,
                "body": "%s推进港口建设，第%d期工程完成投资%d亿元。\n\n" % (TERM, i, i + 3)
                + ("集装箱吞吐量稳步增长，%s带动航运。" % TERM if i % 2 else "数字经济与港口协同发展。"),
                "date": "%d-%02d-%02d" % (2019 + i % 6, 1 + i % 12, 1 + i % 28),
                "source": ["甲日报", "乙晚报", "丙通讯"][i % 3],
                "type": ["news", "policy"][i % 2],
            }
            if i == 3:
                doc["url"] = "https://example.org/port/3.html"
            if i == 4:
                doc["url"] = "javascript:document.title=666"
            docs.append(doc)
        # print's hard wraps: a break after 按照 is no paragraph's end, one
        # after 。 is (the analyzer's rule, and the PARAGRAPH operator's)
        docs.append({
            "id": "gen/wrapped", "title": "硬换行的报告", "date": "2024-05-07", "source": "甲日报",
            "type": "report",
            "body": "中央人民政府按照\n中国人民政治协商会议共同纲领的规定，%s工作。\n第二段%s。" % (RARE, RARE),
        })
        docs.append({
            "id": "gen/rare", "title": RARE + "电站规划", "date": "2024-05-06", "source": "甲日报",
            "type": "policy",
            "body": "\n\n".join("第%d段：%s发电试点，%s装机容量扩大。" % (k, RARE, RARE)
                                for k in range(1, 9)),
        })
        # undated; hard-wrapped at a fixed width with digits in some lines
        # (a full line of Chinese is shorter in characters, not in print);
        # a law with Markdown headings
        docs.append({"id": "gen/undated", "title": UNDATED + "的通知", "source": "甲日报",
                     "type": "policy", "body": UNDATED + "，没有日期。"})
        lines = ["章贡区坚持工业强区战略推动产业链式发展是推进工", "业经济发展的密钥全区规模以上工业增加值",
                 "2023年增长8.5%，高于全省平均2.1个百分点", "主导产业集群营业收入突破1200亿元新能源",
                 "汽车和医药食品产业加快发展数字经济核心产业", "营收增长20.6%，" + WRAPPED + "取得新进展。"]
        docs.append({"id": "gen/print", "title": "印刷版面", "date": "2024-05-08", "source": "甲日报",
                     "type": "news", "body": "\n".join(lines)})
        docs.append({"id": "gen/law", "title": "某某条例", "date": "2024-05-09", "source": "乙晚报",
                     "type": "regulation",
                     "body": "## 第一章 总则\n\n第一条 为了规范" + WRAPPED + "，制定本条例。\n\n"
                             "## 第二章 附则\n第二条 本条例自公布之日起施行。"})
        for d in docs:
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
    return docs


# ---------------------------------------------------------------- the daemon's answers


def api(d, path, **params):
    """The daemon's JSON answer (an HTTPError, with the daemon's words, when
    it refuses)."""
    url = d.url + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            return json.loads(r.read())
    except urllib.error.HTTPError as e:
        raise AssertionError("%s?%s: %s %s" % (path, urllib.parse.urlencode(params, doseq=True),
                                              e.code, e.read().decode("utf-8", "replace")[:300]))


def fetch_bytes(url):
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.status, r.headers, r.read()


# ---------------------------------------------------------------- the browser


def browser_or_skip():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if os.path.exists("/usr/bin/chromedriver") else None)
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        webdriver = None
    if not chromium or not driver or not webdriver:
        print("SKIP: no browser can run here (needs Debian's chromium, chromium-driver and "
              "python3-selenium; tools/deps.sh installs them)")
        sys.exit(77)
    o = webdriver.ChromeOptions()
    for a in ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
              "--disable-background-networking", "--disable-component-update", "--disable-sync",
              "--disable-dev-shm-usage", "--lang=zh-CN"]:
        o.add_argument(a)
    o.add_argument("--user-data-dir=" + tempfile.mkdtemp(prefix="wensuo-chromium-"))
    o.add_argument("--window-size=1280,1000")
    o.binary_location = chromium
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        b = webdriver.Chrome(service=Service(driver), options=o)
    except Exception as e:  # the browser could not start here: not the page's fault
        print("SKIP: chromium did not start: %s" % str(e).splitlines()[0][:300])
        sys.exit(77)
    b.set_page_load_timeout(WAIT * 2)
    b.set_script_timeout(WAIT)
    return b


class Page:
    def __init__(self, b, d):
        self.b = b
        self.d = d

    def js(self, script, *args):
        return self.b.execute_script(script, *args)

    def wait(self, cond, what, timeout=WAIT):
        t0 = time.monotonic()
        while time.monotonic() - t0 < timeout:
            try:
                v = cond()
            except Exception:  # the page is between two documents
                v = None
            if v:
                return v
            time.sleep(0.1)
        raise AssertionError("timed out waiting for %s (status: %r, url: %s)"
                             % (what, self.status(), self.b.current_url))

    def status(self):
        try:
            return self.js("return document.getElementById('status').textContent")
        except Exception:
            return None

    def ready(self, view):
        """Waits for the page to finish rendering view; an error it shows is
        a failure."""
        def done():
            r = self.js("return document.body.dataset.ready || ''")
            return r if r in (view, "error") else None
        r = self.wait(done, "the %s view" % view)
        if r == "error":
            raise AssertionError("the page shows an error: %s" % self.status())

    def open(self, query, view):
        self.b.get(self.d.url + "/" + ("?" + urllib.parse.urlencode(query) if query else ""))
        self.ready(view)

    def click(self, el, view):
        self.js("delete document.body.dataset.ready")
        self.js("arguments[0].scrollIntoView({block: 'center'})", el)
        el.click()
        self.ready(view)

    def params(self):
        return dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(self.b.current_url).query))

    def texts(self, css):
        return self.js("return [...document.querySelectorAll(arguments[0])].map(e => e.textContent)",
                       css)

    def find(self, css):
        from selenium.webdriver.common.by import By
        return self.b.find_elements(By.CSS_SELECTOR, css)

    def shot(self, name, width):
        """A screenshot of the whole page at width; also checks that nothing
        is wider than the window."""
        self.b.set_window_size(width, 1000)
        time.sleep(0.3)
        height = self.js("return Math.min(document.documentElement.scrollHeight, 3000)")
        self.b.set_window_size(width, max(height, 600))
        time.sleep(0.3)
        path = os.path.join(SHOTS, "%s-%d.png" % (name, width))
        self.b.save_screenshot(path)
        over = self.js("return document.documentElement.scrollWidth - window.innerWidth")
        check(over <= 1, "%s at %d px: the page is %d px wider than the window" % (name, width, over))
        self.b.set_window_size(1280, 1000)


def snippet_marks(s):
    out = []
    for part in (s or "").split("<b>")[1:]:
        out.append(part.split("</b>")[0].replace("&lt;", "<").replace("&gt;", ">")
                   .replace("&amp;", "&"))
    return out


# ---------------------------------------------------------------- the parts


def part_results(p, d):
    """The first page of results: total, titles, snippets' marks and facets
    as the daemon answers them; no id under the titles; markup stays text."""
    j = api(d, "/search", q=TERM, limit=20, facets="source,type,year,month")
    p.open({"q": TERM}, "results")
    tot = p.js("return document.getElementById('total').dataset.total")
    check(int(tot) == j["total"], "results: the page's total %s, the daemon's %s" % (tot, j["total"]))
    shown = p.texts("#total-n")[0]
    word = "约" if j.get("estimated") else "共"
    check(shown.startswith(word) and "{:,}".format(j["total"]) in shown,
          "results: the total reads %r for %s (estimated: %s)" % (shown, j["total"], j.get("estimated")))
    strict = [h for h in j["hits"] if not h.get("relaxed")]
    relaxed = [h for h in j["hits"] if h.get("relaxed")]
    titles = p.texts("#hits .hit h3")
    check(titles == [h.get("title") or h["id"] for h in strict],
          "results: titles differ from the daemon's: %s" % titles[:3])
    check(len(p.texts("#relaxed .hit")) == len(relaxed), "results: relaxed hits not set apart")
    marks = p.js("return [...document.querySelectorAll('#hits .hit')].map(h => "
                 "[...h.querySelectorAll('.snip mark')].map(m => m.textContent))")
    check(marks == [snippet_marks(h.get("snippet")) for h in strict],
          "results: the snippets' marks differ from the daemon's")
    body = p.js("return document.getElementById('v-results').innerText")
    check("gen/0" not in body, "results: document ids are shown under the titles")
    # (the facets of TERM's page, before another query is opened)
    facets = j.get("facets", {})
    for name in ("type", "source", "year"):
        got = p.js("return [...document.querySelectorAll('.facet[data-facet=' + arguments[0] + '] li')]"
                   ".map(li => li.querySelector('.count').textContent)", name)
        want = sorted(facets.get(name, {}).values(), reverse=True)
        check(sorted(int(g.replace(",", "")) for g in got) == sorted(want),
              "results: facet %s counts %s, the daemon's %s" % (name, got, want))
    # the title with markup in it is text, not an element
    p.open({"q": "港口计划"}, "results")
    check(EVIL_TITLE + TERM in p.texts(".hit h3"), "results: the title with markup is not shown "
          "as text: %s" % p.texts(".hit h3"))
    check(not p.find("#hits img") and p.b.title != "666", "results: markup in a title ran as HTML")
    # a hit's source link is the url the daemon gives it, when that is http(s)
    jl = api(d, "/search", q='"第3期" OR "第4期"', limit=20)
    urls = {h["id"]: h.get("url") for h in jl["hits"]}
    check(urls.get("gen/003") == "https://example.org/port/3.html" and
          (urls.get("gen/004") or "").startswith("javascript:"),
          "results: the daemon's hits do not carry their urls: %s" % urls)
    p.open({"q": '"第3期" OR "第4期"'}, "results")
    links = p.js("return [...document.querySelectorAll('#hits .hit')].map(h => "
                 "[h.querySelector('h3').textContent, [...h.querySelectorAll('a.ext')].map(a => a.href)])")
    want = [[h.get("title"), [h["url"]] if (h.get("url") or "").startswith("https:") else []]
            for h in jl["hits"] if not h.get("relaxed")]
    check(links == want, "results: the hits' source links %s, the daemon's urls %s" % (links, want))
    # an answer whose ranking the time limit ended says so ("partial": true,
    # which a daemon gives under load: put into its answer here)
    check(p.js("return document.getElementById('total').dataset.partial") == "0" and
          not p.find("#total .partial"), "results: a whole ranking is said to be partial")
    p.js("const f = window.fetch; window.fetch = async (u, o) => { const r = await f(u, o);"
         " if (!String(u).startsWith('/search')) return r; const j = await r.json(); j.partial = true;"
         " return new Response(JSON.stringify(j), {status: 200}); }")
    p.click(p.find('.facet[data-facet=type] a')[0], "results")
    note = p.texts("#total .partial")
    check(note and "time limit" in note[0] and "超时" in note[0],
          "results: a partial ranking is not said to be: %s" % p.texts("#total"))


def part_facet(p, d):
    """Click a facet: the URL, the chip and the total follow; the chip's ×
    removes it; the back button brings it back."""
    j0 = api(d, "/search", q=TERM, limit=20)
    p.open({"q": TERM}, "results")
    link = p.find('.facet[data-facet=type] a')
    check(link, "facet: no type facet to click")
    if not link:
        return
    p.click(link[0], "results")
    t = p.params().get("type")
    check(t in ("news", "policy"), "facet: the URL does not carry the type: %s" % p.b.current_url)
    j = api(d, "/search", q=TERM, type=t, limit=20)
    tot = int(p.js("return document.getElementById('total').dataset.total"))
    check(tot == j["total"] and tot < j0["total"], "facet: total %s after type=%s, the daemon's %s"
          % (tot, t, j["total"]))
    chips = p.texts("#chips .chip")
    check(len(chips) == 1 and t in chips[0], "facet: no chip for type=%s: %s" % (t, chips))
    # a year facet narrows further (from=to=YEAR)
    year = p.find('.facet[data-facet=year] a')
    if check(year, "facet: no year facet"):
        y = year[-1].text.strip()
        p.click(year[-1], "results")
        pr = p.params()
        check(pr.get("from") == y and pr.get("to") == y, "facet: year %s gave %s" % (y, pr))
        jy = api(d, "/search", q=TERM, type=t, **{"from": y, "to": y})
        tot = int(p.js("return document.getElementById('total').dataset.total"))
        check(tot == jy["total"], "facet: total %s for %s %s, the daemon's %s" % (tot, t, y, jy["total"]))
        chips = p.texts("#chips .chip")
        check(len(chips) == 2 and y in chips[1], "facet: the year is not one chip: %s" % chips)
        # once a year is chosen, its months, as the daemon counts them; one
        # narrows to that month
        jm = api(d, "/search", q=TERM, type=t, facets="month", **{"from": y, "to": y})
        months = p.js("return [...document.querySelectorAll('.facet[data-facet=month] li')].map(li =>"
                      " [li.firstChild.textContent.replace(/^✓ /, ''), li.querySelector('.count')"
                      ".textContent])")
        want = sorted(([k, "{:,}".format(v)] for k, v in jm["facets"]["month"].items()), reverse=True)
        check(months == want and all(k.startswith(y + "-") for k, _ in months),
              "facet: the months of %s read %s, the daemon's %s" % (y, months, want))
        month = p.find('.facet[data-facet=month] a')
        if check(month, "facet: no month facet after choosing %s" % y):
            m = month[0].text.strip()
            p.click(month[0], "results")
            pr = p.params()
            check(pr.get("from") == m and pr.get("to") == m and pr.get("type") == t,
                  "facet: month %s gave %s" % (m, pr))
            tot = int(p.js("return document.getElementById('total').dataset.total"))
            check(tot == jm["facets"]["month"][m] == api(d, "/search", q=TERM, type=t,
                                                          **{"from": m, "to": m})["total"],
                  "facet: total %s for month %s, the facet said %s" % (tot, m, jm["facets"]["month"][m]))
            check(p.find(".facet[data-facet=month] a.on"), "facet: the chosen month is not marked")
            # a second click on the month goes back to its year, not to no date
            p.click(p.find(".facet[data-facet=month] a.on")[0], "results")
            pr = p.params()
            check(pr.get("from") == y and pr.get("to") == y,
                  "facet: undoing month %s gave %s, not the year %s" % (m, pr, y))
            for _ in range(2):
                p.js("delete document.body.dataset.ready")
                p.b.back()
                p.ready("results")
        p.js("delete document.body.dataset.ready")
        p.b.back()
        p.ready("results")
        check(not p.find(".facet[data-facet=month]"), "facet: months shown before a year is chosen")
    x = p.find("#chips .chip-x")
    p.click(x[0], "results")
    check("type" not in p.params(), "facet: the chip's × did not remove the filter")
    tot = int(p.js("return document.getElementById('total').dataset.total"))
    check(tot == j0["total"], "facet: total %s after removing the filter, not %s" % (tot, j0["total"]))
    p.js("delete document.body.dataset.ready")
    p.b.back()
    p.ready("results")
    check(p.params().get("type") == t, "facet: back did not bring the filter back: %s"
          % p.b.current_url)


def part_paging(p, d):
    """Page 2 is in the URL and holds the daemon's hits 21-40; sorting by
    date (newest, oldest) gives the daemon's order."""
    p.open({"q": TERM}, "results")
    nxt = p.find("#pager a[rel=next]")
    if not check(nxt, "paging: no next page link"):
        return
    p.click(nxt[0], "results")
    check(p.params().get("page") == "2", "paging: the URL has no page=2: %s" % p.b.current_url)
    j = api(d, "/search", q=TERM, limit=20, offset=20)
    check(p.texts("#hits .hit h3") == [h.get("title") or h["id"] for h in j["hits"]
                                       if not h.get("relaxed")],
          "paging: page 2 differs from the daemon's offset=20")
    # a page past the last says so and leads to the last, not "no document"
    total = api(d, "/search", q=TERM, limit=1)["total"]
    p.open({"q": TERM, "page": str(total // 20 + 5)}, "results")
    past = p.find("#hits li.past a")
    last = (total + 19) // 20
    check(past and "past the last" in p.texts("#hits li.past")[0],
          "paging: a page past the last is not said to be: %s" % p.texts("#hits li"))
    if past:
        p.click(past[0], "results")
        check(p.params().get("page", "1") == str(last) and
              len(p.texts("#hits .hit h3")) == total - (last - 1) * 20,
              "paging: the link past the end does not lead to the last page: %s" % p.b.current_url)
    from selenium.webdriver.support.ui import Select
    for value, label in (("date", "newest"), ("date_asc", "oldest")):
        j = api(d, "/search", q=TERM, limit=20, sort=value)
        p.js("delete document.body.dataset.ready")
        Select(p.find("#sort")[0]).select_by_value(value)
        p.ready("results")
        check(p.params().get("sort") == value and "page" not in p.params(),
              "sort %s: the URL is %s" % (label, p.b.current_url))
        check(p.texts("#hits .hit time") == [h.get("date") for h in j["hits"] if h.get("date")],
              "sort %s: dates differ from the daemon's" % label)


def part_keyboard(p, d):
    """'/' focuses the query box; typing and Enter searches."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    p.open({}, "home")
    p.js("delete document.body.dataset.ready")
    p.find("main")[0].click()
    ActionChains(p.b).send_keys("/").perform()
    check(p.js("return document.activeElement.id") == "q", "keyboard: '/' does not focus the query")
    ActionChains(p.b).send_keys(RARE + Keys.ENTER).perform()
    p.ready("results")
    check(p.params().get("q") == RARE, "keyboard: Enter did not search: %s" % p.b.current_url)


def part_tab_keys(p, d):
    """Tab reaches a facet, Enter follows it; the focus is visible."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    p.open({"q": TERM}, "results")
    p.js("document.activeElement.blur(); window.scrollTo(0, 0)")
    seen = []
    for _ in range(40):
        ActionChains(p.b).send_keys(Keys.TAB).perform()
        where = p.js("const a = document.activeElement;"
                     "return [a.tagName, a.closest('.facet') ? a.closest('.facet').dataset.facet : '',"
                     " getComputedStyle(a).outlineStyle]")
        seen.append(where[0])
        if where[1] == "type":
            break
    if not check(where[1] == "type", "keyboard: 40 tabs do not reach the type facet: %s" % seen):
        return
    check(where[2] not in ("none", ""), "keyboard: the focused facet shows no outline")
    p.js("delete document.body.dataset.ready")
    ActionChains(p.b).send_keys(Keys.ENTER).perform()
    p.ready("results")
    check(p.params().get("type") in ("news", "policy"), "keyboard: Enter on a facet gave %s"
          % p.b.current_url)


def part_rules(p, d):
    """The page's own rules: a strict Content-Security-Policy, nothing loaded
    from elsewhere, Chinese labels (English beside them), marks that read
    without colour, the header on one line at 1280 px, a CJK font to draw
    the Chinese of the screenshots."""
    import re
    st, hdrs, page = fetch_bytes(d.url + "/")
    csp = hdrs.get("Content-Security-Policy", "")
    rules = dict((r.strip().split(" ", 1) + [""])[:2] for r in csp.split(";") if r.strip())
    check(rules.get("default-src") == "'none'" and rules.get("script-src") == "'self'" and
          rules.get("style-src") == "'self'" and "unsafe" not in csp and "*" not in csp and
          "http" not in csp, "rules: the CSP is not strict: %r" % csp)
    sources = {"/": page.decode()}
    # the page's own scripts (Debian's chart.js is not ours to check)
    scripts = [f for f in re.findall(r'<script src="/static/([a-z]+\.js)"', sources["/"])
               if f != "chart.js"]
    check("app.js" in scripts and len(scripts) >= 6, "rules: the page's scripts: %s" % scripts)
    for f in scripts + ["app.css"]:
        sources[f] = fetch_bytes(d.url + "/static/" + f)[2].decode()
    for name, text in sources.items():
        check(not re.search(r"https?://|(src|href)=[\"']//|@import|url\(", text),
              "rules: %s names an outside resource" % name)
    check(not re.search(r"<script>|<style|\son[a-z]+=|\sstyle=", sources["/"]),
          "rules: index.html holds inline script or style")
    for query, view in (({"q": TERM, "from": "2020", "to": "2020"}, "results"),
                        ({"q": TERM, "view": "trend"}, "trend"), ({"q": RARE, "view": "kwic"}, "kwic"),
                        ({"doc": "gen/rare", "q": RARE}, "doc"), ({}, "home")):
        p.open(query, view)
        loaded = p.js("return performance.getEntriesByType('resource').map(e => e.name)")
        check(all(u.startswith(d.url + "/") for u in loaded),
              "rules: %s loads from elsewhere: %s" % (view, [u for u in loaded
                                                             if not u.startswith(d.url + "/")]))
        bare = p.js("return [...document.querySelectorAll('button, label, summary, legend, h1, h2, h3,"
                    " thead th, caption, option, a.button, #views a, .chip-name')]"
                    ".filter(e => e.offsetParent !== null || e.tagName === 'OPTION')"
                    ".map(e => [...e.childNodes].filter(n => !/^(SELECT|INPUT)$/.test(n.nodeName))"
                    ".map(n => n.textContent).join('').trim())"
                    ".filter(t => t && !/^[\\d,.]+$/.test(t) && !/[\\u4e00-\\u9fff]/.test(t))")
        check(not bare, "rules: %s has labels without Chinese: %s" % (view, bare[:5]))
        top = p.js("return ['.brand', '#search', '#views'].map(s => document.querySelector(s))"
                   ".filter(e => e && e.offsetParent !== null)"
                   ".map(e => Math.round(e.getBoundingClientRect().top + e.offsetHeight / 2))")
        check(max(top) - min(top) <= 4, "rules: the header wraps at 1280 px in %s: %s" % (view, top))
    p.open({"q": TERM}, "results")
    st = p.js("const m = document.querySelector('#hits mark'); const c = getComputedStyle(m);"
              "return [c.fontWeight, c.textDecorationLine]")
    check(int(st[0]) >= 600 and "underline" in st[1], "rules: a mark is only coloured: %s" % st)
    p.open({"doc": "gen/rare", "q": RARE}, "doc")
    st = p.js("return getComputedStyle(document.querySelector('mark.current')).outlineStyle")
    check(st not in ("none", ""), "rules: the current match is only coloured")
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True)
    check(fonts.returncode == 0 and fonts.stdout.strip(),
          "rules: no CJK font: Chinese shows as boxes (install fonts-noto-cjk)")


def part_trend(p, d):
    """The trend of two terms: the table holds the daemon's figures, the chart
    is drawn, and a click on a point opens the hits of that period."""
    # a comma inside quotes, and 、, belong to the term: one series each
    for q in ('"%s，港口"' % TERM, "%s、港口" % TERM):
        p.open({"q": q, "view": "trend"}, "trend")
        series = p.js("const c = window.Chart && Chart.getChart(document.getElementById('chart'));"
                      "return c ? c.data.datasets.length : -1")
        check(series == 1 and "Error" not in (p.status() or ""),
              "trend of %s: %s series, status %r" % (q, series, p.status()))
    terms = [TERM, "港口"]
    j = api(d, "/trend", q=terms, by="year")
    p.open({"q": ",".join(terms), "view": "trend"}, "trend")
    # the undated bucket is the table's last row, not the time line's
    # (part_trend_views): the dated ones here
    j["buckets"] = [b for b in j["buckets"] if b["key"] is not None]
    keys = [b["key"] for b in j["buckets"]]
    rows = p.js("return [...document.querySelectorAll('#trend-table tbody tr')].map(tr => "
                "[tr.cells[0].textContent, ...[...tr.cells].slice(2).map(c => +c.dataset.documents)])")
    want = [[b["key"]] + [s["documents"] for s in b["series"]] for b in j["buckets"]]
    check([r for r in rows if r[0] in keys] == want,
          "trend: the table %s, the daemon's %s" % (rows[:3], want[:3]))
    check(all(not any(r[1:]) for r in rows if r[0] not in keys),
          "trend: a period the daemon does not give is not zero")
    drawn = p.js("const c = window.Chart && Chart.getChart(document.getElementById('chart'));"
                 "return c ? [c.data.labels, c.data.datasets.map(ds => ds.data)] : null")
    if not check(drawn, "trend: no chart was drawn (is libjs-chart.js embedded?)"):
        return
    labels, data = drawn
    at = [labels.index(k) if k in labels else -1 for k in keys]
    check(-1 not in at and [[data[t][i] for i in at] for t in range(len(terms))] ==
          [[b["series"][t]["documents"] for b in j["buckets"]] for t in range(len(terms))],
          "trend: the chart's data %s differ from the daemon's" % data)
    # per 10,000 documents
    from selenium.webdriver.support.ui import Select
    p.js("delete document.body.dataset.ready")
    Select(p.find("#per")[0]).select_by_value("docs")
    p.ready("trend")
    check(p.params().get("per") == "docs", "trend: the scale is not in the URL")
    data = p.js("return Chart.getChart(document.getElementById('chart')).data.datasets[0].data")
    rate = [b["series"][0]["documents"] * 10000 / b["documents"] if b["documents"] else 0
            for b in j["buckets"]]
    check(all(abs(data[a] - r) < 1e-6 for a, r in zip(at, rate)),
          "trend: per 10,000 documents %s, not %s" % (data, rate))
    # a click on the last point of the first term
    i = max(k for k, b in enumerate(j["buckets"]) if b["series"][0]["documents"] > 0)
    key = keys[i]
    x, y = p.js("const c = Chart.getChart(document.getElementById('chart'));"
                "document.getElementById('chart').scrollIntoView({block: 'center'});"
                "const e = c.getDatasetMeta(0).data[arguments[0]]; return [e.x, e.y]", at[i])
    from selenium.webdriver.common.action_chains import ActionChains
    canvas = p.find("#chart")[0]
    w, h = canvas.size["width"], canvas.size["height"]
    p.js("delete document.body.dataset.ready")
    ActionChains(p.b).move_to_element_with_offset(canvas, int(x - w / 2), int(y - h / 2)).click().perform()
    p.ready("results")
    pr = p.params()
    check(pr.get("q") == TERM and pr.get("from", "").startswith(key[:4]) and "view" not in pr,
          "trend: the click on %s gave %s" % (key, p.b.current_url))
    js = api(d, "/search", q=TERM, **{"from": pr.get("from"), "to": pr.get("to")})
    check(int(p.js("return document.getElementById('total').dataset.total")) == js["total"]
          == j["buckets"][i]["series"][0]["documents"],
          "trend: the period's hits (%s) are not the point's documents (%s)"
          % (js["total"], j["buckets"][i]["series"][0]["documents"]))


def part_trend_views(p, d):
    """The trend's terms come back through the other tabs; the undated
    documents are the table's and not the time line's; by source, bars; a
    term that matches nothing is said so; a query too long for a URL is
    refused in the box."""
    terms = "%s,%s" % (TERM, UNDATED)
    p.open({"q": terms, "view": "trend"}, "trend")
    chart = ("const c = window.Chart && Chart.getChart(document.getElementById('chart'));"
             "return c ? [c.config.type, c.data.labels, c.data.datasets.length] : null")
    kind, labels, n = p.js(chart)
    rows = p.texts("#trend-table tbody th")
    check(kind == "line" and n == 2 and not any("undated" in x for x in labels) and
          rows[-1] == "无日期 undated" and "undated" in p.js(
              "return document.getElementById('trend-note').textContent"),
          "trend: undated on the line: %s %s %s, rows end %s" % (kind, labels[-2:], n, rows[-1:]))
    # the table as CSV: every bucket the daemon gives, its counts
    href = p.find("#export-trend")[0].get_attribute("href")
    rows = list(csv.reader(io.StringIO(urllib.parse.unquote(href.split(",", 1)[1]).lstrip("\ufeff"))))
    j = api(d, "/trend", q=[TERM, UNDATED], by="year")
    want = [["year", "documents", "characters", TERM + " documents", TERM + " occurrences",
             UNDATED + " documents", UNDATED + " occurrences"]] + [
        [b["key"] or "", str(b["documents"]), str(b["characters"])] +
        [str(x[k]) for x in b["series"] for k in ("documents", "occurrences")]
        for b in j["buckets"]]
    check(href.startswith("data:text/csv") and rows == want,
          "trend CSV: %s, want %s" % (rows[:2], want[:2]))
    p.click(p.find("#tab-kwic")[0], "kwic")
    check(p.params().get("q") == "%s OR %s" % (TERM, UNDATED), "kwic of the terms: %s" % p.params())
    p.click(p.find("#tab-trend")[0], "trend")
    kind, labels, n = p.js(chart)
    check(p.params().get("q") == terms and n == 2,
          "trend after kwic: %s, %d series" % (p.params().get("q"), n))
    p.open({"q": TERM, "view": "trend", "by": "source"}, "trend")
    kind, labels, n = p.js(chart)
    check(kind == "bar" and p.texts("#trend-table thead th")[0] == "来源 source",
          "trend by source: %s, %s" % (kind, p.texts("#trend-table thead th")[:1]))
    p.open({"q": "量子纠缠火星殖民", "view": "trend"}, "trend")
    check("No document holds" in p.js("return document.getElementById('trend-note').textContent"),
          "trend of nothing: no word of it")
    p.open({"q": TERM}, "results")
    before = p.b.current_url
    p.js("document.getElementById('q').value = arguments[0];"
         "document.getElementById('search').requestSubmit()", "港" * 2000)
    time.sleep(0.5)
    check(p.b.current_url == before and "查询过长" in (p.status() or ""),
          "a query of 6,000 bytes: %s, status %r" % (p.b.current_url[:80], p.status()))


def part_doc_print(p, d):
    """A page wrapped at a fixed width reads as one paragraph though some
    lines hold digits; Markdown headings read as headings."""
    p.open({"doc": "gen/print", "q": WRAPPED}, "doc")
    paras = p.texts("#doc-body p")
    check(len(paras) == 1 and "推进工业经济" in paras[0] and "值2023年" in paras[0],
          "print's page: %d paragraphs %s" % (len(paras), [x[:12] for x in paras]))
    p.open({"doc": "gen/law", "q": WRAPPED}, "doc")
    heads = p.texts("#doc-body p.heading")
    check(heads == ["第一章 总则", "第二章 附则"] and len(p.texts("#doc mark")) == 1 and
          "第二条 本条例自公布之日起施行。" in p.texts("#doc-body p"),
          "law's headings: %s" % heads)


def part_kwic(p, d):
    """Concordance lines as the daemon gives them, sorted on the left
    context; a line opens its document at that match."""
    j = api(d, "/concordance", q=RARE, sort="date", width=20, limit=100)
    p.open({"q": RARE, "view": "kwic"}, "kwic")
    t = p.js("return document.getElementById('kwic-total').dataset")
    check(int(t["occurrences"]) == j["total_occurrences"] and
          int(t["documents"]) == j["total_documents"],
          "kwic: totals %s, the daemon's %s/%s" % (t, j["total_occurrences"], j["total_documents"]))
    rows = p.js("return [...document.querySelectorAll('#kwic tbody tr')].map(tr => "
                "[tr.cells[0].textContent, tr.cells[1].textContent, tr.cells[2].textContent])")
    check(rows == [[l["left"], l["match"], l["right"]] for l in j["lines"]],
          "kwic: lines differ from the daemon's")
    # the match column is aligned: every match starts at the same x
    xs = p.js("return [...document.querySelectorAll('#kwic td.match a')].map(a => "
              "Math.round(a.closest('td').getBoundingClientRect().left))")
    check(len(set(xs)) == 1, "kwic: the matches are not aligned: %s" % xs[:5])
    from selenium.webdriver.support.ui import Select
    js = api(d, "/concordance", q=RARE, sort="left", width=20, limit=100)
    p.js("delete document.body.dataset.ready")
    Select(p.find("#ksort")[0]).select_by_value("left")
    p.ready("kwic")
    rows = p.texts("#kwic tbody td.left")
    check(p.params().get("ksort") == "left" and rows == [l["left"] for l in js["lines"]],
          "kwic: sorted on the left context differs from the daemon's")
    # open the third line: the reading view's current match has that left context
    k = min(2, len(js["lines"]) - 1)
    line = js["lines"][k]
    p.click(p.find("#kwic td.match a")[k], "doc")
    check(p.params().get("doc") == line["id"], "kwic: the line opened %s" % p.b.current_url)
    before = p.js("const m = document.querySelector('mark.current'); const r = document.createRange();"
                  "r.setStart(document.getElementById('doc'), 0); r.setEndBefore(m);"
                  "return r.toString()")
    norm = lambda s: " ".join(s.split())  # noqa: E731
    check(norm(before).endswith(norm(line["left"])[-10:]),
          "kwic: the document opened at another match (before it: ...%r, the line's left: %r)"
          % (before[-20:], line["left"]))


def part_doc(p, d):
    """The reading view: every occurrence the daemon gives is marked, next and
    previous (buttons and keys) walk them, the source URL is a link only when
    it is http(s)."""
    j = api(d, "/documents/gen/rare", q=RARE)
    p.open({"doc": "gen/rare", "q": RARE}, "doc")
    marks = p.texts("#doc mark")
    check(len(marks) == 17 and all(m == RARE for m in marks),
          "doc: %d marks (%s), the text holds %s 17 times" % (len(marks), marks[:3], RARE))
    occ = j.get("occurrences") or {}
    n = len(occ.get("title", [])) + len(occ.get("body", []))
    check(n == len(marks), "doc: %d marks, the daemon gives %d occurrences" % (len(marks), n))
    check(p.texts("#doc-title")[0] == RARE + "电站规划", "doc: the title reads %r" % p.texts("#doc-title"))
    check(len(p.find("#doc-body p")) == 8, "doc: %d paragraphs, not 8" % len(p.find("#doc-body p")))
    check("does not match" not in (p.status() or ""), "doc: a match said not to match")
    # a document the query does not match says so over its marks
    p.open({"doc": "gen/rare", "q": RARE + " -电站"}, "doc")
    check("does not match" in (p.status() or "") and len(p.texts("#doc mark")) == 17,
          "doc: not matching, status %r, %d marks" % (p.status(), len(p.texts("#doc mark"))))
    p.open({"doc": "gen/rare", "q": RARE}, "doc")
    cur = lambda: p.js("return document.getElementById('doc-pos').dataset.current")  # noqa: E731
    check(cur() == "1", "doc: the first match is not current")
    p.find("#next")[0].click()
    check(cur() == "2" and p.params().get("m") == "2", "doc: next did not go to match 2")
    from selenium.webdriver.common.action_chains import ActionChains
    p.find("#doc-title")[0].click()
    ActionChains(p.b).send_keys("n").perform()
    check(cur() == "3", "doc: the key n did not go to match 3")
    ActionChains(p.b).send_keys("p").send_keys("p").send_keys("p").perform()
    check(cur() == str(len(marks)), "doc: previous from the first does not wrap to the last")
    # on a phone, previous, where and next stay on one line
    p.b.set_window_size(400, 900)
    tops = p.js("return ['prev', 'doc-pos', 'next'].map(id => {"
                " const r = document.getElementById(id).getBoundingClientRect();"
                " return Math.round(r.top + r.height / 2); })")
    p.b.set_window_size(1280, 1000)
    check(max(tops) - min(tops) <= 4, "doc: the match navigation wraps at 400 px: %s" % tops)
    cur_mark = p.js("return [...document.querySelectorAll('#doc mark')].indexOf("
                    "document.querySelector('mark.current')) + 1")
    check(cur_mark == len(marks), "doc: the current mark is %s" % cur_mark)
    # a match across a hard wrap (扩区调\n区方案) is one mark, where the daemon says
    wrapped = "sample/policy/linjiang-kuoqu"
    jw = api(d, "/documents/" + wrapped, q="调区")
    p.open({"doc": wrapped, "q": "调区"}, "doc")
    got = p.texts("#doc mark")
    if jw is not None:
        occ = jw["occurrences"]
        want = ["".join(list(jw[f])[a:b]).replace("\n", "") for f in ("title", "body")
                for a, b in occ[f]]
        check(got == want and len(got) >= 2, "doc: marks %s, the daemon's %s" % (got, want))
    check(got and all(m == "调区" for m in got), "doc: a wrapped match is marked %s" % got)
    check(p.texts("#doc-title")[0] == "扩区调区获批 园区发展空间再拓展",
          "doc: the wrapped title reads %r" % p.texts("#doc-title"))
    # metadata: an http URL is a link, a javascript: URL is not
    p.open({"doc": "gen/003", "q": TERM}, "doc")
    links = p.js("return [...document.querySelectorAll('#doc-meta a')].map(a => a.href)")
    check(links == ["https://example.org/port/3.html"], "doc: the source URL link is %s" % links)
    p.open({"doc": "gen/004", "q": TERM}, "doc")
    check(not p.find("#doc-meta a") and p.b.title != "666", "doc: a javascript: URL became a link")
    # the back link returns to the results
    p.open({"q": TERM}, "results")
    p.click(p.find("#hits .hit h3 a")[0], "doc")
    p.click(p.find("#doc-back")[0], "results")
    check(p.params() == {"q": TERM}, "doc: back went to %s" % p.b.current_url)


def part_export(p, d):
    """The export buttons stream the whole result as CSV: every hit, every
    concordance line."""
    p.open({"q": TERM, "type": "policy"}, "results")
    href = p.find("#export-hits")[0].get_attribute("href")
    j = api(d, "/search", q=TERM, type="policy", limit=1)
    st, hdrs, body = fetch_bytes(href)
    text = body.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    check(body.startswith(b"\xef\xbb\xbf"), "export: the CSV has no UTF-8 BOM")
    check(len(rows) - 1 == j["total"], "export: %d rows, the total is %d" % (len(rows) - 1, j["total"]))
    check("id" in rows[0] and "title" in rows[0], "export: the header is %s" % rows[0])
    p.open({"q": RARE, "view": "kwic"}, "kwic")
    href = p.find("#export-kwic")[0].get_attribute("href")
    jk = api(d, "/concordance", q=RARE, limit=1)
    st, hdrs, body = fetch_bytes(href)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    check(len(rows) - 1 == jk["total_occurrences"], "export: %d concordance rows, %d occurrences"
          % (len(rows) - 1, jk["total_occurrences"]))


def part_mends(p, d):
    """What showed wrong figures or places: an error left the previous
    query's results under it; a figure of a trend by type opened hits of
    every type; a multi-term trend's tabs searched the commas; the reading
    view cut a paragraph at a hard wrap; a concordance line at the start of
    a body opened the title's match."""
    p.open({"q": TERM}, "results")
    p.js("delete document.body.dataset.ready")
    p.b.get(p.d.url + "/?" + urllib.parse.urlencode({"q": "A NEAR/5 B NEAR/5 C"}))
    p.wait(lambda: p.js("return document.body.dataset.ready") == "error", "the error")
    shown = p.js("return [...document.querySelectorAll('section.view')].filter(v => !v.hidden)"
                 ".map(v => v.id)")
    check(shown == [] and "Error" in (p.status() or ""),
          "an error: views still shown %s, status %r" % (shown, p.status()))
    # a trend by type: each figure opens its type's hits
    j = api(d, "/trend", q=[TERM], by="type")
    p.open({"q": TERM, "view": "trend", "by": "type"}, "trend")
    check(p.js("return document.getElementById('by').value") == "type", "trend: by type not shown")
    links = p.js("return [...document.querySelectorAll('#trend-table tbody a')].map(a => "
                 "[a.closest('tr').cells[0].textContent, a.getAttribute('href')])")
    want = {b["key"]: b["series"][0]["documents"] for b in j["buckets"] if b["series"][0]["documents"]}
    # a type is named in Chinese before its key (新闻 news): the key is the last word
    got = {k.split()[-1]: dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(h).query))
           for k, h in links}
    check(sorted(got) == sorted(want) and all(g.get("type") == k for k, g in got.items()),
          "trend by type: links %s for %s" % (got, want))
    for k, g in got.items():
        check(api(d, "/search", q=g["q"], type=g["type"])["total"] == want[k],
              "trend by type: %s's link finds another count" % k)
    # a multi-term trend's other tabs ask for any of its terms
    p.open({"q": TERM + "，港口", "view": "trend"}, "trend")
    tab = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
        p.js("return document.getElementById('tab-results').getAttribute('href')")).query))
    check(tab.get("q") == TERM + " OR 港口", "trend: the results tab asks for %r" % tab.get("q"))
    # in the results a comma is the query's own: the tabs keep the query
    p.open({"q": TERM + "，港口"}, "results")
    tab = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
        p.js("return document.getElementById('tab-kwic').getAttribute('href')")).query))
    check(tab.get("q") == TERM + "，港口", "results: the kwic tab asks for %r" % tab.get("q"))
    # a new query keeps how the view is set
    p.open({"q": TERM, "view": "trend", "by": "quarter", "per": "docs"}, "trend")
    p.js("delete document.body.dataset.ready; document.getElementById('q').value = '港口';"
         "document.getElementById('search').requestSubmit()")
    p.ready("trend")
    pr = p.params()
    check(pr.get("q") == "港口" and pr.get("by") == "quarter" and pr.get("per") == "docs",
          "a new query lost the trend's settings: %s" % pr)
    # a width typed in the URL is shown in its menu
    p.open({"q": TERM, "view": "kwic", "width": "5"}, "kwic")
    check(p.js("return document.getElementById('width').value") == "5", "kwic: width=5 not shown")
    # a reading view opened from a link leads back to the view it came from
    href = p.js("return document.querySelector('#kwic td.match a').getAttribute('href')")
    p.js("delete document.body.dataset.ready")
    p.b.get(p.d.url + href)
    p.ready("doc")
    back = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(
        p.js("return document.getElementById('doc-back').getAttribute('href')")).query))
    check(back == {"q": TERM, "view": "kwic", "width": "5"}, "doc: back leads to %s" % back)
    # a view the page does not know shows the results
    p.open({"q": TERM, "view": "bogus"}, "results")
    # the reading view joins a hard wrap, as the analyzer reads the text
    p.open({"doc": "gen/wrapped", "q": RARE}, "doc")
    paras = p.texts("#doc-body p")
    check(len(paras) == 2 and paras[0].startswith("中央人民政府按照中国人民政治协商会议"),
          "doc: a hard wrap cut the paragraph: %s" % paras)
    # a concordance line opens its own match, the body's first too
    lines = api(d, "/concordance", q=RARE, sort="date", width=20, limit=1000)["lines"]
    k = next((i for i, l in enumerate(lines) if l["id"] == "gen/rare" and not l["left"]
              and l["title"] != l["match"]), None)
    for i in [x for x in (k,) if x is not None] + [0]:
        p.open({"q": RARE, "view": "kwic"}, "kwic")
        href = p.js("return [...document.querySelectorAll('#kwic td.match a')][arguments[0]]"
                    ".getAttribute('href')", i) if i < 100 else None
        if not href:
            continue
        p.js("delete document.body.dataset.ready")
        p.b.get(p.d.url + href)
        p.ready("doc")
        after = p.js("const m = document.querySelector('mark.current'); const r = document.createRange();"
                     "r.setStartAfter(m); r.setEnd(document.getElementById('doc'), "
                     "document.getElementById('doc').childNodes.length); return r.toString()")
        right = "".join(lines[i]["right"].split())[:8]
        check("".join(after.split()).startswith(right),
              "kwic: line %d opened another match (after it %r, the line's right %r)"
              % (i, after[:20], right))


def part_shots(p, d):
    """Each view at 1280 px and at 400 px, for a person to look at."""
    views = [("results", {"q": TERM, "type": "policy"}, "results"),
             ("results-month", {"q": TERM, "from": "2020", "to": "2020"}, "results"),
             ("home", {}, "home"),
             ("trend", {"q": TERM + ",港口", "view": "trend"}, "trend"),
             ("kwic", {"q": RARE, "view": "kwic"}, "kwic")]
    views.append(("doc", {"doc": "gen/rare", "q": RARE, "m": "3"}, "doc"))
    views.append(("doc-wrapped", {"doc": "sample/policy/linjiang-kuoqu", "q": "扩区"}, "doc"))
    views.append(("doc-notmatch", {"doc": "gen/rare", "q": RARE + " -电站"}, "doc"))
    for name, query, view in views:
        p.open(query, view)
        for w in (1280, 400):
            p.shot(name, w)


def console_problems(b):
    """Script errors and CSP violations in the browser's console (a failed
    request of the page's own is the daemon's answer, checked elsewhere)."""
    bad = []
    for e in b.get_log("browser"):
        msg = e.get("message", "")
        if "Content Security Policy" in msg or (e.get("level") == "SEVERE"
                                                 and e.get("source") != "network"):
            bad.append(msg[:300])
    return bad


def main():
    b = browser_or_skip()
    tmp = tempfile.mkdtemp(prefix="wensuo-browser-")
    d = None
    try:
        os.makedirs(SHOTS, exist_ok=True)
        gen = os.path.join(tmp, "gen.jsonl")
        generate(gen)
        db = os.path.join(tmp, "idx")
        out = subprocess.run([INDEXER, "--quiet", "--db", db, CORPUS, gen], capture_output=True)
        if out.returncode != 0:
            print("FAIL: indexing: %s" % out.stderr.decode()[-1000:])
            return 1
        d = wsd.Daemon(db, tmp, "browser")
        p = Page(b, d)
        for part in (part_results, part_facet, part_paging, part_keyboard, part_tab_keys,
                     part_trend, part_trend_views, part_kwic, part_doc, part_doc_print, part_export, part_rules, part_mends,
                     part_shots):
            t0 = time.monotonic()
            try:
                part(p, d)
            except Exception as e:  # one part's failure does not hide the others'
                check(False, "%s: %s: %s" % (part.__name__, type(e).__name__, str(e)[:500]))
            print("%-14s %.1f s" % (part.__name__, time.monotonic() - t0), flush=True)
        for m in console_problems(b):
            check(False, "console: %s" % m)
    finally:
        try:
            b.quit()
        except Exception:
            pass
        if d:
            d.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    print("screenshots in %s" % SHOTS)
    if failures:
        print("%d failed" % len(failures))
        return 1
    print("all parts passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
