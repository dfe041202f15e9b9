#!/usr/bin/python3
"""Counts phrases in JSON-lines documents without the index: the check that
Wensuo's exact figures are taken against (tools/README.md, "Phrases with
white space and marks").

    tools/count_text.py --jsonl news.jsonl laws.jsonl -- 《民法典》 "第一条 为了"

prints, for each phrase, its occurrences and the documents holding it, as
tab-separated lines. Title and body are read as Wensuo reads them for the
concordance: NFKC and case folding, a line break between two CJK characters
joined (a hard wrap of print), the phrase found as a substring, left to
right without overlap; a space of the phrase stands for any run of blanks
other than a line break; a phrase that begins or ends with a Latin letter
or digit only where the text has none beside it. Not done here:
Traditional -> Simplified (the shared corpus is written in Simplified), and
the paragraphs' breaks after 。 that Wensuo also joins (no phrase holds one).
"""
import argparse
import json
import re
import sys
import unicodedata

CJK = r"[\u3000-\u9fff]"


def norm(s):
    s = unicodedata.normalize("NFKC", s).casefold()
    return re.sub(r"(?<=%s)\n(?=%s)" % (CJK, CJK), "", s)


def pattern(phrase):
    p = " ".join(norm(phrase).split())
    rx = r"[ \t\r\v\f]+".join(re.escape(w) for w in p.split(" "))
    if re.match(r"[0-9a-z]", p[:1]):
        rx = r"(?<![0-9a-z])" + rx
    if re.match(r"[0-9a-z]", p[-1:]):
        rx += r"(?![0-9a-z])"
    return re.compile(rx)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--jsonl", nargs="+", required=True, help="JSON-lines files of documents")
    ap.add_argument("phrases", nargs="+")
    a = ap.parse_args()
    pats = [pattern(p) for p in a.phrases]
    occ = [0] * len(pats)
    docs = [0] * len(pats)
    for path in a.jsonl:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                try:
                    d = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(d, dict):
                    continue
                fields = [norm(str(d.get(k) or "")) for k in ("title", "body")]
                for i, rx in enumerate(pats):
                    n = sum(len(rx.findall(t)) for t in fields)
                    occ[i] += n
                    docs[i] += n > 0
    for p, o, n in zip(a.phrases, occ, docs):
        print("%s\t%d\t%d" % (p, o, n))
    return 0


if __name__ == "__main__":
    sys.exit(main())
