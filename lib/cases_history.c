/*
 * cases_history.c - a history log (docs/cases.md, "History logs"): a
 * ticket's states, severity, reopen counter and assignee over time, as
 * snapshots or as one change a row, turned into the events they mean,
 * case by case in time order; and the log's accounting for stats.json
 * (rows with and without events, untracked fields, events per kind).
 */
#include "cases_int.h"

#include <stdio.h>
#include <stdlib.h>

static int hrow_cmp(const void *a, const void *b)
{
	const struct hrow *x = a, *y = b;

	if (x->kase != y->kase)
		return x->kase < y->kase ? -1 : 1;
	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Whether entering a state of kind k is itself that event (a state
 * "Escalated" mapped to escalation_manager); states of the other kinds
 * open, pause or resolve the case. */
static bool state_event(int k)
{
	return k == TSAM_EV_FIRST_RESPONSE || k == TSAM_EV_VENDOR_UPDATE ||
	       k == TSAM_EV_CUSTOMER_UPDATE ||
	       k == TSAM_EV_ESCALATION_MANAGER ||
	       k == TSAM_EV_ESCALATION_EXECUTIVE;
}

/*
 * Derives case k's events from its history rows h[0..n), in time order
 * (docs/cases.md, "History logs"). What the log says is compared with
 * what it said before: the severity with the last one (at first, the
 * cases file's label, before the e-mail rule), the state's class (open,
 * customer-pending, resolved) with the last one, the reopen counter with
 * its first value and the reopenings derived so far. Each row counts in
 * exactly one of with_events, without_events and untracked.
 */
static int derive_case(struct ld *l, uint32_t k, const struct hrow *h, size_t n)
{
	struct tsam_cases *cs = l->cs;
	const struct tsam_case *c = &cs->c[k];
	const struct tsam_map_history *mh = &l->o->map->hist;
	int sev = c->sev_given ? c->sev_given : c->sev0, prev = -1;
	bool resolved = false, paused = false, fr = false;
	int64_t c0 = -1, reopens = 0;
	/* an explained case: each row noted with the events it made, in
	 * the order they are added (tsam_cases_event_rows) */
	const char *xid =
	    l->o->nexplain ? tsam_cases_explained(l, c->id) : NULL;
	size_t i;
	int rc = TSAM_OK;

	for (i = 0; i < n && rc == TSAM_OK; i++) {
		const struct hrow *r = &h[i];
		uint8_t ev[8], esev[8];
		int ne = 0, j, kd = r->kind;

#define DERIVE(kind, s)                                                        \
	do {                                                                   \
		ev[ne] = (uint8_t)(kind);                                      \
		esev[ne++] = (uint8_t)(s);                                     \
	} while (0)
		if ((r->hist & HF_SEV) && r->sev != sev) {
			sev = r->sev;
			DERIVE(TSAM_EV_SEVERITY_CHANGE, sev);
		}
		if (r->hist & HF_COUNTER) {
			if (c0 < 0) {
				c0 = r->ctr;
			} else if ((int64_t)r->ctr - c0 > reopens) {
				reopens = (int64_t)r->ctr - c0;
				if (resolved) {
					resolved = false;
					DERIVE(TSAM_EV_REOPENED, 0);
				}
			}
		}
		if (!fr && ((r->hist & HF_LEFT) ||
			    (mh->first_assignee && (r->hist & HF_ASSIGNEE)))) {
			fr = true;
			DERIVE(TSAM_EV_FIRST_RESPONSE, 0);
		}
		if ((r->hist & HF_STATE) &&
		    (kd == TSAM_EV_RESOLVED || kd == TSAM_EV_CLOSED)) {
			if (!resolved) {
				resolved = true;
				paused = false; /* the resolution ends it */
				DERIVE(kd, 0);
			} else if (kd == TSAM_EV_CLOSED &&
				   prev != TSAM_EV_CLOSED) {
				DERIVE(TSAM_EV_CLOSED, 0);
			}
		} else if (r->hist & HF_STATE) {
			if (resolved) {
				resolved = false;
				reopens++;
				DERIVE(TSAM_EV_REOPENED, 0);
			}
			if (kd == TSAM_EV_PENDING_CUSTOMER && !paused) {
				paused = true;
				DERIVE(TSAM_EV_PENDING_CUSTOMER, 0);
			} else if (kd != TSAM_EV_PENDING_CUSTOMER && paused) {
				paused = false;
				DERIVE(TSAM_EV_RESUMED, 0);
			}
			if (state_event(kd) && kd != prev)
				DERIVE(kd, 0);
		}
#undef DERIVE
		if (r->hist & HF_STATE)
			prev = kd;
		if (r->t > cs->latest)
			cs->latest = r->t;
		for (j = 0; j < ne; j++) {
			if (tsam_cases_add_event(cs, k, r->t, ev[j], esev[j],
						 false) != TSAM_OK)
				return TSAM_ERR_NOMEM;
			cs->hist.derived[ev[j]]++;
			if (xid)
				rc = tsam_cases_note_row(l, xid, r->line,
							 TSAM_ROW_USED, r->t,
							 ev[j], esev[j], true);
		}
		if (xid && ne == 0)
			rc = tsam_cases_note_row(l, xid, r->line,
						 TSAM_ROW_NO_EFFECT, r->t,
						 r->kind, 0, false);
		if (ne > 0)
			cs->hist.with_events++;
		else if (r->hist & HF_UNTRACKED)
			cs->hist.untracked++;
		else
			cs->hist.without_events++;
		if (l->o->trace != NULL) {
			fprintf(l->o->trace, "%s:%u: %s:", cs->in[1].path,
				r->line, c->id);
			for (j = 0; j < ne; j++)
				if (ev[j] == TSAM_EV_SEVERITY_CHANGE)
					fprintf(l->o->trace,
						" severity_change %d", esev[j]);
				else
					fprintf(l->o->trace, " %s",
						tsam_ev_kind_name(
						    (enum tsam_ev_kind)ev[j]));
			fputs(ne ? "\n"
			      : r->hist & HF_UNTRACKED
				  ? " no event (a field the mapping does not "
				    "track)\n"
				  : " no event (nothing measured changed)\n",
			      l->o->trace);
		}
	}
	return rc;
}

/* Derives every case's events from the history rows h[0..n) (sorted here
 * by case and time when the log is not already). */
enum tsam_err tsam_cases_derive_all(struct ld *l, struct hrow *h, size_t n)
{
	size_t i, j;
	int rc = TSAM_OK;

	for (i = 1; i < n && hrow_cmp(&h[i - 1], &h[i]) <= 0; i++)
		;
	if (i < n)
		qsort(h, n, sizeof(*h), hrow_cmp);
	for (i = 0; rc == TSAM_OK && i < n; i = j) {
		for (j = i + 1; j < n && h[j].kase == h[i].kase; j++)
			;
		rc = derive_case(l, h[i].kase, h + i, j - i);
	}
	return rc;
}

json_object *tsam_cases_history_json(const struct tsam_cases *cs, int file)
{
	static const int kinds[] = {TSAM_EV_SEVERITY_CHANGE,
				    TSAM_EV_FIRST_RESPONSE,
				    TSAM_EV_VENDOR_UPDATE,
				    TSAM_EV_CUSTOMER_UPDATE,
				    TSAM_EV_PENDING_CUSTOMER,
				    TSAM_EV_RESUMED,
				    TSAM_EV_ESCALATION_MANAGER,
				    TSAM_EV_ESCALATION_EXECUTIVE,
				    TSAM_EV_RESOLVED,
				    TSAM_EV_CLOSED,
				    TSAM_EV_REOPENED};
	const struct tsam_history *h = &cs->hist;
	json_object *o, *d;
	size_t i;

	if (h->layout == TSAM_HIST_NONE || cs->in[file].path == NULL)
		return NULL;
	o = json_object_new_object();
	if (file == 0) {
		tsam_json_add_int(o, "later_rows_of_a_case",
				  (int64_t)h->repeated);
		return o;
	}
	tsam_json_add_str(o, "layout",
			  h->layout == TSAM_HIST_SNAPSHOTS ? "snapshots"
							   : "changes");
	tsam_json_add_int(o, "rows_with_events", (int64_t)h->with_events);
	tsam_json_add_int(o, "rows_without_events", (int64_t)h->without_events);
	tsam_json_add_int(o, "untracked_fields", (int64_t)h->untracked);
	d = json_object_new_object();
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		tsam_json_add_int(
		    d, tsam_ev_kind_name((enum tsam_ev_kind)kinds[i]),
		    (int64_t)h->derived[kinds[i]]);
	json_object_object_add(o, "derived", d);
	return o;
}
