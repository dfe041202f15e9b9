#!/usr/bin/python3
"""Speed of the proximity operators (searcher/README.md, "Proximity") on a
whole index, beside the same words ANDed and beside ripgrep scanning the text
for the same pairs, in one run.

  tools/bench_proximity.py --db INDEX [--runs 1] [--text FILE ...] [PAIR ...]

A PAIR is A,B (default: common and rarer pairs). Starts wensuo-searchd
--read-only on INDEX (build/searcher/, or $WS_BIN/searcher/) with no time
limit on a search, so that every answer is exact, and for each pair times:
rg over the text files (by default the imported JSON lines in /work/full)
counting the lines where A and B stand within 10 characters, or between two
ends of a sentence (a regular expression: what brute force costs); GET
/search for `A B` (both words anywhere, the candidates) and for `A NEAR/10
B`, `A SENTENCE B`, `A PARAGRAPH B` (first page of 10, exact total); and the
first page of the concordance of `A NEAR/10 B` (20 lines, exact totals). Each
figure is the median of --runs runs after one not counted, wall and CPU
seconds (rg's own, or the daemon's during the request, from /proc).
Standard library only."""

import argparse
import glob
import json
import os
import subprocess
import sys
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from bench_research import BIN, get, timed  # noqa: E402

PAIRS = ["国家,安全", "人民,政府", "碳达峰,碳中和", "数据,安全"]
ENDS = "。！？；!?"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--text", nargs="*", default=sorted(glob.glob("/work/full/*.jsonl")))
    ap.add_argument("pairs", nargs="*", default=PAIRS)
    a = ap.parse_args()
    d = subprocess.Popen([os.path.join(BIN, "searcher", "wensuo-searchd"), "--db", a.db,
                          "--read-only", "--listen", "127.0.0.1:0", "--quiet",
                          "--query-time-limit", str(24 * 3600 * 1000)], stdout=subprocess.PIPE)
    line = d.stdout.readline().decode()
    port = int(line.split("127.0.0.1:")[1].split()[0])
    try:
        print("| pair | rg NEAR/10 (lines) | rg SENTENCE (lines) | `A B`: documents, time |"
              " `A NEAR/10 B` | `A SENTENCE B` | `A PARAGRAPH B` | concordance NEAR/10 page 1 |")
        print("|---|---|---|---|---|---|---|---|")
        for pair in a.pairs:
            x, y = pair.split(",")
            row = [pair.replace(",", " ")]
            for rx in ("%s.{0,10}%s|%s.{0,10}%s" % (x, y, y, x),
                       "%s[^%s]*%s|%s[^%s]*%s" % (x, ENDS, y, y, ENDS, x)):
                (wall, cpu), out = timed(lambda: subprocess.run(
                    ["rg", "--count-matches", "-e", rx, *a.text], capture_output=True,
                    text=True).stdout, a.runs)
                n = sum(int(v.rsplit(":", 1)[-1]) for v in out.split()) if out else 0
                row.append("%d: %.2f / %.2f" % (n, wall, cpu))
            for q in ("%s %s" % (x, y), "%s NEAR/10 %s" % (x, y), "%s SENTENCE %s" % (x, y),
                      "%s PARAGRAPH %s" % (x, y)):
                path = "/search?" + urllib.parse.urlencode({"q": q, "limit": 10})
                (wall, cpu), out = timed(lambda: json.loads(get(port, path)), a.runs, d.pid)
                row.append("%d: %.2f / %.2f" % (out["total"], wall, cpu))
            path = "/concordance?" + urllib.parse.urlencode({"q": "%s NEAR/10 %s" % (x, y),
                                                             "limit": 20})
            (wall, cpu), out = timed(lambda: json.loads(get(port, path)), a.runs, d.pid)
            row.append("%d lines, %d documents: %.2f / %.2f" % (
                out["total_occurrences"], out["total_documents"], wall, cpu))
            print("| " + " | ".join(row) + " |", flush=True)
    finally:
        d.terminate()
        d.wait()


if __name__ == "__main__":
    main()
