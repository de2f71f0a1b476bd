/*
 * facts_sav.c - facts from the sav-linux collector (Sophos Anti-Virus for
 * Linux 9/10): product.*, engine.version, data.version, daemon.active,
 * onaccess.*, liveprotection.enabled, update.*, scan.archives,
 * exclusions[]. See docs/facts.md. Credentials were redacted before this
 * parser sees the text, and no credential key becomes a fact.
 */
#include "facts.h"
#include "str.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define COLL "sav-linux"

static const struct tsam_section *ok_sec(const struct tsam_sections *secs,
					 const char *name)
{
	return tsam_facts_ok_section(secs, COLL, name);
}

/* "yes": the product facts; "no" or a section this account could not
 * collect: nothing here (tsam_facts_parse decides product.installed). */
static void installed(const struct tsam_sections *secs, struct tsam_facts *f,
		      bool *yes)
{
	const struct tsam_section *s = ok_sec(secs, "installed");
	struct tsam_cur c;

	*yes = false;
	if (s == NULL)
		return;
	c = tsam_cur_make(s->body, s->len);
	tsam_cur_trim(&c);
	*yes = tsam_cur_eq(c, "yes");
	if (*yes) {
		tsam_facts_set_bool(f, "product.installed", true);
		tsam_facts_set_str(f, "product.name",
				   "Sophos Anti-Virus for Linux");
		tsam_facts_set_str(f, "product.id", "sav-linux");
	}
}

/*
 * savdstatus: "Sophos Anti-Virus is active and on-access scanning is
 * running" (or "... is not running"). Only the English messages are
 * read: a message in another language (a localized product ignores
 * LC_ALL) or of another shape leaves both facts unknown, with a parse
 * error naming the section, rather than turning them into false.
 */
static void status(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s =
	    tsam_facts_section(secs, COLL, "savdstatus");
	struct tsam_cur c;
	bool active;

	/* savdstatus exits non-zero when the daemon is down: still read. */
	if (s == NULL || s->len == 0)
		return;
	c = tsam_cur_make(s->body, s->len);
	if (!tsam_cur_contains(c, "Sophos Anti-Virus is ")) {
		tsam_facts_error(f, COLL, "savdstatus", 0,
				 "not savdstatus' English status message "
				 "(daemon and on-access state unknown)");
		return;
	}
	active = tsam_cur_contains(c, "Sophos Anti-Virus is active");
	tsam_facts_set_bool(f, "daemon.active", active);
	if (tsam_cur_contains(c, "on-access scanning is running"))
		tsam_facts_set_bool(f, "onaccess.running", true);
	else if (tsam_cur_contains(c, "on-access scanning is not running") ||
		 !active)
		tsam_facts_set_bool(f, "onaccess.running", false);
	else
		tsam_facts_error(f, COLL, "savdstatus", 0,
				 "no on-access state in the status message");
}

/* savdstatus --version: "Name = value" lines. */
static void versions(const struct tsam_sections *secs, struct tsam_facts *f)
{
	static const struct {
		const char *key, *fact;
	} map[] = {{"Sophos Anti-Virus", "product.version"},
		   {"Threat detection engine", "engine.version"},
		   {"Threat data", "data.version"}};
	const struct tsam_section *s = ok_sec(secs, "savdstatus-version");
	struct tsam_cur all, line;
	size_t i;
	bool product = false;

	if (s == NULL)
		return;
	all = tsam_cur_make(s->body, s->len);
	while (tsam_cur_getline(&all, &line)) {
		struct tsam_cur k, v;
		if (!tsam_cur_split(line, '=', &k, &v))
			continue;
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
			if (tsam_cur_eq(k, map[i].key) && v.n > 0) {
				tsam_facts_set_strn(f, map[i].fact, v.p, v.n);
				if (i == 0)
					product = true;
			}
	}
	if (!product)
		tsam_facts_error(f, COLL, "savdstatus-version", 0,
				 "no 'Sophos Anti-Virus = <version>' line");
}

/*
 * savconfig query: "Key: value", list values continue on lines that start
 * with blanks. Calls fn for each key with its first value and a list of
 * all values.
 */
struct kv {
	struct tsam_cur key;
	struct tsam_cur vals[64];
	size_t n;
	size_t line;
};

/* The list facts savconfig's keys fill. */
struct lists {
	json_object *sources, *excl, *scans;
};

/* Adds a named scan once (basic and advanced queries may both list it). */
static void add_scan(json_object *scans, struct tsam_cur name)
{
	json_object *o;

	if (tsam_facts_named(scans, name.p, name.n) != NULL)
		return;
	o = json_object_new_object();
	tsam_json_add_bytes(o, "name", name.p, name.n);
	json_object_array_add(scans, o);
}

static void config_facts(struct tsam_facts *f, const struct kv *kv,
			 struct lists *l, const char *section)
{
	struct tsam_cur v = kv->n ? kv->vals[0] : tsam_cur_make("", 0);
	size_t i;

	if (tsam_cur_eq(kv->key, "EnableOnStart")) {
		tsam_facts_set_bool(f, "onaccess.enabled",
				    tsam_cur_eq(v, "true"));
	} else if (tsam_cur_eq(kv->key, "LiveProtection")) {
		tsam_facts_set_bool(f, "liveprotection.enabled",
				    tsam_cur_eq(v, "enabled") ||
					tsam_cur_eq(v, "true"));
	} else if (tsam_cur_eq(kv->key, "UpdatePeriodMinutes")) {
		uint64_t m;
		if (tsam_cur_to_u64(v, 1000000, &m) == TSAM_OK)
			tsam_facts_set_int(f, "update.period_minutes",
					   (int64_t)m);
		else
			tsam_facts_error(f, COLL, section, kv->line,
					 "UpdatePeriodMinutes is not a number");
	} else if (tsam_cur_eq(kv->key, "PrimaryUpdateSourcePath") ||
		   tsam_cur_eq(kv->key, "SecondaryUpdateSourcePath")) {
		json_object *src = json_object_new_object();
		tsam_json_add_str(
		    src, "role", kv->key.p[0] == 'P' ? "primary" : "secondary");
		tsam_json_add_bytes(src, "location", v.p, v.n);
		json_object_array_add(l->sources, src);
	} else if (tsam_cur_eq(kv->key, "NamedScans")) {
		for (i = 0; i < kv->n; i++)
			add_scan(l->scans, kv->vals[i]);
	} else if (tsam_cur_eq(kv->key, "OnAccessInterceptor")) {
		tsam_facts_set_strn(f, "onaccess.mechanism", v.p, v.n);
	} else if (tsam_cur_eq(kv->key, "ScanArchives")) {
		tsam_facts_set_strn(f, "scan.archives", v.p, v.n);
	} else if (tsam_cur_eq(kv->key, "OnAccessScanArchives")) {
		tsam_facts_set_bool(f, "onaccess.archives",
				    tsam_cur_eq(v, "true"));
	} else if (tsam_cur_eq(kv->key, "ExcludeFilePaths") ||
		   tsam_cur_eq(kv->key, "ExcludeFileOnGlob") ||
		   tsam_cur_eq(kv->key, "ExcludeFileOnExpression")) {
		const char *kind =
		    tsam_cur_eq(kv->key, "ExcludeFilePaths")	? "path"
		    : tsam_cur_eq(kv->key, "ExcludeFileOnGlob") ? "glob"
								: "regex";
		for (i = 0; i < kv->n; i++) {
			json_object *e = json_object_new_object();
			tsam_json_add_str(e, "kind", kind);
			tsam_json_add_bytes(e, "value", kv->vals[i].p,
					    kv->vals[i].n);
			json_object_array_add(l->excl, e);
		}
	}
}

static void config(const struct tsam_sections *secs, struct tsam_facts *f,
		   const char *section, struct lists *l)
{
	const struct tsam_section *s = ok_sec(secs, section);
	struct tsam_cur all, line;
	struct kv kv;
	size_t lineno = 0;
	bool open = false;

	if (s == NULL)
		return;
	all = tsam_cur_make(s->body, s->len);
	while (tsam_cur_getline(&all, &line)) {
		const char *colon;
		lineno++;
		if (line.n == 0)
			continue;
		if ((line.p[0] == ' ' || line.p[0] == '\t') && open) {
			tsam_cur_trim(&line);
			if (line.n > 0 && kv.n < 64)
				kv.vals[kv.n++] = line;
			continue;
		}
		if (open)
			config_facts(f, &kv, l, section);
		open = false;
		colon = memchr(line.p, ':', line.n);
		if (colon == NULL) {
			tsam_facts_error(f, COLL, section, lineno,
					 "not 'Key: value'");
			continue;
		}
		memset(&kv, 0, sizeof(kv));
		kv.key = tsam_cur_make(line.p, (size_t)(colon - line.p));
		/* "Key (Locked): value" for settings an admin locked */
		tsam_cur_trim(&kv.key);
		if (kv.key.n > 9 &&
		    memcmp(kv.key.p + kv.key.n - 9, " (Locked)", 9) == 0)
			kv.key.n -= 9;
		kv.vals[0] = tsam_cur_make(
		    colon + 1, line.n - (size_t)(colon - line.p) - 1);
		tsam_cur_trim(&kv.vals[0]);
		kv.n = kv.vals[0].n > 0 ? 1 : 0;
		kv.line = lineno;
		open = true;
	}
	if (open)
		config_facts(f, &kv, l, section);
}

static void last_update(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = ok_sec(secs, "last-update");
	struct tsam_cur c;
	uint64_t epoch;

	if (s == NULL)
		return;
	c = tsam_cur_make(s->body, s->len);
	tsam_cur_trim(&c);
	/* epoch seconds; 4102444800 is 2100-01-01 */
	if (tsam_cur_to_u64(c, 4102444800ULL, &epoch) != TSAM_OK) {
		tsam_facts_error(f, COLL, "last-update", 1,
				 "not epoch seconds");
		return;
	}
	tsam_facts_set_time(f, "update.last_success", (double)epoch);
}

/*
 * The primary update source as facts the capacity rules group hosts by:
 * update.primary_kind (sophos, unc, http, file, other),
 * update.primary_location (the location, no trailing '/') and, for a
 * share or web location, update.primary_server (its host name, lower
 * case, without user or port).
 */
static void primary_source(struct tsam_facts *f, json_object *sources)
{
	static const struct {
		const char *prefix, *kind;
		bool server; /* a share or web location names its server */
	} kinds[] = {{"sophos:", "sophos", false}, {"smb://", "unc", true},
		     {"\\\\", "unc", true},	   {"//", "unc", true},
		     {"http://", "http", true},	   {"https://", "http", true},
		     {"file://", "file", false},   {"/", "file", false}};
	const char *loc = NULL, *kind = "other", *h, *e, *p;
	bool server = false;
	char name[256];
	size_t i, n, pl = 0;

	for (i = 0; i < json_object_array_length(sources); i++) {
		json_object *src = json_object_array_get_idx(sources, i);
		const char *role = tsam_json_str(src, "role");
		if (role != NULL && strcmp(role, "primary") == 0)
			loc = tsam_json_str(src, "location");
	}
	if (loc == NULL || loc[0] == '\0')
		return;
	for (i = 0; i < sizeof(kinds) / sizeof(*kinds); i++) {
		pl = strlen(kinds[i].prefix);
		if (strncasecmp(loc, kinds[i].prefix, pl) == 0) {
			kind = kinds[i].kind;
			server = kinds[i].server;
			break;
		}
	}
	tsam_facts_set_str(f, "update.primary_kind", kind);
	n = strlen(loc);
	while (n > 1 && (loc[n - 1] == '/' || loc[n - 1] == '\\'))
		n--;
	h = loc;
	if (server) {
		h = loc + pl;
		e = h + strcspn(h, "/\\");
		for (p = h; p < e; p++) /* user[:password]@ */
			if (*p == '@')
				h = p + 1;
	}
	if (h != loc && h[-1] == '@' && (size_t)(h - loc) <= n) {
		/* sections arrive redacted; a user never reaches a fact */
		size_t rest = n - (size_t)(h - loc), sz = pl + 11 + rest + 1;
		char *r = malloc(sz);

		if (r == NULL)
			return;
		snprintf(r, sz, "%.*s<redacted>@%.*s", (int)pl, loc, (int)rest,
			 h);
		tsam_facts_set_str(f, "update.primary_location", r);
		free(r);
	} else {
		tsam_facts_set_strn(f, "update.primary_location", loc, n);
	}
	if (!server)
		return;
	if (*h == '[') /* [v6 address]:port */
		e = h + 1 + strcspn(h + 1, "]/"), h++;
	else
		e = h + strcspn(h, ":/\\");
	n = (size_t)(e - h);
	if (n == 0 || n >= sizeof(name))
		return;
	for (i = 0; i < n; i++)
		name[i] = (char)tolower((unsigned char)h[i]);
	name[n] = '\0';
	tsam_facts_set_str(f, "update.primary_server", name);
}

/*
 * savlog --maxage=7: whether a scheduled scan completed in those 7 days,
 * by the published health check of Microsoft Defender for Cloud (a line
 * matching "Scheduled scan .* completed", any case), and the last such
 * line as evidence (at most 300 bytes).
 */
static void scan_log(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = ok_sec(secs, "savlog");
	struct tsam_cur all, line, last = tsam_cur_make("", 0);
	bool done = false;

	if (s == NULL)
		return;
	all = tsam_cur_make(s->body, s->len);
	while (tsam_cur_getline(&all, &line)) {
		const char *p = NULL, *q;
		size_t i;

		for (i = 0; i + 14 <= line.n && p == NULL; i++)
			if (strncasecmp(line.p + i, "scheduled scan", 14) == 0)
				p = line.p + i + 14;
		if (p == NULL)
			continue;
		for (q = p; q + 9 <= line.p + line.n; q++)
			if (strncasecmp(q, "completed", 9) == 0) {
				done = true;
				last = line;
				break;
			}
	}
	tsam_facts_set_bool(f, "scans.completed_7d", done);
	if (done) {
		tsam_cur_trim(&last);
		tsam_facts_set_strn(f, "scans.last_completed", last.p,
				    last.n > 300 ? 300 : last.n);
	}
}

void tsam_facts_sav(const struct tsam_sections *secs, struct tsam_facts *f)
{
	struct lists l;
	bool yes;

	if (tsam_facts_section(secs, COLL, "installed") == NULL)
		return; /* the collector did not run */
	installed(secs, f, &yes);
	if (!yes)
		return;
	status(secs, f);
	versions(secs, f);
	l.sources = json_object_new_array();
	l.excl = json_object_new_array();
	l.scans = json_object_new_array();
	config(secs, f, "savconfig-query", &l);
	config(secs, f, "savconfig-advanced", &l);
	/* The lists are known only from a query that succeeded: a failed
	 * savconfig (no privilege, a broken install) gives no list, never
	 * an empty one. */
	if (ok_sec(secs, "savconfig-query") != NULL) {
		primary_source(f, l.sources);
		tsam_facts_set(f, "update.sources", l.sources);
		tsam_facts_set(f, "scans.scheduled", l.scans);
		tsam_facts_set(f, "exclusions", l.excl);
	} else {
		json_object_put(l.sources);
		json_object_put(l.scans);
		json_object_put(l.excl);
	}
	last_update(secs, f);
	scan_log(secs, f);
}
