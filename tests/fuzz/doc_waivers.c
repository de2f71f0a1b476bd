/* doc_waivers.c - fuzz_doc kind: a waivers file, checked against the
 * shipped rules (collectors/ of the source tree) as tsam-check does, then
 * looked up. */
#include "doc.h"
#include "waivers.h"

const char fuzz_doc_name[] = "waivers.json";

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	struct tsam_waivers *ws = NULL;
	int rc;

	rc = tsam_waivers_load(path, fuzz_doc_rules(), &ws, eb);
	if (rc != TSAM_OK)
		return rc;
	tsam_waivers_find(ws, "LNX-TIME-001", "db01", 1790000000);
	tsam_waivers_free(ws);
	return TSAM_OK;
}
