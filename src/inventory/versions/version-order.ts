// Orders firmware and software version strings of any scheme, and turns each into a sort key whose plain
// byte order (SQL `COLLATE "C"`) is the same order, so the database can sort and range-scan versions.
//
// Rules, applied to the version with surrounding whitespace removed:
// 1. A leading `v` or `V` directly before a digit is dropped (`v1.2` = `1.2`).
// 2. Everything after the first `+` is build metadata (semver): it does not change precedence, but
//    breaks ties (see 7).
// 3. The rest is split into runs of digits (numbers) and runs of ASCII letters (words, compared
//    case-insensitively); every other character (`.`, `-`, `_`, space, ...) only separates runs, except `~`.
// 4. Numbers compare numerically at any length (`9` < `10` < `20231105`; `0007` = `7`).
// 5. The first word that is a pre-release marker (alpha, beta, canary, cr, dev, milestone, nightly, pre,
//    prerelease, preview, rc, snapshot), or a `~` as in Debian, starts the pre-release part: a pre-release
//    sorts BEFORE the release it leads to (`1.0.0-rc.1` < `1.0.0`). Any other word is a post-release
//    suffix and sorts AFTER (`1.0.0` < `1.0.0_build7` < `1.0.0-r2` < `4.2a` < `4.2b`).
//    Compared run by run, before the pre-release part:  pre-release marker < end < word < number,
//    and inside the pre-release part (as in semver):    end < number < word.
//    Markers compare with each other alphabetically (alpha < beta < rc), as semver does.
// 6. Zeros just before a word, a marker or the end do not count: `1.2` = `1.2.0` = `1.2.0.0`,
//    `1.0-rc1` = `1.0.0-rc1` in precedence.
// 7. Versions of equal precedence are ordered by their build metadata (compared as in the pre-release
//    part), then by their UTF-8 bytes, so the order is total: compareVersions returns 0 only for
//    versions that are the same string after trimming.
//
// Range checks use precedence (compareVersionPrecedence), so `= 1.2.0` also matches `v1.2`, `1.2.0+b7`.

type Token =
  | { kind: 'number'; digits: string }
  | { kind: 'word'; text: string }
  | { kind: 'marker'; text: string };

const PRE_RELEASE_MARKERS = new Set([
  'alpha',
  'beta',
  'canary',
  'cr',
  'dev',
  'milestone',
  'nightly',
  'pre',
  'prerelease',
  'preview',
  'rc',
  'snapshot',
]);

const RUN = /(\d+)|([A-Za-z]+)|(~)/g;

type SplitVersion = { main: Token[]; build: Token[]; text: string };

function splitVersion(version: string): SplitVersion {
  const text = version.trim();
  const unprefixed = /^[vV]\d/.test(text) ? text.slice(1) : text;
  const plus = unprefixed.indexOf('+');
  const main = plus === -1 ? unprefixed : unprefixed.slice(0, plus);
  const build = plus === -1 ? '' : unprefixed.slice(plus + 1);
  return { main: dropInsignificantZeros(tokenize(main, true)), build: tokenize(build, false), text };
}

function tokenize(part: string, withMarkers: boolean): Token[] {
  const tokens: Token[] = [];
  let inPreRelease = !withMarkers;
  for (const match of part.matchAll(RUN)) {
    const [, digits, letters] = match;
    if (digits !== undefined) {
      tokens.push({ kind: 'number', digits: digits.replace(/^0+(?=\d)/, '') });
    } else if (letters !== undefined) {
      const text = letters.toLowerCase();
      const isMarker = !inPreRelease && PRE_RELEASE_MARKERS.has(text);
      tokens.push({ kind: isMarker ? 'marker' : 'word', text });
      inPreRelease ||= isMarker;
    } else if (!inPreRelease) {
      tokens.push({ kind: 'marker', text: '' });
      inPreRelease = true;
    }
  }
  return tokens;
}

/** Drops runs of zero numbers that are followed by a word, a marker or the end (rule 6). */
function dropInsignificantZeros(tokens: Token[]): Token[] {
  const kept: Token[] = [];
  let zeros: Token[] = [];
  for (const token of tokens) {
    if (token.kind === 'number' && token.digits === '0') {
      zeros.push(token);
    } else {
      if (token.kind === 'number') kept.push(...zeros);
      zeros = [];
      kept.push(token);
    }
  }
  return kept;
}

type Slot = Token | null; // null is the end of the run list

/** Rank of a slot at one position; see rule 5. */
function rank(slot: Slot, inPreRelease: boolean): number {
  if (slot === null) return 1;
  if (slot.kind === 'marker') return 0;
  if (inPreRelease) return slot.kind === 'number' ? 2 : 3;
  return slot.kind === 'word' ? 2 : 3;
}

function compareTokenLists(a: Token[], b: Token[], startsInPreRelease: boolean): number {
  let inPreRelease = startsInPreRelease;
  for (let i = 0; ; i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    const byRank = rank(x, inPreRelease) - rank(y, inPreRelease);
    if (byRank !== 0) return byRank;
    if (x === null || y === null) return 0;
    const byValue = compareSameKind(x, y);
    if (byValue !== 0) return byValue;
    if (x.kind === 'marker') inPreRelease = true;
  }
}

function compareSameKind(x: Token, y: Token): number {
  if (x.kind === 'number' && y.kind === 'number') {
    return x.digits.length - y.digits.length || compareStrings(x.digits, y.digits);
  }
  if (x.kind !== 'number' && y.kind !== 'number') return compareStrings(x.text, y.text);
  throw new Error('compareSameKind called with tokens of different kinds');
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compares by precedence only (rules 1-6): `1.2` = `v1.2.0` = `1.2.0+build5`. */
export function compareVersionPrecedence(a: string, b: string): number {
  return Math.sign(compareTokenLists(splitVersion(a).main, splitVersion(b).main, false));
}

/**
 * Negative, zero or positive, like a sort comparator. A total order: zero only for the same trimmed string.
 * @example ['1.10', '1.2', '1.2.0-rc.1'].sort(compareVersions) // ['1.2.0-rc.1', '1.2', '1.10']
 */
export function compareVersions(a: string, b: string): number {
  const x = splitVersion(a);
  const y = splitVersion(b);
  const order =
    compareTokenLists(x.main, y.main, false) ||
    compareTokenLists(x.build, y.build, true) ||
    Buffer.compare(Buffer.from(x.text, 'utf8'), Buffer.from(y.text, 'utf8'));
  return Math.sign(order);
}

// Sort keys. Each slot is encoded as one rank letter ('B' + rank) followed by its value: a number as a
// length prefix (letter for how many digits the length has, then the length) and its digits; a word as
// its letters and '!', which sorts below every letter. The precedence part ends with the end slot's
// rank letter and then '!' (SECTION_END), so every key of one precedence starts with the precedence key
// followed by '!', and the precedence key + '"' (PRECEDENCE_CEILING) is above all of them.
const SECTION_END = '!';
export const PRECEDENCE_CEILING = '"';

function encodeTokenList(tokens: Token[], startsInPreRelease: boolean): string {
  let inPreRelease = startsInPreRelease;
  let key = '';
  for (const token of tokens) {
    key += String.fromCharCode(0x42 + rank(token, inPreRelease));
    if (token.kind === 'number') {
      const length = String(token.digits.length);
      key += String.fromCharCode(0x61 + length.length - 1) + length + token.digits;
    } else {
      key += `${token.text}!`;
      if (token.kind === 'marker') inPreRelease = true;
    }
  }
  return key + String.fromCharCode(0x42 + rank(null, inPreRelease));
}

/** Maps UTF-8 bytes to ASCII keeping byte order: '#'..'}' stay, lower bytes become '"' + letter, higher '~' + hex. */
function encodeBytes(text: string): string {
  let key = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    if (byte < 0x23) key += `"${String.fromCharCode(0x40 + byte)}`;
    else if (byte > 0x7d) key += `~${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    else key += String.fromCharCode(byte);
  }
  return key;
}

/**
 * The precedence part of the sort key: every version of this precedence has a sort key that starts with
 * it followed by '!'. Range bounds over sort keys are built from it.
 */
export function versionPrecedenceKey(version: string): string {
  return encodeTokenList(splitVersion(version).main, false);
}

/**
 * A string whose plain byte order (SQL `COLLATE "C"`) equals compareVersions order; equal versions give
 * equal keys. ASCII only (no control characters).
 * @example versionSortKey('1.9') < versionSortKey('1.10') // true
 */
export function versionSortKey(version: string): string {
  const { main, build, text } = splitVersion(version);
  return encodeTokenList(main, false) + SECTION_END + encodeTokenList(build, true) + encodeBytes(text);
}
