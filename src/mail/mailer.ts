// Outgoing mail through nodemailer: an SMTP relay when SMTP_URL is set, otherwise .eml files in
// the data folder so a laptop install loses nothing and needs no mail server.
import fs from 'node:fs';
import path from 'node:path';
import nodemailer from 'nodemailer';
import type { Logger } from 'pino';

export type OutgoingMail = { to: string; subject: string; text: string; messageId: string };

export type Mailer = { send(mail: OutgoingMail): Promise<void>; close(): void };

export function createMailer(options: {
  smtpUrl: string | undefined;
  from: string;
  dataDir: string;
  log: Logger;
}): Mailer {
  if (options.smtpUrl) {
    const transport = nodemailer.createTransport(options.smtpUrl);
    return {
      async send(mail) {
        await transport.sendMail({ from: options.from, ...mail });
      },
      close: () => transport.close(),
    };
  }
  const outbox = path.join(options.dataDir, 'mail');
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  return {
    async send(mail) {
      const info = await transport.sendMail({ from: options.from, ...mail });
      await fs.promises.mkdir(outbox, { recursive: true });
      const safeId = mail.messageId.replace(/[^A-Za-z0-9.-]/g, '_');
      const file = path.join(outbox, `${safeId}.eml`);
      await fs.promises.writeFile(file, info.message as Buffer);
      options.log.info({ to: mail.to, subject: mail.subject, file }, 'mail written to the outbox folder');
    },
    close: () => transport.close(),
  };
}
