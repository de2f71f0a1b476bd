/*
 * gen-cases.c - writes a synthetic cases export and event log for the
 * tsam-cases benchmark: N cases (default 1,000,000) over five quarters,
 * each with a first response, vendor updates, sometimes a severity
 * change, a customer-pending pause, escalations, a reopening. A fixed
 * seed (xorshift64*) makes the files the same on every run; another SEED
 * and an id PREFIX make another customer's export (examples/generate.sh).
 * Usage: gen-cases N CASES.csv EVENTS.csv [SEED [PREFIX [CUSTOMER]]]
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static uint64_t state = 0x2026112620261126ull;

static uint32_t rnd(uint32_t n)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 2685821657736338717ull) >> 33) % n;
}

/* "2026-07-06T10:00:00+09:00" for epoch t shown in JST. */
static void jst(char out[32], int64_t t)
{
	time_t l = (time_t)(t + 9 * 3600);
	struct tm tm;

	gmtime_r(&l, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

int main(int argc, char **argv)
{
	static const char *chan[] = {"phone", "email", "web", "web"};
	static const char *prod[] = {"Sophos Protection for Linux",
				     "Sophos Anti-Virus for Linux",
				     "Sophos Central", "Sophos Firewall"};
	static const char *step[] = {"vendor_update", "customer_update",
				     "vendor_update", "pending_customer"};
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1000000, i;
	const char *prefix = argc > 5 ? argv[5] : "CS";
	const char *customer = argc > 6 ? argv[6] : "acme";
	FILE *c, *e;
	int64_t t0 = 1751295600; /* 2025-07-01T00:00:00+09:00 */
	char a[32];

	if (argc < 4 || argc > 7 || n <= 0 || !(c = fopen(argv[2], "w")) ||
	    !(e = fopen(argv[3], "w"))) {
		fprintf(stderr, "usage: gen-cases N CASES.csv EVENTS.csv "
				"[SEED [PREFIX [CUSTOMER]]]\n");
		return 2;
	}
	if (argc > 4)
		state ^= strtoull(argv[4], NULL, 10) * 0x9e3779b97f4a7c15ull;
	fprintf(c, "id,created,severity,channel,product,subject,customer\n");
	fprintf(e, "case,time,kind,severity\n");
	for (i = 0; i < n; i++) {
		int64_t t = t0 + (int64_t)rnd(460) * 86400 + rnd(86400);
		int sev = 1 + (rnd(10) > 0) + (rnd(3) > 0) + (rnd(4) == 0);
		int k, steps = 1 + (int)rnd(5);
		bool paused = false;

		jst(a, t);
		fprintf(
		    c,
		    "%s%07ld,%s,%d,%s,%s,\"Case %ld, \"\"synthetic\"\"\",%s\n",
		    prefix, i, a, sev, chan[rnd(4)], prod[rnd(4)], i, customer);
		t += 60 + rnd(sev == 1 ? 4000 : 40000);
		jst(a, t);
		fprintf(e, "%s%07ld,%s,first_response,\n", prefix, i, a);
		if (rnd(8) == 0) {
			t += rnd(7200);
			jst(a, t);
			fprintf(e, "%s%07ld,%s,severity_change,%d\n", prefix, i,
				a, sev > 1 ? sev - 1 : 2);
		}
		for (k = 0; k < steps; k++) {
			const char *s = step[rnd(4)];

			t += 600 + rnd(sev <= 2 ? 20000 : 200000);
			jst(a, t);
			if (paused && s[0] == 'p')
				s = "resumed";
			paused = s[0] == 'p';
			fprintf(e, "%s%07ld,%s,%s,\n", prefix, i, a, s);
			if (sev <= 2 && k == 1 && rnd(3) == 0)
				fprintf(e, "%s%07ld,%s,escalation_manager,\n",
					prefix, i, a);
		}
		t += 600 + rnd(90000);
		jst(a, t);
		fprintf(e, "%s%07ld,%s,resolved,\n", prefix, i, a);
		if (rnd(20) == 0) {
			t += 86400 + rnd(86400 * 5);
			jst(a, t);
			fprintf(e, "%s%07ld,%s,reopened,\n", prefix, i, a);
			t += 3600 + rnd(86400);
			jst(a, t);
			fprintf(e, "%s%07ld,%s,resolved,\n", prefix, i, a);
		}
	}
	return fclose(c) != 0 || fclose(e) != 0;
}
