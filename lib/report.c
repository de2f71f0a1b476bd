/*
 * report.c - tsam_report_render: a report from its template, in one pass.
 * The template is loaded and both catalogues checked before anything is
 * drawn (report_input.c); then each section the template lists is drawn
 * in its order (the drawers below, in report_sla.c, report_health.c and
 * report_portfolio.c). The contents page is reserved where the template
 * puts it and filled in at the end with the page each section started
 * on; headers and footers ("page x / y") are drawn last on every page but
 * the cover. Then the PDF is saved (0600, atomic).
 *
 * Which sections are drawn follows the customer's tier: each section
 * needs a service of the tier (needs[] below, services from the SLA
 * policy: sla/policy.json "services"), and one the tier lacks is left out
 * of the document and its contents.
 *
 * Owns the cover, the contents, the page frames and the section order.
 * Calls pdf, tz, policy and every file of the module (report_int.h).
 */
#include "report_int.h"

#include "policy.h"
#include "date.h"
#include "tz.h"

#include <stdio.h>
#include <string.h>

/* The value of a cover row: the string or "-". */
static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

/* The endpoints checked on which no Sophos product was found (findings
 * hosts[].product null, collected with enough privilege): only the
 * operating-system checks applied to them, and the scope says so, with
 * their names. Nothing without findings that record it. */
static void no_product(struct tsam_render *r, json_object *f)
{
	json_object *hosts = get(f, "hosts");
	char names[320], buf[480], num[32];
	const char *kv[4] = {"n", num, "names", names};
	size_t i, named = 0;
	long long n = 0;

	names[0] = '\0';
	for (i = 0; i < alen(hosts); i++) {
		json_object *h = aidx(hosts, i), *p = NULL;

		if (!json_object_object_get_ex(h, "product", &p) || p != NULL ||
		    alen(get(h, "denied")) > 0)
			continue;
		n++;
		tsam_render_add_name(r, names, sizeof(names), &named,
				     TSAM_RENDER_NAMES_SHOWN,
				     str_or(h, "name", "-"));
	}
	if (n == 0)
		return;
	tsam_render_plain_int(n, num, sizeof(num));
	tsam_render_names_more(r, names, n - (long long)named, buf,
			       sizeof(buf));
	kv[3] = buf;
	tsam_render_subst(msg(r, "hc_no_product_v"), kv, 4, names,
			  sizeof(names));
	tsam_render_kv_row(r, msg(r, "hc_no_product"), names);
}

/*
 * A health check's cover rows: the day of collection (findings.run.started,
 * which tsam-check took from run.json), the engineer (--engineer, else
 * customer.json's engineer.name), and the scope: endpoints in the
 * inventory, collected and checked, not collected with the reasons
 * counted per status, collected without enough privilege. Dated, never
 * quarterly.
 */
static void cover_health(struct tsam_render *r, json_object *c)
{
	json_object *f = r->in->findings, *un = get(f, "uncollected");
	const char *started = tsam_json_str(get(f, "run"), "started");
	const char *eng = r->in->engineer
			      ? r->in->engineer
			      : tsam_json_str(get(c, "engineer"), "name");
	char buf[512], n[32];
	time_t t = started ? tsam_time_parse(started) : -1;
	size_t i, j, o;
	bool first = true;

	if (t >= 0)
		tsam_render_plain_date(r, t, buf, sizeof(buf));
	tsam_render_kv_row(r, msg(r, "hc_collected_on"), t >= 0 ? buf : "-");
	tsam_render_kv_row(r, msg(r, "hc_engineer"), or_dash(eng));
	r->y += r->tmpl->s_body;
	tsam_render_heading(r, 1, "hc_scope");
	if (f == NULL) {
		tsam_render_para(r, msg(r, "no_findings"), r->tmpl->s_body,
				 GREY);
		return;
	}
	tsam_render_plain_int(get(get(f, "run"), "hosts")
				  ? geti(f, "run.hosts")
				  : geti(f, "fleet.hosts_checked") +
					geti(f, "fleet.hosts_uncollected"),
			      buf, sizeof(buf));
	tsam_render_kv_row(r, msg(r, "hc_inventory"), buf);
	tsam_render_plain_int(geti(f, "fleet.hosts_checked"), buf, sizeof(buf));
	tsam_render_kv_row(r, msg(r, "hc_collected"), buf);
	/* not collected: the count, then each status once with its count,
	 * in the order first met ("2 — 1 unreachable, 1 timed out") */
	tsam_render_plain_int((long long)alen(un), buf, sizeof(buf));
	o = strlen(buf);
	for (i = 0; i < alen(un) && o + 8 < sizeof(buf); i++) {
		const char *st = tsam_json_str(aidx(un, i), "status");
		long long cnt = 0;
		bool seen = false;
		char part[160];
		const char *kv[4] = {"n", n, "reason", NULL};

		for (j = 0; j < i && !seen; j++)
			seen = st && tsam_json_str(aidx(un, j), "status") &&
			       strcmp(st, tsam_json_str(aidx(un, j),
							"status")) == 0;
		if (seen || st == NULL)
			continue;
		for (j = i; j < alen(un); j++)
			cnt += tsam_json_str(aidx(un, j), "status") &&
			       strcmp(st, tsam_json_str(aidx(un, j),
							"status")) == 0;
		snprintf(n, sizeof(n), "%lld", cnt);
		kv[3] = tsam_render_word(r, "hs_", st);
		tsam_render_subst(msg(r, "hc_reason_n"), kv, 4, part,
				  sizeof(part));
		o += (size_t)snprintf(buf + o, sizeof(buf) - o, "%s%s",
				      first	 ? " — "
				      : is_ja(r) ? "、"
						 : ", ",
				      part);
		first = false;
		if (o >= sizeof(buf))
			o = sizeof(buf) - 1;
	}
	tsam_render_kv_row(r, msg(r, "hc_not_collected"), buf);
	no_product(r, f);
	if (geti(f, "fleet.hosts_limited") > 0) {
		tsam_render_plain_int(geti(f, "fleet.hosts_limited"), buf,
				      sizeof(buf));
		tsam_render_kv_row(r, msg(r, "hc_limited"), buf);
	}
}

/* "cover": title, customer, quarter (a health check: the day of
 * collection, the engineer and the scope), tier, TSAM (for a tier that
 * has one); the zone times are shown in; a page of its own. */
static void s_cover(struct tsam_render *r)
{
	json_object *c = r->in->customer;
	const char *name = tsam_json_str(c, "name");
	const char *tier = tsam_json_str(c, "tier");
	const char *q = r->in->stats ? tsam_json_str(r->in->stats, "quarter")
				     : tsam_json_str(c, "quarter");
	bool tsam = tsam_render_has(r, TSAM_SERVICE_TSAM);
	char key[32], line[512], zone[256], conf[512];
	const char *kv[2];
	double cw = content_w(r);
	int n;

	r->section_page[r->cur_section] = tsam_pdf_page_count(r->pdf);
	tsam_pdf_bookmark(r->pdf, 0, msg(r, r->title_key));
	tsam_pdf_fill_rect(r->pdf, 0, 0, r->tmpl->w, 8, ACCENT);
	r->y = r->tmpl->h * (r->tmpl->cover_health ? 0.2 : 0.28);
	kv[0] = "customer";
	kv[1] = name ? name : "";
	tsam_render_subst(msg(r, "confidential"), kv, 2, conf, sizeof(conf));
	n = tsam_render_text_wrapped(r, r->tmpl->ml, r->y, cw,
				     r->tmpl->s_small * 1.4,
				     r->tmpl->s_small * 2, GREY, conf, 'l', 3);
	r->y += r->tmpl->s_small * 2 * (n - 1) + r->tmpl->s_title * 1.6;
	n = tsam_render_text_wrapped(r, r->tmpl->ml, r->y, cw, r->tmpl->s_title,
				     r->tmpl->s_title * 1.25, ACCENT,
				     msg(r, r->title_key), 'l', 3);
	r->y += r->tmpl->s_title * 1.25 * (n - 1) + r->tmpl->s_title * 1.2;
	/* the customer's name whole, over as many lines as it takes */
	n = tsam_render_text_wrapped(
	    r, r->tmpl->ml, r->y, cw, r->tmpl->s_h1, r->tmpl->s_h1 * 1.3, BLACK,
	    name ? name : tsam_json_str(c, "id"), 'l', 4);
	r->y += r->tmpl->s_h1 * 1.3 * (n - 1) +
		r->tmpl->s_h1 * (r->tmpl->cover_health ? 2 : 3);
	snprintf(key, sizeof(key), "tier_%s", tier ? tier : "");
	tsam_render_kv_row(r, msg(r, "customer"), name ? name : "-");
	if (!r->tmpl->cover_health) {
		tsam_render_fmt_quarter(r, q, line, sizeof(line));
		tsam_render_kv_row(r, msg(r, "quarter"), line);
	}
	/* the document's date: what "open" and "overdue" are as of */
	tsam_render_fmt_issued(r, line, sizeof(line));
	tsam_render_kv_row(r, msg(r, "issued"), line);
	tsam_render_kv_row(r, msg(r, "tier"),
			   tsam_json_str(r->tmpl->catalogue, key)
			       ? tsam_json_str(r->tmpl->catalogue, key)
			       : (tier ? tier : "-"));
	if (tsam) {
		tsam_render_kv_row(r, msg(r, "tsam"),
				   tsam_json_str(get(c, "tsam"), "name")
				       ? tsam_json_str(get(c, "tsam"), "name")
				       : "-");
		tsam_render_kv_row(r, msg(r, "contact"),
				   tsam_json_str(get(c, "tsam"), "email")
				       ? tsam_json_str(get(c, "tsam"), "email")
				       : "-");
	}
	if (r->tmpl->cover_health)
		cover_health(r, c);
	r->y += r->tmpl->s_body;
	tsam_render_fmt_zone(r, zone, sizeof(zone));
	kv[0] = "zone";
	kv[1] = zone;
	tsam_render_subst(msg(r, "times_in"), kv, 2, line, sizeof(line));
	tsam_render_para(r,
			 msg(r, r->tmpl->cover_health ? "hc_prepared"
				: tsam		      ? "prepared_by"
						      : "prepared_by_support"),
			 r->tmpl->s_small, GREY);
	tsam_render_para(r, line, r->tmpl->s_small, GREY);
	tsam_render_new_page(r);
}

/* The contents page is reserved where the template puts it and filled
 * in at the end, when every section's page is known. */
static void s_toc(struct tsam_render *r)
{
	tsam_render_heading(r, 0, "sec_toc");
	r->toc_page = tsam_pdf_page_count(r->pdf) - 1;
	r->toc_y = r->y;
	tsam_render_new_page(r);
}

/* Writes the contents on the reserved page: each section's heading and
 * the page it began on. */
static void toc_fill(struct tsam_render *r)
{
	double save = r->y;
	int i;
	char num[16];

	if (r->toc_page < 0)
		return;
	tsam_pdf_goto_page(r->pdf, r->toc_page);
	r->y = r->toc_y;
	for (i = 0; i < r->tmpl->nsections; i++) {
		char key[32];
		double lh = r->tmpl->s_body * 2.1;

		if (strcmp(r->tmpl->sections[i], "cover") == 0 ||
		    strcmp(r->tmpl->sections[i], "toc") == 0 ||
		    r->section_page[i] == 0) /* not for this tier */
			continue;
		/* never: TSAM_RENDER_MAX_SECTIONS entries always fit a page */
		if (r->y + lh > r->tmpl->h - r->tmpl->mb)
			break;
		snprintf(key, sizeof(key), "sec_%s", r->tmpl->sections[i]);
		snprintf(num, sizeof(num), "%d", r->section_page[i]);
		tsam_render_text(r, r->tmpl->ml, r->y + lh * 0.7,
				 content_w(r) - 40, r->tmpl->s_body, BLACK,
				 msg(r, key), 'l');
		tsam_render_text(r, r->tmpl->ml + content_w(r) - 40,
				 r->y + lh * 0.7, 40, r->tmpl->s_body, BLACK,
				 num, 'r');
		tsam_pdf_line(r->pdf, r->tmpl->ml, r->y + lh,
			      r->tmpl->ml + content_w(r), r->y + lh, 0.3, 2,
			      GREY);
		r->y += lh;
	}
	r->y = save;
}

/* The header (customer, title, quarter) and footer (confidential, page
 * x / y) of every page but a cover. */
static void frame(struct tsam_render *r)
{
	int i, pages = tsam_pdf_page_count(r->pdf);
	const char *name = tsam_json_str(r->in->customer, "name");
	const char *q =
	    r->in->stats ? tsam_json_str(r->in->stats, "quarter") : NULL;
	char head[512], foot[128], a[16], b[16], qlong[128];
	const char *kv[4];

	const char *ckv[2] = {"customer", name ? name : ""};
	char conf[512];

	/* a TSAM's portfolio summary is the vendor's, not a customer's */
	tsam_render_subst(
	    msg(r, r->in->portfolio ? "internal" : "confidential"), ckv, 2,
	    conf, sizeof(conf));
	qlong[0] = '\0';
	if (q != NULL)
		tsam_render_fmt_quarter(r, q, qlong, sizeof(qlong));
	snprintf(head, sizeof(head), "%s — %s%s%s", name ? name : "",
		 msg(r, r->title_key), q ? " " : "", qlong);
	/* every page but a cover */
	for (i = strcmp(r->tmpl->sections[0], "cover") == 0; i < pages; i++) {
		double fy = r->tmpl->h - r->tmpl->mb * 0.45;

		tsam_pdf_goto_page(r->pdf, i);
		tsam_render_text(r, r->tmpl->ml, r->tmpl->mt * 0.55,
				 content_w(r), r->tmpl->s_small, GREY, head,
				 'l');
		tsam_pdf_line(r->pdf, r->tmpl->ml, r->tmpl->mt * 0.7,
			      r->tmpl->ml + content_w(r), r->tmpl->mt * 0.7,
			      0.4, 0, LIGHT);
		snprintf(a, sizeof(a), "%d", i + 1);
		snprintf(b, sizeof(b), "%d", pages);
		kv[0] = "page";
		kv[1] = a;
		kv[2] = "pages";
		kv[3] = b;
		tsam_render_subst(msg(r, "page"), kv, 4, foot, sizeof(foot));
		tsam_render_text(r, r->tmpl->ml, fy, content_w(r) * 0.65,
				 r->tmpl->s_small, GREY, conf, 'l');
		tsam_render_text(r, r->tmpl->ml + content_w(r) * 0.65, fy,
				 content_w(r) * 0.35, r->tmpl->s_small, GREY,
				 foot, 'r');
	}
}

/* What draws each section a template may list (report_input.c refuses a
 * template naming any other). */
#define SLA    TSAM_SERVICE_SLA
#define HEALTH TSAM_SERVICE_HEALTH_CHECK
#define QBR    TSAM_SERVICE_QUARTERLY_REVIEW
static const struct {
	const char *name;
	void (*draw)(struct tsam_render *r);
	unsigned needs; /* the service the tier must have (0: none) */
} drawers[] = {
    {"cover", s_cover, 0},
    {"toc", s_toc, 0},
    {"summary", tsam_render_sec_summary, 0},
    {"incidents", tsam_render_sec_incidents, 0},
    {"attainment", tsam_render_sec_attainment, SLA},
    {"breaches", tsam_render_sec_breaches, SLA},
    {"escalations", tsam_render_sec_escalations, SLA},
    {"trend", tsam_render_sec_trend, 0},
    {"health", tsam_render_sec_health, HEALTH},
    {"reconciliation", tsam_render_sec_reconciliation, 0},
    {"rules_detail", tsam_render_sec_rules_detail, HEALTH},
    {"fleet_rules", tsam_render_sec_fleet_rules, HEALTH},
    {"diff", tsam_render_sec_diff, HEALTH},
    {"waivers", tsam_render_sec_waivers, HEALTH},
    {"hosts", tsam_render_sec_hosts, HEALTH},
    {"portfolio", tsam_render_sec_portfolio, 0},
    {"executive", tsam_render_sec_executive, HEALTH},
    {"sizing", tsam_render_sec_sizing, HEALTH},
    {"remediation", tsam_render_sec_remediation, HEALTH},
    {"narrative", tsam_render_sec_narrative, 0},
    {"targets", tsam_render_sec_targets, SLA},
    {"open_cases", tsam_render_sec_open_cases, 0},
    {"case_mix", tsam_render_sec_case_mix, 0},
    {"actions", tsam_render_sec_actions, QBR},
    {"attachments", tsam_render_sec_attachments, 0},
};
#define NDRAWERS (sizeof(drawers) / sizeof(drawers[0]))

/* The drawer of section s (every section a template may name has one). */
static size_t drawer_of(const char *s)
{
	size_t k;

	for (k = 0; k < NDRAWERS && strcmp(s, drawers[k].name) != 0; k++)
		;
	return k;
}

/* The sections of the template the tier has, besides cover and
 * contents. */
static int content_sections(const struct tsam_render *r)
{
	int i, n = 0;

	for (i = 0; i < r->tmpl->nsections; i++) {
		size_t k = drawer_of(r->tmpl->sections[i]);

		if (k < NDRAWERS && drawers[k].draw != s_cover &&
		    drawers[k].draw != s_toc &&
		    (drawers[k].needs & ~r->services) == 0)
			n++;
	}
	return n;
}

/* Draws the sections in the template's order, then the contents and the
 * frames, into a new PDF (r->pdf, the caller's to free). */
static int render_pass(struct tsam_render *r, struct tsam_pdf_opts *po,
		       struct tsam_errbuf *eb)
{
	size_t k;
	int i, rc;

	rc = tsam_pdf_new(po, &r->pdf, eb);
	if (rc != TSAM_OK)
		return rc;
	tsam_render_new_page(r);
	for (i = 0; i < r->tmpl->nsections; i++) {
		k = drawer_of(r->tmpl->sections[i]);
		r->cur_section = i;
		/* a section the tier has no service for is left out */
		if (k < NDRAWERS && (drawers[k].needs & ~r->services) == 0)
			drawers[k].draw(r);
	}
	toc_fill(r);
	frame(r);
	return TSAM_OK;
}

/* The document's language tag (the catalog's /Lang): ja-JP for Japanese;
 * for English, en-US when the customer is American (an America/ zone or
 * USD in stats.json), else en-GB, the catalogue's own spelling. */
static const char *lang_tag(const struct tsam_report_in *in)
{
	const char *zone, *cur;

	if (strcmp(in->lang, "ja") == 0)
		return "ja-JP";
	zone =
	    in->stats ? tsam_json_str(get(in->stats, "period"), "zone") : NULL;
	cur = in->stats ? tsam_json_str(get(in->stats, "credits"), "currency")
			: NULL;
	if ((zone != NULL && strncmp(zone, "America/", 8) == 0) ||
	    (cur != NULL && strcmp(cur, "USD") == 0))
		return "en-US";
	return "en-GB";
}

/* Renders the report (report.h): the template and both catalogues, the
 * zone of stats.json, the fonts (IPAex Gothic; DejaVu Sans for Latin text
 * in English), the document's metadata, one pass, the file. */
enum tsam_err tsam_report_render(const struct tsam_report_in *in,
				 const char *out_path, struct tsam_errbuf *eb)
{
	struct tsam_render_tmpl t;
	struct tsam_render r;
	struct tsam_pdf_opts po;
	char title[512], cjk[256], latin[256];
	const char *zone = tsam_json_str(in->customer, "zone");
	const char *name = tsam_json_str(in->customer, "name");
	const char *tier = tsam_json_str(in->customer, "tier");
	unsigned services[TSAM_TIERS];
	int rc, ti;

	/* the template and both catalogues are checked before any drawing:
	 * this language's while loading, the other one here */
	rc = tsam_render_tmpl_load(in->datadir, in->tmpl, in->lang, &t, eb);
	if (rc == TSAM_OK) {
		json_object *other = NULL;

		rc = tsam_render_msgs_load(in->datadir,
					   strcmp(in->lang, "ja") ? "ja" : "en",
					   &other, eb);
		json_object_put(other);
	}
	memset(&r, 0, sizeof(r));
	if (rc != TSAM_OK)
		goto out;
	r.in = in;
	r.tmpl = &t;
	/* the tier's services: customer.json's tier, else the one the
	 * statistics were computed for, else every service */
	if (tier == NULL && in->stats != NULL)
		tier = tsam_json_str(in->stats, "tier");
	ti = tsam_tier_parse(tier);
	if (ti < 0)
		ti = TSAM_TIER_PLATINUM;
	if (in->policy != NULL)
		memcpy(services, in->policy->services, sizeof(services));
	else
		tsam_policy_services_default(services);
	r.services = services[ti];
	r.credits =
	    in->policy ? in->policy->credit_tier[ti] : ti != TSAM_TIER_STANDARD;
	/* credits.eligible of the statistics, when they say */
	if (in->stats != NULL &&
	    json_object_is_type(get(in->stats, "credits.eligible"),
				json_type_boolean))
		r.credits =
		    json_object_get_boolean(get(in->stats, "credits.eligible"));
	r.title_key = t.title_key;
	if (strcmp(t.title_key, "doc_title") == 0 &&
	    !tsam_render_has(&r, TSAM_SERVICE_QUARTERLY_REVIEW))
		r.title_key = "doc_title_report";
	if (content_sections(&r) == 0) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				     "template %s: the %s tier has none of its "
				     "sections (services in the SLA policy, "
				     "sla/policy.json)",
				     in->tmpl,
				     tsam_tier_name((enum tsam_tier)ti));
		goto out;
	}
	/* times in the customer's zone (customer.json), else the support
	 * calendar's */
	if (zone == NULL && in->stats != NULL)
		zone = tsam_json_str(get(in->stats, "period"), "zone");
	if (zone != NULL && strcmp(zone, "UTC") != 0 &&
	    tsam_tz_load(NULL, zone, &r.tz, NULL) != TSAM_OK)
		r.tz = NULL;
	snprintf(cjk, sizeof(cjk), "%s",
		 "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf");
	snprintf(latin, sizeof(latin), "%s",
		 "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	{
		const char *q = in->stats
				    ? tsam_json_str(in->stats, "quarter")
				    : tsam_json_str(in->customer, "quarter");

		if (q == NULL && in->portfolio != NULL)
			q = tsam_json_str(in->portfolio, "quarter");
		/* no trailing space without a quarter */
		snprintf(title, sizeof(title), "%s%s%s%s%s", name ? name : "",
			 name ? " " : "", msg(&r, r.title_key), q ? " " : "",
			 q ? q : "");
	}
	memset(&po, 0, sizeof(po));
	po.cjk_font = cjk;
	po.latin_font = strcmp(in->lang, "ja") == 0 ? NULL : latin;
	po.width = t.w;
	po.height = t.h;
	po.title = title;
	po.author = tsam_json_str(get(in->customer, "tsam"), "name");
	po.subject = msg(&r, r.title_key);
	po.keywords = "tsamkit";
	po.lang = lang_tag(in);
	po.created = in->created;
	r.toc_page = -1;
	rc = render_pass(&r, &po, eb);
	if (rc == TSAM_OK)
		rc = tsam_pdf_save(r.pdf, out_path, eb);
out:
	tsam_pdf_free(r.pdf);
	tsam_tz_free(r.tz);
	tsam_render_tmpl_free(&t);
	return rc;
}
