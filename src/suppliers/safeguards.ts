// The contract safeguards a maker needs from a contract manufacturer, and the pure rules around
// them: which statuses count as "in place", what an item needs before it can be agreed or verified,
// and the at-a-glance summary of what is still missing.

export const safeguardStatuses = ['missing', 'requested', 'agreed', 'verified', 'not-applicable'] as const;
export type SafeguardStatus = (typeof safeguardStatuses)[number];

/** Statuses that count as the safeguard being in place. */
export const inPlaceStatuses: readonly SafeguardStatus[] = ['agreed', 'verified'];

/** A framework requirement that expects the safeguard (ids as in the compliance framework catalogue). */
export type FrameworkReference = {
  framework: 'eu-cra' | 'etsi-en-303-645' | 'uk-psti' | 'ota-iot-trust-framework' | 'nistir-8259a';
  items: readonly string[];
};

export type SafeguardItem = {
  key: string;
  title: string;
  /** Why it matters, in plain words for a maker's security lead. */
  explanation: string;
  /** What "agreed" should look like in the contract. */
  agreedMeans: string;
  /** Set when the item is measured in days (the agreed number must be recorded when agreed). */
  daysTerm: { label: string; suggested: number } | null;
  frameworks: readonly FrameworkReference[];
};

export const safeguardCatalogue: readonly SafeguardItem[] = [
  {
    key: 'vulnerability-reporting',
    title: 'Duty to report vulnerabilities within an agreed number of days',
    explanation:
      'The factory often learns first about a flaw in a chip SDK, a bootloader or its own code. Unless the ' +
      'contract obliges it to tell you, you learn from a researcher or from an attacker. Regulators count ' +
      'your deadlines from when you became aware, so the supplier must tell you fast.',
    agreedMeans:
      'A clause obliging the supplier to report to your security contact every vulnerability it finds or is ' +
      'told of in anything it delivers, within the agreed number of days, with details and affected models.',
    daysTerm: { label: 'Days to report after the supplier learns of a vulnerability', suggested: 2 },
    frameworks: [
      { framework: 'eu-cra', items: ['Art14-1', 'Art14-2', 'AI-P2-2'] },
      { framework: 'etsi-en-303-645', items: ['5.2-1', '5.2-2'] },
      { framework: 'ota-iot-trust-framework', items: ['OTA-5'] },
      { framework: 'nistir-8259a', items: ['8259B-2'] },
    ],
  },
  {
    key: 'no-undeclared-data',
    title: 'No collection or transmission of end-user data beyond what the maker declares',
    explanation:
      'Firmware and cloud modules built by the factory can phone home, log Wi-Fi credentials or send ' +
      'telemetry to servers you never declared. You answer to your customers and regulators for every byte ' +
      'the device sends, so the supplier must not add any data flow you have not declared.',
    agreedMeans:
      'A clause forbidding any collection or transmission of end-user or device data other than the flows ' +
      'you list, including by third-party SDKs the supplier integrates.',
    daysTerm: null,
    frameworks: [
      { framework: 'eu-cra', items: ['AI-P1-2g', 'AI-P1-2e'] },
      { framework: 'etsi-en-303-645', items: ['6-1', '6-4', '6-5'] },
      { framework: 'ota-iot-trust-framework', items: ['OTA-20', 'OTA-25'] },
    ],
  },
  {
    key: 'maker-holds-signing-keys',
    title: 'Firmware signing keys held by the maker, not the factory',
    explanation:
      'Whoever holds the signing key can make every device in the field install anything. If the factory ' +
      'signs releases, a leak or a rogue employee there can push malicious firmware under your name, and ' +
      'you cannot revoke it without replacing the key on every device.',
    agreedMeans:
      'The private keys that devices trust for firmware updates are generated and kept by you; the ' +
      'supplier delivers unsigned builds (or builds signed only with a development key devices reject).',
    daysTerm: null,
    frameworks: [
      { framework: 'eu-cra', items: ['AI-P1-2f', 'AI-P2-7'] },
      { framework: 'etsi-en-303-645', items: ['5.3-9', '5.3-10', '5.5-8'] },
      { framework: 'ota-iot-trust-framework', items: ['OTA-6'] },
      { framework: 'nistir-8259a', items: ['8259A-5'] },
    ],
  },
  {
    key: 'sbom-with-firmware',
    title: 'SBOM delivered with every firmware',
    explanation:
      'The morning a library vulnerability is published you must know which firmware contains it. Only the ' +
      'supplier knows what it compiled in; a software bill of materials with each build is how you find out ' +
      'in minutes instead of weeks.',
    agreedMeans:
      'Every firmware delivery comes with a machine-readable SBOM (CycloneDX or SPDX) listing every ' +
      'component with its version, and a delivery without one is not accepted.',
    daysTerm: null,
    frameworks: [
      { framework: 'eu-cra', items: ['AI-P2-1'] },
      { framework: 'etsi-en-303-645', items: ['5.2-3'] },
      { framework: 'ota-iot-trust-framework', items: ['OTA-9'] },
      { framework: 'nistir-8259a', items: ['8259B-1'] },
    ],
  },
  {
    key: 'security-fixes',
    title: 'Security fixes delivered within agreed times for the whole support period',
    explanation:
      'You promise buyers security updates until a published end date. If the factory stops fixing its ' +
      'code earlier, or takes months, you cannot keep that promise. The fix duty must last as long as your ' +
      'support period and have a deadline.',
    agreedMeans:
      'A clause obliging the supplier to deliver fixes for vulnerabilities in what it supplies within the ' +
      'agreed number of days, until the end of the security-support period of every model it builds.',
    daysTerm: { label: 'Days to deliver a fix after a vulnerability is reported', suggested: 30 },
    frameworks: [
      { framework: 'eu-cra', items: ['AI-P2-2', 'AI-P2-8', 'Art13-8'] },
      { framework: 'etsi-en-303-645', items: ['5.2-3', '5.3-8'] },
      { framework: 'uk-psti', items: ['PSTI-S1-3'] },
      { framework: 'ota-iot-trust-framework', items: ['OTA-5', 'OTA-19'] },
    ],
  },
  {
    key: 'right-to-audit',
    title: "The maker's right to audit",
    explanation:
      'Promises in a contract are only as good as your ability to check them. A right to audit lets you ' +
      '(or someone you appoint) review the supplier’s development, build and key-handling practices, ' +
      'and is the evidence regulators ask for when they ask how you know.',
    agreedMeans:
      'A clause giving you or an appointed auditor access, on reasonable notice, to the supplier’s ' +
      'security processes, build environment and records for what it delivers to you.',
    daysTerm: null,
    frameworks: [
      { framework: 'eu-cra', items: ['AI-P1-1', 'AI-P2-3'] },
      { framework: 'etsi-en-303-645', items: ['5.6-9'] },
      { framework: 'nistir-8259a', items: ['8259B-1'] },
    ],
  },
];

export const safeguardKeys = safeguardCatalogue.map((item) => item.key);

export const findSafeguardItem = (key: string): SafeguardItem | undefined =>
  safeguardCatalogue.find((item) => item.key === key);

/** The recorded state of one item for one supplier; an item never recorded is `missing`. */
export type SafeguardState = {
  status: SafeguardStatus;
  termsDays: number | null;
  date: string | null;
  evidenceUrl: string | null;
  evidenceFile: { sha256: string; fileName: string } | null;
  note: string;
};

export const unrecordedState: SafeguardState = {
  status: 'missing',
  termsDays: null,
  date: null,
  evidenceUrl: null,
  evidenceFile: null,
  note: '',
};

/**
 * Why a state cannot be recorded for an item, per field; empty when it can. Agreed items that are
 * measured in days need the days; verified items need evidence; not-applicable needs a reason
 * (ETSI EN 303 645 4-1 asks for a recorded justification of every item judged not applicable).
 */
export function safeguardStateProblems(item: SafeguardItem, state: SafeguardState): Record<string, string> {
  const problems: Record<string, string> = {};
  const inPlace = inPlaceStatuses.includes(state.status);
  if (state.termsDays !== null && item.daysTerm === null) {
    problems.termsDays = 'this item has no terms in days; leave it empty';
  }
  if (inPlace && item.daysTerm && state.termsDays === null) {
    problems.termsDays = `is required when the item is ${state.status}: ${item.daysTerm.label.toLowerCase()}`;
  }
  if (inPlace && state.date === null) {
    problems.date = `is required when the item is ${state.status}: the day it was ${state.status}`;
  }
  if (state.status === 'verified' && !state.evidenceUrl && !state.evidenceFile) {
    problems.evidenceUrl = 'verified needs evidence: a link, or upload a file first';
  }
  if (state.status === 'not-applicable' && state.note.trim() === '') {
    problems.note = 'say why this safeguard does not apply to this supplier';
  }
  return problems;
}

export type SafeguardSummary = {
  total: number;
  applicable: number;
  inPlace: number;
  missing: { key: string; title: string; status: SafeguardStatus }[];
  /** One line for lists: "4 of 6 in place; missing: …". */
  headline: string;
};

/** What is in place and what is missing, for a supplier's recorded states (unrecorded = missing). */
export function summarizeSafeguards(states: ReadonlyMap<string, SafeguardStatus>): SafeguardSummary {
  const statusOf = (key: string) => states.get(key) ?? 'missing';
  const applicableItems = safeguardCatalogue.filter((item) => statusOf(item.key) !== 'not-applicable');
  const inPlace = applicableItems.filter((item) => inPlaceStatuses.includes(statusOf(item.key)));
  const missing = applicableItems
    .filter((item) => !inPlaceStatuses.includes(statusOf(item.key)))
    .map((item) => ({ key: item.key, title: item.title, status: statusOf(item.key) }));
  const notApplicable = safeguardCatalogue.length - applicableItems.length;
  const headline =
    `${inPlace.length} of ${applicableItems.length} in place` +
    (notApplicable > 0 ? ` (${notApplicable} not applicable)` : '') +
    (missing.length > 0 ? `; missing: ${missing.map((m) => m.title).join('; ')}` : '; nothing missing');
  return {
    total: safeguardCatalogue.length,
    applicable: applicableItems.length,
    inPlace: inPlace.length,
    missing,
    headline,
  };
}
