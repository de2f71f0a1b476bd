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

	if (level > max_level)
		return;
	tsam_log_progress_clear();
	if (host != NULL)
		fprintf(stderr, "%s: %s: %s", tool_name, host, tags[level]);
	else
		fprintf(stderr, "%s: %s", tool_name, tags[level]);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}
