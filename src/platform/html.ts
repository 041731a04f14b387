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

// Bidirectional controls and invisible formatting characters can make hostile text read as something
// else (an "exe.png" that is really "gnp.exe"). Where people read text others wrote, show them.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** Escaped text with every bidi control or invisible character shown as a visible code point. */
export function revealed(text: string): Html {
  const marked = escapeHtml(text).replace(
    INVISIBLE,
    (char) =>
      `<span class="ctl" title="invisible character">[U+${char.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')}]</span>`,
  );
  return trusted(marked);
}
