/*
 * report_health.c - the sections drawn from tsam-check's findings.json:
 * the quarterly review's health-check overview ("health": score, hosts,
 * failures by category, the worst failing rules and what to do first),
 * and the annual health check's executive summary (the three findings
 * that matter most), findings in detail (the problem found, what was
 * expected and observed in plain words, why, what to do, references, the
 * endpoints concerned grouped by what was observed, worst first), sizing
 * and capacity advice from the hosts' resources, fleet-wide rules, the
 * remediation plan the customer fills in, the diff with last year,
 * waivers, and every endpoint worst first (with those collected without
 * enough privilege).
 *
 * Failing rules are titled by their finding (the problem found), never
 * by their passing condition, and listed worst first: cmp_rules
 * (severity, then failures, then id) in the overview and the details;
 * cmp_weight (severity weight x endpoints concerned) where the most
 * important come first (summary, plan). Endpoints are ordered worst
 * first by worst_first (score, then failures, then name). Without
 * findings.json each section says so in a note. Calls check.h (a host's
 * results, the severity weights), report_draw.c, report_format.c,
 * report_plain.c; called by report.c.
 */
#include "report_int.h"

#include "check.h"
#include "date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* critical 0 .. info 4; anything else 5 (last). */
static int sev_rank(const char *s)
{
	static const char *order[] = {"critical", "high", "medium", "low",
				      "info"};
	int i;

	for (i = 0; s && i < 5; i++)
		if (strcmp(s, order[i]) == 0)
			return i;
	return 5;
}

/* qsort order of rules: severity, then most failures, then id. */
static int cmp_rules(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a,
		    *y = *(json_object *const *)b;
	int d = sev_rank(tsam_json_str(x, "severity")) -
		sev_rank(tsam_json_str(y, "severity"));

	if (d)
		return d;
	if (geti(y, "counts.fail") != geti(x, "counts.fail"))
		return geti(y, "counts.fail") > geti(x, "counts.fail") ? 1 : -1;
	return strcmp(tsam_json_str(x, "id") ? tsam_json_str(x, "id") : "",
		      tsam_json_str(y, "id") ? tsam_json_str(y, "id") : "");
}

/* The weight of a severity name in the score (check.h), 0 if unknown. */
static int sev_weight(const char *s)
{
	int k = sev_rank(s);

	return k < 5 ? tsam_check_weight((enum tsam_severity)(4 - k)) : 0;
}

/* Endpoints a rule failed or erred on. */
static long long concerned(json_object *rule)
{
	return geti(rule, "counts.fail") + geti(rule, "counts.error");
}

/* qsort order of rules by importance: severity weight x endpoints
 * concerned, then severity, then id. */
static int cmp_weight(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a,
		    *y = *(json_object *const *)b;
	double wx = (double)sev_weight(tsam_json_str(x, "severity")) *
		    (double)concerned(x),
	       wy = (double)sev_weight(tsam_json_str(y, "severity")) *
		    (double)concerned(y);

	if (wx != wy)
		return wx < wy ? 1 : -1;
	return cmp_rules(a, b);
}

/* The per-host rules failing or in error, in order cmp (qsort); *k of
 * them. The caller frees the array (NULL when out of memory). */
static json_object **failing_rules(json_object *rules, size_t *k,
				   int (*cmp)(const void *, const void *))
{
	size_t i, n = alen(rules);
	json_object **v = calloc(n ? n : 1, sizeof(*v));

	*k = 0;
	for (i = 0; v && i < n; i++) {
		json_object *x = aidx(rules, i);

		if (concerned(x) > 0 &&
		    strcmp(str_or(x, "scope", "host"), "fleet") != 0)
			v[(*k)++] = x;
	}
	if (v)
		qsort(v, *k, sizeof(*v), cmp);
	return v;
}

/* A host's score for ordering: no score (nothing weighted applied)
 * after every score. */
static double host_score(json_object *h)
{
	json_object *sc = get(h, "score");

	return sc && (json_object_is_type(sc, json_type_int) ||
		      json_object_is_type(sc, json_type_double))
		   ? num(h, "score", 101)
		   : 101;
}

/* qsort order of hosts, worst first: lowest score, then most failures
 * and errors, then name. */
static int worst_first(const void *a, const void *b)
{
	json_object *x = *(json_object *const *)a,
		    *y = *(json_object *const *)b;
	double sx = host_score(x), sy = host_score(y);
	long long fx = geti(x, "counts.fail") + geti(x, "counts.error"),
		  fy = geti(y, "counts.fail") + geti(y, "counts.error");

	if (sx != sy)
		return sx < sy ? -1 : 1;
	if (fx != fy)
		return fx > fy ? -1 : 1;
	return strcmp(str_or(x, "name", ""), str_or(y, "name", ""));
}

/* The findings' hosts, worst first (worst_first); *n of them. The caller
 * frees the array (NULL when out of memory or none). */
static json_object **hosts_worst_first(json_object *f, size_t *n)
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
	qsort(v, *n, sizeof(*v), worst_first);
	return v;
}

/* The collection time of the findings (run.started), or -1. */
static time_t collected_at(json_object *f)
{
	const char *s = tsam_json_str(get(f, "run"), "started");

	return s ? tsam_time_parse(s) : -1;
}

/* "a, b, c and N more" / "a、b、c ほか N 台": the first names of a
 * list, the rest counted. */
static void names_more(const struct tsam_render *r, const char *names,
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
static bool add_name(const struct tsam_render *r, char *list, size_t n,
		     size_t *count, size_t max, const char *name)
{
	size_t o = strlen(list);

	if (*count >= max)
		return false;
	snprintf(list + o, n - o, "%s%s",
		 o ? (strcmp(r->in->lang, "ja") == 0 ? "、" : ", ") : "", name);
	(*count)++;
	return true;
}

/* Failing results summed per category and severity. */
static void by_category(struct tsam_render *r, json_object *rules)
{
	static const char *cats[] = {"protection",    "update",
				     "performance",   "capacity",
				     "configuration", "lifecycle"};
	static const double rel[] = {2.2, 1, 1, 1, 1, 1};
	static const char al[] = "lrrrrr";
	double cnt[6][5] = {{0}}; /* a sum of many: no overflow */
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_category", "sevw_critical",
					   "sevw_high",	   "sevw_medium",
					   "sevw_low",	   "sevw_info"};
	size_t i, n = rules ? alen(rules) : 0;
	int c, s;
	char key[32];

	for (i = 0; i < n; i++) {
		json_object *x = aidx(rules, i);
		const char *cat = tsam_json_str(x, "category");
		int sv = sev_rank(tsam_json_str(x, "severity"));

		for (c = 0; c < 6 && (!cat || strcmp(cat, cats[c])); c++)
			;
		if (c < 6 && sv < 5)
			cnt[c][sv] += (double)geti(x, "counts.fail") +
				      (double)geti(x, "counts.error");
	}
	for (c = 0; c < 6; c++) {
		snprintf(key, sizeof(key), "cat_%s", cats[c]);
		tsam_render_cell(&cs, "%s", msg(r, key));
		for (s = 0; s < 5; s++)
			tsam_render_cell(&cs, "%.0f", cnt[c][s]);
	}
	tsam_render_heading(r, 1, "findings_by_category");
	tsam_render_table(r, 6, rel, al, head, cs.v, 6, NULL);
	tsam_render_cells_free(&cs);
}

/* "health": the fleet's score and hosts, failures by category, the
 * failing rules (worst first) and the top five recommendations. */
void tsam_render_sec_health(struct tsam_render *r)
{
	static const double rel[] = {1.7, 4, 0.8, 1.5};
	static const char al[] = "lllr";
	json_object *f = r->in->findings, *rules = get(f, "rules");
	json_object **v = NULL;
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_rule", "col_title",
					   "col_severity", "col_failed"};
	size_t i, n = rules ? alen(rules) : 0, k = 0;
	char buf[64];

	json_object *score;

	tsam_render_heading(r, 0, "sec_health");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	tsam_render_fmt_score(get(f, "fleet.score"), buf, sizeof(buf));
	tsam_render_kv_row(r, msg(r, "k_score"), buf);
	snprintf(buf, sizeof(buf), "%lld / %lld",
		 geti(f, "fleet.hosts_checked"),
		 geti(f, "fleet.hosts_uncollected"));
	tsam_render_kv_row(r, msg(r, "k_hosts"), buf);
	if (geti(f, "fleet.hosts_limited") > 0) {
		snprintf(buf, sizeof(buf), "%lld",
			 geti(f, "fleet.hosts_limited"));
		tsam_render_kv_row(r, msg(r, "k_limited"), buf);
	}
	score = get(f, "diff.baseline_score");
	if (score != NULL && !json_object_is_type(score, json_type_null)) {
		tsam_render_fmt_score(score, buf, sizeof(buf));
		tsam_render_kv_row(r, msg(r, "k_score_last_year"), buf);
	}
	r->y += r->tmpl->s_body;
	by_category(r, rules);
	v = calloc(n ? n : 1, sizeof(*v));
	for (i = 0; v && i < n; i++) {
		json_object *x = aidx(rules, i);

		if (geti(x, "counts.fail") > 0)
			v[k++] = x;
	}
	if (v)
		qsort(v, k, sizeof(*v), cmp_rules);
	for (i = 0; i < k && i < (size_t)r->tmpl->max_rows; i++) {
		tsam_render_cell(&cs, "%s", str_or(v[i], "id", "-"));
		tsam_render_cell(&cs, "%s", tsam_render_finding_title(r, v[i]));
		tsam_render_cell(
		    &cs, "%s",
		    tsam_render_word(r, "sevw_",
				     tsam_json_str(v[i], "severity")));
		tsam_render_cell(&cs, "%lld", geti(v[i], "counts.fail"));
	}
	tsam_render_table(r, 4, rel, al, head, cs.v, cs.n / 4, "none");
	tsam_render_cells_free(&cs);
	/* what to do first: the worst failing rules' recommendations */
	if (k > 0)
		tsam_render_heading(r, 1, "top_recommendations");
	for (i = 0; i < k && i < 5; i++) {
		const char *rec =
		    tsam_json_str(get(v[i], "recommendation"), r->in->lang);
		char line[1200];

		if (rec == NULL)
			continue;
		snprintf(line, sizeof(line), "%zu. %s — %s", i + 1,
			 tsam_render_finding_title(r, v[i]), rec);
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	}
	free(v);
}

/* The rule of findings.rules with this id, or NULL. */
static json_object *rule_by_id(json_object *findings, const char *id)
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

#define MAX_GROUPS   64 /* distinct observations kept per rule */
#define GROUPS_SHOWN 8	/* of them listed */
#define NAMES_SHOWN  3	/* endpoints named per observation */
#define MAX_EXPECTS  4	/* distinct expectations per rule */

/* The endpoints of one rule that showed the same thing. */
struct obs_group {
	char text[320];	 /* what was observed, in words */
	char names[320]; /* the first NAMES_SHOWN, worst first */
	size_t named;
	long long count;
};

/* This host's result for rule id when it failed or erred, else NULL. */
static json_object *failing_result(json_object *host, const char *id)
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

/*
 * One failing rule in detail: the problem found (its finding), severity,
 * category and how many endpoints; what it expects in plain words; why it
 * matters; what to do; references; then the endpoints concerned, grouped
 * by what was observed (in words), the groups and the names in each worst
 * first, the rest counted.
 */
static void rule_detail(struct tsam_render *r, json_object *x,
			json_object **hosts, size_t nhosts, time_t collected)
{
	static const double rel[] = {4.1, 0.9, 3.4};
	static const char al[] = "lrl";
	static const char *const head[] = {"col_observed", "col_endpoints",
					   "col_examples"};
	const char *id = tsam_json_str(x, "id");
	const char *why = tsam_json_str(get(x, "rationale"), r->in->lang);
	const char *rec = tsam_json_str(get(x, "recommendation"), r->in->lang);
	json_object *refs = get(x, "references");
	struct obs_group *g = calloc(MAX_GROUPS, sizeof(*g));
	char exp_seen[MAX_EXPECTS][256];
	char line[1400], a[32], b[32], meta[1600];
	const char *kv[4];
	struct tsam_render_cells cs = {0};
	size_t ng = 0, ne = 0, h, i;
	long long other = 0;
	/* a full-width colon in Japanese text */
	const char *colon = strcmp(r->in->lang, "ja") == 0 ? "：" : ": ";

	if (g == NULL || id == NULL) {
		free(g);
		return;
	}
	tsam_render_need(r, r->tmpl->s_h2 * 8);
	r->measure_size = r->tmpl->s_h2;
	tsam_render_para(r, tsam_render_finding_title(r, x), r->tmpl->s_h2,
			 ACCENT);
	tsam_render_plain_int(concerned(x), a, sizeof(a));
	tsam_render_plain_int(geti(x, "counts.pass") + concerned(x) +
				  geti(x, "counts.waived"),
			      b, sizeof(b));
	kv[0] = "fail";
	kv[1] = a;
	kv[2] = "total";
	kv[3] = b;
	tsam_render_subst(msg(r, "failing_on"), kv, 4, line, sizeof(line));
	snprintf(meta, sizeof(meta), "%s · %s · %s · %s", id,
		 tsam_render_word(r, "sevw_", tsam_json_str(x, "severity")),
		 tsam_render_word(r, "cat_", tsam_json_str(x, "category")),
		 line);
	tsam_render_para(r, meta, r->tmpl->s_small, GREY);
	/* the endpoints, worst first, grouped by what they showed */
	for (h = 0; h < nhosts; h++) {
		json_object *e = failing_result(hosts[h], id);
		const char *fact, *exp;
		char obs[320];

		if (e == NULL)
			continue;
		fact = tsam_json_str(e, "fact");
		exp = tsam_json_str(e, "expected");
		if (exp != NULL && tsam_json_str(e, "reason") == NULL) {
			char said[256];

			tsam_render_plain_expected(r, x, fact, exp, said,
						   sizeof(said));
			for (i = 0; i < ne && strcmp(exp_seen[i], said); i++)
				;
			if (i == ne && ne < MAX_EXPECTS)
				snprintf(exp_seen[ne++], sizeof(exp_seen[0]),
					 "%s", said);
		}
		if (tsam_json_str(e, "reason") != NULL)
			snprintf(obs, sizeof(obs), "%s",
				 msg(r, "obs_privilege"));
		else
			tsam_render_plain_observed(r, e, collected, obs,
						   sizeof(obs));
		for (i = 0; i < ng && strcmp(g[i].text, obs) != 0; i++)
			;
		if (i == ng && ng == MAX_GROUPS) {
			other++;
			continue;
		}
		if (i == ng)
			snprintf(g[ng++].text, sizeof(g[0].text), "%s", obs);
		g[i].count++;
		add_name(r, g[i].names, sizeof(g[i].names), &g[i].named,
			 NAMES_SHOWN, str_or(hosts[h], "name", "-"));
	}
	if (ne == 0) { /* only privilege errors: the rule's own words */
		snprintf(exp_seen[0], sizeof(exp_seen[0]), "%s",
			 str_or(get(x, "title"), r->in->lang, "-"));
		ne = 1;
	}
	for (i = 0; i < ne; i++) {
		kv[0] = "v";
		kv[1] = exp_seen[i];
		tsam_render_subst(msg(r, "expected_line"), kv, 2, line,
				  sizeof(line));
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	}
	if (why) {
		snprintf(line, sizeof(line), "%s%s%s", msg(r, "why"), colon,
			 why);
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	}
	if (rec) {
		snprintf(line, sizeof(line), "%s%s%s", msg(r, "recommendation"),
			 colon, rec);
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	}
	if (alen(refs) > 0) {
		size_t o = (size_t)snprintf(line, sizeof(line), "%s%s",
					    msg(r, "references"), colon);

		for (i = 0; i < alen(refs) && o < sizeof(line); i++)
			o += (size_t)snprintf(
			    line + o, sizeof(line) - o, "%s%s", i ? "; " : "",
			    json_object_get_string(aidx(refs, i)));
		tsam_render_para(r, line, r->tmpl->s_small, GREY);
	}
	for (i = 0; i < ng && i < GROUPS_SHOWN; i++) {
		char names[480];

		names_more(r, g[i].names, g[i].count - (long long)g[i].named,
			   names, sizeof(names));
		tsam_render_cell(&cs, "%s", g[i].text);
		tsam_render_cell(&cs, "%lld", g[i].count);
		tsam_render_cell(&cs, "%s", names);
	}
	for (; i < ng; i++)
		other += g[i].count;
	tsam_render_table(r, 3, rel, al, head, cs.v, cs.n / 3, NULL);
	tsam_render_cells_free(&cs);
	if (other > 0) {
		tsam_render_plain_int(other, a, sizeof(a));
		kv[0] = "n";
		kv[1] = a;
		tsam_render_subst(msg(r, "groups_more"), kv, 2, line,
				  sizeof(line));
		tsam_render_para(r, line, r->tmpl->s_small, GREY);
	}
	free(g);
}

/* "rules_detail": each rule failing or in error, worst first
 * (cmp_rules), in detail (rule_detail). */
void tsam_render_sec_rules_detail(struct tsam_render *r)
{
	json_object *f = r->in->findings, **v, **hosts;
	size_t i, k = 0, nh = 0;

	tsam_render_heading(r, 0, "sec_rules_detail");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	v = failing_rules(get(f, "rules"), &k, cmp_rules);
	hosts = hosts_worst_first(f, &nh);
	if (k == 0)
		tsam_render_para(r, msg(r, "none_any"), r->tmpl->s_body, GREY);
	for (i = 0; v && i < k; i++)
		rule_detail(r, v[i], hosts, nh, collected_at(f));
	free(hosts);
	free(v);
}

/* What a fleet rule expects, in the report's language, from the numbers
 * in its result (the English "expected" of older findings otherwise). */
static void fleet_expected(const struct tsam_render *r, json_object *x,
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
		const char *kv[4] = {"rule", tsam_json_str(x, "target"), "pct",
				     pct};
		tsam_render_subst(msg(r, "fx_share"), kv, 4, out, n);
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
static void fleet_observed(const struct tsam_render *r, json_object *x,
			   bool longer, char *out, size_t n)
{
	json_object *pct = get(x, "observed_pct"), *vals = get(x, "observed");

	if (!json_object_is_type(vals, json_type_object))
		vals = NULL; /* json-c can walk objects only */
	if (pct) {
		snprintf(out, n, "%.1f %%", num(x, "observed_pct", 0));
	} else if (get(x, "observed_max") && tsam_json_str(x, "observed_at")) {
		char nb[32];
		const char *kv[4] = {"n", nb, "value",
				     tsam_json_str(x, "observed_at")};
		snprintf(nb, sizeof(nb), "%lld", geti(x, "observed_max"));
		if (longer)
			tsam_render_subst(msg(r, "fo_capacity"), kv, 4, out, n);
		else
			snprintf(out, n, "%s", nb);
	} else if (vals && !longer) {
		snprintf(out, n, "%d", json_object_object_length(vals));
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

/*
 * Fleet-wide rules: a table (rule, title, result, what was observed), then
 * for each rule that failed a note with what it expects and what was
 * found, wrapped (a location or a list of versions does not fit a cell).
 */
void tsam_render_sec_fleet_rules(struct tsam_render *r)
{
	static const double rel[] = {1.9, 4.3, 0.9, 1.1};
	static const char al[] = "lllr";
	json_object *f = r->in->findings, *fr = get(f, "fleet_rules");
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_rule", "col_title",
					   "col_result", "col_observed"};
	size_t i, n = fr ? alen(fr) : 0;

	tsam_render_heading(r, 0, "sec_fleet_rules");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	for (i = 0; i < n; i++) {
		json_object *x = aidx(fr, i);
		json_object *rule = rule_by_id(f, tsam_json_str(x, "rule"));
		const char *res = tsam_json_str(x, "result");
		/* a failure reads as the problem found */
		const char *title =
		    res && strcmp(res, "fail") == 0 && rule
			? tsam_render_finding_title(r, rule)
			: tsam_json_str(get(rule, "title"), r->in->lang);
		char obs[64];

		fleet_observed(r, x, false, obs, sizeof(obs));
		tsam_render_cell(&cs, "%s", str_or(x, "rule", "-"));
		tsam_render_cell(&cs, "%s", title ? title : "");
		tsam_render_cell(
		    &cs, "%s",
		    tsam_render_word(r, "res_", tsam_json_str(x, "result")));
		tsam_render_cell(&cs, "%s", obs);
	}
	tsam_render_table(r, 4, rel, al, head, cs.v, cs.n / 4, "none_any");
	tsam_render_cells_free(&cs);
	for (i = 0; i < n; i++) {
		json_object *x = aidx(fr, i);
		const char *res = tsam_json_str(x, "result");
		char obs[1024], exp[400], line[1600];
		const char *kv[6] = {"rule",	 tsam_json_str(x, "rule"),
				     "expected", exp,
				     "observed", obs};

		if (res == NULL || strcmp(res, "fail") != 0 || kv[1] == NULL)
			continue;
		fleet_observed(r, x, true, obs, sizeof(obs));
		fleet_expected(r, x, exp, sizeof(exp));
		tsam_render_subst(msg(r, "fleet_note"), kv, 6, line,
				  sizeof(line));
		tsam_render_para(r, line, r->tmpl->s_small, GREY);
	}
}

/* "diff": how many findings are new, fixed and still failing and hosts
 * added and removed since last year, then the new and fixed ones listed. */
void tsam_render_sec_diff(struct tsam_render *r)
{
	static const char *lists[] = {"new_failures", "fixed", "still_failing"};
	static const char *labels[] = {"k_new_failures", "k_fixed",
				       "k_still_failing"};
	static const double rel[] = {2.2, 1.8, 1, 1};
	static const char al[] = "llll";
	json_object *d = get(r->in->findings, "diff");
	static const char *const head[] = {"col_host", "col_rule", "col_was",
					   "col_now"};
	char buf[32];
	int k;

	tsam_render_heading(r, 0, "sec_diff");
	if (tsam_render_missing(r, r->in->findings, "no_findings"))
		return;
	if (d == NULL) {
		tsam_render_para(r, msg(r, "no_baseline"), r->tmpl->s_body,
				 GREY);
		return;
	}
	for (k = 0; k < 3; k++) {
		snprintf(buf, sizeof(buf), "%zu", alen(get(d, lists[k])));
		tsam_render_kv_row(r, msg(r, labels[k]), buf);
	}
	snprintf(buf, sizeof(buf), "%zu", alen(get(d, "hosts_added")));
	tsam_render_kv_row(r, msg(r, "k_hosts_added"), buf);
	snprintf(buf, sizeof(buf), "%zu", alen(get(d, "hosts_removed")));
	tsam_render_kv_row(r, msg(r, "k_hosts_removed"), buf);
	r->y += r->tmpl->s_body;
	for (k = 0; k < 2; k++) {
		json_object *l = get(d, lists[k]);
		struct tsam_render_cells cs = {0};
		size_t i, n = l ? alen(l) : 0;

		for (i = 0; i < n && i < (size_t)r->tmpl->max_rows; i++) {
			json_object *x = aidx(l, i);

			tsam_render_cell(&cs, "%s", str_or(x, "host", "-"));
			tsam_render_cell(&cs, "%s", str_or(x, "rule", "-"));
			tsam_render_cell(
			    &cs, "%s",
			    tsam_render_word(r, "res_",
					     tsam_json_str(x, "was")));
			tsam_render_cell(
			    &cs, "%s",
			    tsam_render_word(r, "res_",
					     tsam_json_str(x, "now")));
		}
		if (cs.n > 0) {
			tsam_render_heading(r, 1, labels[k]);
			tsam_render_table(r, 4, rel, al, head, cs.v, cs.n / 4,
					  NULL);
			tsam_render_listed_note(r, cs.n / 4, (long long)n);
		}
		tsam_render_cells_free(&cs);
	}
}

/* "waivers": every accepted exception with its approver, expiry, state
 * and how many results it waived. */
void tsam_render_sec_waivers(struct tsam_render *r)
{
	static const double rel[] = {1.5, 1.2, 3, 1.2, 1.1, 0.9, 0.7};
	static const char al[] = "lllllll";
	json_object *w = get(r->in->findings, "waivers");
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {
	    "col_rule",	   "col_hosts", "col_justification", "col_approver",
	    "col_expires", "col_state", "col_applied"};
	size_t i, n = w ? alen(w) : 0;

	tsam_render_heading(r, 0, "sec_waivers");
	if (tsam_render_missing(r, r->in->findings, "no_findings"))
		return;
	for (i = 0; i < n && i < (size_t)r->tmpl->max_rows; i++) {
		json_object *x = aidx(w, i);
		json_object *hs = get(x, "hosts");

		tsam_render_cell(&cs, "%s", str_or(x, "rule", "-"));
		tsam_render_cell(&cs, "%s",
				 hs && json_object_is_type(hs, json_type_string)
				     ? json_object_get_string(hs)
				     : (hs ? json_object_to_json_string_ext(
						 hs, JSON_C_TO_STRING_PLAIN)
					   : "*"));
		tsam_render_cell(&cs, "%s", str_or(x, "justification", "-"));
		tsam_render_cell(&cs, "%s", str_or(x, "approver", "-"));
		tsam_render_cell(&cs, "%s", str_or(x, "expires", "-"));
		tsam_render_cell(
		    &cs, "%s",
		    tsam_render_word(r, "state_", tsam_json_str(x, "state")));
		tsam_render_cell(&cs, "%lld", geti(x, "applied"));
	}
	tsam_render_table(r, 7, rel, al, head, cs.v, cs.n / 7, "none_any");
	tsam_render_cells_free(&cs);
}

/*
 * The endpoints collected without enough privilege: what their account
 * could not read (one wrapped line each, grouped by collector: "spl11 —
 * spl: base-version, plugins, ..."), and what to do, so no "error" in the
 * report is a mystery. Nothing when there are none.
 */
static void limited_hosts(struct tsam_render *r, json_object *hosts)
{
	size_t i, n = hosts ? alen(hosts) : 0, rows = 0;

	for (i = 0; i < n; i++) {
		json_object *h = aidx(hosts, i);
		json_object *d = get(h, "denied");
		size_t j, m = d ? alen(d) : 0, o, clen = 0;
		const char *prev = NULL;
		char line[1400];

		if (m == 0)
			continue;
		if (rows++ == 0) {
			tsam_render_heading(r, 1, "limited_title");
			tsam_render_para(r, msg(r, "limited_note"),
					 r->tmpl->s_body, BLACK);
		}
		if (rows > (size_t)r->tmpl->max_rows)
			continue;
		o = (size_t)snprintf(line, sizeof(line), "%s —",
				     str_or(h, "name", "-"));
		for (j = 0; j < m && o < sizeof(line); j++) {
			const char *cs = json_object_get_string(aidx(d, j));
			const char *slash = cs ? strchr(cs, '/') : NULL;
			size_t cl = slash ? (size_t)(slash - cs) : 0;
			bool same = prev != NULL && cl == clen &&
				    strncmp(prev, cs, cl) == 0;

			if (slash == NULL)
				continue;
			o += (size_t)snprintf(line + o, sizeof(line) - o,
					      same ? ", %s" : "%s %.*s: %s",
					      same ? slash + 1 : (j ? ";" : ""),
					      (int)cl, cs, slash + 1);
			prev = cs;
			clen = cl;
		}
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	}
	if (rows > 0)
		tsam_render_listed_note(r,
					rows < (size_t)r->tmpl->max_rows
					    ? rows
					    : (size_t)r->tmpl->max_rows,
					(long long)rows);
}

/* The ids of the rules a host failed or erred on, in the order of its
 * results ("A B "), cut to fit: endpoints with the same are alike. */
static void failing_ids(json_object *host, char *out, size_t n)
{
	json_object *res = tsam_findings_expand_results(host);
	size_t j, o = 0;

	out[0] = '\0';
	for (j = 0; res && j < alen(res) && o < n; j++) {
		json_object *e = aidx(res, j);
		const char *w = tsam_json_str(e, "result");

		if (w && (strcmp(w, "fail") == 0 || strcmp(w, "error") == 0))
			o += (size_t)snprintf(out + o, n - o, "%s ",
					      str_or(e, "rule", "?"));
	}
}

/*
 * "hosts": every endpoint worst first (worst_first), summarised: a line
 * with how many score below 50, from 50 to 79 and 80 or more; endpoints
 * with the same score, counts and failing rules share a row ("web0001,
 * web0002 ... and 37 more"), so identical endpoints never fill pages.
 * Then the endpoints that could not be collected and why, and those
 * collected without enough privilege.
 */
void tsam_render_sec_hosts(struct tsam_render *r)
{
	static const double rel[] = {4.2, 0.8, 0.9, 0.9, 0.9, 0.9};
	static const char al[] = "lrrrrr";
	static const double rel2[] = {3, 4};
	static const char al2[] = "ll";
	json_object *f = r->in->findings, **v;
	json_object *un = get(f, "uncollected");
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_group", "col_count",
					   "col_score", "col_pass",
					   "col_fail",	"col_error"};
	static const char *const head2[] = {"not_collected", "col_state"};
	size_t i, j, n = 0, rows = 0;
	long long band[4] = {0, 0, 0, 0};
	char line[600], nums[4][32], none[96];
	const char *kv[10];

	tsam_render_heading(r, 0, "sec_hosts");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	v = hosts_worst_first(f, &n);
	for (i = 0; v && i < n; i++) {
		double sc = host_score(v[i]);

		band[sc > 100 ? 3 : (sc < 50 ? 0 : (sc < 80 ? 1 : 2))]++;
	}
	tsam_render_plain_int((long long)n, nums[0], sizeof(nums[0]));
	for (j = 0; j < 3; j++)
		tsam_render_plain_int(band[j], nums[j + 1], sizeof(nums[0]));
	none[0] = '\0';
	if (band[3] > 0) {
		char b3[32];
		const char *k2[2] = {"n", b3};

		tsam_render_plain_int(band[3], b3, sizeof(b3));
		tsam_render_subst(msg(r, "hosts_noscore"), k2, 2, none,
				  sizeof(none));
	}
	kv[0] = "n";
	kv[1] = nums[0];
	kv[2] = "low";
	kv[3] = nums[1];
	kv[4] = "mid";
	kv[5] = nums[2];
	kv[6] = "high";
	kv[7] = nums[3];
	kv[8] = "none";
	kv[9] = none;
	if (n > 0) {
		tsam_render_subst(msg(r, "hosts_summary"), kv, 10, line,
				  sizeof(line));
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	}
	for (i = 0; v && i < n; i = j) {
		char sig[1024], sig2[1024], names[320], cell[480], score[32];
		size_t named = 0;

		failing_ids(v[i], sig, sizeof(sig));
		names[0] = '\0';
		add_name(r, names, sizeof(names), &named, NAMES_SHOWN,
			 str_or(v[i], "name", "-"));
		for (j = i + 1; j < n; j++) {
			if (host_score(v[j]) != host_score(v[i]) ||
			    geti(v[j], "counts.pass") !=
				geti(v[i], "counts.pass") ||
			    geti(v[j], "counts.fail") !=
				geti(v[i], "counts.fail") ||
			    geti(v[j], "counts.error") !=
				geti(v[i], "counts.error"))
				break;
			failing_ids(v[j], sig2, sizeof(sig2));
			if (strcmp(sig, sig2) != 0)
				break;
			add_name(r, names, sizeof(names), &named, NAMES_SHOWN,
				 str_or(v[j], "name", "-"));
		}
		if (rows++ >= (size_t)r->tmpl->max_rows)
			continue;
		names_more(r, names, (long long)(j - i - named), cell,
			   sizeof(cell));
		tsam_render_fmt_score(get(v[i], "score"), score, sizeof(score));
		tsam_render_cell(&cs, "%s", cell);
		tsam_render_cell(&cs, "%zu", j - i);
		tsam_render_cell(&cs, "%s", score);
		tsam_render_cell(&cs, "%lld", geti(v[i], "counts.pass"));
		tsam_render_cell(&cs, "%lld", geti(v[i], "counts.fail"));
		tsam_render_cell(&cs, "%lld", geti(v[i], "counts.error"));
	}
	tsam_render_table(r, 6, rel, al, head, cs.v, cs.n / 6, NULL);
	tsam_render_listed_note(r, cs.n / 6, (long long)rows);
	tsam_render_cells_free(&cs);
	n = un ? alen(un) : 0;
	for (i = 0; i < n && i < (size_t)r->tmpl->max_rows; i++) {
		json_object *h = aidx(un, i);

		tsam_render_cell(&cs, "%s", str_or(h, "name", "-"));
		tsam_render_cell(
		    &cs, "%s",
		    tsam_render_word(r, "hs_", tsam_json_str(h, "status")));
	}
	tsam_render_table(r, 2, rel2, al2, head2, cs.v, cs.n / 2, NULL);
	tsam_render_cells_free(&cs);
	limited_hosts(r, get(f, "hosts"));
	free(v);
}

/* ---- the annual health check's summary, sizing advice and plan ---- */

/*
 * "executive": one paragraph (endpoints checked and when, the fleet
 * score and last year's, how many findings and how many critical and
 * high), then the three findings that matter most (cmp_weight: severity
 * weight x endpoints concerned; never an info finding), each with its
 * severity, how many endpoints and what to do.
 */
void tsam_render_sec_executive(struct tsam_render *r)
{
	json_object *f = r->in->findings, **v, *fr = get(f, "fleet_rules");
	json_object *last = get(f, "diff.baseline_score");
	size_t i, k = 0, shown = 0;
	long long nfind = 0, crit = 0, high = 0;
	char date[64], checked[32], score[32], lastw[96], sn[32], cn[32],
	    hn[32], line[1600];
	time_t t;
	const char *kv[14];

	tsam_render_heading(r, 0, "sec_executive");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	v = failing_rules(get(f, "rules"), &k, cmp_weight);
	for (i = 0; i < k; i++) {
		const char *sv = tsam_json_str(v[i], "severity");

		nfind++;
		crit += sv && strcmp(sv, "critical") == 0;
		high += sv && strcmp(sv, "high") == 0;
	}
	for (i = 0; i < alen(fr); i++) {
		json_object *x = aidx(fr, i);
		json_object *rule = rule_by_id(f, tsam_json_str(x, "rule"));
		const char *sv = tsam_json_str(rule, "severity");

		if (strcmp(str_or(x, "result", ""), "fail") != 0)
			continue;
		nfind++;
		crit += sv && strcmp(sv, "critical") == 0;
		high += sv && strcmp(sv, "high") == 0;
	}
	t = collected_at(f);
	if (t >= 0)
		tsam_render_plain_date(r, t, date, sizeof(date));
	else
		snprintf(date, sizeof(date), "-");
	tsam_render_plain_int(geti(f, "fleet.hosts_checked"), checked,
			      sizeof(checked));
	tsam_render_fmt_score(get(f, "fleet.score"), score, sizeof(score));
	lastw[0] = '\0';
	if (last != NULL && !json_object_is_type(last, json_type_null)) {
		char ls[32];
		const char *k2[2] = {"score", ls};

		tsam_render_fmt_score(last, ls, sizeof(ls));
		tsam_render_subst(msg(r, "ex_last_year"), k2, 2, lastw,
				  sizeof(lastw));
	}
	snprintf(sn, sizeof(sn), "%lld", nfind);
	snprintf(cn, sizeof(cn), "%lld", crit);
	snprintf(hn, sizeof(hn), "%lld", high);
	kv[0] = "checked";
	kv[1] = checked;
	kv[2] = "date";
	kv[3] = date;
	kv[4] = "score";
	kv[5] = score;
	kv[6] = "last";
	kv[7] = lastw;
	kv[8] = "n";
	kv[9] = sn;
	kv[10] = "critical";
	kv[11] = cn;
	kv[12] = "high";
	kv[13] = hn;
	tsam_render_subst(msg(r, nfind ? "ex_overview" : "ex_none"), kv, 14,
			  line, sizeof(line));
	tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	if (geti(f, "fleet.hosts_uncollected") > 0) {
		char un[32];
		const char *k2[2] = {"n", un};

		tsam_render_plain_int(geti(f, "fleet.hosts_uncollected"), un,
				      sizeof(un));
		tsam_render_subst(msg(r, "ex_not_collected"), k2, 2, line,
				  sizeof(line));
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	}
	for (i = 0; v && i < k && shown < 3; i++) {
		const char *rec =
		    tsam_json_str(get(v[i], "recommendation"), r->in->lang);
		char idx[8], cnt[32], tot[32];
		const char *k3[10] = {
		    "i",
		    idx,
		    "finding",
		    tsam_render_finding_title(r, v[i]),
		    "severity",
		    tsam_render_word(r, "sevw_", tsam_json_str(v[i], "severity")),
		    "n",
		    cnt,
		    "total",
		    tot};

		if (sev_weight(tsam_json_str(v[i], "severity")) == 0)
			continue; /* information, not a problem to fix */
		if (shown == 0)
			tsam_render_heading(r, 1, "ex_top");
		snprintf(idx, sizeof(idx), "%zu", ++shown);
		tsam_render_plain_int(concerned(v[i]), cnt, sizeof(cnt));
		tsam_render_plain_int(geti(v[i], "counts.pass") +
					  concerned(v[i]) +
					  geti(v[i], "counts.waived"),
				      tot, sizeof(tot));
		tsam_render_subst(msg(r, "ex_item"), k3, 10, line,
				  sizeof(line));
		r->measure_size = r->tmpl->s_h2;
		tsam_render_para(r, line, r->tmpl->s_body * 1.1, ACCENT);
		if (rec)
			tsam_render_para(r, rec, r->tmpl->s_body, BLACK);
	}
	free(v);
}

/* The resources the sizing table shows, as hosts[].resources holds
 * them, with the fact each unit is named after (report_plain.c). */
static const struct {
	const char *key, *label, *unit_fact;
} resources[] = {
    {"cpus", "sz_cpus", "count"},
    {"mem_total_mb", "sz_mem", "x_mb"},
    {"mem_available_mb", "sz_mem_avail", "x_mb"},
    {"load_per_cpu_pct", "sz_load", "x_pct"},
    {"disk_used_pct_max", "sz_disk_used", "x_pct"},
    {"disk_free_mb_min", "sz_disk_free", "x_mb"},
};
#define NRES (sizeof(resources) / sizeof(resources[0]))

static int cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* A resource figure in words: "8 GiB", "96 %", "4". */
static void res_text(const struct tsam_render *r, size_t k, long long v,
		     char *out, size_t n)
{
	json_object *o = json_object_new_int64(v);
	json_object *res = json_object_new_object();

	if (o == NULL || res == NULL) {
		json_object_put(o);
		json_object_put(res);
		snprintf(out, n, "%lld", v);
		return;
	}
	json_object_object_add(res, "observed", o);
	tsam_json_add_str(res, "fact", resources[k].unit_fact);
	tsam_render_plain_observed(r, res, -1, out, n);
	json_object_put(res);
}

/* How tight a host is: the largest of its load per CPU over 100 %, its
 * fullest file system over 90 % and 512 MiB over its free memory. */
static double pressure(json_object *h)
{
	json_object *res = get(h, "resources");
	double p = 0, x;

	if (get(res, "load_per_cpu_pct"))
		p = (double)geti(res, "load_per_cpu_pct") / 100;
	if (get(res, "disk_used_pct_max") &&
	    (x = (double)geti(res, "disk_used_pct_max") / 90) > p)
		p = x;
	if (get(res, "mem_available_mb") &&
	    (x = 512.0 / (double)(geti(res, "mem_available_mb") + 1)) > p)
		p = x;
	return p;
}

static int cmp_pressure(const void *a, const void *b)
{
	double x = pressure(*(json_object *const *)a),
	       y = pressure(*(json_object *const *)b);

	if (x != y)
		return x < y ? 1 : -1;
	return worst_first(a, b);
}

/* The resource table: lowest, median, highest and how many endpoints
 * were measured, per resource of hosts[].resources. */
static size_t sizing_table(struct tsam_render *r, json_object **hosts,
			   size_t nh, size_t *measured)
{
	static const double rel[] = {3.2, 1.2, 1.2, 1.2, 1.3};
	static const char al[] = "lrrrr";
	static const char *const head[] = {"col_resource", "col_lowest",
					   "col_median", "col_highest",
					   "col_measured"};
	struct tsam_render_cells cs = {0};
	long long *vals = calloc(nh ? nh : 1, sizeof(*vals));
	size_t k, h, m, any = 0;

	for (k = 0; vals && k < NRES; k++) {
		char lo[64], md[64], hi[64], cnt[32];

		for (h = 0, m = 0; h < nh; h++) {
			json_object *res = get(hosts[h], "resources");

			if (get(res, resources[k].key))
				vals[m++] = geti(res, resources[k].key);
		}
		measured[k] = m;
		if (m == 0)
			continue;
		any++;
		qsort(vals, m, sizeof(*vals), cmp_ll);
		res_text(r, k, vals[0], lo, sizeof(lo));
		res_text(r, k, vals[(m - 1) / 2], md, sizeof(md));
		res_text(r, k, vals[m - 1], hi, sizeof(hi));
		tsam_render_plain_int((long long)m, cnt, sizeof(cnt));
		tsam_render_cell(&cs, "%s", msg(r, resources[k].label));
		tsam_render_cell(&cs, "%s", lo);
		tsam_render_cell(&cs, "%s", md);
		tsam_render_cell(&cs, "%s", hi);
		tsam_render_cell(&cs, "%s", cnt);
	}
	tsam_render_table(r, 5, rel, al, head, cs.v, cs.n / 5, NULL);
	tsam_render_cells_free(&cs);
	free(vals);
	return any;
}

/* Advice for each capacity or performance rule that failed: the problem,
 * how many endpoints and the worst of them, what to do; and for each
 * fleet capacity rule that failed (update locations and servers), what
 * the sizing table allows and what was found. Returns how many. */
static size_t sizing_advice(struct tsam_render *r, json_object *f,
			    json_object **hosts, size_t nh)
{
	json_object **v, *fr = get(f, "fleet_rules");
	size_t i, h, k = 0, said = 0;
	char line[2000];

	v = failing_rules(get(f, "rules"), &k, cmp_weight);
	for (i = 0; v && i < k; i++) {
		const char *cat = str_or(v[i], "category", "");
		const char *id = tsam_json_str(v[i], "id");
		char names[320], who[480], cnt[32];
		size_t named = 0;
		const char *kv[8];

		if (strcmp(cat, "capacity") && strcmp(cat, "performance"))
			continue;
		names[0] = '\0';
		for (h = 0; id && h < nh && named < NAMES_SHOWN; h++)
			if (failing_result(hosts[h], id) != NULL)
				add_name(r, names, sizeof(names), &named,
					 NAMES_SHOWN,
					 str_or(hosts[h], "name", "-"));
		names_more(r, names, concerned(v[i]) - (long long)named, who,
			   sizeof(who));
		tsam_render_plain_int(concerned(v[i]), cnt, sizeof(cnt));
		kv[0] = "finding";
		kv[1] = tsam_render_finding_title(r, v[i]);
		kv[2] = "n";
		kv[3] = cnt;
		kv[4] = "hosts";
		kv[5] = who;
		kv[6] = "rec";
		kv[7] = str_or(get(v[i], "recommendation"), r->in->lang, "");
		if (said++ == 0)
			tsam_render_heading(r, 1, "sz_advice");
		tsam_render_subst(msg(r, "sz_advice_item"), kv, 8, line,
				  sizeof(line));
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	}
	free(v);
	for (i = 0; i < alen(fr); i++) {
		json_object *x = aidx(fr, i);
		json_object *rule = rule_by_id(f, tsam_json_str(x, "rule"));
		const char *rec =
		    tsam_json_str(get(rule, "recommendation"), r->in->lang);
		char obs[1024], exp[400];

		if (strcmp(str_or(x, "type", ""), "capacity") != 0 ||
		    strcmp(str_or(x, "result", ""), "fail") != 0 ||
		    rule == NULL)
			continue;
		fleet_observed(r, x, true, obs, sizeof(obs));
		fleet_expected(r, x, exp, sizeof(exp));
		if (said++ == 0)
			tsam_render_heading(r, 1, "sz_advice");
		snprintf(line, sizeof(line), "%s: %s — %s. %s",
			 tsam_render_finding_title(r, rule), exp, obs,
			 rec ? rec : "");
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	}
	return said;
}

/*
 * "sizing": what the endpoints have and use (hosts[].resources: CPUs,
 * memory, memory available, load per CPU, the fullest file system, the
 * least free space) as lowest, median and highest; every capacity and
 * performance check with how many endpoints meet it; the sizing advice
 * for those that failed (or, when none did, that no hardware change is
 * needed); the endpoints with the least headroom; and what could not be
 * measured, so a blank is never read as "fine".
 */
void tsam_render_sec_sizing(struct tsam_render *r)
{
	static const double rel[] = {4.4, 1, 1, 1.1};
	static const char al[] = "lrrr";
	static const char *const head[] = {"col_check", "col_meets",
					   "col_short", "col_unmeasured"};
	static const double rel2[] = {2.6, 0.8, 1.1, 1.1, 1, 1.1};
	static const char al2[] = "lrrrrr";
	static const char *const head2[] = {"col_host", "col_cpus",
					    "col_mem",	"col_avail",
					    "col_load", "col_disk"};
	json_object *f = r->in->findings, *rules = get(f, "rules"), **hosts;
	struct tsam_render_cells cs = {0};
	size_t measured[NRES], i, nh = 0, k;
	char line[800], a[32], b[32];
	const char *kv[6];

	tsam_render_heading(r, 0, "sec_sizing");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	hosts = hosts_worst_first(f, &nh);
	tsam_render_para(r, msg(r, "sz_intro"), r->tmpl->s_body, BLACK);
	if (sizing_table(r, hosts, nh, measured) == 0)
		tsam_render_para(r, msg(r, "sz_none"), r->tmpl->s_body, GREY);
	/* every capacity and performance check, passing or not */
	for (i = 0; i < alen(rules); i++) {
		json_object *x = aidx(rules, i);
		const char *cat = str_or(x, "category", "");

		if ((strcmp(cat, "capacity") && strcmp(cat, "performance")) ||
		    strcmp(str_or(x, "scope", "host"), "fleet") == 0)
			continue;
		tsam_render_cell(&cs, "%s",
				 str_or(get(x, "title"), r->in->lang, "-"));
		tsam_render_cell(&cs, "%lld",
				 geti(x, "counts.pass") +
				     geti(x, "counts.waived"));
		tsam_render_cell(&cs, "%lld", concerned(x));
		tsam_render_cell(&cs, "%lld", geti(x, "counts.not_applicable"));
	}
	if (cs.n > 0) {
		tsam_render_heading(r, 1, "sz_checks");
		tsam_render_table(r, 4, rel, al, head, cs.v, cs.n / 4, NULL);
	}
	tsam_render_cells_free(&cs);
	if (sizing_advice(r, f, hosts, nh) == 0 && nh > 0)
		tsam_render_para(r, msg(r, "sz_ok"), r->tmpl->s_body, BLACK);
	/* what was not measured: never a silent blank */
	for (k = 0; k < NRES; k++) {
		const char *what =
		    strcmp(resources[k].key, "disk_used_pct_max") == 0
			? "sz_what_disk"
		    : strcmp(resources[k].key, "load_per_cpu_pct") == 0
			? "sz_what_load"
			: NULL;

		if (what == NULL || measured[k] >= nh)
			continue;
		tsam_render_plain_int((long long)(nh - measured[k]), a,
				      sizeof(a));
		tsam_render_plain_int((long long)nh, b, sizeof(b));
		kv[0] = "what";
		kv[1] = msg(r, what);
		kv[2] = "n";
		kv[3] = a;
		kv[4] = "total";
		kv[5] = b;
		tsam_render_subst(msg(r, "sz_unmeasured"), kv, 6, line,
				  sizeof(line));
		tsam_render_para(r, line, r->tmpl->s_small, GREY);
	}
	/* the least headroom: where growth will hurt first */
	if (hosts != NULL && nh > 0)
		qsort(hosts, nh, sizeof(*hosts), cmp_pressure);
	for (i = 0; hosts && i < nh && cs.n / 6 < 5; i++) {
		json_object *res = get(hosts[i], "resources");
		char c[NRES][64];

		if (res == NULL)
			continue;
		/* CPUs, memory, available, load, fullest file system */
		for (k = 0; k < 5; k++) {
			if (get(res, resources[k].key))
				res_text(r, k, geti(res, resources[k].key),
					 c[k], sizeof(c[k]));
			else
				snprintf(c[k], sizeof(c[k]), "-");
		}
		tsam_render_cell(&cs, "%s", str_or(hosts[i], "name", "-"));
		tsam_render_cell(&cs, "%s", c[0]);
		tsam_render_cell(&cs, "%s", c[1]);
		tsam_render_cell(&cs, "%s", c[2]);
		tsam_render_cell(&cs, "%s", c[3]);
		tsam_render_cell(&cs, "%s", c[4]);
	}
	if (cs.n > 0) {
		tsam_render_heading(r, 1, "sz_tightest");
		tsam_render_table(r, 6, rel2, al2, head2, cs.v, cs.n / 6, NULL);
	}
	tsam_render_cells_free(&cs);
	free(hosts);
}

/*
 * "remediation": the plan the customer fills in: every failing finding,
 * the most important first (cmp_weight), then the fleet-wide ones, with
 * severity and endpoints concerned, and empty cells for the owner and the
 * due date.
 */
void tsam_render_sec_remediation(struct tsam_render *r)
{
	static const double rel[] = {0.5, 3.7, 1.2, 1.1, 1.7, 1.6};
	static const char al[] = "rlllll";
	static const char *const head[] = {"col_no",	   "col_finding",
					   "col_severity", "col_endpoints",
					   "col_owner",	   "col_due_date"};
	json_object *f = r->in->findings, **v, *fr = get(f, "fleet_rules");
	struct tsam_render_cells cs = {0};
	size_t i, k = 0, no = 0;

	tsam_render_heading(r, 0, "sec_remediation");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	tsam_render_para(r, msg(r, "rp_intro"), r->tmpl->s_body, BLACK);
	v = failing_rules(get(f, "rules"), &k, cmp_weight);
	for (i = 0; v && i < k; i++) {
		char cnt[32];

		tsam_render_plain_int(concerned(v[i]), cnt, sizeof(cnt));
		tsam_render_cell(&cs, "%zu", ++no);
		tsam_render_cell(&cs, "%s", tsam_render_finding_title(r, v[i]));
		tsam_render_cell(
		    &cs, "%s",
		    tsam_render_word(r, "sevw_",
				     tsam_json_str(v[i], "severity")));
		tsam_render_cell(&cs, "%s", cnt);
		tsam_render_cell(&cs, "%s", "");
		tsam_render_cell(&cs, "%s", "");
	}
	free(v);
	for (i = 0; i < alen(fr); i++) {
		json_object *x = aidx(fr, i);
		json_object *rule = rule_by_id(f, tsam_json_str(x, "rule"));

		if (strcmp(str_or(x, "result", ""), "fail") != 0 ||
		    rule == NULL)
			continue;
		tsam_render_cell(&cs, "%zu", ++no);
		tsam_render_cell(&cs, "%s", tsam_render_finding_title(r, rule));
		tsam_render_cell(
		    &cs, "%s",
		    tsam_render_word(r, "sevw_",
				     tsam_json_str(rule, "severity")));
		tsam_render_cell(&cs, "%s", msg(r, "col_fleet"));
		tsam_render_cell(&cs, "%s", "");
		tsam_render_cell(&cs, "%s", "");
	}
	tsam_render_table(r, 6, rel, al, head, cs.v, cs.n / 6, "none_any");
	tsam_render_cells_free(&cs);
}
