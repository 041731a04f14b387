// Demo staff accounts (admin, analyst, auditor) for `serve --demo`. Their passwords, and the demo
// supplier account's, are generated on the first seed and kept in the settings table, so they stay the
// same for a data folder and can be printed at every start; a demo install is for trying out, never
// for real data.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import { Conflict } from '../platform/errors.ts';
import type { Role } from './access.ts';
import { generatePassword } from './passwords.ts';
import { findUserByEmail } from './store.ts';
import { createUser } from './users.ts';

const SETTINGS_KEY = 'demo_accounts';

export const demoStaff: readonly { role: Role; email: string; name: string }[] = [
  { role: 'admin', email: 'admin@demo.example', name: 'Ada Admin' },
  { role: 'analyst', email: 'analyst@demo.example', name: 'Ana Analyst' },
  { role: 'auditor', email: 'auditor@demo.example', name: 'Otto Auditor' },
];

export type DemoAccount = { role: string; email: string; password: string };

/** The password of each demo account in `emails`, generated and stored the first time it is asked for. */
export async function demoPasswords(
  db: Kysely<DB>,
  emails: readonly string[],
): Promise<Record<string, string>> {
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', SETTINGS_KEY)
    .executeTakeFirst();
  const stored = (typeof row?.value === 'string' ? JSON.parse(row.value) : row?.value) as
    | Record<string, string>
    | undefined;
  const passwords = { ...(stored ?? {}) };
  let changed = false;
  for (const email of emails) {
    if (!passwords[email]) {
      passwords[email] = generatePassword();
      changed = true;
    }
  }
  if (changed) {
    await db
      .insertInto('settings')
      .values({ key: SETTINGS_KEY, value: JSON.stringify(passwords) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(passwords) }))
      .execute();
  }
  return passwords;
}

/** Creates the demo staff accounts that are missing; answers every demo account with its password. */
export async function seedDemoAccounts(deps: { db: Kysely<DB>; clock: Clock }): Promise<DemoAccount[]> {
  const passwords = await demoPasswords(
    deps.db,
    demoStaff.map((staff) => staff.email),
  );
  const accounts: DemoAccount[] = [];
  for (const staff of demoStaff) {
    const password = passwords[staff.email] ?? '';
    if (!(await findUserByEmail(deps.db, staff.email))) {
      // A concurrent seed may win the race for the email; its account is just as good.
      await createUser(deps, { ...staff, password }, 'system').catch((error: unknown) => {
        if (!(error instanceof Conflict)) throw error;
      });
    }
    accounts.push({ role: staff.role, email: staff.email, password });
  }
  return accounts;
}
