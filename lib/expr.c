/* expr.c - compile and evaluate check expressions over facts. */
#include "expr.h"

#include "str.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum kind { K_CMP, K_ALL, K_ANY, K_NOT, K_QUANT, K_COUNT };

enum op {
	OP_EQ,
	OP_NE,
	OP_LT,
	OP_LE,
	OP_GT,
	OP_GE,
	OP_IN,
	OP_EXISTS,
	OP_MATCHES,
	OP_VLT,
	OP_VLE,
	OP_VGE,
	OP_VGT,
	OP_AGE_LE,
	OP_AGE_GT,
	OP_UNTIL_LE,
	OP_UNTIL_GT,
	OP_Q_ANY,
	OP_Q_ALL,
	OP_Q_NONE,
	OP_COUNT_GE,
	OP_COUNT_LE
};

static const struct {
	const char *name;
	enum op op;
} ops[] = {
    {"eq", OP_EQ},
    {"ne", OP_NE},
    {"lt", OP_LT},
    {"le", OP_LE},
    {"gt", OP_GT},
    {"ge", OP_GE},
    {"in", OP_IN},
    {"exists", OP_EXISTS},
    {"matches", OP_MATCHES},
    {"version_lt", OP_VLT},
    {"version_le", OP_VLE},
    {"version_ge", OP_VGE},
    {"version_gt", OP_VGT},
    {"age_le", OP_AGE_LE},
    {"age_gt", OP_AGE_GT},
    {"until_le", OP_UNTIL_LE},
    {"until_gt", OP_UNTIL_GT},
    {"any", OP_Q_ANY},
    {"all", OP_Q_ALL},
    {"none", OP_Q_NONE},
    {"count_ge", OP_COUNT_GE},
    {"count_le", OP_COUNT_LE},
};

struct tsam_expr {
	enum kind kind;
	enum op op;
	char *name; /* fact, or field inside "where" */
	bool field;
	json_object *value;	   /* a reference */
	pcre2_code *re;		   /* "matches": the pattern, or NULL */
	pcre2_match_context *mctx; /* ... and its limits */
	long seconds;
	struct tsam_expr **kids;
	size_t nkids;
	char *expected; /* "op value", made once: evaluation only reads */
};

void tsam_expr_free(struct tsam_expr *e)
{
	size_t i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nkids; i++)
		tsam_expr_free(e->kids[i]);
	free(e->kids);
	free(e->name);
	free(e->expected);
	json_object_put(e->value);
	pcre2_match_context_free(e->mctx);
	pcre2_code_free(e->re);
	free(e);
}

long tsam_duration_parse(const char *s)
{
	size_t n = strlen(s);
	uint64_t v;
	long mult;

	if (n < 2)
		return -1;
	switch (s[n - 1]) {
	case 's':
		mult = 1;
		break;
	case 'm':
		mult = 60;
		break;
	case 'h':
		mult = 3600;
		break;
	case 'd':
		mult = 86400;
		break;
	default:
		return -1;
	}
	if (tsam_cur_to_u64(tsam_cur_make(s, n - 1), 100000000, &v) != TSAM_OK)
		return -1;
	return (long)v * mult;
}

static int compile(json_object *j, const char *where, bool in_where,
		   struct tsam_expr **out, struct tsam_errbuf *eb);

static int compile_kids(json_object *arr, const char *where, bool in_where,
			struct tsam_expr *e, struct tsam_errbuf *eb)
{
	size_t i, n;
	int rc;

	if (!json_object_is_type(arr, json_type_array) ||
	    (n = json_object_array_length(arr)) == 0)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"all\"/\"any\" need a non-empty "
				       "array",
				       where);
	e->kids = calloc(n, sizeof(*e->kids));
	if (e->kids == NULL)
		return TSAM_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		rc = compile(json_object_array_get_idx(arr, i), where, in_where,
			     &e->kids[i], eb);
		if (rc != TSAM_OK)
			return rc;
		e->nkids++;
	}
	return TSAM_OK;
}

/*
 * Rule regexes are PCRE2 patterns, matched on bytes (no UTF mode, as
 * regcomp in the C locale), under limits that make any pattern safe on
 * any input: PCRE2 compiles a repetition once, not by copying what it
 * repeats (glibc's regcomp did: "(a{9}){9}" was 81 copies, and a fuzzed
 * "^x+++..." took gigabytes), and a match gives up after
 * REGEX_MATCH_LIMIT steps or REGEX_HEAP_LIMIT KiB of backtracking memory
 * - "(x+x+)+y" against a long run of x - with an error result, never a
 * hang. Patterns are at most REGEX_MAX_LEN bytes and nest groups at most
 * REGEX_MAX_NEST deep.
 */
#define REGEX_MAX_LEN	   1024
#define REGEX_MAX_NEST	   32
#define REGEX_MATCH_LIMIT  200000
#define REGEX_DEPTH_LIMIT  10000
#define REGEX_HEAP_LIMIT   4096 /* KiB */
#define EXPR_MAX_OFFENDING 100	/* items named as breaking all/none */

/* Compiles re into e (e->re, e->mctx), or says why not in eb. */
static int regex_compile(struct tsam_expr *e, const char *re, const char *where,
			 struct tsam_errbuf *eb)
{
	pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
	PCRE2_UCHAR msg[160];
	PCRE2_SIZE off = 0;
	int err = 0;

	if (cc == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	if (strlen(re) > REGEX_MAX_LEN) {
		pcre2_compile_context_free(cc);
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: bad regex '%.200s...': longer than "
				       "%d bytes",
				       where, re, REGEX_MAX_LEN);
	}
	pcre2_set_parens_nest_limit(cc, REGEX_MAX_NEST);
	e->re = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, 0, &err,
			      &off, cc);
	pcre2_compile_context_free(cc);
	if (e->re == NULL) {
		if (pcre2_get_error_message(err, msg, sizeof(msg)) < 0)
			snprintf((char *)msg, sizeof(msg), "error %d", err);
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: bad regex '%.200s': %s (at byte "
				       "%zu)",
				       where, re, (const char *)msg,
				       (size_t)off);
	}
	e->mctx = pcre2_match_context_create(NULL);
	if (e->mctx == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	pcre2_set_match_limit(e->mctx, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(e->mctx, REGEX_DEPTH_LIMIT);
	pcre2_set_heap_limit(e->mctx, REGEX_HEAP_LIMIT);
	return TSAM_OK;
}

/* Whether regex e matches s: pass, fail, or error when a limit stopped
 * the match. Safe on many threads at once (the match data is the
 * call's own). */
static enum tsam_verdict regex_match(const struct tsam_expr *e, const char *s,
				     size_t n)
{
	pcre2_match_data *md = pcre2_match_data_create(1, NULL);
	int rc;

	if (md == NULL)
		return TSAM_ERROR;
	rc = pcre2_match(e->re, (PCRE2_SPTR)s, n, 0, 0, md, e->mctx);
	pcre2_match_data_free(md);
	return rc >= 0			   ? TSAM_PASS
	       : rc == PCRE2_ERROR_NOMATCH ? TSAM_FAIL
					   : TSAM_ERROR;
}

static int compile_cmp(json_object *j, const char *where, bool in_where,
		       struct tsam_expr *e, struct tsam_errbuf *eb)
{
	const char *opname = tsam_json_str(j, "op");
	const char *fact = tsam_json_str(j, "fact");
	const char *field = tsam_json_str(j, "field");
	json_object *v = NULL, *w;
	size_t i;
	bool has_value = json_object_object_get_ex(j, "value", &v);

	json_object_object_foreach(j, key, val)
	{
		(void)val;
		if (strcmp(key, "op") && strcmp(key, "fact") &&
		    strcmp(key, "field") && strcmp(key, "value") &&
		    strcmp(key, "where"))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: unknown member \"%s\" in a "
					       "check",
					       where, key);
	}
	if (field != NULL && !in_where)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: \"field\" is only allowed inside "
				       "\"where\"",
				       where);
	if ((fact == NULL) == (field == NULL))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: a check needs one of \"fact\" or "
				       "\"field\"",
				       where);
	if (opname == NULL)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: check on '%s' has no \"op\"", where,
				       fact ? fact : field);
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(ops[i].name, opname) == 0)
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: unknown operator '%s'", where,
				       opname);
	e->op = ops[i].op;
	e->kind = K_CMP;
	e->field = field != NULL;
	e->name = strdup(fact ? fact : field);
	if (e->name == NULL)
		return TSAM_ERR_NOMEM;
	if (e->op == OP_EXISTS) {
		if (has_value)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: 'exists' takes no value",
					       where);
		return TSAM_OK;
	}
	if (e->op >= OP_Q_ANY) {
		bool count = e->op == OP_COUNT_GE || e->op == OP_COUNT_LE;
		e->kind = count ? K_COUNT : K_QUANT;
		if (json_object_object_get_ex(j, "where", &w)) {
			e->kids = calloc(1, sizeof(*e->kids));
			if (e->kids == NULL)
				return TSAM_ERR_NOMEM;
			e->nkids = 1;
			if (compile(w, where, true, &e->kids[0], eb) != TSAM_OK)
				return TSAM_ERR_PARSE;
		} else if (!count) {
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: '%s' needs \"where\"",
					       where, opname);
		}
		if (count &&
		    (!has_value || !json_object_is_type(v, json_type_int)))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: '%s' needs an integer "
					       "\"value\"",
					       where, opname);
		e->value = count ? json_object_get(v) : NULL;
		return TSAM_OK;
	}
	if (!has_value)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s: '%s' on '%s' needs a \"value\"",
				       where, opname, e->name);
	e->value = json_object_get(v);
	switch (e->op) {
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE:
		if (!json_object_is_type(v, json_type_int) &&
		    !json_object_is_type(v, json_type_double))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: '%s' needs a number", where,
					       opname);
		break;
	case OP_IN:
		if (!json_object_is_type(v, json_type_array))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: 'in' needs an array",
					       where);
		break;
	case OP_MATCHES: {
		int rc;

		if (!json_object_is_type(v, json_type_string))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: 'matches' needs a string",
					       where);
		if ((rc = regex_compile(e, json_object_get_string(v), where,
					eb)) != TSAM_OK)
			return rc;
		break;
	}
	case OP_VLT:
	case OP_VLE:
	case OP_VGE:
	case OP_VGT:
		if (!json_object_is_type(v, json_type_string))
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s: '%s' needs a version string", where, opname);
		break;
	case OP_AGE_LE:
	case OP_AGE_GT:
	case OP_UNTIL_LE:
	case OP_UNTIL_GT:
		if (!json_object_is_type(v, json_type_string) ||
		    (e->seconds =
			 tsam_duration_parse(json_object_get_string(v))) < 0)
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s: '%s' needs a duration like "
					       "\"24h\" or \"7d\"",
					       where, opname);
		break;
	default:
		break;
	}
	return TSAM_OK;
}

static int compile(json_object *j, const char *where, bool in_where,
		   struct tsam_expr **out, struct tsam_errbuf *eb)
{
	struct tsam_expr *e = calloc(1, sizeof(*e));
	json_object *v;
	int rc;

	*out = NULL;
	if (e == NULL)
		return TSAM_ERR_NOMEM;
	if (!json_object_is_type(j, json_type_object)) {
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				     "%s: a check is an object", where);
	} else if (json_object_object_get_ex(j, "all", &v)) {
		e->kind = K_ALL;
		rc = compile_kids(v, where, in_where, e, eb);
	} else if (json_object_object_get_ex(j, "any", &v)) {
		e->kind = K_ANY;
		rc = compile_kids(v, where, in_where, e, eb);
	} else if (json_object_object_get_ex(j, "not", &v)) {
		e->kind = K_NOT;
		e->kids = calloc(1, sizeof(*e->kids));
		rc = e->kids ? compile(v, where, in_where, &e->kids[0], eb)
			     : TSAM_ERR_NOMEM;
		if (rc == TSAM_OK)
			e->nkids = 1;
	} else {
		rc = compile_cmp(j, where, in_where, e, eb);
	}
	if (rc == TSAM_OK && e->kind != K_CMP && e->kind != K_QUANT &&
	    e->kind != K_COUNT && json_object_object_length(j) != 1)
		rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				     "%s: \"all\", \"any\" and \"not\" stand "
				     "alone in their object",
				     where);
	if (rc != TSAM_OK) {
		tsam_expr_free(e);
		return rc;
	}
	*out = e;
	return TSAM_OK;
}

static const char *op_name(enum op op)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (ops[i].op == op)
			return ops[i].name;
	return "?";
}

/*
 * Writes every node's expectation text ("ge 2.5") once, so that
 * evaluation never serialises the shared value (json-c caches the text in
 * the object: a write) and rules can be evaluated on several threads.
 */
static int prepare(struct tsam_expr *e)
{
	char exp[256];
	size_t i;

	for (i = 0; i < e->nkids; i++)
		if (prepare(e->kids[i]) != TSAM_OK)
			return TSAM_ERR_NOMEM;
	snprintf(exp, sizeof(exp), "%s%s%s", op_name(e->op),
		 e->value ? " " : "",
		 e->value ? json_object_to_json_string_ext(
				e->value, JSON_C_TO_STRING_PLAIN)
			  : "");
	e->expected = strdup(exp);
	return e->expected ? TSAM_OK : TSAM_ERR_NOMEM;
}

enum tsam_err tsam_expr_compile(json_object *j, const char *where,
				struct tsam_expr **out, struct tsam_errbuf *eb)
{
	int rc = compile(j, where, false, out, eb);

	if (rc == TSAM_OK && prepare(*out) != TSAM_OK) {
		tsam_expr_free(*out);
		*out = NULL;
		return tsam_errbuf_set(eb, TSAM_ERR_NOMEM, "out of memory");
	}
	return rc;
}

bool tsam_expr_refers(const struct tsam_expr *e, const char *prefix)
{
	size_t i;

	if (e == NULL)
		return false;
	if (e->name != NULL && !e->field &&
	    strncmp(e->name, prefix, strlen(prefix)) == 0)
		return true;
	for (i = 0; i < e->nkids; i++)
		if (tsam_expr_refers(e->kids[i], prefix))
			return true;
	return false;
}

/* ---- evaluation --------------------------------------------------------- */

/* Notes the first failing or missing comparison; true when this one. */
static bool note(const struct tsam_expr *e, json_object *v,
		 json_object **observed)
{
	json_object *o;

	if (observed == NULL || *observed != NULL)
		return false;
	o = json_object_new_object();
	tsam_json_add_str(o, "fact", e->name);
	json_object_object_add(o, "observed", v ? json_object_get(v) : NULL);
	tsam_json_add_str(o, "expected", e->expected);
	*observed = o;
	return true;
}

static bool is_number(json_object *v)
{
	return json_object_is_type(v, json_type_int) ||
	       json_object_is_type(v, json_type_double);
}

static enum tsam_verdict eval(const struct tsam_expr *e, json_object *facts,
			      json_object *item, time_t collected,
			      json_object **observed);

static enum tsam_verdict eval_cmp(const struct tsam_expr *e, json_object *v,
				  time_t collected)
{
	size_t i;
	int c;

	switch (e->op) {
	case OP_EQ:
		return json_object_equal(v, e->value) ? TSAM_PASS : TSAM_FAIL;
	case OP_NE:
		return json_object_equal(v, e->value) ? TSAM_FAIL : TSAM_PASS;
	case OP_LT:
	case OP_LE:
	case OP_GT:
	case OP_GE: {
		double a, b;
		if (!is_number(v))
			return TSAM_ERROR;
		a = json_object_get_double(v);
		b = json_object_get_double(e->value);
		c = a < b ? -1 : a > b;
		break;
	}
	case OP_IN:
		for (i = 0; i < json_object_array_length(e->value); i++)
			if (json_object_equal(
				v, json_object_array_get_idx(e->value, i)))
				return TSAM_PASS;
		return TSAM_FAIL;
	case OP_MATCHES:
		if (!json_object_is_type(v, json_type_string))
			return TSAM_ERROR;
		return regex_match(e, json_object_get_string(v),
				   (size_t)json_object_get_string_len(v));
	case OP_VLT:
	case OP_VLE:
	case OP_VGE:
	case OP_VGT:
		if (!json_object_is_type(v, json_type_string))
			return TSAM_ERROR;
		c = tsam_version_cmp(json_object_get_string(v),
				     json_object_get_string(e->value));
		break;
	case OP_AGE_LE:
	case OP_AGE_GT:
	case OP_UNTIL_LE:
	case OP_UNTIL_GT: {
		time_t t;
		long d;
		if (!json_object_is_type(v, json_type_string) ||
		    (t = tsam_time_parse(json_object_get_string(v))) < 0)
			return TSAM_ERROR;
		/* relative to the collection, never "now": the age of t, or
		 * the time left until t (negative once past) */
		d = e->op == OP_AGE_LE || e->op == OP_AGE_GT
			? (long)(collected - t)
			: (long)(t - collected);
		return (e->op == OP_AGE_LE || e->op == OP_UNTIL_LE) ==
			       (d <= e->seconds)
			   ? TSAM_PASS
			   : TSAM_FAIL;
	}
	default:
		return TSAM_ERROR;
	}
	switch (e->op) {
	case OP_LT:
	case OP_VLT:
		return c < 0 ? TSAM_PASS : TSAM_FAIL;
	case OP_LE:
	case OP_VLE:
		return c <= 0 ? TSAM_PASS : TSAM_FAIL;
	case OP_GT:
	case OP_VGT:
		return c > 0 ? TSAM_PASS : TSAM_FAIL;
	default:
		return c >= 0 ? TSAM_PASS : TSAM_FAIL;
	}
}

/*
 * After an "all" or "none" failed and noted the list: the indexes of the
 * items that broke it (an item "all" did not pass, one "none" matched),
 * the first EXPR_MAX_OFFENDING, so a report names those before the rest.
 */
static void note_offending(const struct tsam_expr *e, json_object *facts,
			   json_object *list, time_t collected,
			   json_object *observed)
{
	json_object *a;
	size_t i, n = json_object_array_length(list);

	if ((a = json_object_new_array()) == NULL)
		return;
	for (i = 0; i < n && json_object_array_length(a) < EXPR_MAX_OFFENDING;
	     i++) {
		bool matched =
		    e->nkids == 0 ||
		    eval(e->kids[0], facts, json_object_array_get_idx(list, i),
			 collected, NULL) == TSAM_PASS;

		if (matched == (e->op == OP_Q_NONE))
			json_object_array_add(
			    a, json_object_new_int64((int64_t)i));
	}
	json_object_object_add(observed, "offending", a);
}

static enum tsam_verdict eval(const struct tsam_expr *e, json_object *facts,
			      json_object *item, time_t collected,
			      json_object **observed)
{
	enum tsam_verdict r, acc;
	json_object *v = NULL;
	size_t i, n, count = 0;

	switch (e->kind) {
	case K_ALL:
	case K_ANY:
		acc = e->kind == K_ALL ? TSAM_PASS : TSAM_FAIL;
		for (i = 0; i < e->nkids; i++) {
			r = eval(e->kids[i], facts, item, collected, observed);
			if (e->kind == K_ALL && r == TSAM_FAIL)
				return TSAM_FAIL;
			if (e->kind == K_ANY && r == TSAM_PASS)
				return TSAM_PASS;
			if (r == TSAM_ERROR)
				acc = TSAM_ERROR;
		}
		return acc;
	case K_NOT:
		r = eval(e->kids[0], facts, item, collected, NULL);
		if (r == TSAM_ERROR)
			return TSAM_ERROR;
		return r == TSAM_PASS ? TSAM_FAIL : TSAM_PASS;
	default:
		break;
	}
	json_object_object_get_ex(e->field ? item : facts, e->name, &v);
	if (e->kind == K_CMP) {
		if (e->op == OP_EXISTS)
			r = v != NULL ? TSAM_PASS : TSAM_FAIL;
		else
			r = v == NULL ? TSAM_ERROR : eval_cmp(e, v, collected);
		if (r != TSAM_PASS)
			note(e, v, observed);
		return r;
	}
	if (v == NULL || !json_object_is_type(v, json_type_array)) {
		note(e, v, observed);
		return TSAM_ERROR;
	}
	n = json_object_array_length(v);
	for (i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(v, i);
		if (e->nkids == 0 ||
		    eval(e->kids[0], facts, it, collected, NULL) == TSAM_PASS)
			count++;
	}
	switch (e->op) {
	case OP_Q_ANY:
		r = count > 0 ? TSAM_PASS : TSAM_FAIL;
		break;
	case OP_Q_ALL:
		r = count == n ? TSAM_PASS : TSAM_FAIL;
		break;
	case OP_Q_NONE:
		r = count == 0 ? TSAM_PASS : TSAM_FAIL;
		break;
	case OP_COUNT_GE:
		r = (int64_t)count >= json_object_get_int64(e->value)
			? TSAM_PASS
			: TSAM_FAIL;
		break;
	default:
		r = (int64_t)count <= json_object_get_int64(e->value)
			? TSAM_PASS
			: TSAM_FAIL;
		break;
	}
	if (r != TSAM_PASS && note(e, v, observed) &&
	    (e->op == OP_Q_ALL || e->op == OP_Q_NONE))
		note_offending(e, facts, v, collected, *observed);
	return r;
}

enum tsam_verdict tsam_expr_eval(const struct tsam_expr *e, json_object *facts,
				 time_t collected, json_object **observed)
{
	enum tsam_verdict r;

	if (observed != NULL)
		*observed = NULL;
	r = eval(e, facts, NULL, collected, observed);
	if (r == TSAM_PASS && observed != NULL && *observed != NULL) {
		/* a branch of "any" noted before another passed */
		json_object_put(*observed);
		*observed = NULL;
	}
	return r;
}
