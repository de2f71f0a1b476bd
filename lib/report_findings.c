/*
 * report_findings.c - findings.json as the health sections read it, for
 * report_health.c and report_sizing.c alike: rules in order (worst first
 * by severity and failures, tsam_render_cmp_rules) and the per-host rules
 * failing or in error, endpoints worst first (score, then failures, then
 * name: tsam_render_worst_first), a rule by its id and a host's failing
 * result, when the fleet was collected, lists of endpoint names with the
 * rest counted, and what a fleet rule expects and observed, in words.
 *
 * Draws nothing. Calls findings (a host's results), date,
 * report_plain.c and report_format.c; called by the health sections.
 */
#include "report_int.h"

#include "date.h"
#include "findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* critical 0 .. info 4; anything else 5 (last). */
int tsam_render_sev_rank(const char *s)
{
	static const char *order[] = {"critical", "high", "medium", "low",
				      "info"};
	int i;

	for (i = 0; s && i < 5; i++)
		if (strcmp(s, order[i]) == 0)
			return i;
	return 5;
}

/* qsort order of rules, wherever findings are listed: the more severe
 * first, then the more endpoints concerned (failed or erred), then the
 * id. */
int tsam_render_cmp_rules(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a,
		    *y = *(json_object *const *)b;
	int d = tsam_render_sev_rank(tsam_json_str(x, "severity")) -
		tsam_render_sev_rank(tsam_json_str(y, "severity"));

	if (d)
		return d;
	if (tsam_render_concerned(y) != tsam_render_concerned(x))
		return tsam_render_concerned(y) > tsam_render_concerned(x) ? 1
									   : -1;
	return strcmp(tsam_json_str(x, "id") ? tsam_json_str(x, "id") : "",
		      tsam_json_str(y, "id") ? tsam_json_str(y, "id") : "");
}

/* Endpoints a rule failed or erred on. */
long long tsam_render_concerned(json_object *rule)
{
	return geti(rule, "counts.fail") + geti(rule, "counts.error");
}

/* The per-host rules failing or in error, in order cmp (qsort); *k of
 * them. The caller frees the array (NULL when out of memory). */
json_object **tsam_render_failing_rules(json_object *rules, size_t *k,
					int (*cmp)(const void *, const void *))
{
	size_t i, n = alen(rules);
	json_object **v = calloc(n ? n : 1, sizeof(*v));

	*k = 0;
	for (i = 0; v && i < n; i++) {
		json_object *x = aidx(rules, i);

		if (tsam_render_concerned(x) > 0 &&
		    strcmp(str_or(x, "scope", "host"), "fleet") != 0)
			v[(*k)++] = x;
	}
	if (v)
		qsort(v, *k, sizeof(*v), cmp);
	return v;
}

/* A host's score for ordering: no score (nothing weighted applied)
 * after every score. */
double tsam_render_host_score(json_object *h)
{
	json_object *sc = get(h, "score");

	return sc && (json_object_is_type(sc, json_type_int) ||
		      json_object_is_type(sc, json_type_double))
		   ? num(h, "score", 101)
		   : 101;
}

/* qsort order of hosts, worst first: lowest score, then most failures
 * and errors, then name. */
int tsam_render_worst_first(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a,
		    *y = *(json_object *const *)b;
	double sx = tsam_render_host_score(x), sy = tsam_render_host_score(y);
	long long fx = geti(x, "counts.fail") + geti(x, "counts.error"),
		  fy = geti(y, "counts.fail") + geti(y, "counts.error");

	if (sx != sy)
		return sx < sy ? -1 : 1;
	if (fx != fy)
		return fx > fy ? -1 : 1;
	return strcmp(str_or(x, "name", ""), str_or(y, "name", ""));
}

/* The findings' hosts, worst first (tsam_render_worst_first); *n of them. The
 * caller frees the array (NULL when out of memory or none). */
json_object **tsam_render_hosts_worst_first(json_object *f, size_t *n)
{
	json_object *hosts = get(f, "hosts"), **v;
	size_t i;

	*n = alen(hosts);
	v = calloc(*n ? *n : 1, sizeof(*v));
	if (v == NULL) {
		*n = 0;
		return NULL;
	}
	for (i = 0; i < *n; i++)
		v[i] = aidx(hosts, i);
	qsort(v, *n, sizeof(*v), tsam_render_worst_first);
	return v;
}

/* The collection time of the findings (run.started), or -1. */
time_t tsam_render_collected_at(json_object *f)
{
	const char *s = tsam_json_str(get(f, "run"), "started");

	return s ? tsam_time_parse(s) : -1;
}

/* "a, b, c and N more" / "a、b、c ほか N 台": the first names of a
 * list, the rest counted. */
void tsam_render_names_more(const struct tsam_render *r, const char *names,
			    long long more, char *out, size_t n)
{
	char num[32];
	const char *kv[4] = {"names", names, "n", num};

	if (more <= 0) {
		snprintf(out, n, "%s", names);
		return;
	}
	tsam_render_plain_int(more, num, sizeof(num));
	tsam_render_subst(msg(r, "hosts_more"), kv, 4, out, n);
}

/* Appends name to a list of at most max names (", " or "、"); false
 * when the list is full (the name is then only counted). */
bool tsam_render_add_name(const struct tsam_render *r, char *list, size_t n,
			  size_t *count, size_t max, const char *name)
{
	size_t o = strlen(list);

	if (*count >= max)
		return false;
	snprintf(list + o, n - o, "%s%s", o ? (is_ja(r) ? "、" : ", ") : "",
		 name);
	(*count)++;
	return true;
}

/* The rule of findings.rules with this id, or NULL. */
json_object *tsam_render_rule_by_id(json_object *findings, const char *id)
{
	json_object *rules = get(findings, "rules");
	size_t i;

	for (i = 0; id && rules && i < alen(rules); i++) {
		json_object *x = aidx(rules, i);

		if (tsam_json_str(x, "id") &&
		    strcmp(tsam_json_str(x, "id"), id) == 0)
			return x;
	}
	return NULL;
}

/* This host's result for rule id when it failed or erred, else NULL. */
json_object *tsam_render_failing_result(json_object *host, const char *id)
{
	json_object *res = tsam_findings_expand_results(host);
	size_t j;

	for (j = 0; res && j < alen(res); j++) {
		json_object *e = aidx(res, j);
		const char *w = tsam_json_str(e, "result");
		const char *rule = tsam_json_str(e, "rule");

		if (rule && strcmp(rule, id) == 0)
			return w && (strcmp(w, "fail") == 0 ||
				     strcmp(w, "error") == 0)
				   ? e
				   : NULL;
	}
	return NULL;
}

/* What a fleet rule expects, in the report's language, from the numbers
 * in its result (the English "expected" of older findings otherwise). */
void tsam_render_fleet_expected(const struct tsam_render *r, json_object *x,
				char *out, size_t n)
{
	const char *type = tsam_json_str(x, "type");
	const char *what = tsam_json_str(get(x, "what"), r->in->lang);
	char pct[64], max[64];

	if (type == NULL)
		type = "";
	snprintf(pct, sizeof(pct), "%g",
		 num(x, "min_pct", num(x, "max_pct", 0)));
	snprintf(max, sizeof(max), "%lld", geti(x, "max"));
	if (strcmp(type, "share") == 0 && tsam_json_str(x, "target")) {
		/* the target rule's passing condition in words, else its id;
		 * all of the endpoints said so */
		json_object *t = tsam_render_rule_by_id(
		    r->in->findings, tsam_json_str(x, "target"));
		const char *cond = tsam_json_str(get(t, "title"), r->in->lang);
		const char *kv[4] = {"rule",
				     cond ? cond : tsam_json_str(x, "target"),
				     "pct", pct};

		tsam_render_subst(msg(r, num(x, "min_pct", 0) >= 100
					     ? "fx_share_all"
					     : "fx_share"),
				  kv, 4, out, n);
	} else if (strcmp(type, "distinct") == 0 && get(x, "max")) {
		const char *kv[4] = {"fact", str_or(x, "fact", "-"), "max",
				     max};
		tsam_render_subst(msg(r, "fx_distinct"), kv, 4, out, n);
	} else if (strcmp(type, "capacity") == 0 && what) {
		const char *kv[4] = {"what", what, "max", max};
		tsam_render_subst(msg(r, "fx_capacity"), kv, 4, out, n);
	} else if (strcmp(type, "uncollected") == 0 && get(x, "max_pct")) {
		const char *kv[2] = {"pct", pct};
		tsam_render_subst(msg(r, "fx_uncollected"), kv, 2, out, n);
	} else {
		snprintf(out, n, "%s",
			 tsam_json_str(x, "expected")
			     ? tsam_json_str(x, "expected")
			     : "-");
	}
}

/* A fleet rule's observation: short for the table (*longer: with the
 * values behind it, for the note under the table). */
void tsam_render_fleet_observed(const struct tsam_render *r, json_object *x,
				bool longer, char *out, size_t n)
{
	json_object *pct = get(x, "observed_pct"), *vals = get(x, "observed");

	if (!json_object_is_type(vals, json_type_object))
		vals = NULL; /* json-c can walk objects only */
	if (pct && get(x, "hosts")) {
		/* a share says of how many: "80.0 % (4 of 5)" */
		char p[32], ok[32], all[32];
		const char *kv[6] = {"pct", p, "ok", ok, "n", all};
		long long hosts = geti(x, "hosts");

		tsam_render_fmt_percent(r, num(x, "observed_pct", 0), 1, p,
					sizeof(p));
		tsam_render_fmt_count(
		    llround(num(x, "observed_pct", 0) * (double)hosts / 100),
		    ok, sizeof(ok));
		tsam_render_fmt_count(hosts, all, sizeof(all));
		tsam_render_subst(msg(r, "fo_share"), kv, 6, out, n);
	} else if (pct) {
		tsam_render_fmt_percent(r, num(x, "observed_pct", 0), 1, out,
					n);
	} else if (get(x, "observed_max") && tsam_json_str(x, "observed_at")) {
		char nb[32];
		const char *kv[4] = {"n", nb, "value",
				     tsam_json_str(x, "observed_at")};
		snprintf(nb, sizeof(nb), "%lld", geti(x, "observed_max"));
		tsam_render_subst(
		    msg(r, longer ? "fo_capacity" : "fo_capacity_short"), kv, 4,
		    out, n);
	} else if (vals && !longer) {
		char nb[32];
		const char *kv[2] = {"n", nb};

		snprintf(nb, sizeof(nb), "%d", json_object_object_length(vals));
		tsam_render_subst(msg(r, "fo_distinct_short"), kv, 2, out, n);
	} else if (vals) {
		size_t o = 0;
		out[0] = '\0';
		json_object_object_foreach(vals, k, v)
		{
			int w = snprintf(out + o, n - o, "%s%s (%lld)",
					 o ? ", " : "", k, ival(v));
			if (w < 0 || (size_t)w >= n - o)
				break;
			o += (size_t)w;
		}
	} else {
		snprintf(out, n, "-");
	}
}
