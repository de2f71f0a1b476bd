/* doc_waivers.c - fuzz_doc kind: a waivers file, checked against the
 * shipped rules (collectors/ of the source tree) as tsam-check does, then
 * looked up. */
#include "rules.h"
#include "waivers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char fuzz_doc_name[] = "waivers.json";

int fuzz_doc_load(const char *path, char *msg, size_t msgsz);

int fuzz_doc_load(const char *path, char *msg, size_t msgsz)
{
	static struct tsam_rules rs;
	static int loaded;
	struct tsam_waivers *ws = NULL;
	struct tsam_errbuf eb;
	int rc;

	if (!loaded) {
		loaded = 1;
		if (tsam_rules_load_dir(&rs, TSAM_SOURCE_DIR "/collectors",
					NULL) != TSAM_OK)
			abort();
	}
	tsam_errbuf_clear(&eb);
	rc = tsam_waivers_load(path, &rs, &ws, &eb);
	if (rc != TSAM_OK) {
		snprintf(msg, msgsz, "%s", tsam_errbuf_str(&eb, rc));
		return 1;
	}
	tsam_waivers_find(ws, "LNX-TIME-001", "db01", 1790000000);
	tsam_waivers_free(ws);
	return 0;
}
