/* mapping.c - export mappings: defaults, overlay files and presets. */
#include "mapping.h"

#include "json.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAPPING_MAX_FILE     (1024 * 1024)
#define MAPPING_MAX_LABELS   4096
#define MAPPING_MAX_CHANNELS 256

static const char *kinds[] = {"created",
			      "first_response",
			      "vendor_update",
			      "customer_update",
			      "severity_change",
			      "pending_customer",
			      "resumed",
			      "escalation_manager",
			      "escalation_executive",
			      "resolved",
			      "reopened",
			      "closed",
			      "none"};
static const char *case_cols[] = {
    "id",	"created",	  "severity", "channel", "product",
    "customer", "first_response", "resolved", "closed",	 "key"};
static const char *event_cols[] = {"case",     "time",	   "kind",
				   "state",    "severity", "reopen_count",
				   "assignee", "field",	   "value"};
/* Roles without a default column: only a mapping names them. */
#define FIRST_UNNAMED_CASE_COL	TSAM_COL_KEY
#define FIRST_UNNAMED_EVENT_COL TSAM_ECOL_REOPEN_COUNT
static const char *hist_roles[] = {"state", "severity", "reopen_count",
				   "assignee"};

const char *tsam_ev_kind_name(enum tsam_ev_kind k)
{
	return kinds[k];
}

int tsam_ev_kind_parse(const char *s)
{
	int i;

	for (i = 0; i < TSAM_EV_KINDS; i++)
		if (strcmp(s, kinds[i]) == 0)
			return i;
	return -1;
}

const char *tsam_case_col_name(enum tsam_case_col c)
{
	return case_cols[c];
}

const char *tsam_event_col_name(enum tsam_event_col c)
{
	return event_cols[c];
}

static int add_label(struct tsam_map_label **v, size_t *n, const char *label,
		     int value)
{
	struct tsam_map_label *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcasecmp((*v)[i].label, label) == 0) {
			(*v)[i].value = value;
			return TSAM_OK;
		}
	if (*n == MAPPING_MAX_LABELS)
		return TSAM_ERR_TOOBIG;
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (nv == NULL)
		return TSAM_ERR_NOMEM;
	*v = nv;
	nv[*n].label = strdup(label);
	if (nv[*n].label == NULL)
		return TSAM_ERR_NOMEM;
	nv[*n].value = value;
	(*n)++;
	return TSAM_OK;
}

/* Index of channel name in m->channels, added if new; -1 out of memory,
 * -2 when there are MAPPING_MAX_CHANNELS already. */
static int channel_index(struct tsam_mapping *m, const char *name)
{
	char **nv;
	size_t i;

	for (i = 0; i < m->nchannels; i++)
		if (strcmp(m->channels[i], name) == 0)
			return (int)i;
	if (m->nchannels == MAPPING_MAX_CHANNELS)
		return -2;
	nv = realloc(m->channels, (m->nchannels + 1) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	m->channels = nv;
	nv[m->nchannels] = strdup(name);
	if (nv[m->nchannels] == NULL)
		return -1;
	return (int)m->nchannels++;
}

enum tsam_err tsam_mapping_init(struct tsam_mapping *m)
{
	static const struct {
		const char *label;
		int sev;
	} sevs[] = {
	    {"1", 1},	    {"2", 2},	     {"3", 3},	    {"4", 4},
	    {"S1", 1},	    {"S2", 2},	     {"S3", 3},	    {"S4", 4},
	    {"P1", 1},	    {"P2", 2},	     {"P3", 3},	    {"P4", 4},
	    {"Sev1", 1},    {"Sev2", 2},     {"Sev3", 3},   {"Sev4", 4},
	    {"urgent", 1},  {"critical", 1}, {"high", 2},   {"medium", 3},
	    {"normal", 3},  {"low", 4},	     {"緊急", 1},   {"深刻度1", 1},
	    {"深刻度2", 2}, {"深刻度3", 3},  {"深刻度4", 4}};
	static const struct {
		const char *label, *channel;
	} chans[] = {
	    {"phone", "phone"},	 {"telephone", "phone"},  {"電話", "phone"},
	    {"email", "email"},	 {"e-mail", "email"},	  {"mail", "email"},
	    {"メール", "email"}, {"電子メール", "email"}, {"web", "web"},
	    {"portal", "web"},	 {"online", "web"},	  {"ポータル", "web"},
	    {"chat", "chat"},	 {"チャット", "chat"}};
	size_t i;
	int rc = TSAM_OK;

	memset(m, 0, sizeof(*m));
	m->email_starts_at_3 = true;
	for (i = 0; rc == TSAM_OK && i < FIRST_UNNAMED_CASE_COL; i++)
		if ((m->case_cols[i] = strdup(case_cols[i])) == NULL)
			rc = TSAM_ERR_NOMEM;
	for (i = 0; rc == TSAM_OK && i < FIRST_UNNAMED_EVENT_COL; i++)
		if ((m->event_cols[i] = strdup(event_cols[i])) == NULL)
			rc = TSAM_ERR_NOMEM;
	if (rc == TSAM_OK && (m->time_format = strdup("iso")) == NULL)
		rc = TSAM_ERR_NOMEM;
	for (i = 0; rc == TSAM_OK && i < sizeof(sevs) / sizeof(sevs[0]); i++)
		rc = add_label(&m->sev, &m->nsev, sevs[i].label, sevs[i].sev);
	for (i = 0; rc == TSAM_OK && i < sizeof(chans) / sizeof(chans[0]);
	     i++) {
		int ci = channel_index(m, chans[i].channel);

		rc = ci < 0
			 ? TSAM_ERR_NOMEM
			 : add_label(&m->chan, &m->nchan, chans[i].label, ci);
	}
	for (i = 0; rc == TSAM_OK && i < TSAM_EV_KINDS; i++)
		rc = add_label(&m->state, &m->nstate, kinds[i], (int)i);
	if (rc != TSAM_OK)
		tsam_mapping_free(m);
	return rc;
}

void tsam_mapping_free(struct tsam_mapping *m)
{
	size_t i;

	for (i = 0; i < TSAM_CASE_COLS; i++)
		free(m->case_cols[i]);
	for (i = 0; i < TSAM_EVENT_COLS; i++)
		free(m->event_cols[i]);
	for (i = 0; i < m->nsev; i++)
		free(m->sev[i].label);
	for (i = 0; i < m->nchan; i++)
		free(m->chan[i].label);
	for (i = 0; i < m->nstate; i++)
		free(m->state[i].label);
	for (i = 0; i < m->nchannels; i++)
		free(m->channels[i]);
	for (i = 0; i < m->hist.nfields; i++)
		free(m->hist.fields[i].label);
	for (i = 0; i < m->hist.nleaves; i++)
		free(m->hist.leaves[i]);
	for (i = 0; i < m->hist.nempty; i++)
		free(m->hist.empty[i]);
	free(m->hist.fields);
	free(m->hist.leaves);
	free(m->hist.empty);
	free(m->sev);
	free(m->chan);
	free(m->state);
	free(m->channels);
	free(m->encoding);
	free(m->time_format);
	free(m->ev_time_format);
	tsam_tz_free(m->tz);
	memset(m, 0, sizeof(*m));
}

static int find(const struct tsam_map_label *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(v[i].label, s) == 0)
			return v[i].value;
	return -1;
}

int tsam_mapping_severity(const struct tsam_mapping *m, const char *s)
{
	return s[0] == '\0' ? 0 : find(m->sev, m->nsev, s);
}

int tsam_mapping_channel(const struct tsam_mapping *m, const char *s)
{
	return find(m->chan, m->nchan, s);
}

int tsam_mapping_state(const struct tsam_mapping *m, const char *s)
{
	return find(m->state, m->nstate, s);
}

int tsam_mapping_hist_field(const struct tsam_mapping *m, const char *s)
{
	return find(m->hist.fields, m->hist.nfields, s);
}

/* Whether s is one of v[0..n), compared as labels are. */
static bool in_list(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return true;
	return false;
}

bool tsam_mapping_hist_leaves(const struct tsam_mapping *m, const char *s)
{
	return in_list(m->hist.leaves, m->hist.nleaves, s);
}

bool tsam_mapping_is_empty(const struct tsam_mapping *m, const char *s)
{
	/* "?" or "(empty)": few, short */
	return m->hist.nempty > 0 && s[0] != '\0' &&
	       in_list(m->hist.empty, m->hist.nempty, s);
}

/* Longest column name, label or channel name a mapping may hold. */
#define MAPPING_MAX_NAME 256

static int set_str(char **dst, json_object *v, size_t max, const char *path,
		   const char *key, struct tsam_errbuf *eb)
{
	const char *s;
	int rc = tsam_json_want_str(v, 1, max, path, key, &s, eb);

	if (rc != TSAM_OK)
		return rc;
	free(*dst);
	*dst = strdup(s);
	return *dst ? TSAM_OK
		    : tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "%s: out of memory",
				      path);
}

static int columns(char **cols, const char **names, int n, json_object *obj,
		   const char *path, const char *sect, struct tsam_errbuf *eb)
{
	char where[MAPPING_MAX_NAME + 32];
	int i, rc;

	if ((rc = tsam_json_want_object(obj, path, sect, eb)) != TSAM_OK)
		return rc;
	json_object_object_foreach(obj, key, val)
	{
		for (i = 0; i < n && strcmp(names[i], key) != 0; i++)
			;
		if (i == n)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: %s.%.*s: unknown column role", path, sect,
			    MAPPING_MAX_NAME, key);
		snprintf(where, sizeof(where), "%s.%s", sect, key);
		rc = set_str(&cols[i], val, MAPPING_MAX_NAME, path, where, eb);
		if (rc != TSAM_OK)
			return rc;
	}
	return TSAM_OK;
}

static int labels(struct tsam_mapping *m, json_object *obj, int which,
		  const char *path, struct tsam_errbuf *eb)
{
	static const char *sect[] = {"severity", "channel", "states"};
	char where[MAPPING_MAX_NAME + 32];
	int rc;

	if ((rc = tsam_json_want_object(obj, path, sect[which], eb)) != TSAM_OK)
		return rc;
	json_object_object_foreach(obj, key, val)
	{
		const char *s;
		int64_t sev;
		int v;

		rc = tsam_json_want_name(key, MAPPING_MAX_NAME, path,
					 sect[which], eb);
		if (rc != TSAM_OK)
			return rc;
		snprintf(where, sizeof(where), "%s.\"%s\"", sect[which], key);
		if (which == 0) {
			rc = tsam_json_want_int(val, 1, 4, path, where, &sev,
						eb);
			if (rc != TSAM_OK)
				return rc;
			rc = add_label(&m->sev, &m->nsev, key, (int)sev);
		} else if (which == 1) {
			rc = tsam_json_want_str(val, 1, MAPPING_MAX_NAME, path,
						where, &s, eb);
			if (rc != TSAM_OK)
				return rc;
			v = channel_index(m, s);
			if (v == -2)
				return tsam_errbuf_set(
				    eb, TSAM_ERR_TOOBIG,
				    "%s: %s: at most %d channel names", path,
				    where, MAPPING_MAX_CHANNELS);
			rc = v < 0 ? TSAM_ERR_NOMEM
				   : add_label(&m->chan, &m->nchan, key, v);
		} else {
			v = json_object_is_type(val, json_type_string)
				? tsam_ev_kind_parse(
				      json_object_get_string(val))
				: -1;
			if (v < 0 || v == TSAM_EV_CREATED)
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: %s: not an event kind "
				    "(first_response, vendor_update, ..., "
				    "none)",
				    path, where);
			rc = add_label(&m->state, &m->nstate, key, v);
		}
		if (rc == TSAM_ERR_TOOBIG)
			return tsam_errbuf_set(
			    eb, rc, "%s: %s: at most %d labels", path,
			    sect[which], MAPPING_MAX_LABELS);
		if (rc != TSAM_OK)
			return tsam_errbuf_set(eb, rc, "%s: %s", path,
					       tsam_strerror(rc));
	}
	return TSAM_OK;
}

/* "format": "auto", "csv" or "json". */
static int format(struct tsam_mapping *m, json_object *v, const char *path,
		  struct tsam_errbuf *eb)
{
	static const char *const names[] = {"auto", "csv", "json"};
	const char *s;
	int rc = tsam_json_want_str(v, 1, 16, path, "format", &s, eb);
	size_t i;

	if (rc != TSAM_OK)
		return rc;
	for (i = 0; i < 3; i++)
		if (strcmp(s, names[i]) == 0) {
			m->format = (enum tsam_map_format)i;
			return TSAM_OK;
		}
	return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
			       "%s: format: must be \"auto\", \"csv\" or "
			       "\"json\"",
			       path);
}

/* An iconv encoding name: letters, digits and - _ . : + only. */
static int encoding(struct tsam_mapping *m, json_object *v, const char *path,
		    struct tsam_errbuf *eb)
{
	static const char chars[] = "abcdefghijklmnopqrstuvwxyz"
				    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.:+";
	int rc = set_str(&m->encoding, v, 64, path, "encoding", eb);

	if (rc == TSAM_OK && strspn(m->encoding, chars) != strlen(m->encoding))
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				     "%s: encoding: must be an encoding name "
				     "(letters, digits, - _ . : +), e.g. CP932",
				     path);
	return rc;
}

/* "iso", or a pattern of the conversions date.h reads, with a year (%Y
 * or %y), and %I only with %p: into *dst (time_format, or
 * events_time_format). */
static int time_format(char **dst, const char *key, json_object *v,
		       const char *path, struct tsam_errbuf *eb)
{
	int rc = set_str(dst, v, 64, path, key, eb);
	const char *f = *dst;
	bool year = false, h12 = false, pm = false;

	if (rc != TSAM_OK || strcmp(f, "iso") == 0)
		return rc;
	for (; *f; f++) {
		if (*f != '%')
			continue;
		if (f[1] == '\0' || strchr("YymbdHIMSpTz%", f[1]) == NULL)
			break;
		year = year || f[1] == 'Y' || f[1] == 'y';
		h12 = h12 || f[1] == 'I';
		pm = pm || f[1] == 'p';
		f++;
	}
	if (*f == '\0' && year && h12 == pm)
		return TSAM_OK;
	return tsam_errbuf_set(
	    eb, TSAM_ERR_PARSE,
	    "%s: %s: must be \"iso\" or a pattern with %%Y or %%y of "
	    "%%Y %%y %%m %%b %%d %%H %%I (with %%p) %%M %%S %%T %%z %%%% and "
	    "other characters",
	    path, key);
}

static int time_zone(struct tsam_mapping *m, json_object *v, const char *path,
		     struct tsam_errbuf *eb)
{
	const char *z;
	int rc = tsam_json_want_str(v, 1, TSAM_TZ_MAX_NAME, path, "time_zone",
				    &z, eb);

	if (rc != TSAM_OK)
		return rc;
	tsam_tz_free(m->tz);
	m->tz = NULL;
	rc = tsam_tz_load(NULL, z, &m->tz, eb);
	if (rc != TSAM_OK)
		rc = tsam_errbuf_set(eb, rc, "%s: time_zone: %s", path,
				     tsam_errbuf_str(eb, rc));
	return rc;
}

/* A list of labels (a JSON array of 1-256-byte names, at most
 * MAPPING_MAX_LABELS) into *v, replacing what was there. */
static int label_list(char ***v, size_t *n, json_object *arr, const char *path,
		      const char *key, struct tsam_errbuf *eb)
{
	char where[96];
	size_t i, len;
	int rc;

	rc = tsam_json_want_array(arr, MAPPING_MAX_LABELS, path, key, eb);
	if (rc != TSAM_OK)
		return rc;
	for (i = 0; i < *n; i++)
		free((*v)[i]);
	free(*v);
	*n = 0;
	len = json_object_array_length(arr);
	if ((*v = calloc(len ? len : 1, sizeof(**v))) == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "%s: out of memory",
				       path);
	for (i = 0; i < len; i++) {
		const char *s;

		snprintf(where, sizeof(where), "%s[%zu]", key, i);
		rc = tsam_json_want_str(json_object_array_get_idx(arr, i), 1,
					MAPPING_MAX_NAME, path, where, &s, eb);
		if (rc == TSAM_OK)
			rc = tsam_json_want_name(s, MAPPING_MAX_NAME, path,
						 where, eb);
		if (rc != TSAM_OK)
			return rc;
		if (((*v)[i] = strdup(s)) == NULL)
			return tsam_errbuf_set(eb, TSAM_ERR_NOMEM,
					       "%s: out of memory", path);
		*n = i + 1;
	}
	return TSAM_OK;
}

/* history.fields: a changed field's name -> the role it tracks. */
static int hist_fields(struct tsam_mapping *m, json_object *obj,
		       const char *path, struct tsam_errbuf *eb)
{
	char where[MAPPING_MAX_NAME + 32];
	int rc, r;

	rc = tsam_json_want_object(obj, path, "history.fields", eb);
	if (rc != TSAM_OK)
		return rc;
	json_object_object_foreach(obj, key, val)
	{
		const char *s;

		rc = tsam_json_want_name(key, MAPPING_MAX_NAME, path,
					 "history.fields", eb);
		if (rc != TSAM_OK)
			return rc;
		snprintf(where, sizeof(where), "history.fields.\"%s\"", key);
		rc = tsam_json_want_str(val, 1, 64, path, where, &s, eb);
		if (rc != TSAM_OK)
			return rc;
		for (r = 0; r < TSAM_HROLES && strcmp(s, hist_roles[r]); r++)
			;
		if (r == TSAM_HROLES)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: %s: must be state, severity, reopen_count "
			    "or assignee",
			    path, where);
		rc = add_label(&m->hist.fields, &m->hist.nfields, key, r);
		if (rc != TSAM_OK)
			return tsam_errbuf_set(eb, rc, "%s: history.fields: %s",
					       path, tsam_strerror(rc));
	}
	return TSAM_OK;
}

/* history.first_response: {"leaves_states": [...], "assignee": bool}. */
static int hist_first(struct tsam_mapping *m, json_object *obj,
		      const char *path, struct tsam_errbuf *eb)
{
	static const char *const names[] = {"leaves_states", "assignee",
					    "comment", NULL};
	int rc;

	if ((rc = tsam_json_want_object(obj, path, "history.first_response",
					eb)) != TSAM_OK)
		return rc;
	if ((rc = tsam_json_known_members(obj, names, "history.first_response",
					  eb)) != TSAM_OK)
		return tsam_errbuf_set(eb, rc, "%s: %s", path,
				       tsam_errbuf_str(eb, rc));
	json_object_object_foreach(obj, key, val)
	{
		if (strcmp(key, "leaves_states") == 0)
			rc = label_list(
			    &m->hist.leaves, &m->hist.nleaves, val, path,
			    "history.first_response.leaves_states", eb);
		else if (strcmp(key, "assignee") == 0)
			rc = tsam_json_want_bool(
			    val, path, "history.first_response.assignee",
			    &m->hist.first_assignee, eb);
		if (rc != TSAM_OK)
			return rc;
	}
	return TSAM_OK;
}

/* The mapping's "history": how the event file's history log reads. */
static int history(struct tsam_mapping *m, json_object *obj, const char *path,
		   struct tsam_errbuf *eb)
{
	static const char *const names[] = {
	    "layout",	    "fields",  "cases_file", "first_response",
	    "empty_values", "comment", NULL};
	const char *s;
	int rc;

	if ((rc = tsam_json_want_object(obj, path, "history", eb)) != TSAM_OK)
		return rc;
	if ((rc = tsam_json_known_members(obj, names, "history", eb)) !=
	    TSAM_OK)
		return tsam_errbuf_set(eb, rc, "%s: %s", path,
				       tsam_errbuf_str(eb, rc));
	m->hist.layout = TSAM_HIST_NONE;
	json_object_object_foreach(obj, key, val)
	{
		if (strcmp(key, "layout") == 0) {
			rc = tsam_json_want_str(val, 1, 64, path,
						"history.layout", &s, eb);
			if (rc == TSAM_OK && strcmp(s, "snapshots") == 0)
				m->hist.layout = TSAM_HIST_SNAPSHOTS;
			else if (rc == TSAM_OK && strcmp(s, "changes") == 0)
				m->hist.layout = TSAM_HIST_CHANGES;
			else if (rc == TSAM_OK)
				rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
						     "%s: history.layout: must "
						     "be \"snapshots\" or "
						     "\"changes\"",
						     path);
		} else if (strcmp(key, "fields") == 0) {
			rc = hist_fields(m, val, path, eb);
		} else if (strcmp(key, "cases_file") == 0) {
			rc = tsam_json_want_str(val, 1, 64, path,
						"history.cases_file", &s, eb);
			if (rc == TSAM_OK && strcmp(s, "log") == 0)
				m->hist.cases_log = true;
			else if (rc == TSAM_OK &&
				 strcmp(s, "one_row_per_case") == 0)
				m->hist.cases_log = false;
			else if (rc == TSAM_OK)
				rc = tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: history.cases_file: must be "
				    "\"one_row_per_case\" or \"log\"",
				    path);
		} else if (strcmp(key, "first_response") == 0) {
			rc = hist_first(m, val, path, eb);
		} else if (strcmp(key, "empty_values") == 0) {
			rc = label_list(&m->hist.empty, &m->hist.nempty, val,
					path, "history.empty_values", eb);
		} else {
			rc = tsam_json_want_str(val, 0, SIZE_MAX, path,
						"history.comment", &s, eb);
		}
		if (rc != TSAM_OK)
			return rc;
	}
	if (m->hist.layout == TSAM_HIST_NONE)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: history.layout: required "
				       "(\"snapshots\" or \"changes\")",
				       path);
	return TSAM_OK;
}

/* What only the whole mapping can tell: a history log's columns and
 * fields, and first-response states that are states. */
static int check_history(const struct tsam_mapping *m, const char *path,
			 struct tsam_errbuf *eb)
{
	const struct tsam_map_history *h = &m->hist;
	size_t i;

	if (h->layout == TSAM_HIST_NONE) {
		if (m->event_cols[TSAM_ECOL_REOPEN_COUNT] ||
		    m->event_cols[TSAM_ECOL_ASSIGNEE] ||
		    m->event_cols[TSAM_ECOL_FIELD] ||
		    m->event_cols[TSAM_ECOL_VALUE])
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: events: reopen_count, assignee, field and "
			    "value are columns of a history log: say which "
			    "in \"history\"",
			    path);
		return TSAM_OK;
	}
	if (h->layout == TSAM_HIST_CHANGES &&
	    (!m->event_cols[TSAM_ECOL_FIELD] ||
	     !m->event_cols[TSAM_ECOL_VALUE] || h->nfields == 0))
		return tsam_errbuf_set(
		    eb, TSAM_ERR_PARSE,
		    "%s: history: a log of field changes needs events.field, "
		    "events.value and history.fields",
		    path);
	if (h->layout == TSAM_HIST_SNAPSHOTS && h->nfields > 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: history.fields: only for a log of "
				       "field changes (layout \"changes\")",
				       path);
	if (h->first_assignee && h->layout == TSAM_HIST_SNAPSHOTS &&
	    !m->event_cols[TSAM_ECOL_ASSIGNEE])
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: history.first_response.assignee: "
				       "needs an events.assignee column",
				       path);
	for (i = 0; i < h->nleaves; i++)
		if (tsam_mapping_state(m, h->leaves[i]) < 0)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: history.first_response.leaves_states[%zu]: "
			    "\"%s\" is not a state (add it to \"states\")",
			    path, i, h->leaves[i]);
	return TSAM_OK;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "jira, servicenow, ..." - the presets under dir, sorted - into list. */
static void preset_list(const char *dir, char *list, size_t size)
{
	char names[32][65], *v[32];
	size_t n = 0, k = 0, i;
	struct dirent *de;
	DIR *d = opendir(dir);

	list[0] = '\0';
	while (d != NULL && n < 32 && (de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (l > 5 && l - 5 < sizeof(names[0]) &&
		    strcmp(de->d_name + l - 5, ".json") == 0) {
			memcpy(names[n], de->d_name, l - 5);
			names[n][l - 5] = '\0';
			v[n] = names[n];
			n++;
		}
	}
	if (d != NULL)
		closedir(d);
	qsort(v, n, sizeof(v[0]), name_cmp);
	for (i = 0; i < n && k + strlen(v[i]) + 3 < size; i++)
		k += (size_t)snprintf(list + k, size - k, "%s%s", i ? ", " : "",
				      v[i]);
	if (n == 0)
		snprintf(list, size, "none");
}

enum tsam_err tsam_mapping_named(struct tsam_mapping *m, const char *datadir,
				 const char *name, struct tsam_errbuf *eb)
{
	char path[1024], list[256];
	size_t n = strlen(name);

	if (strchr(name, '/') != NULL ||
	    (n > 5 && strcmp(name + n - 5, ".json") == 0))
		return tsam_mapping_load(m, name, eb);
	if (n == 0 || n > 64 ||
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != n)
		return tsam_errbuf_set(eb, TSAM_ERR_INVAL,
				       "mapping \"%.64s\": not a preset name "
				       "(lower-case letters, digits, - _) nor "
				       "a path",
				       name);
	snprintf(path, sizeof(path), "%s/mappings/%s.json", datadir, name);
	if (access(path, F_OK) == 0)
		return tsam_mapping_load(m, path, eb);
	snprintf(path, sizeof(path), "%s/mappings", datadir);
	preset_list(path, list, sizeof(list));
	return tsam_errbuf_set(eb, TSAM_ERR_NOTFOUND,
			       "mapping \"%s\": no preset %s/%s.json "
			       "(presets: %s)",
			       name, path, name, list);
}

enum tsam_err tsam_mapping_load(struct tsam_mapping *m, const char *path,
				struct tsam_errbuf *eb)
{
	json_object *doc = NULL, *v;
	const char *s;
	int rc;

	rc = tsam_json_load_object(path, MAPPING_MAX_FILE, &doc, eb);
	if (rc != TSAM_OK)
		return rc;
	json_object_object_get_ex(doc, "schema", &v);
	if (tsam_json_want_str(v, 1, 64, path, "schema", &s, NULL) != TSAM_OK ||
	    strcmp(s, "tsamkit-mapping/1") != 0)
		rc = tsam_errbuf_set(
		    eb, TSAM_ERR_PARSE,
		    "%s: schema: must be \"tsamkit-mapping/1\"", path);
	json_object_object_foreach(doc, key, val)
	{
		if (rc != TSAM_OK)
			break;
		if (strcmp(key, "schema") == 0)
			continue;
		else if (strcmp(key, "comment") == 0)
			rc = tsam_json_want_str(val, 0, SIZE_MAX, path, key, &s,
						eb);
		else if (strcmp(key, "cases") == 0)
			rc = columns(m->case_cols, case_cols, TSAM_CASE_COLS,
				     val, path, key, eb);
		else if (strcmp(key, "events") == 0)
			rc = columns(m->event_cols, event_cols, TSAM_EVENT_COLS,
				     val, path, key, eb);
		else if (strcmp(key, "encoding") == 0)
			rc = encoding(m, val, path, eb);
		else if (strcmp(key, "time_format") == 0)
			rc = time_format(&m->time_format, key, val, path, eb);
		else if (strcmp(key, "events_time_format") == 0)
			rc =
			    time_format(&m->ev_time_format, key, val, path, eb);
		else if (strcmp(key, "format") == 0)
			rc = format(m, val, path, eb);
		else if (strcmp(key, "time_zone") == 0)
			rc = time_zone(m, val, path, eb);
		else if (strcmp(key, "severity") == 0)
			rc = labels(m, val, 0, path, eb);
		else if (strcmp(key, "channel") == 0)
			rc = labels(m, val, 1, path, eb);
		else if (strcmp(key, "states") == 0)
			rc = labels(m, val, 2, path, eb);
		else if (strcmp(key, "email_starts_at_3") == 0)
			rc = tsam_json_want_bool(val, path, key,
						 &m->email_starts_at_3, eb);
		else if (strcmp(key, "history") == 0)
			rc = history(m, val, path, eb);
		else
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: unknown key \"%.*s\"", path,
					     MAPPING_MAX_NAME, key);
	}
	if (rc == TSAM_OK)
		rc = check_history(m, path, eb);
	json_object_put(doc);
	return rc;
}
