/*
 * holidays.h - public holidays computed by rule, for any year 1980-2099:
 * Japan (国民の祝日に関する法律: fixed days, Happy-Monday days, the
 * equinoxes, 振替休日, 国民の休日 and the one-off changes of 1989-2021),
 * England and Wales bank holidays, and US federal holidays (observed days).
 */
#ifndef TSAM_HOLIDAYS_H
#define TSAM_HOLIDAYS_H

#include <stddef.h>
#include <stdint.h>

enum tsam_holiday_set {
	TSAM_HOLIDAYS_NONE,
	TSAM_HOLIDAYS_JP,
	TSAM_HOLIDAYS_UK_EW,
	TSAM_HOLIDAYS_US
};

/* One holiday: day number (days since 1970-01-01) and its name (static). */
struct tsam_holiday {
	int64_t day;
	const char *name;
};

/* Most holidays any set has in one year. */
#define TSAM_HOLIDAYS_MAX 32

/* "jp", "uk-ew", "us", "none" -> *out; -1 when unknown. */
int tsam_holiday_set_parse(const char *s, enum tsam_holiday_set *out);

/*
 * Writes the holidays of year y (1980-2099) into out, sorted by day, and
 * returns how many. Japanese names are in Japanese, the others in English.
 * Years outside the range give 0.
 */
size_t tsam_holidays_year(enum tsam_holiday_set set, int y,
			  struct tsam_holiday out[TSAM_HOLIDAYS_MAX]);

#endif
