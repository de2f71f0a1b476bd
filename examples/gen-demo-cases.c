/*
 * gen-demo-cases.c - the demo portfolio's case and event exports: five
 * quarters (2025Q3-2026Q3) of one customer's cases as a competent support
 * organisation handles them, so that the quarterly reviews built from
 * them read like real ones (examples/generate.sh).
 *
 * Unlike bench/gen-cases.c (the benchmark's random load), every case is
 * simulated against the targets of sla/policy.json for the customer's
 * tier on an approximation of its support calendar (japan: weekdays
 * 09:00-17:30 JST; us: weekdays 09:00-17:30 US Eastern; 24x7): the first
 * response, every status update, the manager and executive escalations
 * are planned inside their targets, and a small share of them (by tier:
 * Platinum fewest) is planned to miss. The real calendars also have
 * holidays and closures, which only move due times later, so a planned
 * "met" is always met and a planned "miss" now and then is not.
 *
 * A story gives some quarters a character ("2:outage,1:staff"; quarter 0
 * is 2025Q3, 4 the review quarter 2026Q3):
 *   outage  a faulty product update: a cluster of urgent and severity-2
 *           cases in two weeks, handled under pressure (more misses);
 *   staff   a staffing gap: responses and updates slip more often;
 *   good    a calm quarter: half the usual misses.
 *
 * A fixed seed (xorshift64*) makes the files the same on every run.
 * Usage: gen-demo-cases N CASES.csv EVENTS.csv SEED PREFIX CUSTOMER
 *                       TIER CALENDAR STORY
 */
#define _POSIX_C_SOURCE 200809L

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define H      3600
#define MIN    60
#define DAY    86400
#define NQ     5
#define MAX_EV 400

static uint64_t state = 0x2026112620261126ull;

static uint32_t rnd(uint32_t n)
{
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return (uint32_t)((state * 2685821657736338717ull) >> 33) % n;
}

/* A uniform number in [a, b). */
static double unif(double a, double b)
{
	return a + (b - a) * (double)rnd(1000000) / 1e6;
}

static bool chance(double p)
{
	return unif(0, 1) < p;
}

/* Quarter starts, 00:00 JST: 2025-07-01 ... 2026-10-01. */
static const int64_t qstart[NQ + 1] = {1751295600, 1759244400, 1767193200,
				       1774969200, 1782831600, 1790780400};

enum cal { CAL_JAPAN, CAL_US, CAL_24X7 };
enum tier { STANDARD, PREMIUM, PLATINUM };

static enum cal cal;
static enum tier tier;

/* The calendar's offset from UTC at t (US Eastern: daylight saving
 * from the second Sunday of March to the first Sunday of November,
 * approximated by the 8th of March and the 1st of November). */
static int64_t offset(int64_t t)
{
	time_t l = (time_t)t;
	struct tm tm;

	if (cal == CAL_JAPAN)
		return 9 * H;
	if (cal == CAL_24X7)
		return 0;
	gmtime_r(&l, &tm);
	if ((tm.tm_mon > 2 && tm.tm_mon < 10) ||
	    (tm.tm_mon == 2 && tm.tm_mday >= 8))
		return -4 * H;
	return -5 * H;
}

/* Working seconds of the support day: 09:00-17:30 local, weekdays. */
#define DAY_START (9 * H)
#define DAY_END	  (17 * H + 30 * MIN)
#define BDAY	  (cal == CAL_24X7 ? DAY : DAY_END - DAY_START)

/* t moved to the next working instant (itself when inside hours). */
static int64_t to_work(int64_t t)
{
	int k;

	if (cal == CAL_24X7)
		return t;
	for (k = 0; k < 10; k++) {
		int64_t l = t + offset(t), sod = ((l % DAY) + DAY) % DAY;
		int wd = (int)(((l / DAY) + 4) % 7); /* 0 = Sunday */

		if (wd >= 1 && wd <= 5 && sod >= DAY_START && sod < DAY_END)
			return t;
		if (wd >= 1 && wd <= 5 && sod < DAY_START)
			return t + (DAY_START - sod);
		t += DAY - sod + DAY_START; /* the next day's opening */
	}
	return t;
}

/* t plus s seconds of the support calendar's working time. */
static int64_t bizadd(int64_t t, int64_t s)
{
	if (cal == CAL_24X7)
		return t + s;
	while (s > 0) {
		int64_t l, sod, left;

		t = to_work(t);
		l = t + offset(t);
		sod = ((l % DAY) + DAY) % DAY;
		left = DAY_END - sod;
		if (s <= left)
			return t + s;
		s -= left;
		t += left;
	}
	return to_work(t);
}

/* A target: seconds, on the support clock or 24x7; 0: none. */
struct target {
	int64_t s;
	bool support;
};

/* sla/policy.json's table for the tier (any_time and null: none). */
static struct target response_t(int sev)
{
	struct target t = {0, false};

	if (sev == 1)
		t.s = tier == STANDARD ? 4 * H : H;
	else if (sev == 2)
		t.s = tier == STANDARD ? 8 * H : 2 * H, t.support = true;
	else
		t.s = BDAY, t.support = true;
	return t;
}

static struct target update_t(int sev)
{
	struct target t = {0, false};

	if (sev == 1)
		t.s = tier == STANDARD ? 24 * H : 2 * H;
	else if (sev == 2)
		t.s = BDAY, t.support = true;
	return t;
}

static int64_t manager_h(int sev)
{
	if (sev == 1)
		return tier == STANDARD ? 24 * H : 2 * H;
	if (tier == STANDARD)
		return 0;
	if (sev == 2)
		return 72 * H;
	if (sev == 3 || (sev == 4 && tier == PLATINUM))
		return 168 * H;
	return 0;
}

static int64_t executive_h(int sev)
{
	return tier == PLATINUM && sev == 1 ? 8 * H : 0;
}

/* t plus fraction f of target x on its clock. */
static int64_t after(int64_t t, struct target x, double f)
{
	int64_t s = (int64_t)((double)x.s * f);

	return x.support ? bizadd(t, s) : t + s;
}

struct ev {
	int64_t t;
	const char *kind;
	int sev;
};

static struct ev evs[MAX_EV];
static int nev;

static void emit(int64_t t, const char *kind, int sev)
{
	if (nev < MAX_EV) {
		evs[nev].t = t;
		evs[nev].kind = kind;
		evs[nev].sev = sev;
		nev++;
	}
}

static int by_time(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	return x->t < y->t ? -1 : x->t > y->t;
}

/* "2026-07-06T10:00:00+09:00" for epoch t shown in JST. */
static void jst(char out[32], int64_t t)
{
	time_t l = (time_t)(t + 9 * H);
	struct tm tm;

	gmtime_r(&l, &tm);
	strftime(out, 32, "%Y-%m-%dT%H:%M:%S+09:00", &tm);
}

/* The quarter's character. */
struct mood {
	double miss;	/* multiplier of the miss probabilities */
	bool outage;	/* a cluster of urgent cases */
	int64_t burst0; /* when the cluster starts */
};

static struct mood moods[NQ];

static void parse_story(const char *s)
{
	int q;

	for (q = 0; q < NQ; q++) {
		moods[q].miss = 1;
		moods[q].outage = false;
	}
	while (s && *s) {
		q = *s - '0';
		if (q >= 0 && q < NQ && s[1] == ':') {
			if (strncmp(s + 2, "outage", 6) == 0) {
				moods[q].outage = true;
				moods[q].miss = 2.5;
				moods[q].burst0 =
				    qstart[q] + (int64_t)(20 + rnd(50)) * DAY;
			} else if (strncmp(s + 2, "staff", 5) == 0) {
				moods[q].miss = 4;
			} else if (strncmp(s + 2, "good", 4) == 0) {
				moods[q].miss = 0.4;
			}
		}
		s = strchr(s, ',');
		if (s)
			s++;
	}
}

/*
 * The first case of each quarter: a volume growing ~4 % a quarter with
 * +/-10 % of chance, a third more in an outage quarter, so the trend is
 * not a flat line; bound[NQ] = n.
 */
static void quarter_bounds(long n, long bound[NQ + 1])
{
	double w[NQ], sum = 0, acc = 0;
	int q;

	for (q = 0; q < NQ; q++) {
		w[q] = (1 + 0.04 * q) * unif(0.9, 1.1) *
		       (moods[q].outage ? 1.33 : 1);
		sum += w[q];
	}
	for (q = 0; q < NQ; q++) {
		bound[q] = (long)(acc / sum * (double)n + 0.5);
		acc += w[q];
	}
	bound[NQ] = n;
}

/* An escalation of a severity segment [from, to): planned inside the
 * threshold h when the segment outlasts it; now and then late or
 * missing. Returns whether it was made (the clock stops for good). */
static bool escalate(int64_t from, int64_t to, int64_t h, double pmiss,
		     const char *kind)
{
	int64_t at;

	if (h == 0 || to - from < h - h / 20)
		return false; /* resolved (or changed) before it fell due */
	if (chance(pmiss)) {
		if (chance(0.3))
			return true; /* never made: missing */
		at = from + (int64_t)((double)h * unif(1.03, 1.4));
	} else {
		at = from + (int64_t)((double)h * unif(0.35, 0.9));
	}
	if (at < to)
		emit(at, kind, 0);
	return true;
}

int main(int argc, char **argv)
{
	static const char *prod[] = {"Sophos Protection for Linux",
				     "Sophos Anti-Virus for Linux",
				     "Sophos Central", "Sophos Firewall"};
	static const char *subj[] = {
	    "On-access scanning stopped after the update",
	    "Definitions not updating, error 112",
	    "High CPU during scheduled scan",
	    "Policy not applied to new servers",
	    "Question about exclusions for \"\"/var/lib\"\"",
	    "Licence count, renewal",
	    "Endpoint shows as not protected in Central",
	    "Request: documentation for offline install",
	    "Migration from SAV for Linux, planning"};
	long n, i, bound[NQ + 1];
	FILE *c, *e;
	const char *prefix, *customer;
	double base_resp, base_upd, base_esc;
	char a[32];

	if (argc != 10 || (n = strtol(argv[1], NULL, 10)) <= 0 ||
	    !(c = fopen(argv[2], "w")) || !(e = fopen(argv[3], "w"))) {
		fprintf(stderr,
			"usage: gen-demo-cases N CASES.csv EVENTS.csv SEED "
			"PREFIX CUSTOMER standard|premium|platinum "
			"japan|us|24x7 STORY\n");
		return 2;
	}
	state ^= strtoull(argv[4], NULL, 10) * 0x9e3779b97f4a7c15ull;
	prefix = argv[5];
	customer = argv[6];
	tier = strcmp(argv[7], "platinum") == 0
		   ? PLATINUM
		   : (strcmp(argv[7], "premium") == 0 ? PREMIUM : STANDARD);
	cal = strcmp(argv[8], "japan") == 0
		  ? CAL_JAPAN
		  : (strcmp(argv[8], "us") == 0 ? CAL_US : CAL_24X7);
	parse_story(argv[9]);
	/* per evaluation: Platinum's engineers miss least */
	base_resp = tier == PLATINUM ? 0.008 : (tier == PREMIUM ? 0.016 : 0.03);
	base_upd = tier == PLATINUM ? 0.022 : (tier == PREMIUM ? 0.035 : 0.05);
	base_esc = tier == PLATINUM ? 0.03 : (tier == PREMIUM ? 0.05 : 0.06);

	fprintf(c, "id,created,severity,channel,product,subject,customer\n");
	fprintf(e, "case,time,kind,severity\n");
	quarter_bounds(n, bound);
	for (i = 0; i < n; i++) {
		int q = 0, stated, sev, k;
		struct mood *m;
		bool burst, email;
		int64_t t, created, resolved, seg, tr, change = 0;
		int change_to = 0, p;
		const char *ch;
		double pr, pu, pe;

		while (q + 1 < NQ && i >= bound[q + 1])
			q++;
		m = &moods[q];
		burst = m->outage && chance(0.3);

		/* severity as the customer states it */
		k = (int)rnd(100);
		stated = burst ? (k < 55 ? 1 : 2)
			       : (k < 4 ? 1 : (k < 22 ? 2 : (k < 78 ? 3 : 4)));
		/* channel: urgent by phone (or the portal), questions by
		 * e-mail */
		k = (int)rnd(100);
		if (stated == 1)
			ch = k < 70 ? "phone" : "web";
		else if (stated == 2)
			ch = k < 40 ? "phone" : (k < 90 ? "web" : "email");
		else
			ch = k < 5 ? "phone" : (k < 58 ? "web" : "email");
		email = strcmp(ch, "email") == 0;
		sev = email && stated < 3 ? 3 : stated; /* the e-mail rule */
		p = burst ? 0 : (int)rnd(4);
		/* received: urgent at any hour, the rest in support hours */
		if (burst)
			t = m->burst0 + (int64_t)rnd(14 * DAY);
		else
			t = qstart[q] +
			    (int64_t)rnd((uint32_t)(qstart[q + 1] - qstart[q]));
		if (stated > 1 && cal != CAL_24X7)
			t = to_work(t);
		else if (stated > 1) /* 24x7: mostly in the UK's daytime */
			t = t - t % DAY + 7 * H + (int64_t)rnd(12 * H);
		if (t >= qstart[NQ])
			t = qstart[NQ] - H - (int64_t)rnd(3 * DAY);
		created = t;
		pr = base_resp * m->miss * (burst ? 1.5 : 1);
		pu = base_upd * m->miss * (burst ? 1.5 : 1);
		pe = base_esc * (m->miss > 1 ? 1.5 : 1);
		nev = 0;

		/* first response */
		tr = chance(pr) ? after(t, response_t(sev), unif(1.2, 2.5))
				: after(t, response_t(sev), unif(0.08, 0.7));
		emit(tr, "first_response", 0);
		/* an e-mailed urgent or severity-2 case, confirmed by
		 * phone */
		if (sev != stated) {
			change = tr + (int64_t)(5 + rnd(30)) * MIN;
			change_to = stated;
		}
		/* how long it takes, by the severity it ends up at */
		k = change_to ? change_to : sev;
		if (k == 1)
			resolved = tr + (int64_t)(unif(1.5, 6) * H) +
				   (chance(0.3) ? (int64_t)unif(3, 18) * H : 0);
		else if (k == 2)
			resolved =
			    tr + (int64_t)(unif(0.2, 3) * DAY) +
			    (chance(0.15) ? (int64_t)unif(2, 6) * DAY : 0);
		else
			resolved =
			    tr + (int64_t)(unif(0.3, 9) * DAY) +
			    (chance(0.12) ? (int64_t)unif(10, 45) * DAY : 0);
		/* a workaround lowers a long urgent case to 2 */
		if (!change && sev == 1 && resolved - tr > 7 * H &&
		    chance(0.5)) {
			change = tr + (int64_t)(unif(2.5, 6) * H);
			change_to = 2;
		}
		/* a long severity-3 case the customer asks to raise */
		if (!change && sev == 3 && resolved - created > 12 * DAY &&
		    chance(0.2)) {
			/* asked in working hours, as people do */
			change = to_work(created + (int64_t)unif(5, 10) * DAY);
			change_to = 2;
		}
		if (change)
			emit(change, "severity_change", change_to);

		/* escalations, per severity segment: the clocks restart
		 * at a change unless the escalation was made */
		seg = change ? change : resolved;
		{
			bool mgr = escalate(created, seg, manager_h(sev), pe,
					    "escalation_manager");
			bool exe = escalate(created, seg, executive_h(sev), pe,
					    "escalation_executive");

			if (change && !mgr)
				escalate(change, resolved, manager_h(change_to),
					 pe, "escalation_manager");
			if (change && !exe)
				escalate(change, resolved,
					 executive_h(change_to), pe,
					 "escalation_executive");
		}
		/* now and then the customer asks for the executive */
		if (tier == PLATINUM && (change_to ? change_to : sev) == 2 &&
		    resolved - created > 2 * DAY && chance(0.06))
			emit(to_work(created + DAY), "escalation_executive",
			     0);

		/* status updates until the resolution, at the pace of the
		 * severity in force; pauses only where no update is due */
		t = tr;
		while (1) {
			int cur = change && t >= change ? change_to : sev;
			struct target u = update_t(cur);
			int64_t next;

			if (u.s == 0) {
				/* as needed: now and then, with the
				 * customer asked for logs */
				next = t + (int64_t)(unif(0.7, 3) * DAY);
				if (next < resolved && chance(0.35)) {
					int64_t back =
					    next +
					    (int64_t)(unif(0.5, 4) * DAY);

					emit(next, "pending_customer", 0);
					if (back < resolved)
						emit(back, "customer_update",
						     0);
					next =
					    back + (int64_t)(unif(1, 20) * H);
				}
			} else {
				next = chance(pu)
					   ? after(t, u, unif(1.15, 2.2))
					   : after(t, u, unif(0.4, 0.85));
			}
			if (change && t < change && next > change &&
			    update_t(change_to).s != 0 &&
			    next > after(change, update_t(change_to), 0.85))
				next = after(change, update_t(change_to),
					     unif(0.3, 0.8));
			if (next >= resolved)
				break;
			emit(next, "vendor_update", 0);
			t = next;
		}
		emit(resolved, "resolved", 0);
		/* a fix that did not hold */
		if (chance(0.03)) {
			int cur = change_to ? change_to : sev;
			int64_t back = resolved + (int64_t)unif(1, 6) * DAY;
			struct target u = update_t(cur);

			emit(back, "reopened", 0);
			t = u.s ? after(back, u, unif(0.2, 0.6))
				: back + (int64_t)unif(1, 8) * H;
			emit(t, "vendor_update", 0);
			emit(u.s ? after(t, u, unif(0.2, 0.6))
				 : t + (int64_t)unif(4, 48) * H,
			     "resolved", 0);
		}

		jst(a, created);
		fprintf(c, "%s%06ld,%s,%d,%s,%s,\"%s\",%s\n", prefix, i, a,
			stated, ch, prod[p], subj[rnd(9)], customer);
		qsort(evs, (size_t)nev, sizeof(evs[0]), by_time);
		for (k = 0; k < nev; k++) {
			jst(a, evs[k].t);
			if (evs[k].sev)
				fprintf(e, "%s%06ld,%s,%s,%d\n", prefix, i, a,
					evs[k].kind, evs[k].sev);
			else
				fprintf(e, "%s%06ld,%s,%s,\n", prefix, i, a,
					evs[k].kind);
		}
	}
	return fclose(c) != 0 || fclose(e) != 0;
}
