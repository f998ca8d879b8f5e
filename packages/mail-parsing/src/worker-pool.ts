import fs from 'node:fs';
import { AppError } from '@intake/domain';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  EXIT_EXTERNAL_MEMORY,
  type ExtractBounds,
  type ExtractJob,
  type ExtractReady,
  type ExtractRequest,
  type ExtractResponse,
  type ExtractResult,
} from './extraction-protocol.js';
import { DEFAULT_PARSE_LIMITS } from './limits.js';

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
  /**
   * Memory outside the V8 heap (ArrayBuffers, inflated zip data) one worker may hold, in MB;
   * the worker stops itself past it and its job fails.
   * @defaultValue 320
   */
  externalMemoryMb?: number;
  /**
   * Where each job's own temp directory is made (removed when the job ends, however it ends).
   * @defaultValue os.tmpdir()
   */
  tempRoot?: string;
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

/** The thread reading an attachment died (heap limit, memory outside the heap, a crash): the file killed its reader. */
export class ExtractCrashError extends AppError {
  constructor(message: string, cause: Error) {
    super('EXTRACT_CRASHED', { message, cause, permanent: true });
    this.name = 'ExtractCrashError';
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
  /** @defaultValue from DEFAULT_PARSE_LIMITS */
  bounds?: ExtractBounds;
  /**
   * Asked when a thread is free to take the job (not when it is queued): a reason
   * string refuses it (the run rejects with ExtractRefusedError), otherwise the job
   * as it is to run and its time cap (a message's budget, as it stands then); null: not yet,
   * ask again when another job ends.
   */
  admit?: (job: ExtractJob, timeoutMs: number) => string | null | { job: ExtractJob; timeoutMs: number };
  /** Called with the result before the next queued job is admitted (so a budget counts this one's pages). */
  onResult?: (result: ExtractResult) => void;
  /** Called once a started job ends however it ends (result, error, timeout, crash), before the next is admitted. */
  onSettled?: (job: ExtractJob) => void;
}

/** The job was never started: `admit` refused it (the message's work budget was spent). */
export class ExtractRefusedError extends AppError {
  constructor(reason: string) {
    super('EXTRACT_REFUSED', { message: reason, permanent: true });
    this.name = 'ExtractRefusedError';
  }
}

export function boundsOf(limits: {
  maxOfficeUnpackedBytes: number;
  maxCompressionRatio: number;
  bombMinBytes: number;
  maxArchiveEntries: number;
}): ExtractBounds {
  return {
    maxUnpackedBytes: limits.maxOfficeUnpackedBytes,
    maxCompressionRatio: limits.maxCompressionRatio,
    bombMinBytes: limits.bombMinBytes,
    // an xlsx has a few entries per sheet; far more than an archive of documents may
    maxEntries: Math.max(limits.maxArchiveEntries, 10_000),
  };
}

interface Task {
  job: ExtractJob;
  data: Uint8Array;
  transfer: boolean;
  bounds: ExtractBounds;
  admit: RunOptions['admit'];
  onResult: RunOptions['onResult'];
  onSettled: RunOptions['onSettled'];
  timeoutMs: number;
  resolve: (r: ExtractResult) => void;
  reject: (e: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | null;
  timer: NodeJS.Timeout | null;
  requestId: number;
  /** the running job's temp directory */
  tmpDir: string | null;
  /** a one-file thread for a legacy spreadsheet */
  legacy: boolean;
  /** settles when the thread has loaded its readers, or is gone */
  loaded: Promise<void>;
  markLoaded: () => void;
}

/** .xls/.et go to SheetJS: such a job never shares a thread with another file. */
function isLegacyJob(job: ExtractJob): boolean {
  return job.op === 'table' && job.format === 'xls';
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
  private readonly externalMemoryMb: number;
  private readonly tempRoot: string;
  private nextId = 1;
  private closed = false;
  /** threads started so far (a thread that read a legacy file is replaced by a new one) */
  threadsStarted = 0;
  /** legacy threads that compiled SheetJS from source (a thread sends a code cache only then) */
  sheetJsCompiles = 0;
  /** SheetJS compiled, for each new legacy thread (its start falls from ~45 ms of compiling to a few) */
  private sheetJsCodeCache: Uint8Array | null = null;
  /** tells this pool's temp directories from another pool's in the same process */
  private readonly runTag = Math.random().toString(36).slice(2, 10);

  constructor(opts: ExtractPoolOptions = {}) {
    this.size = Math.max(1, opts.size ?? defaultPoolSize());
    this.heapMb = opts.maxOldGenerationSizeMb ?? 384;
    this.unrefIdle = opts.unrefIdle ?? false;
    this.workerFile = opts.workerFile ?? resolveWorkerFile();
    this.extractorModule = opts.extractorModule;
    this.externalMemoryMb = opts.externalMemoryMb ?? 320;
    this.tempRoot = opts.tempRoot ?? os.tmpdir();
  }

  /**
   * Starts the pool's threads and waits until each has loaded its readers (pdf.js, exceljs,
   * mammoth: about a second of CPU per thread), so a service pays that at start-up rather
   * than on its first message. Never rejects: a thread that fails to start fails its first job.
   */
  async warm(): Promise<void> {
    if (this.closed || !fs.existsSync(this.workerFile)) return;
    while (this.slots.filter((s) => !s.legacy).length < this.size) this.spawn(false);
    await Promise.all(this.slots.map((s) => s.loaded));
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
      this.queue.push({
        job,
        data,
        transfer: opts.transfer ?? false,
        bounds: opts.bounds ?? boundsOf(DEFAULT_PARSE_LIMITS),
        admit: opts.admit,
        onResult: opts.onResult,
        onSettled: opts.onSettled,
        timeoutMs,
        resolve,
        reject,
      });
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
        this.removeTmp(s);
      }),
    );
  }

  /**
   * Starts what can start, in queue order. A legacy spreadsheet (.xls/.et, read by SheetJS) gets
   * a thread of its own that loads only the spreadsheet reader and is discarded after that one
   * file; one such thread at a time runs beside the pool's `size` ordinary ones. Once one has
   * read its file, its successor is started at once and waits as a standby.
   */
  private dispatch(): void {
    for (let i = 0; i < this.queue.length;) {
      const legacy = isLegacyJob(this.queue[i]!.job);
      let slot = this.slots.find((s) => s.task === null && s.legacy === legacy);
      const count = this.slots.filter((s) => s.legacy === legacy).length;
      if (!slot && count < (legacy ? 1 : this.size)) slot = this.spawn(legacy);
      if (!slot) {
        i++;
        continue;
      }
      const task = this.queue[i]!;
      const admitted = task.admit ? task.admit(task.job, task.timeoutMs) : task;
      if (admitted === null) {
        // not yet (its message's budget waits on a reader in flight): asked again when a job ends
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      if (typeof admitted === 'string') {
        task.reject(new ExtractRefusedError(admitted));
        continue;
      }
      task.job = admitted.job;
      task.timeoutMs = admitted.timeoutMs;
      this.start(slot, task);
    }
  }

  private spawn(legacy: boolean): Slot {
    this.threadsStarted++;
    const extractorModule = this.extractorModule ?? (legacy ? '@intake/content-extraction/legacy' : undefined);
    const worker = new Worker(this.workerFile, {
      resourceLimits: { maxOldGenerationSizeMb: this.heapMb, maxYoungGenerationSizeMb: 48 },
      workerData: {
        extractorModule,
        externalMemoryMb: this.externalMemoryMb,
        ...(legacy && this.sheetJsCodeCache ? { sheetJsCodeCache: this.sheetJsCodeCache } : {}),
      },
      // none of the parent's flags: under vitest they carry `--conditions source` (the worker
      // would import workspace TypeScript), under `node -e` an `--input-type` workers reject
      execArgv: [],
      stdout: false,
      stderr: false,
    });
    let markLoaded = (): void => undefined;
    const loaded = new Promise<void>((resolve) => (markLoaded = resolve));
    const slot: Slot = { worker, task: null, timer: null, requestId: 0, tmpDir: null, legacy, loaded, markLoaded };
    worker.on('message', (msg: ExtractResponse | ExtractReady) => {
      if ('ready' in msg) {
        // made before that thread read any file: its extractor loads (and makes it) before a job runs
        if (legacy && msg.sheetJsCodeCache) {
          this.sheetJsCodeCache = msg.sheetJsCodeCache;
          this.sheetJsCompiles++;
        }
        slot.markLoaded();
      } else this.onMessage(slot, msg);
    });
    worker.on('error', (err: Error) => {
      slot.markLoaded();
      this.retire(slot, err);
    });
    worker.on('exit', (code) => {
      slot.markLoaded();
      this.retire(slot, new Error(`extraction worker exited (code ${code})`));
    });
    // an idle thread that never got a job must not keep a CLI process alive
    if (this.unrefIdle) worker.unref();
    this.slots.push(slot);
    return slot;
  }

  private start(slot: Slot, task: Task): void {
    slot.task = task;
    slot.requestId = this.nextId++;
    // named here, made and removed by the thread itself (no file-system calls on this thread);
    // removed from here only when the thread was stopped before it could
    slot.tmpDir = path.join(this.tempRoot, `intake-extract-${process.pid}-${this.runTag}-${slot.requestId}`);
    slot.worker.ref();
    slot.timer = setTimeout(() => this.onTimeout(slot), task.timeoutMs);
    const head = { id: slot.requestId, job: task.job, tmpDir: slot.tmpDir, bounds: task.bounds };
    // a 50 MB attachment moved rather than copied is 50 MB less at the peak
    if (task.transfer && ownsWholeBuffer(task.data)) {
      try {
        slot.worker.postMessage({ ...head, data: task.data } satisfies ExtractRequest, [
          task.data.buffer as ArrayBuffer,
        ]);
        return;
      } catch {
        // an ArrayBuffer Node marks untransferable: the copy below is the documented fallback
      }
    }
    // a private copy whose buffer can be transferred: the caller keeps its Buffer
    const copy = new Uint8Array(task.data);
    slot.worker.postMessage({ ...head, data: copy } satisfies ExtractRequest, [copy.buffer]);
  }

  /** A stopped thread's temp directory goes with it (exceljs' spool files too); a finished job's thread removed its own. */
  private removeTmp(slot: Slot): void {
    const dir = slot.tmpDir;
    slot.tmpDir = null;
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }

  private onMessage(slot: Slot, msg: ExtractResponse): void {
    const task = slot.task;
    if (!task || msg.id !== slot.requestId) return;
    this.clearTimer(slot);
    slot.task = null;
    slot.tmpDir = null;
    if (msg.retire) {
      // it read a hostile-format file: no later attachment shares its state
      this.remove(slot);
      void slot.worker.terminate();
      // this mailbox gets legacy spreadsheets: the next one finds a thread that has already
      // loaded SheetJS (about 200 ms of start-up, paid now beside other work, not by that file)
      if (slot.legacy && !this.closed) this.spawn(true);
    } else if (this.unrefIdle) slot.worker.unref();
    task.onSettled?.(task.job);
    if (msg.ok) {
      task.onResult?.(msg.result);
      task.resolve(msg.result);
    } else task.reject(new Error(msg.error));
    this.dispatch();
  }

  private onTimeout(slot: Slot): void {
    const task = slot.task;
    slot.timer = null;
    this.remove(slot);
    slot.task = null;
    task?.onSettled?.(task.job);
    // the thread may still be writing into its directory until it is gone: the job fails once both are
    void slot.worker.terminate().finally(() => {
      this.removeTmp(slot);
      task?.reject(new ExtractTimeoutError(task.timeoutMs));
    });
    this.dispatch();
  }

  /** A worker died (heap limit, crash, exit): fail its job and forget it. */
  private retire(slot: Slot, err: Error): void {
    if (!this.slots.includes(slot)) return;
    this.clearTimer(slot);
    this.remove(slot);
    const task = slot.task;
    slot.task = null;
    const reason = this.deathReason(err);
    task?.onSettled?.(task.job);
    void slot.worker.terminate().finally(() => {
      this.removeTmp(slot);
      task?.reject(reason);
    });
    if (!this.closed) this.dispatch();
  }

  private deathReason(err: Error): Error {
    if ((err as NodeJS.ErrnoException).code === 'ERR_WORKER_OUT_OF_MEMORY')
      return new ExtractCrashError(`extraction ran out of memory (worker heap limit ${this.heapMb} MB)`, err);
    if (err.message === `extraction worker exited (code ${EXIT_EXTERNAL_MEMORY})`)
      return new ExtractCrashError(
        `extraction used more than ${this.externalMemoryMb} MB outside the heap (inflated data) and was stopped`,
        err,
      );
    return new ExtractCrashError(`extraction worker crashed (${err.message})`, err);
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
