import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { InvalidSbom } from './invalid-sbom.ts';
import { parseSbom } from './parse-sbom.ts';

// Official CycloneDX example BOMs (CycloneDX/bom-examples), kept outside the project.
const repoRoot = path.resolve(import.meta.dirname, '../../..');
const examplesDir = path.resolve(repoRoot, '../shared/conformance/cyclonedx');
const present = fs.existsSync(examplesDir);
if (!present) console.warn(`SKIPPING CycloneDX conformance tests: ${examplesDir} is absent`);

function exampleFiles(): string[] {
  return fs
    .readdirSync(examplesDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.(json|xml)$/.test(file))
    .sort();
}

function declaredVersion(text: string): string | null {
  return (
    /"specVersion"\s*:\s*"([^"]+)"/.exec(text)?.[1] ??
    /xmlns="http:\/\/cyclonedx\.org\/schema\/bom\/([^"]+)"/.exec(text)?.[1] ??
    null
  );
}

/** Counts components independently of the parser: a plain walk of the JSON, or <component> tags in XML. */
function expectedComponentCount(file: string, text: string): number {
  if (file.endsWith('.xml')) {
    return text.replace(/<metadata>[\s\S]*?<\/metadata>/, '').match(/<component[\s>]/g)?.length ?? 0;
  }
  const walk = (components: { components?: unknown[] }[] | undefined): number =>
    (components ?? []).reduce((n, c) => n + 1 + walk(c.components as { components?: unknown[] }[]), 0);
  return walk(JSON.parse(text).components);
}

describe('official CycloneDX examples', { skip: present ? false : `${examplesDir} is absent` }, () => {
  it('imports every 1.4-1.6 example with all its components, and refuses older ones by name', async (t) => {
    const imported: string[] = [];
    for (const file of present ? exampleFiles() : []) {
      const text = fs.readFileSync(path.join(examplesDir, file), 'utf8');
      const version = declaredVersion(text);
      if (version === '1.4' || version === '1.5' || version === '1.6') {
        const started = performance.now();
        const sbom = await parseSbom(Buffer.from(text), {});
        const ms = (performance.now() - started).toFixed(0);
        assert.equal(sbom.specVersion, version, file);
        assert.equal(sbom.components.length, expectedComponentCount(file, text), file);
        assert.ok(sbom.components.length > 0, file);
        for (const component of sbom.components) assert.notEqual(component.name, '', file);
        imported.push(`${file}: ${sbom.format} ${version}, ${sbom.components.length} components, ${ms} ms`);
      } else {
        await assert.rejects(parseSbom(Buffer.from(text), {}), (error: unknown) => {
          assert.ok(error instanceof InvalidSbom, file);
          assert.match(error.reason, new RegExp(`CycloneDX ${version} is not supported`), file);
          return true;
        });
      }
    }
    t.diagnostic(`imported:\n${imported.join('\n')}`);
    assert.ok(imported.length >= 3, `expected at least 3 importable examples, got ${imported.length}`);
  });

  it('reads the same components from the JSON and the XML edition of the Laravel example', async () => {
    const dir = path.join(examplesDir, 'SBOM/laravel-7.12.0');
    const fromJson = await parseSbom(fs.readFileSync(path.join(dir, 'bom.1.4.json')), {});
    const fromXml = await parseSbom(fs.readFileSync(path.join(dir, 'bom.1.4.xml')), {});
    assert.equal(fromJson.components.length, 62);
    assert.deepEqual(fromXml.components, fromJson.components);
    assert.equal(fromXml.serialNumber, fromJson.serialNumber);
    const laravel = fromJson.components.find((c) => c.name === 'framework');
    assert.deepEqual(laravel && { ...laravel, hashes: laravel.hashes.length }, {
      name: 'framework',
      version: 'v7.30.6',
      purl: 'pkg:composer/laravel/framework@v7.30.6',
      purlBase: 'pkg:composer/laravel/framework',
      supplier: null,
      licences: ['MIT'],
      hashes: 0,
      ref: 'laravel/framework-7.30.6.0',
    });
  });

  it('reads supplier names from the hardware example', async () => {
    const sbom = await parseSbom(
      fs.readFileSync(path.join(examplesDir, 'HBOM/PCIe-SATA-adapter-board/bom.json')),
      {},
    );
    assert.ok(sbom.components.some((c) => c.supplier === 'Samtec'));
  });
});
