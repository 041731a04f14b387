// Server-rendered HTML with escaping by default: every interpolated value is text unless it is
// itself the result of `html`. Reports are hostile input, so there is no other way to emit markup.

const RAW = Symbol('trusted html');

export type Html = { readonly [RAW]: string; toString(): string };

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => escapes[char] ?? char);
}

function trusted(markup: string): Html {
  return { [RAW]: markup, toString: () => markup };
}

type Interpolation = Html | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'object' && RAW in value) return value[RAW];
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? '');
  });
  return trusted(out);
}
