// API tokens for automation: named, acting as a subset of their user's role, shown once, stored as
// SHA-256 hashes, revocable, with the time they were last used.
import type { Deps } from '../deps.ts';
import { appendAudit } from '../platform/audit.ts';
import { Forbidden, Invalid, NotFound } from '../platform/errors.ts';
import { type Principal, type Role, tokenRolesFor } from './access.ts';
import { hashSecret, newApiToken, TOKEN_PREFIX } from './secrets.ts';
import {
  type ApiTokenListing,
  findApiToken,
  findLiveApiToken,
  findUserById,
  insertApiToken,
  listApiTokens,
  revokeApiToken,
  touchApiToken,
} from './store.ts';

export type TokenDeps = Pick<Deps, 'db' | 'clock' | 'random'>;

export type TokenView = {
  id: string;
  name: string;
  role: Role;
  prefix: string;
  userId: string;
  userEmail: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
};

/** last_used_at is written at most once a minute per token. */
const TOUCH_EVERY_MS = 60_000;

const presentToken = (row: ApiTokenListing): TokenView => ({
  id: row.id,
  name: row.name,
  role: row.role,
  prefix: row.prefix,
  userId: row.user_id,
  userEmail: row.user_email,
  createdAt: row.created_at.toISOString(),
  lastUsedAt: row.last_used_at?.toISOString() ?? null,
  expiresAt: row.expires_at?.toISOString() ?? null,
  revokedAt: row.revoked_at?.toISOString() ?? null,
});

/** Own tokens; an admin sees everyone's. */
export async function listTokens(deps: TokenDeps, principal: Principal): Promise<TokenView[]> {
  const rows = await listApiTokens(deps.db, principal.role === 'admin' ? null : principal.userId);
  return rows.map(presentToken);
}

/** Creates a token for the signed-in user; the secret is in the answer and nowhere else. */
export async function createToken(
  deps: TokenDeps,
  principal: Principal,
  input: { name: string; role: Role; expiresAt?: Date | undefined },
  ip: string | null,
): Promise<TokenView & { token: string }> {
  if (principal.via !== 'session') throw new Forbidden('API tokens are created from a signed-in session.');
  const name = input.name.trim();
  if (name === '' || name.length > 100) throw new Invalid({ name: 'must be 1 to 100 characters' });
  const user = await findUserById(deps.db, principal.userId);
  if (!user) throw new NotFound('No such user.');
  if (!tokenRolesFor(user.role).includes(input.role)) {
    throw new Invalid({
      role: `must be one of ${tokenRolesFor(user.role).join(', ')} (a token never has more rights than you)`,
    });
  }
  if (input.role === 'supplier' && user.supplier_id === null) {
    throw new Invalid({ role: 'supplier tokens belong to a supplier account' });
  }
  const at = deps.clock();
  if (input.expiresAt && input.expiresAt.getTime() <= at.getTime()) {
    throw new Invalid({ expiresAt: 'must be in the future' });
  }
  const token = newApiToken(deps.random);
  const row = await deps.db.transaction().execute(async (trx) => {
    const inserted = await insertApiToken(trx, {
      name,
      userId: user.id,
      role: input.role,
      tokenHash: hashSecret(token),
      prefix: token.slice(0, TOKEN_PREFIX.length + 6),
      at,
      expiresAt: input.expiresAt ?? null,
    });
    await appendAudit(trx, {
      actor: principal,
      action: 'TOKEN_CREATED',
      subjectType: 'api_token',
      subjectId: inserted.id,
      detail: { name, role: input.role, expiresAt: input.expiresAt?.toISOString() ?? null },
      ip,
      at,
    });
    return inserted;
  });
  return { ...presentToken({ ...row, user_email: user.email }), token };
}

/** Revokes one's own token (an admin: anyone's). Others' tokens are NotFound, as if absent. */
export async function revokeToken(
  deps: TokenDeps,
  principal: Principal,
  tokenId: string,
  ip: string | null,
): Promise<void> {
  const token = await findApiToken(deps.db, tokenId);
  if (!token || (principal.role !== 'admin' && token.user_id !== principal.userId)) {
    throw new NotFound('No such token.');
  }
  if (token.revoked_at !== null) return;
  const at = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await revokeApiToken(trx, tokenId, at);
    await appendAudit(trx, {
      actor: principal,
      action: 'TOKEN_REVOKED',
      subjectType: 'api_token',
      subjectId: tokenId,
      detail: { name: token.name, owner: token.user_email },
      ip,
      at,
    });
  });
}

/**
 * The principal of a bearer token, or null. A token whose role its user no longer holds (the user
 * was demoted) stops working rather than keep rights its user lost.
 */
export async function authenticateToken(deps: TokenDeps, secret: string): Promise<Principal | null> {
  if (!secret.startsWith(TOKEN_PREFIX) || secret.length > 200) return null;
  const now = deps.clock();
  const row = await findLiveApiToken(deps.db, hashSecret(secret), now);
  if (!row || !tokenRolesFor(row.userRole).includes(row.tokenRole)) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= TOUCH_EVERY_MS) {
    await touchApiToken(deps.db, row.tokenId, now);
  }
  return {
    userId: row.userId,
    email: row.email,
    name: row.name,
    role: row.tokenRole,
    supplierId: row.supplierId,
    via: 'token',
    tokenId: row.tokenId,
  };
}
