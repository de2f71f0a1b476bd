/*
 * tsam-collect - agentless SSH collection from a customer's fleet.
 *
 * A thin main: options from one table (which also prints --help), then
 * the library's collect module does the work. See docs/tsam-collect.md.
 * Exit codes: 0 every host ok, 3 some hosts failed or the run was
 * interrupted, 1 fatal error, 2 usage.
 */
#include "cli.h"
#include "collect.h"
#include "fanout.h"
#include "hostlist.h"
#include "inventory.h"
#include "json.h"
#include "knownhosts.h"
#include "log.h"
#include "reach.h"
#include "sections.h"
#include "ssh.h"
#include "sshconfig.h"
#include "str.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum opt_id {
	O_INVENTORY = 'i',
	O_OUTPUT = 'o',
	O_LIMIT = 'l',
	O_JOBS = 'j',
	O_USER = 'u',
	O_PORT = 'p',
	O_QUIET = 'q',
	O_VERBOSE = 'v',
	O_RESUME = 256,
	O_RETRY_FAILED,
	O_IDENTITY,
	O_NO_AGENT,
	O_PASSENV,
	O_KNOWN_HOSTS,
	O_ACCEPT_NEW,
	O_COLLECTORS,
	O_DATADIR,
	O_CONNECT_TO,
	O_LOGIN_TO,
	O_COMMAND_TO,
	O_DEADLINE,
	O_MAX_OUTPUT,
	O_RETRIES,
	O_KEEPALIVE,
	O_PRINT_SCRIPT,
	O_BECOME,
	O_BECOME_PASSENV,
	O_ASK_BECOME_PASS,
	O_PASSWORD_ENV,
	O_ASK_PASS,
	O_MAX_STARTUPS,
	O_JUMP_CHANNELS,
	O_JUMP = 'J',
	O_CONFIG = 'F',
	O_SHOW_HOST = 'G'
};

static const struct tsam_cli_opt opts[] = {
    {"inventory", 1, O_INVENTORY, "FILE",
     "hosts to collect from (text or JSON)"},
    {"output", 1, O_OUTPUT, "RUNDIR",
     "write run.json and hosts/ here (new dir)"},
    {"resume", 1, O_RESUME, "RUNDIR", "continue a run: skip hosts already ok"},
    {"retry-failed", 1, O_RETRY_FAILED, "RUNDIR",
     "rerun only the hosts that failed or lacked privilege"},
    {"limit", 1, O_LIMIT, "EXPR",
     "only hosts matching GLOB or label=GLOB (a,b: either; repeat: all)"},
    {"jobs", 1, O_JOBS, "N", "sessions in flight at once (default 64)"},
    {"user", 1, O_USER, "NAME",
     "remote user when the inventory gives none (default: you)"},
    {"port", 1, O_PORT, "N", "port when the inventory gives none (default 22)"},
    {"identity", 1, O_IDENTITY, "FILE",
     "private key to try (repeatable; default ~/.ssh/id_ed25519, id_ecdsa)"},
    {"no-agent", 0, O_NO_AGENT, NULL, "do not use ssh-agent"},
    {"passphrase-env", 1, O_PASSENV, "VAR",
     "read key passphrases from environment variable VAR"},
    {"password-env", 1, O_PASSWORD_ENV, "VAR",
     "login password (password, keyboard-interactive) from variable VAR"},
    {"ask-pass", 0, O_ASK_PASS, NULL,
     "ask for the login password on the terminal"},
    {"become", 1, O_BECOME, "METHOD",
     "run the collectors as root via sudo or doas (default none; a host's "
     "become= label wins)"},
    {"become-password-env", 1, O_BECOME_PASSENV, "VAR",
     "sudo's password from variable VAR (default: sudo -n)"},
    {"ask-become-pass", 0, O_ASK_BECOME_PASS, NULL,
     "ask for sudo's password on the terminal"},
    {"known-hosts", 1, O_KNOWN_HOSTS, "FILE",
     "known_hosts file (default ~/.ssh/known_hosts, or ssh_config's)"},
    {"config", 1, O_CONFIG, "FILE",
     "ssh_config to read (default ~/.ssh/config and /etc/ssh/ssh_config; "
     "none: none)"},
    {"jump", 1, O_JUMP, "[USER@]HOST[:PORT][,...]",
     "reach every host through these jump hosts, as ssh -J (a host's jump= "
     "label wins; none: none)"},
    {"jump-channels", 1, O_JUMP_CHANNELS, "N",
     "hosts one jump host connection carries at once (default 32)"},
    {"show-host", 1, O_SHOW_HOST, "NAME",
     "print how NAME is reached (inventory, options, ssh_config merged), "
     "like ssh -G, and exit"},
    {"accept-new", 0, O_ACCEPT_NEW, NULL,
     "record unknown host keys (never replaces a changed one)"},
    {"collectors", 1, O_COLLECTORS, "LIST",
     "comma-separated collectors (default: all)"},
    {"datadir", 1, O_DATADIR, "DIR",
     "where collectors/ lives (default: $TSAMKIT_DATADIR or the build's)"},
    {"connect-timeout", 1, O_CONNECT_TO, "SEC",
     "TCP connect timeout (default 10)"},
    {"login-timeout", 1, O_LOGIN_TO, "SEC",
     "SSH handshake + auth timeout (default 30)"},
    {"command-timeout", 1, O_COMMAND_TO, "SEC",
     "collector run timeout per host (default 120)"},
    {"deadline", 1, O_DEADLINE, "SEC",
     "stop the whole run after SEC seconds (default: none)"},
    {"max-output", 1, O_MAX_OUTPUT, "SIZE",
     "output cap per host, k/M/G suffixes (default 32M)"},
    {"retries", 1, O_RETRIES, "N",
     "retries for connection failures, with backoff (default 0)"},
    {"max-startups", 1, O_MAX_STARTUPS, "N",
     "sessions starting at once per address (sshd's MaxStartups; default "
     "8, 0 no limit)"},
    {"keepalive", 1, O_KEEPALIVE, "SEC",
     "SSH keepalive interval, 0 off (default 15)"},
    {"print-script", 0, O_PRINT_SCRIPT, NULL,
     "print the script sent to every host, then exit"},
    {"quiet", 0, O_QUIET, NULL, "no progress line or summary"},
    {"verbose", 0, O_VERBOSE, NULL, "report each failed host as it ends"},
};

/* The options that take a number (in its range) or a size. */
static const struct tsam_cli_num nums[] = {
    {O_JOBS, TSAM_CLI_NUM, 1, 4096},
    {O_PORT, TSAM_CLI_NUM, 1, 65535},
    {O_JUMP_CHANNELS, TSAM_CLI_NUM, 1, 1024},
    {O_CONNECT_TO, TSAM_CLI_NUM, 1, 3600},
    {O_LOGIN_TO, TSAM_CLI_NUM, 1, 3600},
    {O_COMMAND_TO, TSAM_CLI_NUM, 1, 86400},
    {O_DEADLINE, TSAM_CLI_NUM, 1, 7 * 86400},
    {O_MAX_OUTPUT, TSAM_CLI_SIZE, 1, 1L << 40},
    {O_RETRIES, TSAM_CLI_NUM, 0, 10},
    {O_MAX_STARTUPS, TSAM_CLI_NUM, 0, 4096},
    {O_KEEPALIVE, TSAM_CLI_NUM, 0, 3600},
};

static const struct tsam_cli_tool tool = {
    .name = "tsam-collect",
    .synopsis = "tsam-collect -i INVENTORY -o RUNDIR [options]\n"
		"tsam-collect -i INVENTORY --resume RUNDIR [options]",
    .about = "Runs the collectors on every host over SSH and writes a run "
	     "directory.",
    .exits = "0 all hosts ok, 3 some hosts failed or interrupted, 1 error, 2 "
	     "usage.",
    .opts = opts,
    .nopts = sizeof(opts) / sizeof(opts[0]),
    .nums = nums,
    .nnums = sizeof(nums) / sizeof(nums[0]),
};

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

static void progress(void *ud, const struct tsam_fanout_progress *p)
{
	char line[256];
	double rate = p->elapsed > 0 ? (double)p->done / p->elapsed : 0;
	double eta = rate > 0 ? (double)(p->total - p->done) / rate : 0;

	(void)ud;
	snprintf(
	    line, sizeof(line),
	    "tsam-collect: %zu/%zu done, %zu ok, %zu failed, %zu in flight, "
	    "%.1f hosts/s, ETA %.0fs",
	    p->done, p->total, p->ok, p->failed, p->active, rate, eta);
	tsam_log_progress(line);
}

/* Prints the end summary from run.json, grouped by status. */
static void summary(const char *rundir)
{
	json_object *run, *hosts;
	int st;

	if (tsam_rundir_load(rundir, &run, &hosts, NULL) != TSAM_OK)
		return;
	{
		size_t n = json_object_array_length(hosts), i, ok = 0;
		for (i = 0; i < n; i++) {
			const char *s = tsam_json_str(
			    json_object_array_get_idx(hosts, i), "status");
			if (s && strcmp(s, "ok") == 0)
				ok++;
		}
		fprintf(stderr,
			"tsam-collect: %zu hosts: %zu ok, %zu failed; "
			"run record: %s/run.json\n",
			n, ok, n - ok, rundir);
		for (st = 1; st < TSAM_HOST__COUNT; st++) {
			const char *name =
			    tsam_host_status_name((enum tsam_host_status)st);
			size_t count = 0, shown = 0;
			for (i = 0; i < n; i++) {
				const char *s = tsam_json_str(
				    json_object_array_get_idx(hosts, i),
				    "status");
				if (s && strcmp(s, name) == 0)
					count++;
			}
			if (count == 0)
				continue;
			fprintf(stderr, "  %s (%zu):", name, count);
			for (i = 0; i < n && shown < 20; i++) {
				json_object *h =
				    json_object_array_get_idx(hosts, i);
				const char *s = tsam_json_str(h, "status");
				if (s && strcmp(s, name) == 0) {
					fprintf(stderr, " %s",
						tsam_json_str(h, "name"));
					shown++;
				}
			}
			if (count > shown)
				fprintf(stderr, " ... and %zu more",
					count - shown);
			fputc('\n', stderr);
		}
	}
	json_object_put(run);
}

/* This host's escalation: its become= label, else the run's. */
static enum tsam_become become_of(const struct tsam_fanout_opts *o,
				  const struct tsam_host *h)
{
	const char *b = tsam_host_label(h, "become");

	return b ? (enum tsam_become)tsam_become_parse(b) : o->become;
}

/* Whether a selected host uses method. */
static bool become_used(const struct tsam_fanout_opts *o,
			const struct tsam_inventory *inv, const size_t *sel,
			size_t n, enum tsam_become method)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (become_of(o, &inv->hosts[sel[i]]) == method)
			return true;
	return false;
}

/*
 * Warns about the hosts run.json lists as collected without the privilege
 * their products need (sections denied), with what to do; returns how
 * many there were.
 */
static size_t warn_limited(const char *rundir)
{
	json_object *run, *hosts;
	size_t count;
	char names[512];

	if (tsam_rundir_load(rundir, &run, &hosts, NULL) != TSAM_OK)
		return 0;
	count = tsam_rundir_limited(hosts, names, sizeof(names));
	if (count > 0)
		tsam_log(TSAM_LOG_WARN, NULL,
			 "%zu host%s collected without the privilege %s "
			 "products need (their files could not be read; the "
			 "checks on them end in 'error'):%s; collect %s "
			 "again with --retry-failed %s --become sudo (or a "
			 "become= label), see docs/tsam-collect.md "
			 "\"Privilege and access\"",
			 count, count == 1 ? " was" : "s were",
			 count == 1 ? "its" : "their", names,
			 count == 1 ? "it" : "them", rundir);
	json_object_put(run);
	return count;
}

/*
 * ssh_config: -F FILE (none: none), else ~/.ssh/config then
 * /etc/ssh/ssh_config, as ssh reads them; with --verbose, what it holds
 * that tsamkit does not act on. TSAM_EXIT_OK or TSAM_EXIT_FATAL.
 */
static int load_ssh_config(const char *path, const char *home, bool verbose,
			   struct tsam_sshconfig **out)
{
	char user[4200];
	const char *paths[2];
	struct tsam_errbuf eb;
	struct tsam_strlist notes = {0};
	size_t n = 0, i;
	int rc;

	*out = NULL;
	if (path != NULL && strcmp(path, "none") == 0)
		return TSAM_EXIT_OK;
	if (path != NULL) {
		paths[n++] = path;
	} else {
		snprintf(user, sizeof(user), "%s/.ssh/config", home);
		paths[n++] = user;
		paths[n++] = "/etc/ssh/ssh_config";
	}
	tsam_errbuf_clear(&eb);
	rc = tsam_sshconfig_load(paths, n, path != NULL, home, out, &eb);
	if (rc != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
		return TSAM_EXIT_FATAL;
	}
	if (verbose) {
		tsam_sshconfig_notes(*out, &notes);
		for (i = 0; i < notes.n; i++)
			tsam_log(TSAM_LOG_INFO, NULL, "ssh_config: %s",
				 notes.v[i]);
		tsam_strlist_free(&notes);
	}
	return TSAM_EXIT_OK;
}

/* --show-host NAME: how it is reached, every value merged, like ssh -G. */
static int print_host(const struct tsam_collect_opts *co,
		      const struct tsam_inventory *inv, const char *name)
{
	struct tsam_reach_set set;
	struct tsam_errbuf eb;
	long i = tsam_inventory_find(inv, name);
	int rc;

	if (i < 0) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s: no host '%s'", inv->path,
			 name);
		return TSAM_EXIT_FATAL;
	}
	tsam_errbuf_clear(&eb);
	rc = tsam_reach_build(&co->fan, &co->reach, inv, co->config, &set, &eb);
	if (rc != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
		return TSAM_EXIT_FATAL;
	}
	tsam_reach_print(&set, inv, (size_t)i, &co->fan, stdout);
	tsam_reach_set_free(&set);
	return TSAM_EXIT_OK;
}

/* --print-script: what every host will run, for review. */
static int show_script(const char *datadir, const char *list)
{
	struct tsam_strlist names = {0};
	struct tsam_buf script;
	struct tsam_errbuf eb;
	char boundary[33];
	int rc;

	tsam_buf_init(&script, 4u << 20);
	tsam_errbuf_clear(&eb);
	rc = tsam_collect_collectors(datadir, list, &names, &eb);
	if (rc == TSAM_OK)
		rc = tsam_sections_boundary(boundary);
	if (rc == TSAM_OK)
		rc = tsam_collect_script(datadir, (const char *const *)names.v,
					 names.n, boundary, &script, &eb);
	if (rc == TSAM_OK)
		fwrite(script.data, 1, script.len, stdout);
	else
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
	tsam_buf_free(&script);
	tsam_strlist_free(&names);
	return rc == TSAM_OK ? TSAM_EXIT_OK : TSAM_EXIT_FATAL;
}

int main(int argc, char **argv)
{
	struct tsam_collect_opts co;
	struct tsam_collect_summary sum;
	struct tsam_inventory *inv = NULL;
	struct tsam_knownhosts *kh = NULL;
	struct tsam_strlist limits = {0}, collectors = {0}, idpaths = {0};
	struct tsam_identity_keys keys;
	size_t *sel = NULL, nsel = 0;
	const char *inventory = NULL, *rundir = NULL, *passenv = NULL;
	const char *known_hosts = NULL, *collector_list = NULL;
	const char *datadir = tsam_cli_datadir();
	char khdefault[4096], userbuf[256], pwhome[4096];
	struct tsam_errbuf eb;
	bool quiet = false, verbose = false, print_script = false;
	bool ask_become = false, ask_pass = false;
	const char *become_passenv = NULL, *password_env = NULL;
	const char *config_path = NULL, *show_host = NULL;
	struct tsam_sshconfig *config = NULL;
	struct tsam_identity_opts keyopts;
	char *become_password = NULL, *password = NULL;
	struct tsam_cli cli;
	size_t limited;
	int c, rc, ret = TSAM_EXIT_FATAL;

	tsam_log_init("tsam-collect");
	memset(&co, 0, sizeof(co));
	memset(&keys, 0, sizeof(keys));
	tsam_fanout_opts_defaults(&co.fan);

	tsam_cli_start(&cli, &tool, argc, argv);
	while ((c = tsam_cli_next(&cli)) > 0) {
		switch (c) {
		case O_INVENTORY:
			inventory = cli.arg;
			break;
		case O_OUTPUT:
			rundir = cli.arg;
			break;
		case O_RESUME:
		case O_RETRY_FAILED:
			if (co.mode != TSAM_COLLECT_FRESH)
				return tsam_cli_usage_error(
				    &tool, "--resume and --retry-failed "
					   "exclude each other");
			co.mode = c == O_RESUME ? TSAM_COLLECT_RESUME
						: TSAM_COLLECT_RETRY_FAILED;
			rundir = cli.arg;
			break;
		case O_LIMIT:
			if (tsam_strlist_add(&limits, cli.arg) != TSAM_OK)
				return TSAM_EXIT_FATAL; /* out of memory */
			break;
		case O_JOBS:
			co.fan.jobs = (unsigned)cli.num;
			break;
		case O_USER:
			co.fan.default_user = cli.arg;
			co.reach.user_set = true;
			break;
		case O_PORT:
			co.fan.default_port = (unsigned)cli.num;
			co.reach.port_set = true;
			break;
		case O_IDENTITY:
			if (tsam_strlist_add(&idpaths, cli.arg) != TSAM_OK)
				return TSAM_EXIT_FATAL; /* out of memory */
			break;
		case O_NO_AGENT:
			co.fan.use_agent = false;
			break;
		case O_PASSENV:
			passenv = cli.arg;
			break;
		case O_KNOWN_HOSTS:
			known_hosts = cli.arg;
			co.reach.known_hosts_set = true;
			break;
		case O_ACCEPT_NEW:
			co.fan.accept_new = true;
			co.reach.accept_new_set = true;
			break;
		case O_COLLECTORS:
			collector_list = cli.arg;
			break;
		case O_DATADIR:
			datadir = cli.arg;
			break;
		case O_CONNECT_TO:
			co.fan.connect_timeout_ms = (int)cli.num * 1000;
			co.reach.connect_timeout_set = true;
			break;
		case O_LOGIN_TO:
			co.fan.login_timeout_ms = (int)cli.num * 1000;
			break;
		case O_COMMAND_TO:
			co.fan.command_timeout_ms = (int)cli.num * 1000;
			break;
		case O_DEADLINE:
			co.fan.deadline = (double)time(NULL) + (double)cli.num;
			break;
		case O_MAX_OUTPUT:
			co.fan.max_output = (size_t)cli.num;
			break;
		case O_RETRIES:
			co.fan.retries = (unsigned)cli.num;
			break;
		case O_CONFIG:
			config_path = cli.arg;
			break;
		case O_SHOW_HOST:
			show_host = cli.arg;
			break;
		case O_JUMP:
			co.reach.jump = cli.arg;
			break;
		case O_JUMP_CHANNELS:
			co.fan.jump_channels = (unsigned)cli.num;
			break;
		case O_MAX_STARTUPS:
			co.fan.max_startups = (unsigned)cli.num;
			break;
		case O_KEEPALIVE:
			co.fan.keepalive_s = (int)cli.num;
			co.reach.keepalive_set = true;
			break;
		case O_PRINT_SCRIPT:
			print_script = true;
			break;
		case O_BECOME:
			if (tsam_become_parse(cli.arg) < 0)
				return tsam_cli_usage_error(
				    &tool,
				    "--become: '%s' is not sudo, doas or none",
				    cli.arg);
			co.fan.become =
			    (enum tsam_become)tsam_become_parse(cli.arg);
			break;
		case O_BECOME_PASSENV:
			become_passenv = cli.arg;
			break;
		case O_ASK_BECOME_PASS:
			ask_become = true;
			break;
		case O_PASSWORD_ENV:
			password_env = cli.arg;
			break;
		case O_ASK_PASS:
			ask_pass = true;
			break;
		case O_QUIET:
			quiet = true;
			break;
		case O_VERBOSE:
			verbose = true;
			break;
		}
	}
	if (c == TSAM_CLI_EXIT)
		return cli.status;
	if (optind < argc)
		return tsam_cli_usage_error(&tool, "unexpected argument '%s'",
					    argv[optind]);
	if (print_script)
		return show_script(datadir, collector_list);
	if (inventory == NULL && show_host == NULL)
		return tsam_cli_usage_error(
		    &tool, "need -i INVENTORY and -o RUNDIR (or "
			   "--resume/--retry-failed RUNDIR)");
	if (quiet)
		tsam_log_set_level(TSAM_LOG_WARN);
	else if (verbose)
		tsam_log_set_level(TSAM_LOG_DEBUG);
	if (rundir == NULL && show_host == NULL)
		return tsam_cli_usage_error(
		    &tool,
		    "need -o RUNDIR (or --resume/--retry-failed RUNDIR)");
	{
		/* as ssh: the password database says who and where home is */
		struct passwd *pw = getpwuid(getuid());
		snprintf(userbuf, sizeof(userbuf), "%s",
			 pw ? pw->pw_name : "root");
		snprintf(pwhome, sizeof(pwhome), "%s",
			 pw && pw->pw_dir ? pw->pw_dir : "/");
		co.reach.local_user = userbuf;
		co.reach.home = pwhome;
	}
	if (co.fan.default_user == NULL)
		co.fan.default_user = userbuf;
	if (known_hosts == NULL) {
		const char *home = getenv("HOME");
		snprintf(khdefault, sizeof(khdefault), "%s/.ssh/known_hosts",
			 home ? home : ".");
		known_hosts = khdefault;
	}

	signal(SIGPIPE, SIG_IGN);
	{
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGINT, &sa, NULL);
		sigaction(SIGTERM, &sa, NULL);
	}
	co.fan.stop = &stop_flag;
	umask(077);

	tsam_errbuf_clear(&eb);
	if (inventory != NULL)
		rc = tsam_inventory_load(inventory, &inv, &eb);
	else /* --show-host NAME alone: NAME as an inventory line */
		rc = tsam_inventory_parse("--show-host", show_host,
					  strlen(show_host), &inv, &eb);
	if (rc != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
		goto out;
	}
	if (inventory == NULL)
		inventory = "--show-host";
	if ((rc = load_ssh_config(config_path, pwhome, verbose, &config)) !=
	    TSAM_OK)
		goto out;
	tsam_errbuf_clear(&eb);
	if ((rc = tsam_inventory_select(inv, (const char *const *)limits.v,
					limits.n, &sel, &nsel, &eb)) !=
	    TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
		goto out;
	}
	/* Two names that map to one snapshot file would overwrite each
	 * other: refused before anything is contacted. */
	tsam_errbuf_clear(&eb);
	if ((rc = tsam_rundir_file_clashes(inv, &eb)) != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
		goto out;
	}

	/* Keys: --identity, the defaults when neither it nor ssh_config
	 * names one, and every identity= label. */
	keyopts.passenv = passenv;
	keyopts.ask = tsam_cli_ask_secret;
	keyopts.use_agent = co.fan.use_agent;
	co.reach.keys = &keyopts;
	tsam_errbuf_clear(&eb);
	if ((rc = tsam_identity_keys_prepare(
		 &keys, (const char *const *)idpaths.v, idpaths.n,
		 getenv("HOME"), inv, sel, nsel, &keyopts, &eb)) != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
		goto out;
	}
	co.reach.default_ids = keys.defaults;
	co.reach.ndefault_ids = keys.ndefaults;
	/* Passwords: from a named variable or the terminal, never argv. */
	if (tsam_cli_secret("login password", password_env, ask_pass,
			    &password) != TSAM_OK ||
	    tsam_cli_secret("become password", become_passenv, ask_become,
			    &become_password) != TSAM_OK)
		goto out;
	co.fan.password = password;
	co.fan.become_password = become_password;
	if (become_password != NULL &&
	    !become_used(&co.fan, inv, sel, nsel, TSAM_BECOME_SUDO))
		tsam_log(TSAM_LOG_WARN, NULL,
			 "a become password was given but no host uses "
			 "--become sudo or a become=sudo label");
	if (become_password != NULL &&
	    become_used(&co.fan, inv, sel, nsel, TSAM_BECOME_DOAS))
		tsam_log(TSAM_LOG_WARN, NULL,
			 "doas reads passwords only from a terminal: hosts "
			 "that use doas need a 'permit nopass' rule");
	co.fan.ids = keys.ids;
	co.fan.nids = keys.nids;
	co.fan.host_ids = keys.host_ids;
	co.fan.nhost_ids = keys.nhost_ids;

	{
		size_t nbad = 0;
		tsam_errbuf_clear(&eb);
		if ((rc = tsam_knownhosts_load(known_hosts, &kh, &nbad, &eb)) !=
		    TSAM_OK) {
			tsam_log(TSAM_LOG_ERROR, NULL, "%s",
				 tsam_errbuf_str(&eb, rc));
			goto out;
		}
	}
	co.fan.kh = kh;

	tsam_errbuf_clear(&eb);
	if ((rc = tsam_collect_collectors(datadir, collector_list, &collectors,
					  &eb)) != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
		goto out;
	}
	co.config = config;
	if (show_host != NULL) {
		ret = print_host(&co, inv, show_host);
		goto out;
	}
	co.rundir = rundir;
	co.datadir = datadir;
	co.collectors = (const char *const *)collectors.v;
	co.ncollectors = collectors.n;
	if (!quiet && tsam_log_is_tty())
		co.fan.progress = progress;

	if (tsam_ssh_global_init() != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "libssh2 initialisation failed");
		goto out;
	}
	tsam_errbuf_clear(&eb);
	rc = tsam_collect_run(&co, inv, sel, nsel, &sum, &eb);
	tsam_ssh_global_exit();
	tsam_log_progress_clear();
	if (rc != TSAM_OK && rc != TSAM_ERR_INTERRUPTED) {
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(&eb, rc));
		goto out;
	}
	if (!quiet)
		summary(rundir);
	limited = warn_limited(rundir);
	if (sum.interrupted)
		tsam_log(TSAM_LOG_WARN, NULL,
			 "run interrupted; continue it with --resume %s",
			 rundir);
	ret = (sum.counts[TSAM_HOST_OK] == nsel && limited == 0)
		  ? TSAM_EXIT_OK
		  : TSAM_EXIT_FAILED;
out:
	tsam_inventory_free(inv);
	tsam_knownhosts_free(kh);
	tsam_identity_keys_free(&keys);
	tsam_sshconfig_free(config);
	tsam_strlist_free(&limits);
	tsam_strlist_free(&collectors);
	tsam_strlist_free(&idpaths);
	free(sel);
	tsam_cli_secret_free(password);
	tsam_cli_secret_free(become_password);
	return ret;
}
