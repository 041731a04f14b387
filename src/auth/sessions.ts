// Signing in and out: password check with throttling per account and per address, browser sessions
// with idle and absolute expiry, sign-out everywhere and password change. All audited.
import type { Deps } from '../deps.ts';
import { appendAudit } from '../platform/audit.ts';
import { Forbidden, Invalid, Throttled, Unauthenticated } from '../platform/errors.ts';
import type { Principal } from './access.ts';
import { checkPassword, hashPassword, verifyAgainstDummy, verifyPassword } from './passwords.ts';
import { hashSecret, newSecret } from './secrets.ts';
import {
  countRecentFailures,
  findLiveSession,
  findUserByEmail,
  findUserById,
  insertSession,
  recordLoginAttempt,
  revokeSession,
  revokeUserSessions,
  touchSession,
  updateUserRow,
} from './store.ts';
import { presentUser, type UserSummary } from './users.ts';

export type AuthDeps = Pick<Deps, 'db' | 'clock' | 'random' | 'config'>;

export type Client = { ip: string; userAgent: string | null };

export type SignedIn = { user: UserSummary; csrfToken: string; sessionToken: string; expiresAt: Date };

const MINUTE = 60_000;
/** last_seen_at is written at most this often, so busy sessions do not write on every request. */
const TOUCH_EVERY_MS = MINUTE;

const invalidCredentials = () =>
  new Unauthenticated('The email address or the password is not right.', 'INVALID_CREDENTIALS');

async function refuseWhenThrottled(deps: AuthDeps, email: string, client: Client, now: Date) {
  const windowMs = deps.config.loginThrottleMinutes * MINUTE;
  const recent = await countRecentFailures(deps.db, email, client.ip, new Date(now.getTime() - windowMs));
  const blocks = [
    { count: recent.account.count, max: deps.config.loginFailuresPerAccount, oldest: recent.account.oldest },
    { count: recent.address.count, max: deps.config.loginFailuresPerIp, oldest: recent.address.oldest },
  ].filter((b) => b.count >= b.max);
  if (blocks.length === 0) return;
  const until = Math.max(...blocks.map((b) => (b.oldest?.getTime() ?? now.getTime()) + windowMs));
  const retryAfterSeconds = Math.max(1, Math.ceil((until - now.getTime()) / 1000));
  await appendAudit(deps.db, {
    actor: 'anonymous',
    actorLabel: email,
    action: 'SIGN_IN_FAILED',
    subjectType: 'user',
    detail: { email, reason: 'throttled' },
    ip: client.ip,
    at: now,
  });
  throw new Throttled(
    `Too many failed sign-ins; try again in ${Math.ceil(retryAfterSeconds / 60)} minutes.`,
    retryAfterSeconds,
  );
}

/** Checks the password and opens a session; the same refusal for an unknown email and a wrong password. */
export async function signIn(
  deps: AuthDeps,
  input: { email: string; password: string },
  client: Client,
): Promise<SignedIn> {
  const email = input.email.trim().toLowerCase();
  const now = deps.clock();
  await refuseWhenThrottled(deps, email, client, now);
  const user = await findUserByEmail(deps.db, email);
  const passwordOk = user
    ? await verifyPassword(user.password_hash, input.password)
    : await verifyAgainstDummy(input.password);
  if (!user || !passwordOk || user.disabled_at !== null) {
    const reason = !user ? 'unknown account' : !passwordOk ? 'wrong password' : 'account disabled';
    await deps.db.transaction().execute(async (trx) => {
      await recordLoginAttempt(trx, { at: now, email, ip: client.ip, succeeded: false });
      await appendAudit(trx, {
        actor: 'anonymous',
        actorLabel: email,
        action: 'SIGN_IN_FAILED',
        subjectType: 'user',
        ...(user ? { subjectId: user.id } : {}),
        detail: { email, reason },
        ip: client.ip,
        at: now,
      });
    });
    throw invalidCredentials();
  }
  const sessionToken = newSecret(deps.random);
  const csrfToken = newSecret(deps.random);
  const expiresAt = new Date(now.getTime() + deps.config.sessionMaxHours * 60 * MINUTE);
  await deps.db.transaction().execute(async (trx) => {
    await recordLoginAttempt(trx, { at: now, email, ip: client.ip, succeeded: true });
    const session = await insertSession(trx, {
      tokenHash: hashSecret(sessionToken),
      userId: user.id,
      csrfToken,
      at: now,
      expiresAt,
      ip: client.ip,
      userAgent: client.userAgent?.slice(0, 500) ?? null,
    });
    await appendAudit(trx, {
      actor: { ...principalOf(user), via: 'session', tokenId: null },
      action: 'SIGN_IN',
      subjectType: 'user',
      subjectId: user.id,
      detail: { sessionId: session.id },
      ip: client.ip,
      at: now,
    });
  });
  return { user: presentUser(user), csrfToken, sessionToken, expiresAt };
}

const principalOf = (user: {
  id: string;
  email: string;
  name: string;
  role: Principal['role'];
  supplier_id: string | null;
}) => ({
  userId: user.id,
  email: user.email,
  name: user.name,
  role: user.role,
  supplierId: user.supplier_id,
});

export type SessionPrincipal = Principal & { sessionId: string; csrfToken: string };

/** The principal of a session cookie, or null when it is unknown, revoked, expired or idle too long. */
export async function authenticateSession(
  deps: AuthDeps,
  sessionToken: string,
): Promise<SessionPrincipal | null> {
  const now = deps.clock();
  const idleSince = new Date(now.getTime() - deps.config.sessionIdleMinutes * MINUTE);
  const row = await findLiveSession(deps.db, hashSecret(sessionToken), now, idleSince);
  if (!row) return null;
  if (now.getTime() - row.lastSeenAt.getTime() >= TOUCH_EVERY_MS)
    await touchSession(deps.db, row.sessionId, now);
  return {
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.role,
    supplierId: row.supplierId,
    via: 'session',
    tokenId: null,
    sessionId: row.sessionId,
    csrfToken: row.csrfToken,
  };
}

function requireSession(principal: Principal & { sessionId?: string }): string {
  if (principal.via !== 'session' || !principal.sessionId) {
    throw new Forbidden('This needs a signed-in browser session, not an API token.');
  }
  return principal.sessionId;
}

export async function signOut(deps: AuthDeps, principal: SessionPrincipal | Principal, ip: string | null) {
  const sessionId = requireSession(principal);
  const at = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await revokeSession(trx, sessionId, at);
    await appendAudit(trx, {
      actor: principal,
      action: 'SIGN_OUT',
      subjectType: 'user',
      subjectId: principal.userId,
      detail: { sessionId },
      ip,
      at,
    });
  });
}

/** Ends every session of the user, this one included (API tokens stay: revoke them one by one). */
export async function signOutEverywhere(deps: AuthDeps, principal: Principal, ip: string | null) {
  requireSession(principal);
  const at = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    const sessions = await revokeUserSessions(trx, principal.userId, at);
    await appendAudit(trx, {
      actor: principal,
      action: 'SIGN_OUT_EVERYWHERE',
      subjectType: 'user',
      subjectId: principal.userId,
      detail: { sessionsRevoked: sessions },
      ip,
      at,
    });
  });
}

/** Changes one's own password; every other session of the user ends. */
export async function changePassword(
  deps: AuthDeps,
  principal: Principal,
  input: { currentPassword: string; newPassword: string },
  ip: string | null,
) {
  const sessionId = requireSession(principal);
  checkPassword(input.newPassword, 'newPassword');
  const user = await findUserById(deps.db, principal.userId);
  if (!user || !(await verifyPassword(user.password_hash, input.currentPassword))) {
    throw new Invalid({ currentPassword: 'is not your current password' });
  }
  if (input.newPassword === input.currentPassword) {
    throw new Invalid({ newPassword: 'must differ from the current password' });
  }
  const passwordHash = await hashPassword(input.newPassword);
  const at = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await updateUserRow(trx, user.id, { password_hash: passwordHash, password_changed_at: at });
    const sessions = await revokeUserSessions(trx, user.id, at, sessionId);
    await appendAudit(trx, {
      actor: principal,
      action: 'PASSWORD_CHANGED',
      subjectType: 'user',
      subjectId: user.id,
      detail: { otherSessionsRevoked: sessions },
      ip,
      at,
    });
  });
}
