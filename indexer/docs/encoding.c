/* encoding.c - the encoding of a file's text (encoding.h): UTF-8 kept,
 * a declared or well detected charset converted (ICU), damaged UTF-8 and
 * text of an encoding not known well refused. Defines ws_reader_to_utf8 of
 * reader.h. */
#include "encoding.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/ucnv.h>
#include <unicode/ucsdet.h>

#include "reader.h"
#include "utf8.h"

void ws__encoding_scan(const char *data, size_t len, ws__utf8_scan *sc)
{
    const unsigned char *s = (const unsigned char *)data;
    memset(sc, 0, sizeof *sc);
    for (size_t i = 0; i < len;) {
        if (s[i] < 0x80) {
            sc->nul += s[i] == 0;
            i++;
            continue;
        }
        size_t k = ws_utf8_seq(s + i, len - i);
        if (k) {
            sc->multi++;
            i += k;
        } else {
            sc->bad++;
            i++;
        }
    }
}

void ws__encoding_first_bad(const char *data, size_t len, size_t *at, size_t *line)
{
    const unsigned char *u = (const unsigned char *)data;
    size_t i = 0, l = 1;
    while (i < len) {
        unsigned char seq[4]; /* the next four bytes but NULs */
        size_t idx[4], n = 0;
        for (size_t j = i; j < len && n < 4; j++)
            if (u[j]) {
                idx[n] = j;
                seq[n++] = u[j];
            }
        size_t k = n ? ws_utf8_seq(seq, n) : 0;
        if (!k) {
            i = n ? idx[0] : len;
            break;
        }
        l += seq[0] == '\n';
        i = idx[k - 1] + 1;
    }
    *at = i;
    *line = l;
}

/* Text that is valid UTF-8 but for a few bytes is damaged UTF-8, not GB18030.
 * GB18030 Chinese forms a valid UTF-8 sequence only by chance: converted to
 * GB18030, the shared corpus gives at most 0.36 valid sequences per bad byte.
 * Converting damaged UTF-8 as GB18030 often "succeeds" and would index mojibake,
 * so such text is refused instead. */
static int looks_like_damaged_utf8(const ws__utf8_scan *sc)
{
    return sc->multi >= 8 && sc->multi >= 2 * sc->bad;
}

/* Whether data[0..len), whose first bad UTF-8 byte is at, is UTF-8 cut off
 * in its last character: valid up to at, with a multi-byte sequence before
 * it, and from at a sequence begun and not ended. A short file cut so
 * (a copy stopped) has too few characters for the rule above, and GB18030
 * "read" its bytes into other characters (标题 as 鏍囬). */
static int cut_utf8(const char *data, size_t len, size_t at, const ws__utf8_scan *sc)
{
    if (sc->multi == 0 || at >= len || len - at > 3)
        return 0;
    const unsigned char *u = (const unsigned char *)data + at;
    size_t need = u[0] >= 0xF0 && u[0] <= 0xF4   ? 4
                  : u[0] >= 0xE0 && u[0] <= 0xEF ? 3
                  : u[0] >= 0xC2 && u[0] <= 0xDF ? 2
                                                 : 0;
    if (!need || len - at >= need)
        return 0;
    for (size_t i = 1; i < len - at; i++)
        if ((u[i] & 0xC0) != 0x80)
            return 0;
    return 1;
}

/* The line, from 1, of data[at]. */
static long line_at(const char *data, size_t at)
{
    long line = 1;
    for (const char *p = data, *end = data + at; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        line++;
    return line;
}

/* data[0..len) from charset to UTF-8, in a new string (*out, *out_len),
 * stopping at the first byte sequence that is illegal in charset or has no
 * Unicode mapping: WS_EENCODING with its offset in *bad_at. WS_EICU when ICU
 * has no converter for charset. */
static ws_status convert(const char *charset, const char *data, size_t len, char **out,
                         size_t *out_len, size_t *bad_at)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *from = ucnv_open(charset, &err);
    UConverter *u8 = U_SUCCESS(err) ? ucnv_open("UTF-8", &err) : NULL;
    /* Stop at the first illegal or unmapped sequence instead of substituting. */
    if (U_SUCCESS(err))
        ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    if (U_FAILURE(err)) {
        ucnv_close(from);
        ucnv_close(u8);
        return WS_EICU;
    }
    /* Two bytes of GB18030 or Big5 give at most three of UTF-8, four give
     * four: 3/2 of the input is enough for them; the buffer grows for the
     * others (a Shift_JIS half-width katakana is one byte, three in UTF-8). */
    size_t cap = len + len / 2 + 16;
    ws_status st = WS_OK;
    char *buf = malloc(cap + 1), *t = buf;
    const char *s = data;
    UChar pivot[1024], *ps = pivot, *pt = pivot;
    for (UBool reset = 1; buf; reset = 0) {
        err = U_ZERO_ERROR;
        ucnv_convertEx(u8, from, &t, buf + cap, &s, data + len, pivot, &ps, &pt, pivot + 1024,
                       reset, 1, &err);
        if (err != U_BUFFER_OVERFLOW_ERROR)
            break;
        size_t used = (size_t)(t - buf);
        char *grown = realloc(buf, 2 * cap + 1);
        if (!grown) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = grown;
        cap *= 2;
        t = buf + used;
    }
    if (!buf || err == U_MEMORY_ALLOCATION_ERROR) {
        st = WS_ENOMEM;
    } else if (U_FAILURE(err)) {
        char bad[32];
        int8_t nbad = sizeof bad;
        UErrorCode e2 = U_ZERO_ERROR;
        ucnv_getInvalidChars(from, bad, &nbad, &e2);
        size_t done = (size_t)(s - data);
        *bad_at = U_SUCCESS(e2) && (size_t)nbad <= done ? done - (size_t)nbad : done;
        st = WS_EENCODING;
    }
    if (st != WS_OK) {
        free(buf);
        goto out;
    }
    *out = buf;
    *out_len = (size_t)(t - buf);
out:
    ucnv_close(from);
    ucnv_close(u8);
    return st;
}

/* What a decoded text s[0..n) (UTF-8) holds of the scripts that tell a
 * wrong reading: Hangul syllables, Han characters, and private-use code
 * points (U+E000..U+F8FF), which no published text holds but which GBK
 * bytes read as Big5 give (its user-defined rows). */
typedef struct script_mix {
    size_t hangul, han, pua;
} script_mix;

static script_mix mix_of(const char *s, size_t n)
{
    script_mix m = {0, 0, 0};
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        i += (size_t)ws_utf8_decode((const unsigned char *)s + i, n - i, &cp);
        m.hangul += cp >= 0xAC00 && cp <= 0xD7A3;
        m.han += (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF);
        m.pua += cp >= 0xE000 && cp <= 0xF8FF;
    }
    return m;
}

/* Browsers (the WHATWG Encoding Standard) read every one of these labels as
 * GBK, and pages that declare gb2312 hold GBK characters as a rule: ICU's
 * GB2312 converter would refuse them, its GB18030 (a superset of GBK)
 * reads them all. */
static int is_gbk_label(const char *label)
{
    static const char *const gbk[] = {"gb2312",          "gbk",      "x-gbk",     "gb_2312",
                                      "gb_2312-80",      "csgb2312", "iso-ir-58", "chinese",
                                      "csiso58gb231280", "cp936",    "ms936",     "windows-936",
                                      "euc-cn",          "x-euc-cn", "gb18030",   NULL};
    for (const char *const *g = gbk; *g; g++)
        if (strcasecmp(label, *g) == 0)
            return 1;
    return 0;
}

/* The converter for a declared charset: NULL when ICU has none, or when it
 * is a Unicode encoding (text not valid UTF-8 that declares UTF-8 is
 * damaged, not in another charset; a page declaring UTF-16 is read as
 * UTF-8 by browsers too). */
static const char *declared_converter(const char *label)
{
    if (!label || !label[0])
        return NULL;
    if (is_gbk_label(label))
        return "gb18030";
    UErrorCode err = U_ZERO_ERROR;
    UConverter *c = ucnv_open(label, &err);
    if (U_FAILURE(err))
        return NULL;
    const char *name = ucnv_getName(c, &err);
    int unicode = U_FAILURE(err) || strncasecmp(name, "UTF", 3) == 0;
    ucnv_close(c);
    return unicode ? NULL : label;
}

/* Whether a declared label is Latin-1, windows-1252 or ASCII (ICU's
 * aliases): the labels a misconfigured server or editor puts on pages it
 * knows nothing of, Chinese ones among them. */
static int is_western_label(const char *label)
{
    static const char *const western[] = {"iso-8859-1", "windows-1252", "us-ascii", NULL};
    UErrorCode err = U_ZERO_ERROR;
    const char *name = ucnv_getAlias(label, 0, &err); /* the converter's own name */
    for (const char *const *w = western; U_SUCCESS(err) && name && *w; w++) {
        const char *wn = ucnv_getAlias(*w, 0, &err);
        if (U_SUCCESS(err) && wn && strcmp(name, wn) == 0)
            return 1;
    }
    return 0;
}

/* What ICU's detection makes of a text. */
typedef struct detection {
    int gb18030;       /* its confidence in GB18030 */
    const char *cjk;   /* the other CJK charset it rates highest, or NULL */
    int cjk_conf;      /* and its confidence */
    const char *top;   /* the charset it rates highest of all, or NULL */
    int top_conf;      /* and its confidence */
    int western;       /* its highest confidence in an ISO-8859-n or windows-125n */
    char top_name[48]; /* (ICU's names live as long as its detector) */
    char cjk_name[48];
} detection;

/* The other CJK encodings detection may choose (ICU's names). */
static int is_other_cjk(const char *name)
{
    static const char *const cjk[] = {"Big5", "Shift_JIS", "EUC-JP", "EUC-KR", NULL};
    for (const char *const *c = cjk; *c; c++)
        if (strcmp(name, *c) == 0)
            return 1;
    return 0;
}

/* The lines of data[0..len) that hold a byte past ASCII, joined, up to
 * WS_ENCODING_SAMPLE bytes, into sample (room for as many): what ICU's
 * detection reads, since it looks at 8 KiB only, and the ASCII lines of a
 * JSONL file's keys or of a page's script (400 lines of it after a short
 * title) would fill that with nothing to judge by. A line break is never
 * part of a character of the charsets detected. Returns the length. */
static size_t sample_of(const char *data, size_t len, char *sample)
{
    size_t n = 0;
    for (size_t b = 0; b < len && n < WS_ENCODING_SAMPLE;) {
        const char *nl = memchr(data + b, '\n', len - b);
        size_t e = nl ? (size_t)(nl - data) + 1 : len, i = b;
        while (i < e && (unsigned char)data[i] < 0x80)
            i++;
        if (i < e) {
            size_t take = e - b < WS_ENCODING_SAMPLE - n ? e - b : WS_ENCODING_SAMPLE - n;
            memcpy(sample + n, data + b, take);
            n += take;
        }
        b = e;
    }
    return n;
}

/* Detects the charset of data[0..len) from its lines that are not ASCII
 * (sample_of). */
static ws_status detect(const char *data, size_t len, int markup, detection *d)
{
    memset(d, 0, sizeof *d);
    char *sample = malloc(WS_ENCODING_SAMPLE);
    if (!sample)
        return WS_ENOMEM;
    size_t n = sample_of(data, len, sample);
    UErrorCode err = U_ZERO_ERROR;
    UCharsetDetector *det = ucsdet_open(&err);
    if (U_SUCCESS(err))
        ucsdet_enableInputFilter(det, markup ? 1 : 0);
    ucsdet_setText(det, sample, (int32_t)n, &err);
    int32_t count = 0;
    const UCharsetMatch **m = ucsdet_detectAll(det, &count, &err);
    for (int32_t i = 0; U_SUCCESS(err) && i < count; i++) {
        const char *name = ucsdet_getName(m[i], &err);
        int conf = ucsdet_getConfidence(m[i], &err);
        if (U_FAILURE(err))
            break;
        if (!d->top) {
            snprintf(d->top_name, sizeof d->top_name, "%s", name);
            d->top = d->top_name;
            d->top_conf = conf;
        }
        if ((strncmp(name, "ISO-8859-", 9) == 0 || strncmp(name, "windows-125", 11) == 0) &&
            conf > d->western)
            d->western = conf;
        if (strcmp(name, "GB18030") == 0 && conf > d->gb18030)
            d->gb18030 = conf;
        else if (is_other_cjk(name) && (!d->cjk || conf > d->cjk_conf)) {
            snprintf(d->cjk_name, sizeof d->cjk_name, "%s", name);
            d->cjk = d->cjk_name;
            d->cjk_conf = conf;
        }
    }
    ucsdet_close(det);
    free(sample);
    if (err == U_MEMORY_ALLOCATION_ERROR)
        return WS_ENOMEM;
    return U_FAILURE(err) ? WS_EICU : WS_OK;
}

/* Drops NUL bytes, in place; returns the new length. */
static size_t strip_nul(char *s, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i])
            s[j++] = s[i];
    return j;
}

/* Drops NUL bytes and a leading byte order mark, in place. */
static size_t strip_nul_bom(char *s, size_t n)
{
    size_t j = strip_nul(s, n);
    if (j >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        memmove(s, s + 3, j - 3);
        j -= 3;
    }
    return j;
}

/* Whether s[0..n), text read as charset, looks misread: private-use
 * characters (Big5's user-defined rows: GBK read as Big5), or for EUC-KR
 * Hangul mixed with Han at least a third as often (GBK read as EUC-KR
 * gives both, GB2312's first level falling about two rows on Hangul's for
 * one on Hanja's; Korean writes Hanja rarely). */
static int misread(const char *charset, const char *s, size_t n)
{
    static const char *const korean[] = {"EUC-KR",        "ks_c_5601-1987", "windows-949", "cp949",
                                         "csksc56011987", "korean",         "ksc_5601",    NULL};
    script_mix m = mix_of(s, n);
    if (m.pua)
        return 1;
    int kr = 0;
    for (const char *const *k = korean; *k && !kr; k++)
        kr = strcasecmp(charset, *k) == 0;
    return kr && m.han > 0 && m.han * 3 >= m.hangul;
}

/* Converts text not valid UTF-8, and not declared, by ICU's detection
 * (encoding.h); at and line are where its first bad UTF-8 byte is. */
static ws_status decode_detected(const char *data, size_t len, const detection *d, size_t at,
                                 size_t line, char **buf, size_t *n, ws__encoding_verdict *v)
{
    size_t bad_at = 0;
    ws_status st;
    if (d->cjk && d->cjk_conf >= WS_ENCODING_SURE && d->cjk_conf > d->gb18030) {
        snprintf(v->charset, sizeof v->charset, "%s", d->cjk);
        v->confidence = d->cjk_conf;
        if ((st = convert(d->cjk, data, len, buf, n, &bad_at)) == WS_EENCODING) {
            v->line = line_at(data, bad_at);
            snprintf(v->why, sizeof v->why,
                     "ICU's charset detection takes the text for %s (confidence %d of 100), "
                     "but its byte at offset %zu (counted from 0) is not %s",
                     d->cjk, d->cjk_conf, bad_at, d->cjk);
        }
        if (st != WS_OK || !misread(d->cjk, *buf, *n))
            return st;
        /* a short GBK text that detection took for EUC-KR or Big5 */
        char *gb = NULL;
        size_t gn = 0;
        if (convert("gb18030", data, len, &gb, &gn, &bad_at) != WS_OK ||
            misread("GB18030", gb, gn)) {
            free(gb);
            return WS_OK; /* (as detected: GB18030 reads it no better) */
        }
        free(*buf);
        *buf = gb;
        *n = gn;
        snprintf(v->charset, sizeof v->charset, "GB18030");
        v->confidence = d->gb18030;
        return WS_OK;
    }
    /* GB18030 when nothing else is sure: ICU rates a short Chinese text 10
     * whatever its encoding, so a sureness asked of GB18030 would refuse
     * the short GB18030 files that were read before detection. */
    snprintf(v->charset, sizeof v->charset, "GB18030");
    v->confidence = d->gb18030;
    if ((st = convert("gb18030", data, len, buf, n, &bad_at)) != WS_EENCODING)
        return st;
    snprintf(v->charset, sizeof v->charset, "%s", d->top ? d->top : "");
    v->confidence = d->top ? d->top_conf : -1;
    v->line = (long)line;
    snprintf(v->why, sizeof v->why,
             "text is neither UTF-8 (not UTF-8 at byte offset %zu, counted from 0) nor GB18030 "
             "(not at byte offset %zu), and ICU's charset detection is sure of no other that "
             "Wensuo reads (Big5, Shift_JIS, EUC-JP, EUC-KR): it guesses %s (confidence %d of "
             "100)",
             at, bad_at, d->top ? d->top : "nothing", d->top ? d->top_conf : 0);
    return WS_EENCODING;
}

/* Judges and converts text that is not valid UTF-8 (encoding.h); raw is the
 * text as given, NULs and all, for the offset of its first bad byte. */
static ws_status decode_other(const char *raw, size_t raw_len, const char *data, size_t len,
                              const ws__utf8_scan *sc, const ws__encoding_hint *hint, char **buf,
                              size_t *n, ws__encoding_verdict *v)
{
    size_t at, line, bad_at = 0;
    ws__encoding_first_bad(raw, raw_len, &at, &line);
    const char *conv = declared_converter(hint ? hint->declared : NULL);
    ws_status st;
    detection d;
    if (conv && is_western_label(conv)) {
        /* Latin-1 or windows-1252 declared on bytes that detection rates
         * Chinese (or Japanese, Korean) above every Western charset is a
         * page whose server or editor named a default: read literally it
         * would be indexed as mojibake, each Chinese character two Latin
         * letters. Bytes it rates Western keep the declaration. */
        if ((st = detect(data, len, hint->markup, &d)) != WS_OK)
            return st;
        int cjk =
            d.gb18030 > (d.cjk_conf >= WS_ENCODING_SURE ? d.cjk_conf : 0) ? d.gb18030 : d.cjk_conf;
        if (cjk > d.western || (d.western == 0 && cjk > 0)) {
            ws__encoding_verdict dv = *v;
            if ((st = decode_detected(data, len, &d, at, line, buf, n, &dv)) != WS_EENCODING) {
                *v = dv;
                return st;
            }
        }
        /* windows-1252 for Latin-1, as browsers read it (the WHATWG
         * Encoding Standard): 0x80 to 0x9F are its letters, not controls */
        conv = "windows-1252";
    }
    if (conv) {
        snprintf(v->charset, sizeof v->charset, "%s", hint->declared);
        if ((st = convert(conv, data, len, buf, n, &bad_at)) == WS_EENCODING) {
            v->line = line_at(data, bad_at);
            snprintf(v->why, sizeof v->why,
                     "the page declares charset \"%s\", but its byte at offset %zu (counted "
                     "from 0) is not %s",
                     hint->declared, bad_at, hint->declared);
        }
        if (st != WS_OK || !misread(hint->declared, *buf, *n))
            return st;
        /* GBK bytes under a Big5 or EUC-KR declaration read without an
         * error into private-use or Hangul-and-Hanja mojibake: what the
         * detection reads is taken when it reads them right */
        char *other = NULL;
        size_t on = 0;
        ws__encoding_verdict dv = *v;
        if ((st = detect(data, len, hint->markup, &d)) != WS_OK)
            return st;
        if (decode_detected(data, len, &d, at, line, &other, &on, &dv) == WS_OK &&
            !misread(dv.charset, other, on)) {
            free(*buf);
            *buf = other;
            *n = on;
            *v = dv;
        } else {
            free(other);
        }
        return WS_OK;
    }
    if (looks_like_damaged_utf8(sc) || cut_utf8(raw, raw_len, at, sc)) {
        snprintf(v->charset, sizeof v->charset, "UTF-8");
        v->line = (long)line;
        snprintf(v->why, sizeof v->why,
                 "text is damaged UTF-8 (not UTF-8 at byte offset %zu, counted from 0)", at);
        return WS_EENCODING;
    }
    if ((st = detect(data, len, hint && hint->markup, &d)) != WS_OK)
        return st;
    return decode_detected(data, len, &d, at, line, buf, n, v);
}

ws_status ws__encoding_decode(const char *data, size_t len, const ws__encoding_hint *hint,
                              char **out, size_t *out_len, ws__encoding_verdict *v)
{
    memset(v, 0, sizeof *v);
    v->confidence = -1;
    if (!out || !out_len || (!data && len))
        return WS_EINVAL;
    *out = NULL;
    *out_len = 0;
    ws__utf8_scan sc;
    ws__encoding_scan(data, len, &sc);
    const char *raw = data;
    size_t raw_len = len;
    char *clean = NULL, *buf = NULL;
    size_t n = 0;
    ws_status st = WS_OK;
    if (sc.bad && sc.nul) {
        /* A NUL inside a character makes the bytes around it invalid, and
         * the whole text would be refused: drop the NULs first, then judge
         * the encoding. */
        if (!(clean = malloc(len)))
            return WS_ENOMEM;
        memcpy(clean, data, len);
        len = strip_nul(clean, len);
        data = clean;
        ws__encoding_scan(data, len, &sc);
    }
    if (sc.bad == 0) {
        snprintf(v->charset, sizeof v->charset, "UTF-8");
        if (!(buf = malloc(len + 1))) {
            st = WS_ENOMEM;
            goto out;
        }
        if (len)
            memcpy(buf, data, len);
        n = len;
    } else if ((st = decode_other(raw, raw_len, data, len, &sc, hint, &buf, &n, v)) != WS_OK) {
        goto out;
    }
    n = strip_nul_bom(buf, n);
    buf[n] = '\0';
    *out = buf;
    *out_len = n;
out:
    free(clean);
    return st;
}

ws_status ws_reader_to_utf8(const char *data, size_t len, char **out, size_t *out_len)
{
    ws__encoding_verdict v;
    return ws__encoding_decode(data, len, NULL, out, out_len, &v);
}
