// Data of the inbox benchmark: cases, their reports and events,
// made inside the database by INSERT … SELECT over generate_series, in batches. Every value is a
// function of the row number through hashtext(), so a run is repeatable; titles, summaries and
// report texts are put together from the word lists below, some picked far more often than others,
// so that full-text words have the spread of selectivity real text has.
import { performance } from 'node:perf_hooks';
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../../src/db/schema.ts';

export const vulnerabilities = [
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

export const components = [
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
  'A crafted mobile app',
  'An attacker on the same Wi-Fi',
];

const impacts = [
  'execute arbitrary code as root',
  'read the stored Wi-Fi credentials',
  'bypass the pairing PIN',
  'crash the device until it is power cycled',
  'install modified firmware',
  'open the lock without a key',
  'watch the live video stream',
  'change the schedule and setpoints',
  'exfiltrate the device certificate',
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
  'The watchdog restarts the service without clearing state.',
  'The same key is used on every device.',
  'Rate limiting is missing on the login endpoint.',
  'Reported together with a proof of concept.',
  'Also affects older hardware revisions.',
  'Found during an internal penetration test.',
  'The reporter asked for a coordinated disclosure.',
];

export const sizes = { products: 20, modelsPerProduct: 5, suppliers: 30, analysts: 25 };

/** The row-number hash of a salt: a repeatable integer from 0 to 2^31 - 1. */
const hash = (i: RawBuilder<unknown>, salt: string) =>
  sql`(hashtext(${i}::text || ${salt}::text) & 2147483647)`;

/** One of `list`; skew > 1 picks the first entries more often (skew 1: evenly). */
function pick(list: string[], i: RawBuilder<unknown>, salt: string, skew = 1): RawBuilder<string> {
  const u = sql`(${hash(i, salt)}::float8 / 2147483648.0)`;
  return sql<string>`(${JSON.stringify(list)}::jsonb ->> floor(${list.length} * power(${u}, ${skew}))::int)`;
}

const uuidOf = (kind: string, n: RawBuilder<unknown>) => sql`md5(${`bench-${kind}-`} || (${n})::text)::uuid`;

const progress = (line: string) => console.error(`  ${line}`);

/** Products, models, suppliers and the analysts cases are assigned to (they never sign in). */
async function loadReferenceData(db: Kysely<DB>): Promise<void> {
  const k = sql.ref('k');
  await sql`insert into products (id, slug, name)
    select ${uuidOf('product', k)}, 'bench-product-' || k, 'Bench product ' || k
    from generate_series(0, ${sizes.products - 1}::int) as k`.execute(db);
  await sql`insert into models (id, product_id, slug, name)
    select ${uuidOf('model', k)}, ${uuidOf('product', sql`k / ${sizes.modelsPerProduct}`)}, 'model-' || k, 'Model ' || k
    from generate_series(0, ${sizes.products * sizes.modelsPerProduct - 1}::int) as k`.execute(db);
  await sql`insert into suppliers (id, slug, name)
    select ${uuidOf('supplier', k)}, 'bench-supplier-' || k, 'Bench supplier ' || k
    from generate_series(0, ${sizes.suppliers - 1}::int) as k`.execute(db);
  await sql`insert into users (id, email, name, role, password_hash)
    select ${uuidOf('analyst', k)}, 'analyst-' || k || '@bench.example', 'Analyst ' || k, 'analyst', 'not a password hash'
    from generate_series(0, ${sizes.analysts - 1}::int) as k`.execute(db);
}

const pathOf = sql`case state
    when 'new' then array['new']
    when 'triage' then array['new', 'triage']
    when 'confirmed' then array['new', 'triage', 'confirmed']
    when 'fixing' then array['new', 'triage', 'confirmed', 'fixing']
    when 'fix-available' then array['new', 'triage', 'confirmed', 'fixing', 'fix-available']
    when 'disclosed' then array['new', 'triage', 'confirmed', 'fixing', 'fix-available', 'disclosed']
    when 'closed' then array['new', 'triage', 'confirmed', 'fixing', 'fix-available', 'disclosed', 'closed']
    else array['new', 'triage', state] end`;

/**
 * Cases of rows [from, to): created evenly over four years before `now`; recent ones mostly being
 * worked on, older ones mostly at rest, with a tail of stale open cases (the overdue ones).
 */
async function loadCases(db: Kysely<DB>, from: number, to: number, count: number, now: Date) {
  const i = sql.ref('g.i');
  const u = hash(i, 'state');
  const scored = sql`(${hash(i, 'cvss')} % 100 >= 30)`;
  const score = sql`round((1 + (${hash(i, 'score')} % 90) / 10.0)::numeric, 1)`;
  const device = pick(devices, i, 'device', 1.3);
  const component = pick(components, i, 'component', 1.6);
  await sql`
    insert into cases (id, number, title, summary, state, cvss_vector, cvss_version, cvss_score, cvss_severity,
                       assignee_user_id, supplier_id, actively_exploited_since, created_at, updated_at)
    select id, 'CASE-' || extract(year from created_at)::int || '-' || lpad(i::text, 6, '0'),
           title, summary, state, case when scored then 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' end,
           case when scored then '3.1' end, case when scored then score end,
           case when not scored then null when score >= 9 then 'critical' when score >= 7 then 'high'
                when score >= 4 then 'medium' else 'low' end,
           assignee, supplier, case when exploited then created_at + interval '2 days' end, created_at,
           created_at + interval '40 hours'
    from (
      select g.i, ${uuidOf('case', i)} as id, created_at,
             ${pick(vulnerabilities, i, 'vuln', 1.8)} || ' in the ' || ${component} || ' of the ' || ${device} as title,
             ${pick(attackers, i, 'attacker')} || ' can ' || ${pick(impacts, i, 'impact', 1.4)} || ' through the '
               || ${component} || '. ' || ${pick(details, i, 'detail', 1.2)}
               || case when ${hash(i, 'rare')} % 500 = 0 then ' Looks like a heartbleed variant.' else '' end as summary,
             case
               when age_days < 14 then (array['new', 'new', 'triage', 'triage', 'triage', 'confirmed', 'fixing',
                 'not-a-vulnerability', 'duplicate', 'out-of-scope'])[1 + ${u} % 10]
               when age_days < 120 then (array['triage', 'confirmed', 'fixing', 'fixing', 'fix-available', 'disclosed',
                 'closed', 'not-a-vulnerability', 'duplicate', 'closed'])[1 + ${u} % 10]
               else (array['new', 'triage', 'confirmed', 'fixing', 'fixing', 'fix-available', 'disclosed', 'closed',
                 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'closed', 'not-a-vulnerability',
                 'not-a-vulnerability', 'not-a-vulnerability', 'not-a-vulnerability', 'duplicate',
                 'duplicate', 'out-of-scope'])[1 + ${u} % 22]
             end as state,
             ${scored} as scored, ${score} as score,
             case when ${hash(i, 'assignee')} % 10 < 8 then ${uuidOf('analyst', sql`${hash(i, 'who')} % ${sizes.analysts}`)} end as assignee,
             case when ${hash(i, 'supplier')} % 10 < 4 then ${uuidOf('supplier', sql`${hash(i, 'which')} % ${sizes.suppliers}`)} end as supplier,
             ${hash(i, 'exploited')} % 200 = 0 as exploited
      from (
        select i, age_days, ${now}::timestamptz - make_interval(days => age_days) - make_interval(secs => i % 3600) as created_at
        from (select i, (1460.0 * (${count} - i) / ${count})::int as age_days from generate_series(${from}::int, ${to - 1}::int) as i) as s
      ) as g
    ) as c`.execute(db);
}

/** One origin report per case (the reporter's own words), a duplicate report for one case in ten. */
async function loadReports(db: Kysely<DB>, from: number, to: number) {
  const i = sql.ref('g.i');
  const text = (salt: string) =>
    sql`${pick(details, i, `${salt}1`, 1.2)} || ' ' || ${pick(details, i, `${salt}2`)} || ' Steps: pair the '
      || ${pick(devices, i, `${salt}3`)} || ', send the request twice and watch the '
      || ${pick(components, i, `${salt}4`, 1.6)} || '.'`;
  const insert = (kind: 'report' | 'duplicate', where: RawBuilder<unknown>, later: string) => sql`
    insert into reports (id, tracking_id, source, title, product_id, description, credit, status_token_hash, created_at)
    select ${uuidOf(kind, i)}, ${kind === 'report' ? 'BENCH-' : 'BENCH-D-'} || g.i, 'form', c.title,
           case when ${hash(i, 'product')} % 10 < 7 then ${uuidOf('product', sql`${hash(i, 'product-n')} % ${sizes.products}`)} end,
           ${text(kind)}, 'named', md5(${`${kind}-token-`} || g.i), c.created_at + ${later}::interval
    from generate_series(${from}::int, ${to - 1}::int) as g(i)
    join cases c on c.id = ${uuidOf('case', i)}
    where ${where}`;
  await insert('report', sql`true`, '0 seconds').execute(db);
  await insert('duplicate', sql`${hash(i, 'dup')} % 10 = 0`, '3 days').execute(db);
  await sql`
    insert into case_reports (report_id, case_id, relation, attached_at, attached_by)
    select r.id, ${uuidOf('case', i)}, case when r.tracking_id like 'BENCH-D-%' then 'duplicate' else 'origin' end,
           r.created_at, 'user:bench'
    from generate_series(${from}::int, ${to - 1}::int) as g(i)
    join reports r on r.id in (${uuidOf('report', i)}, ${uuidOf('duplicate', i)})`.execute(db);
  await sql`
    insert into case_affects (case_id, model_id, version_range)
    select ${uuidOf('case', i)}, ${uuidOf('model', sql`${hash(i, 'model')} % ${sizes.products * sizes.modelsPerProduct}`)}, '< 2.4.1'
    from generate_series(${from}::int, ${to - 1}::int) as g(i)
    where ${hash(i, 'affects')} % 10 < 6`.execute(db);
}

const fillerKinds = [
  'SUMMARY_CHANGED',
  'ASSIGNEE_CHANGED',
  'CVSS_CHANGED',
  'AFFECTS_CHANGED',
  'TITLE_CHANGED',
  'CWE_CHANGED',
];

/**
 * Each case's history: CASE_OPENED, the state moves that lead to its state (one every 19 hours, so
 * acknowledgement and triage are on time), then other changes, 10 to 30 events in all (20 on average).
 */
async function loadEvents(db: Kysely<DB>, from: number, to: number, now: Date) {
  await sql`
    insert into case_events (case_id, at, actor, actor_label, kind, "from", "to")
    select x.id, least(x.created_at + k * interval '19 hours', ${now}::timestamptz), 'user:bench', 'analyst@bench.example',
           case when k = 0 then 'CASE_OPENED' when k < x.plen then 'STATE_CHANGED'
                else ${JSON.stringify(fillerKinds)}::jsonb ->> (k % ${fillerKinds.length}) end,
           case when k > 0 and k < x.plen then jsonb_build_object('state', x.path[k])
                when k >= x.plen then '"before"'::jsonb end,
           case when k = 0 then jsonb_build_object('number', x.number, 'state', 'new')
                when k < x.plen then jsonb_build_object('state', x.path[k + 1])
                else '"after"'::jsonb end
    from (
      select g.i, c.id, c.number, c.created_at, p.path, array_length(p.path, 1) as plen,
             greatest(array_length(p.path, 1), 10 + ${hash(sql.ref('g.i'), 'events')} % 21) as total
      from generate_series(${from}::int, ${to - 1}::int) as g(i)
      join cases c on c.id = ${uuidOf('case', sql.ref('g.i'))}
      cross join lateral (select ${pathOf} as path) as p
    ) as x
    cross join lateral generate_series(0, x.total - 1) as k
    order by x.i, k`.execute(db);
}

/** Loads `count` cases with everything around them, in batches, printing progress on stderr. */
export async function loadInboxData(db: Kysely<DB>, count: number, batch: number, now: Date): Promise<void> {
  const started = performance.now();
  const seconds = () => ((performance.now() - started) / 1000).toFixed(0);
  progress(`loading ${count} cases in batches of ${batch}`);
  await loadReferenceData(db);
  for (let from = 1; from <= count; from += batch) {
    const to = Math.min(count + 1, from + batch);
    await loadCases(db, from, to, count, now);
    await loadReports(db, from, to);
    await loadEvents(db, from, to, now);
    progress(`cases ${to - 1} of ${count} (${seconds()} s)`);
  }
}
