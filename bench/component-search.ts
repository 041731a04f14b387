// Component-search benchmark: 2,000 firmware versions × 400 components (800,000 component rows, 500
// packages with 40 versions each), then "which firmware holds package X in range R" through the real
// HTTP route (GET /api/v1/components/search, signed in, app.inject) against a baseline: the same SQL
// answered with index scans switched off, i.e. a sequential scan of the components table.
// Goal from the issue: under 200 ms on PostgreSQL.
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { type Kysely, sql } from 'kysely';
import pino from 'pino';
import { createUser } from '../src/auth/users.ts';
import { loadConfig } from '../src/config.ts';
import type { DB } from '../src/db/schema.ts';
import { searchComponents as searchInStore } from '../src/inventory/component-store.ts';
import { purlBase } from '../src/inventory/sbom/purl-base.ts';
import { versionSortKey } from '../src/inventory/versions/version-order.ts';
import { parseVersionRange, rangeToKeyBounds } from '../src/inventory/versions/version-range.ts';
import { startProduct } from '../src/server.ts';
import type { BenchOptions, EngineChoice } from './support/bench-options.ts';
import { freshDatabase } from './support/fresh-database.ts';
import { markdownTable } from './support/tables.ts';

export const description =
  'component-range search over 800k components (2,000 firmware × 400) against a sequential scan';

const goalMs = 200;
/** COMPONENT_SEARCH_FIRMWARE makes a smaller data set for a quick try; the issue asks for 2,000. */
const firmwareCount = Number(process.env.COMPONENT_SEARCH_FIRMWARE || 2000);
const componentsPerFirmware = 400;
const packageCount = 500;
const versionsPerPackage = 40;
const repeats = 30;
const warmups = 3;

/** Real names first (what a maker would search for), then generated ones. */
const knownPackages = [
  'pkg:generic/openssl',
  'pkg:generic/busybox',
  'pkg:generic/linux',
  'pkg:github/madler/zlib',
  'pkg:generic/curl',
  'pkg:github/lwip-tcpip/lwip',
  'pkg:github/mbed-tls/mbedtls',
  'pkg:generic/dropbear',
  'pkg:generic/wpa_supplicant',
  'pkg:github/libjpeg-turbo/libjpeg-turbo',
  'pkg:generic/live555',
  'pkg:github/freertos/freertos-kernel',
  'pkg:generic/glibc',
  'pkg:generic/uclibc-ng',
  'pkg:generic/u-boot',
  'pkg:github/nghttp2/nghttp2',
  'pkg:generic/libpng',
  'pkg:generic/sqlite',
  'pkg:generic/expat',
  'pkg:github/davegamble/cjson',
];

function packageVersions(index: number): string[] {
  const purl = knownPackages[index];
  return Array.from({ length: versionsPerPackage }, (_, i) => {
    if (purl === 'pkg:generic/openssl') {
      // 1.1.1a … 1.1.1t, then 3.0.0 … 3.0.19: letter suffixes and two-digit patches.
      return i < 20 ? `1.1.1${String.fromCharCode(97 + i)}` : `3.0.${i - 20}`;
    }
    if (purl === 'pkg:generic/busybox') return `1.${20 + Math.floor(i / 4)}.${i % 4}`;
    if (purl === 'pkg:generic/linux') return `5.${4 + Math.floor(i / 10) * 6}.${(i % 10) * 19 + 1}`;
    if (purl === 'pkg:generic/dropbear') return `20${18 + Math.floor(i / 8)}.${75 + (i % 8)}`;
    return i % 7 === 3
      ? `${Math.floor(i / 10)}.${i % 10}.0-rc.${i % 3}`
      : `${Math.floor(i / 10)}.${i % 10}.${i % 4}`;
  });
}

type PackageVersion = {
  pkg: number;
  idx: number;
  name: string;
  version: string;
  versionKey: string;
  purl: string;
  purlBase: string;
};

function packageTable(): PackageVersion[] {
  const rows: PackageVersion[] = [];
  for (let pkg = 0; pkg < packageCount; pkg++) {
    const base = knownPackages[pkg] ?? `pkg:generic/libcomponent-${String(pkg).padStart(3, '0')}`;
    const name = base.slice(base.lastIndexOf('/') + 1);
    packageVersions(pkg).forEach((version, idx) => {
      const purl = `${base}@${version}`;
      rows.push({
        pkg,
        idx,
        name,
        version,
        versionKey: versionSortKey(version),
        purl,
        purlBase: purlBase(purl) as string,
      });
    });
  }
  return rows;
}

const queries: Array<{ label: string; query: Record<string, string> }> = [
  { label: 'openssl < 3.0.7', query: { purl: 'pkg:generic/openssl', range: '< 3.0.7' } },
  { label: 'busybox >= 1.25, < 1.28.2', query: { purl: 'pkg:generic/busybox', range: '>= 1.25, < 1.28.2' } },
  {
    label: 'zlib < 1.2.12 or = 2.0.0',
    query: { purl: 'pkg:github/madler/zlib', range: '< 1.2.12 | = 2.0.0' },
  },
  { label: 'name curl <= 2.5.1', query: { name: 'curl', range: '<= 2.5.1' } },
  { label: 'linux >= 5.16, < 5.22', query: { purl: 'pkg:generic/linux', range: '>= 5.16, < 5.22' } },
  { label: 'libcomponent-321 any version', query: { purl: 'pkg:generic/libcomponent-321' } },
];

const progress = (line: string) => console.log(`  ${line}`);

async function bulkLoad(db: Kysely<DB>, engine: EngineChoice): Promise<void> {
  const started = performance.now();
  const products = Math.max(1, Math.round(firmwareCount / 100));
  progress(`loading ${products} products, ${products * 5} models, ${firmwareCount} firmware versions`);
  const productRows = await db
    .insertInto('products')
    .values(
      Array.from({ length: products }, (_, i) => ({
        slug: `bench-product-${i}`,
        name: `Bench product ${i}`,
      })),
    )
    .returning('id')
    .execute();
  const modelRows = await db
    .insertInto('models')
    .values(
      productRows.flatMap((p, i) =>
        Array.from({ length: 5 }, (_, m) => ({
          product_id: p.id,
          slug: `model-${m}`,
          name: `Model ${i}-${m}`,
        })),
      ),
    )
    .returning('id')
    .execute();
  const perModel = Math.ceil(firmwareCount / modelRows.length);
  const firmware = Array.from({ length: firmwareCount }, (_, n) => {
    const model = modelRows[n % modelRows.length]?.id as string;
    const version = `${1 + Math.floor(n / modelRows.length / 10)}.${Math.floor(n / modelRows.length) % 10}.${n % 3}_build${n}`;
    return { model_id: model, version, version_key: versionSortKey(version), release_date: null };
  });
  for (let start = 0; start < firmware.length; start += 500) {
    await db
      .insertInto('firmware_versions')
      .values(firmware.slice(start, start + 500))
      .execute();
  }
  progress(
    `${perModel} firmware versions per model; packages: ${packageCount} × ${versionsPerPackage} versions`,
  );
  await db
    .insertInto('blobs')
    .values({ sha256: '0'.repeat(64), size: 1 })
    .execute();
  await sql`
    insert into sboms (firmware_version_id, format, spec_version, sha256, size, component_count, uploaded_by, uploaded_by_label)
    select id, 'cyclonedx-json', '1.5', ${'0'.repeat(64)}, 1, ${componentsPerFirmware}, 'system', 'benchmark'
    from firmware_versions`.execute(db);
  await sql`create table bench_package_versions (
    pkg integer, idx integer, name text, version text, version_key text collate "C", purl text, purl_base text,
    primary key (pkg, idx))`.execute(db);
  const table = packageTable();
  for (let start = 0; start < table.length; start += 1000) {
    const chunk = table.slice(start, start + 1000);
    await sql`insert into bench_package_versions values ${sql.join(
      chunk.map(
        (r) => sql`(${r.pkg}, ${r.idx}, ${r.name}, ${r.version}, ${r.versionKey}, ${r.purl}, ${r.purlBase})`,
      ),
    )}`.execute(db);
  }
  await sql`create table bench_firmware_numbers as
    select s.id as sbom_id, s.firmware_version_id, (row_number() over (order by s.firmware_version_id))::int - 1 as n
    from sboms s`.execute(db);
  // Firmware n holds packages (n*7 + i) mod 500 for i < 400 (400 distinct), each in a version that
  // depends on the firmware and the package, so every package appears in many versions.
  const batch = engine === 'pglite' ? 50 : 250;
  for (let from = 0; from < firmwareCount; from += batch) {
    await sql`
      insert into components (sbom_id, firmware_version_id, name, version, version_key, purl, purl_base, licences, hashes)
      select f.sbom_id, f.firmware_version_id, pv.name, pv.version, pv.version_key, pv.purl, pv.purl_base,
             '{MIT}', '[]'
      from bench_firmware_numbers f
      cross join generate_series(0, ${componentsPerFirmware - 1}) as g(i)
      join bench_package_versions pv
        on pv.pkg = (f.n * 7 + g.i) % ${packageCount}
       and pv.idx = ((f.n / 40) * 3 + ((f.n * 7 + g.i) % ${packageCount}) * 11 + f.n % 5) % ${versionsPerPackage}
      where f.n >= ${from} and f.n < ${from + batch}`.execute(db);
    const done = Math.min(from + batch, firmwareCount);
    if (done % (batch * 4) === 0 || done === firmwareCount) {
      progress(
        `components: ${done * componentsPerFirmware} of ${firmwareCount * componentsPerFirmware} rows (${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
  }
  await sql`drop table bench_firmware_numbers`.execute(db);
  await sql`drop table bench_package_versions`.execute(db);
  await sql`analyze`.execute(db);
  progress(`loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

type Timing = { p50: number; p99: number; max: number; mean: number };

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return {
    p50: at(0.5),
    p99: at(0.99),
    max: sorted.at(-1) ?? Number.NaN,
    mean: samples.reduce((a, b) => a + b, 0) / samples.length,
  };
}

async function timeIt(run: () => Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < warmups; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** The store's search SQL with index scans off: the planner must read the whole components table. */
async function sequentialSearch(db: Kysely<DB>, query: Record<string, string>) {
  const match = query.purl ? { purlBase: purlBase(query.purl) as string } : { name: query.name as string };
  const intervals = query.range ? rangeToKeyBounds(parseVersionRange(query.range)) : undefined;
  return db.transaction().execute(async (trx) => {
    await sql`set local enable_indexscan = off`.execute(trx);
    await sql`set local enable_indexonlyscan = off`.execute(trx);
    await sql`set local enable_bitmapscan = off`.execute(trx);
    return searchInStore(trx, { match, intervals, supplierId: null }, { limit: 100, offset: 0 });
  });
}

type Row = {
  engine: EngineChoice;
  label: string;
  hits: number;
  product: Timing;
  baseline: Timing;
  plan: string;
};

async function runEngine(engine: EngineChoice): Promise<Row[]> {
  console.log(`\n${engine}:`);
  const database = await freshDatabase(engine);
  const config = loadConfig({
    DATA_DIR: database.dataDir,
    DATABASE_URL: database.databaseUrl ?? '',
    LOG_LEVEL: 'silent',
    PGP_PASSPHRASE: 'benchmark passphrase, not a secret',
    WORKERS: 'false',
  });
  const product = await startProduct(config, { listen: false, log: pino({ level: 'silent' }) });
  try {
    await bulkLoad(product.deps.db, engine);
    const password = 'benchmark password, not a secret';
    const user = await createUser(
      product.deps,
      { email: 'bench@example.com', name: 'Bench', role: 'analyst', supplierId: null, password },
      'system',
    );
    const login = await product.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password },
    });
    if (login.statusCode !== 200) throw new Error(`sign-in failed: ${login.body}`);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const rows: Row[] = [];
    for (const { label, query } of queries) {
      const url = `/api/v1/components/search?${new URLSearchParams(query)}`;
      let answer: { total: number; items: Array<{ firmware: { id: string } }> } = { total: 0, items: [] };
      const productSamples = await timeIt(async () => {
        const response = await product.app.inject({ url, headers: { cookie } });
        if (response.statusCode !== 200)
          throw new Error(`${label}: HTTP ${response.statusCode} ${response.body}`);
        answer = response.json();
      });
      let baselineAnswer: Awaited<ReturnType<typeof sequentialSearch>> = { rows: [], total: 0 };
      const baselineSamples = await timeIt(async () => {
        baselineAnswer = await sequentialSearch(product.deps.db, query);
      });
      // Wrong answers fail the benchmark: both paths must find the same firmware.
      if (answer.total !== baselineAnswer.total || answer.total === 0) {
        throw new Error(
          `${label}: the route found ${answer.total} firmware, the sequential scan ${baselineAnswer.total}`,
        );
      }
      const ids = (list: string[]) => list.join(',');
      if (
        ids(answer.items.map((i) => i.firmware.id)) !== ids(baselineAnswer.rows.map((r) => r.firmware_id))
      ) {
        throw new Error(`${label}: the first pages differ between the route and the sequential scan`);
      }
      const plan = await planOf(product.deps.db, query);
      const row = {
        engine,
        label,
        hits: answer.total,
        product: summarize(productSamples),
        baseline: summarize(baselineSamples),
        plan,
      };
      progress(
        `${label}: ${row.hits} firmware; route p50 ${row.product.p50.toFixed(1)} ms, scan p50 ${row.baseline.p50.toFixed(1)} ms; ${plan}`,
      );
      rows.push(row);
    }
    return rows;
  } finally {
    await product.close();
    await database.drop();
  }
}

/** How the planner reads components for the route's query (the first scan node on components). */
async function planOf(db: Kysely<DB>, query: Record<string, string>): Promise<string> {
  const match = query.purl
    ? sql`c.purl_base = ${purlBase(query.purl)}`
    : sql`lower(c.name) = lower(${query.name})`;
  const result = await sql<{
    'QUERY PLAN': string;
  }>`explain select c.firmware_version_id from components c where ${match}`.execute(db);
  const lines = result.rows.map((r) => Object.values(r)[0] as string);
  const scan = lines.find((line) => /Scan/.test(line)) ?? lines[0] ?? '';
  return scan.replace(/^[\s>-]+/, '').replace(/\s+\(cost.*$/, '');
}

const fixed = (value: number, digits = 1) => value.toFixed(digits);

export async function run(options: BenchOptions): Promise<void> {
  console.log(
    `component-search: ${firmwareCount} firmware × ${componentsPerFirmware} components, ${queries.length} queries × ${repeats} runs ` +
      `(after ${warmups} warm-up runs), engines ${options.engines.join(', ')}; ${os.availableParallelism()} CPUs ` +
      `(${os.cpus()[0]?.model ?? '?'}), Node ${process.version}`,
  );
  const rows: Row[] = [];
  for (const engine of options.engines) rows.push(...(await runEngine(engine)));
  console.log(
    `\n${markdownTable(
      [
        'engine',
        'query',
        'firmware found',
        'route p50 ms',
        'route p99 ms',
        'route max ms',
        'seq scan p50 ms',
        'seq scan p99 ms',
        'scan / route (p50)',
      ],
      rows.map((r) => [
        r.engine,
        r.label,
        String(r.hits),
        fixed(r.product.p50),
        fixed(r.product.p99),
        fixed(r.product.max),
        fixed(r.baseline.p50),
        fixed(r.baseline.p99),
        fixed(r.baseline.p50 / r.product.p50),
      ]),
    )}\n`,
  );
  for (const engine of options.engines) {
    const of = rows.filter((r) => r.engine === engine);
    const worst = Math.max(...of.map((r) => r.product.max));
    const worstP99 = Math.max(...of.map((r) => r.product.p99));
    console.log(
      `${engine}: worst route p99 ${fixed(worstP99)} ms, worst single request ${fixed(worst)} ms: goal (< ${goalMs} ms) ${worstP99 < goalMs ? 'met' : 'MISSED'}`,
    );
  }
  console.log(
    'Every query: the route and the sequential scan found the same firmware (total and first page).',
  );
}
