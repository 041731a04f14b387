// The CycloneDX spec versions we import, and the library's names for them.

import { Spec } from '@cyclonedx/cyclonedx-library';
import { InvalidSbom } from './invalid-sbom.ts';

export const CYCLONEDX_VERSIONS = {
  '1.4': Spec.Version.v1dot4,
  '1.5': Spec.Version.v1dot5,
  '1.6': Spec.Version.v1dot6,
} as const;

export type CycloneDxVersion = keyof typeof CYCLONEDX_VERSIONS;

/** The spec version if we import it; otherwise InvalidSbom saying which versions we do import. */
export function supportedCycloneDxVersion(
  specVersion: unknown,
  where: ConstructorParameters<typeof InvalidSbom>[1],
): CycloneDxVersion {
  if (typeof specVersion === 'string' && Object.hasOwn(CYCLONEDX_VERSIONS, specVersion)) {
    return specVersion as CycloneDxVersion;
  }
  const shown =
    typeof specVersion === 'string' ? `CycloneDX ${specVersion}` : 'a missing or unreadable spec version';
  throw new InvalidSbom(
    `${shown} is not supported; export the SBOM as CycloneDX ${Object.keys(CYCLONEDX_VERSIONS).join(', ')}`,
    where,
  );
}
