/** Messages between the pool and its child processes (Node's "advanced" IPC serialisation: Buffers pass as they are). */
export interface TaskRequest {
  id: number;
  /** module specifier or file URL the child imports */
  module: string;
  /** exported function called as fn(input, context) */
  fn: string;
  input: unknown;
  /** a directory of the task's own, removed by the pool when the task ends however it ends */
  tmpDir: string;
}

export type TaskResponse = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };

/** What a sandboxed function gets besides its input. */
export interface TaskContext {
  /** the task's own temporary directory (empty at start, removed afterwards) */
  tmpDir: string;
}
