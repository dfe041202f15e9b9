#!/usr/bin/python3
"""Hostile documents, a few hundred of them, through wensuo-index and the analyzer.

With a fixed seed, builds files in a temporary folder from pieces of the
sample corpus (corpus/), mutated the ways real input goes wrong: UTF-8 cut in
the middle of a character, stray and overlong bytes, encoded lone surrogates,
NUL bytes, GB18030 text and bytes that only look like it, BOMs, CRLF and CR
line ends, lines of 1 MB, JSON lines with fields of the wrong type, missing,
empty and 10 KB ids, deep nesting, duplicated keys, escaped NULs, HTML with
unclosed tags, scripts, comments, bad entities, huge attributes and tables
nested 1,000 deep, empty files, names with no or odd extensions, and one file
of 20 MB. Among them are good documents that all carry one token.

`wensuo-index` must exit 0, with every complaint naming its file (and line,
for JSONL); every file with text must give a document or a complaint, every
non-blank JSONL line likewise; the index must open (`wensuo stats`,
`xapian-check` on each shard when installed); and a search for the token must
find exactly the good documents. Then `wensuo analyze` (one output line per
input line) and `wensuo analyze --terms` run over random Unicode (every
plane, combining marks, controls, RTL, emoji sequences, 100 KB lines, bytes
that are not UTF-8) and must exit 0. Under the sanitizers nothing may be
reported (the build aborts on the first report). Found HTML nested more
than 256 deep losing all its text in silence (libxml2's depth limit: now
reported as cut), and a
NUL byte inside a UTF-8 character getting its whole file refused. Standard
library only. WS_BIN and WS_SRC are set by ctest."""

import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

BIN = os.environ.get("WS_BIN", "")
SRC = os.environ.get("WS_SRC", "")
INDEXER = os.path.join(BIN, "indexer", "wensuo-index")
CLIENT = os.path.join(BIN, "searcher", "wensuo")
TOKEN = "wsfuzzgoodtoken"
SEED = 20261125
SANITIZER = re.compile(r"AddressSanitizer|LeakSanitizer|runtime error:|UndefinedBehaviorSanitizer")


def corpus_pieces():
    """Paragraphs of real text from the sample corpus."""
    pieces = []
    for root, _, files in os.walk(os.path.join(SRC, "corpus")):
        for f in sorted(files):
            if f == "README.md":
                continue
            with open(os.path.join(root, f), "rb") as fh:
                raw = fh.read()
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                text = raw.decode("gb18030")                 # the corpus has a GBK file
            if f.endswith(".jsonl"):
                for line in text.splitlines():
                    d = json.loads(line)
                    pieces += [d.get("title", ""), d.get("body", d.get("content", ""))]
            else:
                pieces += text.split("\n")
    # lines of markup (the corpus has HTML pages) would make "text" that shows nothing
    return [p.strip() for p in pieces if len(p.strip()) > 4 and not p.strip().startswith("<")]


class Gen:
    """Draws hostile files; records what each may give, for the checks."""

    def __init__(self, rng, pieces, folder):
        self.rng, self.pieces, self.folder = rng, pieces, folder
        self.files = {}      # path -> {"ids": ids it may be indexed under, "silent": may give nothing}
        self.lines = {}      # path -> {non-blank line number: the id it carries, or None}
        self.good = set()    # ids of the good documents (they carry TOKEN)
        self.n = 0

    def text(self, lo=1, hi=8):
        return "\n".join(self.rng.choice(self.pieces) for _ in range(self.rng.randint(lo, hi)))

    def name(self, ext):
        self.n += 1
        return os.path.join(self.folder, "f%03d%s" % (self.n, ext))

    def write(self, ext, data, silent=False, ids=(), good_id=None):
        path = self.name(ext)
        with open(path, "wb") as f:
            f.write(data)
        ids = set(ids) | {path}
        if good_id is not None:
            self.good.add(path if good_id == "" else good_id)
        if path.endswith(".jsonl"):
            self.lines[path] = {ln: None for ln, line in enumerate(data.split(b"\n"), 1)
                                if line.strip(b" \t\r\x00") not in (b"", b"\xEF\xBB\xBF")}
        if supported(path):
            self.files[path] = {"ids": ids, "silent": silent or not data.strip(b" \t\r\n\x00")}
        return path

    # -- byte mutations of UTF-8 text --------------------------------------
    def mutate(self, b):
        rng = self.rng
        for _ in range(rng.randint(1, 6)):
            k = rng.randrange(12)
            i = rng.randint(0, len(b))
            if k == 0:                                   # cut mid-character
                b = b[:max(1, i)]
            elif k == 1:                                 # stray bytes
                b = b[:i] + bytes(rng.randint(0x80, 0xFF) for _ in range(rng.randint(1, 4))) + b[i:]
            elif k == 2:                                 # overlong encodings
                b = b[:i] + rng.choice([b"\xC0\xAF", b"\xC1\x81", b"\xE0\x80\xAF", b"\xF0\x80\x80\xAF",
                                        b"\xF8\x88\x80\x80\x80", b"\xFC\x84\x80\x80\x80\x80"]) + b[i:]
            elif k == 3:                                 # encoded surrogates
                b = b[:i] + rng.choice([b"\xED\xA0\x80", b"\xED\xBF\xBF", b"\xED\xA0\xBD\xED\xB8\x80"]) + b[i:]
            elif k == 4:                                 # NUL bytes
                b = b[:i] + b"\x00" * rng.randint(1, 3) + b[i:]
            elif k == 5:                                 # beyond U+10FFFF, noncharacters
                b = b[:i] + rng.choice([b"\xF4\x90\x80\x80", b"\xF5\x80\x80\x80", b"\xEF\xBF\xBE",
                                        b"\xEF\xBF\xBF", b"\xFF", b"\xFE"]) + b[i:]
            elif k == 6:                                 # a BOM where none belongs
                b = b[:i] + rng.choice([b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"]) + b[i:]
            elif k == 7:                                 # line ends
                b = b.replace(b"\n", rng.choice([b"\r\n", b"\r", b"\n\n\n", b"\r\r\n"]))
            elif k == 8:                                 # controls
                b = b[:i] + bytes([rng.choice([1, 7, 8, 11, 12, 27, 127])]) + b[i:]
            elif k == 9:                                 # bytes of a continuation alone
                b = b[:i] + bytes([rng.randint(0x80, 0xBF)]) + b[i:]
            elif k == 10:                                # duplicate a stretch
                j = rng.randint(i, len(b))
                b = b[:j] + b[i:j] * rng.randint(2, 20) + b[j:]
            else:                                        # drop a stretch
                b = b[:i] + b[rng.randint(i, len(b)):]
        return b

    def encoded(self, s):
        """The text in one of the encodings a file may come in."""
        rng = self.rng
        k = rng.randrange(6)
        if k == 0:
            return s.encode("gb18030")
        if k == 1:
            return s.encode("gbk", "replace")
        if k == 2:
            return s.encode("utf-16", "surrogatepass")      # BOM and NULs
        if k == 3:
            return b"\xEF\xBB\xBF" + s.encode()
        if k == 4:                                        # looks like GBK, is not
            return bytes(rng.choice([rng.randint(0x81, 0xFE), rng.randint(0x80, 0xFF)])
                         for _ in range(rng.randint(2, 600)))
        return s.encode("big5", "replace")

    # -- file kinds ----------------------------------------------------------
    def txt_or_md(self):
        rng = self.rng
        ext = rng.choice([".txt", ".md", ".TXT", ".Md"])
        head = b""
        ids = []
        if rng.random() < 0.3:                           # front matter, right or wrong
            fid = "fm%d-" % self.n + "x" * rng.choice([1, 10, 5000, 10000])
            lines = ["---", "id: " + fid, "date: " + rng.choice(["2024-02-30", "2024-01-01", "x", ""]),
                     rng.choice(["source: 新闻", "k" * 200 + ": v", "no colon", ": empty key",
                                 "type: " + "t" * 5000, "title: \"" + rng.choice(self.pieces) + "\""])]
            if rng.random() < 0.8:
                lines.append("---")
            head = ("\n".join(lines) + "\n").encode()
            ids.append(fid)
        body = self.text().encode()
        if rng.random() < 0.3:
            body = self.encoded(body.decode())
        b = self.mutate(head + body) if rng.random() < 0.8 else head + body
        return self.write(ext, b, ids=ids)

    def long_line(self):
        s = (self.rng.choice(self.pieces) + " ") * 1
        b = (s * (1_000_000 // max(1, len(s.encode())) + 1)).encode()[:1_000_000]
        return self.write(self.rng.choice([".txt", ".md", ".jsonl"]), self.mutate(b) if self.rng.random() < 0.5 else b,
                          silent=True)

    def jsonl(self):
        rng = self.rng
        path = self.name(".jsonl")
        lines = []
        for ln in range(1, rng.randint(2, 25)):
            lid = "j%d-%d" % (self.n, ln)  # unique: a line never replaces another
            k = rng.randrange(16)
            d = {"id": lid, "title": rng.choice(self.pieces), "body": self.text(1, 3), "date": "2024-01-01"}
            if k == 0:
                d[rng.choice(["title", "body", "date", "id", "source", "type", "url"])] = rng.choice(
                    [1, 1.5e300, True, [], [1, "a"], {"a": {"b": None}}, -0])
            elif k == 1:
                del d["id"]
            elif k == 2:
                d["id"] = rng.choice(["", "i" * 10240, "\u0000", None])
            elif k == 3:
                depth = rng.choice([50, 500, 1500, 5000])
                d["deep"] = "DEEP"
                line = json.dumps(d).replace('"DEEP"', "[" * depth + "1" + "]" * depth)
                lines.append(line.encode())
                continue
            elif k == 4:                                 # duplicated keys
                line = json.dumps(d)[:-1] + ', "id": "%s", "body": 5}' % lid
                lines.append(line.encode())
                continue
            elif k == 5:
                d["body"] += "\u0000x"
            elif k == 6:
                line = json.dumps(d)[:-1] + ', "x": "\\ud800", "y": "\\udc00\\ud800"}'
                lines.append(line.encode())
                continue
            elif k == 7:                                 # not an object
                lines.append(rng.choice([b"1", b"[]", b'"str"', b"null", b"{", b"}", b"{}", b"1e99999",
                                         b'{"id":"a" "b":1}', b'{"id": "\xff\xfe"}']))
                continue
            elif k == 8:
                d["date"] = rng.choice(["2024-13-01", "0000-01-01", "2024-02-30", "20240101", "x" * 5000])
            elif k == 9:                                 # broken bytes after the id
                b = json.dumps(d, ensure_ascii=False).encode()
                cut = b.index(b'"title"')
                lines.append(b[:cut] + self.mutate(b[cut:]))
                continue
            elif k == 10:
                b = json.dumps(d, ensure_ascii=False).encode("gb18030")
                lines.append(b)
                continue
            elif k == 11:
                lines.append(b"   \t ")
                continue
            elif k == 12:
                d["meta"] = {"a" * 300: ["b" * 3000] * 3, "n": [{}] * 50}
            line = json.dumps(d, ensure_ascii=rng.random() < 0.3).encode()
            lines.append(line)
        if rng.random() < 0.5:                           # a good line among the bad
            gid = "good-j%d" % self.n
            lines.insert(rng.randrange(len(lines) + 1),
                         json.dumps({"id": gid, "title": "good", "body": self.text(1, 2) + " " + TOKEN},
                                    ensure_ascii=False).encode())
            self.good.add(gid)
        sep = b"\r\n" if rng.random() < 0.2 else b"\n"
        data = sep.join(lines) + (sep if rng.random() < 0.7 else b"")
        with open(path, "wb") as f:
            f.write(data)
        # Each non-blank line, by its number, with the id it carries if any.
        ids = {}
        for ln, line in enumerate(data.split(b"\n"), 1):
            m = re.match(rb'\{"id": "((?:j|good-j)[0-9]+(?:-[0-9]+)?)"', line)
            if m or line.strip():
                ids[ln] = m.group(1).decode() if m else None
        self.lines[path] = ids
        self.files[path] = {"ids": set(), "silent": True}
        return path

    def html(self):
        rng = self.rng
        t = rng.choice(self.pieces)
        body = self.text(1, 4)
        k = rng.randrange(10)
        silent = False
        if k == 0:
            page = "<html><head><title>%s<body><p>%s<div><span>%s" % (t, body, body)
        elif k == 1:
            page = "<html><body><script>var s = '%s';</script><p>%s</p><style>p{}</style></body>" % (body, body)
        elif k == 2:
            page = "<html><body><!-- %s --><p>%s</p><!-- unclosed %s" % (body, body, body)
        elif k == 3:
            page = "<p>%s &#0; &#x110000; &#xD800; &#xDFFF; &#99999999999; &bogus; &amp &lt;&#x; %s</p>" % (t, body)
        elif k == 4:
            page = '<div title="%s" data-x=\'%s\'>%s</div>' % ("a" * rng.choice([10, 100000, 1000000]),
                                                               "&quot;" * 1000, body)
        elif k == 5:
            n = rng.choice([100, 1000, 3000])
            page = "<table><tr><td>" * n + body + "</td></tr></table>" * rng.choice([0, n])
        elif k == 6:
            page = "<html><head><meta charset=\"gbk\"><title>%s</title></head><body><pre>%s</pre><![CDATA[%s]]></body>" % (t, body, body)
        elif k == 7:
            page = "<?xml version='1.0'?><!DOCTYPE html [<!ENTITY x '%s'>]><body>&x;%s<svg><foreignObject><p>%s" % (t, body, body)
        elif k == 8:
            page = "<" * 1000 + body + ">" * 1000 + "</p>" * 1000 + "<title>" + "t" * 10000
        else:
            page = "<script>" + body
            silent = True
        b = page.encode()
        if rng.random() < 0.3:
            b = self.encoded(page)
        if rng.random() < 0.4:
            b = self.mutate(b)                       # may turn the text into markup
            silent = True
        # Markup may legitimately hide all text (a comment left open, a script).
        return self.write(rng.choice([".html", ".htm", ".HTML"]), b, silent=silent or k in (2, 7, 8))

    def odd(self):
        """Files the indexer does not read: no or unknown extensions."""
        ext = self.rng.choice(["", ".json", ".txt.bak", ".", ".jsonl~", ".xml", ".pdf", ".doc"])
        return self.write(ext, self.mutate(self.text().encode()))

    def empty(self):
        data = self.rng.choice([b"", b"\n", b"\r\n\r\n", b"\xEF\xBB\xBF", b"\x00" * 100, b"   \t\n"])
        return self.write(self.rng.choice([".txt", ".md", ".jsonl", ".html"]), data, silent=True)

    # -- good documents, each carrying TOKEN ----------------------------------
    def good_doc(self, i):
        rng = self.rng
        body = self.text(1, 4) + "\n" + TOKEN + " " + self.text(1, 2)
        k = i % 9
        if k == 0:
            return self.write(".txt", ("good %d\n%s" % (i, body)).encode(), good_id="")
        if k == 1:
            return self.write(".txt", ("good %d\r\n%s" % (i, body)).replace("\n", "\r\n").encode(), good_id="")
        if k == 2:
            return self.write(".md", ("# good %d\r%s" % (i, body)).replace("\n", "\r").encode(), good_id="")
        if k == 3:
            return self.write(".txt", ("good %d\n%s" % (i, body)).encode("gb18030"), good_id="")
        if k == 4:
            b = ("\ufeffgood %d\n%s" % (i, body)).encode()
            return self.write(".md", b[:40].replace(b"\n", b"\n\x00") + b"\x00" + b[40:], good_id="")
        if k == 5:
            gid = "good-fm-%d" % i
            return self.write(".md", ("---\nid: %s\ndate: 2024-02-29\n---\n# good\n%s" % (gid, body)).encode(),
                              ids=[gid], good_id=gid)
        if k == 6:
            return self.write(".html", ("<html><title>good %d<body><table><tr><td>%s<p>%s" % (
                i, self.text(1, 2), body)).encode(), good_id="")
        if k == 7:
            filler = ("园区用地面积 " * 80000)[:rng.randint(300000, 1000000)]
            return self.write(".txt", ("good %d\n%s%s" % (i, filler, body)).encode(), good_id="")
        # nested, but within libxml2's 256 levels (deeper pages are reported cut)
        return self.write(".htm", ("<p>good %d</p>" % i + "<div>" * 200 + body).encode(), good_id="")


def supported(path):
    return os.path.splitext(path)[1].lower() in (".txt", ".md", ".jsonl", ".html", ".htm")


def build(folder, rng):
    g = Gen(rng, corpus_pieces(), folder)
    kinds = [g.txt_or_md] * 8 + [g.jsonl] * 5 + [g.html] * 6 + [g.odd, g.empty]
    for i in range(300):
        rng.choice(kinds)()
        if i % 10 == 0:
            g.good_doc(i // 10)
    for _ in range(3):
        g.long_line()
    sub = os.path.join(folder, "子目录 with space")
    os.mkdir(sub)
    g.folder = sub
    for _ in range(5):
        rng.choice(kinds)()
    g.good_doc(0)
    g.folder = folder
    # ~20 MB: GB18030 that turns bad at the very end (converted, then refused)
    big = ("\n".join(g.pieces) + "\n").encode("gb18030")
    big = big * (20_000_000 // len(big) + 1)
    g.write(".txt", big[:20_000_000] + b"\x80\x80", silent=False)
    return g


def run(args, **kw):
    return subprocess.run(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600, **kw)


def index_ids(db):
    """Every id in the index (Q terms of each shard), where xapian-delve is installed."""
    delve = shutil.which("xapian-delve")
    if not delve:
        return None
    ids = set()
    for shard in sorted(os.listdir(db)):
        if shard.startswith("shard"):
            p = run([delve, "-a", "-1", os.path.join(db, shard)])
            ids |= {t[1:] for t in p.stdout.decode("utf-8", "replace").split("\n") if t.startswith("Q")}
    return ids


def check_index(g, folder, db, failures):
    p = run([INDEXER, "--quiet", "--shards", "2", "--batch", "20", "--db", db, folder])
    err = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        failures.append("wensuo-index exited with %d:\n%s" % (p.returncode, err[-3000:]))
    if SANITIZER.search(err):
        failures.append("sanitizer report:\n" + err[-3000:])
    # Every complaint names a file, and a line for JSONL.
    named = {}
    for line in err.split("\n"):
        if not line:
            continue
        path = next((f for f in sorted(g.files, key=len, reverse=True) if line.startswith(f + ":")), None)
        if path is None:
            failures.append("complaint without a file name: %r" % line[:300])
            continue
        rest = line[len(path) + 1:]
        m = re.match(r"(\d+): \S", rest)
        if path.endswith(".jsonl") and m:
            named.setdefault(path, set()).add(int(m.group(1)))
        elif (path.endswith(".jsonl") and "limit" not in rest and "unsupported" not in rest and
              "no document in the file" not in rest):  # (a file of blank lines: no line to name)
            failures.append("JSONL complaint without a line: %r" % line[:300])
        else:
            named.setdefault(path, set()).add(0)
        if not rest.strip():
            failures.append("complaint without a reason: %r" % line[:300])
    # The index opens and is sound.
    s = run([CLIENT, "stats", "--db", db])
    if s.returncode != 0:
        failures.append("wensuo stats failed: %s" % s.stderr.decode("utf-8", "replace")[:500])
    check = shutil.which("xapian-check")
    for shard in sorted(os.listdir(db)) if check else []:
        if shard.startswith("shard"):
            c = run([check, os.path.join(db, shard)])
            if c.returncode != 0:
                failures.append("xapian-check %s failed:\n%s" % (shard, c.stdout.decode()[-1000:]))
    # Every good document is found, and nothing else.
    q = run([CLIENT, "search", "--db", db, "--json", "--limit", "1000", TOKEN])
    try:
        hits = {h["id"] for h in json.loads(q.stdout)["hits"]}
    except ValueError:
        hits = set()
        failures.append("search gave no JSON: %r %r" % (q.stdout[:300], q.stderr[:300]))
    if hits != g.good:
        failures.append("good documents lost: %s; unexpected: %s" % (sorted(g.good - hits)[:10],
                                                                     sorted(hits - g.good)[:10]))
    # Nothing is lost without a word: a file with text gives a document or a
    # complaint, and so does every non-blank JSONL line.
    ids = index_ids(db)
    silent = []
    if ids is not None:
        for path, f in g.files.items():
            if path.endswith(".jsonl"):
                for ln, lid in g.lines[path].items():
                    found = lid is not None and lid in ids
                    if not found and ln not in named.get(path, ()) and 0 not in named.get(path, ()):
                        silent.append("%s:%d" % (path, ln))
            elif not f["silent"] and not (f["ids"] & ids) and path not in named:
                silent.append(path)
    if silent:
        failures.append("%d inputs neither indexed nor reported, e.g. %s" % (len(silent), silent[:5]))
    return len(hits), len(ids or ()), err.count("\n")


def random_line(rng):
    """A line of random Unicode, as bytes, without a newline."""
    k = rng.randrange(8)
    cps = []
    n = rng.choice([1, 5, 50, 500]) if rng.random() < 0.97 else 30000
    for _ in range(n):
        r = rng.random()
        if r < 0.25:
            cps.append(rng.randint(0x4E00, 0x9FFF))
        elif r < 0.35:
            cps.append(rng.randint(0x300, 0x36F))                     # combining marks
        elif r < 0.42:
            cps.append(rng.choice([0, 1, 9, 11, 12, 13, 27, 0x7F, 0x85, 0x2028, 0x2029, 0x200B, 0xFEFF]))
        elif r < 0.50:
            cps.append(rng.choice([0x200E, 0x200F, 0x202E, 0x2066]) if rng.random() < 0.3 else
                       rng.randint(0x590, 0x6FF))                     # RTL
        elif r < 0.58:
            cps += rng.choice([[0x1F468, 0x200D, 0x1F469, 0x200D, 0x1F467], [0x1F3F3, 0xFE0F, 0x200D, 0x1F308],
                               [0x1F1E8, 0x1F1F3], [0x1F44D, 0x1F3FD]])
        elif r < 0.66:
            cps.append(rng.choice([0x3007, 0x25CB, 0xFF10, 0xFF21, 0x2160, 0xFDFA, 0x1D400, 0x20000, 0x2FFFF]))
        elif r < 0.72:
            cps.append(rng.randint(0xD800, 0xDFFF))                   # lone surrogates
        elif r < 0.80:
            cps.append(rng.randint(0x30, 0x7A))
        else:
            cps.append(rng.randint(1, 0x10FFFF))                      # any plane
    s = "".join(map(chr, cps)).encode("utf-8", "surrogatepass")
    if k == 0:
        s = bytes(rng.randint(1, 255) for _ in range(rng.randint(1, 200))) + s
    elif k == 1 and len(s) > 1:
        s = s[:rng.randrange(1, len(s))]
    elif k == 2:                                     # up to 100 KB
        s = s * rng.randint(1, max(1, 100_000 // len(s)) if s else 1)
    return s.replace(b"\n", b" ")


def check_analyze(rng, failures):
    lines = [random_line(rng) for _ in range(300)]
    lines.append(("碳达峰" * 40000).encode())                         # 120 KB of one run
    lines.append(b"")
    inp = b"\n".join(lines) + b"\n"
    for args in (["analyze"], ["analyze", "--terms"]):
        p = run([CLIENT] + args, input=inp)
        err = p.stderr.decode("utf-8", "replace")
        if p.returncode != 0 or SANITIZER.search(err):
            failures.append("wensuo %s exited with %d: %s" % (" ".join(args), p.returncode, err[-2000:]))
            continue
        out = p.stdout.split(b"\n")[:-1]
        if args == ["analyze"] and len(out) != len(lines):
            failures.append("wensuo analyze: %d lines in, %d out" % (len(lines), len(out)))
        if args != ["analyze"] and out.count(b"") != len(lines):
            failures.append("wensuo analyze --terms: %d lines in, %d ends out" % (len(lines), out.count(b"")))
    return len(lines), len(inp)


def main():
    unbuilt = [p for p in (INDEXER, CLIENT) if not os.access(p, os.X_OK)]
    if unbuilt:
        print("SKIP: not built: %s" % " ".join(unbuilt))
        return 77
    rng = random.Random(SEED)
    failures = []
    with tempfile.TemporaryDirectory(prefix="ws_test_fuzz_docs.") as tmp:
        folder = os.path.join(tmp, "docs")
        os.mkdir(folder)
        g = build(folder, rng)
        found, nids, complaints = check_index(g, folder, os.path.join(tmp, "db"), failures)
        # Nothing indexable: the documented non-zero exit, with a summary.
        only_bad = os.path.join(tmp, "bad")
        os.mkdir(only_bad)
        for name, data in (("a.txt", b""), ("b.jsonl", b"1\n{}\n"), ("c.html", b"<script>x"),
                           ("d.md", b"\xff\xfe\x80" * 100)):
            with open(os.path.join(only_bad, name), "wb") as f:
                f.write(data)
        p = run([INDEXER, "--quiet", "--db", os.path.join(tmp, "db2"), only_bad])
        if p.returncode != 1 or b"indexed 0 documents" not in p.stdout:
            failures.append("nothing to index: exit %d, %r" % (p.returncode, p.stdout[:300]))
        if SANITIZER.search(p.stderr.decode("utf-8", "replace")):
            failures.append("sanitizer report:\n" + p.stderr.decode("utf-8", "replace")[-2000:])
        nlines, nbytes = check_analyze(rng, failures)
    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print("ok: %d files, %d good documents all found, %d ids in the index, %d complaints each naming "
          "its file; analyze: %d lines (%d bytes) of random Unicode" % (len(g.files), found, nids,
                                                                        complaints, nlines, nbytes))
    return 0


if __name__ == "__main__":
    sys.exit(main())
