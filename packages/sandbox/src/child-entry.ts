import type { TaskRequest, TaskResponse } from './protocol.js';

/**
 * The child process of a SandboxPool: imports the task's module (once; the
 * module stays loaded for later tasks, so an OCR engine's models load once per
 * child) and calls the named function. Limits are enforced from outside by
 * the pool (it kills this process), so nothing here needs to be trusted.
 */
type TaskFunction = (input: unknown, ctx: { tmpDir: string }) => unknown;

const modules = new Map<string, Promise<Record<string, unknown>>>();

async function runTask(req: TaskRequest): Promise<unknown> {
  let mod = modules.get(req.module);
  if (!mod) {
    mod = import(req.module) as Promise<Record<string, unknown>>;
    modules.set(req.module, mod);
  }
  const fn = (await mod)[req.fn];
  if (typeof fn !== 'function') throw new Error(`${req.module} has no exported function ${req.fn}`);
  return (fn as TaskFunction)(req.input, { tmpDir: req.tmpDir });
}

function reply(msg: TaskResponse): void {
  process.send?.(msg);
}

process.on('message', (req: TaskRequest) => {
  runTask(req).then(
    (result) => reply({ id: req.id, ok: true, result }),
    (err: unknown) => {
      const error = err instanceof Error ? err.message : String(err);
      reply({ id: req.id, ok: false, error: error || 'task failed' });
    },
  );
});
// the parent went away (killed, crashed): nobody will ever read our answer
process.on('disconnect', () => process.exit(0));
