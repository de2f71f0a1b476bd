/*
 * fuzz_jsonspan.c - differential libFuzzer target for the JSON scans that
 * spare tsam-check most of its parsing (tsam_json_member_span,
 * tsam_json_array_spans): whenever json-c accepts the input and a scan
 * answers, the answer must be json-c's - the member "facts" of an
 * object, every element of an array. A scan may decline (the caller then
 * parses everything); it must never be wrong, and never read past the end.
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The same value (NaN included, which json_object_equal never is). */
static bool same(json_object *a, json_object *b)
{
	return strcmp(json_object_to_json_string_ext(a, JSON_C_TO_STRING_PLAIN),
		      json_object_to_json_string_ext(
			  b, JSON_C_TO_STRING_PLAIN)) == 0;
}

/* Parses p[0..n) into *o (NULL for null); false if it is not JSON. */
static bool parse(const char *p, size_t n, json_object **o)
{
	return tsam_json_parse(p, n, "fuzz", o, NULL) == TSAM_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* a copy of exactly size bytes: ASan sees any read past the end */
	char *p = malloc(size ? size : 1);
	json_object *doc, *want, *got;
	size_t b, e, *offs, n, i;
	bool found;

	if (p == NULL)
		return 0;
	memcpy(p, data, size);
	found = tsam_json_member_span(p, size, "facts", &b, &e);
	if (found && (b > e || e > size))
		__builtin_trap();
	if (tsam_json_array_spans(p, size, &offs, &n) == TSAM_OK) {
		for (i = 0; i < n; i++)
			if (offs[2 * i] > offs[2 * i + 1] ||
			    offs[2 * i + 1] > size)
				__builtin_trap();
	} else {
		offs = NULL;
		n = 0;
	}
	if (!parse(p, size, &doc))
		doc = NULL;
	if (doc != NULL && json_object_is_type(doc, json_type_object) &&
	    found) {
		if (!json_object_object_get_ex(doc, "facts", &want))
			__builtin_trap(); /* a member json-c does not have */
		if (!parse(p + b, e - b, &got) || !same(got, want))
			__builtin_trap();
		json_object_put(got);
	}
	if (doc != NULL && json_object_is_type(doc, json_type_array) &&
	    offs != NULL) {
		if (n != json_object_array_length(doc))
			__builtin_trap();
		for (i = 0; i < n; i++) {
			if (!parse(p + offs[2 * i],
				   offs[2 * i + 1] - offs[2 * i], &got) ||
			    !same(got, json_object_array_get_idx(doc, i)))
				__builtin_trap();
			json_object_put(got);
		}
	}
	json_object_put(doc);
	free(offs);
	free(p);
	return 0;
}
