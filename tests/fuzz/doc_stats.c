/*
 * doc_stats.c - fuzz_doc kind: tsam-cases' stats.json, loaded and checked
 * as tsam-report does (tsam_report_load), then used: the quarterly review
 * rendered to a scratch PDF with the small fixed customer and findings of
 * tests/data/report/ (loaded once), in Japanese or English by the
 * document's member count. A document that passed the check must render:
 * a failure then aborts.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char fuzz_doc_name[] = "stats.json";

int fuzz_doc_load(const char *path, char *msg, size_t msgsz);

int fuzz_doc_load(const char *path, char *msg, size_t msgsz)
{
	static json_object *customer, *findings;
	struct tsam_report_in in;
	struct tsam_errbuf eb;
	char pdf[64];
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
	tsam_errbuf_clear(&eb);
	rc = tsam_report_load(path, TSAM_REPORT_STATS, &in.stats, &eb);
	if (rc != TSAM_OK) {
		snprintf(msg, msgsz, "%s", tsam_errbuf_str(&eb, rc));
		return 1;
	}
	in.datadir = TSAM_SOURCE_DIR;
	in.tmpl = "quarterly-review";
	in.lang = json_object_object_length(in.stats) % 2 ? "en" : "ja";
	in.customer = customer;
	in.findings = findings;
	in.created = 1795651200;
	snprintf(pdf, sizeof(pdf), "/tmp/tsam-fuzz-stats-%ld.pdf",
		 (long)getpid());
	if (tsam_report_render(&in, pdf, &eb) != TSAM_OK) {
		fprintf(stderr, "valid, yet not rendered: %s\n", eb.msg);
		abort();
	}
	unlink(pdf);
	json_object_put(in.stats);
	return 0;
}
