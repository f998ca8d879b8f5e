/**
 * The one way HTML is produced in the dashboard: a tagged template that
 * escapes every interpolation unless it is already SafeHtml. Email-supplied
 * text (subjects, file names, sender names, cell values) is hostile input;
 * nothing here concatenates strings into markup.
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(v: HtmlValue): string {
  if (v === null || v === undefined || v === false) return '';
  if (v instanceof SafeHtml) return v.value;
  if (Array.isArray(v)) return v.map(render).join('');
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  for (let i = 0; i < values.length; i++) out += render(values[i]) + (strings[i + 1] ?? '');
  return new SafeHtml(out);
}

/**
 * Mark trusted markup as safe. Only for text the program itself produced
 * (bundled CSS, server-built SVG paths): never for anything from a message.
 */
export function unsafeRaw(trusted: string): SafeHtml {
  return new SafeHtml(trusted);
}

export function joinHtml(parts: readonly HtmlValue[], separator: HtmlValue = ''): SafeHtml {
  const sep = render(separator);
  return new SafeHtml(parts.map(render).join(sep));
}

/** The page as a string, with the doctype. */
export function toDocument(body: SafeHtml): string {
  return '<!doctype html>\n' + body.value;
}
