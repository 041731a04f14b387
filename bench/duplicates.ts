// Duplicate-suggestion benchmark: 20,000 cases (about 22,000 reports) whose titles and texts are put
// together from a few word lists, so that most words are common, which is the hard case for finding
// candidates; among them five hand-written cases, each with a paraphrased report that must find it
// first. Times GET /api/v1/reports/{reportId}/similar-cases through the real HTTP route (signed in,
// app.inject) and prints the plan of the candidate query, which must use the full-text GIN indexes.
// Goal from the duplicates task: well under 100 ms on PostgreSQL.
import { performance } from 'node:perf_hooks';
import {
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  RawNode,
  type RootOperationNode,
  sql,
  type UnknownRow,
} from 'kysely';
import pino from 'pino';
import { createUser } from '../src/auth/users.ts';
import {
  candidateDocuments,
  documentFrequencies,
  findReportText,
  probeLexemes,
} from '../src/cases/duplicates/duplicate-store.ts';
import {
  anyLexemeQuery,
  prefilterQuery,
  queryLexemes,
  weighLexemes,
} from '../src/cases/duplicates/scoring.ts';
import { restingCaseWindowDays } from '../src/cases/duplicates/similar-cases.ts';
import { loadConfig } from '../src/config.ts';
import type { Db } from '../src/db/database.ts';
import { startProduct } from '../src/server.ts';
import type { BenchOptions, EngineChoice } from './support/bench-options.ts';
import { freshDatabase } from './support/fresh-database.ts';

export const description = 'duplicate suggestions for a report among 20,000 cases (GET …/similar-cases)';

const goalMs = 100;
/** DUPLICATES_CASES makes a smaller data set for a quick try. */
const caseCount = Number(process.env.DUPLICATES_CASES || 20000);
const repeats = 20;
const warmups = 3;

const vulnerabilities = [
  'Stack buffer overflow',
  'Command injection',
  'Hard-coded credentials',
  'Cross-site scripting',
  'Missing authentication',
  'Path traversal',
  'Heap buffer overflow',
  'Cross-site request forgery',
  'Integer overflow',
  'Denial of service',
  'Information disclosure',
  'Use after free',
  'Improper certificate validation',
  'Weak password hashing',
  'Replay attack',
  'Race condition',
  'Format string bug',
  'SQL injection',
  'Open debug port',
  'Insecure default configuration',
  'Downgrade attack',
  'Memory leak',
  'Null pointer dereference',
  'XML external entity expansion',
  'Server-side request forgery',
  'Unsigned firmware update',
  'Privilege escalation',
  'Session fixation',
  'Cleartext storage of secrets',
  'Timing side channel',
];
const components = [
  'web interface',
  'firmware updater',
  'UPnP service',
  'MQTT client',
  'Bluetooth LE pairing',
  'RTSP server',
  'telnet daemon',
  'DHCP client',
  'mobile app API',
  'cloud sync agent',
  'bootloader',
  'DNS resolver',
  'SNMP agent',
  'TR-069 client',
  'Wi-Fi provisioning',
  'OTA downloader',
  'SSH server',
  'Modbus gateway',
  'CoAP endpoint',
  'voice assistant',
  'Zigbee stack',
  'Z-Wave bridge',
  'NFC reader',
  'video encoder',
  'log exporter',
  'NTP time sync',
  'USB stack',
  'Thread border router',
  'Matter commissioning',
  'backup restore',
];
const devices = [
  'smart camera',
  'door lock',
  'thermostat',
  'home router',
  'smart plug',
  'baby monitor',
  'home hub',
  'video doorbell',
  'light bulb',
  'network storage',
  'smart TV',
  'robot vacuum',
  'smoke detector',
  'garage opener',
  'EV charger',
  'solar inverter',
  'printer',
  'speaker',
  'sensor bridge',
  'mesh node',
];
const attackers = [
  'An unauthenticated attacker on the local network',
  'A remote attacker',
  'An attacker within Bluetooth range',
  'An authenticated user with guest rights',
  'A malicious cloud peer',
  'An attacker with physical access',
];
const impacts = [
  'execute arbitrary code as root',
  'read the stored Wi-Fi credentials',
  'bypass the pairing PIN',
  'crash the device until it is power cycled',
  'install modified firmware',
  'open the lock without a key',
  'watch the live video stream',
  'disable the alarm',
];
const details = [
  'The firmware does not check the length of the header before copying it.',
  'The signature of the image is not verified by the bootloader.',
  'A debug interface was left enabled in production builds.',
  'The session token is predictable.',
  'Input from the pairing request is passed to a shell.',
  'The certificate chain is not validated.',
  'Credentials are stored in cleartext in flash.',
  'The same key is used on every device.',
  'Rate limiting is missing on the login endpoint.',
  'Reported together with a proof of concept.',
];
const verbs = [
  'parse',
  'handle',
  'decode',
  'read',
  'write',
  'copy',
  'check',
  'load',
  'send',
  'recv',
  'build',
  'free',
];
const nouns = [
  'header',
  'packet',
  'frame',
  'token',
  'session',
  'config',
  'buffer',
  'record',
  'chunk',
  'entry',
];
const restingStates = ['closed', 'closed', 'closed', 'not-a-vulnerability', 'duplicate', 'out-of-scope'];
const workingStates = ['new', 'triage', 'confirmed', 'fixing', 'fix-available', 'disclosed'];

/** Hand-written cases and, for each, a report in other words that must find it first. */
const anchors = [
  {
    title: 'Stack overflow in RTSP DESCRIBE parser of camera firmware',
    text: 'Sending an RTSP DESCRIBE request whose Content-Base header is longer than 1024 bytes to port 554 overflows a fixed stack buffer in rtsp_parse_describe of firmware 2.3.1; the saved return address is overwritten.',
    paraphrase: [
      'Camera crashes on oversized RTSP DESCRIBE request (stack buffer overflow)',
      "An over-long Content-Base header in an RTSP DESCRIBE message to TCP 554 smashes the stack in the camera's RTSP parser.",
    ],
  },
  {
    title: 'Smart lock accepts BLE pairing without PIN confirmation',
    text: 'The lock uses Bluetooth LE Just Works pairing and never asks for the PIN shown in the app; a captured unlock command can be replayed.',
    paraphrase: [
      'Door lock pairs over Bluetooth LE with no PIN',
      'While in setup mode the lock lets any phone complete Bluetooth LE pairing; the PIN is never checked and a recorded unlock command can be replayed.',
    ],
  },
  {
    title: 'Thermostat accepts OTA images signed with the leaked Acme test key',
    text: 'The updater trusts the Acme development certificate that was published in the SDK, so anyone can sign an OTA image the thermostat installs.',
    paraphrase: [
      'Acme SDK test certificate lets anyone sign thermostat updates',
      'The development signing key shipped in the public Acme SDK is accepted by the OTA updater of the thermostat.',
    ],
  },
  {
    title: 'Doorbell leaks Wi-Fi PSK in cleartext over UART at boot',
    text: 'Connecting to the UART pads on the doorbell board shows the stored WPA2 pre-shared key in the boot log.',
    paraphrase: [
      'WPA2 key printed on the serial console of the video doorbell',
      'The boot log on the doorbell serial pads contains the Wi-Fi pre-shared key in clear.',
    ],
  },
  {
    title: 'Heartbleed-style over-read in the mbedTLS heartbeat handler of the hub',
    text: 'A TLS heartbeat request with a payload length larger than the record returns up to 64 KB of hub memory, including session keys.',
    paraphrase: [
      'Hub TLS heartbeat returns memory beyond the request',
      'Sending a heartbeat with an inflated payload length makes the hub answer with 64 KB of its memory (mbedTLS).',
    ],
  },
];

let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x80000000;
};
const pick = <T>(list: T[], skew = 1): T => list[Math.floor(list.length * random() ** skew)] as T;

const progress = (line: string) => console.log(`  ${line}`);

type Loaded = { anchorCaseIds: string[] };

/** Cases, their reports (one in ten has a second) and links, created over four years before `now`. */
async function bulkLoad(db: Db, now: Date): Promise<Loaded> {
  const started = performance.now();
  const products = await db
    .insertInto('products')
    .values(devices.map((name, i) => ({ slug: `bench-device-${i}`, name })))
    .returning('id')
    .execute();
  const anchorCaseIds: string[] = [];
  let reportNumber = 0;
  const batch = 1000;
  for (let from = 0; from < caseCount; from += batch) {
    const cases = [];
    const reports = [];
    const links = [];
    for (let i = from; i < Math.min(caseCount, from + batch); i++) {
      const anchor =
        i % Math.floor(caseCount / anchors.length) === 7 ? anchors[anchorCaseIds.length] : undefined;
      const vulnerability = pick(vulnerabilities, 1.5);
      const component = pick(components, 1.6);
      const device = pick(devices, 1.3);
      const fn = `${component
        .split(' ')[0]
        ?.toLowerCase()
        .replace(/[^a-z]/g, '')}_${pick(verbs)}_${pick(nouns)}`;
      const title = anchor?.title ?? `${vulnerability} in the ${component} of the ${device}`;
      const ageDays = Math.floor((1460 * (caseCount - i)) / caseCount);
      const created = new Date(now.getTime() - ageDays * 86_400_000);
      const state = anchor
        ? 'triage'
        : ageDays < 120
          ? pick(workingStates)
          : pick([...restingStates, ...workingStates.slice(0, 2)]);
      const id = crypto.randomUUID();
      if (anchor) anchorCaseIds.push(id);
      cases.push({
        id,
        number: `CASE-BENCH-${String(i).padStart(6, '0')}`,
        title,
        summary: anchor ? '' : `${pick(attackers)} can ${pick(impacts)} through ${fn}() in the ${component}.`,
        state: state as 'new',
        created_at: created,
        updated_at: new Date(created.getTime() + 40 * 3_600_000),
      });
      for (let k = 0; k < (random() < 0.1 ? 2 : 1); k++) {
        const reportId = crypto.randomUUID();
        const text =
          anchor?.text ??
          `${pick(attackers)} can ${pick(impacts)}. ${pick(details)} ${pick(details)} The bug is in ${fn}() of the ${component} on port ${1000 + Math.floor(random() * 60000)}. Steps: pair the ${device}, send the request twice and watch the ${component}.`;
        reports.push({
          id: reportId,
          tracking_id: `BENCH-${reportNumber++}`,
          source: 'form' as const,
          title: k === 0 ? title : `${component} ${vulnerability.toLowerCase()} on ${device}`,
          product_id: random() < 0.7 ? (products[devices.indexOf(device)]?.id ?? null) : null,
          description: text,
          encrypted: false,
          credit: 'named' as const,
          status_token_hash: reportId,
          created_at: created,
        });
        links.push({
          report_id: reportId,
          case_id: id,
          relation: k === 0 ? ('origin' as const) : ('duplicate' as const),
          attached_at: created,
          attached_by: 'bench',
        });
      }
    }
    await db.insertInto('cases').values(cases).execute();
    await db.insertInto('reports').values(reports).execute();
    await db.insertInto('case_reports').values(links).execute();
    if ((from + batch) % 5000 === 0) progress(`cases: ${from + batch} of ${caseCount}`);
  }
  progress(`loaded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  return { anchorCaseIds };
}

/** Turns every query it sees into EXPLAIN ANALYZE and keeps the plan. */
class ExplainPlugin implements KyselyPlugin {
  plans: string[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node as unknown as RawNode;
    const [first = '', ...rest] = node.sqlFragments;
    return RawNode.create([`explain (analyze, costs off) ${first}`, ...rest], node.parameters) as never;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    this.plans.push(args.result.rows.map((row) => Object.values(row)[0]).join('\n'));
    return { rows: [] };
  }
}

/** The plan of the candidate query for one report, as the service would run it. */
async function candidatePlan(db: Db, reportId: string, now: Date): Promise<string> {
  const report = await findReportText(db, reportId);
  if (!report) throw new Error('no probe report');
  const lexemes = queryLexemes(await probeLexemes(db, report.title, report.description), report.description);
  const names = lexemes.map((lexeme) => lexeme.lexeme);
  const frequencies = await documentFrequencies(
    db,
    names,
    names.map((name) => anyLexemeQuery([name])),
  );
  const weighted = weighLexemes(lexemes, frequencies);
  const explain = new ExplainPlugin();
  await candidateDocuments(db.withPlugin(explain), {
    prefilter: prefilterQuery(weighted),
    rankQuery: anyLexemeQuery(names),
    title: report.title,
    lexemes: names,
    productIds: [],
    excludeCaseId: report.case_id,
    restingSince: new Date(now.getTime() - restingCaseWindowDays * 86_400_000),
  });
  return explain.plans.join('\n');
}

const percentile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;

async function runEngine(engine: EngineChoice): Promise<void> {
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
    const now = product.deps.clock();
    const { anchorCaseIds } = await bulkLoad(product.deps.db, now);
    await sql`analyze`.execute(product.deps.db);
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
    const probes: { reportId: string; expected: string | undefined }[] = [];
    for (const [i, anchor] of anchors.entries()) {
      const [title, description] = anchor.paraphrase;
      const sent = await product.app.inject({
        method: 'POST',
        url: '/api/v1/reports',
        payload: { title, description },
      });
      if (sent.statusCode !== 201) throw new Error(`report refused: ${sent.body}`);
      const row = await product.deps.db
        .selectFrom('reports')
        .select('id')
        .where('tracking_id', '=', sent.json().trackingId)
        .executeTakeFirstOrThrow();
      probes.push({ reportId: row.id, expected: anchorCaseIds[i] });
    }
    const existing = await product.deps.db
      .selectFrom('reports')
      .select('id')
      .where('tracking_id', 'like', 'BENCH-%')
      .orderBy('id')
      .limit(10)
      .execute();
    probes.push(...existing.map((row) => ({ reportId: row.id, expected: undefined })));

    const samples: number[] = [];
    const byKind: Record<string, number[]> = { paraphrases: [], 'existing reports': [] };
    for (const probe of probes) {
      const ask = () =>
        product.app.inject({ url: `/api/v1/reports/${probe.reportId}/similar-cases`, headers: { cookie } });
      for (let i = 0; i < warmups; i++) await ask();
      for (let i = 0; i < repeats; i++) {
        const started = performance.now();
        const response = await ask();
        const took = performance.now() - started;
        samples.push(took);
        byKind[probe.expected ? 'paraphrases' : 'existing reports']?.push(took);
        if (response.statusCode !== 200) throw new Error(`similar-cases: ${response.body}`);
        const first = response.json().items[0];
        if (probe.expected && first?.caseId !== probe.expected) {
          throw new Error(`a paraphrase did not find its case first: ${response.body}`);
        }
      }
    }
    samples.sort((a, b) => a - b);
    const p50 = percentile(samples, 0.5);
    const p95 = percentile(samples, 0.95);
    progress(
      `${samples.length} requests (${anchors.length} paraphrases, each found its case first; ${existing.length} existing reports)`,
    );
    progress(
      `p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${(samples.at(-1) ?? 0).toFixed(1)} ms (goal: under ${goalMs} ms)`,
    );
    for (const [kind, times] of Object.entries(byKind)) {
      times.sort((a, b) => a - b);
      progress(
        `  ${kind}: p50 ${percentile(times, 0.5).toFixed(1)} ms, p95 ${percentile(times, 0.95).toFixed(1)} ms`,
      );
    }
    const plan = await candidatePlan(product.deps.db, probes[0]?.reportId as string, now);
    for (const index of ['cases_search', 'reports_search']) {
      if (plan.includes(`Bitmap Index Scan on ${index}`)) continue;
      // On a small table a sequential scan is the better plan; at the size asked for it is a fault.
      if (caseCount < 10000) progress(`note: ${index} is not used at ${caseCount} cases`);
      else throw new Error(`the candidate query does not use ${index}:\n${plan}`);
    }
    progress('candidate query plan (the first paraphrase):');
    console.log(
      plan
        .split('\n')
        .map((line) => `    ${line}`)
        .join('\n'),
    );
  } finally {
    await product.close();
    await database.drop();
  }
}

export async function run(options: BenchOptions): Promise<void> {
  for (const engine of options.engines) await runEngine(engine);
}
