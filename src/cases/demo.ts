// Demo cases for trying the product: a few reports as researchers would send them, worked on by the
// demo analyst through the same commands the console uses, so the inbox, a case page with clocks,
// threads and a timeline, and the incoming-reports queue all have something to show.
import type { Principal } from '../auth/access.ts';
import type { Deps } from '../deps.ts';
import type { ReportInput } from '../intake/report-input.ts';
import { submitReport } from '../intake/service.ts';
import { sendReporterMessage } from './reporter-thread/service.ts';
import { attachReport, openCase, setAffects, transitionCase, updateCase } from './service.ts';
import { postThreadMessage } from './threads/service.ts';

const demoAnalystEmail = 'analyst@demo.example';

const report = (fields: Partial<ReportInput> & Pick<ReportInput, 'title' | 'description'>): ReportInput => ({
  productId: null,
  productName: null,
  version: null,
  encrypted: false,
  stepsToReproduce: null,
  impact: null,
  cvssVector: null,
  reporterName: null,
  reporterEmail: null,
  credit: 'anonymous',
  creditName: null,
  preferredDisclosureDate: null,
  ...fields,
});

async function idsOf(deps: Deps) {
  const products = await deps.db.selectFrom('products').select(['id', 'slug']).execute();
  const models = await deps.db.selectFrom('models').select(['id', 'slug']).execute();
  const supplier = await deps.db
    .selectFrom('suppliers')
    .select('id')
    .where('slug', '=', 'acme-manufacturing')
    .executeTakeFirst();
  const product = (slug: string) => products.find((p) => p.slug === slug)?.id ?? null;
  const model = (slug: string) => models.find((m) => m.slug === slug)?.id ?? null;
  return { product, model, supplierId: supplier?.id ?? null };
}

/**
 * Adds the demo reports and cases when the database has no case yet (so it never mixes with real
 * work); returns how many cases it opened. Needs the demo accounts and inventory (seedDemo) first.
 */
export async function seedDemoCases(deps: Deps): Promise<number> {
  const anyCase = await deps.db.selectFrom('cases').select('id').limit(1).executeTakeFirst();
  const analyst = await deps.db
    .selectFrom('users')
    .select(['id', 'email', 'name'])
    .where('email', '=', demoAnalystEmail)
    .executeTakeFirst();
  if (anyCase || !analyst) return 0;
  const principal: Principal = {
    userId: analyst.id,
    email: analyst.email,
    name: analyst.name,
    role: 'analyst',
    supplierId: null,
    via: 'session',
    tokenId: null,
  };
  const { product, model, supplierId } = await idsOf(deps);
  const submit = async (input: ReportInput) => {
    const { trackingId } = await submitReport(deps, input, [], 'api');
    const row = await deps.db
      .selectFrom('reports')
      .select('id')
      .where('tracking_id', '=', trackingId)
      .executeTakeFirstOrThrow();
    return row.id;
  };

  const rtsp = await submit(
    report({
      title: 'C200 camera RTSP stream readable without authentication',
      productId: product('c200-camera'),
      version: '1.2.0',
      description:
        'The RTSP service on port 554 answers DESCRIBE and PLAY without credentials, so anyone on the ' +
        'local network (or the internet, with UPnP port mapping on) can watch the live video.',
      stepsToReproduce:
        '1. ffplay rtsp://<camera-ip>:554/live\n2. The stream plays without a password prompt.',
      impact: 'Privacy: live video and audio of the home.',
      cvssVector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      reporterName: 'Rita Reporter',
      reporterEmail: 'rita@research.example',
      credit: 'named',
      creditName: 'Rita Reporter',
    }),
  );
  const rtspAgain = await submit(
    report({
      title: 'Camera live video on port 554 without a password',
      productId: product('c200-camera'),
      description: 'Port 554 on my C200 streams video to VLC without asking for a password.',
      reporterEmail: 'sam@example.net',
    }),
  );
  const ble = await submit(
    report({
      title: 'L1 lock accepts a replayed BLE unlock frame',
      productId: product('l1-smart-lock'),
      version: 'V2.1.0_build1234',
      description:
        'A recorded BLE unlock write can be replayed later and opens the lock: the frame has no ' +
        'nonce or counter bound to the session.',
      reporterName: 'Ben Bluetooth',
      reporterEmail: 'ben@ble-lab.example',
    }),
  );
  const chime = await submit(
    report({
      title: 'Doorbell chime is too loud',
      productId: product('d3-video-doorbell'),
      description: 'The chime wakes the baby. Please make it quieter.',
    }),
  );
  await submit(
    report({
      title: 'Smoke alarm setup page shows the Wi-Fi password',
      productId: product('s5-smoke-alarm'),
      description:
        'During setup the S5 serves a page on 192.168.4.1 that shows the home Wi-Fi password in clear.',
      reporterEmail: 'wifi@research.example',
    }),
  );

  const camera = await openCase(deps, principal, {
    reportId: rtsp,
    title: 'Camera RTSP stream readable without authentication',
  });
  await transitionCase(deps, principal, camera, { to: 'triage' });
  await attachReport(deps, principal, camera, rtspAgain);
  await transitionCase(deps, principal, camera, { to: 'confirmed' });
  await updateCase(deps, principal, camera, {
    summary: 'RTSP on port 554 serves the live stream without authentication (C200, firmware before 1.2.1).',
    cvssVector: 'CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
    cweId: 'CWE-306',
    assigneeUserId: analyst.id,
    supplierId,
  });
  const c200 = model('c200');
  if (c200)
    await setAffects(deps, principal, camera, [{ modelId: c200, versionRange: '< 1.2.1', fixedIn: '1.2.1' }]);
  await postThreadMessage(deps, principal, camera, 'internal', {
    body: 'Reproduced on 1.2.0 in the lab. 1.2.1 from the factory enables digest auth on RTSP.',
    purpose: 'attachment',
    files: [],
  });
  if (supplierId) {
    await postThreadMessage(deps, principal, camera, 'supplier', {
      body: 'Please confirm that build 1.2.1 turns on RTSP digest authentication by default.',
      purpose: 'attachment',
      files: [],
    });
  }
  await sendReporterMessage(deps, principal, {
    caseId: camera,
    reportId: rtsp,
    body: 'Thank you: we reproduced it. A fix is being built; we will agree the publication date with you.',
    files: [],
  });

  const lock = await openCase(deps, principal, {
    reportId: ble,
    title: 'Lock accepts a replayed BLE unlock frame',
  });
  await transitionCase(deps, principal, lock, { to: 'triage' });

  const loud = await openCase(deps, principal, { reportId: chime });
  await transitionCase(deps, principal, loud, { to: 'triage' });
  await transitionCase(deps, principal, loud, {
    to: 'not-a-vulnerability',
    reason: 'The chime volume is a setting in the app; not a security issue.',
  });
  return 3;
}
