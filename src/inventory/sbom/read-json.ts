// Parses JSON SBOM text and turns JSON syntax errors and JSON-schema errors into InvalidSbom with a
// line, column and JSON pointer a person can find in their file.

import type { ErrorObject } from 'ajv';
import { InvalidSbom } from './invalid-sbom.ts';
import { findJsonSyntaxError, jsonPointerOffset, positionAt } from './json-position.ts';

export function readJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const found = findJsonSyntaxError(text);
    if (found !== null) {
      throw new InvalidSbom(`invalid JSON: ${found.reason}`, { position: positionAt(text, found.offset) });
    }
    throw new InvalidSbom(`invalid JSON: ${(error as Error).message}`);
  }
}

/** The first schema error, located in the text. */
export function schemaError(text: string, errors: readonly ErrorObject[] | null | undefined): InvalidSbom {
  const [first] = errors ?? [];
  if (first === undefined) return new InvalidSbom('the document does not match its schema');
  const { path, reason } = describe(first);
  const offset = jsonPointerOffset(text, path) ?? jsonPointerOffset(text, first.instancePath);
  return new InvalidSbom(reason, {
    path: path === '' ? '/' : path,
    position: offset === null ? null : positionAt(text, offset),
  });
}

function describe(error: ErrorObject): { path: string; reason: string } {
  const params = error.params as Record<string, unknown>;
  const field = error.instancePath === '' ? 'the document' : `"${error.instancePath}"`;
  if (error.keyword === 'required') {
    return {
      path: error.instancePath,
      reason: `${field} is missing the required property "${params.missingProperty}"`,
    };
  }
  if (error.keyword === 'additionalProperties') {
    const name = String(params.additionalProperty);
    const path = `${error.instancePath}/${name.replaceAll('~', '~0').replaceAll('/', '~1')}`;
    return { path, reason: `${field} has a property the schema does not allow: "${name}"` };
  }
  if (error.keyword === 'enum' && Array.isArray(params.allowedValues)) {
    return {
      path: error.instancePath,
      reason: `${field} must be one of: ${params.allowedValues.map((v) => JSON.stringify(v)).join(', ')}`,
    };
  }
  return { path: error.instancePath, reason: `${field} ${error.message ?? 'does not match the schema'}` };
}
