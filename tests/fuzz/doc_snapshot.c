/* doc_snapshot.c - fuzz_doc kind: a host's snapshot (plain JSON: the
 * reader takes gzip or not), checked by tsam-check against the shipped
 * rules through a run.json whose one host points at it. */
#include "doc.h"

#include <stdio.h>
#include <stdlib.h>

const char fuzz_doc_name[] = "snap.json";

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	char run[300];
	FILE *f;
	int rc;

	(void)path; /* fuzz_doc_dir()/snap.json */
	snprintf(run, sizeof(run), "%s/run.json", fuzz_doc_dir());
	f = fopen(run, "w");
	if (f == NULL)
		abort();
	fputs(
	    "{\"schema\": \"tsamkit-run/1\", \"started\": "
	    "\"2026-11-27T00:00:00Z\", \"hosts\": [{\"name\": \"h1\", "
	    "\"status\": \"ok\", \"started\": \"2026-11-27T00:00:00Z\", "
	    "\"labels\": {\"role\": \"web\"}, \"snapshot\": \"snap.json\"}]}\n",
	    f);
	fclose(f);
	rc = fuzz_doc_check_run(eb);
	remove(run);
	return rc;
}
