// Fresh private status links for notices mailed to a reporter. The link given at submission is
// stored only as a hash, so a later mail cannot repeat it: each notice gets a new random token,
// stored as its SHA-256 like the first, and the status page accepts every one of them.
import type { Db } from '../db/database.ts';
import type { Deps } from '../deps.ts';
import { sha256Hex } from '../platform/clock.ts';
import { statusUrlFor } from './service.ts';
import { insertAccessLink } from './store.ts';

export type IssuedStatusLink = { id: string; url: string };

/**
 * Stores a new link to the report's status page in the caller's transaction and returns its URL,
 * which the caller puts in a queued mail and nowhere else.
 *
 * @example const link = await issueStatusLink(trx, deps, { reportId, purpose: 'staff_message' });
 */
export async function issueStatusLink(
  trx: Db,
  deps: Pick<Deps, 'config' | 'random' | 'clock'>,
  request: { reportId: string; purpose: string },
): Promise<IssuedStatusLink> {
  const token = deps.random(32).toString('base64url');
  const id = await insertAccessLink(trx, {
    reportId: request.reportId,
    tokenHash: sha256Hex(token),
    purpose: request.purpose,
    at: deps.clock(),
  });
  return { id, url: statusUrlFor(deps, token) };
}
