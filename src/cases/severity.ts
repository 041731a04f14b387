// A case's severity: a CVSS 3.1 or 4.0 vector scored by src/platform/cvss.ts, and a CWE id with the
// names of the weaknesses most often seen in connected devices (others are accepted without a name).
import { scoreCvssVector } from '../platform/cvss.ts';
import { Invalid } from '../platform/errors.ts';

export type SeverityRating = 'none' | 'low' | 'medium' | 'high' | 'critical';

export type CaseCvss = { vector: string; version: string; score: number; severity: SeverityRating };

/** The qualitative rating of a base score; 3.1 and 4.0 use the same bands. */
export function severityOf(score: number): SeverityRating {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

/**
 * Validates and scores a vector; throws Invalid on `cvssVector`. Only 3.1 and 4.0 are taken for new
 * cases (3.0 is read from old reports, not written).
 * @example caseCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H') // score 9.8, critical
 */
export function caseCvss(vector: string): CaseCvss {
  const scored = scoreCvssVector(vector);
  if ('error' in scored) throw new Invalid({ cvssVector: scored.error });
  if (scored.version === '3.0')
    throw new Invalid({ cvssVector: 'must be CVSS 3.1 or 4.0 (3.0 is not taken)' });
  const score = Math.round(scored.baseScore * 10) / 10;
  return { vector: scored.vector, version: scored.version, score, severity: severityOf(score) };
}

/**
 * Names of common weaknesses in IoT firmware and device services (MITRE CWE names, shortened where long):
 * memory safety, injection, authentication, credentials, crypto, updates and debug interfaces.
 */
export const cweNames: Readonly<Record<string, string>> = {
  'CWE-20': 'Improper Input Validation',
  'CWE-22': 'Path Traversal',
  'CWE-77': 'Command Injection',
  'CWE-78': 'OS Command Injection',
  'CWE-79': 'Cross-site Scripting',
  'CWE-89': 'SQL Injection',
  'CWE-119': 'Improper Restriction of Operations within the Bounds of a Memory Buffer',
  'CWE-120': 'Classic Buffer Overflow',
  'CWE-121': 'Stack-based Buffer Overflow',
  'CWE-122': 'Heap-based Buffer Overflow',
  'CWE-125': 'Out-of-bounds Read',
  'CWE-190': 'Integer Overflow or Wraparound',
  'CWE-200': 'Exposure of Sensitive Information to an Unauthorized Actor',
  'CWE-250': 'Execution with Unnecessary Privileges',
  'CWE-259': 'Use of Hard-coded Password',
  'CWE-287': 'Improper Authentication',
  'CWE-295': 'Improper Certificate Validation',
  'CWE-306': 'Missing Authentication for Critical Function',
  'CWE-311': 'Missing Encryption of Sensitive Data',
  'CWE-319': 'Cleartext Transmission of Sensitive Information',
  'CWE-321': 'Use of Hard-coded Cryptographic Key',
  'CWE-327': 'Use of a Broken or Risky Cryptographic Algorithm',
  'CWE-330': 'Use of Insufficiently Random Values',
  'CWE-345': 'Insufficient Verification of Data Authenticity',
  'CWE-352': 'Cross-Site Request Forgery',
  'CWE-400': 'Uncontrolled Resource Consumption',
  'CWE-416': 'Use After Free',
  'CWE-434': 'Unrestricted Upload of File with Dangerous Type',
  'CWE-476': 'NULL Pointer Dereference',
  'CWE-494': 'Download of Code Without Integrity Check',
  'CWE-521': 'Weak Password Requirements',
  'CWE-787': 'Out-of-bounds Write',
  'CWE-798': 'Use of Hard-coded Credentials',
  'CWE-862': 'Missing Authorization',
  'CWE-863': 'Incorrect Authorization',
  'CWE-912': 'Hidden Functionality',
  'CWE-918': 'Server-Side Request Forgery',
  'CWE-1191': 'On-Chip Debug and Test Interface With Improper Access Control',
  'CWE-1326': 'Missing Immutable Root of Trust in Hardware',
};

/** Checks the form CWE-<n>; throws Invalid on `cweId`. */
export function parseCweId(value: string): string {
  const id = value.trim().toUpperCase();
  if (!/^CWE-[1-9][0-9]{0,5}$/.test(id))
    throw new Invalid({ cweId: 'must be written CWE-<number>, e.g. CWE-787' });
  return id;
}

export const cweName = (id: string | null): string | null => (id ? (cweNames[id] ?? null) : null);
