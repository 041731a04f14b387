// Canonical JSON as TUF uses it (the OLPC form: keys sorted, no whitespace), for key ids. Metadata
// signatures are made by @tufjs/models itself.
type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function canonicalJson(value: Json): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error('canonical JSON has integers only');
    return String(value);
  }
  // OLPC canonical JSON escapes only the quote and the backslash.
  if (typeof value === 'string') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const keys = Object.keys(value).sort();
  return `{${keys.map((key) => `${canonicalJson(key)}:${canonicalJson(value[key] as Json)}`).join(',')}}`;
}
