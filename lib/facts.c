/*
 * facts.c - the fact set, the dispatch to each collector's parser, and the
 * facts about the collection itself: who the collectors ran as
 * (collect.uid, collect.user, collect.groups), what that account could not
 * read (collect.denied), and whether a product is installed, which only
 * the product collectors together can say.
 */
#include "facts.h"

#include "str.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const struct tsam_section *tsam_facts_section(const struct tsam_sections *secs,
					      const char *collector,
					      const char *name)
{
	size_t i;

	/* The last one wins if a damaged output repeats a section. */
	for (i = secs->n; i > 0; i--)
		if (strcmp(secs->v[i - 1].collector, collector) == 0 &&
		    strcmp(secs->v[i - 1].name, name) == 0)
			return &secs->v[i - 1];
	return NULL;
}

const struct tsam_section *
tsam_facts_ok_section(const struct tsam_sections *secs, const char *collector,
		      const char *name)
{
	const struct tsam_section *s =
	    tsam_facts_section(secs, collector, name);

	return s != NULL && s->rc == 0 ? s : NULL;
}

void tsam_facts_error(struct tsam_facts *f, const char *collector,
		      const char *section, size_t line, const char *fmt, ...)
{
	json_object *e = json_object_new_object();
	char msg[256];
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	tsam_json_add_str(e, "collector", collector);
	tsam_json_add_str(e, "section", section);
	tsam_json_add_int(e, "line", (int64_t)line);
	tsam_json_add_bytes(e, "problem", msg, strlen(msg));
	json_object_array_add(f->errors, e);
}

void tsam_facts_set(struct tsam_facts *f, const char *name, json_object *v)
{
	if (v != NULL)
		json_object_object_add(f->facts, name, v);
}

void tsam_facts_set_str(struct tsam_facts *f, const char *name,
			const char *value)
{
	tsam_facts_set_strn(f, name, value, strlen(value));
}

void tsam_facts_set_strn(struct tsam_facts *f, const char *name, const char *p,
			 size_t n)
{
	tsam_json_add_bytes(f->facts, name, p, n);
}

json_object *tsam_facts_named(json_object *list, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < json_object_array_length(list); i++) {
		json_object *o = json_object_array_get_idx(list, i);
		const char *s = tsam_json_str(o, "name");

		if (s != NULL && strlen(s) == n && memcmp(s, name, n) == 0)
			return o;
	}
	return NULL;
}

void tsam_facts_set_time(struct tsam_facts *f, const char *name, double t)
{
	tsam_json_add_time(f->facts, name, t);
}

void tsam_facts_set_int(struct tsam_facts *f, const char *name, int64_t v)
{
	tsam_json_add_int(f->facts, name, v);
}

void tsam_facts_set_bool(struct tsam_facts *f, const char *name, bool v)
{
	tsam_json_add_bool(f->facts, name, v);
}

/*
 * tsam/identity (id(1): "uid=1000(admin) gid=1000(admin)
 * groups=1000(admin),27(sudo)"): collect.uid, collect.user and
 * collect.groups ([{name}], as listed).
 */
static void identity(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s =
	    tsam_facts_ok_section(secs, "tsam", "identity");
	struct tsam_cur c, tok;
	json_object *groups = NULL;

	if (s == NULL)
		return;
	c = tsam_cur_make(s->body, s->len);
	tsam_cur_trim(&c);
	while (tsam_cur_token(&c, &tok)) {
		struct tsam_cur name;
		const char *open;
		uint64_t uid;

		if (tsam_cur_skip_prefix(&tok, "uid=")) {
			open = memchr(tok.p, '(', tok.n);
			if (tsam_cur_to_u64(
				tsam_cur_make(tok.p,
					      open ? (size_t)(open - tok.p)
						   : tok.n),
				UINT32_MAX, &uid) != TSAM_OK) {
				tsam_facts_error(f, "tsam", "identity", 1,
						 "not id(1)'s uid=");
				return;
			}
			tsam_facts_set_int(f, "collect.uid", (int64_t)uid);
			if (open != NULL && tok.p[tok.n - 1] == ')')
				tsam_facts_set_strn(
				    f, "collect.user", open + 1,
				    tok.n - (size_t)(open - tok.p) - 2);
		} else if (tsam_cur_skip_prefix(&tok, "groups=")) {
			groups = json_object_new_array();
			/* 1000(admin),27(sudo): the names in parentheses */
			while (tok.n > 0) {
				const char *comma = memchr(tok.p, ',', tok.n);
				size_t len =
				    comma ? (size_t)(comma - tok.p) : tok.n;
				name = tsam_cur_make(tok.p, len);
				open = memchr(name.p, '(', name.n);
				if (open != NULL && name.p[name.n - 1] == ')') {
					json_object *g =
					    json_object_new_object();
					tsam_json_add_bytes(
					    g, "name", open + 1,
					    name.n - (size_t)(open - name.p) -
						2);
					json_object_array_add(groups, g);
				}
				tok.p += len + (comma ? 1 : 0);
				tok.n -= len + (comma ? 1 : 0);
			}
		}
	}
	if (groups != NULL)
		tsam_facts_set(f, "collect.groups", groups);
}

/* A failed command's own words for "this account may not". */
static bool says_denied(const struct tsam_section *s)
{
	struct tsam_cur c =
	    tsam_cur_make(s->body, s->len < 4096 ? s->len : 4096);

	return tsam_cur_contains(c, "Permission denied") ||
	       tsam_cur_contains(c, "permission denied") ||
	       tsam_cur_contains(c, "Operation not permitted");
}

/*
 * collect.denied: every section this account could not collect - a failed
 * section that says "permission denied" (the collectors' tsam_denied:
 * status 3, "permission denied: PATH (uid N)") or "Operation not
 * permitted" - as {collector, section}, each also an error naming the
 * section and what was denied.
 */
static void denied(const struct tsam_sections *secs, struct tsam_facts *f)
{
	json_object *list = json_object_new_array();
	size_t i;

	for (i = 0; list != NULL && i < secs->n; i++) {
		const struct tsam_section *s = &secs->v[i];
		struct tsam_cur first, all = tsam_cur_make(s->body, s->len);
		json_object *e;

		if (s->rc <= 0 || s->rc == 127 || !says_denied(s))
			continue;
		if (!tsam_cur_getline(&all, &first))
			first = tsam_cur_make("", 0);
		tsam_cur_trim(&first);
		e = json_object_new_object();
		tsam_json_add_str(e, "collector", s->collector);
		tsam_json_add_str(e, "section", s->name);
		json_object_array_add(list, e);
		tsam_facts_error(f, s->collector, s->name, 0,
				 "%.*s%scollected without enough privilege "
				 "(status %d); rerun with --become",
				 (int)(first.n > 160 ? 160 : first.n), first.p,
				 first.n ? ": " : "", s->rc);
	}
	if (secs->n > 0)
		tsam_facts_set(f, "collect.denied", list);
	else
		json_object_put(list);
}

/*
 * product.installed across the product collectors: true when one found
 * its product (its parser set it); false only when every one that ran
 * said "no"; unknown (absent) when one could not look. collect.absent
 * lists the product collectors that found no product ([{collector}]):
 * their rules do not apply even where another product could not be seen.
 */
static void product_installed(const struct tsam_sections *secs,
			      struct tsam_facts *f)
{
	static const char *const products[] = {"sav-linux", "spl"};
	json_object *absent = json_object_new_array();
	bool ran = false, unknown = false;
	size_t i;

	for (i = 0; i < sizeof(products) / sizeof(*products); i++) {
		const struct tsam_section *s =
		    tsam_facts_section(secs, products[i], "installed");
		struct tsam_cur c;

		if (s == NULL)
			continue;
		ran = true;
		c = tsam_cur_make(s->body, s->len);
		tsam_cur_trim(&c);
		if (s->rc == 0 && tsam_cur_eq(c, "no")) {
			json_object *o = json_object_new_object();
			tsam_json_add_str(o, "collector", products[i]);
			json_object_array_add(absent, o);
		} else {
			unknown = true;
		}
	}
	if (ran)
		tsam_facts_set(f, "collect.absent", absent);
	else
		json_object_put(absent);
	if (!json_object_object_get_ex(f->facts, "product.installed", NULL) &&
	    ran && !unknown)
		tsam_facts_set_bool(f, "product.installed", false);
}

enum tsam_err tsam_facts_parse(const struct tsam_sections *secs,
			       json_object **out)
{
	struct tsam_facts f;
	json_object *root = json_object_new_object();

	*out = NULL;
	f.facts = json_object_new_object();
	f.errors = json_object_new_array();
	if (root == NULL || f.facts == NULL || f.errors == NULL) {
		json_object_put(root);
		json_object_put(f.facts);
		json_object_put(f.errors);
		return TSAM_ERR_NOMEM;
	}
	identity(secs, &f);
	tsam_facts_linux(secs, &f);
	tsam_facts_sav(secs, &f);
	tsam_facts_spl(secs, &f);
	product_installed(secs, &f);
	denied(secs, &f);
	tsam_json_add_str(root, "schema", TSAM_FACTS_SCHEMA);
	json_object_object_add(root, "facts", f.facts);
	json_object_object_add(root, "errors", f.errors);
	*out = root;
	return TSAM_OK;
}
