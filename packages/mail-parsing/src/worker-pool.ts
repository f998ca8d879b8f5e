import fs from 'node:fs';
import { AppError } from '@intake/domain';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ExtractJob, ExtractRequest, ExtractResponse, ExtractResult } from './extraction-protocol.js';

/**
 * A small pool of extraction workers. Each attachment's content is read in a
 * worker with a capped heap and a wall-time cap: exceljs on an xlsx bomb or
 * pdf.js on a hostile PDF can then only cost that one attachment, never the
 * process. A worker that overran is terminated and replaced on demand.
 */
export interface ExtractPoolOptions {
  /**
   * Workers kept at most.
   * @defaultValue between 2 and 4, one less than the CPU count
   */
  size?: number;
  /**
   * V8 old-generation heap per worker, in MB.
   * @defaultValue 384
   */
  maxOldGenerationSizeMb?: number;
  /**
   * Let the process exit while workers sit idle (the shared default pool does this).
   * @defaultValue false
   */
  unrefIdle?: boolean;
  /** The worker entry file; by default the compiled `extract-worker.js` next to this module. */
  workerFile?: string;
  /**
   * Module (specifier or file URL) the worker imports `readProjectTable` and
   * `extractDocumentText` from; for tests that need a slow or crashing extractor.
   * @defaultValue '@intake/content-extraction'
   */
  extractorModule?: string;
}

export class ExtractTimeoutError extends AppError {
  constructor(ms: number) {
    super('EXTRACT_TIMEOUT', { message: `extraction took longer than ${ms} ms and was stopped`, permanent: true });
    this.name = 'ExtractTimeoutError';
  }
}

export interface RunOptions {
  /**
   * Hand `data`'s memory to the worker instead of copying it: the caller's
   * view is emptied (detached). Only done when `data` spans its whole
   * ArrayBuffer; otherwise the data is copied as usual.
   * @defaultValue false
   */
  transfer?: boolean;
}

interface Task {
  job: ExtractJob;
  data: Uint8Array;
  transfer: boolean;
  timeoutMs: number;
  resolve: (r: ExtractResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
  requestId: number;
}

export function defaultPoolSize(): number {
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(2, Math.min(4, cpus - 1));
}

/** `./extract-worker.js` beside this module; from `src/` under vitest, the built copy in `dist/`. */
export function resolveWorkerFile(): string {
  const here = new URL(import.meta.url);
  const sibling = fileURLToPath(new URL('./extract-worker.js', here));
  if (!here.pathname.endsWith('.ts') && fs.existsSync(sibling)) return sibling;
  const built = fileURLToPath(new URL('../dist/extract-worker.js', here));
  if (fs.existsSync(built)) return built;
  return sibling;
}

/** True when `data` is the whole of a plain ArrayBuffer (not a slice of Node's Buffer pool, not shared). */
export function ownsWholeBuffer(data: Uint8Array): boolean {
  return (
    data.buffer instanceof ArrayBuffer &&
    data.byteOffset === 0 &&
    data.byteLength === data.buffer.byteLength &&
    data.byteLength > 0
  );
}

export class ExtractPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Task[] = [];
  private readonly size: number;
  private readonly heapMb: number;
  private readonly unrefIdle: boolean;
  private readonly workerFile: string;
  private readonly extractorModule: string | undefined;
  private nextId = 1;
  private closed = false;

  constructor(opts: ExtractPoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? defaultPoolSize());
    this.heapMb = opts.maxOldGenerationSizeMb ?? 384;
    this.unrefIdle = opts.unrefIdle ?? false;
    this.workerFile = opts.workerFile ?? resolveWorkerFile();
    this.extractorModule = opts.extractorModule;
  }

  /** Runs one job; rejects on error, crash, heap overrun or timeout (never hangs past `timeoutMs`). */
  run(job: ExtractJob, data: Uint8Array, timeoutMs: number, opts: RunOptions = {}): Promise<ExtractResult> {
    if (this.closed) return Promise.reject(new Error('extraction pool is closed'));
    if (!fs.existsSync(this.workerFile)) {
      return Promise.reject(
        new Error(`extraction worker not found at ${this.workerFile} (build @intake/mail-parsing)`),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ job, data, transfer: opts.transfer ?? false, timeoutMs, resolve, reject });
      this.dispatch();
    });
  }

  /** Terminates every worker; pending jobs are rejected. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('extraction pool closed'));
    const slots = this.slots.splice(0);
    await Promise.all(
      slots.map(async (s) => {
        this.clearTimer(s);
        s.task?.reject(new Error('extraction pool closed'));
        s.task = null;
        await s.worker.terminate();
      }),
    );
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.task === null);
      if (!slot && this.slots.length < this.size) slot = this.spawn();
      if (!slot) return;
      this.start(slot, this.queue.shift()!);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(this.workerFile, {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 48 },
      workerData: { extractorModule: this.extractorModule },
      // none of the parent's flags: under vitest they carry `--conditions source` (the worker
      // would import workspace TypeScript), under `node -e` an `--input-type` workers reject
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    const slot: Slot = { worker, task: null, timer: null, requestId: 0 };
    worker.on('message', (msg: ExtractResponse) => this.onMessage(slot, msg));
    worker.on('error', (err: Error) => this.retire(slot, err));
    worker.on('exit', (code) => this.retire(slot, new Error(`extraction worker exited (code ${code})`)));
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.requestId = this.nextId++;
    slot.worker.ref();
    slot.timer = setTimeout(() => this.onTimeout(slot), task.timeoutMs);
    // a 50 MB attachment moved rather than copied is 50 MB less at the peak
    if (task.transfer && ownsWholeBuffer(task.data)) {
      try {
        slot.worker.postMessage({ id: slot.requestId, job: task.job, data: task.data } satisfies ExtractRequest, [
          task.data.buffer as ArrayBuffer,
        ]);
        return;
      } catch {
        // an ArrayBuffer Node marks untransferable: the copy below is the documented fallback
      }
    }
    // a private copy whose buffer can be transferred: the caller keeps its Buffer
    const copy = new Uint8Array(task.data);
    slot.worker.postMessage({ id: slot.requestId, job: task.job, data: copy } satisfies ExtractRequest, [copy.buffer]);
  }

  private onMessage(slot: Slot, msg: ExtractResponse): void {
    const task = slot.task;
    if (!task || msg.id !== slot.requestId) return;
    this.clearTimer(slot);
    slot.task = null;
    if (this.unrefIdle) slot.worker.unref();
    if (msg.ok) task.resolve(msg.result);
    else task.reject(new Error(msg.error));
    this.dispatch();
  }

  private onTimeout(slot: Slot): void {
    const task = slot.task;
    slot.timer = null;
    this.remove(slot);
    if (task) task.reject(new ExtractTimeoutError(task.timeoutMs));
    slot.task = null;
    void slot.worker.terminate();
    this.dispatch();
  }

  /** A worker died (heap limit, crash, exit): fail its job and forget it. */
  private retire(slot: Slot, err: Error): void {
    if (!this.slots.includes(slot)) return;
    this.clearTimer(slot);
    this.remove(slot);
    const task = slot.task;
    slot.task = null;
    if (task) {
      const heap = (err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY';
      task.reject(heap ? new Error(`extraction ran out of memory (worker heap limit ${this.heapMb} MB)`) : err);
    }
    void slot.worker.terminate();
    if (!this.closed) this.dispatch();
  }

  private remove(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  private clearTimer(slot: Slot): void {
    if (slot.timer) clearTimeout(slot.timer);
    slot.timer = null;
  }
}
