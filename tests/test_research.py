#!/usr/bin/python3
"""The instruments for research (searcher/README.md, "Instruments"): the
concordance over HTTP and from the client, checked against counts made
without the index: substring counts over the documents' own text, normalized
here in Python (NFKC, case folding, the few Traditional characters the
corpus uses mapped by hand, hard-wrapped lines between CJK characters
joined).

A corpus of generated documents with known sources, types, dates, titles,
Traditional and full-width forms and hard wraps is indexed into a fresh
index; a daemon serves it. Standard library only; WS_BIN is set by ctest."""

import base64
import glob
import csv
import http.client
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import unicodedata
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsd import CLIENT, check, get  # noqa: E402
import wsd  # noqa: E402

T2S = str.maketrans("國務院辦廳關於發區場經濟數據碳達峰", "国务院办厅关于发区场经济数据碳达峰")
CJK = r"[\u3000-\u9fff]"


def norm(s):
    s = unicodedata.normalize("NFKC", s).casefold().translate(T2S)
    s = re.sub(r"(?<=[0-9])\n(?=[0-9])", "", s)  # a number wrapped by print
    return re.sub(r"(?<=%s)\n(?=%s)" % (CJK, CJK), "", s)


# a letter of the Latin script (é too: cafés is one word) or a digit
LATIN = "[0-9a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u1e00-\u1eff]"


def count(text, pattern):
    """Occurrences of pattern in text; a Latin pattern only as a whole word
    (`abc` is not counted in `abcd`), as the query language matches it."""
    t, p = norm(text), norm(pattern)
    if " " in p:  # a quoted phrase's space: any run of white space but a line break
        rx = r"[ \t\r\v\f]+".join(re.escape(w) for w in p.split())
        if re.match(LATIN, p[0]):
            rx = r"(?<!%s)" % LATIN + rx
        if re.match(LATIN, p[-1]):
            rx += r"(?!%s)" % LATIN
        return len(re.findall(rx, t))
    if re.match(LATIN, p[0]) or re.match(LATIN, p[-1]):
        return len(re.findall(r"(?<!%s)%s(?!%s)" % (LATIN, re.escape(p), LATIN), t))
    return t.count(p)


def columns(s):
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


PIECES = ["碳达峰", "碳中和", "国务院", "數據安全", "数据安全", "新质生产力", "营商环境",
          "高标准农田", "5G基站", "ＡＢＣ", "abc", "北京PM2.5", "PM10", "iPhone15",
          "GB/T 19001", "COVID-19", "12306App"]
FILLER = "各地区各部门要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局。"


def make_corpus(path, n=240, seed=7):
    """JSON lines of n documents, and the documents as dicts."""
    rnd = random.Random(seed)
    docs = []
    for i in range(n):
        parts = []
        for _ in range(rnd.randint(1, 12)):
            parts.append(FILLER[: rnd.randint(0, len(FILLER))])
            if rnd.random() < 0.6:
                parts.append(rnd.choice(PIECES))
        body = "".join(parts)
        if rnd.random() < 0.3 and len(body) > 20:  # a hard wrap somewhere, as print makes
            k = rnd.randint(1, len(body) - 1)
            body = body[:k] + "\n" + body[k:]
        if rnd.random() < 0.2:
            body += "\n\n国務院關於碳達峰的通知。"
        if i % 13 == 3:  # words parted by white space, which no phrase spans
            body += "维护网络安 全，营商 环境，2024 年，数据\u3000安全。"
        if i % 29 == 1:
            body += "网络安全，2024年。"
        if i % 13 == 5:  # a number wrapped by print: one number, shown joined
            body += "数据安全发布于20\n24年。"
        if i % 23 == 9:  # a quoted phrase with a space: any white space there, nothing else
            body += "网络与安全，营商  环境，营商和环境，数据 安全，open  data，open-data，opendata。"
        if i % 11 == 4:  # a phrase's marks: required where it has them
            body += "依照《民法典》和民法典第三条，网络，安全。"
        if i % 11 == 6:  # runs of marks, one token each
            body += "工程——平陆运河，工程平陆，网络……安全，网络安全，网络--安全。"
        if i % 17 == 2:  # what NFKC calls equal: composed or not, half-width kana, jamo
            body += "咖啡馆café，cafe\u0301，Cafés，ｶﾞ和ガ，\u1112\u1161\u11ab국和한국。"
        if i % 11 == 8:  # part of a run of marks at a phrase's ends
            body += "工程———平陆，等等…然后，等等……然后。"
        if i == 50:  # white space right at a cut of the analyzer's 64 KB chunks
            body = "甲" * 21842 + "网络安 全。"
        if rnd.random() < 0.1:  # tabs and CRLF, which a context shows as one space or none
            body += "\r\n数据安全\t\t营商环境 \n\t碳达峰\r\n数据安全。"
        if i % 19 == 7:  # a word processor's line and page breaks: white space shown as one
            body += "数据安全\v营商环境\f\f碳达峰。"
        title = "关于%s的通知" % rnd.choice(PIECES) if rnd.random() < 0.5 else "第%d号文件" % i
        docs.append({
            "id": "gen/%03d" % i, "title": title, "body": body,
            "date": "%d-%02d-%02d" % (2015 + i % 10, 1 + i % 12, 1 + i % 28),
            "source": ["新华社", "国务院", "人民日报"][i % 3],
            "type": ["news", "policy", "law"][i % 3],
            "issuer": ["国办发〔2020〕%d号", "=1+%d", "-%d%%", "@user%d", "+86 10 %d",
                       "=HYPERLINK(\"x\",\"%d\")"][i % 6] % i, "pages": i % 7 - 3})
        if i % 4 == 1:  # a type in capitals is the same type (types ignore case)
            docs[-1]["type"] = docs[-1]["type"].capitalize() if i % 8 == 1 else \
                docs[-1]["type"].upper()
        elif i % 12 == 3:  # and in full-width capitals, as NFKC and case folding make it
            docs[-1]["type"] = "".join(chr(ord(c) - 0x41 + 0xFF21) for c in docs[-1]["type"].upper())
        if i == 11:  # a long name, which the client's table makes room for
            docs[-1]["source"] = "临江市疫情防控工作领导小组办公室"
        if i % 17 == 5:  # an empty source or type is none, as a missing one
            docs[-1]["source" if i % 2 else "type"] = ""
        elif i % 19 == 7:
            del docs[-1]["source" if i % 2 else "type"]
    return wsd.write_jsonl(path, docs)


def kwic(d, **p):
    return get(d, "/concordance?" + urllib.parse.urlencode(p))


def all_lines(d, **p):
    """Every line, page by page, following the cursor."""
    lines, cur, first = [], None, None
    for _ in range(10000):
        pp = dict(p)
        if cur:
            pp["cursor"] = cur
        st, _, j = kwic(d, **pp)
        if not check(st == 200, "page of %r: %s %s" % (p, st, j)):
            return first, lines
        first = first or j
        lines += j["lines"]
        cur = j["next"]
        if not cur:
            break
    return first, lines


def expected(docs, pattern, keep=lambda d: True):
    occ = [(d, count(d["title"], pattern) + count(d["body"], pattern)) for d in docs if keep(d)]
    return sum(n for _, n in occ), sum(1 for _, n in occ if n)


def fold_type(t):
    """A type as the index keys it (normalize.h, ws_normalize_type)."""
    return t.lower() if t.isascii() else unicodedata.normalize("NFKC", t).casefold()


def bucket_key(doc, by):
    date = doc.get("date") or ""
    if by == "year":
        return date[:4] or None
    if by == "quarter":
        return "%s-Q%d" % (date[:4], (int(date[5:7]) - 1) // 3 + 1) if date else None
    if by == "month":
        return date[:7] or None
    if by == "type":  # types ignore case (README: type:law), and are keyed in lower case
        return fold_type(doc.get("type") or "") or None
    return doc.get(by) or None


def periods(lo, hi, by):
    """The keys of every period from the key lo to the key hi, by year,
    quarter or month, counted here one by one."""
    y, n = int(lo[:4]), int(lo[-1]) if by == "quarter" else int(lo[5:7]) if by == "month" else 1
    keys, per = [], {"year": 1, "quarter": 4, "month": 12}[by]
    while True:
        key = ("%04d" % y if by == "year" else "%04d-Q%d" % (y, n) if by == "quarter"
               else "%04d-%02d" % (y, n))
        keys.append(key)
        if key == hi:
            return keys
        n += 1
        if n > per:
            y, n = y + 1, 1


def expected_trend(docs, queries, by, keep=lambda d: True, span=()):
    """The buckets counted here; by time, every period from the first to
    the last (or over span, the keys of a filter's from and to) is one,
    with zeros when no document falls in it."""
    out = {}
    for doc in docs:
        if not keep(doc):
            continue
        b = out.setdefault(bucket_key(doc, by), {"documents": 0, "characters": 0,
                                                 "series": [[0, 0] for _ in queries]})
        b["documents"] += 1
        b["characters"] += len(doc["title"]) + len(doc["body"])
        for k, q in enumerate(queries):
            n = count(doc["title"], q) + count(doc["body"], q)
            b["series"][k][0] += n > 0
            b["series"][k][1] += n
    keys = sorted(k for k in out if k is not None)
    if by in ("year", "quarter", "month") and (keys or span):
        for key in periods(min(keys[:1] + list(span[:1])), max(keys[-1:] + list(span[1:])), by):
            out.setdefault(key, {"documents": 0, "characters": 0,
                                 "series": [[0, 0] for _ in queries]})
    return out


def check_trend(d, db, docs):
    """/trend and wensuo trend against counts made here."""
    queries = ["碳达峰", "国务院", "营商环境"]
    # a query refused is named among several
    st, _, j = get(d, "/trend?" + urllib.parse.urlencode([("q", "碳达峰"), ("q", '"碳中和')]))
    check(st == 400 and j.get("error", "").startswith('query 2 ("碳中和): unterminated'),
          "the second query refused, named: %s %s" % (st, j))
    # a long one is named by its start, the reason whole after it
    long_q = "碳达峰 " * 300 + '"碳中和'
    st, _, j = get(d, "/trend?" + urllib.parse.urlencode([("q", "碳达峰"), ("q", long_q)]))
    e = j.get("error", "")
    check(st == 400 and e.startswith("query 2 (碳达峰 ") and "…): " in e and
          e.endswith("unterminated quote at character 1201"),
          "a long query refused: %s %r" % (st, e[-200:]))
    # a value quoted in a refusal is cut between characters, not inside one
    st, _, j = get(d, "/trend?" + urllib.parse.urlencode({"q": "碳达峰", "from": "二〇二四年三月五日" * 4}))
    e = j.get("error", "")
    check(st == 400 and "\ufffd" not in e and "?" not in e and 'from "二〇二四' in e,
          "a long date refused: %r" % e)
    for by in ("year", "quarter", "month", "source", "type"):
        path = "/trend?" + urllib.parse.urlencode([("q", '"%s"' % q) for q in queries] +
                                                  [("by", by)])
        st, _, j = get(d, path)
        if not check(st == 200 and j["by"] == by, "trend by %s: %s %s" % (by, st, j)):
            continue
        got = {b["key"]: {"documents": b["documents"], "characters": b["characters"],
                          "series": [[x["documents"], x["occurrences"]] for x in b["series"]]}
               for b in j["buckets"]}
        check(got == expected_trend(docs, queries, by), "trend by %s counts" % by)
        check(sum(b["key"] is None for b in j["buckets"]) <= 1, "trend by %s: one bucket of "
              "none (an empty value is none): %s" % (by, [b for b in j["buckets"] if
                                                          b["key"] is None]))
        check([x["q"] for x in j["buckets"][0]["series"]] == ['"%s"' % q for q in queries],
              "series in the order asked")
        if by in ("year", "month"):
            keys = [b["key"] for b in j["buckets"]]
            check(keys == sorted(keys), "buckets in time order")
    st, _, j = get(d, "/trend?" + urllib.parse.urlencode(
        {"q": "国务院", "by": "year", "type": "policy", "from": "2017", "to": "2020-06"}))
    keep = lambda x: fold_type(x.get("type") or "") == "policy" and \
        "2017" <= x["date"] <= "2020-06~"  # noqa: E731
    got = {b["key"]: {"documents": b["documents"], "characters": b["characters"],
                      "series": [[x["documents"], x["occurrences"]] for x in b["series"]]}
           for b in j.get("buckets", [])}
    check(st == 200 and got == expected_trend(docs, ["国务院"], "year", keep, ("2017", "2020")),
          "trend with filters: %s" % j)
    # a month with no document is a row of zeros, out to the filter's ends
    st, _, j = get(d, "/trend?" + urllib.parse.urlencode(
        {"q": "国务院", "by": "month", "from": "2019-11-15", "to": "2024-02"}))
    keep = lambda x: "2019-11-15" <= (x.get("date") or "") <= "2024-02~"  # noqa: E731
    got = {b["key"]: {"documents": b["documents"], "characters": b["characters"],
                      "series": [[x["documents"], x["occurrences"]] for x in b["series"]]}
           for b in j.get("buckets", [])}
    want = expected_trend(docs, ["国务院"], "month", keep, ("2019-11", "2024-02"))
    check(st == 200 and got == want and [b["key"] for b in j["buckets"]] == sorted(want) and
          any(not b["documents"] for b in j["buckets"]),
          "trend by month with gaps: %s" % [(b["key"], b["documents"]) for b in
                                            j.get("buckets", [])])
    for p, what in [([("q", "x%d" % i) for i in range(11)], "at most 10"),
                    ([("q", "国务院"), ("by", "week")], "by must be"),
                    ([("by", "year")], "missing parameter q"),
                    ([("q", "国务院"), ("q", "type:law")], "no word")]:
        st, _, j = get(d, "/trend?" + urllib.parse.urlencode(p))
        check(st == 400 and what in j.get("error", ""), "trend %s -> %s %s" % (p, st, j))
    outs = []
    for where in (["--db", db], ["--server", d.url]):
        r = subprocess.run([CLIENT, "trend", *where, "--by", "source", "--json", "国务院",
                            "碳达峰"], capture_output=True, text=True)
        check(r.returncode == 0, "wensuo trend %s: %s" % (where[0], r.stderr))
        outs.append(r.stdout)
    check(outs[0] == outs[1], "trend --db and --server agree")
    # the table for a person: every row's numbers end in the header's columns,
    # however wide its key (a CJK character takes two)
    r = subprocess.run([CLIENT, "trend", "--db", db, "--by", "source", "国务院"],
                       capture_output=True, text=True, env=dict(os.environ, LC_ALL="C.UTF-8"))
    rows = [x for x in r.stdout.splitlines() if re.match(r"^\S+\s+\d+\s+\d+\s", x)]
    head = next((x for x in r.stdout.splitlines() if "documents" in x and "characters" in x), "")
    ends = {columns(x[:re.match(r"^\S+\s+\d+", x).end()]) for x in rows}
    check(r.returncode == 0 and len(rows) >= 4 and
          any("临江市疫情防控工作领导小组办公室" in x for x in rows) and
          ends == {columns(head[:head.index("documents") + len("documents")])},
          "trend table columns: %s\n%s" % (ends, r.stdout))
    r = subprocess.run([CLIENT, "trend", "--db", db, "--format", "csv", "国务院,碳达峰",
                        '"营商环境"'], capture_output=True)
    lines = r.stdout.decode("utf-8").split("\r\n")
    check(r.returncode == 0 and r.stdout.startswith(b"\xef\xbb\xbf") and
          lines[0] == '\ufeffyear,documents,characters,"国务院,碳达峰 documents",'
                      '"国务院,碳达峰 occurrences","""营商环境"" documents",'
                      '"""营商环境"" occurrences"', "trend CSV header: %r" % lines[:2])
    r = subprocess.run([CLIENT, "trend", "--db", db, "国务院"], capture_output=True, text=True)
    check(r.returncode == 0 and "█" in r.stdout and "2024" in r.stdout,
          "trend table with bars:\n" + r.stdout[:400])


def stream(d, path):
    """(status, headers, body bytes) of a GET whose answer may be chunked."""
    c = http.client.HTTPConnection("127.0.0.1", d.port, timeout=60)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()


def check_export(d, db, docs):
    """/export, /concordance?format= and wensuo export: every matching
    document (every line), in each format, streamed."""
    holders = {x["id"] for x in docs if count(x["title"], "国务院") + count(x["body"], "国务院")}
    st, h, body = stream(d, "/export?" + urllib.parse.urlencode(
        {"q": '"国务院"', "format": "csv", "fields": "issuer,pages", "snippets": "1"}))
    check(st == 200 and h.get("transfer-encoding") == "chunked" and
          h.get("content-type", "").startswith("text/csv"), "export streamed as CSV: %s %s"
          % (st, h))
    check(body.startswith(b"\xef\xbb\xbf"), "CSV opens with the UTF-8 BOM")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    check(rows and rows[0] == ["id", "title", "date", "source", "type", "url", "score", "issuer",
                               "pages", "snippet"], "CSV header: %s" % rows[:1])
    check({r[0] for r in rows[1:]} == holders and len(rows) - 1 == len(holders),
          "export: every document holding the term, once (%d rows, %d counted)"
          % (len(rows) - 1, len(holders)))
    byid = {x["id"]: x for x in docs}
    # a cell a spreadsheet would take for a formula begins with an apostrophe
    # (but a number: the pages, -3 to 3, stay numbers)
    safe = lambda v: "'" + v if v[:1] in ("=", "+", "-", "@") else v  # noqa: E731
    check(all(r[1] == byid[r[0]]["title"] and r[2] == byid[r[0]]["date"] and
              r[7] == safe(byid[r[0]]["issuer"]) and r[8] == str(byid[r[0]]["pages"])
              for r in rows[1:]), "export: the stored fields (a number written as JSON)")
    check(len({r[7][:2] for r in rows[1:] if r[7][:1] == "'"}) >= 3,
          "export: formulas among the fields")
    for fmt in ("jsonl", "tsv"):  # the text as it is, for scripts
        st, h, exact = stream(d, "/export?" + urllib.parse.urlencode(
            {"q": '"国务院"', "format": fmt, "fields": "issuer"}))
        got = ([(x["id"], x["issuer"]) for x in map(json.loads, exact.decode().splitlines())]
               if fmt == "jsonl" else
               [tuple(x.split("\t")[0:8:7]) for x in exact.decode().splitlines()[1:]])
        check(st == 200 and got and all(v == byid[i]["issuer"] for i, v in got),
              "export %s: the fields as written: %s" % (fmt, got[:3]))
    check(all("<b>" not in r[9] and "\x01" not in r[9] and r[9] for r in rows[1:]),
          "export: plain-text snippets")
    check(body.count(b"\r\n") >= len(rows), "CSV lines end in CRLF")
    st, h, body = stream(d, "/export?" + urllib.parse.urlencode({"q": '"国务院"',
                                                                 "format": "jsonl"}))
    lines = [json.loads(x) for x in body.decode().splitlines()]
    check(st == 200 and {x["id"] for x in lines} == holders and
          set(lines[0]) == {"id", "title", "date", "source", "type", "url", "score"},
          "export as JSON lines")
    for sort, rev in (("date", True), ("date_asc", False)):
        st, h, body = stream(d, "/export?" + urllib.parse.urlencode(
            {"q": '"国务院"', "format": "jsonl", "sort": sort}))
        dates = [json.loads(x)["date"] for x in body.decode().splitlines()]
        check(st == 200 and len(dates) == len(holders) and dates == sorted(dates, reverse=rev),
              "export sorted by %s" % sort)
    st, h, body = stream(d, "/export?" + urllib.parse.urlencode({"q": "type:law",
                                                                 "format": "tsv"}))
    rows = body.decode().split("\n")
    check(st == 200 and len([r for r in rows if r]) - 1 ==
          sum(fold_type(x.get("type") or "") == "law" for x in docs)
          and all(len(r.split("\t")) == 7 for r in rows if r), "export as TSV, filters only")
    for p, what in [({"q": "国务院"}, "format must be"), ({"q": "国务院", "format": "xml"},
                                                          "format must be"),
                    ({"q": "国务院", "format": "csv", "snippets": "2"}, "snippets"),
                    ({"q": "国务院", "format": "csv", "sort": "left"}, "sort"),
                    ({"q": "国务院", "format": "csv",
                      "fields": ",".join("f%d" % i for i in range(40))}, "fields"),
                    # a column of every export, or a name twice, would make
                    # two CSV columns of one name but one JSON key
                    ({"q": "国务院", "format": "csv", "fields": "issuer,url"}, "column of every"),
                    ({"q": "国务院", "format": "jsonl", "fields": "score"}, "column of every"),
                    ({"q": "国务院", "format": "csv", "snippets": "1", "fields": "snippet"},
                     "column of every"),
                    ({"q": "国务院", "format": "tsv", "fields": "issuer,pages,issuer"}, "twice")]:
        st, _, j = get(d, "/export?" + urllib.parse.urlencode(p))
        check(st == 400 and what in j.get("error", ""), "export %s -> %s %s" % (p, st, j))
    # concordance lines export the same way, every line
    _, want = all_lines(d, q='"国务院"', limit=1000, width=8)
    st, h, body = stream(d, "/concordance?" + urllib.parse.urlencode(
        {"q": '"国务院"', "format": "csv", "width": 8}))
    # the file is named after the query, as the page names its links
    disp = h.get("content-disposition", "")
    check("filename*=UTF-8''wensuo-%E5%9B%BD%E5%8A%A1%E9%99%A2-lines.csv" in disp
          and 'filename="wensuo.csv"' in disp, "the concordance's file name: %r" % disp)
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    check(st == 200 and rows[0] == ["id", "title", "date", "source", "type", "left", "match",
                                    "right"] and
          [r[5:] for r in rows[1:]] == [[x["left"], x["match"], x["right"]] for x in want],
          "concordance as CSV: every line, as the pages give them")
    # or the first limit of them, from a cursor too, by the client alike
    _, _, page1 = kwic(d, q='"国务院"', limit=5, width=8)
    for p in ({"limit": 3}, {"limit": len(want) - 2}, {"limit": 4, "cursor": page1["next"]}):
        st, _, body = stream(d, "/concordance?" + urllib.parse.urlencode(
            dict(p, q='"国务院"', format="jsonl", width=8)))
        got = [json.loads(x) for x in body.decode().splitlines()]
        skip = 5 if "cursor" in p else 0
        check(st == 200 and [x["left"] + x["match"] for x in got] ==
              [x["left"] + x["match"] for x in want[skip:skip + p["limit"]]],
              "concordance as JSON lines with %s: %d lines" % (p, len(got)))
    for where in (["--db", db], ["--server", d.url]):
        r = subprocess.run([CLIENT, "kwic", *where, "--width", "8", "--format", "csv", "--limit",
                            "2", '"国务院"'], capture_output=True, text=True)
        check(r.returncode == 0 and len(r.stdout.splitlines()) == 3,
              "kwic --format csv --limit 2 %s: %r" % (where[0], r.stdout[:300]))
    st, _, j = get(d, "/concordance?" + urllib.parse.urlencode({"q": "type:law",
                                                               "format": "csv"}))
    check(st == 400 and "no word" in j.get("error", ""), "a streamed concordance still refuses")
    outs = []
    for where in (["--db", db], ["--server", d.url]):
        r = subprocess.run([CLIENT, "export", *where, "--format", "csv", "--snippets",
                            "--sort", "date", '"营商环境"'], capture_output=True)
        check(r.returncode == 0, "wensuo export %s: %s" % (where[0], r.stderr))
        outs.append(r.stdout)
    check(outs[0] == outs[1] and outs[0].count(b"\r\n") == 1 + expected(docs, "营商环境")[1],
          "export --db and --server write the same bytes")
    r = subprocess.run([CLIENT, "kwic", "--db", db, "--format", "jsonl", '"营商环境"'],
                       capture_output=True, text=True)
    check(r.returncode == 0 and len(r.stdout.splitlines()) == expected(docs, "营商环境")[0],
          "kwic --format jsonl: every line")


def check_reading(d, db, docs):
    """/documents/{id}?q= gives where each occurrence stands, in characters;
    wensuo show prints the document for a person."""
    for doc in docs[:60]:
        for pat in ("国务院", "数据安全"):
            path = "/documents/%s?%s" % (urllib.parse.quote(doc["id"], safe=""),
                                         urllib.parse.urlencode({"q": '"%s"' % pat}))
            st, _, j = get(d, path)
            if not check(st == 200 and "occurrences" in j, "%s: %s" % (path, st)):
                return
            for field in ("title", "body"):
                spans = j["occurrences"][field]
                text = doc[field]
                check(len(spans) == count(text, pat) and
                      all(norm(text[a:b]) == pat for a, b in spans),
                      "%s in the %s of %s: %s" % (pat, field, doc["id"], spans))
    # whether the document matches the query: a NOT of its own text, a
    # word it lacks, a proximity it fails, a filter it fails
    # (a document holding both, never side by side: NEAR/0 fails on the
    # proximity itself)
    doc = next(x for x in docs if count(x["body"], "国务院") and count(x["body"], "发展") and
               not any(p in norm(x["title"] + "\n" + x["body"]) for p in ("国务院发展", "发展国务院")))
    for q, want in (('"国务院"', True), ('"国务院" NOT 发展', False), ('"国务院" 不在其中的词', False),
                    ('"国务院" OR 不在其中的词', True), ('国务院 NEAR/0 不在其中', False),
                    ('国务院 NEAR/0 发展', False), ('国务院 NEAR/1000 发展', True),
                    ('"国务院" source:不是它的来源', False)):
        path = "/documents/%s?%s" % (urllib.parse.quote(doc["id"], safe=""),
                                     urllib.parse.urlencode({"q": q}))
        st, _, j = get(d, path)
        check(st == 200 and j.get("matches") is want and
              ("NEAR" in q or len(j["occurrences"]["body"]) >= count(doc["body"], "国务院")),
              "%s: matches %s, want %s" % (path, j.get("matches"), want))
    st, _, j = get(d, "/documents/gen%2F001")
    check(st == 200 and "occurrences" not in j and "matches" not in j,
          "without q, the document alone")
    st, _, j = get(d, "/documents/gen%2F001?q=%22abc")
    check(st == 400, "a broken query is refused: %s" % j)
    st, _, j = get(d, "/documents/gen%2F001?x=1")
    check(st == 400, "an unknown parameter is refused")
    doc = next(x for x in docs if count(x["body"], "国务院") >= 2)
    env = dict(os.environ, NO_COLOR="1")
    outs = []
    for where in (["--db", db], ["--server", d.url]):
        r = subprocess.run([CLIENT, "show", *where, doc["id"], '"国务院"'], capture_output=True,
                           text=True, env=env)
        check(r.returncode == 0, "wensuo show %s: %s" % (where[0], r.stderr))
        outs.append(r.stdout)
    n = count(doc["title"], "国务院") + count(doc["body"], "国务院")
    check(outs[0] == outs[1] and "%d occurrences" % n in outs[0] and
          outs[0].count("[") >= n and doc["date"] in outs[0] and not outs[0].startswith("{"),
          "show prints the document, matches marked:\n" + outs[0][:500])
    # its paragraphs are the analyzer's: a wrap of print inside CJK text
    # joined (after CRLF too, and before 。), a line after a sentence's end
    # or before an indentation kept
    tmp = os.path.join(os.path.dirname(db), "wraps")
    os.makedirs(tmp, exist_ok=True)
    with open(os.path.join(tmp, "w.jsonl"), "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "wrap/1", "title": "换行", "body":
                            "第一行文字\r\n第二行文字。\n前面的文字\n。后面的文字，\n　　新的一段开始。"
                            "\n\n另一段。\n申请登记：\n（一）集体所有。\n\n调整为1206.3\n5公顷，"
                            "总投资1\n28.6亿元，the wrapped\nline and a\r\nCRLF one，5\nG。"},
                           ensure_ascii=False) + "\n")
    subprocess.run([wsd.INDEXER, "--quiet", "--db", os.path.join(tmp, "db"),
                    os.path.join(tmp, "w.jsonl")], check=True, capture_output=True)
    r = subprocess.run([CLIENT, "show", "--db", os.path.join(tmp, "db"), "wrap/1"],
                       capture_output=True, text=True, env=env)
    paras = [x.strip() for x in r.stdout.split("\n\n")]
    check(r.returncode == 0 and "第一行文字第二行文字。" in paras and
          "前面的文字。后面的文字，" in paras and "新的一段开始。" in paras and
          "另一段。" in paras and "申请登记：（一）集体所有。" in paras and
          # a number wrapped is one number (the analyzer's rule), Latin
          # words keep a space
          "调整为1206.35公顷，总投资128.6亿元，the wrapped line and a CRLF one，5 G。" in paras,
          "show's paragraphs: %r" % r.stdout)
    # the same paragraphs as the PARAGRAPH operator's
    for q, want in (("登记 PARAGRAPH 集体", 1), ("前面 PARAGRAPH 新的", 0),
                    ("后面 PARAGRAPH 前面", 1)):
        r = subprocess.run([CLIENT, "kwic", "--db", os.path.join(tmp, "db"), "--json", q],
                           capture_output=True, text=True)
        check(r.returncode == 0 and json.loads(r.stdout)["total_documents"] == want,
              "%s: %s %s" % (q, r.stderr, r.stdout[:200]))


def run(d, db, docs):

    # totals: exact, against substring counts, with and without filters
    for pat in ["碳达峰", "国务院", "数据安全", "新质生产力", "营商环境", "农田", "abc",
                "发展"]:
        st, _, j = kwic(d, q='"%s"' % pat, limit=1)
        want = expected(docs, pat)
        check(st == 200 and (j["total_occurrences"], j["total_documents"]) == want,
              "totals of %s: %s, counted %s" % (pat, st == 200 and
                                                (j["total_occurrences"],
                                                 j["total_documents"]), want))
    # /search matches the documents the concordance counts: no phrase across
    # white space (维护网络安 全 holds no 网络安全, 2024 年 no 2024年), and a quoted
    # phrase's space stands for white space only (网络与安全 is not "网络 安全",
    # 营商  环境 is "营商 环境"), and a phrase or piece with marks has them there
    # ("《民法典》" is not 民法典 alone); a Latin word or number whole words only (no
    # PM in PM10, no 5 in 5G, 5 in PM2.5)
    for pat, q in [(p, '"%s"' % p) for p in ["网络安全", "安全", "营商环境", "商环境", "2024年",
                                               "数据安全", "网络 安全", "营商 环境", "商 环",
                                               "安 全", "数据 安全", "open data", "2024 年",
                                               "《民法典》", "民法典》", "网络，安全",
                                               "工程——平陆", "网络……安全", "网络--安全",
                                               "安全。", "——平陆", "工程——", "等等…", "…然后",
                                               "等等…然后"]] + \
                  [(p, p) for p in ["PM", "pm2", "5", "g", "5g", "iphone", "15", "app", "12306",
                                    "covid", "19", "gb", "t", "2.5", "《民法典》", "网络，安全",
                                    "营商环境，", "café", "cafe\u0301", "caf", "ガ", "한국"]]:
        st, _, j = kwic(d, q=q, limit=1)
        st2, _, s = get(d, "/search?" + urllib.parse.urlencode({"q": q if " " in pat else pat,
                                                                "limit": 1}))
        want = expected(docs, pat)
        check(st == 200 and st2 == 200 and
              (j["total_occurrences"], j["total_documents"]) == want and
              s["total"] == want[1] and not s.get("estimated"),
              "%s: concordance %s, search %s, counted %s" % (
                  pat, st == 200 and (j["total_occurrences"], j["total_documents"]),
                  st2 == 200 and s["total"], want))
    # a line break inside a quoted phrase (pasted across a wrap) is white
    # space there, in /search as in the concordance
    for q, pat in [('"网络\n安全"', "网络 安全"), ('"营商\r\n环境"', "营商 环境")]:
        st, _, j = kwic(d, q=q, limit=1)
        st2, _, s = get(d, "/search?" + urllib.parse.urlencode({"q": q, "limit": 1}))
        want = expected(docs, pat)
        check(st == 200 and st2 == 200 and
              (j["total_occurrences"], j["total_documents"]) == want and s["total"] == want[1],
              "%r: concordance %s, search %s, counted %s" % (
                  q, st == 200 and (j["total_occurrences"], j["total_documents"]),
                  st2 == 200 and s["total"], want))
    for filt, keep in [({"source": "新华社"}, lambda x: x.get("source") == "新华社"),
                       ({"type": "law"}, lambda x: fold_type(x.get("type") or "") == "law"),
                       ({"from": "2018", "to": "2020-06"},
                        lambda x: "2018" <= x["date"] <= "2020-06~")]:
        st, _, j = kwic(d, q='"碳达峰"', limit=1, **filt)
        want = expected(docs, "碳达峰", keep)
        check(st == 200 and (j["total_occurrences"], j["total_documents"]) == want,
              "totals with %s: %s, counted %s" % (filt, j, want))
    # OR counts both terms' occurrences; NOT removes documents
    st, _, j = kwic(d, q='"碳中和" OR "营商环境"', limit=1)
    a, b = expected(docs, "碳中和"), expected(docs, "营商环境")
    both = sum(1 for x in docs if count(x["title"] + x["body"], "碳中和") or
               count(x["title"] + x["body"], "营商环境"))
    check(st == 200 and j["total_occurrences"] == a[0] + b[0] and
          j["total_documents"] == both, "OR totals: %s, counted %s %s" % (j, a, b))
    st, _, j = kwic(d, q='"碳达峰" NOT "碳中和"', limit=1)
    want = expected(docs, "碳达峰", lambda x: not count(x["title"] + "\n" + x["body"],
                                                       "碳中和"))
    check(st == 200 and (j["total_occurrences"], j["total_documents"]) == want,
          "NOT totals: %s, counted %s" % (j, want))

    # every line, paged by the cursor, is the whole concordance once, in
    # date order (newest first), each match the term as written
    first, lines = all_lines(d, q='"国务院"', limit=7, width=6)
    want = expected(docs, "国务院")
    check(len(lines) == want[0], "paged lines %d, counted %d" % (len(lines), want[0]))
    check([x["date"] for x in lines] == sorted((x["date"] for x in lines), reverse=True),
          "lines are newest first")
    check(all(norm(x["match"]) == "国务院" for x in lines), "each match is the term")
    check(any(x["match"] != "国务院" for x in lines), "a Traditional match as written")
    check(all(len(x["left"]) <= 6 and len(x["right"]) <= 6 for x in lines),
          "context of 6 characters at most")
    check(all("\n" not in x["left"] + x["match"] + x["right"] for x in lines),
          "no line break inside a line")
    _, one = all_lines(d, q='"国务院"', limit=10000, width=6)
    check(one == lines, "pages of 7 and one page give the same lines")
    by_doc = {}
    for x in lines:
        by_doc[x["id"]] = by_doc.get(x["id"], 0) + 1
    docs_by_id = {x["id"]: x for x in docs}
    check(all(n == count(docs_by_id[i]["title"], "国务院") + count(docs_by_id[i]["body"],
                                                                "国务院")
              for i, n in by_doc.items()), "lines per document are its occurrences")
    # each order read a page at a time gives the lines of one page
    for sort in ("relevance", "date_asc", "date"):
        _, small = all_lines(d, q='"国务院"', sort=sort, limit=3, width=6)
        _, whole = all_lines(d, q='"国务院"', sort=sort, limit=10000, width=6)
        check(small == whole and len(whole) == want[0],
              "%s: pages of 3 give %d lines, one page %d, counted %d" %
              (sort, len(small), len(whole), want[0]))
    _, asc = all_lines(d, q='"国务院"', sort="date_asc", limit=1000)
    check([x["date"] for x in asc] == sorted(x["date"] for x in lines),
          "date_asc: oldest first")
    # a context is width characters as shown, whatever line breaks the
    # stored text has there (a wrap joined away is no character; a break
    # kept is one space), fewer only at the field's edge
    def flat(t):
        # a run of breaks and tabs is one space, but a single line break the
        # analyzer joins (the nearest characters around its white space: a
        # Han character on either side, or digits on both) is a wrap, shown
        # as nothing, unless it ends a sentence's paragraph (。 or a closing
        # quote after one before it) or comes before an indented line: then
        # a space
        t, ends, blank = t.replace("\r", ""), "。！？；!?;", " \t\f\v\u3000\xa0\n"
        han = lambda x: "\u4e00" <= x <= "\u9fff" or "\u3400" <= x <= "\u4dbf"  # noqa: E731

        def one(m):
            b, e = m.start(), m.end()
            while b > 0 and t[b - 1] in blank:
                b -= 1
            while e < len(t) and t[e] in blank:
                e += 1
            before, after = t[b - 1:b], t[e:e + 1]
            joined = (t[b:e].count("\n") == 1 and before and after and
                      (han(before) or han(after) or (before.isdigit() and after.isdigit())))
            ends_para = before in tuple(ends) or (before in "”’」』）)" and
                                                  t[b - 2:b - 1] in tuple(ends))
            # or the next line is indented (a full-width space, a tab, two spaces)
            indent = t[b:e].split("\n")[-1]
            ends_para |= "\u3000" in indent or "\t" in indent or indent.count(" ") >= 2
            return "" if joined and not ends_para and "\n" in m.group(0) else " "
        return re.sub(r"[\n\t\f\v]+", one, t)

    _, got = all_lines(d, q='"数据安全"', limit=10000, width=12)
    mark = joins_before

    def cut_marks(x, f):
        # fewer on the left where the marks of a character cut off went too
        t = flat(docs_by_id[x["id"]][f])
        i = t.find(x["left"] + x["match"])
        return i > 0 and mark(t[i - 1])
    short = [x for x in got
             if (len(x["left"]) < 12 and not any(flat(docs_by_id[x["id"]][f]).startswith(
                 x["left"] + x["match"]) or cut_marks(x, f) for f in ("title", "body"))) or
             (len(x["right"]) < 12 and not any(flat(docs_by_id[x["id"]][f]).endswith(
                 x["match"] + x["right"]) for f in ("title", "body")))]
    check(got and not short, "contexts short of 12 characters inside the text: %s" % short[:3])
    check(all(len(x["left"]) <= 12 and len(x["right"].rstrip("".join(
        c for c in x["right"] if mark(c)))) <= 12 for x in got),
          "contexts of 12 characters at most (on the right, with the last one's marks)")
    apart = [x for x in got if not any(x["left"] + x["match"] + x["right"] in
                                       flat(docs_by_id[x["id"]][f]) for f in ("title", "body"))]
    check(not apart, "lines that are not their text as shown: %s" % apart[:3])
    # left and right: by the characters nearest the match
    for side in ("left", "right"):
        _, got = all_lines(d, q='"数据安全"', sort=side, limit=9, width=10)
        keys = [x["left"][::-1] if side == "left" else x["right"] for x in got]
        check(keys == sorted(keys), "sorted by the %s context" % side)
        check(len(got) == expected(docs, "数据安全")[0], "every line sorted by %s" % side)

    # the usage names every command, and each research command's options
    r = subprocess.run([CLIENT, "--help"], capture_output=True, text=True)
    check(r.returncode == 0 and all("wensuo %s " % c in r.stdout for c in
                                    ("search", "kwic", "trend", "collocates", "export", "show")),
          "wensuo --help: %s" % r.stdout)
    r = subprocess.run([CLIENT, "export", "--help"], capture_output=True, text=True)
    export_usage = r.stdout[r.stdout.find("wensuo export "):r.stdout.find("wensuo show ")]
    check(r.returncode == 0 and all(x in export_usage for x in (
        "[--format csv|tsv|jsonl]", "[--fields F,G]", "[--snippets]", "QUERY")) and
        "[--json | --format csv|tsv|jsonl] QUERY" in r.stdout,
        "wensuo export --help: %s" % r.stdout)
    # options the usage shows as alternatives are refused together (status 2)
    for cmd in (["kwic", "--json", "--format", "csv"], ["trend", "--json", "--format", "csv"],
                ["collocates", "--format", "csv", "--json"],
                ["kwic", "--db", db, "--server", d.url]):
        r = subprocess.run([CLIENT, *cmd[:1], *(["--db", db] if "--db" not in cmd else []),
                            *cmd[1:], '"碳达峰"'], capture_output=True, text=True)
        check(r.returncode == 2 and "give one" in r.stderr and not r.stdout,
              "wensuo %s: status %d, %r" % (" ".join(cmd), r.returncode, r.stderr))

    # an option of another command is refused, not taken and ignored (an
    # export of every match for --limit 1, CSV for --json); a word that
    # begins with '-' and a Latin letter is no bundle of one-letter options
    for cmd, what in ((["export", "--limit", "1"], "--limit is not an option of wensuo export"),
                      (["export", "--json"], "--json is not an option of wensuo export"),
                      (["trend", "--sort", "left"], "--sort is not an option of wensuo trend"),
                      (["show", "--from", "2025", "x"], "--from is not an option of wensuo show"),
                      (["kwic", "-type"], "unknown option -type"),
                      (["search", "--terms"], "--terms is not an option of wensuo search")):
        r = subprocess.run([CLIENT, *cmd[:1], "--db", db, *cmd[1:], '"碳达峰"'],
                           capture_output=True, text=True)
        check(r.returncode == 2 and what in r.stderr and not r.stdout,
              "wensuo %s: status %d, %r" % (" ".join(cmd), r.returncode, r.stderr))
    # an operand is used or refused, never ignored: analyze analyzes its
    # operands (it read stdin instead), stats takes none
    r = subprocess.run([CLIENT, "analyze", "碳达峰目标", "数据安全法"], capture_output=True,
                       text=True, input="不读这一行\n")
    check(r.returncode == 0 and r.stdout.splitlines() == ["碳达峰 目标", "数据 安全 法"],
          "wensuo analyze TEXT: status %d, %r" % (r.returncode, r.stdout))
    r = subprocess.run([CLIENT, "stats", "--db", db, "碳达峰"], capture_output=True, text=True)
    check(r.returncode == 2 and "takes no operand" in r.stderr and not r.stdout,
          "wensuo stats OPERAND: status %d, %r" % (r.returncode, r.stderr))
    # a NOT written -word needs no "--"
    r = subprocess.run([CLIENT, "kwic", "--db", db, "--json", "--all", '"碳达峰"', "-数据"],
                       capture_output=True, text=True)
    check(r.returncode == 0 and json.loads(r.stdout)["total_documents"] ==
          sum(1 for x in docs if "碳达峰" in norm(x["title"] + "\n" + x["body"]) and
              "数据" not in norm(x["title"] + "\n" + x["body"])),
          "wensuo kwic 碳达峰 -数据: %s %s" % (r.stderr, r.stdout[:200]))

    # the client prints the same, locally and through the daemon
    env = dict(os.environ, NO_COLOR="1")
    outs = []
    for where in (["--db", db], ["--server", d.url]):
        r = subprocess.run([CLIENT, "kwic", *where, "--json", "--all", "--limit", "50",
                            "--width", "8", '"碳达峰"'], capture_output=True, text=True,
                           env=env)
        check(r.returncode == 0, "wensuo kwic %s: %s" % (where[0], r.stderr))
        outs.append(json.loads(r.stdout) if r.returncode == 0 else None)
    if outs[0] and outs[1]:
        for o in outs:
            o.pop("next", None)
        check(outs[0] == outs[1], "kwic --db and --server agree")
        check(len(outs[0]["lines"]) == expected(docs, "碳达峰")[0], "kwic --all: every line")
    r = subprocess.run([CLIENT, "kwic", "--db", db, "--width", "5", "营商环境"],
                       capture_output=True, text=True, env=env)
    rows = [x for x in r.stdout.splitlines()[1:] if "[" in x]
    check(r.returncode == 0 and rows and len({columns(x[:x.index(" [")]) for x in rows}) == 1,
          "plain lines aligned on the match:\n" + r.stdout[:600])
    # --all in plain lines: printed page by page as they come (pages of 3
    # here), every line once, the count once, aligned across the pages
    want = expected(docs, "营商环境")[0]
    r = subprocess.run([CLIENT, "kwic", "--server", d.url, "--all", "--limit", "3", "--width", "5",
                        "营商环境"], capture_output=True, text=True, env=env)
    out = r.stdout.splitlines()
    rows = [x for x in out[1:] if "[" in x]
    check(r.returncode == 0 and out and out[0].startswith("%d occurrences" % want) and
          len(rows) == want == len(out) - 1 and
          len({columns(x[:x.index(" [")]) for x in rows}) == 1,
          "kwic --all, plain, in pages of 3: %d lines of %d\n%s" % (len(rows), want,
                                                                  r.stdout[:600]))
    # and as they come: with every request 300 ms long, the first page is
    # out while the client still asks for the others (it held every line
    # till the last page: a concordance of 的 took 8 minutes to show one)
    slow = wsd.Daemon(db, os.path.dirname(db), "research-slow", "--read-only",
                      "--debug-delay", "300")
    try:
        p = subprocess.Popen([CLIENT, "kwic", "--server", slow.url, "--all", "--limit",
                              str(max(1, want // 4)),
                              "营商环境"], stdout=subprocess.PIPE, text=True, env=env)
        first = [p.stdout.readline(), p.stdout.readline()]
        running = p.poll() is None
        rest = p.stdout.read()
        p.wait()
        check(want > 4 and running and "[营商环境]" in first[1] and
              len((first[1] + rest).splitlines()) == want,
              "kwic --all prints each page as it comes: %r, still running %s" % (first, running))
    finally:
        slow.stop()
    # cut short by a change to the index between its pages (another
    # process adds a document): the cursor of the page refused leads
    # nowhere, so the JSON ends without a "next" to go on from
    cut = db + "-cut"
    shutil.copytree(db, cut)
    slow = wsd.Daemon(cut, os.path.dirname(db), "research-cut", "--read-only",
                      "--debug-delay", "300")
    try:
        p = subprocess.Popen([CLIENT, "kwic", "--server", slow.url, "--json", "--all", "--limit",
                              "1", "营商环境"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env)
        head = p.stdout.readline()  # the first page is out: the next is asked
        new = os.path.join(os.path.dirname(db), "cut.jsonl")
        with open(new, "w", encoding="utf-8") as f:
            f.write(json.dumps({"id": "cut-1", "title": "营商环境", "body": "优化营商环境。"},
                               ensure_ascii=False) + "\n")
        subprocess.run([wsd.INDEXER, "--quiet", "--db", cut, new], check=True,
                       stdout=subprocess.DEVNULL)
        out = p.stdout.read()  # (communicate() would lose what readline() buffered)
        err = p.stderr.read()
        p.wait(60)
        try:
            got = json.loads(head + out)
        except ValueError:
            got = None
        check(want > 2 and p.returncode != 0 and got is not None and "next" not in got and
              0 < len(got["lines"]) < want and "start again" in err,
              "kwic --all cut by a change: rc %s, %r, %s" % (p.returncode, (head + out)[-200:],
                                                            err))
    finally:
        slow.stop()
        shutil.rmtree(cut, ignore_errors=True)

    check_trend(d, db, docs)
    check_export(d, db, docs)
    check_reading(d, db, docs)

    # limits and refusals, each with its reason
    for p, code, what in [({"q": "国务院", "width": "201"}, 400, "width"),
                          ({"q": "国务院", "limit": "0"}, 400, "limit"),
                          ({"q": "国务院", "limit": "10001"}, 400, "limit"),
                          ({"q": "国务院", "sort": "up"}, 400, "sort"),
                          ({"q": "国务院", "cursor": "xyz!"}, 400, "cursor"),
                          ({"q": "国务院", "from": "2024-13"}, 400, "from"),
                          ({"q": "国务院", "to": "2024/03/05"}, 400,
                           'to "2024/03/05" is not a date'),
                          ({"q": "type:law"}, 400, "no word"),
                          ({"width": "5"}, 400, "missing parameter q")]:
        st, _, j = kwic(d, **p)
        check(st == code and what in j.get("error", ""), "%s -> %s %s" % (p, st, j))
    st, _, j = kwic(d, q='"国务院"', limit=3)
    st2, _, j2 = kwic(d, q='"营商环境"', cursor=j["next"])
    check(st2 == 400 and "another query" in j2["error"], "a cursor of another query: %s"
          % j2)
    # a cursor whose totals or place were edited (a sign sscanf would wrap,
    # a total under the lines already shown, no documents, more documents
    # than the index holds, past what a JSON number holds, a place past
    # Xapian's 2^32 documents) is not the server's
    raw = base64.urlsafe_b64decode(j["next"] + "=" * (-len(j["next"]) % 4)).decode()
    f = raw.split(":")
    for field, value in ((8, "-1"), (8, "1"), (9, str(int(f[8]) + 1)), (5, "+3"), (5, " 3"),
                         (9, "0"), (9, "100000"), (8, "18446744073709551615"),
                         (8, "9007199254740992"), (8, "99999999999999999999"),
                         (6, "4294967296")):
        g = list(f)
        g[field] = value
        forged = base64.urlsafe_b64encode(":".join(g).encode()).decode().rstrip("=")
        st2, _, j2 = kwic(d, q='"国务院"', limit=3, cursor=forged)
        check(st2 == 400 and "not one this server gave" in j2.get("error", ""),
              "a forged cursor %r: %s %s" % (":".join(g), st2, j2))
    # one whose place is past the last document: no line, and no next that
    # names the same page again (a client following it would never end)
    for field in (5, 6):
        g = list(f)
        g[field] = str(int(g[field]) + 100000)
        forged = base64.urlsafe_b64encode(":".join(g).encode()).decode().rstrip("=")
        st2, _, j2 = kwic(d, q='"国务院"', limit=3, cursor=forged)
        check(st2 == 400 or (st2 == 200 and j2.get("next") in (None, "") or
                             j2.get("next") != forged and j2.get("lines")),
              "a cursor past the end %r: %s %s" % (":".join(g), st2, j2))
    st2, _, j2 = kwic(d, q='"国务院"', limit=3, cursor=j["next"])
    check(st2 == 200 and j2["total_occurrences"] == j["total_occurrences"],
          "the cursor as it came: %s" % st2)
    # a cursor that outlives its view says so
    line = json.dumps({"id": "gen/new", "title": "新增", "body": "国务院" * 3,
                       "date": "2030-01-01"}, ensure_ascii=False)
    st, _, _ = get(d, "/documents", "POST", line.encode(),
                   {"Content-Type": "application/json"})
    check(st == 200, "a document posted")
    st, _, j3 = kwic(d, q='"国务院"', cursor=j["next"])
    check(st == 409 and "changed" in j3.get("error", ""), "a stale cursor: %s %s" % (st, j3))
    st, _, j4 = kwic(d, q='"国务院"', limit=1)
    check(j4["total_occurrences"] == expected(docs, "国务院")[0] + 3, "the new view counts")
    # a query with no word around its matches, and filters that pass no
    # document: empty answers (once a null pointer that UBSan stopped on)
    line = json.dumps({"id": "alone/1", "title": "", "body": "孤零零"}, ensure_ascii=False)
    st, _, _ = get(d, "/documents", "POST", line.encode(), {"Content-Type": "application/json"})
    st, _, j = get(d, "/collocates?" + urllib.parse.urlencode({"q": '"孤零零"'}))
    check(st == 200 and j["total_occurrences"] == 1 and j["collocates"] == [],
          "collocates of a word alone: %s %s" % (st, j))
    st, _, j = get(d, "/trend?" + urllib.parse.urlencode({"q": "国务院", "source": "没有的来源"}))
    check(st == 200 and j["buckets"] == [], "a trend of filters that pass nothing: %s %s" % (st, j))
    # lines sorted by context are kept for the next pages (two sorts at
    # most): four sorts paged in turn, each page of 3 from a kept sort or a
    # new one, are each the lines of their sort in one page, sorted afresh
    combos = [(q, sort) for q in ('"国务院"', '"碳达峰"') for sort in ("left", "right")]
    whole = {c: kwic(d, q=c[0], sort=c[1], limit=10000, width=6)[2]["lines"] for c in combos}
    paged = {c: [] for c in combos}
    cursors = {c: None for c in combos}
    for _ in range(2000):
        live = [c for c in combos if cursors[c] != ""]
        if not live:
            break
        for c in live:
            p = {"q": c[0], "sort": c[1], "limit": 3, "width": 6}
            if cursors[c]:
                p["cursor"] = cursors[c]
            st, _, j = kwic(d, **p)
            if not check(st == 200, "a page of %s: %s %s" % (c, st, j)):
                cursors[c] = ""
                continue
            paged[c] += j["lines"]
            cursors[c] = j["next"] or ""
    for c in combos:
        check(whole[c] and paged[c] == whole[c], "%s sorted by %s, in pages of 3 taken in turn "
              "with three other sorts: %d lines, %d in one page" % (c[0], c[1], len(paged[c]),
                                                                    len(whole[c])))
    check_pieces(d)
    check_words_apart(d)
    check_marks(d)
    check_parens(d)
    check_kept(d)
    check_old_format(d, db, docs)


def check_old_format(d, db, docs):
    """On an index made before its punctuation terms (format 3), /search
    takes a piece's mark for any token: the concordance then cuts the piece
    at its marks, so that both still count the same documents."""
    try:
        import xapian
    except ImportError:
        print("SKIP: the format-3 checks need python3-xapian")
        return
    d.stop()  # the writer's lock
    for shard in sorted(glob.glob(os.path.join(db, "shard*"))):
        w = xapian.WritableDatabase(shard, xapian.DB_OPEN)
        check(w.get_metadata("wensuo.format") == b"5", "%s: format %r" %
              (shard, w.get_metadata("wensuo.format")))
        w.set_metadata("wensuo.format", "3")
        w.commit()
        w.close()
    old = wsd.Daemon(db, os.path.dirname(db), "research3", "--read-only")
    try:
        for q in ["网络，安全", "《民法典》", "营商环境，", "碳达峰 网络，安全"]:
            st, _, j = kwic(old, q=q, limit=1)
            st2, _, s = get(old, "/search?" + urllib.parse.urlencode({"q": q, "limit": 1}))
            check(st == 200 and st2 == 200 and j["total_documents"] == s["total"],
                  "format 3, %s: concordance %s, search %s" % (
                      q, st == 200 and j["total_documents"], st2 == 200 and s["total"]))
        # its documents hold 著 folded into 着: a query of 著 is refused,
        # saying why, not answered with nothing; 着 is asked as ever
        for path in ("/search?", "/concordance?", "/trend?", "/search?x"):
            q = "显\ufa5f" if path.endswith("x") else "显著"  # (U+FA5F: NFKC makes it 著)
            path = path.rstrip("x")
            st, _, j = get(old, path + urllib.parse.urlencode({"q": q}))
            check(st == 400 and "kept 著 apart from 着" in j.get("error", ""),
                  "format 3, %s显著: %s %s" % (path, st, j))
        st, _, j = get(old, "/search?" + urllib.parse.urlencode({"q": "着"}))
        check(st == 200, "format 3, 着: %s" % st)
    finally:
        old.stop()



# Texts where a pattern's characters are written otherwise than as the
# pattern has them, or beside white space and line breaks: the text is
# normalized only in the pieces that hold a character which can give one of
# the pattern's (occurrence.h), and each occurrence must still be found
# where it stands, in characters of the text as written.
PIECE_DOCS = [
    ("甲𠀀务乙𠀀务𠀀", '"𠀀务"', [[1, 3], [4, 6]]),             # past the BMP
    ("甲𠀀乙𠀀", '"𠀀"', [[1, 2], [3, 4]]),
    ("甲○乙〇丙", '"〇"', [[1, 2], [3, 4]]),
    ("于二○二四年发布二〇二四年", '"二〇二四年"', [[1, 6], [8, 13]]),  # ○ written for 〇
    ("国务\n院，国务 院，国务\n\n院，國務院", '"国务院"', [[0, 4], [16, 19]]),
    ("院 \n国务院\n 国务院 \n", '"国务院"', [[3, 6], [8, 11]]),
    ("\uf9ba解情况，了解", '"了解"', [[0, 2], [5, 7]]),            # a compatibility form
    ("甲乙丙丁，" * 15000 + "国务院" + "\n国务\n院", '"国务院"',   # past a chunk: read whole
     [[75000, 75003], [75004, 75008]]),
]


def check_pieces(d):
    for i, (body, q, want) in enumerate(PIECE_DOCS):
        line = json.dumps({"id": "piece/%d" % i, "title": "片段", "body": body,
                           "date": "2030-02-01"}, ensure_ascii=False)
        st, _, _ = get(d, "/documents", "POST", line.encode(),
                       {"Content-Type": "application/json"})
        check(st == 200, "piece/%d posted" % i)
        path = "/documents/piece%%2F%d?%s" % (i, urllib.parse.urlencode({"q": q}))
        st, _, j = get(d, path)
        got = j.get("occurrences", {}).get("body") if st == 200 else None
        check(got == want, "%s in piece/%d: %s, want %s" % (q, i, got, want))

# Texts where a pattern stands inside a word that ICU keeps whole (2.5%,
# 한국어, 120，2024年) or inside a compound of the analyzer (COVID-19), with
# patterns that are in them as substrings. Whatever /search finds there, the
# concordance must count there, and nothing else: a document holding the
# text and the pattern once more, apart, has one occurrence more than the
# text alone (occurrence.h; normalize.h, ws_normalize_apart).
APART_DOCS = [
    ("增长2.5%。", ["5%", "2.5%", "2.5", "5", "2"]),
    ("扩大至949.21公顷。", ["21公顷", "21", "949", "公顷", "949.21公顷"]),
    ("编号120，2024年。", ["2024年", "2024", "120"]),
    ("发展3.5G网络。", ["5G", "3.5G", "5G网络"]),
    ("COVID-19病毒", ["19", "covid", "19病毒", "covid-19"]),
    ("한국어 교육", ["국어", "한국어", "어"]),
    ("москва город", ["оск", "москва"]),
    ("a.b测试", ["b测试", "b", "a.b"]),
    ("甲_b乙", ["b", "_b"]),
    ("共1,000人", ["1,000", "000", "1"]),
    ("v1.2.3版本", ["2.3", "1.2", "v1", "2.3版本"]),
    ("カタカナ表記", ["カナ"]),
    ("हिंदी भाषा", ["दी", "ह", "हिंदी"]),  # combining marks inside a word
    ("كِتَاب جديد", ["تَاب", "كِتَاب"]),
]


def check_words_apart(d):
    lines = []
    for i, (text, pats) in enumerate(APART_DOCS):
        lines.append({"id": "apart/%d" % i, "title": "文字", "body": text, "source": "apart"})
        for j, p in enumerate(pats):
            lines.append({"id": "apart/%d/%d" % (i, j), "title": "文字",
                          "body": text + "。" + p + "。", "source": "apart"})
    st, _, _ = get(d, "/documents", "POST", wsd.jsonl(lines).encode(),
                   {"Content-Type": "application/x-ndjson"})
    check(st == 200, "the apart documents posted: %s" % st)
    alone = {}
    for i, (text, pats) in enumerate(APART_DOCS):
        for j, p in enumerate(pats):
            q = json.dumps(p, ensure_ascii=False)
            _, got = all_lines(d, q=q, source="apart", limit=1000)
            n = {}
            for x in got:
                n[x["id"]] = n.get(x["id"], 0) + 1
            st, _, s = get(d, "/search?" + urllib.parse.urlencode(
                {"q": q, "source": "apart", "limit": 1000}))
            found = {h["id"] for h in s.get("hits", []) if not h.get("relaxed")}
            check(n.get("apart/%d/%d" % (i, j), 0) == 1 + n.get("apart/%d" % i, 0),
                  "%s in %s: %d alone, %d with one apart" % (
                      p, text, n.get("apart/%d" % i, 0), n.get("apart/%d/%d" % (i, j), 0)))
            check(("apart/%d" % i in found) == ("apart/%d" % i in n),
                  "%s in %s: /search %s, the concordance %s" % (
                      p, text, "apart/%d" % i in found, n.get("apart/%d" % i, 0)))
            alone[(text, p)] = n.get("apart/%d" % i, 0)
    # the README's examples
    for text, p, want in [("增长2.5%。", "5%", 0), ("增长2.5%。", "5", 1),
                          ("한국어 교육", "국어", 0), ("编号120，2024年。", "2024年", 0),
                          ("编号120，2024年。", "2024", 1), ("COVID-19病毒", "19病毒", 1)]:
        check(alone.get((text, p)) == want, "%s in %s: %s, want %d" % (
            p, text, alone.get((text, p)), want))


def joins_before(c):
    """Whether c goes with the character before it to a reader (Unicode's
    grapheme cluster break Extend, SpacingMark, ZWJ): a mark, and the few
    Other_Grapheme_Extend that are not one, such as the half-width voiced
    sound marks of ｶﾞ."""
    return unicodedata.category(c) in ("Mn", "Me", "Mc") or c in "\u200c\u200d\uff9e\uff9f"


def check_marks(d):
    """A context is never cut between a character and its combining marks
    (decomposed text, as some PDFs and Macs write it): on the left the
    marks of a character cut off go with it, on the right they stay."""
    body = "北京e\u0301\u0300数据e\u0301安全。Cafe\u0301数据ü\u0308\u0308x"
    st, _, _ = get(d, "/documents", "POST", wsd.jsonl([{"id": "marks/1", "title": "标记",
                                                      "body": body, "source": "marks"}]).encode(),
                   {"Content-Type": "application/x-ndjson"})
    check(st == 200, "the marks document posted: %s" % st)
    mark = joins_before
    starts = [m.start() for m in re.finditer("数据", body)]
    for width in range(1, 6):
        _, got = all_lines(d, q="数据", source="marks", limit=100, width=width)
        want = []
        for b in starts:
            left = body[max(0, b - width):b]
            while left and mark(left[0]) and b - len(left) > 0:
                left = left[1:]
            e = b + 2
            right = body[e:e + width]
            while e + len(right) < len(body) and mark(body[e + len(right)]):
                right += body[e + len(right)]
            want.append((left, right))
        have = [(x["left"], x["right"]) for x in got]
        check(have == want, "width %d: contexts %r, want %r" % (width, have, want))


def check_kept(d):
    """Characters the Simplified standard writes in their own right are not
    folded into others: 着 counts no 著 (显著, 著作), 干 no 乾, 具 no 俱;
    Traditional text still matches Simplified (國務院關於)."""
    bodies = ["效果显著，著作等身，他看着远方。", "乾坤之间，干部们在俱乐部里用工具。",
              "國務院關於印发的通知，关于", "摔跤比赛；交通"]
    docs = [{"id": "kept/%d" % i, "title": "字", "body": b, "source": "kept"}
            for i, b in enumerate(bodies)]
    st, _, _ = get(d, "/documents", "POST", wsd.jsonl(docs).encode(),
                   {"Content-Type": "application/x-ndjson"})
    check(st == 200, "the kept-character documents posted: %s" % st)
    for q, text in (("着", "着"), ("著", "著"), ("显著", "显著"), ("干", "干"), ("乾", "乾"),
                    ("具", "具"), ("俱乐部", "俱乐部"), ("跤", "跤"), ("交", "交")):
        st, _, j = kwic(d, q=q, source="kept", limit=1)
        want = (sum(b.count(text) for b in bodies), sum(1 for b in bodies if text in b))
        check(st == 200 and (j["total_occurrences"], j["total_documents"]) == want,
              "%s: %s, counted %s" % (q, st == 200 and (j["total_occurrences"],
                                                        j["total_documents"]), want))
    st, _, j = kwic(d, q="国务院关于", source="kept", limit=1)
    check(st == 200 and j["total_occurrences"] == 1, "国务院关于 finds 國務院關於: %s" % j)


def check_parens(d):
    """Parentheses pasted with a law's text are its marks: （一） counts the
    （一）s, not every 一; 管理办法（试行） the whole title, not its two
    words apart; (一) typed apart groups its one piece, as a group of
    several pieces does."""
    bodies = ["第一条 管理办法（试行）如下：（一）总则；（二）一般规定。一是一。",
              "管理办法 试行 一 二 （一） 管理办法(试行) 丙",
              "乙和丙，一二三。"]
    docs = [{"id": "parens/%d" % i, "title": "括号", "body": b, "source": "parens"}
            for i, b in enumerate(bodies)]
    st, _, _ = get(d, "/documents", "POST", wsd.jsonl(docs).encode(),
                   {"Content-Type": "application/x-ndjson"})
    check(st == 200, "the parentheses documents posted: %s" % st)
    for q, text in (("（一）", "(一)"), ("(一)", "一"), ("管理办法（试行）", "管理办法(试行)"),
                    ("管理办法(试行)", "管理办法(试行)"), ("第一条 （一）", None),
                    ("（乙 OR 甲）丙", None)):
        st, _, j = kwic(d, q=q, source="parens", limit=1)
        if text is None:  # two pieces, each once, in the one document holding both
            got = (j.get("total_occurrences"), j.get("total_documents")) if st == 200 else st
            check(got == (2, 1), "%s: %s" % (q, got))
            continue
        want = (sum(unicodedata.normalize("NFKC", b).count(text) for b in bodies),
                sum(1 for b in bodies if text in unicodedata.normalize("NFKC", b)))
        check(st == 200 and (j["total_occurrences"], j["total_documents"]) == want,
              "%s: %s, counted %s" % (q, st == 200 and (j["total_occurrences"],
                                                        j["total_documents"]), want))


def main():
    return wsd.on_generated_index("ws-research-", "research", make_corpus, run)


if __name__ == "__main__":
    sys.exit(main())
