import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findJsonSyntaxError, jsonPointerOffset, positionAt } from './json-position.ts';

const SAMPLES = [
  '{}',
  '[]',
  ' {"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]} ',
  '{"a":1,}',
  '{"a" 1}',
  '{a:1}',
  '[1 2]',
  '[1,]',
  '"abc',
  '"a\tb"',
  '"\\x"',
  '"\\u12"',
  '01',
  '-',
  '1.',
  'tru',
  'nul',
  '{"a":1}}',
  '{"a":{"b":[',
  '',
  '   ',
  '{"a":1} x',
];

describe('findJsonSyntaxError', () => {
  it('agrees with JSON.parse on which texts are valid', () => {
    for (const text of SAMPLES) {
      let valid = true;
      try {
        JSON.parse(text);
      } catch {
        valid = false;
      }
      assert.equal(findJsonSyntaxError(text) === null, valid, JSON.stringify(text));
    }
  });

  it('points at the offending character', () => {
    assert.deepEqual(findJsonSyntaxError('{"a":1,}'), {
      offset: 7,
      reason: 'expected a property name in double quotes, found "}"',
    });
    assert.equal(findJsonSyntaxError('[1 2]')?.offset, 3);
    assert.equal(findJsonSyntaxError('{\n  "a": tru\n}')?.offset, 12);
    assert.match(findJsonSyntaxError('{"a":{"b":[')?.reason ?? '', /truncated/);
  });
});

describe('jsonPointerOffset and positionAt', () => {
  const text = '{\n  "a/b": {"~x": [10, {"c": "here"}]},\n  "": 5\n}';

  it('finds the start of the value a pointer names, with escaped segments', () => {
    const offset = jsonPointerOffset(text, '/a~1b/~0x/1/c');
    assert.equal(text.slice(offset ?? 0, (offset ?? 0) + 6), '"here"');
    assert.deepEqual(positionAt(text, offset ?? 0), { line: 2, column: 28 });
    assert.equal(text.charAt(jsonPointerOffset(text, '/') ?? 0), '5');
    assert.equal(jsonPointerOffset(text, ''), 0);
  });

  it('gives null for pointers that name nothing', () => {
    assert.equal(jsonPointerOffset(text, '/missing'), null);
    assert.equal(jsonPointerOffset(text, '/a~1b/~0x/7'), null);
    assert.equal(jsonPointerOffset(text, '/a~1b/~0x/0/deeper'), null);
  });
});
