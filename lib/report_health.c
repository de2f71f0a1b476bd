/*
 * report_health.c - the sections drawn from tsam-check's findings.json:
 * the quarterly review's health-check overview ("health": score, hosts,
 * failures by category, the worst failing rules and what to do first),
 * and the annual health check's rules in detail with the endpoints
 * concerned, fleet-wide rules, the diff with last year, waivers, and
 * every endpoint (with those collected without enough privilege).
 *
 * Failing rules are listed worst first (cmp_rules: severity, then
 * failures, then id) in both sections that list them. Without
 * findings.json each section says so in a note. Calls check.h (a host's
 * results), report_draw.c, report_format.c; called by report.c.
 */
#include "report_int.h"

#include "check.h"

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
		const char *title =
		    tsam_json_str(get(v[i], "title"), r->in->lang);

		tsam_render_cell(&cs, "%s", str_or(v[i], "id", "-"));
		tsam_render_cell(&cs, "%s", title ? title : "");
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
			 str_or(v[i], "id", "-"), rec);
		tsam_render_para(r, line, r->tmpl->s_body, BLACK);
	}
	free(v);
}

/* The observed values of a result: every member but the bookkeeping. */
static void observed(json_object *res, char *out, size_t n)
{
	json_object *ob;
	size_t o = 0;

	out[0] = '\0';
	if (!json_object_is_type(res, json_type_object))
		return;
	/* the observed value says it; the fact is the rule's */
	if (json_object_object_get_ex(res, "observed", &ob)) {
		const char *s = json_object_is_type(ob, json_type_string)
				    ? json_object_get_string(ob)
				    : json_object_to_json_string_ext(
					  ob, JSON_C_TO_STRING_PLAIN);

		snprintf(out, n, "%s", s ? s : "null");
		return;
	}
	json_object_object_foreach(res, k, v)
	{
		const char *s;

		if (strcmp(k, "rule") == 0 || strcmp(k, "result") == 0 ||
		    strcmp(k, "expected") == 0 || strcmp(k, "waiver") == 0)
			continue;
		s = json_object_is_type(v, json_type_string)
			? json_object_get_string(v)
			: json_object_to_json_string_ext(
			      v, JSON_C_TO_STRING_PLAIN);
		o += (size_t)snprintf(out + o, n - o, "%s%s=%s", o ? ", " : "",
				      k, s ? s : "null");
		if (o >= n)
			break; /* cut: out holds what fit */
	}
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

/* "rules_detail": each rule failing or in error, worst first: title,
 * severity, category, why and what to do, then the endpoints concerned
 * with what was observed and expected (max_rows each). */
void tsam_render_sec_rules_detail(struct tsam_render *r)
{
	static const double rel[] = {1.6, 0.9, 3.2, 2.6};
	static const char al[] = "llll";
	json_object *f = r->in->findings, *rules = get(f, "rules");
	json_object *hosts = get(f, "hosts"), **v;
	size_t i, n = rules ? alen(rules) : 0, k = 0, h;
	static const char *const head[] = {"col_host", "col_result",
					   "col_observed", "col_expected"};

	tsam_render_heading(r, 0, "sec_rules_detail");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	v = calloc(n ? n : 1, sizeof(*v));
	for (i = 0; v && i < n; i++) {
		json_object *x = aidx(rules, i);

		if (geti(x, "counts.fail") + geti(x, "counts.error") > 0)
			v[k++] = x;
	}
	if (v)
		qsort(v, k, sizeof(*v), cmp_rules);
	if (k == 0)
		tsam_render_para(r, msg(r, "none_any"), r->tmpl->s_body, GREY);
	for (i = 0; i < k; i++) {
		json_object *x = v[i];
		const char *id = tsam_json_str(x, "id");
		const char *title = tsam_json_str(get(x, "title"), r->in->lang);
		const char *why =
		    tsam_json_str(get(x, "rationale"), r->in->lang);
		const char *rec =
		    tsam_json_str(get(x, "recommendation"), r->in->lang);
		char line[1024], a[32], b[32], meta[1400];
		const char *kv[4];
		struct tsam_render_cells cs = {0};
		size_t rows = 0;

		tsam_render_need(r, r->tmpl->s_h2 * 8);
		snprintf(line, sizeof(line), "%s  %s", id ? id : "",
			 title ? title : "");
		r->measure_size = r->tmpl->s_h2;
		tsam_render_para(r, line, r->tmpl->s_h2, ACCENT);
		snprintf(a, sizeof(a), "%lld",
			 geti(x, "counts.fail") + geti(x, "counts.error"));
		snprintf(b, sizeof(b), "%lld",
			 geti(x, "counts.pass") + geti(x, "counts.fail") +
			     geti(x, "counts.error") +
			     geti(x, "counts.waived"));
		kv[0] = "fail";
		kv[1] = a;
		kv[2] = "total";
		kv[3] = b;
		tsam_render_subst(msg(r, "failing_on"), kv, 4, line,
				  sizeof(line));
		snprintf(
		    meta, sizeof(meta), "%s · %s · %s",
		    tsam_render_word(r, "sevw_", tsam_json_str(x, "severity")),
		    tsam_render_word(r, "cat_", tsam_json_str(x, "category")),
		    line);
		tsam_render_para(r, meta, r->tmpl->s_small, GREY);
		if (why) {
			snprintf(line, sizeof(line), "%s: %s", msg(r, "why"),
				 why);
			tsam_render_para(r, line, r->tmpl->s_body, BLACK);
		}
		if (rec) {
			snprintf(line, sizeof(line), "%s: %s",
				 msg(r, "recommendation"), rec);
			tsam_render_para(r, line, r->tmpl->s_body, BLACK);
		}
		for (h = 0; hosts && h < alen(hosts); h++) {
			json_object *host = aidx(hosts, h);
			json_object *res = tsam_findings_expand_results(host);
			size_t j;

			for (j = 0; res && j < alen(res); j++) {
				json_object *e = aidx(res, j);
				const char *w = tsam_json_str(e, "result");
				char obs[512];

				if (!id || !tsam_json_str(e, "rule") ||
				    strcmp(tsam_json_str(e, "rule"), id) != 0 ||
				    !w ||
				    (strcmp(w, "fail") != 0 &&
				     strcmp(w, "error") != 0))
					continue;
				if (rows++ >= (size_t)r->tmpl->max_rows)
					continue;
				if (tsam_json_str(e, "reason") != NULL)
					snprintf(obs, sizeof(obs), "%s",
						 msg(r, "obs_privilege"));
				else
					observed(e, obs, sizeof(obs));
				tsam_render_cell(&cs, "%s",
						 str_or(host, "name", "-"));
				tsam_render_cell(
				    &cs, "%s", tsam_render_word(r, "res_", w));
				tsam_render_cell(&cs, "%s", obs[0] ? obs : "-");
				tsam_render_cell(
				    &cs, "%s",
				    tsam_json_str(e, "expected")
					? tsam_json_str(e, "expected")
					: "-");
			}
		}
		tsam_render_table(r, 4, rel, al, head, cs.v, cs.n / 4, NULL);
		tsam_render_listed_note(r, cs.n / 4, (long long)rows);
		tsam_render_cells_free(&cs);
	}
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
		const char *title =
		    tsam_json_str(get(rule, "title"), r->in->lang);
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

/* "hosts": every endpoint's score and counts, the endpoints that could
 * not be collected and why, then those collected without privilege. */
void tsam_render_sec_hosts(struct tsam_render *r)
{
	static const double rel[] = {3, 1, 1, 1, 1};
	static const char al[] = "lrrrr";
	static const double rel2[] = {3, 4};
	static const char al2[] = "ll";
	json_object *f = r->in->findings, *hosts = get(f, "hosts");
	json_object *un = get(f, "uncollected");
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_host", "col_score", "col_pass",
					   "col_fail", "col_error"};
	static const char *const head2[] = {"not_collected", "col_state"};
	size_t i, n = hosts ? alen(hosts) : 0;

	tsam_render_heading(r, 0, "sec_hosts");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	for (i = 0; i < n && i < (size_t)r->tmpl->max_rows; i++) {
		json_object *h = aidx(hosts, i);
		json_object *sc = get(h, "score");

		char score[32];

		tsam_render_fmt_score(sc, score, sizeof(score));
		tsam_render_cell(&cs, "%s", str_or(h, "name", "-"));
		tsam_render_cell(&cs, "%s", score);
		tsam_render_cell(&cs, "%lld", geti(h, "counts.pass"));
		tsam_render_cell(&cs, "%lld", geti(h, "counts.fail"));
		tsam_render_cell(&cs, "%lld", geti(h, "counts.error"));
	}
	tsam_render_table(r, 5, rel, al, head, cs.v, cs.n / 5, NULL);
	tsam_render_listed_note(r, cs.n / 5, (long long)n);
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
	limited_hosts(r, hosts);
}
