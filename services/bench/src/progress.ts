/** Progress and diagnostics go to stderr: stdout carries only the table or the JSON document. */
export function progress(msg: string): void {
  const t = new Date().toISOString().slice(11, 19);
  process.stderr.write(`[bench ${t}] ${msg}\n`);
}
