// The vulnerability disclosure policy: editable settings with defaults that suit a device maker.
// The response times it promises (acknowledge, triage, disclosure) are not kept here: they are read
// from the response policy, the one the case clocks run on, so the public promise and the clocks agree.
import type { Kysely } from 'kysely';
import { loadResponsePolicy } from '../cases/clocks/response-policy.ts';
import type { DB } from '../db/schema.ts';
import { Invalid } from '../platform/errors.ts';

/** What this policy stores and `openpsirt policy set` edits. */
export type PolicySettings = {
  inScope: string[];
  outOfScope: string[];
  updateEveryDays: number;
  safeHarbor: string;
  acknowledgmentsUrl: string | null;
};

/** The policy as published: its settings and the response policy's times. */
export type Policy = PolicySettings & {
  acknowledgeWithinBusinessDays: number;
  triageWithinDays: number;
  disclosureDays: number;
};

/** Set with PUT /api/v1/response-policy (admins), not here. */
const responsePolicyKeys = new Set(['acknowledgeWithinBusinessDays', 'triageWithinDays', 'disclosureDays']);

export const defaultPolicy: PolicySettings = {
  inScope: [
    'Our connected devices and their firmware, including older models still in their security-support period',
    'The mobile apps and cloud services the devices talk to',
    'Update delivery, pairing and device-to-cloud protocols',
  ],
  outOfScope: [
    'Attacks that need physical destruction of a device you do not own',
    'Denial of service by flooding our services',
    'Social engineering of our staff or customers',
    'Devices and accounts that are not yours, beyond what is needed to show the flaw',
  ],
  updateEveryDays: 14,
  safeHarbor:
    'If you make a good-faith effort to follow this policy, we will not take legal action against you, ' +
    'will not ask law enforcement to investigate you, and will treat your research as authorised. ' +
    'If a third party takes action against you for research done under this policy, we will make it known that you acted with our authorisation.',
  acknowledgmentsUrl: null,
};

const KEY = 'disclosure_policy';

async function loadSettings(db: Kysely<DB>): Promise<PolicySettings> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  return { ...defaultPolicy, ...((row?.value as Partial<PolicySettings> | undefined) ?? {}) };
}

export async function loadPolicy(db: Kysely<DB>): Promise<Policy> {
  const [settings, times] = await Promise.all([loadSettings(db), loadResponsePolicy(db)]);
  return {
    ...settings,
    acknowledgeWithinBusinessDays: times.acknowledgeWithinBusinessDays,
    triageWithinDays: times.triageWithinDays,
    disclosureDays: times.disclosureWithinDays,
  };
}

/** Checks a policy edit field by field before it replaces the stored one. */
export function checkPolicy(candidate: Record<string, unknown>): Partial<PolicySettings> {
  const errors: Record<string, string> = {};
  const out: Partial<PolicySettings> = {};
  for (const [key, value] of Object.entries(candidate)) {
    if (responsePolicyKeys.has(key)) {
      errors[key] = 'is part of the response policy: an admin sets it with PUT /api/v1/response-policy';
      continue;
    }
    if (!(key in defaultPolicy)) {
      errors[key] = 'is not a policy setting';
      continue;
    }
    const expected = defaultPolicy[key as keyof PolicySettings];
    if (Array.isArray(expected)) {
      if (!Array.isArray(value) || value.some((item) => typeof item !== 'string' || item.trim() === '')) {
        errors[key] = 'must be a list of non-empty texts';
      }
    } else if (typeof expected === 'number') {
      if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 3650) {
        errors[key] = 'must be a whole number of days from 1 to 3650';
      }
    } else if (key === 'acknowledgmentsUrl') {
      if (value !== null && (typeof value !== 'string' || !/^https?:\/\/\S+$/.test(value))) {
        errors[key] = 'must be an http(s) URL or null';
      }
    } else if (typeof value !== 'string' || value.trim() === '') {
      errors[key] = 'must be non-empty text';
    }
    (out as Record<string, unknown>)[key] = value;
  }
  if (Object.keys(errors).length > 0) throw new Invalid(errors);
  return out;
}

export async function savePolicy(
  db: Kysely<DB>,
  changes: Partial<PolicySettings>,
  now: Date,
): Promise<Policy> {
  const value = JSON.stringify({ ...(await loadSettings(db)), ...changes });
  await db
    .insertInto('settings')
    .values({ key: KEY, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
  return loadPolicy(db);
}
