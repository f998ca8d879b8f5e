import type { CellObject } from '@e965/xlsx';
import { describe, expect, it } from 'vitest';
import { loadSheetJs, makeSheetJsCodeCache, sheetJsCompiledAfresh } from './sheetjs-script.js';

// Guards: SheetJS loaded as a script from a code cache (each legacy .xls gets a fresh thread, which
// paid ~45 ms compiling SheetJS): a cache V8 refuses must cost the compile, never the reading.
// Each test file gets a module realm of its own, so this file's first load is its own.

describe('loadSheetJs', () => {
  it('compiles afresh from a cache V8 refuses, reads as ever, and can make a cache of its own', () => {
    const xlsx = loadSheetJs(new Uint8Array(4096).fill(7));
    expect(sheetJsCompiledAfresh()).toBe(true);
    expect(xlsx.version).toMatch(/^0\.20\./);
    const wb = xlsx.utils.book_new();
    xlsx.utils.book_append_sheet(wb, xlsx.utils.aoa_to_sheet([['项目名称'], ['吉林化纤碳纤维项目']]), '附件2');
    const back = xlsx.read(xlsx.write(wb, { bookType: 'biff8', type: 'buffer' }) as Buffer, { type: 'buffer' });
    expect((back.Sheets['附件2']?.['A2'] as CellObject | undefined)?.v).toBe('吉林化纤碳纤维项目');
    const cache = makeSheetJsCodeCache((x) => {
      expect(x).toBe(xlsx);
    });
    expect(cache.byteLength).toBeGreaterThan(100_000);
  });
});
