/* doc_mapping.c - fuzz_doc kind: a mapping.json, loaded over the defaults
 * as tsam-cases does, then used: a cases and an event export are written
 * with the mapping's own column names (those it names: the key and a
 * history log's columns have no default), labels, time format and, for a
 * history log, tracked fields, read through it (encoding, zone) and
 * measured against the shipped policy on a 24x7 calendar; the stats must
 * serialise to valid UTF-8 JSON and every event row be accounted for. */
#include "doc.h"
#include "mapping.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char fuzz_doc_name[] = "mapping.json";

/* Writes s to f as one quoted CSV field. */
static void field(FILE *f, const char *s, const char *sep)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
	fputs(sep, f);
}

/* 2026-07-06 09:00:00 +09:00 (plus hour h) in the mapping's format. */
static void when(const char *fmt, int h, char *out, size_t n)
{
	size_t k = 0;

	if (strcmp(fmt, "iso") == 0) {
		snprintf(out, n, "2026-07-06T%02d:00:00+09:00", 9 + h);
		return;
	}
	for (; *fmt && k + 32 < n; fmt++) {
		const char *add = NULL;
		char one[32] = {*fmt, 0};

		if (*fmt == '%' && fmt[1] != '\0') {
			switch (*++fmt) {
			case 'Y':
				add = "2026";
				break;
			case 'm':
				add = "07";
				break;
			case 'd':
				add = "06";
				break;
			case 'H':
				snprintf(one, sizeof(one), "%02d", 9 + h);
				break;
			case 'M':
			case 'S':
				add = "00";
				break;
			case 'T':
				snprintf(one, sizeof(one), "%02d:00:00", 9 + h);
				break;
			case 'z':
				add = "+09:00";
				break;
			default:
				one[0] = *fmt;
			}
		}
		if (add == NULL)
			add = one;
		memcpy(out + k, add, strlen(add));
		k += strlen(add);
	}
	out[k] = '\0';
}

/* The last label of a list (the file's own, added after the defaults). */
static const char *last(const struct tsam_map_label *v, size_t n)
{
	return n ? v[n - 1].label : "";
}

/* A cases and an event export in m's own column names, labels and time
 * format, written beside the document, read through m and measured. */
static int use(const struct tsam_mapping *m, struct tsam_errbuf *eb)
{
	const struct fuzz_doc_sla *fx = fuzz_doc_sla();
	char cp[300], ep[300], t0[128], t1[128];
	struct tsam_cases cs;
	struct tsam_cases_opts co;
	struct tsam_sla_opts so;
	const char *cv[TSAM_CASE_COLS], *ev[TSAM_EVENT_COLS];
	const char *hfield = m->hist.nfields ? m->hist.fields[0].label : "x";
	int hrole = m->hist.nfields ? m->hist.fields[0].value : -1;
	FILE *f;
	int i, row, rc;

	/* the labels it holds are found again */
	if (m->nsev && tsam_mapping_severity(m, last(m->sev, m->nsev)) < 1)
		abort();
	if (m->nchan && tsam_mapping_channel(m, last(m->chan, m->nchan)) < 0)
		abort();
	when(m->time_format, 0, t0, sizeof(t0));
	when(m->time_format, 1, t1, sizeof(t1));
	snprintf(cp, sizeof(cp), "%s/cases.csv", fuzz_doc_dir());
	snprintf(ep, sizeof(ep), "%s/events.csv", fuzz_doc_dir());
	if ((f = fopen(cp, "w")) == NULL)
		abort();
	cv[TSAM_COL_ID] = "C1";
	cv[TSAM_COL_CREATED] = t0;
	cv[TSAM_COL_SEVERITY] = last(m->sev, m->nsev);
	cv[TSAM_COL_CHANNEL] = last(m->chan, m->nchan);
	cv[TSAM_COL_PRODUCT] = "X";
	cv[TSAM_COL_CUSTOMER] = "acme";
	cv[TSAM_COL_FIRST_RESPONSE] = cv[TSAM_COL_RESOLVED] =
	    cv[TSAM_COL_CLOSED] = t1;
	cv[TSAM_COL_KEY] = "K1";
	for (i = 0; i < TSAM_CASE_COLS; i++)
		if (m->case_cols[i] != NULL)
			field(f, m->case_cols[i], ",");
	field(f, "pad", "\n");
	for (i = 0; i < TSAM_CASE_COLS; i++)
		if (m->case_cols[i] != NULL)
			field(f, cv[i], ",");
	field(f, "", "\n");
	fclose(f);
	if ((f = fopen(ep, "w")) == NULL)
		abort();
	for (i = 0; i < TSAM_EVENT_COLS; i++)
		if (m->event_cols[i] != NULL)
			field(f, m->event_cols[i], ",");
	field(f, "pad", "\n");
	/* two rows: a history log derives from the second what changed */
	for (row = 0; row < 2; row++) {
		static const char *roleval[2][TSAM_HROLES] = {
		    {NULL, NULL, "0", ""}, {"resolved", "4", "1", "agent"}};

		ev[TSAM_ECOL_CASE] = m->case_cols[TSAM_COL_KEY] ? "K1" : "C1";
		ev[TSAM_ECOL_TIME] = t1;
		ev[TSAM_ECOL_KIND] = "vendor_update";
		ev[TSAM_ECOL_STATE] =
		    row ? roleval[1][0] : last(m->state, m->nstate);
		ev[TSAM_ECOL_SEVERITY] =
		    row ? roleval[1][1] : last(m->sev, m->nsev);
		ev[TSAM_ECOL_REOPEN_COUNT] = roleval[row][2];
		ev[TSAM_ECOL_ASSIGNEE] = roleval[row][3];
		ev[TSAM_ECOL_FIELD] = hfield;
		ev[TSAM_ECOL_VALUE] =
		    hrole < 0			   ? ""
		    : hrole == TSAM_HROLE_STATE	   ? ev[TSAM_ECOL_STATE]
		    : hrole == TSAM_HROLE_SEVERITY ? ev[TSAM_ECOL_SEVERITY]
						   : roleval[row][hrole];
		for (i = 0; i < TSAM_EVENT_COLS; i++)
			if (m->event_cols[i] != NULL)
				field(f, ev[i], ",");
		field(f, "", "\n");
	}
	fclose(f);
	memset(&cs, 0, sizeof(cs));
	memset(&co, 0, sizeof(co));
	co.cases_path = cp;
	co.events_path = ep;
	co.map = m;
	co.zone = fx->tokyo;
	rc = tsam_cases_load(&cs, &co, eb);
	if (rc == TSAM_OK &&
	    (cs.in[1].rows !=
		 cs.in[1].used + cs.in[1].rejected + cs.in[1].other ||
	     cs.hist.with_events + cs.hist.without_events + cs.hist.untracked !=
		 (cs.hist.layout ? cs.in[1].used : 0)))
		abort(); /* a row not accounted for */
	if (rc == TSAM_OK) {
		fuzz_doc_sla_opts(&so, &fx->policy, TSAM_TIER_PLATINUM,
				  fx->wall);
		rc = fuzz_doc_stats(&cs, &so, eb);
	}
	tsam_cases_free(&cs);
	unlink(cp);
	unlink(ep);
	return rc;
}

int fuzz_doc_load(const char *path, struct tsam_errbuf *eb)
{
	struct tsam_mapping m;
	int rc;

	if (tsam_mapping_init(&m) != TSAM_OK)
		abort();
	rc = tsam_mapping_load(&m, path, eb);
	if (rc == TSAM_OK)
		rc = use(&m, eb);
	tsam_mapping_free(&m);
	return rc;
}
