/*
 * mapping.h - how a ticket system's export reads: column names, the date
 * format and zone of naive timestamps, severity and channel labels, state
 * values that translate into event kinds, and whether the event file is an
 * event log or a history log (snapshots or field changes of each ticket,
 * from which the events are derived: docs/cases.md, "History logs").
 * Without a mapping file the canonical column names of docs/cases.md
 * apply; presets for common ticket systems are mapping files under
 * DATADIR/mappings/.
 */
#ifndef TSAM_MAPPING_H
#define TSAM_MAPPING_H

#include "err.h"
#include "tz.h"

#include <stdbool.h>
#include <stddef.h>

/* Event kinds of a case's life. */
enum tsam_ev_kind {
	TSAM_EV_CREATED,
	TSAM_EV_FIRST_RESPONSE,
	TSAM_EV_VENDOR_UPDATE,
	TSAM_EV_CUSTOMER_UPDATE,
	TSAM_EV_SEVERITY_CHANGE,
	TSAM_EV_PENDING_CUSTOMER,
	TSAM_EV_RESUMED,
	TSAM_EV_ESCALATION_MANAGER,
	TSAM_EV_ESCALATION_EXECUTIVE,
	TSAM_EV_RESOLVED,
	TSAM_EV_REOPENED,
	TSAM_EV_CLOSED,
	TSAM_EV_NONE /* a state that maps to no event (ignored on purpose) */
};
#define TSAM_EV_KINDS 13

/* Columns of the cases file and of the event log. */
enum tsam_case_col {
	TSAM_COL_ID,
	TSAM_COL_CREATED,
	TSAM_COL_SEVERITY,
	TSAM_COL_CHANNEL,
	TSAM_COL_PRODUCT,
	TSAM_COL_CUSTOMER,
	TSAM_COL_FIRST_RESPONSE,
	TSAM_COL_RESOLVED,
	TSAM_COL_CLOSED,
	TSAM_COL_KEY, /* the id the event file names a case by; no default
			 column: the id */
	TSAM_CASE_COLS
};
enum tsam_event_col {
	TSAM_ECOL_CASE,
	TSAM_ECOL_TIME,
	TSAM_ECOL_KIND,
	TSAM_ECOL_STATE,
	TSAM_ECOL_SEVERITY,
	/* history logs only, no default column names: */
	TSAM_ECOL_REOPEN_COUNT, /* a counter of reopenings */
	TSAM_ECOL_ASSIGNEE,	/* who the ticket is assigned to */
	TSAM_ECOL_FIELD,	/* field changes: the field changed, */
	TSAM_ECOL_VALUE,	/* and its new value */
	TSAM_EVENT_COLS
};

/* What the event file is. */
enum tsam_hist_layout {
	TSAM_HIST_NONE,	     /* an event log: one row per event */
	TSAM_HIST_SNAPSHOTS, /* a row per snapshot: every tracked column */
	TSAM_HIST_CHANGES    /* a row per field change: field and value */
};

/* The ticket fields a history log tracks (a field change names one). */
enum tsam_hist_role {
	TSAM_HROLE_STATE,
	TSAM_HROLE_SEVERITY,
	TSAM_HROLE_REOPEN_COUNT,
	TSAM_HROLE_ASSIGNEE,
	TSAM_HROLES
};

/* How a history log is read (the mapping's "history"). */
struct tsam_map_history {
	enum tsam_hist_layout layout;
	bool cases_log; /* the cases file is the log itself: a case's
			   later rows are its snapshots, not duplicates */
	struct tsam_map_label *fields; /* changes: field name -> role */
	size_t nfields;
	char **leaves; /* first response: the first state not in these */
	size_t nleaves;
	bool first_assignee; /* first response: the first assignee */
	char **empty;	     /* values that mean "not given", e.g. "?" */
	size_t nempty;
};

struct tsam_map_label {
	char *label; /* compared case-insensitively (ASCII) */
	int value;   /* severity 1-4, event kind, or channel index */
};

/* The mapping's "format" (docs/cases.md, "JSON exports"). */
enum tsam_map_format {
	TSAM_FORMAT_AUTO, /* "auto": JSON if the first byte says so, or CSV */
	TSAM_FORMAT_CSV,  /* "csv": both files CSV, never sniffed */
	TSAM_FORMAT_JSON  /* "json": the event file is a JSON export */
};

struct tsam_mapping {
	char *case_cols[TSAM_CASE_COLS];
	char *event_cols[TSAM_EVENT_COLS];
	char *encoding;	      /* NULL: UTF-8 */
	char *time_format;    /* "iso" or a pattern (date.h) */
	char *ev_time_format; /* the event file's, NULL: time_format */
	struct tsam_tz *tz; /* zone of naive timestamps, NULL: the calendar's */
	struct tsam_map_label *sev, *chan, *state;
	size_t nsev, nchan, nstate;
	char **channels; /* canonical channel names; chan values index it */
	size_t nchannels;
	bool email_starts_at_3;
	enum tsam_map_format format; /* "format": how the files are read */
	struct tsam_map_history hist;
};

/* Names of kinds, columns (canonical, also the default column names but
 * for the key and the history log's columns, which have none). */
const char *tsam_ev_kind_name(enum tsam_ev_kind k);
int tsam_ev_kind_parse(const char *s);
const char *tsam_case_col_name(enum tsam_case_col c);
const char *tsam_event_col_name(enum tsam_event_col c);

/* The defaults: canonical columns, ISO-8601, common labels. */
TSAM_MUST_CHECK enum tsam_err tsam_mapping_init(struct tsam_mapping *m);

/* Overlays the mapping file path on m; errors name the file and key. */
TSAM_MUST_CHECK enum tsam_err tsam_mapping_load(struct tsam_mapping *m,
						const char *path,
						struct tsam_errbuf *eb);

/*
 * Overlays a mapping by name or path: a name (letters, digits, - and _)
 * is the preset DATADIR/mappings/NAME.json; anything with a "/" or
 * ending in ".json" is a path (as calendars are found). An unknown preset
 * is an error listing what there is.
 */
TSAM_MUST_CHECK enum tsam_err tsam_mapping_named(struct tsam_mapping *m,
						 const char *datadir,
						 const char *name,
						 struct tsam_errbuf *eb);

/* Frees what m holds. */
void tsam_mapping_free(struct tsam_mapping *m);

/* Severity 1-4 of a label ("" -> 0: not given); -1 when unknown. */
int tsam_mapping_severity(const struct tsam_mapping *m, const char *s);

/* Channel index of a label (into m->channels); -1 when unknown. */
int tsam_mapping_channel(const struct tsam_mapping *m, const char *s);

/* Event kind of a state value; -1 when unknown. */
int tsam_mapping_state(const struct tsam_mapping *m, const char *s);

/* The history role (enum tsam_hist_role) of a changed field's name; -1
 * when the log does not track that field. */
int tsam_mapping_hist_field(const struct tsam_mapping *m, const char *s);

/* Whether s is in the history's first-response set of states. */
bool tsam_mapping_hist_leaves(const struct tsam_mapping *m, const char *s);

/* Whether s means "not given" (the history's empty_values). */
bool tsam_mapping_is_empty(const struct tsam_mapping *m, const char *s);

#endif
