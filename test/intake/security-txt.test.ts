import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import { savePolicy } from '../../src/intake/policy-settings.ts';
import { engine, startTestProduct } from '../support/product.ts';

type TestProduct = Awaited<ReturnType<typeof startTestProduct>>;

const DAY = 86_400_000;
const PUBLIC_URL = 'https://psirt.example.test';
const env = {
  PUBLIC_URL,
  SECURITY_EMAIL: 'psirt@devices.example.test',
  PREFERRED_LANGUAGES: 'en,de-AT',
  SECURITY_TXT_EXPIRES_DAYS: '30',
};

/** Reads security.txt as RFC 9116 section 4 describes it: fields, comments and blank lines only. */
function parseSecurityTxt(text: string): Map<string, string[]> {
  const fields = new Map<string, string[]>();
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z0-9-]+): (\S.*)$/.exec(line);
    assert.ok(match, `line is neither a field, a comment nor blank: ${JSON.stringify(line)}`);
    const [, name = '', value = ''] = match;
    const key = name.toLowerCase();
    fields.set(key, [...(fields.get(key) ?? []), value]);
  }
  return fields;
}

function only(fields: Map<string, string[]>, name: string): string {
  const values = fields.get(name.toLowerCase()) ?? [];
  assert.equal(values.length, 1, `${name} appears exactly once (found ${JSON.stringify(values)})`);
  return values[0] ?? '';
}

function expiresOf(fields: Map<string, string[]>): Date {
  const value = only(fields, 'Expires');
  assert.match(
    value,
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/,
    'ISO 8601 date-time',
  );
  return new Date(value);
}

async function fetchText(product: TestProduct, url: string) {
  const response = await product.app.inject({ method: 'GET', url });
  assert.equal(response.statusCode, 200, `${url}: ${response.body}`);
  assert.equal(response.headers['content-type'], 'text/plain; charset=utf-8');
  return response.body;
}

async function publishedKey(product: TestProduct) {
  const response = await product.app.inject({ method: 'GET', url: '/.well-known/openpgp-key.asc' });
  assert.equal(response.statusCode, 200);
  return openpgp.readKey({ armoredKey: response.body });
}

/** Verifies the cleartext signature against the published key and returns the signed text. */
async function verifiedText(product: TestProduct, body: string): Promise<string> {
  assert.ok(body.startsWith('-----BEGIN PGP SIGNED MESSAGE-----\n'), 'a cleartext-signed message');
  const message = await openpgp.readCleartextMessage({ cleartextMessage: body });
  const key = await publishedKey(product);
  const { data, signatures } = await openpgp.verify({ message, verificationKeys: key, expectSigned: true });
  assert.equal(signatures.length, 1);
  assert.equal(signatures[0]?.keyID.toHex(), key.getKeyID().toHex());
  return data;
}

/** Asks the app for a field's URL, which must point at this server's public URL. */
async function assertAnswers(product: TestProduct, value: string) {
  const url = new URL(value);
  assert.equal(url.origin, PUBLIC_URL, `${value} is on the public URL`);
  const response = await product.app.inject({ method: 'GET', url: url.pathname });
  assert.equal(response.statusCode, 200, `${value} answers 200`);
}

describe(`security.txt (${engine})`, () => {
  let now = new Date('2026-03-01T10:00:00Z');
  let product: TestProduct;
  before(async () => {
    product = await startTestProduct({ env, clock: () => now });
  });
  after(() => product.stop());

  it('is signed with the key published at /.well-known/openpgp-key.asc', async () => {
    const body = await fetchText(product, '/.well-known/security.txt');
    const text = await verifiedText(product, body);
    // openpgp.js writes the signed lines with CRLF (RFC 9116 allows CR LF or LF per line) and
    // hands back the verified text with LF.
    assert.ok(body.replaceAll('\r\n', '\n').includes(text), 'the signed text is what the file shows');
    assert.match(text, /^Canonical: /m, 'the Canonical field is inside the signed part');
  });

  it('fails verification when the signed text is changed, so the check above means something', async () => {
    const body = await fetchText(product, '/.well-known/security.txt');
    const forged = body.replace(`mailto:${env.SECURITY_EMAIL}`, 'mailto:attacker@evil.example');
    assert.notEqual(forged, body);
    await assert.rejects(verifiedText(product, forged));
  });

  it('lists every RFC 9116 field with the configured values', async () => {
    const fields = parseSecurityTxt(await verifiedText(product, await fetchText(product, '/security.txt')));
    assert.deepEqual(fields.get('contact'), [`${PUBLIC_URL}/report`, `mailto:${env.SECURITY_EMAIL}`]);
    assert.equal(only(fields, 'Encryption'), `${PUBLIC_URL}/.well-known/openpgp-key.asc`);
    assert.equal(only(fields, 'Acknowledgments'), `${PUBLIC_URL}/acknowledgments`);
    assert.equal(only(fields, 'Policy'), `${PUBLIC_URL}/policy`);
    assert.equal(only(fields, 'Preferred-Languages'), 'en, de-AT');
    assert.equal(only(fields, 'Canonical'), `${PUBLIC_URL}/.well-known/security.txt`);
    const expires = expiresOf(fields);
    assert.ok(expires > now, 'Expires lies in the future');
    assert.ok(
      expires.getTime() - now.getTime() <= 31 * DAY,
      'no more than SECURITY_TXT_EXPIRES_DAYS+1 ahead',
    );
    assert.ok(expires.getTime() - now.getTime() > 29 * DAY, 'about SECURITY_TXT_EXPIRES_DAYS ahead');
    assert.deepEqual([...fields.keys()].sort(), [
      'acknowledgments',
      'canonical',
      'contact',
      'encryption',
      'expires',
      'policy',
      'preferred-languages',
    ]);
  });

  it('points every URL field at a page this server answers with 200', async () => {
    const fields = parseSecurityTxt(await verifiedText(product, await fetchText(product, '/security.txt')));
    const urls = ['contact', 'encryption', 'acknowledgments', 'policy', 'canonical'].flatMap(
      (name) => fields.get(name) ?? [],
    );
    assert.equal(urls.length, 6);
    for (const value of urls) {
      if (value.startsWith('mailto:')) continue;
      await assertAnswers(product, value);
    }
  });

  it('serves the same file at /security.txt as at /.well-known/security.txt', async () => {
    const wellKnown = await fetchText(product, '/.well-known/security.txt');
    const legacy = await fetchText(product, '/security.txt');
    assert.equal(
      await verifiedText(product, legacy),
      await verifiedText(product, wellKnown),
      'the same signed text',
    );
  });

  it('renews Expires as days pass, so it is never in the past', async () => {
    const start = now;
    const seen: Date[] = [];
    try {
      for (const offsetMs of [
        0,
        13 * 3_600_000 + 59 * 60_000 + 59_999,
        14 * 3_600_000,
        3 * DAY,
        29 * DAY,
        400 * DAY,
      ]) {
        now = new Date(start.getTime() + offsetMs);
        const fields = parseSecurityTxt(
          await verifiedText(product, await fetchText(product, '/security.txt')),
        );
        const expires = expiresOf(fields);
        assert.ok(expires > now, `at ${now.toISOString()} Expires ${expires.toISOString()} is ahead`);
        assert.ok(expires.getTime() - now.getTime() <= 31 * DAY, `at ${now.toISOString()} not too far ahead`);
        seen.push(expires);
      }
    } finally {
      now = start;
    }
    for (let i = 1; i < seen.length; i++) {
      assert.ok((seen[i] as Date) >= (seen[i - 1] as Date), 'Expires never moves back');
    }
    assert.ok((seen.at(-1) as Date) > (seen[0] as Date), 'Expires moves forward with the calendar');
  });

  it('names an external acknowledgments page when the policy sets one', async () => {
    await savePolicy(product.deps.db, { acknowledgmentsUrl: 'https://hall.example.test/fame' }, now);
    try {
      const fields = parseSecurityTxt(await verifiedText(product, await fetchText(product, '/security.txt')));
      assert.equal(only(fields, 'Acknowledgments'), 'https://hall.example.test/fame');
    } finally {
      await savePolicy(product.deps.db, { acknowledgmentsUrl: null }, now);
    }
  });
});

describe(`security.txt without a signature (${engine})`, () => {
  let product: TestProduct;
  before(async () => {
    product = await startTestProduct({ env: { ...env, SECURITY_TXT_SIGNED: 'false' } });
  });
  after(() => product.stop());

  it('is plain text with the same fields when SECURITY_TXT_SIGNED=false', async () => {
    const body = await fetchText(product, '/.well-known/security.txt');
    assert.ok(!body.includes('-----BEGIN PGP'), 'no OpenPGP armor');
    const fields = parseSecurityTxt(body);
    assert.deepEqual(fields.get('contact'), [`${PUBLIC_URL}/report`, `mailto:${env.SECURITY_EMAIL}`]);
    assert.equal(only(fields, 'Encryption'), `${PUBLIC_URL}/.well-known/openpgp-key.asc`);
    assert.equal(only(fields, 'Policy'), `${PUBLIC_URL}/policy`);
    assert.equal(only(fields, 'Preferred-Languages'), 'en, de-AT');
    assert.equal(only(fields, 'Canonical'), `${PUBLIC_URL}/.well-known/security.txt`);
    const expires = expiresOf(fields);
    assert.ok(expires.getTime() > Date.now() && expires.getTime() - Date.now() <= 31 * DAY);
    assert.equal(await fetchText(product, '/security.txt'), body);
  });
});
