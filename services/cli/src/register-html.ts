import type { Db } from '@intake/register-store';
import type { Runtime } from './runtime.js';

/** Placeholder until the dashboard's static renderer is wired in. */
export async function renderRegisterPage(_db: Db, _rt: Runtime): Promise<string> {
  throw new Error('--format html is not available yet');
}
