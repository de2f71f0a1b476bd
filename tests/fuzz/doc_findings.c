/*
 * doc_findings.c - fuzz_doc kind: tsam-check's findings.json, loaded and
 * checked as tsam-report does (tsam_report_load), then used as both tools
 * use one: as last year's findings of tsam-review (tsam_check_diff into a
 * small fixed findings document), and rendered, the annual health check
 * (every findings section) with the fixed customer of tests/data/report/,
 * to a scratch PDF, in Japanese or English by the document's member
 * count. A document that passed the check must render: a failure then
 * aborts.
 */
#include "check.h"
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char fuzz_doc_name[] = "findings.json";

int fuzz_doc_load(const char *path, char *msg, size_t msgsz);

int fuzz_doc_load(const char *path, char *msg, size_t msgsz)
{
	static json_object *customer;
	json_object *now = NULL;
	struct tsam_report_in in;
	struct tsam_errbuf eb;
	char pdf[64];
	int rc;

	if (customer == NULL &&
	    tsam_report_load(TSAM_SOURCE_DIR "/tests/data/report/customer.json",
			     TSAM_REPORT_CUSTOMER, &customer, NULL) != TSAM_OK)
		abort();
	memset(&in, 0, sizeof(in));
	tsam_errbuf_clear(&eb);
	rc = tsam_report_load(path, TSAM_REPORT_FINDINGS, &in.findings, &eb);
	if (rc != TSAM_OK) {
		snprintf(msg, msgsz, "%s", tsam_errbuf_str(&eb, rc));
		return 1;
	}
	/* tsam-review: this year's findings diffed against it */
	if (tsam_report_load(TSAM_SOURCE_DIR "/tests/data/report/findings.json",
			     TSAM_REPORT_FINDINGS, &now, NULL) != TSAM_OK ||
	    tsam_check_diff(now, in.findings, path, &eb) != TSAM_OK) {
		fprintf(stderr, "valid, yet not diffed: %s\n", eb.msg);
		abort();
	}
	json_object_put(now);
	in.datadir = TSAM_SOURCE_DIR;
	in.tmpl = "annual-health-check";
	in.lang = json_object_object_length(in.findings) % 2 ? "en" : "ja";
	in.customer = customer;
	in.created = 1795651200;
	snprintf(pdf, sizeof(pdf), "/tmp/tsam-fuzz-findings-%ld.pdf",
		 (long)getpid());
	if (tsam_report_render(&in, pdf, &eb) != TSAM_OK) {
		fprintf(stderr, "valid, yet not rendered: %s\n", eb.msg);
		abort();
	}
	unlink(pdf);
	json_object_put(in.findings);
	return 0;
}
