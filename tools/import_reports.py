#!/usr/bin/env python3
"""import_reports.py - the reports corpus to Wensuo JSONL documents.

Usage: import_reports.py [-o FILE] FOLDER

FOLDER is the shared corpus (../shared/corpus) or its reports/ folder, holding
government_work_reports.jsonl (政府工作报告 and the NPC resolutions on them) and
cpc_congress_reports.jsonl (Party congress reports): JSON lines with title,
url, content, year (and congress for the latter). Each line becomes

  {"id": "report/<n>", "title", "body": <content>, "date", "source", "type":
   "report", "url", "year", "congress"}

n counting from 1 over both files in that order. Standard library only.
Counts go to stderr.
"""

import argparse
import json
import os
import sys

FILES = [
    ("government_work_reports.jsonl", "政府工作报告"),
    ("cpc_congress_reports.jsonl", "党代会报告"),
]
# The report is read at the opening of the National People's Congress's yearly
# session, conventionally on 5 March in recent decades; earlier sessions met at
# other times of year. So "<year>-03-05" is approximate: good for ordering and
# for ranges by year, not for citing the day.
NPC_OPENING = "%04d-03-05"


def find_folder(folder):
    for sub in ("reports", "."):
        path = os.path.join(folder, sub)
        if any(os.path.isfile(os.path.join(path, name)) for name, _ in FILES):
            return path
    return None


def as_year(value):
    """The year as an int, from 2025 or "2025"; None when absent or odd."""
    try:
        year = int(value)
    except (TypeError, ValueError):
        return None
    return year if 1000 <= year <= 9999 else None


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", help="the shared corpus, or its reports folder")
    ap.add_argument("-o", "--output", help="write here instead of stdout")
    args = ap.parse_args()

    folder = find_folder(args.folder)
    if folder is None:
        sys.exit("import_reports: none of %s under %s"
                 % (", ".join(n for n, _ in FILES), args.folder))
    n = 0
    counts = []
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for name, source in FILES:
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                print("import_reports: %s is absent" % path, file=sys.stderr)
                continue
            docs = dated = bad = 0
            with open(path, encoding="utf-8") as f:
                for lineno, line in enumerate(f, 1):
                    if not line.strip():
                        continue
                    try:
                        rec = json.loads(line)
                        if not isinstance(rec, dict):
                            raise ValueError("not a JSON object")
                    except ValueError as e:
                        print("import_reports: %s:%d: %s; skipped" % (path, lineno, e),
                              file=sys.stderr)
                        bad += 1
                        continue
                    n += 1
                    year = as_year(rec.get("year"))
                    doc = {
                        "id": "report/%d" % n,
                        "title": rec.get("title") or "",
                        "body": rec.get("content") or "",
                        "date": NPC_OPENING % year if year else None,
                        "source": source,
                        "type": "report",
                        "url": rec.get("url"),
                        "year": year,
                        "congress": rec.get("congress"),
                    }
                    out.write(json.dumps({k: v for k, v in doc.items() if v is not None},
                                         ensure_ascii=False) + "\n")
                    docs += 1
                    dated += year is not None
            counts.append("%s: %d documents (%d dated), %d bad lines" % (name, docs, dated, bad))
    finally:
        if out is not sys.stdout:
            out.close()
    for c in counts:
        print("import_reports: " + c, file=sys.stderr)
    print("import_reports: %d documents in all" % n, file=sys.stderr)


if __name__ == "__main__":
    main()
