#!/usr/bin/env python3
"""bench_ngrams.py - Xapian's own CJK n-gram indexing of the same documents.

Usage: bench_ngrams.py [--work DIR] [--batch N] [--batch-kb N] FILE.jsonl...

The reference beside bench_index for issue 2: Xapian 1.4's TermGenerator with
FLAG_CJK_NGRAM indexes every CJK character with its position and every pair
of characters, which is what makes a substring findable; Wensuo indexes the
same plus words. This times it on the same JSONL documents, one thread, one
database, the way bench_index builds its indexes (DB_NO_SYNC, a commit every
--batch documents or --batch-kb of text, the same defaults as wensuo-index),
and prints wall and CPU time, MB/s and the index size before and after
xapian-compact. The title is indexed with prefix S and unprefixed, the id is
a boolean term (md5 of the id: long ids pass Xapian's term limit), and the
document's JSON is its data, as Wensuo stores it.

Needs Debian's python3-xapian and xapian-tools; re-runs itself with
/usr/bin/python3 when the current Python lacks the module.
"""

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time

try:
    import xapian
except ImportError:
    if sys.executable != "/usr/bin/python3" and os.path.exists("/usr/bin/python3"):
        os.execv("/usr/bin/python3", ["/usr/bin/python3"] + sys.argv)
    sys.exit("bench_ngrams: needs python3-xapian (apt-get install python3-xapian)")


def folder_bytes(path):
    return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--work", default="/tmp/wensuo-bench-ngrams")
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--batch-kb", type=int, default=512)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    docs = []
    for f in a.files:
        with open(f, encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                try:
                    d = json.loads(line)
                except ValueError as e:
                    print("%s:%d: %s (skipped)" % (f, n, e), file=sys.stderr)
                    continue
                if isinstance(d, dict) and d.get("id"):
                    docs.append(d)
    text = sum(len((d.get("title") or "").encode()) + len((d.get("body") or "").encode())
               for d in docs)
    db_dir, compact_dir = a.work + "/db", a.work + "/compact"
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)

    t0, c0 = time.time(), time.process_time()
    db = xapian.WritableDatabase(db_dir, xapian.DB_CREATE_OR_OVERWRITE | xapian.DB_NO_SYNC)
    tg = xapian.TermGenerator()
    tg.set_flags(tg.FLAG_CJK_NGRAM)
    batch = batch_bytes = 0
    for d in docs:
        doc = xapian.Document()
        tg.set_document(doc)
        title, body = d.get("title") or "", d.get("body") or ""
        tg.index_text(title, 1, "S")
        tg.index_text(title)
        tg.increase_termpos()
        tg.index_text(body)
        doc.set_data(json.dumps(d, ensure_ascii=False))
        idterm = "Q" + hashlib.md5(d["id"].encode()).hexdigest()
        doc.add_boolean_term(idterm)
        db.replace_document(idterm, doc)
        batch += 1
        batch_bytes += len(body.encode())
        if batch >= a.batch or batch_bytes >= a.batch_kb * 1024:
            db.commit()
            batch = batch_bytes = 0
    db.commit()
    db.close()
    wall, cpu = time.time() - t0, time.process_time() - c0
    raw = folder_bytes(db_dir)
    subprocess.run(["xapian-compact", db_dir, compact_dir], check=True,
                   stdout=subprocess.DEVNULL)
    comp = folder_bytes(compact_dir)
    print("corpus: %d documents, %.1f MB of text" % (len(docs), text / 1e6))
    print("Xapian CJK n-grams (1 thread)   %8.2f s  %6.2f MB/s  %6.0f docs/s  %8.2f s CPU"
          % (wall, text / 1e6 / wall, len(docs) / wall, cpu))
    print("Xapian CJK n-grams index        %6.1f MB raw  %6.1f MB compacted (%.2fx the text)"
          % (raw / 1e6, comp / 1e6, comp / text))
    shutil.rmtree(a.work, ignore_errors=True)


if __name__ == "__main__":
    main()
