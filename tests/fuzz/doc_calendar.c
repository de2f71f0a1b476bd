/* doc_calendar.c - fuzz_doc kind: a support calendar file, loaded as
 * tsam-cases --calendar FILE does (with the zone of its naive times),
 * then used: business time and deadlines across the covered years and
 * past them, holidays, offsets, and the fixture cases of tests/data/cases
 * measured on it against the shipped policy for every tier; the stats must
 * serialise to valid UTF-8 JSON. */
#include "calendar.h"
#include "doc.h"
#include "tz.h"

const char fuzz_doc_name[] = "calendar.json";

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

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	/* instants from year -1200 to 5100: the covered years, their
	 * edges, and far outside them */
	static const int64_t at[] = {-100000000000, -1,		0,
				     315532800,	    1783299600, 1791158400,
				     4102444799,    4102444800, 100000000000};
	const struct fuzz_doc_sla *fx = fuzz_doc_sla();
	struct tsam_cal *cal = NULL;
	struct tsam_tz *zone = NULL;
	struct tsam_sla_opts so;
	size_t i;
	int rc, t;

	rc = tsam_cal_named(TSAM_SOURCE_DIR, path, &cal, eb);
	if (rc == TSAM_OK && !tsam_cal_is_24x7(cal))
		rc = tsam_tz_load(NULL, tsam_cal_zone(cal), &zone, eb);
	if (rc != TSAM_OK) {
		tsam_cal_free(cal);
		return rc;
	}
	if (tsam_cal_day_seconds(cal) <= 0 || tsam_cal_day_seconds(cal) > 86400)
		__builtin_trap();
	for (i = 0; i < sizeof(at) / sizeof(at[0]); i++)
		arithmetic(cal, at[i]);
	tsam_cal_holiday(cal, 2026, 1, 1);
	tsam_cal_holiday(cal, 1980, 2, 29);
	for (t = 0; t < TSAM_TIERS; t++) {
		fuzz_doc_sla_opts(&so, &fx->policy, t, cal);
		so.fee = 3000000;
		so.currency = "JPY";
		if (fuzz_doc_stats(&fx->cases, &so, NULL) != TSAM_OK)
			__builtin_trap(); /* a valid calendar always computes */
	}
	tsam_tz_free(zone);
	tsam_cal_free(cal);
	return TSAM_OK;
}
