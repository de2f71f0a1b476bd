/*
 * cli.h - one descriptor per tool (name, synopsis, option table) drives
 * getopt_long, --help, --version and the usage exits every tool shares,
 * after curl's tool_getparam; and the parsing of numeric arguments.
 */
#ifndef TSAM_CLI_H
#define TSAM_CLI_H

#include "err.h"

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

/*
 * Theory of operation. A tool describes its command line once, in a
 * struct tsam_cli_tool: its name, synopsis, a line on what it does, its
 * exit statuses, its option table, and which options take a number (a
 * size, an instant) and in what range. tsam_cli_next() runs getopt_long over
 * that table and answers everything tools share:
 *  - --help prints the usage on stdout, --version "name version": the
 *    tool exits 0;
 *  - an unknown option, a missing argument, or a number option's argument
 *    that is not one (or out of its range) is said on stderr with the
 *    usage: the tool exits 2;
 * and hands every other option to the tool's own switch, numbers parsed.
 * Nothing here exits: the tool returns the status it is given, so its
 * cleanup stays in its main. The tool's own usage errors (a bad value, a
 * missing operand) go through tsam_cli_usage_error() and look the same.
 */

/* Ids of --help and --version, which every tool has (tsam_cli_next()
 * adds them after the tool's table; -h and -V are theirs). */
enum { TSAM_CLI_HELP = 'h', TSAM_CLI_VERSION = 'V' };

/* One option: ids below 256 are also the short option letter. */
struct tsam_cli_opt {
	const char *name;
	int has_arg; /* 0 or 1 */
	int id;
	const char *arg; /* argument name in --help, or NULL */
	const char *help;
};

/* What a number option's argument is. */
enum tsam_cli_kind {
	TSAM_CLI_NUM = 1, /* a whole number from lo to hi */
	TSAM_CLI_SIZE,	  /* the same, then k, M or G (times 1024^1..3) */
	TSAM_CLI_TIME	  /* YYYY-MM-DDTHH:MM:SSZ: epoch seconds (no lo, hi) */
};

/* An option of the table whose argument is a number (or a size, or an
 * instant): the tool gets it parsed, in c->num. */
struct tsam_cli_num {
	int id;
	enum tsam_cli_kind kind;
	long lo, hi;
};

/* A tool's command line, as --help shows it:
 *   usage: <synopsis; a newline in it starts another "usage" line>
 *
 *   <about>
 *
 *   <the option table, then --help and --version>
 *
 *   Exit status: <exits>
 */
struct tsam_cli_tool {
	const char *name;     /* "tsam-check", for --version */
	const char *synopsis; /* "tsam-check RUNDIR -o findings.json ..." */
	const char *about;    /* one sentence on what the tool does */
	const char *exits;    /* "0 done, ..., 2 usage." */
	const struct tsam_cli_opt *opts;
	size_t nopts;
	const struct tsam_cli_num *nums; /* may be NULL */
	size_t nnums;
};

/* The most options one table may have (--help and --version aside). */
#define TSAM_CLI_MAX_OPTS 64

/* tsam_cli_next()'s state; no allocation, nothing to free. */
struct tsam_cli {
	const struct tsam_cli_tool *tool;
	int argc;
	char **argv;
	struct option longopts[TSAM_CLI_MAX_OPTS + 3];
	char shortopts[2 * TSAM_CLI_MAX_OPTS + 5];
	const char *arg; /* the current option's argument, or NULL */
	long num;   /* a number option's value (a size in bytes, a time_t) */
	int status; /* after TSAM_CLI_EXIT: what the tool returns */
};

/* What tsam_cli_next() returns besides an option id (always > 0). */
enum { TSAM_CLI_END = 0, TSAM_CLI_EXIT = -1 };

/* Starts reading argv by tool's table; tool and argv must outlive c. */
void tsam_cli_start(struct tsam_cli *c, const struct tsam_cli_tool *tool,
		    int argc, char **argv);

/*
 * The next option of the tool's own: its id, with c->arg (and c->num for
 * a number or size) set. TSAM_CLI_END when the options are done (the
 * operands are argv[optind..argc), as getopt leaves them). TSAM_CLI_EXIT
 * when the tool must now return c->status: --help or --version was
 * answered (0), a usage error was said (TSAM_EXIT_USAGE), or the table is
 * larger than TSAM_CLI_MAX_OPTS (TSAM_EXIT_FATAL).
 */
int tsam_cli_next(struct tsam_cli *c);

/* Prints the tool's usage, as --help shows it, to f. */
void tsam_cli_usage(const struct tsam_cli_tool *tool, FILE *f);

/*
 * A usage error: logs the message (printf-style; none when fmt is NULL)
 * and prints the usage to stderr. Returns TSAM_EXIT_USAGE, for the tool
 * to return.
 */
int tsam_cli_usage_error(const struct tsam_cli_tool *tool, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

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
TSAM_MUST_CHECK enum tsam_err
tsam_cli_secret(const char *what, const char *envvar, bool ask, char **out);

/* Wipes and frees a secret; NULL is a no-op. */
void tsam_cli_secret_free(char *secret);

#endif
