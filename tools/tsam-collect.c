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

/* The command line, parsed. */
struct args {
	struct tsam_collect_opts co; /* fan and reach options set here */
	struct tsam_strlist limits, idpaths;
	const char *inventory, *rundir, *passenv, *known_hosts;
	const char *collectors, *datadir, *config, *show_host;
	const char *become_passenv, *password_env;
	bool quiet, verbose, print_script, ask_become, ask_pass;
};

/* One option into a; -1 to go on, else the exit status (usage). */
static int take_option(struct args *a, int c, const struct tsam_cli *cli)
{
	struct tsam_fanout_opts *fan = &a->co.fan;
	struct tsam_reach_opts *reach = &a->co.reach;

	switch (c) {
	case O_INVENTORY:
		a->inventory = cli->arg;
		break;
	case O_OUTPUT:
		a->rundir = cli->arg;
		break;
	case O_RESUME:
	case O_RETRY_FAILED:
		if (a->co.mode != TSAM_COLLECT_FRESH)
			return tsam_cli_usage_error(
			    &tool, "--resume and --retry-failed exclude "
				   "each other");
		a->co.mode = c == O_RESUME ? TSAM_COLLECT_RESUME
					   : TSAM_COLLECT_RETRY_FAILED;
		a->rundir = cli->arg;
		break;
	case O_LIMIT:
		if (tsam_strlist_add(&a->limits, cli->arg) != TSAM_OK)
			return TSAM_EXIT_FATAL; /* out of memory */
		break;
	case O_JOBS:
		fan->jobs = (unsigned)cli->num;
		break;
	case O_USER:
		fan->default_user = cli->arg;
		reach->user_set = true;
		break;
	case O_PORT:
		fan->default_port = (unsigned)cli->num;
		reach->port_set = true;
		break;
	case O_IDENTITY:
		if (tsam_strlist_add(&a->idpaths, cli->arg) != TSAM_OK)
			return TSAM_EXIT_FATAL; /* out of memory */
		break;
	case O_NO_AGENT:
		fan->use_agent = false;
		break;
	case O_PASSENV:
		a->passenv = cli->arg;
		break;
	case O_KNOWN_HOSTS:
		a->known_hosts = cli->arg;
		reach->known_hosts_set = true;
		break;
	case O_ACCEPT_NEW:
		fan->accept_new = true;
		reach->accept_new_set = true;
		break;
	case O_COLLECTORS:
		a->collectors = cli->arg;
		break;
	case O_DATADIR:
		a->datadir = cli->arg;
		break;
	case O_CONNECT_TO:
		fan->connect_timeout_ms = (int)cli->num * 1000;
		reach->connect_timeout_set = true;
		break;
	case O_LOGIN_TO:
		fan->login_timeout_ms = (int)cli->num * 1000;
		break;
	case O_COMMAND_TO:
		fan->command_timeout_ms = (int)cli->num * 1000;
		break;
	case O_DEADLINE:
		fan->deadline = (double)time(NULL) + (double)cli->num;
		break;
	case O_MAX_OUTPUT:
		fan->max_output = (size_t)cli->num;
		break;
	case O_RETRIES:
		fan->retries = (unsigned)cli->num;
		break;
	case O_CONFIG:
		a->config = cli->arg;
		break;
	case O_SHOW_HOST:
		a->show_host = cli->arg;
		break;
	case O_JUMP:
		reach->jump = cli->arg;
		break;
	case O_JUMP_CHANNELS:
		fan->jump_channels = (unsigned)cli->num;
		break;
	case O_MAX_STARTUPS:
		fan->max_startups = (unsigned)cli->num;
		break;
	case O_KEEPALIVE:
		fan->keepalive_s = (int)cli->num;
		reach->keepalive_set = true;
		break;
	case O_PRINT_SCRIPT:
		a->print_script = true;
		break;
	case O_BECOME:
		if (tsam_become_parse(cli->arg) < 0)
			return tsam_cli_usage_error(
			    &tool, "--become: '%s' is not sudo, doas or none",
			    cli->arg);
		fan->become = (enum tsam_become)tsam_become_parse(cli->arg);
		break;
	case O_BECOME_PASSENV:
		a->become_passenv = cli->arg;
		break;
	case O_ASK_BECOME_PASS:
		a->ask_become = true;
		break;
	case O_PASSWORD_ENV:
		a->password_env = cli->arg;
		break;
	case O_ASK_PASS:
		a->ask_pass = true;
		break;
	case O_QUIET:
		a->quiet = true;
		break;
	case O_VERBOSE:
		a->verbose = true;
		break;
	}
	return -1;
}

/* argv into a (zeroed here; the caller frees its lists): -1 to go on,
 * else the exit status (help, version, usage). */
static int parse_args(int argc, char **argv, struct args *a)
{
	struct tsam_cli cli;
	int c, st;

	memset(a, 0, sizeof(*a));
	a->datadir = tsam_cli_datadir();
	tsam_fanout_opts_defaults(&a->co.fan);
	tsam_cli_start(&cli, &tool, argc, argv);
	while ((c = tsam_cli_next(&cli)) > 0)
		if ((st = take_option(a, c, &cli)) >= 0)
			return st;
	if (c == TSAM_CLI_EXIT)
		return cli.status;
	if (optind < argc)
		return tsam_cli_usage_error(&tool, "unexpected argument '%s'",
					    argv[optind]);
	if (a->print_script)
		return -1;
	if (a->inventory == NULL && a->show_host == NULL)
		return tsam_cli_usage_error(
		    &tool, "need -i INVENTORY and -o RUNDIR (or "
			   "--resume/--retry-failed RUNDIR)");
	if (a->rundir == NULL && a->show_host == NULL)
		return tsam_cli_usage_error(
		    &tool,
		    "need -o RUNDIR (or --resume/--retry-failed RUNDIR)");
	return -1;
}

/* True, having said why, when rc is an error; eb is clear again for the
 * next call either way. */
static bool failed(int rc, struct tsam_errbuf *eb)
{
	if (rc != TSAM_OK)
		tsam_log(TSAM_LOG_ERROR, NULL, "%s", tsam_errbuf_str(eb, rc));
	tsam_errbuf_clear(eb);
	return rc != TSAM_OK;
}

/* As ssh: the password database says who runs this and where home is;
 * INT and TERM stop the run between hosts (resumable), PIPE is ignored;
 * files are created 0600. */
static void set_process(struct args *a, char *user, size_t nuser, char *home,
			size_t nhome)
{
	struct passwd *pw = getpwuid(getuid());
	struct sigaction sa;

	snprintf(user, nuser, "%s", pw ? pw->pw_name : "root");
	snprintf(home, nhome, "%s", pw && pw->pw_dir ? pw->pw_dir : "/");
	a->co.reach.local_user = user;
	a->co.reach.home = home;
	if (a->co.fan.default_user == NULL)
		a->co.fan.default_user = user;
	signal(SIGPIPE, SIG_IGN);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	a->co.fan.stop = &stop_flag;
	umask(077);
}

/* Passwords, from a named variable or the terminal (never argv), and
 * warnings on a become password nothing will use. */
static bool get_passwords(struct args *a, const struct tsam_inventory *inv,
			  const size_t *sel, size_t nsel, char **password,
			  char **become_password)
{
	if (tsam_cli_secret("login password", a->password_env, a->ask_pass,
			    password) != TSAM_OK ||
	    tsam_cli_secret("become password", a->become_passenv, a->ask_become,
			    become_password) != TSAM_OK)
		return false;
	a->co.fan.password = *password;
	a->co.fan.become_password = *become_password;
	if (*become_password != NULL &&
	    !become_used(&a->co.fan, inv, sel, nsel, TSAM_BECOME_SUDO))
		tsam_log(TSAM_LOG_WARN, NULL,
			 "a become password was given but no host uses "
			 "--become sudo or a become=sudo label");
	if (*become_password != NULL &&
	    become_used(&a->co.fan, inv, sel, nsel, TSAM_BECOME_DOAS))
		tsam_log(TSAM_LOG_WARN, NULL,
			 "doas reads passwords only from a terminal: hosts "
			 "that use doas need a 'permit nopass' rule");
	return true;
}

int main(int argc, char **argv)
{
	struct args a;
	struct tsam_collect_opts *co = &a.co;
	struct tsam_collect_summary sum;
	struct tsam_inventory *inv = NULL;
	struct tsam_knownhosts *kh = NULL;
	struct tsam_sshconfig *config = NULL;
	struct tsam_strlist collectors = {0};
	struct tsam_identity_keys keys;
	struct tsam_identity_opts keyopts;
	struct tsam_errbuf eb;
	size_t *sel = NULL, nsel = 0, nbad = 0, limited;
	char khdefault[4096], userbuf[256], pwhome[4096];
	char *become_password = NULL, *password = NULL;
	int rc, ret = TSAM_EXIT_FATAL;

	tsam_log_init("tsam-collect");
	memset(&keys, 0, sizeof(keys));
	if ((rc = parse_args(argc, argv, &a)) >= 0) {
		ret = rc;
		goto out;
	}
	if (a.print_script) {
		ret = show_script(a.datadir, a.collectors);
		goto out;
	}
	if (a.quiet)
		tsam_log_set_level(TSAM_LOG_WARN);
	else if (a.verbose)
		tsam_log_set_level(TSAM_LOG_DEBUG);
	set_process(&a, userbuf, sizeof(userbuf), pwhome, sizeof(pwhome));
	if (a.known_hosts == NULL) {
		const char *home = getenv("HOME");

		snprintf(khdefault, sizeof(khdefault), "%s/.ssh/known_hosts",
			 home ? home : ".");
		a.known_hosts = khdefault;
	}
	tsam_errbuf_clear(&eb);
	/* the inventory, or --show-host NAME alone as an inventory line */
	if (failed(a.inventory != NULL
		       ? tsam_inventory_load(a.inventory, &inv, &eb)
		       : tsam_inventory_parse("--show-host", a.show_host,
					      strlen(a.show_host), &inv, &eb),
		   &eb) ||
	    load_ssh_config(a.config, pwhome, a.verbose, &config) !=
		TSAM_EXIT_OK ||
	    failed(tsam_inventory_select(inv, (const char *const *)a.limits.v,
					 a.limits.n, &sel, &nsel, &eb),
		   &eb) ||
	    /* two names that map to one snapshot file would overwrite each
	     * other: refused before anything is contacted */
	    failed(tsam_rundir_file_clashes(inv, &eb), &eb))
		goto out;
	/* keys: --identity, the defaults when neither it nor ssh_config
	 * names one, and every identity= label */
	keyopts.passenv = a.passenv;
	keyopts.ask = tsam_cli_ask_secret;
	keyopts.use_agent = co->fan.use_agent;
	co->reach.keys = &keyopts;
	if (failed(tsam_identity_keys_prepare(
		       &keys, (const char *const *)a.idpaths.v, a.idpaths.n,
		       getenv("HOME"), inv, sel, nsel, &keyopts, &eb),
		   &eb) ||
	    !get_passwords(&a, inv, sel, nsel, &password, &become_password) ||
	    failed(tsam_knownhosts_load(a.known_hosts, &kh, &nbad, &eb), &eb) ||
	    failed(tsam_collect_collectors(a.datadir, a.collectors, &collectors,
					   &eb),
		   &eb))
		goto out;
	co->reach.default_ids = keys.defaults;
	co->reach.ndefault_ids = keys.ndefaults;
	co->fan.ids = keys.ids;
	co->fan.nids = keys.nids;
	co->fan.host_ids = keys.host_ids;
	co->fan.nhost_ids = keys.nhost_ids;
	co->fan.kh = kh;
	co->config = config;
	if (a.show_host != NULL) {
		ret = print_host(co, inv, a.show_host);
		goto out;
	}
	co->rundir = a.rundir;
	co->datadir = a.datadir;
	co->collectors = (const char *const *)collectors.v;
	co->ncollectors = collectors.n;
	if (!a.quiet && tsam_log_is_tty())
		co->fan.progress = progress;
	if (tsam_ssh_global_init() != TSAM_OK) {
		tsam_log(TSAM_LOG_ERROR, NULL, "libssh2 initialisation failed");
		goto out;
	}
	rc = tsam_collect_run(co, inv, sel, nsel, &sum, &eb);
	tsam_ssh_global_exit();
	tsam_log_progress_clear();
	if (rc != TSAM_ERR_INTERRUPTED && failed(rc, &eb))
		goto out;
	if (!a.quiet)
		summary(a.rundir);
	limited = warn_limited(a.rundir);
	if (sum.interrupted)
		tsam_log(TSAM_LOG_WARN, NULL,
			 "run interrupted; continue it with --resume %s",
			 a.rundir);
	ret = (sum.counts[TSAM_HOST_OK] == nsel && limited == 0)
		  ? TSAM_EXIT_OK
		  : TSAM_EXIT_FAILED;
out:
	tsam_inventory_free(inv);
	tsam_knownhosts_free(kh);
	tsam_identity_keys_free(&keys);
	tsam_sshconfig_free(config);
	tsam_strlist_free(&a.limits);
	tsam_strlist_free(&collectors);
	tsam_strlist_free(&a.idpaths);
	free(sel);
	tsam_cli_secret_free(password);
	tsam_cli_secret_free(become_password);
	return ret;
}
