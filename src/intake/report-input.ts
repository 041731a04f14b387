// What a researcher sends, parsed once at the edge into a typed value with a reason per bad field.
// The form and the JSON API both end here, so they accept and refuse exactly the same things.
import { scoreCvssVector } from '../platform/cvss.ts';
import { type FieldErrors, Invalid } from '../platform/errors.ts';

export type Credit = 'named' | 'anonymous';

export type ReportInput = {
  title: string;
  productId: string | null;
  productName: string | null;
  version: string | null;
  description: string;
  encrypted: boolean;
  stepsToReproduce: string | null;
  impact: string | null;
  cvssVector: string | null;
  reporterName: string | null;
  reporterEmail: string | null;
  credit: Credit;
  creditName: string | null;
  preferredDisclosureDate: string | null;
};

/** The fields as they arrive: strings from a form, or JSON values from the API. */
export type RawReport = Partial<Record<keyof ReportInput | 'website', unknown>>;

export const PGP_ARMOR_HEADER = '-----BEGIN PGP MESSAGE-----';

export const limits = {
  title: 200,
  description: 100_000,
  longText: 50_000,
  short: 200,
  version: 100,
  email: 254,
};

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:"]{2,}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Reader = {
  text(field: keyof RawReport, max: number, required?: boolean): string | null;
  errors: FieldErrors;
};

function reader(raw: RawReport): Reader {
  const errors: FieldErrors = {};
  return {
    errors,
    text(field, max, required = false) {
      const value = raw[field];
      if (value === undefined || value === null || value === '') {
        if (required) errors[field] = 'is required';
        return null;
      }
      if (typeof value !== 'string') {
        errors[field] = 'must be text';
        return null;
      }
      if (value.includes('\0')) {
        errors[field] = 'must not contain NUL characters';
        return null;
      }
      const trimmed = value.trim();
      if (trimmed === '') {
        if (required) errors[field] = 'is required';
        return null;
      }
      if (trimmed.length > max) {
        errors[field] = `must be at most ${max} characters (it has ${trimmed.length})`;
        return null;
      }
      return trimmed;
    },
  };
}

function booleanField(value: unknown): boolean | undefined {
  if (value === true || value === 'true' || value === 'on' || value === '1') return true;
  if (value === undefined || value === null || value === '' || value === false || value === 'false')
    return false;
  return undefined;
}

export const unknownProductReason =
  'is not one of the listed products; leave it empty and name the product in productName';

/**
 * Parses a raw report; `today` (YYYY-MM-DD) bounds the disclosure date. Throws Invalid.
 * productId is checked for shape only: the insert's foreign key says whether the product exists.
 */
export function parseReportInput(raw: RawReport, options: { today: string }): ReportInput {
  const read = reader(raw);
  const { errors } = read;

  if (raw.website !== undefined && raw.website !== null && raw.website !== '') {
    errors.website = 'must be left empty (it is a trap for automated spam)';
  }

  const title = read.text('title', limits.title, true);
  const description = read.text('description', limits.description, true);
  const encryptedFlag = booleanField(raw.encrypted);
  if (encryptedFlag === undefined) errors.encrypted = 'must be true or false';
  const encrypted = encryptedFlag === true || (description?.startsWith(PGP_ARMOR_HEADER) ?? false);

  let productId = read.text('productId', 36);
  if (productId === 'other') productId = null;
  if (productId !== null && !UUID.test(productId)) {
    errors.productId = unknownProductReason;
    productId = null;
  }
  const productName = read.text('productName', limits.short);

  const cvssVector = read.text('cvssVector', 300);
  if (cvssVector !== null) {
    const score = scoreCvssVector(cvssVector);
    if ('error' in score) errors.cvssVector = score.error;
  }

  const reporterEmail = read.text('reporterEmail', limits.email);
  if (reporterEmail !== null && !EMAIL.test(reporterEmail)) {
    errors.reporterEmail = 'is not a valid email address (leave it empty to stay anonymous)';
  }
  const reporterName = read.text('reporterName', limits.short);
  const creditName = read.text('creditName', limits.short);

  const creditRaw = raw.credit ?? '';
  let credit: Credit = reporterName || creditName ? 'named' : 'anonymous';
  if (creditRaw === 'named' || creditRaw === 'anonymous') credit = creditRaw;
  else if (creditRaw !== '') errors.credit = 'must be "named" or "anonymous"';
  if (credit === 'named' && !reporterName && !creditName) {
    errors.creditName = 'give the name to credit, or choose to stay anonymous';
  }

  const preferredDisclosureDate = read.text('preferredDisclosureDate', 10);
  if (preferredDisclosureDate !== null) {
    if (!isCalendarDate(preferredDisclosureDate))
      errors.preferredDisclosureDate = 'must be a date like 2027-03-31';
    else if (preferredDisclosureDate < options.today)
      errors.preferredDisclosureDate = 'must not be in the past';
  }

  const input: ReportInput = {
    title: title ?? '',
    productId: productId?.toLowerCase() ?? null,
    productName,
    version: read.text('version', limits.version),
    // Ciphertext is kept exactly as sent, trailing newline included: what is stored is what was encrypted.
    description: encrypted && description !== null ? (raw.description as string) : (description ?? ''),
    encrypted,
    stepsToReproduce: read.text('stepsToReproduce', limits.longText),
    impact: read.text('impact', limits.longText),
    cvssVector,
    reporterName,
    reporterEmail,
    credit,
    creditName: credit === 'named' ? (creditName ?? reporterName) : null,
    preferredDisclosureDate,
  };
  if (Object.keys(errors).length > 0) throw new Invalid(errors);
  return input;
}

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}
