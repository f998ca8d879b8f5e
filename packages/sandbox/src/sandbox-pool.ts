import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { treeRssBytes } from './proc-memory.js';
import type { TaskRequest, TaskResponse } from './protocol.js';
import { SandboxError, type SandboxFailure } from './sandbox-error.js';

/**
 * A pool of child processes that run untrusted-input work (OCR engines, file
 * readers) under limits the work cannot escape: a wall-time cap, a cap on the
 * resident memory of the child and everything it starts (measured from /proc,
 * so onnxruntime and WASM memory count too), and a temporary directory of its
 * own that is removed whatever happens. A child that breaks a limit is killed
 * (SIGKILL) and replaced on demand; its task fails with a SandboxError that
 * says why. Children stay warm between tasks, so a module's set-up (loading
 * OCR models) is paid once per child.
 */
export interface SandboxPoolOptions {
  /**
   * Child processes kept at most (tasks beyond it wait).
   * @defaultValue 1
   */
  size?: number;
  /**
   * Wall time per task, ms, unless the task names its own.
   * @defaultValue 60 000
   */
  timeoutMs?: number;
  /**
   * Resident memory of a child and its descendants, MB, unless the task names its own.
   * @defaultValue 1536
   */
  memoryMb?: number;
  /**
   * How often RSS is read while a task runs, ms.
   * @defaultValue 50
   */
  memoryPollMs?: number;
  /**
   * Tasks one child runs before it is replaced (bounds slow leaks in native code).
   * @defaultValue 100
   */
  maxTasksPerChild?: number;
  /**
   * Where task directories are made.
   * @defaultValue os.tmpdir()
   */
  tempRoot?: string;
  /**
   * Node flags of the children (e.g. `--max-old-space-size=512`).
   * @defaultValue []
   */
  execArgv?: string[];
  /**
   * Environment of the children. Untrusted files are read there, so by default
   * they see only PATH (for programs such as pdftoppm), never the service's secrets.
   * @defaultValue { PATH: '/usr/local/bin:/usr/bin:/bin' }
   */
  env?: Record<string, string>;
  /** The child entry file; by default the compiled `child-entry.js` of this package. */
  childFile?: string;
}

/** One unit of work: `module`'s exported `fn` called with `input` (structured-clone data, Buffers included). */
export interface SandboxTask {
  /** module specifier or file URL, imported in the child */
  module: string;
  fn: string;
  input: unknown;
  /** @defaultValue the pool's timeoutMs */
  timeoutMs?: number;
  /** @defaultValue the pool's memoryMb */
  memoryMb?: number;
}

export interface SandboxOutcome<T> {
  result: T;
  /** highest RSS of the child tree seen while the task ran, bytes */
  peakRssBytes: number;
  wallMs: number;
}

interface Pending {
  task: SandboxTask;
  resolve: (r: SandboxOutcome<unknown>) => void;
  reject: (e: Error) => void;
}

interface Child {
  proc: ChildProcess;
  busy: Pending | null;
  requestId: number;
  tasksRun: number;
  stderrTail: string;
  /** why we killed it, when we did */
  killedFor: { failure: SandboxFailure; message: string } | null;
  timer: NodeJS.Timeout | null;
  poller: NodeJS.Timeout | null;
  tmpDir: string | null;
  startedAt: number;
  peakRss: number;
}

const STDERR_TAIL = 2048;
/** Where Debian keeps the programs tasks start (pdftoppm); the service's own PATH is not passed on. */
const DEFAULT_PATH = '/usr/local/bin:/usr/bin:/bin';

/** `./child-entry.js` beside this module; from `src/` under vitest, the built copy in `dist/`. */
export function resolveChildFile(): string {
  const here = new URL(import.meta.url);
  const sibling = fileURLToPath(new URL('./child-entry.js', here));
  if (!here.pathname.endsWith('.ts') && fs.existsSync(sibling)) return sibling;
  return fileURLToPath(new URL('../dist/child-entry.js', here));
}

export class SandboxPool {
  private readonly children: Child[] = [];
  private readonly queue: Pending[] = [];
  private readonly opts: Required<Omit<SandboxPoolOptions, 'env'>> & { env: Record<string, string> };
  private nextId = 1;
  private closed = false;

  constructor(opts: SandboxPoolOptions = {}) {
    this.opts = {
      size: Math.max(1, opts.size ?? 1),
      timeoutMs: opts.timeoutMs ?? 60_000,
      memoryMb: opts.memoryMb ?? 1536,
      memoryPollMs: opts.memoryPollMs ?? 50,
      maxTasksPerChild: opts.maxTasksPerChild ?? 100,
      tempRoot: opts.tempRoot ?? os.tmpdir(),
      execArgv: opts.execArgv ?? [],
      env: opts.env ?? { PATH: DEFAULT_PATH },
      childFile: opts.childFile ?? resolveChildFile(),
    };
  }

  /** Runs one task; rejects with a SandboxError on failure, never hangs past its time cap. */
  async run<T>(task: SandboxTask): Promise<T> {
    return (await this.runDetailed<T>(task)).result;
  }

  /** As run(), with the task's peak RSS and wall time. */
  runDetailed<T>(task: SandboxTask): Promise<SandboxOutcome<T>> {
    if (this.closed) return Promise.reject(new SandboxError('closed', 'sandbox pool is closed'));
    if (!fs.existsSync(this.opts.childFile)) {
      return Promise.reject(
        new SandboxError('crash', `sandbox child not found at ${this.opts.childFile} (build @intake/sandbox)`),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve: resolve as Pending['resolve'], reject });
      this.dispatch();
    });
  }

  /** Kills every child; queued and running tasks fail with 'closed'. Safe to call twice. */
  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.queue.splice(0)) p.reject(new SandboxError('closed', 'sandbox pool closed'));
    await Promise.all(this.children.slice().map((c) => this.kill(c, 'closed', 'sandbox pool closed')));
  }

  private dispatch(): void {
    while (this.queue.length > 0 && !this.closed) {
      let child = this.children.find((c) => c.busy === null && c.killedFor === null);
      if (!child && this.children.length < this.opts.size) child = this.spawn();
      if (!child) return;
      this.start(child, this.queue.shift()!);
    }
  }

  private spawn(): Child {
    const proc = fork(this.opts.childFile, [], {
      serialization: 'advanced',
      execArgv: this.opts.execArgv,
      env: this.opts.env,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const child: Child = {
      proc,
      busy: null,
      requestId: 0,
      tasksRun: 0,
      stderrTail: '',
      killedFor: null,
      timer: null,
      poller: null,
      tmpDir: null,
      startedAt: 0,
      peakRss: 0,
    };
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      child.stderrTail = (child.stderrTail + chunk).slice(-STDERR_TAIL);
    });
    proc.on('message', (msg: TaskResponse) => void this.onMessage(child, msg));
    proc.on('exit', (code, signal) => void this.onExit(child, code, signal));
    // a failed spawn or IPC error surfaces as 'exit' too; this keeps it from being an uncaught error
    proc.on('error', (err) => {
      child.stderrTail = (child.stderrTail + `\n${err.message}`).slice(-STDERR_TAIL);
    });
    this.children.push(child);
    return child;
  }

  private start(child: Child, p: Pending): void {
    child.busy = p;
    child.requestId = this.nextId++;
    child.startedAt = Date.now();
    child.peakRss = 0;
    const timeoutMs = p.task.timeoutMs ?? this.opts.timeoutMs;
    const capBytes = (p.task.memoryMb ?? this.opts.memoryMb) * 1024 * 1024;
    try {
      child.tmpDir = fs.mkdtempSync(path.join(this.opts.tempRoot, 'intake-sandbox-'));
    } catch (err) {
      child.busy = null;
      p.reject(
        new SandboxError('crash', `cannot create the task's temp dir: ${(err as Error).message}`, { cause: err }),
      );
      return;
    }
    child.timer = setTimeout(
      () =>
        void this.kill(
          child,
          'timeout',
          `任务超时（超过 ${timeoutMs / 1000} 秒），已终止 (task timed out after ${timeoutMs} ms)`,
        ),
      timeoutMs,
    );
    child.poller = setInterval(() => this.checkMemory(child, capBytes), this.opts.memoryPollMs);
    const req: TaskRequest = {
      id: child.requestId,
      module: p.task.module,
      fn: p.task.fn,
      input: p.task.input,
      tmpDir: child.tmpDir,
    };
    child.proc.send(req, (err) => {
      if (err) void this.kill(child, 'crash', `cannot hand the task to the child: ${err.message}`);
    });
  }

  private checkMemory(child: Child, capBytes: number): void {
    const pid = child.proc.pid;
    if (pid === undefined || child.killedFor) return;
    const rss = treeRssBytes(pid);
    if (rss === null) return;
    child.peakRss = Math.max(child.peakRss, rss);
    if (rss > capBytes) {
      const mb = (n: number) => Math.round(n / 1024 / 1024);
      void this.kill(
        child,
        'memory',
        `内存超限（${mb(rss)} MB，上限 ${mb(capBytes)} MB），已终止 (task over its memory cap: ${mb(rss)} MB > ${mb(capBytes)} MB)`,
      );
    }
  }

  private async onMessage(child: Child, msg: TaskResponse): Promise<void> {
    const p = child.busy;
    if (!p || msg.id !== child.requestId || child.killedFor) return;
    const outcome = { peakRssBytes: child.peakRss, wallMs: Date.now() - child.startedAt };
    await this.finishTask(child);
    child.tasksRun++;
    if (msg.ok) p.resolve({ result: msg.result, ...outcome });
    else p.reject(new SandboxError('task-failed', msg.error));
    if (child.tasksRun >= this.opts.maxTasksPerChild) void this.kill(child, 'closed', 'recycled');
    this.dispatch();
  }

  /** Stops the timers and removes the task's directory; the child itself lives on. */
  private async finishTask(child: Child): Promise<void> {
    if (child.timer) clearTimeout(child.timer);
    if (child.poller) clearInterval(child.poller);
    child.timer = null;
    child.poller = null;
    child.busy = null;
    const dir = child.tmpDir;
    child.tmpDir = null;
    if (dir) await fs.promises.rm(dir, { recursive: true, force: true });
  }

  /** SIGKILL (nothing in the child gets a say); the task fails once the child is gone. */
  private kill(child: Child, failure: SandboxFailure, message: string): Promise<void> {
    if (!child.killedFor) child.killedFor = { failure, message };
    return new Promise((resolve) => {
      if (child.proc.exitCode !== null || child.proc.signalCode !== null) {
        void this.onExit(child, child.proc.exitCode, child.proc.signalCode).then(resolve);
        return;
      }
      child.proc.once('exit', () => resolve());
      child.proc.kill('SIGKILL');
    });
  }

  private async onExit(child: Child, code: number | null, signal: NodeJS.Signals | null): Promise<void> {
    const i = this.children.indexOf(child);
    if (i < 0) return;
    this.children.splice(i, 1);
    const p = child.busy;
    await this.finishTask(child);
    if (p) {
      const why = child.killedFor ?? {
        failure: 'crash' as const,
        message: crashMessage(code, signal, child.stderrTail),
      };
      p.reject(new SandboxError(why.failure, why.message));
    }
    this.dispatch();
  }
}

function crashMessage(code: number | null, signal: NodeJS.Signals | null, stderr: string): string {
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  const heap = /heap out of memory|Reached heap limit/i.test(stderr);
  const last = stderr.trim().split('\n').slice(-2).join(' ').slice(0, 300);
  if (heap) return `读取进程内存不足（V8 堆上限），已终止 (sandbox child ran out of heap: ${how})`;
  return `读取进程意外退出（${how}） (sandbox child crashed: ${how}${last ? `; ${last}` : ''})`;
}
