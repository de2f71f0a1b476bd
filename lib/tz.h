/*
 * tz.h - IANA time zones read from the system's TZif files, without the C
 * library's global TZ state: UTC offset at an instant, and local wall time
 * to UTC (the business calendars need both, for any year 1980-2099).
 *
 * Instants past the file's last transition follow its POSIX TZ footer
 * ("EST5EDT,M3.2.0,M11.1.0"), so daylight-saving rules hold beyond 2037.
 */
#ifndef TSAM_TZ_H
#define TSAM_TZ_H

#include "err.h"

#include <stdint.h>

struct tsam_tz;

/* Longest zone name accepted (the longest IANA name has 32 bytes). */
#define TSAM_TZ_MAX_NAME 127

/*
 * Loads zone name ("Asia/Tokyo", "UTC") from dir (NULL: /usr/share/zoneinfo).
 * A name is 1 to TSAM_TZ_MAX_NAME bytes of letters, digits, "/", "_", "-"
 * and "+", with no empty component and none starting with "-" (IANA's
 * rules for names; no ".", so no path and none of zoneinfo's other
 * files); "right/" zones are refused. *out is the caller's
 * (tsam_tz_free).
 */
TSAM_MUST_CHECK enum tsam_err tsam_tz_load(const char *dir, const char *name,
					   struct tsam_tz **out,
					   struct tsam_errbuf *eb);

/* Frees tz (NULL is fine). */
void tsam_tz_free(struct tsam_tz *tz);

/* The zone's name as loaded. */
const char *tsam_tz_name(const struct tsam_tz *tz);

/* Seconds east of UTC in force at the instant t (seconds since the epoch). */
int32_t tsam_tz_offset(const struct tsam_tz *tz, int64_t t);

/*
 * The instant whose local wall time is local (seconds since 1970-01-01
 * 00:00 local). An ambiguous time (autumn fall-back) gives the earlier
 * instant; a time skipped by spring-forward is read with the offset before
 * the change, so 02:30 in a 02:00->03:00 gap becomes 03:30, as mktime does.
 */
int64_t tsam_tz_to_utc(const struct tsam_tz *tz, int64_t local);

#endif
