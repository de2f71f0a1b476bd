/*
 * test_sshconfig.c - ssh_config read as OpenSSH reads it: for several
 * hosts of one configuration (Host patterns with negation, Match host and
 * user, Include under a Host block, first value wins, IdentityFile
 * accumulating, %-tokens and ~), every value tsamkit acts on is compared
 * with what OpenSSH's own `ssh -G` prints. Then the errors, which name
 * file:line, and the notes on what is not implemented.
 */
#include "scratch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sshconfig.h"

static char home[256], cfg[512], local_user[64];

static int setup(void **state)
{
	struct passwd *pw = getpwuid(getuid());

	(void)state;
	if (scratch_make("sshcfg") == NULL)
		return -1;
	/* OpenSSH takes ~ and %d from the password database, not $HOME */
	snprintf(home, sizeof(home), "%s", pw ? pw->pw_dir : "/");
	snprintf(local_user, sizeof(local_user), "%s",
		 pw ? pw->pw_name : "root");
	mkdir(scratch_path("sub"), 0700);
	snprintf(cfg, sizeof(cfg), "%s",
		 scratch_write(
		     "config",
		     "# a customer's config\n"
		     "Host web-*.acme !web-bad.acme\n"
		     "    HostName %%h.internal.example\n"
		     "    User admin\n"
		     "    Port 2201\n"
		     "    IdentityFile ~/.ssh/acme_%%r\n"
		     "Host *.acme\n"
		     "    User=ops\n"
		     "    IdentitiesOnly yes\n"
		     "Match host *.internal.example user admin\n"
		     "    HostKeyAlias acme-web\n"
		     "    ProxyJump bastion.acme\n"
		     "Host db1\n"
		     "    HostName 10.0.0.5\n"
		     "    Include %s/sub/*.conf\n"
		     "Host \"quoted host\" jump\n"
		     "    ProxyCommand ssh -W %%h:%%p gw.example\n"
		     "    IdentityAgent %%d/agent.sock\n"
		     "Host *\n"
		     "    IdentityFile ~/.ssh/id_ed25519\n"
		     "    UserKnownHostsFile ~/.ssh/kh_%%h %%d/.ssh/other\n"
		     "    ConnectTimeout 7\n"
		     "    ServerAliveInterval 20\n"
		     "    StrictHostKeyChecking accept-new\n"
		     "    HashKnownHosts yes\n"
		     "    ForwardAgent yes\n"
		     "    Port 2222\n",
		     scratch_dir));
	scratch_write("sub/a.conf", "Port 3306\nUser dbadmin\n");
	return 0;
}

/* What `ssh -G -F cfg host` prints for key (lines joined by " "). */
static void ssh_g(const char *host, const char *key, char *out, size_t n)
{
	char cmd[1024], line[2048];
	FILE *f;
	size_t kl = strlen(key), o = 0;

	out[0] = '\0';
	snprintf(cmd, sizeof(cmd), "ssh -G -F %s '%s' 2>/dev/null", cfg, host);
	f = popen(cmd, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, key, kl) == 0 && line[kl] == ' ')
			o += (size_t)snprintf(out + o, n - o, "%s%s",
					      o ? " " : "", line + kl + 1);
	}
	pclose(f);
}

/* ~ and the tokens ssh -G leaves as written (identityfile, proxycommand,
 * identityagent), expanded as OpenSSH expands them when it connects. */
static void expand_like_ssh(const char *in, const char *user,
			    const char *hostname, unsigned port, char *out,
			    size_t n)
{
	size_t o = 0;

	for (; *in && o + 1 < n; in++) {
		if (*in == '~' && (in[1] == '/')) {
			o += (size_t)snprintf(out + o, n - o, "%s", home);
		} else if (*in == '%' && in[1] == 'r') {
			o += (size_t)snprintf(out + o, n - o, "%s", user);
			in++;
		} else if (*in == '%' && in[1] == 'h') {
			o += (size_t)snprintf(out + o, n - o, "%s", hostname);
			in++;
		} else if (*in == '%' && in[1] == 'p') {
			o += (size_t)snprintf(out + o, n - o, "%u", port);
			in++;
		} else if (*in == '%' && in[1] == 'd') {
			o += (size_t)snprintf(out + o, n - o, "%s", home);
			in++;
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
}

static void join(const struct tsam_strlist *l, char *out, size_t n)
{
	size_t i, o = 0;

	out[0] = '\0';
	for (i = 0; i < l->n; i++)
		o += (size_t)snprintf(out + o, n - o, "%s%s", i ? " " : "",
				      l->v[i]);
}

static void same_as_ssh_g(void **state)
{
	static const char *const hosts[] = {"web-1.acme", "web-bad.acme", "db1",
					    "jump", "other"};
	struct tsam_sshconfig *c = NULL;
	struct tsam_errbuf eb;
	const char *paths[1] = {cfg};
	size_t i, k;

	(void)state;
	tsam_errbuf_clear(&eb);
	if (tsam_sshconfig_load(paths, 1, true, home, &c, &eb) != TSAM_OK)
		fail_msg("%s", eb.msg);
	for (i = 0; i < sizeof(hosts) / sizeof(*hosts); i++) {
		struct tsam_sshhost h;
		char want[4096], got[4096], ids[4096];
		const char *user;

		if (tsam_sshconfig_resolve(c, hosts[i], NULL, 0, local_user,
					   home, &h, &eb) != TSAM_OK)
			fail_msg("%s: %s", hosts[i], eb.msg);
		user = h.user ? h.user : local_user;
#define SAME(key, value)                                                       \
	do {                                                                   \
		ssh_g(hosts[i], key, want, sizeof(want));                      \
		if (strcmp(want, value) != 0)                                  \
			fail_msg("%s: %s: ssh -G says '%s', we say '%s'",      \
				 hosts[i], key, want, value);                  \
	} while (0)
		SAME("hostname", h.hostname ? h.hostname : h.host);
		SAME("user", user);
		snprintf(got, sizeof(got), "%u", h.port ? h.port : 22);
		SAME("port", got);
		SAME("proxyjump", h.proxy_jump ? h.proxy_jump : "");
		SAME("hostkeyalias", h.host_key_alias ? h.host_key_alias : "");
		SAME("identitiesonly", h.identities_only == 1 ? "yes" : "no");
		SAME("hashknownhosts", h.hash_known_hosts == 1 ? "yes" : "no");
		SAME("stricthostkeychecking", h.strict ? h.strict : "ask");
		snprintf(got, sizeof(got), "%d", h.connect_timeout);
		SAME("connecttimeout", h.connect_timeout < 0 ? "none" : got);
		snprintf(got, sizeof(got), "%d", h.server_alive_interval);
		SAME("serveraliveinterval", got);
		join(&h.known_hosts, got, sizeof(got));
		SAME("userknownhostsfile", got);
		/* these ssh -G prints as written: expanded as ssh will */
		if (h.proxy_command != NULL) {
			ssh_g(hosts[i], "proxycommand", want, sizeof(want));
			expand_like_ssh(want, user,
					h.hostname ? h.hostname : h.host,
					h.port ? h.port : 22, ids, sizeof(ids));
			assert_string_equal(ids, h.proxy_command);
		}
		if (h.identity_agent != NULL) {
			ssh_g(hosts[i], "identityagent", want, sizeof(want));
			expand_like_ssh(want, user, "", 0, ids, sizeof(ids));
			assert_string_equal(ids, h.identity_agent);
		}
		ssh_g(hosts[i], "identityfile", want, sizeof(want));
		expand_like_ssh(want, user, "", 0, ids, sizeof(ids));
		join(&h.identity_files, got, sizeof(got));
		if (strcmp(ids, got) != 0)
			fail_msg("%s: identityfile: ssh -G '%s', we '%s'",
				 hosts[i], ids, got);
		for (k = 0; k < h.identity_files.n; k++)
			assert_null(strchr(h.identity_files.v[k], '%'));
		tsam_sshhost_free(&h);
	}
	tsam_sshconfig_free(c);
}

/* What is read but not acted on: each once, with file:line. */
static void notes(void **state)
{
	struct tsam_sshconfig *c = NULL;
	struct tsam_strlist n = {0};
	char path[600];
	const char *paths[1] = {path};

	(void)state;
	snprintf(path, sizeof(path), "%s",
		 scratch_write("notes", "Host a\n ForwardAgent yes\nHost b\n "
					"ForwardAgent no\n"
					"Match exec \"true\"\n User x\n"));
	assert_int_equal(tsam_sshconfig_load(paths, 1, true, home, &c, NULL),
			 TSAM_OK);
	tsam_sshconfig_notes(c, &n);
	assert_int_equal(n.n, 2);
	assert_non_null(strstr(n.v[0], "notes:2: 'forwardagent' is not "
				       "implemented by tsamkit (ignored)"));
	assert_non_null(strstr(n.v[1], "notes:5: Match exec cannot be "
				       "evaluated here: this block never "
				       "applies"));
	{
		struct tsam_sshhost h;
		assert_int_equal(tsam_sshconfig_resolve(c, "zz", NULL, 0, "me",
							home, &h, NULL),
				 TSAM_OK);
		assert_null(h.user); /* the Match exec block never applies */
		tsam_sshhost_free(&h);
	}
	tsam_strlist_free(&n);
	tsam_sshconfig_free(c);
}

static void errors_name_the_place(void **state)
{
	static const struct {
		const char *text, *msg;
		bool at_load;
	} t[] = {
	    {"Host a\n  Port 70000\n", "bad:2: Port '70000' is not a port", 0},
	    {"Host a\n  User \"x\n", "bad:2: unterminated quote", 1},
	    {"Host a\n  IdentityFile ~/.ssh/%q\n",
	     "bad:2: identityfile: the token %q is not supported", 0},
	    {"Host\n", "bad:1: Host without patterns", 1},
	    {"Host a\n  ConnectTimeout soon\n",
	     "bad:2: connecttimeout 'soon' is not a number", 0},
	    {"Host a\n  StrictHostKeyChecking maybe\n",
	     "bad:2: StrictHostKeyChecking 'maybe'", 0},
	    {"Include bad\n", "Include nested more than 16 deep", 1},
	};
	char path[600];
	const char *paths[1] = {path};
	size_t i;

	(void)state;
	snprintf(path, sizeof(path), "%s", scratch_path("bad"));
	for (i = 0; i < sizeof(t) / sizeof(*t); i++) {
		struct tsam_sshconfig *c = NULL;
		struct tsam_sshhost h;
		struct tsam_errbuf eb;
		int rc;

		/* "Include bad" includes itself: a loop */
		if (strncmp(t[i].text, "Include", 7) == 0)
			scratch_write("bad", "Include %s\n", path);
		else
			scratch_write("bad", "%s", t[i].text);
		tsam_errbuf_clear(&eb);
		rc = tsam_sshconfig_load(paths, 1, true, home, &c, &eb);
		if (rc == TSAM_OK) {
			assert_false(t[i].at_load);
			rc = tsam_sshconfig_resolve(c, "a", NULL, 0, "me", home,
						    &h, &eb);
			tsam_sshconfig_free(c);
		}
		assert_int_not_equal(rc, TSAM_OK);
		if (strstr(eb.msg, t[i].msg) == NULL)
			fail_msg("case %zu: '%s' lacks '%s'", i, eb.msg,
				 t[i].msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(same_as_ssh_g),
	    cmocka_unit_test(notes),
	    cmocka_unit_test(errors_name_the_place),
	};
	return cmocka_run_group_tests(tests, setup, scratch_teardown);
}
