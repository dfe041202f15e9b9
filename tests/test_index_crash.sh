#!/bin/bash
# test_index_crash.sh - wensuo-index when things go wrong: killed with SIGKILL
# in the middle of a run (the index opens and holds whole batches; a re-run
# completes it with every document once), interrupted with SIGINT, a second
# writer on the same index, a malformed JSONL line, and nothing to index.
#
# Environment (set by ctest): WS_BIN, the build folder.
set -u

BIN=${WS_BIN:?WS_BIN is the build folder}
INDEX=$BIN/indexer/wensuo-index
CLIENT=$BIN/searcher/wensuo
PY=/usr/bin/python3
NDOCS=20000
BATCH=200

[ -x "$INDEX" ] || { echo "SKIP: $INDEX is not built"; exit 77; }
$PY -c 'import xapian' 2>/dev/null || { echo "SKIP: python3-xapian is not installed"; exit 77; }

. "$(dirname "$0")/lib.sh"
ws_setup crash

# ---- the documents: NDOCS small Chinese documents, one a line ----------------
$PY - "$NDOCS" >"$TMP/docs.jsonl" <<'EOF'
import json, random, sys
random.seed(2024)
parts = ["国务院办公厅印发通知", "园区用地面积由原来的949.21公顷扩大至1106.10公顷",
         "章贡区推进产业链现代化", "個體工商戶的債務以個人財產承擔", "5G基站总数达到337.7万个",
         "COVID-19疫情以来经济持续恢复", "新质生产力加快发展", "研究生招生考试报名开始",
         "碳达峰碳中和目标稳步推进", "2024年新增耕地2.5万亩"]
for i in range(int(sys.argv[1])):
    body = "，".join(random.choice(parts) for _ in range(random.randint(3, 8))) + "。"
    print(json.dumps({"id": "doc-%05d" % i, "title": "第%d号文件：%s" % (i, random.choice(parts)),
                      "body": body, "date": "%04d-%02d-%02d" % (2000 + i % 25, 1 + i % 12, 1 + i % 28),
                      "source": random.choice(["新华社", "人民日报", "赣南日报", "国务院"]),
                      "type": random.choice(["news", "law", "policy", "report"])},
                     ensure_ascii=False))
EOF
[ "$(wc -l <"$TMP/docs.jsonl")" -eq "$NDOCS" ] || { echo "cannot generate the documents" >&2; exit 1; }

# Prints "total shard0 shard1 ..." document counts of the index in $1, opening
# every shard the way any Xapian reader would; fails when one does not open.
counts() {
    $PY - "$1" <<'EOF'
import os, sys, xapian
d = sys.argv[1]
shards = [l.split()[1] for l in open(os.path.join(d, "XAPIANDB")) if l.startswith("auto ")]
per = [xapian.Database(os.path.join(d, s)).get_doccount() for s in shards]
print(xapian.Database(d).get_doccount(), *per)
EOF
}

# Checks that the index in $1 holds exactly the ids doc-00000 ... once each.
check_ids() {
    $PY - "$1" "$NDOCS" <<'EOF'
import sys, xapian
db = xapian.Database(sys.argv[1])
n = int(sys.argv[2])
ids = {}
for t in db.allterms("Q"):
    ids[t.term.decode()[1:]] = t.termfreq
want = {"doc-%05d" % i for i in range(n)}
bad = [i for i, f in ids.items() if f != 1]
if db.get_doccount() != n or set(ids) != want or bad:
    print("doccount %d, %d ids, %d missing, %d unexpected, %d more than once"
          % (db.get_doccount(), len(ids), len(want - set(ids)), len(set(ids) - want), len(bad)))
    sys.exit(1)
EOF
}

# ---- 1. SIGKILL in the middle: the index opens and holds whole batches ---------
DB=$TMP/killed
# The file twice, so that the run lasts even on a fast machine (the second pass
# replaces the documents of the first).
# (--batch-kb large: here the count of documents alone decides a commit)
"$INDEX" --quiet --batch $BATCH --batch-kb 1048576 --db "$DB" "$TMP/docs.jsonl" "$TMP/docs.jsonl" \
    >"$TMP/kill.out" 2>"$TMP/kill.err" &
pid=$!
PIDS+=("$pid")
# About a second, and at least one committed batch.
for i in $(seq 1 100); do
    sleep 0.1
    kill -0 "$pid" 2>/dev/null || break
    [ "$i" -ge 10 ] && [ -f "$DB/XAPIANDB" ] && c=$(counts "$DB" 2>/dev/null) &&
        [ "${c%% *}" -gt 0 ] && break
done
kill -9 "$pid" 2>/dev/null
wait "$pid" 2>/dev/null
rc=$?
if [ "$rc" -ne 137 ]; then
    fail "wensuo-index ended (status $rc) before it could be killed: make the input larger"
    cat "$TMP/kill.err" >&2
fi
if ! killed=$(counts "$DB"); then
    fail "the index does not open after SIGKILL"
    killed="0"
fi
read -r -a kc <<<"$killed"
echo "after SIGKILL: ${kc[0]} documents (shards: ${kc[*]:1})"
[ "${kc[0]}" -gt 0 ] || fail "no committed batch survived SIGKILL"
[ "${kc[0]}" -lt "$NDOCS" ] || [ "$rc" -ne 137 ] ||
    echo "note: the first pass was complete when killed"
# The index is searchable as it stands.
if [ -x "$CLIENT" ]; then
    docs=$("$CLIENT" stats --db "$DB" | $PY -c 'import json,sys; print(json.load(sys.stdin)["documents"])')
    [ "$docs" = "${kc[0]}" ] || fail "wensuo stats says $docs documents, Xapian ${kc[0]}"
    "$CLIENT" search --db "$DB" --json '国务院办公厅' | $PY -c 'import json,sys; j=json.load(sys.stdin); assert j["total"] >= 0' ||
        fail "wensuo search does not answer on the killed index"
else
    echo "note: $CLIENT is not built; checked with python3-xapian only"
fi

# ---- the re-run completes it: every document exactly once ---------------------
"$INDEX" --quiet --batch $BATCH --batch-kb 1048576 --db "$DB" "$TMP/docs.jsonl" >"$TMP/rerun.out" \
    2>"$TMP/rerun.err" ||
    fail "the re-run failed: $(cat "$TMP/rerun.err")"
grep -q "holds $NDOCS documents" "$TMP/rerun.out" || fail "re-run summary: $(cat "$TMP/rerun.out")"
check_ids "$DB" || fail "the re-run does not hold every document exactly once"
final=$(counts "$DB")
read -r -a fc <<<"$final"
# Each shard commits every BATCH of its own documents: what survived the kill
# is a whole number of batches in each shard (or all of that shard).
for ((s = 1; s < ${#kc[@]}; s++)); do
    if [ $((kc[s] % BATCH)) -ne 0 ] && [ "${kc[s]}" -ne "${fc[s]}" ]; then
        fail "shard $((s - 1)) held ${kc[s]} documents after SIGKILL, not a multiple of $BATCH"
    fi
done

# ---- 2. a second writer while the first runs; then SIGINT ----------------------
# start_busy DB OUT: wensuo-index over docs.jsonl twice in the background
# (its pid in $pid), once its shards are open and locked
start_busy() {
    "$INDEX" --quiet --db "$1" "$TMP/docs.jsonl" "$TMP/docs.jsonl" >"$2" 2>"$2.err" &
    pid=$!
    PIDS+=("$pid")
    for i in $(seq 1 100); do
        [ -f "$1/XAPIANDB" ] && break # written once the shards are open, and locked
        sleep 0.05
    done
}
# stopped_by SIG STATUS DB OUT: the run signalled stops with STATUS, says
# "(interrupted)", and its summary's count is what the index holds
stopped_by() {
    kill -"$1" "$pid"
    wait "$pid"
    rc=$?
    [ "$rc" -eq "$2" ] || fail "wensuo-index after SIG$1 exits $rc, not $2"
    grep -q "(interrupted)" "$4" || fail "no '(interrupted)' after SIG$1 in: $(cat "$4")"
    held=$(sed -n 's/.* holds \([0-9]*\) documents.*/\1/p' "$4")
    c=$(counts "$3") || fail "the index does not open after SIG$1"
    if [ -z "$held" ] || [ "${c%% *}" != "$held" ]; then
        fail "after SIG$1 the summary says '$held' documents, the index holds ${c%% *}"
    fi
}
DB2=$TMP/busy
start_busy "$DB2" "$TMP/busy.out"
if kill -0 "$pid" 2>/dev/null; then
    "$INDEX" --quiet --db "$DB2" "$TMP/docs.jsonl" >"$TMP/second.out" 2>"$TMP/second.err"
    rc=$?
    [ "$rc" -ne 0 ] || fail "a second wensuo-index on a busy index exits 0"
    grep -q "being written by another process" "$TMP/second.err" ||
        fail "the second writer's message: $(cat "$TMP/second.err")"
    # Ctrl-C: the first stops, commits what it took, and says so.
    stopped_by INT 130 "$DB2" "$TMP/busy.out"
else
    wait "$pid"
    fail "the first writer ended before the second could try"
fi
# SIGTERM likewise, its own status (143, as a shell counts 128 + 15), the
# queued documents dropped rather than indexed
start_busy "$TMP/busyterm" "$TMP/term.out"
sleep 0.3
stopped_by TERM 143 "$TMP/busyterm" "$TMP/term.out"

# ---- 3. a malformed line is reported as file:line, the rest indexed -----------
SMALL=$TMP/small.jsonl
{
    echo '{"id": "a1", "title": "国务院办公厅通知", "body": "园区用地面积扩大。"}'
    echo '{"id": "a2", "title": "第二篇", "body": "章贡区产业链。"}'
    echo '{"id": "a3", "title": "坏的一行", "body": '
    echo '{"id": "a4", "title": "第四篇", "body": "碳达峰行动方案。"}'
    echo 'not json at all 不是JSON'
    echo '{"id": "a6", "title": "第六篇", "body": "研究生命起源。"}'
} >"$SMALL"
DB3=$TMP/small
"$INDEX" --quiet --db "$DB3" "$SMALL" >"$TMP/small.out" 2>"$TMP/small.err"
rc=$?
[ "$rc" -eq 0 ] || fail "a file with some bad lines exits $rc"
grep -q "small.jsonl:3: " "$TMP/small.err" || fail "line 3 is not reported: $(cat "$TMP/small.err")"
grep -q "small.jsonl:5: " "$TMP/small.err" || fail "line 5 is not reported: $(cat "$TMP/small.err")"
c=$(counts "$DB3") || fail "the small index does not open"
[ "${c%% *}" = 4 ] || fail "the small index holds ${c%% *} documents, not 4"

# ---- 4. --batch-kb: a commit every N KB of text, whatever the count ------------
# Each commit is a new revision of its shard: with 64 KB a commit and no limit
# on the count, each shard has at least its share of the text / 64 KB of them.
DB4=$TMP/bykb
"$INDEX" --quiet --batch 1000000 --batch-kb 64 --shards 2 --db "$DB4" "$TMP/docs.jsonl" \
    >"$TMP/bykb.out" 2>"$TMP/bykb.err" || fail "--batch-kb 64 failed: $(cat "$TMP/bykb.err")"
$PY - "$DB4" "$TMP/docs.jsonl" <<'EOF' || fail "--batch-kb does not commit by the size of the text"
import json, os, sys, xapian
d = sys.argv[1]
text = sum(len(j["title"].encode()) + len(j["body"].encode())
           for j in map(json.loads, open(sys.argv[2], encoding="utf-8")))
revs = [xapian.Database(os.path.join(d, "shard%d" % i)).get_revision() for i in range(2)]
want = text // 2 // (64 * 1024) // 2  # half the text a shard; allow for an uneven split
print("text %d KB, shard revisions %s" % (text // 1024, revs))
sys.exit(0 if min(revs) >= want and min(revs) > 1 else 1)
EOF
if "$INDEX" --quiet --batch-kb 0 --db "$TMP/zero" "$TMP/docs.jsonl" 2>/dev/null; then
    fail "--batch-kb 0 is accepted"
fi

# ---- 5. an index of another term scheme is refused, not answered wrongly ------
DB5=$TMP/oldformat
"$INDEX" --quiet --shards 1 --db "$DB5" "$SMALL" >/dev/null 2>&1 || fail "indexing $SMALL failed"
set_format() {
    $PY - "$DB5/shard0" "$1" <<'EOF'
import sys, xapian
db = xapian.WritableDatabase(sys.argv[1], xapian.DB_OPEN)
want = {"3": [b"5"], "10": [b"3"], "": [b"10"]}[sys.argv[2]]
assert db.get_metadata("wensuo.format") in want, db.get_metadata("wensuo.format")
db.set_metadata("wensuo.format", sys.argv[2])
db.commit()
EOF
}
set_format 3 || fail "cannot read or set the format of $DB5"
# an index of format 3 (before the space terms) is still read, but not
# added to: its documents hold 著 folded into 着, which new ones would not
if [ -x "$CLIENT" ]; then
    "$CLIENT" search --db "$DB5" '国务院办公厅' >"$TMP/old.out" 2>"$TMP/old.err" ||
        fail "a search on an index of format 3 fails: $(cat "$TMP/old.err")"
    "$CLIENT" search --db "$DB5" '显著' >"$TMP/old.out" 2>"$TMP/old.err" &&
        fail "a search of 著 on an index of format 3 succeeds"
    grep -q "kept 著 apart from 着" "$TMP/old.err" || fail "the 著 search's message: $(cat "$TMP/old.err")"
fi
"$INDEX" --quiet --db "$DB5" "$SMALL" >"$TMP/old.out" 2>"$TMP/old.err" &&
    fail "wensuo-index adds to an index of format 3"
grep -q "kept 著 apart from 着" "$TMP/old.err" || fail "wensuo-index's message on format 3: $(cat "$TMP/old.err")"
set_format 10 || fail "cannot set the format of $DB5"
if [ -x "$CLIENT" ]; then
    "$CLIENT" search --db "$DB5" '国务院办公厅' >"$TMP/old.out" 2>"$TMP/old.err" &&
        fail "a search on an index of format 10 succeeds"
    grep -q "a newer Wensuo (index format 10" "$TMP/old.err" || fail "the search's message: $(cat "$TMP/old.err")"
fi
set_format "" || fail "cannot clear the format of $DB5" # as the first session's indexes were
if [ -x "$CLIENT" ]; then
    "$CLIENT" search --db "$DB5" '国务院办公厅' >"$TMP/old.out" 2>"$TMP/old.err" &&
        fail "a search on an index of format 1 succeeds"
    grep -q "older Wensuo (index format 1" "$TMP/old.err" || fail "the search's message: $(cat "$TMP/old.err")"
fi
"$INDEX" --quiet --db "$DB5" "$SMALL" >"$TMP/old.out" 2>"$TMP/old.err" &&
    fail "wensuo-index adds to an index of format 1"
grep -q "older Wensuo (index format 1" "$TMP/old.err" || fail "wensuo-index's message: $(cat "$TMP/old.err")"

# ---- 6. a link back to a folder above is skipped, not walked for ever ----------
mkdir -p "$TMP/loop/sub"
printf '{"id": "loop-1", "title": "回环", "body": "文件夹里有一个指回上层的链接。"}\n' >"$TMP/loop/sub/a.jsonl"
ln -s .. "$TMP/loop/sub/up"
ln -s "$TMP/loop/sub" "$TMP/loop/again"
timeout 60 "$INDEX" --quiet --db "$TMP/loopdb" "$TMP/loop" >"$TMP/loop.out" 2>"$TMP/loop.err"
rc=$?
[ "$rc" -eq 0 ] || fail "a folder with a link loop: status $rc: $(head -c 500 "$TMP/loop.err")"
grep -q "link back to a folder" "$TMP/loop.err" || fail "the loop is not reported: $(head -c 500 "$TMP/loop.err")"
grep -qE "holds 1 document( |$)" "$TMP/loop.out" || fail "the loop folder: $(cat "$TMP/loop.out")"

# ---- 7. nothing to index: non-zero ---------------------------------------------
: >"$TMP/empty.jsonl"
"$INDEX" --quiet --db "$TMP/empty" "$TMP/empty.jsonl" >"$TMP/empty.out" 2>"$TMP/empty.err"
rc=$?
[ "$rc" -ne 0 ] || fail "an empty file exits 0"
echo 'not json' >"$TMP/bad.jsonl"
if "$INDEX" --quiet --db "$TMP/bad" "$TMP/bad.jsonl" >"$TMP/bad.out" 2>"$TMP/bad.err"; then
    fail "a file of nothing but a bad line exits 0"
fi
if "$INDEX" --quiet --db "$TMP/none" "$TMP/no-such-file.jsonl" >"$TMP/none.out" 2>"$TMP/none.err"; then
    fail "a missing file exits 0"
fi
grep -q "no-such-file.jsonl" "$TMP/none.err" || fail "the missing file is not named: $(cat "$TMP/none.err")"
grep -q "empty.jsonl: no document in the file" "$TMP/empty.err" ||
    fail "the empty file is not named: $(cat "$TMP/empty.err")"
grep -q "no document indexed" "$TMP/empty.err" || fail "no word of nothing indexed: $(cat "$TMP/empty.err")"
"$INDEX" --quiet "$TMP/empty.jsonl" >/dev/null 2>"$TMP/nodb.err" && fail "no --db exits 0"
grep -q -- "--db DIR is required" "$TMP/nodb.err" || fail "no --db: $(cat "$TMP/nodb.err")"

# ---- 7b. some input refused: counted apart from notes; --strict exits 3 -----
printf '%s\n' '{"id":"r/1","title":"甲","body":"正文一","date":"2024-02-30"}' \
    '{"id":"r/2","title":"乙","body":"正文二"}' >"$TMP/refuse.jsonl"
printf -- '---\ntitle: 丙\nnot a field line\n---\n正文三\n' >"$TMP/note.md"
"$INDEX" --quiet --db "$TMP/refuse" "$TMP/refuse.jsonl" "$TMP/note.md" >"$TMP/refuse.out" \
    2>"$TMP/refuse.err" || fail "a refused line fails the run: $(cat "$TMP/refuse.err")"
grep -q "1 documents or files refused, 1 warning," "$TMP/refuse.out" ||
    fail "refused and noted, counted: $(cat "$TMP/refuse.out") $(cat "$TMP/refuse.err")"
grep -q "holds 2 documents" "$TMP/refuse.out" || fail "the others indexed: $(cat "$TMP/refuse.out")"
"$INDEX" --quiet --strict --db "$TMP/refuse2" "$TMP/refuse.jsonl" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 3 ] || fail "--strict with a refused line exits $rc, not 3"
"$INDEX" --quiet --strict --db "$TMP/refuse3" "$TMP/note.md" >/dev/null 2>&1 ||
    fail "--strict with a note only fails"
# a path that is not there is input left out too
"$INDEX" --quiet --strict --db "$TMP/refuse5" "$TMP/note.md" "$TMP/no-such-folder" >/dev/null 2>&1
rc=$?
[ "$rc" -eq 3 ] || fail "--strict with a missing path exits $rc, not 3"
# an empty file beside it loses nothing: a note, not a refusal
mkdir -p "$TMP/withempty"
cp "$TMP/note.md" "$TMP/withempty/"
: >"$TMP/withempty/empty.md"
"$INDEX" --quiet --strict --db "$TMP/refuse4" "$TMP/withempty" >"$TMP/refuse4.out" 2>&1 ||
    fail "--strict with an empty file fails: $(cat "$TMP/refuse4.out")"
grep -q "0 documents or files refused, 2 warnings" "$TMP/refuse4.out" ||
    fail "an empty file counted: $(cat "$TMP/refuse4.out")"

# ---- 8. a folder given again with a trailing slash: the same ids, not twice ----
mkdir -p "$TMP/slash/sub"
printf '第一份文件。\n' >"$TMP/slash/a.txt"
printf '第二份文件。\n' >"$TMP/slash/sub/b.txt"
: >"$TMP/slash/blank.txt"
"$INDEX" --quiet --db "$TMP/slashdb" "$TMP/slash" >"$TMP/slash1.out" 2>"$TMP/slash1.err" ||
    fail "a folder: $(cat "$TMP/slash1.err")"
grep -q "blank.txt: no document in the file" "$TMP/slash1.err" ||
    fail "a blank file in a folder is not named: $(cat "$TMP/slash1.err")"
"$INDEX" --quiet --db "$TMP/slashdb" "$TMP/slash/" >"$TMP/slash2.out" 2>"$TMP/slash2.err" ||
    fail "the folder again with a slash: $(cat "$TMP/slash2.err")"
grep -q "holds 2 documents" "$TMP/slash2.out" || fail "dir/ after dir: $(cat "$TMP/slash2.out")"
"$INDEX" --quiet --db "$TMP/slashdb" "$TMP/slash//" >"$TMP/slash3.out" 2>"$TMP/slash3.err" ||
    fail "the folder with two slashes: $(cat "$TMP/slash3.err")"
grep -q "holds 2 documents" "$TMP/slash3.out" || fail "dir// after dir: $(cat "$TMP/slash3.out")"
# the same folder spelt with a double slash or a "." inside, or from inside
# it: ids written one way (a file's id is its path as walked)
for spelt in "$TMP//slash" "$TMP/./slash/" "$TMP/slash/."; do
    "$INDEX" --quiet --db "$TMP/slashdb" "$spelt" >"$TMP/slash4.out" 2>"$TMP/slash4.err" ||
        fail "the folder as $spelt: $(cat "$TMP/slash4.err")"
    grep -q "holds 2 documents" "$TMP/slash4.out" || fail "$spelt after dir: $(cat "$TMP/slash4.out")"
done

ws_finish "ok"
