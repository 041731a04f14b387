import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import {
  createFirmware,
  createModel,
  createProduct,
  cycloneDxJson,
  type Part,
  spdxJson,
  type TestProductHandle,
  uploadSbom,
} from './fixtures.ts';

describe(`component search (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  /** firmware label → id */
  const firmware = new Map<string, string>();

  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
    const { id: camera } = await createProduct(analyst.inject, 'search-camera');
    const { id: lock } = await createProduct(analyst.inject, 'search-lock');
    const { id: cameraModel } = await createModel(analyst.inject, camera, 'cam-a');
    const { id: lockModel } = await createModel(analyst.inject, lock, 'lock-a');
    const images: Array<[string, string, string, Part[]]> = [
      [
        'cam 1.0',
        cameraModel,
        '1.0',
        [{ name: 'openssl', version: '1.1.1w', purl: 'pkg:generic/openssl@1.1.1w' }],
      ],
      [
        'cam 2.0',
        cameraModel,
        '2.0',
        [{ name: 'openssl', version: '3.0.2', purl: 'pkg:generic/openssl@3.0.2?arch=armv7' }],
      ],
      [
        'cam 2.1',
        cameraModel,
        '2.1',
        [{ name: 'openssl', version: '3.0.7', purl: 'pkg:generic/openssl@3.0.7' }],
      ],
      [
        'cam 2.2',
        cameraModel,
        '2.2',
        [{ name: 'openssl', version: '3.0.10', purl: 'pkg:generic/openssl@3.0.10' }],
      ],
      [
        'lock 5.0',
        lockModel,
        'V5.0_build12',
        [
          { name: 'OpenSSL', version: 'v3.0.6', purl: 'pkg:generic/openssl@v3.0.6' },
          { name: 'libcrypto-fork', version: '3.0.1', purl: 'pkg:github/acme/openssl@3.0.1' },
          { name: 'openssl', version: '3.0.0-beta2', purl: 'pkg:generic/openssl@3.0.0-beta2' },
        ],
      ],
      [
        'lock 6.0',
        lockModel,
        'V6.0_build3',
        [{ name: 'busybox', version: '1.36.1', purl: 'pkg:generic/busybox@1.36.1' }],
      ],
    ];
    for (const [label, modelId, version, parts] of images) {
      const { id } = await createFirmware(analyst.inject, modelId, version);
      firmware.set(label, id);
      const body = label === 'cam 2.2' ? spdxJson(parts) : cycloneDxJson(parts);
      const response = await uploadSbom(
        analyst.inject,
        id,
        body,
        label === 'cam 2.2' ? 'application/spdx+json' : 'application/json',
      );
      assert.equal(response.statusCode, 200, response.body);
    }
  });
  after(() => product.stop());

  const search = async (query: Record<string, string>, as: TestSession = analyst) => {
    const response = await as.inject({ url: `/api/v1/components/search?${new URLSearchParams(query)}` });
    return response;
  };
  const labelsOf = (body: { items: Array<{ firmware: { id: string } }> }) =>
    body.items.map((item) => [...firmware].find(([, id]) => id === item.firmware.id)?.[0]);

  it('finds the firmware holding a package in a range, and none outside it', async () => {
    const response = await search({ purl: 'pkg:generic/openssl', range: '< 3.0.7' });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json();
    // 3.0.10 and 3.0.7 are not below 3.0.7; pkg:github/acme/openssl is another package.
    assert.deepEqual(labelsOf(body), ['cam 1.0', 'cam 2.0', 'lock 5.0']);
    assert.equal(body.total, 3);
    assert.deepEqual(body.query, { purlBase: 'pkg:generic/openssl', name: null, range: '< 3.0.7' });
    const lock = body.items[2];
    assert.equal(lock.product.slug, 'search-lock');
    assert.equal(lock.model.slug, 'lock-a');
    assert.equal(lock.firmware.version, 'V5.0_build12');
    assert.deepEqual(
      lock.components.map((c: { version: string }) => c.version),
      ['3.0.0-beta2', 'v3.0.6'],
      'every matching component of the firmware, by version',
    );
  });

  it('honours inclusive bounds, alternatives and exact versions', async () => {
    const cases: Array<[Record<string, string>, string[]]> = [
      [{ purl: 'pkg:generic/openssl', range: '<= 3.0.7' }, ['cam 1.0', 'cam 2.0', 'cam 2.1', 'lock 5.0']],
      [{ purl: 'pkg:generic/openssl', range: '>= 3.0.0, < 3.0.7' }, ['cam 2.0', 'lock 5.0']],
      [{ purl: 'pkg:generic/openssl', range: '> 3.0.7' }, ['cam 2.2']],
      [{ purl: 'pkg:generic/openssl', range: '1.1.1w | >= 3.0.10' }, ['cam 1.0', 'cam 2.2']],
      [{ purl: 'pkg:generic/openssl', range: '= 3.0.7' }, ['cam 2.1']],
      [{ purl: 'pkg:generic/openssl@3.0.2' }, ['cam 2.0']],
      [{ purl: 'pkg:generic/openssl', range: '>= 3.0.0' }, ['cam 2.0', 'cam 2.1', 'cam 2.2', 'lock 5.0']],
      [{ purl: 'pkg:generic/openssl' }, ['cam 1.0', 'cam 2.0', 'cam 2.1', 'cam 2.2', 'lock 5.0']],
      [{ purl: 'pkg:github/acme/openssl', range: '< 3.0.7' }, ['lock 5.0']],
      [{ purl: 'pkg:generic/busybox', range: '< 1.36.1' }, []],
      [{ purl: 'pkg:generic/zlib' }, []],
    ];
    for (const [query, expected] of cases) {
      const response = await search(query);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(labelsOf(response.json()), expected, JSON.stringify(query));
    }
  });

  it('searches by name, whole and in any case', async () => {
    const body = (await search({ name: 'OPENSSL', range: '< 3.0.7' })).json();
    assert.deepEqual(labelsOf(body), ['cam 1.0', 'cam 2.0', 'lock 5.0']);
    const partial = (await search({ name: 'openss' })).json();
    assert.equal(partial.total, 0);
  });

  it('pages the firmware found', async () => {
    const first = (await search({ purl: 'pkg:generic/openssl', limit: '2' })).json();
    const second = (await search({ purl: 'pkg:generic/openssl', limit: '2', offset: '2' })).json();
    const past = (await search({ purl: 'pkg:generic/openssl', limit: '2', offset: '10' })).json();
    assert.deepEqual([...labelsOf(first), ...labelsOf(second)], ['cam 1.0', 'cam 2.0', 'cam 2.1', 'cam 2.2']);
    assert.deepEqual([first.total, second.total, past.total, past.items.length], [5, 5, 5, 0]);
  });

  it('explains a bad query', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'purl'],
      [{ purl: 'pkg:generic/openssl', name: 'openssl' }, 'purl'],
      [{ purl: 'openssl' }, 'purl'],
      [{ purl: 'pkg:generic/openssl', range: '>= banana <' }, 'range'],
      [{ purl: 'pkg:generic/openssl@3.0.2', range: '< 4' }, 'purl'],
      [{ purl: 'pkg:generic/openssl', shoe: '1' }, 'shoe'],
    ];
    for (const [query, field] of cases) {
      const response = await search(query);
      assert.equal(response.statusCode, 400, `${JSON.stringify(query)}: ${response.body}`);
      assert.ok(response.json().fields?.[field], `${JSON.stringify(query)} names ${field}: ${response.body}`);
    }
  });
});
