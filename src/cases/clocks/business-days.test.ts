import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  addBusinessDays,
  addCalendarDays,
  endOfLocalDay,
  isoWeekday,
  localDateOf,
  startOfLocalDay,
  zoneOffsetMs,
} from './business-days.ts';

const weekdays = [1, 2, 3, 4, 5];

// Hand-computed: local arrival, the counted days, and the end of the last one converted to UTC.
const businessDayTable: {
  why: string;
  zone: string;
  from: string;
  n: number;
  due: string;
  holidays?: string[];
  workingDays?: number[];
}[] = [
  {
    why: 'Berlin, Friday 18:30 CET; Mon 30 (1), Tue 31 (2) in CEST after the spring change',
    zone: 'Europe/Berlin',
    from: '2026-03-27T17:30:00Z',
    n: 2,
    due: '2026-03-31T21:59:59.999Z',
  },
  {
    why: 'Berlin, Saturday counts from Monday like Friday evening',
    zone: 'Europe/Berlin',
    from: '2026-03-28T09:00:00Z',
    n: 2,
    due: '2026-03-31T21:59:59.999Z',
  },
  {
    why: 'Berlin, Monday 09:00 CEST + 5 across the autumn change ends Monday 26 Oct in CET',
    zone: 'Europe/Berlin',
    from: '2026-10-19T07:00:00Z',
    n: 5,
    due: '2026-10-26T22:59:59.999Z',
  },
  {
    why: 'Berlin, Wednesday before Christmas: 24, 25 holidays, weekend, then Mon 28 (1), Tue 29 (2)',
    zone: 'Europe/Berlin',
    from: '2026-12-23T15:00:00Z',
    n: 2,
    holidays: ['2026-12-24', '2026-12-25', '2026-12-26', '2027-01-01'],
    due: '2026-12-29T22:59:59.999Z',
  },
  {
    why: 'Berlin, Thursday 22:30 UTC is already Friday 00:30 in Berlin, so 1 business day is Monday',
    zone: 'Europe/Berlin',
    from: '2026-06-04T22:30:00Z',
    n: 1,
    due: '2026-06-08T21:59:59.999Z',
  },
  {
    why: 'New York, Friday 17:00 EST; Mon 9 (1), Tue 10 (2) in EDT',
    zone: 'America/New_York',
    from: '2026-03-06T22:00:00Z',
    n: 2,
    due: '2026-03-11T03:59:59.999Z',
  },
  {
    why: 'New York, Friday 20:00 EDT (Saturday in UTC); Monday 2 Nov in EST',
    zone: 'America/New_York',
    from: '2026-10-31T00:00:00Z',
    n: 1,
    due: '2026-11-03T04:59:59.999Z',
  },
  {
    why: 'Shanghai, 1 May holiday week (1–5 May); Wed 6 (1), Thu 7 (2)',
    zone: 'Asia/Shanghai',
    from: '2026-05-01T01:00:00Z',
    n: 2,
    holidays: ['2026-05-01', '2026-05-04', '2026-05-05'],
    due: '2026-05-07T15:59:59.999Z',
  },
  {
    why: 'Shanghai, Friday 17:00 UTC is Saturday 01:00 local; Monday 12 Jan',
    zone: 'Asia/Shanghai',
    from: '2026-01-09T17:00:00Z',
    n: 1,
    due: '2026-01-12T15:59:59.999Z',
  },
  {
    why: 'Sydney, Good Friday 17:00 AEDT; Easter Monday off, DST ends Sunday; Tue 7 (1), Wed 8 (2) in AEST',
    zone: 'Australia/Sydney',
    from: '2026-04-03T06:00:00Z',
    n: 2,
    holidays: ['2026-04-03', '2026-04-06'],
    due: '2026-04-08T13:59:59.999Z',
  },
  {
    why: 'Sydney, Friday 10:00 AEST; DST starts Sunday; Monday 5 Oct ends in AEDT',
    zone: 'Australia/Sydney',
    from: '2026-10-02T00:00:00Z',
    n: 1,
    due: '2026-10-05T12:59:59.999Z',
  },
  {
    why: 'Sydney, the same with Labour Day (5 Oct) as a holiday ends Tuesday',
    zone: 'Australia/Sydney',
    from: '2026-10-02T00:00:00Z',
    n: 1,
    holidays: ['2026-10-05'],
    due: '2026-10-06T12:59:59.999Z',
  },
  {
    why: 'UTC, Sunday-to-Thursday week: Thursday + 1 is Sunday',
    zone: 'UTC',
    from: '2026-02-05T10:00:00Z',
    n: 1,
    workingDays: [7, 1, 2, 3, 4],
    due: '2026-02-08T23:59:59.999Z',
  },
  {
    why: 'UTC, zero business days from a Saturday is the end of Monday',
    zone: 'UTC',
    from: '2026-02-07T10:00:00Z',
    n: 0,
    due: '2026-02-09T23:59:59.999Z',
  },
  {
    why: 'UTC, zero business days from a Monday is the end of that Monday',
    zone: 'UTC',
    from: '2026-02-09T10:00:00Z',
    n: 0,
    due: '2026-02-09T23:59:59.999Z',
  },
];

describe('business days in the maker’s time zone', () => {
  for (const row of businessDayTable) {
    it(`${row.why}: ${row.from} + ${row.n} → ${row.due}`, () => {
      const due = addBusinessDays(new Date(row.from), row.n, {
        timeZone: row.zone,
        workingDays: row.workingDays ?? weekdays,
        holidays: row.holidays ?? [],
      });
      assert.equal(due.toISOString(), row.due);
    });
  }

  it('refuses a negative or fractional number of days and a calendar without working days', () => {
    const calendar = { timeZone: 'UTC', workingDays: weekdays, holidays: [] };
    assert.throws(() => addBusinessDays(new Date(), -1, calendar), RangeError);
    assert.throws(() => addBusinessDays(new Date(), 1.5, calendar), RangeError);
    assert.throws(() => addBusinessDays(new Date(), 1, { ...calendar, workingDays: [] }), RangeError);
  });
});

describe('calendar days and local days', () => {
  it('ends a calendar-day deadline at the end of the Nth local day after arrival', () => {
    // Saturday 12:00 EDT + 1 day → Sunday 1 Nov, the 25-hour day, ends 23:59:59.999 EST.
    assert.equal(
      addCalendarDays(new Date('2026-10-31T16:00:00Z'), 1, 'America/New_York').toISOString(),
      '2026-11-02T04:59:59.999Z',
    );
    // Berlin: 7 days after Friday 27 March is Friday 3 April, in CEST.
    assert.equal(
      addCalendarDays(new Date('2026-03-27T17:30:00Z'), 7, 'Europe/Berlin').toISOString(),
      '2026-04-03T21:59:59.999Z',
    );
  });

  it('measures the spring-forward day in Berlin as 23 hours and the fall-back day as 25', () => {
    const length = (day: number, month: number) =>
      endOfLocalDay({ year: 2026, month, day }, 'Europe/Berlin').getTime() +
      1 -
      startOfLocalDay({ year: 2026, month, day }, 'Europe/Berlin').getTime();
    assert.equal(length(29, 3), 23 * 3_600_000);
    assert.equal(length(25, 10), 25 * 3_600_000);
    assert.equal(length(28, 3), 24 * 3_600_000);
  });

  it('starts a day whose midnight is skipped by DST at the moment the clocks jump (Santiago)', () => {
    // Chile moved from 24:00 -04 to 01:00 -03 on 8 September 2024.
    assert.equal(
      startOfLocalDay({ year: 2024, month: 9, day: 8 }, 'America/Santiago').toISOString(),
      '2024-09-08T04:00:00.000Z',
    );
    assert.equal(
      endOfLocalDay({ year: 2024, month: 9, day: 7 }, 'America/Santiago').toISOString(),
      '2024-09-08T03:59:59.999Z',
    );
  });

  it('reads offsets and local dates from Intl', () => {
    assert.equal(zoneOffsetMs(new Date('2026-01-15T12:00:00Z'), 'Europe/Berlin'), 3_600_000);
    assert.equal(zoneOffsetMs(new Date('2026-07-15T12:00:00Z'), 'Europe/Berlin'), 7_200_000);
    assert.equal(zoneOffsetMs(new Date('2026-07-15T12:00:00Z'), 'Australia/Sydney'), 10 * 3_600_000);
    assert.equal(zoneOffsetMs(new Date('2026-01-15T12:00:00Z'), 'America/New_York'), -5 * 3_600_000);
    assert.deepEqual(localDateOf(new Date('2026-01-09T17:00:00Z'), 'Asia/Shanghai'), {
      year: 2026,
      month: 1,
      day: 10,
    });
    assert.equal(isoWeekday({ year: 2026, month: 1, day: 10 }), 6);
    assert.equal(isoWeekday({ year: 2026, month: 1, day: 11 }), 7);
  });
});
