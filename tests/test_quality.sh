#!/usr/bin/env bash
# test_quality.sh - the fast slice of tools/eval.py (300 PKU lines, 100 dev
# questions, 200 quoted stretches of a corpus sample; no peers), with floors a
# little under the figures measured on that slice, so that search quality
# cannot fall without a test saying so. Raise the floors when the figures
# rise (README, Evaluation). Skips (exit 77) without ../shared.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=${WS_SRC:-$(dirname "$here")}
bin=${WS_BIN:-$src/build}
shared=${WS_SHARED:-$src/../shared}
if [ ! -d "$shared/eval/retrieval" ] || [ ! -d "$shared/eval/segmentation" ] ||
    [ ! -d "$shared/corpus" ]; then
    echo "SKIP: the shared gold standards and corpus are not at $shared (set WS_SHARED)"
    exit 77
fi

# Measured on the slice on 2026-11-24 (see README, Evaluation): F 0.879, nDCG@10 0.484,
# Recall@100 0.704, substring recall 100% (fifth session: citations of
# articles, word vectors).
exec /usr/bin/python3 "$src/tools/eval.py" --quick --build "$bin" --shared "$shared" \
    --min-seg-f 0.870 --min-ndcg 0.475 --min-r100 0.695 --min-substring 1.0
