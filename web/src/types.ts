// Shapes of the API answers the console reads (see /api/openapi.json; the server is the authority).
import type { Role } from './session.tsx';

export type List<T> = { items: T[]; total: number; limit: number; offset: number };

export type SupplierLink = { id: string; slug: string; name: string; relation: 'builds' | 'supplies-parts' };

export type Ref = { id: string; slug: string; name: string };

export type Product = {
  id: string;
  slug: string;
  name: string;
  description: string;
  modelCount: number;
  createdAt: string;
  updatedAt: string;
};

export type Model = {
  id: string;
  product: Ref;
  slug: string;
  name: string;
  hardwareRevisions: string[];
  remoteUpdate: boolean;
  supportEnds: string | null;
  firmwareCount: number;
  suppliers: SupplierLink[];
  createdAt: string;
  updatedAt: string;
};

export type SbomSummary = {
  format: 'cyclonedx-json' | 'cyclonedx-xml' | 'spdx-json';
  specVersion: string;
  serialNumber: string | null;
  sha256: string;
  size: number;
  componentCount: number;
  uploadedBy: string;
  uploadedAt: string;
};

export type Firmware = {
  id: string;
  product: Ref;
  model: Ref;
  version: string;
  releaseDate: string | null;
  notes: string;
  sbom: SbomSummary | null;
  createdAt: string;
  updatedAt: string;
};

export type Component = {
  name: string;
  version: string | null;
  purl: string | null;
  supplier: string | null;
  licences: string[];
  hashes: { alg: string; value: string }[];
  ref: string | null;
};

export type SbomUploadResult = {
  firmwareId: string;
  format: SbomSummary['format'];
  specVersion: string;
  serialNumber: string | null;
  sha256: string;
  size: number;
  replaced: boolean;
  counts: {
    components: number;
    withPurl: number;
    withVersion: number;
    withLicence: number;
    withHash: number;
  };
};

export type ImportCounts = { created: number; updated: number; unchanged: number };
export type ImportResult = {
  dryRun: boolean;
  products: ImportCounts;
  models: ImportCounts;
  firmware: ImportCounts;
};

export type SearchHit = {
  firmware: { id: string; version: string; releaseDate: string | null };
  model: Ref;
  product: Ref;
  components: { name: string; version: string | null; purl: string | null }[];
};

export type SafeguardStatus = 'missing' | 'requested' | 'agreed' | 'verified' | 'not-applicable';

export type SafeguardSummary = {
  total: number;
  applicable: number;
  inPlace: number;
  missing: { key: string; title: string; status: SafeguardStatus }[];
  headline: string;
};

export type Contact = { name: string; email: string; role: string; phone?: string | null };

export type SupplierModel = {
  modelId: string;
  modelSlug: string;
  modelName: string;
  productId: string;
  productSlug: string;
  productName: string;
  relation: 'builds' | 'supplies-parts';
};

export type Supplier = {
  id: string;
  slug: string;
  name: string;
  country: string | null;
  countryName: string | null;
  contacts: Contact[];
  models: SupplierModel[];
  safeguards: SafeguardSummary;
  createdAt: string;
};

/** One checklist item: what the safeguard is, and its recorded state for this supplier. */
export type ChecklistItem = {
  key: string;
  title: string;
  explanation: string;
  agreedMeans: string;
  daysTerm: { label: string; suggested: number } | null;
  frameworks: { framework: string; items: string[] }[];
  status: SafeguardStatus;
  inPlace: boolean;
  termsDays: number | null;
  date: string | null;
  evidenceUrl: string | null;
  evidenceFile: { sha256: string; fileName: string; downloadUrl: string } | null;
  note: string;
  updatedBy: string | null;
  updatedAt: string | null;
};

export type Checklist = {
  supplier: { id: string; slug: string; name: string };
  summary: SafeguardSummary;
  items: ChecklistItem[];
};

export type StaffUser = {
  id: string;
  email: string;
  name: string;
  role: Role;
  supplierId: string | null;
  disabled: boolean;
  disabledAt: string | null;
  createdAt: string;
};

export type ApiToken = {
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

export type CreatedToken = ApiToken & { token: string };

export type AuditEntry = {
  id: string;
  at: string;
  actor: string;
  actorLabel: string;
  action: string;
  subjectType: string | null;
  subjectId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
};

export type CaseState =
  | 'new'
  | 'triage'
  | 'confirmed'
  | 'not-a-vulnerability'
  | 'duplicate'
  | 'out-of-scope'
  | 'fixing'
  | 'fix-available'
  | 'disclosed'
  | 'closed';

export type Severity = 'none' | 'low' | 'medium' | 'high' | 'critical';

export type Named = { id: string; name: string };

export type CaseSummary = {
  id: string;
  number: string;
  title: string;
  state: CaseState;
  severity: Severity | null;
  cvssScore: number | null;
  cweId: string | null;
  /** Left out for suppliers. */
  assignee?: Named | null;
  supplier: Named | null;
  /** Products the case affects or was reported against, where the server gives them. */
  products?: Named[];
  nextDueAt?: string | null;
  overdue?: boolean;
  createdAt: string;
  updatedAt: string;
};

export type ClockState = 'running' | 'met' | 'overdue' | 'met-late' | 'not-started';

export type CaseClock = {
  key: string;
  label: string;
  startsWhen: string;
  state: ClockState;
  startedAt: string | null;
  dueAt: string | null;
  metAt: string | null;
  remainingMs: number | null;
};

export type CraDraft = {
  report: string;
  title: string;
  article: string;
  dueAt: string | null;
  complete: boolean;
  fields: { key: string; label: string; text: string; known: boolean }[];
  text: string;
};

export type CaseEvent = {
  id: string;
  at: string;
  kind: string;
  from: unknown;
  to: unknown;
  actor?: string;
  actorLabel?: string;
  reason?: string | null;
};

export type CaseReport = {
  id: string;
  trackingId: string;
  title: string;
  reporterName: string | null;
  reporterEmail: string | null;
  encrypted: boolean;
  relation: 'origin' | 'duplicate';
  receivedAt: string;
  attachedAt: string;
};

export type CaseAffects = {
  modelId: string;
  modelName: string;
  productId: string;
  versionRange: string;
  fixedIn: string | null;
};

export type CaseDetail = CaseSummary & {
  summary: string;
  cvss: { vector: string; version: string; score: number; severity: Severity } | null;
  cwe: { id: string; name: string | null } | null;
  affects: CaseAffects[];
  reports?: CaseReport[];
  events: CaseEvent[];
  dates: {
    fixAvailableAt: string | null;
    disclosedAt: string | null;
    agreedDisclosureAt: string | null;
    activelyExploitedSince: string | null;
    severeIncidentSince: string | null;
    craReportsSubmittedAt: Record<string, string>;
  };
  clocks: CaseClock[];
  craDrafts?: CraDraft[];
  supplierAcknowledgedAt?: string | null;
};

export type IncomingReport = {
  id: string;
  trackingId: string;
  title: string;
  source: string;
  encrypted: boolean;
  product: Named | null;
  productText: string | null;
  receivedAt: string;
};

export type StaffReport = IncomingReport & {
  status: string;
  version: string | null;
  description: string | null;
  decryptionError: string | null;
  stepsToReproduce: string | null;
  impact: string | null;
  cvssVector: string | null;
  reporterName: string | null;
  reporterEmail: string | null;
  credit: string;
  creditName: string | null;
  preferredDisclosureDate: string | null;
  case: { id: string; number: string } | null;
};

export type SimilarCase = {
  caseId: string;
  number: string;
  title: string;
  state: CaseState;
  score: number;
  reasons: string[];
};

export type MessageFile = {
  id: string;
  fileName: string;
  size: number;
  sha256: string;
  declaredType: string | null;
  purpose?: string | null;
};

export type CaseMessage = {
  id: string;
  author: { kind: string; label: string };
  body: string;
  createdAt: string;
  thread?: string;
  files: MessageFile[];
};
