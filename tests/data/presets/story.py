#!/usr/bin/env python3
# tests/data/presets/story.py - the story the preset fixtures tell, written
# once into each ticket system's own export layout (run it to rewrite the
# fixtures; tests/cli/test_presets.sh checks the figures against the hand
# computation in its comments). 30 cases in 2026Q3 (times UTC, read on the
# 24x7 calendar): normal ones, priority changes (C05 3->2, C06 2->1),
# reopenings (C07 by status, C08 by the reopen counter alone in the
# ServiceNow audit), customer-pending periods (C09, C10), severity 1 met
# (C11) and missed by 30 min (C12), one open at the end (C13), one from Q2
# (C14), an e-mail P2 (C15: starts at 3), a case whose creation time is
# garbage (C29: rejected, its rows "unknown case id"), and dirty rows: an
# unknown status, an unknown priority, a time that is none, a row before
# its case was created.
import csv, datetime, os, sys

D = os.path.dirname(os.path.abspath(__file__))
UTC = datetime.timezone.utc


def at(day, month=7, h=9, m=0):
    return datetime.datetime(2026, month, day, h, m, tzinfo=UTC)


N = lambda: [(0, 'new'), (30, 'progress'), (240, 'resolved'), (300, 'closed')]
SEV_CYCLE = [3, 4, 2, 3, 3, 4, 3, 2, 3, 4, 3, 3, 4]
CH_CYCLE = ['web', 'phone', 'email', 'web']
cases = []  # (n, created, sev, channel, steps)
spec = {
    1: (3, 'phone', N()), 2: (4, 'web', N()), 3: (2, 'phone', N()), 4: (3, 'email', N()),
    5: (3, 'phone', [(0, 'new'), (30, 'progress'), (60, ('prio', 2)), (360, 'resolved'), (420, 'closed')]),
    6: (2, 'phone', [(0, 'new'), (30, 'progress'), (120, ('prio', 1)), (150, 'resolved'), (200, 'closed')]),
    7: (3, 'web', [(0, 'new'), (30, 'progress'), (240, 'resolved'), (1500, 'reopen'), (1620, 'resolved'), (1680, 'closed')]),
    8: (3, 'phone', [(0, 'new'), (30, 'progress'), (240, 'resolved'), (1500, 'reopen-counter'), (1620, 'resolved'), (1680, 'closed')]),
    9: (2, 'phone', [(0, 'new'), (30, 'progress'), (60, 'pending'), (1500, 'progress'), (1620, 'resolved'), (1680, 'closed')]),
    10: (2, 'web', [(0, 'new'), (30, 'progress'), (60, 'pending'), (2880, 'resolved'), (2940, 'closed')]),
    11: (1, 'phone', [(0, 'new'), (20, 'progress'), (90, 'resolved'), (120, 'closed')]),
    12: (1, 'phone', [(0, 'new'), (90, 'progress'), (120, 'resolved'), (180, 'closed')]),
    13: (3, 'web', [(0, 'new'), (30, 'progress')]),
    14: (3, 'phone', [(0, 'new'), (30, 'progress'), (4320, 'resolved'), (4380, 'closed')]),
    15: (2, 'email', N()),
}
for n in range(1, 31):
    if n in spec:
        sev, ch, steps = spec[n]
    else:
        sev, ch, steps = SEV_CYCLE[(n - 16) % 13], CH_CYCLE[n % 4], N()
        if ch == 'email' and sev < 3:
            ch = 'web'
    created = at(28, 9) if n == 13 else at(29, 6) if n == 14 else at(n)
    cases.append((n, created, sev, ch, steps))
BAD_CASE = 29  # its creation time is garbage in every cases file


def fmt(t, how):
    if how == 'sn':
        return t.strftime('%Y-%m-%d %H:%M:%S')
    if how == 'uci':
        return f'{t.day}/{t.month}/{t.year} {t:%H:%M}'
    if how == 'jira':
        return t.strftime('%d/%b/%y %I:%M %p')
    if how == 'jira-rest':
        return t.strftime('%Y-%m-%dT%H:%M:%S.000+0000')
    return t.strftime('%Y-%m-%dT%H:%M:%SZ')


def timeline(c):
    """(time, state, sev, reopen_count, assignee, what) for each step."""
    n, created, sev, ch, steps = c
    out, state, reopens, who = [], 'new', 0, ''
    for off, what in steps:
        t = created + datetime.timedelta(minutes=off)
        if isinstance(what, tuple):
            sev = what[1]
        elif what in ('reopen', 'reopen-counter'):
            reopens += 1
            state = 'progress'
        else:
            state = what
        if state == 'progress' and not who:
            who = 'agent%d' % (n % 3 + 1)
        out.append((t, state, sev, reopens, who, what))
    return out


def write(name, header, rows):
    with open(os.path.join(D, name), 'w', newline='') as f:
        w = csv.writer(f, lineterminator='\r\n' if 'servicenow' in name else '\n')
        w.writerow(header)
        w.writerows(rows)


# --- ServiceNow: incident list export + sys_audit (field changes) ---
SN_STATE = {'new': '1', 'progress': '2', 'pending': '3', 'resolved': '6', 'closed': '7'}
SN_STATE_D = {'new': 'New', 'progress': 'In Progress', 'pending': 'On Hold', 'resolved': 'Resolved', 'closed': 'Closed'}
SN_PRIO = {1: '1 - Critical', 2: '2 - High', 3: '3 - Moderate', 4: '4 - Low'}
SN_CH = {'phone': 'Phone', 'email': 'Email', 'web': 'Self-service'}
sysid = lambda n: '%032x' % (0x9d385017c611228701d22104cc95c371 + n)
inc = lambda n: 'INC00%05d' % (10000 + n)
rows = []
for c in cases:
    n, created, sev, ch, steps = c
    tl = timeline(c)
    last = tl[-1]
    res = [t for t, s, *_ in tl if s == 'resolved']
    rows.append([inc(n), 'Acme Corp', 'Sophos Central', '' if n == BAD_CASE else '', SN_CH[ch],
                 '2026-07-32 09:00:00' if n == BAD_CASE else fmt(created, 'sn'),
                 SN_PRIO[sev], SN_STATE_D[last[1]], 'Case %d: endpoints not updating' % n,
                 fmt(res[-1], 'sn') if res else '', sysid(n)])
for r in rows:
    del r[3]
write('servicenow-incident.csv', ['number', 'company', 'category', 'contact_type', 'opened_at', 'priority',
                                  'state', 'short_description', 'resolved_at', 'sys_id'], rows)
aud = []
for c in cases:
    n, created, sev, ch, steps = c
    key = sysid(n)
    prev = None
    for i, (t, state, s, reop, who, what) in enumerate(timeline(c)):
        T = fmt(t, 'sn')
        if i == 0:  # the insert: every field's first value
            aud += [['incident', key, 'state', '', '1', 'admin', T],
                    ['incident', key, 'priority', '', SN_PRIO[s].split(' ')[0], 'admin', T],
                    ['incident', key, 'reopen_count', '', '0', 'admin', T]]
        elif isinstance(what, tuple):
            aud.append(['incident', key, 'priority', SN_PRIO[prev[2]].split(' ')[0], str(s), who, T])
        elif what == 'reopen-counter':  # the state's audit row is missing
            aud.append(['incident', key, 'reopen_count', str(reop - 1), str(reop), 'caller', T])
        else:
            if what == 'reopen':
                aud.append(['incident', key, 'reopen_count', str(reop - 1), str(reop), 'caller', T])
            aud.append(['incident', key, 'state', SN_STATE[prev[1]], SN_STATE[state], who or 'admin', T])
            if state == 'progress' and prev[4] == '':
                aud.append(['incident', key, 'assigned_to', '', who, who, T])
                aud.append(['incident', key, 'work_notes', '', 'Looking at the update logs\nfrom the endpoints', who, T])
        prev = (t, state, s, reop, who)
# dirty rows: an unknown state, an unknown priority, a time that is none,
# a row before the creation, another table's record
aud += [['incident', sysid(1), 'state', '2', '9', 'admin', fmt(at(1, 7, 10), 'sn')],
        ['incident', sysid(2), 'priority', '4', '7', 'admin', fmt(at(2, 7, 10), 'sn')],
        ['incident', sysid(3), 'state', '2', '2', 'admin', '2026-07-03 25:00:00'],
        ['incident', sysid(4), 'state', '1', '2', 'admin', fmt(at(3, 7, 9), 'sn')],
        ['problem', '%032x' % 0xfeed, 'state', '1', '2', 'admin', fmt(at(5, 7, 9), 'sn')]]
write('servicenow-audit.csv', ['tablename', 'documentkey', 'fieldname', 'oldvalue', 'newvalue', 'user', 'sys_created_on'], aud)

# --- ServiceNow: the incident history log (one snapshot per update) ---
UCI_STATE = {'new': 'New', 'progress': 'Active', 'pending': 'Awaiting User Info', 'resolved': 'Resolved', 'closed': 'Closed'}
log = []
for c in cases:
    n, created, sev, ch, steps = c
    opened = '32/7/2026 09:00' if n == BAD_CASE else fmt(created, 'uci')
    for k, (t, state, s, reop, who, what) in enumerate(timeline(c)):
        log.append([inc(n), UCI_STATE[state], 'false' if state in ('resolved', 'closed') else 'true', 0 if not who else 1,
                    reop, k, 'true', 'Caller %d' % n, opened, fmt(t, 'uci'), SN_CH[ch] if ch != 'web' else 'Self service',
                    SN_PRIO[s], who or '?', fmt(t, 'uci') if state == 'resolved' else '?'])
log += [[inc(1), '-100', 'true', 1, 0, 9, 'true', 'Caller 1', fmt(at(1), 'uci'), fmt(at(1, 7, 10), 'uci'), 'Phone', SN_PRIO[3], 'agent2', '?'],
        [inc(2), 'Active', 'true', 1, 0, 9, 'true', 'Caller 2', fmt(at(2), 'uci'), fmt(at(2, 7, 10), 'uci'), 'Self service', '5 - Someday', 'agent3', '?'],
        [inc(3), 'Active', 'true', 1, 0, 9, 'true', 'Caller 3', fmt(at(3), 'uci'), '3/7/2026 25:00', 'Phone', SN_PRIO[2], 'agent1', '?'],
        [inc(4), 'Active', 'true', 1, 0, 9, 'true', 'Caller 4', fmt(at(4), 'uci'), fmt(at(3, 7, 9), 'uci'), 'Email', SN_PRIO[3], 'agent2', '?']]
log.sort(key=lambda r: (r[0], r[5]))
write('servicenow-log.csv', ['number', 'incident_state', 'active', 'reassignment_count', 'reopen_count', 'sys_mod_count',
                             'made_sla', 'caller_id', 'opened_at', 'sys_updated_at', 'contact_type', 'priority',
                             'assigned_to', 'resolved_at'], log)

# --- Jira Service Management: issue CSV export + REST changelog, one row per item ---
J_STATE = {'new': 'Waiting for support', 'progress': 'In Progress', 'pending': 'Waiting for customer', 'resolved': 'Resolved', 'closed': 'Closed'}
J_PRIO = {1: 'Highest', 2: 'High', 3: 'Medium', 4: 'Low'}
jkey = lambda n: 'ACME-%d' % (100 + n)
rows, ch_ = [], []
for c in cases:
    n, created, sev, ch, steps = c
    tl = timeline(c)
    res = [t for t, s, *_ in tl if s == 'resolved']
    rows.append(['Endpoints not updating (%d)' % n, jkey(n), str(10000 + n), '[System] Incident', J_STATE[tl[-1][1]],
                 J_PRIO[sev], tl[-1][4], 'Acme Corp',
                 'Sophos Central', '31/Jul/26 25:00 PM' if n == BAD_CASE else fmt(created, 'jira'),
                 fmt(tl[-1][0], 'jira'), fmt(res[-1], 'jira') if res else '',
                 {'phone': 'Phone', 'email': 'Email', 'web': 'Portal'}[ch]])
    prev = None
    for i, (t, state, s, reop, who, what) in enumerate(tl):
        T, hid = fmt(t, 'jira-rest'), str(20000 + 10 * n + i)
        if i == 0:
            pass  # the changelog has changes only: nothing at the creation
        elif isinstance(what, tuple):
            ch_.append([jkey(n), hid, T, who, 'priority', 'jira', str(prev[2]), J_PRIO[prev[2]], str(s), J_PRIO[s]])
        else:
            ch_.append([jkey(n), hid, T, who or 'Automation for Jira', 'status', 'jira', '', J_STATE[prev[1]], '', J_STATE[state]])
            if state == 'progress' and prev[4] == '':
                ch_.append([jkey(n), hid, T, who, 'assignee', 'jira', '', '', who, who])
            if state == 'resolved':
                ch_.append([jkey(n), hid, T, who, 'resolution', 'jira', '', '', '10000', 'Done'])
        prev = (t, state, s, reop, who)
ch_ += [[jkey(1), '99001', fmt(at(1, 7, 10), 'jira-rest'), 'agent2', 'status', 'jira', '', 'In Progress', '', 'Triage'],
        [jkey(2), '99002', fmt(at(2, 7, 10), 'jira-rest'), 'agent3', 'priority', 'jira', '4', 'Low', '1', 'Blocker'],
        [jkey(3), '99003', '2026-07-03T25:00:00.000+0000', 'agent1', 'status', 'jira', '', 'In Progress', '', 'In Progress'],
        [jkey(4), '99004', fmt(at(3, 7, 9), 'jira-rest'), 'agent2', 'status', 'jira', '', 'Waiting for support', '', 'In Progress'],
        ['OTHER-7', '99005', fmt(at(5, 7, 9), 'jira-rest'), 'agent1', 'status', 'jira', '', 'Open', '', 'Done']]
write('jira-issues.csv', ['Summary', 'Issue key', 'Issue id', 'Issue Type', 'Status', 'Priority', 'Assignee',
                          'Custom field (Organizations)', 'Component/s', 'Created', 'Updated', 'Resolved',
                          'Custom field (Request channel)'], rows)
write('jira-changelog.csv', ['key', 'id', 'created', 'author', 'field', 'fieldtype', 'from', 'fromString', 'to', 'toString'], ch_)

# --- Zendesk: tickets + ticket audit events, one row per event ---
Z_STATE = {'new': 'new', 'progress': 'open', 'pending': 'pending', 'resolved': 'solved', 'closed': 'closed'}
Z_PRIO = {1: 'urgent', 2: 'high', 3: 'normal', 4: 'low'}
rows, ev = [], []
for c in cases:
    n, created, sev, ch, steps = c
    tl = timeline(c)
    tid = str(4000 + n)
    rows.append([tid, 'https://acme.zendesk.com/api/v2/tickets/%s.json' % tid, 'incident',
                 'Endpoints not updating (%d)' % n, Z_PRIO[sev], Z_STATE[tl[-1][1]], '360001',
                 {'phone': 'voice', 'email': 'email', 'web': 'web'}[ch],
                 '2026-07-31T25:00:00Z' if n == BAD_CASE else fmt(created, 'iso'), fmt(tl[-1][0], 'iso')])
    prev = None
    for i, (t, state, s, reop, who, what) in enumerate(tl):
        T, aid = fmt(t, 'iso'), str(700000 + 10 * n + i)
        if i == 0:
            ev += [[tid, aid, T, '9001', 'Create', 'status', 'new', ''],
                   [tid, aid, T, '9001', 'Create', 'priority', Z_PRIO[s], ''],
                   [tid, aid, T, '9001', 'Comment', '', '', '']]
        elif isinstance(what, tuple):
            ev.append([tid, aid, T, '8001', 'Change', 'priority', Z_PRIO[s], Z_PRIO[prev[2]]])
        else:
            if state == 'progress' and prev[4] == '':
                ev.append([tid, aid, T, '8001', 'Change', 'assignee_id', '800%d' % (n % 3 + 1), ''])
                ev.append([tid, aid, T, '8001', 'Comment', '', '', ''])
            ev.append([tid, aid, T, '8001', 'Change', 'status', Z_STATE[state], Z_STATE[prev[1]]])
        prev = (t, state, s, reop, who)
ev += [['4001', '799001', fmt(at(1, 7, 10), 'iso'), '8001', 'Change', 'status', 'deleted', 'open'],
       ['4002', '799002', fmt(at(2, 7, 10), 'iso'), '8001', 'Change', 'priority', 'p0', 'low'],
       ['4003', '799003', '2026-07-03T25:00:00Z', '8001', 'Change', 'status', 'open', 'open'],
       ['4004', '799004', fmt(at(3, 7, 9), 'iso'), '8001', 'Change', 'status', 'open', 'new'],
       ['9999', '799005', fmt(at(5, 7, 9), 'iso'), '8001', 'Change', 'status', 'solved', 'open']]
write('zendesk-tickets.csv', ['id', 'url', 'type', 'subject', 'priority', 'status', 'organization_id', 'via.channel',
                              'created_at', 'updated_at'], rows)
write('zendesk-audits.csv', ['ticket_id', 'id', 'created_at', 'author_id', 'type', 'field_name', 'value', 'previous_value'], ev)

# --- the same two logs as their REST APIs give them (JSON, as saved) ---
# Jira: GET /rest/api/3/search?jql=...&expand=changelog, each issue's
# histories (one per history id) holding its items; Zendesk: GET
# /api/v2/ticket_audits.json, each audit (one per audit id) holding its
# events. The rows above, grouped: the dirty ones land in their issue.
import json


def write_json(name, doc):
    with open(os.path.join(D, name), 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')


issues = {}
for k, hid, T, who, field, ftype, fr, frs, to, tos in ch_:
    iss = issues.setdefault(k, {'expand': 'operations,changelog', 'id': str(10000 + int(k.split('-')[1]) - 100),
                                'self': 'https://acme.atlassian.net/rest/api/3/issue/%s' % k, 'key': k,
                                'fields': {'summary': 'Endpoints not updating'}, 'changelog': {'histories': []}})
    hs = iss['changelog']['histories']
    if not hs or hs[-1]['id'] != hid:
        hs.append({'id': hid, 'author': {'accountId': '5b10a2844c20165700ede21g', 'displayName': who,
                                         'active': True}, 'created': T, 'items': []})
    hs[-1]['items'].append({'field': field, 'fieldtype': ftype, 'fieldId': field, 'from': fr or None,
                            'fromString': frs or None, 'to': to or None, 'toString': tos or None})
for iss in issues.values():
    n = len(iss['changelog']['histories'])
    iss['changelog'].update(startAt=0, maxResults=n, total=n)
write_json('jira-changelog.json', {'expand': 'names,schema', 'startAt': 0, 'maxResults': 50,
                                   'total': len(issues), 'issues': list(issues.values())})
audits = []
for tid, aid, T, author, typ, fname, val, prev in ev:
    if not audits or audits[-1]['id'] != int(aid) or audits[-1]['ticket_id'] != int(tid):
        audits.append({'id': int(aid), 'ticket_id': int(tid), 'created_at': T, 'author_id': int(author),
                       'metadata': {'system': {'client': 'Mozilla/5.0'}}, 'via': {'channel': 'web'},
                       'events': []})
    evs = audits[-1]['events']
    e = {'id': int(aid) * 10 + len(evs), 'type': typ}
    if typ == 'Comment':
        e.update(body='Looking at the update logs', public=True, author_id=int(author))
    else:
        e.update(field_name=fname, value=val)
        if typ == 'Change':
            e['previous_value'] = prev or None
    evs.append(e)
write_json('zendesk-audits.json', {'audits': audits, 'next_page': None, 'previous_page': None,
                                   'count': len(audits)})
