/*
 * doc_stats.c - fuzz_doc kind: tsam-cases' stats.json, loaded and checked
 * as tsam-report does (tsam_report_load), then used: the quarterly review
 * rendered to a scratch PDF with the small fixed customer and findings of
 * tests/data/report/ (loaded once), in Japanese or English by the
 * document's member count. A document that passed the check must render:
 * a failure then aborts.
 */
#include "doc.h"

#include <stdlib.h>
#include <string.h>

const char fuzz_doc_name[] = "stats.json";

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	static json_object *customer, *findings;
	struct tsam_report_in in;
	int rc;

	if (customer == NULL &&
	    (tsam_report_load(
		 TSAM_SOURCE_DIR "/tests/data/report/customer.json",
		 TSAM_REPORT_CUSTOMER, &customer, NULL) != TSAM_OK ||
	     tsam_report_load(
		 TSAM_SOURCE_DIR "/tests/data/report/findings.json",
		 TSAM_REPORT_FINDINGS, &findings, NULL) != TSAM_OK))
		abort();
	memset(&in, 0, sizeof(in));
	rc = tsam_report_load(path, TSAM_REPORT_STATS, &in.stats, eb);
	if (rc != TSAM_OK)
		return rc;
	in.customer = customer;
	in.findings = findings;
	fuzz_doc_render(&in, "quarterly-review", fuzz_doc_lang(in.stats));
	json_object_put(in.stats);
	return TSAM_OK;
}
