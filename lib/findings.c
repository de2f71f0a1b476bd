/* findings.c - a made findings document: results, diff, JUnit. */
#include "findings.h"

#include "buf.h"
#include "fsio.h"
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_object *tsam_findings_expand_results(json_object *host)
{
	json_object *res, *arr;
	const char *text;

	if (!json_object_object_get_ex(host, "results", &res))
		return NULL;
	if (!json_object_is_type(res, json_type_string))
		return json_object_is_type(res, json_type_array) ? res : NULL;
	text = json_object_get_string(res);
	if (tsam_json_parse(text, strlen(text), "results", &arr, NULL) !=
		TSAM_OK ||
	    !json_object_is_type(arr, json_type_array)) {
		json_object_put(arr);
		return NULL;
	}
	json_object_object_add(host, "results", arr);
	return arr;
}

/*
 * An XML writer whose first error sticks: every later call is a no-op, so
 * a document is written as a plain sequence and checked once at the end.
 */
struct xml {
	struct tsam_buf b;
	int rc;
};

/* Appends literal markup. */
static void put(struct xml *x, const char *s)
{
	if (x->rc == TSAM_OK)
		x->rc = tsam_buf_adds(&x->b, s);
}

/*
 * Appends s (NULL: nothing) as XML 1.0 character data usable in an
 * attribute: the five special characters escaped, tab and line ends as
 * character references, and what XML cannot hold (other control
 * characters, bytes that are not UTF-8: remote error text carries any)
 * as U+FFFD.
 */
static void text_n(struct xml *x, const char *s, size_t n);

static void text(struct xml *x, const char *s)
{
	if (s != NULL)
		text_n(x, s, strlen(s));
}

/* A JSON string member as text (NULs in it included, as U+FFFD). */
static void text_member(struct xml *x, json_object *o, const char *key)
{
	json_object *v;

	if (json_object_object_get_ex(o, key, &v) &&
	    json_object_is_type(v, json_type_string))
		text_n(x, json_object_get_string(v),
		       (size_t)json_object_get_string_len(v));
}

static void text_n(struct xml *x, const char *s, size_t n)
{
	static const char *const entity[256] = {
	    ['&'] = "&amp;",  ['<'] = "&lt;",	 ['>'] = "&gt;",
	    ['"'] = "&quot;", ['\''] = "&apos;", ['\t'] = "&#9;",
	    ['\n'] = "&#10;", ['\r'] = "&#13;"};
	char *clean, *p;

	if (x->rc != TSAM_OK || s == NULL)
		return;
	if ((clean = tsam_utf8_sanitize(s, n)) == NULL) {
		x->rc = TSAM_ERR_NOMEM;
		return;
	}
	for (p = clean; x->rc == TSAM_OK && *p; p++) {
		const char *e = entity[(unsigned char)*p];
		x->rc = e ? (int)tsam_buf_adds(&x->b, e)
			  : (int)tsam_buf_add(&x->b, p, 1);
	}
	free(clean);
}

/* Appends a count attribute: name="n". */
static void count_attr(struct xml *x, const char *name, long long n)
{
	if (x->rc == TSAM_OK)
		x->rc = tsam_buf_addf(&x->b, " %s=\"%lld\"", name, n);
}

/* The English title of rule id in findings, or the id. */
static const char *rule_title(json_object *rules, const char *id)
{
	size_t i;

	for (i = 0; i < json_object_array_length(rules); i++) {
		json_object *r = json_object_array_get_idx(rules, i), *t;
		if (strcmp(tsam_json_str(r, "id"), id) == 0 &&
		    json_object_object_get_ex(r, "title", &t) &&
		    tsam_json_str(t, "en") != NULL)
			return tsam_json_str(t, "en");
	}
	return id;
}

/* <testcase classname="cls" name="ID: title"> (left open). */
static void testcase(struct xml *x, json_object *rules, const char *cls,
		     const char *id)
{
	put(x, "    <testcase classname=\"");
	text(x, cls);
	put(x, "\" name=\"");
	text(x, id);
	put(x, ": ");
	text(x, rule_title(rules, id));
	put(x, "\"");
}

/* One host's testsuite. */
static void host_suite(struct xml *x, json_object *host, json_object *rules)
{
	const char *name = tsam_json_str(host, "name");
	int64_t fails = 0, errors = 0, na = 0, wv = 0;
	json_object *res = NULL, *c, *obs;
	size_t i;

	if (json_object_object_get_ex(host, "counts", &c)) {
		tsam_json_int(c, "fail", &fails);
		tsam_json_int(c, "error", &errors);
		tsam_json_int(c, "not_applicable", &na);
		tsam_json_int(c, "waived", &wv);
	}
	if ((res = tsam_findings_expand_results(host)) == NULL)
		return;
	put(x, "  <testsuite name=\"");
	text(x, name);
	put(x, "\"");
	count_attr(x, "tests", (long long)json_object_array_length(res));
	count_attr(x, "failures", (long long)fails);
	count_attr(x, "errors", (long long)errors);
	count_attr(x, "skipped", (long long)(na + wv));
	put(x, ">\n");
	for (i = 0; i < json_object_array_length(res); i++) {
		json_object *r = json_object_array_get_idx(res, i);
		const char *word = tsam_json_str(r, "result");
		const char *exp = tsam_json_str(r, "expected");

		testcase(x, rules, name, tsam_json_str(r, "rule"));
		if (strcmp(word, "pass") == 0) {
			put(x, "/>\n");
			continue;
		}
		if (strcmp(word, "not_applicable") == 0 ||
		    strcmp(word, "waived") == 0) {
			put(x, "><skipped message=\"");
			put(x, word);
			put(x, "\"/></testcase>\n");
			continue;
		}
		put(x, strcmp(word, "fail") == 0 ? "><failure message=\""
						 : "><error message=\"");
		if (tsam_json_str(r, "reason") != NULL) {
			/* collected without privilege: why says it all */
			text(x, tsam_json_str(r, "reason"));
			put(x, "\"/></testcase>\n");
			continue;
		}
		text(x, tsam_json_str(r, "fact"));
		put(x, ": observed ");
		text(x, json_object_object_get_ex(r, "observed", &obs) &&
				obs != NULL
			    ? json_object_to_json_string_ext(
				  obs, JSON_C_TO_STRING_PLAIN)
			    : "(missing)");
		put(x, ", expected ");
		text(x, exp ? exp : "?");
		put(x, "\"/></testcase>\n");
	}
	put(x, "  </testsuite>\n");
}

enum tsam_err tsam_findings_junit(json_object *findings, const char *path,
				  struct tsam_errbuf *eb)
{
	json_object *hosts, *rules, *unc, *fr = NULL;
	struct xml x;
	size_t i, n;

	if (!json_object_object_get_ex(findings, "hosts", &hosts) ||
	    !json_object_object_get_ex(findings, "rules", &rules) ||
	    !json_object_object_get_ex(findings, "uncollected", &unc))
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL, "bad findings");
	tsam_buf_init(&x.b, 1u << 30);
	x.rc = TSAM_OK;
	put(&x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"tsam-check\">\n");
	for (i = 0; i < json_object_array_length(hosts); i++)
		host_suite(&x, json_object_array_get_idx(hosts, i), rules);
	json_object_object_get_ex(findings, "fleet_rules", &fr);
	if ((n = fr ? json_object_array_length(fr) : 0) > 0) {
		put(&x, "  <testsuite name=\"fleet\"");
		count_attr(&x, "tests", (long long)n);
		put(&x, ">\n");
		for (i = 0; i < n; i++) {
			json_object *r = json_object_array_get_idx(fr, i);
			const char *word = tsam_json_str(r, "result");
			testcase(&x, rules, "fleet", tsam_json_str(r, "rule"));
			if (strcmp(word, "pass") == 0) {
				put(&x, "/>\n");
			} else if (strcmp(word, "fail") == 0) {
				put(&x, "><failure message=\"expected ");
				text(&x, tsam_json_str(r, "expected"));
				put(&x, "\"/></testcase>\n");
			} else {
				put(&x, "><skipped/></testcase>\n");
			}
		}
		put(&x, "  </testsuite>\n");
	}
	if ((n = json_object_array_length(unc)) > 0) {
		put(&x, "  <testsuite name=\"not collected\"");
		count_attr(&x, "tests", (long long)n);
		count_attr(&x, "errors", (long long)n);
		put(&x, ">\n");
		for (i = 0; i < n; i++) {
			json_object *u = json_object_array_get_idx(unc, i);
			put(&x, "    <testcase classname=\"");
			text(&x, tsam_json_str(u, "name"));
			put(&x, "\" name=\"collection\"><error message=\"");
			text(&x, tsam_json_str(u, "status"));
			put(&x, ": ");
			text_member(&x, u, "error");
			put(&x, "\"/></testcase>\n");
		}
		put(&x, "  </testsuite>\n");
	}
	put(&x, "</testsuites>\n");
	if (x.rc == TSAM_OK)
		x.rc =
		    tsam_fsio_write_atomic(path, x.b.data, x.b.len, 0600, eb);
	tsam_buf_free(&x.b);
	return x.rc;
}

/* name -> true for every hosts[].name or rules[].id of a findings doc. */
static json_object *name_set(json_object *doc, const char *list,
			     const char *key)
{
	json_object *set = json_object_new_object(), *arr;
	size_t i;

	if (json_object_object_get_ex(doc, list, &arr) &&
	    json_object_is_type(arr, json_type_array))
		for (i = 0; i < json_object_array_length(arr); i++) {
			const char *n = tsam_json_str(
			    json_object_array_get_idx(arr, i), key);
			if (n != NULL)
				tsam_json_add_bool(set, n, true);
		}
	return set;
}

/* Adds the names of doc's list (an array of {name}) to set. */
static void name_add(json_object *set, json_object *doc, const char *list)
{
	json_object *more = name_set(doc, list, "name");

	json_object_object_foreach(more, k, v)
	{
		(void)v;
		tsam_json_add_bool(set, k, true);
	}
	json_object_put(more);
}

/* "host\x1frule" -> result for every host result of a findings doc. */
static json_object *result_map(json_object *doc)
{
	json_object *map = json_object_new_object(), *hosts, *res;
	size_t h, i;

	if (!json_object_object_get_ex(doc, "hosts", &hosts) ||
	    !json_object_is_type(hosts, json_type_array))
		return map;
	for (h = 0; h < json_object_array_length(hosts); h++) {
		json_object *host = json_object_array_get_idx(hosts, h);
		const char *name = tsam_json_str(host, "name");
		if (name == NULL ||
		    (res = tsam_findings_expand_results(host)) == NULL)
			continue;
		for (i = 0; i < json_object_array_length(res); i++) {
			json_object *r = json_object_array_get_idx(res, i);
			const char *rule = tsam_json_str(r, "rule");
			const char *word = tsam_json_str(r, "result");
			char key[1024];
			if (rule == NULL || word == NULL)
				continue;
			snprintf(key, sizeof(key), "%s\x1f%s", name, rule);
			tsam_json_add_str(map, key, word);
		}
	}
	return map;
}

static bool failing(const char *word)
{
	return word != NULL &&
	       (strcmp(word, "fail") == 0 || strcmp(word, "error") == 0);
}

/* Appends the names in a that are not in b to out. */
static void set_minus(json_object *a, json_object *b, json_object *out)
{
	json_object_object_foreach(a, k, v)
	{
		(void)v;
		if (!json_object_object_get_ex(b, k, NULL))
			json_object_array_add(out, json_object_new_string(k));
	}
}

enum tsam_err tsam_findings_diff(json_object *findings, json_object *baseline,
				 const char *baseline_name,
				 struct tsam_errbuf *eb)
{
	json_object *diff, *old_map, *new_map, *lists[3], *sets[4];
	const char *schema = tsam_json_str(baseline, "schema");
	static const char *const names[3] = {"new_failures", "fixed",
					     "still_failing"};
	size_t i;

	if (schema == NULL || strcmp(schema, TSAM_FINDINGS_SCHEMA) != 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: not a findings file (schema %s)",
				       baseline_name, TSAM_FINDINGS_SCHEMA);
	old_map = result_map(baseline);
	new_map = result_map(findings);
	for (i = 0; i < 3; i++)
		lists[i] = json_object_new_array();
	json_object_object_foreach(new_map, key, val)
	{
		json_object *was = NULL, *pair;
		const char *now = json_object_get_string(val), *sep;
		const char *before;
		int which;

		json_object_object_get_ex(old_map, key, &was);
		before = was ? json_object_get_string(was) : NULL;
		if (failing(now))
			which = failing(before) ? 2 : 0;
		else if (failing(before) && strcmp(now, "pass") == 0)
			which = 1;
		else
			continue;
		sep = strchr(key, '\x1f');
		pair = json_object_new_object();
		tsam_json_add_bytes(pair, "host", key, (size_t)(sep - key));
		tsam_json_add_str(pair, "rule", sep + 1);
		tsam_json_add_str(pair, "was", before);
		tsam_json_add_str(pair, "now", now);
		json_object_array_add(lists[which], pair);
	}
	diff = json_object_new_object();
	tsam_json_add_str(diff, "baseline", baseline_name);
	{
		json_object *run;
		json_object *fl, *sc;
		if (json_object_object_get_ex(baseline, "run", &run))
			tsam_json_add_str(diff, "baseline_started",
					  tsam_json_str(run, "started"));
		/* last year's fleet score, for the trend */
		if (json_object_object_get_ex(baseline, "fleet", &fl) &&
		    json_object_object_get_ex(fl, "score", &sc))
			json_object_object_add(diff, "baseline_score",
					       json_object_get(sc));
	}
	for (i = 0; i < 3; i++)
		json_object_object_add(diff, names[i], lists[i]);
	/* a host in the run either year, checked or not collected, was
	 * neither added nor removed */
	sets[0] = name_set(findings, "hosts", "name");
	sets[1] = name_set(baseline, "hosts", "name");
	name_add(sets[0], findings, "uncollected");
	name_add(sets[1], baseline, "uncollected");
	sets[2] = name_set(findings, "rules", "id");
	sets[3] = name_set(baseline, "rules", "id");
	{
		static const char *const keys[4] = {
		    "hosts_added", "hosts_removed", "rules_added",
		    "rules_removed"};
		json_object *out[4];
		for (i = 0; i < 4; i++)
			out[i] = json_object_new_array();
		set_minus(sets[0], sets[1], out[0]);
		set_minus(sets[1], sets[0], out[1]);
		set_minus(sets[2], sets[3], out[2]);
		set_minus(sets[3], sets[2], out[3]);
		for (i = 0; i < 4; i++) {
			json_object_object_add(diff, keys[i], out[i]);
			json_object_put(sets[i]);
		}
	}
	json_object_object_add(findings, "diff", diff);
	json_object_put(old_map);
	json_object_put(new_map);
	return TSAM_OK;
}
