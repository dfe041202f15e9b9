#!/usr/bin/python3
"""Integration test of wensuo-searchd and the client's server mode.

Builds a fresh index from the project's corpus/ plus generated documents with
known sources, types and dates, starts the daemon on a free loopback port and
a Unix socket, and checks what issue 3 asks: the same results as the local
search, filters, paging, sorting and facets, every limit, 200 concurrent
connections, reopen after an external commit, malformed and truncated
requests, idle timeouts and a clean shutdown on SIGTERM. Standard library
only. WS_BIN, WS_SRC are set by ctest."""

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsd import CLIENT, INDEXER, SEARCHD, UnixHTTPConnection, check, failures, get  # noqa: E402
import wsd  # noqa: E402

SRC = os.environ.get("WS_SRC", "")
CORPUS = os.path.join(SRC, "corpus")
SLOW = 1.0  # how long the debug delay makes an index request


def q(**params):
    return urllib.parse.urlencode(params)


# ---------------------------------------------------------------- helpers


class Daemon(wsd.Daemon):
    """wsd.Daemon on 127.0.0.1; the checks test its exit status themselves."""

    def __init__(self, db, tmp, name, *extra):
        super().__init__(db, tmp, name, *extra, report_exit=False)


class Raw:
    """A raw socket that reads HTTP responses itself (http.client's buffered
    reader would swallow pipelined answers)."""

    def __init__(self, d, timeout=15):
        self.s = socket.create_connection(("127.0.0.1", d.port), timeout=timeout)
        self.buf = b""

    def send(self, data):
        self.s.sendall(data)

    def _fill(self):
        chunk = self.s.recv(65536)
        if not chunk:
            raise EOFError
        self.buf += chunk

    def response(self):
        """(status, headers, body) of the next response; EOFError when closed."""
        while b"\r\n\r\n" not in self.buf:
            self._fill()
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        hdrs = {}
        for l in lines[1:]:
            k, v = l.split(":", 1)
            hdrs[k.strip().lower()] = v.strip()
        n = int(hdrs.get("content-length", "0"))
        while len(self.buf) < n:
            self._fill()
        body, self.buf = self.buf[:n], self.buf[n:]
        return status, hdrs, body

    def closed(self, within):
        """True when the daemon closes the connection within seconds."""
        self.s.settimeout(within)
        try:
            while True:
                chunk = self.s.recv(65536)
                if not chunk:
                    return True
        except (socket.timeout, TimeoutError):
            return False
        except ConnectionResetError:
            return True

    def close(self):
        self.s.close()


def request_bytes(path, extra=""):
    return ("GET %s HTTP/1.1\r\nHost: t\r\n%s\r\n" % (path, extra)).encode()


def local_search(db, query, *opts):
    out = subprocess.run([CLIENT, "search", "--db", db, "--json"] + list(opts) + [query],
                         capture_output=True)
    if out.returncode != 0:
        return None
    return json.loads(out.stdout)


# ---------------------------------------------------------------- the corpus

SOURCES = ["甲日报", "乙晚报", "丙通讯"]
TYPES = ["news", "policy"]
SPECIAL_ID = "gen/报告#7 a/b"
EVIL_TITLE = '蓝鲸计划<img src=x onerror="document.title=666">第11期'  # must show as text


def generate(path, n=45):
    """Documents that all hold 蓝鲸计划, with known sources, types and dates."""
    docs = []
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            doc = {
                "id": SPECIAL_ID if i == 7 else "gen/%03d" % i,
                "title": "蓝鲸计划第%d期港口建设进展" % i if i != 11 else EVIL_TITLE,
                "body": "蓝鲸计划推进港口建设，第%d期工程完成投资%d亿元。" % (i, i + 3)
                + ("集装箱吞吐量稳步增长。" if i % 2 else "数字经济与港口协同发展。"),
                "date": "%d-%02d-%02d" % (2019 + i % 6, 1 + i % 12, 1 + i % 28),
                "source": SOURCES[i % 3],
                "type": TYPES[i % 2],
            }
            if i % 10 == 5:
                doc["url"] = "https://example.org/port/%d.html" % i
            docs.append(doc)
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return docs


# ---------------------------------------------------------------- the checks


def check_same_as_local(d, db):
    for query in ["碳达峰", "新质生产力", "蓝鲸计划 港口", '"数字经济"', "疫情防控怎么做？",
                  "集装箱"]:
        local = local_search(db, query, "--limit", "20")
        st, _, remote = get(d, "/search?" + q(q=query, limit=20))
        if not check(local is not None and st == 200, "search %s: local or daemon failed (%s)"
                     % (query, st)):
            continue
        check("took_ms" in remote, "search %s: no took_ms" % query)
        check(remote["total"] == local["total"], "search %s: total %s != local %s"
              % (query, remote["total"], local["total"]))
        check([h["id"] for h in remote["hits"]] == [h["id"] for h in local["hits"]],
              "search %s: ids differ from the local search" % query)
        check([h.get("snippet") for h in remote["hits"]] == [h.get("snippet") for h in local["hits"]],
              "search %s: snippets differ from the local search" % query)
        # every total is counted: none says it is an estimate; a question's
        # relaxed hits say what they are, after the exact ones, uncounted
        check(remote.get("estimated") is None,
              "search %s: estimated is %r" % (query, remote.get("estimated")))
        flags = [bool(h.get("relaxed")) for h in remote["hits"]]
        check(flags == sorted(flags) and flags.count(False) <= remote["total"],
              "search %s: relaxed hits before exact ones, or counted" % query)
        if query.endswith("？"):
            check(any(flags), "search %s: a question without relaxed hits" % query)
        rest = {k: v for k, v in remote.items() if k != "took_ms"}
        check(rest == local, "search %s: the answer is not the local JSON plus took_ms" % query)
    # the client's server mode, over TCP and over the Unix socket
    for server in (d.url, "unix:" + d.sock):
        out = subprocess.run([CLIENT, "search", "--server", server, "--json", "--limit", "20",
                              "碳达峰"], capture_output=True)
        local = local_search(db, "碳达峰", "--limit", "20")
        ok = out.returncode == 0
        if check(ok, "wensuo search --server %s failed: %s" % (server, out.stderr.decode())):
            r = json.loads(out.stdout)
            check(r["total"] == local["total"] and [h["id"] for h in r["hits"]] ==
                  [h["id"] for h in local["hits"]], "wensuo search --server %s differs" % server)
    out = subprocess.run([CLIENT, "get", "--server", d.url, SPECIAL_ID], capture_output=True)
    check(out.returncode == 0 and json.loads(out.stdout)["id"] == SPECIAL_ID,
          "wensuo get --server: %s" % out.stderr.decode())
    out = subprocess.run([CLIENT, "stats", "--server", d.url], capture_output=True)
    check(out.returncode == 0 and "documents" in json.loads(out.stdout), "wensuo stats --server")


def check_start_refused(d, tmp):
    """A daemon that cannot listen (the port taken) leaves no new index
    behind; a folder that is no index is refused with one reason, not a
    warning that it is served read-only first."""
    port = d.url.rsplit(":", 1)[1]
    fresh = os.path.join(tmp, "never-made")
    out = subprocess.run([SEARCHD, "--db", fresh, "--listen", "127.0.0.1:" + port],
                         capture_output=True, text=True, timeout=30)
    check(out.returncode != 0 and "address already in use" in out.stderr and
          not os.path.exists(fresh), "port taken: %d %r, %s left" %
          (out.returncode, out.stderr, os.path.exists(fresh)))
    folder = os.path.join(tmp, "not-an-index")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "notes.txt"), "w") as f:
        f.write("笔记\n")
    out = subprocess.run([SEARCHD, "--db", folder, "--listen", "127.0.0.1:0"],
                         capture_output=True, text=True, timeout=30)
    check(out.returncode != 0 and "not a Wensuo index" in out.stderr and
          "serving read-only" not in out.stderr, "a folder of notes: %r" % out.stderr)


def check_unix_folder_missing(db):
    """A Unix socket in a folder that does not exist: said so, not
    "permission denied" (libuv's word for it)."""
    out = subprocess.run([SEARCHD, "--db", db, "--read-only", "--listen", "none", "--unix",
                          "/nonexistent-wensuo/dir/sock"], capture_output=True, text=True,
                         timeout=30)
    check(out.returncode != 0 and "the folder /nonexistent-wensuo/dir does not exist" in out.stderr,
          "--unix in a missing folder: %d %r" % (out.returncode, out.stderr))


def check_no_daemon():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()  # nothing listens there now
    out = subprocess.run([CLIENT, "search", "--server", "http://127.0.0.1:%d" % port, "x"],
                         capture_output=True)
    err = out.stderr.decode()
    check(out.returncode != 0 and "cannot reach the Wensuo daemon" in err
          and "wensuo-searchd --db DIR --listen 127.0.0.1:%d" % port in err,
          "no daemon: unclear message: %r" % err)
    # the daemon analyzes with its own dictionary and synonyms: the client's
    # are refused through it, not taken and ignored
    for cmd in (["search", "--synonyms", "syn.txt", "x"], ["kwic", "--dict", "dict.txt", "x"]):
        out = subprocess.run([CLIENT] + cmd[:1] + ["--server", "http://127.0.0.1:%d" % port] +
                             cmd[1:], capture_output=True, text=True)
        check(out.returncode == 2 and "start wensuo-searchd with it" in out.stderr,
              "%s through the daemon: %d %r" % (cmd[1], out.returncode, out.stderr))


def check_filters(d, db, docs):
    base = dict(q="蓝鲸计划", limit=100)
    st, _, all_ = get(d, "/search?" + q(**base))
    check(st == 200 and all_["total"] >= len(docs), "蓝鲸计划: %s %s" % (st, all_.get("total")))
    gen_ids = {x["id"] for x in docs}
    check(gen_ids <= {h["id"] for h in all_["hits"]}, "蓝鲸计划 misses generated documents")
    for src in SOURCES:
        st, _, r = get(d, "/search?" + q(source=src, **base))
        want = sum(1 for x in docs if x["source"] == src)
        check(st == 200 and r["total"] == want and all(h["source"] == src for h in r["hits"]),
              "source=%s: %s hits, want %d" % (src, r.get("total"), want))
    st, _, r = get(d, "/search?" + q(type="policy", **base))
    check(st == 200 and r["hits"] and all(h["type"] == "policy" for h in r["hits"]), "type=policy")
    st, _, r = get(d, "/search?" + q(**{"from": "2021", "to": "2022-06", **base}))
    want = sum(1 for x in docs if "2021" <= x["date"] <= "2022-06-31")
    check(st == 200 and r["total"] == want and
          all("2021-01-01" <= h["date"] <= "2022-06-30" for h in r["hits"]),
          "from=2021&to=2022-06: %s hits, want %d" % (r.get("total"), want))
    st, _, r = get(d, "/search?" + q(sort="date", **base))
    dates = [h.get("date") or "" for h in r["hits"]]
    check(st == 200 and dates == sorted(dates, reverse=True), "sort=date is not newest first")
    # paging: two pages of 7 are the first 14
    st, _, p1 = get(d, "/search?" + q(q="蓝鲸计划", limit=7, offset=0))
    st2, _, p2 = get(d, "/search?" + q(q="蓝鲸计划", limit=7, offset=7))
    st3, _, p12 = get(d, "/search?" + q(q="蓝鲸计划", limit=14))
    check([h["id"] for h in p1["hits"] + p2["hits"]] == [h["id"] for h in p12["hits"]],
          "paging: offset 7 does not continue offset 0")
    # facets agree with the hits
    st, _, r = get(d, "/search?" + q(facets="source,type,year", q="蓝鲸计划", limit=1000))
    f = r.get("facets") or {}
    if check(st == 200 and {"source", "type", "year"} <= set(f), "facets missing: %s" % f):
        for name, key in (("source", lambda h: h.get("source")), ("type", lambda h: h.get("type")),
                          ("year", lambda h: (h.get("date") or "")[:4])):
            want = {}
            for h in r["hits"]:
                if key(h):
                    want[key(h)] = want.get(key(h), 0) + 1
            check(f[name] == want, "facet %s: %s, hits say %s" % (name, f[name], want))
    st, _, r = get(d, "/search?" + q(q="蓝鲸计划"))
    check(st == 200 and "facets" not in r, "facets without asking")
    check_oldest_months_urls(d, db, docs)


def check_oldest_months_urls(d, db, docs):
    """sort=date_asc, facets=month and each hit's url, against the generated
    documents' own dates and urls (蓝鲸计划 is in them alone)."""
    base = dict(q="蓝鲸计划", limit=100)
    st, _, r = get(d, "/search?" + q(sort="date_asc", **base))
    check(st == 200 and r["total"] == len(docs) and
          [h.get("date") for h in r["hits"]] == sorted(x["date"] for x in docs),
          "sort=date_asc is not the documents' dates oldest first: %s"
          % [h.get("date") for h in r.get("hits", [])][:5])
    st, _, r = get(d, "/search?" + q(sort="date_asc", offset=10, **dict(base, limit=5)))
    check(st == 200 and [h.get("date") for h in r["hits"]] == sorted(x["date"] for x in docs)[10:15],
          "sort=date_asc: the page at offset 10 is not the 11th to 15th oldest")
    st, _, r = get(d, "/search?" + q(facets="year,month", **base))
    want = {}
    for x in docs:
        want[x["date"][:7]] = want.get(x["date"][:7], 0) + 1
    f = (r.get("facets") or {}).get("month")
    check(st == 200 and f == want, "facets=month: %s, the dates say %s" % (f, want))
    check(st == 200 and sum(f.values()) == r["total"], "facets=month does not add up to total")
    urls = {x["id"]: x.get("url") for x in docs}
    check(st == 200 and any(urls.values()) and
          all(h.get("url") == urls[h["id"]] for h in r["hits"]),
          "a hit's url is not its document's: %s"
          % [(h["id"], h.get("url")) for h in r.get("hits", []) if h.get("url") != urls[h["id"]]][:3])
    # the client, from the index and through the daemon: the same order and
    # months, and the url printed under a hit that has one
    one = next(x for x in docs if x.get("url"))
    for server in (["--db", db], ["--server", d.url]):
        out = subprocess.run([CLIENT, "search"] + server + ["--json", "--limit", "100", "--sort",
                             "date_asc", "--facets", "month", "蓝鲸计划"], capture_output=True)
        j = json.loads(out.stdout) if out.returncode == 0 else {}
        check([h.get("date") for h in j.get("hits", [])] == sorted(x["date"] for x in docs) and
              j.get("facets", {}).get("month") == want,
              "wensuo search %s --sort date_asc --facets month: %s" % (server[0], out.stderr.decode()))
        out = subprocess.run([CLIENT, "search"] + server + [one["title"]], capture_output=True)
        text = out.stdout.decode()
        check(out.returncode == 0 and "\n   " + one["url"] + "\n" in text,
              "wensuo search %s: no url line under %s: %r" % (server[0], one["id"], text[:400]))


def check_endpoints(d, ndocs):
    path = "/documents/" + urllib.parse.quote(SPECIAL_ID, safe="")
    st, _, r = get(d, path)
    check(st == 200 and r.get("id") == SPECIAL_ID, "GET %s: %s" % (path, st))
    st, _, r = get(d, "/documents/gen%2F000")
    check(st == 200 and r.get("id") == "gen/000", "an id with a %2F")
    st, _, r = get(d, "/documents/gen/000")
    check(st == 200 and r.get("id") == "gen/000", "an id with a plain /")
    st, _, r = get(d, "/documents/" + urllib.parse.quote("没有这个文档"))
    check(st == 404 and "error" in r, "missing document: %s" % st)
    st, _, r = get(d, "/analyze?" + q(text="江川市加快发展新质生产力"))
    check(st == 200 and r.get("words") and r.get("terms"), "/analyze: %s" % st)
    # each term's bytes are the text it stands for: a character's its own,
    # a pair's the two, a run's its words, a space term's the space
    # (a line break the analyzer joins is inside a word: no character of it)
    text = "江川市加快发展新质生产力 国务院办公厅印发 国务\n院办公厅"
    st, _, r = get(d, "/analyze?" + q(text=text))
    raw, wrong = text.encode(), []
    for t in r.get("terms", []):
        got = raw[t["start"]:t["end"]].decode()
        got = got if t["kind"] == "space" else got.replace("\n", "")
        want = {"char": t["term"][1:], "bigram": t["term"][1:], "run": t["term"][1:],
                "word": t["term"], "space": " "}.get(t["kind"])
        if want is not None and got != want:
            wrong.append((t["term"], t["kind"], got))
    kinds = {t["kind"] for t in r.get("terms", [])}
    check(st == 200 and not wrong and {"char", "bigram", "run", "word", "space"} <= kinds,
          "/analyze: terms and their bytes: %s %s" % (wrong[:5], kinds))
    st, _, r = get(d, "/stats")
    check(st == 200 and r.get("documents") == ndocs and "uptime_s" in r and r.get("queries", 0) > 0
          and "index_bytes" in r, "/stats: %s" % r)
    st, _, r = get(d, "/health")
    check(st == 200 and r.get("status") == "ok", "/health")
    st, _, r = get(d, "/health?x=1")
    check(st == 400 and "unknown parameter 'x'" in r.get("error", ""), "/health?x=1: %s %s" % (st, r))
    st, h, page = get(d, "/")
    check(st == 200 and h["content-type"].startswith("text/html") and "<form" in page
          and '<script src="/static/app.js"' in page, "the search page")
    csp = h.get("content-security-policy", "")
    check("script-src 'self'" in csp and "unsafe-inline" not in csp and "<script>" not in page
          and "<style" not in page, "the page's CSP is not strict: %s" % csp)
    # every script the page names is served, and they talk to the daemon
    # (but Debian's chart.js, there only when the build found it)
    scripts = [f for f in re.findall(r'<script src="(/static/[a-z]+\.js)"', page)
               if f != "/static/chart.js"]
    js = ""
    for src in scripts:
        st, h, one = get(d, src)
        check(st == 200 and h["content-type"].startswith("text/javascript") and h.get("etag"),
              "the page's script %s: %s %s" % (src, st, h))
        js += one if isinstance(one, str) else ""
    check("fetch(" in js, "the page's scripts fetch nothing: %s" % scripts)
    st, h, _ = get(d, "/static/app.js")
    st, h2, _ = get(d, "/static/app.js", headers={"If-None-Match": h.get("etag", "x")})
    check(st == 304 and h2.get("etag") == h.get("etag"), "an unchanged script is not a 304: %s" % st)
    st, h, css = get(d, "/static/app.css")
    check(st == 200 and h["content-type"].startswith("text/css"), "the page's style sheet")
    st, _, _ = get(d, "/static/nothing.js")
    check(st == 404, "a missing page file: %s" % st)
    st, h, body = get(d, "/search?" + q(q="港口"), method="HEAD")
    check(st == 200 and body == "" and int(h["content-length"]) > 0, "HEAD /search")
    # the Unix socket serves the same
    c = UnixHTTPConnection(d.sock)
    c.request("GET", "/search?" + q(q="碳达峰", limit=5))
    r = c.getresponse()
    body = json.loads(r.read())
    check(r.status == 200 and body["total"] > 0, "search over the Unix socket")
    c.close()


def check_limits(d):
    def error(status, resp, what):
        st, _, body = resp
        check(st == status and isinstance(body, dict) and "error" in body,
              "%s: want %d with {\"error\"}, got %s %r" % (what, status, st, body))

    error(400, get(d, "/search?" + q(q="长" * 10 + "a" * 4100)), "query over 4 KiB")
    error(400, get(d, "/search?" + q(q="港口", limit=1001)), "limit 1001")
    error(400, get(d, "/search?" + q(q="港口", limit=0)), "limit 0")
    error(400, get(d, "/search?" + q(q="港口", limit=10, offset=99995)), "offset past the window")
    error(400, get(d, "/search?" + q(q="港口", limit="ten")), "limit not a number")
    error(400, get(d, "/search?" + q(q="港口", sort="size")), "sort=size")
    error(400, get(d, "/search?" + q(q="港口", facets="color")), "facets=color")
    error(400, get(d, "/search?" + q(q="港口", **{"from": "yesterday"})), "from=yesterday")
    error(400, get(d, "/search?" + q(q="港口", limt=5)), "unknown parameter")
    # a parameter given twice would be answered by one of its values
    for twice in ("q=港口&q=不存在", "q=港口&limit=1&limit=1000", "q=港口&source=a&source=b"):
        st, _, body = get(d, "/search?" + urllib.parse.quote(twice, safe="=&"))
        check(st == 400 and "given twice" in body.get("error", ""),
              "%s: want 400 'given twice', got %s %r" % (twice, st, body))
    st, _, body = get(d, "/trend?" + urllib.parse.quote("q=港口&q=码头&by=year", safe="=&"))
    check(st == 200 and len(body["buckets"][0]["series"]) == 2,
          "/trend takes q side by side: %s %r" % (st, body))
    error(400, get(d, "/trend?" + urllib.parse.quote("q=港口&by=year&by=month", safe="=&")),
          "/trend by twice")
    error(400, get(d, "/search?q=%ZZ"), "broken percent-encoding")
    error(400, get(d, "/search?q=%FF%FE"), "invalid UTF-8")
    error(400, get(d, "/search"), "no q")
    error(400, get(d, "/search?" + q(q="(" * 40 + "港口" + ")" * 40)), "query nesting")
    error(400, get(d, "/search?" + q(q=" ".join("w%d" % i for i in range(300)))), "300 query terms")
    error(404, get(d, "/nowhere"), "unknown path")
    error(404, get(d, "/search/"), "unknown path with a slash")
    st, h, body = get(d, "/search?q=x", method="POST", body=b"{}")
    check(st == 405 and "GET" in h.get("allow", "") and "error" in body, "POST /search: %s" % st)
    st, h, body = get(d, "/health", method="DELETE")
    check(st == 405 and "allow" in h, "DELETE /health: %s" % st)
    error(414, get(d, "/search?" + q(q="港" * 3000)), "URL over 16 KiB")
    # a body over 8 MiB, sent whole by the client: 413, and the answer arrives
    error(413, get(d, "/search", method="POST", body=b"x" * (9 << 20)), "9 MiB body")
    # announced only: answered before the body is sent
    r = Raw(d)
    r.send(b"POST /documents HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n")
    st, _, body = r.response()
    check(st == 413 and b"error" in body, "Content-Length 20 MB: %s" % st)
    r.close()
    # bodies held at once by all connections are capped (256 MiB, test_limits),
    # counted as their bytes come: 40 clients announcing 8 MiB each and sending
    # a byte hold 40 small buffers, and the daemon still serves
    big = [Raw(d) for _ in range(40)]
    for r in big:
        r.send(b"GET /health HTTP/1.1\r\nHost: t\r\nContent-Length: %d\r\n\r\nx" % (8 << 20))
    time.sleep(0.2)
    st, _, _ = get(d, "/health")
    check(st == 200, "beside 40 announced 8 MiB bodies: %s" % st)
    for r in big:
        r.close()
    time.sleep(0.3)
    error(405, get(d, "/search", method="POST", body=b"x" * (8 << 20)), "8 MiB body after the others")
    r = Raw(d)
    r.send(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
    st, _, _ = r.response()
    check(st in (431, 400), "20 KB header: %s" % st)
    r.close()
    r = Raw(d)
    r.send(b"GET /health HTTP/1.1\r\n" + b"".join(b"X-%d: 1\r\n" % i for i in range(150)) + b"\r\n")
    st, _, _ = r.response()
    check(st in (431, 400), "150 headers: %s" % st)
    r.close()


def check_pipelining(d):
    r = Raw(d)
    r.send(request_bytes("/search?" + q(q="碳达峰", limit=1)) + request_bytes("/health") +
           request_bytes("/nowhere") + request_bytes("/search?" + q(q="港口", limit=2)))
    sts = [r.response()[0] for _ in range(4)]
    check(sts == [200, 200, 404, 200], "pipelined answers out of order: %s" % sts)
    # keep-alive: the same connection serves more
    r.send(request_bytes("/health"))
    check(r.response()[0] == 200, "keep-alive after pipelining")
    # byte by byte
    for b in request_bytes("/search?" + q(q="港口", limit=1)):
        r.send(bytes([b]))
    check(r.response()[0] == 200, "a request sent byte by byte")
    r.close()
    # HTTP/1.0 without keep-alive is closed after the answer
    r = Raw(d)
    r.send(b"GET /health HTTP/1.0\r\n\r\n")
    st, h, _ = r.response()
    check(st == 200 and h.get("connection") == "close" and r.closed(5), "HTTP/1.0 close")
    r.close()


class Background:
    """A keep-alive client that searches in a loop; counts answers and errors."""

    def __init__(self, d):
        self.d, self.ok, self.bad, self.stop = d, 0, [], False
        self.t = threading.Thread(target=self.run)
        self.t.start()

    def run(self):
        c = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=20)
        while not self.stop:
            try:
                c.request("GET", "/search?" + q(q="港口", limit=3))
                r = c.getresponse()
                r.read()
                if r.status == 200:
                    self.ok += 1
                else:
                    self.bad.append(r.status)
            except Exception as e:  # the daemon must never fail this client
                self.bad.append(repr(e))
                c.close()
                c = http.client.HTTPConnection("127.0.0.1", self.d.port, timeout=20)
            time.sleep(0.01)
        c.close()

    def finish(self):
        self.stop = True
        self.t.join()
        return self.ok, self.bad


def check_garbage(d):
    bg = Background(d)
    time.sleep(0.2)
    cases = [
        (b"GARBAGE\r\n\r\n", "garbage"),
        (b"GET / HTTP/1.1\r\nHost: t\r\nContent-Length: abc\r\n\r\n", "bad Content-Length"),
        (b"GET / HTTP/9.9\r\n\r\n", "HTTP/9.9"),
        (b"\x00\x01\x02\xff\xfe" * 100, "binary"),
        (b"GET /search?q=\x01 HTTP/1.1\r\n\r\n", "control byte in the URL"),
        (b"GET / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "bad chunk"),
    ]
    for data, what in cases:
        r = Raw(d)
        r.send(data)
        try:
            st, _, _ = r.response()
            check(400 <= st < 600 and st != 500, "%s: answered %d" % (what, st))
        except (EOFError, ConnectionResetError):
            pass  # closed without an answer: allowed for bytes that are not HTTP
        check(r.closed(5), "%s: connection left open" % what)
        r.close()
    # truncated: half a request, then the client closes its side
    r = Raw(d)
    r.send(b"GET /search?q=%E6%B8%AF HTTP/1.1\r\nHost:")
    r.s.shutdown(socket.SHUT_WR)
    try:
        st, _, _ = r.response()
        check(st == 400, "truncated request: %d" % st)
    except (EOFError, ConnectionResetError):
        pass
    check(r.closed(5), "truncated request: left open")
    r.close()
    # a whole request and then the write side closed: still answered
    r = Raw(d)
    r.send(request_bytes("/health"))
    r.s.shutdown(socket.SHUT_WR)
    check(r.response()[0] == 200, "request + half-close not answered")
    check(r.closed(5), "half-closed connection left open")
    r.close()
    # clients that vanish mid-request, mid-body or before reading their answer
    for data in (b"GET /sea", b"POST /search HTTP/1.1\r\nContent-Length: 1000\r\n\r\nabc",
                 request_bytes("/search?" + q(q="港口", limit=1000)) * 20):
        s = socket.create_connection(("127.0.0.1", d.port))
        s.sendall(data)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        s.close()  # RST
    # a stalled client does not block the others
    stalled = Raw(d)
    stalled.send(b"GET /search?q=x HTTP/1.1\r\n")
    st, _, _ = get(d, "/health")
    check(st == 200, "served while another client stalls")
    time.sleep(0.5)
    ok, bad = bg.finish()
    check(ok > 5 and not bad, "background client: %d answers, errors %s" % (ok, bad[:5]))
    stalled.close()
    check(d.proc.poll() is None, "the daemon died")


def check_refusals(d, db):
    """What cannot mean anything is refused, with the same message and exit
    status 2 from --db and through the daemon; counts read as plain words."""
    cases = [
        (["titel:共同富裕"], 'unknown field "titel:"'),
        (["date:2024-02-30"], "calendar"),
        (["date:2025..2024"], "ends before it starts"),
        (['"蓝鲸计划'], "quote"),
        (["--facets", "yaer", "蓝鲸计划"], 'unknown facet "yaer"'),
        (["--sort", "oldest", "蓝鲸计划"], "sort must be relevance, date (newest first) or date_asc"),
        (["--limit", "0", "蓝鲸计划"], "limit must be a number from 1 to 1000"),
        (["--limit", "1001", "蓝鲸计划"], "limit must be a number from 1 to 1000"),
        (["--from", "2024-02-30", "蓝鲸计划"], "2024-02-30"),
        (["--from", "2025", "--to", "2024", "蓝鲸计划"], "ends before it starts"),
    ]
    for args, words in cases:
        local = subprocess.run([CLIENT, "search", "--db", db] + args, capture_output=True)
        remote = subprocess.run([CLIENT, "search", "--server", d.url] + args, capture_output=True)
        err = local.stderr.decode()
        check(local.returncode == 2 and words in err,
              "%s: --db exits %d: %s" % (args, local.returncode, err.strip()))
        check(remote.returncode == local.returncode and remote.stderr == local.stderr,
              "%s: through the daemon exit %d, %r; with --db %d, %r"
              % (args, remote.returncode, remote.stderr.decode(), local.returncode, err))
    # two indexes named, or show without its id: refused, not guessed
    for args, words in [(["search", "--db", db, "--server", d.url, "蓝鲸计划"], "give one"),
                        (["kwic", "--server", d.url, "--db", db, "蓝鲸计划"], "give one"),
                        (["show", "--server", d.url], "document's id")]:
        r = subprocess.run([CLIENT] + args, capture_output=True)
        check(r.returncode == 2 and words in r.stderr.decode(),
              "wensuo %s: exit %d, %r" % (args, r.returncode, r.stderr.decode()))
    # plain words for one document and for none
    for server in (["--db", db], ["--server", d.url]):
        out = subprocess.run([CLIENT, "search"] + server + ["3期"], capture_output=True)
        first = out.stdout.decode().split("\n")[0]
        check(first == "1 document matches; showing number 1",
              "one match reads %r" % first)
        out = subprocess.run([CLIENT, "search"] + server + ["蓝鲸计划 第3期 港口 运河 灯塔"],
                             capture_output=True)
        text = out.stdout.decode()
        # the relaxed hits are no match: "showing" counts the matches alone
        check(text.startswith("0 documents match\n")
              and "no document holds 蓝鲸计划 第3期 港口 运河 灯塔 as written; " in text
              and "(some of the words)" in text,
              "relaxed hits in plain words: %r" % text[:300])


def check_concurrency(d, n=200):
    results = [None] * n
    barrier = threading.Barrier(n)

    def one(i):
        try:
            c = http.client.HTTPConnection("127.0.0.1", d.port, timeout=60)
            # connect after the barrier: on a loaded machine 200 threads may take
            # longer to reach it than this daemon's idle timeout (1.5 s)
            barrier.wait(30)
            c.connect()
            c.request("GET", "/search?" + q(q=["港口", "碳达峰", "蓝鲸计划"][i % 3], limit=5))
            r = c.getresponse()
            r.read()
            results[i] = r.status
            c.close()
        except Exception as e:
            results[i] = repr(e)

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    good = sum(1 for x in results if x == 200)
    check(good == n, "%d concurrent connections: %d served, others %s"
          % (n, good, [x for x in results if x != 200][:5]))


def check_reopen(d, db, tmp):
    path = os.path.join(tmp, "late.jsonl")
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "late/1", "title": "火星基地建设方案", "body": "火星基地今天开工。",
                            "date": "2025-01-01", "source": "丁日报", "type": "news"},
                           ensure_ascii=False) + "\n")
    st, _, r = get(d, "/search?" + q(q="火星基地"))
    check(st == 200 and not any(h["id"] == "late/1" for h in r["hits"]), "late/1 before indexing")
    out = subprocess.run([INDEXER, "--db", db, "--quiet", path], capture_output=True)
    check(out.returncode == 0, "wensuo-index on a new file: %s" % out.stderr.decode())
    t0 = time.monotonic()
    seen = None
    while time.monotonic() - t0 < 5:
        st, _, r = get(d, "/search?" + q(q="火星基地"))
        if st == 200 and any(h["id"] == "late/1" for h in r["hits"]):
            seen = time.monotonic() - t0
            break
        time.sleep(0.05)
    check(seen is not None and seen <= 1.5, "reopen: new document seen after %s s" % seen)
    return seen


def check_log_injection(db, tmp):
    """--verbose logs the decoded path: a %0A in it must not start a line of
    the client's choosing, nor an ESC reach the operator's terminal."""
    d = Daemon(db, tmp, "verbose", "--read-only", "--verbose")
    try:
        forged = "wensuo-searchd: GET /admin -> 200"
        st, _, _ = get(d, "/documents/x%0A" + urllib.parse.quote(forged) + "%1B%5B2J%0D")
        check(st == 404, "a path with %%0A: %s" % st)
    finally:
        d.stop()
    log = d.stderr()
    lines = log.splitlines()
    check(not any(line.startswith(forged) for line in lines) and "\x1b" not in log
          and "\r" not in log, "the log took a line from the path: %r" % log[-500:])
    check(any("x\\x0a" + forged in line for line in lines),
          "the path is not logged escaped: %r" % log[-500:])


def check_idle_timeout(d, idle_s):
    r = Raw(d)
    t0 = time.monotonic()
    closed = r.closed(idle_s * 4 + 2)
    took = time.monotonic() - t0
    check(closed and idle_s * 0.7 <= took <= idle_s * 3 + 1,
          "an idle connection closed after %.2f s (timeout %.1f s)" % (took, idle_s))
    r.close()
    # a keep-alive connection after its answer, and a stalled request (408)
    r = Raw(d)
    r.send(request_bytes("/health"))
    r.response()
    check(r.closed(idle_s * 4 + 2), "idle keep-alive connection not closed")
    r.close()
    r = Raw(d)
    r.send(b"GET /health HTTP/1.1\r\nHost:")
    try:
        st, _, _ = r.response()
        check(st == 408, "stalled request answered %d" % st)
    except EOFError:
        check(False, "stalled request: closed without 408")
    check(r.closed(idle_s * 4 + 2), "stalled request not closed")
    r.close()


def check_page_in_browser(d):
    """The search page in headless Chromium, when it is installed: hits appear,
    and markup inside a title stays text."""
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("  (no chromium: the page's script is not run)")
        return
    url = d.url + "/?" + q(q="蓝鲸计划", limit=20)
    try:
        out = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu",
                              "--virtual-time-budget=8000", "--dump-dom", url],
                             capture_output=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        print("  (chromium did not run: %s)" % e)
        return
    dom = out.stdout.decode("utf-8", "replace")
    if out.returncode != 0 or "<html" not in dom:  # the browser failed, not the daemon
        print("  (chromium failed: %s)" % out.stderr.decode("utf-8", "replace")[-300:])
        return
    check(dom.count('class="hit"') >= 10, "the page shows no hits: %s" % dom[-500:])
    check("<mark>蓝鲸计划</mark>" in dom, "the page does not highlight matches")
    check("&lt;img src=x" in dom and "<img" not in dom and "<title>666" not in dom,
          "markup in a title reached the page as HTML")


def check_shutdown(db, tmp):
    """SIGTERM: an in-flight request is answered, idle ones are closed, exit 0."""
    d = Daemon(db, tmp, "slow", "--debug-delay", str(int(SLOW * 1000)), "--max-connections", "6",
               "--threads", "2")
    # the loop answers /health at once while index requests are slow
    slow = Raw(d)
    slow.send(request_bytes("/search?" + q(q="港口", limit=1)))
    t0 = time.monotonic()
    st, _, _ = get(d, "/health")
    check(st == 200 and time.monotonic() - t0 < SLOW / 2, "/health waited for a slow search")
    check(slow.response()[0] == 200, "slow search")
    # the connection cap: 6 open and being answered, the 7th is refused with
    # 503 (an idle one would have made room: test_slow). The daemon is stopped
    # while they connect, so that it accepts all of them in one turn, before it
    # has read any request: one whose request waits unread is not idle.
    d.proc.send_signal(signal.SIGSTOP)
    try:
        held = [Raw(d) for _ in range(6)]
        for h in held:
            h.send(request_bytes("/search?" + q(q="港口", limit=1)))
        extra = Raw(d)
    finally:
        d.proc.send_signal(signal.SIGCONT)
    try:
        st, _, body = extra.response()
        check(st == 503 and b"too many" in body, "over the connection cap: %d" % st)
    except (EOFError, ConnectionResetError):
        check(False, "over the connection cap: closed without 503")
    extra.close()
    for h in held:
        h.response()  # answered in turn: the pool is free again
        h.close()
    time.sleep(0.3)
    # in flight at SIGTERM
    busy = Raw(d)
    idle = Raw(d)
    busy.send(request_bytes("/search?" + q(q="碳达峰", limit=2)))
    time.sleep(SLOW / 4)
    d.proc.send_signal(signal.SIGTERM)
    time.sleep(SLOW / 4)
    try:
        socket.create_connection(("127.0.0.1", d.port), timeout=2).close()
        check(False, "still accepting after SIGTERM")
    except OSError:
        pass
    check(idle.closed(SLOW * 2), "idle connection not closed at SIGTERM")
    try:
        st, h, body = busy.response()
        check(st == 200 and json.loads(body)["total"] > 0 and h.get("connection") == "close",
              "in-flight request at SIGTERM: %d" % st)
    except (EOFError, ConnectionResetError):
        check(False, "in-flight request dropped at SIGTERM")
    try:
        rc = d.proc.wait(30)  # no second signal: that one would not wait
    except subprocess.TimeoutExpired:
        rc = d.stop(signal.SIGKILL)
    check(rc == 0, "exit status after SIGTERM: %s\n%s" % (rc, d.stderr()[-3000:]))
    check(not os.path.exists(d.sock), "Unix socket file left behind")


def main():
    for p in (INDEXER, SEARCHD, CLIENT):
        if not os.access(p, os.X_OK):
            print("SKIP: %s is not built" % p)
            sys.exit(77)
    tmp = tempfile.mkdtemp(prefix="ws-daemon-")
    d = None
    passed = failed = 0
    try:
        db = os.path.join(tmp, "index")
        docs = generate(os.path.join(tmp, "gen.jsonl"))
        paths = [os.path.join(tmp, "gen.jsonl")]
        if os.path.isdir(CORPUS):
            paths.append(CORPUS)
        out = subprocess.run([INDEXER, "--db", db, "--quiet"] + paths, capture_output=True)
        if out.returncode != 0:
            raise SystemExit("wensuo-index failed: %s" % out.stderr.decode())
        ndocs = int(out.stdout.decode().split(" holds ")[1].split()[0])
        idle_s = 1.5
        # --read-only: the reopen step writes the index with wensuo-index.
        d = Daemon(db, tmp, "main", "--read-only", "--idle-timeout", str(int(idle_s * 1000)))
        steps = [
            ("same results as the local search", lambda: check_same_as_local(d, db)),
            ("no daemon", check_no_daemon),
            ("refusals, the same in both modes", lambda: check_refusals(d, db)),
            ("a socket in a missing folder", lambda: check_unix_folder_missing(db)),
            ("a start refused leaves nothing", lambda: check_start_refused(d, tmp)),
            ("filters, paging, sorting, facets", lambda: check_filters(d, db, docs)),
            ("endpoints", lambda: check_endpoints(d, ndocs)),
            ("limits", lambda: check_limits(d)),
            ("pipelining and keep-alive", lambda: check_pipelining(d)),
            ("malformed and truncated requests", lambda: check_garbage(d)),
            ("200 concurrent connections", lambda: check_concurrency(d)),
            ("reopen after an external commit", lambda: check_reopen(d, db, tmp)),
            ("idle timeout", lambda: check_idle_timeout(d, idle_s)),
            ("the log takes no line from a path", lambda: check_log_injection(db, tmp)),
            ("the search page in a browser", lambda: check_page_in_browser(d)),
            ("SIGTERM with a request in flight", lambda: check_shutdown(db, tmp)),
        ]
        for name, step in steps:
            t0 = time.monotonic()
            n = len(failures)
            step()
            passed += len(failures) == n
            failed += len(failures) != n
            print("%-40s %s (%.1f s)" % (name, "ok" if len(failures) == n else "FAILED",
                                         time.monotonic() - t0), flush=True)
            if d.proc.poll() is not None:
                check(False, "the daemon died during: %s" % name)
                break
        rc = d.stop()
        check(rc == 0, "main daemon exit status %s" % rc)
        if failures or rc != 0:
            print("---- daemon log ----\n" + d.stderr()[-5000:])
    finally:
        if d and d.proc.poll() is None:
            d.proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print("daemon checks: %d passed, %d failed" % (passed, failed + (1 if failures and not failed
                                                                   else 0)))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
