import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addOneMonth, type CaseClock, type CaseFacts, caseClocks } from './case-clocks.ts';
import { defaultResponsePolicy, type ResponsePolicy } from './response-policy.ts';

const berlin: ResponsePolicy = { ...defaultResponsePolicy, timeZone: 'Europe/Berlin' };
// Friday 27 March 2026, 18:30 in Berlin (CET); the clocks change to CEST on Sunday 29 March.
const received = new Date('2026-03-27T17:30:00Z');
const at = (iso: string) => new Date(iso);

function clockOf(clocks: CaseClock[], key: string): CaseClock {
  const found = clocks.find((c) => c.key === key);
  assert.ok(found, `there is a ${key} clock`);
  return found;
}

const summary = (c: CaseClock) => ({
  state: c.state,
  dueAt: c.dueAt?.toISOString() ?? null,
  remainingMs: c.remainingMs,
});

// Hand-computed: the day of arrival (27 March, Berlin) never counts; each deadline is the end of the
// last counted day, 23:59:59.999 CEST = 21:59:59.999Z.
const responseTable: {
  why: string;
  facts: Partial<CaseFacts>;
  now: string;
  key: string;
  state: string;
  due: string;
}[] = [
  {
    why: 'acknowledge: Mon 30 (1), Tue 31 (2)',
    facts: {},
    now: '2026-03-30T10:00:00Z',
    key: 'acknowledge',
    state: 'running',
    due: '2026-03-31T21:59:59.999Z',
  },
  {
    why: 'acknowledged Monday morning',
    facts: { acknowledgedAt: at('2026-03-30T08:00:00Z') },
    now: '2026-04-02T00:00:00Z',
    key: 'acknowledge',
    state: 'met',
    due: '2026-03-31T21:59:59.999Z',
  },
  {
    why: 'acknowledged at the last millisecond',
    facts: { acknowledgedAt: at('2026-03-31T21:59:59.999Z') },
    now: '2026-04-02T00:00:00Z',
    key: 'acknowledge',
    state: 'met',
    due: '2026-03-31T21:59:59.999Z',
  },
  {
    why: 'acknowledged one millisecond late',
    facts: { acknowledgedAt: at('2026-03-31T22:00:00Z') },
    now: '2026-04-02T00:00:00Z',
    key: 'acknowledge',
    state: 'met-late',
    due: '2026-03-31T21:59:59.999Z',
  },
  {
    why: 'not acknowledged by Wednesday',
    facts: {},
    now: '2026-04-01T00:00:00Z',
    key: 'acknowledge',
    state: 'overdue',
    due: '2026-03-31T21:59:59.999Z',
  },
  {
    why: 'triage: 7 calendar days → Fri 3 April',
    facts: {},
    now: '2026-04-01T00:00:00Z',
    key: 'triage',
    state: 'running',
    due: '2026-04-03T21:59:59.999Z',
  },
  {
    why: 'triaged on day 8',
    facts: { triagedAt: at('2026-04-04T07:00:00Z') },
    now: '2026-04-05T00:00:00Z',
    key: 'triage',
    state: 'met-late',
    due: '2026-04-03T21:59:59.999Z',
  },
  {
    why: 'fix, critical: 30 days → 26 April',
    facts: { severity: 'critical' },
    now: '2026-04-27T00:00:00Z',
    key: 'fix',
    state: 'overdue',
    due: '2026-04-26T21:59:59.999Z',
  },
  {
    why: 'fix, high: 60 days → 26 May',
    facts: { severity: 'high', fixAvailableAt: at('2026-05-20T12:00:00Z') },
    now: '2026-06-01T00:00:00Z',
    key: 'fix',
    state: 'met',
    due: '2026-05-26T21:59:59.999Z',
  },
  {
    why: 'fix, medium: 90 days → 25 June',
    facts: { severity: 'medium' },
    now: '2026-06-01T00:00:00Z',
    key: 'fix',
    state: 'running',
    due: '2026-06-25T21:59:59.999Z',
  },
  {
    why: 'fix, low: 180 days → 23 September',
    facts: { severity: 'low' },
    now: '2026-06-01T00:00:00Z',
    key: 'fix',
    state: 'running',
    due: '2026-09-23T21:59:59.999Z',
  },
  {
    why: 'fix, severity not set: medium target',
    facts: { severity: null },
    now: '2026-06-01T00:00:00Z',
    key: 'fix',
    state: 'running',
    due: '2026-06-25T21:59:59.999Z',
  },
  {
    why: 'fix, severity none: medium target',
    facts: { severity: 'none' },
    now: '2026-06-26T00:00:00Z',
    key: 'fix',
    state: 'overdue',
    due: '2026-06-25T21:59:59.999Z',
  },
  {
    why: 'disclosure: 90 days → 25 June',
    facts: { disclosedAt: at('2026-06-30T09:00:00Z') },
    now: '2026-07-01T00:00:00Z',
    key: 'disclosure',
    state: 'met-late',
    due: '2026-06-25T21:59:59.999Z',
  },
  {
    why: 'disclosure at the agreed date instead',
    facts: { agreedDisclosureAt: at('2026-08-01T08:00:00Z'), disclosedAt: at('2026-07-30T09:00:00Z') },
    now: '2026-08-02T00:00:00Z',
    key: 'disclosure',
    state: 'met',
    due: '2026-08-01T08:00:00.000Z',
  },
];

describe('response clocks of a case', () => {
  for (const row of responseTable) {
    it(`${row.why}: ${row.key} is ${row.state}, due ${row.due}`, () => {
      const c = clockOf(caseClocks({ receivedAt: received, ...row.facts }, berlin, at(row.now)), row.key);
      assert.equal(c.state, row.state);
      assert.equal(c.dueAt?.toISOString(), row.due);
      assert.equal(c.startedAt?.toISOString(), received.toISOString());
    });
  }

  it('gives the time left while running and a negative time once overdue, none once met', () => {
    const facts = { receivedAt: received };
    assert.equal(
      clockOf(caseClocks(facts, berlin, at('2026-03-31T20:00:00Z')), 'acknowledge').remainingMs,
      2 * 3_600_000 - 1,
    );
    assert.equal(
      clockOf(caseClocks(facts, berlin, at('2026-04-01T00:00:00Z')), 'acknowledge').remainingMs,
      -2 * 3_600_000 - 1,
    );
    const met = clockOf(
      caseClocks(
        { ...facts, acknowledgedAt: at('2026-03-30T08:00:00Z') },
        berlin,
        at('2026-04-01T00:00:00Z'),
      ),
      'acknowledge',
    );
    assert.deepEqual(summary(met), { state: 'met', dueAt: '2026-03-31T21:59:59.999Z', remainingMs: null });
    assert.equal(met.metAt?.toISOString(), '2026-03-30T08:00:00.000Z');
  });

  it('labels the fix clock with the severity used, and says when the medium fallback applies', () => {
    assert.equal(
      clockOf(caseClocks({ receivedAt: received, severity: 'high' }, berlin, received), 'fix').label,
      'Fix available (high: 60 days)',
    );
    assert.match(
      clockOf(caseClocks({ receivedAt: received }, berlin, received), 'fix').label,
      /severity not set or none: the medium target of 90 days applies/,
    );
  });

  it('counts in the policy’s zone: the same instant is due a day apart in UTC and in Sydney', () => {
    // Thursday 2026-06-04 22:30 UTC is Friday 08:30 in Sydney.
    const thursdayUtc = { receivedAt: at('2026-06-04T22:30:00Z') };
    const inUtc = clockOf(
      caseClocks(thursdayUtc, defaultResponsePolicy, thursdayUtc.receivedAt),
      'acknowledge',
    );
    const inSydney = clockOf(
      caseClocks(
        thursdayUtc,
        { ...defaultResponsePolicy, timeZone: 'Australia/Sydney' },
        thursdayUtc.receivedAt,
      ),
      'acknowledge',
    );
    assert.equal(inUtc.dueAt?.toISOString(), '2026-06-08T23:59:59.999Z'); // Fri 5 (1), Mon 8 (2)
    assert.equal(inSydney.dueAt?.toISOString(), '2026-06-09T13:59:59.999Z'); // Mon 8 (1), Tue 9 (2), AEST
  });

  it('has only the four response clocks when nothing is exploited and no incident is recorded', () => {
    assert.deepEqual(
      caseClocks({ receivedAt: received }, berlin, received).map((c) => c.key),
      ['acknowledge', 'triage', 'fix', 'disclosure'],
    );
  });
});

describe('EU Cyber Resilience Act clocks (Article 14)', () => {
  const aware = at('2026-04-10T09:15:00Z');
  const exploited = (extra: Partial<CaseFacts> = {}, now = '2026-04-10T10:00:00Z') =>
    caseClocks({ receivedAt: received, activelyExploitedSince: aware, ...extra }, berlin, at(now));

  it('starts the 24-hour early warning and 72-hour notification when the maker becomes aware of exploitation', () => {
    const clocks = exploited();
    assert.deepEqual(summary(clockOf(clocks, 'cra-vulnerability-early-warning')), {
      state: 'running',
      dueAt: '2026-04-11T09:15:00.000Z',
      remainingMs: 23 * 3_600_000 + 15 * 60_000,
    });
    assert.deepEqual(summary(clockOf(clocks, 'cra-vulnerability-notification')), {
      state: 'running',
      dueAt: '2026-04-13T09:15:00.000Z',
      remainingMs: 71 * 3_600_000 + 15 * 60_000,
    });
    assert.equal(clockOf(clocks, 'cra-vulnerability-final-report').state, 'not-started');
  });

  it('counts hours as elapsed time, unaffected by a DST change in the maker’s zone', () => {
    // Aware Saturday 28 March 12:00 CET; 24 hours later is Sunday 13:00 CEST.
    const c = clockOf(
      caseClocks(
        { receivedAt: received, activelyExploitedSince: at('2026-03-28T11:00:00Z') },
        berlin,
        received,
      ),
      'cra-vulnerability-early-warning',
    );
    assert.equal(c.dueAt?.toISOString(), '2026-03-29T11:00:00.000Z');
  });

  it('marks reports submitted in time as met, late ones as met-late, missing ones as overdue', () => {
    const clocks = exploited(
      {
        craReportsSubmittedAt: {
          'cra-vulnerability-early-warning': at('2026-04-11T09:15:00Z'),
          'cra-vulnerability-notification': at('2026-04-13T09:15:00.001Z'),
        },
      },
      '2026-04-14T00:00:00Z',
    );
    assert.equal(clockOf(clocks, 'cra-vulnerability-early-warning').state, 'met');
    assert.equal(clockOf(clocks, 'cra-vulnerability-notification').state, 'met-late');
    assert.equal(
      exploited({}, '2026-04-11T09:15:00.001Z').find((c) => c.key === 'cra-vulnerability-early-warning')
        ?.state,
      'overdue',
    );
  });

  it('starts the final report when a fix or mitigation is available: 14 days (336 hours) later', () => {
    const c = clockOf(
      exploited({ fixAvailableAt: at('2026-04-20T12:00:00Z') }, '2026-05-04T12:00:00.001Z'),
      'cra-vulnerability-final-report',
    );
    assert.deepEqual(summary(c), { state: 'overdue', dueAt: '2026-05-04T12:00:00.000Z', remainingMs: -1 });
    assert.equal(c.startedAt?.toISOString(), '2026-04-20T12:00:00.000Z');
  });

  it('starts the final report at awareness when the fix was already out before the exploitation was known', () => {
    const c = clockOf(
      exploited({ fixAvailableAt: at('2026-04-01T12:00:00Z') }),
      'cra-vulnerability-final-report',
    );
    assert.equal(c.dueAt?.toISOString(), '2026-04-24T09:15:00.000Z');
  });

  it('runs the severe-incident clocks: 24 hours, 72 hours, and one month after the incident notification', () => {
    const since = at('2026-01-30T08:00:00Z');
    const before = caseClocks(
      { receivedAt: received, severeIncidentSince: since },
      berlin,
      at('2026-01-30T09:00:00Z'),
    );
    assert.equal(
      clockOf(before, 'cra-incident-early-warning').dueAt?.toISOString(),
      '2026-01-31T08:00:00.000Z',
    );
    assert.equal(
      clockOf(before, 'cra-incident-notification').dueAt?.toISOString(),
      '2026-02-02T08:00:00.000Z',
    );
    assert.equal(clockOf(before, 'cra-incident-final-report').state, 'not-started');
    assert.equal(
      before.some((c) => c.key.startsWith('cra-vulnerability')),
      false,
    );

    const notified = caseClocks(
      {
        receivedAt: received,
        severeIncidentSince: since,
        craReportsSubmittedAt: {
          'cra-incident-early-warning': at('2026-01-30T20:00:00Z'),
          'cra-incident-notification': at('2026-01-31T10:00:00Z'),
        },
      },
      berlin,
      at('2026-02-10T00:00:00Z'),
    );
    assert.equal(clockOf(notified, 'cra-incident-early-warning').state, 'met');
    assert.equal(clockOf(notified, 'cra-incident-notification').state, 'met');
    // 31 January + one month is the last day of February.
    assert.deepEqual(summary(clockOf(notified, 'cra-incident-final-report')), {
      state: 'running',
      dueAt: '2026-02-28T10:00:00.000Z',
      remainingMs: 18 * 86_400_000 + 10 * 3_600_000,
    });
  });

  it('adds one month on the UTC calendar, clamping to the end of a shorter month', () => {
    assert.equal(addOneMonth(at('2026-01-31T10:00:00Z')).toISOString(), '2026-02-28T10:00:00.000Z');
    assert.equal(addOneMonth(at('2028-01-31T10:00:00Z')).toISOString(), '2028-02-29T10:00:00.000Z');
    assert.equal(addOneMonth(at('2026-12-15T23:30:00Z')).toISOString(), '2027-01-15T23:30:00.000Z');
    assert.equal(addOneMonth(at('2026-03-31T00:00:00Z')).toISOString(), '2026-04-30T00:00:00.000Z');
    assert.equal(addOneMonth(at('2026-02-02T07:00:00Z')).toISOString(), '2026-03-02T07:00:00.000Z');
  });
});
