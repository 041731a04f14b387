// Reads an XML document that xmllint has already checked (well-formed, valid against its schema, and
// without a DOCTYPE, so the only entities are the five predefined ones and character references) into a
// plain element tree with resolved namespaces. It is not a general XML parser: it trusts that checking.

export type XmlElement = {
  /** Local name, without prefix. */
  name: string;
  namespace: string | null;
  /** Attributes by the name as written (e.g. "bom-ref", "xmlns:cdx"). */
  attributes: Map<string, string>;
  children: XmlElement[];
  /** Text and CDATA directly inside this element, entities decoded. */
  text: string;
};

type Open = { element: XmlElement; scope: Map<string, string> };

const NAME = /[^\s/>=]+/y;
const ENTITY = /&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g;
const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(text: string): string {
  return text.replace(ENTITY, (_, entity: string) => {
    if (entity.startsWith('#x')) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith('#')) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return PREDEFINED[entity] ?? '';
  });
}

function indexAfter(text: string, marker: string, from: number): number {
  const at = text.indexOf(marker, from);
  if (at === -1) throw new Error(`XML reader: "${marker}" not found; the document was not checked first`);
  return at + marker.length;
}

/** The root element of a checked XML document. */
export function readXml(text: string): XmlElement {
  const stack: Open[] = [];
  let root: XmlElement | null = null;
  let at = 0;
  while (at < text.length) {
    const lt = text.indexOf('<', at);
    const textEnd = lt === -1 ? text.length : lt;
    const current = stack.at(-1);
    if (current !== undefined && textEnd > at) current.element.text += decode(text.slice(at, textEnd));
    if (lt === -1) break;
    if (text.startsWith('<?', lt)) at = indexAfter(text, '?>', lt);
    else if (text.startsWith('<!--', lt)) at = indexAfter(text, '-->', lt);
    else if (text.startsWith('<![CDATA[', lt)) {
      at = indexAfter(text, ']]>', lt);
      if (current !== undefined) current.element.text += text.slice(lt + 9, at - 3);
    } else if (text.startsWith('<!', lt)) {
      throw new Error('XML reader: declarations such as DOCTYPE are not accepted');
    } else if (text.startsWith('</', lt)) {
      stack.pop();
      at = indexAfter(text, '>', lt);
    } else {
      const { open, selfClosing, end } = readStartTag(text, lt, current?.scope ?? new Map());
      if (current === undefined) root = open.element;
      else current.element.children.push(open.element);
      if (!selfClosing) stack.push(open);
      at = end;
    }
  }
  if (root === null) throw new Error('XML reader: no root element');
  return root;
}

function readStartTag(
  text: string,
  lt: number,
  parentScope: Map<string, string>,
): { open: Open; selfClosing: boolean; end: number } {
  NAME.lastIndex = lt + 1;
  const qualifiedName = NAME.exec(text)?.[0] ?? '';
  let at = NAME.lastIndex;
  const attributes = new Map<string, string>();
  for (;;) {
    while (/\s/.test(text.charAt(at))) at++;
    if (text.startsWith('/>', at) || text.charAt(at) === '>') break;
    NAME.lastIndex = at;
    const name = NAME.exec(text)?.[0] ?? '';
    at = text.indexOf('=', NAME.lastIndex) + 1;
    while (/\s/.test(text.charAt(at))) at++;
    const quote = text.charAt(at);
    const valueEnd = text.indexOf(quote, at + 1);
    attributes.set(name, decode(text.slice(at + 1, valueEnd).replace(/[\t\n\r]/g, ' ')));
    at = valueEnd + 1;
  }
  const selfClosing = text.startsWith('/>', at);
  const scope = new Map(parentScope);
  for (const [name, value] of attributes) {
    if (name === 'xmlns') scope.set('', value);
    else if (name.startsWith('xmlns:')) scope.set(name.slice(6), value);
  }
  const colon = qualifiedName.indexOf(':');
  const prefix = colon === -1 ? '' : qualifiedName.slice(0, colon);
  const element: XmlElement = {
    name: qualifiedName.slice(colon + 1),
    namespace: scope.get(prefix) || null,
    attributes,
    children: [],
    text: '',
  };
  return { open: { element, scope }, selfClosing, end: at + (selfClosing ? 2 : 1) };
}
