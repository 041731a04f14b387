// Drafts of the reports the EU Cyber Resilience Act (Regulation (EU) 2024/2847) Article 14 asks of a
// manufacturer, filled from what the case knows. What the case does not know is marked "to be
// completed", never guessed: these drafts go to a CSIRT and ENISA.
import { countryName } from '../../suppliers/countries.ts';
import type { CaseFacts, CraReportKey } from './case-clocks.ts';
import { caseClocks } from './case-clocks.ts';
import type { ResponsePolicy } from './response-policy.ts';

export const TO_BE_COMPLETED = '[to be completed]';

/** What the drafts draw on beyond the clock facts. Absent, null or blank means unknown. */
export type DraftFacts = CaseFacts & {
  caseNumber: string;
  productName?: string | null;
  /** Models and firmware versions concerned, e.g. "Thermostat T2, firmware 1.0–1.4". */
  productsAffected?: readonly string[] | null;
  /** ISO 3166-1 alpha-2 codes of the member states where the maker knows the product is made available. */
  memberStates?: readonly string[] | null;
  /** For a severe incident: whether it is suspected to be caused by unlawful or malicious acts. */
  suspectedMalicious?: boolean | null;
  vulnerabilityDescription?: string | null;
  cweId?: string | null;
  cvssVector?: string | null;
  cvssScore?: number | null;
  exploitNature?: string | null;
  impact?: string | null;
  incidentNature?: string | null;
  initialAssessment?: string | null;
  correctiveMeasuresTaken?: string | null;
  userMeasures?: string | null;
  /** How sensitive the maker considers the information, e.g. "TLP:AMBER". */
  sensitivity?: string | null;
  maliciousActor?: string | null;
  rootCause?: string | null;
  /** The security update or other corrective measure made available, e.g. "firmware 1.4.2". */
  securityUpdate?: string | null;
  ongoingMitigations?: string | null;
};

export type DraftField = { key: string; label: string; text: string; known: boolean };

export type RegulatorDraft = {
  report: CraReportKey;
  title: string;
  /** Where the content is required, e.g. "Article 14(2)(a)". */
  article: string;
  dueAt: Date | null;
  fields: DraftField[];
  /** True when every field is filled from the case. */
  complete: boolean;
  /** The draft as plain text, one "Label: text" paragraph per field. */
  text: string;
};

const known = (value: string | null | undefined): value is string =>
  typeof value === 'string' && value.trim() !== '';

function field(key: string, label: string, value: string | null | undefined): DraftField {
  return known(value)
    ? { key, label, text: value.trim(), known: true }
    : { key, label, text: TO_BE_COMPLETED, known: false };
}

function product(facts: DraftFacts): DraftField {
  const parts = [facts.productName, ...(facts.productsAffected ?? [])].filter(known);
  return field(
    'product',
    'Product with digital elements concerned',
    parts.length > 0 ? parts.join('; ') : null,
  );
}

function memberStates(facts: DraftFacts): DraftField {
  const codes = facts.memberStates ?? [];
  const value = codes.length > 0 ? codes.map((code) => `${countryName(code)} (${code})`).join(', ') : null;
  return field('memberStates', 'Member States where the maker knows the product is made available', value);
}

function severity(facts: DraftFacts): string | null {
  const parts = [
    facts.severity && facts.severity !== 'none' ? `severity ${facts.severity}` : null,
    facts.cvssScore != null && known(facts.cvssVector)
      ? `CVSS ${facts.cvssScore} (${facts.cvssVector})`
      : null,
    known(facts.cweId) ? facts.cweId : null,
  ].filter(known);
  return parts.length > 0 ? parts.join(', ') : null;
}

function descriptionWithSeverity(
  label: string,
  description: string | null | undefined,
  facts: DraftFacts,
): DraftField {
  const rating = severity(facts);
  const parts = [
    known(description) ? description.trim() : TO_BE_COMPLETED,
    `Severity: ${rating ?? TO_BE_COMPLETED}.`,
    `Impact: ${known(facts.impact) ? facts.impact.trim() : TO_BE_COMPLETED}.`,
  ];
  const filled = known(description) && rating !== null && known(facts.impact);
  return { key: 'description', label, text: parts.join('\n'), known: filled };
}

function suspectedMalicious(facts: DraftFacts): DraftField {
  const value =
    facts.suspectedMalicious == null
      ? null
      : facts.suspectedMalicious
        ? 'Yes: the incident is suspected to be caused by unlawful or malicious acts.'
        : 'No: the incident is not suspected to be caused by unlawful or malicious acts.';
  return field('suspectedMalicious', 'Suspected to be caused by unlawful or malicious acts', value);
}

const measuresTaken = (facts: DraftFacts) =>
  field('correctiveMeasuresTaken', 'Corrective or mitigating measures taken', facts.correctiveMeasuresTaken);
const userMeasures = (facts: DraftFacts) =>
  field('userMeasures', 'Corrective or mitigating measures users can take', facts.userMeasures);
const sensitivity = (facts: DraftFacts) =>
  field('sensitivity', 'How sensitive the maker considers this information', facts.sensitivity);

type Template = { title: string; article: string; fields: (facts: DraftFacts) => DraftField[] };

const templates: Record<CraReportKey, Template> = {
  'cra-vulnerability-early-warning': {
    title: 'Early warning notification of an actively exploited vulnerability',
    article: 'Article 14(2)(a)',
    fields: (f) => [product(f), memberStates(f)],
  },
  'cra-vulnerability-notification': {
    title: 'Vulnerability notification',
    article: 'Article 14(2)(b)',
    fields: (f) => [
      product(f),
      field('exploitNature', 'General nature of the exploit', f.exploitNature),
      field('vulnerabilityNature', 'General nature of the vulnerability', f.vulnerabilityDescription),
      measuresTaken(f),
      userMeasures(f),
      sensitivity(f),
    ],
  },
  'cra-vulnerability-final-report': {
    title: 'Final report on an actively exploited vulnerability',
    article: 'Article 14(2)(c)',
    fields: (f) => [
      descriptionWithSeverity(
        'Description of the vulnerability, including its severity and impact',
        f.vulnerabilityDescription,
        f,
      ),
      field(
        'maliciousActor',
        'Information on any malicious actor that exploited or is exploiting it',
        f.maliciousActor,
      ),
      field(
        'securityUpdate',
        'The security update or other corrective measures made available',
        f.securityUpdate,
      ),
    ],
  },
  'cra-incident-early-warning': {
    title: 'Early warning notification of a severe incident',
    article: 'Article 14(4)(a)',
    fields: (f) => [product(f), suspectedMalicious(f), memberStates(f)],
  },
  'cra-incident-notification': {
    title: 'Incident notification',
    article: 'Article 14(4)(b)',
    fields: (f) => [
      product(f),
      field('incidentNature', 'Nature of the incident', f.incidentNature),
      field('initialAssessment', 'Initial assessment of the incident', f.initialAssessment),
      measuresTaken(f),
      userMeasures(f),
      sensitivity(f),
    ],
  },
  'cra-incident-final-report': {
    title: 'Final report on a severe incident',
    article: 'Article 14(4)(c)',
    fields: (f) => [
      descriptionWithSeverity(
        'Detailed description of the incident, including its severity and impact',
        f.incidentNature,
        f,
      ),
      field('rootCause', 'Type of threat or root cause likely to have triggered the incident', f.rootCause),
      field(
        'mitigations',
        'Applied and ongoing mitigation measures',
        [f.correctiveMeasuresTaken, f.ongoingMitigations].filter(known).join('\n') || null,
      ),
    ],
  },
};

/** The draft of one CRA report for a case; `dueAt` from the matching clock when it has started. */
export function draftCraReport(
  report: CraReportKey,
  facts: DraftFacts,
  dueAt: Date | null = null,
): RegulatorDraft {
  const template = templates[report];
  const fields = template.fields(facts);
  const header = `${template.title} (Regulation (EU) 2024/2847, ${template.article}) — case ${facts.caseNumber}`;
  const text = [header, ...fields.map((f) => `${f.label}:\n${f.text}`)].join('\n\n');
  return {
    report,
    title: template.title,
    article: template.article,
    dueAt,
    fields,
    complete: fields.every((f) => f.known),
    text,
  };
}

/**
 * The CRA reports a case calls for, in order: the three vulnerability reports once it is marked
 * actively exploited, the three incident reports once a severe incident is recorded.
 *
 * @example
 * craDrafts({ caseNumber: 'PSIRT-2026-0042', receivedAt, activelyExploitedSince }, policy, now)[0].text
 */
export function craDrafts(facts: DraftFacts, policy: ResponsePolicy, now: Date): RegulatorDraft[] {
  const reports = new Set<string>(Object.keys(templates));
  return caseClocks(facts, policy, now)
    .filter((clock) => reports.has(clock.key))
    .map((clock) => draftCraReport(clock.key as CraReportKey, facts, clock.dueAt));
}
