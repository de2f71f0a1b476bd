/*
 * fuzz_doc.c - a type-aware libFuzzer target for a JSON document a tool
 * reads (rules, waivers, run.json, a snapshot, mapping, policy, calendar,
 * customer, stats, findings, portfolio ...). One binary per document kind:
 * this driver with tests/fuzz/doc_<kind>.c, which defines
 * fuzz_doc_load(path, eb): load the document the way its tool does, use
 * what was loaded, free it; a bad document must be an error naming the
 * file, never a crash (and never an error without a message). What the
 * kinds have in common is here too, behind tests/fuzz/doc.h: the
 * error buffer and its check, the shipped rules and the SLA fixture
 * loaded once, stats that must be JSON, a report that must render.
 *
 * Type-aware: besides libFuzzer's byte mutations, the custom mutator
 * parses the input as JSON and replaces one value with a value of another
 * type or an extreme (null, booleans, 0, -1, 1e308, 2^63, "", a long
 * string, [], {}, the same value nested) or drops one member, so inputs
 * stay JSON while their shapes go wrong - which is what reaches the code
 * past the parser. The replay driver (gcc, CTest label "fuzz") runs the
 * corpus in tests/fuzz/corpus/doc_<kind>/.
 */
#include "doc.h"

#include "check.h"
#include "json.h"
#include "str.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void remove_scratch(void)
{
	rmdir(dir);
}

/* A scratch directory of this process, made once, removed at exit. */
const char *fuzz_doc_dir(void)
{
	if (dir[0] == '\0') {
		snprintf(dir, sizeof(dir), "/tmp/tsam-fuzz-doc.XXXXXX");
		if (mkdtemp(dir) == NULL)
			abort();
		atexit(remove_scratch);
	}
	return dir;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[256];
	struct tsam_errbuf eb;
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", fuzz_doc_dir(), fuzz_doc_name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	tsam_errbuf_clear(&eb);
	rc = fuzz_doc_load(path, &eb);
	if (rc != TSAM_OK && (memchr(eb.msg, '\0', sizeof(eb.msg)) == NULL ||
			      tsam_errbuf_str(&eb, rc)[0] == '\0'))
		__builtin_trap(); /* an error must say what it is */
	unlink(path);
	return 0;
}

/* The helpers doc.h declares, for the kinds. */

void fuzz_doc_must(int rc, const char *what, const struct tsam_errbuf *eb)
{
	if (rc != TSAM_OK) {
		fprintf(stderr, "valid, yet %s: %s\n", what,
			tsam_errbuf_str(eb, rc));
		abort();
	}
}

const struct tsam_rules *fuzz_doc_rules(void)
{
	static struct tsam_rules rs;
	static int loaded;

	if (!loaded) {
		loaded = 1;
		if (tsam_rules_load_dir(&rs, TSAM_SOURCE_DIR "/collectors",
					NULL) != TSAM_OK)
			abort();
	}
	return &rs;
}

int fuzz_doc_check_run(struct tsam_errbuf *eb)
{
	const char *rundir = fuzz_doc_dir();
	char junit[300];
	json_object *out = NULL;
	struct tsam_errbuf jeb;
	int rc;

	rc = tsam_check_run(rundir, fuzz_doc_rules(), NULL, 1, &out, eb);
	if (rc != TSAM_OK)
		return rc;
	snprintf(junit, sizeof(junit), "%s/junit.xml", rundir);
	tsam_errbuf_clear(&jeb);
	fuzz_doc_must(tsam_findings_junit(out, junit, &jeb),
		      "JUnit not written", &jeb);
	remove(junit);
	json_object_put(out);
	return TSAM_OK;
}

const struct fuzz_doc_sla *fuzz_doc_sla(void)
{
	static struct fuzz_doc_sla fx;
	static struct tsam_mapping map;
	struct tsam_cases_opts co;

	if (fx.wall != NULL)
		return &fx;
	memset(&co, 0, sizeof(co));
	co.cases_path = TSAM_SOURCE_DIR "/tests/data/cases/cases.csv";
	co.events_path = TSAM_SOURCE_DIR "/tests/data/cases/events.csv";
	co.customer = "acme";
	co.map = &map;
	if (tsam_mapping_init(&map) != TSAM_OK ||
	    tsam_tz_load(NULL, "Asia/Tokyo", &fx.tokyo, NULL) != TSAM_OK ||
	    tsam_policy_default(&fx.policy, TSAM_SOURCE_DIR, NULL, NULL) !=
		TSAM_OK ||
	    tsam_cal_named(TSAM_SOURCE_DIR, "japan", &fx.japan, NULL) !=
		TSAM_OK ||
	    tsam_cal_named(TSAM_SOURCE_DIR, "24x7", &fx.wall, NULL) != TSAM_OK)
		abort();
	co.zone = fx.tokyo;
	if (tsam_cases_load(&fx.cases, &co, NULL) != TSAM_OK)
		abort();
	return &fx;
}

void fuzz_doc_sla_opts(struct tsam_sla_opts *so, const struct tsam_policy *p,
		       int tier, const struct tsam_cal *support)
{
	memset(so, 0, sizeof(*so));
	so->policy = p;
	so->tier = (enum tsam_tier)tier;
	so->support = support;
	so->wall = fuzz_doc_sla()->wall;
	so->year = 2026;
	so->quarter = 3;
	so->customer = "acme";
}

int fuzz_doc_stats(const struct tsam_cases *cs, const struct tsam_sla_opts *so,
		   struct tsam_errbuf *eb)
{
	json_object *out = NULL, *again = NULL;
	const char *text;
	int rc;

	rc = tsam_sla_stats(cs, so, &out, eb);
	if (rc == TSAM_OK) {
		/* what tsam-cases writes is JSON, in UTF-8 */
		text = json_object_to_json_string(out);
		if (!tsam_utf8_valid(text, strlen(text)) ||
		    tsam_json_parse(text, strlen(text), "stats", &again,
				    NULL) != TSAM_OK)
			__builtin_trap();
	}
	json_object_put(again);
	json_object_put(out);
	return rc;
}

const char *fuzz_doc_lang(json_object *doc)
{
	return json_object_object_length(doc) % 2 ? "en" : "ja";
}

void fuzz_doc_render(struct tsam_report_in *in, const char *tmpl,
		     const char *lang)
{
	struct tsam_errbuf eb;
	char pdf[128];

	in->datadir = TSAM_SOURCE_DIR;
	in->tmpl = tmpl;
	in->lang = lang;
	in->created = 1795651200;
	snprintf(pdf, sizeof(pdf), "%s/report.pdf", fuzz_doc_dir());
	tsam_errbuf_clear(&eb);
	fuzz_doc_must(tsam_report_render(in, pdf, &eb), "not rendered", &eb);
	unlink(pdf);
}

#ifdef TSAM_LIBFUZZER
size_t LLVMFuzzerMutate(uint8_t *data, size_t size, size_t max);
size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max,
			       unsigned int seed);

/* Counts the values in the tree (every object member and array element). */
static size_t count_values(json_object *o)
{
	size_t n = 1, i;

	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, k, v)
		{
			(void)k;
			n += count_values(v);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++)
			n += count_values(json_object_array_get_idx(o, i));
	}
	return n;
}

/* A replacement value of another type or an extreme, by r. */
static json_object *odd_value(unsigned r, json_object *old)
{
	char big[300];

	switch (r % 14) {
	case 0:
		return NULL; /* JSON null */
	case 1:
		return json_object_new_boolean(r & 16);
	case 2:
		return json_object_new_int64(0);
	case 3:
		return json_object_new_int64(-1);
	case 4:
		return json_object_new_double(1e308);
	case 5:
		return json_object_new_int64(INT64_MAX);
	case 6:
		return json_object_new_string("");
	case 7:
		memset(big, 'x', sizeof(big) - 1);
		big[sizeof(big) - 1] = '\0';
		return json_object_new_string(big);
	case 8:
		return json_object_new_array();
	case 9:
		return json_object_new_object();
	case 10: {
		json_object *a = json_object_new_array();
		json_object_array_add(a, json_object_get(old));
		return a;
	}
	case 11: {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "x", json_object_get(old));
		return o;
	}
	case 12:
		return json_object_new_double(-0.5);
	default:
		return json_object_new_string("2026-13-45T25:61:61Z");
	}
}

/* Replaces (or, for members, sometimes drops) the value numbered *k in
 * preorder under parent; returns true once done. */
static bool mutate_at(json_object *o, size_t *k, unsigned r)
{
	size_t i;

	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, v)
		{
			if ((*k)-- == 0) {
				if (r % 5 == 0)
					json_object_object_del(o, key);
				else
					json_object_object_add(
					    o, key, odd_value(r / 5, v));
				return true;
			}
			if (mutate_at(v, k, r))
				return true;
		}
	} else if (json_object_is_type(o, json_type_array)) {
		for (i = 0; i < json_object_array_length(o); i++) {
			json_object *v = json_object_array_get_idx(o, i);
			if ((*k)-- == 0) {
				json_object_array_put_idx(o, i,
							  odd_value(r / 5, v));
				return true;
			}
			if (mutate_at(v, k, r))
				return true;
		}
	}
	return false;
}

size_t LLVMFuzzerCustomMutator(uint8_t *data, size_t size, size_t max,
			       unsigned int seed)
{
	json_object *root = NULL;
	const char *s;
	size_t n, k, len;

	srand(seed);
	if (rand() % 3 == 0 || tsam_json_parse((const char *)data, size, "fuzz",
					       &root, NULL) != TSAM_OK)
		return LLVMFuzzerMutate(data, size, max);
	n = count_values(root);
	if (n > 1) {
		k = (size_t)rand() % (n - 1);
		mutate_at(root, &k, (unsigned)rand());
	} else {
		json_object_put(root);
		root = odd_value((unsigned)rand(), NULL);
	}
	s = json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN);
	len = s ? strlen(s) : 0;
	if (s == NULL || len > max) {
		json_object_put(root);
		return LLVMFuzzerMutate(data, size, max);
	}
	memcpy(data, s, len);
	json_object_put(root);
	return len;
}
#endif
