/* doc_rules.c - fuzz_doc kind: a rules.json, loaded as tsam-check does
 * (tsam_rules_load_file), then every rule's expressions evaluated against
 * an empty fact set. */
#include "doc.h"
#include "expr.h"
#include "rules.h"

#include <string.h>

const char fuzz_doc_name[] = "rules.json";

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	struct tsam_rules rs;
	json_object *facts = json_object_new_object();
	size_t i;
	int rc;

	memset(&rs, 0, sizeof(rs));
	rc = tsam_rules_load_file(&rs, path, eb);
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
	return rc;
}
