/*
 * expr.h - check expressions over a host's facts (rules.json "check").
 *
 * An expression is JSON:
 *   {"fact": NAME, "op": OP, "value": V}          a comparison
 *   {"all": [E...]}, {"any": [E...]}, {"not": E}  logic
 *   {"fact": LIST, "op": "any"|"all"|"none", "where": E}
 *                                                 a quantifier over a list
 *                                                 of objects; inside E,
 *                                                 "field" names a member
 *   {"fact": LIST, "op": "count_ge"|"count_le", "value": N[, "where": E]}
 * OPs: eq ne lt le gt ge (numbers, or strings for eq/ne), in (value is an
 * array), exists, matches (POSIX extended regex), version_lt version_le
 * version_ge version_gt (dotted versions), age_le age_gt (a timestamp fact
 * compared with "24h", "7d", "90m" relative to the collection time, never
 * "now"), until_le until_gt (the time from the collection until a
 * timestamp, e.g. an end-of-support date: negative once it has passed).
 *
 * Compiling validates everything once (unknown operator, wrong value type,
 * bad regex, bad duration) and names the place; evaluation is then cheap
 * and never fails: a missing or mistyped fact is the result ERROR, with
 * what was observed.
 */
#ifndef TSAM_EXPR_H
#define TSAM_EXPR_H

#include "date.h"
#include "err.h"
#include "json.h"

#include <stdbool.h>
#include <time.h>

enum tsam_verdict {
	TSAM_PASS = 0,
	TSAM_FAIL,
	TSAM_ERROR /* a fact the check needs is missing or of another type */
};

struct tsam_expr;

/*
 * Compiles the expression j; where ("rules.json: SAV-ONACCESS-001") prefixes
 * errors. *out is the caller's (tsam_expr_free).
 */
TSAM_MUST_CHECK enum tsam_err tsam_expr_compile(json_object *j,
						const char *where,
						struct tsam_expr **out,
						struct tsam_errbuf *eb);

/* Frees e; NULL is a no-op. */
void tsam_expr_free(struct tsam_expr *e);

/*
 * Evaluates e against facts (an object of name -> value) as collected at
 * time collected. When observed is not NULL, the first failing or missing
 * comparison's observed value and expectation are written there (a JSON
 * object {"fact", "observed", "expected"} the caller owns, or NULL); a
 * failed "all" or "none" adds "offending", the indexes of the items that
 * broke it (at most 100).
 */
enum tsam_verdict tsam_expr_eval(const struct tsam_expr *e, json_object *facts,
				 time_t collected, json_object **observed);

/* True when e (or a part of it) tests a fact whose name starts with
 * prefix (fields inside "where" are not facts). */
bool tsam_expr_refers(const struct tsam_expr *e, const char *prefix);

/* "24h", "7d", "90m", "30s" -> seconds; -1 when malformed. */
long tsam_duration_parse(const char *s);

#endif
