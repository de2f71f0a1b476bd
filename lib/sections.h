/*
 * sections.h - the collector output format (version 1), read defensively.
 *
 *     TSAMKIT-COLLECT 1 <boundary>
 *     <boundary> begin <collector> <section>
 *     ...the command's output (stdout and stderr)...
 *     <boundary> end <collector> <section> rc=<exit status>
 *     ...
 *     <boundary> trailer rc=<the script's own status>
 *
 * The boundary is a random token the client puts into each run's script, so
 * no file content can pose as a delimiter by accident. The newline before an
 * "end" line is the script's, not the output's. The trailer proves that the
 * script ran to its end: without it the output is incomplete, whatever exit
 * status the channel reported (libssh2 cannot tell "0" from "none").
 *
 * Login noise before the header (a shell's rc file that echoes, a
 * ForceCommand wrapper that logs a line, a banner without a newline) is
 * skipped, up to TSAM_SECTIONS_PREAMBLE_MAX bytes, and kept apart as the
 * preamble: the random boundary makes a header found after it as safe as
 * one on the first line.
 */
#ifndef TSAM_SECTIONS_H
#define TSAM_SECTIONS_H

#include "err.h"

#include <stdbool.h>
#include <stddef.h>

/* Most sections one host's output may hold. */
#define TSAM_SECTIONS_MAX 4096

/* Most bytes of login noise skipped before the header. */
#define TSAM_SECTIONS_PREAMBLE_MAX (64u * 1024u)

struct tsam_section {
	char collector[64];
	char name[64];
	int rc;		  /* -1 when the end line is missing */
	const char *body; /* into the parsed data; not terminated */
	size_t len;
};

struct tsam_sections {
	struct tsam_section *v;
	size_t n;
	bool header;	      /* a valid header was found */
	const char *preamble; /* output before the header (into the data) */
	size_t preamble_len;  /* 0: the header was the first thing */
	bool trailer;	      /* the trailer line was seen */
	int trailer_rc;
	char problem[256]; /* first format problem with its line, or "" */
};

/*
 * Parses len bytes of collector output made with boundary into out (the
 * caller's: tsam_sections_free). Format problems do not fail the parse: the
 * sections that could be read are kept and out->problem names the first
 * problem with its line. Fails only for TSAM_ERR_NOMEM.
 */
TSAM_MUST_CHECK enum tsam_err tsam_sections_parse(const char *data, size_t len,
						  const char *boundary,
						  struct tsam_sections *out);

/* Frees the section array. */
void tsam_sections_free(struct tsam_sections *s);

/* Writes a new random boundary (32 hex digits) into out. */
int tsam_sections_boundary(char out[33]);

#endif
