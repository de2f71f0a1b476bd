/* facts.c - the fact set and the dispatch to each collector's parser. */
#include "facts.h"

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

int tsam_facts_parse(const struct tsam_sections *secs, json_object **out)
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
	tsam_facts_linux(secs, &f);
	tsam_facts_sav(secs, &f);
	tsam_facts_spl(secs, &f);
	tsam_json_add_str(root, "schema", TSAM_FACTS_SCHEMA);
	json_object_object_add(root, "facts", f.facts);
	json_object_object_add(root, "errors", f.errors);
	*out = root;
	return TSAM_OK;
}
