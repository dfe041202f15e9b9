#!/bin/sh
# tools/vectors.sh [BUILD [SHARED [OUT]]]: the word vectors of the searcher's
# reranking (indexer/text/vectors.h), learned from the shared corpus without
# supervision: its laws and news, one paragraph a line, segmented by Wensuo's
# own analyzer (BUILD/searcher/wensuo analyze), then Debian's fasttext
# (skip-gram, 64 dimensions, 5 epochs, words seen 5 times or more, no
# subwords), then tools/vectors.py with the segmenter's word counts.
# Defaults: build, ../shared, indexer/data/vectors.bin. About 10 minutes on 2 cores.
# fasttext on several threads is not deterministic: a new run gives other
# vectors (and figures within noise: see README, "Word vectors").
set -eu
build=${1:-build}
shared=${2:-../shared}
out=${3:-indexer/data/vectors.bin}
here=$(cd "$(dirname "$0")" && pwd)
command -v fasttext >/dev/null || { echo "tools/vectors.sh needs fasttext: apt-get install fasttext" >&2; exit 1; }
[ -x "$build/searcher/wensuo" ] || { echo "no $build/searcher/wensuo: build first" >&2; exit 1; }
[ -d "$shared/corpus/laws" ] || { echo "no $shared/corpus/laws" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
find "$shared/corpus/laws" "$shared/corpus/news" -name '*.md' -print0 | sort -z | xargs -0 cat |
    "$build/searcher/wensuo" analyze > "$tmp/words.txt"
fasttext skipgram -input "$tmp/words.txt" -output "$tmp/ft" -dim 64 -epoch 5 -minCount 5 \
    -minn 0 -maxn 0 -thread "$(nproc)" -verbose 0
/usr/bin/python3 "$here/vectors.py" "$tmp/ft.vec" "$here/../indexer/data/word_counts.tsv" "$out"
