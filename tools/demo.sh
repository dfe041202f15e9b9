#!/usr/bin/env bash
# README command 1: install what is missing, build, index the bundled sample
# corpus and run sample searches.
set -euo pipefail
cd "$(dirname "$0")/.."
tools/deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)"
rm -rf build/demo-index
build/indexer/wensuo-index --db build/demo-index corpus
echo
echo '$ wensuo search --db build/demo-index 用地面积'
build/searcher/wensuo search --db build/demo-index 用地面积
echo
echo '$ wensuo search --db build/demo-index --limit 3 --facets source,type "国务院办公厅"'
build/searcher/wensuo search --db build/demo-index --limit 3 --facets source,type '"国务院办公厅"'
