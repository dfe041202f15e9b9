/* test_search_order.c - the order of the matches and their counts, end to
 * end (search_fixture.h): newest first, and oldest first with a document
 * without a date last either way; pages that make up the whole list, of a
 * relaxed query too, and the limits of a page; a page of the match list
 * (ws_db_list_page) the slice of the whole one in every order from every
 * start, where many matches share a date too, and every match listed
 * oldest first in a search's order; facets by source, type, year and
 * month, and facets and sorts parsed by name; the url of a hit. */
#include "search_fixture.h"
#include "engine.h"
#include "query.h"
#include "search_int.h"

/* ---- order, paging, facets --------------------------------------------------------------- */

static void test_sort_and_paging(void)
{
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.sort = WS_SORT_DATE;
    ws_results *r = run("type:news OR type:policy", &o);
    CHECK(r && r->nhits >= 10);
    for (size_t k = 1; r && k < r->nhits; k++)
        CHECK(strcmp(r->hits[k - 1].date, r->hits[k].date) >= 0);
    CHECK(r && !strcmp(r->hits[0].date, "2024-04-30"));
    ws_results_free(r);
    r = run("印发", &o);
    for (size_t k = 1; r && k < r->nhits; k++)
        CHECK(strcmp(r->hits[k - 1].date, r->hits[k].date) >= 0);
    ws_results_free(r);

    /* pages of 3 make up the whole list, in order */
    memset(&o, 0, sizeof o);
    ws_results *all = run("type:news OR type:policy OR 国务院", &o);
    CHECK(all && all->nhits > 6);
    size_t seen = 0;
    for (unsigned off = 0; all && off < all->nhits + 3; off += 3) {
        o.offset = off;
        o.limit = 3;
        ws_results *p = run("type:news OR type:policy OR 国务院", &o);
        if (!p)
            break;
        CHECK_INT(p->total, all->total);
        size_t want = all->nhits > off ? all->nhits - off : 0;
        CHECK_INT(p->nhits, want < 3 ? want : 3);
        for (size_t k = 0; k < p->nhits; k++) {
            CHECK_STR(p->hits[k].id, all->hits[off + k].id);
            seen++;
        }
        ws_results_free(p);
    }
    CHECK(all && seen == all->nhits);
    ws_results_free(all);

    /* a query of several words that few documents hold whole is relaxed, and
     * on every page alike: the pages make up the list of a page of 100 (the
     * relaxed total is an estimate, so only the ids are compared); 碳 达 峰
     * written apart, as 碳达峰 is one word of the new words */
    memset(&o, 0, sizeof o);
    const char *few = "国务院 数字政府 碳 达 峰";
    all = run(few, &o);
    CHECK(all && all->nhits >= 9);
    seen = 0;
    for (unsigned off = 0; all && all->nhits >= 9 && off < 9; off += 3) {
        o.offset = off;
        o.limit = 3;
        ws_results *p = run(few, &o);
        if (!p)
            break;
        for (size_t k = 0; k < p->nhits; k++, seen++)
            CHECK_STR(p->hits[k].id, all->hits[off + k].id);
        ws_results_free(p);
    }
    CHECK_INT(seen, 9);
    ws_results_free(all);

    /* limits */
    memset(&o, 0, sizeof o);
    o.query = "国务院";
    o.limit = WS_SEARCH_MAX_LIMIT + 1;
    CHECK_INT(ws_searcher_run(se, &o, &r), WS_EINVAL);
    o.limit = 10;
    o.offset = WS_SEARCH_MAX_WINDOW;
    CHECK_INT(ws_searcher_run(se, &o, &r), WS_EINVAL);
}

static void test_facets(void)
{
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.facets = WS_FACET_SOURCE | WS_FACET_TYPE | WS_FACET_YEAR;
    ws_results *r = run("印发 OR 国务院 OR 赣南日报 OR 园区", &o);
    CHECK(r && r->facets && r->nhits > 3);
    if (!r || !r->facets) {
        ws_results_free(r);
        return;
    }
    static const char *const kinds[] = {"source", "type", "year"};
    for (int f = 0; f < 3; f++) {
        json_t *counts = json_object_get(r->facets, kinds[f]);
        CHECK(json_is_object(counts));
        /* the counts are those of the hits (all of them fit in the page) */
        size_t sum = 0;
        const char *key;
        json_t *v;
        json_object_foreach(counts, key, v)
        {
            size_t n = 0;
            for (size_t k = 0; k < r->nhits; k++) {
                long i = doc_index(r->hits[k].id);
                const char *val = f == 0 ? docs[i].source : f == 1 ? docs[i].type : docs[i].date;
                n += f == 2 ? !strncmp(val, key, 4) && strlen(key) == 4 : !strcmp(val, key);
            }
            if ((size_t)json_integer_value(v) != n) {
                fprintf(stderr, "%s:%d: facet %s %s: %lld, hits say %zu\n", __FILE__, __LINE__,
                        kinds[f], key, (long long)json_integer_value(v), n);
                check_failures++;
            }
            sum += (size_t)json_integer_value(v);
        }
        CHECK_INT(sum, r->nhits);
    }
    ws_results_free(r);
    /* no facets unless asked */
    r = run("国务院", NULL);
    CHECK(r && r->facets == NULL);
    ws_results_free(r);
}

/* Oldest first, facets by month, and a hit's url: with a document without
 * a date (which goes last, oldest first as newest first) and one with a url
 * among the test documents for a while; the months are counted from the
 * documents' dates here, not from the index. */

static const char nautilus_all[] = "type:news OR type:policy OR type:law OR type:report";

/* The two documents of the test, indexed and searchable. */
static void nautilus_put(void)
{
    ws_doc *d = ws_fixture_doc("undated-nautilus", "鹦鹉螺号航行记录", "鹦鹉螺号没有日期。", NULL,
                               "航海日志", "news");
    ws_doc *u = ws_fixture_doc("dated-nautilus", "鹦鹉螺号试航", "鹦鹉螺号在二〇二一年试航。",
                               "2021-09-03", "航海日志", "news");
    ws_doc_set(&u->url, "https://example.org/nautilus", strlen("https://example.org/nautilus"));
    CHECK_INT(ws_fixture_put(ix, an, d), WS_OK);
    CHECK_INT(ws_fixture_put(ix, an, u), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

static void nautilus_remove(void)
{
    CHECK_INT(ws_index_delete(ix, "undated-nautilus"), WS_OK);
    CHECK_INT(ws_index_delete(ix, "dated-nautilus"), WS_OK);
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

/* The dates of every dated document, sorted here, into want; their count. */
static size_t dated_sorted(const char *want[NDOCS + 1])
{
    size_t nw = 0;
    for (size_t i = 0; i < NDOCS; i++)
        want[nw++] = docs[i].date;
    want[nw++] = "2021-09-03";
    for (size_t i = 1; i < nw; i++) /* insertion sort: a handful */
        for (size_t k = i; k > 0 && strcmp(want[k - 1], want[k]) > 0; k--) {
            const char *t = want[k];
            want[k] = want[k - 1];
            want[k - 1] = t;
        }
    return nw;
}

/* Oldest first: the dates in order, then the undated one; newest first still
 * puts it last, and a page of oldest first is a slice of the whole order. */
static void check_oldest_first(const char *const want[], size_t nw)
{
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.sort = WS_SORT_DATE_ASC;
    ws_results *r = run(nautilus_all, &o);
    CHECK(r && r->nhits == NDOCS + 2);
    for (size_t k = 0; r && k < nw && k < r->nhits; k++)
        CHECK_STR(r->hits[k].date, want[k]);
    CHECK(r && r->nhits == nw + 1 && r->hits[nw].date == NULL &&
          !strcmp(r->hits[nw].id, "undated-nautilus"));
    ws_results_free(r);
    o.sort = WS_SORT_DATE;
    r = run(nautilus_all, &o);
    CHECK(r && r->nhits == nw + 1 && !strcmp(r->hits[0].date, want[nw - 1]) &&
          r->hits[nw].date == NULL);
    ws_results_free(r);
    o.sort = WS_SORT_DATE_ASC;
    o.offset = 3;
    o.limit = 2;
    r = run(nautilus_all, &o);
    CHECK(r && r->nhits == 2 && !strcmp(r->hits[0].date, want[3]) &&
          !strcmp(r->hits[1].date, want[4]));
    ws_results_free(r);

    /* a page that starts with the undated one */
    o.offset = (unsigned)nw;
    o.limit = 3;
    r = run(nautilus_all, &o);
    CHECK(r && r->nhits == 1 && !strcmp(r->hits[0].id, "undated-nautilus"));
    ws_results_free(r);
}

/* The plan of the query every document matches (the caller frees both). */
static void plan_all(ws_qast **ast, ws_qnode **q)
{
    ws_search_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.query = nautilus_all;
    CHECK_INT(ws__searcher_plan(se, &lo, ast, q), WS_OK);
}

/* Every match oldest first, as an export lists them: the order of a search. */
static void check_listed_oldest_first(void)
{
    ws_qast *ast = NULL;
    ws_qnode *q = NULL;
    ws_db_list l = {0};
    plan_all(&ast, &q);
    CHECK_INT(ws_db_list_all(ws__searcher_db(se), q, WS_DB_ORDER_DATE_ASC, &l), WS_OK);
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.sort = WS_SORT_DATE_ASC;
    o.limit = 100;
    ws_results *r = run(nautilus_all, &o);
    CHECK(r && l.n == r->nhits);
    for (size_t k = 0; r && k < l.n && k < r->nhits; k++) {
        json_t *d = NULL;
        char *data = NULL;
        CHECK_INT(ws_db_data(ws__searcher_db(se), l.docid[k], &data), WS_OK);
        d = data ? json_loads(data, 0, NULL) : NULL;
        CHECK_STR(json_string_value(json_object_get(d, "id")), r->hits[k].id);
        json_decref(d);
        free(data);
    }
    ws_results_free(r);
    ws_db_list_free(&l);
    ws_qtree_free(q);
    ws_qast_free(ast);
}

/* Months: YYYY-MM of each date (want, sorted), the undated under "(none)". */
static void check_months(const char *const want[], size_t nw)
{
    ws_search_opts o;
    memset(&o, 0, sizeof o);
    o.facets = WS_FACET_MONTH | WS_FACET_YEAR;
    ws_results *r = run(nautilus_all, &o);
    json_t *months = r && r->facets ? json_object_get(r->facets, "month") : NULL;
    CHECK(json_is_object(months) && json_is_object(json_object_get(r->facets, "year")));
    size_t sum = 0, distinct = 0;
    for (size_t i = 0; months && i < nw; i++) {
        if (i && !strncmp(want[i - 1], want[i], 7))
            continue;
        size_t n = 0;
        for (size_t k = 0; k < nw; k++)
            n += !strncmp(want[k], want[i], 7);
        char key[8];
        memcpy(key, want[i], 7);
        key[7] = '\0';
        json_t *v = json_object_get(months, key);
        if (!v || (size_t)json_integer_value(v) != n) {
            fprintf(stderr, "%s:%d: month %s: %lld, the dates say %zu\n", __FILE__, __LINE__, key,
                    v ? (long long)json_integer_value(v) : -1LL, n);
            check_failures++;
        }
        sum += n;
        distinct++;
    }
    CHECK(months && json_object_size(months) == distinct + 1);
    CHECK(months && json_integer_value(json_object_get(months, "(none)")) == 1);
    CHECK_INT(sum + 1, r ? r->total : 0);
    ws_results_free(r);
}

/* Facets and sorts parsed by name, and refused by an unknown name in words
 * that list the known. */
static void check_facet_and_sort_names(void)
{
    unsigned bits = 0;
    char err[256] = "";
    CHECK_INT(ws_search_facets_parse("year,month", &bits, err, sizeof err), WS_OK);
    CHECK_INT(bits, WS_FACET_YEAR | WS_FACET_MONTH);
    CHECK_INT(ws_search_facets_parse("week", &bits, err, sizeof err), WS_EINVAL);
    CHECK(strstr(err, "month") != NULL);
    ws_sort sort = WS_SORT_RELEVANCE;
    CHECK_INT(ws_search_sort_parse("date_asc", &sort, err, sizeof err), WS_OK);
    CHECK_INT(sort, WS_SORT_DATE_ASC);
    CHECK_INT(ws_search_sort_parse("oldest", &sort, err, sizeof err), WS_EINVAL);
    CHECK(strstr(err, "date_asc") != NULL);
}

/* The url on the hit that has one, in JSON too; none on the others. */
static void check_url(void)
{
    ws_results *r = run("鹦鹉螺号", NULL);
    CHECK(r && r->nhits == 2);
    json_t *j = r ? ws_results_to_json(r, "<b>", "</b>") : NULL;
    size_t i;
    json_t *h;
    json_array_foreach(json_object_get(j, "hits"), i, h)
    {
        const char *id = json_string_value(json_object_get(h, "id"));
        const char *url = json_string_value(json_object_get(h, "url"));
        if (id && !strcmp(id, "dated-nautilus"))
            CHECK(url && !strcmp(url, "https://example.org/nautilus"));
        else
            CHECK(json_object_get(h, "url") == NULL);
    }
    json_decref(j);
    ws_results_free(r);
}

/* The pages of query's matches (ws_db_list_page) against the whole list,
 * as check_list_pages says; how many were wrong, *pages counted. */
static size_t wrong_pages(const char *query, size_t *pages)
{
    ws_search_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.query = query;
    ws_qast *ast = NULL;
    ws_qnode *q = NULL;
    CHECK_INT(ws__searcher_plan(se, &lo, &ast, &q), WS_OK);
    ws_db *db = ws__searcher_db(se);
    const ws_db_order orders[] = {WS_DB_ORDER_RELEVANCE, WS_DB_ORDER_DATE_DESC,
                                  WS_DB_ORDER_DATE_ASC};
    size_t wrong = 0;
    for (size_t k = 0; k < 3; k++) {
        ws_db_list all = {0};
        CHECK_INT(ws_db_list_all(db, q, orders[k], &all), WS_OK);
        CHECK(all.n > 3);
        for (size_t from = 0; from <= all.n; from++) {
            const size_t sizes[] = {1, 2, 3, all.n};
            for (size_t z = 0; z < 4; z++) {
                ws_db_list page = {0};
                CHECK_INT(ws_db_list_page(db, q, orders[k], from, sizes[z], &page, NULL), WS_OK);
                size_t want = all.n - from < sizes[z] ? all.n - from : sizes[z];
                wrong += page.n != want;
                for (size_t i = 0; i < page.n && i < want; i++)
                    wrong += page.docid[i] != all.docid[from + i];
                ++*pages;
                ws_db_list_free(&page);
            }
        }
        ws_db_list_free(&all);
    }
    ws_qtree_free(q);
    ws_qast_free(ast);
    return wrong;
}

/* Pages by date where many matches share a date and relevance orders them
 * (a law's articles all carry its date): a page ranks only the matches
 * that can reach its places (dblist.cc's date_window), so a tie across a
 * page's edge must keep all its documents. Seventeen documents of 潮汐:
 * nine of one day, four of another, three of a third, one undated, each
 * holding the word a different number of times. */
static void check_tied_pages(void)
{
    static const char *const dates[] = {
        "2021-01-01", "2021-01-01", "2022-05-05", "2021-01-01", "2020-02-02", "2021-01-01",
        NULL,         "2022-05-05", "2021-01-01", "2020-02-02", "2021-01-01", "2022-05-05",
        "2021-01-01", "2020-02-02", "2022-05-05", "2021-01-01", "2021-01-01"};
    size_t n = sizeof dates / sizeof *dates;
    for (size_t i = 0; i < n; i++) {
        char id[32], body[512];
        snprintf(id, sizeof id, "tide-%02zu", i);
        size_t at = (size_t)snprintf(body, sizeof body, "海边的记录。");
        for (size_t k = 0; k < 1 + (i * 7) % 5; k++)
            at += (size_t)snprintf(body + at, sizeof body - at, "潮汐涨落，");
        for (size_t k = 0; k < (i * 3) % 4; k++)
            at += (size_t)snprintf(body + at, sizeof body - at, "渔船归港，晚霞满天。");
        CHECK_INT(
            ws_fixture_put(ix, an, ws_fixture_doc(id, "观察", body, dates[i], "日志", "news")),
            WS_OK);
    }
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
    size_t pages = 0;
    CHECK_INT(wrong_pages("潮汐", &pages), 0);
    CHECK_INT(wrong_pages("\"潮汐\" 晚霞", &pages), 0);
    CHECK(pages > 100);
    for (size_t i = 0; i < n; i++) {
        char id[32];
        snprintf(id, sizeof id, "tide-%02zu", i);
        CHECK_INT(ws_index_delete(ix, id), WS_OK);
    }
    CHECK_INT(ws_index_commit_all(ix), WS_OK);
    CHECK_INT(ws_searcher_reopen(se), WS_OK);
}

/* A page of the matches (ws_db_list_page) is the slice of the whole list
 * at its place, in every order, from every start, one, two, three or
 * every match long: across the undated one oldest first too. */
static void check_list_pages(void)
{
    size_t pages = 0;
    CHECK_INT(wrong_pages(nautilus_all, &pages), 0);
    CHECK(pages > 30);
    ws_qast *ast = NULL;
    ws_qnode *q = NULL;
    plan_all(&ast, &q);
    ws_db *db = ws__searcher_db(se);
    size_t wrong = 0;
    /* every match beside a page, in docid order: the whole list's */
    ws_db_list bydoc = {0}, every = {0}, first = {0};
    CHECK_INT(ws_db_list_all(db, q, WS_DB_ORDER_DOCID, &bydoc), WS_OK);
    CHECK_INT(ws_db_list_page(db, q, WS_DB_ORDER_DATE_DESC, 0, 2, &first, &every), WS_OK);
    CHECK_INT(every.n, bydoc.n);
    CHECK_INT(first.n, 2);
    for (size_t i = 0; i < every.n && i < bydoc.n; i++)
        wrong += every.docid[i] != bydoc.docid[i];
    ws_db_list_free(&bydoc);
    ws_db_list_free(&every);
    ws_db_list_free(&first);
    CHECK_INT(wrong, 0);
    ws_db_list page = {0};
    CHECK_INT(ws_db_list_page(db, q, WS_DB_ORDER_DOCID, 0, 3, &page, NULL), WS_EINVAL);
    ws_qtree_free(q);
    ws_qast_free(ast);
}

static void test_oldest_month_url(void)
{
    nautilus_put();
    const char *want[NDOCS + 1];
    size_t nw = dated_sorted(want);
    check_oldest_first(want, nw);
    check_listed_oldest_first();
    check_list_pages();
    check_tied_pages();
    check_months(want, nw);
    check_facet_and_sort_names();
    check_url();
    nautilus_remove();
}

int main(void)
{
    if (search_setup("test_search_order"))
        return 1;
    test_sort_and_paging();
    test_facets();
    test_oldest_month_url();
    search_teardown();
    CHECK_DONE();
}
