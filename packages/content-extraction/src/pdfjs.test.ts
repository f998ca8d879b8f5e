import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('loading pdf.js through pdfjs.ts', () => {
  it('leaves the realm its own Array.prototype.push, which pdf.js alone replaces', async () => {
    // pdf.js alone, in a fresh process: its legacy build swaps push for a JavaScript function
    const alone = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "const before = Array.prototype.push; await import('pdfjs-dist/legacy/build/pdf.mjs'); process.stdout.write(Array.prototype.push === before ? 'kept' : 'replaced');",
      ],
      { cwd: new URL('..', import.meta.url), encoding: 'utf8' },
    );
    expect(alone).toBe('replaced');
    // this file's realm has not loaded pdf.js yet (each test file starts afresh): through our door it keeps push
    const before = Array.prototype.push;
    const { OPS } = await import('./pdfjs.js');
    expect(typeof OPS.paintImageXObject).toBe('number');
    expect(Array.prototype.push).toBe(before);
    expect(Object.getOwnPropertyDescriptor(Array.prototype, 'push')).toMatchObject({
      writable: true,
      enumerable: false,
      configurable: true,
    });
    const a = [1];
    expect(a.push(2, 3)).toBe(3);
    expect(a).toEqual([1, 2, 3]);
  });
});
