#!/usr/bin/python3
"""Collocates (searcher/README.md, "Collocates"): GET /collocates and wensuo
collocates checked against counts made here, without the index.

The documents are the sample corpus's texts in simplified characters (real
prose, hard-wrapped lines among them) and a few made for the edges: a match
at the start and the end of a field, matches close together, a match inside
a word, a stretch without clause marks, and long Latin words that push a
window past the text first read. The test joins hard-wrapped lines as the
analyzer's rule says, has `wensuo analyze` segment each paragraph (its words
as printed) and `wensuo analyze --terms` give its index terms, finds the
occurrences as substrings, and counts by hand the words within N words of
each (each place once; the words touching a match, punctuation and the stop
words of the lexicon's list left out), each word's count over every title
and body (its word term, or a one-character Chinese word's character term),
and logDice. Standard library only; WS_BIN is set by ctest."""

import csv
import glob
import io
import json
import math
import os
import subprocess
import sys
import unicodedata
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsd import CLIENT, check, get  # noqa: E402
import wsd  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "..", "corpus")
DICT = os.environ.get("WENSUO_DICT_DIR", "/usr/share/friso/dict/UTF-8")
SPACES = " \t\r\f\v\u3000\u00a0"


def is_han(c):
    cp = ord(c) if c else 0
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x323AF or
            0xF900 <= cp <= 0xFAFF or cp == 0x3007)


def joins(prev, nxt):
    """The analyzer's rule for a single line break (analyzer.h, step 3)."""
    return is_han(prev) or is_han(nxt) or (bool(prev) and bool(nxt) and prev.isdigit() and
                                           nxt.isdigit() and prev < "\x80" and nxt < "\x80")


def join_lines(t):
    """The text with its line breaks as the analyzer reads them: a blank
    line a paragraph ("\\n"), a break inside CJK text or a number dropped,
    any other a space."""
    out, i = [], 0
    while i < len(t):
        c = t[i]
        if c not in "\n\r":
            out.append(c)
            i += 1
            continue
        j, breaks, nxt = i, 0, ""
        while j < len(t):
            if t[j] == "\n":
                breaks += 1
            elif t[j] not in SPACES:
                nxt = t[j]
                break
            j += 1
        prev = next((x for x in reversed(out) if x not in SPACES and x != "\n"), "")
        if breaks >= 2 or (breaks == 1 and not nxt):
            out.append("\n")
        elif not joins(prev, nxt):
            out.append(" ")
        i = j
    return "".join(out)


def norm(s):
    return unicodedata.normalize("NFKC", s).casefold()


def stop_words():
    words = set()
    with open(os.path.join(DICT, "lex-stopword.lex"), encoding="utf-8") as f:
        for line in f:
            w = line.rstrip("\n")
            for k, c in enumerate(w):
                if c in "/ \t\r":
                    w = w[:k]
                    break
            if w and not w.startswith("#"):
                words.add(norm(w))
    return words


def analyze(lines, terms=False):
    """wensuo analyze over lines (no line break in any): per line, its
    words (as printed), or with terms its index terms as (term, kind)."""
    r = subprocess.run([CLIENT, "analyze"] + (["--terms"] if terms else []),
                       input="".join(x + "\n" for x in lines), capture_output=True, text=True,
                       check=True)
    out = r.stdout.split("\n")
    if not terms:
        return [x.split(" ") if x else [] for x in out[:len(lines)]]
    per, cur = [], []
    for x in out:
        if not x:
            per.append(cur)
            cur = []
            continue
        f = x.split("\t")
        cur.append((f[0], f[-1]))
    return per[:len(lines)]


class Field:
    """A title or body: its text as the analyzer reads it (P), its words
    with their character ranges in P, and its index terms."""

    def __init__(self, text):
        self.p = join_lines(text)
        self.paras = self.p.split("\n")


def prepare(fields):
    paras = [x for f in fields for x in f.paras]
    words = analyze(paras)
    terms = analyze(paras, terms=True)
    k = 0
    for f in fields:
        f.words, f.terms, at = [], [], 0
        for para in f.paras:
            cur = 0
            for w in words[k]:
                s = para.find(w, cur)
                assert s >= 0, (w, para)
                cur = s + len(w)
                if any(c.isalnum() for c in w):  # punctuation is no word
                    f.words.append((at + s, at + cur, norm(w)))
            f.terms += terms[k]
            k += 1
            at += len(para) + 1


def occurrences(p, patterns):
    """The non-overlapping occurrences of the patterns in p (character
    ranges of p), found in its normalized form, left to right."""
    mapped, back = [], []
    for i, c in enumerate(p):
        n = norm(c)
        mapped.append(n)
        back += [i] * len(n)
    t = "".join(mapped)
    found = []
    for pat in patterns:
        i = t.find(pat)
        while i >= 0:
            found.append((back[i], back[i + len(pat) - 1] + 1))
            i = t.find(pat, i + len(pat))
    return sorted(found)


def window_words(f, occ, n, stops):
    """The words within n words of the occurrences: each place once, the
    words touching an occurrence and the stop words left out."""
    ws = f.words
    mark = [0] * len(ws)
    spans = []
    for s, e in occ:
        a = next((k for k, w in enumerate(ws) if w[1] > s), len(ws))
        b = a
        while b < len(ws) and ws[b][0] < e:
            mark[b] = 2
            b += 1
        spans.append((a, b))
    for a, b in spans:
        for k in list(range(max(0, a - n), a)) + list(range(b, min(len(ws), b + n))):
            mark[k] = mark[k] or 1
    return [ws[k][2] for k in range(len(ws)) if mark[k] == 1 and ws[k][2] not in stops]


def expected(docs, patterns, n, stops, index_counts, keep=lambda d: True, min_count=1):
    counts, fx, ndocs = {}, 0, 0
    for d in docs:
        if not keep(d):
            continue
        k = 0
        for f in (d["_title"], d["_body"]):
            occ = occurrences(f.p, patterns)
            k += len(occ)
            for w in window_words(f, occ, n, stops):
                counts[w] = counts.get(w, 0) + 1
        fx += k
        ndocs += k > 0
    rows = []
    for w, c in counts.items():
        if c < min_count:
            continue
        fy = index_counts.get(w, 0)
        rows.append((w, c, fy, 14 + math.log2(2 * c / (fx + fy))))
    rows.sort(key=lambda r: (-r[3], -r[1], r[0]))
    return fx, ndocs, rows


def index_counts(docs):
    """Each word's count in the index: its word term, or for one Chinese
    character the character's term, over every title and body."""
    words, chars = {}, {}
    for d in docs:
        for f in (d["_title"], d["_body"]):
            for term, kind in f.terms:
                if kind == "word":
                    words[term] = words.get(term, 0) + 1
                elif kind == "char":
                    chars[term[1:]] = chars.get(term[1:], 0) + 1
    every = {w for d in docs for f in (d["_title"], d["_body"]) for _, _, w in f.words}
    return {w: chars.get(w, 0) if len(w) == 1 and is_han(w) else words.get(w, 0) for w in every}


EDGES = [
    ("碳达峰开头", "碳达峰是开头的词，结尾也是碳达峰"),
    ("紧挨", "推进碳达峰碳达峰行动，稳妥推进碳达峰碳中和，积极稳妥推进碳达峰。"),
    ("词内", "研究生命起源的研究生与碳达峰目标，实现碳达峰目标任务。达峰时间表。"),
    ("无标点", "各地区各部门要坚持稳中求进工作总基调完整准确全面贯彻新发展理念加快构建新发展格局"
     "碳达峰行动方案稳步实施推动经济社会发展全面绿色转型建设美丽中国" * 3),
    ("长词", "碳达峰 internationalization standardization decarbonization "
     "electrification digitalization industrialization modernization "
     "transformation 碳达峰，碳中和。" * 2),
    ("长句", "甲" + "词internationalizationstandardization词，" * 6 + "碳达峰，" +
     "他decarbonizationelectrification她，" * 6 + "完"),
    ("相隔", "碳达峰" + "，".join(["经济", "社会", "文化", "生态", "政治", "民生", "科技",
                                   "教育", "卫生", "体育", "农业", "工业", "交通", "能源"]) +
     "，碳达峰。" + "，".join(["粮食", "水利", "林业", "渔业", "牧业", "矿业"]) + "，碳达峰"),
    ("分行", "青禾县启动工业领域碳达\n峰实施方案，\n\n推进碳达峰\n行动"),
]


def make_docs(path):
    docs = []
    files = sorted(glob.glob(os.path.join(CORPUS, "news", "*.md")) +
                   glob.glob(os.path.join(CORPUS, "policy", "*.txt")) +
                   glob.glob(os.path.join(CORPUS, "laws", "*.md")))
    for i, name in enumerate(files):
        with open(name, "rb") as f:
            raw = f.read()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # the GB18030 sample
        stem = os.path.splitext(os.path.basename(name))[0]
        if "hk-" in stem or stem[0] in "國臨":
            continue  # Traditional text: normalized here without the analyzer's mapping
        docs.append({"id": "c/%d" % i, "title": stem, "body": text})
    for i, (title, body) in enumerate(EDGES):
        docs.append({"id": "e/%d" % i, "title": title, "body": body})
    for i, d in enumerate(docs):
        d.update({"date": "%d-%02d-01" % (2019 + i % 6, 1 + i % 12),
                  "source": ["甲", "乙"][i % 2], "type": ["news", "policy", "law"][i % 3]})
    wsd.write_jsonl(path, docs)
    for d in docs:
        d["_title"], d["_body"] = Field(d["title"]), Field(d["body"])
    prepare([f for d in docs for f in (d["_title"], d["_body"])])
    return docs


def colloc(d, **p):
    return get(d, "/collocates?" + urllib.parse.urlencode(p))


def compare(got, want, what):
    fx, ndocs, rows = want
    ok = check(got.get("total_occurrences") == fx and got.get("total_documents") == ndocs,
               "%s: totals %s %s, counted %d %d" % (what, got.get("total_occurrences"),
                                                    got.get("total_documents"), fx, ndocs))
    g = [(x["word"], x["count"], x["index_count"]) for x in got.get("collocates", [])]
    w = [(r[0], r[1], r[2]) for r in rows[:len(g)]]
    if not check(g == w and got.get("total_collocates") == len(rows),
                 "%s: %d of %d collocates; first difference %s" %
                 (what, len(g), len(rows), next(((a, b) for a, b in zip(g, w) if a != b),
                                                (len(g), len(w))))):
        return False
    return ok and check(all(abs(x["log_dice"] - r[3]) < 1e-9
                            for x, r in zip(got["collocates"], rows)), "%s: logDice" % what)


def run(d, db, docs):
    stops = stop_words()
    counts = index_counts(docs)
    # the daemon's copy of the word lists (wordcache.h) counts, once it
    # holds every shard
    shards = len(glob.glob(os.path.join(db, "shard*")))
    wc = wsd.word_cache(d, shards)
    check(wc.get("shards") == shards and wc.get("documents") == len(docs) and
          wc.get("words", 0) > 1000 and wc.get("bytes", 0) > 0,
          "the word cache holds every shard: %s of %d" % (wc, shards))
    cases(d, docs, stops, counts, "")
    # an index without word lists: the collocates read the stored text
    plain = db + "-plain"
    subprocess.run([wsd.INDEXER, "--quiet", "--no-word-lists", "--db", plain,
                    os.path.join(os.path.dirname(db), "gen.jsonl")], check=True,
                   stdout=subprocess.DEVNULL)
    d2 = wsd.Daemon(plain, os.path.dirname(db), "colloc-plain")
    try:
        cases(d2, docs, stops, counts, "without word lists: ")
    finally:
        d2.stop()
    # two shards, half the documents with lists, read by two threads
    # however few (listed.h): each thread's counts added up, the texts of
    # the others counted after
    mixed = db + "-mixed"
    with open(os.path.join(os.path.dirname(db), "gen.jsonl"), encoding="utf-8") as f:
        lines = f.readlines()
    for k, args in enumerate([["--no-word-lists"], []]):
        src = os.path.join(os.path.dirname(db), "half%d.jsonl" % k)
        with open(src, "w", encoding="utf-8") as f:
            f.writelines(lines[k::2])
        subprocess.run([wsd.INDEXER, "--quiet", *args, "--shards", "2", "--db", mixed, src],
                       check=True, stdout=subprocess.DEVNULL)
    d3 = wsd.Daemon(mixed, os.path.dirname(db), "colloc-mixed", "--word-cache", "0",
                    env={"WENSUO_LIST_THREADS": "2"})
    try:
        st, _, j = get(d3, "/stats")
        check(st == 200 and j.get("word_cache") is None, "--word-cache 0: no cache: %s" % j)
        cases(d3, docs, stops, counts, "half with word lists, two threads, no cache: ")
    finally:
        d3.stop()
    # the same index with the daemon's copy of the lists: the other half
    # is read from the stored text, by threads that share documents
    d4 = wsd.Daemon(mixed, os.path.dirname(db), "colloc-mixed-cached",
                    env={"WENSUO_LIST_THREADS": "2"})
    try:
        wc = wsd.word_cache(d4, 2)
        check(wc.get("shards") == 2 and 0 < wc.get("documents", 0) < len(docs),
              "the mixed index's cache: %s" % wc)
        cases(d4, docs, stops, counts, "half with word lists, cached: ")
    finally:
        d4.stop()
    # a cache too small for every shard keeps none (a request reads the
    # copies only when it has them all), says so, and counts the same
    d5 = wsd.Daemon(mixed, os.path.dirname(db), "colloc-small-cache", "--word-cache", "1")
    try:
        wsd.wait_for(lambda: "need more than --word-cache" in d5.stderr(), 30)
        st, _, j = get(d5, "/stats")
        check(st == 200 and j.get("word_cache", {}).get("shards") == 0 and
              "need more than --word-cache" in d5.stderr(),
              "--word-cache 1: none kept, and said: %s %s" % (j.get("word_cache"),
                                                              d5.stderr()[-300:]))
        cases(d5, docs, stops, counts, "a cache too small: ")
    finally:
        d5.stop()
    client(d, db, docs, stops, counts)
    after_a_write(d, docs, stops, shards)


def after_a_write(d, docs, stops, shards):
    """A document replaced through the daemon (its docid kept, its text
    new) counts as it now is at once, while the word cache still holds its
    shard's copy from before (that shard is read from the index), and the
    same once the copy is made again."""
    old = next(x for x in docs if x["id"] == "e/0")
    new = {"id": "e/0", "title": "碳达峰示范", "body": "建设碳达峰示范城市，推进碳达峰试点园区。",
           "date": old["date"], "source": old["source"], "type": old["type"]}
    before = wsd.word_cache(d, shards).get("words")
    st, r = wsd.post(d, [new])
    check(st == 200, "the write: %s %s" % (st, r))
    new["_title"], new["_body"] = Field(new["title"]), Field(new["body"])
    prepare([new["_title"], new["_body"]])
    docs = [x for x in docs if x["id"] != "e/0"] + [new]
    counts = index_counts(docs)
    want = expected(docs, ["碳达峰"], 5, stops, counts)
    st, _, j = colloc(d, q='"碳达峰"', window=5, limit=1000)
    check(st == 200, "collocates after the write: %s" % st)
    if st == 200:
        compare(j, want, "at once after a write")
    def copied():  # (the new text has another number of words than the old)
        wc = wsd.get(d, "/stats")[2].get("word_cache") or {}
        return wc.get("shards") == shards and wc.get("words") not in (None, before)
    wsd.wait_for(copied, 30)
    check(copied(), "the cache copies the written shard again")
    st, _, j = colloc(d, q='"碳达峰"', window=5, limit=1000)
    if check(st == 200, "collocates once copied: %s" % st):
        compare(j, want, "once the cache has the write")


def cases(d, docs, stops, counts, label):
    """The counts of several queries, windows and filters, against those
    made here."""
    cases = [('"碳达峰"', ["碳达峰"], 5), ('"碳达峰"', ["碳达峰"], 1),
             ('"碳达峰"', ["碳达峰"], 10),
             ('"达峰"', ["达峰"], 3), ("发展", ["发展"], 10),
             ('"新质生产力" OR "营商环境"', ["新质生产力", "营商环境"], 2),
             ('"数据" NOT "碳达峰"', ["数据"], 4)]
    for q, pats, n in cases:
        st, _, j = colloc(d, q=q, window=n, limit=1000)
        keep = (lambda x: not occurrences(x["_title"].p, ["碳达峰"]) and
                not occurrences(x["_body"].p, ["碳达峰"])) if "NOT" in q else (lambda x: True)
        want = expected(docs, pats, n, stops, counts, keep)
        check(st == 200 and want[2], "%s%s window %d: %s (%d counted)" % (label, q, n, st,
                                                                         len(want[2])))
        if st == 200:
            compare(j, want, "%s%s window %d" % (label, q, n))
    # the best few are the first of the whole list, the rest weighed or not
    want = expected(docs, ["碳达峰"], 5, stops, counts)
    st, _, j = colloc(d, q='"碳达峰"', limit=3)
    check(st == 200 and len(j["collocates"]) == 3, "limit 3: %s" % j)
    compare(j, want, label + "limit 3")
    st, _, j = colloc(d, q='"碳达峰"', min_count=2)
    compare(j, expected(docs, ["碳达峰"], 5, stops, counts, min_count=2), label + "min_count 2")
    for filt, keep in [({"type": "policy"}, lambda x: x["type"] == "policy"),
                       ({"source": "甲", "from": "2021", "to": "2023-06"},
                        lambda x: x["source"] == "甲" and "2021" <= x["date"] <= "2023-06~")]:
        st, _, j = colloc(d, q="发展", window=4, limit=1000, **filt)
        compare(j, expected(docs, ["发展"], 4, stops, counts, keep),
                "%sfilters %s" % (label, filt))


def client(d, db, docs, stops, counts):
    want = expected(docs, ["碳达峰"], 5, stops, counts)
    # the client, locally and through the daemon, as JSON, a table and CSV
    outs = []
    for where in (["--db", db], ["--server", d.url]):
        r = subprocess.run([CLIENT, "collocates", *where, "--json", "--window", "3",
                            "--limit", "1000", '"达峰"'], capture_output=True, text=True)
        check(r.returncode == 0, "wensuo collocates %s: %s" % (where[0], r.stderr))
        outs.append(json.loads(r.stdout) if r.returncode == 0 else None)
    check(outs[0] == outs[1], "collocates --db and --server agree")
    if outs[0]:
        compare(outs[0], expected(docs, ["达峰"], 3, stops, counts), "wensuo collocates")
    r = subprocess.run([CLIENT, "collocates", "--db", db, "--format", "csv", "--limit", "5",
                        "碳达峰"], capture_output=True)
    rows = list(csv.reader(io.StringIO(r.stdout.decode("utf-8-sig"), newline="")))
    best = want[2][:5]
    check(r.returncode == 0 and r.stdout.startswith(b"\xef\xbb\xbf") and
          rows[0] == ["word", "count", "index_count", "log_dice"] and
          [(x[0], int(x[1]), int(x[2])) for x in rows[1:]] == [b[:3] for b in best] and
          b"\r\n" in r.stdout, "collocates as CSV: %r" % rows[:3])
    r = subprocess.run([CLIENT, "collocates", "--db", db, "--limit", "5", "碳达峰"],
                       capture_output=True, text=True)
    lines = r.stdout.splitlines()
    check(r.returncode == 0 and lines[0].startswith("%d occurrences in" % want[0]) and
          all(line.split()[0] == b[0] for line, b in zip(lines[2:], best)) and
          len(lines) == 2 + len(best), "the table:\n" + r.stdout)

    # limits and refusals, each with its reason
    for p, what in [({"q": "碳达峰", "window": "11"}, "window"),
                    ({"q": "碳达峰", "window": "0"}, "window"),
                    ({"q": "碳达峰", "limit": "1001"}, "limit"),
                    ({"q": "碳达峰", "min_count": "0"}, "min_count"),
                    ({"q": "type:law"}, "no word"),
                    ({"q": "碳达峰", "from": "2024-13"}, "from"),
                    ({"q": "碳达峰", "width": "3"}, "width"),
                    ({"window": "3"}, "missing parameter q")]:
        st, _, j = colloc(d, **p)
        check(st == 400 and what in j.get("error", ""), "%s -> %s %s" % (p, st, j))
    r = subprocess.run([CLIENT, "collocates", "--db", db, "--window", "11", "碳达峰"],
                       capture_output=True, text=True)
    check(r.returncode == 2 and "window" in r.stderr, "client refuses --window 11: %s"
          % r.stderr)


def main():
    if not os.path.exists(os.path.join(DICT, "lex-stopword.lex")):
        print("SKIP: no stop word list in %s" % DICT)
        return 77
    return wsd.on_generated_index("ws-colloc-", "colloc", make_docs, run)


if __name__ == "__main__":
    sys.exit(main())
