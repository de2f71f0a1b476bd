/*
 * doc_customer.c - fuzz_doc kind: a customer.json, loaded and checked as
 * tsam-report does (tsam_report_load), then used: the quarterly review
 * rendered with no stats or findings (their sections say so) to a
 * scratch PDF, in Japanese or English by the document's member count.
 * A document that passed the check must render: a failure then aborts.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char fuzz_doc_name[] = "customer.json";

int fuzz_doc_load(const char *path, char *msg, size_t msgsz);

int fuzz_doc_load(const char *path, char *msg, size_t msgsz)
{
	struct tsam_report_in in;
	struct tsam_errbuf eb;
	char pdf[64];
	int rc;

	memset(&in, 0, sizeof(in));
	tsam_errbuf_clear(&eb);
	rc = tsam_report_load(path, TSAM_REPORT_CUSTOMER, &in.customer, &eb);
	if (rc != TSAM_OK) {
		snprintf(msg, msgsz, "%s", tsam_errbuf_str(&eb, rc));
		return 1;
	}
	in.datadir = TSAM_SOURCE_DIR;
	in.tmpl = "quarterly-review";
	in.lang = json_object_object_length(in.customer) % 2 ? "en" : "ja";
	in.created = 1795651200;
	snprintf(pdf, sizeof(pdf), "/tmp/tsam-fuzz-customer-%ld.pdf",
		 (long)getpid());
	if (tsam_report_render(&in, pdf, &eb) != TSAM_OK) {
		fprintf(stderr, "valid, yet not rendered: %s\n", eb.msg);
		abort();
	}
	unlink(pdf);
	json_object_put(in.customer);
	return 0;
}
