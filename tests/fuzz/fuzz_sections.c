/*
 * fuzz_sections.c - libFuzzer target for the collector output parser
 * (remote, untrusted bytes). The first 32 bytes are the boundary when they
 * are hex, so the fuzzer can reach the delimiter paths. The sections are
 * then redacted and parsed into facts, as a snapshot is.
 */
#include "facts.h"
#include "redact.h"
#include "sections.h"

#include <stdlib.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tsam_sections s;
	char boundary[33] = "0123456789abcdef0123456789abcdef";
	size_t i;

	if (size >= 32) {
		for (i = 0; i < 32; i++) {
			char c = (char)data[i];
			if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
				break;
		}
		if (i == 32) {
			memcpy(boundary, data, 32);
			data += 32;
			size -= 32;
		}
	}
	if (tsam_sections_parse((const char *)data, size, boundary, &s) == 0) {
		for (i = 0; i < s.n; i++) {
			/* every section lies inside the input */
			if (s.v[i].body < (const char *)data ||
			    s.v[i].body + s.v[i].len >
				(const char *)data + size)
				__builtin_trap();
		}
		json_object *facts = NULL;
		for (i = 0; i < s.n; i++) {
			size_t len;
			char *red =
			    tsam_redact(s.v[i].body, s.v[i].len, &len, NULL);
			if (red == NULL)
				__builtin_trap();
			free(red);
		}
		if (tsam_facts_parse(&s, &facts) == TSAM_OK)
			json_object_put(facts);
		tsam_sections_free(&s);
	}
	return 0;
}
