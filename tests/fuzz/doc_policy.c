/* doc_policy.c - fuzz_doc kind: an SLA policy overlay, loaded over the
 * shipped sla/policy.json as tsam-cases --policy does, then used: every
 * target described, and the fixture cases of tests/data/cases measured
 * against it for every tier on the japan and 24x7 calendars, with a fee;
 * the stats must serialise to valid UTF-8 JSON (no inf, no nan). */
#include "doc.h"
#include "policy.h"

const char fuzz_doc_name[] = "policy.json";

/* The quarter's stats under p, tier t, on support (the fixture's). */
static void stats(const struct tsam_policy *p, int t,
		  const struct tsam_cal *support)
{
	struct tsam_sla_opts so;

	fuzz_doc_sla_opts(&so, p, t, support);
	so.as_of = 1791158400; /* 2026-10-05T00:00:00Z */
	so.fee = 1e12;
	so.currency = "JPY";
	if (fuzz_doc_stats(&fuzz_doc_sla()->cases, &so, NULL) != TSAM_OK)
		__builtin_trap(); /* a valid policy always computes */
}

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	const struct fuzz_doc_sla *fx = fuzz_doc_sla();
	struct tsam_policy p;
	char desc[64];
	int rc, t, s, g;

	rc = tsam_policy_default(&p, TSAM_SOURCE_DIR, path, eb);
	if (rc != TSAM_OK)
		return rc;
	for (t = 0; t < TSAM_TIERS; t++) {
		for (s = 0; s < TSAM_SEVERITIES; s++)
			for (g = 0; g < TSAM_TARGETS; g++)
				tsam_spec_describe(&p.spec[t][s][g], desc,
						   sizeof(desc));
		stats(&p, t, fx->japan);
		stats(&p, t, fx->wall);
	}
	return TSAM_OK;
}
