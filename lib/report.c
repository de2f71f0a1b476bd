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
 * Owns the cover, the contents, the page frames and the section order.
 * Calls pdf, tz and every file of the module (report_int.h).
 */
#include "report_int.h"

#include "tz.h"

#include <stdio.h>
#include <string.h>

/* "cover": title, customer, quarter, tier, TSAM; a page of its own. */
static void s_cover(struct tsam_render *r)
{
	json_object *c = r->in->customer;
	const char *name = tsam_json_str(c, "name");
	const char *tier = tsam_json_str(c, "tier");
	const char *q = r->in->stats ? tsam_json_str(r->in->stats, "quarter")
				     : tsam_json_str(c, "quarter");
	char key[32], line[256];
	const char *kv[2];

	r->section_page[r->cur_section] = tsam_pdf_page_count(r->pdf);
	tsam_pdf_bookmark(r->pdf, 0, msg(r, r->tmpl->title_key));
	tsam_pdf_fill_rect(r->pdf, 0, 0, r->tmpl->w, 8, ACCENT);
	r->y = r->tmpl->h * 0.28;
	tsam_render_text(r, r->tmpl->ml, r->y, content_w(r),
			 r->tmpl->s_small * 1.4, GREY, msg(r, "confidential"),
			 'l');
	r->y += r->tmpl->s_title * 1.6;
	tsam_render_text(r, r->tmpl->ml, r->y, content_w(r), r->tmpl->s_title,
			 ACCENT, msg(r, r->tmpl->title_key), 'l');
	r->y += r->tmpl->s_title * 1.2;
	tsam_render_text(r, r->tmpl->ml, r->y, content_w(r), r->tmpl->s_h1,
			 BLACK, name ? name : tsam_json_str(c, "id"), 'l');
	r->y += r->tmpl->s_h1 * 3;
	snprintf(key, sizeof(key), "tier_%s", tier ? tier : "");
	tsam_render_kv_row(r, msg(r, "customer"), name ? name : "-");
	tsam_render_kv_row(r, msg(r, "quarter"), q ? q : "-");
	tsam_render_kv_row(r, msg(r, "tier"),
			   tsam_json_str(r->tmpl->catalogue, key)
			       ? tsam_json_str(r->tmpl->catalogue, key)
			       : (tier ? tier : "-"));
	tsam_render_kv_row(r, msg(r, "tsam"),
			   tsam_json_str(get(c, "tsam"), "name")
			       ? tsam_json_str(get(c, "tsam"), "name")
			       : "-");
	tsam_render_kv_row(r, msg(r, "contact"),
			   tsam_json_str(get(c, "tsam"), "email")
			       ? tsam_json_str(get(c, "tsam"), "email")
			       : "-");
	r->y += r->tmpl->s_body;
	kv[0] = "zone";
	kv[1] = r->tz ? tsam_tz_name(r->tz) : "UTC";
	tsam_render_subst(msg(r, "times_in"), kv, 2, line, sizeof(line));
	tsam_render_para(r, msg(r, "prepared_by"), r->tmpl->s_small, GREY);
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
		    strcmp(r->tmpl->sections[i], "toc") == 0)
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
	char head[512], foot[128], a[16], b[16];
	const char *kv[4];

	snprintf(head, sizeof(head), "%s — %s%s%s", name ? name : "",
		 msg(r, r->tmpl->title_key), q ? " " : "", q ? q : "");
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
		tsam_render_text(r, r->tmpl->ml, fy, content_w(r) / 2,
				 r->tmpl->s_small, RED, msg(r, "confidential"),
				 'l');
		tsam_render_text(r, r->tmpl->ml + content_w(r) / 2, fy,
				 content_w(r) / 2, r->tmpl->s_small, GREY, foot,
				 'r');
	}
}

/* What draws each section a template may list (report_input.c refuses a
 * template naming any other). */
static const struct {
	const char *name;
	void (*draw)(struct tsam_render *r);
} drawers[] = {
    {"cover", s_cover},
    {"toc", s_toc},
    {"summary", tsam_render_sec_summary},
    {"incidents", tsam_render_sec_incidents},
    {"attainment", tsam_render_sec_attainment},
    {"breaches", tsam_render_sec_breaches},
    {"escalations", tsam_render_sec_escalations},
    {"trend", tsam_render_sec_trend},
    {"health", tsam_render_sec_health},
    {"reconciliation", tsam_render_sec_reconciliation},
    {"rules_detail", tsam_render_sec_rules_detail},
    {"fleet_rules", tsam_render_sec_fleet_rules},
    {"diff", tsam_render_sec_diff},
    {"waivers", tsam_render_sec_waivers},
    {"hosts", tsam_render_sec_hosts},
    {"portfolio", tsam_render_sec_portfolio},
    {"narrative", tsam_render_sec_narrative},
    {"targets", tsam_render_sec_targets},
    {"open_cases", tsam_render_sec_open_cases},
    {"case_mix", tsam_render_sec_case_mix},
    {"actions", tsam_render_sec_actions},
    {"attachments", tsam_render_sec_attachments},
};

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
		const char *s = r->tmpl->sections[i];

		r->cur_section = i;
		for (k = 0; k < sizeof(drawers) / sizeof(drawers[0]); k++)
			if (strcmp(s, drawers[k].name) == 0) {
				drawers[k].draw(r);
				break;
			}
	}
	toc_fill(r);
	frame(r);
	return TSAM_OK;
}

/* Renders the report (report.h): the template and both catalogues, the
 * zone of stats.json, the fonts (IPAex Gothic; DejaVu Sans for Latin text
 * in English), the document's metadata, one pass, the file. */
int tsam_report_render(const struct tsam_report_in *in, const char *out_path,
		       struct tsam_errbuf *eb)
{
	struct tsam_render_tmpl t;
	struct tsam_render r;
	struct tsam_pdf_opts po;
	char title[512], cjk[256], latin[256];
	const char *zone =
	    in->stats ? tsam_json_str(get(in->stats, "period"), "zone") : NULL;
	const char *name = tsam_json_str(in->customer, "name");
	int rc;

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
	if (rc != TSAM_OK) {
		tsam_render_tmpl_free(&t);
		return rc;
	}
	memset(&r, 0, sizeof(r));
	r.in = in;
	r.tmpl = &t;
	if (zone != NULL && strcmp(zone, "UTC") != 0 &&
	    tsam_tz_load(NULL, zone, &r.tz, NULL) != TSAM_OK)
		r.tz = NULL;
	snprintf(cjk, sizeof(cjk), "%s",
		 "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf");
	snprintf(latin, sizeof(latin), "%s",
		 "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf");
	snprintf(title, sizeof(title), "%s %s %s", name ? name : "",
		 msg(&r, t.title_key),
		 in->stats && tsam_json_str(in->stats, "quarter")
		     ? tsam_json_str(in->stats, "quarter")
		     : "");
	memset(&po, 0, sizeof(po));
	po.cjk_font = cjk;
	po.latin_font = strcmp(in->lang, "ja") == 0 ? NULL : latin;
	po.width = t.w;
	po.height = t.h;
	po.title = title;
	po.author = tsam_json_str(get(in->customer, "tsam"), "name");
	po.subject = msg(&r, t.title_key);
	po.keywords = "tsamkit";
	po.created = in->created;
	r.toc_page = -1;
	rc = render_pass(&r, &po, eb);
	if (rc == TSAM_OK)
		rc = tsam_pdf_save(r.pdf, out_path, eb);
	tsam_pdf_free(r.pdf);
	tsam_tz_free(r.tz);
	tsam_render_tmpl_free(&t);
	return rc;
}
