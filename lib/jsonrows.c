/*
 * jsonrows.c - what a JSON export's records become as rows (jsonrows.h):
 * the document parsed whole (bounded in bytes, json-c's depth bound), its
 * shape told from its members ("issues", "changelog", "values" for Jira;
 * "audits" for Zendesk), then walked record by record in document order,
 * each record handed to the row callback as the CSV reader hands one, with
 * its place kept for messages.
 */
#include "jsonrows.h"

#include "buf.h"
#include "fsio.h"
#include "json.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The shapes: which API's document, and so which columns. */
enum shape { SHAPE_NONE, SHAPE_JIRA, SHAPE_ZENDESK };

#define JIRA_COLS 10
#define ZD_COLS	  8
#define MAX_COLS  10

static const char *const jira_cols[JIRA_COLS] = {
    "key",	 "id",	 "created",    "author", "field",
    "fieldtype", "from", "fromString", "to",	 "toString"};
static const char *const zd_cols[ZD_COLS] = {
    "ticket_id", "id",	       "created_at", "author_id",
    "type",	 "field_name", "value",	     "previous_value"};

struct tsam_jsonrows {
	char *text; /* the places, each NUL-terminated */
	size_t len, cap;
	size_t *off; /* row i (line i + 2): its place at text + off[i] */
	size_t n, capoff;
};

/* A walk's state. */
struct walk {
	const struct tsam_csv_opts *o;
	struct tsam_jsonrows *j;
	const char *path;
	enum shape shape;
	size_t line;   /* the last line handed over */
	int rc;	       /* not TSAM_OK: stop */
	char *scratch; /* the row's fields, copied */
	size_t capscratch;
	struct tsam_errbuf *eb;
};

bool tsam_jsonrows_sniff(const char *path)
{
	unsigned char b[4096];
	ssize_t got;
	size_t i = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	got = read(fd, b, sizeof(b));
	close(fd);
	if (got <= 0)
		return false;
	if (got >= 3 && memcmp(b, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < (size_t)got &&
	       (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	return i < (size_t)got && (b[i] == '{' || b[i] == '[');
}

const char *tsam_jsonrows_where(const struct tsam_jsonrows *j, size_t line)
{
	if (j == NULL || line < 2 || line - 2 >= j->n)
		return NULL;
	return j->text + j->off[line - 2];
}

void tsam_jsonrows_free(struct tsam_jsonrows *j)
{
	if (j == NULL)
		return;
	free(j->text);
	free(j->off);
	free(j);
}

/* A place: fmt's text in p (sz bytes), cut short if it must be (a place
 * is at most a few indices deep; the cut one still names the record). */
static void place_of(char *p, size_t sz, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void place_of(char *p, size_t sz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p, sz, fmt, ap);
	va_end(ap);
}

/* Keeps place as the next row's. */
static int keep_place(struct tsam_jsonrows *j, const char *place)
{
	size_t n = strlen(place) + 1;

	if (tsam_grow(&j->off, &j->capoff, j->n + 1, sizeof(*j->off)) !=
		TSAM_OK ||
	    tsam_grow(&j->text, &j->cap, j->len + n, 1) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	memcpy(j->text + j->len, place, n);
	j->off[j->n++] = j->len;
	j->len += n;
	return TSAM_OK;
}

/* Hands one row over: ncols values (NULL: empty) at place, or, bad not
 * NULL, a bad row (its fields empty) with that reason. The values are
 * copied (the callback gets fields of its own, as from the CSV reader);
 * a record longer than the CSV reader's bound is a bad row too. */
static void emit(struct walk *w, const char *place, const char *const *vals,
		 size_t ncols, const char *bad)
{
	char *f[MAX_COLS], big[96];
	size_t lens[MAX_COLS], i, total = 0, max;

	if (w->rc != TSAM_OK)
		return;
	if (place != NULL && (w->rc = keep_place(w->j, place)) != TSAM_OK)
		return;
	max = w->o->max_record ? w->o->max_record : TSAM_CSV_MAX_RECORD;
	for (i = 0; bad == NULL && i < ncols; i++)
		total += lens[i] = vals[i] ? strlen(vals[i]) : 0;
	if (bad == NULL && total > max) {
		snprintf(big, sizeof(big),
			 "a record of %zu bytes, more than the %zu a row may "
			 "hold",
			 total, max);
		bad = big;
	}
	if (bad != NULL)
		total = 0;
	if (tsam_grow(&w->scratch, &w->capscratch, total + ncols + 1, 1) !=
	    TSAM_OK) {
		w->rc = TSAM_ERR_NOMEM;
		return;
	}
	total = 0;
	for (i = 0; i < ncols; i++) {
		size_t n = bad == NULL && vals[i] ? lens[i] : 0;

		f[i] = w->scratch + total;
		if (n)
			memcpy(f[i], vals[i], n);
		f[i][n] = '\0';
		lens[i] = n;
		total += n + 1;
	}
	if (w->o->rec_bytes != NULL)
		*w->o->rec_bytes = total ? total - 1 : 0;
	if (w->o->row(w->o->ctx, ++w->line, f, lens, ncols, bad) != 0)
		w->rc = TSAM_ERR_INTERRUPTED;
}

/* Sets the shape, handing the header over the first time; a page of
 * another shape than the first is an error. */
static int set_shape(struct walk *w, enum shape s, const char *place)
{
	if (w->shape == s)
		return w->rc;
	if (w->shape != SHAPE_NONE)
		return w->rc = tsam_errbuf_set(
			   w->eb, TSAM_ERR_PARSE,
			   "%s: %s: a %s page among %s pages", w->path,
			   place[0] ? place : "(document)",
			   s == SHAPE_JIRA ? "Jira" : "Zendesk",
			   w->shape == SHAPE_JIRA ? "Jira" : "Zendesk");
	w->shape = s;
	if (s == SHAPE_JIRA)
		emit(w, NULL, jira_cols, JIRA_COLS, NULL);
	else
		emit(w, NULL, zd_cols, ZD_COLS, NULL);
	return w->rc;
}

/*
 * The text of member key of obj (absent or null: NULL, read as empty); a
 * string, a number or a boolean as JSON writes it; an object or an array
 * as its JSON text when compound is true (a value such as Zendesk's tags),
 * else the member is of the wrong shape: -1, with why set.
 */
static int text(json_object *obj, const char *key, bool compound,
		const char **out, char *why, size_t whysz, const char *whose)
{
	json_object *v = NULL;
	json_type t;

	*out = NULL;
	if (!json_object_object_get_ex(obj, key, &v) || v == NULL)
		return 0;
	t = json_object_get_type(v);
	if (t == json_type_object || t == json_type_array) {
		if (!compound) {
			snprintf(why, whysz,
				 "%s%s: %s where a string or a number belongs",
				 whose, key,
				 t == json_type_object ? "an object"
						       : "an array");
			return -1;
		}
		*out =
		    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
		return 0;
	}
	*out = json_object_get_string(v);
	return 0;
}

/* Member key of obj as an array, or NULL. */
static json_object *array_of(json_object *obj, const char *key)
{
	json_object *v = NULL;

	if (!json_object_object_get_ex(obj, key, &v) ||
	    !json_object_is_type(v, json_type_array))
		return NULL;
	return v;
}

/* A Jira history's items, a row each; key is the issue's (NULL: not
 * known, each row bad with nokey). */
static void jira_history(struct walk *w, json_object *h, const char *key,
			 const char *nokey, const char *place)
{
	char p[256], why[200];
	const char *hv[4] = {key, NULL, NULL, NULL};
	json_object *items, *a = NULL;
	size_t k, n;

	if (!json_object_is_type(h, json_type_object)) {
		emit(w, place, NULL, JIRA_COLS,
		     "a history that is not an object");
		return;
	}
	if ((items = array_of(h, "items")) == NULL) {
		emit(w, place, NULL, JIRA_COLS,
		     "a history without an \"items\" array");
		return;
	}
	why[0] = '\0';
	if (text(h, "id", false, &hv[1], why, sizeof(why), "the history's ") ==
		0 &&
	    text(h, "created", false, &hv[2], why, sizeof(why),
		 "the history's ") == 0 &&
	    json_object_object_get_ex(h, "author", &a) && a != NULL) {
		if (json_object_is_type(a, json_type_object))
			(void)text(a, "displayName", false, &hv[3], why,
				   sizeof(why), "the history's author.");
		else
			(void)text(h, "author", false, &hv[3], why, sizeof(why),
				   "the history's ");
	}
	n = json_object_array_length(items);
	for (k = 0; k < n && w->rc == TSAM_OK; k++) {
		json_object *it = json_object_array_get_idx(items, k);
		const char *v[JIRA_COLS] = {hv[0], hv[1], hv[2], hv[3]};
		static const char *const names[6] = {"field", "fieldtype",
						     "from",  "fromString",
						     "to",    "toString"};
		char iwhy[200];
		size_t c;

		place_of(p, sizeof(p), "%s.items[%zu]", place, k);
		if (why[0] != '\0') {
			emit(w, p, NULL, JIRA_COLS, why);
			continue;
		}
		if (key == NULL) {
			emit(w, p, NULL, JIRA_COLS, nokey);
			continue;
		}
		if (!json_object_is_type(it, json_type_object)) {
			emit(w, p, NULL, JIRA_COLS,
			     "an item that is not an object");
			continue;
		}
		for (c = 0; c < 6; c++)
			if (text(it, names[c], c >= 2, &v[4 + c], iwhy,
				 sizeof(iwhy), "") != 0)
				break;
		emit(w, p, v, JIRA_COLS, c < 6 ? iwhy : NULL);
	}
}

/* A Jira issue (search result or single issue) at place ("" the root). */
static void jira_issue(struct walk *w, json_object *is, const char *place)
{
	char p[256];
	const char *key = NULL;
	json_object *cl = NULL, *hs, *kv = NULL;
	size_t j, n;

	if (!json_object_is_type(is, json_type_object)) {
		emit(w, place, NULL, JIRA_COLS,
		     "an issue that is not an object");
		return;
	}
	if (json_object_object_get_ex(is, "key", &kv) &&
	    json_object_is_type(kv, json_type_string))
		key = json_object_get_string(kv);
	if (!json_object_object_get_ex(is, "changelog", &cl) ||
	    !json_object_is_type(cl, json_type_object) ||
	    (hs = array_of(cl, "histories")) == NULL) {
		emit(w, place[0] ? place : "(document)", NULL, JIRA_COLS,
		     "an issue without \"changelog\".\"histories\" (search "
		     "with expand=changelog)");
		return;
	}
	n = json_object_array_length(hs);
	for (j = 0; j < n && w->rc == TSAM_OK; j++) {
		place_of(p, sizeof(p), "%s%schangelog.histories[%zu]", place,
			 place[0] ? "." : "", j);
		jira_history(w, json_object_array_get_idx(hs, j), key,
			     "the issue has no \"key\" (a string)", p);
	}
}

/* The issue key in a changelog page's "self" (.../issue/KEY/changelog),
 * into key; false when there is none. */
static bool key_of_self(json_object *page, char *key, size_t sz)
{
	json_object *v = NULL;
	const char *s, *e;

	if (!json_object_object_get_ex(page, "self", &v) ||
	    !json_object_is_type(v, json_type_string))
		return false;
	s = strstr(json_object_get_string(v), "/issue/");
	if (s == NULL)
		return false;
	s += 7;
	e = strchr(s, '/');
	if (e == NULL || e == s || (size_t)(e - s) >= sz ||
	    strncmp(e, "/changelog", 10) != 0)
		return false;
	memcpy(key, s, (size_t)(e - s));
	key[e - s] = '\0';
	return true;
}

/* A Zendesk audit's events, a row each. */
static void zd_audit(struct walk *w, json_object *au, const char *place)
{
	char p[256], why[200];
	const char *av[4] = {NULL, NULL, NULL, NULL};
	static const char *const anames[4] = {"ticket_id", "id", "created_at",
					      "author_id"};
	static const char *const enames[4] = {"type", "field_name", "value",
					      "previous_value"};
	json_object *evs;
	size_t k, n, c;

	if (!json_object_is_type(au, json_type_object)) {
		emit(w, place, NULL, ZD_COLS, "an audit that is not an object");
		return;
	}
	if ((evs = array_of(au, "events")) == NULL) {
		emit(w, place, NULL, ZD_COLS,
		     "an audit without an \"events\" array");
		return;
	}
	why[0] = '\0';
	for (c = 0; c < 4; c++)
		if (text(au, anames[c], false, &av[c], why, sizeof(why),
			 "the audit's ") != 0)
			break;
	n = json_object_array_length(evs);
	for (k = 0; k < n && w->rc == TSAM_OK; k++) {
		json_object *ev = json_object_array_get_idx(evs, k);
		const char *v[ZD_COLS] = {av[0], av[1], av[2], av[3]};
		char ewhy[200];

		place_of(p, sizeof(p), "%s.events[%zu]", place, k);
		if (why[0] != '\0') {
			emit(w, p, NULL, ZD_COLS, why);
			continue;
		}
		if (!json_object_is_type(ev, json_type_object)) {
			emit(w, p, NULL, ZD_COLS,
			     "an event that is not an object");
			continue;
		}
		for (c = 0; c < 4; c++)
			if (text(ev, enames[c], c >= 2, &v[4 + c], ewhy,
				 sizeof(ewhy), "") != 0)
				break;
		emit(w, p, v, ZD_COLS, c < 4 ? ewhy : NULL);
	}
}

/* One page (the document, or an element of a top-level array) at pre. */
static void page(struct walk *w, json_object *pg, const char *pre)
{
	char p[256], key[256];
	json_object *a;
	size_t i, n;

	if (!json_object_is_type(pg, json_type_object)) {
		w->rc = tsam_errbuf_set(w->eb, TSAM_ERR_PARSE,
					"%s: %.*s: not an object (a Jira or "
					"Zendesk API page)",
					w->path, (int)strlen(pre) - 1, pre);
		return;
	}
	if ((a = array_of(pg, "audits")) != NULL) {
		if (set_shape(w, SHAPE_ZENDESK, pre) != TSAM_OK)
			return;
		n = json_object_array_length(a);
		for (i = 0; i < n && w->rc == TSAM_OK; i++) {
			place_of(p, sizeof(p), "%saudits[%zu]", pre, i);
			zd_audit(w, json_object_array_get_idx(a, i), p);
		}
	} else if ((a = array_of(pg, "issues")) != NULL) {
		if (set_shape(w, SHAPE_JIRA, pre) != TSAM_OK)
			return;
		n = json_object_array_length(a);
		for (i = 0; i < n && w->rc == TSAM_OK; i++) {
			place_of(p, sizeof(p), "%sissues[%zu]", pre, i);
			jira_issue(w, json_object_array_get_idx(a, i), p);
		}
	} else if (json_object_object_get_ex(pg, "changelog", NULL)) {
		if (set_shape(w, SHAPE_JIRA, pre) == TSAM_OK)
			jira_issue(w, pg, pre[0] ? pre : "");
	} else if ((a = array_of(pg, "values")) != NULL) {
		bool known = key_of_self(pg, key, sizeof(key));

		if (set_shape(w, SHAPE_JIRA, pre) != TSAM_OK)
			return;
		n = json_object_array_length(a);
		for (i = 0; i < n && w->rc == TSAM_OK; i++) {
			place_of(p, sizeof(p), "%svalues[%zu]", pre, i);
			jira_history(w, json_object_array_get_idx(a, i),
				     known ? key : NULL,
				     "the page's \"self\" names no issue "
				     "(.../issue/KEY/changelog)",
				     p);
		}
	} else {
		w->rc = tsam_errbuf_set(
		    w->eb, TSAM_ERR_PARSE,
		    "%s: %s: neither a Jira changelog (\"issues\", "
		    "\"changelog\" or \"values\") nor Zendesk audits "
		    "(\"audits\")",
		    w->path, pre[0] ? pre : "(document)");
	}
}

enum tsam_err tsam_jsonrows_read(const char *path,
				 const struct tsam_csv_opts *o,
				 struct tsam_jsonrows **where,
				 struct tsam_errbuf *eb)
{
	struct tsam_buf b;
	struct walk w;
	json_object *root = NULL;
	const char *d;
	size_t len, i, n;
	int rc;

	*where = NULL;
	tsam_buf_init(&b, TSAM_JSONROWS_MAX_FILE);
	rc = tsam_fsio_read_gz(path, &b, eb);
	if (rc == TSAM_OK) {
		d = b.data ? b.data : "";
		len = b.len;
		if (len >= 3 && memcmp(d, "\xEF\xBB\xBF", 3) == 0) {
			d += 3;
			len -= 3;
		}
		rc = tsam_json_parse(d, len, path, &root, eb);
	}
	tsam_buf_free(&b);
	if (rc != TSAM_OK)
		return rc;
	memset(&w, 0, sizeof(w));
	w.o = o;
	w.path = path;
	w.eb = eb;
	if ((w.j = calloc(1, sizeof(*w.j))) == NULL) {
		json_object_put(root);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	if (json_object_is_type(root, json_type_array)) {
		n = json_object_array_length(root);
		for (i = 0; i < n && w.rc == TSAM_OK; i++) {
			char pre[32];

			place_of(pre, sizeof(pre), "[%zu].", i);
			page(&w, json_object_array_get_idx(root, i), pre);
		}
	} else {
		page(&w, root, "");
	}
	json_object_put(root);
	free(w.scratch);
	if (w.rc == TSAM_ERR_NOMEM)
		tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	if (w.rc != TSAM_OK) {
		tsam_jsonrows_free(w.j);
		return w.rc;
	}
	*where = w.j;
	return TSAM_OK;
}
