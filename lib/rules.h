/*
 * rules.h - health-check rules as data: collectors/<name>/rules.json.
 *
 * Loading validates every rule and stops at the first problem, naming the
 * file and the rule id (or index): unknown member, bad id, missing
 * Japanese or English text, unknown category or severity, impact out of
 * range, a check that does not compile, a duplicate id across files.
 * A fleet rule has "fleet" instead of "check": {"type": "share", "rule":
 * ID, "min_pct": N} (that rule passes on at least N % of the hosts where
 * it applies), {"type": "distinct", "fact": F, "max": N[, "when": E]} (at
 * most N distinct values of F in the fleet), {"type": "capacity", "fact":
 * F, "sizing": ID[, "when": E]} (no value of F, e.g. an update server, is
 * shared by more hosts than the sizing table's limit ID allows), or
 * {"type": "uncollected", "max_pct": N} (at most N % of the hosts could
 * not be collected).
 *
 * Next to the rules a directory may hold lifecycle.json (lifecycle.h) and
 * sizing.json ({"schema": "tsamkit-sizing/1", "limits": [{"id",
 * "max_endpoints", "what": {"en", "ja"}, "source"}]}): a rule that tests
 * lifecycle.* facts without lifecycle data, or names a sizing limit that
 * no sizing.json defines, stops loading.
 * The format is documented in docs/rules.md.
 */
#ifndef TSAM_RULES_H
#define TSAM_RULES_H

#include "err.h"
#include "expr.h"
#include "json.h"
#include "lifecycle.h"

#include <stddef.h>

enum tsam_severity {
	TSAM_SEV_INFO = 0,
	TSAM_SEV_LOW,
	TSAM_SEV_MEDIUM,
	TSAM_SEV_HIGH,
	TSAM_SEV_CRITICAL
};

struct tsam_rule {
	char id[64];
	char *file;	  /* where it was defined */
	json_object *doc; /* the rule as written (titles, texts, refs) */
	const char *category;
	enum tsam_severity severity;
	double impact;		 /* InSpec-style 0.0 - 1.0 */
	struct tsam_expr *when;	 /* NULL: always applicable */
	struct tsam_expr *check; /* NULL for a fleet rule */
	json_object *fleet;	 /* a fleet rule's spec, or NULL */
};

struct tsam_rules {
	struct tsam_rule *v;
	size_t n, cap;
	struct tsam_lifecycle *lifecycle; /* every lifecycle.json, or NULL */
	json_object *sizing; /* limit id -> {"max_endpoints", ...}, or NULL */
};

/* "critical" ... "info"; NULL for a bad value. */
const char *tsam_severity_name(enum tsam_severity s);

/* Parses a severity name; -1 when unknown. */
int tsam_severity_parse(const char *name);

/* Loads one rules file and appends its rules to rs. */
TSAM_MUST_CHECK enum tsam_err tsam_rules_load_file(struct tsam_rules *rs,
						   const char *path,
						   struct tsam_errbuf *eb);

/*
 * Loads every DIR/<collector>/rules.json (sorted by collector name) into
 * rs, with every DIR/<collector>/lifecycle.json and sizing.json. A
 * directory without any rules file is an error.
 */
TSAM_MUST_CHECK enum tsam_err tsam_rules_load_dir(struct tsam_rules *rs,
						  const char *dir,
						  struct tsam_errbuf *eb);

/* Loads one sizing file into rs->sizing (a limit id defined twice is an
 * error). */
TSAM_MUST_CHECK enum tsam_err tsam_rules_load_sizing(struct tsam_rules *rs,
						     const char *path,
						     struct tsam_errbuf *eb);

/* Frees the rules (rs itself is the caller's). */
void tsam_rules_free(struct tsam_rules *rs);

#endif
