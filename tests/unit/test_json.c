/* test_json.c - JSON errors with places, atomic and gzip writes. */
#include "scratch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "fsio.h"
#include "json.h"

static void parse_errors(void **state)
{
	static const struct {
		const char *text;
		const char *msg;
	} t[] = {
	    {"{\"a\": 1,\n \"b\": }", "x.json:2:"},
	    {"{\"a\": 1}\n junk", "x.json:2:2:"},
	    {"{\"a\": [1, 2", "unexpected end"},
	    {"", "unexpected end"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		json_object *o = NULL;
		struct tsam_errbuf eb;
		tsam_errbuf_clear(&eb);
		assert_int_equal(tsam_json_parse(t[i].text, strlen(t[i].text),
						 "x.json", &o, &eb),
				 TSAM_ERR_PARSE);
		assert_null(o);
		if (strstr(eb.msg, t[i].msg) == NULL)
			fail_msg("case %zu: '%s'", i, eb.msg);
	}
}

static void roundtrip(void **state)
{
	char path[256], gz[256];
	json_object *o = json_object_new_object(), *back = NULL;
	struct tsam_errbuf eb;
	struct stat st;
	int64_t v;

	(void)state;
	assert_non_null(scratch_make("json"));
	tsam_json_add_str(o, "name", "日本語/ok");
	tsam_json_add_int(o, "n", 42);
	tsam_json_add_bytes(o, "raw", "a\xff\0b", 4);
	snprintf(path, sizeof(path), "%s", scratch_path("a.json"));
	snprintf(gz, sizeof(gz), "%s", scratch_path("a.json.gz"));
	tsam_errbuf_clear(&eb);
	assert_int_equal(tsam_json_save(path, o, 0600, &eb), TSAM_OK);
	assert_int_equal(tsam_json_save_gz(gz, o, 0600, &eb), TSAM_OK);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(tsam_json_load(gz, 1 << 20, &back, &eb), TSAM_OK);
	assert_string_equal(tsam_json_str(back, "name"), "日本語/ok");
	assert_string_equal(tsam_json_str(back, "raw"),
			    "a\xef\xbf\xbd\xef\xbf\xbd"
			    "b");
	assert_int_equal(tsam_json_int(back, "n", &v), TSAM_OK);
	assert_int_equal(v, 42);
	assert_int_equal(tsam_json_int(back, "name", &v), TSAM_ERR_PARSE);
	assert_int_equal(tsam_json_int(back, "none", &v), TSAM_ERR_NOTFOUND);
	json_object_put(back);
	/* the cap bounds the uncompressed size */
	assert_int_equal(tsam_json_load(gz, 10, &back, &eb), TSAM_ERR_TOOBIG);
	/* a truncated gzip file is an error, not a short document */
	{
		struct tsam_buf b;
		tsam_buf_init(&b, 1 << 20);
		assert_int_equal(tsam_fsio_read(gz, &b, &eb), TSAM_OK);
		assert_int_equal(
		    tsam_fsio_write_atomic(gz, b.data, b.len / 2, 0600, &eb),
		    TSAM_OK);
		tsam_buf_free(&b);
		tsam_errbuf_clear(&eb);
		assert_int_not_equal(tsam_json_load(gz, 1 << 20, &back, &eb),
				     TSAM_OK);
		assert_non_null(strstr(eb.msg, "a.json.gz"));
	}
	/* two gzip members read as one text (as gzip -d does); a corrupt
	 * byte is an error naming the file */
	{
		struct tsam_buf b, two;
		char tmp[] = "/tmp/tsam-gz2-XXXXXX";
		int fd;

		assert_int_equal(tsam_json_save_gz(gz, o, 0600, &eb), TSAM_OK);
		tsam_buf_init(&b, 1 << 20);
		tsam_buf_init(&two, 1 << 20);
		assert_int_equal(tsam_fsio_read(gz, &b, &eb), TSAM_OK);
		tsam_buf_add(&two, b.data, b.len);
		tsam_buf_add(&two, b.data, b.len);
		fd = mkstemp(tmp);
		assert_true(fd >= 0);
		close(fd);
		assert_int_equal(
		    tsam_fsio_write_atomic(tmp, two.data, two.len, 0600, &eb),
		    TSAM_OK);
		tsam_buf_free(&two);
		tsam_buf_init(&two, 1 << 20);
		assert_int_equal(tsam_fsio_read_gz(tmp, &two, &eb), TSAM_OK);
		tsam_buf_free(&b);
		tsam_buf_init(&b, 1 << 20);
		assert_int_equal(tsam_fsio_read_gz(gz, &b, &eb), TSAM_OK);
		assert_int_equal(two.len, 2 * b.len);
		assert_memory_equal(two.data + b.len, b.data, b.len);
		tsam_buf_free(&two);
		tsam_buf_free(&b);
		tsam_buf_init(&b, 1 << 20);
		assert_int_equal(tsam_fsio_read(gz, &b, &eb), TSAM_OK);
		b.data[b.len / 2] ^= 0x55;
		b.data[b.len / 2 + 1] ^= 0x55;
		assert_int_equal(
		    tsam_fsio_write_atomic(tmp, b.data, b.len, 0600, &eb),
		    TSAM_OK);
		tsam_buf_free(&b);
		tsam_buf_init(&b, 1 << 20);
		tsam_errbuf_clear(&eb);
		assert_int_not_equal(tsam_fsio_read_gz(tmp, &b, &eb), TSAM_OK);
		assert_non_null(strstr(eb.msg, tmp));
		tsam_buf_free(&b);
		unlink(tmp);
	}
	json_object_put(o);
	assert_int_equal(scratch_remove(), 0);
}

/* tsam_json_quote: every byte 1-127 and UTF-8 text parse back to the
 * string they came from */
static void quote(void **state)
{
	char all[160];
	const char *tests[] = {
	    "",	      "plain",	       "q\"uote", "back\\slash",
	    "日本語", "tab\tnl\ncr\r", all};
	size_t i;

	(void)state;
	for (i = 0; i < 127; i++)
		all[i] = (char)(i + 1);
	all[127] = '\0';
	for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
		struct tsam_buf b;
		json_object *o = NULL;

		tsam_buf_init(&b, 1 << 20);
		assert_int_equal(tsam_json_quote(&b, tests[i]), TSAM_OK);
		assert_int_equal(tsam_json_parse(b.data, b.len, "q", &o, NULL),
				 TSAM_OK);
		assert_true(json_object_is_type(o, json_type_string));
		assert_string_equal(json_object_get_string(o), tests[i]);
		json_object_put(o);
		tsam_buf_free(&b);
	}
}

/* The scans tsam-check uses to parse only what it needs. */
static void spans(void **state)
{
	static const char doc[] =
	    "{\"a\": \"}\\\"{\", \"facts\": {\"x\": [1, \"]\"]}, \"b\": null}";
	static const char arr[] = " [ {\"n\": \"a,b\"}, 3 , \"]\" ] ";
	size_t b, e, *offs, n;

	(void)state;
	assert_true(tsam_json_member_span(doc, strlen(doc), "facts", &b, &e));
	assert_int_equal(e - b, strlen("{\"x\": [1, \"]\"]}"));
	assert_memory_equal(doc + b, "{\"x\": [1, \"]\"]}", e - b);
	assert_false(tsam_json_member_span(doc, strlen(doc), "none", &b, &e));
	/* cut short, trailing text, an escaped key: declined */
	assert_false(
	    tsam_json_member_span(doc, strlen(doc) - 1, "facts", &b, &e));
	assert_false(
	    tsam_json_member_span("{\"facts\": 1} x", 14, "facts", &b, &e));
	assert_false(
	    tsam_json_member_span("{\"f\\u0061cts\": 1}", 18, "facts", &b, &e));
	assert_int_equal(tsam_json_array_spans(arr, strlen(arr), &offs, &n),
			 TSAM_OK);
	assert_int_equal(n, 3);
	assert_memory_equal(arr + offs[0], "{\"n\": \"a,b\"}",
			    offs[1] - offs[0]);
	assert_memory_equal(arr + offs[2], "3", offs[3] - offs[2]);
	assert_memory_equal(arr + offs[4], "\"]\"", offs[5] - offs[4]);
	free(offs);
	assert_int_equal(tsam_json_array_spans("[1,]", 4, &offs, &n),
			 TSAM_ERR_PARSE);
	assert_int_equal(tsam_json_array_spans("[]", 2, &offs, &n), TSAM_OK);
	assert_int_equal(n, 0);
}

static void mkdirs(void **state)
{
	char sub[256];
	struct stat st;

	(void)state;
	assert_non_null(scratch_make("mk"));
	snprintf(sub, sizeof(sub), "%s", scratch_path("a/b/c"));
	assert_int_equal(tsam_fsio_mkdirs(sub, 0700, NULL), TSAM_OK);
	assert_int_equal(tsam_fsio_mkdirs(sub, 0700, NULL), TSAM_OK);
	assert_int_equal(stat(sub, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	assert_int_equal(scratch_remove(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_errors), cmocka_unit_test(roundtrip),
	    cmocka_unit_test(mkdirs),	    cmocka_unit_test(quote),
	    cmocka_unit_test(spans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
