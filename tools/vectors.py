#!/usr/bin/env python3
"""Writes Wensuo's word vectors file (indexer/text/vectors.h) from fastText's text
output (.vec) and the segmenter's word counts (indexer/data/word_counts.tsv).

    tools/vectors.py VEC COUNTS OUT

Each vector is made unit length and kept as signed bytes (times 127); a
word's count is its count in COUNTS (0 when absent), the total their sum.
Words are written normalized as the index's terms are (NFKC and case
folding: GDP -> gdp, ５Ｇ -> 5g; `wensuo analyze` prints them as written); of
two words that normalize alike, the first in VEC (fastText lists the most
frequent first) is kept. Words that are no word of the analyzer
(punctuation, fastText's </s>) are left out. tools/vectors.sh runs the
whole chain."""
import math
import re
import struct
import sys
import unicodedata

WORD = re.compile(r"^[\u3400-\u9fff\uf900-\ufaffA-Za-z0-9.]+$")


def normalized(w):
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", w).casefold())


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    vec, counts_path, out = sys.argv[1:]
    counts = {}
    with open(counts_path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or "\t" not in line:
                continue
            w, c = line.rstrip("\n").split("\t")
            w = normalized(w)
            counts[w] = counts.get(w, 0) + int(c)
    total = sum(counts.values())
    if not total:
        sys.exit("no counts in %s" % counts_path)
    records = []
    seen = set()
    with open(vec, encoding="utf-8") as f:
        n, dim = map(int, f.readline().split())
        for line in f:
            a = line.rstrip().split(" ")
            w = normalized(a[0])
            b = w.encode("utf-8")
            if len(a) != dim + 1 or not WORD.match(w) or not 0 < len(b) < 256 or w in seen:
                continue
            seen.add(w)
            v = [float(x) for x in a[1:]]
            norm = math.sqrt(sum(x * x for x in v))
            if not norm > 0:
                continue
            q = bytes((max(-127, min(127, round(127 * x / norm))) & 0xFF) for x in v)
            records.append(struct.pack("<B", len(b)) + b + struct.pack("<I", counts.get(w, 0)) + q)
    with open(out, "wb") as f:
        f.write(b"WSVEC01\n" + struct.pack("<IIQ", dim, len(records), total))
        for r in records:
            f.write(r)
    print("%s: %d words of %d dimensions (%d in %s)" % (out, len(records), dim, n, vec))


if __name__ == "__main__":
    main()
