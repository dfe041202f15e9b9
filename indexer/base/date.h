/* date.h - the one validator of dates, for documents, queries and requests.
 *
 * A document's date is a day, YYYY-MM-DD; a bound of a date range (in the
 * query language's date:, or from/to) may also be a month YYYY-MM or a year
 * YYYY, covering all of it. Either way the date must exist in the Gregorian
 * calendar: 2024-02-30 and 2023-02-29 are refused, not read as an empty range. */
#ifndef WS_DATE_H
#define WS_DATE_H

#ifdef __cplusplus
extern "C" {
#endif

/* 1 when s is a real day written YYYY-MM-DD (year 0001 to 9999), else 0
 * (also for NULL). */
int ws_date_valid(const char *s);

/* 1 when s is a real day YYYY-MM-DD, a month YYYY-MM or a year YYYY, else 0
 * (also for NULL). */
int ws_date_bound_valid(const char *s);

/* The day that opens s, as pages and their metadata write it: YYYY-M-D,
 * YYYY/M/D, YYYY.M.D or YYYY年M月D日 (month and day of one or two digits),
 * into out as YYYY-MM-DD. After the first three forms only a time of day
 * may follow ("2024-03-05 10:00", "2024-03-05T10:00:00.5+08:00", "...Z"),
 * and nothing else ("2024-03-05junk" is no date); after 日, anything
 * (5日12时). 1 when it is a real day, else 0 (out then ""). */
int ws_date_lead(const char *s, char out[11]);

#ifdef __cplusplus
}
#endif
#endif
