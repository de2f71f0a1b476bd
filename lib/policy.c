/* policy.c - SLA policy files: validation and overlay. */
#include "policy.h"

#include "json.h"
#include "str.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define POLICY_MAX_FILE (1024 * 1024)

static const char *tiers[] = {"standard", "premium", "platinum"};
static const char *targets[] = {"response", "update", "manager", "executive"};
static const char *services[] = {"sla", "tsam", "quarterly_review",
				 "health_check"};

/* Index of s in names[0..n), or -1. */
static int name_index(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; s != NULL && i < n; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

int tsam_tier_parse(const char *s)
{
	return name_index(tiers, TSAM_TIERS, s);
}

const char *tsam_tier_name(enum tsam_tier t)
{
	return tiers[t];
}

const char *tsam_target_name(enum tsam_target t)
{
	return targets[t];
}

const char *tsam_service_name(unsigned service)
{
	int i;

	for (i = 0; i < TSAM_SERVICES; i++)
		if (service == 1u << i)
			return services[i];
	return "";
}

void tsam_policy_services_default(unsigned out[TSAM_TIERS])
{
	out[TSAM_TIER_STANDARD] = 0;
	out[TSAM_TIER_PREMIUM] = TSAM_SERVICE_SLA;
	out[TSAM_TIER_PLATINUM] = TSAM_SERVICE_SLA | TSAM_SERVICE_TSAM |
				  TSAM_SERVICE_QUARTERLY_REVIEW |
				  TSAM_SERVICE_HEALTH_CHECK;
}

static int target_index(const char *s)
{
	return name_index(targets, TSAM_TARGETS, s);
}

static int severity_index(const char *s)
{
	if (s[0] >= '1' && s[0] <= '4' && s[1] == '\0')
		return s[0] - '1';
	return -1;
}

/* The longest target: 366 days, in each unit. */
#define POLICY_MAX_HOURS	 8784
#define POLICY_MAX_MINUTES	 (POLICY_MAX_HOURS * 60)
#define POLICY_MAX_BUSINESS_DAYS 366
#define POLICY_MAX_KEY		 64 /* of a key quoted in a message */

/* A contract wording: "daily", "every_business_day", or N hours ("24h")
 * or weeks ("1w"), N from 1 to 9999. */
static bool wording_ok(const char *w)
{
	size_t d = strspn(w, "0123456789");

	if (strcmp(w, "daily") == 0 || strcmp(w, "every_business_day") == 0)
		return true;
	return d >= 1 && d <= 4 && w[0] != '0' &&
	       (strcmp(w + d, "h") == 0 || strcmp(w + d, "w") == 0);
}

/* null, "any_time", or {hours|minutes|business_days, clock, as_written}. */
static int parse_spec(json_object *v, struct tsam_spec *out, const char *path,
		      const char *where, struct tsam_errbuf *eb)
{
	struct tsam_spec s = {TSAM_SPEC_DURATION, 0, 0, true, ""};
	char key[192];
	int units = 0, rc;

	if (v == NULL) {
		memset(out, 0, sizeof(*out));
		return TSAM_OK;
	}
	if (json_object_is_type(v, json_type_string)) {
		if (strcmp(json_object_get_string(v), "any_time") != 0)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: %s: a string target must be \"any_time\"",
			    path, where);
		memset(out, 0, sizeof(*out));
		out->kind = TSAM_SPEC_ANY_TIME;
		return TSAM_OK;
	}
	if (!json_object_is_type(v, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s: must be null, \"any_time\" or "
				       "{\"hours\": N, \"clock\": ...}",
				       path, where);
	json_object_object_foreach(v, k, val)
	{
		double d = 0;
		int64_t n = 0;

		snprintf(key, sizeof(key), "%s.%.*s", where, POLICY_MAX_KEY, k);
		if (strcmp(k, "clock") == 0) {
			const char *c = json_object_get_string(val);

			if (!json_object_is_type(val, json_type_string) ||
			    (strcmp(c, "24x7") != 0 &&
			     strcmp(c, "support") != 0))
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: %s: must be \"24x7\" or \"support\"",
				    path, key);
			s.support_clock = strcmp(c, "support") == 0;
			continue;
		}
		if (strcmp(k, "as_written") == 0) {
			const char *w = json_object_get_string(val);

			if (!json_object_is_type(val, json_type_string) ||
			    !wording_ok(w))
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: %s: must be \"daily\", "
				    "\"every_business_day\", or hours or weeks "
				    "as \"24h\", \"1w\"",
				    path, key);
			tsam_strlcpy(s.as_written, w, sizeof(s.as_written));
			continue;
		}
		if (strcmp(k, "hours") == 0) {
			rc = tsam_json_want_num(val, 0.01, POLICY_MAX_HOURS,
						path, key, &d, eb);
			s.seconds = (int64_t)llround(d * 3600);
		} else if (strcmp(k, "minutes") == 0) {
			rc = tsam_json_want_num(val, 1, POLICY_MAX_MINUTES,
						path, key, &d, eb);
			s.seconds = (int64_t)llround(d * 60);
		} else if (strcmp(k, "business_days") == 0) {
			rc =
			    tsam_json_want_int(val, 1, POLICY_MAX_BUSINESS_DAYS,
					       path, key, &n, eb);
			s.business_days = (int)n;
		} else {
			rc = tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: %s: unknown key \"%.*s\" (hours, minutes, "
			    "business_days, clock, as_written)",
			    path, where, POLICY_MAX_KEY, k);
		}
		if (rc != TSAM_OK)
			return rc;
		units++;
	}
	if (units != 1)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s: exactly one of hours, minutes, "
				       "business_days",
				       path, where);
	if (s.business_days > 0)
		s.support_clock = true;
	*out = s;
	return TSAM_OK;
}

static int parse_tiers(struct tsam_policy *p, json_object *t, const char *path,
		       struct tsam_errbuf *eb)
{
	char where[96];
	int rc;

	if ((rc = tsam_json_want_object(t, path, "tiers", eb)) != TSAM_OK)
		return rc;
	json_object_object_foreach(t, tk, tv)
	{
		int ti = tsam_tier_parse(tk);

		if (ti < 0)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: tiers.%.*s: unknown tier "
					       "(standard, premium, platinum)",
					       path, POLICY_MAX_KEY, tk);
		snprintf(where, sizeof(where), "tiers.%s", tk);
		if ((rc = tsam_json_want_object(tv, path, where, eb)) !=
		    TSAM_OK)
			return rc;
		json_object_object_foreach(tv, sk, sv)
		{
			int si = severity_index(sk);

			if (si < 0)
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: tiers.%s.%.*s: severities are \"1\" "
				    "to \"4\"",
				    path, tk, POLICY_MAX_KEY, sk);
			snprintf(where, sizeof(where), "tiers.%s.%s", tk, sk);
			if ((rc = tsam_json_want_object(sv, path, where, eb)) !=
			    TSAM_OK)
				return rc;
			json_object_object_foreach(sv, gk, gv)
			{
				int gi = target_index(gk);

				snprintf(where, sizeof(where),
					 "tiers.%s.%s.%.*s", tk, sk,
					 POLICY_MAX_KEY, gk);
				if (gi < 0)
					return tsam_errbuf_set(
					    eb, TSAM_ERR_PARSE,
					    "%s: %s: unknown target (response, "
					    "update, manager, executive)",
					    path, where);
				rc = parse_spec(gv, &p->spec[ti][si][gi], path,
						where, eb);
				if (rc != TSAM_OK)
					return rc;
			}
		}
	}
	return TSAM_OK;
}

/* credits.<what>s: a list of names into set[0..n), all others false. */
static int name_set(json_object *v, const char *const *names, int n, bool *set,
		    const char *path, const char *what, struct tsam_errbuf *eb)
{
	char where[64];
	const char *s;
	size_t i;
	int rc;

	snprintf(where, sizeof(where), "credits.%ss", what);
	if ((rc = tsam_json_want_array(v, 16, path, where, eb)) != TSAM_OK)
		return rc;
	memset(set, 0, (size_t)n * sizeof(*set));
	for (i = 0; i < json_object_array_length(v); i++) {
		int t;

		snprintf(where, sizeof(where), "credits.%ss[%zu]", what, i);
		rc = tsam_json_want_str(json_object_array_get_idx(v, i), 1,
					POLICY_MAX_KEY, path, where, &s, eb);
		if (rc != TSAM_OK)
			return rc;
		if ((t = name_index(names, n, s)) < 0)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: %s: unknown %s", path,
					       where, what);
		set[t] = true;
	}
	return TSAM_OK;
}

static int parse_credits(struct tsam_policy *p, json_object *c,
			 const char *path, struct tsam_errbuf *eb)
{
	char where[96];
	const char *s;
	int rc;

	if ((rc = tsam_json_want_object(c, path, "credits", eb)) != TSAM_OK)
		return rc;
	json_object_object_foreach(c, key, v)
	{
		if (strcmp(key, "comment") == 0) {
			rc = tsam_json_want_str(v, 0, SIZE_MAX, path,
						"credits.comment", &s, eb);
		} else if (strcmp(key, "tiers") == 0) {
			rc = name_set(v, tiers, TSAM_TIERS, p->credit_tier,
				      path, "tier", eb);
		} else if (strcmp(key, "targets") == 0) {
			rc = name_set(v, targets, TSAM_TARGETS,
				      p->credit_target, path, "target", eb);
		} else if (strcmp(key, "percent_per_miss") == 0) {
			rc = tsam_json_want_object(
			    v, path, "credits.percent_per_miss", eb);
			if (rc != TSAM_OK)
				return rc;
			json_object_object_foreach(v, k, val)
			{
				int si = severity_index(k);

				if (rc != TSAM_OK)
					break;
				snprintf(where, sizeof(where),
					 "credits.percent_per_miss.%.*s",
					 POLICY_MAX_KEY, k);
				if (si < 0)
					rc = tsam_errbuf_set(
					    eb, TSAM_ERR_PARSE,
					    "%s: %s: severities are \"1\" to "
					    "\"4\"",
					    path, where);
				else
					rc = tsam_json_want_num(
					    val, 0, 100, path, where,
					    &p->credit_percent[si], eb);
			}
		} else if (strcmp(key, "cap_percent") == 0) {
			rc = tsam_json_want_num(v, 0, 100, path,
						"credits.cap_percent",
						&p->credit_cap, eb);
		} else {
			rc = tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: credits: unknown key \"%.*s\" (tiers, "
			    "targets, percent_per_miss, cap_percent)",
			    path, POLICY_MAX_KEY, key);
		}
		if (rc != TSAM_OK)
			return rc;
	}
	return TSAM_OK;
}

/*
 * "services": {"<tier>": ["sla", ...], "comment": "..."}: each tier named
 * gets exactly the services listed; tiers not named keep theirs.
 */
static int parse_services(struct tsam_policy *p, json_object *v,
			  const char *path, struct tsam_errbuf *eb)
{
	char where[160];
	const char *s;
	size_t i;
	int rc, ti, k;

	if ((rc = tsam_json_want_object(v, path, "services", eb)) != TSAM_OK)
		return rc;
	json_object_object_foreach(v, key, list)
	{
		if (strcmp(key, "comment") == 0) {
			rc = tsam_json_want_str(list, 0, SIZE_MAX, path,
						"services.comment", &s, eb);
			if (rc != TSAM_OK)
				return rc;
			continue;
		}
		snprintf(where, sizeof(where), "services.%.*s", POLICY_MAX_KEY,
			 key);
		if ((ti = name_index(tiers, TSAM_TIERS, key)) < 0)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: %s: not a tier (standard, "
					       "premium, platinum)",
					       path, where);
		if ((rc = tsam_json_want_array(list, TSAM_SERVICES, path, where,
					       eb)) != TSAM_OK)
			return rc;
		p->services[ti] = 0;
		for (i = 0; i < json_object_array_length(list); i++) {
			snprintf(where, sizeof(where), "services.%.*s[%zu]",
				 POLICY_MAX_KEY, key, i);
			rc = tsam_json_want_str(
			    json_object_array_get_idx(list, i), 1,
			    POLICY_MAX_KEY, path, where, &s, eb);
			if (rc != TSAM_OK)
				return rc;
			if ((k = name_index(services, TSAM_SERVICES, s)) < 0)
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: %s: unknown service \"%s\" (sla, "
				    "tsam, quarterly_review, health_check)",
				    path, where, s);
			p->services[ti] |= 1u << k;
		}
	}
	return TSAM_OK;
}

enum tsam_err tsam_policy_load(struct tsam_policy *p, const char *path,
			       struct tsam_errbuf *eb)
{
	json_object *doc = NULL, *v = NULL;
	const char *s;
	int64_t days;
	int rc;

	rc = tsam_json_load_object(path, POLICY_MAX_FILE, &doc, eb);
	if (rc != TSAM_OK)
		return rc;
	json_object_object_get_ex(doc, "schema", &v);
	if (tsam_json_want_str(v, 1, 64, path, "schema", &s, NULL) != TSAM_OK ||
	    strcmp(s, "tsamkit-sla-policy/1") != 0)
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				     "%s: schema: must be "
				     "\"tsamkit-sla-policy/1\"",
				     path);
	json_object_object_foreach(doc, key, val)
	{
		if (rc != TSAM_OK)
			break;
		if (strcmp(key, "schema") == 0)
			continue;
		if (strcmp(key, "comment") == 0)
			rc = tsam_json_want_str(val, 0, SIZE_MAX, path, key, &s,
						eb);
		else if (strcmp(key, "tiers") == 0)
			rc = parse_tiers(p, val, path, eb);
		else if (strcmp(key, "credits") == 0)
			rc = parse_credits(p, val, path, eb);
		else if (strcmp(key, "services") == 0)
			rc = parse_services(p, val, path, eb);
		else if (strcmp(key, "severity3_raise_after_days") == 0) {
			rc = tsam_json_want_int(val, 1, 3650, path, key, &days,
						eb);
			if (rc == TSAM_OK)
				p->raise_after_days = (int)days;
		} else
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: unknown key \"%.*s\"", path,
					     POLICY_MAX_KEY, key);
	}
	json_object_put(doc);
	return rc;
}

enum tsam_err tsam_policy_default(struct tsam_policy *p, const char *datadir,
				  const char *overlay, struct tsam_errbuf *eb)
{
	char path[1024];
	int rc;

	memset(p, 0, sizeof(*p));
	p->raise_after_days = 30;
	tsam_policy_services_default(p->services);
	snprintf(path, sizeof(path), "%s/sla/policy.json", datadir);
	rc = tsam_policy_load(p, path, eb);
	if (rc == TSAM_OK && overlay != NULL)
		rc = tsam_policy_load(p, overlay, eb);
	return rc;
}

void tsam_spec_describe(const struct tsam_spec *s, char *out, size_t n)
{
	char w[TSAM_SPEC_WORDING + 16] = "";

	if (s->as_written[0] != '\0')
		snprintf(w, sizeof(w), ", as written: %s", s->as_written);
	switch (s->kind) {
	case TSAM_SPEC_NONE:
		snprintf(out, n, "none");
		break;
	case TSAM_SPEC_ANY_TIME:
		snprintf(out, n, "any time");
		break;
	case TSAM_SPEC_DURATION:
		if (s->business_days > 0)
			snprintf(
			    out, n, "%d business day%s%s%s%s", s->business_days,
			    s->business_days > 1 ? "s" : "", w[0] ? " (" : "",
			    w[0] ? w + 2 : "", w[0] ? ")" : "");
		else if (s->seconds % 3600 == 0)
			snprintf(out, n, "%lld h (%s%s)",
				 (long long)(s->seconds / 3600),
				 s->support_clock ? "support hours" : "24x7",
				 w);
		else
			snprintf(out, n, "%lld min (%s%s)",
				 (long long)(s->seconds / 60),
				 s->support_clock ? "support hours" : "24x7",
				 w);
		break;
	}
}
