/*
 * fuzz_expr.c - libFuzzer target for check expressions: the input is a
 * JSON expression, compiled and (when valid) evaluated against fixed facts.
 */
#include "expr.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char facts_json[] =
	    "{\"a\": 1, \"s\": \"10.5.2\", \"t\": \"2026-11-25T00:00:00Z\","
	    " \"b\": true, \"l\": [{\"k\": \"x\"}, {\"k\": 2}], \"n\": null}";
	json_object *facts = NULL, *j = NULL, *obs = NULL;
	struct tsam_expr *e = NULL;

	if (tsam_json_parse(facts_json, strlen(facts_json), "f", &facts,
			    NULL) != TSAM_OK)
		__builtin_trap();
	if (tsam_json_parse((const char *)data, size, "fuzz", &j, NULL) ==
		TSAM_OK &&
	    tsam_expr_compile(j, "fuzz", &e, NULL) == TSAM_OK) {
		tsam_expr_eval(e, facts, 1795651200, &obs);
		json_object_put(obs);
		tsam_expr_free(e);
	}
	json_object_put(j);
	json_object_put(facts);
	return 0;
}
