import { describe, expect, it } from 'vitest';
import { buildApplicantDirectory, loadCampaignProfile, shortNamesOf } from '@intake/domain';

describe('applicant directory', () => {
  const dir = buildApplicantDirectory(loadCampaignProfile());
  it('holds the nine 市（州） of Jilin with GB/T 2260 codes and the 长白山 extra', () => {
    const names = dir.prefectures.map((p) => `${p.code} ${p.name}`);
    expect(names).toContain('220100 长春市');
    expect(names).toContain('222400 延边朝鲜族自治州');
    expect(dir.prefectures).toHaveLength(10);
  });
  it('lists counties under their prefecture and leaves districts out', () => {
    const changchun = dir.prefectures.find((p) => p.code === '220100');
    expect(changchun?.counties.map((c) => c.name)).toEqual(['农安县', '榆树市', '德惠市', '公主岭市']);
    expect(dir.units.some((u) => u.name.endsWith('区') && u.code !== '229901')).toBe(false);
  });
  it('gives short forms and keeps a prefecture short form off its namesake county', () => {
    expect(shortNamesOf('延边朝鲜族自治州')).toEqual(['延边州', '延边']);
    expect(dir.byCode.get('220521')?.shortNames).toEqual([]);
  });
});
