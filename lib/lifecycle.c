/* lifecycle.c - product versions with release and end-of-support dates. */
#include "lifecycle.h"

#include "buf.h"
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIFECYCLE_MAX_BYTES (4u << 20)

struct line {
	char *version;	 /* "10", "2023.4" */
	time_t released; /* start of the day, or -1 */
	time_t eos;	 /* end of the last day of support, or -1 */
};

struct product {
	char slot[32];
	char *name, *match_fact, *match_value, *version_fact;
	struct line *lines;
	size_t nlines, cap;
};

struct tsam_lifecycle {
	struct product *v;
	size_t n, cap;
};

static void product_free(struct product *p)
{
	size_t i;

	for (i = 0; i < p->nlines; i++)
		free(p->lines[i].version);
	free(p->lines);
	free(p->name);
	free(p->match_fact);
	free(p->match_value);
	free(p->version_fact);
}

void tsam_lifecycle_free(struct tsam_lifecycle *lc)
{
	size_t i;

	if (lc == NULL)
		return;
	for (i = 0; i < lc->n; i++)
		product_free(&lc->v[i]);
	free(lc->v);
	free(lc);
}

size_t tsam_lifecycle_count(const struct tsam_lifecycle *lc)
{
	return lc ? lc->n : 0;
}

/* A non-empty string member, or NULL with eb set. */
static const char *need_str(json_object *o, const char *key, const char *loc,
			    struct tsam_errbuf *eb)
{
	const char *s = tsam_json_str(o, key);

	if (s == NULL || s[0] == '\0')
		tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				"%s: \"%s\" (a non-empty string) is required",
				loc, key);
	return s != NULL && s[0] != '\0' ? s : NULL;
}

/* An optional "YYYY-MM-DD" member (absent or null: -1) into *t. */
static int opt_date(json_object *o, const char *key, time_t *t, const char *loc,
		    struct tsam_errbuf *eb)
{
	json_object *v;

	*t = -1;
	if (!json_object_object_get_ex(o, key, &v) || v == NULL)
		return TSAM_OK;
	if (!json_object_is_type(v, json_type_string) ||
	    (*t = tsam_date_parse(json_object_get_string(v))) < 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"%s\" must be a date YYYY-MM-DD "
				       "or null",
				       loc, key);
	return TSAM_OK;
}

/* Version line text: digits, letters, '.', '-', '_'; not empty. */
static bool valid_version(const char *s)
{
	if (s[0] == '\0' || strlen(s) > 64)
		return false;
	for (; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') ||
		      (*s >= 'A' && *s <= 'Z') || *s == '.' || *s == '-' ||
		      *s == '_'))
			return false;
	return true;
}

static int load_line(struct product *p, json_object *l, const char *loc,
		     struct tsam_errbuf *eb)
{
	static const char *const names[] = {"version", "released",
					    "end_of_support", "source", NULL};
	struct line ln;
	const char *ver;
	size_t i;
	int rc;

	if (!json_object_is_type(l, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: must be an object", loc);
	if ((rc = tsam_json_known_members(l, names, loc, eb)) != TSAM_OK)
		return rc;
	if ((ver = need_str(l, "version", loc, eb)) == NULL ||
	    need_str(l, "source", loc, eb) == NULL)
		return TSAM_ERR_PARSE;
	if (!valid_version(ver))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: bad version '%s' (digits, letters, "
				       "'.', '-', '_')",
				       loc, ver);
	for (i = 0; i < p->nlines; i++)
		if (strcmp(p->lines[i].version, ver) == 0)
			return tsam_errbuf_set(eb, TSAM_ERR_DUP,
					       "%s: version '%s' listed twice",
					       loc, ver);
	if ((rc = opt_date(l, "released", &ln.released, loc, eb)) != TSAM_OK ||
	    (rc = opt_date(l, "end_of_support", &ln.eos, loc, eb)) != TSAM_OK)
		return rc;
	if (ln.eos >= 0) {
		if (ln.released >= 0 && ln.eos < ln.released)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: support ends before the "
					       "release",
					       loc);
		ln.eos += 86399; /* the whole last day, UTC */
	}
	if (tsam_grow(&p->lines, &p->cap, p->nlines + 1, sizeof(*p->lines)) !=
		TSAM_OK ||
	    (ln.version = strdup(ver)) == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	p->lines[p->nlines++] = ln;
	return TSAM_OK;
}

/* A slot word: lower-case letters, digits, '_'. */
static bool valid_slot(const char *s)
{
	if (s[0] == '\0' || strlen(s) >= 32)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		      *s == '_'))
			return false;
	return true;
}

static int load_product(struct tsam_lifecycle *lc, json_object *o,
			const char *loc, struct tsam_errbuf *eb)
{
	static const char *const names[] = {"slot",	    "name",  "match",
					    "version_fact", "lines", NULL};
	static const char *const match_names[] = {"fact", "value", NULL};
	struct product p;
	json_object *m = NULL, *lines = NULL;
	const char *slot, *name, *mf, *mv, *vf;
	char where[640];
	size_t i;
	int rc;

	memset(&p, 0, sizeof(p));
	if (!json_object_is_type(o, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: must be an object", loc);
	if ((rc = tsam_json_known_members(o, names, loc, eb)) != TSAM_OK)
		return rc;
	if ((slot = need_str(o, "slot", loc, eb)) == NULL ||
	    (name = need_str(o, "name", loc, eb)) == NULL ||
	    (vf = need_str(o, "version_fact", loc, eb)) == NULL)
		return TSAM_ERR_PARSE;
	if (!valid_slot(slot))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: bad slot '%s' (lower-case letters, "
				       "digits, '_')",
				       loc, slot);
	snprintf(where, sizeof(where), "%.600s.match", loc);
	if (!json_object_object_get_ex(o, "match", &m) ||
	    !json_object_is_type(m, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: {\"fact\": ..., \"value\": ...} is "
				       "required",
				       where);
	if ((rc = tsam_json_known_members(m, match_names, where, eb)) !=
	    TSAM_OK)
		return rc;
	if ((mf = need_str(m, "fact", where, eb)) == NULL ||
	    (mv = need_str(m, "value", where, eb)) == NULL)
		return TSAM_ERR_PARSE;
	for (i = 0; i < lc->n; i++)
		if (strcmp(lc->v[i].slot, slot) == 0 &&
		    strcmp(lc->v[i].match_fact, mf) == 0 &&
		    strcmp(lc->v[i].match_value, mv) == 0)
			return tsam_errbuf_set(eb, TSAM_ERR_DUP,
					       "%s: %s '%s' already has "
					       "lifecycle data (%s)",
					       loc, mf, mv, lc->v[i].name);
	if (!json_object_object_get_ex(o, "lines", &lines) ||
	    !json_object_is_type(lines, json_type_array))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"lines\" (an array) is required",
				       loc);
	snprintf(p.slot, sizeof(p.slot), "%s", slot);
	if ((p.name = strdup(name)) == NULL ||
	    (p.match_fact = strdup(mf)) == NULL ||
	    (p.match_value = strdup(mv)) == NULL ||
	    (p.version_fact = strdup(vf)) == NULL) {
		product_free(&p);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	for (i = 0; i < json_object_array_length(lines); i++) {
		snprintf(where, sizeof(where), "%.600s.lines[%zu]", loc, i);
		if ((rc = load_line(&p, json_object_array_get_idx(lines, i),
				    where, eb)) != TSAM_OK) {
			product_free(&p);
			return rc;
		}
	}
	if (tsam_grow(&lc->v, &lc->cap, lc->n + 1, sizeof(*lc->v)) != TSAM_OK) {
		product_free(&p);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	lc->v[lc->n++] = p;
	return TSAM_OK;
}

enum tsam_err tsam_lifecycle_load_file(struct tsam_lifecycle **lc,
				       const char *path, struct tsam_errbuf *eb)
{
	json_object *root = NULL, *list = NULL;
	char loc[600];
	size_t i;
	int rc;

	if (*lc == NULL && (*lc = calloc(1, sizeof(**lc))) == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	rc =
	    tsam_json_load_doc(path, LIFECYCLE_MAX_BYTES, TSAM_LIFECYCLE_SCHEMA,
			       "products", &root, &list, eb);
	for (i = 0; rc == TSAM_OK && i < json_object_array_length(list); i++) {
		snprintf(loc, sizeof(loc), "%s: products[%zu]", path, i);
		rc = load_product(*lc, json_object_array_get_idx(list, i), loc,
				  eb);
	}
	json_object_put(root);
	return rc;
}

/* The longest line that version is on: "10" holds "10", "10.5.2" and
 * "10-rc1", not "100". */
static const struct line *find_line(const struct product *p, const char *ver)
{
	const struct line *best = NULL;
	size_t i, bl = 0;

	for (i = 0; i < p->nlines; i++) {
		size_t n = strlen(p->lines[i].version);
		if (strncmp(ver, p->lines[i].version, n) == 0 &&
		    (ver[n] == '\0' || ver[n] == '.' || ver[n] == '-') &&
		    (best == NULL || n > bl)) {
			best = &p->lines[i];
			bl = n;
		}
	}
	return best;
}

/* A date's fact, when the table has the date (-1: not announced). */
static int add_time(json_object *facts, const char *key, time_t t)
{
	return t < 0 ? TSAM_OK : tsam_json_add_time(facts, key, (double)t);
}

enum tsam_err tsam_lifecycle_apply(const struct tsam_lifecycle *lc,
				   json_object *facts)
{
	size_t i;

	for (i = 0; lc != NULL && i < lc->n; i++) {
		const struct product *p = &lc->v[i];
		const char *id = tsam_json_str(facts, p->match_fact);
		const char *ver = tsam_json_str(facts, p->version_fact);
		const struct line *ln;
		char key[96], name[512];
		int rc;

		if (id == NULL || ver == NULL ||
		    strcmp(id, p->match_value) != 0)
			continue;
		ln = find_line(p, ver);
		snprintf(key, sizeof(key), "lifecycle.%s.known", p->slot);
		if ((rc = tsam_json_add_bool(facts, key, ln != NULL)) !=
		    TSAM_OK)
			return rc;
		if (ln == NULL)
			continue;
		snprintf(key, sizeof(key), "lifecycle.%s.line", p->slot);
		if ((rc = tsam_json_add_str(facts, key, ln->version)) !=
		    TSAM_OK)
			return rc;
		snprintf(key, sizeof(key), "lifecycle.%s.name", p->slot);
		snprintf(name, sizeof(name), "%s %s", p->name, ln->version);
		if ((rc = tsam_json_add_str(facts, key, name)) != TSAM_OK)
			return rc;
		snprintf(key, sizeof(key), "lifecycle.%s.released", p->slot);
		if ((rc = add_time(facts, key, ln->released)) != TSAM_OK)
			return rc;
		snprintf(key, sizeof(key), "lifecycle.%s.end_of_support",
			 p->slot);
		if ((rc = add_time(facts, key, ln->eos)) != TSAM_OK)
			return rc;
	}
	return TSAM_OK;
}
