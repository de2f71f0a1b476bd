/*
 * policy.h - the SLA policy: per tier and severity the response, update
 * frequency and escalation targets with their clocks, and the support
 * credit rules. sla/policy.json holds the service definition's table; a
 * customer file overlays only the keys it names (docs/sla.md).
 */
#ifndef TSAM_POLICY_H
#define TSAM_POLICY_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum tsam_tier { TSAM_TIER_STANDARD, TSAM_TIER_PREMIUM, TSAM_TIER_PLATINUM };
#define TSAM_TIERS	3
#define TSAM_SEVERITIES 4 /* 1 (urgent) .. 4 */

enum tsam_target {
	TSAM_TARGET_RESPONSE,
	TSAM_TARGET_UPDATE,
	TSAM_TARGET_MANAGER,
	TSAM_TARGET_EXECUTIVE
};
#define TSAM_TARGETS 4

enum tsam_spec_kind {
	TSAM_SPEC_NONE,	    /* no target ("as needed", "-") */
	TSAM_SPEC_ANY_TIME, /* at the customer's request (随時) */
	TSAM_SPEC_DURATION  /* due after a time on a clock */
};

/* The maximum length of a target's contract wording (as_written). */
#define TSAM_SPEC_WORDING 24

struct tsam_spec {
	enum tsam_spec_kind kind;
	int64_t seconds;    /* for hours/minutes */
	int business_days;  /* or N business days of the support calendar */
	bool support_clock; /* false: 24x7 */
	/* how the contract words it when that differs from the encoding
	 * ("24h", "1w", "daily", "every_business_day"), else "": reports
	 * show both (docs/sla.md) */
	char as_written[TSAM_SPEC_WORDING];
};

/*
 * What a tier's customers get besides the response targets (the service
 * definition's table of services, support-services-ja.txt section 3):
 * bits of tsam_policy.services[tier]. Reports and tsam-review leave out
 * what a tier lacks; sla/policy.json's "services" can change it per vendor.
 */
enum tsam_service {
	TSAM_SERVICE_SLA = 1u << 0,		 /* SLA attainment, misses */
	TSAM_SERVICE_TSAM = 1u << 1,		 /* an assigned TSAM */
	TSAM_SERVICE_QUARTERLY_REVIEW = 1u << 2, /* the TSAM's review */
	TSAM_SERVICE_HEALTH_CHECK = 1u << 3	 /* the annual health check */
};
#define TSAM_SERVICES 4

struct tsam_policy {
	struct tsam_spec spec[TSAM_TIERS][TSAM_SEVERITIES][TSAM_TARGETS];
	bool credit_tier[TSAM_TIERS];
	bool credit_target[TSAM_TARGETS];
	double credit_percent[TSAM_SEVERITIES];
	double credit_cap;
	int raise_after_days; /* severity 3 open this long may be raised */
	unsigned services[TSAM_TIERS]; /* enum tsam_service bits per tier */
};

/* "standard"/"premium"/"platinum" -> tier; -1 when unknown. */
int tsam_tier_parse(const char *s);

/* The tier's name. */
const char *tsam_tier_name(enum tsam_tier t);

/* The service's name ("sla", "tsam", "quarterly_review",
 * "health_check") for a single bit of enum tsam_service, else "". */
const char *tsam_service_name(unsigned service);

/*
 * The services of the service definition: Standard none, Premium the SLA
 * (with credits, as credits.tiers says), Platinum all of them. What
 * tsam_policy_default starts from, and what a report uses without a
 * policy.
 */
void tsam_policy_services_default(unsigned services[TSAM_TIERS]);

/* The target's name ("response", "update", "manager", "executive"). */
const char *tsam_target_name(enum tsam_target t);

/*
 * Applies the policy file path over p (which may already hold the
 * defaults): every key present replaces the one in p. Errors name the file
 * and the key path ("tiers.premium.2.update: ...").
 */
TSAM_MUST_CHECK enum tsam_err tsam_policy_load(struct tsam_policy *p,
					       const char *path,
					       struct tsam_errbuf *eb);

/* Loads DATADIR/sla/policy.json, then overlay (if not NULL), over the
 * default services (tsam_policy_services_default). */
TSAM_MUST_CHECK enum tsam_err tsam_policy_default(struct tsam_policy *p,
						  const char *datadir,
						  const char *overlay,
						  struct tsam_errbuf *eb);

/* Describes spec in words for reports and JSON ("1 h (24x7)"). */
void tsam_spec_describe(const struct tsam_spec *s, char *out, size_t n);

#endif
