/* icu_words: plain ICU word breaking (locale zh), a reference for tools/eval.py.
 *
 *   icu_words [--words]   lines on stdin
 *
 * Prints each input line's segments separated by single spaces, one output
 * line per input line. By default every segment that is not white space is
 * printed (the segmentation reference of ../shared/eval/segmentation); with
 * --words only the segments ICU calls words (letters, numbers, ideographs:
 * rule status not UBRK_WORD_NONE), which is what a plain ICU search engine
 * would index. This is not Wensuo's analyzer: it is the peer it is measured
 * against. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

static int all_space(const UChar *s, int32_t n)
{
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(s, i, n, c);
        if (!u_isUWhiteSpace(c))
            return 0;
    }
    return 1;
}

int main(int argc, char **argv)
{
    int words_only = argc > 1 && strcmp(argv[1], "--words") == 0;
    UErrorCode err = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_WORD, "zh", NULL, 0, &err);
    if (U_FAILURE(err)) {
        fprintf(stderr, "icu_words: ubrk_open: %s\n", u_errorName(err));
        return 1;
    }
    char *line = NULL, *out = NULL;
    UChar *u = NULL;
    size_t cap = 0, ucap = 0, ocap = 0;
    ssize_t n;
    while ((n = getline(&line, &cap, stdin)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if ((size_t)n + 1 > ucap) {
            ucap = (size_t)n + 1;
            u = realloc(u, ucap * sizeof *u);
            ocap = ucap * 3 + 1;
            out = realloc(out, ocap);
            if (!u || !out)
                return 1;
        }
        int32_t ulen = 0;
        err = U_ZERO_ERROR;
        u_strFromUTF8WithSub(u, (int32_t)ucap, &ulen, line, (int32_t)n, 0xFFFD, NULL, &err);
        if (U_FAILURE(err)) {
            putchar('\n');
            continue;
        }
        ubrk_setText(bi, u, ulen, &err);
        int first = 1;
        int32_t start = ubrk_first(bi), end;
        while ((end = ubrk_next(bi)) != UBRK_DONE) {
            int32_t status = ubrk_getRuleStatus(bi);
            int keep = words_only ? !(status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT)
                                  : !all_space(u + start, end - start);
            if (keep) {
                int32_t olen = 0;
                err = U_ZERO_ERROR;
                u_strToUTF8(out, (int32_t)ocap, &olen, u + start, end - start, &err);
                if (U_SUCCESS(err)) {
                    if (!first)
                        putchar(' ');
                    fwrite(out, 1, (size_t)olen, stdout);
                    first = 0;
                }
            }
            start = end;
        }
        putchar('\n');
    }
    free(line);
    free(u);
    free(out);
    ubrk_close(bi);
    return 0;
}
