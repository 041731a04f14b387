// Every query of accounts, sessions, API tokens and sign-in attempts.
import type { Kysely, Selectable } from 'kysely';
import type { ApiTokensTable, DB, SessionsTable, UsersTable } from '../db/schema.ts';
import type { Role } from './access.ts';

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;

export const findUserByEmail = (db: Kysely<DB>, email: string) =>
  db
    .selectFrom('users')
    .selectAll()
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .executeTakeFirst();

export const findUserById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();

export const listUserRows = (db: Kysely<DB>) => db.selectFrom('users').selectAll().orderBy('email').execute();

export const insertUser = (
  db: Kysely<DB>,
  user: {
    email: string;
    name: string;
    role: Role;
    supplierId: string | null;
    passwordHash: string;
    at: Date;
  },
) =>
  db
    .insertInto('users')
    .values({
      email: user.email,
      name: user.name,
      role: user.role,
      supplier_id: user.supplierId,
      password_hash: user.passwordHash,
      password_changed_at: user.at,
      created_at: user.at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

export const updateUserRow = (
  db: Kysely<DB>,
  id: string,
  changes: Partial<{
    name: string;
    role: Role;
    supplier_id: string | null;
    disabled_at: Date | null;
    password_hash: string;
    password_changed_at: Date;
  }>,
) => db.updateTable('users').set(changes).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export const countActiveAdmins = async (db: Kysely<DB>) =>
  Number(
    (
      await db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .executeTakeFirstOrThrow()
    ).n,
  );

export const insertSession = (
  db: Kysely<DB>,
  session: {
    tokenHash: string;
    userId: string;
    csrfToken: string;
    at: Date;
    expiresAt: Date;
    ip: string | null;
    userAgent: string | null;
  },
) =>
  db
    .insertInto('sessions')
    .values({
      token_hash: session.tokenHash,
      user_id: session.userId,
      csrf_token: session.csrfToken,
      created_at: session.at,
      last_seen_at: session.at,
      expires_at: session.expiresAt,
      ip: session.ip,
      user_agent: session.userAgent,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

/** A live session and its enabled user: not revoked, not past its absolute or idle expiry. */
export const findLiveSession = (db: Kysely<DB>, tokenHash: string, now: Date, idleSince: Date) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'sessions.id as sessionId',
      'sessions.csrf_token as csrfToken',
      'sessions.last_seen_at as lastSeenAt',
      'users.id as userId',
      'users.email',
      'users.name',
      'users.role',
      'users.supplier_id as supplierId',
    ])
    .where('sessions.token_hash', '=', tokenHash)
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', now)
    .where('sessions.last_seen_at', '>', idleSince)
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();

export const touchSession = (db: Kysely<DB>, sessionId: string, at: Date) =>
  db.updateTable('sessions').set({ last_seen_at: at }).where('id', '=', sessionId).execute();

export const revokeSession = (db: Kysely<DB>, sessionId: string, at: Date) =>
  db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();

/** Revokes every open session of a user, except `keep` when given; returns how many. */
export async function revokeUserSessions(db: Kysely<DB>, userId: string, at: Date, keep?: string) {
  let query = db
    .updateTable('sessions')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (keep) query = query.where('id', '<>', keep);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export const findSessionIdByHash = async (db: Kysely<DB>, tokenHash: string) =>
  (await db.selectFrom('sessions').select('id').where('token_hash', '=', tokenHash).executeTakeFirst())?.id;

export const insertApiToken = (
  db: Kysely<DB>,
  token: {
    name: string;
    userId: string;
    role: Role;
    tokenHash: string;
    prefix: string;
    at: Date;
    expiresAt: Date | null;
  },
) =>
  db
    .insertInto('api_tokens')
    .values({
      name: token.name,
      user_id: token.userId,
      role: token.role,
      token_hash: token.tokenHash,
      prefix: token.prefix,
      created_at: token.at,
      expires_at: token.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();

const tokenColumns = [
  'api_tokens.id',
  'api_tokens.name',
  'api_tokens.role',
  'api_tokens.prefix',
  'api_tokens.user_id',
  'api_tokens.created_at',
  'api_tokens.last_used_at',
  'api_tokens.revoked_at',
  'api_tokens.expires_at',
  'users.email as user_email',
] as const;

export type ApiTokenListing = {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  user_id: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date | null;
  user_email: string;
};

/** Tokens of one user, or of everyone when `userId` is null; newest first. */
export async function listApiTokens(db: Kysely<DB>, userId: string | null): Promise<ApiTokenListing[]> {
  let query = db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(tokenColumns)
    .orderBy('api_tokens.created_at', 'desc')
    .orderBy('api_tokens.id');
  if (userId !== null) query = query.where('api_tokens.user_id', '=', userId);
  return query.execute();
}

export const findApiToken = (db: Kysely<DB>, id: string): Promise<ApiTokenListing | undefined> =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select(tokenColumns)
    .where('api_tokens.id', '=', id)
    .executeTakeFirst();

/** A usable token and its enabled user: not revoked, not expired. */
export const findLiveApiToken = (db: Kysely<DB>, tokenHash: string, now: Date) =>
  db
    .selectFrom('api_tokens')
    .innerJoin('users', 'users.id', 'api_tokens.user_id')
    .select([
      'api_tokens.id as tokenId',
      'api_tokens.role as tokenRole',
      'api_tokens.last_used_at as lastUsedAt',
      'users.id as userId',
      'users.email',
      'users.name',
      'users.role as userRole',
      'users.supplier_id as supplierId',
    ])
    .where('api_tokens.token_hash', '=', tokenHash)
    .where('api_tokens.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('api_tokens.expires_at', 'is', null), eb('api_tokens.expires_at', '>', now)]))
    .where('users.disabled_at', 'is', null)
    .executeTakeFirst();

export const touchApiToken = (db: Kysely<DB>, tokenId: string, at: Date) =>
  db.updateTable('api_tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();

export const revokeApiToken = (db: Kysely<DB>, tokenId: string, at: Date) =>
  db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', tokenId)
    .where('revoked_at', 'is', null)
    .execute();

export async function revokeUserApiTokens(db: Kysely<DB>, userId: string, at: Date) {
  const result = await db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export const recordLoginAttempt = (
  db: Kysely<DB>,
  attempt: { at: Date; email: string; ip: string; succeeded: boolean },
) => db.insertInto('login_attempts').values(attempt).execute();

/**
 * Failed attempts since `since`: for the account, only those after its last successful sign-in;
 * for the address, all of them. Also the oldest counted failure, to say when the block ends.
 */
export async function countRecentFailures(db: Kysely<DB>, email: string, ip: string, since: Date) {
  const lastSuccess = db
    .selectFrom('login_attempts')
    .select((eb) => eb.fn.max('at').as('at'))
    .where('email', '=', email)
    .where('succeeded', '=', true);
  const account = await db
    .selectFrom('login_attempts')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('at').as('oldest')])
    .where('email', '=', email)
    .where('succeeded', '=', false)
    .where('at', '>', since)
    .where((eb) => eb.or([eb(lastSuccess, 'is', null), eb('at', '>', lastSuccess)]))
    .executeTakeFirstOrThrow();
  const address = await db
    .selectFrom('login_attempts')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('at').as('oldest')])
    .where('ip', '=', ip)
    .where('succeeded', '=', false)
    .where('at', '>', since)
    .executeTakeFirstOrThrow();
  const oldest = (value: unknown) => (value === null || value === undefined ? null : new Date(value as Date));
  return {
    account: { count: Number(account.n), oldest: oldest(account.oldest) },
    address: { count: Number(address.n), oldest: oldest(address.oldest) },
  };
}
