/* searcher.c - the searcher handle (search.h): the index, analyzer and
 * synonyms it holds, its stored documents and statistics, and what the
 * instruments take from it (search_int.h). */
#include "searcher.h"
#include "search_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lexicon.h"
#include "occurrence.h"

ws_status ws_searcher_open(const char *dir, const ws_lexicon *lex, const char *synonyms,
                           ws_searcher **out, char *errbuf, size_t errlen)
{
    *out = NULL;
    ws_searcher *s = calloc(1, sizeof *s);
    if (!s)
        return WS_ENOMEM;
    ws_status st = ws_db_open(dir, &s->db, errbuf, errlen);
    if (st == WS_OK && (st = ws_analyzer_new(lex, &s->a)) != WS_OK)
        snprintf(errbuf, errlen, "cannot create an analyzer: %s", ws_status_to_string(st));
    /* a question's vector compares only with documents' made by the same
     * vectors: with an index made by others, or none, it is not made */
    const ws_vectors *v = ws_lexicon_vectors(lex);
    if (st == WS_OK && v && !strcmp(ws_db_vectors(s->db), ws_vectors_id(v)))
        s->vectors = v;
    if (!synonyms)
        synonyms = getenv("WENSUO_SYNONYMS");
    if (st == WS_OK && synonyms && *synonyms)
        st = ws_synonyms_load(synonyms, &s->syn, errbuf, errlen);
    if (st != WS_OK) {
        ws_searcher_close(s);
        return st;
    }
    *out = s;
    return WS_OK;
}

void ws_searcher_close(ws_searcher *s)
{
    if (!s)
        return;
    ws_db_close(s->db);
    ws_analyzer_free(s->a);
    ws_synonyms_free(s->syn);
    free(s);
}

ws_status ws_searcher_reopen(ws_searcher *s)
{
    ws_status st = ws_db_reopen(s->db, NULL);
    if (st != WS_OK)
        snprintf(s->err, sizeof s->err, "%s", ws_db_errmsg(s->db));
    return st;
}

void ws_searcher_set_words(ws_searcher *s, struct ws_wordcache *wc)
{
    ws_db_set_words(s->db, wc);
}

void ws_searcher_set_deadline(ws_searcher *s, unsigned ms)
{
    ws_db_set_deadline(s->db, ms ? ws_db_now() + ms / 1000.0 : 0);
}

const char *ws_searcher_errmsg(const ws_searcher *s)
{
    return s->err;
}

ws_status ws_searcher_get_text(ws_searcher *s, const char *id, char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    ws_status st = ws_db_get(s->db, id, out);
    if (st != WS_OK) {
        snprintf(s->err, sizeof s->err, "%s",
                 st == WS_ENOTFOUND ? "no document with this id" : ws_db_errmsg(s->db));
        return st;
    }
    *len = strlen(*out);
    return WS_OK;
}

ws_status ws_searcher_get(ws_searcher *s, const char *id, json_t **out)
{
    char *data = NULL;
    size_t len;
    *out = NULL;
    ws_status st = ws_searcher_get_text(s, id, &data, &len);
    if (st != WS_OK)
        return st;
    *out = json_loadb(data, len, 0, NULL);
    free(data);
    return *out ? WS_OK : WS_ECORRUPT;
}

/* The files the searcher's lexicon was made from, and how many words each
 * gave: which dictionaries, counts and new words its queries are cut by. */
static json_t *lexicon_json(const ws_lexicon *lex)
{
    const ws_lexicon_source *src;
    size_t n;
    ws_lexicon_sources(lex, &src, &n);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s, s:I}", "file", src[i].path, "kind",
                                           src[i].kind, "words", (json_int_t)src[i].words));
    return a;
}

ws_status ws_searcher_stats(ws_searcher *s, json_t **out)
{
    unsigned long docs, terms;
    unsigned long long bytes;
    unsigned shards;
    ws_status st = ws_db_stats(s->db, &docs, &terms, &bytes, &shards);
    if (st != WS_OK) {
        snprintf(s->err, sizeof s->err, "%s", ws_db_errmsg(s->db));
        return st;
    }
    /* which word vectors the index was made with and the searcher has, and
     * whether questions use them (only when the two are the same) */
    const ws_vectors *v = ws_lexicon_vectors(ws_analyzer_lexicon(s->a));
    const char *made = ws_db_vectors(s->db);
    *out = json_pack("{s:I, s:I, s:o, s:I, s:{s:o, s:o, s:b}}", "documents", (json_int_t)docs,
                     "terms", (json_int_t)terms, "index_bytes",
                     bytes == WS_DB_BYTES_UNKNOWN ? json_null() : json_integer((json_int_t)bytes),
                     "shards", (json_int_t)shards, "vectors", "index",
                     *made ? json_string(made) : json_null(), "searcher",
                     v ? json_string(ws_vectors_id(v)) : json_null(), "in_use", s->vectors != NULL);
    if (*out)
        json_object_set_new(*out, "lexicon", lexicon_json(ws_analyzer_lexicon(s->a)));
    return *out ? WS_OK : WS_ENOMEM;
}

ws_db *ws__searcher_db(ws_searcher *s)
{
    return s->db;
}

ws_analyzer *ws__searcher_analyzer(ws_searcher *s)
{
    return s->a;
}

unsigned ws__searcher_occ_flags(ws_searcher *s)
{
    return ws_db_spaces(s->db) ? 0 : WS_OCC_CUT_MARKS;
}

void ws__searcher_fail(ws_searcher *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof s->err, fmt, ap);
    va_end(ap);
}
