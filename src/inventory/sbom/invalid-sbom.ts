// The one error an SBOM that cannot be imported turns into: where the first problem is, and what it is.

import { Invalid } from '../../platform/errors.ts';

export type SbomPosition = { line: number; column: number };

export class InvalidSbom extends Invalid {
  /** Line and column (both from 1) of the first problem, when known. */
  readonly position: { line: number; column: number } | null;
  /** JSON pointer (or XML element path) of the first problem, when known. */
  readonly path: string | null;
  readonly reason: string;

  constructor(reason: string, where: { position?: SbomPosition | null; path?: string | null } = {}) {
    const position = where.position ?? null;
    const path = where.path ?? null;
    const located = [
      position === null ? null : `line ${position.line}, column ${position.column}`,
      path === null || path === '' ? null : `at ${path}`,
    ].filter((part) => part !== null);
    const prefix = [position === null ? null : `${position.line}:${position.column}`, path || null]
      .filter((part) => part !== null)
      .join(' ');
    super(
      { sbom: prefix === '' ? reason : `${prefix}: ${reason}` },
      located.length === 0
        ? `The SBOM is not valid: ${reason}`
        : `The SBOM is not valid (${located.join(', ')}): ${reason}`,
    );
    this.position = position;
    this.path = path;
    this.reason = reason;
  }
}
