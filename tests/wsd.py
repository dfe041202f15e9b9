"""Helpers shared by the daemon tests (test_daemon.py, test_ingest.py,
test_drop.py, test_damage.py, test_limits.py, test_slow.py, ...).

Holds: the paths of the built programs (from WS_BIN, set by ctest); check()
and the list of failures it records; Daemon, a wensuo-searchd started on a
free port of a given address and on a Unix socket, with its stderr in a log
file, stop() that can report an unclean exit and stderr(); WriterDaemon, one
set up for the write tests; UnixHTTPConnection; request()/get(), one HTTP
request answered with (status, headers, parsed JSON or text), and answer(),
the same without the headers; the write helpers (post, exists, total,
wait_for, jsonl, write_jsonl, write_file); Steps, which runs named checks and counts them;
check_logs() for sanitizer reports in the daemons' logs; other_address();
require_built(), small_index() and finish() for the tests of the daemon's
limits; on_generated_index(), the frame of the research tests over a corpus
they generate; in_steps(), the frame of the tests that run named steps in a
folder of their own. Standard library only. The tests import it from their own folder,
so nothing is installed or copied."""

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

BIN = os.environ.get("WS_BIN", "")
INDEXER = os.path.join(BIN, "indexer", "wensuo-index")
SEARCHD = os.path.join(BIN, "searcher", "wensuo-searchd")
CLIENT = os.path.join(BIN, "searcher", "wensuo")

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)
    return cond


class Daemon:
    """A wensuo-searchd process; its stderr goes to a file shown on failure.

    It listens on host, port 0 (the port it reports is self.port), and on the
    Unix socket tmp/name.sock; extra are more options. env: variables to set
    for it, None as a value to unset one; the rest of the environment is
    passed on. nofile: the files it may open (ulimit -n). With report_exit, stop() records a failure when the daemon
    does not exit with 0 after SIGTERM (once); without, the caller checks."""

    def __init__(self, db, tmp, name, *extra, env=None, host="127.0.0.1", report_exit=True,
                 nofile=None):
        self.log = os.path.join(tmp, name + ".log")
        self.sock = os.path.join(tmp, name + ".sock")
        self.host = host
        self.report_exit = report_exit
        args = [SEARCHD, "--db", db, "--listen", "%s:0" % host, "--unix", self.sock] + list(extra)
        e = dict(os.environ)
        for k, v in (env or {}).items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
        limit = None
        if nofile:  # the files it may open (ulimit -n), soft and hard
            import resource

            def limit():
                resource.setrlimit(resource.RLIMIT_NOFILE, (nofile, nofile))
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=open(self.log, "w"),
                                     env=e, preexec_fn=limit)
        line = self.proc.stdout.readline().decode()
        listening = "listening on http://%s:" % ("[%s]" % host if ":" in host else host)
        if listening not in line:
            self.proc.kill()
            self.proc.wait()
            raise RuntimeError("daemon did not start: %r\n%s" % (line, self.stderr()))
        self.port = int(line.split(listening)[1].split()[0])
        self.url = "http://127.0.0.1:%d" % self.port

    def stop(self, sig=signal.SIGTERM, timeout=30):
        """The exit status, or a text when it had to be killed."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            rc = "killed after %d s" % timeout
        if (self.report_exit and rc != 0 and sig == signal.SIGTERM
                and not getattr(self, "reported", False)):
            self.reported = True
            check(False, "%s exited with %s: %s" % (os.path.basename(self.log), rc,
                                                      self.stderr()[-2000:]))
        return rc

    def stderr(self):
        return open(self.log, errors="replace").read()


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path, timeout=30):
        super().__init__("localhost", timeout=timeout)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.path)


def request(d, method, path, body=None, headers=None, host=None, unix=False, conn=None,
            timeout=60):
    """(status, headers with lower-case names, parsed JSON or text) of one
    request to the daemon d: on conn when given, else on a new connection to
    its Unix socket (unix) or to host (127.0.0.1 by default) at its port."""
    c = conn or (UnixHTTPConnection(d.sock, timeout) if unix else
                 http.client.HTTPConnection(host or "127.0.0.1", d.port, timeout=timeout))
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        data = r.read()
        hdrs = {k.lower(): v for k, v in r.getheaders()}
        if hdrs.get("content-type", "").startswith("application/json") and data:
            return r.status, hdrs, json.loads(data)
        return r.status, hdrs, data.decode("utf-8", "replace")
    finally:
        if not conn:
            c.close()


def get(d, path, method="GET", body=None, headers=None, timeout=30):
    """request() on a new loopback connection, GET unless method says."""
    return request(d, method, path, body, headers, timeout=timeout)


def read(path):
    """The text of the file at path ("" when there is none)."""
    try:
        with open(path, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


# ---------------------------------------------------------------- writes


class WriterDaemon(Daemon):
    """Daemon with two threads and two shards, and no write token but one a
    check sets in env; stop() reports an unclean exit after SIGTERM."""

    def __init__(self, db, tmp, name, *extra, env=None, host="127.0.0.1"):
        super().__init__(db, tmp, name, "--threads", "2", "--shards", "2", *extra,
                         env=dict({"WENSUO_WRITE_TOKEN": None}, **(env or {})), host=host)


def answer(d, method, path, body=None, headers=None, **kw):
    """(status, parsed JSON or text): request() without the headers."""
    st, _, data = request(d, method, path, body, headers, **kw)
    return st, data


JSONL = {"Content-Type": "application/x-ndjson"}


def jsonl(docs):
    return "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in docs)


def post(d, docs, headers=None, **kw):
    """POST /documents of docs (a list of documents, or the body itself)."""
    body = docs if isinstance(docs, (bytes, str)) else jsonl(docs).encode()
    return answer(d, "POST", "/documents", body, dict(JSONL, **(headers or {})), **kw)


def write_jsonl(path, docs):
    """Writes docs to path as JSON lines (UTF-8); returns docs."""
    with open(path, "w", encoding="utf-8") as f:
        f.write(jsonl(docs))
    return docs


def doc_path(i):
    return "/documents/" + urllib.parse.quote(i, safe="")


def exists(d, i, **kw):
    st, _ = answer(d, "GET", doc_path(i), **kw)
    return st == 200


def total(d, term, **kw):
    st, r = answer(d, "GET", "/search?" + urllib.parse.urlencode({"q": term, "limit": 5}), **kw)
    return r["total"] if st == 200 else -st


def word_cache(d, shards, timeout=30):
    """The daemon's word cache (/stats) once it holds `shards` shards, or
    as it is after timeout seconds."""
    stats = {}

    def full():
        nonlocal stats
        st, _, j = get(d, "/stats")
        stats = (j or {}).get("word_cache") or {} if st == 200 else {}
        return stats.get("shards") == shards
    wait_for(full, timeout)
    return stats


def wait_for(cond, timeout):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if cond():
            return True
        time.sleep(0.05)
    return cond()


def write_file(folder, name, text):
    """Written under a dot name, then renamed into place, as the docs ask."""
    tmp = os.path.join(folder, "." + name + ".tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.rename(tmp, os.path.join(folder, name))


# ---------------------------------------------------------------- runs


class Steps:
    """Runs named checks one after the other, printing "NAME ok|FAILED
    (T s)" for each and counting them; a check that raises is a failure,
    not the end of the run."""

    def __init__(self):
        self.passed = self.failed = 0

    def run(self, name, step):
        t0 = time.monotonic()
        n = len(failures)
        try:
            step()
        except Exception as e:  # a crash of the test is a failure, not an abort
            check(False, "%s: %s: %s" % (name, type(e).__name__, e))
        ok = len(failures) == n
        self.passed += ok
        self.failed += not ok
        print("%-40s %s (%.1f s)" % (name, "ok" if ok else "FAILED", time.monotonic() - t0),
              flush=True)


def check_logs(tmp):
    """A failure for each daemon log (NAME.log in tmp) holding a sanitizer
    report."""
    for name in sorted(os.listdir(tmp)):
        if name.endswith(".log"):
            text = read(os.path.join(tmp, name))
            check("Sanitizer" not in text and "runtime error:" not in text,
                  "%s: %s" % (name, text[-3000:]))


def other_address():
    """A non-loopback address of this machine, or None."""
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.connect(("192.0.2.1", 9))  # no packet is sent
        a = s.getsockname()[0]
        s.close()
        return None if a.startswith("127.") else a
    except OSError:
        return None


def require_built():
    """Exits with 77 (the test skipped) unless wensuo-index and
    wensuo-searchd are built."""
    for p in (INDEXER, SEARCHD):
        if not os.access(p, os.X_OK):
            print("SKIP: %s is not built" % p)
            sys.exit(77)


def finish(ok):
    """Ends the test: exit status 1 after the count of failed checks, else
    the line ok."""
    if failures:
        print("%d check(s) failed" % len(failures))
        sys.exit(1)
    print(ok)


def small_index(tmp):
    """Indexes 20 short documents (port/0 to port/19, 港口) into tmp/index
    and returns its path; stops the test when wensuo-index fails."""
    src = os.path.join(tmp, "docs")
    os.mkdir(src)
    with open(os.path.join(src, "a.jsonl"), "w") as f:
        for i in range(20):
            f.write(json.dumps({"id": "port/%d" % i, "title": "港口 %d" % i,
                                "body": "港口建设 第%d篇" % i}, ensure_ascii=False) + "\n")
    db = os.path.join(tmp, "index")
    out = subprocess.run([INDEXER, "--db", db, "--quiet", src], capture_output=True)
    if out.returncode != 0:
        raise SystemExit("wensuo-index failed: %s" % out.stderr.decode())
    return db


def on_generated_index(prefix, name, make, body, index_args=(), daemon_args=()):
    """The frame of a test over a corpus it generates: skipped (77) unless
    wensuo-index is built; make(path) writes the corpus as JSON lines and
    returns its documents, which are indexed (index_args: more options) and
    served by a Daemon called name (daemon_args: more options); body(d, db,
    docs) checks them. Then the daemon stops, the temporary folder goes, and
    finish() ends the test; the exit status is returned."""
    if not os.path.exists(INDEXER):
        print("SKIP: WS_BIN does not hold the built programs")
        return 77
    tmp = tempfile.mkdtemp(prefix=prefix)
    d = None
    try:
        src = os.path.join(tmp, "gen.jsonl")
        docs = make(src)
        db = os.path.join(tmp, "idx")
        subprocess.run([INDEXER, "--quiet", *index_args, "--db", db, src], check=True,
                       stdout=subprocess.DEVNULL)
        d = Daemon(db, tmp, name, *daemon_args)
        body(d, db, docs)
    finally:
        if d:
            d.stop()
        shutil.rmtree(tmp, ignore_errors=True)
    finish("ok")
    return 0


def in_steps(prefix, what, body):
    """The frame of a test of named steps: 1 unless wensuo-searchd is built;
    body(tmp, run) runs its steps with run(name, step) (Steps.run) in a new
    temporary folder tmp; then the daemons' logs there are checked for
    sanitizer reports, the count is printed, and the folder goes. The exit
    status is returned."""
    if not os.path.exists(SEARCHD):
        print("wensuo-searchd not built at", SEARCHD)
        return 1
    tmp = tempfile.mkdtemp(prefix=prefix)
    steps = Steps()
    try:
        body(tmp, steps.run)
        check_logs(tmp)
        print("\n%s checks: %d passed, %d failed" % (what, steps.passed, steps.failed))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 1 if failures else 0
