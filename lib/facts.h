/*
 * facts.h - typed facts parsed from a host's raw collector sections.
 *
 * Facts are a JSON object of dotted names to typed values (strings,
 * integers, booleans, ISO-8601 UTC timestamps as strings, lists of
 * objects), documented per name in docs/facts.md and versioned by
 * TSAM_FACTS_SCHEMA. A section that cannot be parsed never stops the
 * others: it adds an entry to "errors" naming the section and line, and the
 * facts that could be read stand. Parsers read untrusted text through the
 * bounded cursor only.
 */
#ifndef TSAM_FACTS_H
#define TSAM_FACTS_H

#include "err.h"
#include "json.h"
#include "sections.h"

#include <stdint.h>

#define TSAM_FACTS_SCHEMA "tsamkit-facts/1"

/* A fact set being built. */
struct tsam_facts {
	json_object *facts;  /* name -> value */
	json_object *errors; /* [{collector, section, line, problem}] */
};

/*
 * Parses every section of every known collector in secs into a new object
 * {"schema": ..., "facts": {...}, "errors": [...]}; *out is the caller's.
 * Fails only for TSAM_ERR_NOMEM.
 */
TSAM_MUST_CHECK enum tsam_err tsam_facts_parse(const struct tsam_sections *secs,
					       json_object **out);

/* The section named collector/name in secs, or NULL. */
const struct tsam_section *tsam_facts_section(const struct tsam_sections *secs,
					      const char *collector,
					      const char *name);

/* Like tsam_facts_section, but only a section whose command succeeded. */
const struct tsam_section *
tsam_facts_ok_section(const struct tsam_sections *secs, const char *collector,
		      const char *name);

/* Records a parse problem (line 0: the section as a whole). */
void tsam_facts_error(struct tsam_facts *f, const char *collector,
		      const char *section, size_t line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Setters: replace any earlier value of name. */
void tsam_facts_set_str(struct tsam_facts *f, const char *name,
			const char *value);
void tsam_facts_set_strn(struct tsam_facts *f, const char *name, const char *p,
			 size_t n);
void tsam_facts_set_int(struct tsam_facts *f, const char *name, int64_t v);
/* The object of the list whose "name" member is name (n bytes), or NULL:
 * list facts of named things (scans) hold each name once. */
json_object *tsam_facts_named(json_object *list, const char *name, size_t n);

/* A timestamp fact (t: seconds since the epoch) as ISO-8601 UTC. */
void tsam_facts_set_time(struct tsam_facts *f, const char *name, double t);
void tsam_facts_set_bool(struct tsam_facts *f, const char *name, bool v);
/* Takes ownership of v. */
void tsam_facts_set(struct tsam_facts *f, const char *name, json_object *v);

/* The linux-base parser (facts_linux.c). */
void tsam_facts_linux(const struct tsam_sections *secs, struct tsam_facts *f);

/* The sav-linux parser (facts_sav.c). */
void tsam_facts_sav(const struct tsam_sections *secs, struct tsam_facts *f);

/* The spl parser (facts_spl.c). */
void tsam_facts_spl(const struct tsam_sections *secs, struct tsam_facts *f);

#endif
