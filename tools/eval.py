#!/usr/bin/python3
"""eval.py - Wensuo's search quality, measured, with its peers side by side.

Usage: tools/eval.py [--quick] [--reuse DIR] [--only PARTS] [--peers LIST]
                     [--build DIR] [--shared DIR] [floors...]

Runs, on the gold standards of ../shared/eval and the corpus of ../shared/corpus:

 1. segmentation: `wensuo analyze` on PKU's test text, scored by the bakeoff's
    score.py (F, OOV recall, IV recall); plain ICU word breaking (locale zh,
    build/tools/icu_words) as the reference line;
 2. retrieval on the dev split of ../shared/eval/retrieval: the articles
    indexed by wensuo-index, the questions run through ws_searcher_run()
    (build/tools/eval_search, the code path of `wensuo search --db`), top 100,
    scored as that README defines Recall@10, Recall@100, MRR@10 and nDCG@10;
    and, on the same articles in the same run, the peers:
      fts5        SQLite FTS5, trigram tokenizer, OR of the question's trigrams, bm25()
      xapian-qp   Xapian 1.4 TermGenerator FLAG_CJK_NGRAM, queried by its QueryParser
      xapian-or   the same index, OR of the question's n-grams, BM25
      icu-or      plain ICU words (zh) into Xapian, OR of the question's words, BM25
    with the median time per query of each;
 3. substring recall: random stretches of 2 to 8 characters of random
    documents of the shared corpus (news, whole laws, reports, as the
    importers in tools/ write them), each searched as a quoted phrase; every
    one should find its document.

Prints one line per step the way ctest prints tests, then the tables. --quick
runs a small, fixed slice (300 PKU lines, 100 questions, 200 stretches over a
sample of the corpus, no peers) for tests/test_quality.sh. Floors
(--min-seg-f, --min-ndcg, --min-substring ...) turn a figure under them into a
failed step and exit status 1. Indexes are built in a temporary folder, or
kept in --reuse DIR and rebuilt only when their input, wensuo-index, the data
in indexer/data or the files that $WENSUO_NEW_WORDS, $WENSUO_WORD_COUNTS,
$WENSUO_VECTORS and $WENSUO_USER_DICT name change.

Needs python3's standard library and Debian's python3-xapian (this script
re-runs itself with /usr/bin/python3 when the python3 it was started with
has no xapian module).
"""

import argparse
import json
import math
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata

try:
    import xapian
except ImportError:
    xapian = None
    if os.path.realpath(sys.executable) != os.path.realpath("/usr/bin/python3") and \
            os.path.exists("/usr/bin/python3") and not os.environ.get("WS_EVAL_REEXEC"):
        os.environ["WS_EVAL_REEXEC"] = "1"
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)

HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(HERE)
SEED = 20240505
PEERS = ["fts5", "xapian-qp", "xapian-or", "icu-or"]
PEER_LABELS = {
    "wensuo": "Wensuo (wensuo search)",
    "fts5": "SQLite FTS5 trigram, OR of trigrams, bm25()",
    "xapian-qp": "Xapian CJK n-grams, QueryParser (run = AND)",
    "xapian-or": "Xapian CJK n-grams, OR of n-grams, BM25",
    "icu-or": "ICU words (zh) into Xapian, OR of words, BM25",
}
# The figures ../shared/eval/retrieval/README.md gives for the peers (dev split).
README_PEERS = {
    "fts5": (.376, .546, .320, .305),
    "xapian-qp": (.053, .058, .050, .049),
    "xapian-or": (.483, .688, .400, .390),
    "icu-or": (.456, .651, .386, .371),
}
ICU_SEG_README = "F 0.794 (R 0.824, P 0.767, OOV recall 0.340)"
# Bumped when the way a peer index is built changes, so --reuse rebuilds it.
PEER_VERSION = "1"


# --- printing, the way ctest does ---------------------------------------------

class Steps:
    def __init__(self, total):
        self.total = total
        self.n = 0
        self.failed = []

    def run(self, name, fn):
        """Runs fn() -> (status, note); status 'Passed', 'Failed' or 'Skipped'."""
        self.n += 1
        t0 = time.time()
        print("      Start %2d: %s" % (self.n, name), flush=True)
        try:
            status, note = fn()
        except Exception as e:  # a broken step is reported, the others still run
            status, note = "Failed", "%s: %s" % (type(e).__name__, e)
        secs = time.time() - t0
        label = "%2d/%d Test #%d: %s " % (self.n, self.total, self.n, name)
        word = {"Passed": "   Passed", "Failed": "***Failed", "Skipped": "***Skipped"}[status]
        print("%s%s%s %8.2f sec   %s" % (label, "." * max(3, 62 - len(label)), word, secs, note),
              flush=True)
        if status == "Failed":
            self.failed.append(name)
        return status


def table(headers, rows):
    """A Markdown table, columns padded for the terminal."""
    cells = [headers] + rows
    widths = [max(len(str(r[i])) for r in cells) for i in range(len(headers))]
    line = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(r) for r in rows]
    return "\n".join(out)


# --- small helpers ------------------------------------------------------------

def die(msg):
    print("eval.py: " + msg, file=sys.stderr)
    sys.exit(2)


def stamp_of(paths, extra=""):
    parts = [extra]
    for p in paths:
        st = os.stat(p)
        parts.append("%s:%d:%d" % (os.path.abspath(p), st.st_size, int(st.st_mtime)))
    return "\n".join(parts)


def fresh(dirpath, stamp):
    """True when dirpath holds a finished build made from the same stamp."""
    try:
        with open(os.path.join(dirpath, ".eval-stamp"), encoding="utf-8") as f:
            return f.read() == stamp
    except OSError:
        return False


def mark_built(dirpath, stamp):
    with open(os.path.join(dirpath, ".eval-stamp"), "w", encoding="utf-8") as f:
        f.write(stamp)


def wipe(path):
    if os.path.isdir(path):
        shutil.rmtree(path)
    elif os.path.exists(path):
        os.remove(path)


def is_cjk(ch):
    return unicodedata.category(ch) == "Lo" and unicodedata.name(ch, "").startswith("CJK")


def is_text(ch):
    return unicodedata.category(ch)[0] in "LN"


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


# --- 1. segmentation ----------------------------------------------------------

def score_seg(score_py, words, gold, test):
    out = subprocess.run([sys.executable, score_py, words, gold, test], check=True,
                         capture_output=True, text=True).stdout
    vals = {}
    for line in out.splitlines():
        k, _, v = line.partition("\t")
        vals[k] = float(v)
    return vals


def segment(cmd, infile, outfile):
    with open(infile, "rb") as fin, open(outfile, "wb") as fout:
        subprocess.run(cmd, stdin=fin, stdout=fout, check=True)


def seg_slice(seg_dir, work, quick):
    """The test text and its gold, whole or a seeded slice of 300 lines."""
    text = os.path.join(seg_dir, "pku", "pku_test.utf8")
    gold = os.path.join(seg_dir, "pku", "pku_test_gold.utf8")
    if not quick:
        return text, gold
    with open(text, encoding="utf-8", newline="") as f:
        tl = f.read().splitlines()
    with open(gold, encoding="utf-8", newline="") as f:
        gl = f.read().splitlines()
    keep = sorted(random.Random(SEED).sample(range(len(tl)), min(300, len(tl))))
    t2, g2 = os.path.join(work, "seg_text.txt"), os.path.join(work, "seg_gold.txt")
    with open(t2, "w", encoding="utf-8") as f:
        f.write("".join(tl[i] + "\n" for i in keep))
    with open(g2, "w", encoding="utf-8") as f:
        f.write("".join(gl[i] + "\n" for i in keep))
    return t2, g2


# --- 2. retrieval: metrics ----------------------------------------------------

def load_queries(path):
    qs = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n")
            if line:
                qid, _, text = line.partition("\t")
                qs.append((qid, text))
    return qs


def load_qrels(path):
    rel = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 4 and int(p[3]) > 0:
                rel.setdefault(p[0], set()).add(p[2])
    return rel


def score_run(run, queries, qrels):
    """run: {qid: [docid, ...] best first}. Averages over all queries."""
    r10 = r100 = mrr = ndcg = 0.0
    for qid, _ in queries:
        rel = qrels.get(qid, set())
        seen, ranked = set(), []
        for d in run.get(qid, []):
            if d not in seen:
                seen.add(d)
                ranked.append(d)
        if not rel:
            continue
        r10 += len(rel & set(ranked[:10])) / len(rel)
        r100 += len(rel & set(ranked[:100])) / len(rel)
        for i, d in enumerate(ranked[:10]):
            if d in rel:
                mrr += 1.0 / (i + 1)
                break
        dcg = sum(1.0 / math.log2(i + 2) for i, d in enumerate(ranked[:10]) if d in rel)
        idcg = sum(1.0 / math.log2(i + 2) for i in range(min(10, len(rel))))
        ndcg += dcg / idcg
    n = len(queries)
    return {"R@10": r10 / n, "R@100": r100 / n, "MRR@10": mrr / n, "nDCG@10": ndcg / n}


# --- 2. retrieval: Wensuo -----------------------------------------------------

def run_eval_search(tool, db, lines, limit):
    """lines: [(qid, query)]. Returns ({qid: [ids]}, {qid: total}, {qid: ms}, errors)."""
    inp = "".join("%s\t%s\n" % (q, t.replace("\t", " ").replace("\n", " ")) for q, t in lines)
    p = subprocess.run([tool, "--db", db, "--limit", str(limit)], input=inp, text=True,
                       capture_output=True)
    if p.returncode != 0:
        raise RuntimeError("eval_search: " + p.stderr.strip()[-500:])
    run, totals, times, errors = {}, {}, {}, {}
    for line in p.stdout.splitlines():
        qid, rest = line.split(" Q0 ", 1)
        docid = rest.rsplit(" ", 3)[0]  # ids may hold spaces; rank score run do not
        run.setdefault(qid, []).append(docid)
    for line in p.stderr.splitlines():
        f = line.split("\t")
        if f[0] == "#" and len(f) == 4:
            totals[f[1]] = int(f[2])
            times[f[1]] = float(f[3])
        elif f[0] == "!" and len(f) >= 3:
            errors[f[1]] = f[2]
    return run, totals, times, errors


def start_wensuo_index(index_bin, files, db, log):
    wipe(db)
    return subprocess.Popen([index_bin, "--db", db, "--quiet"] + files,
                            stdout=subprocess.DEVNULL, stderr=open(log, "w"))


def skipped_lines(log):
    """Line numbers the indexer skipped, from its 'FILE:LINE: ...skipped' warnings."""
    out = {}
    with open(log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = re.match(r"(.+?):(\d+): (.*)", line)
            if m and "skipped" in m.group(3):
                out[int(m.group(2))] = m.group(3)
    return out


# --- 2. retrieval: peers ------------------------------------------------------

def question_trigrams(q):
    """Trigrams of the question's runs of letters and digits (punctuation and
    spaces split runs; a run shorter than 3 gives none), each once."""
    grams = []
    for run in re.findall(r"[^\W_]+", q):
        for i in range(len(run) - 2):
            g = run[i:i + 3]
            if g not in grams:
                grams.append(g)
    return grams


def build_fts5(articles, path):
    wipe(path)
    db = sqlite3.connect(path)
    db.execute("CREATE VIRTUAL TABLE a USING fts5(id UNINDEXED, title, body, tokenize='trigram')")
    db.executemany("INSERT INTO a(id, title, body) VALUES (?, ?, ?)",
                   ((d["id"], d.get("title") or "", d.get("body") or "") for d in articles))
    db.commit()
    db.close()


def run_fts5(path, queries):
    db = sqlite3.connect(path)
    run, times = {}, {}
    for qid, q in queries:
        grams = question_trigrams(q)
        t0 = time.perf_counter()
        ids = []
        if grams:
            expr = " OR ".join('"%s"' % g.replace('"', '""') for g in grams)
            ids = [r[0] for r in db.execute(
                "SELECT id FROM a WHERE a MATCH ? ORDER BY bm25(a) LIMIT 100", (expr,))]
        times[qid] = (time.perf_counter() - t0) * 1000
        run[qid] = ids
    db.close()
    return run, times


def build_xapian_ngram(articles, path):
    wipe(path)
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    tg = xapian.TermGenerator()
    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    for d in articles:
        doc = xapian.Document()
        tg.set_document(doc)
        tg.index_text(d.get("title") or "")
        tg.increase_termpos()
        tg.index_text(d.get("body") or "")
        doc.set_data(d["id"])
        db.add_document(doc)
    db.commit()
    db.close()


def ngram_query(q):
    """OR of the question's terms as TermGenerator (FLAG_CJK_NGRAM) makes
    them (CJK unigrams and bigrams, other words lower-cased), each weighted by
    how often the question has it, as an OR of the term list would."""
    tg = xapian.TermGenerator()
    tg.set_flags(xapian.TermGenerator.FLAG_CJK_NGRAM)
    doc = xapian.Document()
    tg.set_document(doc)
    tg.index_text(q)
    terms = [xapian.Query(t.term, t.wdf) for t in doc.termlist()]
    return xapian.Query(xapian.Query.OP_OR, terms) if terms else None


def run_xapian(path, queries, make_query):
    db = xapian.Database(path)
    enq = xapian.Enquire(db)
    enq.set_weighting_scheme(xapian.BM25Weight())
    run, times = {}, {}
    for qid, q in queries:
        t0 = time.perf_counter()
        query = make_query(q)
        ids = []
        if query is not None and not query.empty():
            enq.set_query(query)
            ids = [m.document.get_data().decode("utf-8") for m in enq.get_mset(0, 100)]
        times[qid] = (time.perf_counter() - t0) * 1000
        run[qid] = ids
    return run, times


def qp_query(db_path):
    qp = xapian.QueryParser()
    qp.set_database(xapian.Database(db_path))
    flags = xapian.QueryParser.FLAG_DEFAULT | xapian.QueryParser.FLAG_CJK_NGRAM

    def make(q):
        try:
            return qp.parse_query(q, flags)
        except xapian.QueryParserError:
            return None
    return make


def or_query(terms_of):
    def make(q):
        terms = terms_of(q)
        return xapian.Query(xapian.Query.OP_OR, terms) if terms else None
    return make


class IcuWords:
    """Plain ICU word breaking (zh) through build/tools/icu_words --words."""

    def __init__(self, tool):
        self.tool = tool

    def many(self, texts):
        inp = "".join(re.sub(r"[\r\n\u2028\u2029\x85\x0b\x0c]", " ", t) + "\n" for t in texts)
        out = subprocess.run([self.tool, "--words"], input=inp, text=True, capture_output=True,
                             check=True).stdout
        lines = out.split("\n")
        return [line.lower().split() for line in lines[:len(texts)]]


def build_xapian_icu(articles, path, icu):
    wipe(path)
    texts = []
    for d in articles:
        texts.append(d.get("title") or "")
        texts.append(d.get("body") or "")
    words = icu.many(texts)
    db = xapian.WritableDatabase(path, xapian.DB_CREATE_OR_OVERWRITE)
    for i, d in enumerate(articles):
        doc = xapian.Document()
        for w in words[2 * i] + words[2 * i + 1]:
            w = w.encode("utf-8")[:240]
            if w:
                doc.add_term(w)
        doc.set_data(d["id"])
        db.add_document(doc)
    db.commit()
    db.close()


def icu_terms_of(icu, queries):
    """The question's ICU words, a word as many times as the question has it."""
    words = icu.many([q for _, q in queries])
    table_ = {q: [w.encode("utf-8")[:240] for w in ws] for (_, q), ws in zip(queries, words)}
    return lambda q: table_.get(q, [])


# --- 3. substring recall ------------------------------------------------------

def corpus_files(shared, work, quick):
    """The shared corpus as the importers write it (whole laws only), or in
    --quick a seeded sample of about 6 MB of it. Returns the JSONL paths."""
    corpus = os.path.join(shared, "corpus")
    out = []
    for kind in ("news", "laws", "reports"):
        dst = os.path.join(work, "corpus_%s.jsonl" % kind)
        src_script = os.path.join(HERE, "import_%s.py" % kind)
        stamp = stamp_of([src_script], corpus + (" quick" if quick else ""))
        if not (os.path.exists(dst) and fresh_file(dst, stamp)):
            p = subprocess.run([sys.executable, src_script, corpus], capture_output=True,
                               text=True, check=True)
            lines = [l for l in p.stdout.splitlines() if l.strip() and '"law_id"' not in l]
            if quick:
                rng = random.Random(SEED)
                rng.shuffle(lines)
                budget = {"news": 3_000_000, "laws": 2_500_000, "reports": 600_000}[kind]
                keep, size = [], 0
                for l in lines:
                    if size > budget:
                        break
                    keep.append(l)
                    size += len(l.encode("utf-8"))
                lines = keep
            with open(dst, "w", encoding="utf-8") as f:
                f.write("".join(l + "\n" for l in lines))
            with open(dst + ".stamp", "w", encoding="utf-8") as f:
                f.write(stamp)
        out.append(dst)
    return out


def fresh_file(path, stamp):
    try:
        with open(path + ".stamp", encoding="utf-8") as f:
            return f.read() == stamp
    except OSError:
        return False


def cuts_run(text, k):
    """True when a cut before text[k] splits a run of non-CJK letters and
    digits, a decimal point or thousands comma between digits included."""
    word = lambda c: is_text(c) and not is_cjk(c)
    if k <= 0 or k >= len(text):
        return False
    a, b = text[k - 1], text[k]
    if word(a) and word(b):
        return True
    num = lambda c: c.isdigit()
    if a in ".," and num(b) and k >= 2 and num(text[k - 2]):
        return True
    if b in ".," and num(a) and k + 1 < len(text) and num(text[k + 1]):
        return True
    return False


def sample_stretches(docs, n, rng):
    """n stretches (doc, text) of 2..8 characters of the body (the title when
    there is no body), drawn from random documents at random places. A draw
    is redrawn when the stretch holds anything but letters and digits
    (punctuation, spaces, symbols) or cuts a run of non-CJK letters or digits
    (2024年 -> '024年', COVID -> 'OVI', 715.1亿 -> '715'): a word-based
    engine is not asked to find half a Latin word or half a number. Returns
    the stretches and the number redrawn."""
    out, redrawn = [], 0
    while len(out) < n:
        d = docs[rng.randrange(len(docs))]
        text = d.get("body") or d.get("title") or ""
        length = rng.randint(2, 8)
        if len(text) < length:
            redrawn += 1
            continue
        i = rng.randrange(len(text) - length + 1)
        s = text[i:i + length]
        if not all(is_text(c) for c in s) or cuts_run(text, i) or cuts_run(text, i + length):
            redrawn += 1
            continue
        out.append((d, s))
    return out, redrawn


# --- the run ------------------------------------------------------------------

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="a small slice, no peers (for CI)")
    ap.add_argument("--reuse", metavar="DIR", help="keep indexes here and reuse them")
    ap.add_argument("--only", default="seg,ret,sub", help="parts to run: seg,ret,sub")
    ap.add_argument("--peers", help="peers to run: all, none or a list of %s (default: all; "
                    "none with --quick)" % ",".join(PEERS))
    ap.add_argument("--build", default=os.path.join(SRC, "build"), help="the build folder")
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(SRC), "shared"),
                    help="the shared data (../shared)")
    ap.add_argument("--wensuo", help="the wensuo program (default: BUILD/searcher/wensuo)")
    ap.add_argument("--questions", type=int, help="run only this many questions (seeded sample)")
    ap.add_argument("--stretches", type=int, help="substrings to sample (default 1000; 200 quick)")
    ap.add_argument("--min-seg-f", type=float, help="fail when segmentation F is under this")
    ap.add_argument("--min-ndcg", type=float, help="fail when Wensuo's nDCG@10 is under this")
    ap.add_argument("--min-r100", type=float, help="fail when Wensuo's Recall@100 is under this")
    ap.add_argument("--min-substring", type=float, help="fail when substring recall is under this")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON here")
    args = ap.parse_args()

    parts = set(args.only.split(","))
    peers = args.peers or ("none" if args.quick else "all")
    peers = [] if peers == "none" else PEERS if peers == "all" else peers.split(",")
    for p in peers:
        if p not in PEERS:
            die("unknown peer %r (know %s)" % (p, ", ".join(PEERS)))
    if peers and xapian is None and any(p != "fts5" for p in peers):
        print("eval.py: no python3 xapian module (Debian: python3-xapian); Xapian peers not run")
        peers = [p for p in peers if p == "fts5"]

    b = args.build
    wensuo = args.wensuo or os.path.join(b, "searcher", "wensuo")
    index_bin = os.path.join(b, "indexer", "wensuo-index")
    eval_search = os.path.join(b, "tools", "eval_search")
    icu_tool = os.path.join(b, "tools", "icu_words")
    seg_dir = os.path.join(args.shared, "eval", "segmentation")
    ret_dir = os.path.join(args.shared, "eval", "retrieval")
    for need, what in ((wensuo, "wensuo"), (index_bin, "wensuo-index"), (eval_search, "eval_search")):
        if not os.access(need, os.X_OK):
            die("%s is not built at %s (cmake --build build; or --build/--wensuo)" % (what, need))
    have_icu = os.access(icu_tool, os.X_OK)
    if not have_icu and "icu-or" in peers:
        print("eval.py: %s is not built; the ICU peer is not run" % icu_tool)
        peers.remove("icu-or")

    if args.reuse:
        work = os.path.abspath(args.reuse)
        os.makedirs(work, exist_ok=True)
    else:
        work = tempfile.mkdtemp(prefix="ws_eval.")
    mode = "quick slice" if args.quick else "full"
    print("Wensuo quality, %s run, %s; work folder %s" % (mode, time.strftime("%Y-%m-%d %H:%M"), work))
    nsteps = (2 if "seg" in parts else 0) + (1 + len(peers) if "ret" in parts else 0) + \
        (1 if "sub" in parts else 0)
    steps = Steps(nsteps)
    results = {"date": time.strftime("%Y-%m-%d"), "mode": mode}
    t_start = time.time()

    # Start the wensuo indexes at once: wensuo-index runs in its own processes
    # while the peers are built here.
    jobs = {}
    # the index holds what the analyzer made of the documents with the data
    # built into it (word counts, new words, word vectors) or named in the
    # environment: a change there rebuilds too
    data_dir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                            "indexer", "data")
    env = ["WENSUO_WORD_COUNTS", "WENSUO_NEW_WORDS", "WENSUO_VECTORS", "WENSUO_USER_DICT"]
    data = [os.path.join(data_dir, n) for n in ("word_counts.tsv", "new_words.tsv", "vectors.bin")]
    data += [os.environ[e] for e in env if os.environ.get(e)]
    index_stamp = stamp_of([index_bin] + [p for p in data if os.path.exists(p)],
                           " ".join("%s=%s" % (e, os.environ.get(e)) for e in env))
    articles_path = os.path.join(ret_dir, "articles.jsonl")
    if "ret" in parts:
        db = os.path.join(work, "ret_wensuo")
        st = stamp_of([articles_path], index_stamp)
        if not fresh(db, st):
            jobs["ret"] = (start_wensuo_index(index_bin, [articles_path], db,
                                              os.path.join(work, "ret_wensuo.log")), db, st)
    if "sub" in parts:
        files = corpus_files(args.shared, work, args.quick)
        db = os.path.join(work, "sub_wensuo_quick" if args.quick else "sub_wensuo")
        st = stamp_of(files, index_stamp)
        if not fresh(db, st):
            jobs["sub"] = (start_wensuo_index(index_bin, files, db,
                                              os.path.join(work, "sub_wensuo.log")), db, st)

    def wait_index(key):
        if key not in jobs:
            return
        proc, db, st = jobs.pop(key)
        if proc.wait() != 0:
            raise RuntimeError("wensuo-index failed (see %s)" % db + ".log")
        mark_built(db, st)

    # 1. segmentation
    if "seg" in parts:
        text, gold = seg_slice(seg_dir, work, args.quick)
        words = os.path.join(seg_dir, "pku", "pku_training_words.utf8")
        score_py = os.path.join(seg_dir, "score.py")

        def seg_wensuo():
            out = os.path.join(work, "seg_wensuo.txt")
            segment([wensuo, "analyze"], text, out)
            v = score_seg(score_py, words, gold, out)
            results["seg_wensuo"] = v
            ok = args.min_seg_f is None or v["F"] >= args.min_seg_f
            return ("Passed" if ok else "Failed",
                    "F %.3f  OOV-R %.3f  IV-R %.3f%s" % (v["F"], v["OOV_RECALL"], v["IV_RECALL"],
                                                        "" if ok else "  (floor %.3f)" % args.min_seg_f))

        def seg_icu():
            if not have_icu:
                return "Skipped", "icu_words not built; README: plain ICU " + ICU_SEG_README
            out = os.path.join(work, "seg_icu.txt")
            segment([icu_tool], text, out)
            v = score_seg(score_py, words, gold, out)
            results["seg_icu"] = v
            return "Passed", "F %.3f  OOV-R %.3f  IV-R %.3f" % (v["F"], v["OOV_RECALL"], v["IV_RECALL"])

        steps.run("segmentation PKU: wensuo analyze", seg_wensuo)
        steps.run("segmentation PKU: plain ICU (reference)", seg_icu)

    # 2. retrieval
    if "ret" in parts:
        queries = load_queries(os.path.join(ret_dir, "dev.queries.tsv"))
        qrels = load_qrels(os.path.join(ret_dir, "dev.qrels.tsv"))
        nq = args.questions or (100 if args.quick else None)
        if nq and nq < len(queries):
            keep = set(random.Random(SEED).sample(range(len(queries)), nq))
            queries = [q for i, q in enumerate(queries) if i in keep]
        results["questions"] = len(queries)
        with open(articles_path, encoding="utf-8") as f:
            results["articles"] = sum(1 for line in f if line.strip())
        ret = {}
        articles = None
        if peers:
            articles = list(read_jsonl(articles_path))

        def peer_path(name):
            if name == "fts5":
                return os.path.join(work, "ret_fts5.d", "fts5.db")
            if name == "icu-or":
                return os.path.join(work, "ret_xapian-icu.d", "db")
            return os.path.join(work, "ret_xapian-ngram.d", "db")

        build_times = {}

        def build_peer(name):
            st = stamp_of([articles_path], PEER_VERSION)
            d = os.path.dirname(peer_path(name))
            if fresh(d, st):
                return "reused"
            t0 = time.time()
            os.makedirs(d, exist_ok=True)
            if name == "fts5":
                build_fts5(articles, peer_path(name))
            elif name == "icu-or":
                build_xapian_icu(articles, peer_path(name), IcuWords(icu_tool))
            else:
                build_xapian_ngram(articles, peer_path(name))
            mark_built(d, st)
            return "%.0f s" % (time.time() - t0)

        for name in peers:
            key = peer_path(name)
            if key not in build_times:
                print("      Index %s: %s" % (name, PEER_LABELS[name]), flush=True)
                build_times[key] = build_peer(name)
        if build_times:
            print("      Peer indexes: " + ", ".join(
                "%s %s" % (os.path.basename(os.path.dirname(k))[4:-2], v)
                for k, v in build_times.items()), flush=True)
        articles = None

        def score_system(name, run, times):
            m = score_run(run, queries, qrels)
            empty = sum(1 for qid, _ in queries if not run.get(qid))
            m["ms"] = statistics.median(times.values()) if times else float("nan")
            m["empty"] = empty
            ret[name] = m
            return m

        def note(m, name):
            s = "R@10 %.3f  R@100 %.3f  MRR@10 %.3f  nDCG@10 %.3f  %.1f ms/q" % (
                m["R@10"], m["R@100"], m["MRR@10"], m["nDCG@10"], m["ms"])
            if name in README_PEERS and not args.questions and not args.quick:
                want = README_PEERS[name][3]
                s += "  (README nDCG %.3f)" % want
            return s

        def ret_wensuo():
            # Every index is finished before any question runs, so that the
            # times per query are not taken beside a busy indexer.
            for key in list(jobs):
                wait_index(key)
            db = os.path.join(work, "ret_wensuo")
            log = os.path.join(work, "ret_wensuo.log")
            skipped = skipped_lines(log) if os.path.exists(log) else {}
            run, totals, times, errors = run_eval_search(eval_search, db, queries, 100)
            m = score_system("wensuo", run, times)
            # Which judged articles the index left out (a diagnosis, not a score).
            if skipped:
                ids = []
                with open(articles_path, encoding="utf-8") as f:
                    for n, line in enumerate(f, 1):
                        if n in skipped:
                            ids.append(json.loads(line)["id"])
                judged = set().union(*qrels.values())
                m["skipped_docs"] = len(ids)
                m["skipped_judged"] = len(judged & set(ids))
                m["skipped_pairs"] = sum(len(r & set(ids)) for r in qrels.values())
                m["skip_reasons"] = sorted(set(skipped.values()))
            m["errors"] = len(errors)
            ok = True
            floors = []
            if args.min_ndcg is not None and m["nDCG@10"] < args.min_ndcg:
                ok = False
                floors.append("nDCG@10 floor %.3f" % args.min_ndcg)
            if args.min_r100 is not None and m["R@100"] < args.min_r100:
                ok = False
                floors.append("R@100 floor %.3f" % args.min_r100)
            s = note(m, "wensuo")
            if errors:
                s += "  %d queries failed" % len(errors)
            if floors:
                s += "  (under " + ", ".join(floors) + ")"
            return ("Passed" if ok else "Failed"), s

        steps.run("retrieval dev: wensuo", ret_wensuo)
        for name in peers:
            def fn(name=name):
                path = peer_path(name)
                if name == "fts5":
                    run, times = run_fts5(path, queries)
                elif name == "xapian-qp":
                    run, times = run_xapian(path, queries, qp_query(path))
                elif name == "xapian-or":
                    run, times = run_xapian(path, queries, ngram_query)
                else:
                    run, times = run_xapian(path, queries,
                                            or_query(icu_terms_of(IcuWords(icu_tool), queries)))
                m = score_system(name, run, times)
                m["built"] = build_times.get(path, "")
                return "Passed", note(m, name)
            steps.run("retrieval dev: " + name, fn)
        results["retrieval"] = ret

    # 3. substring recall
    if "sub" in parts:
        def sub_step():
            wait_index("sub")
            db = os.path.join(work, "sub_wensuo_quick" if args.quick else "sub_wensuo")
            docs = []
            for f in corpus_files(args.shared, work, args.quick):
                docs.extend(read_jsonl(f))
            n = args.stretches or (200 if args.quick else 1000)
            stretches, redrawn = sample_stretches(docs, n, random.Random(SEED))
            lines = [("s%d" % i, '"%s"' % s) for i, (_, s) in enumerate(stretches)]
            run, totals, times, errors = run_eval_search(eval_search, db, lines, 1000)
            found, retry = set(), []
            for i, (d, s) in enumerate(stretches):
                qid = "s%d" % i
                if d["id"] in run.get(qid, []):
                    found.add(qid)
                elif totals.get(qid, 0) > len(run.get(qid, [])):
                    retry.append(i)
            # A stretch common enough that its document is not in the top
            # 1000 is asked again within its document's title (as a title
            # phrase), or its source, type and date when it has no title.
            if retry:
                lines2 = []
                for i in retry:
                    d, s = stretches[i]
                    q = '"%s"' % s
                    title = (d.get("title") or "").replace('"', " ").strip()
                    if title:
                        q += ' title:"%s"' % title
                    else:
                        for field in ("source", "type"):
                            if d.get(field) and not re.search(r'[\s":()]', d[field]):
                                q += " %s:%s" % (field, d[field])
                        if d.get("date"):
                            q += " date:%s..%s" % (d["date"], d["date"])
                    lines2.append(("s%d" % i, q))
                run2, totals2, _, errors2 = run_eval_search(eval_search, db, lines2, 1000)
                for i in retry:
                    qid = "s%d" % i
                    if stretches[i][0]["id"] in run2.get(qid, []):
                        found.add(qid)
                errors.update(errors2)
            fails = [(stretches[i][1], stretches[i][0]["id"], totals.get("s%d" % i, 0),
                      errors.get("s%d" % i, ""))
                     for i in range(len(stretches)) if "s%d" % i not in found]
            share = len(found) / len(stretches)
            results["substring"] = {"stretches": len(stretches), "found": len(found),
                                    "share": share, "redrawn": redrawn,
                                    "documents": len(docs), "retried": len(retry),
                                    "ms": statistics.median(times.values()) if times else None,
                                    "failures": [list(f) for f in fails]}
            for s, docid, total, err in fails[:30]:
                print("        not found: \"%s\" in %s (%d hits)%s" % (s, docid, total,
                                                                     "  " + err if err else ""))
            floor = args.min_substring
            ok = floor is None or share >= floor
            return ("Passed" if ok else "Failed",
                    "%d/%d found (%.1f%%) in %d documents; %d draws with punctuation redrawn; "
                    "%d asked again within their title" % (len(found), len(stretches),
                                                                100 * share, len(docs), redrawn,
                                                                len(retry)))

        steps.run("substring recall: quoted stretches", sub_step)

    for key in list(jobs):
        wait_index(key)
    total_secs = time.time() - t_start

    # The tables.
    print()
    if "seg_wensuo" in results or "seg_icu" in results:
        rows = []
        for key, label in (("seg_wensuo", "Wensuo (wensuo analyze)"), ("seg_icu", "plain ICU 72, zh")):
            v = results.get(key)
            if v:
                rows.append([label, "%.3f" % v["F"], "%.3f" % v["RECALL"], "%.3f" % v["PRECISION"],
                             "%.3f" % v["OOV_RECALL"], "%.3f" % v["IV_RECALL"]])
        if "seg_icu" not in results:
            rows.append(["plain ICU (README figure, not run)", "0.794", "0.824", "0.767", "0.340", "-"])
        print("Segmentation, PKU test%s:" % (" (300-line slice)" if args.quick else ""))
        print(table(["system", "F", "R", "P", "OOV R", "IV R"], rows))
        print()
    if "retrieval" in results:
        ret = results["retrieval"]
        rows = []
        for name in ["wensuo"] + PEERS:
            m = ret.get(name)
            if not m:
                if name != "wensuo" and not args.quick:
                    rows.append([PEER_LABELS[name], "not run", "", "", "", "", ""])
                continue
            rows.append([PEER_LABELS[name], "%.3f" % m["R@10"], "%.3f" % m["R@100"],
                         "%.3f" % m["MRR@10"], "%.3f" % m["nDCG@10"], "%.1f" % m["ms"],
                         "%d" % m["empty"]])
        print("Retrieval, dev split, %d questions, top 100:" % results["questions"])
        print(table(["system", "R@10", "R@100", "MRR@10", "nDCG@10", "ms/query (median)",
                     "no result"], rows))
        w = ret.get("wensuo", {})
        if w.get("skipped_docs"):
            print("Note: wensuo-index skipped %d of the %d articles, %d of them judged relevant "
                  "(%d of the %d judgments): %s"
                  % (w["skipped_docs"], results["articles"], w["skipped_judged"],
                     w["skipped_pairs"], sum(len(r) for r in qrels.values()),
                     "; ".join(w["skip_reasons"])))
        if peers and not args.quick and not args.questions:
            print("README peers (nDCG@10): " + ", ".join(
                "%s %.3f" % (p, README_PEERS[p][3]) for p in PEERS))
        print()
    if "substring" in results:
        s = results["substring"]
        print("Substring recall: %d/%d (%.1f%%) stretches of 2-8 characters found their document "
              "as a quoted phrase; median %.1f ms/query" % (s["found"], s["stretches"],
                                                            100 * s["share"], s["ms"] or 0))
        print()
    results["seconds"] = round(total_secs, 1)
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(results, f, ensure_ascii=False, indent=1)
    ran = steps.n
    print("%d%% tests passed, %d tests failed out of %d" % (
        round(100 * (ran - len(steps.failed)) / max(ran, 1)), len(steps.failed), ran))
    print("Total Test time (real) = %.2f sec" % total_secs)
    if not args.reuse:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if steps.failed else 0


if __name__ == "__main__":
    sys.exit(main())
