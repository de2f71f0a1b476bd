/*
 * report.h - the customer's PDF: a template (report-templates/NAME.json:
 * page, styles, sections in order) and message catalogues per language
 * (report-templates/messages/LANG.json), filled from tsam-cases' stats.json
 * and tsam-check's findings.json. See docs/tsam-report.md.
 */
#ifndef TSAM_REPORT_H
#define TSAM_REPORT_H

#include "err.h"
#include "json.h"

#include <stdint.h>

struct tsam_report_in {
	const char *datadir;   /* holds report-templates/ */
	const char *tmpl;      /* template name, e.g. "quarterly-review" */
	const char *lang;      /* "ja" or "en" */
	json_object *customer; /* {id, name, tier, tsam: {name, email}} */
	json_object *stats;    /* tsamkit-stats/1, or NULL */
	json_object *findings; /* tsamkit findings, or NULL */
	json_object
	    *portfolio;	 /* {tsam, quarter, rows}: tsam-review's summary */
	int64_t created; /* document date (SOURCE_DATE_EPOCH) */
};

/*
 * Validates the template and both catalogues (every message the template
 * needs, in every language), naming file and key, before drawing anything.
 */
int tsam_report_check(const char *datadir, const char *tmpl,
		      struct tsam_errbuf *eb);

/* Renders the report to out_path (0600, atomic). */
int tsam_report_render(const struct tsam_report_in *in, const char *out_path,
		       struct tsam_errbuf *eb);

#endif
