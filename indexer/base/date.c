#include "date.h"

#include <stdio.h>
#include <string.h>

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int digits(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int ws_date_bound_valid(const char *s)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (!s)
        return 0;
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return 0;
    }
    int y = digits(s, 4);
    if (y == 0)
        return 0;
    if (n == 4)
        return 1;
    int m = digits(s + 5, 2);
    if (m < 1 || m > 12)
        return 0;
    if (n == 7)
        return 1;
    int d = digits(s + 8, 2);
    return d >= 1 && d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

int ws_date_valid(const char *s)
{
    return s && strlen(s) == 10 && ws_date_bound_valid(s);
}

/* Reads 1 to max digits at *p into *v, moving *p past them; 0 when none. */
static int read_number(const char **p, int max, int *v)
{
    int n = 0;
    *v = 0;
    while (n < max && **p >= '0' && **p <= '9') {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return n;
}

/* Moves *p past the separator sep stands for ('-' takes '-', '/', '.';
 * else the UTF-8 word sep exactly); 0 when it is not there. */
static int read_sep(const char **p, const char *sep)
{
    if (sep[0] == '-') {
        if (**p != '-' && **p != '/' && **p != '.')
            return 0;
        (*p)++;
        return 1;
    }
    size_t n = strlen(sep);
    if (strncmp(*p, sep, n) != 0)
        return 0;
    *p += n;
    return 1;
}

static int is_blank(char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r'); /* (a meta's content may end in a line break) */
}

static void skip_blanks(const char **p)
{
    while (is_blank(**p))
        (*p)++;
}

/* Whether p starts with lit, and moves past it when it does. */
static int take(const char **p, const char *lit)
{
    size_t n = strlen(lit);
    if (strncmp(*p, lit, n) != 0)
        return 0;
    *p += n;
    return 1;
}

/* Whether p, after a clock time's minutes, is nothing or its seconds,
 * their fraction and a zone (as time_tail takes them, with the full-width
 * colon an input method types). */
static int clock_rest(const char *p)
{
    int v;
    if ((*p == ':' || take(&p, "：")) && (p += *p == ':', read_number(&p, 2, &v) != 2 || v > 60))
        return 0;
    if (*p == '.' || *p == ',') {
        p++;
        if (!read_number(&p, 9, &v))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    skip_blanks(&p);
    int caps = 0;
    while (caps < 6 && p[caps] >= 'A' && p[caps] <= 'Z')
        caps++;
    if (caps > 5)
        return 0;
    p += caps;
    if (*p == '+' || *p == '-') {
        p++;
        if (read_number(&p, 2, &v) != 2 || v > 14)
            return 0;
        if (*p == ':')
            p++;
        if (*p >= '0' && *p <= '9' && (read_number(&p, 2, &v) != 2 || v > 59))
            return 0;
    }
    skip_blanks(&p);
    return *p == '\0';
}

/* Whether p, after a day written with '-', '/' or '.', is nothing or a
 * time of day: H:MM or HH:MM (2024/3/5 9:30:00, .NET's Chinese default),
 * :SS and a fraction optional, then optionally a zone (Z, a name of up to
 * five capitals: UTC, GMT, CST; +08:00, +0800, +08), after 'T', '-' or
 * white space; white space may end it. "2024-03-05junk" or "2024-03-05,2025-01-01" is no
 * date: a value with more in it than a day and its time says something
 * else, which would be dated wrongly without a word. */
static int time_tail(const char *p)
{
    skip_blanks(&p);
    if (!*p)
        return 1;
    if (*p == 'T' || *p == '-') /* (2024-03-05-10:30:21, as some sites write it) */
        p++;
    else if (!is_blank(p[-1]))
        return 0;
    int h, m;
    if (read_number(&p, 2, &h) < 1 || h > 24 || *p++ != ':' || read_number(&p, 2, &m) != 2 ||
        m > 59 || (h == 24 && m))
        return 0;
    return clock_rest(p);
}

/* Whether p, after a day written 年月日, is nothing or its weekday and
 * time of day as Chinese pages write them (2024年3月5日，星期二 上午10：30,
 * 5日12时, 下午3点半, 上午): "2024年3月5日至2025年12月31日" says a range,
 * not a day, and is no date, as after the other forms (time_tail). */
static int cn_time_tail(const char *p)
{
    static const char *const weekday[] = {"星期", "周", "礼拜"};
    static const char *const part[] = {"上午", "下午", "晚上", "凌晨", "中午", "早上", "傍晚"};
    skip_blanks(&p);
    if (take(&p, "，") || take(&p, "、") || take(&p, ","))
        skip_blanks(&p);
    int paren = take(&p, "（") || take(&p, "("), day = 0;
    for (size_t i = 0; i < 3 && !day; i++)
        if (take(&p, weekday[i])) {
            const char *d[] = {"一", "二", "三", "四", "五", "六", "日", "天"};
            size_t k = 0;
            while (k < 8 && !take(&p, d[k]))
                k++;
            if (k == 8)
                return 0;
            day = 1;
        }
    if (paren && (!day || (!take(&p, "）") && !take(&p, ")"))))
        return 0;
    skip_blanks(&p);
    for (size_t i = 0; i < 7; i++)
        if (take(&p, part[i])) {
            skip_blanks(&p);
            break;
        }
    if (!*p)
        return 1;
    int h, m = 0;
    if (read_number(&p, 2, &h) < 1 || h > 24)
        return 0;
    if (*p == ':' || !strncmp(p, "：", strlen("："))) { /* 10:30, 10：30:00.5 +0800 */
        p += *p == ':' ? 1 : strlen("：");
        if (read_number(&p, 2, &m) != 2 || m > 59 || (h == 24 && m))
            return 0;
        return clock_rest(p);
    }
    if (!take(&p, "时") && !take(&p, "点")) /* 10时30分, 3点半 */
        return 0;
    if (!take(&p, "半") && read_number(&p, 2, &m) >= 1 && (m > 59 || !take(&p, "分")))
        return 0;
    int sec;
    if (read_number(&p, 2, &sec) >= 1 && (sec > 60 || !take(&p, "秒")))
        return 0;
    skip_blanks(&p);
    return *p == '\0' && !(h == 24 && m);
}

int ws_date_lead(const char *s, char out[11])
{
    out[0] = '\0';
    if (!s)
        return 0;
    const char *p = s;
    int y, m, d;
    if (read_number(&p, 4, &y) != 4)
        return 0;
    /* the separators of the first kind throughout, or the Chinese ones */
    const char *seps[2][3] = {{"-", "-", ""}, {"年", "月", "日"}};
    int k = strncmp(p, "年", strlen("年")) == 0;
    char sep1 = *p;
    if (!read_sep(&p, seps[k][0]) || !read_number(&p, 2, &m) ||
        (k ? !read_sep(&p, seps[k][1]) : *p != sep1 || !read_sep(&p, "-")) ||
        !read_number(&p, 2, &d) || (k && !read_sep(&p, seps[k][2])) ||
        (k ? !cn_time_tail(p) : !time_tail(p)))
        return 0;
    char buf[32]; /* (the compiler cannot see that y, m, d fit) */
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
    if (!ws_date_valid(buf))
        return 0;
    memcpy(out, buf, 11);
    return 1;
}
