import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signInAs, type TestSession } from '../support/auth.ts';
import { engine, startTestProduct } from '../support/product.ts';
import { caseEvents, submitReport, type TestProductHandle } from './fixtures.ts';

type CaseJson = { id: string; number: string; state: string; reports: { id: string; relation: string }[] };

describe(`merging cases (${engine})`, () => {
  let product: TestProductHandle;
  let analyst: TestSession;
  before(async () => {
    product = await startTestProduct();
    analyst = await signInAs(product, 'analyst');
  });
  after(() => product.stop());

  let reporterCount = 0;
  const report = (title: string) =>
    submitReport(product, title, { reporterEmail: `reporter-${++reporterCount}@research.example` });

  const open = async (title: string, state: 'new' | 'triage' | 'confirmed' = 'new') => {
    const reportId = await report(title);
    const response = await analyst.inject({ method: 'POST', url: '/api/v1/cases', payload: { reportId } });
    assert.equal(response.statusCode, 201, response.body);
    const opened = response.json() as CaseJson;
    for (const to of state === 'new' ? [] : state === 'triage' ? ['triage'] : ['triage', 'confirmed']) {
      const moved = await analyst.inject({
        method: 'POST',
        url: `/api/v1/cases/${opened.id}/transitions`,
        payload: { to },
      });
      assert.equal(moved.statusCode, 200, moved.body);
    }
    return { ...opened, reportId };
  };

  const merge = (caseId: string, body: object, as: TestSession = analyst) =>
    as.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/merge`, payload: body });

  const linkMails = async (messageIdPrefix: string) => {
    const jobs = await product.deps.db.selectFrom('jobs').select(['type', 'payload']).execute();
    return jobs
      .filter((job) => job.type === 'MAIL_SEND')
      .map((job) => job.payload as { to: string; subject: string; messageId: string })
      .filter((mail) => mail.messageId.startsWith(`<${messageIdPrefix}.`));
  };

  const snapshot = async (caseIds: string[]) => ({
    cases: await product.deps.db
      .selectFrom('cases')
      .select(['id', 'state', 'updated_at'])
      .where('id', 'in', caseIds)
      .orderBy('id')
      .execute(),
    links: await product.deps.db
      .selectFrom('case_reports')
      .select(['report_id', 'case_id', 'relation'])
      .where('case_id', 'in', caseIds)
      .orderBy('report_id')
      .execute(),
    events: await product.deps.db
      .selectFrom('case_events')
      .select('id')
      .where('case_id', 'in', caseIds)
      .execute(),
  });

  it('moves every report of a case in triage into the other case, records both sides and tells every reporter', async () => {
    const into = await open('Hard-coded JWT secret in the hub firmware', 'triage');
    const merged = await open('Hub signs sessions with a fixed HS256 key', 'triage');
    const attachedId = await report('JWT forgery on the hub API');
    const attached = await analyst.inject({
      method: 'POST',
      url: `/api/v1/cases/${merged.id}/reports`,
      payload: { reportId: attachedId },
    });
    assert.equal(attached.statusCode, 200, attached.body);
    const eventsBefore = await caseEvents(product, merged.id);
    const mailsBefore = (await linkMails('case-link')).length + (await linkMails('case-duplicate')).length;

    const response = await merge(merged.id, {
      intoCaseId: into.id,
      reason: 'Same fixed key, reported twice',
    });
    assert.equal(response.statusCode, 200, response.body);
    const body = response.json() as CaseJson;
    assert.equal(body.id, into.id);
    assert.deepEqual(
      body.reports.map((r) => [r.id, r.relation]).sort(),
      [
        [into.reportId, 'origin'],
        [merged.reportId, 'duplicate'],
        [attachedId, 'duplicate'],
      ].sort(),
    );

    const mergedNow = (await analyst.inject({ url: `/api/v1/cases/${merged.id}` })).json() as CaseJson;
    assert.equal(mergedNow.state, 'duplicate');
    assert.deepEqual(mergedNow.reports, []);

    const mergedEvents = await caseEvents(product, merged.id);
    assert.deepEqual(mergedEvents.slice(0, eventsBefore.length), eventsBefore, 'earlier events untouched');
    assert.deepEqual(
      mergedEvents.slice(eventsBefore.length).map((e) => [e.kind, e.from, e.to, e.reason]),
      [
        ['STATE_CHANGED', { state: 'triage' }, { state: 'duplicate' }, 'Same fixed key, reported twice'],
        [
          'CASE_MERGED_INTO',
          null,
          { caseId: into.id, number: into.number },
          'Same fixed key, reported twice',
        ],
      ],
    );
    const intoEvent = (await caseEvents(product, into.id)).at(-1);
    assert.equal(intoEvent?.kind, 'REPORTS_MERGED_IN');
    const from = intoEvent?.from as { caseId: string; number: string; reportIds: string[] };
    assert.equal(from.caseId, merged.id);
    assert.equal(from.number, merged.number);
    assert.deepEqual([...from.reportIds].sort(), [merged.reportId, attachedId].sort());
    assert.equal(intoEvent?.actor, `user:${analyst.user.id}`);
    const similar = await analyst.inject({ url: `/api/v1/cases/${into.id}/similar-cases` });
    assert.equal(similar.statusCode, 200, similar.body);
    assert.ok(
      !similar.json().items.some((item: { caseId: string }) => item.caseId === merged.id),
      'a case merged away (no reports left) is not suggested',
    );

    // The two moved reporters hear that their report joined the case; the case's own reporter that
    // two more reports of the same issue arrived.
    const linked = await linkMails('case-link');
    const duplicates = await linkMails('case-duplicate');
    assert.equal(linked.length + duplicates.length - mailsBefore, 3);
    const publicEvents = await product.deps.db
      .selectFrom('report_events')
      .select(['report_id', 'kind'])
      .where('report_id', 'in', [into.reportId, merged.reportId, attachedId])
      .where('kind', 'in', ['linked_to_case', 'duplicate_linked'])
      .where('public', '=', true)
      .execute();
    const kinds = (id: string) => publicEvents.filter((e) => e.report_id === id).map((e) => e.kind);
    assert.deepEqual(kinds(into.reportId), ['duplicate_linked']);
    assert.ok(kinds(merged.reportId).includes('linked_to_case'));
    assert.ok(kinds(attachedId).filter((kind) => kind === 'linked_to_case').length >= 2);
  });

  it('gives the moved reports the status of the case they joined', async () => {
    const into = await open('Doorbell video stream has no TLS', 'confirmed');
    const merged = await open('Doorbell streams video in clear text', 'triage');
    assert.equal((await merge(merged.id, { intoCaseId: into.id })).statusCode, 200);
    const moved = await product.deps.db
      .selectFrom('reports')
      .select('status')
      .where('id', '=', merged.reportId)
      .executeTakeFirstOrThrow();
    assert.equal(moved.status, 'confirmed');
  });

  it('takes a new case through triage to duplicate, both moves recorded', async () => {
    const into = await open('Open MQTT broker on port 1883');
    const merged = await open('Anonymous MQTT access to the bridge');
    const response = await merge(merged.id, { intoCaseId: into.id });
    assert.equal(response.statusCode, 200, response.body);
    const moves = (await caseEvents(product, merged.id)).slice(1);
    assert.deepEqual(
      moves.map((e) => [e.kind, e.from, e.to, e.reason]),
      [
        ['STATE_CHANGED', { state: 'new' }, { state: 'triage' }, `Merged into ${into.number}`],
        ['STATE_CHANGED', { state: 'triage' }, { state: 'duplicate' }, `Merged into ${into.number}`],
        ['CASE_MERGED_INTO', null, { caseId: into.id, number: into.number }, `Merged into ${into.number}`],
      ],
    );
  });

  it('refuses merges that make no sense, and changes nothing', async () => {
    const into = await open('UART root shell without password');
    const confirmed = await open('Serial console gives root', 'confirmed');
    const fresh = await open('Root shell on the debug header');
    const alreadyMerged = await open('Debug UART is open');
    assert.equal((await merge(alreadyMerged.id, { intoCaseId: into.id })).statusCode, 200);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const ids = [into.id, confirmed.id, fresh.id, alreadyMerged.id];
    const before = await snapshot(ids);

    const itself = await merge(fresh.id, { intoCaseId: fresh.id });
    assert.equal(itself.statusCode, 400, itself.body);
    assert.equal(itself.json().fields.intoCaseId, 'must be another case');
    const pastTriage = await merge(confirmed.id, { intoCaseId: into.id });
    assert.equal(pastTriage.statusCode, 409);
    assert.match(
      pastTriage.json().message,
      /is confirmed: only a case that is new or in triage can be merged/,
    );
    const intoDuplicate = await merge(fresh.id, { intoCaseId: alreadyMerged.id });
    assert.equal(intoDuplicate.statusCode, 409);
    assert.match(intoDuplicate.json().message, new RegExp(`${alreadyMerged.number} is itself a duplicate`));
    const twice = await merge(alreadyMerged.id, { intoCaseId: into.id });
    assert.equal(twice.statusCode, 409);
    assert.equal((await merge(unknown, { intoCaseId: into.id })).statusCode, 404);
    const missingTarget = await merge(fresh.id, { intoCaseId: unknown });
    assert.equal(missingTarget.statusCode, 404);
    assert.match(missingTarget.json().message, /merge into/);
    assert.equal((await merge(fresh.id, {})).statusCode, 400);
    assert.equal((await merge(fresh.id, { intoCaseId: 'CASE-2026-0001' })).statusCode, 400);

    const auditor = await signInAs(product, 'auditor');
    const supplier = await signInAs(product, 'supplier');
    assert.equal((await merge(fresh.id, { intoCaseId: into.id }, auditor)).statusCode, 403);
    assert.equal((await merge(fresh.id, { intoCaseId: into.id }, supplier)).statusCode, 403);
    assert.deepEqual(await snapshot(ids), before);
  });

  it('lets an admin merge, and two merges of one pair at once cannot both win', async () => {
    const admin = await signInAs(product, 'admin');
    const a = await open('Firmware update accepted without signature');
    const b = await open('Unsigned firmware images are installed');
    const [first, second] = await Promise.all([
      merge(a.id, { intoCaseId: b.id }, admin),
      merge(b.id, { intoCaseId: a.id }, admin),
    ]);
    const codes = [first.statusCode, second.statusCode].sort();
    assert.deepEqual(codes, [200, 409], `${first.body} ${second.body}`);
    const states = await product.deps.db
      .selectFrom('cases')
      .select('state')
      .where('id', 'in', [a.id, b.id])
      .execute();
    assert.deepEqual(states.map((s) => s.state).sort(), ['duplicate', 'new']);
  });
});
