/*
 * report_health.c - the sections drawn from tsam-check's findings.json
 * about the findings themselves: the quarterly review's health-check
 * overview ("health": score, hosts, failures by category, the worst
 * failing rules and what to do first), findings in detail (the problem
 * found, what was expected and observed in plain words, why, what to do,
 * references, the endpoints concerned grouped by what was observed, worst
 * first), fleet-wide rules, the diff with last year, waivers, and every
 * endpoint worst first (with those collected without enough privilege).
 * The annual health check's own sections (executive summary, sizing and
 * capacity, remediation plan) are report_sizing.c's.
 *
 * Failing rules are titled by their finding (the problem found), never
 * by their passing condition, and listed worst first
 * (tsam_render_cmp_rules: severity, then failures, then id); endpoints
 * worst first (tsam_render_worst_first: score, then failures, then name).
 * Without findings.json each section says so in a note. Calls findings
 * (a host's results), report_draw.c, report_findings.c, report_format.c,
 * report_plain.c; called by report.c.
 */
#include "report_int.h"

#include "findings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
		int sv = tsam_render_sev_rank(tsam_json_str(x, "severity"));

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
	size_t i, k = 0;
	char buf[64];

	json_object *score;

	tsam_render_heading(r, 0, "sec_health");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	tsam_render_fmt_score(get(f, "fleet.score"), buf, sizeof(buf));
	tsam_render_kv_row(r, msg(r, "k_score"), buf);
	/* when the figures were collected (a review may show a health check
	 * made in another quarter) */
	if (tsam_render_collected_at(f) >= 0) {
		tsam_render_plain_date(r, tsam_render_collected_at(f), buf,
				       sizeof(buf));
		tsam_render_kv_row(r, msg(r, "hc_collected_on"), buf);
	}
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
	/* the failing rules in the order every list of findings uses */
	v = tsam_render_failing_rules(rules, &k, tsam_render_cmp_rules);
	for (i = 0; i < k && i < (size_t)r->tmpl->max_rows; i++) {
		tsam_render_cell(&cs, "%s", str_or(v[i], "id", "-"));
		tsam_render_cell(&cs, "%s", tsam_render_finding_title(r, v[i]));
		tsam_render_cell(
		    &cs, "%s",
		    tsam_render_word(r, "sevw_",
				     tsam_json_str(v[i], "severity")));
		tsam_render_cell(&cs, "%lld", tsam_render_concerned(v[i]));
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

#define MAX_GROUPS   64 /* distinct observations kept per rule */
#define GROUPS_SHOWN 8	/* of them listed */
#define MAX_EXPECTS  4	/* distinct expectations per rule */
/* endpoints named per observation in a finding's detail: enough to act
 * on; the rest are counted and all are in the endpoint list */
#define NAMES_DETAIL 12

/* The endpoints of one rule that showed the same thing. */
struct obs_group {
	char text[320];	  /* what was observed, in words */
	char names[1024]; /* the first NAMES_DETAIL, worst first */
	size_t named;
	long long count;
};

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
	const char *colon = is_ja(r) ? "：" : ": ";

	if (g == NULL || id == NULL) {
		free(g);
		return;
	}
	tsam_render_need(r, r->tmpl->s_h2 * 8);
	r->measure_size = r->tmpl->s_h2;
	tsam_render_para(r, tsam_render_finding_title(r, x), r->tmpl->s_h2,
			 ACCENT);
	tsam_render_plain_int(tsam_render_concerned(x), a, sizeof(a));
	tsam_render_plain_int(geti(x, "counts.pass") +
				  tsam_render_concerned(x) +
				  geti(x, "counts.waived"),
			      b, sizeof(b));
	kv[0] = "fail";
	kv[1] = a;
	kv[2] = "total";
	kv[3] = b;
	tsam_render_subst(msg(r, "failing_on"), kv, 4, line, sizeof(line));
	/* "・" between the parts in Japanese, " · " in English */
	snprintf(meta, sizeof(meta),
		 is_ja(r) ? "%s・%s・%s・%s" : "%s · %s · %s · %s", id,
		 tsam_render_word(r, "sevw_", tsam_json_str(x, "severity")),
		 tsam_render_word(r, "cat_", tsam_json_str(x, "category")),
		 line);
	tsam_render_para(r, meta, r->tmpl->s_small, GREY);
	/* the endpoints, worst first, grouped by what they showed */
	for (h = 0; h < nhosts; h++) {
		json_object *e = tsam_render_failing_result(hosts[h], id);
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
		tsam_render_add_name(r, g[i].names, sizeof(g[i].names),
				     &g[i].named, NAMES_DETAIL,
				     str_or(hosts[h], "name", "-"));
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
	/* the references a customer can open: web addresses; the others
	 * (source files, notes on where a fact comes from) are the rule's
	 * provenance, for engineers, in findings.json */
	{
		size_t o = (size_t)snprintf(line, sizeof(line), "%s%s",
					    msg(r, "references"), colon),
		       start = o, shown = 0;

		for (i = 0; i < alen(refs) && o < sizeof(line); i++) {
			const char *ref = json_object_get_string(aidx(refs, i));

			if (ref == NULL || strncmp(ref, "https://", 8) != 0)
				continue;
			o += (size_t)snprintf(line + o, sizeof(line) - o,
					      "%s%s", shown++ ? "; " : "", ref);
		}
		if (o > start)
			tsam_render_para(r, line, r->tmpl->s_small, GREY);
	}
	for (i = 0; i < ng && i < GROUPS_SHOWN; i++) {
		char names[1400], num[32];
		const char *kv2[4] = {"names", g[i].names, "n", num};

		if (g[i].count > (long long)g[i].named) {
			tsam_render_plain_int(g[i].count -
						  (long long)g[i].named,
					      num, sizeof(num));
			tsam_render_subst(msg(r, "hosts_more_all"), kv2, 4,
					  names, sizeof(names));
		} else {
			snprintf(names, sizeof(names), "%s", g[i].names);
		}
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
 * (tsam_render_cmp_rules), in detail (rule_detail). */
void tsam_render_sec_rules_detail(struct tsam_render *r)
{
	json_object *f = r->in->findings, **v, **hosts;
	size_t i, k = 0, nh = 0;

	tsam_render_heading(r, 0, "sec_rules_detail");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	v = tsam_render_failing_rules(get(f, "rules"), &k,
				      tsam_render_cmp_rules);
	hosts = tsam_render_hosts_worst_first(f, &nh);
	if (k == 0)
		tsam_render_para(r, msg(r, "none_any"), r->tmpl->s_body, GREY);
	for (i = 0; v && i < k; i++)
		rule_detail(r, v[i], hosts, nh, tsam_render_collected_at(f));
	free(hosts);
	free(v);
}

/*
 * Fleet-wide rules: a table (rule, title, result, what was observed), then
 * for each rule that failed a note with what it expects and what was
 * found, wrapped (a location or a list of versions does not fit a cell).
 */
void tsam_render_sec_fleet_rules(struct tsam_render *r)
{
	static const double rel[] = {1.8, 3.9, 0.8, 1.7};
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
		json_object *rule =
		    tsam_render_rule_by_id(f, tsam_json_str(x, "rule"));
		const char *res = tsam_json_str(x, "result");
		/* a failure reads as the problem found */
		const char *title =
		    res && strcmp(res, "fail") == 0 && rule
			? tsam_render_finding_title(r, rule)
			: tsam_json_str(get(rule, "title"), r->in->lang);
		char obs[64];

		tsam_render_fleet_observed(r, x, false, obs, sizeof(obs));
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
		tsam_render_fleet_observed(r, x, true, obs, sizeof(obs));
		tsam_render_fleet_expected(r, x, exp, sizeof(exp));
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

/* Bytes of a host's failing checks kept to compare and show. */
#define HOST_SIG 480

/* The ids of the rules a host failed or erred on, in the order of its
 * results ("A, B"), cut to fit: endpoints with the same are alike. */
static void failing_ids(json_object *host, char *out, size_t n)
{
	json_object *res = tsam_findings_expand_results(host);
	size_t j, o = 0;

	out[0] = '\0';
	for (j = 0; res && j < alen(res) && o < n; j++) {
		json_object *e = aidx(res, j);
		const char *w = tsam_json_str(e, "result");

		if (w && (strcmp(w, "fail") == 0 || strcmp(w, "error") == 0))
			o += (size_t)snprintf(out + o, n - o, "%s%s",
					      o ? ", " : "",
					      str_or(e, "rule", "?"));
	}
}

/* What makes endpoints alike in the endpoint list: same score, failures
 * and failing checks (checks that pass may differ with the products
 * installed); pos, its place worst first. */
struct host_key {
	size_t pos;
	double score;
	long long fail, error;
	const char *sig;
};

static int cmp_alike_key(const struct host_key *a, const struct host_key *b)
{
	if (a->score != b->score)
		return a->score < b->score ? -1 : 1;
	if (a->fail != b->fail)
		return a->fail < b->fail ? -1 : 1;
	if (a->error != b->error)
		return a->error < b->error ? -1 : 1;
	return strcmp(a->sig, b->sig);
}

/* Alike endpoints together, each set in worst-first order. */
static int cmp_alike(const void *a, const void *b)
{
	const struct host_key *x = a, *y = b;
	int c = cmp_alike_key(x, y);

	if (c != 0)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/*
 * "hosts": every endpoint worst first (tsam_render_worst_first), summarised: a
 * line with how many score below 50, from 50 to 79 and 80 or more; endpoints
 * with the same score and failing checks share a row, wherever they stand
 * ("web0001, web0002 ... and 37 more", the checks they fail), so alike
 * endpoints never fill pages.
 * Then the endpoints that could not be collected and why, and those
 * collected without enough privilege.
 */
void tsam_render_sec_hosts(struct tsam_render *r)
{
	static const double rel[] = {3.4, 0.7, 0.7, 0.7, 3.2};
	static const char al[] = "lrrrl";
	static const double rel2[] = {3, 4};
	static const char al2[] = "ll";
	json_object *f = r->in->findings, **v;
	json_object *un = get(f, "uncollected");
	struct tsam_render_cells cs = {0};
	static const char *const head[] = {"col_group", "col_count",
					   "col_score", "col_fail",
					   "col_failing_checks"};
	static const char *const head2[] = {"not_collected", "col_state"};
	size_t i, j, n = 0, rows = 0;
	long long band[4] = {0, 0, 0, 0};
	struct host_key *keys;
	size_t *run_of, k;
	char *sigs;
	char line[600], nums[4][32], none[96];
	const char *kv[10];

	tsam_render_heading(r, 0, "sec_hosts");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	v = tsam_render_hosts_worst_first(f, &n);
	for (i = 0; v && i < n; i++) {
		double sc = tsam_render_host_score(v[i]);

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
		/* what a score is (docs/rules.md, "Score") */
		tsam_render_para(r, msg(r, "score_explained"), r->tmpl->s_small,
				 GREY);
	}
	keys = v && n > 0 ? calloc(n, sizeof(*keys)) : NULL;
	sigs = v && n > 0 ? calloc(n, HOST_SIG) : NULL;
	run_of = v && n > 0 ? calloc(n, sizeof(*run_of)) : NULL;
	for (i = 0; keys && sigs && run_of && i < n; i++) {
		keys[i].pos = i;
		keys[i].score = tsam_render_host_score(v[i]);
		keys[i].fail = geti(v[i], "counts.fail");
		keys[i].error = geti(v[i], "counts.error");
		keys[i].sig = sigs + i * HOST_SIG;
		failing_ids(v[i], sigs + i * HOST_SIG, HOST_SIG);
	}
	/* a row per set of alike endpoints (same score, failures and failing
	 * checks) wherever they stand: sorted by those, each set is a run
	 * led by its worst-placed endpoint, and the rows follow the
	 * worst-first order of their leaders - O(n log n), not a scan of
	 * the fleet per set */
	if (keys && sigs && run_of) {
		qsort(keys, n, sizeof(*keys), cmp_alike);
		for (i = 0; i < n; i = j) {
			for (j = i + 1;
			     j < n && cmp_alike_key(&keys[i], &keys[j]) == 0;
			     j++)
				;
			for (k = i; k < j; k++)
				run_of[keys[k].pos] = i;
		}
	}
	for (i = 0; keys && sigs && run_of && i < n; i++) {
		char names[320], cell[480], score[32];
		size_t named = 0, count = 0, first = run_of[i];

		if (keys[first].pos != i)
			continue; /* not its set's leader: listed with it */
		names[0] = '\0';
		for (k = first; k < n && run_of[keys[k].pos] == first; k++) {
			count++;
			tsam_render_add_name(
			    r, names, sizeof(names), &named,
			    TSAM_RENDER_NAMES_SHOWN,
			    str_or(v[keys[k].pos], "name", "-"));
		}
		if (rows++ >= (size_t)r->tmpl->max_rows)
			continue;
		tsam_render_names_more(r, names, (long long)(count - named),
				       cell, sizeof(cell));
		tsam_render_fmt_score(get(v[i], "score"), score, sizeof(score));
		tsam_render_cell(&cs, "%s", cell);
		tsam_render_cell(&cs, "%zu", count);
		tsam_render_cell(&cs, "%s", score);
		tsam_render_cell(&cs, "%lld", tsam_render_concerned(v[i]));
		tsam_render_cell(
		    &cs, "%s", sigs[i * HOST_SIG] ? sigs + i * HOST_SIG : "-");
	}
	free(run_of);
	free(sigs);
	free(keys);
	tsam_render_table(r, 5, rel, al, head, cs.v, cs.n / 5, NULL);
	tsam_render_listed_note(r, cs.n / 5, (long long)rows);
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
