// The vulnerability disclosure policy: editable settings with defaults that suit a device maker.
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { Invalid } from '../platform/errors.ts';

export type Policy = {
  inScope: string[];
  outOfScope: string[];
  acknowledgeWithinBusinessDays: number;
  triageWithinDays: number;
  updateEveryDays: number;
  disclosureDays: number;
  safeHarbor: string;
  acknowledgmentsUrl: string | null;
};

export const defaultPolicy: Policy = {
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
  acknowledgeWithinBusinessDays: 2,
  triageWithinDays: 7,
  updateEveryDays: 14,
  disclosureDays: 90,
  safeHarbor:
    'If you make a good-faith effort to follow this policy, we will not take legal action against you, ' +
    'will not ask law enforcement to investigate you, and will treat your research as authorised. ' +
    'If a third party takes action against you for research done under this policy, we will make it known that you acted with our authorisation.',
  acknowledgmentsUrl: null,
};

const KEY = 'disclosure_policy';

export async function loadPolicy(db: Kysely<DB>): Promise<Policy> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', KEY).executeTakeFirst();
  return { ...defaultPolicy, ...((row?.value as Partial<Policy> | undefined) ?? {}) };
}

/** Checks a policy edit field by field before it replaces the stored one. */
export function checkPolicy(candidate: Record<string, unknown>): Partial<Policy> {
  const errors: Record<string, string> = {};
  const out: Partial<Policy> = {};
  for (const [key, value] of Object.entries(candidate)) {
    if (!(key in defaultPolicy)) {
      errors[key] = 'is not a policy setting';
      continue;
    }
    const expected = defaultPolicy[key as keyof Policy];
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

export async function savePolicy(db: Kysely<DB>, changes: Partial<Policy>, now: Date): Promise<Policy> {
  const merged = { ...(await loadPolicy(db)), ...changes };
  await db
    .insertInto('settings')
    .values({ key: KEY, value: JSON.stringify(merged), updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(merged), updated_at: now }))
    .execute();
  return merged;
}
