#!/usr/bin/python3
"""Hostile files on the daemon's machine: what a user who may drop files, or
run the programs on files, can put there.

Checks: the drop folder refuses links (a link to a file the dropper cannot
read is not indexed) and FIFOs, even one swapped in after the scan (no pool
thread blocks, SIGTERM still ends the daemon), each into failed/ with the
reason in its .error and in the log; a file name that is not UTF-8 fails
alone (to failed/, while POSTs go on answered 200), and wensuo-index and
wensuo add take the good files beside it; a file renamed over one being
committed is read, not moved unread; done/ removed is made again, done/
replaced by a file stops the taking of files, with a message, until it is a
folder again; wensuo add does not hang on a FIFO; a bad front matter date refuses
the document in wensuo-index, wensuo add and the drop folder alike; a
file whose name leaves no room for ".error" still has its reason beside it;
the Unix socket's mode is
0660 (or --socket-mode) whatever the umask. Standard library only. WS_BIN
is set by ctest."""

import json
import os
import shutil
import stat
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from wsd import CLIENT, INDEXER, SEARCHD, check  # noqa: E402
from wsd import WriterDaemon as Daemon  # noqa: E402
from wsd import exists, jsonl, post, read, total, wait_for, write_file  # noqa: E402
import wsd  # noqa: E402

BAD = b"bad\xff\xfe.txt"  # a file name that is not UTF-8


def doc(i, term, body=""):
    return {"id": i, "title": "测试 " + term, "body": "乡村振兴的报道 %s 在此。%s" % (term, body)}


# ---------------------------------------------------------------- checks


def check_links_and_fifos(tmp):
    """A link (to a secret) and a FIFO are refused into failed/, with why."""
    drop = os.path.join(tmp, "drop-links")
    os.makedirs(drop)
    secret = os.path.join(tmp, "secret.txt")
    with open(secret, "w") as f:
        f.write("机密标题\n机密正文 shadowsecretq\n")
    os.chmod(secret, 0o600)
    os.symlink(secret, os.path.join(drop, "link.txt"))
    os.mkfifo(os.path.join(drop, "pipe.txt"))
    os.makedirs(os.path.join(drop, "sub"))  # a folder, with a file in it
    write_file(os.path.join(drop, "sub"), "inner.txt", "标题\n正文 innerfileq\n")
    write_file(drop, "plain.txt", "标题\n正文 plainfileq\n")
    d = Daemon(os.path.join(tmp, "index-links"), tmp, "links", "--watch", drop)
    try:
        failed = os.path.join(drop, "failed")
        ok = wait_for(lambda: os.path.exists(os.path.join(drop, "done", "plain.txt"))
                      and os.path.lexists(os.path.join(failed, "link.txt"))
                      and os.path.exists(os.path.join(failed, "pipe.txt"))
                      and os.path.isdir(os.path.join(failed, "sub")), 10)
        check(ok, "link, FIFO and folder not refused: %s %s" % (os.listdir(drop),
                                                                 d.stderr()[-600:]))
        check(total(d, "innerfileq") == 0, "a file inside a folder was indexed")
        check("a folder" in read(os.path.join(failed, "sub.error")),
              "sub.error: %r" % read(os.path.join(failed, "sub.error")))
        # a second folder of that name: beside the first, not stuck in the drop
        # folder (a folder cannot replace one that holds something)
        os.makedirs(os.path.join(drop, "sub"))
        write_file(os.path.join(drop, "sub"), "second.txt", "标题\n正文 secondfileq\n")
        ok = wait_for(lambda: os.path.isdir(os.path.join(failed, "sub.2")) and
                      not os.path.lexists(os.path.join(drop, "sub")), 10)
        check(ok and os.path.exists(os.path.join(failed, "sub", "inner.txt")) and
              os.path.exists(os.path.join(failed, "sub.2", "second.txt")) and
              "a folder" in read(os.path.join(failed, "sub.2.error")),
              "a second folder sub: %s %s" % (os.listdir(drop), os.listdir(failed)))
        check(total(d, "plainfileq") == 1, "the plain file was not indexed")
        check(total(d, "shadowsecretq") == 0 and not exists(d, "watch/link.txt"),
              "a link to a file was followed and indexed")
        check("symbolic link" in read(os.path.join(failed, "link.txt.error")),
              "link.txt.error: %r" % read(os.path.join(failed, "link.txt.error")))
        check("FIFO" in read(os.path.join(failed, "pipe.txt.error")),
              "pipe.txt.error: %r" % read(os.path.join(failed, "pipe.txt.error")))
        log = d.stderr()
        check("link.txt -> failed/" in log and "symbolic link" in log and "FIFO" in log,
              "the log does not say why the files were refused: %s" % log[-800:])
    finally:
        check(d.stop() == 0, "the daemon did not stop cleanly")


def check_fifo_swapped_in(tmp):
    """A file in hand replaced by a FIFO before it is read (again): the read
    does not block, the FIFO goes to failed/, and SIGTERM ends the daemon."""
    drop = os.path.join(tmp, "drop-swap")
    os.makedirs(drop)
    flag = os.path.join(tmp, "swap-full")
    open(flag, "w").close()  # commits fail: the file is read again 5 s later
    d = Daemon(os.path.join(tmp, "index-swap"), tmp, "swap", "--watch", drop,
               "--shutdown-timeout", "5000", env={"WENSUO_TEST_FAIL_WRITES": flag})
    fifo = os.path.join(drop, "swap.txt")
    try:
        write_file(drop, "swap.txt", "标题\n正文 swapq\n")
        ok = wait_for(lambda: "cannot commit swap.txt" in d.stderr(), 10)
        check(ok, "the first commit did not fail: %s" % d.stderr()[-600:])
        tmpfifo = os.path.join(drop, ".swap.fifo")
        os.mkfifo(tmpfifo)
        os.rename(tmpfifo, fifo)
        os.unlink(flag)
        ok = wait_for(lambda: os.path.exists(os.path.join(drop, "failed", "swap.txt")), 15)
        check(ok, "a FIFO swapped in was not refused: %s %s" % (os.listdir(drop),
                                                               d.stderr()[-600:]))
        check(d.proc.poll() is None, "the daemon died")
    finally:
        t0 = time.monotonic()
        rc = d.stop(timeout=20)
        check(rc == 0 and time.monotonic() - t0 < 15,
              "SIGTERM did not end the daemon in time: %s after %.1f s" % (rc,
                                                                        time.monotonic() - t0))
        if os.path.exists(fifo):  # release a reader still blocked on it
            try:
                os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
            except OSError:
                pass


def check_bad_name_in_drop(tmp):
    """A name that is not UTF-8 goes to failed/ alone; POSTs meanwhile all
    answer 200 and a good file beside it is taken."""
    drop = os.path.join(tmp, "drop-names")
    os.makedirs(drop)
    d = Daemon(os.path.join(tmp, "index-names"), tmp, "names", "--watch", drop)
    statuses = []
    stop = threading.Event()

    def poster():
        n = 0
        while not stop.is_set():
            st, _ = post(d, [doc("nm/post/%d" % n, "nmpostq")])
            statuses.append(st)
            n += 1
    t = threading.Thread(target=poster)
    try:
        t.start()
        bdrop = os.fsencode(drop)
        with open(os.path.join(bdrop, b"." + BAD), "w") as f:
            f.write("标题\n正文 nmbadq\n")
        os.rename(os.path.join(bdrop, b"." + BAD), os.path.join(bdrop, BAD))
        write_file(drop, "good.txt", "标题\n正文 nmgoodq\n")
        failed = os.path.join(bdrop, b"failed")
        ok = wait_for(lambda: os.path.exists(os.path.join(failed, BAD)), 10)
        time.sleep(6)  # long enough for the 5 s retry of a failed commit
        stop.set()
        t.join()
        check(ok, "a file name that is not UTF-8 did not go to failed/: %s %s"
              % (os.listdir(bdrop), d.stderr()[-600:]))
        err = read(os.path.join(failed, BAD + b".error"))
        check("not UTF-8" in err, "%r.error: %r" % (BAD, err))
        check(os.path.exists(os.path.join(drop, "done", "good.txt")) and total(d, "nmgoodq") == 1,
              "the good file beside it was not taken")
        bad = [s for s in statuses if s != 200]
        check(statuses and not bad, "POSTs failed while a bad name was dropped: %d of %d (%s)"
              % (len(bad), len(statuses), sorted(set(bad))))
        check(total(d, "nmpostq") == len(statuses), "acknowledged posts missing")
    finally:
        stop.set()
        if t.is_alive():
            t.join()
        check(d.stop() == 0, "the daemon did not stop cleanly")


def check_bad_name_tools(tmp, d):
    """wensuo-index and wensuo add take the good files beside a bad name,
    and wensuo add does not hang on a FIFO."""
    src = os.fsencode(os.path.join(tmp, "src-names"))
    os.makedirs(src)
    for name, term in ((b"a.txt", "toolaq"), (BAD, "toolbadq"), (b"c.txt", "toolcq")):
        with open(os.path.join(src, name), "w") as f:
            f.write("标题\n正文 %s\n" % term)
    db = os.path.join(tmp, "index-tools")
    out = subprocess.run([INDEXER, "--db", db, "--quiet", src], capture_output=True)
    err = out.stderr.decode(errors="replace")
    check("out of memory" not in err and "not UTF-8" in err,
          "wensuo-index on a name that is not UTF-8: %s" % err)
    for term in ("toolaq", "toolcq"):
        s = subprocess.run([CLIENT, "search", "--db", db, "--json", term], capture_output=True)
        n = json.loads(s.stdout)["total"] if s.returncode == 0 else -1
        check(n == 1, "wensuo-index skipped a good file after a bad name (%s: %s %s)"
              % (term, n, s.stderr[-300:]))
    out = subprocess.run([CLIENT, "add", "--server", d.url, os.path.join(src, BAD),
                          os.path.join(src, b"c.txt")], capture_output=True, timeout=60)
    check(exists(d, os.path.join(src, b"c.txt").decode()) and out.returncode == 1,
          "wensuo add did not send the good file beside a bad name: %s %s"
          % (out.returncode, out.stderr[-400:]))
    fifo = os.path.join(src, b"pipe.txt")
    os.mkfifo(fifo)
    try:
        out = subprocess.run([CLIENT, "add", "--server", d.url, fifo, os.path.join(src, b"a.txt")],
                             capture_output=True, timeout=20)
        check(out.returncode == 1 and exists(d, os.path.join(src, b"a.txt").decode()),
              "wensuo add beside a FIFO: %s %s" % (out.returncode, out.stderr[-400:]))
    except subprocess.TimeoutExpired:
        check(False, "wensuo add hangs on a FIFO")


def check_bad_date_alike(tmp, d):
    """A .md whose front matter date is not a real date is refused, with its
    file and line, by wensuo-index, wensuo add and the drop folder alike
    (it was once indexed undated by the first and refused by the others),
    and a good file beside it is taken by each."""
    src = os.path.join(tmp, "src-dates")
    os.makedirs(src)
    texts = {"bad-date.md": "---\nsource: 测试\ndate: 2023-02-29\n---\n# 标题\n正文 datebadq\n",
             "good-date.md": "---\ndate: 2024-02-29\n---\n# 标题\n正文 dategoodq\n"}
    for name, text in texts.items():
        write_file(src, name, text)
    bad, good = os.path.join(src, "bad-date.md"), os.path.join(src, "good-date.md")
    db = os.path.join(tmp, "index-dates")
    out = subprocess.run([INDEXER, "--db", db, "--quiet", src], capture_output=True, text=True)
    check(out.returncode == 0 and "bad-date.md:3:" in out.stderr and "refused" in out.stderr,
          "wensuo-index on a bad front matter date: %s %s" % (out.returncode, out.stderr[-300:]))
    for term, want in (("datebadq", 0), ("dategoodq", 1)):
        s = subprocess.run([CLIENT, "search", "--db", db, "--json", term],
                           capture_output=True, text=True)
        n = json.loads(s.stdout)["total"] if s.returncode == 0 else -1
        check(n == want, "wensuo-index: %s found %s times, not %d" % (term, n, want))
    out = subprocess.run([CLIENT, "add", "--server", d.url, bad, good], capture_output=True,
                         text=True, timeout=60)
    check(out.returncode == 1 and "2023-02-29" in out.stderr and exists(d, good)
          and not exists(d, bad), "wensuo add on a bad front matter date: %s %s"
          % (out.returncode, out.stderr[-300:]))
    drop = os.path.join(tmp, "drop-dates")
    os.makedirs(drop)
    w = Daemon(os.path.join(tmp, "index-drop-dates"), tmp, "dates", "--watch", drop)
    try:
        for name, text in texts.items():
            write_file(drop, name, text)
        err = os.path.join(drop, "failed", "bad-date.md.error")
        ok = wait_for(lambda: os.path.exists(err) and
                      os.path.exists(os.path.join(drop, "done", "good-date.md")), 15)
        check(ok and "2023-02-29" in read(err) and total(w, "datebadq") == 0
              and total(w, "dategoodq") == 1, "the drop folder on a bad front matter date: %s"
              % os.listdir(drop))
        # a name of 252 bytes has no room for ".error" (255 at most): its
        # reason goes under the name cut, told apart by a hash, and names it
        long_name = "甲" * 82 + ".jsonl"
        with open(os.path.join(src, long_name), "w") as f:
            f.write('{"id":"ln1","title":"长名","body":"longnameq"}\nnot json\n')
        os.rename(os.path.join(src, long_name), os.path.join(drop, long_name))
        failed = os.path.join(drop, "failed")
        ok = wait_for(lambda: os.path.exists(os.path.join(failed, long_name)), 15)
        reasons = [n for n in os.listdir(failed) if n.endswith(".error") and n.startswith("甲")]
        text = read(os.path.join(failed, reasons[0])) if len(reasons) == 1 else ""
        check(ok and len(reasons) == 1 and len(os.fsencode(reasons[0])) <= 255
              and long_name in text and "2:" in text and total(w, "longnameq") == 0,
              "a name with no room for .error: %s %r" % (os.listdir(failed), text[:300]))
    finally:
        check(w.stop() == 0, "the daemon did not stop cleanly")


def check_replaced_while_committing(tmp):
    """a.jsonl renamed over while the first a.jsonl waits for its commit:
    the new one is read, not moved into done/ unread."""
    drop = os.path.join(tmp, "drop-replace")
    os.makedirs(drop)
    d = Daemon(os.path.join(tmp, "index-replace"), tmp, "replace", "--watch", drop, "--verbose")
    try:
        # the first a.jsonl is large enough that its commit takes a while
        filler = "数据资源管理条例的实施细则。" * 150
        write_file(drop, "a.jsonl", jsonl([doc("rp/one/%d" % i, "rponeq", filler)
                                           for i in range(250)]))
        ok = wait_for(lambda: "a.jsonl: read" in d.stderr(), 60)  # being committed now
        check(ok, "the first a.jsonl was not read: %s" % d.stderr()[-600:])
        write_file(drop, "a.jsonl", jsonl([doc("rp/two/%d" % i, "rptwoq") for i in range(3)]))
        ok = wait_for(lambda: total(d, "rptwoq") == 3
                      and not os.path.exists(os.path.join(drop, "a.jsonl")), 120)
        check(ok, "the file renamed over one being committed was lost: %s, %s, %s"
              % (total(d, "rptwoq"), os.listdir(drop), d.stderr()[-600:]))
        check(total(d, "rponeq") == 250, "the first file's documents are missing")
        check("rptwoq" in read(os.path.join(drop, "done", "a.jsonl")),
              "done/a.jsonl is not the second file")
    finally:
        check(d.stop() == 0, "the daemon did not stop cleanly")


def check_written_in_place(tmp):
    """A file written in place, a line at a time with pauses (a JSON line
    cut in two among them), is taken whole: a file is read once it has
    rested WS_WATCH_SETTLE_MS, and one written to after it was read is read
    again, not moved into done/ (or failed/, for a line still half written)
    with only its first part indexed."""
    drop = os.path.join(tmp, "drop-inplace")
    os.makedirs(drop)
    d = Daemon(os.path.join(tmp, "index-inplace"), tmp, "inplace", "--watch", drop)
    try:
        lines = [json.dumps(doc("ip/%d" % i, "ipq"), ensure_ascii=False) + "\n"
                 for i in range(12)]
        with open(os.path.join(drop, "stream.jsonl"), "w", encoding="utf-8") as f:
            for i, line in enumerate(lines):
                cut = len(line) // 2 if i == 6 else len(line)
                f.write(line[:cut])
                f.flush()
                time.sleep(0.2)
                f.write(line[cut:])
                f.flush()
                time.sleep(0.2 if i % 4 else 0.6)
        ok = wait_for(lambda: total(d, "ipq") == len(lines) and
                      not os.path.exists(os.path.join(drop, "stream.jsonl")), 30)
        check(ok, "written in place: %s of %d documents, %s in the folder, failed/: %s" % (
            total(d, "ipq"), len(lines), os.listdir(drop),
            os.listdir(os.path.join(drop, "failed")) if os.path.isdir(
                os.path.join(drop, "failed")) else None))
        check(read(os.path.join(drop, "done", "stream.jsonl")) == "".join(lines),
              "done/stream.jsonl is not the whole file")
    finally:
        check(d.stop() == 0, "the daemon did not stop cleanly")


def check_written_after_read(tmp):
    """A file written to (in place) after it was read, while its documents
    are committed, is read again, not moved into done/ with its first part
    only."""
    drop = os.path.join(tmp, "drop-after")
    os.makedirs(drop)
    d = Daemon(os.path.join(tmp, "index-after"), tmp, "after", "--watch", drop, "--verbose")
    try:
        filler = "数据资源管理条例的实施细则。" * 150  # a commit that takes a while
        path = os.path.join(drop, "grow.jsonl")
        with open(path, "w", encoding="utf-8") as f:
            f.write(jsonl([doc("ga/%d" % i, "gaq", filler) for i in range(250)]))
        ok = wait_for(lambda: "grow.jsonl: read" in d.stderr(), 60)
        check(ok, "grow.jsonl was not read: %s" % d.stderr()[-600:])
        with open(path, "a", encoding="utf-8") as f:  # the same file, longer
            f.write(jsonl([doc("gb/%d" % i, "gbq") for i in range(3)]))
        ok = wait_for(lambda: total(d, "gbq") == 3 and not os.path.exists(path), 60)
        check(ok and total(d, "gaq") == 250 and "written to after it was read" in d.stderr(),
              "a file grown after it was read: %s gaq, %s gbq, %s; %s" % (
                  total(d, "gaq"), total(d, "gbq"), os.listdir(drop), d.stderr()[-600:]))
        check("gbq" in read(os.path.join(drop, "done", "grow.jsonl")),
              "done/grow.jsonl is not the whole file")
    finally:
        check(d.stop() == 0, "the daemon did not stop cleanly")


def check_forged_log_line(tmp):
    """A file name holding a line break cannot forge a line of the log, in
    the reason of a refused file either (an empty file, whose reason names
    it)."""
    drop = os.path.join(tmp, "drop-forge")
    os.makedirs(drop)
    d = Daemon(os.path.join(tmp, "index-forge"), tmp, "forge", "--watch", drop)
    try:
        name = "a\nwensuo-searchd: watch: FORGED.txt indexed 999 documents\nb.txt"
        open(os.path.join(drop, name), "w").close()
        ok = wait_for(lambda: os.path.exists(os.path.join(drop, "failed", name)), 20)
        log = d.stderr()
        check(ok and "\\x0a" in log and
              not any(x.startswith("wensuo-searchd: watch: FORGED") for x in log.splitlines()),
              "a name with line breaks in the log: %r" % log[-600:])
    finally:
        check(d.stop() == 0, "the daemon did not stop cleanly")


def check_done_folder(tmp):
    """done/ removed is made again; done/ replaced by a file stops the
    taking of files, with a message, until it is a folder again."""
    drop = os.path.join(tmp, "drop-done")
    os.makedirs(drop)
    d = Daemon(os.path.join(tmp, "index-done"), tmp, "done", "--watch", drop, "--verbose")
    done = os.path.join(drop, "done")
    try:
        os.rmdir(done)
        write_file(drop, "one.txt", "标题\n正文 doneoneq\n")
        ok = wait_for(lambda: os.path.exists(os.path.join(done, "one.txt")), 10)
        check(ok, "done/ removed was not made again: %s %s" % (os.listdir(drop),
                                                              d.stderr()[-600:]))
        check("made it again" in d.stderr(), "no message for done/ made again")
        time.sleep(2.5)  # a rescan: nothing is indexed twice
        check(d.stderr().count("one.txt: committed") == 1,
              "one.txt committed %d times" % d.stderr().count("one.txt: committed"))
        shutil.rmtree(done, ignore_errors=True)
        with open(done, "w") as f:
            f.write("not a folder")
        write_file(drop, "two.txt", "标题\n正文 donetwoq\n")
        ok = wait_for(lambda: "no file is taken until" in d.stderr(), 10)
        check(ok, "no message for done/ replaced by a file: %s" % d.stderr()[-600:])
        write_file(drop, "three.txt", "标题\n正文 donethreeq\n")
        time.sleep(5)
        n2 = d.stderr().count("two.txt: committed")
        check(n2 == 1, "two.txt committed %d times while done/ was a file" % n2)
        check(total(d, "donethreeq") == 0 and os.path.exists(os.path.join(drop, "three.txt")),
              "a file was taken while done/ was a file")
        os.unlink(done)
        ok = wait_for(lambda: os.path.exists(os.path.join(done, "two.txt"))
                      and os.path.exists(os.path.join(done, "three.txt")), 15)
        check(ok and total(d, "donethreeq") == 1 and total(d, "donetwoq") == 1,
              "files not taken once done/ could be made again: %s %s"
              % (os.listdir(drop), d.stderr()[-600:]))
    finally:
        check(d.stop() == 0, "the daemon did not stop cleanly")


def check_socket_mode(tmp):
    """0660 under umask 000, or what --socket-mode says."""
    for extra, want in (((), 0o660), (("--socket-mode", "0600"), 0o600)):
        old = os.umask(0)
        try:
            d = Daemon(os.path.join(tmp, "index-sock"), tmp, "sock", *extra)
        finally:
            os.umask(old)
        try:
            mode = stat.S_IMODE(os.stat(d.sock).st_mode)
            check(mode == want, "socket mode %o under umask 000 with %s, not %o"
                  % (mode, list(extra), want))
        finally:
            check(d.stop() == 0, "the daemon did not stop cleanly")
    out = subprocess.run([SEARCHD, "--db", os.path.join(tmp, "index-sock"), "--socket-mode", "999"],
                         capture_output=True)
    check(out.returncode == 2, "--socket-mode 999 accepted: %s" % out.stderr)


def check_watch_holds_index(tmp):
    """A drop folder that is the index's folder, holds it or lies in it is
    refused at the start (its files would be moved to failed/), and the
    index is left where it is."""
    base = os.path.join(tmp, "overlap")
    idx = os.path.join(base, "idx")
    os.makedirs(base)
    d = Daemon(idx, tmp, "overlap")  # makes the index
    check(d.stop() == 0, "the daemon did not stop cleanly")
    os.symlink(idx, os.path.join(tmp, "overlap-link"))
    for watch in (base, idx, base + "/", os.path.join(idx, "drop"), os.path.join(base, "..", "overlap"),
                  os.path.join(tmp, "overlap-link")):
        if watch.endswith("drop"):
            os.makedirs(watch, exist_ok=True)
        out = subprocess.run([SEARCHD, "--db", idx, "--watch", watch, "--listen", "none",
                              "--unix", os.path.join(tmp, "overlap.sock")],
                             capture_output=True, text=True, timeout=20)
        check(out.returncode == 2 and "--watch" in out.stderr,
              "--watch %s over --db %s: %s %s" % (watch, idx, out.returncode, out.stderr))
        check(os.path.exists(os.path.join(idx, "XAPIANDB")), "the index moved: --watch %s" % watch)
    check(not os.path.exists(os.path.join(base, "failed")), "a failed/ folder was made")


def all_steps(tmp, run):
    run("a drop folder over the index refused", lambda: check_watch_holds_index(tmp))
    run("links and FIFOs refused", lambda: check_links_and_fifos(tmp))
    run("a FIFO swapped in", lambda: check_fifo_swapped_in(tmp))
    run("a name that is not UTF-8", lambda: check_bad_name_in_drop(tmp))
    d = Daemon(os.path.join(tmp, "index-add"), tmp, "add")
    try:
        run("bad names and FIFOs: index, add", lambda: check_bad_name_tools(tmp, d))
        run("a bad front matter date, everywhere; a long name's reason",
            lambda: check_bad_date_alike(tmp, d))
    finally:
        check(d.stop() == 0, "the daemon did not stop cleanly")
    run("renamed over while committed", lambda: check_replaced_while_committing(tmp))
    run("written in place", lambda: check_written_in_place(tmp))
    run("written to after it was read", lambda: check_written_after_read(tmp))
    run("a name that forges a log line", lambda: check_forged_log_line(tmp))
    run("done/ removed or a file", lambda: check_done_folder(tmp))
    run("the Unix socket's mode", lambda: check_socket_mode(tmp))


def main():
    return wsd.in_steps("ws-drop-", "drop", all_steps)


if __name__ == "__main__":
    sys.exit(main())
