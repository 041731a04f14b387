// The MAIL_SEND job: mails are queued with the change that causes them and sent by a worker.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { enqueue } from '../queue/queue.ts';
import type { JobHandler } from '../queue/workers.ts';
import type { Mailer, OutgoingMail } from './mailer.ts';

export const MAIL_SEND = 'MAIL_SEND';

export async function queueMail(db: Kysely<DB> | Transaction<DB>, mail: OutgoingMail): Promise<void> {
  await enqueue(db, { type: MAIL_SEND, payload: mail, idempotencyKey: `mail:${mail.messageId}` });
}

/**
 * Sends a queued mail, then keeps only its envelope in the finished job: a body may hold a secret
 * (the acknowledgement carries the private status link, whose token is otherwise stored only as a
 * hash), and the jobs table must not keep it once the mail is gone.
 */
export const sendMailJob =
  (mailer: Mailer): JobHandler =>
  async (payload) => {
    const mail = payload as OutgoingMail;
    await mailer.send(mail);
    return { keptPayload: sentMailRecord(mail) };
  };

export const REMOVED_BODY = '[body removed once sent]';

/** What stays of a sent mail: who, what about, which message; not what it said. */
export function sentMailRecord(mail: OutgoingMail): OutgoingMail {
  return { to: mail.to, subject: mail.subject, messageId: mail.messageId, text: REMOVED_BODY };
}
