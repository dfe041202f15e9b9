# lib.sh - what the shell tests share: a scratch folder and the processes to
# kill when the test ends, however it ends, and a count of failed checks.
#
#   . "$(dirname "$0")/lib.sh"
#   ws_setup NAME          # TMP=/tmp/ws_test_NAME.XXXXXX, removed at exit
#   PIDS+=($!)             # killed (SIGKILL) at exit
#   fail "what went wrong" # counted, printed on stderr
#   ws_finish "ok: ..."    # exit 1 if a check failed, else print and exit 0

ws_setup() {
    TMP=$(mktemp -d "/tmp/ws_test_$1.XXXXXX")
    PIDS=()
    failures=0
    trap ws_cleanup EXIT
}

ws_cleanup() {
    for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null; done
    wait 2>/dev/null
    rm -rf "$TMP"
}

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

ws_finish() {
    if [ "$failures" -ne 0 ]; then
        echo "$failures check(s) failed" >&2
        exit 1
    fi
    echo "${1:-ok}"
    exit 0
}
