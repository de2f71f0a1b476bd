/*
 * test_lifecycle.c - lifecycle tables: a host's version finds its line
 * ("10" holds 10.5.2, not 100.1; the longest line wins), the facts added
 * (dates at the start of the release day and the end of the last day of
 * support), hosts the table does not cover, and every mistake in a
 * lifecycle file named with the file and the place.
 */
#include "scratch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lifecycle.h"

static const char table[] =
    "{\"schema\": \"tsamkit-lifecycle/1\", \"products\": ["
    "{\"slot\": \"product\", \"name\": \"Widget AV\","
    " \"match\": {\"fact\": \"product.id\", \"value\": \"widget\"},"
    " \"version_fact\": \"product.version\", \"lines\": ["
    "  {\"version\": \"10\", \"released\": \"2019-04-01\","
    "   \"end_of_support\": \"2023-07-20\", \"source\": \"s1\"},"
    "  {\"version\": \"10.5\", \"end_of_support\": \"2024-01-31\","
    "   \"source\": \"s2\"},"
    "  {\"version\": \"11\", \"released\": null, \"source\": \"s3\"}]},"
    "{\"slot\": \"os\", \"name\": \"Distro\","
    " \"match\": {\"fact\": \"os.id\", \"value\": \"distro\"},"
    " \"version_fact\": \"os.version_id\", \"lines\": ["
    "  {\"version\": \"8\", \"end_of_support\": \"2029-05-31\","
    "   \"source\": \"s4\"}]}]}";

/* The facts the table adds to {product.id: id, product.version: ver,
 * os.id: distro, os.version_id: osv}, as compact JSON. */
static char *applied(const struct tsam_lifecycle *lc, const char *id,
		     const char *ver, const char *osv)
{
	json_object *f = json_object_new_object(), *out;
	char *s;

	if (id)
		tsam_json_add_str(f, "product.id", id);
	if (ver)
		tsam_json_add_str(f, "product.version", ver);
	tsam_json_add_str(f, "os.id", "distro");
	if (osv)
		tsam_json_add_str(f, "os.version_id", osv);
	assert_int_equal(tsam_lifecycle_apply(lc, f), TSAM_OK);
	out = json_object_new_object();
	json_object_object_foreach(f, k, v)
	{
		if (strncmp(k, "lifecycle.", 10) == 0)
			json_object_object_add(out, k, json_object_get(v));
	}
	s = strdup(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN));
	json_object_put(out);
	json_object_put(f);
	return s;
}

static void lines_and_facts(void **state)
{
	static const struct {
		const char *id, *ver, *osv, *want;
	} t[] = {
	    {"widget", "10.4.1", NULL,
	     "{\"lifecycle.product.known\":true,\"lifecycle.product.line\":"
	     "\"10\",\"lifecycle.product.name\":\"Widget AV 10\","
	     "\"lifecycle.product.released\":\"2019-04-01T00:00:00Z\","
	     "\"lifecycle.product.end_of_support\":\"2023-07-20T23:59:59Z\"}"},
	    /* the longest line that fits */
	    {"widget", "10.5.2", NULL,
	     "{\"lifecycle.product.known\":true,\"lifecycle.product.line\":"
	     "\"10.5\",\"lifecycle.product.name\":\"Widget AV 10.5\","
	     "\"lifecycle.product.end_of_support\":\"2024-01-31T23:59:59Z\"}"},
	    {"widget", "10", NULL,
	     "{\"lifecycle.product.known\":true,\"lifecycle.product.line\":"
	     "\"10\",\"lifecycle.product.name\":\"Widget AV 10\","
	     "\"lifecycle.product.released\":\"2019-04-01T00:00:00Z\","
	     "\"lifecycle.product.end_of_support\":\"2023-07-20T23:59:59Z\"}"},
	    {"widget", "10-rc1", NULL,
	     "{\"lifecycle.product.known\":true,\"lifecycle.product.line\":"
	     "\"10\",\"lifecycle.product.name\":\"Widget AV 10\","
	     "\"lifecycle.product.released\":\"2019-04-01T00:00:00Z\","
	     "\"lifecycle.product.end_of_support\":\"2023-07-20T23:59:59Z\"}"},
	    /* 100.1 is not on line 10; 1 is on no line */
	    {"widget", "100.1", NULL, "{\"lifecycle.product.known\":false}"},
	    {"widget", "1", NULL, "{\"lifecycle.product.known\":false}"},
	    /* a line with no dates announced */
	    {"widget", "11.2", NULL,
	     "{\"lifecycle.product.known\":true,\"lifecycle.product.line\":"
	     "\"11\",\"lifecycle.product.name\":\"Widget AV 11\"}"},
	    /* other products, no version: nothing */
	    {"gadget", "10.4.1", NULL, "{}"},
	    {"widget", NULL, NULL, "{}"},
	    {NULL, NULL, NULL, "{}"},
	    /* a second slot, side by side */
	    {"widget", "100", "8.9",
	     "{\"lifecycle.product.known\":false,\"lifecycle.os.known\":true,"
	     "\"lifecycle.os.line\":\"8\",\"lifecycle.os.name\":\"Distro 8\","
	     "\"lifecycle.os.end_of_support\":\"2029-05-31T23:59:59Z\"}"},
	};
	struct tsam_lifecycle *lc = NULL;
	struct tsam_errbuf eb;
	size_t i;

	(void)state;
	tsam_errbuf_clear(&eb);
	if (tsam_lifecycle_load_file(&lc, scratch_write("l.json", "%s", table),
				     &eb) != TSAM_OK)
		fail_msg("%s", eb.msg);
	assert_int_equal(tsam_lifecycle_count(lc), 2);
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		char *got = applied(lc, t[i].id, t[i].ver, t[i].osv);
		if (strcmp(got, t[i].want) != 0)
			fail_msg("case %zu: %s, want %s", i, got, t[i].want);
		free(got);
	}
	/* nothing loaded: nothing added */
	{
		char *got = applied(NULL, "widget", "10", NULL);
		assert_string_equal(got, "{}");
		free(got);
	}
	tsam_lifecycle_free(lc);
}

static void mistakes_named(void **state)
{
#define P(lines)                                                               \
	"{\"schema\": \"tsamkit-lifecycle/1\", \"products\": [{\"slot\": "     \
	"\"product\", \"name\": \"W\", \"match\": {\"fact\": \"product.id\", " \
	"\"value\": \"w\"}, \"version_fact\": \"product.version\", "           \
	"\"lines\": [" lines "]}]}"
	static const struct {
		const char *text, *msg;
	} t[] = {
	    {"{\"schema\": \"tsamkit-lifecycle/2\", \"products\": []}",
	     "m.json: \"schema\" must be \"tsamkit-lifecycle/1\""},
	    {"{\"schema\": \"tsamkit-lifecycle/1\"}",
	     "m.json: \"products\" (an array) is required"},
	    {P("{\"version\": \"9\", \"end_of_support\": \"2023-02-30\", "
	       "\"source\": \"s\"}"),
	     "m.json: products[0].lines[0]: \"end_of_support\" must be a date"},
	    {P("{\"version\": \"9\", \"end_of_support\": \"2023-07-20\"}"),
	     "products[0].lines[0]: \"source\" (a non-empty string) is "
	     "required"},
	    {P("{\"version\": \"9\", \"source\": \"s\"}, {\"version\": \"9\", "
	       "\"source\": \"s\"}"),
	     "products[0].lines[1]: version '9' listed twice"},
	    {P("{\"version\": \"9\", \"released\": \"2024-01-01\", "
	       "\"end_of_support\": \"2023-07-20\", \"source\": \"s\"}"),
	     "products[0].lines[0]: support ends before the release"},
	    {P("{\"version\": \"9 LTS\", \"source\": \"s\"}"),
	     "products[0].lines[0]: bad version '9 LTS'"},
	    {P("{\"version\": \"9\", \"source\": \"s\", \"eol\": \"x\"}"),
	     "products[0].lines[0]: unknown member \"eol\""},
	    {"{\"schema\": \"tsamkit-lifecycle/1\", \"products\": [{\"slot\": "
	     "\"Product\"}]}",
	     "products[0]: \"name\" (a non-empty string) is required"},
	    {"{\"schema\": \"tsamkit-lifecycle/1\", \"products\": [{\"slot\": "
	     "\"Product\", \"name\": \"W\", \"version_fact\": \"v\"}]}",
	     "products[0]: bad slot 'Product'"},
	    {"{\"schema\": \"tsamkit-lifecycle/1\", \"products\": [{\"slot\": "
	     "\"product\", \"name\": \"W\", \"version_fact\": \"v\", "
	     "\"match\": "
	     "{\"fact\": \"product.id\"}}]}",
	     "products[0].match: \"value\" (a non-empty string) is required"},
	    {"{\"schema\": \"tsamkit-lifecycle/1\", \"products\": [{\"slot\": "
	     "\"product\", \"name\": \"W\", \"version_fact\": \"v\", "
	     "\"match\": "
	     "{\"fact\": \"product.id\", \"value\": \"w\"}}]}",
	     "products[0]: \"lines\" (an array) is required"},
	    {"[1, 2", "m.json"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct tsam_lifecycle *lc = NULL;
		struct tsam_errbuf eb;

		tsam_errbuf_clear(&eb);
		assert_int_not_equal(
		    tsam_lifecycle_load_file(
			&lc, scratch_write("m.json", "%s", t[i].text), &eb),
		    TSAM_OK);
		if (strstr(eb.msg, t[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, eb.msg,
				 t[i].msg);
		tsam_lifecycle_free(lc);
	}
#undef P
}

/* Two files make one table; the same product twice is refused. */
static void files_add_up(void **state)
{
	struct tsam_lifecycle *lc = NULL;
	struct tsam_errbuf eb;

	(void)state;
	tsam_errbuf_clear(&eb);
	assert_int_equal(tsam_lifecycle_load_file(
			     &lc, scratch_write("a.json", "%s", table), &eb),
			 TSAM_OK);
	assert_int_equal(
	    tsam_lifecycle_load_file(
		&lc,
		scratch_write("b.json", "%s",
			      "{\"schema\": \"tsamkit-lifecycle/1\", "
			      "\"products\": [{\"slot\": \"product\", "
			      "\"name\": \"G\", \"match\": {\"fact\": "
			      "\"product.id\", \"value\": \"gadget\"}, "
			      "\"version_fact\": \"product.version\", "
			      "\"lines\": []}]}"),
		&eb),
	    TSAM_OK);
	assert_int_equal(tsam_lifecycle_count(lc), 3);
	assert_int_equal(tsam_lifecycle_load_file(
			     &lc, scratch_write("c.json", "%s", table), &eb),
			 TSAM_ERR_DUP);
	assert_non_null(strstr(eb.msg, "c.json: products[0]: product.id "
				       "'widget' already has lifecycle data"));
	tsam_lifecycle_free(lc);
}

static int setup(void **state)
{
	(void)state;
	return scratch_make("lifecycle") ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lines_and_facts),
	    cmocka_unit_test(mistakes_named),
	    cmocka_unit_test(files_add_up),
	};
	return cmocka_run_group_tests(tests, setup, scratch_teardown);
}
