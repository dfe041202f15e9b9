#!/usr/bin/python3
"""Hostile requests, thousands of them, at the daemon's HTTP and JSON surface.

Starts wensuo-searchd (tests/wsd.py) with a write token on an index of the
sample corpus, posts two documents the right way, checks who may write
(loopback, the token, a wrong token, an Origin, another address when the
machine has one), then with a fixed seed sends batches of hostile requests
over raw sockets: request lines mutated (bad methods, huge and broken
targets, NUL bytes, bytes that are not UTF-8), headers (hundreds and
thousands of them, values of 100 KB, Content-Length twice or conflicting,
chunked bodies with bad or overflowing sizes or a missing CRLF, obs-fold,
Expect), every endpoint with hostile parameters and ids, POST bodies that
are broken JSON lines, too deep, too large or end early, DELETEs, bit flips
of good requests and random bytes. They go keep-alive or not, pipelined,
cut into random pieces with small delays, half-closed, reset, or left
stalled. Each answer must be well formed, with a fitting status (never
500); each connection must be closed by the daemon, within the idle
timeout for those left open. After every batch the daemon must answer a
normal search as before. At the end SIGTERM stops it with 0, its log holds
no sanitizer report, and the documents posted first are still there.
Standard library only. WS_BIN and WS_SRC are set by ctest."""

import collections
import concurrent.futures
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import wsd  # noqa: E402
from wsd import CLIENT, INDEXER, SEARCHD, check, failures, request  # noqa: E402

SRC = os.environ.get("WS_SRC", "")
SEED = 20261125
BATCHES = 30
PER_BATCH = 100  # requests
IDLE_MS = 500
MAX_CONNS = 64
TOKEN = "fuzz-token-0123456789abcdef"
ANCHORS = [("fuzz/anchor 一", "锚点文档 zqxjanchor 独一无二"),
           ("fuzz/anchor#二", "锚点文档 zqxjanchor 第二篇")]
PROBE = "/search?" + urllib.parse.urlencode({"q": "国务院", "limit": 5})
# what an answer may be: 503 only for the shared body budget or a full queue
STATUSES = {200, 400, 403, 404, 405, 408, 413, 414, 415, 431, 501, 505}
REPORTS = ("AddressSanitizer", "LeakSanitizer", "runtime error:", "UndefinedBehaviorSanitizer")

# ---------------------------------------------------------------- pieces

ODD = ["", "%", "%%", "%G1", "%0", "%00", "%C0%80", "%C0%AE", "%ED%A0%80", "%F4%90%80%80", "%FF",
       "%E6%B8", "\udcff\udcfe", "\udcc3(", "+", "&", "=", "==", "&&", ";",
       "%2F", "%23", "#", "..", "%2e%2e", "/", "//", "国务院", "%E5%9B%BD", "\u3000", "-1", "0",
       "1", "999999999999999999999", "1e3", "0x10", " 5", "5 ", "NaN", "source,type,year",
       "source,,", ",", "title:", '"', "(((", "date:2024..", "A" * 300, "园" * 50]


def enc(s):
    return urllib.parse.quote(s, safe="", errors="surrogateescape")


def hostile_value(rng):
    """A parameter value: proper percent-encoding, raw, broken or long."""
    r = rng.random()
    if r < 0.35:
        return enc(rng.choice(ODD) + rng.choice(ODD))
    if r < 0.6:
        return rng.choice(ODD)  # raw: broken escapes, '#', raw CJK (sent as UTF-8)
    if r < 0.7:
        return "".join(rng.choice("%0Aaz\x7f\udc80\udcc3\udcff") for _ in range(rng.randint(1, 30)))
    if r < 0.8:
        return "x" * rng.choice([4095, 4097, 5000, 10240])
    if r < 0.9:
        return enc("港" * rng.choice([100, 1400]))
    return str(rng.choice([0, 1, 10, 1000, 1001, 99000, 100000, 100001, -3, 2**64]))


def search_target(rng):
    names = ["q", "limit", "offset", "sort", "source", "type", "from", "to", "facets", "snippets"]
    ps = []
    if rng.random() < 0.9:
        ps.append("q=" + (hostile_value(rng) if rng.random() < 0.6 else enc("国务院")))
    for _ in range(rng.choice([0, 1, 2, 3, 5, 40])):
        name = rng.choice(names + ["bogus", "", "q%00", "Q", "limit[]"])
        if name == "from" or name == "to":
            v = rng.choice(["2024", "2024-01", "2024-01-31", "2024-13", "2024-02-30", "20240",
                            "99999", "abcd", "2024-1-1", "0000", hostile_value(rng)])
        elif name in ("source", "type"):
            v = rng.choice(["x" * 10240, enc("新闻联播"), "news", hostile_value(rng)])
        else:
            v = hostile_value(rng)
        ps.append(name + rng.choice(["=", "", "=="]) + v)
    return "/search?" + "&".join(ps)


def document_target(rng):
    ids = ["", "%2F", "..%2F..%2Fetc%2Fpasswd", "%00", "a%00b", "x" * 5000, "%E5%88%91%E6%B3%95",
           "%23", "%C0%AE", "%FF", "/", "//", "fuzz/anchor%20%E4%B8%80", "fz%2Fnone",
           "%E6%B8", "a?b=c", "a?", "%", "fz/" + "y" * 4097, "\t", "%09%0A"]
    return "/documents/" + rng.choice(ids) + rng.choice(["", "", "?x=1", "?", "#frag"])


def target(rng):
    r = rng.random()
    if r < 0.45:
        return search_target(rng)
    if r < 0.65:
        return document_target(rng)
    return rng.choice(["/", "/health", "/stats", "/stats?x", "/analyze?text=" + hostile_value(rng),
                       "/analyze", "/documents", "/documents/", "/nope", "*", "//search",
                       "/search/../health", "/%2e%2e/health", "http://h/health", "/%", "/%00",
                       "/" + "a" * rng.choice([8000, 8200, 20000, 100000]), "/search?" + "&" * 50,
                       "/health?" + "a=1&" * 40, "/\x80\xff", "/se arch", ""])


def head_lines(rng, body_len=None, chunked=False):
    h = ["Host: fuzz"]
    if body_len is not None:
        h.append("Content-Length: %d" % body_len)
    if chunked:
        h.append("Transfer-Encoding: chunked")
    if rng.random() < 0.1:
        h.append("Connection: " + rng.choice(["close", "keep-alive", "upgrade", "", "x" * 100]))
    return h


def ndjson_body(rng):
    """A POST body: good documents, broken lines, deep nesting, bad UTF-8..."""
    good = lambda i: json.dumps({"id": "fz/%d" % i, "title": "模糊测试", "body": "乱码 zz%d" % i,
                                 "date": "2025-01-02", "source": "fuzz", "type": "fuzz"},
                                ensure_ascii=rng.random() < 0.5)
    bad = ['{"title": "no id"}', '{"id": 5}', '{"id": ""}', '[{"id": "a"}]', '"str"', "null",
           '{"id": "a", "id": "b"}', '{"id": "a", "date": "2024-02-30"}', '{"id": "a"',
           '{"id": "%s"}' % ("i" * 5000), '{"id": "a", "date": "%s"}' % ("9" * 5000),
           "[" * 40 + "]" * 40, '{"id":"d","x":' + "[" * 3000 + "]" * 3000 + "}",
           '{"id":"d","x":' + "[" * 100000, "{" * 5000, '{"id": "\\ud800"}', '{"id": "a\\u0000b"}',
           '{"id": "a", "body": 1e999}', "\x00", "\ufeff{}", '{"id": "a"}{"id": "b"}',
           '{"id": "fz/m",\n "title": "multi"\n}', '{"id": "fz/m",\n "title": }', "", "  \t "]
    lines = []
    for i in range(rng.choice([1, 1, 2, 3, 10])):
        lines.append(good(rng.randint(0, 50)) if rng.random() < 0.6 else rng.choice(bad))
    b = "\n".join(lines).encode()
    r = rng.random()
    if r < 0.1:
        b += b"\n\xff\xfe\n"
    elif r < 0.15:
        b = b.replace(b"}", b"\xc0\x80}", 1)
    elif r < 0.2 and b:
        b = b[:rng.randrange(len(b))]
    return b


def post_request(rng):
    body = ndjson_body(rng)
    h = ["Host: fuzz"]
    ct = rng.choice(["application/json", "application/x-ndjson", "application/jsonl",
                     "APPLICATION/JSON; charset=utf-8", "text/plain", "application/jsonx",
                     "application/x-www-form-urlencoded", "", None, "multipart/form-data; b=x"])
    if ct is not None:
        h.append("Content-Type: " + ct)
    auth = rng.random()
    if auth < 0.2:
        h.append("Authorization: Bearer " + TOKEN)
    elif auth < 0.3:
        h.append("Authorization: " + rng.choice(["Bearer wrong-token-0123456789", "Bearer",
                                                 "Basic Zm9vOmJhcg==", "Bearer " + TOKEN[:-1],
                                                 "bearer   " + TOKEN, "Bearer " + TOKEN * 100]))
    if rng.random() < 0.1:
        h.append("Origin: http://evil.example")
    framing = rng.random()
    if framing < 0.7:
        h.append("Content-Length: %d" % len(body))
        data = body
    elif framing < 0.85:
        h.append("Transfer-Encoding: chunked")
        data, rest = b"", body
        while rest:
            n = rng.randint(1, 64)
            data += b"%x\r\n%s\r\n" % (n if n <= len(rest) else len(rest), rest[:n])
            rest = rest[n:]
        data += b"0\r\n\r\n"
    else:  # announced and sent differ: the rest is the next request, or it ends early
        h.append("Content-Length: %d" % max(0, len(body) + rng.choice([-5, -1, 1, 100])))
        data = body
    return ("POST /documents%s HTTP/1.1\r\n%s\r\n\r\n" % (rng.choice(["", "", "?x=1", "/"]),
                                                         "\r\n".join(h))).encode("utf-8", "surrogateescape") + data


def delete_request(rng):
    h = head_lines(rng)
    if rng.random() < 0.3:
        h.append("Authorization: Bearer " + rng.choice([TOKEN, "nope-nope-nope-nope"]))
    return ("DELETE %s HTTP/1.1\r\n%s\r\n\r\n" % (document_target(rng).replace("anchor", "nchr"),
                                                  "\r\n".join(h))).encode("utf-8", "surrogateescape")


def header_attack(rng):
    """A GET whose headers are the attack."""
    t = rng.choice(["/health", PROBE, "/stats"])
    h = ["Host: fuzz"]
    body = b""
    kind = rng.randrange(12)
    if kind == 0:
        h += ["X-%d: v" % i for i in range(rng.choice([99, 100, 101, 3000]))]
    elif kind == 1:
        h.append("X-Big: " + "v" * rng.choice([16000, 16500, 100 * 1024]))
    elif kind == 2:
        h += ["Content-Length: 3", "Content-Length: " + rng.choice(["3", "4", "0", "-1"])]
        body = b"abc"
    elif kind == 3:
        h += ["Content-Length: " + rng.choice(["abc", "99999999999999999999999", "1 2", "+3",
                                               "18446744073709551616", " 3", "0x3"])]
        body = b"abc"
    elif kind == 4:
        h += ["Content-Length: 3", "Transfer-Encoding: chunked"]
        body = b"3\r\nabc\r\n0\r\n\r\n"
    elif kind == 5:
        h.append("Transfer-Encoding: " + rng.choice(["chunked", "gzip, chunked", "chunked, gzip",
                                                     "identity", "chunked\x00"]))
        body = rng.choice([b"zz\r\nab\r\n0\r\n\r\n", b"-1\r\n\r\n", b"ffffffffffffffffffff\r\n",
                           b"3\r\nabcde\r\n0\r\n\r\n", b"3abc\r\n0\r\n\r\n", b"3\r\nabc0\r\n\r\n",
                           b"800000\r\nab", b"3;ext=" + b"e" * 9000 + b"\r\nabc\r\n0\r\n\r\n",
                           b"0\r\nTrailer: " + b"t" * 20000 + b"\r\n\r\n",
                           b"1\r\na\r\n" * 500 + b"0\r\n\r\n", b"7fffffffffffffff\r\n"])
    elif kind == 6:
        h += ["X-Fold: a", " b", "\tc"]
    elif kind == 7:
        h += [rng.choice(["NoColon", ": empty name", "Sp ace: v", "X:\x00v", "X\x00: v",
                          "X: \xff\xfe", "X: " + "\u6e2f" * 5, "Host: a", "Host:"])]
    elif kind == 8:
        h += ["Expect: 100-continue", "Content-Length: %d" % rng.choice([0, 3, 10000000])]
        body = b"abc"
    elif kind == 9:
        h += ["Connection: close", "Connection: keep-alive", "Connection: upgrade",
              "Upgrade: websocket"]
    elif kind == 10:
        h += ["Authorization: Bearer " + TOKEN, "Origin: null", "Cookie: " + "c=1; " * 1000]
    else:
        h += ["Content-Length: 9437184"]  # 9 MiB announced, a few bytes sent
        body = b"x" * 1000
    return ("GET %s HTTP/1.1\r\n%s\r\n\r\n" % (t, "\r\n".join(h))).encode("utf-8",
                                                                           "surrogateescape") + body


def line_attack(rng):
    """A mutated request line."""
    method = rng.choice(["GET", "GET", "HEAD", "POST", "DELETE", "PUT", "PATCH", "OPTIONS",
                         "TRACE", "CONNECT", "PROPFIND", "get", "GETT", "G\x00T", "", "M" * 5000,
                         "\u83b7\u53d6"])
    version = rng.choice(["HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/0.9", "HTTP/1.",
                          "HTTP/11.1", "HTTP/1.1 extra", "", "http/1.1", "HTTP/9.9"])
    sp = rng.choice([" ", " ", "  ", "\t"])
    eol = rng.choice(["\r\n", "\r\n", "\n", "\r"])
    line = method + sp + target(rng) + (sp + version if version else "")
    if method == "POST" and rng.random() < 0.5:
        return (line + eol + "Host: x" + eol + "Content-Type: application/json" + eol +
                "Content-Length: 11" + eol + eol + '{"id":"fz"}').encode("utf-8", "surrogateescape")
    return (line + eol + "Host: x" + eol + eol).encode("utf-8", "surrogateescape")


def good_request(rng):
    t = rng.choice([PROBE, "/health", "/stats", "/documents/fuzz%2Fanchor%20%E4%B8%80",
                    "/analyze?text=" + enc("园区用地面积949.21公顷")])
    return ("GET %s HTTP/1.1\r\nHost: fuzz\r\n\r\n" % t).encode()


def mutate(rng, b):
    b = bytearray(b)
    for _ in range(rng.randint(1, 8)):
        op, i = rng.randrange(4), rng.randrange(len(b) + 1)
        if op == 0 and i < len(b):
            b[i] ^= 1 << rng.randrange(8)
        elif op == 1:
            b[i:i] = bytes([rng.choice([0, 10, 13, 32, 37, 58, 0x80, 0xff, rng.randrange(256)])])
        elif op == 2 and i < len(b):
            del b[i]
        else:
            b[i:i] = b[i:i + rng.randint(1, 40)]
    return bytes(b)


def one_request(rng):
    """(bytes, framed): framed when its framing is sound, so that it must be answered."""
    r = rng.random()
    if r < 0.25:
        t = search_target(rng) if rng.random() < 0.7 else target(rng)
        m = rng.choice(["GET", "GET", "GET", "HEAD"])
        return ("%s %s HTTP/1.1\r\nHost: fuzz\r\n\r\n" % (m, t)).encode("utf-8", "surrogateescape"), False
    if r < 0.35:
        return ("GET %s HTTP/1.1\r\nHost: fuzz\r\n\r\n" % document_target(rng)).encode(
            "utf-8", "surrogateescape"), False
    if r < 0.5:
        return post_request(rng), False
    if r < 0.55:
        return delete_request(rng), False
    if r < 0.67:
        return header_attack(rng), False
    if r < 0.77:
        return line_attack(rng), False
    if r < 0.87:
        return mutate(rng, rng.choice([good_request(rng), post_request(rng)])), False
    if r < 0.9:
        return bytes(rng.randrange(256) for _ in range(rng.randint(1, 3000))), False
    return good_request(rng), True


# ---------------------------------------------------------------- delivery


def parse_answers(data, head):
    """[(status, headers, body)] of the answers in data; ValueError when malformed.
    head: some request was a HEAD (whose answer has no body)."""
    out = []
    while data:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            raise ValueError("an answer cut short: %r" % data[:200])
        lines = data[:end].decode("latin-1").split("\r\n")
        data = data[end + 4:]
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or parts[0] != "HTTP/1.1" or not parts[1].isdigit():
            raise ValueError("a bad status line: %r" % lines[0])
        st = int(parts[1])
        hdrs = {}
        for l in lines[1:]:
            k, _, v = l.partition(":")
            hdrs[k.strip().lower()] = v.strip()
        if st == 100:
            continue
        n = int(hdrs.get("content-length", "-1"))
        # a HEAD is answered without a body, unless it was not read as one
        if head and (len(data) < n or data.startswith(b"HTTP/1.1 ")):
            n = 0
        if n < 0 or len(data) < n:
            raise ValueError("status %d: a body shorter than its Content-Length" % st)
        body, data = data[:n], data[n:]
        if n and hdrs.get("content-type", "").startswith("application/json"):
            j = json.loads(body)  # raises ValueError
            if st >= 400 and not (isinstance(j, dict) and j.get("error")):
                raise ValueError("status %d without an error message: %r" % (st, body[:200]))
        out.append((st, hdrs, body))
    return out


def connect(d, via):
    if via == "unix":
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(d.sock)
        return s
    return socket.create_connection((via, d.port), timeout=10)


def run_conn(d, spec):
    """Sends the requests of spec on one connection as spec says; returns a
    problem in words, or None."""
    rng = random.Random(spec["seed"])
    data = b"".join(b for b, _ in spec["reqs"])
    s = connect(d, spec["via"])
    try:
        if spec["mode"] == "pieces":
            i = 0
            while i < len(data):
                n = rng.choice([1, 2, 7, 100, 1000, 20000])
                s.sendall(data[i:i + n])
                i += n
                if rng.random() < 0.2:
                    time.sleep(rng.random() * 0.003)
        else:
            s.sendall(data)
        if spec["mode"] == "reset":
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            s.close()
            return None
        if spec["mode"] == "noread":  # asks for much, reads nothing: closed after the timeout
            time.sleep(IDLE_MS / 1000 + 1.5)
            s.settimeout(5)
            try:
                while s.recv(1 << 20):
                    pass
            except (socket.timeout, TimeoutError):
                return "a client that does not read its answers left open"
            except OSError:
                pass
            s.close()
            return None
        if spec["half_close"]:
            s.shutdown(socket.SHUT_WR)
    except OSError:  # EPIPE, ECONNRESET, ENOTCONN
        pass  # the daemon answered and closed before all was sent: allowed
    limit = (IDLE_MS / 1000 + 4) if not spec["half_close"] else 8
    start, got, reset = time.monotonic(), b"", False
    while True:
        s.settimeout(max(0.1, start + limit - time.monotonic()))
        try:
            chunk = s.recv(65536)
        except (socket.timeout, TimeoutError):
            s.close()
            return "left open %.1f s after the last byte sent" % limit
        except ConnectionResetError:
            reset = True
            break
        if not chunk:
            break
        got += chunk
    s.close()
    head = any(b"HEAD" in b for b, _ in spec["reqs"])
    try:
        answers = parse_answers(got, head)
    except ValueError as e:
        if reset:
            return None  # a reset may cut the answer; only garbage gets one
        return "malformed answer: %s" % e
    spec["statuses"] = [a[0] for a in answers]
    for st, hdrs, body in answers:
        if st not in STATUSES and not (st == 503 and b"try again" in body):
            return "answered %d: %r" % (st, body[:300])
    if all(f for _, f in spec["reqs"]):  # (garbage may hold more requests than it seems)
        want = len(spec["reqs"])
        if reset or len(answers) != want:
            return "%d answers to %d sound requests%s: %s" % (
                len(answers), want, " (reset)" if reset else "", [a[0] for a in answers])
        if any(st != 200 for st, _, _ in answers):
            return "a sound request answered %s" % [st for st, _, _ in answers]
    return None


def make_conns(rng, n, other, noread=False):
    conns = []
    while n > 0:
        k = min(n, rng.choice([1, 1, 1, 2, 3, 8]))
        n -= k
        reqs = [one_request(rng) for _ in range(k)]
        r = rng.random()
        mode = "pieces" if r < 0.3 else "reset" if r < 0.35 else "whole"
        # most say they are done; a few are left open for the idle timeout to close
        half_close = rng.random() < 0.97
        if rng.random() < 0.02:  # a request left unfinished
            b, _ = reqs[-1]
            reqs[-1] = (b[:rng.randrange(1, len(b))] if len(b) > 1 else b, False)
        via = rng.choice(["127.0.0.1"] * 6 + ["unix", other or "unix"])
        conns.append({"reqs": reqs, "mode": mode, "half_close": half_close, "via": via,
                      "seed": rng.randrange(1 << 30)})
    if noread:  # big answers, never read
        t = "/analyze?text=" + enc("园区用地面积949.21公顷，" * 120)
        req = ("GET %s HTTP/1.1\r\nHost: f\r\n\r\n" % t).encode()
        conns.append({"reqs": [(req, True)] * 60, "mode": "noread", "half_close": False,
                      "via": "127.0.0.1", "seed": 0})
    return conns


# ---------------------------------------------------------------- checks


def search_ok(d, baseline):
    try:
        st, _, j = request(d, "GET", PROBE, timeout=20)
        st2, _, a = request(d, "GET", "/search?q=zqxjanchor&limit=10", timeout=20)
    except (OSError, ValueError) as e:
        return "normal search failed: %s" % e
    if st != 200 or [h["id"] for h in j["hits"]] != baseline:
        return "normal search answered %d: %s" % (st, str(j)[:300])
    if st2 != 200 or sorted(h["id"] for h in a["hits"]) != sorted(i for i, _ in ANCHORS):
        return "the posted documents are not found: %d %s" % (st2, str(a)[:300])
    return None


def post(d, doc, headers=None, host=None):
    h = {"Content-Type": "application/json"}
    h.update(headers or {})
    return request(d, "POST", "/documents", json.dumps(doc).encode(), h, host=host)[0]


def check_writers(d, other):
    (i1, t1), (i2, t2) = ANCHORS
    check(post(d, {"id": i1, "title": "锚点", "body": t1}) == 200, "loopback post refused")
    check(post(d, {"id": i2, "body": t2}, {"Authorization": "Bearer " + TOKEN}) == 200,
          "post with the token refused")
    bad = {"id": "fz/refused", "body": "zqxjanchor"}
    check(post(d, bad, {"Authorization": "Bearer " + "x" * len(TOKEN)}) == 403,
          "wrong token from loopback not refused")
    check(post(d, bad, {"Origin": "http://evil.example"}) == 403, "Origin without token taken")
    st = request(d, "POST", "/documents", b'{"id":"fz/refused"}', {"Content-Type": "text/plain"})
    check(st[0] == 415, "text/plain post: %d" % st[0])
    if other:
        check(post(d, bad, host=other) == 403, "post from %s without the token taken" % other)
        check(post(d, {"id": i2, "body": t2}, {"Authorization": "Bearer " + TOKEN}, other) == 200,
              "post from %s with the token refused" % other)
        st = request(d, "DELETE", "/documents/fz%2Fnone", host=other)[0]
        check(st == 403, "delete from %s without the token: %d" % (other, st))
    st = request(d, "DELETE", "/documents/fz%2Fnone")[0]
    check(st == 404, "delete of a missing id: %d" % st)


def check_conn_cap(d, cap):
    """More idle connections than --max-connections: each new one takes the
    place of the one idle longest, which is closed, and is served (503 is
    for a cap reached by connections being answered: test_slow)."""
    socks = []
    for _ in range(cap + 10):
        socks.append(socket.create_connection(("127.0.0.1", d.port), timeout=5))
        time.sleep(0.01)  # an order of age
    closed = 0
    for s in socks[:10]:
        try:
            closed += s.recv(100) == b""
        except OSError:
            closed += 1
    served = 0
    for s in socks[-10:]:
        try:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            served += s.recv(100).startswith(b"HTTP/1.1 200 ")
        except OSError:
            pass
    check(closed == 10 and served == 10, "%d connections at a cap of %d: %d of the 10 oldest "
          "closed, %d of the 10 newest served" % (cap + 10, cap, closed, served))
    for s in socks:
        s.close()


def fuzz(d, rng, other, baseline, pool, batches, seen):
    """Runs the batches; returns the number of requests sent. seen counts
    the statuses answered."""
    problems, sent = {}, 0
    for batch in range(batches):
        conns = make_conns(rng, PER_BATCH, other, noread=batch % 10 == 5)
        if batch == 0:  # one chunked body over 8 MiB, sent whole
            big = b"ffff\r\n" + b"a" * 0xffff + b"\r\n"
            conns.append({"reqs": [(b"POST /documents HTTP/1.1\r\nHost: f\r\nContent-Type: "
                                    b"application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    + big * 130, False)],
                          "mode": "whole", "half_close": True, "via": "127.0.0.1", "seed": 1})
        for spec, why in zip(conns, pool.map(lambda c: run_conn(d, c), conns)):
            if why and why[:60] not in problems:
                problems[why[:60]] = (why, spec)
        sent += sum(len(c["reqs"]) for c in conns)
        for c in conns:
            seen.update(c.get("statuses", []))
        if d.proc.poll() is not None:
            check(False, "the daemon died in batch %d (exit %s)" % (batch, d.proc.returncode))
            break
        why = search_ok(d, baseline)
        if not check(why is None, "after batch %d: %s" % (batch, why)):
            break
    for why, spec in problems.values():
        check(False, "%s\n  on a %s connection%s: %r" % (
            why, spec["mode"] + " " + spec["via"], "" if spec["half_close"] else " left open",
            [b[:300] for b, _ in spec["reqs"]]))
    return sent


def main():
    for p in (INDEXER, SEARCHD, CLIENT):
        if not os.access(p, os.X_OK):
            print("SKIP: %s is not built" % p)
            return 77
    t0 = time.monotonic()
    rng = random.Random(SEED)
    other = wsd.other_address()
    with tempfile.TemporaryDirectory(prefix="ws_test_fuzz_http.") as tmp, \
            concurrent.futures.ThreadPoolExecutor(24) as pool:
        db = os.path.join(tmp, "db")
        subprocess.run([INDEXER, "--quiet", "--shards", "2", "--db", db,
                        os.path.join(SRC, "corpus")], check=True)
        d = wsd.Daemon(db, tmp, "fuzz", "--idle-timeout", str(IDLE_MS), "--write-token", TOKEN,
                       "--max-connections", str(MAX_CONNS),
                       host="0.0.0.0" if other else "127.0.0.1")
        try:
            st, _, j = request(d, "GET", PROBE)
            baseline = [h["id"] for h in j["hits"]] if st == 200 else None
            check(baseline, "the probe search: %d %s" % (st, j))
            check_writers(d, other)
            check(search_ok(d, baseline) is None, "before the fuzz: %s" % search_ok(d, baseline))
            seen = collections.Counter()
            sent = fuzz(d, rng, other, baseline, pool, BATCHES, seen)
            # every kind of refusal was provoked, or the test proves little
            missing = STATUSES - set(seen)
            check(not missing, "no answer with status %s (answered: %s)" % (sorted(missing),
                                                                          dict(seen)))
            if d.proc.poll() is None:
                check_conn_cap(d, MAX_CONNS)
                # the daemon sees the closes on its own time: until then a new
                # connection may still be over the cap (503)
                why = search_ok(d, baseline)
                for _ in range(50):
                    if why is None:
                        break
                    time.sleep(0.1)
                    why = search_ok(d, baseline)
                check(why is None, "after the connection cap: %s" % why)
            # SIGTERM in the middle of one more batch: every request in hand is
            # answered or its connection closed, and the daemon exits with 0
            last = [c for c in make_conns(rng, PER_BATCH, other) if c["mode"] != "noread"]
            running = pool.map(lambda c: run_conn(d, c), last)
            time.sleep(0.3)
            d.stop(signal.SIGTERM)  # records a failure when it does not exit with 0
            list(running)
        finally:
            if d.proc.poll() is None:
                d.proc.kill()
                d.proc.wait()
        log = d.stderr()
        check(not any(r in log for r in REPORTS), "a sanitizer report:\n" + log[-4000:])
        for i, _ in ANCHORS:  # the index, on disk, still holds what was posted first
            out = subprocess.run([CLIENT, "get", "--db", db, i], capture_output=True)
            check(out.returncode == 0 and i.encode() in out.stdout,
                  "after the fuzz the index lacks %s: %s" % (i, out.stderr[-500:]))
    if failures:
        print("FAIL: %d problems" % len(failures))
        return 1
    print("ok: %d hostile requests in %d batches, then SIGTERM under fire; %.1f s; answers %s%s"
          % (sent + len(last), BATCHES, time.monotonic() - t0, dict(sorted(seen.items())),
        "" if other else " (no other address: remote writes not tried)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
