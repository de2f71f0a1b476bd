/*
 * doc_findings.c - fuzz_doc kind: tsam-check's findings.json, loaded and
 * checked as tsam-report does (tsam_report_load), then used as both tools
 * use one: as last year's findings of tsam-review (tsam_findings_diff into a
 * small fixed findings document), and rendered, the annual health check
 * (every findings section) with the fixed customer of tests/data/report/,
 * to a scratch PDF, in Japanese or English by the document's member
 * count. A document that passed the check must render: a failure then
 * aborts.
 */
#include "check.h"
#include "doc.h"

#include <stdlib.h>
#include <string.h>

const char fuzz_doc_name[] = "findings.json";

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	static json_object *customer;
	json_object *now = NULL;
	struct tsam_report_in in;
	int rc;

	if (customer == NULL &&
	    tsam_report_load(TSAM_SOURCE_DIR "/tests/data/report/customer.json",
			     TSAM_REPORT_CUSTOMER, &customer, NULL) != TSAM_OK)
		abort();
	memset(&in, 0, sizeof(in));
	rc = tsam_report_load(path, TSAM_REPORT_FINDINGS, &in.findings, eb);
	if (rc != TSAM_OK)
		return rc;
	/* tsam-review: this year's findings diffed against it */
	if (tsam_report_load(TSAM_SOURCE_DIR "/tests/data/report/findings.json",
			     TSAM_REPORT_FINDINGS, &now, NULL) != TSAM_OK)
		abort();
	fuzz_doc_must(tsam_findings_diff(now, in.findings, path, eb),
		      "not diffed", eb);
	json_object_put(now);
	in.customer = customer;
	fuzz_doc_render(&in, "annual-health-check", fuzz_doc_lang(in.findings));
	json_object_put(in.findings);
	return TSAM_OK;
}
