// Version ranges such as ">= 2.0.0, < 2.4.1 | 3.0.0", as written in advisories and affected-product lists.
//
// Syntax: alternatives are separated by `|` or `||` (OR). Inside one alternative, bounds are separated by
// a comma and/or whitespace (AND): at most one lower bound (`>=`, `≥`, `>`) and one upper bound (`<=`, `≤`,
// `<`), or one exact version (`= 1.2.3`, `== 1.2.3` or a bare `1.2.3`). `*` alone means every version.
// Versions are compared by precedence (see version-order.ts), so `= 1.2.0` matches `v1.2` and `1.2.0+b7`.

import { Invalid } from '../../platform/errors.ts';
import { compareVersionPrecedence, PRECEDENCE_CEILING, versionPrecedenceKey } from './version-order.ts';

export type VersionBound = { readonly version: string; readonly inclusive: boolean };
export type VersionInterval = {
  readonly kind: 'interval';
  /** null: no lower limit. */
  readonly lower: VersionBound | null;
  /** null: no upper limit. */
  readonly upper: VersionBound | null;
};
export type ExactVersion = { readonly kind: 'exact'; readonly version: string };
/** A union (OR) of intervals and exact versions. */
export type VersionRange = { readonly alternatives: readonly (VersionInterval | ExactVersion)[] };

export type KeyBound = { key: string; inclusive: boolean };
export type KeyInterval = { lower: KeyBound | null; upper: KeyBound | null };

const MAX_RANGE_LENGTH = 2000;
const OPERATORS = ['>=', '<=', '==', '≥', '≤', '>', '<', '='] as const;
type Operator = (typeof OPERATORS)[number];
const VERSION_END = /[\s,<>=≥≤|]/;
const EXAMPLE = 'for example ">= 2.0.0, < 2.4.1", "1.2.3 | >= 2.0 < 2.1" or "*"';

function invalid(text: string, reason: string): Invalid {
  return new Invalid({ range: reason }, `Version range "${text}" is not valid: ${reason}`);
}

/**
 * Parses a version range; throws Invalid({ range: reason }) naming what to change.
 * @example parseVersionRange('>= 2.0.0, < 2.4.1 | 3.0.0')
 */
export function parseVersionRange(text: string): VersionRange {
  const trimmed = text.trim();
  if (trimmed === '') throw invalid(text, `the range is empty; write one, ${EXAMPLE}`);
  if (trimmed.length > MAX_RANGE_LENGTH) {
    throw invalid(trimmed.slice(0, 40), `the range is longer than ${MAX_RANGE_LENGTH} characters`);
  }
  const parts = trimmed.split(/\|\|?/);
  const alternatives = parts.map((part, index) => {
    const alternative = part.trim();
    if (alternative === '') {
      const where = index === 0 ? 'at the start' : index === parts.length - 1 ? 'at the end' : 'in a row';
      throw invalid(trimmed, `there is nothing between alternatives (a "|" ${where}); remove it`);
    }
    try {
      return parseAlternative(alternative);
    } catch (error) {
      if (error instanceof RangeReason) {
        const reason = parts.length > 1 ? `in "${alternative}": ${error.message}` : error.message;
        throw invalid(trimmed, reason);
      }
      throw error;
    }
  });
  return { alternatives };
}

type Comparator = { operator: Operator | null; version: string };

/** What is wrong with one alternative; parseVersionRange adds context and turns it into Invalid. */
class RangeReason extends Error {}

/** Parses one alternative; throws RangeReason. */
function parseAlternative(text: string): VersionInterval | ExactVersion {
  if (text === '*') return { kind: 'interval', lower: null, upper: null };
  const comparators = readComparators(text);
  let lower: VersionBound | null = null;
  let upper: VersionBound | null = null;
  let exact: string | null = null;
  for (const { operator, version } of comparators) {
    if (operator === null || operator === '=' || operator === '==') {
      if (exact !== null || lower !== null || upper !== null || comparators.length > 1) {
        throw new RangeReason(
          `an exact version ("${version}") cannot be combined with other versions or bounds; separate alternatives with "|"`,
        );
      }
      exact = version;
    } else if (operator === '>=' || operator === '≥' || operator === '>') {
      if (lower !== null) {
        throw new RangeReason(
          `there are two lower bounds ("${lower.version}" and "${version}"); keep one, or separate alternatives with "|"`,
        );
      }
      lower = { version, inclusive: operator !== '>' };
    } else {
      if (upper !== null) {
        throw new RangeReason(
          `there are two upper bounds ("${upper.version}" and "${version}"); keep one, or separate alternatives with "|"`,
        );
      }
      upper = { version, inclusive: operator !== '<' };
    }
  }
  if (exact !== null) return { kind: 'exact', version: exact };
  if (lower !== null && upper !== null) checkNotEmpty(lower, upper);
  return { kind: 'interval', lower, upper };
}

function checkNotEmpty(lower: VersionBound, upper: VersionBound): void {
  const order = compareVersionPrecedence(lower.version, upper.version);
  if (order > 0 || (order === 0 && !(lower.inclusive && upper.inclusive))) {
    throw new RangeReason(
      `no version can be ${lower.inclusive ? '>=' : '>'} ${lower.version} and ${upper.inclusive ? '<=' : '<'} ${upper.version}; swap or correct the bounds`,
    );
  }
}

function readComparators(text: string): Comparator[] {
  const comparators: Comparator[] = [];
  let at = 0;
  const skipSeparators = () => {
    while (at < text.length && /[\s,]/.test(text.charAt(at))) at++;
  };
  skipSeparators();
  while (at < text.length) {
    const operator = OPERATORS.find((candidate) => text.startsWith(candidate, at)) ?? null;
    if (operator !== null) at += operator.length;
    while (at < text.length && /\s/.test(text.charAt(at))) at++;
    const start = at;
    while (at < text.length && !VERSION_END.test(text.charAt(at))) at++;
    const version = text.slice(start, at);
    checkVersion(version, operator, text.charAt(at));
    comparators.push({ operator, version });
    skipSeparators();
  }
  return comparators;
}

function checkVersion(version: string, operator: Operator | null, next: string): void {
  if (version === '') {
    if (next !== '' && /[<>=≥≤]/.test(next)) {
      throw new RangeReason(`"${operator ?? ''}${next}" is not an operator; use >=, >, <=, <, = (or ≥, ≤)`);
    }
    throw new RangeReason(`"${operator}" is not followed by a version`);
  }
  if (version === '*')
    throw new RangeReason(`"*" stands alone, meaning every version; it cannot be combined with bounds`);
  if (/^[!^~]/.test(version)) {
    throw new RangeReason(
      `"${version}" starts with an operator that is not supported; use >=, >, <=, <, = (or ≥, ≤)`,
    );
  }
  if (!/[0-9A-Za-z]/.test(version)) {
    throw new RangeReason(
      `"${version}" is not a version; a version has at least one digit or letter (for a span write >= 1.0, <= 2.0)`,
    );
  }
  if (/(^|[.\-_])[xX*](?=$|[.\-_])/.test(version)) {
    throw new RangeReason(
      `"${version}" uses a wildcard, which is not supported; write bounds instead, e.g. >= 2.0, < 3.0`,
    );
  }
}

function inLower(lower: VersionBound | null, version: string): boolean {
  if (lower === null) return true;
  const order = compareVersionPrecedence(version, lower.version);
  return lower.inclusive ? order >= 0 : order > 0;
}

function inUpper(upper: VersionBound | null, version: string): boolean {
  if (upper === null) return true;
  const order = compareVersionPrecedence(version, upper.version);
  return upper.inclusive ? order <= 0 : order < 0;
}

/** True when the version matches any alternative of the range (compared by precedence). */
export function rangeContains(range: VersionRange, version: string): boolean {
  return range.alternatives.some((alternative) =>
    alternative.kind === 'exact'
      ? compareVersionPrecedence(version, alternative.version) === 0
      : inLower(alternative.lower, version) && inUpper(alternative.upper, version),
  );
}

/**
 * For SQL: each alternative as bounds over versionSortKey, so a btree index on the key answers range
 * queries: `key >= lower.key` (or `>` when not inclusive) AND `key <= upper.key` (or `<`), OR-ed over
 * the alternatives. Bounds are keys, not versions: every sort key of one precedence P starts with
 * "P!", so "P" is below all of them and 'P"' above all of them.
 */
export function rangeToKeyBounds(range: VersionRange): KeyInterval[] {
  return range.alternatives.map((alternative) => {
    if (alternative.kind === 'exact') {
      const precedence = versionPrecedenceKey(alternative.version);
      return {
        lower: { key: precedence, inclusive: true },
        upper: { key: precedence + PRECEDENCE_CEILING, inclusive: false },
      };
    }
    const { lower, upper } = alternative;
    return {
      lower:
        lower === null
          ? null
          : lower.inclusive
            ? { key: versionPrecedenceKey(lower.version), inclusive: true }
            : { key: versionPrecedenceKey(lower.version) + PRECEDENCE_CEILING, inclusive: false },
      upper:
        upper === null
          ? null
          : upper.inclusive
            ? { key: versionPrecedenceKey(upper.version) + PRECEDENCE_CEILING, inclusive: false }
            : { key: versionPrecedenceKey(upper.version), inclusive: false },
    };
  });
}

/**
 * The canonical text of a range; parseVersionRange reads it back to an equal range.
 * @example formatVersionRange(parseVersionRange('≥2.0.0,<2.4.1')) // '>= 2.0.0, < 2.4.1'
 */
export function formatVersionRange(range: VersionRange): string {
  return range.alternatives
    .map((alternative) => {
      if (alternative.kind === 'exact') return `= ${alternative.version}`;
      const { lower, upper } = alternative;
      const bounds = [
        lower === null ? null : `${lower.inclusive ? '>=' : '>'} ${lower.version}`,
        upper === null ? null : `${upper.inclusive ? '<=' : '<'} ${upper.version}`,
      ].filter((bound) => bound !== null);
      return bounds.length === 0 ? '*' : bounds.join(', ');
    })
    .join(' | ');
}
