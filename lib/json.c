/*
 * json.c - json-c parsing and writing with located errors.
 *
 * Size: the json-c wrapper and its located errors, the spec checker every
 * document reader uses, and the scans that find a member without parsing:
 * all three are the one place json-c is spoken to.
 */
#include "json.h"

#include "buf.h"
#include "fsio.h"
#include "str.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void locate(const char *data, size_t off, size_t *line, size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (data[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

enum tsam_err tsam_json_parse(const char *data, size_t len, const char *name,
			      json_object **out, struct tsam_errbuf *eb)
{
	json_tokener *tok;
	json_object *obj;
	enum json_tokener_error jerr;
	size_t off, line, col;

	*out = NULL;
	if (len > (size_t)INT32_MAX)
		return tsam_errbuf_set(eb, TSAM_ERR_TOOBIG, "%s: too large",
				       name);
	tok = json_tokener_new_ex(64);
	if (tok == NULL)
		return TSAM_ERR_NOMEM;
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	obj = json_tokener_parse_ex(tok, data, (int)len);
	jerr = json_tokener_get_error(tok);
	off = json_tokener_get_parse_end(tok);
	if (jerr == json_tokener_continue && off == len) {
		/* the end of the input ends a number or literal ("3") */
		obj = json_tokener_parse_ex(tok, "", 1);
		jerr = json_tokener_get_error(tok);
		off = len;
	}
	if (jerr == json_tokener_continue) {
		/* Ran out of input inside a value. */
		locate(data, len, &line, &col);
		json_tokener_free(tok);
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s:%zu:%zu: unexpected end of JSON",
				       name, line, col);
	}
	if (jerr != json_tokener_success) {
		locate(data, off, &line, &col);
		json_tokener_free(tok);
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE, "%s:%zu:%zu: %s",
				       name, line, col,
				       json_tokener_error_desc(jerr));
	}
	json_tokener_free(tok);
	for (; off < len; off++) {
		char c = data[off];
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
			locate(data, off, &line, &col);
			json_object_put(obj);
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s:%zu:%zu: trailing data after JSON value", name,
			    line, col);
		}
	}
	*out = obj;
	return TSAM_OK;
}

enum tsam_err tsam_json_load(const char *path, size_t max, json_object **out,
			     struct tsam_errbuf *eb)
{
	struct tsam_buf b;
	int rc;

	*out = NULL;
	tsam_buf_init(&b, max);
	rc = tsam_fsio_read_gz(path, &b, eb);
	if (rc == TSAM_OK)
		rc =
		    tsam_json_parse(b.data ? b.data : "", b.len, path, out, eb);
	tsam_buf_free(&b);
	return rc;
}

enum tsam_err tsam_json_load_doc(const char *path, size_t max,
				 const char *schema, const char *list,
				 json_object **root, json_object **array,
				 struct tsam_errbuf *eb)
{
	const char *got;
	int rc;

	*array = NULL;
	if ((rc = tsam_json_load(path, max, root, eb)) != TSAM_OK)
		return rc;
	got = tsam_json_str(*root, "schema");
	if (got == NULL || strcmp(got, schema) != 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"schema\" must be \"%s\"", path,
				       schema);
	if (!json_object_object_get_ex(*root, list, array) ||
	    !json_object_is_type(*array, json_type_array)) {
		*array = NULL;
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"%s\" (an array) is required",
				       path, list);
	}
	return TSAM_OK;
}

enum tsam_err tsam_json_known_members(json_object *obj,
				      const char *const *names, const char *loc,
				      struct tsam_errbuf *eb)
{
	json_object_object_foreach(obj, key, val)
	{
		const char *const *n;
		(void)val;
		for (n = names; *n != NULL && strcmp(*n, key) != 0; n++)
			;
		if (*n == NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: unknown member \"%s\"", loc,
					       key);
	}
	return TSAM_OK;
}

enum tsam_err tsam_json_load_object(const char *path, size_t max,
				    json_object **root, struct tsam_errbuf *eb)
{
	int rc = tsam_json_load(path, max, root, eb);

	if (rc == TSAM_OK && !json_object_is_type(*root, json_type_object)) {
		json_object_put(*root);
		*root = NULL;
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				     "%s: must be a JSON object", path);
	}
	return rc;
}

/*
 * The tsam_json_want_* checks are one-entry specs run by the same walk as
 * tsam_json_spec_check (below), so a value is judged and worded the same
 * way whichever a module uses.
 */
static int spec_at(json_object *v, const struct tsam_json_spec *s,
		   const char *file, const char *key, struct tsam_errbuf *eb);

enum tsam_err tsam_json_want_object(json_object *v, const char *file,
				    const char *key, struct tsam_errbuf *eb)
{
	const struct tsam_json_spec s = {.kind = TSAM_JSON_OBJ};

	return spec_at(v, &s, file, key, eb);
}

enum tsam_err tsam_json_want_array(json_object *v, size_t max, const char *file,
				   const char *key, struct tsam_errbuf *eb)
{
	const struct tsam_json_spec s = {.kind = TSAM_JSON_ARR,
					 .max = (double)max};

	return spec_at(v, &s, file, key, eb);
}

enum tsam_err tsam_json_want_str(json_object *v, size_t min, size_t max,
				 const char *file, const char *key,
				 const char **out, struct tsam_errbuf *eb)
{
	const struct tsam_json_spec s = {.kind = TSAM_JSON_STR,
					 .min = (double)min,
					 .max =
					     max == SIZE_MAX ? 0 : (double)max};
	int rc = spec_at(v, &s, file, key, eb);

	if (rc == TSAM_OK)
		*out = json_object_get_string(v);
	return rc;
}

enum tsam_err tsam_json_want_bool(json_object *v, const char *file,
				  const char *key, bool *out,
				  struct tsam_errbuf *eb)
{
	const struct tsam_json_spec s = {.kind = TSAM_JSON_BOOL};
	int rc = spec_at(v, &s, file, key, eb);

	if (rc == TSAM_OK)
		*out = json_object_get_boolean(v) != 0;
	return rc;
}

enum tsam_err tsam_json_want_num(json_object *v, double lo, double hi,
				 const char *file, const char *key, double *out,
				 struct tsam_errbuf *eb)
{
	const struct tsam_json_spec s = {
	    .kind = TSAM_JSON_NUM, .min = lo, .max = hi};
	int rc = spec_at(v, &s, file, key, eb);

	if (rc == TSAM_OK)
		*out = json_object_get_double(v);
	return rc;
}

enum tsam_err tsam_json_want_int(json_object *v, int64_t lo, int64_t hi,
				 const char *file, const char *key,
				 int64_t *out, struct tsam_errbuf *eb)
{
	const struct tsam_json_spec s = {
	    .kind = TSAM_JSON_INT, .min = (double)lo, .max = (double)hi};
	int rc = spec_at(v, &s, file, key, eb);

	if (rc == TSAM_OK)
		*out = json_object_get_int64(v);
	return rc;
}

enum tsam_err tsam_json_want_name(const char *s, size_t max, const char *file,
				  const char *key, struct tsam_errbuf *eb)
{
	size_t n = strlen(s), at;
	uint32_t cp;

	if (n > 0 && n <= max && !tsam_json_text_ctrl(s, n, &at, &cp) &&
	    tsam_utf8_valid(s, n))
		return TSAM_OK;
	return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
			       "%s: %s: names must be 1 to %zu bytes of UTF-8 "
			       "without control characters",
			       file, key, max);
}

static int save(const char *path, json_object *obj, mode_t mode, int flags,
		bool gz, struct tsam_errbuf *eb)
{
	size_t len;
	const char *s;

	s = json_object_to_json_string_length(obj, flags, &len);
	if (s == NULL)
		return TSAM_ERR_NOMEM;
	if (gz)
		return tsam_fsio_write_gz_atomic(path, s, len, mode, eb);
	/* A text file ends with a newline; written after the document. */
	return tsam_fsio_write_atomic_tail(path, s, len, "\n", 1, mode, eb);
}

int tsam_json_save(const char *path, json_object *obj, mode_t mode,
		   struct tsam_errbuf *eb)
{
	return save(path, obj, mode,
		    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
			JSON_C_TO_STRING_NOSLASHESCAPE,
		    false, eb);
}

int tsam_json_save_gz(const char *path, json_object *obj, mode_t mode,
		      struct tsam_errbuf *eb)
{
	return save(path, obj, mode,
		    JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE,
		    true, eb);
}

const char *tsam_json_str(json_object *obj, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_string))
		return NULL;
	/* "a\u0000b" would read as "a": such a string is no string here */
	if (strlen(json_object_get_string(v)) !=
	    (size_t)json_object_get_string_len(v))
		return NULL;
	return json_object_get_string(v);
}

bool tsam_json_finite(json_object *v, double *out)
{
	double x;

	if (!json_object_is_type(v, json_type_int) &&
	    !json_object_is_type(v, json_type_double))
		return false;
	x = json_object_get_double(v);
	if (!isfinite(x))
		return false;
	*out = x;
	return true;
}

enum tsam_err tsam_json_int(json_object *obj, const char *key, int64_t *out)
{
	json_object *v;

	if (!json_object_object_get_ex(obj, key, &v))
		return TSAM_ERR_NOTFOUND;
	if (!json_object_is_type(v, json_type_int))
		return TSAM_ERR_PARSE;
	*out = json_object_get_int64(v);
	return TSAM_OK;
}

static int add(json_object *obj, const char *key, json_object *v)
{
	if (v == NULL)
		return TSAM_ERR_NOMEM;
	if (json_object_object_add(obj, key, v) != 0) {
		json_object_put(v);
		return TSAM_ERR_NOMEM;
	}
	return TSAM_OK;
}

enum tsam_err tsam_json_add_str(json_object *obj, const char *key,
				const char *val)
{
	if (val == NULL)
		return json_object_object_add(obj, key, NULL) == 0
			   ? TSAM_OK
			   : TSAM_ERR_NOMEM;
	return add(obj, key, json_object_new_string(val));
}

int tsam_json_add_int(json_object *obj, const char *key, int64_t val)
{
	return add(obj, key, json_object_new_int64(val));
}

int tsam_json_add_double(json_object *obj, const char *key, double val)
{
	/* Three decimals are enough for seconds and ratios; keep files stable.
	 */
	char txt[64];
	snprintf(txt, sizeof(txt), "%.3f", val);
	return add(obj, key, json_object_new_double_s(val, txt));
}

int tsam_json_add_bool(json_object *obj, const char *key, bool val)
{
	return add(obj, key, json_object_new_boolean(val));
}

enum tsam_err tsam_json_add_bytes(json_object *obj, const char *key,
				  const char *p, size_t n)
{
	char *clean = tsam_utf8_sanitize(p, n);
	json_object *v;

	if (clean == NULL)
		return TSAM_ERR_NOMEM;
	v = json_object_new_string(clean);
	free(clean);
	return add(obj, key, v);
}

void tsam_json_time(char out[32], double t)
{
	time_t s = (time_t)floor(t);
	struct tm tm;

	gmtime_r(&s, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int tsam_json_add_time(json_object *obj, const char *key, double t)
{
	char s[32];

	tsam_json_time(s, t);
	return tsam_json_add_str(obj, key, s);
}

enum tsam_err tsam_json_quote(struct tsam_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run = s;
	int rc = tsam_buf_add(b, "\"", 1);

	for (; rc == TSAM_OK && *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[7] = {'\\', 0, 0, 0, 0, 0, 0};
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		rc = tsam_buf_add(b, run, (size_t)(s - run));
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
		}
		if (rc == TSAM_OK)
			rc = tsam_buf_add(b, esc, n);
		run = s + 1;
	}
	if (rc == TSAM_OK)
		rc = tsam_buf_add(b, run, (size_t)(s - run));
	return rc == TSAM_OK ? (int)tsam_buf_add(b, "\"", 1) : rc;
}

static size_t skip_ws(const char *p, size_t n, size_t i)
{
	while (i < n &&
	       (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' || p[i] == '\r'))
		i++;
	return i;
}

/* Past the string opening at p[i]; SIZE_MAX if it never closes. */
static size_t skip_str(const char *p, size_t n, size_t i)
{
	for (i++; i < n; i++) {
		if (p[i] == '\\')
			i++;
		else if (p[i] == '"')
			return i + 1;
	}
	return SIZE_MAX;
}

/* Past the value starting at p[i]; SIZE_MAX if it never ends. */
static size_t skip_val(const char *p, size_t n, size_t i)
{
	size_t depth = 0;

	if (i >= n)
		return SIZE_MAX;
	if (p[i] == '"')
		return skip_str(p, n, i);
	if (p[i] != '{' && p[i] != '[') { /* number, true, false, null */
		while (i < n && p[i] != ',' && p[i] != '}' && p[i] != ']' &&
		       p[i] != ' ' && p[i] != '\t' && p[i] != '\n' &&
		       p[i] != '\r')
			i++;
		return i;
	}
	while (i < n) {
		if (p[i] == '"') {
			if ((i = skip_str(p, n, i)) == SIZE_MAX)
				return SIZE_MAX;
			continue;
		}
		if (p[i] == '{' || p[i] == '[')
			depth++;
		else if ((p[i] == '}' || p[i] == ']') && --depth == 0)
			return i + 1;
		i++;
	}
	return SIZE_MAX;
}

bool tsam_json_member_span(const char *p, size_t n, const char *key, size_t *b,
			   size_t *e)
{
	size_t klen = strlen(key), i = skip_ws(p, n, 0);
	bool found = false;

	if (i >= n || p[i] != '{')
		return false;
	for (i++;;) {
		size_t ks, ke, vb, ve;

		i = skip_ws(p, n, i);
		if (i < n && p[i] == '}')
			return skip_ws(p, n, i + 1) == n && found;
		if (i >= n || p[i] != '"' ||
		    (ke = skip_str(p, n, i)) == SIZE_MAX)
			return false;
		ks = i + 1;
		if (memchr(p + ks, '\\', ke - 1 - ks) != NULL)
			return false; /* an escaped key: json-c decides */
		i = skip_ws(p, n, ke);
		if (i >= n || p[i] != ':')
			return false;
		vb = skip_ws(p, n, i + 1);
		if ((ve = skip_val(p, n, vb)) == SIZE_MAX || ve == vb)
			return false;
		if (ke - 1 - ks == klen && memcmp(p + ks, key, klen) == 0) {
			*b = vb;
			*e = ve;
			found = true;
		}
		i = skip_ws(p, n, ve);
		if (i < n && p[i] == ',')
			i++;
		else if (i >= n || p[i] != '}')
			return false;
	}
}

enum tsam_err tsam_json_array_spans(const char *p, size_t n, size_t **offs,
				    size_t *count)
{
	size_t i = skip_ws(p, n, 0), cap = 0;

	*offs = NULL;
	*count = 0;
	if (i >= n || p[i] != '[')
		return TSAM_ERR_PARSE;
	i = skip_ws(p, n, i + 1);
	if (i < n && p[i] == ']')
		return skip_ws(p, n, i + 1) == n ? TSAM_OK : TSAM_ERR_PARSE;
	for (;;) {
		size_t e = skip_val(p, n, i);

		if (e == SIZE_MAX || e == i)
			break;
		if (tsam_grow(offs, &cap, 2 * (*count + 1), sizeof(**offs)) !=
		    TSAM_OK) {
			free(*offs);
			*offs = NULL;
			*count = 0;
			return TSAM_ERR_NOMEM;
		}
		(*offs)[2 * *count] = i;
		(*offs)[2 * *count + 1] = e;
		(*count)++;
		i = skip_ws(p, n, e);
		if (i < n && p[i] == ']' && skip_ws(p, n, i + 1) == n)
			return TSAM_OK;
		if (i >= n || p[i] != ',')
			break;
		i = skip_ws(p, n, i + 1);
	}
	free(*offs);
	*offs = NULL;
	*count = 0;
	return TSAM_ERR_PARSE;
}

/* ---- Checking a parsed document against a spec (tsam_json_spec_*) ---- */

bool tsam_json_text_ctrl(const char *s, size_t n, size_t *at, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (u[i] < 0x20 || u[i] == 0x7f) {
			*at = i;
			*cp = u[i];
			return true;
		}
		if (u[i] == 0xc2 && i + 1 < n && u[i + 1] >= 0x80 &&
		    u[i + 1] <= 0x9f) { /* C1: U+0080-U+009F */
			*at = i;
			*cp = u[i + 1];
			return true;
		}
	}
	return false;
}

/* The walk's state: the file for messages and the path so far. */
struct spec_walk {
	const char *file;
	struct tsam_errbuf *eb;
	char path[256];
	size_t len;
};

/* Appends ".key" (or "key" at the top) or "[i]" to the path; returns the
 * old length, to cut back to. A key's control bytes are shown as '?'. */
static size_t path_push(struct spec_walk *w, const char *key, size_t idx)
{
	size_t old = w->len, n = sizeof(w->path);
	int k;

	if (key == NULL) {
		k = snprintf(w->path + w->len, n - w->len, "[%zu]", idx);
	} else {
		size_t i;

		k = snprintf(w->path + w->len, n - w->len, "%s%s",
			     w->len ? "." : "", key);
		for (i = w->len; k > 0 && i < n && w->path[i]; i++)
			if ((unsigned char)w->path[i] < 0x20 ||
			    w->path[i] == 0x7f)
				w->path[i] = '?';
	}
	if (k > 0)
		w->len = w->len + (size_t)k < n ? w->len + (size_t)k : n - 1;
	return old;
}

static void path_pop(struct spec_walk *w, size_t old)
{
	w->len = old;
	w->path[old] = '\0';
}

static int spec_fail(struct spec_walk *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int spec_fail(struct spec_walk *w, const char *fmt, ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (w->len == 0)
		return tsam_errbuf_set(w->eb, TSAM_ERR_PARSE, "%s: %s", w->file,
				       what);
	return tsam_errbuf_set(w->eb, TSAM_ERR_PARSE, "%s: %s: %s", w->file,
			       w->path, what);
}

/* "a number from 0 to 1", "one of a, b", ... for spec s into out. */
static void spec_describe(const struct tsam_json_spec *s, char *out, size_t n)
{
	size_t o = 0;
	const char *const *wd;

	switch (s->kind) {
	case TSAM_JSON_BOOL:
		snprintf(out, n, "true or false");
		break;
	case TSAM_JSON_INT:
		snprintf(out, n, "a whole number from %.0f to %.0f", s->min,
			 s->max);
		break;
	case TSAM_JSON_NUM:
		snprintf(out, n, "a number from %.16g to %.16g", s->min,
			 s->max);
		break;
	case TSAM_JSON_STR:
		if (s->what)
			snprintf(out, n, "%s", s->what);
		else if (s->max > 0)
			snprintf(out, n, "a string of %.0f to %.0f bytes",
				 s->min > 0 || !(s->flags & TSAM_JSON_NONEMPTY)
				     ? s->min
				     : 1,
				 s->max);
		else
			snprintf(out, n, "%s",
				 s->min > 0 || (s->flags & TSAM_JSON_NONEMPTY)
				     ? "a non-empty string"
				     : "a string");
		break;
	case TSAM_JSON_ENUM:
		o = (size_t)snprintf(out, n, "one of");
		for (wd = s->words; wd && *wd && o < n; wd++)
			o += (size_t)snprintf(out + o, n - o, "%s %s",
					      wd == s->words ? "" : ",", *wd);
		break;
	case TSAM_JSON_OBJ:
	case TSAM_JSON_MAP:
		snprintf(out, n, "an object");
		break;
	case TSAM_JSON_ARR:
		if (s->max > 0 && s->min > 0)
			snprintf(out, n, "a list of %.0f to %.0f items", s->min,
				 s->max);
		else if (s->max > 0)
			snprintf(out, n, "a list of at most %.0f items",
				 s->max);
		else if (s->min > 0)
			snprintf(out, n, "a list of at least %.0f items",
				 s->min);
		else
			snprintf(out, n, "a list");
		break;
	default:
		snprintf(out, n, "a value");
	}
	if ((s->flags & TSAM_JSON_NULL) && strlen(out) + 9 < n)
		strncat(out, " or null", n - strlen(out) - 1);
}

/* A string's own checks: no U+0000 (nor any control character with
 * TSAM_JSON_TEXT), valid UTF-8, its size, and ok. */
static int spec_string(struct spec_walk *w, const struct tsam_json_spec *s,
		       json_object *v)
{
	const char *str = json_object_get_string(v);
	size_t n = (size_t)json_object_get_string_len(v), at;
	uint32_t cp;
	char d[200];

	if (tsam_json_text_ctrl(str, n, &at, &cp) &&
	    (cp == 0 || (s && (s->flags & TSAM_JSON_TEXT))))
		return spec_fail(w,
				 "holds the control character U+%04X at byte "
				 "%zu: not allowed here",
				 (unsigned)cp, at);
	if (s == NULL)
		return TSAM_OK;
	if (!tsam_utf8_valid(str, n))
		return spec_fail(w, "is not valid UTF-8");
	if ((double)n < s->min || ((s->flags & TSAM_JSON_NONEMPTY) && n == 0) ||
	    (s->max > 0 && (double)n > s->max) || (s->ok && !s->ok(str))) {
		spec_describe(s, d, sizeof(d));
		return spec_fail(w, "must be %s", d);
	}
	return TSAM_OK;
}

/* ANY: every string inside holds no U+0000. */
static int spec_any(struct spec_walk *w, json_object *v)
{
	size_t i, old;
	int rc = TSAM_OK;

	if (json_object_is_type(v, json_type_string))
		return spec_string(w, NULL, v);
	if (json_object_is_type(v, json_type_array)) {
		for (i = 0; rc == TSAM_OK && i < json_object_array_length(v);
		     i++) {
			old = path_push(w, NULL, i);
			rc = spec_any(w, json_object_array_get_idx(v, i));
			if (rc == TSAM_OK)
				path_pop(w, old);
		}
	} else if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, m)
		{
			old = path_push(w, k, 0);
			rc = spec_any(w, m);
			if (rc != TSAM_OK)
				break;
			path_pop(w, old);
		}
	}
	return rc;
}

static int spec_value(struct spec_walk *w, const struct tsam_json_spec *s,
		      json_object *v);

static int spec_members(struct spec_walk *w, const struct tsam_json_spec *s,
			json_object *v)
{
	const struct tsam_json_spec *m;
	int rc = TSAM_OK;

	for (m = s->sub; rc == TSAM_OK && m && m->kind != TSAM_JSON_END; m++) {
		json_object *mv;
		size_t old = path_push(w, m->key, 0);

		if (!json_object_object_get_ex(v, m->key, &mv))
			rc = m->flags & TSAM_JSON_REQ
				 ? spec_fail(w, "is missing (required)")
				 : TSAM_OK;
		else
			rc = spec_value(w, m, mv);
		if (rc == TSAM_OK)
			path_pop(w, old);
	}
	return rc;
}

static int spec_value(struct spec_walk *w, const struct tsam_json_spec *s,
		      json_object *v)
{
	enum json_type t = json_object_get_type(v);
	char d[200];
	size_t i, n, old;
	double x;
	int rc = TSAM_OK;

	if (t == json_type_null &&
	    ((s->flags & TSAM_JSON_NULL) || s->kind == TSAM_JSON_ANY))
		return TSAM_OK;
	spec_describe(s, d, sizeof(d));
	switch (s->kind) {
	case TSAM_JSON_ANY:
		return spec_any(w, v);
	case TSAM_JSON_BOOL:
		return t == json_type_boolean ? TSAM_OK
					      : spec_fail(w, "must be %s", d);
	case TSAM_JSON_INT:
	case TSAM_JSON_NUM: /* INT: no fraction, no exponent */
		if (t != json_type_int &&
		    (t != json_type_double || s->kind == TSAM_JSON_INT))
			return spec_fail(w, "must be %s", d);
		x = t == json_type_int ? (double)json_object_get_int64(v)
				       : json_object_get_double(v);
		if (t == json_type_int && json_object_get_int64(v) == INT64_MAX)
			x = INFINITY; /* json-c saturates larger ones */
		if (!isfinite(x) || x < s->min || x > s->max)
			return spec_fail(w, "must be %s", d);
		return TSAM_OK;
	case TSAM_JSON_STR:
		if (t != json_type_string)
			return spec_fail(w, "must be %s", d);
		return spec_string(w, s, v);
	case TSAM_JSON_ENUM: {
		const char *const *wd;
		const char *str = json_object_get_string(v);

		if (t == json_type_string)
			for (wd = s->words; wd && *wd; wd++)
				if (strcmp(*wd, str) == 0 &&
				    strlen(str) ==
					(size_t)json_object_get_string_len(v))
					return TSAM_OK;
		return spec_fail(w, "must be %s", d);
	}
	case TSAM_JSON_OBJ:
		if (t != json_type_object)
			return spec_fail(w, "must be %s", d);
		return spec_members(w, s, v);
	case TSAM_JSON_MAP: {
		if (t != json_type_object)
			return spec_fail(w, "must be %s", d);
		if (s->max > 0 && json_object_object_length(v) > s->max)
			return spec_fail(w,
					 "must be an object of at most %.0f "
					 "members",
					 s->max);
		json_object_object_foreach(v, k, m)
		{
			old = path_push(w, k, 0);
			if (s->ok != NULL && !s->ok(k))
				return spec_fail(w, "is not %s",
						 s->what ? s->what
							 : "an allowed name");
			rc = s->sub ? spec_value(w, s->sub, m) : TSAM_OK;
			if (rc != TSAM_OK)
				return rc;
			path_pop(w, old);
		}
		return TSAM_OK;
	}
	case TSAM_JSON_ARR:
		if (t != json_type_array)
			return spec_fail(w, "must be %s", d);
		n = json_object_array_length(v);
		if ((double)n < s->min || (s->max > 0 && (double)n > s->max))
			return spec_fail(w, "must be %s", d);
		for (i = 0; s->sub && i < n; i++) {
			old = path_push(w, NULL, i);
			rc = spec_value(w, s->sub,
					json_object_array_get_idx(v, i));
			if (rc != TSAM_OK)
				return rc;
			path_pop(w, old);
		}
		return TSAM_OK;
	default:
		return TSAM_OK;
	}
}

static int spec_at(json_object *v, const struct tsam_json_spec *s,
		   const char *file, const char *key, struct tsam_errbuf *eb)
{
	struct spec_walk w;

	memset(&w, 0, sizeof(w));
	w.file = file;
	w.eb = eb;
	if (key != NULL) {
		snprintf(w.path, sizeof(w.path), "%s", key);
		w.len = strlen(w.path);
	}
	return spec_value(&w, s, v);
}

int tsam_json_spec_check(json_object *doc, const struct tsam_json_spec *spec,
			 const char *file, struct tsam_errbuf *eb)
{
	return spec_at(doc, spec, file, NULL, eb);
}
