/* doc_run.c - fuzz_doc kind: a run.json, checked by tsam-check against the
 * shipped rules (its hosts' snapshots absent: each is then "not
 * collected"), the findings written out as JUnit too. */
#include "check.h"
#include "rules.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char fuzz_doc_name[] = "run.json";

int fuzz_doc_load(const char *path, char *msg, size_t msgsz);

int fuzz_doc_load(const char *path, char *msg, size_t msgsz)
{
	static struct tsam_rules rs;
	static int loaded;
	char tmp[256], dir[256], junit[300];
	json_object *out = NULL;
	struct tsam_errbuf eb;
	int rc;

	if (!loaded) {
		loaded = 1;
		if (tsam_rules_load_dir(&rs, TSAM_SOURCE_DIR "/collectors",
					NULL) != TSAM_OK)
			abort();
	}
	/* dirname works in place: not snprintf(dir, ..., dirname(dir)),
	 * which copies a string onto itself (undefined; "" with glibc) */
	snprintf(tmp, sizeof(tmp), "%s", path);
	snprintf(dir, sizeof(dir), "%s", dirname(tmp));
	snprintf(junit, sizeof(junit), "%s/junit.xml", dir);
	tsam_errbuf_clear(&eb);
	rc = tsam_check_run(dir, &rs, NULL, 1, &out, &eb);
	if (rc != TSAM_OK) {
		snprintf(msg, msgsz, "%s", tsam_errbuf_str(&eb, rc));
		return 1;
	}
	tsam_errbuf_clear(&eb);
	if (tsam_check_junit(out, junit, &eb) != TSAM_OK)
		abort(); /* findings tsam-check made must write */
	remove(junit);
	json_object_put(out);
	return 0;
}
