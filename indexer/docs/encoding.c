/* encoding.c - the encoding of a file's text (encoding.h): UTF-8 kept,
 * GB18030 converted, damaged UTF-8 refused. Defines ws_reader_to_utf8 of
 * reader.h. */
#include "encoding.h"

#include <stdlib.h>
#include <string.h>

#include <unicode/ucnv.h>

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

static ws_status gb18030_to_utf8(const char *data, size_t len, char **out, size_t *out_len)
{
    UErrorCode err = U_ZERO_ERROR;
    UConverter *gb = ucnv_open("gb18030", &err);
    UConverter *u8 = U_SUCCESS(err) ? ucnv_open("UTF-8", &err) : NULL;
    /* Stop at the first illegal or unmapped sequence instead of substituting. */
    if (U_SUCCESS(err))
        ucnv_setToUCallBack(gb, UCNV_TO_U_CALLBACK_STOP, NULL, NULL, NULL, &err);
    if (U_FAILURE(err)) {
        ucnv_close(gb);
        ucnv_close(u8);
        return WS_EICU;
    }
    /* One GB18030 byte gives at most one UTF-8 byte, two give at most three,
     * four give at most four: the output is at most 3/2 of the input. */
    size_t cap = len + len / 2 + 16;
    ws_status st = WS_OK;
    char *buf = malloc(cap + 1);
    if (!buf) {
        st = WS_ENOMEM;
        goto out;
    }
    char *t = buf;
    const char *s = data;
    ucnv_convertEx(u8, gb, &t, buf + cap, &s, data + len, NULL, NULL, NULL, NULL, 1, 1, &err);
    if (err == U_MEMORY_ALLOCATION_ERROR)
        st = WS_ENOMEM;
    else if (err == U_BUFFER_OVERFLOW_ERROR)
        st = WS_EINTERNAL;
    else if (U_FAILURE(err))
        st = WS_EENCODING;
    if (st != WS_OK) {
        free(buf);
        goto out;
    }
    *out = buf;
    *out_len = (size_t)(t - buf);
out:
    ucnv_close(gb);
    ucnv_close(u8);
    return st;
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

ws_status ws_reader_to_utf8(const char *data, size_t len, char **out, size_t *out_len)
{
    if (!out || !out_len || (!data && len))
        return WS_EINVAL;
    *out = NULL;
    *out_len = 0;
    ws__utf8_scan sc;
    ws__encoding_scan(data, len, &sc);
    char *clean = NULL, *buf = NULL;
    size_t n = 0;
    ws_status st = WS_OK;
    if (sc.bad && sc.nul) {
        /* A NUL inside a character makes the bytes around it invalid, and
         * the whole text was refused as neither UTF-8 nor GB18030: drop the
         * NULs first, then judge the encoding. */
        if (!(clean = malloc(len)))
            return WS_ENOMEM;
        memcpy(clean, data, len);
        len = strip_nul(clean, len);
        data = clean;
        ws__encoding_scan(data, len, &sc);
    }
    if (sc.bad == 0) {
        if (!(buf = malloc(len + 1))) {
            st = WS_ENOMEM;
            goto out;
        }
        if (len)
            memcpy(buf, data, len);
        n = len;
    } else if (looks_like_damaged_utf8(&sc)) {
        st = WS_EENCODING;
        goto out;
    } else if ((st = gb18030_to_utf8(data, len, &buf, &n)) != WS_OK) {
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
