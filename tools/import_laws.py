#!/usr/bin/env python3
"""import_laws.py - the laws corpus to Wensuo JSONL: each law whole, and each
of its articles on its own.

Usage: import_laws.py [-o FILE] FOLDER

FOLDER is the shared corpus (../shared/corpus) or its laws/ folder. Each
Markdown file (folder stubs _index.md left out) opens with "# title", the
enactment history, then "<!-- INFO END -->" and the text, whose articles start
a line with "第X条". Each file gives

  {"id": "<path under laws/>", "title", "body": <text after INFO END>,
   "date": <YYYY-MM-DD from "name(YYYY-MM-DD).md", if any>,
   "source": <top folder: 刑法, 经济法, DLC ...>, "type", "history"}

and each article

  {"id": "<law id>#第X条", "title": "<law title> 第X条", "body": <the article>,
   "law_id": "<law id>", ...the law's date, source and type}

type is "case" under 案例, "interpretation" under 司法解释, "regulation"
under 部门规章, 行政法规 and DLC (local regulations), else "law". Researchers
cite laws by article, so a search can hit the article as well as the law.
Standard library only. Counts go to stderr.
"""

import argparse
import collections
import json
import os
import re
import sys

INFO_END = "<!-- INFO END -->"
NUMERAL = "零〇一二三四五六七八九十百千"
# "第五十四条", "第一百二十条之一"; a stray space before 条 occurs and is dropped.
ARTICLE = re.compile(r"^第([%s]+) ?条(之[%s]+)?(?=[ \u3000]|$)" % (NUMERAL, NUMERAL))
# A part, chapter or section heading written without '#'.
DIVISION = re.compile(r"^第[%s]+[编章节](?:[ \u3000]|$)" % NUMERAL)
DATE_IN_NAME = re.compile(r"\((\d{4}-\d{2}-\d{2})\)")
# Second '#' headings that name a part of a code split over files (民法典/总则.md).
PART_NAME = re.compile(r"^(总则|附则|.{1,8}编)$")
TYPES = {"案例": "case", "司法解释": "interpretation", "部门规章": "regulation",
         "行政法规": "regulation", "DLC": "regulation"}


def find_folder(folder):
    for sub in ("laws", "."):
        path = os.path.join(folder, sub)
        if os.path.isdir(path) and any(n.endswith(".md") for _, _, fs in os.walk(path)
                                       for n in fs):
            return path
    return None


def title_of(head, law_id):
    """The first '# ' heading, joined with a second one that names a part."""
    h1 = [l[2:].strip() for l in head.split("\n") if l.startswith("# ")]
    if not h1:
        return os.path.splitext(os.path.basename(law_id))[0]
    if len(h1) > 1 and PART_NAME.match(h1[1]):
        return "%s %s" % (h1[0], h1[1])
    return h1[0]


def clean(lines):
    """Lines joined, blank ones dropped, the ends trimmed."""
    return "\n".join(l.rstrip() for l in lines if l.strip()).strip()


def articles(body):
    """[(label, text)]: each article from its "第X条" line up to the next
    article or heading."""
    out, label, lines = [], None, []
    for line in body.split("\n"):
        m = ARTICLE.match(line)
        if m or line.startswith("#") or DIVISION.match(line):
            if label:
                out.append((label, clean(lines)))
            label, lines = None, []
            if m:
                label = "第%s条%s" % (m.group(1), m.group(2) or "")
                line = label + line[m.end():]
        if label:
            lines.append(line)
    if label:
        out.append((label, clean(lines)))
    return out


def law_documents(root, path, stats):
    law_id = os.path.relpath(path, root).replace(os.sep, "/")
    with open(path, encoding="utf-8") as f:
        text = f.read().replace("\r\n", "\n")
    head, sep, body = text.partition(INFO_END)
    if not sep:
        stats["files_without_info_end"] += 1
        head, body = text, "\n".join(l for l in text.split("\n") if not l.startswith("# "))
    top = law_id.split("/")[0] if "/" in law_id else ""
    m = DATE_IN_NAME.search(os.path.basename(path))
    law = {
        "id": law_id,
        "title": title_of(head, law_id),
        "body": body.strip(),
        "date": m.group(1) if m else None,
        "source": top or None,
        "type": TYPES.get(top, "law"),
    }
    history = clean(l for l in head.split("\n") if not l.startswith("#"))
    if history:
        law["history"] = history
    yield law
    seen = collections.Counter()
    for label, art in articles(body):
        seen[label] += 1
        # Article numbers are unique within a law in this corpus; should one
        # repeat (a quoted amendment), the later one gets "~2", "~3" ...
        suffix = "~%d" % seen[label] if seen[label] > 1 else ""
        if suffix:
            stats["repeated_article_numbers"] += 1
        yield {
            "id": "%s#%s%s" % (law_id, label, suffix),
            "title": "%s %s" % (law["title"], label),
            "body": art,
            "date": law["date"],
            "source": law["source"],
            "type": law["type"],
            "law_id": law_id,
        }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", help="the shared corpus, or its laws folder")
    ap.add_argument("-o", "--output", help="write here instead of stdout")
    args = ap.parse_args()

    root = find_folder(args.folder)
    if root is None:
        sys.exit("import_laws: no Markdown files under %s" % args.folder)
    stats = collections.Counter(laws=0, articles=0, laws_without_articles=0,
                                files_without_info_end=0, repeated_article_numbers=0,
                                skipped_files=0)
    by_type = collections.Counter()
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames.sort()
            for name in sorted(filenames):
                if not name.endswith(".md") or name == "_index.md":
                    continue
                path = os.path.join(dirpath, name)
                try:
                    docs = list(law_documents(root, path, stats))
                except (OSError, UnicodeDecodeError) as e:
                    print("import_laws: %s: %s; skipped" % (path, e), file=sys.stderr)
                    stats["skipped_files"] += 1
                    continue
                stats["laws"] += 1
                stats["articles"] += len(docs) - 1
                stats["laws_without_articles"] += len(docs) == 1
                by_type[docs[0]["type"]] += 1
                for doc in docs:
                    out.write(json.dumps({k: v for k, v in doc.items() if v is not None},
                                         ensure_ascii=False) + "\n")
    finally:
        if out is not sys.stdout:
            out.close()
    print("import_laws: " + ", ".join("%s %d" % (k.replace("_", " "), v)
                                      for k, v in stats.items()), file=sys.stderr)
    print("import_laws: by type: " + ", ".join("%s %d" % kv for kv in sorted(by_type.items())),
          file=sys.stderr)


if __name__ == "__main__":
    main()
