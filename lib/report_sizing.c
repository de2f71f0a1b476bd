/*
 * report_sizing.c - the annual health check's own sections, drawn from
 * tsam-check's findings.json: the executive summary (the three findings
 * that matter most), sizing and capacity advice from the hosts' resources,
 * and the remediation plan the customer fills in. The findings in detail,
 * fleet rules, diff, waivers and endpoints are report_health.c's.
 *
 * Where the most important come first (summary, advice, plan), failing
 * rules are ordered by tsam_render_cmp_rules (severity weight x endpoints
 * concerned); endpoints with the least headroom by cmp_pressure. Without
 * findings.json each section says so in a note. Calls check.h (the
 * severity weights), report_draw.c, report_findings.c, report_format.c,
 * report_plain.c; called by report.c.
 */
#include "report_int.h"

#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The weight of a severity name in the score (check.h), 0 if unknown. */
static int sev_weight(const char *s)
{
	int k = tsam_render_sev_rank(s);

	return k < 5 ? tsam_check_weight((enum tsam_severity)(4 - k)) : 0;
}

/* Whether fleet result x is a finding of its own: a share rule ("95 %
 * of the endpoints pass X") restates the host rule X, which is counted
 * and listed already. */
static bool fleet_finding(json_object *x)
{
	return strcmp(str_or(x, "result", ""), "fail") == 0 &&
	       strcmp(str_or(x, "type", ""), "share") != 0;
}

/*
 * "executive": one paragraph (endpoints checked and when, the fleet
 * score and last year's, how many findings and how many critical and
 * high: failing host rules and the fleet findings of their own), then
 * the three findings that matter most (tsam_render_cmp_rules: the most severe,
 * then the most endpoints; never an info finding), each with its
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
	v = tsam_render_failing_rules(get(f, "rules"), &k,
				      tsam_render_cmp_rules);
	for (i = 0; i < k; i++) {
		const char *sv = tsam_json_str(v[i], "severity");

		nfind++;
		crit += sv && strcmp(sv, "critical") == 0;
		high += sv && strcmp(sv, "high") == 0;
	}
	for (i = 0; i < alen(fr); i++) {
		json_object *x = aidx(fr, i);
		json_object *rule =
		    tsam_render_rule_by_id(f, tsam_json_str(x, "rule"));
		const char *sv = tsam_json_str(rule, "severity");

		if (!fleet_finding(x))
			continue;
		nfind++;
		crit += sv && strcmp(sv, "critical") == 0;
		high += sv && strcmp(sv, "high") == 0;
	}
	t = tsam_render_collected_at(f);
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
		tsam_render_plain_int(tsam_render_concerned(v[i]), cnt,
				      sizeof(cnt));
		tsam_render_plain_int(geti(v[i], "counts.pass") +
					  tsam_render_concerned(v[i]) +
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
static double pressure(json_object *h, double *sum)
{
	json_object *res = get(h, "resources");
	double p = 0, x;

	*sum = 0;
	if (get(res, "load_per_cpu_pct")) {
		p = (double)geti(res, "load_per_cpu_pct") / 100;
		*sum += p;
	}
	if (get(res, "disk_used_pct_max")) {
		x = (double)geti(res, "disk_used_pct_max") / 90;
		*sum += x;
		if (x > p)
			p = x;
	}
	if (get(res, "mem_available_mb")) {
		x = 512.0 / (double)(geti(res, "mem_available_mb") + 1);
		*sum += x;
		if (x > p)
			p = x;
	}
	return p;
}

/* The tightest resource first; between equals, the most pressed overall
 * (two hosts whose fullest disk is 44 %: the one with less memory free),
 * then the worst score. */
static int cmp_pressure(const void *a, const void *b)
{
	double sa, sb, x = pressure(*(json_object *const *)a, &sa),
		       y = pressure(*(json_object *const *)b, &sb);

	if (x != y)
		return x < y ? 1 : -1;
	if (sa != sb)
		return sa < sb ? 1 : -1;
	return tsam_render_worst_first(a, b);
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

	v = tsam_render_failing_rules(get(f, "rules"), &k,
				      tsam_render_cmp_rules);
	for (i = 0; v && i < k; i++) {
		const char *cat = str_or(v[i], "category", "");
		const char *id = tsam_json_str(v[i], "id");
		char names[320], who[480], cnt[32];
		size_t named = 0;
		const char *kv[8];

		/* advice is for what was measured and fell short: a result
		 * in error (not measured) is in the checks' table, not here */
		if ((strcmp(cat, "capacity") && strcmp(cat, "performance")) ||
		    geti(v[i], "counts.fail") == 0)
			continue;
		names[0] = '\0';
		for (h = 0; id && h < nh && named < TSAM_RENDER_NAMES_SHOWN;
		     h++) {
			json_object *e =
			    tsam_render_failing_result(hosts[h], id);

			if (e != NULL &&
			    strcmp(str_or(e, "result", ""), "fail") == 0)
				tsam_render_add_name(
				    r, names, sizeof(names), &named,
				    TSAM_RENDER_NAMES_SHOWN,
				    str_or(hosts[h], "name", "-"));
		}
		tsam_render_names_more(
		    r, names, geti(v[i], "counts.fail") - (long long)named, who,
		    sizeof(who));
		tsam_render_plain_int(geti(v[i], "counts.fail"), cnt,
				      sizeof(cnt));
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
		json_object *rule =
		    tsam_render_rule_by_id(f, tsam_json_str(x, "rule"));
		const char *rec =
		    tsam_json_str(get(rule, "recommendation"), r->in->lang);
		char obs[1024], exp[400];

		if (strcmp(str_or(x, "type", ""), "capacity") != 0 ||
		    strcmp(str_or(x, "result", ""), "fail") != 0 ||
		    rule == NULL)
			continue;
		tsam_render_fleet_observed(r, x, true, obs, sizeof(obs));
		tsam_render_fleet_expected(r, x, exp, sizeof(exp));
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
					   "col_short", "col_not_judged"};
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
	bool gaps;

	tsam_render_heading(r, 0, "sec_sizing");
	if (tsam_render_missing(r, f, "no_findings"))
		return;
	hosts = tsam_render_hosts_worst_first(f, &nh);
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
		/* short: measured and failed; not judged: an error (no
		 * privilege) or not applicable (no product, no figure
		 * collected), said below for the load and the disks */
		tsam_render_cell(&cs, "%lld", geti(x, "counts.fail"));
		tsam_render_cell(&cs, "%lld",
				 geti(x, "counts.error") +
				     geti(x, "counts.not_applicable"));
	}
	if (cs.n > 0) {
		tsam_render_heading(r, 1, "sz_checks");
		tsam_render_table(r, 4, rel, al, head, cs.v, cs.n / 4, NULL);
	}
	tsam_render_cells_free(&cs);
	/* "no change needed" only on what was measured everywhere */
	gaps = false;
	for (k = 0; k < NRES; k++)
		if ((strcmp(resources[k].key, "disk_used_pct_max") == 0 ||
		     strcmp(resources[k].key, "load_per_cpu_pct") == 0) &&
		    measured[k] < nh)
			gaps = true;
	if (sizing_advice(r, f, hosts, nh) == 0 && nh > 0)
		tsam_render_para(r, msg(r, gaps ? "sz_ok_partial" : "sz_ok"),
				 r->tmpl->s_body, BLACK);
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
 * the most important first (tsam_render_cmp_rules), then the fleet-wide ones,
 * with severity and endpoints concerned, and empty cells for the owner and the
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
	v = tsam_render_failing_rules(get(f, "rules"), &k,
				      tsam_render_cmp_rules);
	for (i = 0; v && i < k; i++) {
		char cnt[32];

		tsam_render_plain_int(tsam_render_concerned(v[i]), cnt,
				      sizeof(cnt));
		tsam_render_cell(&cs, "%zu", ++no);
		/* the rule's id too: two products' findings can read alike */
		tsam_render_cell(&cs, is_ja(r) ? "%s（%s）" : "%s (%s)",
				 tsam_render_finding_title(r, v[i]),
				 str_or(v[i], "id", "-"));
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
		json_object *rule =
		    tsam_render_rule_by_id(f, tsam_json_str(x, "rule"));

		if (!fleet_finding(x) || rule == NULL)
			continue;
		tsam_render_cell(&cs, "%zu", ++no);
		tsam_render_cell(&cs, is_ja(r) ? "%s（%s）" : "%s (%s)",
				 tsam_render_finding_title(r, rule),
				 str_or(rule, "id", "-"));
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
