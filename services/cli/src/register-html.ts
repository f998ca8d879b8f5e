import { renderStaticRegister } from '@intake/dashboard';
import { exportRegisterJson, getOverviewStats, listMissingApplicants, type Db } from '@intake/register-store';
import type { Runtime } from './runtime.js';

/** `register export --format html`: the overview and the table in one self-contained page. */
export async function renderRegisterPage(db: Db, rt: Runtime): Promise<string> {
  return renderStaticRegister({
    export: await exportRegisterJson(db, rt.profile, rt.directory),
    stats: await getOverviewStats(db, rt.profile),
    missingApplicants: await listMissingApplicants(db, rt.directory),
    profile: rt.profile,
  });
}
