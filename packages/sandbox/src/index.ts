export {
  SandboxPool,
  resolveChildFile,
  type SandboxPoolOptions,
  type SandboxTask,
  type SandboxOutcome,
} from './sandbox-pool.js';
export { SandboxError, isSandboxError, type SandboxFailure } from './sandbox-error.js';
export type { TaskContext } from './protocol.js';
export { treeRssBytes } from './proc-memory.js';
