/* doc_mapping.c - fuzz_doc kind: a mapping.json, loaded over the defaults
 * as tsam-cases does, then used: a cases and an event export are written
 * with the mapping's own column names, labels and time format, read
 * through it (encoding, zone) and measured against the shipped policy on
 * a 24x7 calendar; the stats must serialise to valid UTF-8 JSON. */
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
	FILE *f;
	int i, rc;

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
	for (i = 0; i < TSAM_CASE_COLS; i++)
		field(f, m->case_cols[i], i + 1 < TSAM_CASE_COLS ? "," : "\n");
	field(f, "C1", ",");
	field(f, t0, ",");
	field(f, last(m->sev, m->nsev), ",");
	field(f, last(m->chan, m->nchan), ",");
	field(f, "X", ",");
	field(f, "acme", ",");
	field(f, t1, ",");
	field(f, t1, ",");
	field(f, t1, "\n");
	fclose(f);
	if ((f = fopen(ep, "w")) == NULL)
		abort();
	for (i = 0; i < TSAM_EVENT_COLS; i++)
		field(f, m->event_cols[i],
		      i + 1 < TSAM_EVENT_COLS ? "," : "\n");
	field(f, "C1", ",");
	field(f, t1, ",");
	field(f, "vendor_update", ",");
	field(f, last(m->state, m->nstate), ",");
	field(f, last(m->sev, m->nsev), "\n");
	fclose(f);
	memset(&cs, 0, sizeof(cs));
	memset(&co, 0, sizeof(co));
	co.cases_path = cp;
	co.events_path = ep;
	co.map = m;
	co.zone = fx->tokyo;
	rc = tsam_cases_load(&cs, &co, eb);
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
