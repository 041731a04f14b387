// The demo cases `npm start` adds: made through the real commands on top of the demo data, once.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { seedDemoCases } from '../../src/cases/demo.ts';
import { engine, startTestProduct } from '../support/product.ts';
import type { TestProductHandle } from './fixtures.ts';

describe(`demo cases (${engine})`, () => {
  let product: TestProductHandle;
  before(async () => {
    product = await startTestProduct({ demo: true });
  });
  after(() => product.stop());

  it('opens three cases in different states, leaves reports in the incoming queue, and runs only once', async () => {
    assert.equal(await seedDemoCases(product.deps), 3);
    const cases = await product.deps.db
      .selectFrom('cases')
      .select(['title', 'state', 'next_due_at'])
      .orderBy('number')
      .execute();
    assert.deepEqual(
      cases.map((c) => c.state),
      ['confirmed', 'triage', 'not-a-vulnerability'],
    );
    assert.ok(cases[0]?.next_due_at, 'the confirmed case has a running fix clock');
    const incoming = await product.deps.db
      .selectFrom('reports')
      .leftJoin('case_reports', 'case_reports.report_id', 'reports.id')
      .select('reports.title')
      .where('case_reports.case_id', 'is', null)
      .execute();
    assert.deepEqual(
      incoming.map((r) => r.title),
      ['Smoke alarm setup page shows the Wi-Fi password'],
    );
    const threads = await product.deps.db.selectFrom('case_messages').select('thread').execute();
    assert.deepEqual(threads.map((t) => t.thread).sort(), ['internal', 'supplier']);

    assert.equal(await seedDemoCases(product.deps), 0, 'a second run adds nothing');
    assert.equal((await product.deps.db.selectFrom('cases').select('id').execute()).length, 3);
  });
});
