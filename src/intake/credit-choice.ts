// A reporter's choice of credit, as the status page's form sends it: named (with the name to print
// and an explicit consent to be named) or anonymous. Parsed once here into a typed value.
import { type FieldErrors, Invalid } from '../platform/errors.ts';
import { limits } from './report-input.ts';

export type CreditChoice = { credit: 'named'; creditName: string } | { credit: 'anonymous' };

export const creditFields = new Set(['credit', 'creditName', 'creditConsent']);

export const consentMissing =
  'must be ticked to be named: tick it to agree that we print this name, or choose to stay anonymous';

/** Throws Invalid naming each bad field. */
export function parseCreditChoice(fields: Record<string, string>): CreditChoice {
  const errors: FieldErrors = {};
  const credit = fields.credit ?? '';
  if (credit === 'anonymous') return { credit: 'anonymous' };
  if (credit !== 'named') throw new Invalid({ credit: 'choose to be named or to stay anonymous' });
  const creditName = (fields.creditName ?? '').trim();
  if (creditName === '') errors.creditName = 'is required to be named: give the name to print';
  else if (creditName.includes('\0')) errors.creditName = 'must not contain NUL characters';
  else if (creditName.length > limits.short)
    errors.creditName = `must be at most ${limits.short} characters (it has ${creditName.length})`;
  if (fields.creditConsent !== 'yes') errors.creditConsent = consentMissing;
  if (Object.keys(errors).length > 0) throw new Invalid(errors);
  return { credit: 'named', creditName };
}
