// Guards: a poller killed between a temp file's open and its rename left the temp file behind for
// good (the crash test counted them and allowed "a few"); the next store removes those of dead
// writers, and never a live writer's file or an archived message.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeTornTempFiles } from './raw-store.js';

const SHA = 'ab'.repeat(32);
let root: string;

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** A pid that was a process a moment ago and is none now. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  expect(r.pid).toBeGreaterThan(0);
  return r.pid;
}

describe('removeTornTempFiles', () => {
  it('removes a dead writer’s temp file and keeps a live one’s and every .eml', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-torn-'));
    const shard = path.join(root, 'ab');
    fs.mkdirSync(shard);
    const dead = `${SHA}.eml.${deadPid()}.1700000000000.tmp`;
    const live = `${SHA}.eml.${process.pid}.1700000000001.tmp`;
    const eml = `${SHA}.eml`;
    const foreign = 'notes.tmp';
    for (const name of [dead, live, eml, foreign]) fs.writeFileSync(path.join(shard, name), 'x');
    await removeTornTempFiles(root);
    expect(fs.readdirSync(shard).sort()).toEqual([eml, live, foreign].sort());
  });

  it('does the same for segment temp files, keeping every finished segment', async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-torn-'));
    const segments = path.join(root, 'segments');
    fs.mkdirSync(segments);
    const dead = `seg-1700000000000-${deadPid()}-0.seg.tmp`;
    const live = `seg-1700000000001-${process.pid}-3.seg.tmp`;
    const done = `seg-1700000000000-${deadPid()}-1.seg`;
    for (const name of [dead, live, done]) fs.writeFileSync(path.join(segments, name), 'x');
    await removeTornTempFiles(root);
    expect(fs.readdirSync(segments).sort()).toEqual([done, live].sort());
  });

  it('is a no-op on an archive that does not exist yet', async () => {
    root = path.join(os.tmpdir(), `intake-torn-missing-${process.pid}`);
    await expect(removeTornTempFiles(root)).resolves.toBeUndefined();
  });
});
