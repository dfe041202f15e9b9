#!/usr/bin/python3
"""Hostile queries, thousands of them, through the search code path.

Draws queries from pieces that have broken the query language's edge cases
(quotes and parentheses left open, operators alone, fields without values or
with values longer than a term, date ranges out of range, long repeats past
the 4096-byte limit, control characters, noncharacters, astral CJK, raw bytes
that are not UTF-8) with a fixed seed, and runs them through
build/tools/eval_search (ws_searcher_run, the code of `wensuo search --db`
and of the daemon) over an index of the sample corpus. Every query must be
answered or refused with a message; nothing may crash, and under the
sanitizers nothing may be reported (the build aborts on the first report).
Found a type filter lower-cased past its buffer (a `type:` value of 256 bytes
or more). Standard library only. WS_BIN and WS_SRC are set by ctest."""

import os
import random
import subprocess
import sys
import tempfile

BIN = os.environ.get("WS_BIN", "")
SRC = os.environ.get("WS_SRC", "")
INDEXER = os.path.join(BIN, "indexer", "wensuo-index")
SEARCH = os.path.join(BIN, "tools", "eval_search")
N = 6000

PIECES = ["国务院", '"', "“", "”", "(", ")", "AND", "OR", "NOT", "-", "title:", "source:",
          "type:", "date:", "..", "2024-01-01", "2024", "2024-13-45", "99999-01-01", "碳达峰",
          "用地面积", "研究生", "COVID-19", "949.21公顷", "的", "如何", "？", "，", " ", "\u3000",
          "ＡＢＣ１２３", "國務院辦公廳", "A" * 300, "园" * 200, "\\", "*", ":", "::", "(((",
          ")))", '""', '-"', 'title:"', "date:..", "date:2020..", "\x01", "\x7f", "\ufffe",
          "\U00020000", "é", "Ⅻ", "#", "第五十四条", "法规#第一条", "个体工商户的债务应该如何承担",
          " NEAR/5 ", "NEAR/", " NEAR/0 ", "NEAR/1001", "NEAR/x", " SENTENCE ", " PARAGRAPH "]


def queries(rng):
    for i in range(N):
        q = "".join(rng.choice(PIECES) + rng.choice(["", " "]) for _ in range(rng.randint(1, 25)))
        if rng.random() < 0.1:
            q = q * rng.randint(2, 60)
        b = q.encode("utf-8")
        if rng.random() < 0.15:
            b = bytes(rng.randint(1, 255) for _ in range(rng.randint(1, 40))) + b
        for c in (b"\t", b"\n", b"\r", b"\x00"):
            b = b.replace(c, b" ")
        yield b"q%d\t%s\n" % (i, b)


def main():
    for p in (INDEXER, SEARCH):
        if not os.access(p, os.X_OK):
            print("SKIP: %s is not built" % p)
            return 77
    failures = []
    with tempfile.TemporaryDirectory(prefix="ws_test_fuzz.") as tmp:
        db = os.path.join(tmp, "db")
        subprocess.run([INDEXER, "--quiet", "--shards", "2", "--db", db,
                        os.path.join(SRC, "corpus")], check=True)
        inp = b"".join(queries(random.Random(20261124)))
        p = subprocess.run([SEARCH, "--db", db, "--limit", "20"], input=inp,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if p.returncode != 0:
            failures.append("eval_search exited with %d" % p.returncode)
        answered, refused, other = set(), {}, []
        for line in p.stderr.decode("utf-8", "replace").splitlines():
            f = line.split("\t")
            if f[0] == "#" and len(f) >= 2:
                answered.add(f[1])
            elif f[0] == "!" and len(f) >= 3:
                refused[f[1]] = f[2]
            else:
                other.append(line)
        if other:
            failures.append("unexpected output (a sanitizer report?):\n" + "\n".join(other[:20]))
        missing = N - len(answered) - len(refused)
        if missing or answered & set(refused):
            failures.append("%d queries neither answered nor refused" % missing)
        empty = [q for q, why in refused.items() if not why.strip()]
        if empty:
            failures.append("refused without a message: %s" % empty[:5])
        # both paths are exercised, or the test proves little
        if len(answered) < N // 20 or len(refused) < N // 20:
            failures.append("answered %d, refused %d of %d" % (len(answered), len(refused), N))
        too_long = sum(1 for why in refused.values() if "4096" in why)
        if too_long == 0:
            failures.append("no query was refused for its length")
    for f in failures:
        print("FAIL:", f)
    if failures:
        return 1
    print("ok: %d hostile queries, %d answered, %d refused with a message (%d for length)"
          % (N, len(answered), len(refused), too_long))
    return 0


if __name__ == "__main__":
    sys.exit(main())
