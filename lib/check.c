/*
 * check.c - rules x hosts -> findings.
 *
 * Theory of operation. A run directory holds one record per host in
 * run.json and one snapshot per collected host (rundir.h). tsam_check_run
 *
 *   1. loads run.json lazily: the document without its hosts, and each
 *      host record's byte span, parsed only when a worker takes it - a
 *      fleet of 10,000 hosts is never 10,000 parsed records at once;
 *   2. splits the hosts into contiguous shares, one per thread (one
 *      thread below 64 hosts, at most 8), and checks each host of a share
 *      in order (check_record):
 *        - a host not "ok", or whose snapshot is unreadable or has no
 *          facts, goes to "uncollected" with why - never a pass;
 *        - its facts gain label.<key> (inventory labels) and the
 *          lifecycle table's facts;
 *        - every host rule: its "when" decides not_applicable; otherwise
 *          "check" is evaluated (expr.h: pass, fail, or error when a fact
 *          is missing or of another type). A host collected without the
 *          privilege it needed cannot tell an absent product from an
 *          unreadable one: such results end error with the reason, not
 *          not_applicable. A fail or error under a waiver in force is
 *          "waived", out of the score (waivers are shared: one thread at
 *          a time, under wlock, since they count their uses);
 *        - the results are written as JSON text, not objects (40 objects
 *          a host were most of a large run's time and memory); the
 *          findings keep the text and print it as the array;
 *        - fleet rules ("distinct" counts of a fact's values) only add the
 *          host's value to a per-thread tally;
 *   3. joins the threads and merges their tallies in share order, so the
 *      document is the same whatever the thread count;
 *   4. builds the document: rules with their counts, fleet score and
 *      counts, fleet rules' results, waivers (used, expired), hosts in
 *      run.json's order, uncollected hosts.
 * A host record that is not JSON makes run.json unreadable as a whole:
 * the file is then parsed whole for the error's line and column. A
 * host's score is the weighted share of passes (tsam_check_weight),
 * capped by its most severe failure (host_score); the fleet's is the mean
 * of its hosts' scores. What happens to the document next - the diff with last
 * year's, JUnit - is in findings.c.
 *
 * Size: the engine and its theory of operation below; the findings
 * document's later life (diff, JUnit) is in findings.c.
 */
#include "check.h"

#include "rundir.h"
#include "expr.h"
#include "fsio.h"
#include "str.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const verdict_names[] = {"pass", "fail", "error"};

int tsam_check_weight(enum tsam_severity s)
{
	static const int w[] = {0, 1, 3, 6, 10};
	return (unsigned)s < 5 ? w[s] : 0;
}

struct tally {
	long pass, fail, error, na, waived;
	json_object *values; /* distinct fleet rules: value -> hosts */
	double wpass, wall;
	int worst;	  /* a host's most severe failure: severity + 1 */
	double score_sum; /* the fleet: its hosts' scores... */
	long scored;	  /* ...and how many hosts have one */
};

/*
 * A host's score: the weighted share of passes, capped by its most severe
 * failure - at most 49 with a critical one, 79 with a high one - so a
 * host running an unsupported product never reads as healthy because the
 * rest of its checks pass. -1: nothing weighted applied.
 */
static int host_score(const struct tally *t)
{
	int s;

	if (t->wall <= 0)
		return -1;
	s = (int)floor(100.0 * t->wpass / t->wall + 0.5);
	if (t->worst == TSAM_SEV_CRITICAL + 1 && s > TSAM_SCORE_CAP_CRITICAL)
		s = TSAM_SCORE_CAP_CRITICAL;
	else if (t->worst == TSAM_SEV_HIGH + 1 && s > TSAM_SCORE_CAP_HIGH)
		s = TSAM_SCORE_CAP_HIGH;
	return s;
}

static void add_score(json_object *o, int score)
{
	if (score >= 0)
		tsam_json_add_int(o, "score", score);
	else
		tsam_json_add_str(o, "score", NULL);
}

static void add_counts(json_object *o, const struct tally *t)
{
	json_object *c = json_object_new_object();
	tsam_json_add_int(c, "pass", t->pass);
	tsam_json_add_int(c, "fail", t->fail);
	tsam_json_add_int(c, "error", t->error);
	tsam_json_add_int(c, "not_applicable", t->na);
	tsam_json_add_int(c, "waived", t->waived);
	json_object_object_add(o, "counts", c);
}

/* A distinct fleet rule: counts the host's value of the fact. */
static void distinct_add(const struct tsam_rule *r, struct tally *t,
			 json_object *facts, time_t collected)
{
	const char *fact = tsam_json_str(r->fleet, "fact");
	json_object *v, *n;
	const char *key;

	if (fact == NULL || !json_object_object_get_ex(facts, fact, &v) ||
	    (r->when != NULL &&
	     tsam_expr_eval(r->when, facts, collected, NULL) != TSAM_PASS))
		return;
	if (t->values == NULL)
		t->values = json_object_new_object();
	key = json_object_is_type(v, json_type_string)
		  ? json_object_get_string(v)
		  : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	n = NULL;
	json_object_object_get_ex(t->values, key, &n);
	tsam_json_add_int(t->values, key, n ? json_object_get_int64(n) + 1 : 1);
}

/* Evaluates fleet rule i; returns its result object. */
static json_object *fleet_result(const struct tsam_rules *rules, size_t i,
				 const struct tally *per_rule, size_t checked,
				 size_t uncollected)
{
	const struct tsam_rule *r = &rules->v[i];
	const char *type = tsam_json_str(r->fleet, "type");
	json_object *o = json_object_new_object(), *v;
	const char *word = "not_applicable";
	char exp[128];
	size_t j;

	tsam_json_add_str(o, "rule", r->id);
	tsam_json_add_str(o, "type", type);
	if (strcmp(type, "share") == 0) {
		const char *target = tsam_json_str(r->fleet, "rule");
		double min = 0, pct;
		long ok, all;
		json_object_object_get_ex(r->fleet, "min_pct", &v);
		min = json_object_get_double(v);
		for (j = 0; j < rules->n; j++)
			if (strcmp(rules->v[j].id, target) == 0)
				break;
		ok = per_rule[j].pass + per_rule[j].waived;
		all = ok + per_rule[j].fail + per_rule[j].error;
		if (all > 0) {
			pct = 100.0 * (double)ok / (double)all;
			word = pct >= min ? "pass" : "fail";
			tsam_json_add_double(o, "observed_pct", pct);
			tsam_json_add_int(o, "hosts", all);
		}
		snprintf(exp, sizeof(exp), "%s passes on >= %g %% of hosts",
			 target, min);
		tsam_json_add_str(o, "target", target);
		tsam_json_add_double(o, "min_pct", min);
	} else if (strcmp(type, "distinct") == 0) {
		int64_t max = 0;
		size_t n =
		    per_rule[i].values
			? (size_t)json_object_object_length(per_rule[i].values)
			: 0;
		tsam_json_int(r->fleet, "max", &max);
		if (n > 0) {
			word = (int64_t)n <= max ? "pass" : "fail";
			json_object_object_add(
			    o, "observed", json_object_get(per_rule[i].values));
		}
		snprintf(exp, sizeof(exp), "at most %lld distinct values of %s",
			 (long long)max, tsam_json_str(r->fleet, "fact"));
		tsam_json_add_str(o, "fact", tsam_json_str(r->fleet, "fact"));
		tsam_json_add_int(o, "max", max);
	} else if (strcmp(type, "capacity") == 0) {
		const char *id = tsam_json_str(r->fleet, "sizing");
		json_object *lim = NULL;
		int64_t max = 0, most = 0;
		const char *at = NULL;

		json_object_object_get_ex(rules->sizing, id, &lim);
		tsam_json_int(lim, "max_endpoints", &max);
		if (per_rule[i].values != NULL) {
			json_object_object_foreach(per_rule[i].values, k, n)
			{
				if (json_object_get_int64(n) > most) {
					most = json_object_get_int64(n);
					at = k;
				}
			}
			word = most <= max ? "pass" : "fail";
			json_object_object_add(
			    o, "observed", json_object_get(per_rule[i].values));
			tsam_json_add_int(o, "observed_max", most);
			tsam_json_add_str(o, "observed_at", at);
		}
		snprintf(exp, sizeof(exp), "at most %lld hosts per %s (%s)",
			 (long long)max, tsam_json_str(r->fleet, "fact"), id);
		tsam_json_add_str(o, "fact", tsam_json_str(r->fleet, "fact"));
		tsam_json_add_int(o, "max", max);
		tsam_json_add_str(o, "sizing", id);
		if (json_object_object_get_ex(lim, "what", &v))
			json_object_object_add(o, "what", json_object_get(v));
	} else {
		double max, pct;
		json_object_object_get_ex(r->fleet, "max_pct", &v);
		max = json_object_get_double(v);
		if (checked + uncollected > 0) {
			pct = 100.0 * (double)uncollected /
			      (double)(checked + uncollected);
			word = pct <= max ? "pass" : "fail";
			tsam_json_add_double(o, "observed_pct", pct);
		}
		snprintf(exp, sizeof(exp),
			 "at most %g %% of hosts not collected", max);
		tsam_json_add_double(o, "max_pct", max);
	}
	tsam_json_add_str(o, "result", word);
	tsam_json_add_str(o, "expected", exp);
	return o;
}

/* Every waiver with its state at the collection time and its use. */
static json_object *waivers_json(const struct tsam_waivers *ws,
				 json_object *run)
{
	json_object *arr = json_object_new_array();
	const char *started = tsam_json_str(run, "started");
	time_t when = started ? tsam_time_parse(started) : -1;
	size_t i;

	for (i = 0; ws != NULL && i < ws->n; i++) {
		const struct tsam_waiver *wv = &ws->v[i];
		json_object *o = json_object_new_object();
		json_object_object_foreach(wv->doc, k, val)
		    json_object_object_add(o, k, json_object_get(val));
		tsam_json_add_str(
		    o, "state", when >= wv->expires_end ? "expired" : "active");
		tsam_json_add_int(o, "applied", (int64_t)wv->applied);
		tsam_json_add_int(o, "expired_matches",
				  (int64_t)wv->expired_hits);
		json_object_array_add(arr, o);
	}
	return arr;
}

/* Emits a results string object as the JSON text it holds. */
static int raw_serializer(json_object *jso, struct printbuf *pb, int level,
			  int flags)
{
	(void)level;
	(void)flags;
	return printbuf_memappend(pb, json_object_get_string(jso),
				  json_object_get_string_len(jso));
}

/* Appends one result object, as text, to a host's results. */
static void render_result(struct tsam_buf *b, const char *rule,
			  const char *word, const char *waived_word,
			  const char *waiver, json_object *obs)
{
	tsam_buf_adds(b,
		      b->len > 1 ? ",\n    {\"rule\": " : "\n    {\"rule\": ");
	tsam_json_quote(b, rule);
	tsam_buf_adds(b, ", \"result\": ");
	tsam_json_quote(b, word);
	if (waived_word != NULL) {
		tsam_buf_adds(b, ", \"waived_result\": ");
		tsam_json_quote(b, waived_word);
		tsam_buf_adds(b, ", \"waiver\": ");
		tsam_buf_adds(b, waiver);
	}
	if (obs != NULL) {
		json_object_object_foreach(obs, k, val)
		{
			tsam_buf_adds(b, ", ");
			tsam_json_quote(b, k);
			tsam_buf_adds(b, ": ");
			tsam_buf_adds(
			    b, json_object_to_json_string_ext(
				   val, JSON_C_TO_STRING_SPACED |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
		}
	}
	tsam_buf_adds(b, "}");
}

/* One thread's share of a run: hosts [from, to) of run.json. */
struct worker {
	const char *rundir;
	const struct tsam_rules *rules;
	struct tsam_waivers *waivers;
	pthread_mutex_t *wlock;		    /* waivers count their uses */
	const struct tsam_run_hosts *hosts; /* run.json's records */
	bool bad_record;		    /* one did not parse */
	size_t from, to;
	json_object **out; /* per host: its findings, or NULL */
	json_object **unc; /* per host: why it was not checked, or NULL */
	size_t limited;	   /* hosts collected without enough privilege */
	struct tally *per_rule;
	struct tally fleet;
	struct tsam_buf rtext; /* a host's results, as JSON text */
};

/* The text of the waiver in force for rule on host, or NULL; caller
 * frees. Waivers are shared: one thread at a time. */
static char *find_waiver(struct worker *w, const char *rule, const char *host,
			 time_t collected)
{
	struct tsam_waiver *wv;
	char *text = NULL;

	if (w->waivers == NULL)
		return NULL;
	pthread_mutex_lock(w->wlock);
	wv = tsam_waivers_find(w->waivers, rule, host, collected);
	if (wv != NULL)
		text = strdup(json_object_to_json_string_ext(
		    wv->doc,
		    JSON_C_TO_STRING_SPACED | JSON_C_TO_STRING_NOSLASHESCAPE));
	pthread_mutex_unlock(w->wlock);
	return text;
}

/* Adds tally b into a (counts, weights, distinct values in b's order). */
static void tally_merge(struct tally *a, const struct tally *b)
{
	a->pass += b->pass;
	a->fail += b->fail;
	a->error += b->error;
	a->na += b->na;
	a->waived += b->waived;
	a->wpass += b->wpass;
	a->wall += b->wall;
	a->score_sum += b->score_sum;
	a->scored += b->scored;
	if (b->values == NULL)
		return;
	if (a->values == NULL)
		a->values = json_object_new_object();
	json_object_object_foreach(b->values, k, v)
	{
		json_object *n = NULL;

		json_object_object_get_ex(a->values, k, &n);
		tsam_json_add_int(a->values, k,
				  json_object_get_int64(v) +
				      (n ? json_object_get_int64(n) : 0));
	}
}

/*
 * Who the host's collectors ran as and what that account could not read
 * (the facts collect.uid and collect.denied), into its findings as "uid"
 * and "denied" ("collector/section"). Returns true when something was
 * denied: the host was collected without enough privilege, and reason
 * says so in a sentence for the rules' results.
 */
static bool host_access(json_object *jh, json_object *facts, char *reason,
			size_t reasonsz)
{
	json_object *uid = NULL, *denied = NULL, *list;
	size_t i, n, used;

	json_object_object_get_ex(facts, "collect.uid", &uid);
	if (!json_object_object_get_ex(facts, "collect.denied", &denied) ||
	    !json_object_is_type(denied, json_type_array))
		denied = NULL;
	n = denied ? json_object_array_length(denied) : 0;
	json_object_object_add(jh, "uid",
			       json_object_is_type(uid, json_type_int)
				   ? json_object_get(uid)
				   : NULL);
	/* the Sophos product found (product.id), null when none: a health
	 * check's scope says which endpoints only the OS checks applied to */
	{
		json_object *pid = NULL;

		json_object_object_get_ex(facts, "product.id", &pid);
		json_object_object_add(
		    jh, "product",
		    json_object_is_type(pid, json_type_string)
			? json_object_get(pid)
			: NULL);
	}
	list = json_object_new_array();
	used = (size_t)snprintf(reason, reasonsz,
				"collected without enough privilege (");
	for (i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(denied, i);
		const char *c = tsam_json_str(d, "collector");
		const char *sec = tsam_json_str(d, "section");
		char name[160];

		snprintf(name, sizeof(name), "%s/%s", c ? c : "?",
			 sec ? sec : "?");
		json_object_array_add(list, json_object_new_string(name));
		if (i < 4 && used < reasonsz)
			used += (size_t)snprintf(reason + used, reasonsz - used,
						 "%s%s", i ? ", " : "", name);
	}
	json_object_object_add(jh, "denied", list);
	if (n == 0)
		return false;
	if (used < reasonsz)
		snprintf(
		    reason + used, reasonsz - used,
		    "%s could not be read as uid %lld): rerun tsam-collect "
		    "with --become",
		    n > 4 ? " and more" : "",
		    json_object_is_type(uid, json_type_int)
			? (long long)json_object_get_int64(uid)
			: -1LL);
	return true;
}

/*
 * Whether rule r comes from a product collector (collectors/NAME/rules.json)
 * that found no product on the host (collect.absent): SAV's rules do not
 * apply to a host without SAV, even when SPL could not be seen there.
 */
static bool product_absent(const struct tsam_rule *r, json_object *facts)
{
	json_object *absent;
	const char *end, *start;
	size_t i, n;

	if (r->file == NULL || (end = strrchr(r->file, '/')) == NULL ||
	    !json_object_object_get_ex(facts, "collect.absent", &absent) ||
	    !json_object_is_type(absent, json_type_array))
		return false;
	for (start = end; start > r->file && start[-1] != '/'; start--)
		;
	n = (size_t)(end - start);
	for (i = 0; i < json_object_array_length(absent); i++) {
		const char *c = tsam_json_str(
		    json_object_array_get_idx(absent, i), "collector");
		if (c != NULL && strlen(c) == n && memcmp(c, start, n) == 0)
			return true;
	}
	return false;
}

/* Checks host h of run.json, its record rec: w->out[h] or w->unc[h]. */
/*
 * The host's resources, for the report's sizing advice (docs/rules.md,
 * "Sizing and capacity"): "resources": {"cpus", "mem_total_mb",
 * "mem_available_mb", "load_per_cpu_pct", "disk_used_pct_max",
 * "disk_free_mb_min"}, each only when its fact was collected (an empty
 * disk list says nothing); no member at all when none was.
 */
static void host_resources(json_object *jh, json_object *facts)
{
	static const char *const map[][2] = {
	    {"hw.cpu_count", "cpus"},
	    {"hw.mem_total_mb", "mem_total_mb"},
	    {"hw.mem_available_mb", "mem_available_mb"},
	    {"host.load15_pct", "load_per_cpu_pct"}};
	json_object *res = json_object_new_object(), *v, *disk;
	int64_t used_max = -1, free_min = -1;
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (json_object_object_get_ex(facts, map[i][0], &v) &&
		    json_object_is_type(v, json_type_int) &&
		    json_object_get_int64(v) >= 0)
			tsam_json_add_int(res, map[i][1],
					  json_object_get_int64(v));
	if (json_object_object_get_ex(facts, "disk", &disk) &&
	    json_object_is_type(disk, json_type_array))
		for (i = 0; i < json_object_array_length(disk); i++) {
			json_object *d = json_object_array_get_idx(disk, i);
			int64_t u, f;

			if (tsam_json_int(d, "used_pct", &u) == TSAM_OK &&
			    u > used_max)
				used_max = u;
			if (tsam_json_int(d, "free_mb", &f) == TSAM_OK &&
			    f >= 0 && (free_min < 0 || f < free_min))
				free_min = f;
		}
	if (used_max >= 0)
		tsam_json_add_int(res, "disk_used_pct_max", used_max);
	if (free_min >= 0)
		tsam_json_add_int(res, "disk_free_mb_min", free_min);
	if (json_object_object_length(res) > 0)
		json_object_object_add(jh, "resources", res);
	else
		json_object_put(res);
}

static void check_record(struct worker *w, size_t h, json_object *rec)
{
	const char *name = tsam_json_str(rec, "name");
	const char *status = tsam_json_str(rec, "status");
	const char *started = tsam_json_str(rec, "started");
	json_object *snap = NULL, *facts, *jh, *results, *labels;
	struct tally ht;
	enum tsam_verdict applies;
	bool limited;
	char why[1024] = "", reason[512];
	time_t collected;
	size_t i;
	int score;

	if (name == NULL)
		return;
	facts = status && strcmp(status, "ok") == 0
		    ? tsam_rundir_facts(w->rundir, rec, &snap, why, sizeof(why))
		    : NULL;
	collected = started ? tsam_time_parse(started) : -1;
	if (facts == NULL || collected < 0) {
		json_object *u = json_object_new_object();
		tsam_json_add_str(u, "name", name);
		tsam_json_add_str(u, "status", status ? status : "?");
		json_object *err = NULL;

		/* the record's own text, whole (a NUL in it too) */
		if (!why[0] && json_object_object_get_ex(rec, "error", &err) &&
		    json_object_is_type(err, json_type_string))
			json_object_object_add(u, "error",
					       json_object_get(err));
		else
			tsam_json_add_str(u, "error",
					  why[0] ? why : "not collected");
		w->unc[h] = u;
		json_object_put(snap);
		return;
	}
	/* the inventory's labels (role, site ...) as label.<key> facts, so
	 * rules can apply by role; then the lifecycle table's facts (end of
	 * support ...) */
	if (json_object_object_get_ex(rec, "labels", &labels) &&
	    json_object_is_type(labels, json_type_object)) {
		json_object_object_foreach(labels, k, v)
		{
			char key[160];
			if (json_object_is_type(v, json_type_string) &&
			    (size_t)snprintf(key, sizeof(key), "label.%s", k) <
				sizeof(key))
				json_object_object_add(facts, key,
						       json_object_get(v));
		}
	}
	if (tsam_lifecycle_apply(w->rules->lifecycle, facts) != TSAM_OK) {
		json_object *u = json_object_new_object();

		tsam_json_add_str(u, "name", name);
		tsam_json_add_str(u, "status", status ? status : "?");
		tsam_json_add_str(u, "error",
				  "not checked: out of memory adding the "
				  "lifecycle table's facts");
		w->unc[h] = u;
		json_object_put(snap);
		return;
	}
	memset(&ht, 0, sizeof(ht));
	jh = json_object_new_object();
	tsam_buf_reset(&w->rtext);
	tsam_buf_adds(&w->rtext, "[");
	tsam_json_add_str(jh, "name", name);
	limited = host_access(jh, facts, reason, sizeof(reason));
	if (limited)
		w->limited++;
	host_resources(jh, facts);
	for (i = 0; i < w->rules->n; i++) {
		const struct tsam_rule *r = &w->rules->v[i];
		json_object *obs = NULL;
		char *waiver = NULL; /* its text */
		double wt = tsam_check_weight(r->severity);
		const char *word, *waived_word = NULL;

		if (r->fleet != NULL) {
			distinct_add(r, &w->per_rule[i], facts, collected);
			continue;
		}

		applies = r->when == NULL
			      ? TSAM_PASS
			      : tsam_expr_eval(r->when, facts, collected, NULL);
		if (applies == TSAM_FAIL ||
		    (applies == TSAM_ERROR &&
		     (!limited || product_absent(r, facts)))) {
			word = "not_applicable";
			ht.na++;
			w->per_rule[i].na++;
		} else {
			/* a host collected without privilege cannot say
			 * whether a rule applies, nor what its facts are:
			 * the rule ends error, saying why */
			enum tsam_verdict v =
			    applies == TSAM_ERROR
				? TSAM_ERROR
				: tsam_expr_eval(r->check, facts, collected,
						 &obs);
			if (v == TSAM_ERROR && limited) {
				if (obs == NULL)
					obs = json_object_new_object();
				tsam_json_add_str(obs, "reason", reason);
			}
			word = verdict_names[v];
			if (v != TSAM_PASS &&
			    (waiver = find_waiver(w, r->id, name, collected)) !=
				NULL) {
				waived_word = word;
				word = "waived";
				ht.waived++;
				w->per_rule[i].waived++;
				wt = 0; /* out of the score */
			} else if (v == TSAM_PASS) {
				ht.pass++;
				w->per_rule[i].pass++;
				ht.wpass += wt;
			} else if (v == TSAM_FAIL) {
				ht.fail++;
				w->per_rule[i].fail++;
				if ((int)r->severity + 1 > ht.worst)
					ht.worst = (int)r->severity + 1;
			} else {
				ht.error++;
				w->per_rule[i].error++;
			}
			ht.wall += wt;
		}
		render_result(&w->rtext, r->id, word, waived_word, waiver, obs);
		json_object_put(obs);
		free(waiver);
	}
	tsam_buf_adds(&w->rtext, w->rtext.len > 1 ? "\n  ]" : "]");
	/* the results stay text (tsam_findings_expand_results reads them):
	 * 40 objects a host, 400,000 a fleet, are what a large run
	 * spent its time and memory on */
	results = json_object_new_string_len(w->rtext.data, (int)w->rtext.len);
	json_object_set_serializer(results, raw_serializer, NULL, NULL);
	score = host_score(&ht);
	if (score >= 0) {
		ht.score_sum = score;
		ht.scored = 1;
	}
	tally_merge(&w->fleet, &ht);
	add_score(jh, score);
	add_counts(jh, &ht);
	json_object_object_add(jh, "results", results);
	w->out[h] = jh;
	json_object_put(snap);
}

static void *work(void *arg)
{
	struct worker *w = arg;
	size_t h;

	for (h = w->from; h < w->to && !w->bad_record; h++) {
		json_object *rec;

		if (tsam_run_hosts_get(w->hosts, h, &rec) != TSAM_OK)
			w->bad_record = true; /* run.json is not JSON */
		else
			check_record(w, h, rec);
		json_object_put(rec);
	}
	return NULL;
}

/* Threads to check n hosts with: as asked, else one per core (at most
 * 8), one for few hosts; never more than hosts. */
static size_t nworkers(size_t n, unsigned threads)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	size_t k = threads;

	if (k == 0)
		k = n < 64 || cpus < 2 ? 1 : (cpus > 8 ? 8 : (size_t)cpus);
	return k > n ? (n ? n : 1) : k;
}

enum tsam_err tsam_check_run(const char *rundir, const struct tsam_rules *rules,
			     struct tsam_waivers *waivers, unsigned threads,
			     json_object **out, struct tsam_errbuf *eb)
{
	json_object *run = NULL, *doc, *jhosts, *uncollected, *jrules;
	struct tsam_run_hosts hosts;
	bool bad_record = false;
	json_object **hout = NULL, **hunc = NULL;
	struct tally *per_rule, fleet;
	struct worker *w = NULL;
	pthread_t *th = NULL;
	pthread_mutex_t wlock = PTHREAD_MUTEX_INITIALIZER;
	size_t h, i, k, nhosts, nw, limited = 0;
	bool *started = NULL;
	int rc;

	*out = NULL;
	rc = tsam_rundir_load_lazy(rundir, &run, &hosts, eb);
	if (rc != TSAM_OK)
		return rc;
	nhosts = hosts.n;
	nw = nworkers(nhosts, threads);
	per_rule = calloc(rules->n ? rules->n : 1, sizeof(*per_rule));
	hout = calloc(nhosts ? nhosts : 1, sizeof(*hout));
	hunc = calloc(nhosts ? nhosts : 1, sizeof(*hunc));
	w = calloc(nw, sizeof(*w));
	th = calloc(nw, sizeof(*th));
	started = calloc(nw, sizeof(*started));
	for (k = 0; w != NULL && k < nw; k++)
		if ((w[k].per_rule = calloc(rules->n ? rules->n : 1,
					    sizeof(*w[k].per_rule))) == NULL)
			break;
	if (per_rule == NULL || hout == NULL || hunc == NULL || w == NULL ||
	    th == NULL || started == NULL || k < nw) {
		for (k = 0; w != NULL && k < nw; k++)
			free(w[k].per_rule);
		free(per_rule);
		free(hout);
		free(hunc);
		free(w);
		free(th);
		free(started);
		json_object_put(run);
		tsam_run_hosts_free(&hosts);
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	/* hosts in nw contiguous shares, checked at once; merged in order
	 * below, so the findings do not depend on the thread count */
	for (k = 0; k < nw; k++) {
		w[k].rundir = rundir;
		w[k].rules = rules;
		w[k].waivers = waivers;
		w[k].wlock = &wlock;
		w[k].hosts = &hosts;
		w[k].from = nhosts * k / nw;
		w[k].to = nhosts * (k + 1) / nw;
		w[k].out = hout;
		w[k].unc = hunc;
		tsam_buf_init(&w[k].rtext, (size_t)1 << 30);
		if (k > 0)
			started[k] =
			    pthread_create(&th[k], NULL, work, &w[k]) == 0;
	}
	work(&w[0]);
	for (k = 1; k < nw; k++) {
		if (started[k])
			pthread_join(th[k], NULL);
		else
			work(&w[k]); /* no thread to be had: here */
	}
	for (k = 0; k < nw; k++) {
		bad_record = bad_record || w[k].bad_record;
		limited += w[k].limited;
	}
	tsam_run_hosts_free(&hosts);
	memset(&fleet, 0, sizeof(fleet));
	for (k = 0; k < nw; k++) {
		if (!bad_record)
			tally_merge(&fleet, &w[k].fleet);
		for (i = 0; i < rules->n; i++) {
			if (!bad_record)
				tally_merge(&per_rule[i], &w[k].per_rule[i]);
			json_object_put(w[k].per_rule[i].values);
		}
		free(w[k].per_rule);
		tsam_buf_free(&w[k].rtext);
	}
	free(w);
	free(th);
	free(started);
	if (bad_record) {
		/* a record that is not JSON: the whole file, for where */
		json_object *all = NULL, *arr;

		for (h = 0; h < nhosts; h++) {
			json_object_put(hout[h]);
			json_object_put(hunc[h]);
		}
		free(hout);
		free(hunc);
		free(per_rule);
		json_object_put(run);
		rc = tsam_rundir_load(rundir, &all, &arr, eb);
		json_object_put(all);
		return rc != TSAM_OK ? rc
				     : tsam_errbuf_set(eb, TSAM_ERR_PARSE,
						       "%s/run.json: a host "
						       "record is not JSON",
						       rundir);
	}
	doc = json_object_new_object();
	jhosts = json_object_new_array();
	uncollected = json_object_new_array();
	for (h = 0; h < nhosts; h++) {
		if (hout[h] != NULL)
			json_object_array_add(jhosts, hout[h]);
		if (hunc[h] != NULL)
			json_object_array_add(uncollected, hunc[h]);
	}
	free(hout);
	free(hunc);
	jrules = json_object_new_array();
	for (i = 0; i < rules->n; i++) {
		const struct tsam_rule *r = &rules->v[i];
		json_object *jr = json_object_new_object(), *v;
		tsam_json_add_str(jr, "id", r->id);
		if (json_object_object_get_ex(r->doc, "title", &v))
			json_object_object_add(jr, "title", json_object_get(v));
		/* what the report needs to explain a failure: the problem
		 * found, why it matters, what to do, where to read more */
		if (json_object_object_get_ex(r->doc, "finding", &v))
			json_object_object_add(jr, "finding",
					       json_object_get(v));
		if (json_object_object_get_ex(r->doc, "rationale", &v))
			json_object_object_add(jr, "rationale",
					       json_object_get(v));
		if (json_object_object_get_ex(r->doc, "recommendation", &v))
			json_object_object_add(jr, "recommendation",
					       json_object_get(v));
		if (json_object_object_get_ex(r->doc, "references", &v))
			json_object_object_add(jr, "references",
					       json_object_get(v));
		tsam_json_add_str(jr, "category", r->category);
		tsam_json_add_str(jr, "severity",
				  tsam_severity_name(r->severity));
		tsam_json_add_double(jr, "impact", r->impact);
		tsam_json_add_str(jr, "scope", r->fleet ? "fleet" : "host");
		add_counts(jr, &per_rule[i]);
		json_object_array_add(jrules, jr);
	}
	tsam_json_add_str(doc, "schema", TSAM_FINDINGS_SCHEMA);
	{
		json_object *jrun = json_object_new_object();
		tsam_json_add_str(jrun, "dir", rundir);
		tsam_json_add_str(jrun, "started",
				  tsam_json_str(run, "started"));
		tsam_json_add_int(jrun, "hosts", (int64_t)nhosts);
		json_object_object_add(doc, "run", jrun);
	}
	{
		json_object *fl = json_object_new_object();
		/* the fleet: the mean of its hosts' scores */
		add_score(
		    fl, fleet.scored > 0
			    ? (int)floor(
				  fleet.score_sum / (double)fleet.scored + 0.5)
			    : -1);
		add_counts(fl, &fleet);
		tsam_json_add_int(fl, "hosts_checked",
				  (int64_t)json_object_array_length(jhosts));
		tsam_json_add_int(
		    fl, "hosts_uncollected",
		    (int64_t)json_object_array_length(uncollected));
		tsam_json_add_int(fl, "hosts_limited", (int64_t)limited);
		json_object_object_add(doc, "fleet", fl);
	}
	json_object_object_add(doc, "rules", jrules);
	{
		json_object *fr = json_object_new_array();
		for (i = 0; i < rules->n; i++)
			if (rules->v[i].fleet != NULL)
				json_object_array_add(
				    fr,
				    fleet_result(
					rules, i, per_rule,
					json_object_array_length(jhosts),
					json_object_array_length(uncollected)));
		json_object_object_add(doc, "fleet_rules", fr);
	}
	json_object_object_add(doc, "waivers", waivers_json(waivers, run));
	json_object_object_add(doc, "hosts", jhosts);
	json_object_object_add(doc, "uncollected", uncollected);
	for (i = 0; i < rules->n; i++)
		json_object_put(per_rule[i].values);
	free(per_rule);
	json_object_put(run);
	*out = doc;
	return TSAM_OK;
}

enum tsam_err tsam_check_findings(const char *rundir,
				  const struct tsam_rules *rules,
				  const char *waivers_path, unsigned threads,
				  json_object *baseline,
				  const char *baseline_name, json_object **out,
				  struct tsam_errbuf *eb)
{
	struct tsam_waivers *w = NULL;
	int rc;

	*out = NULL;
	if (waivers_path != NULL &&
	    (rc = tsam_waivers_load(waivers_path, rules, &w, eb)) != TSAM_OK)
		return rc;
	rc = tsam_check_run(rundir, rules, w, threads, out, eb);
	if (rc == TSAM_OK && baseline != NULL)
		rc = tsam_findings_diff(*out, baseline, baseline_name, eb);
	tsam_waivers_free(w);
	if (rc != TSAM_OK) {
		json_object_put(*out);
		*out = NULL;
	}
	return rc;
}
