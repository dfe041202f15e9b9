/* test_analyzer.c - issue 2's analysis pipeline, point by point, on real
 * Chinese text (analyzer_fixture.h): NFKC and case folding, Traditional ->
 * Simplified, line breaks inside CJK words, mixed tokens, byte offsets, and
 * `wensuo analyze`'s words; the ends of sentences found byte-wise against
 * character by character. The lexicon's words are test_lexicon's, the
 * terms' positions and broken or large input test_termgen's. */
#include "analyzer_fixture.h"
#include "explain.h"
#include "normalize.h"
#include "utf8.h"

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The terms of v with positions, sorted, joined by '|': two texts are the
 * same to the index when these are equal. */
static char *signature(const terms *v)
{
    char **s = calloc(v->n + 1, sizeof *s);
    size_t total = 1;
    for (size_t i = 0; i < v->n; i++) {
        s[i] = malloc(v->t[i].len + 16);
        snprintf(s[i], v->t[i].len + 16, "%s@%u", v->t[i].term, v->t[i].pos);
        total += strlen(s[i]) + 1;
    }
    qsort(s, v->n, sizeof *s, cmp_str);
    char *out = calloc(1, total);
    for (size_t i = 0; i < v->n; i++) {
        strcat(out, s[i]);
        strcat(out, "|");
        free(s[i]);
    }
    free(s);
    return out;
}

static int is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* ---- 1. NFKC and case folding --------------------------------------------- */

static void test_nfkc(void)
{
    terms wide = terms_of("ＡＢＣ１２３", 0), narrow = terms_of("abc123", 0),
          upper = terms_of("ABC123", 0);
    char *sw = signature(&wide), *sn = signature(&narrow), *su = signature(&upper);
    CHECK_STR(sw, sn);
    CHECK_STR(su, sn);
    CHECK_TERM(narrow, "abc123");
    CHECK(narrow.n > 0);
    free(sw);
    free(sn);
    free(su);
    terms_free(&wide);
    terms_free(&narrow);
    terms_free(&upper);

    /* what NFKC calls equal is one text: a letter and the combining mark
     * after it, a half-width kana and its voicing mark, Hangul in jamo are
     * the composed characters, each token spanning the input it came from */
    static const char *const same[][2] = {
        {"cafe\xcc\x81 ", "caf\xc3\xa9 "},                        /* e + U+0301, é */
        {"\xef\xbd\xb6\xef\xbe\x9e", "\xe3\x82\xac"},             /* ｶﾞ, ガ */
        {"\xe1\x84\x92\xe1\x85\xa1\xe1\x86\xab", "\xed\x95\x9c"}, /* ᄒ ᅡ ᆫ, 한 */
    };
    for (size_t k = 0; k < sizeof same / sizeof *same; k++) {
        terms a = terms_of(same[k][0], 0), b = terms_of(same[k][1], 0);
        char *sa = signature(&a), *sb = signature(&b);
        CHECK_STR(sa, sb);
        free(sa);
        free(sb);
        terms_free(&a);
        terms_free(&b);
        toks v = analyze(same[k][0], 0);
        CHECK(v.n >= 1 && v.t[0].start == 0 && v.t[0].end == strcspn(same[k][0], " "));
        toks_free(&v);
    }
    /* a base with more marks than are normalized together (WS_NORM_GROUP_MAX):
     * every byte still read, once */
    char accents[64] = "a";
    for (int i = 0; i < 12; i++)
        strcat(accents, "\xcc\x81");
    strcat(accents, " b");
    toks va = analyze(accents, 0);
    CHECK(va.n >= 2 && va.t[va.n - 1].start == strlen(accents) - 1);
    toks_free(&va);

    /* in a Chinese sentence, as documents write it */
    terms t = terms_of("执行《ＧＢ／Ｔ　１９０００》标准，ＰＭ２．５浓度下降", 0);
    CHECK_TERM(t, "gb");
    CHECK_TERM(t, "19000");
    CHECK_TERM(t, "pm2.5");
    CHECK_NO_TERM(t, "ＧＢ");
    terms_free(&t);

    /* full-width punctuation is punctuation: its own token, and it
     * separates the words on either side; its only term is its mark's (Y +
     * the mark, normalized: NFKC makes ， a comma), at its position */
    const char *s = "ＡＢＣ，ＤＥＦ！碳达峰；碳中和：（试行）“通知”、。";
    toks v = analyze(s, 0);
    CHECK_TOK(v, "abc", WS_TOKEN_ALNUM);
    CHECK_TOK(v, "def", WS_TOKEN_ALNUM);
    CHECK(!find_tok(&v, "abc,def", 0));
    static const char *const marks[] = {"，", "！", "；", "：", "（", "）", "“", "”", "、", "。"};
    for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
        const char *at = strstr(s, marks[i]);
        size_t off = (size_t)(at - s);
        const tk *found = NULL;
        for (size_t j = 0; j < v.n; j++)
            if (v.t[j].start == off)
                found = &v.t[j];
        if (!found || found->kind != WS_TOKEN_PUNCT || found->end != off + strlen(marks[i])) {
            fprintf(stderr, "%s:%d: %s is not a punctuation token\n", __FILE__, __LINE__, marks[i]);
            check_failures++;
        }
    }
    toks_free(&v);
    terms p = terms_of(s, 0);
    size_t nmarks = 0;
    for (size_t i = 0; i < p.n; i++) {
        if (p.t[i].kind == WS_TERM_PUNCT) {
            CHECK(p.t[i].term[0] == 'Y' && p.t[i].pos > 0);
            nmarks++;
            continue;
        }
        const char *bad = strpbrk(p.t[i].term, ",!;:()");
        CHECK(bad == NULL);
        CHECK(strstr(p.t[i].term, "，") == NULL && strstr(p.t[i].term, "。") == NULL);
    }
    CHECK_INT(nmarks, sizeof marks / sizeof *marks);
    CHECK(term_at(&p, "Y,", 2) && term_at(&p, "Y;", 8) && term_at(&p, "Y、", 21));
    terms_free(&p);
}

/* ---- 2. Traditional -> Simplified ----------------------------------------- */

static void test_traditional(void)
{
    static const char *const pairs[][2] = {
        {"國務院辦公廳", "国务院办公厅"},
        {"國務院辦公廳關於印發《數字經濟發展規劃》的通知",
         "国务院办公厅关于印发《数字经济发展规划》的通知"},
        {"臺灣地區與香港特別行政區", "台湾地区与香港特别行政区"},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        terms tr = terms_of(pairs[i][0], WS_ANALYZE_JOIN_LINES);
        terms si = terms_of(pairs[i][1], WS_ANALYZE_JOIN_LINES);
        char *a = signature(&tr), *b = signature(&si);
        CHECK(si.n > 0);
        CHECK_STR(a, b);
        free(a);
        free(b);
        terms_free(&tr);
        terms_free(&si);
    }
    terms t = terms_of("國務院辦公廳", 0);
    CHECK_TERM(t, "U国");
    CHECK_TERM(t, "U厅");
    CHECK_TERM(t, "B国务");
    CHECK_TERM(t, "B办公");
    CHECK_NO_TERM(t, "U國");
    CHECK_NO_TERM(t, "B國務");
    /* the words: 国务院 (alone or inside a longer lexicon word) */
    int word = 0;
    for (size_t i = 0; i < t.n; i++)
        if (t.t[i].kind == WS_TERM_WORD && strstr(t.t[i].term, "国务院"))
            word = 1;
    CHECK(word);
    terms_free(&t);
}

/* ---- 3. line breaks ------------------------------------------------------- */

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        buf = NULL;
    }
    if (buf)
        buf[n] = '\0';
    *len = (size_t)n;
    fclose(f);
    return buf;
}

/* How many times the pairs of 用地面积 stand at consecutive positions. */
static size_t count_yongdimianji(const terms *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->n; i++)
        if (!strcmp(v->t[i].term, "U用") && term_at(v, "U地", v->t[i].pos + 1) &&
            term_at(v, "U面", v->t[i].pos + 2) && term_at(v, "U积", v->t[i].pos + 3))
            n++; /* the phrase 用地面积 at consecutive positions */
    return n;
}

static void test_line_breaks_seed(void)
{
    char path[4096];
    size_t len;
    const char *seed = "corpus/seed/zhanggong-industry.txt";
    char *text = ws_fixture_shared(path, sizeof path, seed) ? read_file(path, &len) : NULL;
    if (!text) {
        printf("SKIP (seed): %s is absent\n", path);
        return;
    }
    const char *brk = strstr(text, "园区用\n地面积");
    CHECK(brk != NULL); /* the page breaks the word across lines */
    if (!brk) {
        free(text);
        return;
    }
    size_t nl = (size_t)(brk - text) + strlen("园区用");

    terms joined, raw;
    CHECK_INT(terms_with(text, len, WS_ANALYZE_JOIN_LINES, &joined), WS_OK);
    CHECK_INT(terms_with(text, len, 0, &raw), WS_OK);
    CHECK(count_yongdimianji(&joined) >= 1);
    CHECK_INT(count_yongdimianji(&raw), 0); /* so it is the joining that finds it */
    CHECK(count_term(&joined, "B用地") > count_term(&raw, "B用地"));
    terms_free(&joined);
    terms_free(&raw);

    /* the word found across the break covers the newline in the input */
    toks v;
    CHECK_INT(analyze_with(an, text, len, WS_ANALYZE_JOIN_LINES, &v), WS_OK);
    const tk *across = NULL;
    for (size_t i = 0; i < v.n; i++)
        if (v.t[i].kind == WS_TOKEN_HAN && v.t[i].start < nl && v.t[i].end > nl + 1)
            across = &v.t[i];
    CHECK(across != NULL);
    if (across)
        CHECK(strstr(across->text, "用地") != NULL || strstr(across->text, "地面") != NULL);
    /* 1106.10公 / 顷: a number and its unit across the break */
    if (strstr(text, "1106.10公\n顷"))
        CHECK_TOK(v, "1106.10公顷", WS_TOKEN_COMPOUND);
    toks_free(&v);
    free(text);
}

static void test_line_breaks(void)
{
    terms t = terms_of("园区用\n地面积", WS_ANALYZE_JOIN_LINES);
    CHECK_INT(count_yongdimianji(&t), 1);
    terms_free(&t);
    t = terms_of("园区用\r\n   地面积", WS_ANALYZE_JOIN_LINES); /* CRLF, indented */
    CHECK_INT(count_yongdimianji(&t), 1);
    terms_free(&t);
    /* a number wrapped by print, in full-width digits too, is one number;
     * the raw-text rule (ws_analyzer_break_joined) that the concordance's
     * lines and the snippets show it by says the same */
    static const char *const wrapped[] = {"20\n24年", "２０\n２４年", "２０\n24年", "20\n２４年"};
    for (size_t i = 0; i < sizeof wrapped / sizeof *wrapped; i++) {
        t = terms_of(wrapped[i], WS_ANALYZE_JOIN_LINES);
        CHECK_TERM(t, "2024年");
        terms_free(&t);
        size_t next = 0, at = strcspn(wrapped[i], "\n");
        CHECK_INT(ws_analyzer_break_joined(wrapped[i], strlen(wrapped[i]), at, &next), 1);
        CHECK_INT(next, at + 1);
    }
    static const char *const kept[] = {"ab\ncd", "20\n\n24年", "20\nab"};
    for (size_t i = 0; i < sizeof kept / sizeof *kept; i++) {
        size_t next = 0, at = strcspn(kept[i], "\n");
        CHECK_INT(ws_analyzer_break_joined(kept[i], strlen(kept[i]), at, &next), 0);
    }

    /* a blank line ends a paragraph: nothing joins across it */
    static const char *const blank[] = {"园区用\n\n地面积", "园区用\n \n地面积",
                                        "园区用\r\n\r\n地面积"};
    for (size_t i = 0; i < sizeof blank / sizeof *blank; i++) {
        t = terms_of(blank[i], WS_ANALYZE_JOIN_LINES);
        CHECK_NO_TERM(t, "B用地");
        CHECK_NO_TERM(t, "用地");
        CHECK_TERM(t, "B地面");
        terms_free(&t);
    }

    /* a break between Latin words stays a space */
    toks v = analyze("hello\nworld", WS_ANALYZE_JOIN_LINES);
    CHECK_TOK(v, "hello", WS_TOKEN_ALNUM);
    CHECK_TOK(v, "world", WS_TOKEN_ALNUM);
    CHECK(!find_tok(&v, "helloworld", 0));
    toks_free(&v);
    v = analyze("中国\nchina\n2024", WS_ANALYZE_JOIN_LINES);
    CHECK_TOK(v, "中国", WS_TOKEN_HAN);
    CHECK_TOK(v, "china", WS_TOKEN_ALNUM);
    CHECK_TOK(v, "2024", WS_TOKEN_ALNUM);
    CHECK(!find_tok(&v, "china2024", 0));
    toks_free(&v);
}

/* ---- 5. mixed tokens --------------------------------------------------------- */

static void test_mixed(void)
{
    const char *s = "园区面积949.21公顷，L6级自动驾驶，5G网络，COVID-19疫情以来，"
                    "2024年新增2.5万亩，增长949.21";
    terms t = terms_of(s, 0);
    toks v = analyze(s, 0);
    /* the wholes, at a position (a phrase can hold them) */
    static const char *const whole[] = {"949.21公顷", "l6",      "5g",    "covid-19",
                                        "2024年",     "2.5万亩", "949.21"};
    for (size_t i = 0; i < sizeof whole / sizeof *whole; i++) {
        const term *w = find_term(&t, whole[i]);
        CHECK_TERM(t, whole[i]);
        if (w)
            CHECK(w->pos > 0);
    }
    CHECK_TOK(v, "949.21公顷", WS_TOKEN_COMPOUND);
    CHECK_TOK(v, "covid-19", WS_TOKEN_COMPOUND);
    CHECK_TOK(v, "2024年", WS_TOKEN_COMPOUND);
    CHECK_TOK(v, "2.5万亩", WS_TOKEN_COMPOUND);
    /* and their parts */
    static const char *const parts[] = {
        "949.21", "公顷", "U顷", /* 949.21公顷 */
        "covid",  "19",          /* COVID-19 */
        "2024",   "U年",         /* 2024年 */
        "2.5",    "U亩",         /* 2.5万亩 */
        "949",    "21",          /* 949.21 */
    };
    for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
        CHECK_TERM(t, parts[i]);
    /* but a letter beside a digit parts nothing (L6, 5G): a concordance
     * finds no 5 in 5G, and a search must match what it counts */
    static const char *const no_parts[] = {"l", "6", "g"};
    for (size_t i = 0; i < sizeof no_parts / sizeof *no_parts; i++)
        if (find_term(&t, no_parts[i])) {
            fprintf(stderr, "a part \"%s\" of L6 or 5G indexed\n", no_parts[i]);
            check_failures++;
        }
    /* a compound covers exactly its parts */
    for (size_t i = 0; i < v.n; i++) {
        if (v.t[i].kind != WS_TOKEN_COMPOUND)
            continue;
        CHECK(v.t[i].parts >= 2 && i + v.t[i].parts < v.n);
        if (v.t[i].parts < 2 || i + v.t[i].parts >= v.n)
            continue;
        CHECK_INT(v.t[i + 1].start, v.t[i].start);
        CHECK_INT(v.t[i + 1].pos, v.t[i].pos);
        CHECK_INT(v.t[i + v.t[i].parts].end, v.t[i].end);
    }
    toks_free(&v);
    terms_free(&t);
}

/* ---- offsets ----------------------------------------------------------------- */

static void test_offsets(void)
{
    const char *s = "國務院辦公廳關於印發《ＡＢＣ１２３計劃》的通知：COVID-19疫情期間，园区用\n"
                    "地面积949.21公顷（約２.５万亩）。Ｌ６　and 5G网络\n\n第二段：臺灣";
    size_t len = strlen(s);
    toks v = analyze(s, WS_ANALYZE_JOIN_LINES);
    CHECK(v.n > 20);
    char *covered = calloc(len, 1);
    for (size_t i = 0; i < v.n; i++) {
        const tk *t = &v.t[i];
        CHECK(t->start < t->end && t->end <= len);
        if (!(t->start < t->end && t->end <= len))
            continue;
        CHECK(!is_cont((unsigned char)s[t->start]));
        CHECK(t->end == len || !is_cont((unsigned char)s[t->end]));
        for (size_t b = t->start; b < t->end; b++)
            covered[b] = 1;
        /* the input bytes, normalized and without the line breaks joined
         * away, are the token's text */
        char slice[512];
        size_t n = 0;
        for (size_t b = t->start; b < t->end && n < sizeof slice - 1; b++)
            if (s[b] != '\n' && s[b] != '\r')
                slice[n++] = s[b];
        char *norm = NULL;
        CHECK_INT(ws_normalize_utf8(slice, n, &norm, NULL), WS_OK);
        if (norm && strcmp(norm, t->text) != 0) {
            fprintf(stderr, "%s:%d: token \"%s\" at [%zu,%zu) points at \"%.*s\"\n", __FILE__,
                    __LINE__, t->text, t->start, t->end, (int)(t->end - t->start), s + t->start);
            check_failures++;
        }
        free(norm);
    }
    /* every byte that is not a space belongs to a token */
    for (size_t b = 0; b < len; b++) {
        int space = s[b] == ' ' || s[b] == '\n' ||
                    (b + 3 <= len && !memcmp(s + b, "\xE3\x80\x80", 3)) ||
                    (b >= 1 && b + 2 <= len && !memcmp(s + b - 1, "\xE3\x80\x80", 3)) ||
                    (b >= 2 && !memcmp(s + b - 2, "\xE3\x80\x80", 3));
        if (!space && !covered[b]) {
            fprintf(stderr, "%s:%d: byte %zu (\"%.6s\") is in no token\n", __FILE__, __LINE__, b,
                    s + b);
            check_failures++;
            break;
        }
    }
    /* two words, as the national standard has it (and PKU: 国务院 办公厅) */
    CHECK_TOK(v, "国务院", 0);
    CHECK_TOK(v, "办公厅", 0);
    const tk *office = find_tok(&v, "办公厅", 0);
    if (office)
        CHECK(office->start == strlen("國務院") && office->end == strlen("國務院辦公廳"));
    CHECK_TOK(v, "abc123", WS_TOKEN_ALNUM);
    CHECK_TOK(v, "台湾", 0);
    free(covered);
    toks_free(&v);

    /* the offsets of a term's token (termgen passes them on) */
    terms t = terms_of(s, WS_ANALYZE_JOIN_LINES);
    const term *g = find_term(&t, "B公厅");
    CHECK(g != NULL);
    if (g) /* the token 辦公廳, in its traditional bytes */
        CHECK(g->start == strlen("國務院") && g->end == strlen("國務院辦公廳"));
    terms_free(&t);
}

/* ---- 7. wensuo analyze: the words ------------------------------------------------- */

static char *explain(const char *s)
{
    char *out = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&out, &n);
    CHECK_INT(ws_explain_words(an, s, strlen(s), f), WS_OK);
    fclose(f);
    return out;
}

static void strip_spaces(const char *s, char *out)
{
    size_t n = 0;
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            out[n++] = *s;
    out[n] = '\0';
}

static int has_word(const char *line, const char *w)
{
    size_t l = strlen(w);
    for (const char *p = line; (p = strstr(p, w)); p++)
        if ((p == line || p[-1] == ' ') && (p[l] == ' ' || p[l] == '\0'))
            return 1;
    return 0;
}

static void test_explain(void)
{
    static const char *const lines[] = {
        "國務院辦公廳關於印發《ＡＢＣ１２３計劃》的通知",
        "园区用地面积由原来的 949.21公顷扩大至 1106.10公顷。",
        "COVID-19疫情防控期间，L6级自动驾驶和5G网络建设提速",
    };
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        char *w = explain(lines[i]);
        char a[1024], b[1024];
        CHECK(w && w[0] && w[0] != ' ' && w[strlen(w) - 1] != ' ');
        CHECK(strstr(w, "  ") == NULL);
        CHECK(strchr(w, '\n') == NULL);
        strip_spaces(w, a);
        strip_spaces(lines[i], b);
        CHECK_STR(a, b); /* the original text, all of it, only spaced */
        CHECK(strchr(w, ' ') != NULL);
        if (i == 0) {
            CHECK(has_word(w, "《"));
            CHECK(has_word(w, "》"));
            CHECK(has_word(w, "ＡＢＣ１２３"));
            CHECK(strstr(w, "国") == NULL); /* no normalization shown */
            CHECK(strstr(w, "國務院") != NULL);
        } else if (i == 1) {
            CHECK(has_word(w, "949.21公顷"));
            CHECK(has_word(w, "1106.10公顷"));
            CHECK(has_word(w, "。"));
        } else {
            CHECK(has_word(w, "COVID-19"));
            CHECK(has_word(w, "，"));
        }
        free(w);
    }
    char *e = explain("");
    CHECK_STR(e, "");
    free(e);
}

/* Where ws_analyzer_sentence_end should stop in t[from, before): the
 * first mark that starts there, each character decoded. */
static size_t sentence_end_slowly(const char *t, size_t len, size_t from, size_t before)
{
    for (size_t i = from; i < before && i < len; i++) {
        uint32_t cp;
        if (((unsigned char)t[i] & 0xC0) == 0x80)
            continue; /* not a character's first byte */
        int k = ws_utf8_decode((const unsigned char *)t + i, len - i, &cp);
        if (ws_analyzer_ends_sentence(cp))
            return i + (size_t)k;
    }
    return SIZE_MAX;
}

/* The ends of sentences found byte-wise are those found character by
 * character: every mark, beside characters that share their first byte
 * (「 E3 80 8C, Ａ EF BC A1) and ones that do not, from every start and
 * before every end. */
static void test_sentence_ends(void)
{
    const char *t = "\xE3\x80\x82"
                    "a\xE3\x80\x8C\xEF\xBC\xA1\xEF\xBD\xA1"
                    "!?;\xE5\x9B\xBD\xEF\xBC\x81\xEF\xBC\x9F\xEF\xBC\x9B"
                    ".\xE6\x96\x87";
    size_t len = strlen(t), wrong = 0, found = 0;
    for (size_t from = 0; from <= len; from++)
        for (size_t before = from; before <= len + 1; before++) {
            size_t want = sentence_end_slowly(t, len, from, before);
            wrong += ws_analyzer_sentence_end(t, len, from, before) != want;
            found += want != SIZE_MAX;
        }
    CHECK_INT(wrong, 0);
    CHECK(found > 100);

    /* runs of Chinese without a mark (passed eight bytes at a time), of
     * every length and alignment, between marks and other punctuation
     * that begins with the same bytes (、「 E3, ， EF) or is ASCII */
    static const char *piece[] = {
        "\xE3\x80\x82", "!", "?", ";", "\xEF\xBC\x81", "\xE3\x80\x81", "\xEF\xBC\x8C", ",",
        "\xE3\x80\x8C", "x"};
    char big[4096];
    size_t n = 0;
    for (int k = 0; k < 40 && n < sizeof big - 200; k++) {
        for (int j = 0; j < k % 13; j++) {
            memcpy(big + n, "\xE5\x8F\x91\xE5\xB1\x95", 6); /* 发展 */
            n += 6;
        }
        const char *m = piece[(k * 7) % 10];
        memcpy(big + n, m, strlen(m));
        n += strlen(m);
    }
    big[n] = '\0';
    wrong = found = 0;
    for (size_t from = 0; from <= n; from++) {
        if ((big[from] & 0xC0) == 0x80)
            continue;
        for (size_t before = from; before <= n; before += 5) {
            size_t want = sentence_end_slowly(big, n, from, before);
            wrong += ws_analyzer_sentence_end(big, n, from, before) != want;
            found += want != SIZE_MAX;
        }
    }
    CHECK_INT(wrong, 0);
    CHECK(found > 1000);
}

int main(void)
{
    analyzer_setup();
    test_nfkc();
    test_traditional();
    test_line_breaks_seed();
    test_line_breaks();
    test_mixed();
    test_offsets();
    test_explain();
    test_sentence_ends();
    analyzer_teardown();
    CHECK_DONE();
}
