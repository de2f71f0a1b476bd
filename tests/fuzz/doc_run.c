/* doc_run.c - fuzz_doc kind: a run.json, checked by tsam-check against the
 * shipped rules (its hosts' snapshots absent: each is then "not
 * collected"), the findings written out as JUnit too. */
#include "doc.h"

const char fuzz_doc_name[] = "run.json";

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	(void)path; /* fuzz_doc_dir()/run.json */
	return fuzz_doc_check_run(eb);
}
