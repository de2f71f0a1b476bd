/*
 * fuzz_cases.c - libFuzzer target for the case exports: the input is a
 * cases CSV, optionally followed by "\n--\n" and an event log CSV. Both go
 * through the CSV reader, the mapping (ISO or, when the input starts with
 * 'P', which is skipped, a "%d/%m/%Y %H:%M" pattern with a zone), the loader
 * and the whole SLA computation on a 24x7 calendar. An input starting with
 * 'H' or 'C' (skipped) reads the event file as a history log through a
 * mapping of every history key: 'H' snapshots (state, severity, reopens,
 * owner; the cases file is the log itself, "?" empty), 'C' field changes
 * (field, value). An event part starting with '{' or '[' is read as a
 * JSON export (jsonrows.c: Jira changelog, Zendesk audits; corpus
 * *-json). Every loaded file must account for every row: rows =
 * used + rejected + other + lost, and a history log's used rows are each
 * in one of its three counts.
 */
#define _GNU_SOURCE
#include "cases.h"
#include "sla.h"

#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int mem_file(const uint8_t *p, size_t n, char path[64])
{
	int fd = memfd_create("fuzz", 0);

	if (fd < 0 || write(fd, p, n) != (ssize_t)n)
		__builtin_trap();
	snprintf(path, 64, "/proc/self/fd/%d", fd);
	return fd;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tsam_policy pol;
	static struct tsam_cal *wall;
	struct tsam_mapping map;
	struct tsam_cases cs;
	struct tsam_cases_opts co;
	struct tsam_sla_opts so;
	const uint8_t *sep;
	char cp[64], ep[64];
	json_object *out = NULL;
	int fc, fe = -1, s, t;

	if (wall == NULL) {
		if (tsam_cal_named(".", "24x7", &wall, NULL) != TSAM_OK)
			__builtin_trap();
		pol.raise_after_days = 30;
		for (s = 0; s < TSAM_SEVERITIES; s++)
			for (t = 0; t < TSAM_TARGETS; t++) {
				pol.spec[2][s][t].kind = TSAM_SPEC_DURATION;
				pol.spec[2][s][t].seconds = 3600 * (s + 1);
			}
		pol.credit_tier[2] = pol.credit_target[0] = true;
		pol.credit_percent[0] = 10;
		pol.credit_cap = 25;
	}
	if (tsam_mapping_init(&map) != TSAM_OK)
		return 0;
	if (size > 0 && (data[0] == 'H' || data[0] == 'C')) {
		static const char common[] =
		    "\"states\":{\"new\":\"none\",\"open\":\"none\","
		    "\"pending\":\"pending_customer\",\"solved\":"
		    "\"resolved\",\"closed\":\"closed\",\"esc\":"
		    "\"escalation_manager\"},";
		char mp[64], js[1024];
		int fm, n;

		n = snprintf(
		    js, sizeof(js),
		    data[0] == 'H'
			? "{\"schema\":\"tsamkit-mapping/1\",%s"
			  "\"events\":{\"state\":\"status\","
			  "\"reopen_count\":\"reopens\",\"assignee\":"
			  "\"owner\"},\"history\":{\"layout\":\"snapshots\","
			  "\"cases_file\":\"log\",\"empty_values\":[\"?\"],"
			  "\"first_response\":{\"leaves_states\":[\"new\"],"
			  "\"assignee\":true}}}"
			: "{\"schema\":\"tsamkit-mapping/1\",%s"
			  "\"cases\":{\"key\":\"key\"},"
			  "\"events\":{\"field\":\"field\",\"value\":"
			  "\"value\"},\"events_time_format\":\"iso\","
			  "\"history\":{\"layout\":\"changes\",\"fields\":"
			  "{\"status\":\"state\",\"priority\":\"severity\","
			  "\"reopens\":\"reopen_count\",\"owner\":"
			  "\"assignee\"},\"first_response\":{"
			  "\"leaves_states\":[\"new\"]}}}",
		    common);
		fm = mem_file((const uint8_t *)js, (size_t)n, mp);
		if (tsam_mapping_load(&map, mp, NULL) != TSAM_OK)
			__builtin_trap(); /* the mapping itself is valid */
		close(fm);
		data++;
		size--;
	}
	if (size > 0 && data[0] == 'P') {
		data++;
		size--;
		free(map.time_format);
		map.time_format = strdup("%d/%m/%Y %H:%M");
		if (tsam_tz_load(NULL, "Europe/London", &map.tz, NULL) !=
		    TSAM_OK)
			map.tz = NULL;
	}
	sep = memmem(data, size, "\n--\n", 4);
	fc = mem_file(data, sep ? (size_t)(sep - data) : size, cp);
	if (sep)
		fe = mem_file(sep + 4, size - (size_t)(sep + 4 - data), ep);
	memset(&cs, 0, sizeof(cs));
	memset(&co, 0, sizeof(co));
	co.cases_path = cp;
	co.events_path = sep ? ep : NULL;
	co.map = &map;
	if (tsam_cases_load(&cs, &co, NULL) == TSAM_OK) {
		for (s = 0; s < 2; s++) {
			const struct tsam_input *in = &cs.in[s];

			if (in->path != NULL &&
			    in->rows !=
				in->used + in->rejected + in->other + in->lost)
				__builtin_trap(); /* a row not accounted for */
		}
		if (cs.nrej > TSAM_CASES_MAX_REJECTS)
			__builtin_trap();
		if (cs.hist.layout != TSAM_HIST_NONE && cs.in[1].path &&
		    cs.hist.with_events + cs.hist.without_events +
			    cs.hist.untracked !=
			cs.in[1].used)
			__builtin_trap(); /* a history row in no count */
		memset(&so, 0, sizeof(so));
		so.policy = &pol;
		so.tier = TSAM_TIER_PLATINUM;
		so.support = so.wall = wall;
		so.year = 2026;
		so.quarter = 3;
		if (tsam_sla_stats(&cs, &so, &out, NULL) == TSAM_OK)
			json_object_put(out);
	}
	tsam_cases_free(&cs);
	tsam_mapping_free(&map);
	close(fc);
	if (fe >= 0)
		close(fe);
	return 0;
}
