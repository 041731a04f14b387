// Reading cases: the inbox list and one case with its reports, affected models, event timeline,
// deadline clocks and (for staff) CRA report drafts.
// Changes are commands, one per file under commands/.
import type { Principal } from '../auth/access.ts';
import type { Deps } from '../deps.ts';
import { NotFound } from '../platform/errors.ts';
import type { Page } from '../platform/paging.ts';
import { caseFacts, clocksOfCase, draftFactsOf } from './case-facts.ts';
import { findClockInputs } from './clock-store.ts';
import type { CaseClock } from './clocks/case-clocks.ts';
import { craDrafts, type RegulatorDraft } from './clocks/regulator-drafts.ts';
import { loadResponsePolicy } from './clocks/response-policy.ts';
import { type InboxFilter, listInbox } from './inbox/inbox-store.ts';
import { caseScope, seesInternals } from './policy.ts';
import * as store from './store.ts';

export { attachReport } from './commands/attach-report.ts';
export { openCase } from './commands/open-case.ts';
export { setAffects } from './commands/set-affects.ts';
export { transitionCase } from './commands/transition-case.ts';
export { updateCase } from './commands/update-case.ts';

/** The inbox as the principal may see it: a supplier only its cases, searched by their own fields. */
export async function listCases(deps: Deps, principal: Principal, filter: InboxFilter, page: Page) {
  const reader = { supplierId: caseScope(principal), searchesReports: seesInternals(principal) };
  return listInbox(deps.db, filter, reader, page, deps.clock());
}

export type CaseDetail = {
  row: store.CaseRow;
  reports: Awaited<ReturnType<typeof store.listCaseReports>>;
  affects: store.AffectsRow[];
  events: Awaited<ReturnType<typeof store.listCaseEvents>>;
  clocks: CaseClock[];
  /** CRA report drafts, for staff, once the case is marked actively exploited or a severe incident. */
  drafts: RegulatorDraft[];
  /** The instant the clocks were computed at. */
  now: Date;
};

/** One case as the principal may see it; a supplier asking for another supplier's case gets NotFound. */
export async function getCase(deps: Deps, principal: Principal, caseId: string): Promise<CaseDetail> {
  const row = await store.findCase(deps.db, caseId, caseScope(principal));
  if (!row) throw new NotFound('No such case');
  const [reports, affects, events, inputs, policy] = await Promise.all([
    seesInternals(principal) ? store.listCaseReports(deps.db, caseId) : [],
    store.listCaseAffects(deps.db, caseId),
    store.listCaseEvents(deps.db, caseId),
    findClockInputs(deps.db, [caseId]),
    loadResponsePolicy(deps.db),
  ]);
  const now = deps.clock();
  const facts = caseFacts(row, inputs.receivedAt.get(caseId), inputs.moves.get(caseId) ?? []);
  const clocks = clocksOfCase(row, facts, policy, now);
  const drafts = seesInternals(principal) ? craDrafts(draftFactsOf(row, facts, affects), policy, now) : [];
  return { row, reports, affects, events, clocks, drafts, now };
}
