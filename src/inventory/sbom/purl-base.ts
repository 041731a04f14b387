// The identity of a package without its version: what vulnerability matching joins on
// (pkg:npm/%40angular/core@17.0.1?x=y#sub → pkg:npm/%40angular/core).

import { PackageURL } from 'packageurl-js';

/**
 * Normalised "pkg:type/namespace/name": type lowercased, namespace and name lowercased (or otherwise
 * normalised, e.g. PyPI "_" → "-") where the purl spec says so for the type; null if it is not a purl.
 * @example purlBase('pkg:PyPI/Django_Rest@3.1?x=1') // 'pkg:pypi/django-rest'
 */
export function purlBase(purl: string): string | null {
  let parsed: PackageURL;
  try {
    parsed = PackageURL.fromString(purl.trim());
  } catch (error) {
    if (error instanceof ReferenceError || error instanceof TypeError) return fallbackPurlBase(purl.trim());
    return null;
  }
  return new PackageURL(
    parsed.type,
    parsed.namespace,
    parsed.name,
    undefined,
    undefined,
    undefined,
  ).toString();
}

/**
 * packageurl-js 2.0.1 crashes (ReferenceError) on some valid purls such as pkg:golang/...; keep such
 * purls usable by cutting subpath, qualifiers and version and lowercasing only the type.
 */
function fallbackPurlBase(purl: string): string | null {
  const match = /^pkg:\/*([A-Za-z][A-Za-z0-9.+-]*)\/([^?#]+)/.exec(purl);
  if (!match) return null;
  const [, type = '', rest = ''] = match;
  const lastSlash = rest.lastIndexOf('/');
  const at = rest.indexOf('@', lastSlash + 1);
  const path = (at === -1 ? rest : rest.slice(0, at)).replace(/\/+$/, '');
  return path === '' ? null : `pkg:${type.toLowerCase()}/${path}`;
}
