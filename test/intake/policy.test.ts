import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { saveResponsePolicy } from '../../src/cases/clocks/response-policy.ts';
import { openDatabase } from '../../src/db/database.ts';
import { migrateToLatest, migrations } from '../../src/db/migrate.ts';
import {
  checkPolicy,
  defaultPolicy,
  loadPolicy,
  type PolicySettings,
  savePolicy,
} from '../../src/intake/policy-settings.ts';
import { Invalid } from '../../src/platform/errors.ts';
import { escapeHtml } from '../../src/platform/html.ts';
import { runCli } from '../support/cli.ts';
import { engine, freshDatabase, startTestProduct, tempDir } from '../support/product.ts';

type TestProduct = Awaited<ReturnType<typeof startTestProduct>>;

/** The inner HTML of the element with this id (the policy page marks each section with one). */
function section(page: string, id: string): string {
  const match = new RegExp(`<(ul|p) id="${id}">([\\s\\S]*?)</\\1>`).exec(page);
  assert.ok(match, `the page has a #${id} section`);
  return match[2] ?? '';
}

const listItems = (fragment: string) => [...fragment.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => m[1]);

describe(`disclosure policy page (${engine})`, () => {
  let product: TestProduct;
  before(async () => {
    product = await startTestProduct({ env: { SECURITY_EMAIL: 'psirt@devices.example.test' } });
  });
  after(() => product.stop());

  const policyHtml = async () => {
    const response = await product.app.inject({ method: 'GET', url: '/policy' });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/html; charset=utf-8');
    return response.body;
  };

  it('shows the default scope, expectations, safe harbor and disclosure timeline', async () => {
    const page = await policyHtml();
    assert.deepEqual(listItems(section(page, 'in-scope')), defaultPolicy.inScope.map(escapeHtml));
    assert.deepEqual(listItems(section(page, 'out-of-scope')), defaultPolicy.outOfScope.map(escapeHtml));
    const expectations = section(page, 'expectations');
    assert.match(expectations, /Confirmation from a person within 2 business days/);
    assert.match(expectations, /assessment \(triage\) within 7 days/);
    assert.match(expectations, /at least every 14 days/);
    assert.equal(section(page, 'safe-harbor'), escapeHtml(defaultPolicy.safeHarbor));
    assert.match(section(page, 'disclosure'), /publish an advisory within 90 days of your report/);
    assert.ok(page.includes('href="mailto:psirt@devices.example.test"'), 'names the security mailbox');
    assert.ok(page.includes('href="/report"') && page.includes('href="/.well-known/openpgp-key.asc"'));
  });

  it('shows saved changes, with hostile text escaped rather than run', async () => {
    const hostile = '<script>alert(1)</script>';
    const changes = checkPolicy({
      inScope: [`${hostile} firmware`, 'Cloud & "API"'],
      outOfScope: ['<img src=x onerror=alert(2)>'],
      updateEveryDays: 21,
      safeHarbor: `We won't sue you. ${hostile}`,
    });
    await savePolicy(product.deps.db, changes, new Date());
    // The times it promises are the response policy's, the ones the case clocks run on.
    await saveResponsePolicy(
      product.deps.db,
      { acknowledgeWithinBusinessDays: 3, triageWithinDays: 10, disclosureWithinDays: 120 },
      new Date(),
    );
    try {
      const page = await policyHtml();
      assert.ok(!/<script/i.test(page), 'no script element in the page');
      assert.ok(!/<img/i.test(page), 'no injected element in the page');
      assert.deepEqual(listItems(section(page, 'in-scope')), [
        '&lt;script&gt;alert(1)&lt;/script&gt; firmware',
        'Cloud &amp; &quot;API&quot;',
      ]);
      assert.deepEqual(listItems(section(page, 'out-of-scope')), ['&lt;img src=x onerror=alert(2)&gt;']);
      const expectations = section(page, 'expectations');
      assert.match(expectations, /within 3 business days/);
      assert.match(expectations, /within 10 days/);
      assert.match(expectations, /every 21 days/);
      assert.ok(!expectations.includes('within 2 business days'), 'the old value is gone');
      assert.equal(
        section(page, 'safe-harbor'),
        'We won&#39;t sue you. &lt;script&gt;alert(1)&lt;/script&gt;',
      );
      assert.match(section(page, 'disclosure'), /within 120 days/);
    } finally {
      await savePolicy(product.deps.db, defaultPolicy, new Date());
      await saveResponsePolicy(
        product.deps.db,
        { acknowledgeWithinBusinessDays: 2, triageWithinDays: 7, disclosureWithinDays: 90 },
        new Date(),
      );
    }
    assert.match(section(await policyHtml(), 'disclosure'), /within 90 days/, 'defaults restored');
  });
});

describe('checkPolicy', () => {
  it('refuses bad edits with a reason for every bad field', () => {
    assert.throws(
      () =>
        checkPolicy({
          inScope: 'everything',
          outOfScope: ['fine', '  '],
          updateEveryDays: 3651,
          safeHarbor: '   ',
          acknowledgmentsUrl: 'javascript:alert(1)',
          colour: 'red',
        }),
      (error: unknown) => {
        assert.ok(error instanceof Invalid);
        assert.deepEqual(error.fields, {
          inScope: 'must be a list of non-empty texts',
          outOfScope: 'must be a list of non-empty texts',
          updateEveryDays: 'must be a whole number of days from 1 to 3650',
          safeHarbor: 'must be non-empty text',
          acknowledgmentsUrl: 'must be an http(s) URL or null',
          colour: 'is not a policy setting',
        });
        return true;
      },
    );
  });

  it('sends the response times to the response policy instead of keeping a second copy', () => {
    assert.throws(
      () => checkPolicy({ acknowledgeWithinBusinessDays: 3, triageWithinDays: 10, disclosureDays: 45 }),
      (error: unknown) => {
        assert.ok(error instanceof Invalid);
        const reason = 'is part of the response policy: an admin sets it with PUT /api/v1/response-policy';
        assert.deepEqual(error.fields, {
          acknowledgeWithinBusinessDays: reason,
          triageWithinDays: reason,
          disclosureDays: reason,
        });
        return true;
      },
    );
  });

  it('accepts a partial edit and returns only the fields it changes', () => {
    const edit: Partial<PolicySettings> = { updateEveryDays: 21, acknowledgmentsUrl: null };
    assert.deepEqual(checkPolicy(edit), edit);
    assert.deepEqual(checkPolicy({ acknowledgmentsUrl: 'https://example.test/thanks' }), {
      acknowledgmentsUrl: 'https://example.test/thanks',
    });
  });
});

describe(`openpsirt policy command (${engine})`, () => {
  let dataDir: string;
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let env: Record<string, string>;
  before(async () => {
    dataDir = tempDir();
    database = await freshDatabase();
    env = { DATA_DIR: dataDir, ...(database.url ? { DATABASE_URL: database.url } : {}) };
  });
  after(async () => {
    await database.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const writeJson = (name: string, value: unknown) => {
    const file = path.join(dataDir, name);
    fs.writeFileSync(file, JSON.stringify(value));
    return file;
  };

  it('sets the policy from a JSON file, shows it, and the policy page serves it', async () => {
    const file = writeJson('policy.json', { updateEveryDays: 21, inScope: ['Only the C200 camera'] });
    const set = await runCli(['policy', 'set', '--file', file], env);
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /^Policy saved:/);

    const show = await runCli(['policy', 'show'], env);
    assert.equal(show.code, 0, show.stderr);
    assert.deepEqual(JSON.parse(show.stdout), {
      ...defaultPolicy,
      acknowledgeWithinBusinessDays: 2,
      triageWithinDays: 7,
      disclosureDays: 90,
      updateEveryDays: 21,
      inScope: ['Only the C200 camera'],
    });

    const product = await startTestProduct({
      dataDir,
      ...(database.url ? { databaseUrl: database.url } : {}),
    });
    try {
      const page = (await product.app.inject({ method: 'GET', url: '/policy' })).body;
      assert.deepEqual(listItems(section(page, 'in-scope')), ['Only the C200 camera']);
      assert.match(section(page, 'expectations'), /every 21 days/);
    } finally {
      await product.stop();
    }
  });

  it('refuses a bad file with a reason per field and changes nothing', async () => {
    const before = await runCli(['policy', 'show'], env);
    const file = writeJson('bad.json', { updateEveryDays: 0, disclosureDays: 45, safeHarbor: '' });
    const set = await runCli(['policy', 'set', '--file', file], env);
    assert.equal(set.code, 1);
    assert.match(set.stderr, /updateEveryDays must be a whole number of days from 1 to 3650/);
    assert.match(set.stderr, /disclosureDays is part of the response policy/);
    assert.match(set.stderr, /safeHarbor must be non-empty text/);
    assert.equal((await runCli(['policy', 'show'], env)).stdout, before.stdout);
  });

  it('explains its usage when the action or the file is missing', async () => {
    const bare = await runCli(['policy'], env);
    assert.equal(bare.code, 2);
    assert.match(bare.stderr, /policy needs "show" or "set"/);
    const noFile = await runCli(['policy', 'set'], env);
    assert.equal(noFile.code, 2);
    assert.match(noFile.stderr, /policy set needs --file FILE/);
  });

  it('says a file is missing or not JSON in one line, without a stack trace', async () => {
    const missing = await runCli(['policy', 'set', '--file', path.join(dataDir, 'nope.json')], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /^Cannot read .*nope\.json: ENOENT\n$/);
    fs.writeFileSync(path.join(dataDir, 'broken.json'), '{"disclosureDays": 45,');
    const broken = await runCli(['policy', 'set', '--file', path.join(dataDir, 'broken.json')], env);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /broken\.json is not valid JSON: /);
    assert.doesNotMatch(broken.stderr, /\n\s+at /);
  });
});

describe(`moving the response times out of the disclosure policy (${engine})`, () => {
  it('carries days an operator set in the old disclosure policy over to the response policy', async () => {
    const dataDir = tempDir();
    const fresh = await freshDatabase();
    const database = await openDatabase({ databaseUrl: fresh.url, dataDir });
    try {
      const before = Object.fromEntries(
        Object.entries(migrations).filter(([name]) => name !== '20261130-0090-one-response-policy'),
      );
      await migrateToLatest(database.db as never, before);
      const old = {
        ...defaultPolicy,
        acknowledgeWithinBusinessDays: 3,
        triageWithinDays: 5,
        disclosureDays: 60,
      };
      await database.db
        .insertInto('settings')
        .values({ key: 'disclosure_policy', value: JSON.stringify(old), updated_at: new Date() })
        .execute();
      await migrateToLatest(database.db as never);
      const policy = await loadPolicy(database.db);
      assert.equal(policy.acknowledgeWithinBusinessDays, 3);
      assert.equal(policy.triageWithinDays, 5);
      assert.equal(policy.disclosureDays, 60);
      const stored = await database.db
        .selectFrom('settings')
        .select('value')
        .where('key', '=', 'disclosure_policy')
        .executeTakeFirstOrThrow();
      assert.equal('disclosureDays' in (stored.value as object), false, 'no second copy is kept');
    } finally {
      await database.close();
      await fresh.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
