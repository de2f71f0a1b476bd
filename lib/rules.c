/*
 * rules.c - load and validate rules.json files: every rule's id, its
 * texts in both languages (title: the passing condition; finding: the
 * problem a failure found; rationale; recommendation), category,
 * severity, impact, expressions, and the fleet rules' specs; sizing.json
 * limits; references between them. See docs/rules.md.
 */
#include "rules.h"

#include "buf.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RULES_MAX_BYTES (16u << 20)

static const char *const sev_names[] = {"info", "low", "medium", "high",
					"critical"};
static const char *const categories[] = {"protection",	  "update",
					 "performance",	  "capacity",
					 "configuration", "lifecycle"};

const char *tsam_severity_name(enum tsam_severity s)
{
	return (unsigned)s < 5 ? sev_names[s] : NULL;
}

int tsam_severity_parse(const char *name)
{
	int i;

	for (i = 0; i < 5; i++)
		if (strcmp(sev_names[i], name) == 0)
			return i;
	return -1;
}

void tsam_rules_free(struct tsam_rules *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].file);
		json_object_put(rs->v[i].doc);
		tsam_expr_free(rs->v[i].when);
		tsam_expr_free(rs->v[i].check);
		json_object_put(rs->v[i].fleet);
	}
	free(rs->v);
	tsam_lifecycle_free(rs->lifecycle);
	json_object_put(rs->sizing);
	memset(rs, 0, sizeof(*rs));
}

static bool valid_id(const char *id)
{
	const char *p;
	bool dash = false;

	if (strlen(id) >= 64 || !(id[0] >= 'A' && id[0] <= 'Z'))
		return false;
	for (p = id; *p; p++) {
		if (*p == '-') {
			if (p[1] == '\0' || p[1] == '-')
				return false;
			dash = true;
		} else if (!((*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9'))) {
			return false;
		}
	}
	return dash;
}

/* A {"en": ..., "ja": ...} text with both languages non-empty. */
static int bilingual(json_object *r, const char *key, const char *loc,
		     struct tsam_errbuf *eb)
{
	static const char *const langs[] = {"en", "ja"};
	json_object *t;
	size_t i;

	if (!json_object_object_get_ex(r, key, &t) ||
	    !json_object_is_type(t, json_type_object))
		return tsam_errbuf_set(
		    eb, TSAM_ERR_PARSE,
		    "%s: \"%s\" must be {\"en\": ..., \"ja\": "
		    "...}",
		    loc, key);
	for (i = 0; i < 2; i++) {
		const char *s = tsam_json_str(t, langs[i]);
		if (s == NULL || s[0] == '\0')
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: \"%s\" has no %s text", loc,
					       key, langs[i]);
	}
	return TSAM_OK;
}

static int string_array(json_object *r, const char *key, bool required,
			const char *loc, struct tsam_errbuf *eb)
{
	json_object *a;
	size_t i;

	if (!json_object_object_get_ex(r, key, &a))
		return required
			   ? tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: \"%s\" is required", loc, key)
			   : TSAM_OK;
	if (!json_object_is_type(a, json_type_array))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"%s\" must be an array of strings",
				       loc, key);
	for (i = 0; i < json_object_array_length(a); i++)
		if (!json_object_is_type(json_object_array_get_idx(a, i),
					 json_type_string))
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: \"%s\"[%zu] is not a string", loc, key, i);
	return TSAM_OK;
}

/* Validates a fleet rule's spec (see rules.h) into rule. */
static int fleet_spec(json_object *f, const char *loc, struct tsam_rule *rule,
		      struct tsam_errbuf *eb)
{
	const char *type = json_object_is_type(f, json_type_object)
			       ? tsam_json_str(f, "type")
			       : NULL;
	json_object *v;
	int64_t max;

	if (type == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"fleet\" needs a \"type\"", loc);
	if (strcmp(type, "share") == 0) {
		if (tsam_json_str(f, "rule") == NULL ||
		    !json_object_object_get_ex(f, "min_pct", &v) ||
		    json_object_get_double(v) <= 0 ||
		    json_object_get_double(v) > 100)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: a share rule needs \"rule\" "
			    "and \"min_pct\" (0-100]",
			    loc);
	} else if (strcmp(type, "distinct") == 0) {
		if (tsam_json_str(f, "fact") == NULL ||
		    tsam_json_int(f, "max", &max) != TSAM_OK || max < 1)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: a distinct rule needs "
			    "\"fact\" and an integer \"max\" "
			    ">= 1",
			    loc);
		if (json_object_object_get_ex(f, "when", &v) &&
		    tsam_expr_compile(v, loc, &rule->when, eb) != TSAM_OK)
			return TSAM_ERR_PARSE;
	} else if (strcmp(type, "capacity") == 0) {
		if (tsam_json_str(f, "fact") == NULL ||
		    tsam_json_str(f, "sizing") == NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: a capacity rule needs "
					       "\"fact\" and \"sizing\" (a "
					       "limit of sizing.json)",
					       loc);
		if (json_object_object_get_ex(f, "when", &v) &&
		    tsam_expr_compile(v, loc, &rule->when, eb) != TSAM_OK)
			return TSAM_ERR_PARSE;
	} else if (strcmp(type, "uncollected") == 0) {
		if (!json_object_object_get_ex(f, "max_pct", &v) ||
		    json_object_get_double(v) < 0 ||
		    json_object_get_double(v) > 100)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: an uncollected rule needs "
					       "\"max_pct\" 0-100",
					       loc);
	} else {
		return tsam_errbuf_set(
		    eb, TSAM_ERR_PARSE,
		    "%s: unknown fleet rule type '%s' (share, "
		    "distinct, capacity, uncollected)",
		    loc, type);
	}
	rule->fleet = json_object_get(f);
	return TSAM_OK;
}

static int load_rule(struct tsam_rules *rs, json_object *r, const char *path,
		     size_t index, struct tsam_errbuf *eb)
{
	static const char *const members[] = {
	    "id",	"title",      "finding", "rationale", "recommendation",
	    "category", "severity",   "impact",	 "when",      "check",
	    "evidence", "references", "fleet",	 NULL};
	struct tsam_rule rule;
	const char *id, *s;
	char loc[600];
	json_object *v;
	size_t i;
	int rc, sev;

	memset(&rule, 0, sizeof(rule));
	id = json_object_is_type(r, json_type_object) ? tsam_json_str(r, "id")
						      : NULL;
	if (id == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: rules[%zu]: an object with an "
				       "\"id\" string is required",
				       path, index);
	snprintf(loc, sizeof(loc), "%s: %s", path, id);
	if (!valid_id(id))
		return tsam_errbuf_set(
		    eb, TSAM_ERR_PARSE,
		    "%s: bad id (want e.g. SAV-ONACCESS-001)", loc);
	for (i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].id, id) == 0)
			return tsam_errbuf_set(eb, TSAM_ERR_DUP,
					       "%s: duplicate id (first in %s)",
					       loc, rs->v[i].file);
	if ((rc = tsam_json_known_members(r, members, loc, eb)) != TSAM_OK ||
	    (rc = bilingual(r, "title", loc, eb)) != TSAM_OK ||
	    (rc = bilingual(r, "finding", loc, eb)) != TSAM_OK ||
	    (rc = bilingual(r, "rationale", loc, eb)) != TSAM_OK ||
	    (rc = bilingual(r, "recommendation", loc, eb)) != TSAM_OK ||
	    (rc = string_array(r, "evidence", true, loc, eb)) != TSAM_OK ||
	    (rc = string_array(r, "references", false, loc, eb)) != TSAM_OK)
		return rc;
	s = tsam_json_str(r, "category");
	for (i = 0; s != NULL && i < sizeof(categories) / sizeof(*categories);
	     i++)
		if (strcmp(s, categories[i]) == 0)
			rule.category = categories[i];
	if (rule.category == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: category '%s' is not one of "
				       "protection, update, performance, "
				       "capacity, configuration, lifecycle",
				       loc, s ? s : "(none)");
	s = tsam_json_str(r, "severity");
	if (s == NULL || (sev = tsam_severity_parse(s)) < 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: severity '%s' is not one of "
				       "critical, high, medium, low, info",
				       loc, s ? s : "(none)");
	rule.severity = (enum tsam_severity)sev;
	if (!json_object_object_get_ex(r, "impact", &v) ||
	    !(json_object_is_type(v, json_type_double) ||
	      json_object_is_type(v, json_type_int)) ||
	    json_object_get_double(v) < 0 || json_object_get_double(v) > 1)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"impact\" must be a number from "
				       "0.0 to 1.0",
				       loc);
	rule.impact = json_object_get_double(v);
	if (json_object_object_get_ex(r, "fleet", &v)) {
		if (json_object_object_get_ex(r, "check", NULL) ||
		    json_object_object_get_ex(r, "when", NULL))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: a fleet rule has \"fleet\" "
					       "instead of \"check\" and "
					       "\"when\"",
					       loc);
		if ((rc = fleet_spec(v, loc, &rule, eb)) != TSAM_OK) {
			tsam_expr_free(rule.when);
			return rc;
		}
	} else {
		if (!json_object_object_get_ex(r, "check", &v))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: \"check\" is required",
					       loc);
		if ((rc = tsam_expr_compile(v, loc, &rule.check, eb)) !=
		    TSAM_OK)
			return rc;
		if (json_object_object_get_ex(r, "when", &v) &&
		    (rc = tsam_expr_compile(v, loc, &rule.when, eb)) !=
			TSAM_OK) {
			tsam_expr_free(rule.check);
			return rc;
		}
	}
	if (tsam_grow(&rs->v, &rs->cap, rs->n + 1, sizeof(*rs->v)) != TSAM_OK ||
	    (rule.file = strdup(path)) == NULL) {
		tsam_expr_free(rule.check);
		tsam_expr_free(rule.when);
		json_object_put(rule.fleet);
		return TSAM_ERR_NOMEM;
	}
	snprintf(rule.id, sizeof(rule.id), "%s", id);
	rule.doc = json_object_get(r);
	rs->v[rs->n++] = rule;
	return TSAM_OK;
}

enum tsam_err tsam_rules_load_file(struct tsam_rules *rs, const char *path,
				   struct tsam_errbuf *eb)
{
	json_object *root = NULL, *list = NULL;
	size_t i;
	int rc;

	rc = tsam_json_load_doc(path, RULES_MAX_BYTES, "tsamkit-rules/1",
				"rules", &root, &list, eb);
	for (i = 0; rc == TSAM_OK && i < json_object_array_length(list); i++)
		rc = load_rule(rs, json_object_array_get_idx(list, i), path, i,
			       eb);
	json_object_put(root);
	return rc;
}

enum tsam_err tsam_rules_load_sizing(struct tsam_rules *rs, const char *path,
				     struct tsam_errbuf *eb)
{
	static const char *const members[] = {"id", "max_endpoints", "what",
					      "source", NULL};
	json_object *root = NULL, *list = NULL;
	char loc[600];
	size_t i;
	int rc;

	rc = tsam_json_load_doc(path, RULES_MAX_BYTES, "tsamkit-sizing/1",
				"limits", &root, &list, eb);
	if (rc == TSAM_OK && rs->sizing == NULL &&
	    (rs->sizing = json_object_new_object()) == NULL)
		rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	for (i = 0; rc == TSAM_OK && i < json_object_array_length(list); i++) {
		json_object *l = json_object_array_get_idx(list, i);
		const char *id = json_object_is_type(l, json_type_object)
				     ? tsam_json_str(l, "id")
				     : NULL;
		int64_t max = 0;

		snprintf(loc, sizeof(loc), "%s: limits[%zu]", path, i);
		if (id == NULL || id[0] == '\0') {
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: an object with an \"id\" "
					     "string is required",
					     loc);
			break;
		}
		snprintf(loc, sizeof(loc), "%s: %s", path, id);
		if ((rc = tsam_json_known_members(l, members, loc, eb)) !=
		    TSAM_OK)
			break;
		if (json_object_object_get_ex(rs->sizing, id, NULL))
			rc = tsam_errbuf_set(eb, TSAM_ERR_DUP,
					     "%s: limit defined twice", loc);
		else if (tsam_json_int(l, "max_endpoints", &max) != TSAM_OK ||
			 max < 1)
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: \"max_endpoints\" must be an "
					     "integer >= 1",
					     loc);
		else if (tsam_json_str(l, "source") == NULL ||
			 tsam_json_str(l, "source")[0] == '\0')
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: \"source\" (where the figure "
					     "comes from) is required",
					     loc);
		else if ((rc = bilingual(l, "what", loc, eb)) == TSAM_OK)
			json_object_object_add(rs->sizing, id,
					       json_object_get(l));
	}
	json_object_put(root);
	return rc;
}

/*
 * What rules refer to exists: a share rule's per-host rule, a capacity
 * rule's sizing limit, lifecycle data for rules testing lifecycle.* facts.
 */
static int check_refs(const struct tsam_rules *rs, struct tsam_errbuf *eb)
{
	size_t i, j;

	for (i = 0; i < rs->n; i++) {
		const struct tsam_rule *r = &rs->v[i];
		const char *target, *limit;
		bool found = false;

		if ((tsam_expr_refers(r->check, "lifecycle.") ||
		     tsam_expr_refers(r->when, "lifecycle.")) &&
		    tsam_lifecycle_count(rs->lifecycle) == 0)
			return tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND,
					       "%s: %s: tests lifecycle facts "
					       "but no lifecycle.json was "
					       "loaded",
					       r->file, r->id);
		if (r->fleet != NULL &&
		    (limit = tsam_json_str(r->fleet, "sizing")) != NULL &&
		    (rs->sizing == NULL ||
		     !json_object_object_get_ex(rs->sizing, limit, NULL)))
			return tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND,
					       "%s: %s: unknown sizing limit "
					       "'%s' (no sizing.json defines "
					       "it)",
					       r->file, r->id, limit);
		if (r->fleet == NULL ||
		    (target = tsam_json_str(r->fleet, "rule")) == NULL)
			continue;
		for (j = 0; j < rs->n; j++)
			found |= rs->v[j].check != NULL &&
				 strcmp(rs->v[j].id, target) == 0;
		if (!found)
			return tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND,
					       "%s: %s: share of unknown rule "
					       "'%s'",
					       rs->v[i].file, rs->v[i].id,
					       target);
	}
	return TSAM_OK;
}

enum tsam_err tsam_rules_load_dir(struct tsam_rules *rs, const char *dir,
				  struct tsam_errbuf *eb)
{
	struct dirent **names = NULL;
	size_t files = 0;
	int n, i, rc = TSAM_OK;

	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0)
		return tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND,
				       "%s: cannot read the rules directory",
				       dir);
	for (i = 0; i < n; i++) {
		char path[4096];
		const char *sub = names[i]->d_name;

		snprintf(path, sizeof(path), "%s/%s/rules.json", dir, sub);
		if (rc == TSAM_OK && sub[0] != '.' && access(path, R_OK) == 0) {
			rc = tsam_rules_load_file(rs, path, eb);
			files++;
		}
		snprintf(path, sizeof(path), "%s/%s/lifecycle.json", dir, sub);
		if (rc == TSAM_OK && sub[0] != '.' && access(path, R_OK) == 0)
			rc = tsam_lifecycle_load_file(&rs->lifecycle, path, eb);
		snprintf(path, sizeof(path), "%s/%s/sizing.json", dir, sub);
		if (rc == TSAM_OK && sub[0] != '.' && access(path, R_OK) == 0)
			rc = tsam_rules_load_sizing(rs, path, eb);
		free(names[i]);
	}
	free(names);
	if (rc == TSAM_OK && files == 0)
		rc =
		    tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND,
				    "%s: no <collector>/rules.json files", dir);
	if (rc == TSAM_OK)
		rc = check_refs(rs, eb);
	return rc;
}
