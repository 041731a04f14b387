import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { engine, startTestProduct } from '../../../test/support/product.ts';
import { Invalid } from '../../platform/errors.ts';
import {
  checkResponsePolicy,
  defaultResponsePolicy,
  fixTargetFor,
  loadResponsePolicy,
  saveResponsePolicy,
} from './response-policy.ts';

/** The field reasons of the Invalid thrown by checkResponsePolicy. */
function reasons(candidate: Record<string, unknown>): Record<string, string> {
  try {
    checkResponsePolicy(candidate);
  } catch (error) {
    assert.ok(error instanceof Invalid);
    return error.fields;
  }
  assert.fail('expected the policy to be refused');
}

describe('response policy checks', () => {
  it('has the defaults of the issue: 2 business days, 7 days, 30/60/90/180, 90 days, UTC, Monday to Friday', () => {
    assert.deepEqual(defaultResponsePolicy, {
      acknowledgeWithinBusinessDays: 2,
      triageWithinDays: 7,
      fixWithinDays: { critical: 30, high: 60, medium: 90, low: 180 },
      disclosureWithinDays: 90,
      timeZone: 'UTC',
      workingDays: [1, 2, 3, 4, 5],
      holidays: [],
    });
  });

  it('uses the medium target for severity none or not set, and says so', () => {
    assert.deepEqual(fixTargetFor(defaultResponsePolicy, 'critical'), {
      days: 30,
      severity: 'critical',
      fallback: false,
    });
    assert.deepEqual(fixTargetFor(defaultResponsePolicy, 'none'), {
      days: 90,
      severity: 'medium',
      fallback: true,
    });
    assert.deepEqual(fixTargetFor(defaultResponsePolicy, null), {
      days: 90,
      severity: 'medium',
      fallback: true,
    });
  });

  it('accepts a valid edit and normalises weekdays and holidays (sorted, each once)', () => {
    assert.deepEqual(
      checkResponsePolicy({
        timeZone: 'Europe/Berlin',
        workingDays: [5, 1, 3, 2, 4],
        holidays: ['2026-12-25', '2026-01-01', '2026-12-25'],
        fixWithinDays: { critical: 14, high: 30, medium: 90, low: 180 },
      }),
      {
        timeZone: 'Europe/Berlin',
        workingDays: [1, 2, 3, 4, 5],
        holidays: ['2026-01-01', '2026-12-25'],
        fixWithinDays: { critical: 14, high: 30, medium: 90, low: 180 },
      },
    );
  });

  it('names each bad field with a reason a person can act on', () => {
    assert.deepEqual(
      reasons({
        acknowledgeWithinBusinessDays: 0,
        triageWithinDays: 2.5,
        disclosureWithinDays: '90',
        timeZone: 'Mars/Olympus_Mons',
        workingDays: [],
        holidays: ['2026-02-30', 'tomorrow'],
        colour: 'red',
      }),
      {
        acknowledgeWithinBusinessDays: 'must be a whole number of business days from 1 to 60',
        triageWithinDays: 'must be a whole number of days from 1 to 3650',
        disclosureWithinDays: 'must be a whole number of days from 1 to 3650',
        timeZone: 'must be an IANA time zone such as Europe/Berlin or UTC',
        workingDays: 'must list at least one weekday, each once, as 1 (Monday) to 7 (Sunday)',
        holidays: 'must be a list of dates (YYYY-MM-DD); not a date: 2026-02-30, tomorrow',
        colour: 'is not a response policy setting',
      },
    );
  });

  it('refuses repeated or out-of-range weekdays', () => {
    assert.match(reasons({ workingDays: [1, 1, 2] }).workingDays ?? '', /each once/);
    assert.match(reasons({ workingDays: [0, 1] }).workingDays ?? '', /1 \(Monday\) to 7 \(Sunday\)/);
  });

  it('needs all four fix targets, no unknown severity, and tighter targets for higher severities', () => {
    assert.deepEqual(reasons({ fixWithinDays: { critical: 30, high: 60, medium: 90 } }), {
      'fixWithinDays.low': 'must be a whole number of days from 1 to 3650',
    });
    assert.deepEqual(
      reasons({ fixWithinDays: { critical: 30, high: 60, medium: 90, low: 180, urgent: 1 } }),
      {
        'fixWithinDays.urgent': 'is not a severity',
      },
    );
    assert.deepEqual(reasons({ fixWithinDays: { critical: 90, high: 60, medium: 90, low: 180 } }), {
      'fixWithinDays.critical': 'must not be longer than the high target (60 days)',
    });
    assert.deepEqual(reasons({ fixWithinDays: 30 }), {
      fixWithinDays: 'must give days for critical, high, medium and low',
    });
  });
});

describe(`response policy storage (${engine})`, () => {
  let product: Awaited<ReturnType<typeof startTestProduct>>;
  before(async () => {
    product = await startTestProduct({ demo: false });
  });
  after(() => product.stop());

  it('loads the defaults when nothing is stored, then stored changes merged over them', async () => {
    const db = product.deps.db;
    assert.deepEqual(await loadResponsePolicy(db), defaultResponsePolicy);
    const at = new Date('2026-11-25T10:00:00Z');
    const saved = await saveResponsePolicy(
      db,
      checkResponsePolicy({ timeZone: 'Europe/Berlin', holidays: ['2026-12-24'] }),
      at,
    );
    assert.equal(saved.timeZone, 'Europe/Berlin');
    await saveResponsePolicy(db, checkResponsePolicy({ acknowledgeWithinBusinessDays: 3 }), at);
    assert.deepEqual(await loadResponsePolicy(db), {
      ...defaultResponsePolicy,
      acknowledgeWithinBusinessDays: 3,
      timeZone: 'Europe/Berlin',
      holidays: ['2026-12-24'],
    });
    const row = await db
      .selectFrom('settings')
      .selectAll()
      .where('key', '=', 'response_policy')
      .executeTakeFirstOrThrow();
    assert.equal(new Date(row.updated_at).toISOString(), at.toISOString());
  });
});
