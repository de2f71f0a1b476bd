/*
 * calendar.h - business calendars and exact business-time arithmetic.
 *
 * A calendar is a time zone, weekly working hours, a holiday set computed
 * by rule, closures (e.g. the Japanese year-end, December 29 - January 3)
 * and dates from a file. Loading expands it into the UTC intervals of every
 * working period from 1980 to 2099 with prefix sums, so the business
 * seconds between two instants and the deadline N business seconds after
 * an instant each cost one binary search (O(log n)), never a walk.
 *
 * The calendar named "24x7" is the wall clock: every second counts. Its
 * zone (UTC unless given) places only its days: quarters, months.
 */
#ifndef TSAM_CALENDAR_H
#define TSAM_CALENDAR_H

#include "err.h"

#include <stdbool.h>
#include <stdint.h>

struct tsam_cal;

/* First and last years a calendar covers. */
#define TSAM_CAL_FIRST_YEAR 1980
#define TSAM_CAL_LAST_YEAR  2099

/*
 * Loads the calendar file path (JSON, see docs/sla.md). Zone files come
 * from zoneinfo (NULL: /usr/share/zoneinfo). *out is the caller's.
 */
TSAM_MUST_CHECK enum tsam_err tsam_cal_load(const char *path,
					    const char *zoneinfo,
					    struct tsam_cal **out,
					    struct tsam_errbuf *eb);

/*
 * A calendar by name: "24x7", or DATADIR/sla/calendars/NAME.json; a name
 * with a "/" or ending in ".json" is a path.
 */
TSAM_MUST_CHECK enum tsam_err tsam_cal_named(const char *datadir,
					     const char *name,
					     struct tsam_cal **out,
					     struct tsam_errbuf *eb);

/*
 * The 24x7 calendar in zone (an IANA name from zoneinfo, NULL:
 * /usr/share/zoneinfo; zone NULL: UTC): every second is business time,
 * days and quarters start at the zone's midnight. *out is the caller's.
 */
TSAM_MUST_CHECK enum tsam_err tsam_cal_wall(const char *zone,
					    const char *zoneinfo,
					    struct tsam_cal **out,
					    struct tsam_errbuf *eb);

/* Frees cal (NULL is fine). */
void tsam_cal_free(struct tsam_cal *cal);

/* The calendar's name. */
const char *tsam_cal_name(const struct tsam_cal *cal);

/* The zone's name ("UTC" for a 24x7 calendar without one). */
const char *tsam_cal_zone(const struct tsam_cal *cal);

/* True for the wall-clock calendar. */
bool tsam_cal_is_24x7(const struct tsam_cal *cal);

/* Business seconds in one business day (8.5 h for 09:00-17:30; 24 h for
 * 24x7): the unit of "N business days". */
int64_t tsam_cal_day_seconds(const struct tsam_cal *cal);

/* Business seconds in [a, b); 0 when b <= a. */
int64_t tsam_cal_seconds(const struct tsam_cal *cal, int64_t a, int64_t b);

/*
 * The first instant at which secs business seconds have passed since t
 * (t itself when secs is 0). INT64_MAX past the covered years.
 */
int64_t tsam_cal_add(const struct tsam_cal *cal, int64_t t, int64_t secs);

/* True when t falls inside working hours. */
bool tsam_cal_is_open(const struct tsam_cal *cal, int64_t t);

/* The name of the holiday or closure on local date y-m-d, or NULL. */
const char *tsam_cal_holiday(const struct tsam_cal *cal, int y, int m, int d);

/* The UTC offset of the calendar's zone at t. */
int32_t tsam_cal_offset(const struct tsam_cal *cal, int64_t t);

/* Local wall time (seconds since 1970-01-01 local) to UTC in the zone. */
int64_t tsam_cal_to_utc(const struct tsam_cal *cal, int64_t local);

#endif
