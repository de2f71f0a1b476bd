/*
 * waivers.h - accepted exceptions to rules, per customer (waivers.json):
 *
 *   {"schema": "tsamkit-waivers/1", "waivers": [
 *     {"rule": "SAV-EXCL-002", "hosts": "dmz*", "justification": "...",
 *      "approver": "...", "created": "2026-01-10", "expires": "2026-12-31"}]}
 *
 * A waiver applies to a failing (or erroring) result of its rule on hosts
 * whose name matches the glob, while the run's collection time is on or
 * before its expiry date (UTC, inclusive). Waived results leave the score
 * but stay in the findings; expired waivers no longer apply and are listed
 * as expired. Loading validates everything against the loaded rules and
 * names file and entry.
 */
#ifndef TSAM_WAIVERS_H
#define TSAM_WAIVERS_H

#include "date.h"
#include "err.h"
#include "json.h"
#include "rules.h"

#include <stddef.h>
#include <time.h>

struct tsam_waiver {
	char rule[64];
	char *hosts;	    /* glob on the host name */
	json_object *doc;   /* as written (justification, approver, dates) */
	time_t expires_end; /* first second after the expiry date */
	size_t applied;	    /* results it waived */
	size_t
	    expired_hits; /* results it would have waived, had it not expired */
};

struct tsam_waivers {
	char *path;
	struct tsam_waiver *v;
	size_t n, cap;
};

/* Loads path, checking rule ids against rules. *out is the caller's. */
TSAM_MUST_CHECK enum tsam_err tsam_waivers_load(const char *path,
						const struct tsam_rules *rules,
						struct tsam_waivers **out,
						struct tsam_errbuf *eb);

/* Frees ws; NULL is a no-op. */
void tsam_waivers_free(struct tsam_waivers *ws);

/*
 * The waiver in force for rule on host at time collected, or NULL. Counts
 * the use, and counts a match of an expired waiver as such.
 */
struct tsam_waiver *tsam_waivers_find(struct tsam_waivers *ws, const char *rule,
				      const char *host, time_t collected);

#endif
