// The reminder scan: a queued job that runs every ten minutes, computes the due reminders of every
// case with running clocks, and queues one mail per reminder (to the assigned analyst, or the
// security mailbox) plus a `case.overdue` webhook event when a clock has run out. Each reminder's
// idempotency key (clocks/reminders.ts) is the mail job's key: a reminder is sent once, however often
// the scan runs or is retried. The next scan is queued first, so a failing scan does not stop them.
import crypto from 'node:crypto';
import type { Db } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { MAIL_SEND } from '../mail/jobs.ts';
import type { OutgoingMail } from '../mail/mailer.ts';
import { enqueue } from '../queue/queue.ts';
import type { JobHandler } from '../queue/workers.ts';
import { emitWebhookEvent } from '../webhooks/events.ts';
import { caseConsoleUrl } from './case-webhooks.ts';
import { type ClockReminder, dueReminders } from './clocks/reminders.ts';
import { loadResponsePolicy } from './clocks/response-policy.ts';
import { casesWithClocks } from './overdue.ts';
import type { CaseRow } from './store.ts';

export const CASE_CLOCKS_SCAN = 'CASE_CLOCKS_SCAN';
export const clockScanIntervalMs = 10 * 60_000;

type ScanDeps = Pick<Deps, 'db' | 'config' | 'clock' | 'wakeWorkers'>;

/** Queues the scan of the ten-minute slot after `after` (or the current one); once per slot. */
export async function scheduleClockScan(db: Db, now: Date, after = false): Promise<void> {
  const slot = Math.floor(now.getTime() / clockScanIntervalMs) * clockScanIntervalMs;
  const runAt = new Date(after ? slot + clockScanIntervalMs : slot);
  await enqueue(db, {
    type: CASE_CLOCKS_SCAN,
    payload: {},
    idempotencyKey: `case-clocks-scan:${runAt.toISOString()}`,
    runAt,
  });
}

const thresholdWords: Record<string, string> = {
  '50pct': 'half of the time is gone',
  '90pct': 'nine tenths of the time are gone',
  overdue: 'the deadline has passed',
};

function reminderMail(deps: ScanDeps, row: CaseRow, to: string, reminder: ClockReminder): OutgoingMail {
  const { clock } = reminder;
  const url = caseConsoleUrl(deps.config.publicUrl, row.id);
  const digest = crypto.createHash('sha256').update(reminder.idempotencyKey).digest('hex').slice(0, 32);
  const overdue = reminder.threshold === 'overdue';
  return {
    to,
    subject: `${overdue ? 'Overdue' : 'Reminder'}: ${row.number} — ${clock.label}`,
    text: [
      `${row.number}: ${row.title}`,
      '',
      `Clock: ${clock.label}`,
      `Due: ${clock.dueAt?.toISOString() ?? 'not set'} (${thresholdWords[reminder.threshold] ?? reminder.threshold})`,
      '',
      `Open the case: ${url}`,
    ].join('\n'),
    messageId: `<clock-reminder.${digest}@openpsirt>`,
  };
}

async function alreadyQueued(db: Db, key: string): Promise<boolean> {
  const row = await db.selectFrom('jobs').select('id').where('idempotency_key', '=', key).executeTakeFirst();
  return row !== undefined;
}

async function assigneeEmails(db: Db, rows: CaseRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.map((r) => r.assignee_user_id).filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const users = await db.selectFrom('users').select(['id', 'email']).where('id', 'in', ids).execute();
  return new Map(users.map((u) => [u.id, u.email]));
}

/** Queues the reminders due at `now` that were not queued before; returns how many were queued. */
export async function scanCaseClocks(deps: ScanDeps, now: Date): Promise<number> {
  const policy = await loadResponsePolicy(deps.db);
  const cases = await casesWithClocks(deps.db, policy, now);
  const emails = await assigneeEmails(
    deps.db,
    cases.map((c) => c.row),
  );
  let queued = 0;
  for (const { row, clocks } of cases) {
    const reminders = dueReminders(row.id, clocks, now);
    if (reminders.length === 0) continue;
    const to = (row.assignee_user_id && emails.get(row.assignee_user_id)) || deps.config.securityEmail;
    // One short transaction per case: PGlite holds one connection.
    queued += await deps.db.transaction().execute(async (trx) => {
      let n = 0;
      for (const reminder of reminders) {
        if (await alreadyQueued(trx, reminder.idempotencyKey)) continue;
        await enqueue(trx, {
          type: MAIL_SEND,
          payload: reminderMail(deps, row, to, reminder),
          idempotencyKey: reminder.idempotencyKey,
          runAt: now,
        });
        if (reminder.threshold === 'overdue') {
          await emitWebhookEvent(trx, {
            type: 'case.overdue',
            id: reminder.idempotencyKey,
            occurredAt: now,
            data: {
              caseId: row.id,
              number: row.number,
              title: row.title,
              severity: row.cvss_severity,
              url: caseConsoleUrl(deps.config.publicUrl, row.id),
              clock: reminder.clock.key,
              clockLabel: reminder.clock.label,
              dueAt: reminder.clock.dueAt?.toISOString() ?? null,
            },
          });
        }
        n++;
      }
      return n;
    });
  }
  if (queued > 0) deps.wakeWorkers();
  return queued;
}

/** The CASE_CLOCKS_SCAN job: queues the next scan, then scans. */
export const caseClockScanJob =
  (deps: ScanDeps): JobHandler =>
  async () => {
    const now = deps.clock();
    await scheduleClockScan(deps.db, now, true);
    await scanCaseClocks(deps, now);
  };
