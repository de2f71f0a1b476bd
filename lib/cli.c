/*
 * cli.c - a tool's descriptor read by getopt_long: --help, --version, the
 * usage exits and number arguments, the same in every tool.
 */
#include "cli.h"

#include "date.h"
#include "err.h"
#include "log.h"
#include "str.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>

#ifndef TSAM_VERSION
#define TSAM_VERSION "0"
#endif
#ifndef TSAM_DATADIR
#define TSAM_DATADIR "."
#endif

const char *tsam_cli_version(void)
{
	return TSAM_VERSION;
}

const char *tsam_cli_datadir(void)
{
	const char *d = getenv("TSAMKIT_DATADIR");

	return d ? d : TSAM_DATADIR;
}

/* What every tool has, after its own options. */
static const struct tsam_cli_opt builtins[] = {
    {"help", 0, TSAM_CLI_HELP, NULL, "show this help"},
    {"version", 0, TSAM_CLI_VERSION, NULL, "show the version"},
};
#define NBUILTINS (sizeof(builtins) / sizeof(builtins[0]))

/* Adds o to getopt's tables as option *n. */
static void add(struct tsam_cli *c, const struct tsam_cli_opt *o, size_t *n,
		size_t *sn)
{
	c->longopts[*n].name = o->name;
	c->longopts[*n].has_arg = o->has_arg ? required_argument : no_argument;
	c->longopts[*n].val = o->id;
	(*n)++;
	if (o->id < 256) {
		c->shortopts[(*sn)++] = (char)o->id;
		if (o->has_arg)
			c->shortopts[(*sn)++] = ':';
	}
}

void tsam_cli_start(struct tsam_cli *c, const struct tsam_cli_tool *tool,
		    int argc, char **argv)
{
	size_t i, n = 0, sn = 0;

	memset(c, 0, sizeof(*c));
	c->tool = tool;
	c->argc = argc;
	c->argv = argv;
	for (i = 0; i < tool->nopts && i < TSAM_CLI_MAX_OPTS; i++)
		add(c, &tool->opts[i], &n, &sn);
	for (i = 0; i < NBUILTINS; i++)
		add(c, &builtins[i], &n, &sn);
}

/* The table entry of option id, or NULL. */
static const struct tsam_cli_opt *find(const struct tsam_cli_tool *t, int id)
{
	size_t i;

	for (i = 0; i < t->nopts; i++)
		if (t->opts[i].id == id)
			return &t->opts[i];
	return NULL;
}

/* The range of option id when its argument is a number, else NULL. */
static const struct tsam_cli_num *find_num(const struct tsam_cli_tool *t,
					   int id)
{
	size_t i;

	for (i = 0; i < t->nnums; i++)
		if (t->nums[i].id == id)
			return &t->nums[i];
	return NULL;
}

/* A size: a number from r->lo to r->hi, then k, M or G (powers of 1024). */
static int parse_size(const char *opt, const struct tsam_cli_num *r,
		      const char *s, long *out)
{
	static const char units[] = "kKmMgG";
	size_t n = strlen(s);
	const char *u = n > 0 ? strchr(units, s[n - 1]) : NULL, *num = s;
	char digits[32];
	long v, mult = 1;

	if (u != NULL && n <= sizeof(digits)) {
		mult = 1L << (10 * (1 + (u - units) / 2));
		memcpy(digits, s, n - 1);
		digits[n - 1] = '\0';
		num = digits;
	}
	if (tsam_cli_number(opt, num, r->lo, r->hi, &v) != 0)
		return -1;
	if (v > LONG_MAX / mult) {
		tsam_log(TSAM_LOG_ERROR, NULL, "--%s: '%s' is too large", opt,
			 s);
		return -1;
	}
	*out = v * mult;
	return 0;
}

/* An instant, YYYY-MM-DDTHH:MM:SSZ, as epoch seconds. */
static int parse_time(const char *opt, const char *s, long *out)
{
	time_t t = tsam_time_parse(s);

	if (t <= 0) {
		tsam_log(TSAM_LOG_ERROR, NULL,
			 "--%s: '%s' is not YYYY-MM-DDTHH:MM:SSZ", opt, s);
		return -1;
	}
	*out = (long)t;
	return 0;
}

int tsam_cli_next(struct tsam_cli *c)
{
	const struct tsam_cli_tool *t = c->tool;
	const struct tsam_cli_opt *o;
	const struct tsam_cli_num *r;
	int id, rc = 0;

	c->arg = NULL;
	c->num = 0;
	if (t->nopts > TSAM_CLI_MAX_OPTS) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%zu options: at most %d",
			 t->nopts, TSAM_CLI_MAX_OPTS);
		c->status = TSAM_EXIT_FATAL;
		return TSAM_CLI_EXIT;
	}
	id = getopt_long(c->argc, c->argv, c->shortopts, c->longopts, NULL);
	if (id == -1)
		return TSAM_CLI_END;
	c->status = TSAM_EXIT_OK;
	if (id == TSAM_CLI_HELP) {
		tsam_cli_usage(t, stdout);
		return TSAM_CLI_EXIT;
	}
	if (id == TSAM_CLI_VERSION) {
		printf("%s %s\n", t->name, tsam_cli_version());
		return TSAM_CLI_EXIT;
	}
	/* '?': getopt_long has said what was unknown or missing */
	o = find(t, id);
	if (o == NULL) {
		c->status = tsam_cli_usage_error(t, NULL);
		return TSAM_CLI_EXIT;
	}
	c->arg = optarg;
	r = o->has_arg ? find_num(t, id) : NULL;
	switch (r ? r->kind : 0) {
	case TSAM_CLI_NUM:
		rc = tsam_cli_number(o->name, optarg, r->lo, r->hi, &c->num);
		break;
	case TSAM_CLI_SIZE:
		rc = parse_size(o->name, r, optarg, &c->num);
		break;
	case TSAM_CLI_TIME:
		rc = parse_time(o->name, optarg, &c->num);
		break;
	default: /* text, as given */
		break;
	}
	if (rc != 0) {
		c->status = tsam_cli_usage_error(t, NULL);
		return TSAM_CLI_EXIT;
	}
	return id;
}

/* One line per option, aligned. */
static void print_opts(FILE *f, const struct tsam_cli_opt *opts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		char left[64];
		snprintf(left, sizeof(left), "%c%c%c --%s%s%s",
			 opts[i].id < 256 ? '-' : ' ',
			 opts[i].id < 256 ? (char)opts[i].id : ' ',
			 opts[i].id < 256 ? ',' : ' ', opts[i].name,
			 opts[i].arg ? " " : "",
			 opts[i].arg ? opts[i].arg : "");
		fprintf(f, "  %-30s %s\n", left, opts[i].help);
	}
}

void tsam_cli_usage(const struct tsam_cli_tool *tool, FILE *f)
{
	const char *s;

	fputs("usage: ", f);
	for (s = tool->synopsis; *s != '\0'; s++)
		if (*s == '\n')
			fputs("\n       ", f);
		else
			fputc(*s, f);
	fprintf(f, "\n\n%s\n\n", tool->about);
	print_opts(f, tool->opts, tool->nopts);
	print_opts(f, builtins, NBUILTINS);
	fprintf(f, "\nExit status: %s\n", tool->exits);
}

int tsam_cli_usage_error(const struct tsam_cli_tool *tool, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	if (fmt != NULL) {
		va_start(ap, fmt);
		vsnprintf(msg, sizeof(msg), fmt, ap);
		va_end(ap);
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", msg);
	}
	tsam_cli_usage(tool, stderr);
	return TSAM_EXIT_USAGE;
}

int tsam_cli_number(const char *opt, const char *s, long lo, long hi, long *out)
{
	uint64_t v;

	if (tsam_cur_to_u64(tsam_cur_str(s), (uint64_t)hi, &v) != TSAM_OK ||
	    (long)v < lo) {
		tsam_log(TSAM_LOG_ERROR, NULL,
			 "--%s: '%s' is not a number from %ld to %ld", opt, s,
			 lo, hi);
		return -1;
	}
	*out = (long)v;
	return 0;
}

int64_t tsam_cli_source_date(void)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	long v;

	if (s != NULL &&
	    tsam_cli_number("SOURCE_DATE_EPOCH", s, 0, 4102444800L, &v) == 0)
		return v;
	return (int64_t)time(NULL);
}

char *tsam_cli_ask_secret(const char *prompt)
{
	struct termios old, noecho;
	char buf[1024];
	FILE *tty = fopen("/dev/tty", "r+");
	char *res = NULL;
	bool quiet = false;

	if (tty == NULL)
		return NULL;
	fputs(prompt, tty);
	fflush(tty);
	if (tcgetattr(fileno(tty), &old) == 0) {
		noecho = old;
		noecho.c_lflag &= ~(tcflag_t)ECHO;
		quiet = tcsetattr(fileno(tty), TCSAFLUSH, &noecho) == 0;
	}
	if (fgets(buf, sizeof(buf), tty) != NULL) {
		buf[strcspn(buf, "\r\n")] = '\0';
		res = strdup(buf);
	}
	if (quiet)
		tcsetattr(fileno(tty), TCSAFLUSH, &old);
	fputc('\n', tty);
	fclose(tty);
	explicit_bzero(buf, sizeof(buf));
	return res;
}

enum tsam_err tsam_cli_secret(const char *what, const char *envvar, bool ask,
			      char **out)
{
	*out = NULL;
	if (envvar != NULL) {
		const char *v = getenv(envvar);

		if (v == NULL || v[0] == '\0') {
			tsam_log(TSAM_LOG_ERROR, NULL,
				 "the %s's variable $%s is not set", what,
				 envvar);
			return TSAM_ERR_INVAL;
		}
		*out = strdup(v);
		return *out ? TSAM_OK : TSAM_ERR_NOMEM;
	}
	if (ask) {
		char prompt[128];

		snprintf(prompt, sizeof(prompt), "Enter the %s: ", what);
		*out = tsam_cli_ask_secret(prompt);
		if (*out == NULL) {
			tsam_log(TSAM_LOG_ERROR, NULL,
				 "no terminal to ask for the %s on; name an "
				 "environment variable instead",
				 what);
			return TSAM_ERR_INVAL;
		}
	}
	return TSAM_OK;
}

void tsam_cli_secret_free(char *secret)
{
	if (secret != NULL) {
		explicit_bzero(secret, strlen(secret));
		free(secret);
	}
}
