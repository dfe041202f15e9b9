#!/bin/bash
# test_remote.sh - scaling out on Xapian's remote backend: each shard of an
# index served by its own xapian-tcpsrv, and a stub file of `remote HOST:PORT`
# lines, answer searches, facets, get and stats exactly as the local index.
#
# Environment (set by ctest): WS_BIN, the build folder; WS_SRC, the sources.
set -u

BIN=${WS_BIN:?WS_BIN is the build folder}
SRC=${WS_SRC:?WS_SRC is the source folder}
INDEX=$BIN/indexer/wensuo-index
CLIENT=$BIN/searcher/wensuo
PY=/usr/bin/python3

[ -x "$INDEX" ] && [ -x "$CLIENT" ] || { echo "SKIP: the programs are not built"; exit 77; }
command -v xapian-tcpsrv >/dev/null || { echo "SKIP: xapian-tcpsrv (xapian-tools) is not installed"; exit 77; }

. "$(dirname "$0")/lib.sh"
ws_setup remote

"$INDEX" --quiet --shards 2 --db "$TMP/local" "$SRC/corpus" >"$TMP/index.out" 2>&1 ||
    { cat "$TMP/index.out" >&2; exit 1; }

# Two free loopback ports, then one server per shard. Another process may
# take a port between the probe and the server's bind: then the server exits
# and the pair is drawn again.
start_servers() {
    read -r P0 P1 < <($PY -c '
import socket
ss = [socket.socket() for _ in range(2)]
for s in ss: s.bind(("127.0.0.1", 0))
print(*[s.getsockname()[1] for s in ss])')
    # each server in a process group of its own (setsid): the children it
    # forks for connections share its listening socket, and must go with it
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$P0" "$TMP/local/shard0" >"$TMP/srv0.log" 2>&1 &
    S0=$!
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$P1" "$TMP/local/shard1" >"$TMP/srv1.log" 2>&1 &
    S1=$!
    PIDS+=("-$S0" "-$S1") # the groups (see setsid above)
    for p in "$P0" "$P1"; do
        for i in $(seq 1 100); do
            (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null && break
            sleep 0.05
        done
    done
    kill -0 "$S0" 2>/dev/null && kill -0 "$S1" 2>/dev/null && return 0
    kill -9 -- "-$S0" "-$S1" 2>/dev/null
    return 1
}
for attempt in 1 2 3 4 5; do
    start_servers && break
    [ "$attempt" = 5 ] && fail "xapian-tcpsrv did not start: $(cat "$TMP"/srv*.log)"
done

# TCP is `remote HOST:PORT`; a leading colon would name a program to run.
mkdir -p "$TMP/remote"
printf 'remote 127.0.0.1:%s\nremote 127.0.0.1:%s\n' "$P0" "$P1" >"$TMP/remote/XAPIANDB"

# The same answers, local and remote: ids, order, scores, snippets, totals.
queries=('国务院' '"用地面积"' '新质生产力 type:policy' '产业 date:2024-01-01..' '经济 -疫情'
    '研究生' 'COVID-19' '国务院办公厅印发的数字政府建设指导意见对政务服务提出了哪些要求？')
for q in "${queries[@]}"; do
    "$CLIENT" search --db "$TMP/local" --json --limit 20 "$q" >"$TMP/l.json" 2>"$TMP/l.err" ||
        fail "local search '$q': $(cat "$TMP/l.err")"
    "$CLIENT" search --db "$TMP/remote" --json --limit 20 "$q" >"$TMP/r.json" 2>"$TMP/r.err" ||
        fail "remote search '$q': $(cat "$TMP/r.err")"
    cmp -s "$TMP/l.json" "$TMP/r.json" || fail "'$q': the remote answer differs from the local one"
    $PY -c 'import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if j["hits"] else 1)' \
        "$TMP/l.json" || [ "$q" = 'COVID-19' ] || fail "'$q' finds nothing: the test proves little"
done

# Facets (Xapian's match spies work over the remote backend; the local
# index counts by sets) and oldest first (a key maker, sent to the shards).
for db in local remote; do
    "$CLIENT" search --db "$TMP/$db" --json --facets source,type,year,month '产业' >"$TMP/$db.facets" 2>&1 ||
        fail "$db facets: $(cat "$TMP/$db.facets")"
    "$CLIENT" search --db "$TMP/$db" --json --limit 30 --sort date_asc '产业' >"$TMP/$db.asc" 2>&1 ||
        fail "$db oldest first: $(cat "$TMP/$db.asc")"
done
cmp -s "$TMP/local.facets" "$TMP/remote.facets" || fail "facets differ between local and remote"
grep -q '"month": *{"20' "$TMP/local.facets" || fail "no month facet: $(head -c 300 "$TMP/local.facets")"
cmp -s "$TMP/local.asc" "$TMP/remote.asc" || fail "oldest first differs between local and remote"

# Concordance lines and their totals, newest and oldest first, a page and
# the lines after it (over the remote backend every match is listed and its
# text read; locally the counts come from positions). The cursors name each
# index's own view, so they are left out of the comparison.
for db in local remote; do
    for sort in date date_asc relevance; do
        "$CLIENT" kwic --db "$TMP/$db" --json --limit 7 --sort $sort '产业' >"$TMP/$db.kwic.$sort" 2>&1 ||
            fail "$db kwic --sort $sort: $(cat "$TMP/$db.kwic.$sort")"
    done
done
for sort in date date_asc relevance; do
    $PY - "$TMP/local.kwic.$sort" "$TMP/remote.kwic.$sort" <<'PYEOF' || fail "kwic --sort $sort differs between local and remote"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
for x in (a, b):
    x.pop("next", None)
sys.exit(0 if a == b and a["lines"] and a["total_occurrences"] > 7 else 1)
PYEOF
done

# Exports, without and with the bodies (read a batch at a time along the
# value streams locally, each document from its shard remotely): the same
# bytes.
for db in local remote; do
    "$CLIENT" export --db "$TMP/$db" --format tsv '产业' >"$TMP/$db.export" 2>&1 ||
        fail "$db export: $(cat "$TMP/$db.export")"
    "$CLIENT" export --db "$TMP/$db" --format jsonl --fields body '产业' >"$TMP/$db.bodies" 2>&1 ||
        fail "$db export with bodies: $(cat "$TMP/$db.bodies")"
done
cmp -s "$TMP/local.export" "$TMP/remote.export" || fail "exports differ between local and remote"
cmp -s "$TMP/local.bodies" "$TMP/remote.bodies" || fail "exports with bodies differ between local and remote"
[ "$(grep -c '"body"' "$TMP/local.bodies")" -gt 2 ] || fail "the export with bodies holds none"

# A document and the statistics.
id=$($PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["hits"][0]["id"])' "$TMP/l.json" 2>/dev/null ||
    $PY -c 'import json,sys; print(json.load(open(sys.argv[1]))["hits"][0]["id"])' "$TMP/local.facets")
"$CLIENT" get --db "$TMP/local" "$id" >"$TMP/l.doc" 2>&1 || fail "local get $id: $(cat "$TMP/l.doc")"
"$CLIENT" get --db "$TMP/remote" "$id" >"$TMP/r.doc" 2>&1 || fail "remote get $id: $(cat "$TMP/r.doc")"
cmp -s "$TMP/l.doc" "$TMP/r.doc" || fail "get $id differs between local and remote"
docs() { "$CLIENT" stats --db "$1" | $PY -c 'import json,sys; print(json.load(sys.stdin)["documents"])'; }
[ "$(docs "$TMP/local")" = "$(docs "$TMP/remote")" ] || fail "stats: the document counts differ"
# the same terms and shards; the bytes of remote shards are another
# machine's: unknown (null), not the stub's few bytes
stat_of() { "$CLIENT" stats --db "$1" | $PY -c 'import json,sys; s=json.load(sys.stdin); print(s["terms"], s["shards"], s["index_bytes"])'; }
read -r lt ls lb <<<"$(stat_of "$TMP/local")"
read -r rt rs rb <<<"$(stat_of "$TMP/remote")"
[ "$lt $ls" = "$rt $rs" ] || fail "stats: terms and shards differ: $lt $ls against $rt $rs"
[ "$rb" = "None" ] && [ "$lb" -gt 100000 ] || fail "stats: index_bytes $lb locally, $rb remote (null expected)"

# The daemon serves the remote shards too (read-only: writing needs local ones).
SEARCHD=$BIN/searcher/wensuo-searchd
if [ -x "$SEARCHD" ]; then
    "$SEARCHD" --read-only --db "$TMP/remote" --listen 127.0.0.1:0 >"$TMP/sd.out" 2>&1 &
    PIDS+=($!)
    url=
    for i in $(seq 1 100); do
        url=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$TMP/sd.out")
        [ -n "$url" ] && break
        sleep 0.05
    done
    if [ -z "$url" ]; then
        fail "wensuo-searchd on remote shards did not start: $(cat "$TMP/sd.out")"
    else
        "$CLIENT" search --server "$url" --json --limit 20 '国务院' >"$TMP/d.json" 2>&1 ||
            fail "search through the daemon: $(cat "$TMP/d.json")"
        "$CLIENT" search --db "$TMP/local" --json --limit 20 '国务院' >"$TMP/l.json"
        $PY - "$TMP/l.json" "$TMP/d.json" <<'EOF' || fail "the daemon on remote shards answers otherwise"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
sys.exit(0 if a["total"] == b["total"] and [h["id"] for h in a["hits"]] == [h["id"] for h in b["hits"]] else 1)
EOF
    fi
fi

# A server that is gone: a clear error, not a crash.
kill -9 -- "-$S1" 2>/dev/null
wait "$S1" 2>/dev/null
"$CLIENT" search --db "$TMP/remote" --json '国务院' >"$TMP/gone.out" 2>"$TMP/gone.err"
rc=$?
[ "$rc" -ne 0 ] && [ "$rc" -lt 128 ] || fail "a missing shard server: exit status $rc"
grep -qi "network\|connect\|cannot open" "$TMP/gone.err" || fail "a missing shard server: $(cat "$TMP/gone.err")"

ws_finish "ok: two shards over xapian-tcpsrv answer as the local index (ports $P0 $P1)"
