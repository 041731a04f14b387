// Turns CycloneDX components (JSON, or XML read into the same shape) into inventory components,
// including components nested inside components, in document order.

import { TooLarge } from '../../platform/errors.ts';
import type { SbomComponent } from './model.ts';
import { purlBase } from './purl-base.ts';

/** The parts of a CycloneDX component we read; the schema has already checked their types. */
export type CycloneDxComponent = {
  name?: string;
  version?: string;
  purl?: string;
  supplier?: { name?: string };
  licenses?: Array<{ license?: { id?: string; name?: string }; expression?: string }>;
  hashes?: Array<{ alg?: string; content?: string }>;
  'bom-ref'?: string;
  components?: CycloneDxComponent[];
};

export function tooManyComponents(maxComponents: number): TooLarge {
  return new TooLarge(`The SBOM lists more than ${maxComponents} components, the most one import accepts`);
}

export function collectCycloneDxComponents(
  top: CycloneDxComponent[] | undefined,
  maxComponents: number,
): SbomComponent[] {
  const collected: SbomComponent[] = [];
  const pending = [...(top ?? [])].reverse();
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    if (collected.length === maxComponents) throw tooManyComponents(maxComponents);
    collected.push(toSbomComponent(next));
    pending.push(...[...(next.components ?? [])].reverse());
  }
  return collected;
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed === undefined || trimmed === '' ? null : trimmed;
}

function toSbomComponent(component: CycloneDxComponent): SbomComponent {
  const purl = nonEmpty(component.purl);
  const licences = (component.licenses ?? [])
    .map((choice) => nonEmpty(choice.expression ?? choice.license?.id ?? choice.license?.name))
    .filter((licence) => licence !== null);
  return {
    name: component.name?.trim() ?? '',
    version: nonEmpty(component.version),
    purl,
    purlBase: purl === null ? null : purlBase(purl),
    supplier: nonEmpty(component.supplier?.name),
    licences: [...new Set(licences)],
    hashes: (component.hashes ?? [])
      .map((hash) => ({ alg: hash.alg?.trim() ?? '', value: hash.content?.trim() ?? '' }))
      .filter((hash) => hash.alg !== '' && hash.value !== ''),
    ref: nonEmpty(component['bom-ref']),
  };
}
