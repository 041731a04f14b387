import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TooLarge, UnsupportedMediaType } from '../../platform/errors.ts';
import { InvalidSbom } from './invalid-sbom.ts';
import { parseSbom } from './parse-sbom.ts';
import { checkCycloneDxXml } from './xml-schema-check.ts';

const CDX_JSON = 'application/vnd.cyclonedx+json';

function cyclonedxJson(specVersion: string, components: unknown[], extra: object = {}): string {
  return JSON.stringify(
    {
      bomFormat: 'CycloneDX',
      specVersion,
      serialNumber: 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79',
      version: 1,
      components,
      ...extra,
    },
    null,
    2,
  );
}

const NESTED = [
  {
    type: 'firmware',
    name: 'doorbell-firmware',
    version: 'V2.1.0_build1234',
    'bom-ref': 'fw',
    supplier: { name: 'Acme Devices' },
    hashes: [{ alg: 'SHA-256', content: 'a'.repeat(64) }],
    licenses: [{ license: { id: 'Apache-2.0' } }, { license: { name: 'Acme EULA' } }],
    components: [
      {
        type: 'library',
        name: 'openssl',
        version: '3.0.7',
        purl: 'pkg:generic/openssl@3.0.7?download_url=https://example.com',
        licenses: [{ expression: 'Apache-2.0 OR MIT' }],
        components: [
          { type: 'library', name: 'zlib', version: '1.2.13', purl: 'pkg:github/Madler/ZLib@v1.2.13' },
        ],
      },
    ],
  },
  { type: 'library', name: 'busybox', purl: 'pkg:deb/debian/BusyBox@1.35?arch=armhf' },
];

async function rejection(promise: Promise<unknown>): Promise<InvalidSbom> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof InvalidSbom, `expected InvalidSbom, got ${error}`);
    return error;
  }
  assert.fail('the SBOM was accepted');
}

describe('parseSbom: CycloneDX JSON', () => {
  for (const specVersion of ['1.4', '1.5', '1.6']) {
    it(`reads nested components, licences, hashes, supplier and purl of a ${specVersion} BOM`, async () => {
      const sbom = await parseSbom(Buffer.from(cyclonedxJson(specVersion, NESTED)), {
        contentType: CDX_JSON,
      });
      assert.equal(sbom.format, 'cyclonedx-json');
      assert.equal(sbom.specVersion, specVersion);
      assert.equal(sbom.serialNumber, 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79');
      assert.deepEqual(
        sbom.components.map((c) => c.name),
        ['doorbell-firmware', 'openssl', 'zlib', 'busybox'],
      );
      assert.deepEqual(sbom.components[0], {
        name: 'doorbell-firmware',
        version: 'V2.1.0_build1234',
        purl: null,
        purlBase: null,
        supplier: 'Acme Devices',
        licences: ['Apache-2.0', 'Acme EULA'],
        hashes: [{ alg: 'SHA-256', value: 'a'.repeat(64) }],
        ref: 'fw',
      });
      assert.deepEqual(sbom.components[1]?.licences, ['Apache-2.0 OR MIT']);
      assert.equal(sbom.components[1]?.purlBase, 'pkg:generic/openssl');
      assert.equal(sbom.components[2]?.purlBase, 'pkg:github/madler/zlib');
      assert.equal(sbom.components[3]?.version, null);
      assert.equal(sbom.components[3]?.purlBase, 'pkg:deb/debian/busybox');
    });
  }

  it('sniffs CycloneDX from generic or missing content types', async () => {
    for (const contentType of ['application/json', 'application/json; charset=utf-8', undefined]) {
      const sbom = await parseSbom(Buffer.from(cyclonedxJson('1.5', NESTED)), { contentType });
      assert.equal(sbom.format, 'cyclonedx-json');
    }
  });

  it('accepts a UTF-8 byte order mark', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(cyclonedxJson('1.6', []))]);
    assert.equal((await parseSbom(bytes, {})).components.length, 0);
  });

  it('gives line and column of a JSON syntax error in a truncated file', async () => {
    const text = cyclonedxJson('1.5', NESTED);
    const error = await rejection(parseSbom(Buffer.from(text.slice(0, 200)), { contentType: CDX_JSON }));
    const lines = text.slice(0, 200).split('\n');
    assert.deepEqual(error.position, { line: lines.length, column: (lines.at(-1)?.length ?? 0) + 1 });
    assert.match(error.reason, /invalid JSON: the text ends /);
    assert.match(error.message, new RegExp(`line ${lines.length}, column`));
    assert.equal(error.fields.sbom, `${lines.length}:${error.position?.column}: ${error.reason}`);
  });

  it('gives line and column of a misplaced character', async () => {
    const text = '{\n  "bomFormat": "CycloneDX",\n  "specVersion": "1.5"\n  "version": 1\n}';
    const error = await rejection(parseSbom(Buffer.from(text), {}));
    assert.deepEqual(error.position, { line: 4, column: 3 });
    assert.match(error.reason, /expected "," or "}", found """/);
  });

  it('gives the JSON pointer and position of a field of the wrong type', async () => {
    const components = structuredClone(NESTED);
    (components[0]?.components?.[0] as { version: unknown }).version = 307;
    const text = cyclonedxJson('1.6', components);
    const error = await rejection(parseSbom(Buffer.from(text), {}));
    assert.equal(error.path, '/components/0/components/0/version');
    assert.match(error.reason, /must be string/);
    const line = text.split('\n').findIndex((l) => l.includes('"version": 307')) + 1;
    assert.equal(error.position?.line, line);
    assert.equal(error.position?.column, (text.split('\n')[line - 1]?.indexOf('307') ?? 0) + 1);
  });

  it('names a missing required property and an unknown one', async () => {
    const missing = await rejection(parseSbom(Buffer.from(cyclonedxJson('1.6', [{ name: 'x' }])), {}));
    assert.equal(missing.path, '/components/0');
    assert.match(missing.reason, /missing the required property "type"/);
    const unknown = await rejection(parseSbom(Buffer.from(cyclonedxJson('1.4', [], { extraField: 1 })), {}));
    assert.equal(unknown.path, '/extraField');
    assert.match(unknown.reason, /property the schema does not allow: "extraField"/);
  });

  it('refuses spec versions other than 1.4, 1.5 and 1.6 by name', async () => {
    for (const version of ['1.3', '1.7', '2.0']) {
      const error = await rejection(parseSbom(Buffer.from(cyclonedxJson(version, [])), {}));
      assert.equal(error.path, '/specVersion');
      assert.equal(error.position?.line, 3);
      assert.match(
        error.reason,
        new RegExp(`CycloneDX ${version.replace('.', '\\.')} is not supported.*1\\.4, 1\\.5, 1\\.6`),
      );
    }
  });

  it('refuses JSON that is neither CycloneDX nor SPDX, and a content type that does not match', async () => {
    assert.match(
      (await rejection(parseSbom(Buffer.from('{"a":1}'), {}))).reason,
      /neither CycloneDX.*nor SPDX/,
    );
    const spdxAsCdx = await rejection(parseSbom(Buffer.from(spdxDocument([])), { contentType: CDX_JSON }));
    assert.match(spdxAsCdx.reason, /content type says cyclonedx-json, but the document is spdx-json/);
    const xmlAsJson = await rejection(parseSbom(Buffer.from('<bom/>'), { contentType: CDX_JSON }));
    assert.match(xmlAsJson.reason, /says JSON, but the file is XML/);
  });

  it('refuses content types that are not SBOM formats', async () => {
    await assert.rejects(parseSbom(Buffer.from('{}'), { contentType: 'text/spdx' }), UnsupportedMediaType);
    await assert.rejects(parseSbom(Buffer.from('{}'), { contentType: 'image/png' }), UnsupportedMediaType);
  });

  it('refuses empty, binary, UTF-16 and non-UTF-8 files with a reason', async () => {
    assert.match((await rejection(parseSbom(Buffer.from('  \n'), {}))).reason, /empty/);
    assert.match(
      (await rejection(parseSbom(Buffer.from('PK\u0003\u0004'), {}))).reason,
      /neither JSON nor XML/,
    );
    assert.match((await rejection(parseSbom(Buffer.from('\ufeff{}', 'utf16le'), {}))).reason, /UTF-16/);
    assert.match((await rejection(parseSbom(Buffer.from([0x7b, 0xff, 0x7d]), {}))).reason, /not valid UTF-8/);
  });

  it('refuses files over the byte limit and BOMs with too many components, nested ones included', async () => {
    const text = cyclonedxJson('1.5', NESTED);
    await assert.rejects(parseSbom(Buffer.from(text), { maxBytes: 100 }), TooLarge);
    await assert.rejects(parseSbom(Buffer.from(text), { maxComponents: 3 }), /more than 3 components/);
    assert.equal((await parseSbom(Buffer.from(text), { maxComponents: 4 })).components.length, 4);
  });

  it('parses a 400-component BOM well under a second once the schema is compiled', async (t) => {
    const many = Array.from({ length: 400 }, (_, i) => ({
      type: 'library',
      name: `lib${i}`,
      version: `1.${i}.0`,
      purl: `pkg:npm/%40acme/lib${i}@1.${i}.0`,
      hashes: [{ alg: 'SHA-256', content: 'b'.repeat(64) }],
      licenses: [{ license: { id: 'MIT' } }],
    }));
    const bytes = Buffer.from(cyclonedxJson('1.6', many));
    await parseSbom(Buffer.from(cyclonedxJson('1.6', [])), {});
    const started = performance.now();
    const sbom = await parseSbom(bytes, {});
    const ms = performance.now() - started;
    t.diagnostic(`400 components (${bytes.length} bytes) parsed in ${ms.toFixed(1)} ms`);
    assert.equal(sbom.components.length, 400);
    assert.equal(sbom.components[399]?.purlBase, 'pkg:npm/%40acme/lib399');
    assert.ok(ms < 1000, `took ${ms} ms`);
  });
});

function cyclonedxXml(version: string, body: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bom xmlns="http://cyclonedx.org/schema/bom/${version}" serialNumber="urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79" version="1">
  <components>
${body}
  </components>
</bom>
`;
}

const XML_COMPONENTS = `    <component type="firmware" bom-ref="fw">
      <supplier><name>Acme &amp; Sons</name></supplier>
      <name>doorbell-firmware</name>
      <version>V2.1.0_build1234</version>
      <hashes><hash alg="SHA-256">${'a'.repeat(64)}</hash></hashes>
      <licenses><license><id>Apache-2.0</id></license><license><name><![CDATA[Acme <EULA>]]></name></license></licenses>
      <purl>pkg:generic/acme/doorbell@2.1.0</purl>
      <components>
        <component type="library"><name>openssl</name><version>3.0.7</version>
          <licenses><expression>Apache-2.0 OR MIT</expression></licenses>
        </component>
      </components>
    </component>
    <!-- a comment <component> that is not one -->
    <component type="library"><name>busybox</name></component>`;

describe('parseSbom: CycloneDX XML', () => {
  for (const version of ['1.4', '1.5', '1.6']) {
    it(`reads nested components of a ${version} BOM checked against its XSD`, async () => {
      const sbom = await parseSbom(Buffer.from(cyclonedxXml(version, XML_COMPONENTS)), {
        contentType: 'application/vnd.cyclonedx+xml',
      });
      assert.equal(sbom.format, 'cyclonedx-xml');
      assert.equal(sbom.specVersion, version);
      assert.equal(sbom.serialNumber, 'urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79');
      assert.deepEqual(
        sbom.components.map((c) => c.name),
        ['doorbell-firmware', 'openssl', 'busybox'],
      );
      assert.deepEqual(sbom.components[0], {
        name: 'doorbell-firmware',
        version: 'V2.1.0_build1234',
        purl: 'pkg:generic/acme/doorbell@2.1.0',
        purlBase: 'pkg:generic/acme/doorbell',
        supplier: 'Acme & Sons',
        licences: ['Apache-2.0', 'Acme <EULA>'],
        hashes: [{ alg: 'SHA-256', value: 'a'.repeat(64) }],
        ref: 'fw',
      });
      assert.deepEqual(sbom.components[1]?.licences, ['Apache-2.0 OR MIT']);
    });
  }

  it('reads a BOM written with a namespace prefix', async () => {
    const xml = `<?xml version="1.0"?>
<cdx:bom xmlns:cdx="http://cyclonedx.org/schema/bom/1.6" version="1"><cdx:components>
<cdx:component type="library"><cdx:name>zlib</cdx:name><cdx:version>1.3</cdx:version></cdx:component>
</cdx:components></cdx:bom>`;
    const sbom = await parseSbom(Buffer.from(xml), { contentType: 'text/xml' });
    assert.deepEqual(
      sbom.components.map((c) => [c.name, c.version]),
      [['zlib', '1.3']],
    );
  });

  it('gives line and column of XML that is not well-formed', async () => {
    const xml = cyclonedxXml('1.5', '    <component type="library"><name>x</nam></component>');
    const error = await rejection(parseSbom(Buffer.from(xml), {}));
    assert.match(error.reason, /Opening and ending tag mismatch: name line 4 and nam/);
    assert.deepEqual(error.position, { line: 4, column: 44 }); // just after "</nam>"
    assert.match(error.fields.sbom ?? '', /^4:44: /);
  });

  it('gives the line of an element the XSD does not allow, and its column', async () => {
    const xml = cyclonedxXml('1.6', '    <component type="library">\n      <nme>x</nme>\n    </component>');
    const error = await rejection(parseSbom(Buffer.from(xml), {}));
    assert.match(error.reason, /Element 'nme': This element is not expected/);
    assert.deepEqual(error.position, { line: 5, column: 7 });
  });

  it('gives the line of an attribute value the XSD does not allow', async () => {
    const xml = cyclonedxXml('1.4', '    <component type="gizmo"><name>x</name></component>');
    const error = await rejection(parseSbom(Buffer.from(xml), {}));
    assert.match(error.reason, /attribute 'type'.*gizmo/);
    assert.equal(error.position?.line, 4);
  });

  it('refuses XML that is not CycloneDX, or of another spec version', async () => {
    const other = await rejection(
      parseSbom(Buffer.from('<?xml version="1.0"?><rdf:RDF xmlns:rdf="x"/>'), {}),
    );
    assert.match(other.reason, /not CycloneDX/);
    const old = await rejection(parseSbom(Buffer.from(cyclonedxXml('1.3', '')), {}));
    assert.match(old.reason, /CycloneDX 1\.3 is not supported/);
    assert.equal(old.position?.line, 2);
  });

  const LAUGHS = `<?xml version="1.0"?>
<!DOCTYPE bom [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>
<component type="library"><name>&lol9;</name></component></components></bom>`;

  const XXE = `<?xml version="1.0"?>
<!DOCTYPE bom [<!ENTITY secret SYSTEM "file:///etc/passwd"><!ENTITY schema SYSTEM "spdx.SNAPSHOT.xsd">]>
<bom xmlns="http://cyclonedx.org/schema/bom/1.5" version="1"><components>
<component type="library"><name>&secret;&schema;</name></component></components></bom>`;

  it('refuses a billion-laughs document and an external entity before running xmllint', async () => {
    for (const xml of [LAUGHS, XXE]) {
      const error = await rejection(parseSbom(Buffer.from(xml), {}));
      assert.match(error.reason, /DOCTYPE is not accepted/);
      assert.deepEqual(error.position, { line: 2, column: 1 });
    }
  });

  it('xmllint itself neither expands the laughs nor reads files for external entities', async () => {
    const laughs = await checkCycloneDxXml(LAUGHS, '1.5');
    assert.match(laughs?.reason ?? '', /amplification|entity/i);
    const xxe = await checkCycloneDxXml(XXE, '1.5');
    assert.notEqual(xxe, null);
    assert.doesNotMatch(xxe?.reason ?? '', /root:|xs:schema/);
  });
});

function spdxDocument(packages: unknown[], extra: object = {}): string {
  return JSON.stringify(
    {
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'doorbell-firmware-2.1.0',
      documentNamespace: 'https://acme.example/spdx/doorbell-2.1.0-5c3a',
      creationInfo: {
        created: '2024-03-01T10:00:00Z',
        creators: ['Tool: acme-sbom-1.0', 'Organization: Acme'],
      },
      packages,
      ...extra,
    },
    null,
    2,
  );
}

const SPDX_PACKAGES = [
  {
    SPDXID: 'SPDXRef-Package-firmware',
    name: 'doorbell-firmware',
    versionInfo: '2.1.0',
    downloadLocation: 'NOASSERTION',
    supplier: 'Organization: Acme Devices (security@acme.example)',
    licenseConcluded: 'LicenseRef-Acme-EULA',
    licenseDeclared: 'NOASSERTION',
    checksums: [{ algorithm: 'SHA256', checksumValue: 'AB'.repeat(32) }],
  },
  {
    SPDXID: 'SPDXRef-Package-openssl',
    name: 'openssl',
    versionInfo: '3.0.7',
    downloadLocation: 'https://www.openssl.org/source/openssl-3.0.7.tar.gz',
    supplier: 'NOASSERTION',
    licenseConcluded: 'Apache-2.0',
    licenseDeclared: 'Apache-2.0',
    externalRefs: [
      {
        referenceCategory: 'SECURITY',
        referenceType: 'cpe23Type',
        referenceLocator: 'cpe:2.3:a:openssl:openssl:3.0.7:*:*:*:*:*:*:*',
      },
      {
        referenceCategory: 'PACKAGE-MANAGER',
        referenceType: 'purl',
        referenceLocator: 'pkg:generic/OpenSSL@3.0.7',
      },
    ],
    checksums: [{ algorithm: 'SHA1', checksumValue: 'c'.repeat(40) }],
  },
  {
    SPDXID: 'SPDXRef-Package-libc',
    name: 'musl',
    downloadLocation: 'NONE',
    supplier: 'Person: Rich Felker',
    licenseConcluded: 'NONE',
    licenseDeclared: 'MIT',
    externalRefs: [
      {
        referenceCategory: 'PACKAGE_MANAGER',
        referenceType: 'purl',
        referenceLocator: 'pkg:apk/alpine/MUSL@1.2.4-r2?arch=armv7',
      },
    ],
  },
];

describe('parseSbom: SPDX 2.3 JSON', () => {
  it('turns packages into components', async () => {
    const sbom = await parseSbom(Buffer.from(spdxDocument(SPDX_PACKAGES)), {
      contentType: 'application/spdx+json',
    });
    assert.equal(sbom.format, 'spdx-json');
    assert.equal(sbom.specVersion, '2.3');
    assert.equal(sbom.serialNumber, 'https://acme.example/spdx/doorbell-2.1.0-5c3a');
    assert.deepEqual(sbom.components, [
      {
        name: 'doorbell-firmware',
        version: '2.1.0',
        purl: null,
        purlBase: null,
        supplier: 'Acme Devices',
        licences: ['LicenseRef-Acme-EULA'],
        hashes: [{ alg: 'SHA-256', value: 'ab'.repeat(32) }],
        ref: 'SPDXRef-Package-firmware',
      },
      {
        name: 'openssl',
        version: '3.0.7',
        purl: 'pkg:generic/OpenSSL@3.0.7',
        purlBase: 'pkg:generic/OpenSSL',
        supplier: null,
        licences: ['Apache-2.0'],
        hashes: [{ alg: 'SHA-1', value: 'c'.repeat(40) }],
        ref: 'SPDXRef-Package-openssl',
      },
      {
        name: 'musl',
        version: null,
        purl: 'pkg:apk/alpine/MUSL@1.2.4-r2?arch=armv7',
        purlBase: 'pkg:apk/alpine/musl',
        supplier: 'Rich Felker',
        licences: ['MIT'],
        hashes: [],
        ref: 'SPDXRef-Package-libc',
      },
    ]);
  });

  it('sniffs SPDX from application/json and accepts a document without packages', async () => {
    const sbom = await parseSbom(Buffer.from(spdxDocument([])), { contentType: 'application/json' });
    assert.deepEqual([sbom.format, sbom.components.length], ['spdx-json', 0]);
  });

  it('refuses other SPDX versions by name', async () => {
    const error = await rejection(parseSbom(Buffer.from(spdxDocument([], { spdxVersion: 'SPDX-2.2' })), {}));
    assert.equal(error.path, '/spdxVersion');
    assert.match(error.reason, /SPDX-2\.2 is not supported; export the SBOM as SPDX-2\.3 JSON/);
    assert.equal(error.position?.line, 2);
  });

  it('names the first structural problem with its pointer and position', async () => {
    const cases: [unknown[], object, string, RegExp][] = [
      [[], { creationInfo: { creators: [] } }, '/creationInfo', /missing the required property "created"/],
      [[], { dataLicense: 'MIT' }, '/dataLicense', /must be equal to constant/],
      [[{ SPDXID: 'SPDXRef-a', downloadLocation: 'NONE' }], {}, '/packages/0', /required property "name"/],
      [[{ ...SPDX_PACKAGES[0], versionInfo: 2 }], {}, '/packages/0/versionInfo', /must be string/],
      [[{ ...SPDX_PACKAGES[0], supplier: 'Acme' }], {}, '/packages/0/supplier', /must match pattern/],
      [
        [{ ...SPDX_PACKAGES[0], checksums: [{ algorithm: 'SHA-256', checksumValue: 'ab' }] }],
        {},
        '/packages/0/checksums/0/algorithm',
        /must be one of: "SHA1"/,
      ],
    ];
    for (const [packages, extra, path, reason] of cases) {
      const text = spdxDocument(packages, extra);
      const error = await rejection(parseSbom(Buffer.from(text), {}));
      assert.equal(error.path, path);
      assert.match(error.reason, reason);
      assert.ok(error.position !== null && error.position.line > 1, path);
    }
  });

  it('refuses more packages than allowed', async () => {
    await assert.rejects(parseSbom(Buffer.from(spdxDocument(SPDX_PACKAGES)), { maxComponents: 2 }), TooLarge);
  });
});
