// "Which firmware versions contain package X in version range R?" across every product, the question
// a maker asks the morning a library CVE is published. A supplier gets the answer for its own models.

import { PackageURL } from 'packageurl-js';
import { type Principal, supplierScope } from '../auth/access.ts';
import type { Deps } from '../deps.ts';
import { Invalid } from '../platform/errors.ts';
import type { Page } from '../platform/paging.ts';
import { type ComponentMatch, searchComponents as searchStore } from './component-store.ts';
import { purlBase } from './sbom/purl-base.ts';
import {
  formatVersionRange,
  parseVersionRange,
  rangeToKeyBounds,
  type VersionRange,
} from './versions/version-range.ts';

export type ComponentQuery = {
  purl?: string | undefined;
  name?: string | undefined;
  range?: string | undefined;
};

export type ParsedComponentQuery = {
  match: ComponentMatch;
  /** Canonical text of the range searched; null: any version. */
  range: string | null;
  versionRange: VersionRange | null;
};

/**
 * Reads the query: exactly one of `purl` (compared without its version, qualifiers and subpath) or
 * `name` (whole name, any case), and an optional version range. A purl with a version and no range
 * searches that one version.
 */
export function parseComponentQuery(query: ComponentQuery): ParsedComponentQuery {
  const purl = query.purl?.trim() || undefined;
  const name = query.name?.trim() || undefined;
  if ((purl === undefined) === (name === undefined)) {
    const reason = 'give either purl (like pkg:generic/openssl) or name (like openssl), not both';
    throw new Invalid({ purl: reason, name: reason });
  }
  let rangeText = query.range?.trim() || undefined;
  let match: ComponentMatch;
  if (purl !== undefined) {
    const base = purlBase(purl);
    if (base === null) {
      throw new Invalid({
        purl: 'is not a package URL; write it like pkg:generic/openssl or pkg:deb/debian/busybox',
      });
    }
    match = { purlBase: base };
    const version = versionOfPurl(purl);
    if (version !== null) {
      if (rangeText !== undefined)
        throw new Invalid({ purl: 'has a version; leave it out when you give a range' });
      rangeText = `= ${version}`;
    }
  } else {
    match = { name: name as string };
  }
  const versionRange = rangeText === undefined ? null : parseVersionRange(rangeText);
  return { match, versionRange, range: versionRange && formatVersionRange(versionRange) };
}

export async function searchComponents(deps: Deps, principal: Principal, query: ComponentQuery, page: Page) {
  const parsed = parseComponentQuery(query);
  const result = await searchStore(
    deps.db,
    {
      match: parsed.match,
      intervals: parsed.versionRange ? rangeToKeyBounds(parsed.versionRange) : undefined,
      supplierId: supplierScope(principal),
    },
    page,
  );
  return { ...result, query: parsed };
}

function versionOfPurl(purl: string): string | null {
  try {
    return PackageURL.fromString(purl.trim()).version ?? null;
  } catch {
    // A purl packageurl-js cannot read (see purl-base.ts): the version follows the last "@" of the path.
    const path = purl.split(/[?#]/)[0] ?? '';
    const at = path.lastIndexOf('@');
    if (at === -1 || at < path.lastIndexOf('/')) return null;
    try {
      return decodeURIComponent(path.slice(at + 1)) || null;
    } catch {
      return path.slice(at + 1) || null;
    }
  }
}
