/* doc_calendar.c - fuzz_doc kind: a support calendar file, loaded as
 * tsam-cases --calendar FILE does (with the zone of its naive times),
 * then used: business time and deadlines across the covered years and
 * past them, holidays, offsets, and the fixture cases of tests/data/cases
 * measured on it against the shipped policy for every tier; the stats must
 * serialise to valid UTF-8 JSON. */
#include "calendar.h"
#include "cases.h"
#include "date.h"
#include "json.h"
#include "mapping.h"
#include "policy.h"
#include "sla.h"
#include "str.h"
#include "tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char fuzz_doc_name[] = "calendar.json";

int fuzz_doc_load(const char *path, char *msg, size_t msgsz);

static struct tsam_cases cs;
static struct tsam_policy pol;
static struct tsam_cal *wall;

/* The fixture and the shipped policy, loaded once. */
static void fixture(void)
{
	static struct tsam_mapping map;
	static struct tsam_tz *tokyo;
	struct tsam_cases_opts co;

	if (wall != NULL)
		return;
	memset(&co, 0, sizeof(co));
	co.cases_path = TSAM_SOURCE_DIR "/tests/data/cases/cases.csv";
	co.events_path = TSAM_SOURCE_DIR "/tests/data/cases/events.csv";
	co.customer = "acme";
	co.map = &map;
	if (tsam_mapping_init(&map) != TSAM_OK ||
	    tsam_tz_load(NULL, "Asia/Tokyo", &tokyo, NULL) != TSAM_OK ||
	    tsam_policy_default(&pol, TSAM_SOURCE_DIR, NULL, NULL) != TSAM_OK ||
	    tsam_cal_named(TSAM_SOURCE_DIR, "24x7", &wall, NULL) != TSAM_OK)
		abort();
	co.zone = tokyo;
	if (tsam_cases_load(&cs, &co, NULL) != TSAM_OK)
		abort();
}

/* Business-time arithmetic around t: consistent with itself. */
static void arithmetic(const struct tsam_cal *cal, int64_t t)
{
	static const int64_t spans[] = {
	    0, 1, 3600, 30600, 86400 * 7, 86400 * 366, INT64_MAX / 4};
	size_t i;

	tsam_cal_is_open(cal, t);
	tsam_cal_offset(cal, t);
	tsam_cal_to_utc(cal, t);
	for (i = 0; i < sizeof(spans) / sizeof(spans[0]); i++) {
		int64_t due = tsam_cal_add(cal, t, spans[i]);

		if (due < t)
			__builtin_trap(); /* a deadline before its start */
		if (due != INT64_MAX && spans[i] < 86400 * 400 &&
		    tsam_cal_seconds(cal, t, due) != spans[i])
			__builtin_trap(); /* add and seconds disagree */
	}
}

int fuzz_doc_load(const char *path, char *msg, size_t msgsz)
{
	/* instants from year -1200 to 5100: the covered years, their
	 * edges, and far outside them */
	static const int64_t at[] = {-100000000000, -1,		0,
				     315532800,	    1783299600, 1791158400,
				     4102444799,    4102444800, 100000000000};
	struct tsam_cal *cal = NULL;
	struct tsam_tz *zone = NULL;
	struct tsam_errbuf eb;
	struct tsam_sla_opts so;
	json_object *out, *again;
	const char *text;
	size_t i;
	int rc, t;

	fixture();
	tsam_errbuf_clear(&eb);
	rc = tsam_cal_named(TSAM_SOURCE_DIR, path, &cal, &eb);
	if (rc == TSAM_OK && !tsam_cal_is_24x7(cal))
		rc = tsam_tz_load(NULL, tsam_cal_zone(cal), &zone, &eb);
	if (rc != TSAM_OK) {
		snprintf(msg, msgsz, "%s", tsam_errbuf_str(&eb, rc));
		tsam_cal_free(cal);
		return 1;
	}
	if (tsam_cal_day_seconds(cal) <= 0 || tsam_cal_day_seconds(cal) > 86400)
		__builtin_trap();
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		arithmetic(cal, at[i]);
	tsam_cal_holiday(cal, 2026, 1, 1);
	tsam_cal_holiday(cal, 1980, 2, 29);
	for (t = 0; t < TSAM_TIERS; t++) {
		memset(&so, 0, sizeof(so));
		so.policy = &pol;
		so.tier = (enum tsam_tier)t;
		so.support = cal;
		so.wall = wall;
		so.year = 2026;
		so.quarter = 3;
		so.customer = "acme";
		so.fee = 3000000;
		so.currency = "JPY";
		out = again = NULL;
		if (tsam_sla_stats(&cs, &so, &out, NULL) != TSAM_OK)
			__builtin_trap(); /* a valid calendar always computes */
		text = json_object_to_json_string(out);
		if (!tsam_utf8_valid(text, strlen(text)) ||
		    tsam_json_parse(text, strlen(text), "stats", &again,
				    NULL) != TSAM_OK)
			__builtin_trap();
		json_object_put(again);
		json_object_put(out);
	}
	tsam_tz_free(zone);
	tsam_cal_free(cal);
	return 0;
}
