// Accounts: create, list and change users (role, supplier, disabled, password); every change audited.
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { type AuditActor, appendAudit } from '../platform/audit.ts';
import { Conflict, Invalid, NotFound } from '../platform/errors.ts';
import type { Role } from './access.ts';
import { checkPassword, hashPassword } from './passwords.ts';
import {
  countActiveAdmins,
  findUserByEmail,
  findUserById,
  insertUser,
  listUserRows,
  revokeUserApiTokens,
  revokeUserSessions,
  type UserRow,
  updateUserRow,
} from './store.ts';

/** What sign-in and /auth/me show about the signed-in user. */
export type UserSummary = { id: string; email: string; name: string; role: Role; supplierId: string | null };

/** What the user administration shows. */
export type UserView = UserSummary & { disabled: boolean; disabledAt: string | null; createdAt: string };

export const presentUser = (row: UserRow): UserSummary => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  supplierId: row.supplier_id,
});

export const presentUserView = (row: UserRow): UserView => ({
  ...presentUser(row),
  disabled: row.disabled_at !== null,
  disabledAt: row.disabled_at?.toISOString() ?? null,
  createdAt: row.created_at.toISOString(),
});

export type UserDeps = Pick<Deps, 'db' | 'clock'>;

export type NewUser = {
  email: string;
  name: string;
  role: Role;
  supplierId?: string | null;
  password: string;
};

const emailPattern = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

function checkSupplier(role: Role, supplierId: string | null) {
  if (role === 'supplier' && supplierId === null) {
    throw new Invalid({ supplierId: 'is required for the supplier role' });
  }
  if (role !== 'supplier' && supplierId !== null) {
    throw new Invalid({ supplierId: 'applies only to the supplier role' });
  }
}

/** Turns a foreign-key violation on users.supplier_id into a field error (the FK comes with suppliers). */
async function withKnownSupplier<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if ((error as { code?: string }).code === '23503') {
      throw new Invalid({ supplierId: 'is not a known supplier' });
    }
    throw error;
  }
}

/**
 * Creates an account (also for the CLI and the demo seed, with actor 'cli' or 'system').
 *
 * @example await createUser({ db, clock }, { email, name, role: 'supplier', supplierId, password }, 'system');
 */
export async function createUser(
  deps: UserDeps,
  input: NewUser,
  actor: AuditActor,
  ip: string | null = null,
): Promise<UserView> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  const supplierId = input.supplierId ?? null;
  const problems: Record<string, string> = {};
  if (!emailPattern.test(email) || email.length > 254) problems.email = 'must be an email address';
  if (name === '' || name.length > 200) problems.name = 'must be 1 to 200 characters';
  if (Object.keys(problems).length > 0) throw new Invalid(problems);
  checkSupplier(input.role, supplierId);
  checkPassword(input.password);
  if (await findUserByEmail(deps.db, email)) throw new Conflict(`There is already an account for ${email}.`);
  const passwordHash = await hashPassword(input.password);
  const at = deps.clock();
  const row = await withKnownSupplier(() =>
    deps.db.transaction().execute(async (trx) => {
      const user = await insertUser(trx, { email, name, role: input.role, supplierId, passwordHash, at });
      await appendAudit(trx, {
        actor,
        action: 'USER_CREATED',
        subjectType: 'user',
        subjectId: user.id,
        detail: { email, role: user.role, supplierId },
        ip,
        at,
      });
      return user;
    }),
  ).catch((error: unknown) => {
    // Two creations racing for one email: the unique index decides.
    if (isUniqueViolation(error)) throw new Conflict(`There is already an account for ${email}.`);
    throw error;
  });
  return presentUserView(row);
}

export const listUsers = async (db: Kysely<DB>): Promise<UserView[]> =>
  (await listUserRows(db)).map(presentUserView);

/** Enabled admins and analysts, by name: the people a case can be assigned to. */
export async function listAssignableStaff(db: Kysely<DB>): Promise<{ id: string; name: string }[]> {
  const rows = await db
    .selectFrom('users')
    .select(['id', 'name', 'email'])
    .where('role', 'in', ['admin', 'analyst'])
    .where('disabled_at', 'is', null)
    .orderBy('name')
    .orderBy('email')
    .execute();
  return rows.map((row) => ({ id: row.id, name: row.name || row.email }));
}

export async function getUser(db: Kysely<DB>, id: string): Promise<UserView> {
  const row = await findUserById(db, id);
  if (!row) throw new NotFound('No such user.');
  return presentUserView(row);
}

export type UserChanges = {
  name?: string;
  role?: Role;
  supplierId?: string | null;
  disabled?: boolean;
  password?: string;
};

/**
 * Changes an account. Disabling (or a password reset) ends its sessions; disabling also revokes its
 * API tokens. The last enabled admin can be neither demoted nor disabled.
 */
export async function updateUser(
  deps: UserDeps,
  id: string,
  changes: UserChanges,
  actor: AuditActor,
  ip: string | null = null,
): Promise<UserView> {
  const before = await findUserById(deps.db, id);
  if (!before) throw new NotFound('No such user.');
  const role = changes.role ?? before.role;
  const supplierId =
    changes.supplierId !== undefined ? changes.supplierId : role === 'supplier' ? before.supplier_id : null;
  checkSupplier(role, supplierId);
  if (changes.name !== undefined && (changes.name.trim() === '' || changes.name.length > 200)) {
    throw new Invalid({ name: 'must be 1 to 200 characters' });
  }
  if (changes.password !== undefined) checkPassword(changes.password);
  const disabledAt =
    changes.disabled === undefined
      ? before.disabled_at
      : changes.disabled
        ? (before.disabled_at ?? deps.clock())
        : null;
  const passwordHash = changes.password === undefined ? undefined : await hashPassword(changes.password);
  const at = deps.clock();
  const row = await withKnownSupplier(() =>
    deps.db.transaction().execute(async (trx) => {
      const wasActiveAdmin = before.role === 'admin' && before.disabled_at === null;
      const staysActiveAdmin = role === 'admin' && disabledAt === null;
      if (wasActiveAdmin && !staysActiveAdmin && (await countActiveAdmins(trx)) <= 1) {
        throw new Conflict('This is the last enabled admin; make another admin first.');
      }
      const after = await updateUserRow(trx, id, {
        ...(changes.name !== undefined ? { name: changes.name.trim() } : {}),
        role,
        supplier_id: supplierId,
        disabled_at: disabledAt,
        ...(passwordHash !== undefined ? { password_hash: passwordHash, password_changed_at: at } : {}),
      });
      const audit = (action: string, detail: Record<string, unknown>) =>
        appendAudit(trx, { actor, action, subjectType: 'user', subjectId: id, detail, ip, at });
      if (before.role !== after.role) await audit('ROLE_CHANGED', { from: before.role, to: after.role });
      if (before.supplier_id !== after.supplier_id) {
        await audit('SUPPLIER_CHANGED', { from: before.supplier_id, to: after.supplier_id });
      }
      if (before.name !== after.name) await audit('USER_RENAMED', { from: before.name, to: after.name });
      if (before.disabled_at === null && after.disabled_at !== null) {
        const sessionsRevoked = await revokeUserSessions(trx, id, at);
        const tokensRevoked = await revokeUserApiTokens(trx, id, at);
        await audit('USER_DISABLED', { sessionsRevoked, tokensRevoked });
      }
      if (before.disabled_at !== null && after.disabled_at === null) await audit('USER_ENABLED', {});
      if (passwordHash !== undefined) {
        const sessionsRevoked = await revokeUserSessions(trx, id, at);
        await audit('PASSWORD_RESET', { sessionsRevoked });
      }
      return after;
    }),
  );
  return presentUserView(row);
}
