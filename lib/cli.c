/* cli.c - option tables for getopt_long and --help. */
#include "cli.h"

#include "err.h"
#include "log.h"
#include "str.h"

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

int tsam_cli_init(struct tsam_cli *c, const struct tsam_cli_opt *opts, size_t n)
{
	size_t i, si = 0;

	c->longopts = calloc(n + 1, sizeof(*c->longopts));
	if (c->longopts == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		c->longopts[i].name = opts[i].name;
		c->longopts[i].has_arg =
		    opts[i].has_arg ? required_argument : no_argument;
		c->longopts[i].val = opts[i].id;
		if (opts[i].id < 256 && si + 3 < sizeof(c->shortopts)) {
			c->shortopts[si++] = (char)opts[i].id;
			if (opts[i].has_arg)
				c->shortopts[si++] = ':';
		}
	}
	c->shortopts[si] = '\0';
	return 0;
}

void tsam_cli_free(struct tsam_cli *c)
{
	free(c->longopts);
	c->longopts = NULL;
}

void tsam_cli_help(FILE *f, const struct tsam_cli_opt *opts, size_t n)
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

int tsam_cli_secret(const char *what, const char *envvar, bool ask, char **out)
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
