import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CaseFacts, caseClocks } from './case-clocks.ts';
import { dueReminders, elapsedFraction, reminderKey } from './reminders.ts';
import { defaultResponsePolicy } from './response-policy.ts';

// UTC policy; received Monday 2 March 2026 00:00 UTC. Acknowledge: end of Wednesday 4 March, a
// window of 72 h − 1 ms; 50% at 36 h, 90% at 64.8 h.
const received = new Date('2026-03-02T00:00:00Z');
const facts: CaseFacts = { receivedAt: received };
const HOUR = 3_600_000;
const after = (ms: number) => new Date(received.getTime() + ms);

function reminded(now: Date, extra: Partial<CaseFacts> = {}) {
  return dueReminders('case-7', caseClocks({ ...facts, ...extra }, defaultResponsePolicy, now), now).map(
    (r) => [r.clock.key, r.threshold],
  );
}

describe('clock reminders', () => {
  it('sends nothing before half of any window has gone', () => {
    assert.deepEqual(reminded(after(35 * HOUR)), []);
  });

  it('reminds at 50% of the acknowledge window', () => {
    assert.deepEqual(reminded(after(36 * HOUR)), [['acknowledge', '50pct']]);
  });

  it('reminds at 90%, and only the furthest threshold passed', () => {
    assert.deepEqual(reminded(after(65 * HOUR)), [['acknowledge', '90pct']]);
  });

  it('reminds once overdue, strictly after the due instant', () => {
    assert.deepEqual(reminded(new Date('2026-03-04T23:59:59.999Z')), [['acknowledge', '90pct']]);
    assert.deepEqual(reminded(new Date('2026-03-05T00:00:00Z')), [['acknowledge', 'overdue']]);
  });

  it('stops reminding about a met clock', () => {
    assert.deepEqual(reminded(new Date('2026-03-05T00:00:00Z'), { acknowledgedAt: after(HOUR) }), []);
  });

  it('reminds about the triage clock (end of 9 March, 8 days − 1 ms) at half time', () => {
    // 50% of 192 h − 1 ms is just under 96 h: Friday 6 March 00:00.
    assert.deepEqual(reminded(new Date('2026-03-06T00:00:00Z'), { acknowledgedAt: after(HOUR) }), [
      ['triage', '50pct'],
    ]);
  });

  it('reminds about several clocks of one case at once', () => {
    const now = new Date('2026-03-11T00:00:00Z');
    assert.deepEqual(reminded(now, { activelyExploitedSince: new Date('2026-03-10T10:00:00Z') }), [
      ['acknowledge', 'overdue'],
      ['triage', 'overdue'],
      ['cra-vulnerability-early-warning', '50pct'],
    ]);
  });

  it('keys each reminder by case, clock, due instant and threshold, stable across runs', () => {
    const now = after(65 * HOUR);
    const first = dueReminders('case-7', caseClocks(facts, defaultResponsePolicy, now), now);
    const again = dueReminders(
      'case-7',
      caseClocks(facts, defaultResponsePolicy, now),
      new Date(now.getTime() + 60_000),
    );
    assert.deepEqual(
      first.map((r) => r.idempotencyKey),
      ['clock-reminder:case-7:acknowledge:2026-03-04T23:59:59.999Z:90pct'],
    );
    assert.deepEqual(
      again.map((r) => r.idempotencyKey),
      first.map((r) => r.idempotencyKey),
    );
    const otherCase = dueReminders('case-8', caseClocks(facts, defaultResponsePolicy, now), now);
    assert.notEqual(otherCase[0]?.idempotencyKey, first[0]?.idempotencyKey);
  });

  it('gives a moved deadline a fresh key', () => {
    const now = new Date('2026-05-01T00:00:00Z');
    const fix = (severity: 'critical' | 'high') =>
      caseClocks(
        { ...facts, severity, acknowledgedAt: after(HOUR), triagedAt: after(HOUR) },
        defaultResponsePolicy,
        now,
      ).find((c) => c.key === 'fix');
    const critical = fix('critical');
    const high = fix('high');
    assert.ok(critical && high);
    assert.notEqual(reminderKey('case-7', critical, '50pct'), reminderKey('case-7', high, '50pct'));
  });

  it('accepts custom thresholds', () => {
    const now = after(20 * HOUR);
    const clocks = caseClocks(facts, defaultResponsePolicy, now);
    assert.deepEqual(
      dueReminders('case-7', clocks, now, [{ name: '25pct', fraction: 0.25 }]).map((r) => r.idempotencyKey),
      ['clock-reminder:case-7:acknowledge:2026-03-04T23:59:59.999Z:25pct'],
    );
  });

  it('measures no fraction for a clock that is met or not started', () => {
    const now = after(HOUR);
    const clocks = caseClocks(
      { ...facts, acknowledgedAt: now, activelyExploitedSince: now },
      defaultResponsePolicy,
      now,
    );
    assert.equal(elapsedFraction(clocks.find((c) => c.key === 'acknowledge') ?? assert.fail(), now), null);
    assert.equal(
      elapsedFraction(clocks.find((c) => c.key === 'cra-vulnerability-final-report') ?? assert.fail(), now),
      null,
    );
  });
});
