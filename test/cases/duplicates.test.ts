import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as openpgp from 'openpgp';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { submitReport, type TestProductHandle } from './fixtures.ts';

type Suggestion = {
  caseId: string;
  number: string;
  title: string;
  state: string;
  score: number;
  reasons: string[];
};

const rtsp = {
  title: 'Stack overflow in RTSP DESCRIBE parser of camera firmware',
  description:
    'Sending an RTSP DESCRIBE request whose Content-Base header is longer than 1024 bytes to port 554 ' +
    'overflows a fixed stack buffer in rtsp_parse_describe of firmware 2.3.1. The camera reboots; with a ' +
    'crafted header the saved return address is overwritten, giving remote code execution without login.',
  stepsToReproduce: 'python3 describe.py --host 192.168.1.20 --content-base-length 2048',
  impact: 'Unauthenticated remote code execution on the camera from the local network.',
};

const paraphrase = {
  title: 'Camera crashes on oversized RTSP DESCRIBE request (stack buffer overflow)',
  description:
    'An over-long Content-Base header in an RTSP DESCRIBE message to TCP 554 smashes the stack in the ' +
    "camera's RTSP parser (firmware 2.3.1). Anyone on the network can crash the device and likely run " +
    'code: the return address is under the attacker’s control.',
};

const blePairing = {
  title: 'Smart lock accepts BLE pairing without PIN confirmation',
  description:
    'The lock uses Bluetooth LE "Just Works" pairing and never asks for the PIN shown in the app. Anyone ' +
    'within radio range can pair a phone while the lock is in setup mode, then replay the unlock command ' +
    'captured from the owner to open the door.',
};

const telnet = {
  title: 'Telnet service enabled with default root password',
  description:
    'Port 23 is open on the camera and accepts root with the password admin. The password cannot be ' +
    'changed from the web interface and survives a factory reset.',
};

describe(`duplicate suggestions (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  let now = new Date('2026-06-01T09:00:00Z');
  /** Moves the clock on; sessions expire meanwhile, so the analyst signs in again. */
  const later = async (days: number) => {
    now = new Date(now.getTime() + days * 24 * 60 * 60 * 1000);
    analyst = await signInAs(product, 'analyst');
  };
  let cameraId: string;
  let lockId: string;
  let rtspCase: { id: string; reportId: string; number: string };
  let bleCase: { id: string; reportId: string; number: string };
  let telnetCase: { id: string; reportId: string; number: string };

  const productId = async (slug: string) =>
    (
      await product.deps.db
        .selectFrom('products')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirstOrThrow()
    ).id;

  const open = async (report: { title: string; [field: string]: string }, productOf: string) => {
    const reportId = await submitReport(product, report.title, { ...report, productId: productOf });
    const response = await analyst.inject({ method: 'POST', url: '/api/v1/cases', payload: { reportId } });
    assert.equal(response.statusCode, 201, response.body);
    return { ...response.json(), reportId } as { id: string; reportId: string; number: string };
  };

  const move = async (caseId: string, to: string, reason?: string) => {
    const response = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${caseId}/transitions`,
      payload: { to, ...(reason ? { reason } : {}) },
    });
    assert.equal(response.statusCode, 200, response.body);
  };

  const similarToReport = async (reportId: string, query = '') => {
    const response = await analyst.inject({ url: `/api/v1/reports/${reportId}/similar-cases${query}` });
    assert.equal(response.statusCode, 200, response.body);
    return response.json().items as Suggestion[];
  };

  before(async () => {
    product = await startTestProduct({ clock: () => now });
    analyst = await signInAs(product, 'analyst');
    cameraId = await productId('c200-camera');
    lockId = await productId('l1-smart-lock');
    rtspCase = await open(rtsp, cameraId);
    bleCase = await open(blePairing, lockId);
    telnetCase = await open(telnet, cameraId);
    await later(1);
  });
  after(() => product.stop());

  it('ranks the case a paraphrased report repeats first, well above unrelated cases', async () => {
    const reportId = await submitReport(product, paraphrase.title, { ...paraphrase, productId: cameraId });
    const items = await similarToReport(reportId);
    assert.equal(items[0]?.caseId, rtspCase.id, JSON.stringify(items, null, 2));
    const best = items[0] as Suggestion;
    assert.equal(best.number, rtspCase.number);
    assert.equal(best.state, 'new');
    assert.ok(best.score > 0.3 && best.score <= 1, `score ${best.score}`);
    for (const other of items.slice(1)) assert.ok(other.score < best.score / 2, JSON.stringify(items));
    assert.ok(best.reasons.includes('Same product'), best.reasons.join(' / '));
    assert.match(best.reasons.join(' / '), /telling words are in .*RTSP/i);
    // The lock case shares at most a stray word with a camera crash.
    const lock = items.find((item) => item.caseId === bleCase.id);
    assert.ok(lock === undefined || lock.score < best.score / 5, JSON.stringify(items));
    // Both engines answer exactly this (same vectors, same trigram similarity, same arithmetic); the
    // telnet and lock cases share no telling word with it and are not even candidates.
    assert.deepEqual(
      items.map((item) => [item.number, item.score]),
      [[rtspCase.number, 0.629]],
    );
    const sorted = [...items].sort((a, b) => b.score - a.score);
    assert.deepEqual(items, sorted);
  });

  it('ranks the lock case first for a paraphrase of the pairing bug', async () => {
    const reportId = await submitReport(product, 'Door lock pairs over Bluetooth LE with no PIN', {
      description:
        'While in setup mode the lock lets any phone in range complete Bluetooth LE pairing; the PIN from ' +
        'the app is never checked, and a recorded unlock command can be replayed.',
      productId: lockId,
    });
    const items = await similarToReport(reportId);
    assert.equal(items[0]?.caseId, bleCase.id, JSON.stringify(items, null, 2));
    assert.ok(
      !items.some((item) => item.caseId === rtspCase.id && item.score >= (items[0] as Suggestion).score),
    );
  });

  it('leaves out the case the report already belongs to', async () => {
    const items = await similarToReport(rtspCase.reportId);
    assert.ok(!items.some((item) => item.caseId === rtspCase.id), JSON.stringify(items));
  });

  it('suggests cases at rest only within 180 days of their last change; cases at work at any age', async () => {
    const restingOne = await open(
      {
        title: 'Hard-coded AWS key in the doorbell companion app',
        description:
          'The Android app ships an AWS access key with write access to the S3 bucket of snapshots.',
      },
      cameraId,
    );
    await move(restingOne.id, 'triage');
    await move(restingOne.id, 'not-a-vulnerability', 'The key is scoped to a honeypot bucket');
    const workingOne = await open(
      {
        title: 'Doorbell companion app logs AWS credentials',
        description: 'Logcat shows the AWS session credentials of the snapshot bucket at every start.',
      },
      cameraId,
    );
    const probe = await submitReport(product, 'AWS access key embedded in the doorbell companion app', {
      description: 'Decompiling the Android companion app reveals an AWS key for the S3 snapshot bucket.',
    });
    const ids = async () => (await similarToReport(probe)).map((item) => item.caseId);
    await later(179);
    assert.ok((await ids()).includes(restingOne.id), 'at rest for 179 days: still suggested');
    assert.ok((await ids()).includes(workingOne.id));
    await later(2);
    const after181 = await ids();
    assert.ok(!after181.includes(restingOne.id), 'at rest for 181 days: no longer suggested');
    assert.ok(after181.includes(workingOne.id), 'a case still at work is suggested whatever its age');
  });

  it('compares an encrypted report by its decrypted description', async () => {
    const armoredKey = (await product.app.inject({ url: '/.well-known/openpgp-key.asc' })).body;
    const encryptionKeys = await openpgp.readKey({ armoredKey });
    const description = await openpgp.encrypt({
      message: await openpgp.createMessage({ text: paraphrase.description }),
      encryptionKeys,
    });
    const reportId = await submitReport(product, 'Remote crash of the indoor camera', {
      description,
      encrypted: true,
    });
    const items = await similarToReport(reportId);
    assert.equal(items[0]?.caseId, rtspCase.id, JSON.stringify(items, null, 2));
    // Words only the encrypted description holds (the title says neither).
    assert.match((items[0] as Suggestion).reasons.join(' / '), /554|Content/);
  });

  it('finds the cases like a case, leaving out the case itself', async () => {
    const second = await open(
      {
        title: 'RTSP server of the camera overflows on a long Content-Base header',
        description: 'DESCRIBE with a 4 KB Content-Base header crashes the RTSP service (stack overflow).',
      },
      cameraId,
    );
    const response = await analyst.inject({ url: `/api/v1/cases/${second.id}/similar-cases?limit=2` });
    assert.equal(response.statusCode, 200, response.body);
    const items = response.json().items as Suggestion[];
    assert.ok(items.length <= 2);
    assert.equal(items[0]?.caseId, rtspCase.id, JSON.stringify(items, null, 2));
    assert.ok(!items.some((item) => item.caseId === second.id));
  });

  it('keeps to the limit asked for and refuses limits out of range and unknown ids', async () => {
    const reportId = await submitReport(product, paraphrase.title, paraphrase);
    assert.equal((await similarToReport(reportId, '?limit=1')).length, 1);
    for (const limit of ['0', '21', 'x']) {
      const response = await analyst.inject({
        url: `/api/v1/reports/${reportId}/similar-cases?limit=${limit}`,
      });
      assert.equal(response.statusCode, 400, `limit ${limit}`);
    }
    const unknown = '00000000-0000-4000-8000-000000000000';
    assert.equal((await analyst.inject({ url: `/api/v1/reports/${unknown}/similar-cases` })).statusCode, 404);
    assert.equal((await analyst.inject({ url: `/api/v1/cases/${unknown}/similar-cases` })).statusCode, 404);
  });

  it('lets auditors read suggestions and keeps suppliers out', async () => {
    const auditor = await signInAs(product, 'auditor');
    const supplier = await signInAs(product, 'supplier');
    const url = `/api/v1/cases/${telnetCase.id}/similar-cases`;
    assert.equal((await auditor.inject({ url })).statusCode, 200);
    assert.equal((await supplier.inject({ url })).statusCode, 403);
  });
});
