/* doc_policy.c - fuzz_doc kind: an SLA policy overlay, loaded over the
 * shipped sla/policy.json as tsam-cases --policy does, then used: every
 * target described, and the fixture cases of tests/data/cases measured
 * against it for every tier on the japan and 24x7 calendars, with a fee;
 * the stats must serialise to valid UTF-8 JSON (no inf, no nan). */
#include "calendar.h"
#include "cases.h"
#include "json.h"
#include "mapping.h"
#include "policy.h"
#include "sla.h"
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char fuzz_doc_name[] = "policy.json";

int fuzz_doc_load(const char *path, char *msg, size_t msgsz);

static struct tsam_cases cs;
static struct tsam_cal *jp, *wall;

/* The fixture, loaded once. */
static void fixture(void)
{
	static struct tsam_mapping map;
	static struct tsam_tz *tokyo;
	struct tsam_cases_opts co;

	if (jp != NULL)
		return;
	memset(&co, 0, sizeof(co));
	co.cases_path = TSAM_SOURCE_DIR "/tests/data/cases/cases.csv";
	co.events_path = TSAM_SOURCE_DIR "/tests/data/cases/events.csv";
	co.customer = "acme";
	co.map = &map;
	if (tsam_mapping_init(&map) != TSAM_OK ||
	    tsam_tz_load(NULL, "Asia/Tokyo", &tokyo, NULL) != TSAM_OK ||
	    tsam_cal_named(TSAM_SOURCE_DIR, "japan", &jp, NULL) != TSAM_OK ||
	    tsam_cal_named(TSAM_SOURCE_DIR, "24x7", &wall, NULL) != TSAM_OK)
		abort();
	co.zone = tokyo;
	if (tsam_cases_load(&cs, &co, NULL) != TSAM_OK)
		abort();
}

/* The quarter's stats under p, tier t, on support; must be JSON. */
static void stats(const struct tsam_policy *p, int t,
		  const struct tsam_cal *support)
{
	struct tsam_sla_opts so;
	json_object *out = NULL, *again = NULL;
	const char *text;

	memset(&so, 0, sizeof(so));
	so.policy = p;
	so.tier = (enum tsam_tier)t;
	so.support = support;
	so.wall = wall;
	so.year = 2026;
	so.quarter = 3;
	so.as_of = 1791158400; /* 2026-10-05T00:00:00Z */
	so.customer = "acme";
	so.fee = 1e12;
	so.currency = "JPY";
	if (tsam_sla_stats(&cs, &so, &out, NULL) != TSAM_OK)
		__builtin_trap(); /* a valid policy always computes */
	text = json_object_to_json_string(out);
	if (!tsam_utf8_valid(text, strlen(text)) ||
	    tsam_json_parse(text, strlen(text), "stats", &again, NULL) !=
		TSAM_OK)
		__builtin_trap();
	json_object_put(again);
	json_object_put(out);
}

int fuzz_doc_load(const char *path, char *msg, size_t msgsz)
{
	struct tsam_policy p;
	struct tsam_errbuf eb;
	char desc[64];
	int rc, t, s, g;

	fixture();
	tsam_errbuf_clear(&eb);
	rc = tsam_policy_default(&p, TSAM_SOURCE_DIR, path, &eb);
	if (rc != TSAM_OK) {
		snprintf(msg, msgsz, "%s", tsam_errbuf_str(&eb, rc));
		return 1;
	}
	for (t = 0; t < TSAM_TIERS; t++) {
		for (s = 0; s < TSAM_SEVERITIES; s++)
			for (g = 0; g < TSAM_TARGETS; g++)
				tsam_spec_describe(&p.spec[t][s][g], desc,
						   sizeof(desc));
		stats(&p, t, jp);
		stats(&p, t, wall);
	}
	return 0;
}
