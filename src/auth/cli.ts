// `openpsirt user add|list`: bootstrap the first admin and list accounts from the command line.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import { Invalid } from '../platform/errors.ts';
import { isRole, roles } from './access.ts';
import { checkPassword, generatePassword } from './passwords.ts';
import { createUser, listUsers, type NewUser } from './users.ts';

export const PASSWORD_ENV = 'OPENPSIRT_PASSWORD';

type Values = Record<string, string | boolean | undefined>;

export type UserToAdd = NewUser & { passwordGenerated: boolean };

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Reads the `user add` options before any database is opened, so bad input fails fast. The password
 * comes from OPENPSIRT_PASSWORD or is generated (and shown once by `addUserFromCli`).
 */
export function parseUserAdd(values: Values, env: Record<string, string | undefined>): UserToAdd {
  const problems: Record<string, string> = {};
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string).trim() : '');
  const role = text('role');
  if (!isRole(role)) problems['--role'] = `must be one of ${roles.join(', ')}`;
  if (text('email') === '') problems['--email'] = 'is required';
  if (text('name') === '') problems['--name'] = 'is required';
  const supplier = text('supplier');
  if (role === 'supplier' && supplier === '') problems['--supplier'] = 'is required for the supplier role';
  else if (role !== 'supplier' && supplier !== '')
    problems['--supplier'] = 'applies only to the supplier role';
  else if (supplier !== '' && !uuid.test(supplier))
    problems['--supplier'] = 'must be the id of a supplier (a UUID)';
  const given = env[PASSWORD_ENV];
  const passwordGenerated = given === undefined || given === '';
  const password = passwordGenerated ? generatePassword() : given;
  try {
    checkPassword(password, PASSWORD_ENV);
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    Object.assign(problems, error.fields);
  }
  if (Object.keys(problems).length > 0 || !isRole(role)) throw new Invalid(problems, 'Cannot add the user');
  return {
    email: text('email'),
    name: text('name'),
    role,
    supplierId: supplier === '' ? null : supplier,
    password,
    passwordGenerated,
  };
}

/** Creates the account, audited with actor 'cli'; answers what to print. */
export async function addUserFromCli(
  deps: { db: Kysely<DB>; clock: Clock },
  input: UserToAdd,
): Promise<string> {
  const { passwordGenerated, ...newUser } = input;
  let user: Awaited<ReturnType<typeof createUser>>;
  try {
    user = await createUser(deps, newUser, 'cli');
  } catch (error) {
    if (!(error instanceof Invalid)) throw error;
    const option = (field: string) =>
      field === 'password' ? PASSWORD_ENV : field === 'supplierId' ? '--supplier' : `--${field}`;
    const fields = Object.fromEntries(Object.entries(error.fields).map(([f, reason]) => [option(f), reason]));
    throw new Invalid(fields, 'Cannot add the user');
  }
  const lines = [`Added ${user.role} ${user.email} (${user.id}).`];
  if (passwordGenerated) {
    lines.push(`Password (shown only now): ${input.password}`, 'Sign in at /console and change it there.');
  }
  return `${lines.join('\n')}\n`;
}

export async function listUsersForCli(db: Kysely<DB>): Promise<string> {
  const users = await listUsers(db);
  if (users.length === 0)
    return 'No users yet. Add the first admin with: openpsirt user add --role admin …\n';
  const line = (u: (typeof users)[number]) =>
    [
      u.email.padEnd(36),
      u.role.padEnd(9),
      u.disabled ? 'disabled' : 'enabled ',
      u.supplierId ?? '',
      u.name,
    ].join(' ');
  return `${users.map(line).join('\n')}\n`;
}
