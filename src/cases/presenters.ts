// Cases and staff reports turned into the shapes of the HTTP API, with their TypeBox schemas beside
// them. What a supplier sees is decided here: no reporters, no assignee, no event actors or reasons.
import { Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../auth/access.ts';
import { ClockView, DraftView, presentClock, presentDraft } from './clock-presenters.ts';
import type { StaffReport } from './incoming-reports.ts';
import { seesInternals } from './policy.ts';
import type { listUnassignedReports } from './report-store.ts';
import type { CaseDetail } from './service.ts';
import { cweName } from './severity.ts';
import type { CaseRow } from './store.ts';
import { supplierAcknowledgedAt } from './threads/acknowledgement.ts';
import type { caseStates } from './workflow.ts';

const Id = Type.String({ format: 'uuid' });
const When = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const CaseStateSchema = Type.Union([
  Type.Literal('new'),
  Type.Literal('triage'),
  Type.Literal('confirmed'),
  Type.Literal('not-a-vulnerability'),
  Type.Literal('duplicate'),
  Type.Literal('out-of-scope'),
  Type.Literal('fixing'),
  Type.Literal('fix-available'),
  Type.Literal('disclosed'),
  Type.Literal('closed'),
]) satisfies { anyOf: { const: (typeof caseStates)[number] }[] };
export const SeveritySchema = Type.Union([
  Type.Literal('none'),
  Type.Literal('low'),
  Type.Literal('medium'),
  Type.Literal('high'),
  Type.Literal('critical'),
]);

const Cvss = Type.Object({
  vector: Type.String(),
  version: Type.String(),
  score: Type.Number(),
  severity: SeveritySchema,
});
const Cwe = Type.Object({ id: Type.String(), name: Nullable(Type.String()) });
const Named = Type.Object({ id: Id, name: Type.String() });

export const CaseSummaryView = Type.Object({
  id: Id,
  number: Type.String({ examples: ['CASE-2026-0001'] }),
  title: Type.String(),
  state: CaseStateSchema,
  severity: Nullable(SeveritySchema),
  cvssScore: Nullable(Type.Number()),
  cweId: Nullable(Type.String()),
  assignee: Type.Optional(Nullable(Named)),
  supplier: Nullable(Named),
  nextDueAt: Nullable(
    Type.String({ format: 'date-time', description: 'The earliest deadline of its clocks still to be met' }),
  ),
  overdue: Type.Boolean({ description: 'That deadline has passed' }),
  createdAt: When,
  updatedAt: When,
});

const cvssOf = (row: CaseRow) =>
  row.cvss_vector && row.cvss_version && row.cvss_score !== null && row.cvss_severity
    ? {
        vector: row.cvss_vector,
        version: row.cvss_version,
        score: row.cvss_score,
        severity: row.cvss_severity,
      }
    : null;

/** `now` decides whether the next deadline has passed. */
export function presentCaseSummary(row: CaseRow, principal: Principal, now: Date) {
  return {
    id: row.id,
    number: row.number,
    title: row.title,
    state: row.state,
    severity: row.cvss_severity,
    cvssScore: row.cvss_score,
    cweId: row.cwe_id,
    ...(seesInternals(principal)
      ? {
          assignee: row.assignee_user_id ? { id: row.assignee_user_id, name: row.assignee_name ?? '' } : null,
        }
      : {}),
    supplier: row.supplier_id ? { id: row.supplier_id, name: row.supplier_name ?? '' } : null,
    nextDueAt: row.next_due_at?.toISOString() ?? null,
    overdue: row.next_due_at !== null && row.next_due_at.getTime() < now.getTime(),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

const CaseEventView = Type.Object({
  id: Type.String(),
  at: When,
  kind: Type.String({ description: 'UPPER_SNAKE, e.g. STATE_CHANGED' }),
  from: Type.Unknown(),
  to: Type.Unknown(),
  actor: Type.Optional(Type.String()),
  actorLabel: Type.Optional(Type.String()),
  reason: Type.Optional(Nullable(Type.String())),
});

const CaseReportView = Type.Object({
  id: Id,
  trackingId: Type.String(),
  title: Type.String(),
  reporterName: Nullable(Type.String()),
  reporterEmail: Nullable(Type.String()),
  encrypted: Type.Boolean(),
  relation: Type.Union([Type.Literal('origin'), Type.Literal('duplicate')]),
  receivedAt: When,
  attachedAt: When,
  credit: Type.Union([Type.Literal('named'), Type.Literal('anonymous')]),
  creditName: Nullable(Type.String()),
  creditConsentAt: Nullable(When),
});

const AffectsView = Type.Object({
  modelId: Id,
  modelName: Type.String(),
  productId: Id,
  versionRange: Type.String(),
  fixedIn: Nullable(Type.String()),
});

export const CaseView = Type.Object({
  ...CaseSummaryView.properties,
  summary: Type.String(),
  cvss: Nullable(Cvss),
  cwe: Nullable(Cwe),
  affects: Type.Array(AffectsView),
  reports: Type.Optional(Type.Array(CaseReportView, { description: 'Staff only' })),
  events: Type.Array(CaseEventView, {
    description: 'Oldest first. Suppliers see only state changes, without actor or reason.',
  }),
  dates: Type.Object({
    fixAvailableAt: Nullable(When),
    disclosedAt: Nullable(When),
    agreedDisclosureAt: Nullable(When),
    activelyExploitedSince: Nullable(When),
    severeIncidentSince: Nullable(When),
    craReportsSubmittedAt: Type.Record(Type.String(), When),
  }),
  clocks: Type.Array(ClockView, {
    description:
      'Response clocks, and CRA clocks once exploited or a severe incident. No fix or disclosure clock for a case closed as not-a-vulnerability, out-of-scope or duplicate.',
  }),
  craDrafts: Type.Optional(Type.Array(DraftView, { description: 'Staff only' })),
  supplierAcknowledgedAt: Nullable(
    Type.String({ format: 'date-time', description: "When the case's current supplier acknowledged it" }),
  ),
});

/** State moves are the part of the timeline a supplier needs; the rest is internal. */
const supplierEventKinds = new Set(['CASE_OPENED', 'STATE_CHANGED', 'CASE_REOPENED']);

export function presentCase(detail: CaseDetail, principal: Principal) {
  const internal = seesInternals(principal);
  const { row } = detail;
  const iso = (value: Date | null) => (value ? value.toISOString() : null);
  return {
    ...presentCaseSummary(row, principal, detail.now),
    dates: {
      fixAvailableAt: iso(row.fix_available_at),
      disclosedAt: iso(row.disclosed_at),
      agreedDisclosureAt: iso(row.agreed_disclosure_at),
      activelyExploitedSince: iso(row.actively_exploited_since),
      severeIncidentSince: iso(row.severe_incident_since),
      craReportsSubmittedAt: { ...row.cra_reports_submitted },
    },
    clocks: detail.clocks.map(presentClock),
    supplierAcknowledgedAt: iso(supplierAcknowledgedAt(detail.events, row.supplier_id)),
    ...(internal ? { craDrafts: detail.drafts.map(presentDraft) } : {}),
    summary: row.summary,
    cvss: cvssOf(row),
    cwe: row.cwe_id ? { id: row.cwe_id, name: cweName(row.cwe_id) } : null,
    affects: detail.affects.map((a) => ({
      modelId: a.model_id,
      modelName: a.model_name,
      productId: a.product_id,
      versionRange: a.version_range,
      fixedIn: a.fixed_in,
    })),
    ...(internal
      ? {
          reports: detail.reports.map((r) => ({
            id: r.id,
            trackingId: r.tracking_id,
            title: r.title,
            reporterName: r.reporter_name,
            reporterEmail: r.reporter_email,
            encrypted: r.encrypted,
            relation: r.relation,
            receivedAt: r.created_at.toISOString(),
            attachedAt: r.attached_at.toISOString(),
            credit: r.credit,
            creditName: r.credit_name,
            creditConsentAt: iso(r.credit_consent_at),
          })),
        }
      : {}),
    events: detail.events
      .filter((e) => internal || supplierEventKinds.has(e.kind))
      .map((e) =>
        internal
          ? {
              id: String(e.id),
              at: e.at.toISOString(),
              kind: e.kind,
              from: e.from,
              to: e.to,
              actor: e.actor,
              actorLabel: e.actor_label,
              reason: e.reason,
            }
          : {
              id: String(e.id),
              at: e.at.toISOString(),
              kind: e.kind,
              from: pickState(e.from),
              to: pickState(e.to),
            },
      ),
  };
}

/** Only the state of a CASE_OPENED or STATE_CHANGED value (it may carry the internal report id). */
function pickState(value: unknown) {
  const state = (value as { state?: unknown } | null)?.state;
  return typeof state === 'string' ? { state } : null;
}

const ProductRef = Nullable(Type.Object({ id: Id, name: Type.String() }));

export const IncomingReportView = Type.Object({
  id: Id,
  trackingId: Type.String(),
  title: Type.String(),
  source: Type.String(),
  encrypted: Type.Boolean({ description: 'The description came OpenPGP-encrypted' }),
  product: ProductRef,
  productText: Nullable(Type.String()),
  receivedAt: When,
});

type IncomingRow = Awaited<ReturnType<typeof listUnassignedReports>>['rows'][number];

export const presentIncomingReport = (row: IncomingRow) => ({
  id: row.id,
  trackingId: row.tracking_id,
  title: row.title,
  source: row.source,
  encrypted: row.encrypted,
  product: row.product_id ? { id: row.product_id, name: row.product_name ?? '' } : null,
  productText: row.product_text,
  receivedAt: row.created_at.toISOString(),
});

export const StaffReportView = Type.Object({
  ...IncomingReportView.properties,
  status: Type.String(),
  version: Nullable(Type.String()),
  description: Nullable(Type.String({ description: 'Decrypted for staff when it came encrypted' })),
  decryptionError: Nullable(Type.String()),
  stepsToReproduce: Nullable(Type.String()),
  impact: Nullable(Type.String()),
  cvssVector: Nullable(Type.String()),
  reporterName: Nullable(Type.String()),
  reporterEmail: Nullable(Type.String()),
  credit: Type.String(),
  creditName: Nullable(Type.String()),
  creditConsentAt: Nullable(When),
  preferredDisclosureDate: Nullable(Type.String()),
  case: Nullable(Type.Object({ id: Id, number: Type.String() })),
});

export const presentStaffReport = (report: StaffReport) => ({
  ...presentIncomingReport(report),
  status: report.status,
  version: report.version,
  description: report.plainDescription,
  decryptionError: report.decryptionError,
  stepsToReproduce: report.steps,
  impact: report.impact,
  cvssVector: report.cvss_vector,
  reporterName: report.reporter_name,
  reporterEmail: report.reporter_email,
  credit: report.credit,
  creditName: report.credit_name,
  creditConsentAt: report.credit_consent_at?.toISOString() ?? null,
  preferredDisclosureDate: report.preferred_disclosure_date,
  case: report.case_id ? { id: report.case_id, number: report.case_number ?? '' } : null,
});
