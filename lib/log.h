/*
 * log.h - diagnostics on stderr with the "tsam-<tool>: <host>: ..." prefix,
 * and the one aggregate progress line that parallel work shows on a TTY.
 *
 * Logging is process-wide state set once by a tool's main; library code only
 * calls tsam_log(). Messages never carry secrets: callers pass host names,
 * paths and error text, never key material or passphrases.
 */
#ifndef TSAM_LOG_H
#define TSAM_LOG_H

#include <stdbool.h>

enum tsam_log_level {
	TSAM_LOG_ERROR = 0,
	TSAM_LOG_WARN,
	TSAM_LOG_INFO,
	TSAM_LOG_DEBUG
};

/* Sets the tool name used as prefix (e.g. "tsam-collect"); not copied. */
void tsam_log_init(const char *tool);

/* Messages above level are dropped (default TSAM_LOG_INFO). */
void tsam_log_set_level(enum tsam_log_level level);

/*
 * Prints "tool: host: message" (or "tool: message" when host is NULL) on
 * stderr, clearing the progress line first if one is shown.
 */
void tsam_log(enum tsam_log_level level, const char *host, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* True when stderr is a terminal (progress lines are shown only then). */
bool tsam_log_is_tty(void);

/* Shows line as the progress line (overwriting the previous one). */
void tsam_log_progress(const char *line);

/* Removes the progress line, if shown. */
void tsam_log_progress_clear(void);

#endif
