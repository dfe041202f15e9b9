#!/usr/bin/env bash
# README command 2: install what is missing, then build and run every test,
# plain and under AddressSanitizer + UndefinedBehaviorSanitizer.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
jobs=$(nproc)
# The layout is .clang-format's: a file out of it fails the run, naming it.
find indexer searcher tests tools \( -name '*.c' -o -name '*.h' -o -name '*.cc' \) -print0 |
  xargs -0 clang-format --dry-run --Werror
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DWS_WERROR=ON >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure -j"$jobs")
if [ "${WS_SKIP_SANITIZERS:-0}" != 1 ]; then
  cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DWS_SANITIZE=ON -DWS_WERROR=ON >/dev/null
  cmake --build build-asan -j"$jobs"
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  # test_quality and test_counts index thousands of real documents: under the
  # sanitizers that outlasts their time; test_search covers the same code
  (cd build-asan && ctest --output-on-failure -j"$jobs" -E 'test_quality|test_counts')
  # one request's word lists, positions and export rows are read by several
  # threads (valuesweep.h, positions.h), and a list is counted and ranked a
  # shard a thread (shardrank.h): test_listed, test_positions, test_export
  # and test_shardrank drive them over real indexes under ThreadSanitizer
  cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=Debug -DWS_TSAN=ON -DWS_WERROR=ON >/dev/null
  cmake --build build-tsan -j"$jobs" --target test_listed test_positions test_export test_shardrank wensuo-index
  (cd build-tsan && TSAN_OPTIONS=halt_on_error=1 ctest --output-on-failure -j"$jobs" \
    -R '^(test_listed|test_positions|test_export|test_shardrank)$')
fi
