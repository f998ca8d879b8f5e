import fs from 'node:fs';

/**
 * Resident memory of a process and all its descendants, read from /proc.
 * onnxruntime, WASM engines and the programs a task starts (pdftoppm) keep
 * their memory outside V8's heap, so a heap cap does not bound them; RSS does.
 * Linux only: elsewhere it returns null and only the time cap applies.
 */
export function treeRssBytes(rootPid: number): number | null {
  const own = rssOf(rootPid);
  if (own === null) return null;
  let total = own;
  for (const child of descendantsOf(rootPid)) total += rssOf(child) ?? 0;
  return total;
}

/** VmRSS of one process, bytes; null when it is gone or /proc is unavailable. */
export function rssOf(pid: number): number | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /^VmRSS:\s+(\d+)\s+kB/m.exec(status);
    // a zombie has no VmRSS line: it holds no memory any more
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    // the process exited between two reads: nothing to count
    return null;
  }
}

function descendantsOf(pid: number, depth = 0): number[] {
  if (depth > 8) return [];
  const out: number[] = [];
  for (const child of childrenOf(pid)) out.push(child, ...descendantsOf(child, depth + 1));
  return out;
}

function childrenOf(pid: number): number[] {
  let tasks: string[];
  try {
    tasks = fs.readdirSync(`/proc/${pid}/task`);
  } catch {
    // gone already, or no /proc: no children to count
    return [];
  }
  const out: number[] = [];
  for (const tid of tasks) {
    try {
      const list = fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim();
      if (list) out.push(...list.split(/\s+/).map(Number));
    } catch {
      // a thread that ended while we listed them has no children file
    }
  }
  return out;
}
