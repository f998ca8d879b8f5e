import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SandboxError } from './sandbox-error.js';
import { SandboxPool } from './sandbox-pool.js';

/**
 * Guards the limits OCR relies on: onnxruntime and WASM memory is outside
 * V8's heap, so only an RSS cap bounds it; a hung engine must be killed on
 * time; a task's temp dir must not outlive it, whatever happened.
 */
const TASKS = new URL('./test-fixtures/tasks.mjs', import.meta.url).href;
const pool = new SandboxPool({ size: 1, timeoutMs: 20_000, memoryMb: 256 });
afterAll(() => pool.close());

function reportFile(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-test-')), 'tmpdir.txt');
}

async function failureOf(p: Promise<unknown>): Promise<SandboxError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(SandboxError);
  return err as SandboxError;
}

describe('SandboxPool', () => {
  it('runs a task in a warm child and removes its temp dir afterwards', async () => {
    const a = await pool.run<{ input: unknown; tmpDir: string; pid: number }>({
      module: TASKS,
      fn: 'echo',
      input: { bytes: Buffer.from('页') },
    });
    expect(a.input).toEqual({ bytes: Buffer.from('页') });
    expect(fs.existsSync(a.tmpDir)).toBe(false);
    const b = await pool.run<{ pid: number; tmpDir: string }>({ module: TASKS, fn: 'echo', input: 1 });
    expect(b.pid).toBe(a.pid);
    expect(b.tmpDir).not.toBe(a.tmpDir);
  });

  it('kills a task over its memory cap (memory outside the V8 heap) and removes its temp dir', async () => {
    const report = reportFile();
    const err = await failureOf(pool.run({ module: TASKS, fn: 'hog', input: { report, mb: 512 }, memoryMb: 200 }));
    expect(err.failure).toBe('memory');
    expect(err.message).toMatch(/内存超限.*memory cap/);
    expect(fs.existsSync(fs.readFileSync(report, 'utf8'))).toBe(false);
  });

  it('kills a task over its time cap and removes its temp dir', async () => {
    const report = reportFile();
    const err = await failureOf(pool.run({ module: TASKS, fn: 'hang', input: { report }, timeoutMs: 300 }));
    expect(err.failure).toBe('timeout');
    expect(fs.existsSync(fs.readFileSync(report, 'utf8'))).toBe(false);
  });

  it('reports a crash with its reason, and the next task gets a new child', async () => {
    const err = await failureOf(pool.run({ module: TASKS, fn: 'crash', input: null }));
    expect(err.failure).toBe('crash');
    expect(err.message).toContain('SIGSEGV');
    await expect(pool.run({ module: TASKS, fn: 'echo', input: 2 })).resolves.toMatchObject({ input: 2 });
  });

  it("passes a task's own error through as task-failed", async () => {
    const err = await failureOf(pool.run({ module: TASKS, fn: 'fail', input: null }));
    expect(err.failure).toBe('task-failed');
    expect(err.message).toBe('bad input: 页面无法解码');
  });

  it('fails queued tasks when closed, and refuses new ones', async () => {
    const own = new SandboxPool({ size: 1 });
    const report = reportFile();
    const running = failureOf(own.run({ module: TASKS, fn: 'hang', input: { report } }));
    const queued = failureOf(own.run({ module: TASKS, fn: 'echo', input: 3 }));
    await own.close();
    expect((await running).failure).toBe('closed');
    expect((await queued).failure).toBe('closed');
    expect((await failureOf(own.run({ module: TASKS, fn: 'echo', input: 4 }))).failure).toBe('closed');
  });
});
