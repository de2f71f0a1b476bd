/*
 * doc_customer.c - fuzz_doc kind: a customer.json, loaded and checked as
 * tsam-report does (tsam_report_load), then used: the quarterly review
 * rendered with no stats or findings (their sections say so) to a
 * scratch PDF, in Japanese or English by the document's member count.
 * A document that passed the check must render: a failure then aborts.
 */
#include "doc.h"

#include <string.h>

const char fuzz_doc_name[] = "customer.json";

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	struct tsam_report_in in;
	int rc;

	memset(&in, 0, sizeof(in));
	rc = tsam_report_load(path, TSAM_REPORT_CUSTOMER, &in.customer, eb);
	if (rc != TSAM_OK)
		return rc;
	fuzz_doc_render(&in, "quarterly-review", fuzz_doc_lang(in.customer));
	json_object_put(in.customer);
	return TSAM_OK;
}
