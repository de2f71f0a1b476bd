/*
 * date.h - civil dates and timestamps without the C library's locale or TZ
 * state: proleptic Gregorian day numbers, weekdays, and a strict,
 * format-driven timestamp parser for exported data ("%d/%m/%Y %H:%M",
 * ISO-8601 with or without offset), and quarters ("2026Q3").
 */
#ifndef TSAM_DATE_H
#define TSAM_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Days since 1970-01-01 of the civil date y-m-d (m 1-12, d 1-31). */
int64_t tsam_days_from_civil(int y, int m, int d);

/* The civil date of day number days (since 1970-01-01). */
void tsam_civil_from_days(int64_t days, int *y, int *m, int *d);

/* Weekday of day number days: 0 Sunday ... 6 Saturday. */
int tsam_weekday(int64_t days);

/* Days in month m of year y. */
int tsam_month_days(int y, int m);

/* Day number of the n-th (1..5) weekday wd (0 Sunday) of y-m; n = -1 for
 * the last one. */
int64_t tsam_nth_weekday(int y, int m, int wd, int n);

/* A parsed timestamp: wall-clock fields and, if the text had one, its
 * offset from UTC in seconds. */
struct tsam_datetime {
	int y, mo, d, h, mi, s;
	bool has_offset;
	int32_t offset;
};

/*
 * Parses n bytes of s with fmt, which is a strftime-like pattern of %Y
 * (4 digits), %y (2 digits: 2000-2099), %m %d %H %M %S (1 or 2 digits),
 * %b (Jan ... Dec, any case: English, whatever the locale), %I (1-12) with
 * %p (AM or PM, any case), %z (Z, +09, +0900, +09:00), %T (%H:%M:%S), %%
 * and literal characters, or the word "iso" for
 * ISO-8601: date, then optional [T or space]HH:MM[:SS[.frac]] and offset.
 * Fields not in fmt are 0 (time) or 2000-01-01 (date); the whole text
 * must be consumed.
 * Returns false when the text does not match or a field is out of range.
 */
bool tsam_datetime_parse(const char *s, size_t n, const char *fmt,
			 struct tsam_datetime *out);

/* Seconds since 1970-01-01 00:00 of dt's wall-clock fields (no offset). */
int64_t tsam_datetime_wall(const struct tsam_datetime *dt);

/* "2026-11-26T00:10:00Z" -> epoch seconds; -1 when malformed. */
time_t tsam_time_parse(const char *s);

/* "2026-12-31" -> epoch of 2026-12-31T00:00:00Z, or -1. */
time_t tsam_date_parse(const char *s);

/* "2026Q3" (or "2026q3") -> year (1981-2099) and quarter (1-4); false when
 * malformed. */
bool tsam_quarter_parse(const char *s, int *year, int *quarter);

#endif
