import type { ApplicantDirectory, TCampaignProfile } from '@intake/domain';
import type { Db } from '@intake/register-store';
import type { DashboardDeps } from './context.js';
import { loadTablePage } from './routes/page-routes.js';
import { parseTableQuery } from './table-query.js';
import { renderTableBody } from './views/table-view.js';
import { renderLayout } from './views/layout.js';
import { toDocument } from './html.js';

/**
 * Server time of the register table's first page (GET /applications without
 * filters): the same query and rendering as the route, without HTTP. For the
 * bench's `dashboard.firstPageMs`.
 */
export async function firstPageTiming(
  db: Db,
  profile: TCampaignProfile,
  directory: ApplicantDirectory,
  runs = 5,
): Promise<{ ms: number; bytes: number; rows: number }> {
  const deps = { db, profile, directory } as Pick<DashboardDeps, 'db' | 'profile' | 'directory'> as DashboardDeps;
  const q = parseTableQuery({});
  const times: number[] = [];
  let bytes = 0;
  let rows = 0;
  for (let i = 0; i < Math.max(1, runs); i++) {
    const t0 = performance.now();
    const page = await loadTablePage(deps, q);
    const body = renderTableBody({ ...page, query: q, profile, directory });
    const doc = toDocument(
      renderLayout(
        { user: { id: 0, username: 'bench', role: 'viewer' }, csrf: 'x', campaignTitle: '' },
        { title: '申报登记表', active: 'applications', body },
      ),
    );
    times.push(performance.now() - t0);
    bytes = Buffer.byteLength(doc);
    rows = page.rows.length;
  }
  times.sort((a, b) => a - b);
  return { ms: Math.round(times[Math.floor(times.length / 2)]! * 10) / 10, bytes, rows };
}
