import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Mustache from 'mustache';
import { AppError } from '@intake/domain';

/** `templates/` beside `src/` and `dist/`: the same relative path from either. */
export const DEFAULT_TEMPLATE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'templates');

export type TemplateName = 'ack' | 'ack-receipt-only' | 'reminder';

/**
 * Read `<name>.zh.<part>.mustache` from `templateDir`, else from the built-in
 * directory. Read on every reply (they are a few KB) so staff edits apply
 * without a restart.
 */
function readTemplate(name: TemplateName, part: 'txt' | 'html', templateDir?: string): string {
  const file = `${name}.zh.${part}.mustache`;
  const candidates = templateDir
    ? [path.join(templateDir, file), path.join(DEFAULT_TEMPLATE_DIR, file)]
    : [path.join(DEFAULT_TEMPLATE_DIR, file)];
  for (const p of candidates) {
    if (fs.existsSync(p)) return fs.readFileSync(p, 'utf8');
  }
  throw new AppError('CONFIG_INVALID', {
    message: `reply template ${file} not found in ${candidates.join(', ')}`,
    permanent: true,
  });
}

type Token = [string, string, number, number, Token[]?];

/** `{{{x}}}` and `{{& x}}` switch escaping off: an edited HTML template must not be able to do that. */
function hasUnescapedTag(tokens: Token[]): boolean {
  return tokens.some((t) => t[0] === '&' || t[0] === '{' || (Array.isArray(t[4]) && hasUnescapedTag(t[4])));
}

export function renderTemplate(
  name: TemplateName,
  part: 'txt' | 'html',
  view: Record<string, unknown>,
  templateDir?: string,
): string {
  const tpl = readTemplate(name, part, templateDir);
  if (part === 'html') {
    if (hasUnescapedTag(Mustache.parse(tpl) as unknown as Token[])) {
      throw new AppError('CONFIG_INVALID', {
        message: `${name}.zh.html.mustache uses unescaped output ({{{…}}} or {{&…}}); use {{…}}`,
        permanent: true,
      });
    }
    return Mustache.render(tpl, view);
  }
  // plain text is not markup: no entities in the text part
  return Mustache.render(tpl, view, undefined, { escape: (s: string) => s });
}
