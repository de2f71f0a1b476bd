/*
 * json.h - JSON over json-c: parsing with file:line:column errors, atomic
 * (optionally gzipped) writing, and typed getters that say what is wrong.
 *
 * Other modules build and walk documents with json-c's object API through
 * this header; parsing and serialisation happen only here.
 */
#ifndef TSAM_JSON_H
#define TSAM_JSON_H

#include "buf.h"
#include "err.h"

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * Parses len bytes of data as one JSON document. name (a file name) prefixes
 * error messages, which carry line and column. *out is the caller's
 * (json_object_put). Trailing non-blank bytes are an error.
 */
TSAM_MUST_CHECK enum tsam_err tsam_json_parse(const char *data, size_t len,
					      const char *name,
					      json_object **out,
					      struct tsam_errbuf *eb);

/* Reads (gunzipping if needed) and parses path; max bounds its size. */
TSAM_MUST_CHECK enum tsam_err tsam_json_load(const char *path, size_t max,
					     json_object **out,
					     struct tsam_errbuf *eb);

/*
 * Loads one of the project's data documents: path (at most max bytes)
 * must hold an object whose "schema" is schema and whose member list is
 * an array. *root is the caller's (also on error, when parsed); *array is
 * borrowed from it. Errors name the file: `F: "schema" must be "S"`,
 * `F: "L" (an array) is required`.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_json_load_doc(const char *path, size_t max, const char *schema,
		   const char *list, json_object **root, json_object **array,
		   struct tsam_errbuf *eb);

/*
 * Every member of the object obj is one of names (NULL-terminated); the
 * first that is not is an error: `LOC: unknown member "K"`.
 */
TSAM_MUST_CHECK enum tsam_err tsam_json_known_members(json_object *obj,
						      const char *const *names,
						      const char *loc,
						      struct tsam_errbuf *eb);

/*
 * Validation of a document's members, so that every typed value a module
 * uses is checked in one place. Each tsam_json_want_* checks the value v
 * (NULL stands for JSON null) found at the key path key ("cases.id",
 * "tiers.premium.2.update"; NULL or "" for the document itself) of the
 * file file and returns TSAM_OK with the value in *out, or
 * TSAM_ERR_PARSE with "FILE: KEY: must be ..." in eb. Nothing is
 * converted: "false" is not a boolean, "3" is not a number. Each is a
 * one-entry tsam_json_spec (below) checked by tsam_json_spec_check's walk,
 * so both ways judge and word a value alike.
 */

/* Loads path (at most max bytes) as tsam_json_load does; the document must
 * be an object ("FILE: must be a JSON object"). *root is the caller's. */
TSAM_MUST_CHECK enum tsam_err tsam_json_load_object(const char *path,
						    size_t max,
						    json_object **root,
						    struct tsam_errbuf *eb);

/* v is an object. */
TSAM_MUST_CHECK enum tsam_err tsam_json_want_object(json_object *v,
						    const char *file,
						    const char *key,
						    struct tsam_errbuf *eb);

/* v is an array of at most max elements (0: any number). */
TSAM_MUST_CHECK enum tsam_err tsam_json_want_array(json_object *v, size_t max,
						   const char *file,
						   const char *key,
						   struct tsam_errbuf *eb);

/*
 * v is a string of min to max bytes of valid UTF-8 without U+0000 (max
 * SIZE_MAX: any length); *out is borrowed from v.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_json_want_str(json_object *v, size_t min, size_t max, const char *file,
		   const char *key, const char **out, struct tsam_errbuf *eb);

/* v is true or false. */
TSAM_MUST_CHECK enum tsam_err tsam_json_want_bool(json_object *v,
						  const char *file,
						  const char *key, bool *out,
						  struct tsam_errbuf *eb);

/* v is a finite number (integer or not) from lo to hi inclusive. */
TSAM_MUST_CHECK enum tsam_err tsam_json_want_num(json_object *v, double lo,
						 double hi, const char *file,
						 const char *key, double *out,
						 struct tsam_errbuf *eb);

/* v is an integer (no fraction, no exponent) from lo to hi inclusive. */
TSAM_MUST_CHECK enum tsam_err tsam_json_want_int(json_object *v, int64_t lo,
						 int64_t hi, const char *file,
						 const char *key, int64_t *out,
						 struct tsam_errbuf *eb);

/*
 * s (a member name of the object at key, e.g. a label) is 1 to max bytes
 * of valid UTF-8 without control characters. The error does not repeat
 * s, which may be unprintable: "FILE: KEY: names must be ...".
 */
TSAM_MUST_CHECK enum tsam_err tsam_json_want_name(const char *s, size_t max,
						  const char *file,
						  const char *key,
						  struct tsam_errbuf *eb);

/* Serialises obj (pretty, "/" unescaped) and writes it atomically. */
int tsam_json_save(const char *path, json_object *obj, mode_t mode,
		   struct tsam_errbuf *eb);

/* Like tsam_json_save, gzip-compressed and compact. */
int tsam_json_save_gz(const char *path, json_object *obj, mode_t mode,
		      struct tsam_errbuf *eb);

/* The string member key of obj, or NULL if absent, not a string, or a
 * string holding a NUL (which C would silently cut short). */
const char *tsam_json_str(json_object *obj, const char *key);

/*
 * The integer member key of obj into *out. TSAM_ERR_NOTFOUND when absent,
 * TSAM_ERR_PARSE when not an integer.
 */
enum tsam_err tsam_json_int(json_object *obj, const char *key, int64_t *out);

/* Whether v is a finite number (a JSON integer or real), into *out. */
bool tsam_json_finite(json_object *v, double *out);

/* Adds a string member (NULL adds JSON null). Returns TSAM_OK or NOMEM. */
enum tsam_err tsam_json_add_str(json_object *obj, const char *key,
				const char *val);

/* Adds an int64 member. */
int tsam_json_add_int(json_object *obj, const char *key, int64_t val);

/* Adds a double member. */
int tsam_json_add_double(json_object *obj, const char *key, double val);

/* Adds a boolean member. */
int tsam_json_add_bool(json_object *obj, const char *key, bool val);

/*
 * Adds a string member from n untrusted bytes, made valid UTF-8 first
 * (invalid bytes become U+FFFD).
 */
enum tsam_err tsam_json_add_bytes(json_object *obj, const char *key,
				  const char *p, size_t n);

/* Formats t (seconds since the epoch) as "YYYY-MM-DDTHH:MM:SSZ" into out. */
void tsam_json_time(char out[32], double t);

/* Adds t as a "YYYY-MM-DDTHH:MM:SSZ" string member. Returns TSAM_OK or
 * NOMEM. */
int tsam_json_add_time(json_object *obj, const char *key, double t);

/*
 * Finds the value of member key at the top level of the JSON object text
 * p[0..n) without building anything (strings and nesting are stepped
 * over): [*b, *e) is its text, the last one if the key repeats, as json-c
 * keeps. False when p is not an object this scan can walk to its end, or
 * key is absent, or a key has an escape: the caller then parses the whole
 * text, whose errors say where.
 */
bool tsam_json_member_span(const char *p, size_t n, const char *key, size_t *b,
			   size_t *e);

/*
 * The elements of the JSON array text p[0..n), found as
 * tsam_json_member_span finds members: element i is
 * [(*offs)[2i], (*offs)[2i+1]) (offs is the caller's to free). TSAM_OK,
 * TSAM_ERR_PARSE when the scan cannot walk it, TSAM_ERR_NOMEM.
 */
TSAM_MUST_CHECK enum tsam_err
tsam_json_array_spans(const char *p, size_t n, size_t **offs, size_t *count);

/*
 * Appends s to b as a JSON string literal: quotes, backslashes and control
 * characters escaped, the rest (UTF-8) as it is. Returns as tsam_buf_add.
 */
enum tsam_err tsam_json_quote(struct tsam_buf *b, const char *s);

/*
 * ---- Checking a parsed document against a spec (tsam_json_spec_*) ----
 *
 * One pass over a document before anything uses it, so that code reading
 * it later meets only the types and ranges it expects (json-c asserts on
 * an array call made on an object, and a number can be 1e308, NaN or
 * Infinity, which json-c accepts). A spec is a static table: one entry per
 * member of an object, each with its kind, flags, range and, for objects,
 * maps and arrays, the spec of what they hold. Members a spec does not
 * name are not checked. Errors name the file and the key, as
 * "stats.json: attainment.response.2.rate: must be a number from 0 to 1"
 * ("[i]" for array elements).
 */
enum tsam_json_kind {
	TSAM_JSON_END = 0, /* ends a list of members */
	TSAM_JSON_ANY,	   /* any value (its strings hold no U+0000) */
	TSAM_JSON_BOOL,	   /* true or false */
	TSAM_JSON_INT,	   /* a whole number from min to max (no fraction,
			      no exponent) */
	TSAM_JSON_NUM,	   /* a finite number from min to max */
	TSAM_JSON_STR,	   /* a string of valid UTF-8, min to max bytes
			      (max 0: any) */
	TSAM_JSON_ENUM,	   /* one of the strings in words */
	TSAM_JSON_OBJ,	   /* an object with the members in sub[] */
	TSAM_JSON_MAP,	   /* an object of at most max members (0: any),
			      each key passing ok, each value as *sub */
	TSAM_JSON_ARR	   /* an array of min to max (0: any) items as *sub */
};

#define TSAM_JSON_REQ	   0x1u /* the member must be there */
#define TSAM_JSON_NULL	   0x2u /* null is accepted too */
#define TSAM_JSON_TEXT	   0x4u /* string: valid UTF-8, no control character */
#define TSAM_JSON_NONEMPTY 0x8u /* string: not "" */

struct tsam_json_spec {
	const char *key; /* member name in an object's list, else NULL */
	enum tsam_json_kind kind;
	unsigned flags;	 /* TSAM_JSON_* above */
	double min, max; /* INT, NUM: the range; STR, MAP, ARR: sizes */
	const struct tsam_json_spec *sub; /* OBJ: members, ending with
					     TSAM_JSON_END; MAP, ARR: one */
	const char *const *words;	  /* ENUM: NULL-terminated */
	bool (*ok)(const char *s);	  /* STR: the value, MAP: each key */
	const char *what; /* what ok accepts, for messages ("a time
			     YYYY-MM-DDTHH:MM:SSZ") */
};

/*
 * Checks doc against spec (one entry: usually an OBJ with the document's
 * members). Every string checked holds no U+0000 (json-c keeps "\u0000"
 * inside a string, which C would silently cut there). Returns TSAM_OK,
 * or TSAM_ERR_PARSE with "FILE: KEY: must be ..." in eb (file prefixes
 * every message).
 */
int tsam_json_spec_check(json_object *doc, const struct tsam_json_spec *spec,
			 const char *file, struct tsam_errbuf *eb);

/*
 * Finds the first control character (U+0000-U+001F, U+007F-U+009F) in n
 * bytes of UTF-8 s: true with its byte offset in *at and code point in
 * *cp, false when there is none.
 */
bool tsam_json_text_ctrl(const char *s, size_t n, size_t *at, uint32_t *cp);

#endif
