/*
 * facts_linux.c - facts from the linux-base collector: os.*, host.*, hw.*,
 * disk[], time.*, security.*, packages[], and the load averages as a
 * share of the CPUs (host.load*_pct). See docs/facts.md.
 */
#include "facts.h"
#include "str.h"

#include <stdio.h>
#include <string.h>

#define COLL "linux-base"

/* A section whose command succeeded, or NULL (then its facts are absent). */
static const struct tsam_section *sec(const struct tsam_sections *secs,
				      const char *name)
{
	return tsam_facts_ok_section(secs, COLL, name);
}

static struct tsam_cur body(const struct tsam_section *s)
{
	return tsam_cur_make(s->body, s->len);
}

/* Strips one pair of matching quotes from a shell-style value. */
static struct tsam_cur unquote(struct tsam_cur v)
{
	if (v.n >= 2 && (v.p[0] == '"' || v.p[0] == '\'') &&
	    v.p[v.n - 1] == v.p[0]) {
		v.p++;
		v.n -= 2;
	}
	return v;
}

static void os_release(const struct tsam_sections *secs, struct tsam_facts *f)
{
	static const struct {
		const char *key, *fact;
	} map[] = {{"ID", "os.id"},
		   {"ID_LIKE", "os.id_like"},
		   {"VERSION_ID", "os.version_id"},
		   {"PRETTY_NAME", "os.name"}};
	const struct tsam_section *s = sec(secs, "os-release");
	struct tsam_cur all, line;
	size_t i, lineno = 0;
	bool any = false;

	if (s == NULL)
		return;
	all = body(s);
	while (tsam_cur_getline(&all, &line)) {
		const char *eq;
		lineno++;
		tsam_cur_trim(&line);
		if (line.n == 0 || line.p[0] == '#')
			continue;
		eq = memchr(line.p, '=', line.n);
		if (eq == NULL) {
			tsam_facts_error(f, COLL, "os-release", lineno,
					 "not KEY=value");
			continue;
		}
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			struct tsam_cur k = {line.p, (size_t)(eq - line.p)};
			struct tsam_cur v = {eq + 1, line.n - k.n - 1};
			if (tsam_cur_eq(k, map[i].key)) {
				v = unquote(v);
				tsam_facts_set_strn(f, map[i].fact, v.p, v.n);
				any = true;
			}
		}
	}
	if (!any)
		tsam_facts_error(f, COLL, "os-release", 0,
				 "no ID or VERSION_ID");
}

static void uname_facts(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = sec(secs, "uname");
	struct tsam_cur all, line, tok, last = {NULL, 0};
	int n = 0;

	if (s == NULL)
		return;
	all = body(s);
	if (!tsam_cur_getline(&all, &line))
		return;
	/* "Linux <release> <version, with spaces> <machine>" */
	while (tsam_cur_token(&line, &tok)) {
		n++;
		if (n == 1)
			tsam_facts_set_strn(f, "os.kernel_name", tok.p, tok.n);
		else if (n == 2)
			tsam_facts_set_strn(f, "os.kernel", tok.p, tok.n);
		last = tok;
	}
	if (n < 3)
		tsam_facts_error(f, COLL, "uname", 1,
				 "expected 'name release version machine'");
	else
		tsam_facts_set_strn(f, "hw.arch", last.p, last.n);
}

/* The integer at the start of c (digits only), or -1. */
static int64_t leading_int(struct tsam_cur c)
{
	size_t i = 0;
	uint64_t v;

	while (i < c.n && c.p[i] >= '0' && c.p[i] <= '9')
		i++;
	if (tsam_cur_to_u64(tsam_cur_make(c.p, i), INT64_MAX, &v) != TSAM_OK)
		return -1;
	return (int64_t)v;
}

static void uptime(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = sec(secs, "uptime");
	int64_t v;

	if (s == NULL)
		return;
	v = leading_int(body(s));
	if (v < 0)
		tsam_facts_error(f, COLL, "uptime", 1, "no seconds count");
	else
		tsam_facts_set_int(f, "host.uptime_s", v);
}

/* hw.cpu_count and hw.cpu_model; returns the count (0: not known). */
static int64_t cpuinfo(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = sec(secs, "cpuinfo");
	struct tsam_cur all, line;
	int64_t count = 0;
	bool model = false;

	if (s == NULL)
		return 0;
	all = body(s);
	while (tsam_cur_getline(&all, &line)) {
		struct tsam_cur k, v;
		if (!tsam_cur_split(line, ':', &k, &v))
			continue;
		if (tsam_cur_eq(k, "processor"))
			count++;
		else if (!model && tsam_cur_eq(k, "model name")) {
			tsam_facts_set_strn(f, "hw.cpu_model", v.p, v.n);
			model = true;
		}
	}
	if (count == 0)
		tsam_facts_error(f, COLL, "cpuinfo", 0, "no processor lines");
	else
		tsam_facts_set_int(f, "hw.cpu_count", count);
	return count;
}

/* A load average as /proc/loadavg prints it ("12.34"), in hundredths;
 * -1 when it is not one (at most 10^6, two decimals read). */
static int64_t load_hundredths(struct tsam_cur c)
{
	int64_t v = 0;
	size_t i = 0, d;

	while (i < c.n && c.p[i] >= '0' && c.p[i] <= '9' && v <= 1000000)
		v = v * 10 + (c.p[i++] - '0');
	if (i == 0 || v > 1000000)
		return -1;
	v *= 100;
	if (i < c.n && c.p[i] == '.') {
		i++;
		for (d = 0; d < 2 && i < c.n && c.p[i] >= '0' && c.p[i] <= '9';
		     d++, i++)
			v += (c.p[i] - '0') * (d == 0 ? 10 : 1);
		while (i < c.n && c.p[i] >= '0' && c.p[i] <= '9')
			i++;
	}
	return i == c.n ? v : -1;
}

/*
 * /proc/loadavg: "0.52 0.58 0.59 1/467 12345". The 1, 5 and 15 minute
 * load averages as a percentage of the logical CPUs (100: every CPU busy
 * or waited for, on average), rounded: host.load1_pct, host.load5_pct,
 * host.load15_pct. Nothing without the CPU count.
 */
static void loadavg(const struct tsam_sections *secs, struct tsam_facts *f,
		    int64_t cpus)
{
	static const char *const names[] = {"host.load1_pct", "host.load5_pct",
					    "host.load15_pct"};
	const struct tsam_section *s = sec(secs, "loadavg");
	struct tsam_cur all, line, tok;
	int64_t v[3];
	size_t i;

	if (s == NULL || cpus <= 0)
		return;
	all = body(s);
	if (!tsam_cur_getline(&all, &line)) {
		tsam_facts_error(f, COLL, "loadavg", 1, "empty");
		return;
	}
	for (i = 0; i < 3; i++)
		if (!tsam_cur_token(&line, &tok) ||
		    (v[i] = load_hundredths(tok)) < 0) {
			tsam_facts_error(f, COLL, "loadavg", 1,
					 "expected three load averages");
			return;
		}
	for (i = 0; i < 3; i++)
		tsam_facts_set_int(f, names[i], (v[i] + cpus / 2) / cpus);
}

static void meminfo(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = sec(secs, "meminfo");
	struct tsam_cur all, line;
	size_t lineno = 0;
	bool total = false;

	if (s == NULL)
		return;
	all = body(s);
	while (tsam_cur_getline(&all, &line)) {
		struct tsam_cur key, val;
		const char *fact = NULL;
		int64_t kb;
		lineno++;
		if (!tsam_cur_token(&line, &key))
			continue;
		if (tsam_cur_eq(key, "MemTotal:"))
			fact = "hw.mem_total_mb";
		else if (tsam_cur_eq(key, "MemAvailable:"))
			fact = "hw.mem_available_mb";
		else if (tsam_cur_eq(key, "SwapTotal:"))
			fact = "hw.swap_total_mb";
		if (fact == NULL)
			continue;
		if (!tsam_cur_token(&line, &val) ||
		    (kb = leading_int(val)) < 0 || kb != leading_int(val) ||
		    val.n == 0) {
			tsam_facts_error(f, COLL, "meminfo", lineno,
					 "bad number for %.*s", (int)key.n,
					 key.p);
			continue;
		}
		tsam_facts_set_int(f, fact, kb / 1024);
		if (strcmp(fact, "hw.mem_total_mb") == 0)
			total = true;
	}
	if (!total)
		tsam_facts_error(f, COLL, "meminfo", 0, "no MemTotal line");
}

/* df -P -k: "Filesystem 1024-blocks Used Available Capacity Mounted on" */
static void df(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s = tsam_facts_section(secs, COLL, "df");
	json_object *list;
	struct tsam_cur all, line;
	size_t lineno = 0;

	/* df exits 1 when one of the paths is missing: still read the rest. */
	if (s == NULL || s->len == 0)
		return;
	list = json_object_new_array();
	all = body(s);
	while (tsam_cur_getline(&all, &line)) {
		struct tsam_cur tok[6], mount;
		int64_t num[4];
		json_object *d;
		size_t i, k;
		bool dup = false;

		lineno++;
		for (k = 0; k < 6 && tsam_cur_token(&line, &tok[k]); k++)
			;
		/* header; "df: /opt/x: No such file..." for absent paths */
		if (k == 0 || tsam_cur_eq(tok[0], "Filesystem") ||
		    tsam_cur_eq(tok[0], "df:"))
			continue;
		if (k < 6) {
			tsam_facts_error(f, COLL, "df", lineno,
					 "expected 6 columns");
			continue;
		}
		for (i = 0; i < 4; i++)
			num[i] = leading_int(tok[i + 1]);
		if (num[0] < 0 || num[1] < 0 || num[2] < 0 || num[3] < 0) {
			tsam_facts_error(f, COLL, "df", lineno, "bad number");
			continue;
		}
		/* The mount point is the rest of the line (may hold spaces). */
		mount = tok[5];
		mount.n = (size_t)(line.p - tok[5].p) + line.n;
		tsam_cur_trim(&mount);
		for (i = 0; i < json_object_array_length(list); i++) {
			const char *m = tsam_json_str(
			    json_object_array_get_idx(list, i), "mount");
			if (m && strlen(m) == mount.n &&
			    memcmp(m, mount.p, mount.n) == 0)
				dup = true;
		}
		if (dup)
			continue;
		d = json_object_new_object();
		tsam_json_add_bytes(d, "mount", mount.p, mount.n);
		tsam_json_add_bytes(d, "device", tok[0].p, tok[0].n);
		tsam_json_add_int(d, "size_mb", num[0] / 1024);
		tsam_json_add_int(d, "used_mb", num[1] / 1024);
		tsam_json_add_int(d, "free_mb", num[2] / 1024);
		tsam_json_add_int(d, "used_pct", num[3]);
		json_object_array_add(list, d);
	}
	/* no file system read at all (df failed for every path): not known,
	 * never an empty list a rule would find nothing wrong in */
	if (json_object_array_length(list) == 0) {
		json_object_put(list);
		tsam_facts_error(f, COLL, "df", 0,
				 "no file system in the output");
		return;
	}
	tsam_facts_set(f, "disk", list);
}

static void names(const struct tsam_sections *secs, struct tsam_facts *f)
{
	static const char *const which[][2] = {{"hostname", "host.name"},
					       {"hostname-fqdn", "host.fqdn"}};
	size_t i;

	for (i = 0; i < 2; i++) {
		const struct tsam_section *s = sec(secs, which[i][0]);
		struct tsam_cur all, line;
		if (s == NULL)
			continue;
		all = body(s);
		if (tsam_cur_getline(&all, &line)) {
			tsam_cur_trim(&line);
			if (line.n > 0)
				tsam_facts_set_strn(f, which[i][1], line.p,
						    line.n);
		}
	}
}

/* "12.3456" seconds -> 12345 ms (truncated); false if not a number. */
static bool seconds_to_ms(struct tsam_cur c, int64_t *ms)
{
	const char *dot = memchr(c.p, '.', c.n);
	struct tsam_cur whole = {c.p, dot ? (size_t)(dot - c.p) : c.n};
	uint64_t w;
	int64_t frac = 0;
	size_t i;

	if (tsam_cur_to_u64(whole, 1000000000, &w) != TSAM_OK)
		return false;
	for (i = 0; dot && i < 3; i++) {
		size_t k = (size_t)(dot - c.p) + 1 + i;
		char d = k < c.n ? c.p[k] : '0';
		if (d < '0' || d > '9')
			return false;
		frac = frac * 10 + (d - '0');
	}
	*ms = (int64_t)w * 1000 + frac;
	return true;
}

/* time.synced / time.source from chrony, systemd-timesyncd or ntpd. */
static void timesync(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s;
	struct tsam_cur all, line;

	if ((s = sec(secs, "chronyc")) != NULL) {
		bool normal = false;
		all = body(s);
		while (tsam_cur_getline(&all, &line)) {
			if (tsam_cur_skip_prefix(&line, "Leap status")) {
				normal = tsam_cur_contains(line, "Normal");
			} else if (tsam_cur_skip_prefix(&line, "System time")) {
				/* "     : 0.000012345 seconds fast of NTP time"
				 */
				struct tsam_cur tok;
				int64_t ms;
				while (line.n > 0 &&
				       (*line.p == ' ' || *line.p == ':')) {
					line.p++;
					line.n--;
				}
				if (tsam_cur_token(&line, &tok) &&
				    seconds_to_ms(tok, &ms))
					tsam_facts_set_int(f, "time.offset_ms",
							   ms);
			}
		}
		tsam_facts_set_str(f, "time.source", "chrony");
		tsam_facts_set_bool(f, "time.synced", normal);
		return;
	}
	if ((s = sec(secs, "timedatectl")) != NULL) {
		bool synced = false, found = false;
		all = body(s);
		while (tsam_cur_getline(&all, &line)) {
			if (tsam_cur_skip_prefix(&line, "NTPSynchronized=")) {
				synced = tsam_cur_eq(line, "yes");
				found = true;
			}
		}
		if (found) {
			tsam_facts_set_str(f, "time.source",
					   "systemd-timesyncd");
			tsam_facts_set_bool(f, "time.synced", synced);
			return;
		}
	}
	if ((s = sec(secs, "ntpq")) != NULL) {
		bool peer = false;
		all = body(s);
		while (tsam_cur_getline(&all, &line))
			if (line.n > 0 && line.p[0] == '*')
				peer = true;
		tsam_facts_set_str(f, "time.source", "ntpd");
		tsam_facts_set_bool(f, "time.synced", peer);
		return;
	}
	tsam_facts_set_str(f, "time.source", "none");
	tsam_facts_set_bool(f, "time.synced", false);
}

static void security(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s;
	struct tsam_cur all, line;

	if ((s = sec(secs, "getenforce")) != NULL) {
		all = body(s);
		if (tsam_cur_getline(&all, &line)) {
			tsam_cur_trim(&line);
			if (tsam_cur_eq(line, "Enforcing"))
				tsam_facts_set_str(f, "security.selinux",
						   "enforcing");
			else if (tsam_cur_eq(line, "Permissive"))
				tsam_facts_set_str(f, "security.selinux",
						   "permissive");
			else if (tsam_cur_eq(line, "Disabled"))
				tsam_facts_set_str(f, "security.selinux",
						   "disabled");
			else
				tsam_facts_error(f, COLL, "getenforce", 1,
						 "unknown SELinux mode");
		}
	}
	if ((s = sec(secs, "apparmor")) != NULL) {
		all = body(s);
		if (tsam_cur_getline(&all, &line)) {
			tsam_cur_trim(&line);
			tsam_facts_set_bool(f, "security.apparmor",
					    tsam_cur_eq(line, "Y"));
		}
	}
}

static void packages(const struct tsam_sections *secs, struct tsam_facts *f)
{
	const struct tsam_section *s =
	    tsam_facts_section(secs, COLL, "packages");
	json_object *list;
	struct tsam_cur all, line;

	/* rpm -q exits non-zero when a pattern matches nothing. */
	if (s == NULL)
		return;
	list = json_object_new_array();
	all = body(s);
	while (tsam_cur_getline(&all, &line)) {
		struct tsam_cur name, ver, extra;
		json_object *p;
		if (!tsam_cur_token(&line, &name) ||
		    !tsam_cur_token(&line, &ver) ||
		    tsam_cur_token(&line, &extra))
			continue; /* "package X is not installed" and the like
				   */
		p = json_object_new_object();
		tsam_json_add_bytes(p, "name", name.p, name.n);
		tsam_json_add_bytes(p, "version", ver.p, ver.n);
		json_object_array_add(list, p);
	}
	tsam_facts_set(f, "packages", list);
}

void tsam_facts_linux(const struct tsam_sections *secs, struct tsam_facts *f)
{
	if (tsam_facts_section(secs, COLL, "os-release") == NULL &&
	    tsam_facts_section(secs, COLL, "uname") == NULL)
		return; /* the collector did not run */
	os_release(secs, f);
	uname_facts(secs, f);
	uptime(secs, f);
	loadavg(secs, f, cpuinfo(secs, f));
	meminfo(secs, f);
	df(secs, f);
	names(secs, f);
	timesync(secs, f);
	security(secs, f);
	packages(secs, f);
}
