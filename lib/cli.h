/*
 * cli.h - one option table per tool drives both getopt_long and --help
 * (after curl's tool_getparam), and the parsing of numeric arguments.
 */
#ifndef TSAM_CLI_H
#define TSAM_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses every tool shares; 3 is the tool's own "done, but
 * something failed" (hosts not collected, a rule failed, a customer's
 * review failed). */
enum tsam_exit {
	TSAM_EXIT_OK = 0,
	TSAM_EXIT_FATAL = 1,
	TSAM_EXIT_USAGE = 2,
	TSAM_EXIT_FAILED = 3
};

/* The --help and --version entries that end every tool's option table. */
#define TSAM_CLI_OPT_HELP                                                      \
	{                                                                      \
		"help", 0, 'h', NULL, "show this help"                         \
	}
#define TSAM_CLI_OPT_VERSION                                                   \
	{                                                                      \
		"version", 0, 'V', NULL, "show the version"                    \
	}

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

/* The tsamkit version ("0.1.0"). */
const char *tsam_cli_version(void);

/* Where collectors/ and report-templates/ are: $TSAMKIT_DATADIR when set,
 * else the build's (or installation's) data directory. */
const char *tsam_cli_datadir(void);

/*
 * The date documents carry: SOURCE_DATE_EPOCH when it is set and valid
 * (reproducible output), else the current time.
 */
int64_t tsam_cli_source_date(void);

/*
 * Asks for a secret on /dev/tty with echo off, after printing prompt
 * there; caller frees (tsam_cli_secret_free). NULL without a terminal.
 */
char *tsam_cli_ask_secret(const char *prompt);

/*
 * A secret (a password) for what ("become password"): from the
 * environment variable envvar when given (an unset or empty one is an
 * error), else from the terminal when ask, else none (*out NULL). Never
 * from the command line. Errors are logged; *out is the caller's
 * (tsam_cli_secret_free).
 */
int tsam_cli_secret(const char *what, const char *envvar, bool ask, char **out);

/* Wipes and frees a secret; NULL is a no-op. */
void tsam_cli_secret_free(char *secret);

#endif
