import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareVersionPrecedence,
  compareVersions,
  versionPrecedenceKey,
  versionSortKey,
} from './version-order.ts';

/** Each list is in strictly increasing order. */
const ASCENDING: string[][] = [
  [
    '1.0.0-alpha',
    '1.0.0-alpha.1',
    '1.0.0-alpha.beta',
    '1.0.0-beta',
    '1.0.0-beta.2',
    '1.0.0-beta.11',
    '1.0.0-rc.1',
    '1.0.0',
    '1.0.1',
  ],
  ['V2.1.0_build1234', 'V2.1.0_build1240', 'V2.1.1_build0007'],
  ['1.2', '1.2.0', '1.2.1', '1.10'],
  ['9', '10', '99', '100', '20231105', '123456789012345678901234567890'],
  ['2023.12.31', '2024.03.01', '2024.3.2', '2024.10.01'],
  ['1.0.0', '1.0.0.4567', '1.0.0.10000', '1.0.1'],
  ['4.2', '4.2a', '4.2b', '4.2z', '4.2.1', '4.3'],
  ['1.0.0', '1.0.0-r9', '1.0.0-r123', '1.0.1-r1'],
  ['r99', 'r123', '0.1'],
  ['3.4', '3.4_build5', '3.4_build12', '3.4.1'],
  ['1.0~rc1', '1.0-alpha', '1.0'],
  ['1.0.0-rc.1', '1.0.0-rc.1+build.5', '1.0.0'],
  ['1.0.0+build.2', '1.0.0+build.10', '1.0.0+build.10.a'],
  ['1.0.0-RC1', '1.0.0-rc2', '1.0.0-RC10'],
  ['1.0.0-SNAPSHOT', '1.0.0', '1.0.0-SP1'],
  ['0.0.1', '0.1', '0.1.1', '1'],
  ['v1.9.9', 'V1.10.0', 'v1.10.1'],
  ['2.0.0-dev', '2.0.0-preview.3', '2.0.0-rc0', '2.0.0'],
];

const ODD = [
  '',
  ' ',
  '0',
  '00',
  '0.0',
  'v',
  'V',
  'v1',
  'version',
  '~',
  '~~1',
  '1~',
  '+',
  '+build',
  '1.0.0+',
  '1..2',
  '1.-2',
  '1_2_3',
  '1-2-3',
  '1.2.3',
  ' 1.2.3 ',
  '01.002.0003',
  '1.2.3-0',
  '1.2.3-0.0',
  '1.2.3-alpha.0',
  '1.2.3-alpha.00',
  '1.2.3-alpha..1',
  '1.2.3-x.7.z.92',
  '1.2.3-beta-2',
  '1.2.3.beta2',
  '1.2.3beta2',
  '1.2.3b2',
  '1.2.3a',
  '1.2.3A',
  '1.2.3-a',
  '1.2.3_a',
  '1.2.3/a',
  '1.2.3 a',
  'ä1.0',
  '1.0ä',
  '1.0é',
  '1.0€',
  '1.0\u0000',
  '1.0\t',
  '1.0"',
  '1.0!',
  '1.0#',
  '1.0}',
  '1.0~',
  '1.0\u007f',
  '18446744073709551616',
  '18446744073709551615',
  '9007199254740993',
  '9007199254740992',
  '1.0.0-rc.9007199254740993',
  '1.0.0-rc.9007199254740992',
  'FW_3.2.1_20240101',
  'FW_3.2.1_20231231',
  'fw-3.2.1',
  'build 1234',
  'Build 99',
  'latest',
  'unknown',
  'release-2024-05',
  '2024-05-release',
  '1.0.0-preview',
  '1.0.0-prerelease',
  '1.0.0-alpha+001',
  '1.0.0+20130313144700',
  '1.0.0-beta+exp.sha.5114f85',
  '1.0.0+21AF26D3----117B344092BD',
  '1.2.3.4.5.6.7.8.9.10',
  'a.b.c',
  'A.B.C',
  'zz',
  'z',
];

const CORPUS = [...new Set([...ASCENDING.flat(), ...ODD, ...randomVersions(120, 7)])];

function randomVersions(count: number, seed: number): string[] {
  let state = seed;
  const next = (n: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 8) % n;
  };
  const pick = (choices: string[]) => choices[next(choices.length)] ?? '';
  const pieces = ['0', '1', '2', '10', '007', 'rc', 'beta', 'b', 'build', 'r', 'x', '~', 'RC', '99999999999'];
  const separators = ['.', '.', '.', '-', '_', '+', ''];
  const versions: string[] = [];
  for (let i = 0; i < count; i++) {
    let version = next(3) === 0 ? 'v' : '';
    const length = 1 + next(6);
    for (let j = 0; j < length; j++) {
      version += (j === 0 ? '' : pick(separators)) + pick(pieces);
    }
    versions.push(version);
  }
  return versions;
}

const sign = (n: number) => Math.sign(n) || 0;
const keyOrder = (a: string, b: string) => {
  const x = versionSortKey(a);
  const y = versionSortKey(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

describe('compareVersions', () => {
  for (const list of ASCENDING) {
    it(`orders ${list.join(' < ')}`, () => {
      for (let i = 0; i < list.length; i++) {
        for (let j = 0; j < list.length; j++) {
          const a = list[i] as string;
          const b = list[j] as string;
          assert.equal(sign(compareVersions(a, b)), sign(i - j), `${a} vs ${b}`);
        }
      }
      const shuffled = [...list].reverse();
      assert.deepEqual(shuffled.sort(compareVersions), list);
    });
  }

  it('treats a leading v, trailing zeros, leading zeros, case and build metadata as the same precedence', () => {
    const same = ['1.2', 'v1.2', 'V1.2.0', '1.2.0.0', '01.02', '1.2+build.7', '1.2.0+'];
    for (const a of same) {
      for (const b of same) assert.equal(compareVersionPrecedence(a, b), 0, `${a} vs ${b}`);
    }
    assert.equal(compareVersionPrecedence('1.0-RC1', '1.0.0-rc1'), 0);
    assert.equal(compareVersionPrecedence('4.2A', '4.2a'), 0);
    assert.notEqual(compareVersionPrecedence('1.2', '1.2.1'), 0);
  });

  it('still gives a total order among versions of equal precedence, and zero only for the same string', () => {
    assert.ok(compareVersions('1.2', '1.2.0') < 0);
    assert.ok(compareVersions('1.2.0+build.9', '1.2.0+build.10') < 0);
    assert.equal(compareVersions(' 1.2 ', '1.2'), 0);
    assert.equal(compareVersions('1.2', '1.2'), 0);
    assert.notEqual(compareVersions('4.2A', '4.2a'), 0);
  });

  it('compares numbers of any length without overflow', () => {
    assert.ok(compareVersions('20231105', '9') > 0);
    assert.ok(compareVersions('18446744073709551616', '18446744073709551615') > 0);
    assert.ok(compareVersions('1.9007199254740993', '1.9007199254740992') > 0);
    assert.ok(compareVersions('1.0000000000000000000000000001', '1.2') < 0);
  });

  it('is antisymmetric over every pair of the corpus', () => {
    for (const a of CORPUS) {
      for (const b of CORPUS) {
        assert.equal(sign(compareVersions(a, b)), sign(-compareVersions(b, a)), `${a} vs ${b}`);
        assert.equal(compareVersions(a, b) === 0, a.trim() === b.trim(), `${a} vs ${b}`);
      }
    }
  });

  it('is transitive: after sorting, every earlier version compares below every later one', () => {
    const sorted = [...CORPUS].sort(compareVersions);
    for (let i = 0; i < sorted.length; i++) {
      for (let j = i + 1; j < sorted.length; j++) {
        const a = sorted[i] as string;
        const b = sorted[j] as string;
        assert.ok(compareVersions(a, b) <= 0, `${a} sorted before ${b} but compares above it`);
      }
    }
  });

  it('is transitive over every triple of a sample', () => {
    const sample = CORPUS.filter((_, i) => i % 3 === 0);
    for (const a of sample) {
      for (const b of sample) {
        if (compareVersions(a, b) > 0) continue;
        for (const c of sample) {
          if (compareVersions(b, c) > 0) continue;
          assert.ok(compareVersions(a, c) <= 0, `${a} <= ${b} <= ${c} but not ${a} <= ${c}`);
        }
      }
    }
  });
});

describe('versionSortKey', () => {
  it('orders exactly as compareVersions over every pair of the corpus', () => {
    for (const a of CORPUS) {
      for (const b of CORPUS) {
        assert.equal(keyOrder(a, b), sign(compareVersions(a, b)), `${a} vs ${b}`);
      }
    }
  });

  it('is printable ASCII for any input, including control characters and non-ASCII text', () => {
    for (const version of CORPUS) {
      assert.match(versionSortKey(version), /^[\x20-\x7e]*$/, JSON.stringify(version));
    }
  });

  it('gives equal keys for equal versions and different keys for different ones', () => {
    assert.equal(versionSortKey('1.2.3'), versionSortKey(' 1.2.3\n'));
    assert.notEqual(versionSortKey('1.2.3'), versionSortKey('v1.2.3'));
  });

  it('starts with the precedence key and "!" for every version of that precedence', () => {
    for (const a of CORPUS) {
      const precedence = versionPrecedenceKey(a);
      for (const b of CORPUS) {
        const sameKeyPrefix = versionSortKey(b).startsWith(`${precedence}!`);
        assert.equal(sameKeyPrefix, compareVersionPrecedence(a, b) === 0, `${a} vs ${b}`);
      }
    }
  });

  it('sorts a corpus in the same order as compareVersions', () => {
    const byComparator = [...CORPUS].sort(compareVersions);
    const byKey = [...CORPUS].sort((a, b) => keyOrder(a, b) || (a < b ? -1 : a > b ? 1 : 0));
    assert.deepEqual(
      byKey.map((v) => v.trim()),
      byComparator.map((v) => v.trim()),
    );
  });
});
