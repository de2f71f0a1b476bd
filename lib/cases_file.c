/*
 * cases_file.c - the cases file: one row a case (its id, its key, its
 * creation, severity, channel, product and customer), and the events its
 * columns give (first response, resolution, closure). Ids arrive in an
 * arena and are hashed once they come out of order; rejected ids are
 * remembered, so that an event naming one says why it is not used. A
 * cases file that is itself the history log has later rows of a case:
 * snapshots, read again as the event log (cases_events.c).
 */
#include "cases_int.h"

#include "buf.h"

#include <stdlib.h>
#include <string.h>

/* Rejected case ids remembered, at most (more: "unknown case id"). */
#define MAX_REJECTED_IDS 100000

/* Index of name in the pool, added if new; 0 is "". UINT32_MAX: no memory. */
static uint32_t name_index(struct tsam_cases *cs, const char *s)
{
	size_t i;

	if (cs->nnames == 0) {
		cs->names = calloc(16, sizeof(*cs->names));
		if (cs->names == NULL || (cs->names[0] = strdup("")) == NULL)
			return UINT32_MAX;
		cs->nnames = 1;
		cs->capnames = 16;
	}
	for (i = cs->nnames; i-- > 0;)
		if (cs->names[i][0] == s[0] && strcmp(cs->names[i], s) == 0)
			return (uint32_t)i;
	if (cs->nnames == 65536)
		return UINT32_MAX; /* a label per row is not a category */
	if (tsam_grow(&cs->names, &cs->capnames, cs->nnames + 1,
		      sizeof(*cs->names)) != TSAM_OK)
		return UINT32_MAX;
	if ((cs->names[cs->nnames] = strdup(s)) == NULL)
		return UINT32_MAX;
	return (uint32_t)cs->nnames++;
}

/* A later row of case c in a cases file that is the history log itself:
 * one of its snapshots (read again as the event file), not a duplicate. */
static int log_row(struct tsam_cases *cs, const struct tsam_case *c)
{
	if (c->other) {
		cs->in[0].other++;
	} else {
		cs->in[0].used++;
		cs->hist.repeated++;
	}
	return TSAM_OK;
}

/* A rejected case row naming id (the reason in l->why): its id
 * remembered (unless the case exists: dup), the row kept when explained. */
static int note_rejected(struct ld *l, const char *id, size_t line, bool dup)
{
	const char *xid = l->o->nexplain ? tsam_cases_explained(l, id) : NULL;

	if (!dup && l->nrids < MAX_REJECTED_IDS) {
		struct rej_id *r;

		if (tsam_grow(&l->rids, &l->caprids, l->nrids + 1,
			      sizeof(*l->rids)) != TSAM_OK)
			return TSAM_ERR_NOMEM;
		r = &l->rids[l->nrids];
		if ((r->id = tsam_cases_arena_dup(&l->cs->arena, id,
						  strlen(id))) == NULL)
			return TSAM_ERR_NOMEM;
		r->line = (uint32_t)line;
		l->nrids++;
	}
	return xid ? tsam_cases_note_row(l, xid, line, TSAM_ROW_REJECTED, -1, 0,
					 0, false)
		   : TSAM_OK;
}

static int rid_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rej_id *)a)->id,
		      ((const struct rej_id *)b)->id);
}

/* Sorting: by id, then line. */
static int rid_sort(const void *a, const void *b)
{
	const struct rej_id *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

/* The line of the first rejected case row with id, or 0. */
uint32_t tsam_cases_rejected_line(const struct ld *l, const char *id)
{
	struct rej_id key = {id, 0};
	const struct rej_id *r;

	if (l->nrids == 0)
		return 0;
	r = bsearch(&key, l->rids, l->nrids, sizeof(*l->rids), rid_cmp);
	while (r != NULL && r > l->rids && strcmp(r[-1].id, id) == 0)
		r--; /* the first of equal ids: the smallest line */
	return r ? r->line : 0;
}

static int case_row(struct ld *l, size_t line, char **f)
{
	struct tsam_cases *cs = l->cs;
	const struct tsam_mapping *m = l->o->map;
	const char *id = field(l, f, TSAM_COL_ID);
	const char *key =
	    l->col[TSAM_COL_KEY] >= 0 ? field(l, f, TSAM_COL_KEY) : id;
	const char *cust = field(l, f, TSAM_COL_CUSTOMER);
	const char *sevs = field(l, f, TSAM_COL_SEVERITY);
	const char *chs = field(l, f, TSAM_COL_CHANNEL);
	struct tsam_case *c;
	int64_t created, t[3];
	int sev, ch, i;
	size_t slot;
	uint64_t h;
	const char *xid = l->o->nexplain ? tsam_cases_explained(l, id) : NULL;
	bool other = l->o->customer != NULL && l->col[TSAM_COL_CUSTOMER] >= 0 &&
		     strcmp(cust, l->o->customer) != 0;
	static const int cols[3] = {TSAM_COL_FIRST_RESPONSE, TSAM_COL_RESOLVED,
				    TSAM_COL_CLOSED};
	static const int kinds[3] = {TSAM_EV_FIRST_RESPONSE, TSAM_EV_RESOLVED,
				     TSAM_EV_CLOSED};

	if (id[0] == '\0') {
		reject(l, line, "empty case id");
		return TSAM_OK;
	}
	if (key[0] == '\0') {
		reject(l, line, "%s: empty case key",
		       m->case_cols[TSAM_COL_KEY]);
		return TSAM_OK;
	}
	if (m->hist.cases_log && cs->n > 0 &&
	    strcmp(case_key(&cs->c[cs->n - 1]), key) == 0)
		return log_row(cs, &cs->c[cs->n - 1]); /* the usual: in a row */
	if (!cs->hash_built && cs->n > 0 &&
	    strcmp(case_key(&cs->c[cs->n - 1]), key) >= 0 &&
	    tsam_cases_hash_build(cs) != TSAM_OK)
		return TSAM_ERR_NOMEM; /* out of order: from here on, hashed */
	if (cs->hash_built && cs->hused * 2 >= cs->hcap &&
	    tsam_cases_hash_grow(cs) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	h = cs->hash_built ? hash_str(key) : 0;
	slot = cs->hash_built ? hash_slot(cs, key, h) : 0;
	if (cs->hash_built && cs->hash[slot] != 0) {
		c = &cs->c[((uint32_t)cs->hash[slot] & ~OTHER_BIT) - 1];
		if (m->hist.cases_log)
			return log_row(cs, c);
		reject(l, line, "duplicate case id \"%s\" (first on line %u)",
		       key, c->line);
		return note_rejected(l, id, line, true);
	}
	created = tsam_cases_parse_time(l, field(l, f, TSAM_COL_CREATED));
	if (created < 0) {
		reject(l, line,
		       "%s: \"%s\" is not a time in format \"%s\" "
		       "(1980-2099)",
		       m->case_cols[TSAM_COL_CREATED],
		       field(l, f, TSAM_COL_CREATED), m->time_format);
		return note_rejected(l, id, line, false);
	}
	sev = tsam_mapping_severity(m, sevs);
	if (sev < 0) {
		reject(l, line,
		       "%s: unknown label \"%s\" (add it to the mapping's "
		       "\"severity\")",
		       m->case_cols[TSAM_COL_SEVERITY], sevs);
		return note_rejected(l, id, line, false);
	}
	if (tsam_grow(&cs->c, &cs->cap, cs->n + 1, sizeof(*cs->c)) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	if (cs->n >= OTHER_BIT - 1)
		return TSAM_ERR_TOOBIG;
	c = &cs->c[cs->n];
	memset(c, 0, sizeof(*c));
	c->id = tsam_cases_arena_dup(&cs->arena, id, strlen(id));
	if (c->id == NULL)
		return TSAM_ERR_NOMEM;
	if (key != id && (c->key = tsam_cases_arena_dup(&cs->arena, key,
							strlen(key))) == NULL)
		return TSAM_ERR_NOMEM;
	c->line = (uint32_t)line;
	if (cs->hash_built) {
		cs->hash[slot] = (h >> 32 << 32) | (uint32_t)(cs->n + 1) |
				 (other ? OTHER_BIT : 0);
		cs->hused++;
	}
	cs->n++;
	if (other) {
		c->other = 1;
		cs->in[0].other++;
		return xid ? tsam_cases_note_row(l, xid, line, TSAM_ROW_OTHER,
						 created, TSAM_EV_CREATED, 0,
						 false)
			   : TSAM_OK;
	}
	c->created = created;
	if (created > cs->latest)
		cs->latest = created;
	ch = chs[0] ? tsam_mapping_channel(m, chs) : -1;
	c->channel = name_index(cs, ch >= 0 ? m->channels[ch] : chs);
	c->product = name_index(cs, field(l, f, TSAM_COL_PRODUCT));
	c->customer = name_index(cs, cust);
	if (c->channel == UINT32_MAX || c->product == UINT32_MAX ||
	    c->customer == UINT32_MAX)
		return TSAM_ERR_TOOBIG;
	c->sev_given = (uint8_t)sev;
	if (sev == 0) {
		sev = 3; /* not given: severity 3 */
		c->sev_defaulted = 1;
	}
	if (m->email_starts_at_3 &&
	    strcmp(cs->names[c->channel], "email") == 0 && sev < 3) {
		sev = 3; /* e-mail starts at 3 unless it is a 4 */
		c->email_adjusted = 1;
	}
	c->sev0 = (uint8_t)sev;
	if (xid && tsam_cases_note_row(l, xid, line, TSAM_ROW_USED, created,
				       TSAM_EV_CREATED, sev, false) != TSAM_OK)
		return TSAM_ERR_NOMEM;
	/* a bad time in one of these costs that field, not the case: the
	 * field is rejected (listed, counted in fields_rejected) and the
	 * case goes on as if it were empty */
	for (i = 0; i < 3; i++) {
		const char *s = field(l, f, cols[i]);

		t[i] = s[0] != '\0' ? tsam_cases_parse_time(l, s) : -1;
		if (s[0] != '\0' && (t[i] < 0 || t[i] < created)) {
			if (t[i] < 0)
				reject_field(
				    l, line,
				    "%s: \"%s\" is not a time in format "
				    "\"%s\" (1980-2099): the field is ignored, "
				    "case \"%s\" kept",
				    m->case_cols[cols[i]], s, m->time_format,
				    id);
			else
				reject_field(
				    l, line,
				    "%s: \"%s\" is before the creation of "
				    "case \"%s\" (%s): the field is ignored, "
				    "the case kept",
				    m->case_cols[cols[i]], s, id,
				    field(l, f, TSAM_COL_CREATED));
			if (xid && tsam_cases_note_row(
				       l, xid, line, TSAM_ROW_FIELD_REJECTED,
				       t[i], kinds[i], 0, false) != TSAM_OK)
				return TSAM_ERR_NOMEM;
			continue;
		}
		if (t[i] < 0)
			continue;
		if (tsam_cases_add_event(cs, (uint32_t)(cs->n - 1), t[i],
					 kinds[i], 0, true) != TSAM_OK ||
		    (xid &&
		     tsam_cases_note_row(l, xid, line, TSAM_ROW_USED, t[i],
					 kinds[i], 0, true) != TSAM_OK))
			return TSAM_ERR_NOMEM;
	}
	cs->in[0].used++;
	return TSAM_OK;
}

static int on_case_row(void *ctx, size_t line, char **f, const size_t *lens,
		       size_t n, const char *bad)
{
	struct ld *l = ctx;
	int rc, role;

	if (!l->header_done) {
		l->fatal = tsam_cases_take_header(l, line, f, n, bad);
		return l->fatal != TSAM_OK;
	}
	l->cs->in[0].rows++;
	if (bad != NULL)
		reject(l, line, "%s", bad);
	else if (n != l->ncols)
		reject(l, line, "%zu fields where the header has %zu", n,
		       l->ncols);
	else if ((role = too_long(l, lens)) >= 0)
		reject(l, line,
		       "%s: %zu bytes, more than the %d KiB a column the "
		       "mapping uses may hold",
		       l->o->map->case_cols[role], lens[l->col[role]],
		       TSAM_CASES_MAX_FIELD / 1024);
	else if ((rc = case_row(l, line, f)) != TSAM_OK)
		l->fatal =
		    tsam_errbuf_set(l->eb, rc, "%s:%zu: %s", l->cs->in[0].path,
				    line, tsam_strerror(rc));
	return l->fatal != TSAM_OK;
}

/* A line of the cases file lost in a broken quoted field. */
static int on_case_lost(void *ctx, size_t line, size_t rec_line)
{
	struct ld *l = ctx;

	l->cs->in[0].rows++;
	lose(l, line, LOST_WHY, rec_line);
	return l->fatal != TSAM_OK;
}

static bool case_row_like(void *ctx, char **f, const size_t *lens, size_t n,
			  bool open)
{
	return tsam_cases_row_like(ctx, f, lens, n, open);
}

/* Reads the cases file (main thread). */
static int read_cases(struct ld *l)
{
	const char *path = l->o->cases_path;
	struct tsam_csv_opts co;
	int rc;

	l->file = 0;
	l->cs->in[0].path = path;
	/* arrays sized from the file (a case per ~80 bytes), so a large
	 * export is not copied over and over */
	if (!l->cs->cap)
		tsam_cases_reserve((void **)&l->cs->c, &l->cs->cap,
				   tsam_cases_file_size(path) / 80,
				   sizeof(*l->cs->c));
	tsam_cases_csv_opts(&co, l, l);
	co.row = on_case_row;
	co.lost = on_case_lost;
	co.looks = case_row_like;
	rc = tsam_cases_read_file(l, path, &co, &l->cs->json[0], l->eb);
	if (l->fatal != TSAM_OK)
		return l->fatal;
	if (rc == TSAM_OK && !l->header_done)
		return tsam_errbuf_set(l->eb, TSAM_ERR_PARSE,
				       "%s: empty (no header row)", path);
	return rc;
}

int tsam_cases_read_cases(struct ld *l)
{
	int rc = read_cases(l);

	if (l->nrids > 1)
		qsort(l->rids, l->nrids, sizeof(*l->rids), rid_sort);
	return rc;
}
