/* doc_rules.c - fuzz_doc kind: a rules.json, loaded as tsam-check does
 * (tsam_rules_load_file), then every rule's expressions evaluated against
 * an empty fact set. */
#include "expr.h"
#include "rules.h"

#include <stdio.h>
#include <string.h>

const char fuzz_doc_name[] = "rules.json";

int fuzz_doc_load(const char *path, char *msg, size_t msgsz);

int fuzz_doc_load(const char *path, char *msg, size_t msgsz)
{
	struct tsam_rules rs;
	struct tsam_errbuf eb;
	json_object *facts = json_object_new_object();
	size_t i;
	int rc;

	memset(&rs, 0, sizeof(rs));
	tsam_errbuf_clear(&eb);
	rc = tsam_rules_load_file(&rs, path, &eb);
	if (rc != TSAM_OK)
		snprintf(msg, msgsz, "%s", tsam_errbuf_str(&eb, rc));
	for (i = 0; rc == TSAM_OK && i < rs.n; i++) {
		json_object *obs = NULL;

		if (rs.v[i].when != NULL)
			tsam_expr_eval(rs.v[i].when, facts, 0, NULL);
		if (rs.v[i].check != NULL)
			tsam_expr_eval(rs.v[i].check, facts, 0, &obs);
		json_object_put(obs);
	}
	json_object_put(facts);
	tsam_rules_free(&rs);
	return rc == TSAM_OK ? 0 : 1;
}
