// The one append-only audit log: who did what to which object, when and from where. Write the entry
// with the same transaction handle as the change it records, so neither exists without the other.
import type { Kysely } from 'kysely';
import type { Principal } from '../auth/access.ts';
import type { DB } from '../db/schema.ts';

/**
 * Who acted: a signed-in principal, the server itself ('system'), the command line ('cli'), or an
 * unauthenticated caller ('anonymous', e.g. a failed sign-in; say who they claimed to be in `actorLabel`).
 */
export type AuditActor = Principal | 'system' | 'cli' | 'anonymous';

export type AuditEntry = {
  actor: AuditActor;
  /** Overrides the label derived from the actor (e.g. the email tried in a failed sign-in). */
  actorLabel?: string;
  /** UPPER_SNAKE, e.g. SIGN_IN, ROLE_CHANGED, TOKEN_CREATED. */
  action: string;
  subjectType?: string;
  subjectId?: string;
  detail?: Record<string, unknown>;
  ip?: string | null;
  at: Date;
};

export type AuditRecord = {
  id: string;
  at: Date;
  actor: string;
  actorLabel: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
};

/** `user:<id>` for a session, `token:<id>` for an API token, or the fixed actor name. */
export function actorId(actor: AuditActor): string {
  if (typeof actor === 'string') return actor;
  return actor.via === 'token' ? `token:${actor.tokenId}` : `user:${actor.userId}`;
}

function actorLabel(actor: AuditActor): string {
  if (typeof actor === 'string') return actor;
  return actor.via === 'token' ? `${actor.email} (API token)` : actor.email;
}

/**
 * Appends one entry.
 *
 * @example await appendAudit(trx, { actor: principal, action: 'ROLE_CHANGED', subjectType: 'user', subjectId: id, detail: { from, to }, at: deps.clock() });
 */
export async function appendAudit(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  if (!/^[A-Z][A-Z0-9_]*$/.test(entry.action))
    throw new Error(`Audit action ${entry.action} is not UPPER_SNAKE`);
  await db
    .insertInto('audit_log')
    .values({
      at: entry.at,
      actor: actorId(entry.actor),
      actor_label: entry.actorLabel ?? actorLabel(entry.actor),
      action: entry.action,
      subject_type: entry.subjectType ?? null,
      subject_id: entry.subjectId ?? null,
      detail: JSON.stringify(entry.detail ?? {}),
      ip: entry.ip ?? null,
    })
    .execute();
}

/** Newest first; `before` is the id of the oldest entry of the previous page. */
export async function listAudit(
  db: Kysely<DB>,
  options: { limit: number; before?: string | undefined; subjectType?: string; subjectId?: string },
): Promise<AuditRecord[]> {
  let query = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(options.limit);
  if (options.before !== undefined) query = query.where('id', '<', options.before);
  if (options.subjectType !== undefined) query = query.where('subject_type', '=', options.subjectType);
  if (options.subjectId !== undefined) query = query.where('subject_id', '=', options.subjectId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: String(row.id),
    at: row.at,
    actor: row.actor,
    actorLabel: row.actor_label,
    action: row.action,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    detail: (typeof row.detail === 'string' ? JSON.parse(row.detail) : row.detail) as Record<string, unknown>,
    ip: row.ip,
  }));
}
