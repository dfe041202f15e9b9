#!/usr/bin/env bash
# test_importers.sh - runs tools/import_{news,laws,reports}.py on the shared
# corpus and checks what they write. Skips (exit 77) without the corpus.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=${WS_SRC:-$(dirname "$here")}
shared=${WS_SHARED:-$src/../shared}
corpus=$shared/corpus
if [ ! -d "$corpus/news" ] || [ ! -d "$corpus/laws" ] || [ ! -d "$corpus/reports" ]; then
    echo "SKIP: the shared corpus is not at $corpus (set WS_SHARED)"
    exit 77
fi

out=$(mktemp -d "${TMPDIR:-/tmp}/ws_importers.XXXXXX")
trap 'rm -rf "$out"' EXIT

for kind in news laws reports; do
    python3 "$src/tools/import_$kind.py" "$corpus" -o "$out/$kind.jsonl"
done

python3 - "$out" <<'EOF'
import json
import sys

out = sys.argv[1]
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)


def load(kind):
    docs = []
    with open("%s/%s.jsonl" % (out, kind), encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            try:
                doc = json.loads(line)
            except ValueError as e:
                failures.append("%s.jsonl:%d: invalid JSON: %s" % (kind, n, e))
                continue
            if not isinstance(doc, dict) or not doc.get("id") or not doc.get("title"):
                failures.append("%s.jsonl:%d: no id or title" % (kind, n))
                continue
            docs.append(doc)
    ids = [d["id"] for d in docs]
    check(len(ids) == len(set(ids)), "%s: ids are not unique" % kind)
    return docs


news = load("news")
check(len(news) > 15000, "news: %d stories, want > 15000" % len(news))
check(all(d.get("date") for d in news), "news: a story without a date")
check(all(d.get("url", "").startswith("http") for d in news), "news: a story without a url")
check(not any("查看原文" in d.get("body", "") or "<p>" in d.get("body", "") for d in news),
      "news: a link or a tag left in a body")

laws = load("laws")
whole = [d for d in laws if "law_id" not in d]
arts = [d for d in laws if "law_id" in d]
check(len(whole) > 1000, "laws: %d whole laws" % len(whole))
check(len(arts) > 10000, "laws: %d articles" % len(arts))
check(any("#第五十四条" in d["id"] for d in arts), "laws: no article id with 第五十四条")
check(all(d["id"].startswith(d["law_id"] + "#") for d in arts), "laws: article id not under its law")
check({"law", "case", "interpretation", "regulation"} <= {d.get("type") for d in whole},
      "laws: a type is missing")

reports = load("reports")
check(len(reports) >= 80, "reports: %d documents, want >= 80" % len(reports))
check(all(d.get("body") for d in reports), "reports: an empty body")

print("news %d, laws %d whole + %d articles, reports %d" % (len(news), len(whole), len(arts),
                                                          len(reports)))
for f in failures[:20]:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
EOF
