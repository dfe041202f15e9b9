"""Helpers shared by the daemon tests (test_daemon.py, test_ingest.py).

Holds: the paths of the built programs (from WS_BIN, set by ctest); check()
and the list of failures it records; Daemon, a wensuo-searchd started on a
free port of a given address and on a Unix socket, with its stderr in a log
file, stop() that can report an unclean exit and stderr(); UnixHTTPConnection;
and request()/get(), one HTTP request answered with (status, headers, parsed
JSON or text). Standard library only. The tests import it from their own
folder, so nothing is installed or copied."""

import http.client
import json
import os
import signal
import socket
import subprocess

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
    passed on. With report_exit, stop() records a failure when the daemon
    does not exit with 0 after SIGTERM (once); without, the caller checks."""

    def __init__(self, db, tmp, name, *extra, env=None, host="127.0.0.1", report_exit=True):
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
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=open(self.log, "w"),
                                     env=e)
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
