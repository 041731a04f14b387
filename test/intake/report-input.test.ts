import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { limits, PGP_ARMOR_HEADER, parseReportInput, type RawReport } from '../../src/intake/report-input.ts';
import { Invalid } from '../../src/platform/errors.ts';

const PRODUCT = '6f1c2b8e-3d4a-4b5c-9e7f-0a1b2c3d4e5f';
const options = { today: '2026-11-25' };
const minimal = { title: 'Hardcoded root password', description: 'Telnet accepts root:admin.' };

const parse = (raw: RawReport) => parseReportInput(raw, options);

/** The reasons given per field when the input is refused. */
function refusal(raw: RawReport): Record<string, string> {
  try {
    parse(raw);
  } catch (error) {
    assert.ok(error instanceof Invalid, String(error));
    return error.fields;
  }
  assert.fail(`expected ${JSON.stringify(raw).slice(0, 200)} to be refused`);
}

describe('parseReportInput', () => {
  it('accepts a title and a description alone, anonymous and unencrypted', () => {
    assert.deepEqual(parse(minimal), {
      title: 'Hardcoded root password',
      productId: null,
      productName: null,
      version: null,
      description: 'Telnet accepts root:admin.',
      encrypted: false,
      stepsToReproduce: null,
      impact: null,
      cvssVector: null,
      reporterName: null,
      reporterEmail: null,
      credit: 'anonymous',
      creditName: null,
      preferredDisclosureDate: null,
    });
  });

  it('trims text and treats empty and blank optional fields as absent', () => {
    const input = parse({ ...minimal, title: '  padded  ', version: '', impact: '   ', reporterName: null });
    assert.equal(input.title, 'padded');
    assert.equal(input.version, null);
    assert.equal(input.impact, null);
    assert.equal(input.reporterName, null);
  });

  it('requires a title and a description', () => {
    assert.deepEqual(refusal({ title: '  ', description: '' }), {
      title: 'is required',
      description: 'is required',
    });
  });

  it('refuses values that are not text, and NUL characters', () => {
    assert.deepEqual(refusal({ ...minimal, title: 42, version: ['1'], impact: 'a\0b' }), {
      title: 'must be text',
      version: 'must be text',
      impact: 'must not contain NUL characters',
    });
  });

  describe('credit', () => {
    it('credits a reporter who gives a name, by that name', () => {
      const input = parse({ ...minimal, reporterName: 'Ada' });
      assert.equal(input.credit, 'named');
      assert.equal(input.creditName, 'Ada');
    });

    it('prefers the credit name to the reporter name', () => {
      const input = parse({ ...minimal, reporterName: 'Ada', creditName: 'Team Lovelace' });
      assert.equal(input.credit, 'named');
      assert.equal(input.creditName, 'Team Lovelace');
    });

    it('stays anonymous when asked to, even with a name given, and keeps no credit name', () => {
      const input = parse({ ...minimal, reporterName: 'Ada', creditName: 'Ada L.', credit: 'anonymous' });
      assert.equal(input.credit, 'anonymous');
      assert.equal(input.creditName, null);
      assert.equal(input.reporterName, 'Ada', 'the name is still known to the team');
    });

    it('needs a name to credit when named credit is chosen', () => {
      assert.deepEqual(refusal({ ...minimal, credit: 'named' }), {
        creditName: 'give the name to credit, or choose to stay anonymous',
      });
    });

    it('refuses any other credit choice', () => {
      assert.deepEqual(refusal({ ...minimal, credit: 'famous' }), {
        credit: 'must be "named" or "anonymous"',
      });
    });
  });

  describe('product', () => {
    it('accepts a listed product id in any letter case and stores it in lower case', () => {
      assert.equal(parse({ ...minimal, productId: PRODUCT.toUpperCase() }).productId, PRODUCT);
    });

    it('takes "other" as no listed product, with the product named in free text', () => {
      const input = parse({ ...minimal, productId: 'other', productName: 'Garage door opener G7' });
      assert.equal(input.productId, null);
      assert.equal(input.productName, 'Garage door opener G7');
    });

    it('refuses a malformed product id with a hint (an unknown one is refused by the insert)', () => {
      for (const productId of ["1' or '1'='1", '00000000-0000-4000-8000', 'other-product']) {
        assert.match(refusal({ ...minimal, productId }).productId ?? '', /not one of the listed products/);
      }
    });
  });

  describe('preferred disclosure date', () => {
    it('accepts today and later dates', () => {
      assert.equal(
        parse({ ...minimal, preferredDisclosureDate: '2026-11-25' }).preferredDisclosureDate,
        '2026-11-25',
      );
      assert.equal(
        parse({ ...minimal, preferredDisclosureDate: '2028-02-29' }).preferredDisclosureDate,
        '2028-02-29',
      );
    });

    it('refuses a past date', () => {
      assert.deepEqual(refusal({ ...minimal, preferredDisclosureDate: '2026-11-24' }), {
        preferredDisclosureDate: 'must not be in the past',
      });
    });

    it('refuses impossible and differently written dates', () => {
      for (const date of ['2027-02-29', '2027-13-01', '2027-04-31', '31.03.2027', '2027-3-31', 'tomorrow']) {
        assert.deepEqual(
          refusal({ ...minimal, preferredDisclosureDate: date }),
          { preferredDisclosureDate: 'must be a date like 2027-03-31' },
          date,
        );
      }
    });
  });

  describe('encryption', () => {
    const armored = `${PGP_ARMOR_HEADER}\n\nwV4D...\n-----END PGP MESSAGE-----\n`;

    it('recognises an armored OpenPGP message without the flag', () => {
      assert.equal(parse({ ...minimal, description: armored }).encrypted, true);
      assert.equal(parse({ ...minimal, description: `\n  ${armored}` }).encrypted, true);
    });

    it('keeps an armored message exactly as sent, trailing newline included', () => {
      assert.equal(parse({ ...minimal, description: armored }).description, armored);
    });

    it('takes the flag as a boolean or as form text', () => {
      for (const flag of [true, 'true', 'on', '1'])
        assert.equal(parse({ ...minimal, encrypted: flag }).encrypted, true);
      for (const flag of [false, 'false', '', undefined]) {
        assert.equal(parse({ ...minimal, encrypted: flag }).encrypted, false, String(flag));
      }
    });

    it('refuses a flag that is neither true nor false', () => {
      assert.deepEqual(refusal({ ...minimal, encrypted: 'perhaps' }), { encrypted: 'must be true or false' });
    });

    it('does not take a message that merely quotes the armor header for ciphertext', () => {
      assert.equal(parse({ ...minimal, description: `See this: ${PGP_ARMOR_HEADER}` }).encrypted, false);
    });
  });

  describe('length limits', () => {
    const cases: [keyof RawReport, number][] = [
      ['title', limits.title],
      ['description', limits.description],
      ['stepsToReproduce', limits.longText],
      ['impact', limits.longText],
      ['productName', limits.short],
      ['reporterName', limits.short],
      ['creditName', limits.short],
      ['version', limits.version],
    ];
    for (const [field, max] of cases) {
      it(`accepts ${max} characters of ${field} and refuses one more, saying how many it has`, () => {
        assert.equal(parse({ ...minimal, [field]: 'x'.repeat(max) })[field as 'title'], 'x'.repeat(max));
        assert.deepEqual(refusal({ ...minimal, [field]: 'x'.repeat(max + 1) }), {
          [field]: `must be at most ${max} characters (it has ${max + 1})`,
        });
      });
    }

    it('counts the limit after trimming', () => {
      assert.equal(parse({ ...minimal, title: ` ${'x'.repeat(limits.title)} ` }).title.length, limits.title);
    });
  });

  it('refuses a bad email address, a broken CVSS vector and a filled honeypot together', () => {
    const fields = refusal({
      ...minimal,
      reporterEmail: 'ada at example.org',
      cvssVector: 'CVSS:3.1/AV:N',
      website: 'https://spam.example',
    });
    assert.deepEqual(Object.keys(fields).sort(), ['cvssVector', 'reporterEmail', 'website']);
    assert.match(fields.reporterEmail ?? '', /not a valid email address/);
    assert.match(fields.website ?? '', /must be left empty/);
  });

  it('accepts a valid email address and CVSS vector', () => {
    const input = parse({
      ...minimal,
      reporterEmail: 'ada@example.org',
      cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    });
    assert.equal(input.reporterEmail, 'ada@example.org');
    assert.equal(input.cvssVector, 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H');
  });
});
