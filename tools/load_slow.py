#!/usr/bin/python3
"""load_slow.py - hostile loads on wensuo-searchd, on 127.0.0.1 only, each
bounded in count and time, printing figures (no pass/fail): what slow and
greedy clients do to the others.

    tools/load_slow.py --searchd BUILD/searcher/wensuo-searchd \\
        --indexer BUILD/indexer/wensuo-index --db /work/full/idx [SCENARIO...]

Scenarios (all by default):
  trickle    1,024 connections (the default cap) each send a header byte every
             2 s; then 20 new clients ask /health: how many are answered 200
  heavy      2 clients ask a heavy query (256 common characters OR'ed, facets,
             sorted by date) over and over on --db while one asks a normal query
             20 times: the heavy query's time and the normal one's, median and max
  nonreader  150 clients ask an 8 MiB document and never read (an index of its
             own); the daemon's RSS growth, and a search's time meanwhile
  cjk        one POST of 7.7 MiB of random CJK text (an index of its own): the
             time to the answer and the daemon's peak RSS (VmHWM); then three
             such posts at once
The daemon is started by the script with the options each scenario needs
(--threads 2, as the machine the figures come from); --extra adds options.
Standard library only."""

import argparse
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


class Daemon:
    def __init__(self, searchd, db, *extra):
        self.proc = subprocess.Popen([searchd, "--db", db, "--listen", "127.0.0.1:0", "--quiet",
                                      "--threads", "2"] + list(extra),
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self.proc.stdout.readline().decode()
        if "listening on" not in line:
            raise SystemExit("the daemon did not start: %r" % line)
        self.port = int(line.split("127.0.0.1:")[1].split()[0])

    def status(self, key):
        """VmRSS or VmHWM in MiB."""
        with open("/proc/%d/status" % self.proc.pid) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1]) / 1024
        return 0

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(60)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def ask(port, target, timeout=120, method="GET", body=None, headers=""):
    """(status, seconds, body) of one request on a new connection."""
    t0 = time.monotonic()
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        head = "%s %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n%s" % (method, target, headers)
        if body is not None:
            head += "Content-Length: %d\r\n" % len(body)
        s.sendall(head.encode() + b"\r\n" + (body or b""))
        buf = b""
        while True:
            chunk = s.recv(1 << 20)
            if not chunk:
                break
            buf += chunk
    except (socket.timeout, OSError) as e:
        return None, time.monotonic() - t0, repr(e).encode()
    finally:
        s.close()
    took = time.monotonic() - t0
    try:
        status = int(buf.split(b" ", 2)[1])
    except (IndexError, ValueError):
        status = None
    return status, took, buf.partition(b"\r\n\r\n")[2]


def search(port, **params):
    return ask(port, "/search?" + urllib.parse.urlencode(params))


def trickle(args):
    d = Daemon(args.searchd, args.db, "--read-only", *args.extra)
    socks = []
    try:
        for i in range(1024):
            try:
                s = socket.create_connection(("127.0.0.1", d.port), timeout=5)
                s.sendall(b"G")
                socks.append(s)
            except OSError:
                break
        time.sleep(1)
        stop = time.monotonic() + 25
        sent = 0

        def feed():
            nonlocal sent
            while time.monotonic() < stop:
                for s in socks:
                    try:
                        s.send(b"E")
                        sent += 1
                    except OSError:
                        pass
                time.sleep(2)
        t = threading.Thread(target=feed, daemon=True)
        t.start()
        time.sleep(3)
        answers = [ask(d.port, "/health", timeout=10) for _ in range(20)]
        ok = sum(a[0] == 200 for a in answers)
        print("trickle: %d trickling connections; new clients answered 200: %d of 20 "
              "(statuses %s)" % (len(socks), ok, sorted(set(str(a[0]) for a in answers))))
    finally:
        for s in socks:
            s.close()
        d.stop()


HEAVY = " OR ".join("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可"
                    "主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力"
                    "里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些"
                    "然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但"
                    "质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果"
                    "料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计"
                    "别她手角期根论运农指几九区强放决西被干做必战先回则任取据处队南给色光门即保治北"
                    "造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采"
                    "转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才"
                    "科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低"
                    "持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便"
                    "团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格"
                    "养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严"[:256])


def heavy(args):
    d = Daemon(args.searchd, args.db, "--read-only", *args.extra)
    try:
        search(d.port, q="港口", limit=10)  # open the index on both threads
        search(d.port, q="港口", limit=10)
        alone = [search(d.port, q="碳达峰 行动方案")[1] for _ in range(10)]
        stop = time.monotonic() + 60
        heavy_times, partial = [], []

        def hammer():
            while time.monotonic() < stop:
                st, took, body = search(d.port, q=HEAVY, facets="source,type,year", sort="date")
                heavy_times.append(took)
                partial.append(b'"partial":true' in body)
        ts = [threading.Thread(target=hammer, daemon=True) for _ in range(2)]
        for t in ts:
            t.start()
        time.sleep(1)
        normal = []
        for _ in range(20):
            normal.append(search(d.port, q="碳达峰 行动方案")[1])
            time.sleep(0.05)
        stop = time.monotonic()
        for t in ts:
            t.join(120)
        print("heavy: the heavy query %.2f s median (%d runs, %d partial); a normal query alone "
              "%.3f s median, beside 2 heavy ones %.3f s median, %.3f s max"
              % (statistics.median(heavy_times), len(heavy_times), sum(partial),
                 statistics.median(alone), statistics.median(normal), max(normal)))
    finally:
        d.stop()


def own_index(args, tmp, docs):
    src = os.path.join(tmp, "docs")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "a.jsonl"), "w") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    db = os.path.join(tmp, "idx")
    subprocess.run([args.indexer, "--db", db, "--quiet", src], check=True,
                   stdout=subprocess.DEVNULL)
    return db


def nonreader(args):
    tmp = tempfile.mkdtemp(prefix="load-slow-")
    d = None
    socks = []
    try:
        rng = random.Random(1)
        big = "".join(rng.choice("港口建设发展规划绿色能源") for _ in range(int(7.9 * (1 << 20) / 3)))
        docs = [{"id": "big", "title": "大文档", "body": big}]
        docs += [{"id": "n/%d" % i, "title": "港口 %d" % i, "body": "港口建设 %d" % i}
                 for i in range(100)]
        db = own_index(args, tmp, docs)
        d = Daemon(args.searchd, db, *args.extra)
        search(d.port, q="港口")
        search(d.port, q="港口")
        rss0 = d.status("VmRSS")
        alone = statistics.median(search(d.port, q="港口")[1] for _ in range(5))
        t0 = time.monotonic()
        for i in range(150):
            s = socket.create_connection(("127.0.0.1", d.port), timeout=5)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            s.sendall(b"GET /documents/big HTTP/1.1\r\nHost: x\r\n\r\n")
            socks.append(s)
        time.sleep(0.2)
        st, during, _ = search(d.port, q="港口")
        time.sleep(3)
        rss1 = d.status("VmRSS")
        statuses = {}
        for s in socks:
            s.settimeout(0.5)
            try:
                line = s.recv(64).split(b"\r\n")[0]
            except OSError:
                line = b"(nothing)"
            statuses[line] = statuses.get(line, 0) + 1
        print("nonreader: 150 clients ask an 8 MiB document and do not read: RSS %.0f -> %.0f MiB "
              "(+%.0f); a search alone %.3f s, just after the 150 %.3f s (status %s); first "
              "lines seen: %s" % (rss0, rss1, rss1 - rss0, alone, during, st,
                                  {k.decode(): v for k, v in statuses.items()}))
        print("           peak RSS (VmHWM) %.0f MiB; %.1f s for it all" %
              (d.status("VmHWM"), time.monotonic() - t0))
    finally:
        for s in socks:
            s.close()
        if d:
            d.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def cjk(args):
    tmp = tempfile.mkdtemp(prefix="load-slow-")
    d = None
    try:
        db = own_index(args, tmp, [{"id": "seed", "title": "种子", "body": "种子"}])
        d = Daemon(args.searchd, db, *args.extra)
        rng = random.Random(7)
        def body(i):
            text = "".join(chr(rng.randrange(0x4e00, 0x9fa6)) for _ in range(int(7.7 * (1 << 20) / 3)))
            return (json.dumps({"id": "cjk/%d" % i, "body": text}, ensure_ascii=False) + "\n").encode()
        b = body(0)
        rss0 = d.status("VmRSS")
        st, took, ans = ask(d.port, "/documents", method="POST", body=b, timeout=600,
                            headers="Content-Type: application/x-ndjson\r\n")
        print("cjk: one POST of %.1f MiB of random CJK: %s in %.1f s, peak RSS %.0f MiB (from %.0f)"
              % (len(b) / (1 << 20), st, took, d.status("VmHWM"), rss0))
        bodies = [body(i) for i in (1, 2, 3)]
        out = []
        def post(bb):
            out.append(ask(d.port, "/documents", method="POST", body=bb, timeout=900,
                           headers="Content-Type: application/x-ndjson\r\n"))
        t0 = time.monotonic()
        ts = [threading.Thread(target=post, args=(bb,)) for bb in bodies]
        for t in ts:
            t.start()
        time.sleep(1)
        during = [search(d.port, q="种子")[1] for _ in range(5)]
        for t in ts:
            t.join(900)
        print("     three at once: %s in %.1f s, peak RSS %.0f MiB; a search meanwhile %.3f s "
              "median, %.3f s max" % ([o[0] for o in out], time.monotonic() - t0,
                                      d.status("VmHWM"), statistics.median(during), max(during)))
    finally:
        if d:
            d.stop()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--searchd", required=True)
    ap.add_argument("--indexer", required=True)
    ap.add_argument("--db", required=True, help="an index for the heavy queries (read only)")
    ap.add_argument("--extra", action="append", default=[], help="one more daemon option")
    ap.add_argument("scenarios", nargs="*", default=["trickle", "heavy", "nonreader", "cjk"])
    args = ap.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    for name in args.scenarios:
        globals()[name](args)
        sys.stdout.flush()


if __name__ == "__main__":
    main()
