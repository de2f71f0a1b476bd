/*
 * cli.h - one option table per tool drives both getopt_long and --help
 * (after curl's tool_getparam), and the parsing of numeric arguments.
 */
#ifndef TSAM_CLI_H
#define TSAM_CLI_H

#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* One option: ids below 256 are also the short option letter. */
struct tsam_cli_opt {
	const char *name;
	int has_arg;
	int id;
	const char *arg; /* argument name in --help, or NULL */
	const char *help;
};

/* getopt_long's tables built from an option table. */
struct tsam_cli {
	struct option *longopts; /* n + 1 entries */
	char shortopts[128];
};

/* Builds c from opts[0..n); returns 0, or -1 on allocation failure. */
int tsam_cli_init(struct tsam_cli *c, const struct tsam_cli_opt *opts,
		  size_t n);

/* Frees c's tables. */
void tsam_cli_free(struct tsam_cli *c);

/* Prints one line per option, aligned, to f. */
void tsam_cli_help(FILE *f, const struct tsam_cli_opt *opts, size_t n);

/*
 * Parses s as a whole number from lo to hi into *out; on failure logs
 * "--opt: 's' is not a number from lo to hi" and returns -1.
 */
int tsam_cli_number(const char *opt, const char *s, long lo, long hi,
		    long *out);

/*
 * The date documents carry: SOURCE_DATE_EPOCH when it is set and valid
 * (reproducible output), else the current time.
 */
int64_t tsam_cli_source_date(void);

#endif
