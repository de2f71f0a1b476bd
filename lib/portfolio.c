/* portfolio.c - portfolio files: validation and path resolution. */
#include "portfolio.h"

#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PORTFOLIO_MAX_FILE (16 * 1024 * 1024)

static void free_customer(struct tsam_customer *c)
{
	free(c->snapshots);
	free(c->inventory);
	free(c->known_hosts);
	free(c->identity);
	free(c->waivers);
	free(c->previous);
	free(c->cases);
	free(c->events);
	free(c->mapping);
	free(c->policy);
}

void tsam_portfolio_free(struct tsam_portfolio *p)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		free_customer(&p->customers[i]);
	free(p->customers);
	free(p->tsams);
	free(p->path);
	free(p->dir);
	json_object_put(p->doc);
	memset(p, 0, sizeof(*p));
}

const struct tsam_tsam *tsam_portfolio_tsam(const struct tsam_portfolio *p,
					    const char *id)
{
	size_t i;

	for (i = 0; id && i < p->ntsams; i++)
		if (strcmp(p->tsams[i].id, id) == 0)
			return &p->tsams[i];
	return NULL;
}

/* An id usable as a file name: [a-z0-9_-], 1-64. */
static bool good_id(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > 0 && n <= 64 &&
	       strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* The member key of o as a path resolved against dir, or NULL. */
static int path_of(const struct tsam_portfolio *p, json_object *o,
		   const char *key, char **out, const char *where,
		   struct tsam_errbuf *eb)
{
	const char *s = tsam_json_str(o, key);
	size_t n;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, NULL))
		return TSAM_OK;
	if (s == NULL || s[0] == '\0')
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s.%s: not a path", p->path, where,
				       key);
	n = strlen(p->dir) + strlen(s) + 2;
	*out = malloc(n);
	if (*out == NULL)
		return TSAM_ERR_NOMEM;
	if (s[0] == '/')
		snprintf(*out, n, "%s", s);
	else
		snprintf(*out, n, "%s/%s", p->dir, s);
	return TSAM_OK;
}

static int str_member(json_object *o, const char *key, const char **out,
		      bool required, const char *path, const char *where,
		      struct tsam_errbuf *eb)
{
	*out = tsam_json_str(o, key);
	if (*out == NULL && json_object_object_get_ex(o, key, NULL))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s.%s: not a string", path, where,
				       key);
	if (*out == NULL && required)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s: \"%s\" is required", path,
				       where, key);
	return TSAM_OK;
}

static int load_tsams(struct tsam_portfolio *p, struct tsam_errbuf *eb)
{
	json_object *arr;
	size_t i, j;
	int rc;

	if (!json_object_object_get_ex(p->doc, "tsams", &arr) ||
	    !json_object_is_type(arr, json_type_array) ||
	    json_object_array_length(arr) == 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"tsams\" must be a non-empty list",
				       p->path);
	p->ntsams = json_object_array_length(arr);
	p->tsams = calloc(p->ntsams, sizeof(*p->tsams));
	if (p->tsams == NULL)
		return TSAM_ERR_NOMEM;
	for (i = 0; i < p->ntsams; i++) {
		json_object *t = json_object_array_get_idx(arr, i);
		struct tsam_tsam *ts = &p->tsams[i];
		char where[32];

		snprintf(where, sizeof(where), "tsams[%zu]", i);
		if ((rc = str_member(t, "id", &ts->id, true, p->path, where,
				     eb)) != TSAM_OK ||
		    (rc = str_member(t, "name", &ts->name, true, p->path, where,
				     eb)) != TSAM_OK ||
		    (rc = str_member(t, "email", &ts->email, false, p->path,
				     where, eb)) != TSAM_OK ||
		    (rc = str_member(t, "language", &ts->lang, false, p->path,
				     where, eb)) != TSAM_OK)
			return rc;
		if (!good_id(ts->id))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: %s.id: \"%s\" is not "
					       "[a-z0-9_-]{1,64}",
					       p->path, where, ts->id);
		if (ts->lang == NULL)
			ts->lang = "ja";
		if (strcmp(ts->lang, "ja") != 0 && strcmp(ts->lang, "en") != 0)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: %s.language: ja or en",
					       p->path, where);
		for (j = 0; j < i; j++)
			if (strcmp(p->tsams[j].id, ts->id) == 0)
				return tsam_errbuf_set(
				    eb, TSAM_ERR_DUP,
				    "%s: %s.id: \"%s\" again (tsams[%zu])",
				    p->path, where, ts->id, j);
	}
	return TSAM_OK;
}

static int load_customer(struct tsam_portfolio *p, size_t i,
			 struct tsam_errbuf *eb)
{
	json_object *o = json_object_array_get_idx(
	    json_object_object_get(p->doc, "customers"), i);
	struct tsam_customer *c = &p->customers[i];
	static const char *paths[] = {"snapshots",   "inventory",
				      "known_hosts", "identity",
				      "waivers",     "previous_findings",
				      "cases",	     "events",
				      "mapping",     "policy"};
	char **dst[] = {&c->snapshots, &c->inventory, &c->known_hosts,
			&c->identity,  &c->waivers,   &c->previous,
			&c->cases,     &c->events,    &c->mapping,
			&c->policy};
	char where[32];
	size_t k;
	int rc;

	snprintf(where, sizeof(where), "customers[%zu]", i);
	if (!json_object_is_type(o, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s: not an object", p->path, where);
	c->doc = o;
	if ((rc = str_member(o, "id", &c->id, true, p->path, where, eb)) ||
	    (rc = str_member(o, "name", &c->name, true, p->path, where, eb)) ||
	    (rc = str_member(o, "tier", &c->tier, true, p->path, where, eb)) ||
	    (rc = str_member(o, "language", &c->lang, false, p->path, where,
			     eb)) ||
	    (rc = str_member(o, "calendar", &c->calendar, false, p->path, where,
			     eb)) ||
	    (rc = str_member(o, "tsam", &c->tsam, true, p->path, where, eb)) ||
	    (rc = str_member(o, "currency", &c->currency, false, p->path, where,
			     eb)) ||
	    (rc = str_member(o, "cases_customer", &c->cases_customer, false,
			     p->path, where, eb)) ||
	    (rc = str_member(o, "user", &c->user, false, p->path, where, eb)))
		return rc;
	if (!good_id(c->id))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s.id: \"%s\" is not "
				       "[a-z0-9_-]{1,64}",
				       p->path, where, c->id);
	if (tsam_tier_parse(c->tier) < 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s.tier: \"%s\" is not standard, "
				       "premium or platinum",
				       p->path, where, c->tier);
	if (tsam_portfolio_tsam(p, c->tsam) == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s.tsam: \"%s\" is not one of "
				       "tsams[].id",
				       p->path, where, c->tsam);
	if (c->lang == NULL)
		c->lang = tsam_portfolio_tsam(p, c->tsam)->lang;
	if (strcmp(c->lang, "ja") != 0 && strcmp(c->lang, "en") != 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s.language: ja or en", p->path,
				       where);
	if (c->calendar == NULL)
		c->calendar = strcmp(c->lang, "ja") == 0 ? "japan" : "24x7";
	if (c->currency == NULL)
		c->currency = "JPY";
	c->fee = json_object_get_double(json_object_object_get(o, "fee"));
	if (c->fee < 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s.fee: not negative", p->path,
				       where);
	for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
		if ((rc = path_of(p, o, paths[k], dst[k], where, eb)) !=
		    TSAM_OK)
			return rc;
	for (k = 0; k < i; k++)
		if (strcmp(p->customers[k].id, c->id) == 0)
			return tsam_errbuf_set(eb, TSAM_ERR_DUP,
					       "%s: %s.id: \"%s\" again "
					       "(customers[%zu])",
					       p->path, where, c->id, k);
	return TSAM_OK;
}

int tsam_portfolio_load(const char *path, struct tsam_portfolio *p,
			struct tsam_errbuf *eb)
{
	json_object *arr;
	const char *schema, *slash;
	size_t i;
	int rc;

	p->path = strdup(path);
	slash = strrchr(path, '/');
	p->dir = slash ? strndup(path, (size_t)(slash - path)) : strdup(".");
	if (p->path == NULL || p->dir == NULL)
		return TSAM_ERR_NOMEM;
	rc = tsam_json_load(path, PORTFOLIO_MAX_FILE, &p->doc, eb);
	if (rc != TSAM_OK)
		return rc;
	schema = tsam_json_str(p->doc, "schema");
	if (schema == NULL || strcmp(schema, "tsamkit-portfolio/1") != 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: schema must be tsamkit-portfolio/1",
				       path);
	if ((rc = load_tsams(p, eb)) != TSAM_OK)
		return rc;
	if (!json_object_object_get_ex(p->doc, "customers", &arr) ||
	    !json_object_is_type(arr, json_type_array) ||
	    json_object_array_length(arr) == 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"customers\" must be a non-empty "
				       "list",
				       path);
	p->customers =
	    calloc(json_object_array_length(arr), sizeof(*p->customers));
	if (p->customers == NULL)
		return TSAM_ERR_NOMEM;
	for (i = 0; i < json_object_array_length(arr); i++) {
		p->n = i + 1;
		if ((rc = load_customer(p, i, eb)) != TSAM_OK)
			return rc;
	}
	return TSAM_OK;
}
