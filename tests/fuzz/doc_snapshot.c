/* doc_snapshot.c - fuzz_doc kind: a host's snapshot (plain JSON: the
 * reader takes gzip or not), checked by tsam-check against the shipped
 * rules through a run.json whose one host points at it. */
#include "check.h"
#include "rules.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char fuzz_doc_name[] = "snap.json";

int fuzz_doc_load(const char *path, char *msg, size_t msgsz);

int fuzz_doc_load(const char *path, char *msg, size_t msgsz)
{
	static struct tsam_rules rs;
	static int loaded;
	char tmp[256], dir[256], run[300], junit[300];
	json_object *out = NULL;
	struct tsam_errbuf eb;
	FILE *f;
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
	snprintf(run, sizeof(run), "%s/run.json", dir);
	snprintf(junit, sizeof(junit), "%s/junit.xml", dir);
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
	tsam_errbuf_clear(&eb);
	rc = tsam_check_run(dir, &rs, NULL, 1, &out, &eb);
	remove(run);
	if (rc != TSAM_OK) {
		snprintf(msg, msgsz, "%s", tsam_errbuf_str(&eb, rc));
		return 1;
	}
	tsam_errbuf_clear(&eb);
	if (tsam_check_junit(out, junit, &eb) != TSAM_OK)
		abort();
	remove(junit);
	json_object_put(out);
	return 0;
}
