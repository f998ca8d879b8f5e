import fs from 'node:fs';
import { createRequire } from 'node:module';
import vm from 'node:vm';
import type * as XlsxTypes from '@e965/xlsx';

/**
 * SheetJS loaded as one classic script (its CommonJS build) from V8's code cache.
 *
 * A legacy .xls is read in a thread of its own that is then discarded, so SheetJS is
 * loaded once per file. Through the ES module loader that cost about 45 ms of CPU:
 * the 1 MB source parsed, then every function compiled as SheetJS first calls it.
 * A code cache made in a thread that has read nothing but a workbook of our own
 * (`makeSheetJsCodeCache`) holds the compiled top level and the reading functions;
 * the next threads start from it. V8 checks the cache against the source and its
 * own version and flags, and compiles afresh when it does not match.
 */

export type SheetJs = typeof XlsxTypes;

const require = createRequire(import.meta.url);

interface Loaded {
  xlsx: SheetJs;
  script: vm.Script;
  /** V8 refused the cache it was given (or none was given) */
  compiledAfresh: boolean;
}

let loaded: Loaded | null = null;

/**
 * SheetJS for this thread, from `codeCache` when one is given. The script runs as a
 * function of (module, exports, require) with no require: it then leaves out its
 * fs/stream helpers and its own code-page table, which the readers here do not use.
 */
export function loadSheetJs(codeCache?: Uint8Array): SheetJs {
  if (!loaded) {
    const filename = require.resolve('@e965/xlsx');
    const source = `(function (module, exports, require) {${fs.readFileSync(filename, 'utf8')}\n})`;
    const script = new vm.Script(source, {
      filename,
      ...(codeCache ? { cachedData: Buffer.from(codeCache.buffer, codeCache.byteOffset, codeCache.byteLength) } : {}),
    });
    const run = script.runInThisContext() as (module: { exports: object }, exports: object, req: undefined) => void;
    const module = { exports: {} };
    run(module, module.exports, undefined);
    loaded = {
      xlsx: module.exports as SheetJs,
      script,
      compiledAfresh: !codeCache || script.cachedDataRejected === true,
    };
  }
  return loaded.xlsx;
}

/** True when this thread's SheetJS was compiled from source, not from a code cache. */
export function sheetJsCompiledAfresh(): boolean {
  return loaded?.compiledAfresh ?? false;
}

/**
 * A code cache of this thread's SheetJS, taken after it has written and read back a small
 * workbook of our own, so that the functions a read needs are in it. Call it only in a
 * thread that has read no one else's file: a later thread runs what it holds.
 */
export function makeSheetJsCodeCache(prepare: (xlsx: SheetJs) => void): Uint8Array {
  const xlsx = loadSheetJs();
  prepare(xlsx);
  return new Uint8Array(loaded!.script.createCachedData());
}
