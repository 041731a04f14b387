import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Invalid } from '../../platform/errors.ts';
import { versionSortKey } from './version-order.ts';
import {
  formatVersionRange,
  parseVersionRange,
  rangeContains,
  rangeToKeyBounds,
  type VersionRange,
} from './version-range.ts';

function reasonOf(text: string): string {
  try {
    parseVersionRange(text);
  } catch (error) {
    assert.ok(error instanceof Invalid, `expected Invalid for ${text}`);
    assert.equal(typeof error.fields.range, 'string');
    assert.match(error.message, /is not valid/);
    return error.fields.range as string;
  }
  assert.fail(`"${text}" was accepted`);
}

const VERSIONS = [
  '0.9',
  '1.0.0',
  '1.1.0',
  '1.2.3',
  'v1.2.3',
  '1.2.3+build.7',
  '1.2.3.0',
  '1.2.3-rc.1',
  '1.2.3.1',
  '1.2.3_build5',
  '1.9.9',
  '2.0',
  '2.0.0-alpha',
  '2.0.0',
  '2.0.1',
  '2.0.1-beta',
  '2.3.99',
  '2.4.0',
  '2.4.1-rc.2',
  '2.4.1',
  'V2.4.1_build0001',
  '2.4.1.1',
  '2.10',
  '3.0.6',
  '3.0.7-rc1',
  '3.0.7',
  '3.0.7+x',
  '3.0.7a',
  '3.0.8',
  '20231105',
  'r123',
  'latest',
  '',
  '4.2a',
  '4.2b',
];

const RANGES = [
  '*',
  '≥ 2.0.0, < 2.4.1',
  '>=2.0.0 <2.4.1',
  '< 3.0.7',
  '<= 3.0.7',
  '> 3.0.7',
  '>= 3.0.7',
  '= 1.2.3',
  '== 1.2.3',
  '1.2.3',
  '1.0.0 | 1.1.0 | >=2.0 <2.1',
  '1.0.0 || > 2.4.1',
  '> 1.2.3, <= 2.0',
  '≥4.2a ≤4.2b',
  '>2.0.0-alpha <2.0.0',
  '> 1.2.3 < 1.2.3.1',
  '>= 2.0 <= 2.0',
];

describe('parseVersionRange', () => {
  it('reads the forms written in advisories', () => {
    const interval = {
      kind: 'interval',
      lower: { version: '2.0.0', inclusive: true },
      upper: { version: '2.4.1', inclusive: false },
    };
    assert.deepEqual(parseVersionRange('≥ 2.0.0, < 2.4.1'), { alternatives: [interval] });
    assert.deepEqual(parseVersionRange('>=2.0.0 <2.4.1'), { alternatives: [interval] });
    assert.deepEqual(parseVersionRange('  >= 2.0.0 ,<  2.4.1 '), { alternatives: [interval] });
    assert.deepEqual(parseVersionRange('< 3.0.7'), {
      alternatives: [{ kind: 'interval', lower: null, upper: { version: '3.0.7', inclusive: false } }],
    });
    assert.deepEqual(parseVersionRange('= 1.2.3'), { alternatives: [{ kind: 'exact', version: '1.2.3' }] });
    assert.deepEqual(parseVersionRange('1.2.3'), { alternatives: [{ kind: 'exact', version: '1.2.3' }] });
    assert.deepEqual(parseVersionRange('*'), {
      alternatives: [{ kind: 'interval', lower: null, upper: null }],
    });
    assert.deepEqual(parseVersionRange('1.0.0 | 1.1.0 | >=2.0 <2.1'), {
      alternatives: [
        { kind: 'exact', version: '1.0.0' },
        { kind: 'exact', version: '1.1.0' },
        {
          kind: 'interval',
          lower: { version: '2.0', inclusive: true },
          upper: { version: '2.1', inclusive: false },
        },
      ],
    });
    assert.deepEqual(parseVersionRange('1.0.0 || 1.1.0'), parseVersionRange('1.0.0 | 1.1.0'));
    assert.deepEqual(parseVersionRange('> 1 ≤ 2'), parseVersionRange('>1,<=2'));
  });

  it('keeps versions with hyphens, underscores, plus signs and tildes whole', () => {
    assert.deepEqual(parseVersionRange('>= 1.0.0-rc.1+b.2, < V2.1.0_build1234~x'), {
      alternatives: [
        {
          kind: 'interval',
          lower: { version: '1.0.0-rc.1+b.2', inclusive: true },
          upper: { version: 'V2.1.0_build1234~x', inclusive: false },
        },
      ],
    });
  });

  it('explains what to change when the text is not a range', () => {
    const cases: [string, RegExp][] = [
      ['', /empty/],
      ['   ', /empty/],
      ['>=', /">=" is not followed by a version/],
      ['>= 1.0, <', /"<" is not followed by a version/],
      ['=> 1.0', /"=>" is not an operator/],
      ['>> 1.0', /">>" is not an operator/],
      ['>= 1.0 >= 1.5', /two lower bounds \("1.0" and "1.5"\)/],
      ['< 1.0 <= 1.5', /two upper bounds/],
      ['1.0 2.0', /exact version .* cannot be combined/],
      ['>= 1.0 1.5', /exact version \("1.5"\) cannot be combined/],
      ['= 1.0 < 2.0', /exact version \("1.0"\) cannot be combined/],
      ['>= 2.0 < 1.0', /no version can be >= 2.0 and < 1.0/],
      ['> 2.0 <= 2.0.0', /no version can be > 2.0 and <= 2.0.0/],
      ['>= 2.0 < 2.0', /no version can be/],
      ['1.0 |', /"\|" at the end/],
      ['| 1.0', /"\|" at the start/],
      ['1.0 | | 2.0', /"\|" in a row/],
      ['1.0 ||| 2.0', /"\|" in a row/],
      ['^1.2', /operator that is not supported/],
      ['~1.2', /operator that is not supported/],
      ['!= 1.2', /operator that is not supported/],
      ['1.0 - 2.0', /"-" is not a version.*>= 1.0, <= 2.0/],
      ['>= 2.x', /wildcard/],
      ['1.2.*', /wildcard/],
      ['* < 2', /"\*" stands alone/],
      ['>= *', /"\*" stands alone/],
      [`>= ${'1.'.repeat(1100)}`, /longer than 2000 characters/],
    ];
    for (const [text, expected] of cases) assert.match(reasonOf(text), expected, text);
  });

  it('names the alternative that is wrong when there are several', () => {
    assert.match(reasonOf('1.0 | >= 3 < 2 | 4.0'), /^in ">= 3 < 2": no version can be/);
  });
});

describe('rangeContains', () => {
  const contains = (range: string, version: string) => rangeContains(parseVersionRange(range), version);

  it('includes and excludes the bounds as written', () => {
    assert.equal(contains('>= 2.0.0, < 2.4.1', '2.0.0'), true);
    assert.equal(contains('>= 2.0.0, < 2.4.1', '2.4.0'), true);
    assert.equal(contains('>= 2.0.0, < 2.4.1', '2.4.1-rc.2'), true);
    assert.equal(contains('>= 2.0.0, < 2.4.1', '2.4.1'), false);
    assert.equal(contains('>= 2.0.0, < 2.4.1', '2.0.0-alpha'), false);
    assert.equal(contains('>= 2.0.0, < 2.4.1', '1.9.9'), false);
    assert.equal(contains('<= 3.0.7', '3.0.7'), true);
    assert.equal(contains('<= 3.0.7', '3.0.7a'), false);
    assert.equal(contains('> 3.0.7', '3.0.7'), false);
    assert.equal(contains('> 3.0.7', '3.0.7_build1'), true);
  });

  it('matches exact versions by precedence: leading v, trailing zeros and build metadata do not matter', () => {
    for (const version of ['1.2.3', 'v1.2.3', '1.2.3.0', '1.2.3+build.7']) {
      assert.equal(contains('= 1.2.3', version), true, version);
    }
    for (const version of ['1.2.3-rc.1', '1.2.3.1', '1.2.3_build5', '1.2.4']) {
      assert.equal(contains('= 1.2.3', version), false, version);
    }
  });

  it('matches any alternative', () => {
    const range = '1.0.0 | 1.1.0 | >=2.0 <2.1';
    assert.deepEqual(
      ['1.0.0', '1.0.1', '1.1.0', '1.9', '2.0', '2.0.9', '2.1'].map((v) => contains(range, v)),
      [true, false, true, false, true, true, false],
    );
    assert.equal(contains('*', 'anything at all'), true);
  });
});

describe('rangeToKeyBounds', () => {
  const inBounds = (bounds: ReturnType<typeof rangeToKeyBounds>, version: string) => {
    const key = versionSortKey(version);
    return bounds.some(
      ({ lower, upper }) =>
        (lower === null || (lower.inclusive ? key >= lower.key : key > lower.key)) &&
        (upper === null || (upper.inclusive ? key <= upper.key : key < upper.key)),
    );
  };

  it('selects exactly the versions rangeContains accepts, for every range and version of a corpus', () => {
    let inside = 0;
    for (const text of RANGES) {
      const range = parseVersionRange(text);
      const bounds = rangeToKeyBounds(range);
      assert.equal(bounds.length, range.alternatives.length);
      for (const version of VERSIONS) {
        const expected = rangeContains(range, version);
        if (expected) inside++;
        assert.equal(inBounds(bounds, version), expected, `${text} contains ${version}`);
      }
    }
    assert.ok(inside > 50, 'the corpus exercises both outcomes');
  });

  it('gives open ends for missing bounds', () => {
    assert.deepEqual(rangeToKeyBounds(parseVersionRange('*')), [{ lower: null, upper: null }]);
    const [only] = rangeToKeyBounds(parseVersionRange('< 3'));
    assert.equal(only?.lower, null);
    assert.ok(only?.upper);
  });
});

describe('formatVersionRange', () => {
  it('writes ASCII operators with one space and reads back to the same range', () => {
    assert.equal(formatVersionRange(parseVersionRange('≥2.0.0,<2.4.1')), '>= 2.0.0, < 2.4.1');
    assert.equal(
      formatVersionRange(parseVersionRange('1.0.0 || 1.1.0|>=2.0   <2.1')),
      '= 1.0.0 | = 1.1.0 | >= 2.0, < 2.1',
    );
    assert.equal(formatVersionRange(parseVersionRange('*')), '*');
    for (const text of RANGES) {
      const range: VersionRange = parseVersionRange(text);
      assert.deepEqual(parseVersionRange(formatVersionRange(range)), range, text);
    }
  });
});
