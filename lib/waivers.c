/* waivers.c - accepted exceptions with expiry. */
#include "waivers.h"

#include "buf.h"
#include "expr.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tsam_waivers_free(struct tsam_waivers *ws)
{
	size_t i;

	if (ws == NULL)
		return;
	for (i = 0; i < ws->n; i++) {
		free(ws->v[i].hosts);
		json_object_put(ws->v[i].doc);
	}
	free(ws->v);
	free(ws->path);
	free(ws);
}

static int load_one(struct tsam_waivers *ws, json_object *w,
		    const struct tsam_rules *rules, const char *loc,
		    struct tsam_errbuf *eb)
{
	static const char *const members[] = {
	    "rule",    "hosts", "justification", "approver", "created",
	    "expires", NULL};
	struct tsam_waiver wv;
	const char *rule, *hosts, *just, *created, *expires;
	time_t c, e;
	size_t i;
	bool known_rule = false;

	memset(&wv, 0, sizeof(wv));
	if (!json_object_is_type(w, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: a waiver is an object", loc);
	if (tsam_json_known_members(w, members, loc, eb) != TSAM_OK)
		return TSAM_ERR_PARSE;
	rule = tsam_json_str(w, "rule");
	hosts = tsam_json_str(w, "hosts");
	just = tsam_json_str(w, "justification");
	created = tsam_json_str(w, "created");
	expires = tsam_json_str(w, "expires");
	if (rule == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"rule\" is required", loc);
	for (i = 0; i < rules->n; i++)
		known_rule |= strcmp(rules->v[i].id, rule) == 0;
	if (!known_rule)
		return tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND,
				       "%s: unknown rule '%s'", loc, rule);
	if (hosts == NULL || hosts[0] == '\0')
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"hosts\" (a host name or glob) is "
				       "required",
				       loc);
	if (just == NULL || strlen(just) < 10)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"justification\" is required (a "
				       "sentence, not a word)",
				       loc);
	if (tsam_json_str(w, "approver") == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"approver\" is required", loc);
	if (created == NULL || (c = tsam_date_parse(created)) < 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"created\" must be a date "
				       "YYYY-MM-DD",
				       loc);
	if (expires == NULL || (e = tsam_date_parse(expires)) < 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"expires\" must be a date "
				       "YYYY-MM-DD (UTC)",
				       loc);
	if (e < c)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: expires before it was created",
				       loc);
	if (tsam_grow(&ws->v, &ws->cap, ws->n + 1, sizeof(*ws->v)) != TSAM_OK ||
	    (wv.hosts = strdup(hosts)) == NULL)
		return TSAM_ERR_NOMEM;
	snprintf(wv.rule, sizeof(wv.rule), "%s", rule);
	wv.expires_end = e + 86400; /* the whole expiry day, UTC */
	wv.doc = json_object_get(w);
	ws->v[ws->n++] = wv;
	return TSAM_OK;
}

enum tsam_err tsam_waivers_load(const char *path,
				const struct tsam_rules *rules,
				struct tsam_waivers **out,
				struct tsam_errbuf *eb)
{
	struct tsam_waivers *ws = NULL;
	json_object *root = NULL, *list;
	size_t i;
	int rc;

	*out = NULL;
	rc = tsam_json_load_doc(path, 16u << 20, "tsamkit-waivers/1", "waivers",
				&root, &list, eb);
	if (rc != TSAM_OK)
		goto out;
	ws = calloc(1, sizeof(*ws));
	if (ws == NULL || (ws->path = strdup(path)) == NULL) {
		rc = TSAM_ERR_NOMEM;
		goto out;
	}
	for (i = 0; rc == TSAM_OK && i < json_object_array_length(list); i++) {
		char loc[600];
		snprintf(loc, sizeof(loc), "%s: waivers[%zu]", path, i);
		rc = load_one(ws, json_object_array_get_idx(list, i), rules,
			      loc, eb);
	}
out:
	json_object_put(root);
	if (rc != TSAM_OK) {
		tsam_waivers_free(ws);
		return rc;
	}
	*out = ws;
	return TSAM_OK;
}

struct tsam_waiver *tsam_waivers_find(struct tsam_waivers *ws, const char *rule,
				      const char *host, time_t collected)
{
	struct tsam_waiver *expired = NULL;
	size_t i;

	if (ws == NULL)
		return NULL;
	for (i = 0; i < ws->n; i++) {
		struct tsam_waiver *w = &ws->v[i];
		if (strcmp(w->rule, rule) != 0 ||
		    fnmatch(w->hosts, host, 0) != 0)
			continue;
		if (collected < w->expires_end) {
			w->applied++;
			return w;
		}
		expired = w;
	}
	if (expired != NULL)
		expired->expired_hits++;
	return NULL;
}
