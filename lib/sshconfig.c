/*
 * sshconfig.c - ssh_config(5) read as OpenSSH's readconf.c reads it, for
 * the keywords tsamkit acts on (sshconfig.h).
 *
 * The files become one list of items in reading order (Include expanded
 * where it stands): a block header (Host or Match) or an option. Every
 * option belongs to the block header in force where it was read, and a
 * header read inside an included file also to the block the Include stood
 * in. Resolving a host walks the items once: a header is judged when it
 * is reached (Match host sees the HostName set so far, as OpenSSH's does),
 * an option applies when its block does, and the first value of a keyword
 * is kept.
 *
 * Size: one file, as OpenSSH's readconf.c: the reader, the Host/Match
 * evaluation and the token expansion share the item list and must agree on
 * first-value-wins; most of it is the keyword table and its comments.
 */
#include "sshconfig.h"

#include "buf.h"
#include "fsio.h"
#include "str.h"

#include <ctype.h>
#include <fnmatch.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define MAX_DEPTH   16	       /* Include nesting, as OpenSSH */
#define MAX_FILE    (1u << 20) /* one config file */
#define MAX_ARGS    64	       /* arguments of one line */
#define MAX_ITEMS   100000     /* lines of every file together */
#define VALUE_BYTES 4096       /* one expanded value */

enum item_kind { I_HOST, I_MATCH, I_OPTION };

struct item {
	enum item_kind kind;
	char *key; /* lower case: the keyword, "host" or "match" */
	char **args;
	size_t nargs;
	size_t block;	  /* the header in force: index + 1; 0 none */
	size_t outer;	  /* for a header: the block its Include stood in */
	bool cannot;	  /* a Match criterion that cannot be evaluated */
	const char *file; /* into c->files */
	size_t line;
};

struct tsam_sshconfig {
	struct item *v;
	size_t n, cap;
	char **files;
	size_t nfiles, fcap;
	struct tsam_strlist notes;
};

static void item_free(struct item *it)
{
	size_t i;

	free(it->key);
	for (i = 0; i < it->nargs; i++)
		free(it->args[i]);
	free(it->args);
}

void tsam_sshconfig_free(struct tsam_sshconfig *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		item_free(&c->v[i]);
	free(c->v);
	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	tsam_strlist_free(&c->notes);
	free(c);
}

/* Splits a line into its keyword and arguments (ssh_config's rules:
 * "Keyword value", "Keyword=value", double quotes keep blanks). Returns
 * the argument count, or -1 for an unterminated quote. */
static int split(struct tsam_cur line, char **argv, size_t max)
{
	size_t n = 0;
	bool first = true;

	for (;;) {
		struct tsam_buf tok;
		bool quoted = false;

		while (line.n > 0 && (line.p[0] == ' ' || line.p[0] == '\t' ||
				      (line.p[0] == '=' && !first && n == 1)))
			line.p++, line.n--;
		if (line.n == 0 || n >= max)
			break;
		tsam_buf_init(&tok, VALUE_BYTES);
		while (line.n > 0) {
			char ch = line.p[0];
			if (ch == '"') {
				quoted = !quoted;
				line.p++, line.n--;
				continue;
			}
			if (!quoted &&
			    (ch == ' ' || ch == '\t' || (first && ch == '=')))
				break;
			if (tsam_buf_add(&tok, &ch, 1) != TSAM_OK)
				break;
			line.p++, line.n--;
		}
		if (quoted) { /* nothing is the caller's on error */
			tsam_buf_free(&tok);
			while (n > 0)
				free(argv[--n]);
			return -1;
		}
		argv[n++] = tsam_buf_take(&tok, NULL);
		if (argv[n - 1] == NULL)
			argv[n - 1] = strdup("");
		if (first && line.n > 0 && line.p[0] == '=') {
			line.p++, line.n--;
		}
		first = false;
	}
	return (int)n;
}

static const char *keep_file(struct tsam_sshconfig *c, const char *path)
{
	char *copy = strdup(path);

	if (copy == NULL || tsam_grow(&c->files, &c->fcap, c->nfiles + 1,
				      sizeof(*c->files)) != TSAM_OK) {
		free(copy);
		return NULL;
	}
	c->files[c->nfiles++] = copy;
	return copy;
}

static int parse_file(struct tsam_sshconfig *c, const char *path,
		      const char *incdir, size_t block, int depth,
		      bool required, struct tsam_errbuf *eb);

/* Include: each argument (~ expanded; relative to incdir), globbed. */
static int include(struct tsam_sshconfig *c, struct item *it,
		   const char *incdir, size_t block, int depth,
		   struct tsam_errbuf *eb)
{
	size_t i;
	int rc = TSAM_OK;

	if (depth >= MAX_DEPTH)
		return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
				       "%s:%zu: Include nested more than %d "
				       "deep (a loop?)",
				       it->file, it->line, MAX_DEPTH);
	for (i = 0; rc == TSAM_OK && i < it->nargs; i++) {
		char pat[4096];
		glob_t g;
		size_t k;
		const char *a = it->args[i];
		const char *home = getenv("HOME");

		if (a[0] == '~' && (a[1] == '/' || a[1] == '\0'))
			snprintf(pat, sizeof(pat), "%s%s", home ? home : "",
				 a + 1);
		else if (a[0] == '/')
			snprintf(pat, sizeof(pat), "%s", a);
		else
			snprintf(pat, sizeof(pat), "%s/%s", incdir, a);
		memset(&g, 0, sizeof(g));
		if (glob(pat, 0, NULL, &g) != 0) {
			globfree(&g);
			continue; /* nothing there: as OpenSSH, no error */
		}
		for (k = 0; rc == TSAM_OK && k < g.gl_pathc; k++)
			rc = parse_file(c, g.gl_pathv[k], incdir, block,
					depth + 1, false, eb);
		globfree(&g);
	}
	return rc;
}

static int parse_file(struct tsam_sshconfig *c, const char *path,
		      const char *incdir, size_t block, int depth,
		      bool required, struct tsam_errbuf *eb)
{
	struct tsam_buf b;
	struct tsam_cur all, line;
	const char *file;
	size_t lineno = 0, cur = block;
	int rc;

	tsam_buf_init(&b, MAX_FILE);
	rc = tsam_fsio_read(path, &b, eb);
	if (rc == TSAM_ERR_NOTFOUND && !required) {
		rc = TSAM_OK; /* an optional file that is not there */
		goto out;
	}
	if (rc != TSAM_OK)
		goto out;
	if ((file = keep_file(c, path)) == NULL) {
		rc = TSAM_ERR_NOMEM;
		goto out;
	}
	all = tsam_cur_make(b.data ? b.data : "", b.len);
	while (rc == TSAM_OK && tsam_cur_getline(&all, &line)) {
		char *argv[MAX_ARGS + 1];
		struct item it;
		int argc, k;

		lineno++;
		tsam_cur_trim(&line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		if (!tsam_utf8_valid(line.p, line.n)) {
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s:%zu: not valid UTF-8", path,
					     lineno);
			break;
		}
		argc = split(line, argv, MAX_ARGS);
		if (argc < 0) {
			rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					     "%s:%zu: unterminated quote", path,
					     lineno);
			break;
		}
		if (argc == 0)
			continue;
		memset(&it, 0, sizeof(it));
		for (k = 0; argv[0][k]; k++)
			argv[0][k] = (char)tolower((unsigned char)argv[0][k]);
		it.key = argv[0];
		it.args = malloc(((size_t)argc) * sizeof(char *));
		if (it.args == NULL) {
			for (k = 0; k < argc; k++)
				free(argv[k]);
			rc = TSAM_ERR_NOMEM;
			break;
		}
		for (k = 1; k < argc; k++)
			it.args[k - 1] = argv[k];
		it.nargs = (size_t)argc - 1;
		it.file = file;
		it.line = lineno;
		if (strcmp(it.key, "host") == 0 ||
		    strcmp(it.key, "match") == 0) {
			it.kind = it.key[0] == 'h' ? I_HOST : I_MATCH;
			it.outer = block;
			if (it.nargs == 0) {
				rc = tsam_errbuf_set(
				    eb, TSAM_ERR_PARSE,
				    "%s:%zu: %s without patterns", path, lineno,
				    it.kind == I_HOST ? "Host" : "Match");
				item_free(&it);
				break;
			}
		} else {
			it.kind = I_OPTION;
			it.block = cur;
			if (it.nargs == 0) {
				rc = tsam_errbuf_set(eb, TSAM_ERR_PARSE,
						     "%s:%zu: '%s' without a "
						     "value",
						     path, lineno, it.key);
				item_free(&it);
				break;
			}
		}
		if (c->n >= MAX_ITEMS || tsam_grow(&c->v, &c->cap, c->n + 1,
						   sizeof(*c->v)) != TSAM_OK) {
			item_free(&it);
			rc = tsam_errbuf_set(eb, TSAM_ERR_TOOBIG,
					     "%s:%zu: too many lines", path,
					     lineno);
			break;
		}
		c->v[c->n++] = it;
		if (it.kind != I_OPTION) {
			cur = c->n; /* this header governs what follows */
		} else if (strcmp(it.key, "include") == 0) {
			struct item inc = c->v[c->n - 1];
			rc = include(c, &inc, incdir, cur, depth, eb);
		}
	}
out:
	tsam_buf_free(&b);
	return rc;
}

enum tsam_err tsam_sshconfig_load(const char *const *paths, size_t n,
				  bool required, const char *home,
				  struct tsam_sshconfig **out,
				  struct tsam_errbuf *eb)
{
	struct tsam_sshconfig *c = calloc(1, sizeof(*c));
	char userdir[4096];
	size_t i;
	int rc = TSAM_OK;

	*out = NULL;
	if (c == NULL)
		return TSAM_ERR_NOMEM;
	snprintf(userdir, sizeof(userdir), "%s/.ssh", home ? home : "");
	for (i = 0; rc == TSAM_OK && i < n; i++) {
		/* OpenSSH: the system file's Includes are relative to
		 * /etc/ssh, a user file's to ~/.ssh */
		const char *incdir = strncmp(paths[i], "/etc/ssh/", 9) == 0
					 ? "/etc/ssh"
					 : userdir;
		rc = parse_file(c, paths[i], incdir, 0, 0, required, eb);
	}
	if (rc != TSAM_OK) {
		tsam_sshconfig_free(c);
		return rc;
	}
	*out = c;
	return TSAM_OK;
}

/* One pattern against s, case-insensitively (* and ?). */
static bool pattern(const char *pat, const char *s)
{
	char p[1024], t[1024];
	size_t i;

	for (i = 0; pat[i] && i + 1 < sizeof(p); i++)
		p[i] = (char)tolower((unsigned char)pat[i]);
	p[i] = '\0';
	for (i = 0; s[i] && i + 1 < sizeof(t); i++)
		t[i] = (char)tolower((unsigned char)s[i]);
	t[i] = '\0';
	return fnmatch(p, t, 0) == 0;
}

/*
 * A comma-separated pattern list (Match host a,b,!c), or the patterns
 * pats[0..n) of a Host line: true when one positive pattern matches and
 * no negated one does.
 */
static bool list_match(char **pats, size_t n, bool commas, const char *s)
{
	bool hit = false;
	size_t i;

	for (i = 0; i < n; i++) {
		char buf[1024];
		const char *p = pats[i];

		while (*p) {
			size_t len = commas ? strcspn(p, ",") : strlen(p);
			bool neg = *p == '!';

			snprintf(buf, sizeof(buf), "%.*s",
				 (int)(len - (neg ? 1 : 0)), p + (neg ? 1 : 0));
			if (buf[0] != '\0' && pattern(buf, s)) {
				if (neg)
					return false;
				hit = true;
			}
			p += len;
			if (*p == ',')
				p++;
		}
	}
	return hit;
}

/* The state of a resolution, for Match and the tokens. */
struct state {
	const struct tsam_sshconfig *c;
	const char *host; /* as given */
	const char *user; /* the command line's or inventory's */
	const char *local_user;
	const char *home;
	struct tsam_sshhost *h;
	bool *active; /* per item: a header's verdict */
};

static const char *current_user(const struct state *st)
{
	return st->user ? st->user
			: (st->h->user ? st->h->user : st->local_user);
}

/* Judges a Match line (all items: every criterion must hold). */
static bool match_line(const struct state *st, const struct item *it)
{
	size_t i = 0;
	bool all = true;

	while (i < it->nargs) {
		const char *crit = it->args[i];
		bool neg = crit[0] == '!', hit;
		const char *name = crit + (neg ? 1 : 0);

		if (strcasecmp(name, "all") == 0) {
			hit = true;
			i++;
		} else if (i + 1 < it->nargs &&
			   (strcasecmp(name, "host") == 0 ||
			    strcasecmp(name, "originalhost") == 0 ||
			    strcasecmp(name, "user") == 0 ||
			    strcasecmp(name, "localuser") == 0)) {
			const char *subject =
			    strcasecmp(name, "host") == 0
				? (st->h->hostname ? st->h->hostname : st->host)
			    : strcasecmp(name, "originalhost") == 0 ? st->host
			    : strcasecmp(name, "user") == 0 ? current_user(st)
							    : st->local_user;
			hit = list_match(&it->args[i + 1], 1, true, subject);
			i += 2;
		} else {
			return false; /* exec, canonical ...: cannot say */
		}
		if (neg)
			hit = !hit;
		all = all && hit;
	}
	return all;
}

/* Expands ~ and %-tokens of value into out; hostname_only: HostName's
 * own expansion (%h is the name as given, %% only). */
static int expand(const struct state *st, const struct item *it,
		  const char *value, bool hostname_only, char *out,
		  size_t outsz, struct tsam_errbuf *eb)
{
	char lhost[256] = "", port[16], uid[24];
	size_t o = 0;
	const char *p = value;

	if (gethostname(lhost, sizeof(lhost) - 1) != 0)
		lhost[0] = '\0';
	snprintf(port, sizeof(port), "%u", st->h->port ? st->h->port : 22);
	snprintf(uid, sizeof(uid), "%u", (unsigned)getuid());
	if (!hostname_only && p[0] == '~' && (p[1] == '/' || p[1] == '\0')) {
		o = (size_t)snprintf(out, outsz, "%s",
				     st->home ? st->home : "");
		p++;
	}
	for (; *p && o + 1 < outsz; p++) {
		const char *sub = NULL;
		char one[2] = {0, 0}, shortl[256];

		if (*p != '%') {
			out[o++] = *p;
			continue;
		}
		p++;
		switch (*p) {
		case '%':
			sub = "%";
			break;
		case 'h':
			sub = hostname_only || st->h->hostname == NULL
				  ? st->host
				  : st->h->hostname;
			break;
		case 'n':
			sub = hostname_only ? NULL : st->host;
			break;
		case 'p':
			sub = hostname_only ? NULL : port;
			break;
		case 'r':
			sub = hostname_only ? NULL : current_user(st);
			break;
		case 'u':
			sub = hostname_only ? NULL : st->local_user;
			break;
		case 'd':
			sub = hostname_only ? NULL : (st->home ? st->home : "");
			break;
		case 'i':
			sub = hostname_only ? NULL : uid;
			break;
		case 'l':
			sub = hostname_only ? NULL : lhost;
			break;
		case 'L':
			snprintf(shortl, sizeof(shortl), "%.*s",
				 (int)strcspn(lhost, "."), lhost);
			sub = hostname_only ? NULL : shortl;
			break;
		default:
			break;
		}
		if (sub == NULL) {
			one[0] = *p ? *p : ' ';
			return tsam_errbuf_set(
			    eb, TSAM_ERR_PARSE,
			    "%s:%zu: %s: the token %%%s is not supported here",
			    it->file, it->line, it->key, one);
		}
		o += (size_t)snprintf(out + o, outsz - o, "%s", sub);
	}
	if (o >= outsz)
		return tsam_errbuf_set(eb, TSAM_ERR_TOOBIG,
				       "%s:%zu: %s: value too long", it->file,
				       it->line, it->key);
	out[o] = '\0';
	return TSAM_OK;
}

/* yes/no (and true/false) into *v; false when neither. */
static bool yesno(const char *s, int *v)
{
	if (strcasecmp(s, "yes") == 0 || strcasecmp(s, "true") == 0)
		*v = 1;
	else if (strcasecmp(s, "no") == 0 || strcasecmp(s, "false") == 0)
		*v = 0;
	else
		return false;
	return true;
}

/* A whole number from 0 to max into *v. */
static bool number(const char *s, long max, long *v)
{
	struct tsam_cur c = tsam_cur_str(s);
	uint64_t u;

	if (tsam_cur_to_u64(c, (uint64_t)max, &u) != TSAM_OK)
		return false;
	*v = (long)u;
	return true;
}

/*
 * Sets *slot to a copy of v unless set. With tokens, v is checked now
 * (an unknown token is an error naming the line) and kept as written:
 * OpenSSH expands these once the whole configuration is read, with the
 * final HostName, User and Port (finish_tokens).
 */
static int first_str(const struct state *st, const struct item *it, char **slot,
		     const char *v, bool tokens, struct tsam_errbuf *eb)
{
	char buf[VALUE_BYTES];
	int rc;

	if (*slot != NULL)
		return TSAM_OK;
	if (tokens && strcasecmp(v, "none") != 0 &&
	    (rc = expand(st, it, v, false, buf, sizeof(buf), eb)) != TSAM_OK)
		return rc;
	*slot = strdup(v);
	return *slot ? TSAM_OK : TSAM_ERR_NOMEM;
}

/* Expands a value kept as written (first_str, lists) in place. */
static int expand_kept(const struct state *st, char **slot)
{
	char buf[VALUE_BYTES], *copy;
	struct item none;

	if (*slot == NULL || strcasecmp(*slot, "none") == 0)
		return TSAM_OK;
	memset(&none, 0, sizeof(none));
	none.file = "";
	none.key = "";
	if (expand(st, &none, *slot, false, buf, sizeof(buf), NULL) != TSAM_OK)
		return TSAM_ERR_PARSE; /* checked when read: cannot happen */
	if ((copy = strdup(buf)) == NULL)
		return TSAM_ERR_NOMEM;
	free(*slot);
	*slot = copy;
	return TSAM_OK;
}

/* The tokens of the values kept as written, with the final values. */
static int finish_tokens(const struct state *st)
{
	struct tsam_sshhost *h = st->h;
	size_t i;
	int rc = TSAM_OK;

	for (i = 0; rc == TSAM_OK && i < h->identity_files.n; i++)
		rc = expand_kept(st, &h->identity_files.v[i]);
	for (i = 0; rc == TSAM_OK && i < h->known_hosts.n; i++)
		rc = expand_kept(st, &h->known_hosts.v[i]);
	if (rc == TSAM_OK && h->identity_agent != NULL &&
	    strcmp(h->identity_agent, "SSH_AUTH_SOCK") != 0)
		rc = expand_kept(st, &h->identity_agent);
	if (rc == TSAM_OK)
		rc = expand_kept(st, &h->proxy_command);
	return rc;
}

/* Applies one option in force (first value wins). */
static int apply(struct state *st, const struct item *it,
		 struct tsam_errbuf *eb)
{
	struct tsam_sshhost *h = st->h;
	const char *v = it->args[0], *k = it->key;
	char buf[VALUE_BYTES];
	long n;
	int b, rc = TSAM_OK;
	size_t i;

	if (strcmp(k, "hostname") == 0) {
		if (h->hostname == NULL) {
			rc = expand(st, it, v, true, buf, sizeof(buf), eb);
			if (rc == TSAM_OK &&
			    (h->hostname = strdup(buf)) == NULL)
				rc = TSAM_ERR_NOMEM;
		}
	} else if (strcmp(k, "user") == 0) {
		rc = first_str(st, it, &h->user, v, false, eb);
	} else if (strcmp(k, "port") == 0) {
		if (h->port == 0 && (!number(v, 65535, &n) || n == 0))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s:%zu: Port '%s' is not a "
					       "port number",
					       it->file, it->line, v);
		if (h->port == 0)
			h->port = (unsigned)n;
	} else if (strcmp(k, "identityfile") == 0) {
		if (strcasecmp(v, "none") == 0)
			return TSAM_OK;
		rc = expand(st, it, v, false, buf, sizeof(buf), eb);
		if (rc == TSAM_OK) /* kept as written: finish_tokens */
			rc = tsam_strlist_add(&h->identity_files, v);
	} else if (strcmp(k, "identitiesonly") == 0) {
		if (!yesno(v, &b))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s:%zu: IdentitiesOnly '%s' is "
					       "not yes or no",
					       it->file, it->line, v);
		if (h->identities_only < 0)
			h->identities_only = b;
	} else if (strcmp(k, "identityagent") == 0) {
		rc = first_str(st, it, &h->identity_agent, v,
			       strcmp(v, "SSH_AUTH_SOCK") != 0, eb);
	} else if (strcmp(k, "proxyjump") == 0) {
		rc = first_str(st, it, &h->proxy_jump, v, false, eb);
	} else if (strcmp(k, "proxycommand") == 0) {
		/* the rest of the line is the command */
		struct tsam_buf cmd;
		tsam_buf_init(&cmd, VALUE_BYTES);
		for (i = 0; i < it->nargs; i++)
			tsam_buf_addf(&cmd, "%s%s", i ? " " : "", it->args[i]);
		rc = first_str(st, it, &h->proxy_command,
			       cmd.data ? cmd.data : "", true, eb);
		tsam_buf_free(&cmd);
	} else if (strcmp(k, "userknownhostsfile") == 0) {
		if (h->known_hosts.n > 0)
			return TSAM_OK;
		for (i = 0; rc == TSAM_OK && i < it->nargs; i++) {
			rc = strcasecmp(it->args[i], "none") == 0
				 ? TSAM_OK
				 : expand(st, it, it->args[i], false, buf,
					  sizeof(buf), eb);
			if (rc == TSAM_OK) /* kept as written */
				rc = tsam_strlist_add(&h->known_hosts,
						      it->args[i]);
		}
	} else if (strcmp(k, "stricthostkeychecking") == 0) {
		if (strcasecmp(v, "yes") && strcasecmp(v, "no") &&
		    strcasecmp(v, "accept-new") && strcasecmp(v, "ask") &&
		    strcasecmp(v, "off") && strcasecmp(v, "true") &&
		    strcasecmp(v, "false"))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s:%zu: StrictHostKeyChecking "
					       "'%s' is not yes, no, "
					       "accept-new or ask",
					       it->file, it->line, v);
		if (h->strict == NULL) {
			rc = first_str(st, it, &h->strict, v, false, eb);
			for (i = 0; h->strict && h->strict[i]; i++)
				h->strict[i] =
				    (char)tolower((unsigned char)h->strict[i]);
		}
	} else if (strcmp(k, "hashknownhosts") == 0) {
		if (!yesno(v, &b))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s:%zu: HashKnownHosts '%s' is "
					       "not yes or no",
					       it->file, it->line, v);
		if (h->hash_known_hosts < 0)
			h->hash_known_hosts = b;
	} else if (strcmp(k, "hostkeyalias") == 0) {
		rc = first_str(st, it, &h->host_key_alias, v, false, eb);
	} else if (strcmp(k, "connecttimeout") == 0 ||
		   strcmp(k, "serveraliveinterval") == 0) {
		int *slot = k[0] == 'c' ? &h->connect_timeout
					: &h->server_alive_interval;
		if (!number(v, 86400, &n))
			return tsam_errbuf_set(eb, TSAM_ERR_PARSE,
					       "%s:%zu: %s '%s' is not a "
					       "number of seconds",
					       it->file, it->line, k, v);
		if (*slot < 0)
			*slot = (int)n;
	}
	return rc;
}

/* Keywords acted on (apply), and those read without effect by design. */
static bool acted_on(const char *k)
{
	static const char *const known[] = {"hostname",
					    "user",
					    "port",
					    "identityfile",
					    "identitiesonly",
					    "identityagent",
					    "proxyjump",
					    "proxycommand",
					    "userknownhostsfile",
					    "stricthostkeychecking",
					    "hashknownhosts",
					    "hostkeyalias",
					    "connecttimeout",
					    "serveraliveinterval",
					    "include"};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(*known); i++)
		if (strcmp(known[i], k) == 0)
			return true;
	return false;
}

void tsam_sshconfig_notes(const struct tsam_sshconfig *c,
			  struct tsam_strlist *out)
{
	size_t i, j;

	for (i = 0; i < c->n; i++) {
		const struct item *it = &c->v[i];
		char line[600];
		bool dup = false;

		if (it->kind == I_HOST || acted_on(it->key))
			continue;
		if (it->kind == I_MATCH) {
			bool ok = true;
			for (j = 0; j < it->nargs; j++) {
				const char *a = it->args[j] +
						(it->args[j][0] == '!' ? 1 : 0);
				if (strcasecmp(a, "all") == 0)
					continue;
				if (strcasecmp(a, "host") == 0 ||
				    strcasecmp(a, "originalhost") == 0 ||
				    strcasecmp(a, "user") == 0 ||
				    strcasecmp(a, "localuser") == 0) {
					j++;
					continue;
				}
				ok = false;
				snprintf(line, sizeof(line),
					 "%s:%zu: Match %s cannot be evaluated "
					 "here: this block never applies",
					 it->file, it->line, a);
				break;
			}
			if (!ok && tsam_strlist_add(out, line) != TSAM_OK)
				return; /* out of memory: the notes stop */
			continue;
		}
		for (j = 0; j < i && !dup; j++)
			dup = c->v[j].kind == I_OPTION &&
			      strcmp(c->v[j].key, it->key) == 0;
		if (dup)
			continue;
		snprintf(line, sizeof(line),
			 "%s:%zu: '%s' is not implemented by tsamkit "
			 "(ignored)",
			 it->file, it->line, it->key);
		if (tsam_strlist_add(out, line) != TSAM_OK)
			return;
	}
}

enum tsam_err tsam_sshconfig_resolve(const struct tsam_sshconfig *c,
				     const char *host, const char *user,
				     unsigned port, const char *local_user,
				     const char *home, struct tsam_sshhost *out,
				     struct tsam_errbuf *eb)
{
	struct state st;
	size_t i;
	int rc = TSAM_OK;

	memset(out, 0, sizeof(*out));
	out->identities_only = -1;
	out->hash_known_hosts = -1;
	out->connect_timeout = -1;
	out->server_alive_interval = -1;
	out->port = port; /* given: Port lines do not change it */
	/* ssh lowercases the name it is given before reading its config */
	out->host = strdup(host);
	if (out->host == NULL)
		return TSAM_ERR_NOMEM;
	for (i = 0; out->host[i]; i++)
		out->host[i] = (char)tolower((unsigned char)out->host[i]);
	host = out->host;
	memset(&st, 0, sizeof(st));
	st.c = c;
	st.host = host;
	st.user = user;
	st.local_user = local_user ? local_user : "";
	st.home = home;
	st.h = out;
	st.active = calloc(c->n ? c->n : 1, sizeof(*st.active));
	if (st.active == NULL)
		return TSAM_ERR_NOMEM;
	for (i = 0; rc == TSAM_OK && i < c->n; i++) {
		const struct item *it = &c->v[i];
		bool outer = it->kind == I_OPTION
				 ? (it->block == 0 || st.active[it->block - 1])
				 : (it->outer == 0 || st.active[it->outer - 1]);

		if (it->kind == I_HOST)
			st.active[i] = outer && list_match(it->args, it->nargs,
							   false, host);
		else if (it->kind == I_MATCH)
			st.active[i] = outer && match_line(&st, it);
		else if (outer && strcmp(it->key, "include") != 0)
			rc = apply(&st, it, eb);
	}
	free(st.active);
	if (rc == TSAM_OK)
		rc = finish_tokens(&st);
	if (rc != TSAM_OK)
		tsam_sshhost_free(out);
	return rc;
}

void tsam_sshhost_free(struct tsam_sshhost *h)
{
	free(h->host);
	free(h->hostname);
	free(h->user);
	tsam_strlist_free(&h->identity_files);
	free(h->identity_agent);
	free(h->proxy_jump);
	free(h->proxy_command);
	tsam_strlist_free(&h->known_hosts);
	free(h->strict);
	free(h->host_key_alias);
	memset(h, 0, sizeof(*h));
}
