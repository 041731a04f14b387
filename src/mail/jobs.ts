// The MAIL_SEND job: mails are queued with the change that causes them and sent by a worker.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { enqueue } from '../queue/queue.ts';
import type { Mailer, OutgoingMail } from './mailer.ts';

export const MAIL_SEND = 'MAIL_SEND';

export async function queueMail(db: Kysely<DB> | Transaction<DB>, mail: OutgoingMail): Promise<void> {
  await enqueue(db, { type: MAIL_SEND, payload: mail, idempotencyKey: `mail:${mail.messageId}` });
}

export const sendMailJob = (mailer: Mailer) => async (payload: unknown) => {
  await mailer.send(payload as OutgoingMail);
};
