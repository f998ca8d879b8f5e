import { UsageError } from './usage-error.js';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The embedded PGlite register is one process's database. A second process
 * opening the same files would corrupt them, so the owner holds a pid file and
 * others get a clear answer instead.
 */
export function acquireRegisterLock(dataDir: string, what: string): () => void {
  const dir = path.resolve(dataDir, 'register');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'intake.pid');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, `${process.pid}\n${what}\n`, { flag: 'wx' });
      return () => {
        try {
          if (fs.readFileSync(file, 'utf8').startsWith(`${process.pid}\n`)) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const [pidText, owner] = fs.readFileSync(file, 'utf8').split('\n');
      const pid = Number(pidText);
      if (pid && pid !== process.pid && isAlive(pid)) {
        throw new UsageError(
          `the embedded register in ${dir} is in use by pid ${pid} (${owner ?? 'intake'}). ` +
            'Stop it, use the dashboard, or set DATABASE_URL to share a PostgreSQL register between processes.',
        );
      }
      fs.unlinkSync(file); // stale: its process is gone
    }
  }
  throw new UsageError(`could not lock ${file}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
