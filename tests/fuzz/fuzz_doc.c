/*
 * fuzz_doc.c - a type-aware libFuzzer target for a JSON document a tool
 * reads (rules, waivers, run.json, a snapshot, mapping, policy, calendar,
 * customer, stats, findings, portfolio ...). One binary per document kind:
 * this driver with tests/fuzz/doc_<kind>.c, which defines
 * fuzz_doc_load(path): load the document the way its tool does, use what
 * was loaded, free it; a bad document must be an error naming the file,
 * never a crash (and never an error without a message).
 *
 * Type-aware: besides libFuzzer's byte mutations, the custom mutator
 * parses the input as JSON and replaces one value with a value of another
 * type or an extreme (null, booleans, 0, -1, 1e308, 2^63, "", a long
 * string, [], {}, the same value nested) or drops one member, so inputs
 * stay JSON while their shapes go wrong - which is what reaches the code
 * past the parser. The replay driver (gcc, CTest label "fuzz") runs the
 * corpus in tests/fuzz/corpus/doc_<kind>/.
 */
#include "json.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Defined per kind (doc_<kind>.c): loads and uses the document at path;
 * returns 0 when it loaded, else 1 with a non-empty message in msg. */
int fuzz_doc_load(const char *path, char *msg, size_t msgsz);

/* The file name the kind's tools expect (doc_<kind>.c may define it). */
extern const char fuzz_doc_name[];

static char dir[64];

static void remove_scratch(void)
{
	rmdir(dir);
}

/* A scratch directory of this process, made once, removed at exit. */
static const char *scratch(void)
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
	char path[256], msg[1024] = "";
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", scratch(), fuzz_doc_name);
	f = fopen(path, "wb");
	if (f == NULL || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	if (fuzz_doc_load(path, msg, sizeof(msg)) != 0 &&
	    (memchr(msg, '\0', sizeof(msg)) == NULL || msg[0] == '\0'))
		__builtin_trap(); /* an error must say what it is */
	unlink(path);
	return 0;
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
