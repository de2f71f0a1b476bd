/*
 * test_facts.c - linux-base facts from fixture outputs (tests/data/facts):
 * every fact with its type, and damaged sections reported with their line
 * while the other facts stand; sav-linux's primary update source (kind,
 * location, server) and scheduled scans from savconfig and savlog; the
 * load averages as a share of the CPUs, and a df that read nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "facts.h"
#include "fsio.h"
#include "json.h"
#include "sections.h"

#define B "0123456789abcdef0123456789abcdef"

static json_object *facts_of(const char *variant, struct tsam_buf *raw)
{
	char path[1024];
	struct tsam_sections secs;
	json_object *out = NULL;

	snprintf(path, sizeof(path), "%s/facts/%s.out",
		 getenv("TSAM_TEST_DATA"), variant);
	tsam_buf_init(raw, 1 << 20);
	assert_int_equal(tsam_fsio_read(path, raw, NULL), TSAM_OK);
	assert_int_equal(tsam_sections_parse(raw->data, raw->len, B, &secs),
			 TSAM_OK);
	assert_string_equal(secs.problem, "");
	assert_int_equal(tsam_facts_parse(&secs, &out), TSAM_OK);
	tsam_sections_free(&secs);
	return out;
}

static void expect_facts(json_object *got, const char *variant)
{
	char path[1024];
	json_object *want = NULL, *facts;

	snprintf(path, sizeof(path), "%s/facts/%s.facts.json",
		 getenv("TSAM_TEST_DATA"), variant);
	assert_int_equal(tsam_json_load(path, 1 << 20, &want, NULL), TSAM_OK);
	assert_true(json_object_object_get_ex(got, "facts", &facts));
	if (!json_object_equal(facts, want))
		fail_msg("facts differ for %s:\n got: %s\nwant: %s", variant,
			 json_object_to_json_string(facts),
			 json_object_to_json_string(want));
	json_object_put(want);
}

static void debian_chrony(void **state)
{
	struct tsam_buf raw;
	json_object *got = facts_of("debian-chrony", &raw), *errors;

	(void)state;
	assert_string_equal(tsam_json_str(got, "schema"), TSAM_FACTS_SCHEMA);
	expect_facts(got, "debian-chrony");
	assert_true(json_object_object_get_ex(got, "errors", &errors));
	assert_int_equal(json_object_array_length(errors), 0);
	json_object_put(got);
	tsam_buf_free(&raw);
}

static void damaged_sections(void **state)
{
	struct tsam_buf raw, want;
	json_object *got = facts_of("rhel-damaged", &raw), *errors;
	char path[1024], line[512];
	size_t i;
	struct tsam_buf lines;

	(void)state;
	expect_facts(got, "rhel-damaged");
	assert_true(json_object_object_get_ex(got, "errors", &errors));
	tsam_buf_init(&lines, 1 << 16);
	for (i = 0; i < json_object_array_length(errors); i++) {
		json_object *e = json_object_array_get_idx(errors, i);
		int64_t ln = -1;
		tsam_json_int(e, "line", &ln);
		assert_string_equal(tsam_json_str(e, "collector"),
				    "linux-base");
		snprintf(line, sizeof(line), "%s:%lld:%s\n",
			 tsam_json_str(e, "section"), (long long)ln,
			 tsam_json_str(e, "problem"));
		tsam_buf_adds(&lines, line);
	}
	snprintf(path, sizeof(path), "%s/facts/rhel-damaged.errors.txt",
		 getenv("TSAM_TEST_DATA"));
	tsam_buf_init(&want, 1 << 16);
	assert_int_equal(tsam_fsio_read(path, &want, NULL), TSAM_OK);
	assert_string_equal(lines.data, want.data);
	tsam_buf_free(&want);
	tsam_buf_free(&lines);
	json_object_put(got);
	tsam_buf_free(&raw);
}

static void no_collector_no_facts(void **state)
{
	struct tsam_sections secs;
	json_object *got, *facts;
	const char out[] = "TSAMKIT-COLLECT 1 " B "\n" B " trailer rc=0\n";

	(void)state;
	assert_int_equal(tsam_sections_parse(out, sizeof(out) - 1, B, &secs),
			 TSAM_OK);
	assert_int_equal(tsam_facts_parse(&secs, &got), TSAM_OK);
	assert_true(json_object_object_get_ex(got, "facts", &facts));
	assert_int_equal(json_object_object_length(facts), 0);
	json_object_put(got);
	tsam_sections_free(&secs);
}

/* The facts of a sav-linux host whose savconfig query prints query,
 * whose savlog prints log and whose savdstatus prints status (each ending
 * with a newline); the parse errors into *errors when not NULL. */
/* linux-base's text with cpuinfo, loadavg and df sections. */
static json_object *linux_facts(const char *cpuinfo, const char *loadavg,
				const char *df, json_object **errors)
{
	char text[8192];
	struct tsam_sections secs;
	json_object *out = NULL, *facts;

	snprintf(
	    text, sizeof(text),
	    "TSAMKIT-COLLECT 1 " B "\n" B
	    " begin linux-base uname\nLinux 6.1.0 #1 SMP x86_64\n" B
	    " end linux-base uname rc=0\n" B " begin linux-base cpuinfo\n%s" B
	    " end linux-base cpuinfo rc=0\n" B " begin linux-base loadavg\n%s" B
	    " end linux-base loadavg rc=0\n" B " begin linux-base df\n%s" B
	    " end linux-base df rc=1\n" B " trailer rc=0\n",
	    cpuinfo, loadavg, df);
	assert_int_equal(tsam_sections_parse(text, strlen(text), B, &secs),
			 TSAM_OK);
	assert_int_equal(tsam_facts_parse(&secs, &out), TSAM_OK);
	tsam_sections_free(&secs);
	assert_true(json_object_object_get_ex(out, "facts", &facts));
	json_object_get(facts);
	assert_true(json_object_object_get_ex(out, "errors", errors));
	json_object_get(*errors);
	json_object_put(out);
	return facts;
}

/* The load averages as a share of the CPUs (rounded); none without the
 * CPU count; a damaged line is an error, never a fact; a df that read no
 * file system at all leaves disk unknown (absent), never an empty list. */
static void load_and_disk(void **state)
{
	static const char four[] = "processor : 0\nprocessor : 1\nprocessor : "
				   "2\nprocessor : 3\n";
	static const char df_none[] =
	    "Filesystem 1024-blocks Used Available Capacity Mounted on\n"
	    "df: /: can't find mount point\n";
	json_object *f, *errors, *v;

	(void)state;
	f = linux_facts(four, "6.00 0.02 12.5 9/300 4242\n", df_none, &errors);
	assert_true(json_object_object_get_ex(f, "host.load1_pct", &v));
	assert_int_equal(json_object_get_int64(v), 150);
	assert_true(json_object_object_get_ex(f, "host.load5_pct", &v));
	assert_int_equal(json_object_get_int64(v), 1);
	assert_true(json_object_object_get_ex(f, "host.load15_pct", &v));
	assert_int_equal(json_object_get_int64(v), 313);
	assert_false(json_object_object_get_ex(f, "disk", NULL));
	assert_int_equal(json_object_array_length(errors), 1);
	assert_string_equal(
	    tsam_json_str(json_object_array_get_idx(errors, 0), "section"),
	    "df");
	json_object_put(f);
	json_object_put(errors);

	f = linux_facts(four, "0.5 x 1\n", "", &errors);
	assert_false(json_object_object_get_ex(f, "host.load1_pct", NULL));
	assert_string_equal(
	    tsam_json_str(json_object_array_get_idx(errors, 0), "problem"),
	    "expected three load averages");
	json_object_put(f);
	json_object_put(errors);

	f = linux_facts("flags : fpu\n", "1.00 1.00 1.00 1/1 1\n", "", &errors);
	assert_false(json_object_object_get_ex(f, "host.load15_pct", NULL));
	json_object_put(f);
	json_object_put(errors);
}

static json_object *sav_facts3(const char *query, const char *log,
			       const char *status, json_object **errors)
{
	char text[8192];
	struct tsam_sections secs;
	json_object *out = NULL, *facts;

	snprintf(
	    text, sizeof(text),
	    "TSAMKIT-COLLECT 1 " B "\n" B " begin sav-linux installed\nyes\n" B
	    " end sav-linux installed rc=0\n" B
	    " begin sav-linux savconfig-query\n%s" B
	    " end sav-linux savconfig-query rc=0\n" B
	    " begin sav-linux savlog\n%s" B " end sav-linux savlog rc=0\n" B
	    " begin sav-linux savdstatus\n%s" B
	    " end sav-linux savdstatus rc=0\n" B " trailer rc=0\n",
	    query, log, status);
	assert_int_equal(tsam_sections_parse(text, strlen(text), B, &secs),
			 TSAM_OK);
	assert_string_equal(secs.problem, "");
	assert_int_equal(tsam_facts_parse(&secs, &out), TSAM_OK);
	tsam_sections_free(&secs);
	assert_true(json_object_object_get_ex(out, "facts", &facts));
	json_object_get(facts);
	if (errors != NULL) {
		assert_true(json_object_object_get_ex(out, "errors", errors));
		json_object_get(*errors);
	}
	json_object_put(out);
	return facts;
}

static json_object *sav_facts(const char *query, const char *log)
{
	return sav_facts3(query, log, "", NULL);
}

/* savdstatus: the English messages give both states; a message the
 * parser does not know (another language, another shape) leaves them
 * unknown with an error, never false. */
static void sav_status_messages(void **state)
{
	static const struct {
		const char *text, *active, *running;
		bool error;
	} t[] = {
	    {"Sophos Anti-Virus is active and on-access scanning is running\n",
	     "true", "true", false},
	    {"Sophos Anti-Virus is active but on-access scanning is not "
	     "running\n",
	     "true", "false", false},
	    {"Sophos Anti-Virus is not running\n", "false", "false", false},
	    {"Sophos Anti-Virus is active\n", "true", "null", true},
	    /* a localized message (made up for this test: no capture of the
	     * product's Japanese output is public) */
	    {"Sophos Anti-Virus (\xe3\x82\xa2\xe3\x82\xaf\xe3\x83\x86"
	     "\xe3\x82\xa3\xe3\x83\x96)\n",
	     "null", "null", true},
	    {"\xe3\x82\xa6\xe3\x82\xa4\xe3\x83\xab\xe3\x82\xb9\xe5\xaf"
	     "\xbe\xe7\xad\x96\xe3\x81\xaf\xe7\xa8\xbc\xe5\x83\x8d\xe4\xb8"
	     "\xad\xe3\x81\xa7\xe3\x81\x99\n",
	     "null", "null", true},
	    {"\x01\x02garbage\n", "null", "null", true},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		json_object *errors = NULL, *a = NULL, *r = NULL;
		json_object *f = sav_facts3("", "", t[i].text, &errors);
		const char *ga, *gr;
		bool err = false;
		size_t k;

		json_object_object_get_ex(f, "daemon.active", &a);
		json_object_object_get_ex(f, "onaccess.running", &r);
		ga = a ? json_object_to_json_string(a) : "null";
		gr = r ? json_object_to_json_string(r) : "null";
		for (k = 0; k < json_object_array_length(errors); k++)
			err |= strcmp(tsam_json_str(
					  json_object_array_get_idx(errors, k),
					  "section"),
				      "savdstatus") == 0;
		if (strcmp(ga, t[i].active) != 0 ||
		    strcmp(gr, t[i].running) != 0 || err != t[i].error)
			fail_msg("case %zu: active %s running %s error %d", i,
				 ga, gr, err);
		json_object_put(errors);
		json_object_put(f);
	}
}

static const char *str_or(json_object *facts, const char *name)
{
	const char *s = tsam_json_str(facts, name);
	return s ? s : "(none)";
}

static void sav_primary_source(void **state)
{
	static const struct {
		const char *path, *kind, *location, *server;
	} t[] = {
	    {"sophos:", "sophos", "sophos:", "(none)"},
	    {"smb://UM1.Example.COM/SophosUpdate/CIDs/S000/savlinux/", "unc",
	     "smb://UM1.Example.COM/SophosUpdate/CIDs/S000/savlinux",
	     "um1.example.com"},
	    {"\\\\fs01\\SophosUpdate\\", "unc", "\\\\fs01\\SophosUpdate",
	     "fs01"},
	    {"http://user:pw@cache.example:8191/sophos", "http",
	     "http://<redacted>@cache.example:8191/sophos", "cache.example"},
	    {"HTTPS://[2001:db8::5]:443/s", "http",
	     "HTTPS://[2001:db8::5]:443/s", "2001:db8::5"},
	    {"/mnt/sophos/cid/", "file", "/mnt/sophos/cid", "(none)"},
	    {"ftp://old.example/cid", "other", "ftp://old.example/cid",
	     "(none)"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		char q[512];
		json_object *f;

		snprintf(q, sizeof(q),
			 "SecondaryUpdateSourcePath: sophos:\n"
			 "PrimaryUpdateSourcePath: %s\n",
			 t[i].path);
		f = sav_facts(q, "");
		if (strcmp(str_or(f, "update.primary_kind"), t[i].kind) != 0 ||
		    strcmp(str_or(f, "update.primary_location"),
			   t[i].location) != 0 ||
		    strcmp(str_or(f, "update.primary_server"), t[i].server) !=
			0)
			fail_msg("case %zu: %s %s %s", i,
				 str_or(f, "update.primary_kind"),
				 str_or(f, "update.primary_location"),
				 str_or(f, "update.primary_server"));
		json_object_put(f);
	}
	/* no primary source: no primary facts */
	{
		json_object *f = sav_facts("UpdatePeriodMinutes: 60\n", "");
		assert_null(tsam_json_str(f, "update.primary_kind"));
		json_object_put(f);
	}
}

static void sav_scheduled_scans(void **state)
{
	static const struct {
		const char *query, *log, *names, *last;
		bool done;
	} t[] = {
	    {"NamedScans: weekly\n   nightly db\n", "No log entries\n",
	     "[{\"name\":\"weekly\"},{\"name\":\"nightly db\"}]", "(none)",
	     false},
	    {"NamedScans:\n", "x Scheduled scan \"a\" completed\ny\n", "[]",
	     "x Scheduled scan \"a\" completed", true},
	    /* any case; the last such line */
	    {"NamedScans: a\n",
	     "SCHEDULED SCAN a COMPLETED\n  scheduled scan b completed  \n",
	     "[{\"name\":\"a\"}]", "scheduled scan b completed", true},
	    /* "completed" must come after "scheduled scan" */
	    {"NamedScans: a\n", "completed: Scheduled scan a started\n",
	     "[{\"name\":\"a\"}]", "(none)", false},
	    /* basic and advanced queries may both list a scan: once */
	    {"NamedScans: a\nNamedScans: a\n   b\n", "",
	     "[{\"name\":\"a\"},{\"name\":\"b\"}]", "(none)", false},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		json_object *f = sav_facts(t[i].query, t[i].log), *v = NULL;
		const char *names;

		assert_true(
		    json_object_object_get_ex(f, "scans.scheduled", &v));
		names =
		    json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
		if (strcmp(names, t[i].names) != 0)
			fail_msg("case %zu: %s, want %s", i, names, t[i].names);
		assert_true(
		    json_object_object_get_ex(f, "scans.completed_7d", &v));
		assert_int_equal(json_object_get_boolean(v), t[i].done);
		assert_string_equal(str_or(f, "scans.last_completed"),
				    t[i].last);
		json_object_put(f);
	}
	/* a very long line is quoted cut to 300 bytes */
	{
		char log[1200];
		json_object *f;

		memset(log, 'x', 1000);
		memcpy(log, "Scheduled scan z completed ", 27);
		strcpy(log + 1000, "\n");
		f = sav_facts("", log);
		assert_int_equal(strlen(str_or(f, "scans.last_completed")),
				 300);
		json_object_put(f);
	}
}

/* Sophos Protection for Linux's scheduled scans: the policy's <scanSet>
 * cut one tag per line, and the AV plugin's log lines about scans. */
static void spl_scheduled_scans(void **state)
{
#define L(t, m)                                                                \
	"   1021 [2026-11-" t ".455]    INFO [1402158291] ScanScheduler <> " m \
	"\n"
	static const char policy[] =
	    "scanSet>\n\nscan>\n\nname>Weekly R&amp;D\n/name>\n\nschedule>\n"
	    "daySet>\nday>monday\n/day>\nday>friday\n/day>\n/daySet>\n"
	    "timeSet>\ntime>01:00:00\n/time>\ntime>13:00:00\n/time>\n"
	    "/timeSet>\n/schedule>\n/scan>\nscan>\nname>Nightly\n/name>\n"
	    "/scan>\nscan>\nday>sunday\n/day>\n/scan>\n/scanSet>\n";
	static const char log[] = L("20T01:00:00", "Starting scan Weekly R&D")
	    L("20T01:30:00", "Completed scan Weekly R&D and detected threats")
		L("24T01:00:00", "Starting scan Weekly R&D")
		    L("24T01:20:00",
		      "Completed scan Weekly R&D with exit code: 3")
			L("25T00:00:00", "Starting scan Nightly") L(
			    "25T00:10:00",
			    "Scan: Nightly, terminated with exit code: 15")
			    L("25T00:11:00",
			      "Completed scan Scan Now without detecting any "
			      "threats") "not a log line\n" L("25T02:00:00",
							      "Scan: Nightly "
							      "failed to start "
							      "(capability "
							      "failure) with "
							      "exit code: 40");
#undef L
	char text[8192];
	struct tsam_sections secs;
	json_object *out = NULL, *facts, *scans, *errors;
	const char *got;

	(void)state;
	snprintf(
	    text, sizeof(text),
	    "TSAMKIT-COLLECT 1 " B "\n" B " begin spl installed\nyes\n" B
	    " end spl installed rc=0\n" B " begin spl sav-policy-scans\n%s" B
	    " end spl sav-policy-scans rc=0\n" B " begin spl av-log-scans\n%s" B
	    " end spl av-log-scans rc=0\n" B " trailer rc=0\n",
	    policy, log);
	assert_int_equal(tsam_sections_parse(text, strlen(text), B, &secs),
			 TSAM_OK);
	assert_int_equal(tsam_facts_parse(&secs, &out), TSAM_OK);
	tsam_sections_free(&secs);
	assert_true(json_object_object_get_ex(out, "facts", &facts));
	assert_true(
	    json_object_object_get_ex(facts, "scans.scheduled", &scans));
	got = json_object_to_json_string_ext(scans, JSON_C_TO_STRING_PLAIN);
	assert_string_equal(
	    got, "[{\"name\":\"Weekly R&D\",\"days\":\"monday,friday\","
		 "\"times\":\"01:00:00,13:00:00\","
		 "\"last_started\":\"2026-11-24T01:00:00Z\","
		 "\"last_completed\":\"2026-11-24T01:20:00Z\","
		 "\"result\":\"exit_code\",\"exit_code\":3},"
		 "{\"name\":\"Nightly\","
		 "\"last_started\":\"2026-11-25T00:00:00Z\","
		 "\"result\":\"failed_to_start\"}]");
	/* the third <scan> has no name: reported, not kept */
	assert_true(json_object_object_get_ex(out, "errors", &errors));
	assert_int_equal(json_object_array_length(errors), 1);
	assert_string_equal(
	    tsam_json_str(json_object_array_get_idx(errors, 0), "section"),
	    "sav-policy-scans");
	json_object_put(out);
}

/* Facts and errors of collector output made of sections "collector
 * name rc text" (text without its newline), one per entry. */
static json_object *facts_of_sections(const char *const (*sec)[4], size_t n,
				      json_object **errors)
{
	struct tsam_buf text;
	struct tsam_sections secs;
	json_object *out = NULL, *facts;
	size_t i;

	tsam_buf_init(&text, 1 << 16);
	tsam_buf_adds(&text, "TSAMKIT-COLLECT 1 " B "\n");
	for (i = 0; i < n; i++)
		tsam_buf_addf(&text,
			      B " begin %s %s\n%s\n" B " end %s %s rc=%s\n",
			      sec[i][0], sec[i][1], sec[i][3], sec[i][0],
			      sec[i][1], sec[i][2]);
	tsam_buf_adds(&text, B " trailer rc=0\n");
	assert_int_equal(tsam_sections_parse(text.data, text.len, B, &secs),
			 TSAM_OK);
	assert_string_equal(secs.problem, "");
	assert_int_equal(tsam_facts_parse(&secs, &out), TSAM_OK);
	tsam_sections_free(&secs);
	tsam_buf_free(&text);
	assert_true(json_object_object_get_ex(out, "facts", &facts));
	json_object_get(facts);
	assert_true(json_object_object_get_ex(out, "errors", errors));
	json_object_get(*errors);
	json_object_put(out);
	return facts;
}

static const char *fact_str(json_object *facts, const char *name)
{
	json_object *v;

	if (!json_object_object_get_ex(facts, name, &v))
		return "absent";
	return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
}

/* What the collectors' account could not read: never "not installed",
 * never an empty list; named, with the section, in the errors. */
static void access_denied(void **state)
{
	static const struct {
		const char *const sec[4][4];
		size_t n;
		const char *installed, *denied, *absent;
	} t[] = {
	    /* SPL behind a closed directory, SAV absent: unknown */
	    {{{"sav-linux", "installed", "0", "no"},
	      {"spl", "installed", "3",
	       "permission denied: /opt/sophos-spl/base (uid 1000)"}},
	     2,
	     "absent",
	     "[{\"collector\":\"spl\",\"section\":\"installed\"}]",
	     "[{\"collector\":\"sav-linux\"}]"},
	    /* both absent: false */
	    {{{"sav-linux", "installed", "0", "no"},
	      {"spl", "installed", "0", "no"}},
	     2,
	     "false",
	     "[]",
	     "[{\"collector\":\"sav-linux\"},{\"collector\":\"spl\"}]"},
	    /* SPL there, SAV denied: true (what was found stands) */
	    {{{"sav-linux", "installed", "3",
	       "permission denied: /opt/sophos-av/bin/savdstatus (uid 5)"},
	      {"spl", "installed", "0", "yes"}},
	     2,
	     "true",
	     "[{\"collector\":\"sav-linux\",\"section\":\"installed\"}]",
	     "[]"},
	    /* a command that failed saying so counts; one that failed
	     * otherwise (systemctl's 3: inactive) does not */
	    {{{"spl", "installed", "0", "yes"},
	      {"spl", "suldownloader-log", "1",
	       "tail: cannot open '/opt/sophos-spl/logs/base/suldownloader.log'"
	       " for reading: Permission denied"},
	      {"spl", "service", "3", "inactive"}},
	     3,
	     "true",
	     "[{\"collector\":\"spl\",\"section\":\"suldownloader-log\"}]",
	     "[]"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		json_object *errors,
		    *f = facts_of_sections(t[i].sec, t[i].n, &errors);
		char s[256];

		snprintf(s, sizeof(s), "%s", fact_str(f, "product.installed"));
		if (strcmp(s, t[i].installed) != 0)
			fail_msg("case %zu: installed %s", i, s);
		assert_string_equal(fact_str(f, "collect.denied"), t[i].denied);
		assert_string_equal(fact_str(f, "collect.absent"), t[i].absent);
		/* each denied section is an error naming it */
		assert_int_equal(json_object_array_length(errors),
				 strcmp(t[i].denied, "[]") ? 1 : 0);
		if (json_object_array_length(errors) > 0) {
			json_object *e = json_object_array_get_idx(errors, 0);
			assert_non_null(strstr(tsam_json_str(e, "problem"),
					       "collected without enough "
					       "privilege"));
			assert_non_null(strstr(tsam_json_str(e, "problem"),
					       "rerun with --become"));
			assert_non_null(
			    strstr(t[i].denied, tsam_json_str(e, "section")));
		}
		json_object_put(f);
		json_object_put(errors);
	}
}

/* A failed savconfig gives no update sources, exclusions or scans (a
 * failed section gives no fact), not empty lists that rules fail on. */
static void sav_failed_config(void **state)
{
	static const char *const sec[3][4] = {
	    {"sav-linux", "installed", "0", "yes"},
	    {"sav-linux", "savconfig-query", "3",
	     "permission denied: /opt/sophos-av/etc (uid 1000)"},
	    {"sav-linux", "last-update", "3",
	     "permission denied: /opt/sophos-av/etc/update.last_update (uid "
	     "1000)"}};
	json_object *errors, *f = facts_of_sections(sec, 3, &errors);

	(void)state;
	assert_string_equal(fact_str(f, "product.installed"), "true");
	assert_string_equal(fact_str(f, "update.sources"), "absent");
	assert_string_equal(fact_str(f, "exclusions"), "absent");
	assert_string_equal(fact_str(f, "scans.scheduled"), "absent");
	assert_string_equal(fact_str(f, "update.last_success"), "absent");
	assert_int_equal(json_object_array_length(errors), 2);
	json_object_put(f);
	json_object_put(errors);
}

/* Who the collectors ran as, from id(1); a damaged line is an error. */
static void identity_facts(void **state)
{
	static const char *const root[1][4] = {
	    {"tsam", "identity", "0",
	     "uid=0(root) gid=0(root) groups=0(root),4(adm)"}};
	static const char *const bad[1][4] = {
	    {"tsam", "identity", "0", "uid=x(root)"}};
	json_object *errors, *f = facts_of_sections(root, 1, &errors);

	(void)state;
	assert_string_equal(fact_str(f, "collect.uid"), "0");
	assert_string_equal(fact_str(f, "collect.user"), "\"root\"");
	assert_string_equal(fact_str(f, "collect.groups"),
			    "[{\"name\":\"root\"},{\"name\":\"adm\"}]");
	assert_int_equal(json_object_array_length(errors), 0);
	json_object_put(f);
	json_object_put(errors);
	f = facts_of_sections(bad, 1, &errors);
	assert_string_equal(fact_str(f, "collect.uid"), "absent");
	assert_int_equal(json_object_array_length(errors), 1);
	json_object_put(f);
	json_object_put(errors);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(debian_chrony),
	    cmocka_unit_test(damaged_sections),
	    cmocka_unit_test(no_collector_no_facts),
	    cmocka_unit_test(load_and_disk),
	    cmocka_unit_test(sav_primary_source),
	    cmocka_unit_test(sav_scheduled_scans),
	    cmocka_unit_test(sav_status_messages),
	    cmocka_unit_test(spl_scheduled_scans),
	    cmocka_unit_test(access_denied),
	    cmocka_unit_test(sav_failed_config),
	    cmocka_unit_test(identity_facts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
