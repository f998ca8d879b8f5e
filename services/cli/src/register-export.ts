import { exportRegisterCsv, exportRegisterJson, exportRegisterXlsx } from '@intake/register-store';
import type { Runtime } from './runtime.js';

/** The same exporters the dashboard's downloads use. */
export async function renderExport(rt: Runtime, format: 'xlsx' | 'json' | 'csv' | 'html'): Promise<string | Buffer> {
  const db = await rt.db();
  switch (format) {
    case 'json':
      return JSON.stringify(await exportRegisterJson(db, rt.profile, rt.directory), null, 2) + '\n';
    case 'csv':
      return exportRegisterCsv(db, rt.profile, rt.directory);
    case 'xlsx':
      return exportRegisterXlsx(db, rt.profile, rt.directory);
    case 'html': {
      const { renderRegisterPage } = await import('./register-html.js');
      return renderRegisterPage(db, rt);
    }
  }
}
