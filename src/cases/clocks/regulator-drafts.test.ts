import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { craDrafts, type DraftFacts, draftCraReport, TO_BE_COMPLETED } from './regulator-drafts.ts';
import { defaultResponsePolicy } from './response-policy.ts';

const base: DraftFacts = {
  caseNumber: 'PSIRT-2026-0042',
  receivedAt: new Date('2026-04-01T08:00:00Z'),
};

const fieldTexts = (facts: DraftFacts, report: Parameters<typeof draftCraReport>[0]) =>
  Object.fromEntries(draftCraReport(report, facts).fields.map((f) => [f.key, f.text]));

describe('CRA report drafts', () => {
  it('marks every unknown field "to be completed" instead of inventing it', () => {
    const draft = draftCraReport('cra-vulnerability-notification', base);
    assert.equal(draft.complete, false);
    assert.deepEqual(
      draft.fields.map((f) => [f.key, f.text]),
      [
        ['product', TO_BE_COMPLETED],
        ['exploitNature', TO_BE_COMPLETED],
        ['vulnerabilityNature', TO_BE_COMPLETED],
        ['correctiveMeasuresTaken', TO_BE_COMPLETED],
        ['userMeasures', TO_BE_COMPLETED],
        ['sensitivity', TO_BE_COMPLETED],
      ],
    );
    assert.match(
      draft.text,
      /^Vulnerability notification \(Regulation \(EU\) 2024\/2847, Article 14\(2\)\(b\)\) — case PSIRT-2026-0042/,
    );
  });

  it('fills the early warning with the product and the member states, named and coded', () => {
    const draft = draftCraReport('cra-vulnerability-early-warning', {
      ...base,
      productName: 'Acme Thermostat',
      productsAffected: ['T2 firmware 1.0 to 1.4'],
      memberStates: ['DE', 'FR'],
    });
    assert.equal(draft.complete, true);
    assert.equal(draft.article, 'Article 14(2)(a)');
    assert.deepEqual(
      fieldTexts(
        {
          ...base,
          productName: 'Acme Thermostat',
          productsAffected: ['T2 firmware 1.0 to 1.4'],
          memberStates: ['DE', 'FR'],
        },
        'cra-vulnerability-early-warning',
      ),
      {
        product: 'Acme Thermostat; T2 firmware 1.0 to 1.4',
        memberStates: 'Germany (DE), France (FR)',
      },
    );
  });

  it('says whether a severe incident is suspected to be malicious only when the case says so', () => {
    assert.equal(fieldTexts(base, 'cra-incident-early-warning').suspectedMalicious, TO_BE_COMPLETED);
    assert.match(
      fieldTexts({ ...base, suspectedMalicious: true }, 'cra-incident-early-warning').suspectedMalicious ??
        '',
      /^Yes/,
    );
    assert.match(
      fieldTexts({ ...base, suspectedMalicious: false }, 'cra-incident-early-warning').suspectedMalicious ??
        '',
      /^No/,
    );
  });

  it('builds the final report from description, severity, impact, actor and update, marking the gaps', () => {
    const partial = fieldTexts(
      {
        ...base,
        vulnerabilityDescription: 'Stack overflow in the MQTT parser',
        severity: 'critical',
        cvssScore: 9.8,
        cvssVector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
      },
      'cra-vulnerability-final-report',
    );
    assert.equal(
      partial.description,
      `Stack overflow in the MQTT parser\nSeverity: severity critical, CVSS 9.8 (CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H).\nImpact: ${TO_BE_COMPLETED}.`,
    );
    assert.equal(partial.maliciousActor, TO_BE_COMPLETED);
    const full = draftCraReport('cra-vulnerability-final-report', {
      ...base,
      vulnerabilityDescription: 'Stack overflow in the MQTT parser',
      severity: 'high',
      impact: 'Remote code execution on the device',
      maliciousActor: 'None identified',
      securityUpdate: 'Firmware 1.4.2',
    });
    assert.equal(full.complete, true);
  });

  it('treats blank text as unknown', () => {
    assert.equal(
      fieldTexts({ ...base, exploitNature: '   ' }, 'cra-vulnerability-notification').exploitNature,
      TO_BE_COMPLETED,
    );
  });

  it('drafts the incident reports with the applied and ongoing mitigations together', () => {
    assert.equal(
      fieldTexts(
        { ...base, correctiveMeasuresTaken: 'Revoked keys', ongoingMitigations: 'Rotating certificates' },
        'cra-incident-final-report',
      ).mitigations,
      'Revoked keys\nRotating certificates',
    );
    assert.deepEqual(
      draftCraReport('cra-incident-notification', base).fields.map((f) => f.key),
      [
        'product',
        'incidentNature',
        'initialAssessment',
        'correctiveMeasuresTaken',
        'userMeasures',
        'sensitivity',
      ],
    );
  });

  it('drafts the reports a case calls for, each with the due time of its clock', () => {
    const now = new Date('2026-04-10T10:00:00Z');
    assert.deepEqual(craDrafts(base, defaultResponsePolicy, now), []);
    const drafts = craDrafts(
      { ...base, activelyExploitedSince: new Date('2026-04-10T09:15:00Z') },
      defaultResponsePolicy,
      now,
    );
    assert.deepEqual(
      drafts.map((d) => [d.report, d.dueAt?.toISOString() ?? null]),
      [
        ['cra-vulnerability-early-warning', '2026-04-11T09:15:00.000Z'],
        ['cra-vulnerability-notification', '2026-04-13T09:15:00.000Z'],
        ['cra-vulnerability-final-report', null],
      ],
    );
    const both = craDrafts(
      {
        ...base,
        activelyExploitedSince: new Date('2026-04-10T09:15:00Z'),
        severeIncidentSince: new Date('2026-04-10T09:00:00Z'),
      },
      defaultResponsePolicy,
      now,
    );
    assert.equal(both.length, 6);
  });
});
