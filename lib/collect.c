/*
 * collect.c - collection runs: script, run directory, resume.
 *
 * Size: a collection run's whole life - script, host results to snapshots
 * and run.json, resume and retry merging - around one struct; the run
 * directory's reading is rundir.c, keys identity.c.
 */
#include "collect.h"

#include "facts.h"
#include "fsio.h"
#include "hostlist.h"
#include "json.h"
#include "redact.h"
#include "log.h"
#include "reach.h"
#include "rundir.h"
#include "sections.h"
#include "ssh.h"
#include "str.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#ifndef TSAM_VERSION
#define TSAM_VERSION "0"
#endif

/* Seconds between rewrites of run.json while a run goes on. */
#define RUN_JSON_PERIOD 2.0

static bool valid_collector(const char *n)
{
	const char *p;

	if (*n == '\0' || strlen(n) > 48)
		return false;
	for (p = n; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '-'))
			return false;
	return true;
}

static int add_file(struct tsam_buf *out, const char *path,
		    struct tsam_errbuf *eb)
{
	struct tsam_buf f;
	int rc;

	tsam_buf_init(&f, 1u << 20);
	rc = tsam_fsio_read(path, &f, eb);
	if (rc == TSAM_OK)
		rc = tsam_buf_add(out, f.data ? f.data : "", f.len);
	tsam_buf_free(&f);
	return rc;
}

enum tsam_err tsam_collect_script(const char *datadir, const char *const *names,
				  size_t n, const char *boundary,
				  struct tsam_buf *out, struct tsam_errbuf *eb)
{
	char path[4096];
	size_t i;
	int rc;

	rc = tsam_buf_addf(out, "TSAM_B=%s\n", boundary);
	snprintf(path, sizeof(path), "%s/collectors/common.sh", datadir);
	if (rc == TSAM_OK)
		rc = add_file(out, path, eb);
	if (rc == TSAM_OK)
		rc = tsam_buf_adds(out, "tsam_header\n");
	for (i = 0; rc == TSAM_OK && i < n; i++) {
		if (!valid_collector(names[i]))
			return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
					       "bad collector name '%s'",
					       names[i]);
		snprintf(path, sizeof(path), "%s/collectors/%s/collect.sh",
			 datadir, names[i]);
		if (access(path, R_OK) != 0)
			return tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND,
					       "collector '%s': %s: %s",
					       names[i], path, strerror(errno));
		rc = tsam_buf_addf(out, "TSAM_COLLECTOR=%s\n(\n", names[i]);
		if (rc == TSAM_OK)
			rc = add_file(out, path, eb);
		if (rc == TSAM_OK)
			rc = tsam_buf_adds(out, "\n)\n");
	}
	if (rc == TSAM_OK)
		rc = tsam_buf_adds(out, "tsam_trailer\n");
	return rc;
}

struct collect_run {
	const struct tsam_collect_opts *o;
	const struct tsam_inventory *inv;
	const size_t *sel;
	size_t nsel;
	size_t *pos;	   /* inventory index -> selection position */
	json_object **rec; /* per selection position; NULL: pending */
	char boundary[33];
	char started[32];
	double last_write;
	struct tsam_collect_summary *sum;
	char hostsdir[4096];
	struct tsam_buf script; /* what every host runs */
	size_t *todo, ntodo;	/* inventory indexes still to collect */
	bool begun;		/* run.json written once: write it at the end */
	struct tsam_reach_set reach; /* how to reach each host */
	/* resume and retry merge, never drop: the earlier records of hosts
	 * not selected this time (per inventory index, or NULL), of hosts no
	 * longer in the inventory (in their order), and what changed */
	json_object **other;
	json_object *removed; /* array */
	json_object *history; /* array: one entry per resume/retry */
};

static double wall(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static json_object *host_base(const struct collect_run *R,
			      const struct tsam_host *h)
{
	json_object *o = json_object_new_object(), *labels;
	const struct tsam_reach *r;
	size_t i;

	if (o == NULL)
		return NULL;
	/* where and as whom it is reached: the inventory, the command line
	 * and ssh_config merged (reach.h) */
	r = &R->reach.v[h - R->inv->hosts];
	tsam_json_add_str(o, "name", h->name);
	tsam_json_add_str(o, "address", r->address);
	tsam_json_add_int(o, "port", r->port);
	tsam_json_add_str(o, "user", r->user);
	if (r->proxy_jump != NULL)
		tsam_json_add_str(o, "jump", r->proxy_jump);
	if (r->proxy_command != NULL)
		tsam_json_add_str(o, "proxy_command", r->proxy_command);
	labels = json_object_new_object();
	for (i = 0; labels && i < h->nlabels; i++)
		tsam_json_add_str(labels, h->labels[i].key, h->labels[i].value);
	json_object_object_add(o, "labels", labels);
	return o;
}

static int write_run_json(struct collect_run *R, const char *state, bool final,
			  struct tsam_errbuf *eb)
{
	json_object *root = json_object_new_object(), *inv, *hosts, *cols,
		    *opts, *counts;
	size_t i, cnt[TSAM_HOST__COUNT] = {0}, pending = 0, limited = 0;
	size_t n_removed =
	    R->removed ? json_object_array_length(R->removed) : 0;
	char path[4096];
	int rc;

	if (root == NULL)
		return TSAM_ERR_NOMEM;
	tsam_json_add_str(root, "schema", TSAM_RUN_SCHEMA);
	tsam_json_add_str(root, "tool", "tsam-collect");
	tsam_json_add_str(root, "version", TSAM_VERSION);
	tsam_json_add_str(root, "state", state);
	tsam_json_add_str(root, "started", R->started);
	if (final) {
		tsam_json_add_time(root, "ended", wall());
	} else {
		tsam_json_add_str(root, "ended", NULL);
	}
	inv = json_object_new_object();
	tsam_json_add_str(inv, "path", R->inv->path);
	tsam_json_add_str(inv, "sha256", R->inv->digest);
	tsam_json_add_int(inv, "hosts", (int64_t)R->inv->n);
	json_object_object_add(root, "inventory", inv);
	cols = json_object_new_array();
	for (i = 0; i < R->o->ncollectors; i++)
		json_object_array_add(
		    cols, json_object_new_string(R->o->collectors[i]));
	json_object_object_add(root, "collectors", cols);
	opts = json_object_new_object();
	tsam_json_add_int(opts, "jobs", R->o->fan.jobs);
	tsam_json_add_double(opts, "connect_timeout",
			     R->o->fan.connect_timeout_ms / 1000.0);
	tsam_json_add_double(opts, "login_timeout",
			     R->o->fan.login_timeout_ms / 1000.0);
	tsam_json_add_double(opts, "command_timeout",
			     R->o->fan.command_timeout_ms / 1000.0);
	tsam_json_add_int(opts, "max_output", (int64_t)R->o->fan.max_output);
	tsam_json_add_int(opts, "retries", R->o->fan.retries);
	tsam_json_add_int(opts, "max_startups", R->o->fan.max_startups);
	tsam_json_add_int(opts, "jump_channels", R->o->fan.jump_channels);
	tsam_json_add_bool(opts, "accept_new", R->o->fan.accept_new);
	tsam_json_add_str(opts, "become", tsam_become_name(R->o->fan.become));
	json_object_object_add(root, "options", opts);
	hosts = json_object_new_array_ext((int)R->nsel);
	/* inventory order: the selected hosts, and the earlier records of
	 * the others; then the hosts no longer in the inventory */
	for (i = 0; i < R->inv->n + n_removed; i++) {
		json_object *h, *d;
		int st;

		if (i >= R->inv->n)
			h = json_object_array_get_idx(R->removed,
						      i - R->inv->n);
		else if (R->pos[i] != SIZE_MAX)
			h = R->rec[R->pos[i]];
		else if ((h = R->other ? R->other[i] : NULL) == NULL)
			continue; /* not selected, never collected */
		if (h == NULL) {
			h = host_base(R, &R->inv->hosts[i]);
			tsam_json_add_str(h, "status", "pending");
			json_object_array_add(hosts, h);
			pending++;
			continue;
		}
		st = tsam_host_status_parse(tsam_json_str(h, "status"));
		if (st >= 0)
			cnt[st]++;
		if (json_object_object_get_ex(h, "denied", &d) &&
		    json_object_is_type(d, json_type_array) &&
		    json_object_array_length(d) > 0)
			limited++;
		json_object_array_add(hosts, json_object_get(h));
	}
	counts = json_object_new_object();
	tsam_json_add_int(counts, "selected", (int64_t)R->nsel);
	for (i = 0; i < TSAM_HOST__COUNT; i++)
		tsam_json_add_int(
		    counts, tsam_host_status_name((enum tsam_host_status)i),
		    (int64_t)cnt[i]);
	tsam_json_add_int(counts, "pending", (int64_t)pending);
	tsam_json_add_int(counts, "limited", (int64_t)limited);
	json_object_object_add(root, "counts", counts);
	if (R->history != NULL)
		json_object_object_add(root, "history",
				       json_object_get(R->history));
	json_object_object_add(root, "hosts", hosts);
	snprintf(path, sizeof(path), "%s/run.json", R->o->rundir);
	rc = tsam_json_save(path, root, 0600, eb);
	json_object_put(root);
	R->last_write = wall();
	return rc;
}

/* The first non-empty line of b, printable ASCII and redacted, for a
 * message. */
static void first_line(const struct tsam_buf *b, char *out, size_t outsz)
{
	struct tsam_cur all = tsam_cur_make(b->data ? b->data : "", b->len);
	struct tsam_cur line = tsam_cur_make("", 0);
	char *red;
	size_t i, j, n;

	out[0] = '\0';
	while (tsam_cur_getline(&all, &line)) {
		tsam_cur_trim(&line);
		if (line.n > 0)
			break;
	}
	red = tsam_redact(line.p, line.n > 512 ? 512 : line.n, &n, NULL);
	for (i = j = 0; red != NULL && i < n && j + 1 < outsz; i++)
		out[j++] = red[i] >= 0x20 && red[i] < 0x7f ? red[i] : '?';
	out[j] = '\0';
	free(red);
}

/* Decides the final status of a host whose transport succeeded. */
static enum tsam_host_status judge(const struct tsam_fanout_result *r,
				   const struct tsam_sections *secs, char *why,
				   size_t whysz)
{
	if (r->status != TSAM_HOST_OK && r->status != TSAM_HOST_TRUNCATED)
		return r->status;
	if (r->status == TSAM_HOST_TRUNCATED) {
		snprintf(why, whysz,
			 "output passed --max-output (%zu bytes) and was cut",
			 r->out.max);
		return TSAM_HOST_TRUNCATED;
	}
	if (r->closed && r->exit_signal[0] != '\0') {
		snprintf(why, whysz, "collector killed by signal %s",
			 r->exit_signal);
		return TSAM_HOST_COMMAND_FAILED;
	}
	if (!secs->header && r->out.len == 0 && r->err.len == 0) {
		snprintf(why, whysz,
			 "the login shell ran nothing and exited with status "
			 "%d: an account whose shell is /bin/false, nologin "
			 "or missing cannot run the collectors; give it a "
			 "shell such as /bin/sh",
			 r->exit_status);
		return TSAM_HOST_COMMAND_FAILED;
	}
	if (!secs->header) {
		char said[160];

		first_line(r->out.len ? &r->out : &r->err, said, sizeof(said));
		snprintf(why, whysz,
			 "the collectors did not run (exit status %d, %s); "
			 "the host %s: '%s'",
			 r->exit_status, secs->problem,
			 r->out.len ? "printed" : "said", said);
		return TSAM_HOST_COMMAND_FAILED;
	}
	if (!secs->trailer) {
		snprintf(why, whysz,
			 "collector output ended before its trailer (exit "
			 "status %d): the script was cut short",
			 r->exit_status);
		return TSAM_HOST_COMMAND_FAILED;
	}
	if (secs->trailer_rc != 0) {
		snprintf(why, whysz, "collector exited with status %d",
			 secs->trailer_rc);
		return TSAM_HOST_COMMAND_FAILED;
	}
	/*
	 * The trailer proves the script ran to its end. An exit status is
	 * known only when the channel closed within the grace period; when
	 * it did, a non-zero one still fails the host.
	 */
	if (r->closed && r->exit_status != 0) {
		snprintf(why, whysz,
			 "shell exited with status %d after the collector's "
			 "trailer",
			 r->exit_status);
		return TSAM_HOST_COMMAND_FAILED;
	}
	return TSAM_HOST_OK;
}

static json_object *sections_json(const struct tsam_sections *secs)
{
	json_object *cols = json_object_new_object();
	size_t i;

	for (i = 0; cols && i < secs->n; i++) {
		const struct tsam_section *s = &secs->v[i];
		json_object *c, *one;
		if (!json_object_object_get_ex(cols, s->collector, &c)) {
			c = json_object_new_object();
			json_object_object_add(cols, s->collector, c);
		}
		one = json_object_new_object();
		tsam_json_add_int(one, "rc", s->rc);
		tsam_json_add_bytes(one, "text", s->body, s->len);
		json_object_object_add(c, s->name, one);
	}
	return cols;
}

/*
 * Replaces every section body by a redacted copy (secrets never reach a
 * snapshot or a fact). Returns the copies, which the bodies now point
 * into; free them with free_redacted after the sections.
 */
static char **redact_sections(struct tsam_sections *secs, size_t *total)
{
	char **copies = calloc(secs->n ? secs->n : 1, sizeof(*copies));
	size_t i;

	*total = 0;
	for (i = 0; copies != NULL && i < secs->n; i++) {
		size_t len, count;
		copies[i] =
		    tsam_redact(secs->v[i].body, secs->v[i].len, &len, &count);
		if (copies[i] == NULL) {
			/* Out of memory: drop the text rather than keep it. */
			secs->v[i].len = 0;
			continue;
		}
		secs->v[i].body = copies[i];
		secs->v[i].len = len;
		*total += count;
	}
	return copies;
}

static void free_redacted(char **copies, size_t n)
{
	size_t i;

	for (i = 0; copies != NULL && i < n; i++)
		free(copies[i]);
	free(copies);
}

/* Cap on the login noise kept in a snapshot. */
#define PREAMBLE_KEEP 4096

/*
 * The login noise before the collectors' header (a shell's rc file, a
 * ForceCommand wrapper), redacted and capped, as the snapshot's
 * "preamble"; null when there was none.
 */
static void add_preamble(json_object *snap, const struct tsam_sections *secs)
{
	size_t n = secs->preamble_len < PREAMBLE_KEEP ? secs->preamble_len
						      : PREAMBLE_KEEP,
	       len;
	char *red;

	if (n == 0) {
		tsam_json_add_str(snap, "preamble", NULL);
		return;
	}
	red = tsam_redact(secs->preamble, n, &len, NULL);
	if (red != NULL)
		tsam_json_add_bytes(snap, "preamble", red, len);
	free(red);
}

/*
 * Who the collectors ran as, from the facts: the record's "uid" (null
 * when the collectors did not say) and "denied", the sections that
 * account could not collect as "collector/section" (the host is then
 * "collected without enough privilege").
 */
static void access_record(json_object *rec, json_object *facts)
{
	json_object *f = NULL, *uid = NULL, *denied = NULL, *list;
	size_t i;

	if (facts != NULL && json_object_object_get_ex(facts, "facts", &f)) {
		json_object_object_get_ex(f, "collect.uid", &uid);
		json_object_object_get_ex(f, "collect.denied", &denied);
	}
	json_object_object_add(rec, "uid", json_object_get(uid));
	list = json_object_new_array();
	for (i = 0; denied != NULL && i < json_object_array_length(denied);
	     i++) {
		json_object *d = json_object_array_get_idx(denied, i);
		char name[160];

		snprintf(name, sizeof(name), "%s/%s",
			 tsam_json_str(d, "collector"),
			 tsam_json_str(d, "section"));
		json_object_array_add(list, json_object_new_string(name));
	}
	json_object_object_add(rec, "denied", list);
}

static void on_done(void *ud, struct tsam_fanout_result *r)
{
	struct collect_run *R = ud;
	const struct tsam_host *h = &R->inv->hosts[r->index];
	size_t pos = R->pos[r->index];
	struct tsam_sections secs;
	json_object *rec, *ph, *facts = NULL;
	enum tsam_host_status st;
	char why[512] = "", file[1024], path[8192];
	struct tsam_errbuf eb;
	char **redacted, *err_red;
	size_t nredacted, nsecs, err_len;

	if (tsam_sections_parse(r->out.data ? r->out.data : "", r->out.len,
				R->boundary, &secs) != TSAM_OK)
		memset(&secs, 0, sizeof(secs));
	nsecs = secs.n;
	redacted = redact_sections(&secs, &nredacted);
	st = judge(r, &secs, why, sizeof(why));
	if (secs.n > 0 && tsam_facts_parse(&secs, &facts) != TSAM_OK)
		facts = NULL;
	rec = host_base(R, h);
	tsam_json_add_str(rec, "status", tsam_host_status_name(st));
	tsam_json_add_str(rec, "error", why[0] ? why : r->error);
	tsam_json_add_int(rec, "attempts", r->attempts);
	tsam_json_add_str(rec, "become", tsam_become_name(r->become));
	access_record(rec, facts);
	if (json_object_object_get_ex(rec, "denied", &ph) &&
	    json_object_array_length(ph) > 0) {
		R->sum->limited++;
		tsam_log(TSAM_LOG_DEBUG, h->name,
			 "collected without enough privilege: %zu section(s) "
			 "denied",
			 json_object_array_length(ph));
	}
	tsam_json_add_time(rec, "started", r->started);
	tsam_json_add_double(rec, "duration", r->ended - r->started);
	ph = json_object_new_object();
	tsam_json_add_double(ph, "connect", r->t_connect);
	tsam_json_add_double(ph, "handshake", r->t_handshake);
	tsam_json_add_double(ph, "auth", r->t_auth);
	tsam_json_add_double(ph, "command", r->t_command);
	json_object_object_add(rec, "phases", ph);
	tsam_json_add_int(rec, "bytes", (int64_t)r->bytes_in);
	if (r->closed) {
		tsam_json_add_int(rec, "exit_status", r->exit_status);
		tsam_json_add_str(rec, "exit_signal",
				  r->exit_signal[0] ? r->exit_signal : NULL);
	}
	if (secs.trailer)
		tsam_json_add_int(rec, "collector_status", secs.trailer_rc);

	tsam_errbuf_clear(&eb);
	if (r->out.len > 0 || r->err.len > 0) {
		json_object *snap = json_object_new_object();
		tsam_rundir_host_file(h->name, file, sizeof(file));
		snprintf(path, sizeof(path), "%s/%s", R->hostsdir, file);
		tsam_json_add_str(snap, "schema", TSAM_SNAPSHOT_SCHEMA);
		json_object_object_add(snap, "record", json_object_get(rec));
		tsam_json_add_str(snap, "format_problem",
				  secs.problem[0] ? secs.problem : NULL);
		add_preamble(snap, &secs);
		json_object_object_add(snap, "collectors",
				       sections_json(&secs));
		if (facts == NULL && tsam_facts_parse(&secs, &facts) != TSAM_OK)
			tsam_log(TSAM_LOG_ERROR, h->name,
				 "its facts could not be parsed (out of "
				 "memory): the snapshot holds its sections "
				 "only");
		json_object_object_add(snap, "facts", facts);
		facts = NULL;
		tsam_json_add_int(snap, "redactions", (int64_t)nredacted);
		err_red = tsam_redact(r->err.data ? r->err.data : "",
				      r->err.len, &err_len, NULL);
		tsam_json_add_bytes(snap, "stderr", err_red ? err_red : "",
				    err_red ? err_len : 0);
		free(err_red);
		tsam_json_add_bool(snap, "stderr_truncated",
				   r->err.len >= r->err.max);
		if (tsam_json_save_gz(path, snap, 0600, &eb) == TSAM_OK) {
			snprintf(path, sizeof(path), "hosts/%s", file);
			tsam_json_add_str(rec, "snapshot", path);
		} else {
			tsam_log(TSAM_LOG_ERROR, h->name, "%s",
				 tsam_errbuf_str(&eb, TSAM_ERR_IO));
			tsam_json_add_str(rec, "snapshot", NULL);
		}
		json_object_put(snap);
	}
	json_object_put(facts);
	tsam_sections_free(&secs);
	free_redacted(redacted, nsecs);
	if (st != TSAM_HOST_OK)
		tsam_log(TSAM_LOG_DEBUG, h->name, "%s: %s",
			 tsam_host_status_name(st), why[0] ? why : r->error);
	R->sum->counts[st]++;
	json_object_put(R->rec[pos]);
	R->rec[pos] = rec;
	if (wall() - R->last_write >= RUN_JSON_PERIOD) {
		tsam_errbuf_clear(&eb);
		if (write_run_json(R, "running", false, &eb) != TSAM_OK)
			tsam_log(TSAM_LOG_ERROR, NULL, "%s",
				 tsam_errbuf_str(&eb, TSAM_ERR_IO));
	}
}

/* Loads the record of an earlier ok snapshot of h, or NULL. */
static json_object *ok_snapshot(const struct collect_run *R,
				const struct tsam_host *h)
{
	char file[1024], path[8192];
	json_object *snap, *rec = NULL, *v;
	const char *st;

	tsam_rundir_host_file(h->name, file, sizeof(file));
	snprintf(path, sizeof(path), "%s/%s", R->hostsdir, file);
	if (tsam_fsio_regular(path, NULL) != TSAM_OK ||
	    tsam_json_load(path, TSAM_SNAPSHOT_MAX, &snap, NULL) != TSAM_OK)
		return NULL;
	if (json_object_object_get_ex(snap, "record", &v) &&
	    (st = tsam_json_str(v, "status")) != NULL &&
	    strcmp(st, "ok") == 0 && tsam_json_str(v, "name") &&
	    strcmp(tsam_json_str(v, "name"), h->name) == 0)
		rec = json_object_get(v);
	json_object_put(snap);
	return rec;
}

/* Whether rec (an earlier record) was collected from another address,
 * port or user than host h is now defined with. */
static bool redefined(const struct collect_run *R, json_object *rec,
		      const struct tsam_host *h)
{
	json_object *now = host_base(R, h);
	static const char *const keys[] = {"address", "port", "user"};
	bool diff = false;
	size_t k;

	for (k = 0; k < 3 && now != NULL; k++) {
		json_object *a = NULL, *b = NULL;
		json_object_object_get_ex(rec, keys[k], &a);
		json_object_object_get_ex(now, keys[k], &b);
		if (!json_object_equal(a, b))
			diff = true;
	}
	json_object_put(now);
	return diff;
}

/* Appends name to list (at most 100 names; the count says the rest). */
static void note_name(json_object *list, const char *name)
{
	if (json_object_array_length(list) < 100)
		json_object_array_add(list, json_object_new_string(name));
}

/*
 * --resume and --retry-failed: what the earlier run in the directory
 * keeps. Selected hosts keep an ok result (--resume: from their snapshot,
 * which a kill -9 cannot leave stale; --retry-failed: from run.json, where
 * hosts collected without enough privilege count as failed); hosts not
 * selected this time (--limit) and hosts no longer in the inventory keep
 * their records - a resume merges, it never drops. A host whose address,
 * port or user changed is collected again. What changed since the earlier
 * run is logged and kept in run.json's "history". *kept gets the number
 * of selected hosts kept.
 */
static int load_earlier(struct collect_run *R, size_t *kept,
			struct tsam_errbuf *eb)
{
	json_object *old = NULL, *hosts = NULL, *byname, *entry, *added,
		    *changed, *removed_names, *v;
	struct tsam_errbuf lerr;
	const char *old_sha = NULL;
	size_t i, nremoved = 0;
	int rc;

	*kept = 0;
	tsam_errbuf_clear(&lerr);
	rc = tsam_rundir_load(R->o->rundir, &old, &hosts, &lerr);
	if (rc != TSAM_OK && R->o->mode != TSAM_COLLECT_RESUME) {
		if (eb != NULL)
			*eb = lerr;
		return rc;
	}
	if (rc != TSAM_OK) /* the snapshots are the truth: go on */
		tsam_log(TSAM_LOG_WARN, NULL,
			 "%s; only hosts with a snapshot are kept",
			 tsam_errbuf_str(&lerr, rc));
	byname = json_object_new_object();
	R->other = calloc(R->inv->n ? R->inv->n : 1, sizeof(*R->other));
	R->removed = json_object_new_array();
	R->history = NULL;
	added = json_object_new_array();
	changed = json_object_new_array();
	removed_names = json_object_new_array();
	if (byname == NULL || R->other == NULL || R->removed == NULL ||
	    added == NULL || changed == NULL || removed_names == NULL) {
		json_object_put(byname);
		json_object_put(added);
		json_object_put(changed);
		json_object_put(removed_names);
		json_object_put(old);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	if (old != NULL) {
		if (json_object_object_get_ex(old, "history", &v) &&
		    json_object_is_type(v, json_type_array))
			R->history = json_object_get(v);
		if (json_object_object_get_ex(old, "inventory", &v))
			old_sha = tsam_json_str(v, "sha256");
	}
	for (i = 0; hosts != NULL && i < json_object_array_length(hosts); i++) {
		json_object *h = json_object_array_get_idx(hosts, i);
		const char *name = tsam_json_str(h, "name");
		if (name != NULL &&
		    !json_object_object_get_ex(byname, name, NULL))
			json_object_object_add(byname, name,
					       json_object_get(h));
	}
	for (i = 0; i < R->inv->n; i++) {
		const struct tsam_host *h = &R->inv->hosts[i];
		json_object *prev = NULL, *den;
		bool redef;
		const char *st;

		json_object_object_get_ex(byname, h->name, &prev);
		redef = prev != NULL && redefined(R, prev, h);
		if (prev == NULL && hosts != NULL)
			note_name(added, h->name);
		if (redef)
			note_name(changed, h->name);
		if (R->pos[i] == SIZE_MAX) {
			/* not selected: its earlier record stays */
			R->other[i] = prev ? json_object_get(prev)
					   : (R->o->mode == TSAM_COLLECT_RESUME
						  ? ok_snapshot(R, h)
						  : NULL);
		} else if (redef) {
			; /* collected again */
		} else if (R->o->mode == TSAM_COLLECT_RESUME) {
			R->rec[R->pos[i]] = ok_snapshot(R, h);
		} else if (prev != NULL &&
			   (st = tsam_json_str(prev, "status")) != NULL &&
			   strcmp(st, "ok") == 0 &&
			   !(json_object_object_get_ex(prev, "denied", &den) &&
			     json_object_is_type(den, json_type_array) &&
			     json_object_array_length(den) > 0)) {
			/* hosts collected without enough privilege are
			 * retried too (with --become, as the warning says) */
			R->rec[R->pos[i]] = json_object_get(prev);
		}
		if (R->pos[i] != SIZE_MAX && R->rec[R->pos[i]] != NULL)
			(*kept)++;
		if (prev != NULL)
			json_object_object_del(byname, h->name);
	}
	/* hosts no longer in the inventory: kept, in their order */
	for (i = 0; hosts != NULL && i < json_object_array_length(hosts); i++) {
		json_object *h = json_object_array_get_idx(hosts, i);
		const char *name = tsam_json_str(h, "name");

		if (name == NULL ||
		    !json_object_object_get_ex(byname, name, NULL))
			continue;
		json_object_array_add(R->removed, json_object_get(h));
		note_name(removed_names, name);
		json_object_object_del(byname, name);
		nremoved++;
	}
	if (old_sha != NULL && strcmp(old_sha, R->inv->digest) != 0)
		tsam_log(TSAM_LOG_WARN, NULL,
			 "%s changed since the run in %s began: %zu host(s) "
			 "added, %zu no longer listed (their records are "
			 "kept), %zu with another address, port or user "
			 "(collected again); run.json's \"history\" lists "
			 "them",
			 R->inv->path, R->o->rundir,
			 json_object_array_length(added), nremoved,
			 json_object_array_length(changed));
	entry = json_object_new_object();
	tsam_json_add_str(entry, "at", R->started);
	tsam_json_add_str(entry, "mode",
			  R->o->mode == TSAM_COLLECT_RESUME ? "resume"
							    : "retry_failed");
	tsam_json_add_str(entry, "inventory_was", old_sha);
	tsam_json_add_str(entry, "inventory", R->inv->digest);
	tsam_json_add_int(entry, "selected", (int64_t)R->nsel);
	json_object_object_add(entry, "added", added);
	json_object_object_add(entry, "no_longer_listed", removed_names);
	json_object_object_add(entry, "redefined", changed);
	if (R->history == NULL)
		R->history = json_object_new_array();
	json_object_array_add(R->history, entry);
	json_object_put(byname);
	json_object_put(old);
	return TSAM_OK;
}

/*
 * Prepares run R: the script, the run directory, what an earlier run
 * keeps, the hosts still to do, and a first run.json. R is the caller's
 * (zeroed); run_end frees it whatever this returns.
 */
static int run_begin(struct collect_run *R, const struct tsam_collect_opts *o,
		     const struct tsam_inventory *inv, const size_t *sel,
		     size_t nsel, struct tsam_collect_summary *sum,
		     struct tsam_errbuf *eb)
{
	size_t i, kept = 0;
	char path[4096];
	int rc;

	memset(sum, 0, sizeof(*sum));
	R->o = o;
	R->inv = inv;
	R->sel = sel;
	R->nsel = nsel;
	R->sum = sum;
	sum->selected = nsel;
	tsam_buf_init(&R->script, 4u << 20);
	snprintf(R->hostsdir, sizeof(R->hostsdir), "%s/hosts", o->rundir);
	tsam_json_time(R->started, wall());

	rc = tsam_sections_boundary(R->boundary);
	if (rc == TSAM_OK)
		rc = tsam_collect_script(o->datadir, o->collectors,
					 o->ncollectors, R->boundary,
					 &R->script, eb);
	if (rc != TSAM_OK)
		return rc;
	snprintf(path, sizeof(path), "%s/run.json", o->rundir);
	if (o->mode == TSAM_COLLECT_FRESH && access(path, F_OK) == 0)
		return tsam_errbuf_set(
		    eb, TSAM_ERR_DUP,
		    "%s already holds a run: use --resume or "
		    "--retry-failed with it, or another -o",
		    o->rundir);
	if ((rc = tsam_rundir_file_clashes(inv, eb)) != TSAM_OK ||
	    (rc = tsam_reach_build(&o->fan, &o->reach, inv, o->config,
				   &R->reach, eb)) != TSAM_OK)
		return rc;
	if ((rc = tsam_fsio_mkdirs(o->rundir, 0700, eb)) != TSAM_OK ||
	    (rc = tsam_fsio_mkdirs(R->hostsdir, 0700, eb)) != TSAM_OK)
		return rc;
	R->pos = malloc((inv->n ? inv->n : 1) * sizeof(*R->pos));
	R->rec = calloc(nsel ? nsel : 1, sizeof(*R->rec));
	R->todo = malloc((nsel ? nsel : 1) * sizeof(*R->todo));
	if (R->pos == NULL || R->rec == NULL || R->todo == NULL)
		return TSAM_ERR_NOMEM;
	for (i = 0; i < inv->n; i++)
		R->pos[i] = SIZE_MAX;
	for (i = 0; i < nsel; i++)
		R->pos[sel[i]] = i;
	if (o->mode != TSAM_COLLECT_FRESH &&
	    (rc = load_earlier(R, &kept, eb)) != TSAM_OK)
		return rc;
	for (i = 0; i < nsel; i++) {
		if (R->rec[i] != NULL) {
			sum->counts[TSAM_HOST_OK]++;
			continue;
		}
		R->todo[R->ntodo++] = sel[i];
	}
	sum->skipped = kept;
	rc = write_run_json(R, "running", false, eb);
	R->begun = rc == TSAM_OK;
	return rc;
}

/* The fan-out options that run R's hosts: o->fan with R's script and
 * its hosts' reach. */
static void run_fan(const struct collect_run *R, struct tsam_fanout_opts *fan)
{
	*fan = R->o->fan;
	fan->reach = R->reach.v;
	fan->command = "/bin/sh -s";
	fan->input = R->script.data;
	fan->input_len = R->script.len;
	fan->done = on_done;
	fan->ud = (void *)R;
}

/*
 * Ends run R after the fan-out returned rc: the final run.json (state
 * interrupted or complete), then frees R. Returns rc, or the error of that
 * last write when rc was OK or INTERRUPTED.
 */
static int run_end(struct collect_run *R, int rc, struct tsam_errbuf *eb)
{
	size_t i;

	if (R->begun) {
		struct tsam_errbuf web;
		int wrc;

		R->sum->interrupted = rc == TSAM_ERR_INTERRUPTED;
		tsam_errbuf_clear(&web);
		wrc = write_run_json(
		    R, R->sum->interrupted ? "interrupted" : "complete", true,
		    &web);
		if (wrc != TSAM_OK &&
		    (rc == TSAM_OK || rc == TSAM_ERR_INTERRUPTED)) {
			rc = wrc;
			if (eb != NULL)
				*eb = web;
		}
	}
	if (R->rec != NULL)
		for (i = 0; i < R->nsel; i++)
			json_object_put(R->rec[i]);
	if (R->other != NULL)
		for (i = 0; i < R->inv->n; i++)
			json_object_put(R->other[i]);
	free(R->other);
	tsam_reach_set_free(&R->reach);
	json_object_put(R->removed);
	json_object_put(R->history);
	free(R->rec);
	free(R->pos);
	free(R->todo);
	tsam_buf_free(&R->script);
	return rc;
}

enum tsam_err tsam_collect_run(const struct tsam_collect_opts *o,
			       const struct tsam_inventory *inv,
			       const size_t *sel, size_t nsel,
			       struct tsam_collect_summary *sum,
			       struct tsam_errbuf *eb)
{
	struct collect_run R;
	struct tsam_fanout_opts fan;
	int rc;

	memset(&R, 0, sizeof(R));
	rc = run_begin(&R, o, inv, sel, nsel, sum, eb);
	if (rc == TSAM_OK && R.ntodo > 0) {
		run_fan(&R, &fan);
		rc = tsam_fanout_run(&fan, inv, R.todo, R.ntodo, eb);
	}
	return run_end(&R, rc, eb);
}

/* Routes a host of the shared window to its own run. */
struct many {
	struct collect_run *R;
	const size_t *base;	/* first index of each run's hosts */
	const size_t *group_of; /* combined index -> run */
};

static void many_done(void *ud, struct tsam_fanout_result *r)
{
	struct many *m = ud;
	size_t j = m->group_of[r->index];

	r->index -= m->base[j];
	on_done(&m->R[j], r);
}

enum tsam_err tsam_collect_run_many(const struct tsam_fanout_opts *window,
				    struct tsam_collect_job *jobs, size_t n,
				    struct tsam_errbuf *eb)
{
	struct collect_run *R = calloc(n ? n : 1, sizeof(*R));
	struct tsam_fanout_opts *groups = calloc(n ? n : 1, sizeof(*groups));
	size_t *base = calloc(n ? n : 1, sizeof(*base));
	struct tsam_inventory all;
	size_t *group_of = NULL, *todo = NULL, ntodo = 0, total = 0, j, k;
	struct tsam_fanout_opts fan;
	struct tsam_reach *reach = NULL;
	struct many m;
	int rc = TSAM_OK;

	memset(&all, 0, sizeof(all));
	for (j = 0; j < n; j++)
		total += jobs[j].inv->n;
	if (R == NULL || groups == NULL || base == NULL ||
	    (all.hosts = malloc((total ? total : 1) * sizeof(*all.hosts))) ==
		NULL ||
	    (group_of = malloc((total ? total : 1) * sizeof(*group_of))) ==
		NULL ||
	    (todo = malloc((total ? total : 1) * sizeof(*todo))) == NULL ||
	    (reach = calloc(total ? total : 1, sizeof(*reach))) == NULL) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
		goto out;
	}
	/* one inventory of every fleet's hosts (shallow copies), each host
	 * tagged with its fleet */
	for (j = 0; j < n; j++) {
		struct tsam_collect_job *J = &jobs[j];

		tsam_errbuf_clear(&J->eb);
		J->rc = run_begin(&R[j], &J->opts, J->inv, J->sel, J->nsel,
				  &J->sum, &J->eb);
		run_fan(&R[j], &groups[j]);
		base[j] = all.n;
		for (k = 0; k < J->inv->n; k++) {
			group_of[all.n] = j;
			if (J->rc == TSAM_OK)
				reach[all.n] = R[j].reach.v[k];
			all.hosts[all.n++] = J->inv->hosts[k];
		}
		for (k = 0; J->rc == TSAM_OK && k < R[j].ntodo; k++)
			todo[ntodo++] = base[j] + R[j].todo[k];
	}
	fan = *window;
	fan.groups = groups;
	fan.ngroups = n;
	fan.group_of = group_of;
	fan.reach = reach;
	fan.done = many_done;
	m.R = R;
	m.base = base;
	m.group_of = group_of;
	fan.ud = &m;
	if (ntodo > 0)
		rc = tsam_fanout_run(&fan, &all, todo, ntodo, eb);
out:
	for (j = 0; R != NULL && j < n; j++) {
		int jrc = jobs[j].rc;

		if (jrc == TSAM_OK && rc != TSAM_OK) {
			jrc = rc; /* the shared window's fate */
			if (eb != NULL)
				jobs[j].eb = *eb;
		}
		jobs[j].rc = run_end(&R[j], jrc, &jobs[j].eb);
	}
	free(R);
	free(groups);
	free(base);
	free(all.hosts);
	free(group_of);
	free(todo);
	free(reach);
	return rc;
}

enum tsam_err tsam_collect_all_collectors(const char *datadir,
					  struct tsam_strlist *out)
{
	char path[4096];
	struct dirent **names = NULL;
	enum tsam_err rc = TSAM_OK;
	int n, i;

	snprintf(path, sizeof(path), "%s/collectors", datadir);
	n = scandir(path, &names, NULL, alphasort);
	if (n < 0)
		return TSAM_ERR_IO;
	for (i = 0; i < n; i++) {
		char script[8192];

		snprintf(script, sizeof(script), "%s/%s/collect.sh", path,
			 names[i]->d_name);
		if (rc == TSAM_OK && names[i]->d_name[0] != '.' &&
		    access(script, R_OK) == 0)
			rc = tsam_strlist_add(out, names[i]->d_name);
		free(names[i]);
	}
	free(names);
	return rc;
}

enum tsam_err tsam_collect_collectors(const char *datadir, const char *list,
				      struct tsam_strlist *out,
				      struct tsam_errbuf *eb)
{
	if (list != NULL) {
		const char *p = list;

		while (*p != '\0') {
			size_t n = strcspn(p, ",");
			char name[64];

			if (n > 0 && n < sizeof(name)) {
				memcpy(name, p, n);
				name[n] = '\0';
				if (tsam_strlist_add(out, name) != TSAM_OK)
					return tsam_errbuf_set(eb,
							       TSAM_ERR_NOMEM,
							       "out of memory");
			} else if (n > 0) {
				return tsam_errbuf_set(
				    eb, TSAM_ERR_INVAL,
				    "--collectors: bad collector name "
				    "'%.*s'",
				    (int)(n > 64 ? 64 : n), p);
			}
			p += n + (p[n] == ',');
		}
		return TSAM_OK;
	}
	if (tsam_collect_all_collectors(datadir, out) != TSAM_OK || out->n == 0)
		return tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND,
				       "no collectors found under "
				       "%s/collectors",
				       datadir);
	return TSAM_OK;
}
