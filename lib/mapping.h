/*
 * mapping.h - how a ticket system's export reads: column names, the date
 * format and zone of naive timestamps, severity and channel labels, and
 * state values that translate into event kinds. Without a mapping file the
 * canonical column names of docs/cases.md apply.
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
	TSAM_CASE_COLS
};
enum tsam_event_col {
	TSAM_ECOL_CASE,
	TSAM_ECOL_TIME,
	TSAM_ECOL_KIND,
	TSAM_ECOL_STATE,
	TSAM_ECOL_SEVERITY,
	TSAM_EVENT_COLS
};

struct tsam_map_label {
	char *label; /* compared case-insensitively (ASCII) */
	int value;   /* severity 1-4, event kind, or channel index */
};

struct tsam_mapping {
	char *case_cols[TSAM_CASE_COLS];
	char *event_cols[TSAM_EVENT_COLS];
	char *encoding;	    /* NULL: UTF-8 */
	char *time_format;  /* "iso" or a pattern (date.h) */
	struct tsam_tz *tz; /* zone of naive timestamps, NULL: the calendar's */
	struct tsam_map_label *sev, *chan, *state;
	size_t nsev, nchan, nstate;
	char **channels; /* canonical channel names; chan values index it */
	size_t nchannels;
	bool email_starts_at_3;
};

/* Names of kinds, columns (canonical, also the default column names). */
const char *tsam_ev_kind_name(enum tsam_ev_kind k);
int tsam_ev_kind_parse(const char *s);
const char *tsam_case_col_name(enum tsam_case_col c);
const char *tsam_event_col_name(enum tsam_event_col c);

/* The defaults: canonical columns, ISO-8601, common labels. */
int tsam_mapping_init(struct tsam_mapping *m);

/* Overlays the mapping file path on m; errors name the file and key. */
int tsam_mapping_load(struct tsam_mapping *m, const char *path,
		      struct tsam_errbuf *eb);

/* Frees what m holds. */
void tsam_mapping_free(struct tsam_mapping *m);

/* Severity 1-4 of a label ("" -> 0: not given); -1 when unknown. */
int tsam_mapping_severity(const struct tsam_mapping *m, const char *s);

/* Channel index of a label (into m->channels); -1 when unknown. */
int tsam_mapping_channel(const struct tsam_mapping *m, const char *s);

/* Event kind of a state value; -1 when unknown. */
int tsam_mapping_state(const struct tsam_mapping *m, const char *s);

#endif
