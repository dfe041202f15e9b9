/* html.c - the title and visible text of an HTML page (html.h), through
 * libxml2's HTML parser. */
#include "html.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "date.h"
#include "normalize.h"
#include "strbuf.h"

/* Visible text being gathered: runs of white space become one space, and none
 * at all where a source line break falls between two CJK characters (HTML
 * wrapped in the middle of a Chinese sentence must not gain a space). */
typedef struct text_buf {
    ws_strbuf buf;
    unsigned pending;   /* 0 none, 1 white space, 2 white space with a line break */
    unsigned long last; /* the last character appended */
} text_buf;

static void tb_put(text_buf *b, const char *s, size_t n)
{
    ws_strbuf_add(&b->buf, s, n);
}

static int is_cjk(unsigned long c)
{
    return (c >= 0x2E80 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
           (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFFEF) || c >= 0x20000;
}

static void tb_break(text_buf *b)
{
    b->pending = 0;
    if (b->buf.len && b->buf.s[b->buf.len - 1] != '\n') {
        tb_put(b, "\n", 1);
        b->last = '\n';
    }
}

/* Appends the text of a node (UTF-8 from libxml2); pre keeps white space. */
static void tb_text(text_buf *b, const char *s, int pre)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = (size_t)ws_utf8_decode(u + i, n - i, &cp);
        if (cp == 0xFFFD && k == 1) { /* libxml2 gives UTF-8; be safe anyway */
            i++;
            continue;
        }
        unsigned long c = cp;
        int white = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0xA0;
        if (white && !pre) {
            unsigned p = (c == '\n' || c == '\r') ? 2 : 1;
            if (p > b->pending)
                b->pending = p;
        } else {
            if (b->pending && b->buf.len && b->buf.s[b->buf.len - 1] != '\n' &&
                !(b->pending == 2 && is_cjk(b->last) && is_cjk(c)))
                tb_put(b, " ", 1);
            b->pending = 0;
            tb_put(b, s + i, c == '\r' ? 0 : k);
            b->last = c;
        }
        i += k;
    }
}

static int name_in(const xmlChar *name, const char *const *set)
{
    for (; *set; set++)
        if (strcmp((const char *)name, *set) == 0)
            return 1;
    return 0;
}

static const char *const skipped[] = {"script",   "style", "head",   "noscript",
                                      "template", "title", "iframe", NULL};
static const char *const blocks[] = {
    "p",       "div",      "li",    "h1",      "h2",         "h3",      "h4",     "h5",
    "h6",      "tr",       "ul",    "ol",      "dl",         "dt",      "dd",     "table",
    "caption", "thead",    "tbody", "tfoot",   "section",    "article", "header", "footer",
    "nav",     "aside",    "main",  "address", "blockquote", "pre",     "figure", "figcaption",
    "form",    "fieldset", "hr",    "center",  "option",     NULL};

/* Gathers the visible text under root, in document order, without recursion
 * (the parser accepts deep nesting; the stack must not care). */
static void gather_text(const xmlNode *root, text_buf *b)
{
    int pre = 0;
    const xmlNode *n = root;
    while (n) {
        int enter = 0;
        if (n->type == XML_ELEMENT_NODE && !name_in(n->name, skipped)) {
            enter = 1;
            if (strcmp((const char *)n->name, "br") == 0) {
                b->pending = 0;
                tb_put(b, "\n", 1);
                b->last = '\n';
            } else if (name_in(n->name, blocks)) {
                tb_break(b);
            } else if ((strcmp((const char *)n->name, "td") == 0 ||
                        strcmp((const char *)n->name, "th") == 0) &&
                       !b->pending) {
                b->pending = 1; /* cells apart */
            }
            pre += strcmp((const char *)n->name, "pre") == 0 ||
                   strcmp((const char *)n->name, "textarea") == 0;
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            tb_text(b, (const char *)n->content, pre > 0);
        }
        if (enter && n->children) {
            n = n->children;
            continue;
        }
        /* Leave n and every ancestor whose last child it was. */
        for (;;) {
            if (n->type == XML_ELEMENT_NODE && !name_in(n->name, skipped)) {
                if (name_in(n->name, blocks))
                    tb_break(b);
                pre -= strcmp((const char *)n->name, "pre") == 0 ||
                       strcmp((const char *)n->name, "textarea") == 0;
            }
            if (n == root) {
                n = NULL;
                break;
            }
            if (n->next) {
                n = n->next;
                break;
            }
            n = n->parent;
        }
    }
}

/* The node after n's subtree under root in document order (its or an
 * ancestor's next sibling), or NULL past the last. */
static const xmlNode *next_past(const xmlNode *root, const xmlNode *n)
{
    while (n && n != root && !n->next)
        n = n->parent;
    return (n && n != root) ? n->next : NULL;
}

/* The node after n under root in document order (its first child, else
 * its or an ancestor's next sibling), or NULL past the last. */
static const xmlNode *next_under(const xmlNode *root, const xmlNode *n)
{
    return n->children ? n->children : next_past(root, n);
}

/* Whether n is an <svg> or <math> element: foreign content, whose <title>
 * names a picture (an icon's), not the page. */
static int is_foreign(const xmlNode *n)
{
    return n->type == XML_ELEMENT_NODE &&
           (!strcmp((const char *)n->name, "svg") || !strcmp((const char *)n->name, "math"));
}

/* The first element called name under root, in document order, outside
 * foreign content. */
static const xmlNode *find_element(const xmlNode *root, const char *name)
{
    for (const xmlNode *n = root; n; n = is_foreign(n) ? next_past(root, n) : next_under(root, n))
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, name) == 0)
            return n;
    return NULL;
}

/* The text of an element with white space collapsed (title, h1). */
static ws_status element_text(const xmlNode *el, char **out)
{
    text_buf b = {0};
    xmlChar *s = xmlNodeGetContent(el);
    if (!s)
        return WS_OK;
    tb_text(&b, (const char *)s, 0);
    xmlFree(s);
    if (b.buf.failed) {
        free(b.buf.s);
        return WS_ENOMEM;
    }
    *out = b.buf.s;
    return WS_OK;
}

/* text[0..len) parsed as encoding into *out (NULL when libxml2 made
 * nothing; the caller frees it), in recovery, without acting on a <meta
 * charset> (IGNORE_ENC: the caller has decided the encoding) and reaching
 * for nothing outside; *cut (may be NULL) set when libxml2 stopped the
 * whole parse (disableSAX) at one of its limits, so that the text after
 * that point is missing: the caller must say so rather than index a part
 * of the page in silence. libxml2 stops at 256 nested elements, and the
 * rest of the page is then cut. XML_PARSE_HUGE would lift that limit, but
 * each closing tag that matches no open element scans every open one:
 * '<div>' x 120,000 then '</span>' x 120,000 (1.4 MB) took 32 s,
 * quadratic in the depth; at 256 it stays linear. WS_ENOMEM. */
static ws_status parse(const char *text, int len, const char *encoding, htmlDocPtr *out, int *cut)
{
    xmlInitParser();
    htmlParserCtxtPtr ctxt = htmlNewParserCtxt();
    *out = NULL;
    if (!ctxt)
        return WS_ENOMEM;
    int opts = HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
               HTML_PARSE_IGNORE_ENC;
    *out = htmlCtxtReadMemory(ctxt, text, len, NULL, encoding, opts);
    if (cut)
        *cut = *out && ctxt->disableSAX;
    htmlFreeParserCtxt(ctxt);
    return WS_OK;
}

/* Whether the <meta> m names a publication date (html.h), by one of its
 * attributes. */
static int names_date(const xmlNode *m)
{
    static const char *const names[] = {"pubdate",
                                        "publishdate",
                                        "firstpublishedtime",
                                        "dc.date",
                                        "dc.date.issued",
                                        "dcterms.issued",
                                        "citation_publication_date",
                                        "citation_date",
                                        "article:published_time",
                                        "datepublished",
                                        NULL};
    static const char *const attrs[] = {"name", "property", "itemprop", NULL};
    int hit = 0;
    for (const char *const *a = attrs; *a && !hit; a++) {
        xmlChar *v = xmlGetProp(m, BAD_CAST * a);
        for (const char *const *n = names; v && *n && !hit; n++)
            hit = strcasecmp((const char *)v, *n) == 0;
        xmlFree(v);
    }
    return hit;
}

/* The first publication date the page's <meta> elements give (html.h). */
static void meta_date(const xmlNode *root, ws_html_meta *meta)
{
    meta->date[0] = '\0';
    for (const xmlNode *m = root; m && !meta->date[0]; m = next_under(root, m)) {
        if (m->type != XML_ELEMENT_NODE || strcmp((const char *)m->name, "meta") != 0 ||
            !names_date(m))
            continue;
        xmlChar *c = xmlGetProp(m, BAD_CAST "content");
        const char *v = (const char *)c;
        while (v && (*v == ' ' || *v == '\t' || *v == '\n' || *v == '\r'))
            v++;
        if (v)
            ws_date_lead(v, meta->date);
        xmlFree(c);
    }
}

ws_status ws_html_extract(const char *text, size_t len, char **title, char **body, int *cut,
                          ws_html_meta *meta)
{
    if (meta)
        meta->date[0] = '\0';
    *title = NULL;
    *body = NULL;
    *cut = 0;
    if (len > (size_t)INT32_MAX)
        return WS_ETOOBIG;
    htmlDocPtr hd; /* the text is UTF-8 by now */
    if (parse(text, (int)len, "UTF-8", &hd, cut) != WS_OK)
        return WS_ENOMEM;
    const xmlNode *root = hd ? xmlDocGetRootElement(hd) : NULL;
    if (!root) {
        xmlFreeDoc(hd);
        return WS_OK; /* nothing visible */
    }
    ws_status st = WS_OK;
    text_buf b = {0};
    if (meta)
        meta_date(root, meta);
    const xmlNode *t = find_element(root, "title");
    if (t && (st = element_text(t, title)) != WS_OK)
        goto out;
    if ((!*title || !**title) && (t = find_element(root, "h1")) != NULL) {
        free(*title);
        *title = NULL;
        if ((st = element_text(t, title)) != WS_OK)
            goto out;
    }
    gather_text(root, &b);
    if (b.buf.failed) {
        st = WS_ENOMEM;
        goto out;
    }
    if (!b.buf.s && !(b.buf.s = calloc(1, 1))) {
        st = WS_ENOMEM;
        goto out;
    }
    *body = b.buf.s;
    b.buf.s = NULL;
out:
    if (st != WS_OK) {
        free(*title);
        *title = NULL;
    }
    xmlFreeDoc(hd);
    free(b.buf.s);
    return st;
}

/* The label after "charset" (then spaces, '=', spaces, a quote) in a
 * Content-Type value, as the HTML standard extracts it. */
static void label_in_content(const char *content, char *label, size_t cap)
{
    for (const char *p = content; (p = strcasestr(p, "charset")) != NULL;) {
        p += 7;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p != '=')
            continue;
        p++;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '"' || *p == '\'')
            p++;
        size_t n = strcspn(p, "\"'; \t\r\n");
        if (n && n < cap) {
            memcpy(label, p, n);
            label[n] = '\0';
        }
        return;
    }
}

/* The charset one <meta> declares, into label (left as it is when none). */
static void meta_charset(const xmlNode *meta, char *label, size_t cap)
{
    xmlChar *v = xmlGetProp(meta, BAD_CAST "charset");
    if (v) {
        size_t n = strlen((const char *)v);
        if (n && n < cap)
            memcpy(label, v, n + 1);
        xmlFree(v);
        return;
    }
    xmlChar *equiv = xmlGetProp(meta, BAD_CAST "http-equiv");
    xmlChar *content = xmlGetProp(meta, BAD_CAST "content");
    if (equiv && content && strcasecmp((const char *)equiv, "content-type") == 0)
        label_in_content((const char *)content, label, cap);
    xmlFree(equiv);
    xmlFree(content);
}

ws_status ws_html_find_charset(const char *raw, size_t len, char *label, size_t cap)
{
    if (cap)
        label[0] = '\0';
    if (cap < 2)
        return WS_OK;
    /* Read as Latin-1, in which every byte is a character: the labels are
     * ASCII, and libxml2 finds the <meta> elements however broken the page,
     * without acting on them. */
    int n = (int)(len < WS_HTML_CHARSET_SCAN ? len : WS_HTML_CHARSET_SCAN);
    htmlDocPtr hd;
    if (parse(raw, n, "ISO-8859-1", &hd, NULL) != WS_OK)
        return WS_ENOMEM;
    const xmlNode *root = hd ? xmlDocGetRootElement(hd) : NULL;
    for (const xmlNode *m = root; m && !label[0]; m = next_under(root, m))
        if (m->type == XML_ELEMENT_NODE && strcmp((const char *)m->name, "meta") == 0)
            meta_charset(m, label, cap);
    xmlFreeDoc(hd);
    return WS_OK;
}
