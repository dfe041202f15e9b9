#!/usr/bin/env python3
"""import_news.py - 新闻联播 day files to Wensuo JSONL documents, one per story.

Usage: import_news.py [-o FILE] FOLDER

FOLDER is the shared corpus (../shared/corpus), its news/ folder, or the folder
of day files itself (YYYYMMDD.md). Each day file holds its stories under
"## 详细新闻" as "### title" sections whose body is light HTML (<p>, <br>,
<strong>) ending in a "[查看原文](url)" link. Each story becomes

  {"id": "news/YYYYMMDD/N", "title", "body", "date": "YYYY-MM-DD",
   "source": "新闻联播", "type": "news", "url"}

with N counting the day's stories from 1, the HTML reduced to text (paragraphs
and <br> as line breaks, entities decoded) and the link taken out of the body.
Standard library only. Counts go to stderr.
"""

import argparse
import datetime
import html.parser
import json
import os
import re
import sys

SOURCE = "新闻联播"
# The broadcaster's page for a whole day's programme; used as the url of a
# story that has no "查看原文" link of its own (the first days of the corpus).
DAY_PAGE = "https://tv.cctv.com/lm/xwlb/day/{}.shtml"

DAY_FILE = re.compile(r"^(\d{8})\.md$")
LINK = re.compile(r"\[查看原文\]\((\S*?)\)")
BLOCK_TAGS = {"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}


class _Text(html.parser.HTMLParser):
    """The text of an HTML fragment, block elements and <br> as line breaks."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in BLOCK_TAGS:
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(fragment):
    parser = _Text()
    parser.feed(fragment)
    parser.close()
    lines = (line.strip() for line in "".join(parser.parts).split("\n"))
    return "\n".join(line for line in lines if line)


def find_folder(folder):
    """The folder that holds the day files, given the corpus or a part of it."""
    for sub in ("news/xinwenlianbo", "xinwenlianbo", "."):
        path = os.path.join(folder, sub)
        if os.path.isdir(path) and any(DAY_FILE.match(n) for n in os.listdir(path)):
            return path
    return None


def sections(text, level):
    """[(heading, body)] for the headings of a level ("## ", "### "); the text
    before the first heading comes first with heading None."""
    out, heading, lines = [], None, []
    for line in text.split("\n"):
        if line.startswith(level):
            out.append((heading, "\n".join(lines)))
            heading, lines = line[len(level):].strip(), []
        else:
            lines.append(line)
    out.append((heading, "\n".join(lines)))
    return out


def day_documents(day, text, stats):
    """The documents of one day file."""
    date = "%s-%s-%s" % (day[:4], day[4:6], day[6:])
    detail = None
    for heading, body in sections(text, "## "):
        if heading is not None and heading.startswith("详细新闻"):
            detail = body
            break
    if detail is None:
        # No detailed section: take "###" stories wherever they are, and when
        # there are none, the whole programme (its summary) as one document.
        stats["days_without_detail"] += 1
        detail = text
    stories = [(h, b) for h, b in sections(detail, "### ") if h is not None]
    if not stories:
        stats["days_as_one_document"] += 1
        title = next((l[2:].strip() for l in text.split("\n") if l.startswith("# ")), None)
        body = html_to_text(LINK.sub("", re.sub(r"^#+ .*$", "", text, flags=re.M)))
        stories = [(title or "《新闻联播》 %s" % day, body)]
        bodies_are_text = True
    else:
        bodies_are_text = False
    for n, (title, raw) in enumerate(stories, 1):
        links = LINK.findall(raw)
        url = links[0] if links else None
        if not url:
            stats["stories_without_link"] += 1
            url = DAY_PAGE.format(day)
        body = raw if bodies_are_text else html_to_text(LINK.sub("", raw))
        title = html_to_text(title) or title
        if not body:
            stats["stories_without_body"] += 1
        yield {
            "id": "news/%s/%d" % (day, n),
            "title": title,
            "body": body,
            "date": date,
            "source": SOURCE,
            "type": "news",
            "url": url,
        }


def valid_day(day):
    try:
        datetime.date(int(day[:4]), int(day[4:6]), int(day[6:]))
        return True
    except ValueError:
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", help="the shared corpus, or its news folder")
    ap.add_argument("-o", "--output", help="write here instead of stdout")
    args = ap.parse_args()

    folder = find_folder(args.folder)
    if folder is None:
        sys.exit("import_news: no YYYYMMDD.md day files under %s" % args.folder)
    stats = dict(days=0, stories=0, days_without_detail=0, days_as_one_document=0,
                 stories_without_link=0, stories_without_body=0, skipped_files=0)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for name in sorted(os.listdir(folder)):
            m = DAY_FILE.match(name)
            if not m:
                continue
            day = m.group(1)
            path = os.path.join(folder, name)
            try:
                with open(path, encoding="utf-8") as f:
                    text = f.read().replace("\r\n", "\n")
            except (OSError, UnicodeDecodeError) as e:
                print("import_news: %s: %s; skipped" % (path, e), file=sys.stderr)
                stats["skipped_files"] += 1
                continue
            if not valid_day(day):
                print("import_news: %s: not a real date; skipped" % path, file=sys.stderr)
                stats["skipped_files"] += 1
                continue
            stats["days"] += 1
            for doc in day_documents(day, text, stats):
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")
                stats["stories"] += 1
    finally:
        if out is not sys.stdout:
            out.close()
    print("import_news: " + ", ".join("%s %d" % (k.replace("_", " "), v)
                                      for k, v in stats.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
