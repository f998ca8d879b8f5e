// Guards: one concept spelled two ways (issue 13.4 chose "normalize"; the OCR and pairing work
// brought back normaliseOcrText, normaliseForPairing and 57 other "normalis…"), so a grep for
// one spelling misses half the code.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SKIP = new Set(['node_modules', 'dist', '.turbo', '.servers', 'data']);

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name) || entry.name.startsWith('.')) continue;
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) sourceFiles(p, out);
    else if (/\.(ts|mjs|md)$/.test(entry.name)) out.push(p);
  }
  return out;
}

describe('one spelling', () => {
  it('spells normalize with a z in every source file and document', () => {
    const files = ['packages', 'services', 'test', 'scripts', 'tooling'].flatMap((d) =>
      sourceFiles(path.join(ROOT, d)),
    );
    files.push(path.join(ROOT, 'README.md'), path.join(ROOT, 'CONTRIBUTING.md'), path.join(ROOT, 'CHANGELOG.md'));
    expect(files.length).toBeGreaterThan(200);
    // this file names the other spelling to forbid it
    const self = fileURLToPath(import.meta.url);
    const offenders = files.filter((f) => f !== self && /normalis/i.test(fs.readFileSync(f, 'utf8')));
    expect(offenders.map((f) => path.relative(ROOT, f))).toEqual([]);
  });
});
