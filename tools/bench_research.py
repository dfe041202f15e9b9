#!/usr/bin/python3
"""Speed of the instruments for research (searcher/README.md, "Instruments
for research") on a whole index, beside ripgrep counting the same string
over the same text in the same run.

  tools/bench_research.py --db INDEX [--runs 3] [--text FILE ...]
                          [--only concordance,trend,collocates,export]
                          [--base-bin BUILD --base-db INDEX] [TERM ...]

Starts wensuo-searchd --read-only on INDEX (build/searcher/ by default, or
$WS_BIN/searcher/) and, for each term (common and rare ones by default):
ripgrep (`rg --count-matches -F TERM` over the text files, by default the
shared corpus's imported JSON lines in /work/full); the first page of its
concordance (GET /concordance, 20 lines, with exact totals); its trend by
year; its collocates (GET /collocates, window 5, the best 50); and its
export as CSV, with its rate in MB/s (--only names the instruments to time;
the others print "-"). A daemon that keeps a word cache is waited for
until it holds every shard (a second or two a shard). Each figure is the
median of --runs runs after one run not counted (the page cache warm for
both). A TERM with a space in it is a query as written (`人民 NEAR/10 政府`;
rg counts its first word); any other is quoted. A proximity is decided
by its first request and kept for the view by the daemon (every
searcher's): its first concordance page is timed once before the others
and printed under its row. With --base-bin (a build
folder of another version, e.g. main before a change) and --base-db (its
index, e.g. the same documents indexed by it), each instrument runs on both
daemons in the same run, and each cell reads `this | base`. Standard library
only."""

import argparse
import glob
import http.client
import json
import os
import resource
import statistics
import subprocess
import sys
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("WS_BIN", os.path.join(HERE, "..", "build"))
TERMS = ["国务院", "人民政府", "发展", "碳达峰", "新质生产力"]


def cpu_of(pid):
    """User + system seconds a process has used so far (/proc)."""
    if pid is None:
        r = resource.getrusage(resource.RUSAGE_CHILDREN)
        return r.ru_utime + r.ru_stime
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(f, runs, pid=None):
    """Medians of the wall and CPU seconds of f (CPU: of the process pid,
    or of the children when None): on a loaded machine the wall time
    counts the waits for a core, the CPU time what the work cost."""
    f()  # not counted: warms the page cache and the daemon's caches
    walls, cpus, out = [], [], None
    for _ in range(runs):
        c0, t0 = cpu_of(pid), time.perf_counter()
        out = f()
        walls.append(time.perf_counter() - t0)
        cpus.append(cpu_of(pid) - c0)
    return (statistics.median(walls), statistics.median(cpus)), out


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=3600)
    c.request("GET", path)
    r = c.getresponse()
    body = r.read()
    c.close()
    if r.status != 200:
        raise RuntimeError("%s: %s %s" % (path, r.status, body[:300]))
    return body


def wait_word_cache(port, db, timeout=300):
    """Waits until the daemon's word cache (searcher/README.md) holds every
    shard of db, as a daemon that has run a while has it; a daemon without
    one (an older build, or --word-cache 0) is not waited for."""
    shards = len(glob.glob(os.path.join(db, "shard*"))) or 1
    t0 = time.time()
    while time.time() - t0 < timeout:
        wc = json.loads(get(port, "/stats")).get("word_cache")
        if not wc or wc.get("shards") == shards:
            return
        time.sleep(0.2)
    print("the word cache did not hold every shard in %d s" % timeout, file=sys.stderr)


def start(bin_dir, db):
    d = subprocess.Popen([os.path.join(bin_dir, "searcher", "wensuo-searchd"), "--db", db,
                          "--read-only", "--listen", "127.0.0.1:0", "--quiet"],
                         stdout=subprocess.PIPE)
    try:
        line = d.stdout.readline().decode()
        port = int(line.split("127.0.0.1:")[1].split()[0])
        wait_word_cache(port, db)
        return d, port
    except BaseException:
        # a daemon that did not say where it listens is stopped here, since
        # the caller never gets it to stop
        d.terminate()
        d.wait()
        raise


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--text", nargs="*", default=sorted(glob.glob("/work/full/*.jsonl")))
    ap.add_argument("--only", default="concordance,trend,collocates,export")
    ap.add_argument("--base-bin")
    ap.add_argument("--base-db")
    ap.add_argument("terms", nargs="*", default=TERMS)
    a = ap.parse_args()
    only = set(a.only.split(","))
    none = ((float("nan"), float("nan")), None)
    daemons = []
    try:
        daemons.append(start(BIN, a.db))
        if a.base_bin:
            daemons.append(start(a.base_bin, a.base_db or a.db))
        return bench(a, only, none, daemons)
    finally:
        # stopped whatever ends the run (an exception, ^C), so that no daemon
        # is left holding the index and a core
        for d, _ in daemons:
            d.terminate()
            d.wait()


def bench(a, only, none, daemons):
    mb = sum(os.path.getsize(f) for f in a.text) / 1e6
    print("index %s%s; text for rg: %s (%.0f MB); medians of %d runs, seconds" %
          (a.db, " | base %s on %s" % (a.base_bin, a.base_db or a.db) if a.base_bin else "",
           " ".join(a.text), mb, a.runs))
    print("wall / CPU seconds (CPU: rg's, or the daemon's during the request)%s" %
          ("; each cell: this | base" if a.base_bin else ""))
    print("| term | occurrences (rg / index) | documents | rg | concordance page 1 | "
          "trend by year | collocates | export CSV | export MB/s (wall / CPU) |")
    print("|---|---|---|---|---|---|---|---|---|")
    f = lambda x: "-" if x[0] != x[0] else "%.2f / %.2f" % x  # noqa: E731
    for t in a.terms:
        word = t.split()[0].strip('"')

        def rg():
            r = subprocess.run(["rg", "--count-matches", "--no-filename", "-F", word] +
                               a.text, capture_output=True, text=True)
            return sum(int(x) for x in r.stdout.split())
        t_rg, n_rg = timed(rg, a.runs)
        q = urllib.parse.quote(t if " " in t else '"%s"' % t)
        cells, counted, colls, totals, colds = [], None, [], [], []
        proximity = any(op in t for op in ("NEAR/", "SENTENCE", "PARAGRAPH"))
        for d, port in daemons:
            if proximity and "concordance" in only:
                # the first request decides the proximity, which the
                # daemon then keeps for the view: the medians below are
                # of requests after it
                t0 = time.perf_counter()
                get(port, "/concordance?limit=20&q=" + q)
                colds.append("%.2f" % (time.perf_counter() - t0))
            def timed_if(name, fn):
                return timed(fn, a.runs, d.pid) if name in only else none
            t_kwic, page = timed_if("concordance", lambda: json.loads(
                get(port, "/concordance?limit=20&q=" + q)))
            t_trend, _ = timed_if("trend", lambda: get(port, "/trend?by=year&q=" + q))
            t_coll, coll = timed_if("collocates", lambda: json.loads(
                get(port, "/collocates?window=5&limit=50&q=" + q)))
            t_exp, body = timed_if("export", lambda: get(port, "/export?format=csv&q=" + q))
            mbs = len(body) / 1e6 if body else float("nan")
            # the daemon's CPU is counted in clock ticks (10 ms): an export
            # shorter than one has no CPU rate to speak of
            rate = ("-" if body is None else "%.1f / %s" % (
                mbs / max(t_exp[0], 1e-9),
                "%.1f" % (mbs / t_exp[1]) if t_exp[1] >= 0.01 else "-"))
            cells.append([f(t_kwic), f(t_trend), f(t_coll), f(t_exp), rate])
            c = page or coll or {"total_occurrences": -1, "total_documents": -1}
            totals.append((c["total_occurrences"], c["total_documents"]))
            counted = counted or c
            colls.append(coll)
        if len(set(totals)) > 1:
            print("  TOTALS DIFFER for %s: %s" % (t, totals), flush=True)
        if len(colls) > 1 and colls[0] and colls[1] and colls[0] != colls[1]:
            print("  COLLOCATES DIFFER for %s" % t, flush=True)
        merged = [" \\| ".join(c[i] for c in cells) for i in range(5)]
        print("| %s | %d / %d | %d | %s | %s |" %
              (t, n_rg, counted["total_occurrences"], counted["total_documents"], f(t_rg),
               " | ".join(merged)), flush=True)
        if colds:
            print("  first request of %s (deciding the proximity, kept after for the "
                  "view): concordance page 1 %s s" % (t, " | ".join(colds)), flush=True)
        if colls[0]:
            print("  collocates of %s: %s" % (t, ", ".join(
                "%s %d/%d %.2f" % (x["word"], x["count"], x["index_count"], x["log_dice"])
                for x in colls[0]["collocates"][:5])), flush=True)
    if "export" not in only:
        return 0
    for d, port in daemons:
        t_all, body = timed(lambda: get(port, "/export?format=csv&fields=body&q=" +
                                        urllib.parse.quote("date:1900..")), 1, d.pid)
        mbs = len(body) / 1e6
        print("\nexport of every dated document with its body (fields=body) as CSV: "
              "%.1f MB in %.2f s wall, %.2f s CPU: %.1f MB/s wall, %.1f MB/s CPU" %
              (mbs, t_all[0], t_all[1], mbs / t_all[0], mbs / max(t_all[1], 1e-9)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
