// CycloneDX JSON SBOMs: validated against the official JSON schema of their spec version (through the
// CycloneDX library), then read into inventory components.

import { Validation } from '@cyclonedx/cyclonedx-library';
import type { ErrorObject } from 'ajv';
import { type CycloneDxComponent, collectCycloneDxComponents } from './cyclonedx-components.ts';
import { CYCLONEDX_VERSIONS, type CycloneDxVersion, supportedCycloneDxVersion } from './cyclonedx-spec.ts';
import { InvalidSbom } from './invalid-sbom.ts';
import { jsonPointerOffset, positionAt } from './json-position.ts';
import type { ParsedSbom } from './model.ts';
import { schemaError } from './read-json.ts';

type CycloneDxDocument = {
  bomFormat?: unknown;
  specVersion?: unknown;
  serialNumber?: string;
  components?: CycloneDxComponent[];
};

// Compiling a schema takes about a second, so each is compiled once per process, on first use.
const validators = new Map<CycloneDxVersion, Validation.JsonStrictValidator>();

function validatorFor(version: CycloneDxVersion): Validation.JsonStrictValidator {
  let validator = validators.get(version);
  if (validator === undefined) {
    validator = new Validation.JsonStrictValidator(CYCLONEDX_VERSIONS[version]);
    validators.set(version, validator);
  }
  return validator;
}

/** Reads a CycloneDX JSON document already parsed from `text`. */
export async function parseCycloneDxJson(
  text: string,
  document: unknown,
  maxComponents: number,
): Promise<ParsedSbom> {
  const bom = document as CycloneDxDocument;
  if (bom.bomFormat !== 'CycloneDX') {
    throw new InvalidSbom('"bomFormat" must be "CycloneDX"', located(text, '/bomFormat'));
  }
  const specVersion = supportedCycloneDxVersion(bom.specVersion, located(text, '/specVersion'));
  const errors = (await validatorFor(specVersion).validate(text)) as ErrorObject[] | null;
  if (errors !== null) throw schemaError(text, errors);
  return {
    format: 'cyclonedx-json',
    specVersion,
    serialNumber: bom.serialNumber ?? null,
    components: collectCycloneDxComponents(bom.components, maxComponents),
  };
}

function located(text: string, path: string) {
  const offset = jsonPointerOffset(text, path);
  return { path, position: offset === null ? null : positionAt(text, offset) };
}
