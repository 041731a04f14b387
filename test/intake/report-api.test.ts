import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sha256Hex } from '../../src/platform/clock.ts';
import { multipartBody } from '../support/multipart.ts';
import { engine, startTestProduct, storedBlobs } from '../support/product.ts';

describe(`POST /api/v1/reports (${engine})`, () => {
  let product: Awaited<ReturnType<typeof startTestProduct>>;
  before(async () => {
    product = await startTestProduct();
  });
  after(() => product.stop());

  const counts = async () => ({
    reports: (
      await product.deps.db
        .selectFrom('reports')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
    attachments: (
      await product.deps.db
        .selectFrom('attachments')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
    jobs: (
      await product.deps.db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
    blobs: storedBlobs(product.dataDir).length,
  });

  it('stores a JSON report verbatim and answers 201 with a tracking id and a status URL', async () => {
    const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)> \u202Egnp.exe';
    const response = await product.app.inject({
      method: 'POST',
      url: '/api/v1/reports',
      payload: {
        title: hostile,
        description: `Overflow in RTSP\n${hostile}`,
        reporterEmail: 'r@example.org',
      },
    });
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.match(body.trackingId, /^VR-\d{4}-\d{4,}$/);
    assert.equal(body.statusUrl, `${product.config.publicUrl}/status/${body.statusToken}`);
    const row = await product.deps.db
      .selectFrom('reports')
      .selectAll()
      .where('tracking_id', '=', body.trackingId)
      .executeTakeFirstOrThrow();
    assert.equal(row.title, hostile);
    assert.equal(row.description, `Overflow in RTSP\n${hostile}`);
    assert.equal(row.status_token_hash, sha256Hex(body.statusToken));
    assert.ok(!JSON.stringify(row).includes(body.statusToken), 'the token itself is not stored');
  });

  it('stores multipart attachments content-addressed by SHA-256 before answering', async () => {
    const pcap = Buffer.from([0xd4, 0xc3, 0xb2, 0xa1, 1, 2, 3, 4]);
    const { payload, headers } = multipartBody([
      { name: 'title', value: 'Replay of unlock command' },
      { name: 'description', value: 'The lock accepts a captured BLE unlock frame again.' },
      { name: 'attachments', filename: '../../etc/capture.pcap', type: 'text/html', content: pcap },
      { name: 'attachments', filename: 'notes.txt', content: 'notes' },
    ]);
    const response = await product.app.inject({ method: 'POST', url: '/api/v1/reports', payload, headers });
    assert.equal(response.statusCode, 201, response.body);
    const files = await product.deps.db
      .selectFrom('attachments')
      .innerJoin('reports', 'reports.id', 'attachments.report_id')
      .select(['file_name', 'sha256', 'size', 'declared_type'])
      .where('reports.tracking_id', '=', response.json().trackingId)
      .orderBy('file_name')
      .execute();
    assert.deepEqual(
      files.map((f) => f.file_name),
      ['capture.pcap', 'notes.txt'],
    );
    const capture = files[0];
    assert.ok(capture);
    assert.equal(capture.sha256, sha256Hex(pcap));
    assert.equal(capture.size, pcap.length);
    assert.deepEqual(fs.readFileSync(product.deps.blobs.pathOf(capture.sha256)), pcap);
  });

  const badInputs: {
    name: string;
    request: () => { payload: unknown; headers?: Record<string, string> };
    status: number;
    field?: string;
  }[] = [
    {
      name: 'a missing title',
      request: () => ({ payload: { description: 'd' } }),
      status: 400,
      field: 'title',
    },
    {
      name: 'a blank title',
      request: () => ({ payload: { title: '   ', description: 'd' } }),
      status: 400,
      field: 'title',
    },
    {
      name: 'a number as description',
      request: () => ({ payload: { title: 't', description: 42 } }),
      status: 400,
      field: 'description',
    },
    {
      name: 'an unknown field',
      request: () => ({ payload: { title: 't', description: 'd', admin: true } }),
      status: 400,
      field: 'admin',
    },
    {
      name: 'an invalid email',
      request: () => ({ payload: { title: 't', description: 'd', reporterEmail: 'not-an-email' } }),
      status: 400,
      field: 'reporterEmail',
    },
    {
      name: 'a filled honeypot',
      request: () => ({ payload: { title: 't', description: 'd', website: 'http://spam' } }),
      status: 400,
      field: 'website',
    },
    {
      name: 'an unknown product',
      request: () => ({
        payload: { title: 't', description: 'd', productId: '00000000-0000-4000-8000-000000000000' },
      }),
      status: 400,
      field: 'productId',
    },
    {
      name: 'an unknown product with an attachment and an address',
      request: () =>
        multipartBody([
          { name: 'title', value: 't' },
          { name: 'description', value: 'd' },
          { name: 'reporterEmail', value: 'r@example.org' },
          { name: 'productId', value: '00000000-0000-4000-8000-000000000000' },
          { name: 'attachments', filename: 'poc.txt', content: 'proof of concept' },
        ]),
      status: 400,
      field: 'productId',
    },
    {
      name: 'a broken CVSS vector',
      request: () => ({ payload: { title: 't', description: 'd', cvssVector: 'CVSS:3.1/AV:N' } }),
      status: 400,
      field: 'cvssVector',
    },
    {
      name: 'a past disclosure date',
      request: () => ({ payload: { title: 't', description: 'd', preferredDisclosureDate: '2001-01-01' } }),
      status: 400,
      field: 'preferredDisclosureDate',
    },
    {
      name: 'an impossible date',
      request: () => ({ payload: { title: 't', description: 'd', preferredDisclosureDate: '2030-02-30' } }),
      status: 400,
      field: 'preferredDisclosureDate',
    },
    {
      name: 'a NUL byte',
      request: () => ({ payload: { title: 't\u0000', description: 'd' } }),
      status: 400,
      field: 'title',
    },
    {
      name: 'malformed JSON',
      request: () => ({ payload: '{"title": ', headers: { 'content-type': 'application/json' } }),
      status: 400,
    },
    {
      name: 'an unsupported content type',
      request: () => ({ payload: 'title=t', headers: { 'content-type': 'text/plain' } }),
      status: 415,
    },
    {
      name: 'a body over the limit',
      request: () => ({ payload: { title: 't', description: 'x'.repeat(1_100_000) } }),
      status: 413,
    },
    {
      name: 'a truncated multipart body',
      request: () => {
        const { payload, headers } = multipartBody([
          { name: 'title', value: 't' },
          { name: 'description', value: 'd' },
        ]);
        return { payload: payload.subarray(0, payload.length - 20), headers };
      },
      status: 400,
    },
    {
      name: 'too many files',
      request: () =>
        multipartBody([
          { name: 'title', value: 't' },
          { name: 'description', value: 'd' },
          ...Array.from({ length: 11 }, (_, i) => ({
            name: 'attachments',
            filename: `f${i}.txt`,
            content: `file ${i}`,
          })),
        ]),
      status: 413,
    },
    {
      name: 'a file in an unknown field',
      request: () =>
        multipartBody([
          { name: 'title', value: 't' },
          { name: 'description', value: 'd' },
          { name: 'evil', filename: 'a', content: 'a' },
        ]),
      status: 400,
      field: 'evil',
    },
  ];

  for (const bad of badInputs) {
    it(`refuses ${bad.name} with a clear ${bad.status} and stores nothing`, async () => {
      const before = await counts();
      const { payload, headers } = bad.request();
      const response = await product.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: payload as string,
        ...(headers ? { headers } : {}),
      });
      assert.equal(response.statusCode, bad.status, response.body);
      const body = response.json();
      assert.equal(typeof body.error, 'string');
      assert.ok(body.message.length > 0);
      if (bad.field) assert.ok(body.fields?.[bad.field], `names the field ${bad.field}: ${response.body}`);
      assert.deepEqual(await counts(), before);
    });
  }

  it('refuses a file over the size limit and the total limit, keeping no part of it', async () => {
    const small = await startTestProduct({
      env: { MAX_ATTACHMENT_BYTES: '1000', MAX_TOTAL_ATTACHMENT_BYTES: '1500' },
    });
    try {
      for (const files of [[2000], [900, 900]]) {
        const { payload, headers } = multipartBody([
          { name: 'title', value: 't' },
          { name: 'description', value: 'd' },
          ...files.map((size, i) => ({
            name: 'attachments',
            filename: `f${i}.bin`,
            content: Buffer.alloc(size, i + 1),
          })),
        ]);
        const response = await small.app.inject({ method: 'POST', url: '/api/v1/reports', payload, headers });
        assert.equal(response.statusCode, 413, response.body);
        assert.match(response.json().message, /too large/i);
      }
      assert.deepEqual(storedBlobs(small.dataDir), []);
      assert.equal(
        fs.readdirSync(`${small.dataDir}/blobs/incoming`).length,
        0,
        'no temporary file is left behind',
      );
    } finally {
      await small.stop();
    }
  });

  it('limits submissions per IP address with a 429', async () => {
    const limited = await startTestProduct({ env: { REPORTS_PER_IP_PER_HOUR: '2' } });
    try {
      const send = () =>
        limited.app.inject({
          method: 'POST',
          url: '/api/v1/reports',
          payload: { title: 't', description: 'd' },
        });
      assert.equal((await send()).statusCode, 201);
      assert.equal((await send()).statusCode, 201);
      const third = await send();
      assert.equal(third.statusCode, 429);
      assert.equal(third.json().error, 'RATE_LIMITED');
    } finally {
      await limited.stop();
    }
  });
});
