// SBOM upload and the components of a firmware version. The file is parsed completely before anything
// is written, so a malformed SBOM leaves nothing behind; a valid one replaces the firmware's previous
// SBOM and all its components in one transaction. Suppliers may upload for their own firmware.
import { Readable } from 'node:stream';
import { type Principal, requireRole } from '../auth/access.ts';
import type { SbomFormat } from '../db/schema.ts';
import type { Deps } from '../deps.ts';
import { type AuditActor, actorId, appendAudit } from '../platform/audit.ts';
import { Invalid, TooLarge } from '../platform/errors.ts';
import type { Page } from '../platform/paging.ts';
import {
  listComponents as listComponentsInStore,
  type NewComponent,
  replaceSbom,
} from './component-store.ts';
import { getFirmware } from './firmware-service.ts';
import { parseSbom, type SbomComponent } from './sbom/parse-sbom.ts';
import { versionSortKey } from './versions/version-order.ts';

/** Most components accepted in one SBOM (a large Linux image has a few thousand). */
export const maxSbomComponents = 50_000;

/** Longest values the search indexes take (a btree entry must stay under about 2.7 kB). */
const indexedLimits = { name: 500, version: 200, purl: 1000 };

export type SbomUpload = { body: Buffer; contentType: string | undefined };

export type SbomUploadResult = {
  firmwareId: string;
  format: SbomFormat;
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

export const sbomUploaders = ['admin', 'analyst', 'supplier'] as const;

function toStored(component: SbomComponent, index: number): NewComponent {
  const tooLong = (field: keyof typeof indexedLimits, value: string | null) => {
    if (value !== null && value.length > indexedLimits[field]) {
      throw new Invalid(
        { [`components[${index}].${field}`]: `is longer than ${indexedLimits[field]} characters` },
        `Component ${index + 1} (${component.name.slice(0, 80)}) has a ${field} longer than ${indexedLimits[field]} characters`,
      );
    }
  };
  tooLong('name', component.name);
  tooLong('version', component.version);
  tooLong('purl', component.purl);
  return {
    name: component.name,
    version: component.version,
    versionKey: component.version === null ? null : versionSortKey(component.version),
    purl: component.purl,
    purlBase: component.purlBase,
    supplier: component.supplier,
    licences: component.licences,
    hashes: component.hashes,
    ref: component.ref,
  };
}

export async function uploadSbom(
  deps: Deps,
  principal: Principal,
  firmwareId: string,
  upload: SbomUpload,
): Promise<SbomUploadResult> {
  requireRole(principal, ...sbomUploaders);
  // Scoped: another supplier's firmware is not found.
  await getFirmware(deps, principal, firmwareId);
  return storeSbom(deps, firmwareId, upload, principal, deps.config.sbomMaxBytes);
}

/**
 * Parses the file and, when it is valid, stores it and makes it the firmware's SBOM; the caller has
 * checked that `actor` may. Also used to seed the demo.
 */
export async function storeSbom(
  deps: Pick<Deps, 'db' | 'blobs' | 'clock'>,
  firmwareId: string,
  upload: SbomUpload,
  actor: AuditActor,
  maxBytes: number,
): Promise<SbomUploadResult> {
  if (upload.body.length > maxBytes) throw new TooLarge(`An SBOM may be at most ${maxBytes} bytes`);
  const parsed = await parseSbom(upload.body, {
    contentType: upload.contentType,
    maxComponents: maxSbomComponents,
    maxBytes,
  });
  const components = parsed.components.map(toStored);

  const received = await deps.blobs.receive(Readable.from([upload.body]), maxBytes, () => 'too large');
  try {
    await deps.blobs.commit(received);
  } catch (error) {
    await deps.blobs.discard([received]);
    throw error;
  }
  const now = deps.clock();
  const replaced = await deps.db.transaction().execute(async (trx) => {
    const result = await replaceSbom(
      trx,
      firmwareId,
      {
        format: parsed.format,
        specVersion: parsed.specVersion,
        serialNumber: parsed.serialNumber,
        sha256: received.sha256,
        size: received.size,
        uploadedBy: actorId(actor),
        uploadedByLabel: typeof actor === 'string' ? actor : actor.name || actor.email,
        uploadedAt: now,
      },
      components,
    );
    await appendAudit(trx, {
      actor,
      action: result.replaced ? 'SBOM_REPLACED' : 'SBOM_UPLOADED',
      subjectType: 'firmware',
      subjectId: firmwareId,
      detail: { format: parsed.format, sha256: received.sha256, components: components.length },
      at: now,
    });
    return result.replaced;
  });
  return {
    firmwareId,
    format: parsed.format,
    specVersion: parsed.specVersion,
    serialNumber: parsed.serialNumber,
    sha256: received.sha256,
    size: received.size,
    replaced,
    counts: {
      components: components.length,
      withPurl: components.filter((c) => c.purl !== null).length,
      withVersion: components.filter((c) => c.version !== null).length,
      withLicence: components.filter((c) => c.licences.length > 0).length,
      withHash: components.filter((c) => c.hashes.length > 0).length,
    },
  };
}

export async function listComponents(
  deps: Deps,
  principal: Principal,
  firmwareId: string,
  page: Page,
  filter: { name?: string | undefined },
) {
  await getFirmware(deps, principal, firmwareId);
  return listComponentsInStore(deps.db, firmwareId, page, filter);
}
