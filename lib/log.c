/* log.c - prefixed diagnostics and the progress line. */
#include "log.h"

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

static const char *tool_name = "tsam";
static enum tsam_log_level max_level = TSAM_LOG_INFO;
static bool progress_shown;

void tsam_log_init(const char *tool)
{
	tool_name = tool;
}

void tsam_log_set_level(enum tsam_log_level level)
{
	max_level = level;
}

bool tsam_log_is_tty(void)
{
	return isatty(STDERR_FILENO) == 1;
}

void tsam_log_progress_clear(void)
{
	if (progress_shown) {
		fputs("\r\033[K", stderr);
		progress_shown = false;
	}
}

void tsam_log_progress(const char *line)
{
	fprintf(stderr, "\r%s\033[K", line);
	fflush(stderr);
	progress_shown = true;
}

void tsam_log(enum tsam_log_level level, const char *host, const char *fmt, ...)
{
	static const char *const tags[] = {"error: ", "warning: ", "", ""};
	va_list ap;

	char msg[4096];
	size_t i;

	if (level > max_level)
		return;
	tsam_log_progress_clear();
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* what a message quotes may come from an endpoint or a file: no
	 * control character (an ESC sequence, a carriage return) reaches
	 * the terminal */
	for (i = 0; msg[i] != '\0'; i++)
		if ((unsigned char)msg[i] < 0x20 || msg[i] == 0x7f)
			msg[i] = '?';
	if (host != NULL)
		fprintf(stderr, "%s: %s: %s%s\n", tool_name, host, tags[level],
			msg);
	else
		fprintf(stderr, "%s: %s%s\n", tool_name, tags[level], msg);
}
