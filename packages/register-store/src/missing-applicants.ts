import type { ApplicantDirectory, ApplicantUnit } from '@intake/domain';
import type { Queryable } from './db.js';

export interface MissingApplicants {
  /** every unit of the directory without an application, in code order */
  units: Array<{ code: string; name: string; level: ApplicantUnit['level']; parentCode: string | null }>;
  /** the same, grouped by 市（州）: the prefecture itself (when it has not applied) and its counties */
  byPrefecture: Array<{
    prefecture: { code: string; name: string };
    prefectureApplied: boolean;
    missing: Array<{ code: string; name: string; level: ApplicantUnit['level'] }>;
  }>;
  total: number;
}

/** Units of the campaign's directory that have sent nothing yet: who to call before the deadline. */
export async function listMissingApplicants(q: Queryable, directory: ApplicantDirectory): Promise<MissingApplicants> {
  const rows = await q.query<{ applicant_code: string }>(
    'select distinct applicant_code from applications where applicant_code is not null',
  );
  const applied = new Set(rows.map((r) => r.applicant_code));
  const strip = (u: ApplicantUnit) => ({ code: u.code, name: u.name, level: u.level });
  const units = directory.units
    .filter((u) => !applied.has(u.code))
    .sort((a, b) => a.code.localeCompare(b.code))
    .map((u) => ({ ...strip(u), parentCode: u.parentCode }));
  const byPrefecture = directory.prefectures
    .map((p) => ({
      prefecture: { code: p.code, name: p.name },
      prefectureApplied: applied.has(p.code),
      missing: [p, ...p.counties].filter((u) => !applied.has(u.code)).map(strip),
    }))
    .filter((g) => g.missing.length > 0);
  return { units, byPrefecture, total: units.length };
}
