/*
 * casedetail.c - stats.json's "review_detail" (casedetail.h): one walk
 * over each case's events up to the end of the quarter (or as_of, when
 * earlier), with the rules lib/sla.c applies to them - an event of the
 * cases file counts only when the event log has none of its kind; a
 * resolution or closure ends the case, a reopening opens it again; a
 * customer-pending pause lasts until it is resumed or the customer
 * answers - so that the open cases listed are the ones counts.backlog_end
 * counts. Calls cases, policy, json, date; never sla (the figures it adds
 * are of another kind, not a second computation of the same ones).
 */
#include "casedetail.h"

#include "date.h"

#include <stdio.h>
#include <string.h>

#define DEFAULT_MAX 1000

static const char *const kind_names[] = {
    "created",	       "first_response",     "vendor_update",
    "customer_update", "severity_change",    "pending_customer",
    "resumed",	       "escalation_manager", "escalation_executive",
    "resolved",	       "reopened",	     "closed"};

/* The name of event kind k (enum tsam_ev_kind), or "event". */
static const char *kind_name(unsigned k)
{
	return k < sizeof(kind_names) / sizeof(kind_names[0]) ? kind_names[k]
							      : "event";
}

/* One case's state at the end point. */
struct state {
	bool open, paused, contacted;
	int sev;
	const struct tsam_event *last; /* the last event that counted */
};

/* Walks case c's events up to end (inclusive) as lib/sla.c does. */
static void walk(const struct tsam_cases *cs, const struct tsam_case *c,
		 int64_t end, struct state *st, json_object *changes,
		 int64_t qstart, size_t max, size_t *nchanges)
{
	const struct tsam_event *ev = cs->ev + c->ev0;
	bool explicit_kind[TSAM_EV_KINDS] = {false};
	uint32_t i;

	memset(st, 0, sizeof(*st));
	st->open = true;
	st->sev = c->sev0;
	for (i = 0; i < c->nev; i++)
		if (!ev[i].implicit)
			explicit_kind[ev[i].kind] = true;
	for (i = 0; i < c->nev && ev[i].t <= end; i++) {
		const struct tsam_event *e = &ev[i];

		if (e->implicit && explicit_kind[e->kind])
			continue;
		switch ((enum tsam_ev_kind)e->kind) {
		case TSAM_EV_FIRST_RESPONSE:
		case TSAM_EV_VENDOR_UPDATE:
			st->contacted = true;
			break;
		case TSAM_EV_PENDING_CUSTOMER:
			st->paused = true;
			break;
		case TSAM_EV_RESUMED:
		case TSAM_EV_CUSTOMER_UPDATE:
			st->paused = false;
			break;
		case TSAM_EV_SEVERITY_CHANGE:
			if (e->sev >= 1 && e->sev <= 4 && e->sev != st->sev) {
				if (e->t >= qstart && changes != NULL) {
					if (*nchanges < max) {
						json_object *o =
						    json_object_new_object();

						tsam_json_add_str(o, "case",
								  c->id);
						tsam_json_add_time(
						    o, "at", (double)e->t);
						tsam_json_add_int(o, "from",
								  st->sev);
						tsam_json_add_int(o, "to",
								  e->sev);
						json_object_array_add(changes,
								      o);
					}
					(*nchanges)++;
				}
				st->sev = e->sev;
			}
			break;
		case TSAM_EV_RESOLVED:
		case TSAM_EV_CLOSED:
			st->open = false;
			st->paused = false;
			break;
		case TSAM_EV_REOPENED:
			st->open = true;
			break;
		case TSAM_EV_ESCALATION_MANAGER:
		case TSAM_EV_ESCALATION_EXECUTIVE:
		case TSAM_EV_CREATED:
		case TSAM_EV_NONE:
			break;
		}
		if (e->kind != TSAM_EV_NONE)
			st->last = e;
	}
}

/* The open case c as a JSON object at end. */
static json_object *open_case(const struct tsam_cases *cs,
			      const struct tsam_case *c, const struct state *st,
			      int64_t end)
{
	json_object *o = json_object_new_object();
	const char *status =
	    st->paused ? "waiting_customer"
		       : (st->contacted ? "in_progress" : "awaiting_response");

	tsam_json_add_str(o, "case", c->id);
	tsam_json_add_int(o, "severity", st->sev);
	tsam_json_add_time(o, "received", (double)c->created);
	tsam_json_add_int(o, "age_s", end - c->created);
	tsam_json_add_str(o, "product",
			  c->product ? cs->names[c->product] : "");
	tsam_json_add_str(o, "channel",
			  c->channel ? cs->names[c->channel] : "");
	tsam_json_add_str(o, "status", status);
	tsam_json_add_str(o, "last_event",
			  st->last ? kind_name(st->last->kind) : "created");
	tsam_json_add_time(o, "last_event_at",
			   (double)(st->last ? st->last->t : c->created));
	tsam_json_add_str(o, "waiting_on", st->paused ? "customer" : "vendor");
	return o;
}

/* A target of the policy as {"kind", "seconds" | "business_days",
 * "clock", "as_written"}, or null. On a 24x7 support calendar N business
 * days are N x 24 h around the clock, and are shown as such. */
static json_object *target_json(const struct tsam_spec *s, bool wall)
{
	json_object *o;

	if (s->kind == TSAM_SPEC_NONE)
		return NULL;
	o = json_object_new_object();
	if (s->kind == TSAM_SPEC_ANY_TIME) {
		tsam_json_add_str(o, "kind", "any_time");
	} else if (s->business_days > 0 && !wall) {
		tsam_json_add_str(o, "kind", "business_days");
		tsam_json_add_int(o, "business_days", s->business_days);
	} else {
		tsam_json_add_str(o, "kind", "duration");
		tsam_json_add_int(o, "seconds",
				  s->business_days > 0
				      ? (int64_t)s->business_days * 86400
				      : s->seconds);
		tsam_json_add_str(
		    o, "clock", s->support_clock && !wall ? "support" : "24x7");
	}
	if (s->kind == TSAM_SPEC_DURATION && s->as_written[0] != '\0')
		tsam_json_add_str(o, "as_written", s->as_written);
	return o;
}

/* The contract: targets per severity and the credit rule. */
static void contract(json_object *d, const struct tsam_policy *pol,
		     enum tsam_tier tier, bool wall)
{
	json_object *t = json_object_new_object(), *cr, *pp, *tl;
	int s, k;
	char key[16]; /* "1" to "4" */

	for (s = 0; s < TSAM_SEVERITIES; s++) {
		json_object *o = json_object_new_object();

		for (k = 0; k < TSAM_TARGETS; k++)
			json_object_object_add(
			    o, tsam_target_name((enum tsam_target)k),
			    target_json(&pol->spec[tier][s][k], wall));
		snprintf(key, sizeof(key), "%d", s + 1);
		json_object_object_add(t, key, o);
	}
	json_object_object_add(d, "targets", t);
	cr = json_object_new_object();
	tsam_json_add_bool(cr, "eligible", pol->credit_tier[tier]);
	tl = json_object_new_array();
	for (k = 0; k < TSAM_TARGETS; k++)
		if (pol->credit_target[k])
			json_object_array_add(
			    tl, json_object_new_string(
				    tsam_target_name((enum tsam_target)k)));
	json_object_object_add(cr, "targets", tl);
	pp = json_object_new_object();
	for (s = 0; s < TSAM_SEVERITIES; s++) {
		snprintf(key, sizeof(key), "%d", s + 1);
		tsam_json_add_double(pp, key, pol->credit_percent[s]);
	}
	json_object_object_add(cr, "percent_per_miss", pp);
	tsam_json_add_double(cr, "cap_percent", pol->credit_cap);
	json_object_object_add(d, "credit_rule", cr);
}

enum tsam_err tsam_casedetail_add(const struct tsam_cases *cs,
				  const struct tsam_policy *pol,
				  enum tsam_tier tier, json_object *stats,
				  size_t max_list, struct tsam_errbuf *eb)
{
	json_object *period = NULL, *d, *open, *changes;
	const char *se, *ss, *sa, *cal;
	time_t end, start, as_of;
	size_t i, nopen = 0, nchanges = 0,
		  max = max_list ? max_list : DEFAULT_MAX;

	json_object_object_get_ex(stats, "period", &period);
	se = tsam_json_str(period, "end");
	ss = tsam_json_str(period, "start");
	sa = tsam_json_str(stats, "as_of");
	if (se == NULL || ss == NULL || sa == NULL ||
	    (end = tsam_time_parse(se)) < 0 ||
	    (start = tsam_time_parse(ss)) < 0 ||
	    (as_of = tsam_time_parse(sa)) < 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "stats: period.start, period.end and "
				       "as_of are needed for the review's "
				       "detail");
	d = json_object_new_object();
	open = json_object_new_array();
	changes = json_object_new_array();
	if (d == NULL || open == NULL || changes == NULL) {
		json_object_put(d);
		json_object_put(open);
		json_object_put(changes);
		return TSAM_ERR_NOMEM;
	}
	tsam_json_add_time(d, "at", (double)(as_of < end ? as_of : end));
	for (i = 0; i < cs->n; i++) {
		const struct tsam_case *c = &cs->c[i];
		struct state st;
		/* open at the quarter's end, as counts.backlog_end: events
		 * up to it, none after as_of */
		int64_t point = as_of < end ? (int64_t)as_of : (int64_t)end;

		if (c->other || c->created > (int64_t)end)
			continue;
		walk(cs, c, point, &st, changes, (int64_t)start, max,
		     &nchanges);
		if (!st.open)
			continue;
		if (nopen < max)
			json_object_array_add(open,
					      open_case(cs, c, &st, point));
		nopen++;
	}
	json_object_object_add(d, "open_cases", open);
	tsam_json_add_int(d, "open_cases_total", (int64_t)nopen);
	json_object_object_add(d, "severity_changes", changes);
	tsam_json_add_int(d, "severity_changes_total", (int64_t)nchanges);
	cal = tsam_json_str(period, "calendar");
	contract(d, pol, tier, cal != NULL && strcmp(cal, "24x7") == 0);
	json_object_object_add(stats, "review_detail", d);
	return TSAM_OK;
}
