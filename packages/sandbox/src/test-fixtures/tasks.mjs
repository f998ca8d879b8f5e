// Tasks for sandbox-pool.test.ts, plain JavaScript so the child imports them without a build.
import fs from 'node:fs';
import path from 'node:path';

/** Echoes its input with the task directory, after writing a file into it. */
export async function echo(input, ctx) {
  fs.writeFileSync(path.join(ctx.tmpDir, 'scratch.txt'), 'x');
  return { input, tmpDir: ctx.tmpDir, pid: process.pid };
}

/** Tells the test where its directory is, then holds memory outside V8's heap (as onnxruntime or WASM do). */
export async function hog(input, ctx) {
  fs.writeFileSync(input.report, ctx.tmpDir);
  const blocks = [];
  for (let i = 0; i < input.mb / 64; i++) blocks.push(Buffer.alloc(64 * 1024 * 1024, 1));
  // keep them alive until the pool acts
  await new Promise((resolve) => setTimeout(resolve, 60_000));
  return blocks.length;
}

/** Reports its directory, then never returns. */
export async function hang(input, ctx) {
  fs.writeFileSync(input.report, ctx.tmpDir);
  await new Promise(() => undefined);
}

export async function fail() {
  throw new Error('bad input: 页面无法解码');
}

export async function crash() {
  process.kill(process.pid, 'SIGSEGV');
  await new Promise(() => undefined);
}
