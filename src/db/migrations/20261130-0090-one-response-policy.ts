// The public disclosure policy used to keep its own acknowledge, triage and disclosure days; the
// response policy (which the case clocks run on) is now the one source. Days an operator had set
// in the disclosure policy move to the response policy when it has never been saved, so the public
// promise and the clocks keep the values the operator chose; the disclosure policy drops them.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    insert into settings (key, value, updated_at)
    select 'response_policy', jsonb_strip_nulls(jsonb_build_object(
             'acknowledgeWithinBusinessDays', value -> 'acknowledgeWithinBusinessDays',
             'triageWithinDays', value -> 'triageWithinDays',
             'disclosureWithinDays', value -> 'disclosureDays')), now()
    from settings
    where key = 'disclosure_policy'
      and (value ? 'acknowledgeWithinBusinessDays' or value ? 'triageWithinDays' or value ? 'disclosureDays')
    on conflict (key) do nothing;

    insert into jobs (type, payload, idempotency_key)
    select 'CASE_NEXT_DUE_REFRESH', '{"scope": "all", "after": null, "refreshed": 0}'::jsonb,
           'next-due-refresh:one-response-policy'
    where exists (select 1 from cases)
      and exists (select 1 from settings where key = 'disclosure_policy'
                  and (value ? 'acknowledgeWithinBusinessDays' or value ? 'triageWithinDays' or value ? 'disclosureDays'))
    on conflict (idempotency_key) do nothing;

    update settings
    set value = value - 'acknowledgeWithinBusinessDays' - 'triageWithinDays' - 'disclosureDays'
    where key = 'disclosure_policy';
  `.execute(db);
}

export async function down(): Promise<void> {
  // The days now live in the response policy; nothing to put back.
}
