/** Why a sandboxed task did not return a result. */
export type SandboxFailure =
  /** the task's own function threw: `message` is its error message */
  | 'task-failed'
  /** over the wall-time cap: the child was killed */
  | 'timeout'
  /** over the memory cap (RSS of the child and its own children): the child was killed */
  | 'memory'
  /** the child died on its own (signal, exit, V8 heap limit, native abort) */
  | 'crash'
  /** the pool was closed before or while the task ran */
  | 'closed';

/** A task that failed in the sandbox; `failure` is machine-readable, `message` says why in words. */
export class SandboxError extends Error {
  readonly failure: SandboxFailure;
  constructor(failure: SandboxFailure, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
    this.failure = failure;
  }
}

export function isSandboxError(err: unknown): err is SandboxError {
  return err instanceof SandboxError;
}
