// Demo suppliers: the demo maker's main factory with a partly filled safeguards checklist, a parts
// supplier with almost nothing agreed, and a supplier account bound to the factory. Running it twice
// changes nothing, and it never overwrites a checklist item someone has recorded since.
import { createUser } from '../auth/users.ts';
import { Conflict } from '../platform/errors.ts';
import { recordSafeguard, type SafeguardUpdate } from './checklist.ts';
import { findSafeguardItem } from './safeguards.ts';
import type { SupplierDeps } from './service.ts';
import * as store from './store.ts';

export const demoFactorySlug = 'acme-manufacturing';
export const demoSupplierEmail = 'supplier@acme-manufacturing.example';

const dayMs = 86_400_000;

type DemoSupplier = {
  slug: string;
  name: string;
  country: string;
  contacts: store.Contact[];
  /** Checklist items, with their date as days before today. */
  checklist: Array<{ key: string; daysAgo: number } & Omit<SafeguardUpdate, 'date'>>;
};

const demoSuppliers: DemoSupplier[] = [
  {
    slug: demoFactorySlug,
    name: 'Acme Manufacturing Ltd.',
    country: 'CN',
    contacts: [
      {
        name: 'Li Wei',
        email: 'psirt@acme-manufacturing.example',
        role: 'security contact',
        phone: '+86 755 8888 1234',
      },
      { name: 'Chen Jing', email: 'quality@acme-manufacturing.example', role: 'quality manager' },
    ],
    checklist: [
      {
        key: 'vulnerability-reporting',
        status: 'verified',
        termsDays: 3,
        daysAgo: 40,
        evidenceUrl: 'https://docs.example.com/contracts/acme/2026-manufacturing-agreement.pdf#clause-14',
        note: 'Clause 14.2; they reported the Wi-Fi SDK flaw within two days in September.',
      },
      {
        key: 'maker-holds-signing-keys',
        status: 'verified',
        daysAgo: 120,
        evidenceUrl: 'https://docs.example.com/security/key-ceremony-2026.pdf',
        note: 'Release keys generated in our HSM; Acme delivers unsigned images.',
      },
      {
        key: 'sbom-with-firmware',
        status: 'agreed',
        daysAgo: 150,
        evidenceUrl: 'https://docs.example.com/contracts/acme/2026-manufacturing-agreement.pdf#annex-c',
        note: 'Annex C: CycloneDX JSON with every build.',
      },
      {
        key: 'right-to-audit',
        status: 'agreed',
        daysAgo: 150,
        evidenceUrl: 'https://docs.example.com/contracts/acme/2026-manufacturing-agreement.pdf#clause-21',
        note: 'Once a year on 30 days notice.',
      },
      {
        key: 'security-fixes',
        status: 'requested',
        daysAgo: 20,
        note: 'Current contract ends fixes with warranty (2 years); we need them until support ends.',
      },
    ],
  },
  {
    slug: 'shenzhen-sensor-parts',
    name: 'Shenzhen Sensor Parts Co.',
    country: 'CN',
    contacts: [{ name: 'Zhang Min', email: 'sales@sensor-parts.example', role: 'account manager' }],
    checklist: [{ key: 'vulnerability-reporting', status: 'requested', daysAgo: 10 }],
  },
];

async function ensureSupplier(
  deps: SupplierDeps,
  demo: DemoSupplier,
): Promise<{ id: string; added: boolean }> {
  const existing = await store.findSupplierBySlug(deps.db, demo.slug);
  if (existing) return { id: existing.id, added: false };
  const id = await store.insertSupplier(deps.db, { ...demo, createdAt: deps.clock() });
  return { id, added: true };
}

/** Adds what is missing of the demo suppliers; the factory account gets `supplierPassword`. */
export async function seedDemoSuppliers(
  deps: SupplierDeps,
  supplierPassword: string,
): Promise<{ suppliersAdded: number; supplierUser: { email: string; password: string; added: boolean } }> {
  let suppliersAdded = 0;
  let factoryId = '';
  for (const demo of demoSuppliers) {
    const { id, added } = await ensureSupplier(deps, demo);
    if (added) suppliersAdded++;
    if (demo.slug === demoFactorySlug) factoryId = id;
    const recorded = new Set((await store.listSafeguards(deps.db, [id])).map((row) => row.item_key));
    for (const { key, daysAgo, ...update } of demo.checklist) {
      const item = findSafeguardItem(key);
      if (!item || recorded.has(key)) continue;
      const date = new Date(deps.clock().getTime() - daysAgo * dayMs).toISOString().slice(0, 10);
      await recordSafeguard(deps, 'system', id, item, { ...update, date });
    }
  }
  try {
    await createUser(
      deps,
      {
        email: demoSupplierEmail,
        name: 'Li Wei (Acme Manufacturing)',
        role: 'supplier',
        supplierId: factoryId,
        password: supplierPassword,
      },
      'system',
    );
    return {
      suppliersAdded,
      supplierUser: { email: demoSupplierEmail, password: supplierPassword, added: true },
    };
  } catch (error) {
    // The account exists already (an earlier run); its password may have been changed since.
    if (!(error instanceof Conflict)) throw error;
    return {
      suppliersAdded,
      supplierUser: { email: demoSupplierEmail, password: supplierPassword, added: false },
    };
  }
}
