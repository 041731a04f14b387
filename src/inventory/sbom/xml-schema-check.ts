// Checks CycloneDX XML against the official XSD of its spec version with xmllint compiled to WebAssembly
// (no native addon). xmllint runs in a worker with an in-memory file system holding only the document
// and the XSDs, and with --nonet, so a document cannot make it read local files or the network.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { memoryPages, validateXML } from 'xmllint-wasm';
import type { CycloneDxVersion } from './cyclonedx-spec.ts';
import type { SbomPosition } from './invalid-sbom.ts';

export type XmlProblem = { position: SbomPosition | null; reason: string };

const DOCUMENT_NAME = 'sbom.xml';
const SCHEMA_DIR = path.join(
  path.dirname(fileURLToPath(import.meta.resolve('@cyclonedx/cyclonedx-library/package.json'))),
  'res',
  'schema',
);

const schemaTexts = new Map<string, Promise<string>>();

function schemaText(fileName: string): Promise<string> {
  let text = schemaTexts.get(fileName);
  if (text === undefined) {
    text = readFile(path.join(SCHEMA_DIR, fileName), 'utf8');
    schemaTexts.set(fileName, text);
  }
  return text;
}

/** The first problem xmllint finds (well-formedness, then the XSD), or null when the document is valid. */
export async function checkCycloneDxXml(xml: string, version: CycloneDxVersion): Promise<XmlProblem | null> {
  const bomXsd = `bom-${version}.SNAPSHOT.xsd`;
  const [bomSchema, spdxSchema] = await Promise.all([schemaText(bomXsd), schemaText('spdx.SNAPSHOT.xsd')]);
  const result = await validateXML({
    xml: [{ fileName: DOCUMENT_NAME, contents: xml }],
    schema: [{ fileName: bomXsd, contents: bomSchema }],
    preload: [{ fileName: 'spdx.SNAPSHOT.xsd', contents: spdxSchema }],
    modifyArguments: (args) => ['--nonet', ...args],
    // xmllint needs several times the document size; the default ceiling is 32 MiB.
    maxMemoryPages: Math.min(
      memoryPages.max,
      memoryPages.defaultMaxMemoryPages + Math.ceil((xml.length * 12) / (64 * 1024)),
    ),
  });
  if (result.valid) return null;
  return firstProblem(result.rawOutput, xml);
}

/** Reads xmllint's report: "sbom.xml:LINE: KIND error : MESSAGE", optionally followed by context and a caret. */
function firstProblem(output: string, xml: string): XmlProblem {
  const lines = output.split('\n');
  const index = lines.findIndex((line) => /error\s*:/.test(line));
  const line = lines[index];
  if (index === -1 || line === undefined)
    return { position: null, reason: output.trim() || 'xmllint refused the document' };
  const located = new RegExp(`^${DOCUMENT_NAME.replace('.', '\\.')}:(\\d+): (.*)$`).exec(line);
  const message = (located?.[2] ?? line).replace(/^.*?error\s*:\s*/, '').replace(/\{[^}]*\}/g, '');
  const reason = located ? message : `${message} (inside an entity)`;
  if (!located) return { position: null, reason };
  const lineNumber = Number(located[1]);
  const sourceLine = xml.split('\n')[lineNumber - 1] ?? '';
  const context = lines[index + 1] ?? '';
  const caret = lines[index + 2] ?? '';
  let column = 1;
  if (/^\s*\^\s*$/.test(caret)) {
    const contextStart = sourceLine.indexOf(context);
    column = (contextStart === -1 ? 0 : contextStart) + caret.indexOf('^') + 1;
  } else {
    const element = /Element '(?:\{[^}]*\})?([^']+)'/.exec(line)?.[1];
    const tag =
      element === undefined
        ? -1
        : sourceLine.search(new RegExp(`<([\\w.-]+:)?${escapeRegExp(element)}[\\s/>]`));
    column = tag === -1 ? 1 : tag + 1;
  }
  return { position: { line: lineNumber, column }, reason };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
