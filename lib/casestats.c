/* casestats.c - stats.json from a customer's exports (casestats.h). */
#include "casestats.h"

#include "casedetail.h"

#include <stdlib.h>
#include <string.h>

/* The customer's cases among the explained ids, each once: their
 * timelines are traced by the SLA computation. */
static void pick_traces(const struct tsam_casestats_opts *o,
			struct tsam_casestats *st)
{
	size_t i, k;

	for (i = 0;
	     i < o->cases.nexplain && st->ntrace < TSAM_CASES_MAX_EXPLAIN;
	     i++) {
		const char *id = o->cases.explain[i];
		const struct tsam_case *c = tsam_cases_find(&st->cs, id);

		for (k = 0; k < i && strcmp(o->cases.explain[k], id) != 0; k++)
			;
		if (c == NULL || c->other || k < i)
			continue; /* not there, or named twice */
		st->traces[st->ntrace].kase = (uint32_t)(c - st->cs.c);
		tsam_buf_init(&st->traces[st->ntrace].text, 4u << 20);
		st->ntrace++;
	}
}

/* The support calendar; a 24x7 one in o->zone. A business calendar has
 * its own zone: another one is refused, not ignored. */
static enum tsam_err support_calendar(const struct tsam_casestats_opts *o,
				      struct tsam_casestats *st,
				      struct tsam_errbuf *eb)
{
	const char *cz;
	int rc;

	if (strcmp(o->calendar, "24x7") == 0)
		return tsam_cal_wall(o->zone, NULL, &st->support, eb);
	if ((rc = tsam_cal_named(o->datadir, o->calendar, &st->support, eb)) !=
	    TSAM_OK)
		return rc;
	cz = tsam_cal_zone(st->support);
	if (o->zone != NULL && strcmp(o->zone, cz) != 0)
		return tsam_errbuf_set(
		    eb, TSAM_ERR_INVAL,
		    "zone %s: calendar %s keeps its own zone (%s); a zone is "
		    "given to the 24x7 calendar only",
		    o->zone, tsam_cal_name(st->support), cz);
	return TSAM_OK;
}

enum tsam_err tsam_casestats_run(const struct tsam_casestats_opts *o,
				 struct tsam_casestats *st, json_object **out,
				 struct tsam_errbuf *eb)
{
	struct tsam_cases_opts co = o->cases;
	struct tsam_sla_opts so = o->sla;
	int rc;

	*out = NULL;
	memset(st, 0, sizeof(*st));
	if ((rc = tsam_mapping_init(&st->map)) != TSAM_OK)
		return tsam_errbuf_set(eb, rc, "out of memory");
	st->map_ok = true;
	if (o->encoding != NULL) {
		free(st->map.encoding);
		if ((st->map.encoding = strdup(o->encoding)) == NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
					       "out of memory");
	}
	if ((o->mapping != NULL &&
	     (rc = tsam_mapping_named(&st->map, o->datadir, o->mapping, eb)) !=
		 TSAM_OK) ||
	    (rc = support_calendar(o, st, eb)) != TSAM_OK ||
	    (rc = tsam_cal_named(o->datadir, "24x7", &st->wall, eb)) !=
		TSAM_OK ||
	    (strcmp(tsam_cal_zone(st->support), "UTC") != 0 &&
	     (rc = tsam_tz_load(NULL, tsam_cal_zone(st->support), &st->zone,
				eb)) != TSAM_OK))
		return rc;
	co.map = &st->map;
	co.zone = st->zone;
	if (co.nexplain > TSAM_CASES_MAX_EXPLAIN)
		co.nexplain = TSAM_CASES_MAX_EXPLAIN;
	if ((rc = tsam_cases_load(&st->cs, &co, eb)) != TSAM_OK)
		return rc;
	pick_traces(o, st);
	so.policy = o->policy;
	so.support = st->support;
	so.wall = st->wall;
	so.trace = st->traces;
	so.ntrace = st->ntrace;
	if ((rc = tsam_sla_stats(&st->cs, &so, out, eb)) != TSAM_OK ||
	    (rc = tsam_casedetail_add(&st->cs, o->policy, so.tier, *out,
				      so.max_list, eb)) != TSAM_OK) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}

void tsam_casestats_free(struct tsam_casestats *st)
{
	size_t i;

	for (i = 0; i < st->ntrace; i++)
		tsam_buf_free(&st->traces[i].text);
	tsam_cases_free(&st->cs);
	tsam_cal_free(st->support);
	tsam_cal_free(st->wall);
	tsam_tz_free(st->zone);
	if (st->map_ok)
		tsam_mapping_free(&st->map);
	memset(st, 0, sizeof(*st));
}
