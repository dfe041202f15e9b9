#!/bin/bash
# test_tty.sh - text from documents reaches a person's terminal with its
# control characters escaped: a title holding ESC[2J (clear the screen) or
# ESC]0;...BEL (set the window title), a C1 CSI, a snippet or an id with ESC,
# printed by `wensuo search`, `kwic`, `show` and `trend` locally and
# through the daemon, and an error that quotes an id, show as \x1b, \x07,
# \u009b and never as the raw bytes.
#
# Environment (set by ctest): WS_BIN, the build folder.
set -u

BIN=${WS_BIN:?WS_BIN is the build folder}
INDEX=$BIN/indexer/wensuo-index
CLIENT=$BIN/searcher/wensuo
SEARCHD=$BIN/searcher/wensuo-searchd
[ -x "$INDEX" ] && [ -x "$CLIENT" ] && [ -x "$SEARCHD" ] || { echo "SKIP: the programs are not built"; exit 77; }

. "$(dirname "$0")/lib.sh"
ws_setup tty

mkdir "$TMP/docs"
/usr/bin/python3 - "$TMP/docs/esc.jsonl" <<'PY'
import json, sys
docs = [
    {"id": "esc/1", "title": "清屏\x1b[2J标题 ttyzq", "body": "正文 ttyzq 含有\x1b]0;被改的窗口\x07标题\t制表",
     "source": "来源\x1b[2J", "type": "news\x07", "date": "2024-02-02"},
    {"id": "esc/\x1b[31m2", "title": "C1 \u009b31m 控制 ttyzq", "body": "第二 ttyzq \x07 响铃"},
]
with open(sys.argv[1], "w") as f:
    for d in docs:
        f.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
"$INDEX" --quiet --db "$TMP/idx" "$TMP/docs" >"$TMP/index.out" 2>&1 || { cat "$TMP/index.out" >&2; exit 1; }

# raw: 1 when the file holds ESC, BEL or a C1 control (UTF-8 C2 80..9F)
raw() {
    LC_ALL=C grep -q -P '\x1b|\x07|\xc2[\x80-\x9f]' "$1"
}

check_out() { # what, file
    if raw "$2"; then
        fail "$1: control characters reached the terminal raw: $(od -c "$2" | head -5)"
    fi
    grep -qF '\x1b[2J' "$2" || fail "$1: ESC[2J is not shown escaped: $(head -c 600 "$2")"
    grep -qF '\u009b31m' "$2" || fail "$1: the C1 CSI is not shown escaped: $(head -c 600 "$2")"
    grep -qF 'esc/\x1b[31m2' "$2" || fail "$1: the id's ESC is not shown escaped"
    grep -qF '清屏' "$2" || fail "$1: the Chinese text is not printed as it is"
}

"$CLIENT" search --db "$TMP/idx" ttyzq >"$TMP/local.out" 2>&1 || fail "local search failed: $(cat "$TMP/local.out")"
check_out "wensuo search --db" "$TMP/local.out"
grep -qF '\x1b]0;' "$TMP/local.out" || grep -qF '\x07' "$TMP/local.out" ||
    fail "the snippet's OSC is not shown escaped: $(cat "$TMP/local.out")"

# through the daemon (the same printing; its answers are JSON)
"$SEARCHD" --db "$TMP/idx" --read-only --listen none --unix "$TMP/d.sock" --quiet >"$TMP/d.out" 2>"$TMP/d.err" &
PIDS+=($!)
for _ in $(seq 100); do [ -S "$TMP/d.sock" ] && break; sleep 0.1; done
"$CLIENT" search --server "unix:$TMP/d.sock" ttyzq >"$TMP/remote.out" 2>&1 ||
    fail "search through the daemon failed: $(cat "$TMP/remote.out")"
check_out "wensuo search --server" "$TMP/remote.out"

# an error quoting an id with ESC (404 from the daemon)
"$CLIENT" get --server "unix:$TMP/d.sock" $'none\x1b[2J' >"$TMP/get.out" 2>&1
raw "$TMP/get.out" && fail "an error message printed ESC raw: $(od -c "$TMP/get.out" | head -3)"
grep -qF 'none\x1b[2J' "$TMP/get.out" || fail "the error does not show the id escaped: $(cat "$TMP/get.out")"

# JSON out (get, --json): DEL and the C1 controls, which JSON may hold raw,
# are \u escapes: the same JSON, nothing raw
for where in "--db $TMP/idx" "--server unix:$TMP/d.sock"; do
    # shellcheck disable=SC2086
    "$CLIENT" get $where $'esc/\x1b[31m2' >"$TMP/get2.out" 2>&1 || fail "get $where failed: $(cat "$TMP/get2.out")"
    raw "$TMP/get2.out" && fail "get $where printed a control character raw: $(od -c "$TMP/get2.out" | head -5)"
    /usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(d["title"] != "C1 \u009b31m 控制 ttyzq")' \
        "$TMP/get2.out" || fail "get $where: not the document's JSON: $(cat "$TMP/get2.out")"
    # shellcheck disable=SC2086
    "$CLIENT" kwic $where --json ttyzq >"$TMP/kwicj.out" 2>&1 || fail "kwic --json $where failed"
    raw "$TMP/kwicj.out" && fail "kwic --json $where printed a control character raw"
    /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' "$TMP/kwicj.out" ||
        fail "kwic --json $where: not JSON: $(cat "$TMP/kwicj.out")"
done

# the instruments for research print the same texts
for where in "--db $TMP/idx" "--server unix:$TMP/d.sock"; do
    # shellcheck disable=SC2086
    "$CLIENT" kwic $where --width 30 ttyzq >"$TMP/kwic.out" 2>&1 || fail "kwic $where failed: $(cat "$TMP/kwic.out")"
    raw "$TMP/kwic.out" && fail "kwic $where printed control characters raw: $(od -c "$TMP/kwic.out" | head -5)"
    grep -qF '\x1b[2J' "$TMP/kwic.out" && grep -qF '\x1b]0;' "$TMP/kwic.out" &&
        grep -qF 'esc/\x1b[31m2' "$TMP/kwic.out" || fail "kwic $where: not shown escaped: $(cat "$TMP/kwic.out")"
    # shellcheck disable=SC2086
    "$CLIENT" show $where esc/1 ttyzq >"$TMP/show.out" 2>&1 || fail "show $where failed: $(cat "$TMP/show.out")"
    raw "$TMP/show.out" && fail "show $where printed control characters raw: $(od -c "$TMP/show.out" | head -5)"
    grep -qF '清屏\x1b[2J标题' "$TMP/show.out" && grep -qF '来源\x1b[2J' "$TMP/show.out" &&
        grep -qF 'news\x07' "$TMP/show.out" && grep -qF '\x1b]0;被改的窗口\x07标题' "$TMP/show.out" ||
        fail "show $where: not shown escaped: $(cat "$TMP/show.out")"
    # a tab is white space, shown as a space (as snippets show it), not \x09
    grep -qF '\x09' "$TMP/show.out" && fail "show $where: a tab shown as \\x09: $(cat "$TMP/show.out")"
    grep -qF '标题 制表' "$TMP/show.out" || fail "show $where: the tab is not a space: $(cat "$TMP/show.out")"
    for by in source type; do
        # shellcheck disable=SC2086
        "$CLIENT" trend $where --by $by ttyzq >"$TMP/trend.out" 2>&1 || fail "trend $where failed: $(cat "$TMP/trend.out")"
        raw "$TMP/trend.out" && fail "trend --by $by $where printed control characters raw"
    done
    grep -qF 'news\x07' "$TMP/trend.out" || fail "trend $where: the type is not shown escaped: $(cat "$TMP/trend.out")"
done

# colour on a terminal only where the terminal takes it: not with TERM=dumb
# or NO_COLOR set to a value (an empty NO_COLOR is unset: no-color.org)
/usr/bin/python3 - "$CLIENT" "$TMP/idx" <<'PY' || fail "colour on a terminal: see above"
import os, subprocess, sys
client, idx = sys.argv[1], sys.argv[2]
bad = 0
for env, want in ((dict(TERM="xterm"), True), (dict(TERM="dumb"), False), (dict(TERM=""), False),
                  (dict(TERM="xterm", NO_COLOR=""), True), (dict(TERM="xterm", NO_COLOR="1"), False)):
    master, slave = os.openpty()
    e = {k: v for k, v in os.environ.items() if k not in ("TERM", "NO_COLOR")}
    e.update(env)
    p = subprocess.run([client, "search", "--db", idx, "ttyzq"], stdout=slave, stderr=subprocess.PIPE,
                       env=e, timeout=60)
    os.close(slave)
    out = b""
    try:
        while True:
            chunk = os.read(master, 65536)
            if not chunk:
                break
            out += chunk
    except OSError:
        pass
    os.close(master)
    got = b"\x1b[1" in out or b"\x1b[0m" in out
    if p.returncode != 0 or got != want:
        print("FAIL: %s: colour %s, want %s (rc %d)" % (env, got, want, p.returncode))
        bad = 1
sys.exit(bad)
PY

# output that cannot be written (a full disk, a closed stdout) is an error,
# not status 0 and half a file; a closed stdout is not handed to a file
# the program opens (the index)
if [ -w /dev/full ]; then
    for cmd in "search --json ttyzq" "kwic --json ttyzq" "stats" "export ttyzq"; do
        # shellcheck disable=SC2086
        "$CLIENT" $cmd --db "$TMP/idx" >/dev/full 2>"$TMP/full.err" &&
            fail "wensuo $cmd to a full disk exits 0"
        grep -q "cannot write the output\|cannot write the lines\|cannot write the export" "$TMP/full.err" ||
            fail "wensuo $cmd to a full disk: $(cat "$TMP/full.err")"
        [ "$(grep -c . "$TMP/full.err")" -eq 1 ] || fail "wensuo $cmd: one message, not $(cat "$TMP/full.err")"
    done
    "$INDEX" --quiet --db "$TMP/idx2" "$TMP/docs" >/dev/full 2>"$TMP/full.err" &&
        fail "wensuo-index to a full disk exits 0"
fi
"$CLIENT" search --json --db "$TMP/idx" ttyzq >&- 2>"$TMP/closed.err" &&
    fail "wensuo search with stdout closed exits 0"
grep -q "standard output is closed" "$TMP/closed.err" || fail "closed stdout: $(cat "$TMP/closed.err")"
"$INDEX" --quiet --db "$TMP/idx3" "$TMP/docs" >&- 2>/dev/null
"$CLIENT" search --json --db "$TMP/idx3" ttyzq >"$TMP/idx3.out" 2>&1 ||
    fail "an index written with stdout closed does not open: $(cat "$TMP/idx3.out")"
echo 碳达峰 | "$CLIENT" analyze <&- >"$TMP/analyze.out" 2>&1 && fail "analyze with stdin closed exits 0"

ws_finish "ok: control characters from documents are printed escaped; unwritable output fails"
