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

python3 - "$out" "$corpus" <<'EOF'
import json
import re
import sys
import unicodedata

out, corpus = sys.argv[1], sys.argv[2]
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
# every report the corpus holds, each dated; to the day where its heading
# says the day, which the test reads here on its own
held = sum(1 for name in ("government_work_reports", "cpc_congress_reports")
           for line in open("%s/reports/%s.jsonl" % (corpus, name), encoding="utf-8")
           if line.strip())
check(len(reports) == held, "reports: %d documents of the %d lines" % (len(reports), held))
check(all(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d.get("date") or "") and
          d.get("date_precision") in ("day", "year") for d in reports),
      "reports: a report without a date and its precision")
days = 0
for d in reports:
    head = unicodedata.normalize("NFKC", d["body"][:2000])
    said = None
    for m in re.finditer(r"(\d{4})年(\d{1,2})月(\d{1,2})日", head):
        after, before = head[m.end():m.end() + 40], head[max(0, m.start() - 30):m.start()]
        if (after.lstrip().startswith("在第") and "人民代表大" in after) or \
           ("通过" in after[:30] and after.lstrip().startswith("第")) or \
           ("代表大会上的" in before and "报告" in before):
            said = "%s-%02d-%02d" % (m.group(1), int(m.group(2)), int(m.group(3)))
            break
    if said:
        days += 1
        check(d["date"] == said and d["date_precision"] == "day",
              "reports: %s says %s, dated %s (%s)" % (d["title"][:30], said, d["date"],
                                                     d["date_precision"]))
    else:
        check(d["date_precision"] == "year" and d["date"].endswith("-01-01"),
              "reports: %s states no day, dated %s (%s)" % (d["title"][:30], d["date"],
                                                           d["date_precision"]))
    if d.get("year") and d["source"] == "政府工作报告":
        check(d["date"][:4] == str(d["year"]), "reports: %s dated %s" % (d["title"][:30],
                                                                        d["date"]))
check(days >= 12, "reports: %d dated to the day, want >= 12" % days)
by_title = {d["title"]: d for d in reports}
for title, date in [("2024年中华人民共和国国务院政府工作报告", "2024-03-05"),
                    ("1957年中华人民共和国国务院政府工作报告", "1957-06-26"),
                    ("第十三届全国人民代表大会第三次会议关于政府工作报告的决议", "2020-05-28")]:
    check(by_title.get(title, {}).get("date") == date, "reports: %s not dated %s" % (title, date))
check(by_title.get("第十三届全国人民代表大会第二次会议关于政府工作报告的决议", {}).get("date") ==
      "2019-01-01",
      "reports: a resolution's year from its session")

print("news %d, laws %d whole + %d articles, reports %d" % (len(news), len(whole), len(arts),
                                                          len(reports)))
for f in failures[:20]:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
EOF
