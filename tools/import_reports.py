#!/usr/bin/env python3
"""import_reports.py - the reports corpus to Wensuo JSONL documents.

Usage: import_reports.py [-o FILE] FOLDER

FOLDER is the shared corpus (../shared/corpus) or its reports/ folder, holding
government_work_reports.jsonl (政府工作报告 and the NPC resolutions on them) and
cpc_congress_reports.jsonl (Party congress reports): JSON lines with title,
url, content, year (and congress for the latter). Each line becomes

  {"id": "report/<n>", "title", "body": <content>, "date", "date_precision",
   "source", "type": "report", "url", "year", "congress"}

n counting from 1 over both files in that order. Standard library only.
Counts go to stderr, with the years that have a resolution on the work report
but no work report in the corpus (2020: the source's scrape of the Wikisource
portal did not bring it).

Dates. Where the text states the day in its heading, that day, with
"date_precision": "day": a work report's "——2024年3月5日在第十四届全国人民代表
大会第二次会议上", a resolution's "（2023年3月13日第十四届全国人民代表大会第一次
会议通过）", a congress report's "——在中国共产党第二十次全国代表大会上的报告
（2022年10月16日）". Elsewhere the year alone is known, with "date_precision":
"year" and the date YYYY-01-01 (the first day of what is known): a work
report's from its title, a resolution's from the session it names, a Party
congress report's from the congress's number.
"""

import argparse
import json
import os
import re
import sys
import unicodedata

FILES = [
    ("government_work_reports.jsonl", "政府工作报告"),
    ("cpc_congress_reports.jsonl", "党代会报告"),
]
DIGITS = "零一二三四五六七八九"


def cn_number(s):
    """一 .. 九十九 as an int (二十 = 20, 十四 = 14); None for anything else."""
    if not s or any(c not in DIGITS + "十" for c in s):
        return None
    if "十" not in s:
        return DIGITS.index(s) if len(s) == 1 else None
    tens, _, units = s.partition("十")
    return ((DIGITS.index(tens) if tens else 1) * 10 + (DIGITS.index(units) if units else 0))


# The day a text states in its heading (after NFKC: full-width digits read).
DAY = r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日"
STATED = [
    # a work report: ——2024年3月5日在第十四届全国人民代表大会第二次会议上
    re.compile(DAY + r"\s*在第\S{1,3}届全[国國]人民代表大[会會]第\S{1,3}次[会會][议議]上"),
    # a resolution: （2023年3月13日第十四届全国人民代表大会第一次会议通过）
    re.compile(r"[（(]" + DAY + r"\s*第\S{1,3}届全国人民代表大会第\S{1,3}次会议通过[）)]"),
    # a congress report: ——在中国共产党第二十次全国代表大会上的报告 （2022年10月16日）
    re.compile(r"全国代表大会上的\S{0,2}报告\s*[（(]" + DAY + r"[）)]"),
]
HEAD = 2000  # characters of a text where its heading stands

# The year of each session of the National People's Congress that the
# corpus's resolutions name: from the sixth congress on, one session a year
# from the first; before it the sessions kept no such rhythm.
NPC_FIRST_YEAR = {6: 1983, 7: 1988, 8: 1993, 9: 1998, 10: 2003, 11: 2008, 12: 2013, 13: 2018,
                  14: 2023}
NPC_SESSIONS = {(2, 3): 1962}
SESSION = re.compile(r"第(\S{1,3})届全国人民代表大会第(\S{1,3})次会议")
# The year of each national congress of the Communist Party of China.
CONGRESS_YEAR = {1: 1921, 2: 1922, 3: 1923, 4: 1925, 5: 1927, 6: 1928, 7: 1945, 8: 1956,
                 9: 1969, 10: 1973, 11: 1977, 12: 1982, 13: 1987, 14: 1992, 15: 1997,
                 16: 2002, 17: 2007, 18: 2012, 19: 2017, 20: 2022}


def stated_day(text):
    """The date YYYY-MM-DD that the text's heading states, or None."""
    head = unicodedata.normalize("NFKC", text[:HEAD])
    for pat in STATED:
        m = pat.search(head)
        if m:
            y, mo, d = (int(x) for x in m.groups())
            if 1 <= mo <= 12 and 1 <= d <= 31:
                return "%04d-%02d-%02d" % (y, mo, d)
    return None


def known_year(rec, title):
    """The year of a text that states no day: a work report's title year, a
    resolution's session, a congress report's congress; None when unknown."""
    year = as_year(rec.get("year"))
    if year:
        return year
    m = SESSION.search(title)
    if m:
        term, session = cn_number(m.group(1)), cn_number(m.group(2))
        if term in NPC_FIRST_YEAR and session:
            return NPC_FIRST_YEAR[term] + session - 1
        return NPC_SESSIONS.get((term, session))
    try:
        return CONGRESS_YEAR.get(int(rec.get("congress")))
    except (TypeError, ValueError):
        return None


def dating(rec, title, body):
    """(date, precision) of a report: ("2024-03-05", "day"), ("2019-01-01",
    "year") or (None, None)."""
    day = stated_day(body)
    if day:
        return day, "day"
    year = known_year(rec, title)
    return ("%04d-01-01" % year, "year") if year else (None, None)


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
    resolved, reported = set(), set()
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for name, source in FILES:
            path = os.path.join(folder, name)
            if not os.path.isfile(path):
                print("import_reports: %s is absent" % path, file=sys.stderr)
                continue
            docs = dated = days = bad = 0
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
                    title = rec.get("title") or ""
                    body = rec.get("content") or ""
                    date, precision = dating(rec, title, body)
                    if "决议" in title and date:
                        resolved.add(int(date[:4]))
                    elif year and source == "政府工作报告":
                        reported.add(year)
                    doc = {
                        "id": "report/%d" % n,
                        "title": title,
                        "body": body,
                        "date": date,
                        "date_precision": precision,
                        "source": source,
                        "type": "report",
                        "url": rec.get("url"),
                        "year": year,
                        "congress": rec.get("congress"),
                    }
                    out.write(json.dumps({k: v for k, v in doc.items() if v is not None},
                                         ensure_ascii=False) + "\n")
                    docs += 1
                    dated += date is not None
                    days += precision == "day"
            counts.append("%s: %d documents (%d dated, %d to the day), %d bad lines"
                          % (name, docs, dated, days, bad))
    finally:
        if out is not sys.stdout:
            out.close()
    for c in counts:
        print("import_reports: " + c, file=sys.stderr)
    print("import_reports: %d documents in all" % n, file=sys.stderr)
    for y in sorted(resolved - reported):
        print("import_reports: the corpus has the resolution on the work report of %d but not "
              "the report itself" % y, file=sys.stderr)


if __name__ == "__main__":
    main()
