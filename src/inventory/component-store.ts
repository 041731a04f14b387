// Every query on SBOMs and their components, including the component search across all firmware.
import { type Expression, type SqlBool, sql, type Transaction } from 'kysely';
import type { Db } from '../db/database.ts';
import type { DB, SbomFormat } from '../db/schema.ts';
import type { Page } from '../platform/paging.ts';
import { modelInScope, type SupplierScope } from './store.ts';
import type { KeyInterval } from './versions/version-range.ts';

export type NewComponent = {
  name: string;
  version: string | null;
  versionKey: string | null;
  purl: string | null;
  purlBase: string | null;
  supplier: string | null;
  licences: string[];
  hashes: Array<{ alg: string; value: string }>;
  ref: string | null;
};

export type NewSbom = {
  format: SbomFormat;
  specVersion: string;
  serialNumber: string | null;
  sha256: string;
  size: number;
  uploadedBy: string;
  uploadedByLabel: string;
  uploadedAt: Date;
};

/** Rows per insert statement: 9 parameters a row stays well under PostgreSQL's 65535. */
const componentBatch = 1000;

/**
 * Makes `sbom` the firmware's one current SBOM: the previous SBOM and its components are deleted and
 * the new ones inserted in the caller's transaction, so readers see the old set or the new, never a mix.
 */
export async function replaceSbom(
  trx: Transaction<DB>,
  firmwareId: string,
  sbom: NewSbom,
  components: NewComponent[],
): Promise<{ sbomId: string; replaced: boolean }> {
  await trx
    .insertInto('blobs')
    .values({ sha256: sbom.sha256, size: sbom.size })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  const removed = await trx
    .deleteFrom('sboms')
    .where('firmware_version_id', '=', firmwareId)
    .executeTakeFirst();
  const { id: sbomId } = await trx
    .insertInto('sboms')
    .values({
      firmware_version_id: firmwareId,
      format: sbom.format,
      spec_version: sbom.specVersion,
      serial_number: sbom.serialNumber,
      sha256: sbom.sha256,
      size: sbom.size,
      component_count: components.length,
      uploaded_by: sbom.uploadedBy,
      uploaded_by_label: sbom.uploadedByLabel,
      uploaded_at: sbom.uploadedAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  for (let start = 0; start < components.length; start += componentBatch) {
    await trx
      .insertInto('components')
      .values(
        components.slice(start, start + componentBatch).map((component) => ({
          sbom_id: sbomId,
          firmware_version_id: firmwareId,
          name: component.name,
          version: component.version,
          version_key: component.versionKey,
          purl: component.purl,
          purl_base: component.purlBase,
          supplier: component.supplier,
          licences: component.licences,
          hashes: JSON.stringify(component.hashes),
          bom_ref: component.ref,
        })),
      )
      .execute();
  }
  return { sbomId, replaced: removed.numDeletedRows > 0n };
}

export type ComponentRow = {
  name: string;
  version: string | null;
  purl: string | null;
  supplier: string | null;
  licences: string[];
  hashes: Array<{ alg: string; value: string }>;
  bom_ref: string | null;
};

/** Components of one firmware version's SBOM, by name then version. */
export async function listComponents(
  db: Db,
  firmwareId: string,
  page: Page,
  filter: { name?: string | undefined } = {},
): Promise<{ rows: ComponentRow[]; total: number }> {
  const base = db
    .selectFrom('components as c')
    .where('c.firmware_version_id', '=', firmwareId)
    .$if(filter.name !== undefined, (qb) =>
      qb.where(sql<SqlBool>`strpos(lower(c.name), lower(${filter.name})) > 0`),
    );
  const rows = await base
    .select(['c.name', 'c.version', 'c.purl', 'c.supplier', 'c.licences', 'c.hashes', 'c.bom_ref'])
    .orderBy(sql`lower(c.name)`)
    .orderBy('c.version_key')
    .orderBy('c.id')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { rows, total: Number(total.n) };
}

export type ComponentMatch = { purlBase: string } | { name: string };

export type SearchHitRow = {
  firmware_id: string;
  version: string;
  release_date: string | null;
  model_id: string;
  model_slug: string;
  model_name: string;
  product_id: string;
  product_slug: string;
  product_name: string;
  components: Array<{ name: string; version: string | null; purl: string | null }>;
};

/** The package condition, written so that it matches the leading column of a search index. */
function matchCondition(match: ComponentMatch): Expression<SqlBool> {
  return 'purlBase' in match
    ? sql<SqlBool>`c.purl_base = ${match.purlBase}`
    : sql<SqlBool>`lower(c.name) = lower(${match.name})`;
}

/** Version key intervals OR-ed together; `undefined` means any version (no range given). */
export function keyCondition(intervals: KeyInterval[] | undefined): Expression<SqlBool> {
  if (intervals === undefined) return sql<SqlBool>`true`;
  if (intervals.length === 0) return sql<SqlBool>`false`;
  const parts = intervals.map((interval) => {
    const sides = [sql`c.version_key is not null`];
    if (interval.lower) {
      sides.push(
        interval.lower.inclusive
          ? sql`c.version_key >= ${interval.lower.key}`
          : sql`c.version_key > ${interval.lower.key}`,
      );
    }
    if (interval.upper) {
      sides.push(
        interval.upper.inclusive
          ? sql`c.version_key <= ${interval.upper.key}`
          : sql`c.version_key < ${interval.upper.key}`,
      );
    }
    return sql`(${sql.join(sides, sql` and `)})`;
  });
  return sql<SqlBool>`(${sql.join(parts, sql` or `)})`;
}

/**
 * Firmware versions holding a component that matches, with the matching components, ordered by
 * product, model and version. The index on (purl_base | lower(name), version_key) finds the
 * components; only the firmware of the page is joined to its model and product.
 */
export async function searchComponents(
  db: Db,
  query: { match: ComponentMatch; intervals: KeyInterval[] | undefined; supplierId: SupplierScope },
  page: Page,
): Promise<{ rows: SearchHitRow[]; total: number }> {
  const hits = sql`select c.firmware_version_id, c.name, c.version, c.version_key, c.purl
    from components c
    where ${matchCondition(query.match)} and ${keyCondition(query.intervals)}`;
  const result = await sql<SearchHitRow & { total: number }>`
    with hits as materialized (${hits}),
    matched as (
      select f.id as firmware_id, f.version, f.version_key, f.release_date,
             m.id as model_id, m.slug as model_slug, m.name as model_name,
             p.id as product_id, p.slug as product_slug, p.name as product_name
      from (select distinct firmware_version_id from hits) h
      join firmware_versions f on f.id = h.firmware_version_id
      join models m on m.id = f.model_id
      join products p on p.id = m.product_id
      where ${modelInScope('m.id', query.supplierId)}
    ),
    page as (
      select matched.*, count(*) over () as total from matched
      order by product_name, product_id, model_name, model_id, version_key, version
      limit ${page.limit} offset ${page.offset}
    )
    select page.firmware_id, page.version, page.release_date, page.model_id, page.model_slug,
           page.model_name, page.product_id, page.product_slug, page.product_name, page.total,
           (select json_agg(json_build_object('name', hits.name, 'version', hits.version, 'purl', hits.purl)
                            order by hits.version_key, hits.name)
            from hits where hits.firmware_version_id = page.firmware_id) as components
    from page
    order by page.product_name, page.product_id, page.model_name, page.model_id, page.version_key, page.version
  `.execute(db);
  const total = result.rows[0] ? Number(result.rows[0].total) : await countMatches(db, query);
  return { rows: result.rows.map(({ total: _total, ...row }) => row), total };
}

/** For a page past the end, where no row carries the total. */
async function countMatches(
  db: Db,
  query: { match: ComponentMatch; intervals: KeyInterval[] | undefined; supplierId: SupplierScope },
): Promise<number> {
  const result = await sql<{ n: number }>`
    select count(distinct c.firmware_version_id) as n
    from components c join firmware_versions f on f.id = c.firmware_version_id join models m on m.id = f.model_id
    where ${matchCondition(query.match)} and ${keyCondition(query.intervals)} and ${modelInScope('m.id', query.supplierId)}
  `.execute(db);
  return Number(result.rows[0]?.n ?? 0);
}
