#include "date.h"

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
