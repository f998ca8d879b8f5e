// Guards: an attachment that hangs or eats memory taking the parser (or the process) with it,
// and the shared pool keeping a finished CLI process alive.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { ExtractPool, ExtractTimeoutError } from './worker-pool.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mail-parsing-pool-'));
const hostile = path.join(dir, 'hostile-extractor.mjs');
fs.writeFileSync(
  hostile,
  `
export async function readProjectTable() { for (;;) {} }
export async function extractDocumentText(data, opts) {
  if (opts.format === 'txt') return { text: Buffer.from(data).toString('utf8'), notes: [] };
  const hog = [];
  for (;;) hog.push(new Array(1e6).fill(Math.random()));
}
`,
);

const pools: ExtractPool[] = [];
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  fs.rmSync(dir, { recursive: true, force: true });
});

function pool(): ExtractPool {
  const p = new ExtractPool({ size: 1, extractorModule: pathToFileURL(hostile).href, maxOldGenerationSizeMb: 48 });
  pools.push(p);
  return p;
}

describe('ExtractPool', () => {
  it('warm() starts every thread before the first job, which then reuses one of them', async () => {
    const p = new ExtractPool({ size: 2, extractorModule: pathToFileURL(hostile).href, maxOldGenerationSizeMb: 48 });
    pools.push(p);
    await p.warm();
    expect(p.threadsStarted).toBe(2);
    await p.warm(); // twice: no more threads
    expect(p.threadsStarted).toBe(2);
    await expect(p.run({ op: 'text', format: 'txt' }, Buffer.from('warm'), 10_000)).resolves.toMatchObject({
      text: 'warm',
    });
    expect(p.threadsStarted).toBe(2);
  });

  it('warm() settles when a thread cannot load its readers; the job then fails with the reason', async () => {
    const broken = path.join(dir, 'broken-extractor.mjs');
    fs.writeFileSync(broken, `throw new Error('reader failed to load');\n`);
    const p = new ExtractPool({ size: 1, extractorModule: pathToFileURL(broken).href });
    pools.push(p);
    await p.warm();
    await expect(p.run({ op: 'text', format: 'txt' }, Buffer.from('x'), 10_000)).rejects.toThrow(
      /reader failed to load/,
    );
  });

  it('terminates a job past its time cap and serves the next one with a fresh worker', async () => {
    const p = pool();
    await expect(
      p.run({ op: 'table', format: 'csv', filename: 'a.csv' }, Buffer.from('x'), 1500),
    ).rejects.toBeInstanceOf(ExtractTimeoutError);
    await expect(p.run({ op: 'text', format: 'txt' }, Buffer.from('hello'), 10_000)).resolves.toMatchObject({
      text: 'hello',
    });
  });

  it('turns a worker heap overrun into an error and carries on', async () => {
    const p = pool();
    await expect(p.run({ op: 'text', format: 'pdf' }, Buffer.from('x'), 30_000)).rejects.toThrow(/out of memory|heap/i);
    await expect(p.run({ op: 'text', format: 'txt' }, Buffer.from('again'), 10_000)).resolves.toMatchObject({
      text: 'again',
    });
  });

  it('moves a whole-buffer attachment to the worker on request, and copies a slice', async () => {
    const p = pool();
    const owned = Buffer.alloc(5, 'moved'); // alloc, unlike from(), never uses the shared pool
    await expect(p.run({ op: 'text', format: 'txt' }, owned, 10_000, { transfer: true })).resolves.toMatchObject({
      text: 'moved',
    });
    expect(owned.length).toBe(0); // detached: the worker has the bytes, not a copy
    const big = Buffer.from('kept-part-of-a-larger-buffer');
    const slice = big.subarray(0, 9);
    await expect(p.run({ op: 'text', format: 'txt' }, slice, 10_000, { transfer: true })).resolves.toMatchObject({
      text: 'kept-part',
    });
    expect(slice.toString()).toBe('kept-part');
    const kept = Buffer.alloc(6, 'copied');
    await expect(p.run({ op: 'text', format: 'txt' }, kept, 10_000)).resolves.toMatchObject({ text: 'copied' });
    expect(kept.toString()).toBe('copied');
  });

  it('rejects jobs after close(), and close() can be called twice', async () => {
    const p = pool();
    await p.close();
    await p.close();
    await expect(p.run({ op: 'text', format: 'txt' }, Buffer.from('x'), 1000)).rejects.toThrow(/closed/);
  });
});

describe('shared default pool', () => {
  it('does not keep a process alive after parseMessage', () => {
    const dist = pathToFileURL(fileURLToPath(new URL('../dist/index.js', import.meta.url))).href;
    const script = `
      import { parseMessage } from ${JSON.stringify(dist)};
      import { loadCampaignProfile } from '@intake/domain';
      const raw = Buffer.from('From: a@b.cn\\r\\nSubject: x\\r\\nMIME-Version: 1.0\\r\\nContent-Type: multipart/mixed; boundary=B\\r\\n\\r\\n--B\\r\\nContent-Type: text/plain\\r\\n\\r\\nhi\\r\\n--B\\r\\nContent-Type: text/plain; name=a.txt\\r\\nContent-Disposition: attachment; filename=a.txt\\r\\n\\r\\nhello\\r\\n--B--\\r\\n');
      const m = await parseMessage(raw, { profile: loadCampaignProfile() });
      console.log(JSON.stringify(m.attachments.map((a) => [a.path, a.kind, a.error ?? null])));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      timeout: 30_000,
      encoding: 'utf8',
    });
    expect(r.error).toBeUndefined();
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual([['a.txt', 'document', null]]);
  });
});
