import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it } from 'node:test';
import { flagName, settings } from '../../src/config.ts';
import { redactTokens } from '../../src/server.ts';

describe('user documentation', () => {
  const readme = fs.readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

  it('lists every configuration setting with its flag in the README table', () => {
    for (const setting of settings) {
      assert.ok(
        readme.includes(`| \`${setting.env}\` | \`${flagName(setting)}\` |`),
        `README misses ${setting.env}`,
      );
    }
  });

  it('names the two commands that start and test the product', () => {
    assert.match(readme, /npm ci && npm start/);
    assert.match(readme, /npm test/);
  });

  it('keeps capability tokens out of logged URLs', () => {
    assert.equal(redactTokens('/status/abcDEF_-123/replies?x=1'), '/status/[redacted]/replies?x=1');
    assert.equal(redactTokens('/api/v1/reports/status/abc'), '/api/v1/reports/status/[redacted]');
  });
});
