/*
 * facts_spl.c - facts from the spl collector (Sophos Protection for Linux):
 * product.*, plugins[], service.active, health.*, update.products[],
 * management.endpoint_id, onaccess.* and exclusions[] (CORE policy). See
 * docs/facts.md. The XML status files are read for the few elements and
 * attributes needed, with a bounded scanner: they are remote, untrusted text,
 * not documents to trust.
 */
#include "facts.h"
#include "str.h"
#include "date.h"
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define COLL "spl"

static const struct tsam_section *ok_sec(const struct tsam_sections *secs,
					 const char *name)
{
	return tsam_facts_ok_section(secs, COLL, name);
}

/* The value of "KEY = value" in an ini-style text, or false. */
static bool ini_value(struct tsam_cur text, const char *key,
		      struct tsam_cur *val)
{
	struct tsam_cur line;

	while (tsam_cur_getline(&text, &line)) {
		struct tsam_cur k;
		if (tsam_cur_split(line, '=', &k, val) && tsam_cur_eq(k, key))
			return val->n > 0;
	}
	return false;
}

/*
 * Finds the next element <tag ...> in *c and returns its attribute text in
 * *attrs; advances past it.
 */
static bool next_element(struct tsam_cur *c, const char *tag,
			 struct tsam_cur *attrs)
{
	size_t tl = strlen(tag), i;

	for (i = 0; i + tl + 1 < c->n; i++) {
		size_t end;
		if (c->p[i] != '<' || memcmp(c->p + i + 1, tag, tl) != 0 ||
		    (c->p[i + 1 + tl] != ' ' && c->p[i + 1 + tl] != '\t' &&
		     c->p[i + 1 + tl] != '\n' && c->p[i + 1 + tl] != '/' &&
		     c->p[i + 1 + tl] != '>'))
			continue;
		for (end = i + 1 + tl; end < c->n && c->p[end] != '>'; end++)
			;
		if (end >= c->n)
			return false;
		*attrs = tsam_cur_make(c->p + i + 1 + tl, end - i - 1 - tl);
		c->p += end + 1;
		c->n -= end + 1;
		return true;
	}
	return false;
}

/* The value of attribute name="..." in attrs. */
static bool attr(struct tsam_cur attrs, const char *name, struct tsam_cur *val)
{
	size_t nl = strlen(name), i;

	for (i = 0; i + nl + 2 < attrs.n; i++) {
		const char *q;
		if ((i > 0 && attrs.p[i - 1] != ' ' && attrs.p[i - 1] != '\t' &&
		     attrs.p[i - 1] != '\n') ||
		    memcmp(attrs.p + i, name, nl) != 0 ||
		    attrs.p[i + nl] != '=' ||
		    (attrs.p[i + nl + 1] != '"' && attrs.p[i + nl + 1] != '\''))
			continue;
		q = memchr(attrs.p + i + nl + 2, attrs.p[i + nl + 1],
			   attrs.n - i - nl - 2);
		if (q == NULL)
			return false;
		*val = tsam_cur_make(attrs.p + i + nl + 2,
				     (size_t)(q - (attrs.p + i + nl + 2)));
		return true;
	}
	return false;
}

static void versions(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = ok_sec(secs, "base-version");
	json_object *plugins = json_object_new_array();
	struct tsam_cur v;
	size_t i;

	if (s != NULL) {
		if (ini_value(tsam_cur_make(s->body, s->len), "PRODUCT_VERSION",
			      &v))
			tsam_facts_set_strn(f, "product.version", v.p, v.n);
		else
			tsam_facts_error(f, COLL, "base-version", 0,
					 "no PRODUCT_VERSION");
	}
	for (i = 0; i < secs->n; i++) {
		const struct tsam_section *p = &secs->v[i];
		json_object *o;
		if (strcmp(p->collector, COLL) != 0)
			continue;
		/* a plugin directory that could not be listed or read: the
		 * list would be short, so there is none */
		if ((strcmp(p->name, "plugins") == 0 ||
		     strncmp(p->name, "plugin-", 7) == 0) &&
		    p->rc != 0) {
			json_object_put(plugins);
			return;
		}
		if (strncmp(p->name, "plugin-", 7) != 0)
			continue;
		o = json_object_new_object();
		tsam_json_add_str(o, "name", p->name + 7);
		if (ini_value(tsam_cur_make(p->body, p->len), "PRODUCT_VERSION",
			      &v))
			tsam_json_add_bytes(o, "version", v.p, v.n);
		else
			tsam_facts_error(f, COLL, p->name, 0,
					 "no PRODUCT_VERSION");
		json_object_array_add(plugins, o);
	}
	tsam_facts_set(f, "plugins", plugins);
}

static void service(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s =
	    tsam_facts_section(secs, COLL, "service");
	struct tsam_cur c;

	/* is-active exits 3 for inactive: read the word, not the status. */
	if (s == NULL || s->rc == 127)
		return;
	c = tsam_cur_make(s->body, s->len);
	tsam_cur_trim(&c);
	tsam_facts_set_strn(f, "service.state", c.p, c.n);
	tsam_facts_set_bool(f, "service.active", tsam_cur_eq(c, "active"));
}

/* SHS_status.xml: health/service/threatService 1 good 3 bad; threat 1, 2, 3. */
static void health(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = ok_sec(secs, "shs-status");
	struct tsam_cur c, attrs, name, val;
	bool any = false;

	if (s == NULL)
		return;
	c = tsam_cur_make(s->body, s->len);
	while (next_element(&c, "item", &attrs)) {
		char fact[64];
		const char *word;
		size_t k;

		if (!attr(attrs, "name", &name) ||
		    !attr(attrs, "value", &val) || name.n == 0 || name.n > 32)
			continue;
		/* the name becomes part of a fact's name: a word, or nothing
		 * (found by the spl parser's own fuzz target) */
		for (k = 0; k < name.n; k++)
			if (!((name.p[k] >= 'a' && name.p[k] <= 'z') ||
			      (name.p[k] >= 'A' && name.p[k] <= 'Z') ||
			      (name.p[k] >= '0' && name.p[k] <= '9') ||
			      name.p[k] == '_'))
				break;
		if (k < name.n) {
			tsam_facts_error(f, COLL, "shs-status", 0,
					 "a health item whose name is not a "
					 "word");
			continue;
		}
		if (tsam_cur_eq(val, "1"))
			word = "good";
		else if (tsam_cur_eq(val, "2"))
			word = tsam_cur_eq(name, "threat") ? "suspicious"
							   : "missing";
		else if (tsam_cur_eq(val, "3"))
			word = "bad";
		else {
			tsam_facts_error(f, COLL, "shs-status", 0,
					 "unknown health value for %.*s",
					 (int)name.n, name.p);
			continue;
		}
		snprintf(fact, sizeof(fact), "health.%.*s", (int)name.n,
			 name.p);
		if (tsam_cur_eq(name, "health"))
			snprintf(fact, sizeof(fact), "health.overall");
		tsam_facts_set_str(f, fact, word);
		any = true;
	}
	if (!any)
		tsam_facts_error(f, COLL, "shs-status", 0, "no health items");
}

/* ALC_status.xml: what is installed against what was downloaded. */
static void update(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = ok_sec(secs, "alc-status");
	json_object *list;
	struct tsam_cur c, attrs, v;

	if (s == NULL)
		return;
	list = json_object_new_array();
	c = tsam_cur_make(s->body, s->len);
	while (next_element(&c, "product", &attrs)) {
		json_object *o = json_object_new_object();
		if (attr(attrs, "rigidName", &v))
			tsam_json_add_bytes(o, "name", v.p, v.n);
		if (attr(attrs, "installedVersion", &v))
			tsam_json_add_bytes(o, "installed", v.p, v.n);
		if (attr(attrs, "downloadedVersion", &v))
			tsam_json_add_bytes(o, "downloaded", v.p, v.n);
		json_object_array_add(list, o);
	}
	tsam_facts_set(f, "update.products", list);
}

static void management(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = ok_sec(secs, "mcs-config");
	struct tsam_cur text, line;

	if (s == NULL)
		return;
	text = tsam_cur_make(s->body, s->len);
	while (tsam_cur_getline(&text, &line)) {
		/* Only the endpoint id: passwords and tokens are redacted and
		 * never become facts. */
		if (tsam_cur_skip_prefix(&line, "MCSID=")) {
			tsam_cur_trim(&line);
			tsam_facts_set_strn(f, "management.endpoint_id", line.p,
					    line.n);
		}
	}
}

/* XML text with the five predefined entities decoded, as a JSON string. */
static json_object *xml_text(struct tsam_cur t)
{
	static const struct {
		const char *ent;
		char c;
	} ents[] = {{"&amp;", '&'},
		    {"&lt;", '<'},
		    {"&gt;", '>'},
		    {"&quot;", '"'},
		    {"&apos;", '\''}};
	char buf[4096];
	size_t n = 0, i, k;

	for (i = 0; i < t.n && n < sizeof(buf); i++) {
		for (k = 0; t.p[i] == '&' && k < sizeof(ents) / sizeof(ents[0]);
		     k++) {
			size_t el = strlen(ents[k].ent);

			if (t.n - i >= el &&
			    memcmp(t.p + i, ents[k].ent, el) == 0)
				break;
		}
		if (t.p[i] == '&' && k < sizeof(ents) / sizeof(ents[0])) {
			buf[n++] = ents[k].c;
			i += strlen(ents[k].ent) - 1;
		} else {
			buf[n++] = t.p[i];
		}
	}
	{ /* remote bytes: never anything but UTF-8 in a fact */
		char *clean = tsam_utf8_sanitize(buf, n);
		json_object *o = json_object_new_string(clean ? clean : "");

		free(clean);
		return o;
	}
}

/* "true" / "false" of an element's text into fact name; else an error. */
static void xml_bool(struct tsam_facts *f, const char *name,
		     struct tsam_cur text, size_t line)
{
	if (tsam_cur_eq(text, "true") || tsam_cur_eq(text, "false"))
		tsam_facts_set_bool(f, name, tsam_cur_eq(text, "true"));
	else
		tsam_facts_error(f, COLL, "core-policy-onaccess", line,
				 "%s: \"%.*s\" is not true or false", name,
				 (int)(text.n > 64 ? 64 : text.n), text.p);
}

/* The next "tag>text" line of a section the collector cut one tag per
 * line (blank and other lines skipped, *lineno counting every line);
 * false at the end. */
static bool next_tag(struct tsam_cur *text, size_t *lineno,
		     struct tsam_cur *tag, struct tsam_cur *val)
{
	struct tsam_cur line;

	while (tsam_cur_getline(text, &line)) {
		(*lineno)++;
		tsam_cur_trim(&line);
		if (line.n > 0 && tsam_cur_split(line, '>', tag, val))
			return true;
	}
	return false;
}

/*
 * The CORE policy's <onAccessScan>, one tag per line as the collector cuts
 * it ("enabled>true", "/enabled>"): onaccess.enabled, on_read, on_write,
 * on_exec, exclude_remote and exclusions[] (kind path or process).
 */
static void onaccess(const struct tsam_sections *secs, struct tsam_facts *f)
{
	static const struct {
		const char *tag, *fact;
	} flags[] = {{"enabled", "onaccess.enabled"},
		     {"onRead", "onaccess.on_read"},
		     {"onWrite", "onaccess.on_write"},
		     {"onExec", "onaccess.on_exec"}};
	const struct tsam_section *s = ok_sec(secs, "core-policy-onaccess");
	json_object *excl;
	struct tsam_cur text, tag, val;
	const char *parent = NULL; /* the open child of onAccessScan */
	size_t depth = 0, lineno = 0, k;
	bool seen = false;

	if (s == NULL)
		return;
	excl = json_object_new_array();
	text = tsam_cur_make(s->body, s->len);
	while (next_tag(&text, &lineno, &tag, &val)) {
		if (tag.n > 0 && tag.p[0] == '/') { /* a closing tag */
			if (depth > 0)
				depth--;
			if (depth == 1)
				parent = NULL;
			continue;
		}
		if (tag.n > 0 && (tag.p[tag.n - 1] == '/' || tag.p[0] == '?' ||
				  tag.p[0] == '!'))
			continue; /* <empty/>, <?...?>, <!-- --> */
		depth++;
		if (depth == 1) {
			seen = tsam_cur_eq(tag, "onAccessScan");
			continue;
		}
		if (depth == 2) {
			parent = tsam_cur_eq(tag, "exclusions") ? "exclusions"
								: NULL;
			for (k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
				if (tsam_cur_eq(tag, flags[k].tag))
					xml_bool(f, flags[k].fact, val, lineno);
		} else if (parent != NULL && depth == 3 &&
			   tsam_cur_eq(tag, "excludeRemoteFiles")) {
			xml_bool(f, "onaccess.exclude_remote", val, lineno);
		} else if (parent != NULL && depth == 4 && val.n > 0 &&
			   (tsam_cur_eq(tag, "filePath") ||
			    tsam_cur_eq(tag, "processPath"))) {
			json_object *o = json_object_new_object();

			tsam_json_add_str(
			    o, "kind",
			    tsam_cur_eq(tag, "filePath") ? "path" : "process");
			json_object_object_add(o, "value", xml_text(val));
			json_object_array_add(excl, o);
		}
	}
	if (!seen) {
		json_object_put(excl);
		tsam_facts_error(f, COLL, "core-policy-onaccess", 0,
				 "no <onAccessScan> in CORE_policy.xml");
		return;
	}
	tsam_facts_set(f, "exclusions", excl);
}

/*
 * One line of an SPL log (suldownloader.log, the AV plugin's av.log), as
 * SPL's log4cplus layout writes it:
 * "%-7r [%d{%Y-%m-%dT%H:%M:%S.%q}] %7p [%10.10t] %c <> %m" (%d is UTC):
 * its time (UTC seconds), level word and message. False for anything
 * else (continuation lines, damage).
 */
static bool log_line(struct tsam_cur line, time_t *t, struct tsam_cur *level,
		     struct tsam_cur *msg)
{
	const char *lb = memchr(line.p, '[', line.n), *sep;
	struct tsam_cur rest;
	char ts[20];

	if (lb == NULL || (size_t)(line.p + line.n - lb) < 22 || lb[20] != '.')
		return false;
	memcpy(ts, lb + 1, 19);
	ts[19] = '\0';
	{
		char iso[21];

		snprintf(iso, sizeof(iso), "%sZ", ts);
		if ((*t = tsam_time_parse(iso)) < 0)
			return false;
	}
	rest = tsam_cur_make(lb + 20, (size_t)(line.p + line.n - lb - 20));
	sep = NULL;
	{
		size_t i;

		for (i = 0; i + 4 <= rest.n; i++)
			if (memcmp(rest.p + i, " <> ", 4) == 0) {
				sep = rest.p + i;
				break;
			}
	}
	if (sep == NULL)
		return false;
	/* "] LEVEL [thread] logger": the level is the first word */
	{
		const char *p = memchr(rest.p, ']', (size_t)(sep - rest.p));
		struct tsam_cur words;

		if (p == NULL)
			return false;
		words = tsam_cur_make(p + 1, (size_t)(sep - p - 1));
		if (!tsam_cur_token(&words, level))
			return false;
	}
	*msg = tsam_cur_make(sep + 4, (size_t)(line.p + line.n - sep - 4));
	tsam_cur_trim(msg);
	return true;
}

/*
 * The tail of suldownloader.log: the last update's result ("Update
 * success" or "Update failed, with code: N"), when it ran, the last
 * success, and the last warning or error before a failure.
 */
static void sul_result(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = ok_sec(secs, "suldownloader-log");
	struct tsam_cur text, line, level, msg, why = {0}, last_why = {0};
	time_t t, attempt = -1, success = -1;
	int64_t code = -1;

	if (s == NULL)
		return;
	text = tsam_cur_make(s->body, s->len);
	while (tsam_cur_getline(&text, &line)) {
		if (!log_line(line, &t, &level, &msg))
			continue;
		if (tsam_cur_eq(msg, "Update success")) {
			attempt = success = t;
			code = 0;
			last_why = why = (struct tsam_cur){0};
		} else if (tsam_cur_skip_prefix(&msg,
						"Update failed, with code: ")) {
			uint64_t c;

			tsam_cur_trim(&msg);
			attempt = t;
			code = tsam_cur_to_u64(msg, 100000, &c) == TSAM_OK
				   ? (int64_t)c
				   : -1;
			last_why = why; /* this run's last complaint */
			why = (struct tsam_cur){0};
		} else if (tsam_cur_eq(level, "WARN") ||
			   tsam_cur_eq(level, "ERROR")) {
			why = msg;
		}
	}
	if (attempt < 0)
		return; /* no update in the lines collected */
	tsam_facts_set_str(f, "update.last_result",
			   code == 0 ? "success" : "failed");
	if (code >= 0)
		tsam_facts_set_int(f, "update.last_result_code", code);
	tsam_facts_set_time(f, "update.last_attempt", (double)attempt);
	if (success >= 0)
		tsam_facts_set_time(f, "update.last_success", (double)success);
	if (code != 0 && last_why.n > 0)
		tsam_facts_set_strn(f, "update.last_error", last_why.p,
				    last_why.n > 300 ? 300 : last_why.n);
}

/* Appends val's decoded text to the comma-separated member key of o; a
 * value that would take the list past 512 bytes is left out (never cut
 * inside a character). */
static void add_listed(json_object *o, const char *key, struct tsam_cur val)
{
	json_object *t = xml_text(val);
	const char *was = tsam_json_str(o, key),
		   *add = json_object_get_string(t);
	char buf[512];
	int n = was ? snprintf(buf, sizeof(buf), "%s,%s", was, add)
		    : snprintf(buf, sizeof(buf), "%s", add);

	if (n >= 0 && (size_t)n < sizeof(buf))
		tsam_json_add_str(o, key, buf);
	json_object_put(t);
}

/*
 * The SAV policy's <scanSet>, one tag per line as the collector cuts it
 * ("scan>", "name>Sophos Cloud Scheduled Scan", "day>monday",
 * "time>02:00:00", "/scan>"): one object per scan with its name, days and
 * times. NULL when the section is absent or failed.
 */
static json_object *policy_scans(const struct tsam_sections *secs,
				 struct tsam_facts *f)
{
	const struct tsam_section *s = ok_sec(secs, "sav-policy-scans");
	json_object *scans, *cur = NULL;
	struct tsam_cur text, tag, val;
	size_t lineno = 0;

	if (s == NULL)
		return NULL;
	scans = json_object_new_array();
	text = tsam_cur_make(s->body, s->len);
	while (next_tag(&text, &lineno, &tag, &val)) {
		if (tsam_cur_eq(tag, "scan")) {
			cur = json_object_new_object();
			json_object_array_add(scans, cur);
		} else if (tsam_cur_eq(tag, "/scan")) {
			if (cur != NULL && tsam_json_str(cur, "name") == NULL) {
				tsam_facts_error(f, COLL, "sav-policy-scans",
						 lineno,
						 "a <scan> without a name");
				json_object_array_del_idx(
				    scans, json_object_array_length(scans) - 1,
				    1);
			}
			cur = NULL;
		} else if (cur != NULL && tsam_cur_eq(tag, "name") &&
			   val.n > 0) {
			json_object_object_add(cur, "name", xml_text(val));
		} else if (cur != NULL && tsam_cur_eq(tag, "day") &&
			   val.n > 0) {
			add_listed(cur, "days", val);
		} else if (cur != NULL && tsam_cur_eq(tag, "time") &&
			   val.n > 0) {
			add_listed(cur, "times", val);
		}
	}
	return scans;
}

/*
 * Cuts msg = PREFIX NAME SUFFIX for one of the suffixes; the name into
 * *name, the suffix's index into *which, what follows it into *rest.
 */
static bool cut_name(struct tsam_cur msg, const char *prefix,
		     const char *const *suffixes, struct tsam_cur *name,
		     size_t *which, struct tsam_cur *rest)
{
	size_t i, k;

	if (!tsam_cur_skip_prefix(&msg, prefix))
		return false;
	for (i = msg.n; i-- > 0;)
		for (k = 0; suffixes[k] != NULL; k++) {
			size_t sl = strlen(suffixes[k]);
			if (i + sl <= msg.n &&
			    memcmp(msg.p + i, suffixes[k], sl) == 0 && i > 0) {
				*name = tsam_cur_make(msg.p, i);
				*which = k;
				*rest = tsam_cur_make(msg.p + i + sl,
						      msg.n - i - sl);
				return true;
			}
		}
	return false;
}

/*
 * Sophos Protection for Linux's scheduled scans: scans.scheduled[] from
 * the SAV policy (name, days, times) with, from the AV plugin's log
 * ("Starting scan NAME"; "Completed scan NAME without detecting any
 * threats", "... and detected threats", "... with exit code: N"; "Scan:
 * NAME, terminated with exit code: N", "Scan: NAME, found threats but
 * aborted with exit code: N", "Scan: NAME failed to start ...", as the
 * plugin's ScanScheduler logs them), each scan's last_started,
 * last_completed, result (clean, threats, exit_code, aborted,
 * aborted_threats, failed_to_start) and exit_code.
 */
static void scheduled_scans(const struct tsam_sections *secs,
			    struct tsam_facts *f)
{
	static const char *const done[] = {" without detecting any threats",
					   " and detected threats",
					   " with exit code: ", NULL};
	static const char *const done_words[] = {"clean", "threats",
						 "exit_code"};
	static const char *const stopped[] = {
	    ", terminated with exit code: ",
	    ", found threats but aborted with exit code: ", " failed to start",
	    NULL};
	static const char *const stopped_words[] = {
	    "aborted", "aborted_threats", "failed_to_start"};
	const struct tsam_section *s;
	json_object *scans = policy_scans(secs, f);
	struct tsam_cur text, line, level, msg, name, rest;
	time_t t;
	size_t which;

	if (scans == NULL)
		return;
	/* a log that exists but could not be read says nothing about the
	 * scans' runs: no fact, rather than scans that never ran */
	s = tsam_facts_section(secs, COLL, "av-log-scans");
	if (s != NULL && s->rc != 0 && s->rc != 2) {
		json_object_put(scans);
		return;
	}
	s = ok_sec(secs, "av-log-scans");
	text = s ? tsam_cur_make(s->body, s->len) : tsam_cur_make("", 0);
	while (tsam_cur_getline(&text, &line)) {
		json_object *scan;
		const char *word;
		uint64_t code;
		bool completed;

		if (!log_line(line, &t, &level, &msg))
			continue;
		if (tsam_cur_skip_prefix(&msg, "Starting scan ")) {
			if ((scan = tsam_facts_named(scans, msg.p, msg.n)) !=
			    NULL)
				tsam_json_add_time(scan, "last_started",
						   (double)t);
			continue;
		}
		if (cut_name(msg, "Completed scan ", done, &name, &which,
			     &rest)) {
			completed = true;
			word = done_words[which];
		} else if (cut_name(msg, "Scan: ", stopped, &name, &which,
				    &rest)) {
			completed = false;
			word = stopped_words[which];
		} else {
			continue;
		}
		if ((scan = tsam_facts_named(scans, name.p, name.n)) == NULL)
			continue; /* not a scheduled scan (Scan Now ...) */
		if (completed)
			tsam_json_add_time(scan, "last_completed", (double)t);
		tsam_json_add_str(scan, "result", word);
		json_object_object_del(scan, "exit_code");
		tsam_cur_trim(&rest);
		if (rest.n > 0 && tsam_cur_to_u64(rest, 255, &code) == TSAM_OK)
			tsam_json_add_int(scan, "exit_code", (int64_t)code);
	}
	tsam_facts_set(f, "scans.scheduled", scans);
}

void tsam_facts_spl(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = ok_sec(secs, "installed");
	struct tsam_cur c;

	if (tsam_facts_section(secs, COLL, "installed") == NULL)
		return;
	c = s ? tsam_cur_make(s->body, s->len) : tsam_cur_make("", 0);
	tsam_cur_trim(&c);
	/* "no", or not collected: tsam_facts_parse decides
	 * product.installed from every product collector. */
	if (!tsam_cur_eq(c, "yes"))
		return;
	tsam_facts_set_bool(f, "product.installed", true);
	tsam_facts_set_str(f, "product.id", "spl");
	tsam_facts_set_str(f, "product.name", "Sophos Protection for Linux");
	versions(secs, f);
	service(secs, f);
	health(secs, f);
	update(secs, f);
	management(secs, f);
	onaccess(secs, f);
	sul_result(secs, f);
	scheduled_scans(secs, f);
}
