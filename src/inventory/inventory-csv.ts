// The inventory as CSV: one row per firmware version, with its model and product repeated on each
// row (a model without firmware, or a product without models, gets a row of its own). Reading turns
// the rows back into the same specs as the JSON import, naming the line of every problem.
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { SupplierRelation } from '../db/schema.ts';
import { Invalid } from '../platform/errors.ts';
import type {
  FirmwareSpec,
  InventoryDocument,
  ModelSpec,
  ProductSpec,
  SupplierLinkSpec,
} from './inventory-transfer.ts';

export const csvColumns = [
  'product_slug',
  'product_name',
  'product_description',
  'model_slug',
  'model_name',
  'hardware_revisions',
  'remote_update',
  'support_ends',
  'suppliers',
  'firmware_version',
  'release_date',
  'firmware_notes',
] as const;
type Column = (typeof csvColumns)[number];

/** CSV column of each field, for problems found in a CSV import. */
export const csvColumnOf: Record<'product' | 'model' | 'firmware', Record<string, Column>> = {
  product: { slug: 'product_slug', name: 'product_name', description: 'product_description' },
  model: {
    slug: 'model_slug',
    name: 'model_name',
    hardwareRevisions: 'hardware_revisions',
    remoteUpdate: 'remote_update',
    supportEnds: 'support_ends',
    suppliers: 'suppliers',
  },
  firmware: { version: 'firmware_version', releaseDate: 'release_date', notes: 'firmware_notes' },
};

// A cell starting with one of these is a formula to a spreadsheet; exported with a leading "'".
const formulaStart = /^[=+\-@\t\r]/;
const protect = (cell: string) => (formulaStart.test(cell) ? `'${cell}` : cell);
const unprotect = (cell: string) =>
  cell.startsWith("'") && formulaStart.test(cell.slice(1)) ? cell.slice(1) : cell;

const formatLinks = (links: SupplierLinkSpec[]) =>
  links.map((link) => `${link.supplier}:${link.relation}`).join(';');

export function inventoryToCsv(document: InventoryDocument): string {
  const rows: string[][] = [];
  for (const product of document.products) {
    const productCells = [product.slug, product.name, product.description];
    if (product.models.length === 0) rows.push([...productCells, '', '', '', '', '', '', '', '', '']);
    for (const model of product.models) {
      const modelCells = [
        model.slug,
        model.name,
        model.hardwareRevisions.join(';'),
        String(model.remoteUpdate),
        model.supportEnds ?? '',
        formatLinks(model.suppliers),
      ];
      if (model.firmware.length === 0) rows.push([...productCells, ...modelCells, '', '', '']);
      for (const firmware of model.firmware) {
        rows.push([
          ...productCells,
          ...modelCells,
          firmware.version,
          firmware.releaseDate ?? '',
          firmware.notes,
        ]);
      }
    }
  }
  return stringify([[...csvColumns], ...rows.map((row) => row.map(protect))], { record_delimiter: '\r\n' });
}

type Row = { line: number; cells: Partial<Record<Column, string>> };

/** Records with the line each starts on (csv-parse reports the line a record ends on). */
function readRows(text: string): { header: string[]; rows: Row[] } {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(text, { info: true, bom: true, skip_empty_lines: true }) as unknown as typeof records;
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw new Invalid(
      { [`line ${line ?? 1}`]: (error as Error).message },
      'The CSV cannot be read; nothing was changed',
    );
  }
  const startLine = (entry: { record: string[]; info: { lines: number } }) =>
    entry.info.lines - entry.record.reduce((sum, cell) => sum + (cell.match(/\n/g)?.length ?? 0), 0);
  const [first, ...rest] = records;
  if (!first) throw new Invalid({ 'line 1': 'the file is empty; the first line names the columns' });
  const header = first.record.map((name) => name.trim().toLowerCase());
  const unknown = header.filter((name) => !(csvColumns as readonly string[]).includes(name));
  const problems: Record<string, string> = {};
  if (unknown.length > 0) {
    problems['line 1'] = `unknown columns ${unknown.join(', ')}; the columns are ${csvColumns.join(', ')}`;
  } else if (!header.includes('product_slug')) {
    problems['line 1'] = 'the column product_slug is required';
  } else if (new Set(header).size !== header.length) {
    problems['line 1'] = 'a column is named twice';
  }
  if (Object.keys(problems).length > 0)
    throw new Invalid(problems, 'The CSV was refused; nothing was changed');
  const rows = rest.map((entry) => {
    const cells: Partial<Record<Column, string>> = {};
    header.forEach((name, index) => {
      cells[name as Column] = unprotect(entry.record[index] ?? '');
    });
    return { line: startLine(entry), cells };
  });
  return { header, rows };
}

const booleans: Record<string, boolean> = {
  true: true,
  yes: true,
  '1': true,
  false: false,
  no: false,
  '0': false,
};
const relations: readonly SupplierRelation[] = ['builds', 'supplies-parts'];

/** Reads a CSV import into specs; problems of form (not of content) are reported here with their line. */
export function csvToSpecs(text: string): ProductSpec[] {
  const { header, rows } = readRows(text);
  const has = (column: Column) => header.includes(column);
  const problems: Record<string, string> = {};
  const problem = (line: number, column: Column, reason: string) => {
    problems[`line ${line}: ${column}`] ??= reason;
  };
  const products = new Map<string, ProductSpec>();
  const models = new Map<string, ModelSpec>();

  /** The first row naming an object sets a field; later rows leave it empty or repeat the same value. */
  function settle<T>(
    target: Record<string, unknown>,
    field: string,
    value: T | undefined,
    first: boolean,
    line: number,
    column: Column,
  ) {
    if (value === undefined) return;
    if (first) target[field] = value;
    else if (JSON.stringify(target[field]) !== JSON.stringify(value)) {
      problem(line, column, `differs from the first row of the same ${column.split('_')[0]}`);
    }
  }

  for (const { line, cells } of rows) {
    const cell = (column: Column) => (has(column) ? (cells[column] ?? '').trim() : undefined);
    const productSlug = cell('product_slug') ?? '';
    if (productSlug === '') {
      problem(line, 'product_slug', 'is required on every row');
      continue;
    }
    let product = products.get(productSlug);
    const newProduct = product === undefined;
    product ??= { where: `line ${line}`, slug: productSlug, models: [] };
    products.set(productSlug, product);
    const name = cell('product_name');
    settle(product, 'name', name === '' ? undefined : name, newProduct, line, 'product_name');
    const description = has('product_description') ? (cells.product_description ?? '') : undefined;
    settle(
      product,
      'description',
      newProduct ? description : description || undefined,
      newProduct,
      line,
      'product_description',
    );

    const modelSlug = cell('model_slug') ?? '';
    if (modelSlug === '') {
      for (const column of [
        'model_name',
        'hardware_revisions',
        'support_ends',
        'suppliers',
        'firmware_version',
      ] as const) {
        if (cell(column)) problem(line, column, 'needs a model_slug on the same row');
      }
      continue;
    }
    const modelKey = `${productSlug}\u0000${modelSlug}`;
    let model = models.get(modelKey);
    const newModel = model === undefined;
    model ??= { where: `line ${line}`, slug: modelSlug, firmware: [] };
    if (newModel) {
      models.set(modelKey, model);
      product.models.push(model);
    }
    const modelName = cell('model_name');
    settle(model, 'name', modelName === '' ? undefined : modelName, newModel, line, 'model_name');
    const revisions = cell('hardware_revisions');
    const revisionList = revisions
      ?.split(';')
      .map((r) => r.trim())
      .filter((r) => r !== '');
    settle(
      model,
      'hardwareRevisions',
      newModel ? revisionList : revisions ? revisionList : undefined,
      newModel,
      line,
      'hardware_revisions',
    );
    const remote = cell('remote_update');
    if (remote !== undefined && remote !== '') {
      const value = booleans[remote.toLowerCase()];
      if (value === undefined) problem(line, 'remote_update', 'must be true or false');
      else settle(model, 'remoteUpdate', value, newModel, line, 'remote_update');
    }
    const supportEnds = cell('support_ends');
    settle(
      model,
      'supportEnds',
      newModel ? (supportEnds === undefined ? undefined : supportEnds || null) : supportEnds || undefined,
      newModel,
      line,
      'support_ends',
    );
    const suppliers = cell('suppliers');
    if (suppliers !== undefined && (newModel || suppliers !== '')) {
      const links: SupplierLinkSpec[] = [];
      for (const item of suppliers
        .split(';')
        .map((s) => s.trim())
        .filter((s) => s !== '')) {
        const [supplier = '', relation = 'builds'] = item.split(':').map((s) => s.trim());
        if (!relations.includes(relation as SupplierRelation)) {
          problem(
            line,
            'suppliers',
            `"${item}": the relation must be builds or supplies-parts, as in acme:builds`,
          );
        } else links.push({ supplier, relation: relation as SupplierRelation });
      }
      settle(model, 'suppliers', links, newModel, line, 'suppliers');
    }

    const version = cell('firmware_version') ?? '';
    if (version === '') {
      for (const column of ['release_date', 'firmware_notes'] as const) {
        if (cell(column)) problem(line, column, 'needs a firmware_version on the same row');
      }
      continue;
    }
    const firmware: FirmwareSpec = { where: `line ${line}`, version };
    const releaseDate = cell('release_date');
    if (releaseDate !== undefined) firmware.releaseDate = releaseDate || null;
    if (has('firmware_notes')) firmware.notes = cells.firmware_notes ?? '';
    model.firmware.push(firmware);
  }
  if (rows.length === 0) problems['line 2'] = 'the file has no rows after the column names';
  if (Object.keys(problems).length > 0)
    throw new Invalid(problems, 'The CSV was refused; nothing was changed');
  return [...products.values()];
}
