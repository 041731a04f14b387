// `openpsirt user add|list`: bootstrap the first admin and list accounts from the command line.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Clock } from '../platform/clock.ts';
import { Invalid } from '../platform/errors.ts';
import { isRole, roles } from './access.ts';
import { generatePassword } from './passwords.ts';
import { createUser, listUsers } from './users.ts';

export const PASSWORD_ENV = 'OPENPSIRT_PASSWORD';

type Values = Record<string, string | boolean | undefined>;

/** Creates the account; the password comes from OPENPSIRT_PASSWORD or is generated and shown once. */
export async function addUserFromCli(
  deps: { db: Kysely<DB>; clock: Clock },
  values: Values,
  env: Record<string, string | undefined>,
): Promise<string> {
  const problems: Record<string, string> = {};
  const text = (key: string) => (typeof values[key] === 'string' ? (values[key] as string).trim() : '');
  const role = text('role');
  if (!isRole(role)) problems['--role'] = `must be one of ${roles.join(', ')}`;
  if (text('email') === '') problems['--email'] = 'is required';
  if (text('name') === '') problems['--name'] = 'is required';
  const supplier = text('supplier');
  if (role === 'supplier' && supplier === '') problems['--supplier'] = 'is required for the supplier role';
  if (role !== 'supplier' && supplier !== '') problems['--supplier'] = 'applies only to the supplier role';
  if (supplier !== '' && !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(supplier)) {
    problems['--supplier'] = 'must be the id of a supplier (a UUID)';
  }
  if (Object.keys(problems).length > 0 || !isRole(role)) throw new Invalid(problems, 'Cannot add the user');
  const given = env[PASSWORD_ENV];
  const password = given !== undefined && given !== '' ? given : generatePassword();
  let user: Awaited<ReturnType<typeof createUser>>;
  try {
    user = await createUser(
      deps,
      {
        email: text('email'),
        name: text('name'),
        role,
        supplierId: supplier === '' ? null : supplier,
        password,
      },
      'cli',
    );
  } catch (error) {
    if (error instanceof Invalid) {
      const fields = Object.fromEntries(
        Object.entries(error.fields).map(([field, reason]) => [
          field === 'password' ? PASSWORD_ENV : field === 'supplierId' ? '--supplier' : `--${field}`,
          reason,
        ]),
      );
      throw new Invalid(fields, 'Cannot add the user');
    }
    throw error;
  }
  const lines = [`Added ${user.role} ${user.email} (${user.id}).`];
  if (given === undefined || given === '') {
    lines.push(`Password (shown only now): ${password}`, 'Sign in at /console and change it there.');
  }
  return `${lines.join('\n')}\n`;
}

export async function listUsersForCli(db: Kysely<DB>): Promise<string> {
  const users = await listUsers(db);
  if (users.length === 0)
    return 'No users yet. Add the first admin with: openpsirt user add --role admin …\n';
  return `${users
    .map((u) =>
      [
        u.email.padEnd(36),
        u.role.padEnd(9),
        u.disabled ? 'disabled' : 'enabled ',
        u.supplierId ?? '',
        u.name,
      ].join(' '),
    )
    .join('\n')}\n`;
}
