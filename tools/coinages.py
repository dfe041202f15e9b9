#!/usr/bin/env python3
"""coinages.py - do the coinages of policy language come out as words?

For each coinage of the list below (chosen by reading the shared corpus: the
words of the seed page and of the news and reports that the dictionaries
lack), takes up to --per sentences of ../shared/corpus that hold it (a seeded
sample), runs `wensuo analyze` on them without new words ($WENSUO_NEW_WORDS
empty) and with the built-in ones (or --new-words FILE), and counts the
occurrences that come out whole, or in words of two characters or more (the
national standard may make a coinage two words: 营商 环境), against those
where a single character of it stands alone (碳 达 峰).

    tools/coinages.py [--build build] [--shared ../shared] [--per 20]
                      [--new-words FILE] [--list]
"""
import argparse
import os
import random
import re
import subprocess
import sys

COINAGES = """
链主 链长 专精特新 小巨人 智改数转 数智工厂 碳达峰 碳中和 算力 数智化 东数西算
接诉即办 一网通办 粤港澳大湾区 新质生产力 放管服 最多跑一次 双碳 新基建 双循环
跨省通办 元宇宙 首台套 双减 六稳 六保 河长制 林长制 未诉先办 区块链 京津冀
长三角 小升规 亩均 营商环境 多规合一 一码通 专班 内循环 云计算 网格员 健康码
""".split()

SENTENCE_END = re.compile(r"[。！？；\n]")
MARKUP = re.compile(r"<[^>]*>|&[a-z]+;")


def sentences(shared, words, per, seed=20261202):
    """Up to per sentences of the corpus for each word, a seeded sample."""
    found = {w: [] for w in words}
    pat = re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True)))
    root = os.path.join(shared, "corpus")
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            if not name.endswith((".md", ".txt", ".jsonl", ".json")):
                continue
            try:
                with open(os.path.join(dirpath, name), encoding="utf-8", errors="replace") as f:
                    text = f.read()
            except OSError:
                continue
            if not pat.search(text):
                continue
            text = MARKUP.sub(" ", text.replace("\\n", "\n"))
            for s in SENTENCE_END.split(text):
                s = s.strip()
                if not 4 <= len(s) <= 200:
                    continue
                for w in set(pat.findall(s)):
                    found[w].append(s)
    rng = random.Random(seed)
    out = {}
    for w in words:
        uniq = sorted(set(found[w]))
        out[w] = rng.sample(uniq, per) if len(uniq) > per else uniq
    return out


def analyze(wensuo, lines, env):
    r = subprocess.run([wensuo, "analyze"], input="\n".join(lines) + "\n", capture_output=True,
                       text=True, env=env, check=True)
    return r.stdout.split("\n")[: len(lines)]


def judge(sentence, words_line, word):
    """'whole', 'pieces' (words of 2+ characters), 'longer' (inside a longer
    word) or 'broken', for the first occurrence of word in the sentence; a
    string that is no word there (产业链主要: 产业链 主要) counts as broken."""
    toks = words_line.split(" ")
    plain = "".join(toks)
    at = plain.find(word)
    if at < 0:
        return None  # the analyzer's text differs (normalized): not judged
    end = at + len(word)
    pos, inside = 0, []
    for t in toks:
        b, e = pos, pos + len(t)
        pos = e
        if e <= at or b >= end:
            continue
        inside.append((b, e))
    if len(inside) == 1 and inside[0] == (at, end):
        return "whole"
    if len(inside) == 1:
        return "longer"  # inside a longer word (算力网)
    if all(b >= at and e <= end and e - b >= 2 for b, e in inside):
        return "pieces"
    return "broken"


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(here, "..", "build"))
    ap.add_argument("--shared", default=os.path.join(here, "..", "..", "shared"))
    ap.add_argument("--per", type=int, default=20, help="sentences per coinage")
    ap.add_argument("--new-words", help="new words file (default: the built-in one)")
    ap.add_argument("--list", action="store_true", help="print each coinage's line")
    a = ap.parse_args()
    wensuo = os.path.join(a.build, "searcher", "wensuo")
    if not os.path.isdir(os.path.join(a.shared, "corpus")):
        print("coinages: no corpus in %s" % a.shared, file=sys.stderr)
        return 77
    sample = sentences(a.shared, COINAGES, a.per)
    lines, keys = [], []
    for w in COINAGES:
        for s in sample[w]:
            lines.append(s)
            keys.append(w)
    env = dict(os.environ)
    env.pop("WENSUO_USER_DICT", None)
    runs = []
    for label, value in (("without new words", ""), ("with new words", a.new_words)):
        e = dict(env)
        if value is None:
            e.pop("WENSUO_NEW_WORDS", None)
        else:
            e["WENSUO_NEW_WORDS"] = value
        runs.append((label, analyze(wensuo, lines, e)))
    tally = {label: {} for label, _ in runs}
    for label, out in runs:
        for w, s, o in zip(keys, lines, out):
            v = judge(s, o, w)
            if v:
                tally[label].setdefault(w, {"whole": 0, "pieces": 0, "longer": 0, "broken": 0})[v] += 1
    print("%d coinages, %d sentences of %s (up to %d each)" %
          (len(COINAGES), len(lines), os.path.join(a.shared, "corpus"), a.per))
    for label, _ in runs:
        t = tally[label]
        n = sum(sum(v.values()) for v in t.values())
        whole = sum(v["whole"] for v in t.values())
        pieces = sum(v["pieces"] for v in t.values())
        longer = sum(v["longer"] for v in t.values())
        allok = sum(1 for v in t.values() if v["broken"] == 0 and sum(v.values()))
        print("%-18s whole %5.1f%%  whole or in words of 2+ %5.1f%%  in a longer word %4.1f%%  "
              "coinages never broken %d/%d" %
              (label, 100.0 * whole / max(n, 1), 100.0 * (whole + pieces) / max(n, 1),
               100.0 * longer / max(n, 1), allok, len(t)))
    if a.list:
        out_before, out_after = runs[0][1], runs[1][1]
        for w in COINAGES:
            b = tally[runs[0][0]].get(w, {})
            f = tally[runs[1][0]].get(w, {})
            ex = next((o for k, o in zip(keys, out_after) if k == w), "")
            exb = next((o for k, o in zip(keys, out_before) if k == w), "")
            i = ex.replace(" ", "").find(w)
            print("%-8s before %2d/%2d/%2d/%2d  after %2d/%2d/%2d/%2d  (whole/pieces/longer/broken)" %
                  (w, b.get("whole", 0), b.get("pieces", 0), b.get("longer", 0), b.get("broken", 0),
                   f.get("whole", 0), f.get("pieces", 0), f.get("longer", 0), f.get("broken", 0)))
            if i >= 0:
                print("          %s\n          %s" % (short(exb, w), short(ex, w)))
    return 0


def short(line, w):
    """The words around the first occurrence of w."""
    toks = line.split(" ")
    plain, pos = "", []
    for t in toks:
        pos.append(len(plain))
        plain += t
    at = plain.find(w)
    first = max(i for i, p in enumerate(pos) if p <= at)
    return " ".join(toks[max(0, first - 3): first + 6])


if __name__ == "__main__":
    sys.exit(main())
