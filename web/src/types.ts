// Shapes of the API answers the console reads (see /api/openapi.json; the server is the authority).
import type { Role } from './session.tsx';

export type List<T> = { items: T[]; total?: number };

export type SupplierLink = { id: string; slug: string; name: string; relation: 'builds' | 'supplies-parts' };

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
  productId: string;
  productSlug: string;
  productName: string;
  slug: string;
  name: string;
  hardwareRevisions: string[];
  remoteUpdate: boolean;
  supportEnds: string | null;
  firmwareCount: number;
  suppliers: SupplierLink[];
};

export type SbomSummary = {
  format: string;
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
  modelId: string;
  modelSlug: string;
  modelName: string;
  productId: string;
  productSlug: string;
  productName: string;
  version: string;
  releaseDate: string | null;
  notes: string;
  sbom: SbomSummary | null;
};

export type Component = {
  name: string;
  version: string | null;
  purl: string | null;
  supplier: string | null;
  licences: string[];
  hashes: { alg: string; content: string }[];
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
  contacts: Contact[];
  models: SupplierModel[];
  safeguards: SafeguardSummary;
};

export type SafeguardItem = {
  key: string;
  title: string;
  explanation: string;
  agreedMeans: string;
  termsDays: { label: string; suggested: number } | null;
};

export type SafeguardState = {
  status: SafeguardStatus;
  termsDays: number | null;
  date: string | null;
  evidenceUrl: string | null;
  evidenceFile: { sha256: string; fileName: string } | null;
  note: string;
};

export type ChecklistEntry = {
  item: SafeguardItem;
  state: SafeguardState;
  updatedBy: string | null;
  updatedAt: string | null;
};

export type Checklist = { summary: SafeguardSummary; entries: ChecklistEntry[] };

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
