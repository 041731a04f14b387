// API shapes of suppliers, their checklist and its history, with the TypeBox schemas that validate
// and document them. Rows never reach the wire without passing through here.
import { Type } from '@fastify/type-provider-typebox';
import type { Checklist, ChecklistEntry } from './checklist.ts';
import { countryName } from './countries.ts';
import type { SafeguardSummary } from './safeguards.ts';
import type { SupplierDetail } from './service.ts';
import type { SafeguardEventRow } from './store.ts';

const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

/** The statuses of safeguards.ts, spelled out so that TypeBox infers the literal union. */
export const StatusSchema = Type.Union(
  [
    Type.Literal('missing'),
    Type.Literal('requested'),
    Type.Literal('agreed'),
    Type.Literal('verified'),
    Type.Literal('not-applicable'),
  ],
  { description: 'agreed and verified count as in place; not-applicable needs a note saying why' },
);

export const SupplierParams = Type.Object({ supplierId: Type.String({ maxLength: 64 }) });

export const RelationSchema = Type.Union([Type.Literal('builds'), Type.Literal('supplies-parts')]);

export const ContactSchema = Type.Object({
  name: Type.String(),
  email: Type.String(),
  role: Type.String({ description: 'e.g. security contact, quality manager, account manager' }),
  phone: Type.Optional(Type.String()),
});

const SummarySchema = Type.Object({
  total: Type.Integer({ description: 'Items in the checklist' }),
  applicable: Type.Integer({ description: 'Items not marked not-applicable' }),
  inPlace: Type.Integer({ description: 'Applicable items agreed or verified' }),
  missing: Type.Array(Type.Object({ key: Type.String(), title: Type.String(), status: StatusSchema })),
  headline: Type.String({ examples: ['4 of 6 in place; missing: SBOM delivered with every firmware; …'] }),
});

export const SupplierView = Type.Object({
  id: Type.String({ format: 'uuid' }),
  slug: Type.String(),
  name: Type.String(),
  country: Nullable(Type.String({ description: 'ISO 3166-1 alpha-2' })),
  countryName: Nullable(Type.String()),
  contacts: Type.Array(ContactSchema),
  models: Type.Array(
    Type.Object({
      modelId: Type.String({ format: 'uuid' }),
      modelSlug: Type.String(),
      modelName: Type.String(),
      productId: Type.String({ format: 'uuid' }),
      productSlug: Type.String(),
      productName: Type.String(),
      relation: RelationSchema,
    }),
  ),
  safeguards: SummarySchema,
  createdAt: DateTime,
});

const presentSummary = (summary: SafeguardSummary) => ({
  ...summary,
  missing: summary.missing.map((m) => ({ ...m })),
});

export const presentSupplier = ({ supplier, models, safeguards }: SupplierDetail) => ({
  id: supplier.id,
  slug: supplier.slug,
  name: supplier.name,
  country: supplier.country,
  countryName: supplier.country ? countryName(supplier.country) : null,
  contacts: supplier.contacts,
  models: models.map((m) => ({
    modelId: m.model_id,
    modelSlug: m.model_slug,
    modelName: m.model_name,
    productId: m.product_id,
    productSlug: m.product_slug,
    productName: m.product_name,
    relation: m.relation,
  })),
  safeguards: presentSummary(safeguards),
  createdAt: supplier.created_at.toISOString(),
});

const FrameworkRefSchema = Type.Object({ framework: Type.String(), items: Type.Array(Type.String()) });

export const ChecklistItemView = Type.Object({
  key: Type.String(),
  title: Type.String(),
  explanation: Type.String({ description: 'Why the safeguard matters' }),
  agreedMeans: Type.String({ description: 'What the contract should say' }),
  daysTerm: Nullable(
    Type.Object(
      { label: Type.String(), suggested: Type.Integer() },
      { description: 'Set for items measured in days' },
    ),
  ),
  frameworks: Type.Array(FrameworkRefSchema, { description: 'Requirements that expect this safeguard' }),
  status: StatusSchema,
  inPlace: Type.Boolean(),
  termsDays: Nullable(Type.Integer({ description: 'The agreed number of days' })),
  date: Nullable(Type.String({ format: 'date', description: 'When it was requested, agreed or verified' })),
  evidenceUrl: Nullable(Type.String()),
  evidenceFile: Nullable(
    Type.Object({ sha256: Type.String(), fileName: Type.String(), downloadUrl: Type.String() }),
  ),
  note: Type.String(),
  updatedBy: Nullable(Type.String()),
  updatedAt: Nullable(DateTime),
});

export const ChecklistView = Type.Object({
  supplier: Type.Object({ id: Type.String({ format: 'uuid' }), slug: Type.String(), name: Type.String() }),
  summary: SummarySchema,
  items: Type.Array(ChecklistItemView),
});

export const evidencePath = (supplierId: string, itemKey: string, sha256: string) =>
  `/api/v1/suppliers/${supplierId}/safeguards/${itemKey}/evidence/${sha256}`;

const presentEntry = (supplierId: string, { item, state, updatedBy, updatedAt }: ChecklistEntry) => ({
  key: item.key,
  title: item.title,
  explanation: item.explanation,
  agreedMeans: item.agreedMeans,
  daysTerm: item.daysTerm ? { ...item.daysTerm } : null,
  frameworks: item.frameworks.map((ref) => ({ framework: ref.framework, items: [...ref.items] })),
  status: state.status,
  inPlace: state.status === 'agreed' || state.status === 'verified',
  termsDays: state.termsDays,
  date: state.date,
  evidenceUrl: state.evidenceUrl,
  evidenceFile: state.evidenceFile
    ? { ...state.evidenceFile, downloadUrl: evidencePath(supplierId, item.key, state.evidenceFile.sha256) }
    : null,
  note: state.note,
  updatedBy,
  updatedAt: updatedAt?.toISOString() ?? null,
});

export const presentChecklist = (checklist: Checklist) => ({
  supplier: { id: checklist.supplier.id, slug: checklist.supplier.slug, name: checklist.supplier.name },
  summary: presentSummary(checklist.summary),
  items: checklist.entries.map((entry) => presentEntry(checklist.supplier.id, entry)),
});

export const HistoryView = Type.Object({
  events: Type.Array(
    Type.Object({
      id: Type.String(),
      itemKey: Type.String(),
      kind: Type.Union([Type.Literal('changed'), Type.Literal('evidence-uploaded')]),
      changes: Type.Array(Type.Object({ field: Type.String(), from: Type.Unknown(), to: Type.Unknown() }), {
        description: 'Each field the change touched, with its value before and after',
      }),
      by: Type.String(),
      at: DateTime,
    }),
  ),
});

export const presentHistory = (events: SafeguardEventRow[]) => ({
  events: events.map((event) => ({
    id: event.id,
    itemKey: event.item_key,
    kind: event.kind,
    changes: Object.entries(event.changes).map(([field, change]) => ({ field, ...change })),
    by: event.actor_label,
    at: event.at.toISOString(),
  })),
});
