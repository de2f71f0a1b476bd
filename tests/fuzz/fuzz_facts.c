/*
 * fuzz_facts.c - one libFuzzer target per facts parser (built three times,
 * with FACTS_PARSER = tsam_facts_linux, tsam_facts_sav or tsam_facts_spl
 * and FACTS_COLLECTOR its collector's name): the input is that collector's
 * sections straight away, without the output format around them, so the
 * fuzzer spends its time in the parser. Input: blocks "NAME RC\n" + body,
 * separated by a line "\x1e\n" (RC a small integer, as the end line gives
 * it). Every section body is exactly its bytes (ASan sees any read past
 * it); the facts are checked to be UTF-8 text with a known type.
 */
#include "facts.h"
#include "str.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef FACTS_PARSER
#error "build with -DFACTS_PARSER=tsam_facts_... -DFACTS_COLLECTOR=\"...\""
#endif

#define MAXSEC 64

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every string in v, keys included, is UTF-8 text: facts never carry the
 * endpoint's raw bytes. */
static void text_only(json_object *v)
{
	size_t i;

	if (json_object_is_type(v, json_type_string) &&
	    !tsam_utf8_valid(json_object_get_string(v),
			     (size_t)json_object_get_string_len(v)))
		__builtin_trap();
	if (json_object_is_type(v, json_type_array))
		for (i = 0; i < json_object_array_length(v); i++)
			text_only(json_object_array_get_idx(v, i));
	if (json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, k, val)
		{
			if (!tsam_utf8_valid(k, strlen(k)))
				__builtin_trap();
			text_only(val);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tsam_section v[MAXSEC];
	char *bodies[MAXSEC];
	struct tsam_sections secs;
	struct tsam_facts f;
	const char *p = (const char *)data, *end = p + size;
	size_t n = 0, i;

	while (p < end && n < MAXSEC) {
		const char *nl = memchr(p, '\n', (size_t)(end - p)), *stop;
		struct tsam_section *s = &v[n];
		int rc = 0;

		if (nl == NULL)
			break;
		memset(s, 0, sizeof(*s));
		snprintf(s->collector, sizeof(s->collector), "%s",
			 FACTS_COLLECTOR);
		{ /* the header line, terminated, for sscanf */
			char head[128];
			size_t hl = (size_t)(nl - p);

			if (hl >= sizeof(head))
				hl = sizeof(head) - 1;
			memcpy(head, p, hl);
			head[hl] = '\0';
			if (sscanf(head, "%63s %d", s->name, &rc) < 1)
				break;
		}
		/* names as lib/sections.c lets them through */
		if (strspn(s->name,
			   "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN"
			   "OPQRSTUVWXYZ0123456789._-") != strlen(s->name))
			break;
		s->rc = rc;
		p = nl + 1;
		for (stop = p; stop < end; stop++)
			if (*stop == '\x1e' && stop + 1 < end &&
			    stop[1] == '\n')
				break;
		/* an exact copy: no slack past the body */
		bodies[n] = malloc((size_t)(stop - p) + 1);
		if (bodies[n] == NULL)
			break;
		memcpy(bodies[n], p, (size_t)(stop - p));
		s->body = bodies[n];
		s->len = (size_t)(stop - p);
		n++;
		p = stop + 2;
	}
	memset(&secs, 0, sizeof(secs));
	secs.v = v;
	secs.n = n;
	f.facts = json_object_new_object();
	f.errors = json_object_new_array();
	FACTS_PARSER(&secs, &f);
	text_only(f.facts);
	text_only(f.errors);
	json_object_put(f.facts);
	json_object_put(f.errors);
	for (i = 0; i < n; i++)
		free(bodies[i]);
	return 0;
}
