// CVSS vectors (3.0, 3.1, 4.0) checked and scored with ae-cvss-calculator.
import calculator from 'ae-cvss-calculator';

type Vector = {
  isBaseFullyDefined(): boolean;
  calculateScores(): { base?: number; overall: number };
  toString(): string;
};
type VectorClass = new (vector: string) => Vector;

const lib = calculator as unknown as Record<'Cvss3P0' | 'Cvss3P1' | 'Cvss4P0', VectorClass>;
const classes: Record<string, VectorClass> = { '3.0': lib.Cvss3P0, '3.1': lib.Cvss3P1, '4.0': lib.Cvss4P0 };

export type CvssScore = { version: string; vector: string; baseScore: number };

/** Returns the score, or a reason the vector is not valid. */
export function scoreCvssVector(input: string): CvssScore | { error: string } {
  const match = /^CVSS:(3\.0|3\.1|4\.0)\/(.+)$/.exec(input.trim());
  const version = match?.[1];
  const VectorType = version ? classes[version] : undefined;
  if (!match || !version || !VectorType) {
    return { error: 'must be a CVSS 3.0, 3.1 or 4.0 vector starting with CVSS:3.1/ (or 3.0, 4.0)' };
  }
  let parsed: Vector;
  try {
    parsed = new VectorType(input.trim());
  } catch {
    return { error: 'is not a well-formed CVSS vector' };
  }
  const known = new Set(parsed.toString().split('/'));
  const unknown = (match[2] ?? '').split('/').filter((part) => !known.has(part));
  if (unknown.length > 0)
    return { error: `has metrics or values CVSS ${version} does not define: ${unknown.join(', ')}` };
  if (!parsed.isBaseFullyDefined()) return { error: `is missing base metrics required by CVSS ${version}` };
  const scores = parsed.calculateScores();
  return { version, vector: input.trim(), baseScore: scores.base ?? scores.overall };
}
