/* policy.c - SLA policy files: validation and overlay. */
#include "policy.h"

#include "json.h"

#include <stdio.h>
#include <string.h>

#define POLICY_MAX_FILE (1024 * 1024)

static const char *tiers[] = {"standard", "premium", "platinum"};
static const char *targets[] = {"response", "update", "manager", "executive"};

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

/* null, "any_time", or {hours|minutes|business_days, clock}. */
static int parse_spec(json_object *v, struct tsam_spec *out, const char *path,
		      const char *where, struct tsam_errbuf *eb)
{
	struct tsam_spec s = {TSAM_SPEC_DURATION, 0, 0, true};
	int units = 0;

	if (v == NULL) {
		memset(out, 0, sizeof(*out));
		return TSAM_OK;
	}
	if (json_object_is_type(v, json_type_string)) {
		if (strcmp(json_object_get_string(v), "any_time") != 0)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: %s: \"%s\" is not \"any_time\", null or a "
			    "duration object",
			    path, where, json_object_get_string(v));
		memset(out, 0, sizeof(*out));
		out->kind = TSAM_SPEC_ANY_TIME;
		return TSAM_OK;
	}
	if (!json_object_is_type(v, json_type_object))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: %s: expected null, \"any_time\" or "
				       "{\"hours\": N, \"clock\": ...}",
				       path, where);
	json_object_object_foreach(v, key, val)
	{
		double d = json_object_get_double(val);

		if (strcmp(key, "clock") == 0) {
			const char *c = json_object_get_string(val);

			if (c != NULL && strcmp(c, "24x7") == 0)
				s.support_clock = false;
			else if (c != NULL && strcmp(c, "support") == 0)
				s.support_clock = true;
			else
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: %s.clock: \"24x7\" or \"support\"",
				    path, where);
			continue;
		}
		if (!json_object_is_type(val, json_type_int) &&
		    !json_object_is_type(val, json_type_double))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: %s.%s: not a number", path,
					       where, key);
		if (d <= 0 || d > 24 * 366)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: %s.%s: out of range", path,
					       where, key);
		if (strcmp(key, "hours") == 0)
			s.seconds = (int64_t)(d * 3600);
		else if (strcmp(key, "minutes") == 0)
			s.seconds = (int64_t)(d * 60);
		else if (strcmp(key, "business_days") == 0 &&
			 json_object_is_type(val, json_type_int))
			s.business_days = (int)d;
		else
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: %s: unknown key \"%s\" (hours, minutes, "
			    "business_days as a whole number, clock)",
			    path, where, key);
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

	json_object_object_foreach(t, tk, tv)
	{
		int ti = tsam_tier_parse(tk);

		if (ti < 0 || !json_object_is_type(tv, json_type_object))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: tiers.%s: unknown tier "
					       "(standard, premium, platinum)",
					       path, tk);
		json_object_object_foreach(tv, sk, sv)
		{
			int si = severity_index(sk);

			if (si < 0 ||
			    !json_object_is_type(sv, json_type_object))
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: tiers.%s.%s: severities are \"1\".."
				    "\"4\" with an object of targets",
				    path, tk, sk);
			json_object_object_foreach(sv, gk, gv)
			{
				int gi = target_index(gk);

				snprintf(where, sizeof(where), "tiers.%s.%s.%s",
					 tk, sk, gk);
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
	size_t i;

	memset(set, 0, (size_t)n * sizeof(*set));
	for (i = 0; i < json_object_array_length(v); i++) {
		int t = name_index(
		    names, n,
		    json_object_get_string(json_object_array_get_idx(v, i)));

		if (t < 0)
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: credits.%ss[%zu]: unknown %s", path, what, i,
			    what);
		set[t] = true;
	}
	return TSAM_OK;
}

static int parse_credits(struct tsam_policy *p, json_object *c,
			 const char *path, struct tsam_errbuf *eb)
{
	json_object *v;
	int rc;

	if (json_object_object_get_ex(c, "tiers", &v) &&
	    (rc = name_set(v, tiers, TSAM_TIERS, p->credit_tier, path, "tier",
			   eb)) != TSAM_OK)
		return rc;
	if (json_object_object_get_ex(c, "targets", &v) &&
	    (rc = name_set(v, targets, TSAM_TARGETS, p->credit_target, path,
			   "target", eb)) != TSAM_OK)
		return rc;
	if (json_object_object_get_ex(c, "percent_per_miss", &v)) {
		json_object_object_foreach(v, k, val)
		{
			int si = severity_index(k);
			double d = json_object_get_double(val);

			if (si < 0 || d < 0 || d > 100)
				return tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s: credits.percent_per_miss.%s: "
				    "severity 1-4 with a percentage 0-100",
				    path, k);
			p->credit_percent[si] = d;
		}
	}
	if (json_object_object_get_ex(c, "cap_percent", &v)) {
		p->credit_cap = json_object_get_double(v);
		if (p->credit_cap < 0 || p->credit_cap > 100)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: credits.cap_percent: 0-100",
					       path);
	}
	return TSAM_OK;
}

int tsam_policy_load(struct tsam_policy *p, const char *path,
		     struct tsam_errbuf *eb)
{
	json_object *doc, *v;
	const char *schema;
	int rc = TSAM_OK;

	rc = tsam_json_load(path, POLICY_MAX_FILE, &doc, eb);
	if (rc != TSAM_OK)
		return rc;
	schema = tsam_json_str(doc, "schema");
	if (schema != NULL && strcmp(schema, "tsamkit-sla-policy/1") != 0)
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				     "%s: schema \"%s\" is not "
				     "tsamkit-sla-policy/1",
				     path, schema);
	json_object_object_foreach(doc, key, val)
	{
		(void)val;
		if (rc == TSAM_OK && strcmp(key, "schema") != 0 &&
		    strcmp(key, "comment") != 0 && strcmp(key, "tiers") != 0 &&
		    strcmp(key, "credits") != 0 &&
		    strcmp(key, "severity3_raise_after_days") != 0)
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: unknown key \"%s\"", path,
					     key);
	}
	if (rc == TSAM_OK && json_object_object_get_ex(doc, "tiers", &v))
		rc = json_object_is_type(v, json_type_object)
			 ? parse_tiers(p, v, path, eb)
			 : tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					   "%s: tiers: not an object", path);
	if (rc == TSAM_OK && json_object_object_get_ex(doc, "credits", &v))
		rc = parse_credits(p, v, path, eb);
	if (rc == TSAM_OK &&
	    json_object_object_get_ex(doc, "severity3_raise_after_days", &v)) {
		p->raise_after_days = json_object_get_int(v);
		if (p->raise_after_days < 1 || p->raise_after_days > 3650)
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s: severity3_raise_after_days: "
					     "1-3650",
					     path);
	}
	json_object_put(doc);
	return rc;
}

int tsam_policy_default(struct tsam_policy *p, const char *datadir,
			const char *overlay, struct tsam_errbuf *eb)
{
	char path[1024];
	int rc;

	memset(p, 0, sizeof(*p));
	p->raise_after_days = 30;
	snprintf(path, sizeof(path), "%s/sla/policy.json", datadir);
	rc = tsam_policy_load(p, path, eb);
	if (rc == TSAM_OK && overlay != NULL)
		rc = tsam_policy_load(p, overlay, eb);
	return rc;
}

void tsam_spec_describe(const struct tsam_spec *s, char *out, size_t n)
{
	switch (s->kind) {
	case TSAM_SPEC_NONE:
		snprintf(out, n, "none");
		break;
	case TSAM_SPEC_ANY_TIME:
		snprintf(out, n, "any time");
		break;
	case TSAM_SPEC_DURATION:
		if (s->business_days > 0)
			snprintf(out, n, "%d business day%s", s->business_days,
				 s->business_days > 1 ? "s" : "");
		else if (s->seconds % 3600 == 0)
			snprintf(out, n, "%lld h (%s)",
				 (long long)(s->seconds / 3600),
				 s->support_clock ? "support hours" : "24x7");
		else
			snprintf(out, n, "%lld min (%s)",
				 (long long)(s->seconds / 60),
				 s->support_clock ? "support hours" : "24x7");
		break;
	}
}
