#!/usr/bin/python3
"""A damaged index is refused, never written or served in part; and what
is acknowledged is synced.

Checks: an index whose stub XAPIANDB is lost, cut short or garbled, or whose
shard folder is gone, is refused by wensuo-searchd, wensuo-index and wensuo
with a message that says how to recover, and left as it was (a missing
folder, or an empty one, is a new index; a folder of other files is not);
a stub line "remote :PROGRAM" is not run unless allowed; the leftovers of a
wensuo-index --compact (shardK.compact, shardK.old) are refused until
`wensuo-index --db DIR --compact` puts them right, and a --compact killed
at any point leaves an index that is refused or whole, never in part, with
no document lost once it is run again; GET /stats on a shard with flipped
bytes does not bring the daemon down; a POST is acknowledged only after its
shard was synced (fsync/fdatasync counted under strace; skipped with a
message where strace cannot trace). Standard library only. WS_BIN is set by
ctest."""

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsd import CLIENT, INDEXER, SEARCHD, check  # noqa: E402
import wsd  # noqa: E402


def make_corpus(folder, n, prefix, term):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, prefix + ".jsonl"), "w") as f:
        for i in range(n):
            f.write(json.dumps({"id": "%s/%d" % (prefix, i), "title": "条例 %s %d" % (term, i),
                                "body": "数据资源管理条例第%d条。%s 江川市%d号文件。" % (i, term, i * 7)},
                               ensure_ascii=False) + "\n")


def build(db, src, shards=2):
    out = subprocess.run([INDEXER, "--db", db, "--quiet", "--shards", str(shards), src],
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("wensuo-index: %s %s" % (out.stdout, out.stderr))


def count(db, term):
    """Documents matching term through the CLI on db, or the error text."""
    out = subprocess.run([CLIENT, "search", "--db", db, "--json", term], capture_output=True,
                         text=True)
    if out.returncode != 0:
        return out.stderr
    return json.loads(out.stdout)["total"]


def tree(db):
    """Every path under db with its size: to see that a refusal changed nothing."""
    r = {}
    for root, dirs, files in os.walk(db):
        for n in dirs + files:
            p = os.path.join(root, n)
            r[os.path.relpath(p, db)] = os.path.getsize(p) if os.path.isfile(p) else -1
    return r


def start_daemon(db, tmp, name, *extra):
    """(process, first stdout line, stderr text so far): started, or refused."""
    log = os.path.join(tmp, name + ".log")
    p = subprocess.Popen([SEARCHD, "--db", db, "--listen", "127.0.0.1:0", "--threads", "1",
                          *extra], stdout=subprocess.PIPE, stderr=open(log, "w"))
    line = p.stdout.readline().decode()
    return p, line, open(log, errors="replace").read


def refused_everywhere(db, tmp, name, words):
    """The daemon, wensuo-index and wensuo refuse db, saying words; db is
    left as it was."""
    before = tree(db)
    p, line, err = start_daemon(db, tmp, name)
    if "listening" in line:
        check(False, "%s: the daemon served it: %s" % (name, line.strip()))
        p.send_signal(signal.SIGTERM)
    p.wait(30)
    text = err()
    check(p.returncode == 1 and all(w in text for w in words),
          "%s: the daemon's refusal: %s %r" % (name, p.returncode, text[-600:]))
    src = os.path.join(tmp, name + "-more")
    make_corpus(src, 3, name + "-more", "moreq")
    out = subprocess.run([INDEXER, "--db", db, "--quiet", src], capture_output=True, text=True)
    check(out.returncode == 1 and all(w in out.stderr for w in words),
          "%s: wensuo-index's refusal: %s %r" % (name, out.returncode, out.stderr[-600:]))
    n = count(db, "条例")
    check(isinstance(n, str) and all(w in n for w in words), "%s: wensuo served it: %r" % (name, n))
    check(tree(db) == before, "%s: the refusals changed the index: %s -> %s"
          % (name, sorted(before), sorted(tree(db))))


def compact_mends(db, docs, what):
    """wensuo-index --compact alone puts db right: its two shards and every
    document."""
    out = subprocess.run([INDEXER, "--db", db, "--compact"], capture_output=True, text=True)
    check(out.returncode == 0 and count(db, "条例") == docs
          and sorted(os.listdir(db)) == ["XAPIANDB", "shard0", "shard1"],
          "--compact did not %s: %s %s %s" % (what, out.stderr, count(db, "条例"), os.listdir(db)))


def check_damaged(tmp, good, docs):
    def copy(name):
        d = os.path.join(tmp, name)
        shutil.copytree(good, d)
        return d

    db = copy("no-stub")
    os.unlink(os.path.join(db, "XAPIANDB"))
    refused_everywhere(db, tmp, "no-stub", ["XAPIANDB", "echo auto shard$k"])
    # the recovery the message gives works
    with open(os.path.join(db, "XAPIANDB"), "w") as f:
        f.write("auto shard0\nauto shard1\n")
    check(count(db, "条例") == docs, "the stub written again does not serve the index")

    # one shard named as the index: it holds part of the documents
    db = copy("one-shard")
    refused_everywhere(os.path.join(db, "shard1"), tmp, "one-shard",
                       ["one shard of the index", "give --db " + db])
    os.symlink(os.path.join(db, "shard0"), os.path.join(tmp, "a-link"))
    for spelt in (os.path.join(db, "shard0", "."), os.path.join(tmp, "a-link")):
        n = count(spelt, "条例")
        check(isinstance(n, str) and "one shard of the index" in n, "%s: %r" % (spelt, n))

    # a file named as the index: a Xapian stub file listing it is one, any
    # other file is refused by name, not with Xapian's "Bad line"
    stub = os.path.join(tmp, "listing.stub")
    with open(stub, "w") as f:
        f.write("# the index, through a stub of Xapian's\nauto %s\n" % good)
    check(count(stub, "条例") == docs, "a stub file listing the index: %r" % count(stub, "条例"))
    notes = os.path.join(tmp, "notes.md")
    with open(notes, "w") as f:
        f.write("# 笔记\n正文\n")
    n = count(notes, "条例")
    check(isinstance(n, str) and "is a file, not an index" in n and "Bad line" not in n,
          "a Markdown file as the index: %r" % n)
    # a stub that would have Xapian run a program is not opened: with its
    # arguments, as a program whose name ends in :PORT (which reads as
    # HOST:PORT), named by another stub file, or by a folder's stub
    marker = os.path.join(tmp, "ran")
    prog = os.path.join(tmp, "evil:1")
    with open(prog, "w") as f:
        f.write("#!/bin/sh\ntouch %s\n" % marker)
    os.chmod(prog, 0o755)
    inner = os.path.join(tmp, "inner.stub")
    with open(inner, "w") as f:
        f.write("remote :%s x\n" % prog)
    os.makedirs(os.path.join(tmp, "nested-folder"), exist_ok=True)
    shutil.copy(inner, os.path.join(tmp, "nested-folder", "XAPIANDB"))
    hostile = {"evil.stub": "remote :/usr/bin/touch %s\n" % marker,
               "colon.stub": "remote :%s\n" % prog,
               "nested.stub": "auto %s\n" % inner,
               "nested2.stub": "auto nested-folder\n"}
    for name, text in hostile.items():
        path = os.path.join(tmp, name)
        with open(path, "w") as f:
            f.write(text)
        n = count(path, "条例")
        check(isinstance(n, str) and ("is a file, not an index" in n or "a stub that the index "
                                      "names" in n) and not os.path.exists(marker),
              "%s: %r, ran: %s" % (name, n, os.path.exists(marker)))
    # a path Xapian reads otherwise than a trimming check would (a CR, a
    # space before or after it), and a named stub past the readers' size
    evil_cr = os.path.join(tmp, "evil\r")
    with open(evil_cr, "w") as f:
        f.write("remote :/usr/bin/touch %s\n" % marker)
    with open(os.path.join(tmp, "big.stub"), "w") as f:
        f.write("#" * 70000 + "\nremote :/usr/bin/touch %s\n" % marker)
    for name, text in (("cr", "auto evil\r\n"), ("two-spaces", "auto  evil\n"),
                       ("trailing", "auto evil \n"), ("big", "auto big.stub\n")):
        folder = os.path.join(tmp, "stub-" + name)
        os.makedirs(folder)
        for f2 in ("evil", " evil", "evil "):
            shutil.copy(evil_cr, os.path.join(folder, f2))
        shutil.copy(evil_cr, os.path.join(folder, "evil\r"))
        shutil.copy(os.path.join(tmp, "big.stub"), os.path.join(folder, "big.stub"))
        with open(os.path.join(folder, "XAPIANDB"), "w", newline="") as f:
            f.write(text)
        n = count(folder, "条例")
        check(isinstance(n, str) and not os.path.exists(marker),
              "a stub line %r: %r, ran: %s" % (text, n, os.path.exists(marker)))
    colon_idx = os.path.join(tmp, "colon-idx")
    os.makedirs(colon_idx)
    with open(os.path.join(colon_idx, "XAPIANDB"), "w") as f:
        f.write("remote :%s\n" % prog)
    n = count(colon_idx, "条例")
    check(isinstance(n, str) and "is not \"auto PATH\"" in n and not os.path.exists(marker),
          "a folder's stub with a program ending in :1: %r" % n)
    # a single-file database is one (xapian-compact --single-file)
    single = os.path.join(tmp, "single.glass")
    if shutil.which("xapian-compact") and subprocess.run(
            ["xapian-compact", "--single-file", os.path.join(good, "shard0"), single],
            capture_output=True).returncode == 0:
        check(isinstance(count(single, "条例"), int), "a single-file database: %r"
              % count(single, "条例"))

    # a shard line indented is no line of Wensuo's: refused, not one shard
    # served (the reader counted "auto shard" lines from the start alone)
    db = copy("stub-indented")
    with open(os.path.join(db, "XAPIANDB"), "w") as f:
        f.write("auto shard0\n auto shard1\n")
    n = count(db, "条例")
    check(isinstance(n, str) and "line 2" in n, "an indented shard line: %r" % n)

    db = copy("stub-cut")
    with open(os.path.join(db, "XAPIANDB"), "w") as f:
        f.write("auto shard0\n")
    refused_everywhere(db, tmp, "stub-cut", ["shard1", "does not list"])

    db = copy("stub-garbled")
    with open(os.path.join(db, "XAPIANDB"), "wb") as f:
        f.write(b"auto sh\x00\xffrd0\nxyz\n")
    refused_everywhere(db, tmp, "stub-garbled", ["XAPIANDB", "auto shardK"])

    db = copy("shard-gone")
    shutil.rmtree(os.path.join(db, "shard1"))
    refused_everywhere(db, tmp, "shard-gone", ["shard1", "missing"])

    db = copy("leftover-compact")
    shutil.copytree(os.path.join(db, "shard0"), os.path.join(db, "shard0.compact"))
    refused_everywhere(db, tmp, "leftover-compact", ["shard0.compact", "--compact"])
    compact_mends(db, docs, "finish a cut compaction")

    db = copy("leftover-old")  # killed between the two renames
    os.rename(os.path.join(db, "shard1"), os.path.join(db, "shard1.old"))
    shutil.copytree(os.path.join(db, "shard1.old"), os.path.join(db, "shard1.compact"))
    refused_everywhere(db, tmp, "leftover-old", ["shard1", "--compact"])
    compact_mends(db, docs, "undo a cut swap")

    # an empty folder is a new index; a folder of other files is not an index
    empty = os.path.join(tmp, "empty")
    os.makedirs(empty)
    src = os.path.join(tmp, "small")
    make_corpus(src, 3, "small", "smallq")
    out = subprocess.run([INDEXER, "--db", empty, "--quiet", src], capture_output=True, text=True)
    check(out.returncode == 0 and count(empty, "smallq") == 3,
          "an empty folder is not taken as a new index: %s" % out.stderr)
    other = os.path.join(tmp, "other")
    os.makedirs(other)
    open(os.path.join(other, "notes.txt"), "w").close()
    out = subprocess.run([INDEXER, "--db", other, "--quiet", src], capture_output=True, text=True)
    check(out.returncode == 1 and "not a Wensuo index" in out.stderr
          and os.listdir(other) == ["notes.txt"],
          "a folder of other files taken as an index: %s %s" % (out.stderr, os.listdir(other)))
    # in a folder, its README and other kinds of file are passed over; a
    # path named is read, a README too, or said to be skipped and why
    walked = os.path.join(tmp, "walked")
    os.makedirs(walked)
    for name, text in (("README.md", "# 说明\n这是语料的说明\n"), ("a.txt", "标题甲\n正文甲\n"),
                       ("x.json", '{"a": 1}\n')):
        with open(os.path.join(walked, name), "w") as f:
            f.write(text)
    idx = os.path.join(tmp, "walked-idx")
    out = subprocess.run([INDEXER, "--db", idx, "--quiet", walked], capture_output=True, text=True)
    check(out.returncode == 0 and count(idx, "正文甲") == 1 and count(idx, "语料的说明") == 0 and
          "x.json" not in out.stderr, "a folder's README or .json: %s" % out.stderr)
    out = subprocess.run([INDEXER, "--db", idx, "--quiet", os.path.join(walked, "README.md"),
                          os.path.join(walked, "x.json")], capture_output=True, text=True)
    check(out.returncode == 0 and count(idx, "语料的说明") == 1 and
          "x.json: skipped: not a kind of file wensuo-index reads" in out.stderr,
          "a README and a .json named: %d %s" % (out.returncode, out.stderr))
    # read, a folder that holds no index is named as such, not with
    # Xapian's "Couldn't detect type of database"
    empty2 = os.path.join(tmp, "empty2")
    os.makedirs(empty2)
    for d, what in ((other, "is not a Wensuo index (it holds notes.txt"),
                    (empty2, "is empty: no index there yet"),
                    (os.path.join(tmp, "none"), "the folder does not exist")):
        for cmd in ([CLIENT, "stats", "--db", d],
                    [SEARCHD, "--db", d, "--read-only", "--listen", "127.0.0.1:0"]):
            out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
            check(out.returncode == 1 and what in out.stderr and "Xapian" not in out.stderr and
                  "Couldn't" not in out.stderr,
                  "%s on %s: %d %r" % (os.path.basename(cmd[0]), d, out.returncode, out.stderr))
    check(os.listdir(other) == ["notes.txt"] and os.listdir(empty2) == [] and
          not os.path.exists(os.path.join(tmp, "none")), "reading wrote")


def check_stub_program(tmp, good):
    db = os.path.join(tmp, "stub-program")
    os.makedirs(db)
    marker = os.path.join(tmp, "program-ran")
    with open(os.path.join(db, "XAPIANDB"), "w") as f:
        f.write("remote :touch %s\n" % marker)
    n = count(db, "条例")
    check(not os.path.exists(marker) and isinstance(n, str) and "remote :PROGRAM" in n,
          "a stub's program was run by wensuo, or not refused: %r" % n)
    p, line, err = start_daemon(db, tmp, "stub-program", "--read-only")
    if "listening" in line:
        p.send_signal(signal.SIGTERM)
    p.wait(30)
    check(p.returncode == 1 and not os.path.exists(marker),
          "a stub's program was run by the daemon: %s %r" % (p.returncode, err()[-300:]))
    env = dict(os.environ, WENSUO_ALLOW_STUB_PROGRAMS="1")
    subprocess.run([CLIENT, "search", "--db", db, "x"], capture_output=True, env=env)
    check(os.path.exists(marker), "WENSUO_ALLOW_STUB_PROGRAMS=1 did not allow it")
    # a stub of remote HOST:PORT lines is accepted (test_remote serves one)
    with open(os.path.join(db, "XAPIANDB"), "w") as f:
        f.write("# two servers\nremote 127.0.0.1:1\nremote localhost:2\n")
    n = count(db, "条例")
    check(isinstance(n, str) and "remote :PROGRAM" not in n and "XAPIANDB" not in n,
          "a stub of remote HOST:PORT lines refused: %r" % n)


def check_compact_killed(tmp, good, docs):
    """kill -9 at any point of --compact: the index is refused or whole,
    and --compact again makes it whole."""
    db = os.path.join(tmp, "compact-kill")
    shutil.copytree(good, db)
    t0 = time.monotonic()
    subprocess.run([INDEXER, "--db", db, "--compact"], capture_output=True)
    took = time.monotonic() - t0
    rng = random.Random(18)
    seen = set()
    for attempt in range(8):
        p = subprocess.Popen([INDEXER, "--db", db, "--compact"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, took * 1.2))
        p.kill()
        p.wait()
        left = sorted(n for n in os.listdir(db) if n.endswith((".compact", ".old")))
        seen.add(bool(left))
        n = count(db, "条例")
        check(n == docs or (isinstance(n, str) and "--compact" in n),
              "after a kill in --compact (%s left): served %r" % (left, n))
        out = subprocess.run([INDEXER, "--db", db, "--compact"], capture_output=True, text=True)
        check(out.returncode == 0 and count(db, "条例") == docs
              and sorted(os.listdir(db)) == ["XAPIANDB", "shard0", "shard1"],
              "--compact after a kill: %s %s %s" % (out.stderr, count(db, "条例"), os.listdir(db)))
    print("(compact took %.2f s; kills left leftovers: %s)" % (took, sorted(seen)))


def check_compact_locked(tmp, good, docs):
    """A second --compact while one runs is refused and leaves the first's
    copy alone; a reader meanwhile is told a compaction runs, not that one
    was stopped; --compact of an index a daemon writes says so."""
    db = os.path.join(tmp, "compact-twice")
    shutil.copytree(good, db)
    seen = []
    for _ in range(5):
        first = subprocess.Popen([INDEXER, "--db", db, "--compact"], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.PIPE, text=True)
        t0 = time.monotonic()
        while first.poll() is None and time.monotonic() - t0 < 30:
            if any(n.endswith(".compact") for n in os.listdir(db)):
                second = subprocess.run([INDEXER, "--db", db, "--compact"], capture_output=True,
                                        text=True)
                n = count(db, "条例")
                seen.append((second.returncode, second.stderr.strip()[:120], n))
                check(second.returncode == 0 or "another wensuo-index --compact" in second.stderr,
                      "a second --compact meanwhile: %s %s" % (second.returncode, second.stderr))
                check(n == docs or (isinstance(n, str) and "being compacted" in n),
                      "a reader during --compact: %r" % n)
                break
            time.sleep(0.001)
        err = first.communicate()[1]
        check(first.returncode == 0, "the first --compact failed: %s" % err)
        check(count(db, "条例") == docs and sorted(os.listdir(db)) == ["XAPIANDB", "shard0", "shard1"],
              "after two --compact: %s %s" % (count(db, "条例"), os.listdir(db)))
    print("(a second --compact during the first: %s)" % sorted(set(x[0] for x in seen)))
    p, line, _ = start_daemon(db, tmp, "compact-held")
    try:
        out = subprocess.run([INDEXER, "--db", db, "--compact"], capture_output=True, text=True)
        check(out.returncode != 0 and "being written by another process" in out.stderr,
              "--compact of an index a daemon writes: %s %s" % (out.returncode, out.stderr))
    finally:
        p.send_signal(signal.SIGTERM)
        p.wait(30)


def check_corrupt_stats(tmp, good):
    """Bytes flipped in postlist.glass: /stats answers, the daemon lives."""
    db = os.path.join(tmp, "corrupt")
    shutil.copytree(good, db)
    path = os.path.join(db, "shard0", "postlist.glass")
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        data = bytearray(f.read())
        rng = random.Random(6)
        for block in range(size // 8192):  # the middle of every block but the root's
            for k in range(64):
                i = block * 8192 + 200 + rng.randrange(7800)
                data[i] ^= 0xFF
        f.seek(0)
        f.write(data)
    p, line, err = start_daemon(db, tmp, "corrupt", "--read-only")
    if "listening" not in line:
        p.wait(30)
        check("corrupt" in err().lower() or "damaged" in err().lower(),
              "a corrupt index refused without saying so: %r" % err()[-400:])
        return
    port = int(line.split("http://127.0.0.1:")[1].split()[0])

    class D:
        pass
    d = D()
    d.port = port
    try:
        for _ in range(3):
            st, _, r = wsd.request(d, "GET", "/stats")
            check(st in (200, 500, 503), "/stats on a corrupt shard: %s %r" % (st, r))
        check(p.poll() is None, "the daemon died on /stats over a corrupt shard: %s %r"
              % (p.returncode, err()[-600:]))
    except (ConnectionError, OSError) as e:
        check(False, "the daemon died on /stats over a corrupt shard: %s %r" % (e, err()[-600:]))
    finally:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(30)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()


def check_fsync(tmp):
    """A POST is acknowledged after its shard's files were synced."""
    if not shutil.which("strace"):
        print("(strace is not installed: the sync of a POST is not checked)")
        return
    probe = subprocess.run(["strace", "-f", "--seccomp-bpf", "-o", "/dev/null", "true"],
                           capture_output=True)
    if probe.returncode != 0:
        print("(strace cannot trace here: the sync of a POST is not checked: %s)"
              % probe.stderr.decode(errors="replace").strip())
        return
    db = os.path.join(tmp, "fsync")
    trace = os.path.join(tmp, "fsync.trace")
    log = os.path.join(tmp, "fsync.log")
    p = subprocess.Popen(["strace", "-f", "-qq", "--seccomp-bpf", "-e", "trace=fsync,fdatasync",
                          "-o", trace,
                          SEARCHD, "--db", db, "--listen", "127.0.0.1:0", "--threads", "1",
                          "--shards", "2"],
                         stdout=subprocess.PIPE, stderr=open(log, "w"),
                         # LeakSanitizer cannot run under ptrace
                         env=dict(os.environ, WENSUO_WRITE_TOKEN="",
                                  ASAN_OPTIONS=os.environ.get("ASAN_OPTIONS", "") +
                                  ":detect_leaks=0"))
    try:
        line = p.stdout.readline().decode()
        if not check("listening" in line, "the traced daemon did not start: %r %s"
                     % (line, open(log).read()[-400:])):
            return

        class D:
            pass
        d = D()
        d.port = int(line.split("http://127.0.0.1:")[1].split()[0])

        def syncs():
            with open(trace, errors="replace") as f:
                return len(re.findall(r"\b(?:fsync|fdatasync)\(\d+\)\s*= 0", f.read()))
        time.sleep(0.5)
        results = []
        for i in range(3):
            before = syncs()
            body = json.dumps({"id": "sync/%d" % i, "title": "同步", "body": "同步测试 syncq"},
                              ensure_ascii=False).encode() + b"\n"
            st, _, r = wsd.request(d, "POST", "/documents", body,
                                   {"Content-Type": "application/x-ndjson"})
            results.append((st, syncs() - before))
        print("(syncs per acknowledged POST: %s)" % [n for _, n in results])
        check(all(st == 200 and n >= 2 for st, n in results),
              "a POST acknowledged without its shard synced (status, syncs): %s" % results)
    finally:
        # SIGTERM to the daemon, not to strace (which would wait on it)
        try:
            with open("/proc/%d/task/%d/children" % (p.pid, p.pid)) as f:
                kids = [int(x) for x in f.read().split()]
        except OSError:
            kids = []
        for k in kids:
            os.kill(k, signal.SIGTERM)
        if not kids:
            p.kill()
        try:
            p.wait(60)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def check_compact_wrong_folder(tmp, good):
    """--compact of a folder that is no index says which it is: missing,
    empty, or one shard given for the index; never "restore from a backup"."""
    empty = os.path.join(tmp, "empty-compact")
    os.makedirs(empty)
    for db, want in ((os.path.join(tmp, "no-such-folder"), "does not exist"),
                     (empty, "is empty"),
                     (os.path.join(good, "shard0"), "one shard of an index")):
        out = subprocess.run([INDEXER, "--db", db, "--compact"], capture_output=True, text=True)
        check(out.returncode == 1 and want in out.stderr and "backup" not in out.stderr,
              "--compact of %s: %d %s" % (db, out.returncode, out.stderr))


def all_steps(tmp, run):
    src = os.path.join(tmp, "src")
    docs = 1500
    make_corpus(src, docs, "dm", "damageq")
    good = os.path.join(tmp, "good")
    build(good, src)
    run("damaged index refused", lambda: check_damaged(tmp, good, docs))
    run("stub programs not run", lambda: check_stub_program(tmp, good))
    run("--compact killed at any point", lambda: check_compact_killed(tmp, good, docs))
    run("--compact twice, or of a served index", lambda: check_compact_locked(tmp, good, docs))
    run("--compact of no index", lambda: check_compact_wrong_folder(tmp, good))
    run("/stats on a corrupt shard", lambda: check_corrupt_stats(tmp, good))
    run("a POST is synced", lambda: check_fsync(tmp))


def main():
    return wsd.in_steps("ws-damage-", "damage", all_steps)


if __name__ == "__main__":
    sys.exit(main())
