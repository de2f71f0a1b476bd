/*
 * portfolio.c - portfolio files: validation, path resolution, and the
 * names of what tsam-review writes for each entry (one function maps an
 * entry to its file names, and the same one checks them for clashes).
 */
#include "portfolio.h"

#include "policy.h"
#include "sla.h"
#include "tz.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define PORTFOLIO_MAX_FILE (16 * 1024 * 1024)

/*
 * Every string member the portfolio's code reads, typed, and free of
 * control characters: a name with U+0000 would be cut short silently,
 * one with ESC would reach terminals and reports. Semantics (ids, tiers,
 * TSAM references, fees) are checked after this pass, entry by entry.
 */
#define P_TEXT(k)                                                              \
	{                                                                      \
		k, TSAM_JSON_STR, TSAM_JSON_TEXT, 0, 4096, NULL, NULL, NULL,   \
		    NULL                                                       \
	}
static const struct tsam_json_spec p_tsam[] = {
    P_TEXT("id"),
    P_TEXT("name"),
    P_TEXT("email"),
    P_TEXT("language"),
    {NULL, TSAM_JSON_END, 0, 0, 0, NULL, NULL, NULL, NULL}};
static const struct tsam_json_spec p_customer[] = {
    P_TEXT("id"),
    P_TEXT("name"),
    P_TEXT("tier"),
    P_TEXT("language"),
    P_TEXT("calendar"),
    P_TEXT("zone"),
    P_TEXT("tsam"),
    P_TEXT("snapshots"),
    P_TEXT("inventory"),
    P_TEXT("known_hosts"),
    P_TEXT("identity"),
    P_TEXT("waivers"),
    P_TEXT("previous_findings"),
    P_TEXT("cases"),
    P_TEXT("events"),
    P_TEXT("mapping"),
    P_TEXT("policy"),
    P_TEXT("cases_customer"),
    P_TEXT("user"),
    P_TEXT("currency"),
    P_TEXT("actions"),
    P_TEXT("narrative"),
    P_TEXT("next_review"),
    {NULL, TSAM_JSON_END, 0, 0, 0, NULL, NULL, NULL, NULL}};
static const struct tsam_json_spec p_tsam_item = {
    NULL, TSAM_JSON_OBJ, 0, 0, 0, p_tsam, NULL, NULL, NULL};
static const struct tsam_json_spec p_customer_item = {
    NULL, TSAM_JSON_OBJ, 0, 0, 0, p_customer, NULL, NULL, NULL};
static const struct tsam_json_spec p_members[] = {
    {"tsams", TSAM_JSON_ARR, 0, 0, 0, &p_tsam_item, NULL, NULL, NULL},
    {"customers", TSAM_JSON_ARR, 0, 0, 0, &p_customer_item, NULL, NULL, NULL},
    {NULL, TSAM_JSON_END, 0, 0, 0, NULL, NULL, NULL, NULL}};
static const struct tsam_json_spec portfolio_spec = {
    NULL, TSAM_JSON_OBJ, 0, 0, 0, p_members, NULL, NULL, NULL};

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
	free(c->actions);
	free(c->narrative);
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

/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM" (the next review's date). */
static bool good_date(const char *s)
{
	static const char pat[] = "9999-99-99 99:99";
	size_t i, n = strlen(s);

	if (n != 10 && n != 16)
		return false;
	for (i = 0; i < n; i++)
		if (pat[i] == '9' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
			return false;
	return true;
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
	if (s[0] == '/' ||
	    (strcmp(key, "mapping") == 0 && strchr(s, '/') == NULL &&
	     (strlen(s) < 5 || strcmp(s + strlen(s) - 5, ".json") != 0)))
		snprintf(*out, n, "%s", s); /* a path, or a mapping preset */
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

/* The quarterly fee in customer object o: absent is 0; present, a finite
 * number from 0 to TSAM_SLA_MAX_FEE (it is multiplied and printed). */
static int fee_of(json_object *o, double *fee)
{
	json_object *v;
	double x;

	*fee = 0;
	if (!json_object_object_get_ex(o, "fee", &v))
		return TSAM_OK;
	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return TSAM_ERR_PARSE;
	x = json_object_get_double(v);
	if (json_object_is_type(v, json_type_int) &&
	    json_object_get_int64(v) == INT64_MAX)
		x = INFINITY; /* json-c saturates larger integers */
	if (!isfinite(x) || x < 0 || x > TSAM_SLA_MAX_FEE)
		return TSAM_ERR_PARSE;
	*fee = x;
	return TSAM_OK;
}

static int load_customer(struct tsam_portfolio *p, size_t i,
			 struct tsam_errbuf *eb)
{
	json_object *o = json_object_array_get_idx(
	    json_object_object_get(p->doc, "customers"), i);
	struct tsam_customer *c = &p->customers[i];
	static const char *paths[] = {
	    "snapshots", "inventory", "known_hosts",
	    "identity",	 "waivers",   "previous_findings",
	    "cases",	 "events",    "mapping",
	    "policy",	 "actions",   "narrative"};
	char **dst[] = {&c->snapshots, &c->inventory, &c->known_hosts,
			&c->identity,  &c->waivers,   &c->previous,
			&c->cases,     &c->events,    &c->mapping,
			&c->policy,    &c->actions,   &c->narrative};
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
	    (rc = str_member(o, "zone", &c->zone, false, p->path, where, eb)) ||
	    (rc = str_member(o, "tsam", &c->tsam, true, p->path, where, eb)) ||
	    (rc = str_member(o, "currency", &c->currency, false, p->path, where,
			     eb)) ||
	    (rc = str_member(o, "cases_customer", &c->cases_customer, false,
			     p->path, where, eb)) ||
	    (rc = str_member(o, "user", &c->user, false, p->path, where, eb)) ||
	    (rc = str_member(o, "next_review", &c->next_review, false, p->path,
			     where, eb)))
		return rc;
	if (c->next_review != NULL && !good_date(c->next_review))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s.next_review: \"%s\" is not a "
				       "date YYYY-MM-DD or YYYY-MM-DD HH:MM",
				       p->path, where, c->next_review);
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
	if (c->zone != NULL) {
		struct tsam_tz *tz = NULL;

		if (tsam_tz_load(NULL, c->zone, &tz, NULL) != TSAM_OK)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: %s.zone: \"%s\" is not a "
					       "time zone of this system",
					       p->path, where, c->zone);
		tsam_tz_free(tz);
	}
	if (c->currency == NULL)
		c->currency = "JPY";
	if (fee_of(o, &c->fee) != TSAM_OK)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s.fee (customer \"%s\"): must be "
				       "a number from 0 to %.0f",
				       p->path, where, c->id, TSAM_SLA_MAX_FEE);
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

enum tsam_err tsam_portfolio_load(const char *path, struct tsam_portfolio *p,
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
	if ((rc = tsam_json_spec_check(p->doc, &portfolio_spec, path, eb)) !=
	    TSAM_OK)
		return rc;
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

void tsam_portfolio_out_name(const struct tsam_portfolio *p,
			     enum tsam_portfolio_out kind, size_t i, int year,
			     int quarter, char *out, size_t n)
{
	const struct tsam_customer *c =
	    kind == TSAM_OUT_SUMMARY || kind == TSAM_OUT_TSAM_DIR
		? NULL
		: &p->customers[i];

	switch (kind) {
	case TSAM_OUT_PDF:
		snprintf(out, n, "%s/%s-%04dQ%d.pdf", c->tsam, c->id, year,
			 quarter);
		break;
	case TSAM_OUT_STATS:
		snprintf(out, n, "%s/%s-%04dQ%d-stats.json", c->tsam, c->id,
			 year, quarter);
		break;
	case TSAM_OUT_FINDINGS:
		snprintf(out, n, "%s/%s-%04dQ%d-findings.json", c->tsam, c->id,
			 year, quarter);
		break;
	case TSAM_OUT_RUN:
		snprintf(out, n, "%s/%s-%04dQ%d-run", c->tsam, c->id, year,
			 quarter);
		break;
	case TSAM_OUT_WORK:
		snprintf(out, n, ".work/%s.json", c->id);
		break;
	case TSAM_OUT_SUMMARY:
		snprintf(out, n, "%s/portfolio-%04dQ%d.pdf", p->tsams[i].id,
			 year, quarter);
		break;
	case TSAM_OUT_TSAM_DIR:
		snprintf(out, n, "%s", p->tsams[i].id);
		break;
	}
}

/* One output file (or directory) and the entry that writes it: kind
 * and index, so that "who" is only worded for an error. */
struct out_entry {
	char name[176];
	bool own; /* tsam-review's own file: no entry */
	enum tsam_portfolio_out kind;
	size_t i;
};

/* The entry's place in the portfolio, for a message. */
static void out_who(const struct tsam_portfolio *p, const struct out_entry *e,
		    char *out, size_t n)
{
	if (e->own)
		snprintf(out, n, "tsam-review's own %s", e->name);
	else if (e->kind == TSAM_OUT_SUMMARY || e->kind == TSAM_OUT_TSAM_DIR)
		snprintf(out, n, "tsams[%zu] \"%s\" (its %s)", e->i,
			 p->tsams[e->i].id,
			 e->kind == TSAM_OUT_SUMMARY ? "summary" : "directory");
	else
		snprintf(out, n, "customers[%zu] \"%s\"", e->i,
			 p->customers[e->i].id);
}

static int cmp_out(const void *a, const void *b)
{
	const struct out_entry *x = a, *y = b;
	int d = strcasecmp(x->name, y->name);

	/* the same name in another case sorts next to it; then by entry, so
	 * the message is the same on every run */
	if (d != 0)
		return d;
	if (x->own != y->own)
		return x->own ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->i < y->i ? -1 : x->i > y->i;
}

enum tsam_err tsam_portfolio_check_outputs(const struct tsam_portfolio *p,
					   int year, int quarter, bool collect,
					   struct tsam_errbuf *eb)
{
	static const enum tsam_portfolio_out per_customer[] = {
	    TSAM_OUT_PDF, TSAM_OUT_STATS, TSAM_OUT_FINDINGS, TSAM_OUT_WORK,
	    TSAM_OUT_RUN};
	static const char *const own[] = {"index.json", ".work"};
	size_t nk =
	    sizeof(per_customer) / sizeof(per_customer[0]) - (collect ? 0 : 1);
	size_t n = p->n * nk + 2 * p->ntsams + 2, k = 0, i, j;
	struct out_entry *e = calloc(n, sizeof(*e));
	char a[256], b[256];
	int rc = TSAM_OK;

	if (e == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	/* what tsam-review itself keeps at the top of OUT */
	for (i = 0; i < 2; i++, k++) {
		snprintf(e[k].name, sizeof(e[k].name), "%s", own[i]);
		e[k].own = true;
	}
	for (i = 0; i < p->ntsams; i++)
		for (j = 0; j < 2; j++, k++) {
			e[k].kind = j ? TSAM_OUT_SUMMARY : TSAM_OUT_TSAM_DIR;
			e[k].i = i;
			tsam_portfolio_out_name(p, e[k].kind, i, year, quarter,
						e[k].name, sizeof(e[k].name));
		}
	for (i = 0; i < p->n; i++)
		for (j = 0; j < nk; j++, k++) {
			e[k].kind = per_customer[j];
			e[k].i = i;
			tsam_portfolio_out_name(p, e[k].kind, i, year, quarter,
						e[k].name, sizeof(e[k].name));
		}
	qsort(e, k, sizeof(*e), cmp_out);
	for (i = 1; i < k && rc == TSAM_OK; i++) {
		bool same_case = strcmp(e[i - 1].name, e[i].name) == 0;

		if (strcasecmp(e[i - 1].name, e[i].name) != 0)
			continue;
		out_who(p, &e[i - 1], a, sizeof(a));
		out_who(p, &e[i], b, sizeof(b));
		rc = tsam_errbuf_set(
		    eb, TSAM_ERR_DUP,
		    "%s: %s and %s would both write OUT/%s%s%s "
		    "(output names are compared ignoring "
		    "case): rename one",
		    p->path, a, b, e[i - 1].name, same_case ? "" : " = OUT/",
		    same_case ? "" : e[i].name);
	}
	free(e);
	return rc;
}
