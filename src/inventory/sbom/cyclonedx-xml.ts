// CycloneDX XML SBOMs: refused if they carry a DOCTYPE (entity expansion, external entities), checked
// against the official XSD of their spec version with xmllint, then read into inventory components.

import { type CycloneDxComponent, collectCycloneDxComponents } from './cyclonedx-components.ts';
import { supportedCycloneDxVersion } from './cyclonedx-spec.ts';
import { InvalidSbom } from './invalid-sbom.ts';
import { positionAt } from './json-position.ts';
import type { ParsedSbom } from './model.ts';
import { readXml, type XmlElement } from './xml-reader.ts';
import { checkCycloneDxXml } from './xml-schema-check.ts';

const NAMESPACE_PREFIX = 'http://cyclonedx.org/schema/bom/';
const NAMESPACE_DECLARATION =
  /xmlns(?::[\w.-]+)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\/([^"']*)["']/;

export async function parseCycloneDxXml(xml: string, maxComponents: number): Promise<ParsedSbom> {
  const doctype = xml.search(/<!DOCTYPE/i);
  if (doctype !== -1) {
    throw new InvalidSbom(
      'a DOCTYPE is not accepted in an SBOM (it can declare entities that expand hugely or read other files); remove it',
      { position: positionAt(xml, doctype) },
    );
  }
  const declaration = NAMESPACE_DECLARATION.exec(xml);
  if (declaration === null) {
    throw new InvalidSbom(
      `this XML is not CycloneDX: its root element must be <bom xmlns="${NAMESPACE_PREFIX}1.6"> (or 1.4, 1.5)`,
    );
  }
  const version = supportedCycloneDxVersion(declaration[1], { position: positionAt(xml, declaration.index) });
  const problem = await checkCycloneDxXml(xml, version);
  if (problem !== null) throw new InvalidSbom(problem.reason, { position: problem.position });

  const namespace = NAMESPACE_PREFIX + version;
  const bom = readXml(xml);
  const child = (element: XmlElement | undefined, name: string) =>
    element?.children.find((c) => c.name === name && c.namespace === namespace);
  const children = (element: XmlElement | undefined, name: string) =>
    element?.children.filter((c) => c.name === name && c.namespace === namespace) ?? [];
  const text = (element: XmlElement | undefined) => element?.text;

  const toComponent = (element: XmlElement): CycloneDxComponent => {
    const licenses = child(element, 'licenses');
    return {
      name: text(child(element, 'name')),
      version: text(child(element, 'version')),
      purl: text(child(element, 'purl')),
      supplier: { name: text(child(child(element, 'supplier'), 'name')) },
      licenses: (licenses?.children ?? [])
        .filter((c) => c.namespace === namespace)
        .map((choice) =>
          choice.name === 'expression'
            ? { expression: choice.text }
            : { license: { id: text(child(choice, 'id')), name: text(child(choice, 'name')) } },
        ),
      hashes: children(child(element, 'hashes'), 'hash').map((hash) => ({
        alg: hash.attributes.get('alg'),
        content: hash.text,
      })),
      'bom-ref': element.attributes.get('bom-ref'),
      components: children(child(element, 'components'), 'component').map(toComponent),
    };
  };

  return {
    format: 'cyclonedx-xml',
    specVersion: version,
    serialNumber: bom.attributes.get('serialNumber') ?? null,
    components: collectCycloneDxComponents(
      children(child(bom, 'components'), 'component').map(toComponent),
      maxComponents,
    ),
  };
}
