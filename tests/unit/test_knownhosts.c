/*
 * test_knownhosts.c - known_hosts parsing and checking against files made
 * by the real ssh-keygen (plain, [host]:port, hashed, wildcards, markers),
 * and concurrent appends by several processes.
 */
#include "scratch.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "knownhosts.h"
#include "log.h"

struct key {
	char line[1024]; /* "type base64" */
	unsigned char blob[1024];
	size_t len;
	char fp[128]; /* "SHA256:...", as ssh-keygen -l prints it */
};

static struct key k1, k2, k3; /* ed25519, ed25519, ecdsa */

static void run(const char *cmd)
{
	if (system(cmd) != 0)
		fail_msg("command failed: %s", cmd);
}

static void load_key(const char *name, const char *type, struct key *k)
{
	char cmd[512], path[512];
	FILE *f;
	char *sp;
	int n;

	snprintf(cmd, sizeof(cmd), "ssh-keygen -q -t %s -N '' -f %s/%s", type,
		 scratch_dir, name);
	run(cmd);
	snprintf(path, sizeof(path), "%s/%s.pub", scratch_dir, name);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(k->line, sizeof(k->line), f));
	fclose(f);
	sp = strchr(k->line, ' ');
	sp = strchr(sp + 1, ' ');
	if (sp)
		*sp = '\0';
	k->line[strcspn(k->line, "\n")] = '\0';
	sp = strchr(k->line, ' ') + 1;
	n = EVP_DecodeBlock(k->blob, (unsigned char *)sp, (int)strlen(sp));
	assert_true(n > 0);
	k->len = (size_t)n;
	while (k->len > 0 && sp[strlen(sp) - 1 - (n - (int)k->len)] == '=')
		k->len--;
	/* OpenSSH's own fingerprint, the oracle for ours */
	snprintf(cmd, sizeof(cmd), "ssh-keygen -l -E sha256 -f %s/%s.pub",
		 scratch_dir, name);
	f = popen(cmd, "r");
	assert_non_null(f);
	assert_non_null(fgets(path, sizeof(path), f));
	pclose(f);
	sp = strchr(path, ' ');
	assert_non_null(sp);
	snprintf(k->fp, sizeof(k->fp), "%.*s", (int)strcspn(sp + 1, " "),
		 sp + 1);
}

static int setup(void **state)
{
	(void)state;
	if (system("command -v ssh-keygen >/dev/null") != 0)
		return -1;
	assert_non_null(scratch_make("kh"));
	load_key("k1", "ed25519", &k1);
	load_key("k2", "ed25519", &k2);
	load_key("k3", "ecdsa", &k3);
	return 0;
}

static struct tsam_knownhosts *load(const char *path, size_t *nbad)
{
	struct tsam_knownhosts *kh = NULL;
	struct tsam_errbuf eb;
	tsam_errbuf_clear(&eb);
	assert_int_equal(tsam_knownhosts_load(path, &kh, nbad, &eb), TSAM_OK);
	return kh;
}

static void plain_and_markers(void **state)
{
	const char *path;
	struct tsam_knownhosts *kh;
	size_t nbad;
	char types[256];

	(void)state;
	path = scratch_write("known_hosts",
			     "# comment\n"
			     "web01,192.0.2.1 %s\n"
			     "[db01]:2222 %s\n"
			     "this line is broken\n"
			     "*.corp,!bad.corp %s\n"
			     "@cert-authority *.ca %s\n"
			     "@revoked rev01 %s\n"
			     "rev01 %s\n"
			     "ec01 %s\n"
			     "WEB02 %s\n",
			     k1.line, k1.line, k1.line, k1.line, k2.line,
			     k2.line, k3.line, k1.line);
	kh = load(path, &nbad);
	assert_int_equal(nbad, 1); /* the broken line */
	assert_int_equal(tsam_knownhosts_check(kh, "web01", "web01", 22,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_MATCH);
	/* the address matches when the name does not */
	assert_int_equal(tsam_knownhosts_check(kh, "web01.x", "192.0.2.1", 22,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_MATCH);
	assert_int_equal(tsam_knownhosts_check(kh, "web01", "web01", 22,
					       k2.blob, k2.len, NULL),
			 TSAM_KH_MISMATCH);
	/* port: plain name on 22 only */
	assert_int_equal(tsam_knownhosts_check(kh, "web01", "web01", 2222,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_UNKNOWN);
	assert_int_equal(tsam_knownhosts_check(kh, "db01", "db01", 2222,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_MATCH);
	assert_int_equal(tsam_knownhosts_check(kh, "db01", "db01", 22, k1.blob,
					       k1.len, NULL),
			 TSAM_KH_UNKNOWN);
	/* lines after the broken one still count */
	assert_int_equal(tsam_knownhosts_check(kh, "app.corp", "10.1.1.1", 22,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_MATCH);
	assert_int_equal(tsam_knownhosts_check(kh, "bad.corp", "bad.corp", 22,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_UNKNOWN);
	assert_int_equal(tsam_knownhosts_check(kh, "rev01", "rev01", 22,
					       k2.blob, k2.len, NULL),
			 TSAM_KH_REVOKED);
	assert_int_equal(tsam_knownhosts_check(kh, "ec01", "ec01", 22, k1.blob,
					       k1.len, NULL),
			 TSAM_KH_OTHER_TYPE);
	assert_int_equal(tsam_knownhosts_check(kh, "ec01", "ec01", 22, k3.blob,
					       k3.len, NULL),
			 TSAM_KH_MATCH);
	/* names compare without case */
	assert_int_equal(tsam_knownhosts_check(kh, "web02", "web02", 22,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_MATCH);
	/* a host only a CA line vouches for: said as such, with its line */
	{
		struct tsam_kh_where w;
		assert_int_equal(tsam_knownhosts_check(kh, "x.ca", "10.9.9.9",
						       22, k1.blob, k1.len, &w),
				 TSAM_KH_CA);
		assert_int_equal(w.line, 6);
		assert_int_equal(tsam_knownhosts_check(kh, "web01", "web01", 22,
						       k2.blob, k2.len, &w),
				 TSAM_KH_MISMATCH);
		assert_int_equal(w.line, 2);
		assert_string_equal(w.path, path);
		assert_string_equal(w.fingerprint, k1.fp);
	}
	tsam_knownhosts_types(kh, "ec01", "ec01", 22, types, sizeof(types));
	assert_string_equal(types, "ecdsa-sha2-nistp256");
	tsam_knownhosts_types(kh, "nobody", "nobody", 22, types, sizeof(types));
	assert_string_equal(types, "");
	tsam_knownhosts_free(kh);
}

static void hashed_by_ssh_keygen(void **state)
{
	char path[512], cmd[1024];
	struct tsam_knownhosts *kh;

	(void)state;
	snprintf(path, sizeof(path), "%s",
		 scratch_write("hashed", "[127.0.1.7]:2222 %s\nweb09 %s\n",
			       k1.line, k3.line));
	snprintf(cmd, sizeof(cmd), "ssh-keygen -q -H -f %s >/dev/null 2>&1",
		 path);
	run(cmd);
	kh = load(path, NULL);
	assert_int_equal(tsam_knownhosts_check(kh, "n", "127.0.1.7", 2222,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_MATCH);
	assert_int_equal(tsam_knownhosts_check(kh, "n", "127.0.1.7", 2222,
					       k2.blob, k2.len, NULL),
			 TSAM_KH_MISMATCH);
	assert_int_equal(tsam_knownhosts_check(kh, "n", "127.0.1.8", 2222,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_UNKNOWN);
	assert_int_equal(tsam_knownhosts_check(kh, "web09", "web09", 22,
					       k3.blob, k3.len, NULL),
			 TSAM_KH_MATCH);
	tsam_knownhosts_free(kh);
}

static void append_and_reload(void **state)
{
	char path[512], cmd[1024];
	struct tsam_knownhosts *kh;
	struct tsam_errbuf eb;
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s", scratch_path("new_hosts"));
	kh = load(path, NULL); /* missing file: empty */
	assert_int_equal(tsam_knownhosts_check(kh, "n1", "127.0.0.9", 2200,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_UNKNOWN);
	assert_int_equal(
	    tsam_knownhosts_add(kh, "n1", "127.0.0.9", 2200, k1.blob, k1.len),
	    TSAM_OK);
	assert_int_equal(tsam_knownhosts_check(kh, "n1", "127.0.0.9", 2200,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_MATCH);
	tsam_errbuf_clear(&eb);
	assert_int_equal(tsam_knownhosts_flush(kh, &eb), TSAM_OK);
	assert_int_equal(tsam_knownhosts_flush(kh, &eb),
			 TSAM_OK); /* nothing queued */
	tsam_knownhosts_free(kh);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	kh = load(path, NULL);
	assert_int_equal(tsam_knownhosts_check(kh, "n1", "127.0.0.9", 2200,
					       k1.blob, k1.len, NULL),
			 TSAM_KH_MATCH);
	tsam_knownhosts_free(kh);
	/* OpenSSH's own tool finds the entry */
	snprintf(cmd, sizeof(cmd),
		 "ssh-keygen -F '[127.0.0.9]:2200' -f %s >/dev/null", path);
	run(cmd);
}

static void concurrent_appends(void **state)
{
	char path[512];
	struct tsam_knownhosts *kh;
	int i, status;
	pid_t pids[8];

	(void)state;
	snprintf(path, sizeof(path), "%s", scratch_path("shared_hosts"));
	for (i = 0; i < 8; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct tsam_knownhosts *mine = NULL;
			char name[32];
			int j;
			if (tsam_knownhosts_load(path, &mine, NULL, NULL) !=
			    TSAM_OK)
				_exit(1);
			for (j = 0; j < 20; j++) {
				snprintf(name, sizeof(name), "h%d-%d", i, j);
				assert_int_equal(
				    tsam_knownhosts_add(mine, name, name, 22,
							k1.blob, k1.len),
				    TSAM_OK);
				if (tsam_knownhosts_flush(mine, NULL) !=
				    TSAM_OK)
					_exit(1);
			}
			tsam_knownhosts_free(mine);
			_exit(0);
		}
	}
	for (i = 0; i < 8; i++) {
		assert_int_equal(waitpid(pids[i], &status, 0), pids[i]);
		assert_int_equal(status, 0);
	}
	kh = load(path, NULL);
	for (i = 0; i < 8; i++) {
		char name[32];
		int j;
		for (j = 0; j < 20; j++) {
			snprintf(name, sizeof(name), "h%d-%d", i, j);
			assert_int_equal(tsam_knownhosts_check(kh, name, name,
							       22, k1.blob,
							       k1.len, NULL),
					 TSAM_KH_MATCH);
		}
	}
	tsam_knownhosts_free(kh);
	{
		char cmd[600];
		FILE *p;
		int lines = 0;
		snprintf(cmd, sizeof(cmd), "wc -l < %s", path);
		p = popen(cmd, "r");
		assert_int_equal(fscanf(p, "%d", &lines), 1);
		pclose(p);
		assert_int_equal(lines, 160);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(plain_and_markers),
	    cmocka_unit_test(hashed_by_ssh_keygen),
	    cmocka_unit_test(append_and_reload),
	    cmocka_unit_test(concurrent_appends),
	};
	tsam_log_init("test_knownhosts");
	return cmocka_run_group_tests(tests, setup, scratch_teardown);
}
