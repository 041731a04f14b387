// Supplier records: list, read, create, edit, and the models each supplier builds or supplies parts
// for. Every change is written with its audit entry in one transaction.
import type { Principal } from '../auth/access.ts';
import type { SupplierRelation } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import * as modelSupplierLinks from '../inventory/model-supplier-links.ts';
import { findModel } from '../inventory/store.ts';
import { appendAudit } from '../platform/audit.ts';
import { Conflict, Forbidden, Invalid, NotFound } from '../platform/errors.ts';
import { countryCodeProblem, isCountryCode } from './countries.ts';
import { mayManageSuppliers, maySeeSupplier } from './policy.ts';
import { type SafeguardStatus, type SafeguardSummary, summarizeSafeguards } from './safeguards.ts';
import * as store from './store.ts';

export type SupplierDeps = Pick<Deps, 'db' | 'clock'>;

export type SupplierDetail = {
  supplier: store.SupplierRow;
  models: store.SupplierModelRow[];
  safeguards: SafeguardSummary;
};

export type ContactInput = { name: string; email: string; role: string; phone?: string | null | undefined };

export type SupplierInput = {
  name: string;
  slug?: string | undefined;
  country?: string | null | undefined;
  contacts?: ContactInput[] | undefined;
};

export type SupplierChanges = Partial<Pick<SupplierInput, 'name' | 'country' | 'contacts'>>;

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const emailPattern = /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/;
const phonePattern = /^\+?[0-9][0-9 ()./-]{2,38}$/;
export const maxContacts = 20;

const notFound = () => new NotFound('No such supplier.');

/** The supplier if the principal may see it; another supplier's record is simply not found. */
export async function getVisibleSupplier(
  deps: SupplierDeps,
  principal: Principal,
  supplierId: string,
): Promise<store.SupplierRow> {
  if (!uuidPattern.test(supplierId) || !maySeeSupplier(principal, supplierId)) throw notFound();
  const supplier = await store.findSupplier(deps.db, supplierId);
  if (!supplier) throw notFound();
  return supplier;
}

export function requireManager(principal: Principal): void {
  if (!mayManageSuppliers(principal)) {
    throw new Forbidden('Only admins and analysts change supplier records and their safeguards.');
  }
}

async function details(deps: SupplierDeps, suppliers: store.SupplierRow[]): Promise<SupplierDetail[]> {
  const ids = suppliers.map((s) => s.id);
  const [models, safeguards] = await Promise.all([
    store.listSupplierModels(deps.db, ids),
    store.listSafeguards(deps.db, ids),
  ]);
  return suppliers.map((supplier) => {
    const statuses = new Map<string, SafeguardStatus>(
      safeguards.filter((row) => row.supplier_id === supplier.id).map((row) => [row.item_key, row.status]),
    );
    return { supplier, models: models.get(supplier.id) ?? [], safeguards: summarizeSafeguards(statuses) };
  });
}

/** Every supplier the principal may see (a supplier user: its own), with models and safeguards summary. */
export async function listSuppliers(deps: SupplierDeps, principal: Principal): Promise<SupplierDetail[]> {
  const only = principal.role === 'supplier' ? (principal.supplierId ?? '') : null;
  if (only === '') return [];
  return details(deps, await store.listSuppliers(deps.db, only));
}

export async function getSupplier(deps: SupplierDeps, principal: Principal, supplierId: string) {
  const [detail] = await details(deps, [await getVisibleSupplier(deps, principal, supplierId)]);
  return detail as SupplierDetail;
}

/** The supplier a supplier user works for ("your supplier" in the console). */
export async function getOwnSupplier(deps: SupplierDeps, principal: Principal): Promise<SupplierDetail> {
  if (principal.role !== 'supplier' || !principal.supplierId) {
    throw new NotFound('This account is not bound to a supplier.');
  }
  return getSupplier(deps, principal, principal.supplierId);
}

// ---- input rules ----------------------------------------------------------------------------

/** A URL-safe slug from a name: "Shenzhen Sensor Parts Co." → "shenzhen-sensor-parts-co". */
export const slugFromName = (name: string): string =>
  name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
    .replace(/-+$/, '');

type Parsed = { name?: string; slug?: string; country?: string | null; contacts?: store.Contact[] };

function parseSupplierFields(
  input: SupplierChanges & { slug?: string | undefined },
  slugDerived = false,
): Parsed {
  const problems: Record<string, string> = {};
  const parsed: Parsed = {};
  if (input.name !== undefined) {
    const name = input.name.trim();
    if (name === '') problems.name = 'must not be empty';
    else if (name.length > 200) problems.name = 'must be at most 200 characters';
    else parsed.name = name;
  }
  if (input.slug !== undefined) {
    if (slugDerived && input.slug === '') {
      if (input.name?.trim()) problems.slug = 'cannot be made from this name; give a slug';
    } else if (!slugPattern.test(input.slug) || input.slug.length > 64) {
      problems.slug = 'must be lower-case letters, digits and single hyphens, at most 64 characters';
    } else parsed.slug = input.slug;
  }
  if (input.country !== undefined) {
    const country = input.country === null ? null : input.country.trim();
    if (country === null || country === '') parsed.country = null;
    else if (!isCountryCode(country)) problems.country = countryCodeProblem(country);
    else parsed.country = country;
  }
  if (input.contacts !== undefined) {
    if (input.contacts.length > maxContacts) problems.contacts = `at most ${maxContacts} contacts`;
    parsed.contacts = input.contacts.map((contact, i) => parseContact(contact, `contacts.${i}`, problems));
  }
  if (Object.keys(problems).length > 0) throw new Invalid(problems);
  return parsed;
}

function parseContact(contact: ContactInput, at: string, problems: Record<string, string>): store.Contact {
  const name = contact.name.trim();
  const email = contact.email.trim();
  const role = contact.role.trim();
  const phone = contact.phone?.trim() || undefined;
  if (name === '' || name.length > 200) problems[`${at}.name`] = 'must be 1 to 200 characters';
  if (!emailPattern.test(email) || email.length > 254) problems[`${at}.email`] = 'must be an email address';
  if (role === '' || role.length > 100) {
    problems[`${at}.role`] = 'must be 1 to 100 characters, e.g. "security contact" or "quality manager"';
  }
  if (phone !== undefined && !phonePattern.test(phone)) {
    problems[`${at}.phone`] = 'must be a phone number such as +86 755 1234 5678';
  }
  return { name, email, role, ...(phone !== undefined ? { phone } : {}) };
}

// ---- commands -------------------------------------------------------------------------------

export async function createSupplier(
  deps: SupplierDeps,
  principal: Principal,
  input: SupplierInput,
): Promise<SupplierDetail> {
  requireManager(principal);
  const parsed = parseSupplierFields(
    { ...input, slug: input.slug ?? slugFromName(input.name) },
    input.slug === undefined,
  );
  const values = {
    slug: parsed.slug as string,
    name: parsed.name as string,
    country: parsed.country ?? null,
    contacts: parsed.contacts ?? [],
  };
  const now = deps.clock();
  const id = await deps.db.transaction().execute(async (trx) => {
    if (await store.findSupplierBySlug(trx, values.slug)) {
      throw new Conflict(`A supplier with the slug "${values.slug}" already exists.`);
    }
    const id = await store.insertSupplier(trx, { ...values, createdAt: now });
    await appendAudit(trx, {
      actor: principal,
      action: 'SUPPLIER_CREATED',
      subjectType: 'supplier',
      subjectId: id,
      detail: { slug: values.slug, name: values.name, country: values.country },
      at: now,
    });
    return id;
  });
  return getSupplier(deps, principal, id);
}

export async function updateSupplier(
  deps: SupplierDeps,
  principal: Principal,
  supplierId: string,
  input: SupplierChanges,
): Promise<SupplierDetail> {
  const current = await getVisibleSupplier(deps, principal, supplierId);
  requireManager(principal);
  const parsed = parseSupplierFields(input);
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of ['name', 'country', 'contacts'] as const) {
    const to = parsed[field];
    if (to !== undefined && JSON.stringify(to) !== JSON.stringify(current[field])) {
      changes[field] = { from: current[field], to };
    }
  }
  if (Object.keys(changes).length > 0) {
    const now = deps.clock();
    await deps.db.transaction().execute(async (trx) => {
      await store.updateSupplier(trx, supplierId, parsed);
      await appendAudit(trx, {
        actor: principal,
        action: 'SUPPLIER_UPDATED',
        subjectType: 'supplier',
        subjectId: supplierId,
        detail: { changes },
        at: now,
      });
    });
  }
  return getSupplier(deps, principal, supplierId);
}

export type ModelLinkInput = { modelId: string; relation: SupplierRelation };

/** Replaces the set of models the supplier builds or supplies parts for. */
export async function setSupplierModels(
  deps: SupplierDeps,
  principal: Principal,
  supplierId: string,
  links: ModelLinkInput[],
): Promise<SupplierDetail> {
  await getVisibleSupplier(deps, principal, supplierId);
  requireManager(principal);
  const problems: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [i, link] of links.entries()) {
    const key = `${link.modelId}|${link.relation}`;
    if (seen.has(key)) problems[`models.${i}`] = 'is listed twice';
    seen.add(key);
    if (!uuidPattern.test(link.modelId) || !(await findModel(deps.db, link.modelId, null))) {
      problems[`models.${i}.modelId`] = 'is not a known model';
    }
  }
  if (Object.keys(problems).length > 0) throw new Invalid(problems);

  const before = (await store.listSupplierModels(deps.db, [supplierId])).get(supplierId) ?? [];
  const now = deps.clock();
  await deps.db.transaction().execute(async (trx) => {
    await modelSupplierLinks.setSupplierModels(trx, supplierId, links);
    await appendAudit(trx, {
      actor: principal,
      action: 'SUPPLIER_MODELS_SET',
      subjectType: 'supplier',
      subjectId: supplierId,
      detail: {
        from: before.map((m) => ({ modelId: m.model_id, relation: m.relation })),
        to: links,
      },
      at: now,
    });
  });
  return getSupplier(deps, principal, supplierId);
}
