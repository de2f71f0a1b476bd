/* mapping.c - export mappings: defaults and overlay files. */
#include "mapping.h"

#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAPPING_MAX_FILE   (1024 * 1024)
#define MAPPING_MAX_LABELS 4096

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
    "customer", "first_response", "resolved", "closed"};
static const char *event_cols[] = {"case", "time", "kind", "state", "severity"};

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

static int channel_index(struct tsam_mapping *m, const char *name)
{
	char **nv;
	size_t i;

	for (i = 0; i < m->nchannels; i++)
		if (strcmp(m->channels[i], name) == 0)
			return (int)i;
	if (m->nchannels == 256)
		return -1;
	nv = realloc(m->channels, (m->nchannels + 1) * sizeof(*nv));
	if (nv == NULL)
		return -1;
	m->channels = nv;
	nv[m->nchannels] = strdup(name);
	if (nv[m->nchannels] == NULL)
		return -1;
	return (int)m->nchannels++;
}

int tsam_mapping_init(struct tsam_mapping *m)
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
	for (i = 0; rc == TSAM_OK && i < TSAM_CASE_COLS; i++)
		if ((m->case_cols[i] = strdup(case_cols[i])) == NULL)
			rc = TSAM_ERR_NOMEM;
	for (i = 0; rc == TSAM_OK && i < TSAM_EVENT_COLS; i++)
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
	free(m->sev);
	free(m->chan);
	free(m->state);
	free(m->channels);
	free(m->encoding);
	free(m->time_format);
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

static int set_str(char **dst, json_object *v, const char *path,
		   const char *key, struct tsam_errbuf *eb)
{
	const char *s = json_object_get_string(v);

	if (!json_object_is_type(v, json_type_string) || s[0] == '\0')
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s: not a non-empty string", path,
				       key);
	free(*dst);
	*dst = strdup(s);
	return *dst ? TSAM_OK : TSAM_ERR_NOMEM;
}

static int columns(char **cols, const char **names, int n, json_object *obj,
		   const char *path, const char *sect, struct tsam_errbuf *eb)
{
	char where[128];
	int i, rc;

	if (!json_object_is_type(obj, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s: not an object", path, sect);
	json_object_object_foreach(obj, key, val)
	{
		for (i = 0; i < n && strcmp(names[i], key) != 0; i++)
			;
		snprintf(where, sizeof(where), "%s.%s", sect, key);
		if (i == n)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: %s: unknown column role",
					       path, where);
		rc = set_str(&cols[i], val, path, where, eb);
		if (rc != TSAM_OK)
			return rc;
	}
	return TSAM_OK;
}

static int labels(struct tsam_mapping *m, json_object *obj, int which,
		  const char *path, struct tsam_errbuf *eb)
{
	static const char *sect[] = {"severity", "channel", "states"};
	int rc = TSAM_OK;

	if (!json_object_is_type(obj, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s: not an object", path,
				       sect[which]);
	json_object_object_foreach(obj, key, val)
	{
		const char *s = json_object_get_string(val);
		int v = -1;

		if (which == 0) {
			v = json_object_is_type(val, json_type_int)
				? json_object_get_int(val)
				: -1;
			if (v < 1 || v > 4)
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: severity.\"%s\": a severity 1-4", path,
				    key);
			rc = add_label(&m->sev, &m->nsev, key, v);
		} else if (which == 1) {
			if (!json_object_is_type(val, json_type_string) ||
			    s[0] == '\0')
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: channel.\"%s\": a channel name", path,
				    key);
			v = channel_index(m, s);
			rc = v < 0 ? TSAM_ERR_NOMEM
				   : add_label(&m->chan, &m->nchan, key, v);
		} else {
			v = json_object_is_type(val, json_type_string)
				? tsam_ev_kind_parse(s)
				: -1;
			if (v < 0 || v == TSAM_EV_CREATED)
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: states.\"%s\": not an event kind "
				    "(first_response, vendor_update, ..., "
				    "none)",
				    path, key);
			rc = add_label(&m->state, &m->nstate, key, v);
		}
		if (rc != TSAM_OK)
			return tsam_errbuf_set(eb, rc, "%s: %s: %s", path,
					       sect[which], tsam_strerror(rc));
	}
	return TSAM_OK;
}

int tsam_mapping_load(struct tsam_mapping *m, const char *path,
		      struct tsam_errbuf *eb)
{
	json_object *doc;
	int rc = TSAM_OK;

	rc = tsam_json_load(path, MAPPING_MAX_FILE, &doc, eb);
	if (rc != TSAM_OK)
		return rc;
	json_object_object_foreach(doc, key, val)
	{
		if (rc != TSAM_OK)
			break;
		if (strcmp(key, "schema") == 0) {
			if (strcmp(json_object_get_string(val),
				   "tsamkit-mapping/1") != 0)
				rc = tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: schema is not tsamkit-mapping/1",
				    path);
		} else if (strcmp(key, "comment") == 0) {
			continue;
		} else if (strcmp(key, "cases") == 0) {
			rc = columns(m->case_cols, case_cols, TSAM_CASE_COLS,
				     val, path, key, eb);
		} else if (strcmp(key, "events") == 0) {
			rc = columns(m->event_cols, event_cols, TSAM_EVENT_COLS,
				     val, path, key, eb);
		} else if (strcmp(key, "encoding") == 0) {
			rc = set_str(&m->encoding, val, path, key, eb);
		} else if (strcmp(key, "time_format") == 0) {
			rc = set_str(&m->time_format, val, path, key, eb);
			if (rc == TSAM_OK &&
			    strcmp(m->time_format, "iso") != 0 &&
			    strstr(m->time_format, "%Y") == NULL)
				rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
						     "%s: time_format: needs "
						     "%%Y (or \"iso\")",
						     path);
		} else if (strcmp(key, "time_zone") == 0) {
			const char *z = json_object_get_string(val);

			tsam_tz_free(m->tz);
			m->tz = NULL;
			rc = tsam_tz_load(NULL, z ? z : "", &m->tz, eb);
			if (rc != TSAM_OK)
				rc = tsam_errbuf_set(eb, rc,
						     "%s: time_zone: %s", path,
						     tsam_errbuf_str(eb, rc));
		} else if (strcmp(key, "severity") == 0) {
			rc = labels(m, val, 0, path, eb);
		} else if (strcmp(key, "channel") == 0) {
			rc = labels(m, val, 1, path, eb);
		} else if (strcmp(key, "states") == 0) {
			rc = labels(m, val, 2, path, eb);
		} else if (strcmp(key, "email_starts_at_3") == 0) {
			m->email_starts_at_3 = json_object_get_boolean(val);
		} else {
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: unknown key \"%s\"", path,
					     key);
		}
	}
	json_object_put(doc);
	return rc;
}
