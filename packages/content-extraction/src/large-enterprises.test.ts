// Guards issue 9, item 2: the count of enterprises with output ≥ 1亿元 in the
// ways officials write it, and never another class (10亿, 5亿, 百亿) or
// another thing (亿元以上项目).
import { describe, expect, it } from 'vitest';
import { matchLargeEnterprises } from './large-enterprises.js';

describe('matchLargeEnterprises', () => {
  it.each([
    ['产值超亿元企业15家', 15],
    ['年产值超过1亿元的企业15户', 15],
    ['亿元以上企业15户', 15],
    ['过亿元企业15个', 15],
    ['产值1亿元以上的企业有15家', 15],
    ['产值亿元以上企业十五户', 15],
    ['产值亿元以上企业二十三家', 23],
    ['15户企业产值超亿元', 15],
    ['超亿元企业由2018年的12户增加到15户', 15],
    ['产值超亿元的规上企业达到15户', 15],
    ['年产值超亿元企业共15户', 15],
    ['亿元以上企业数（户） 15', 15],
    ['其中产值一亿元以上企业15户', 15],
  ])('%s → %i', (text, n) => {
    expect(matchLargeEnterprises(text)?.value).toBe(n);
  });

  it.each([
    '产值超10亿元企业3户',
    '5亿元以上企业2家',
    '百亿级企业1户',
    '亿元以上项目15个',
    '十亿元以上企业2户',
    '产值1.5亿元以上企业3户',
  ])('reads no count from %s', (text) => {
    expect(matchLargeEnterprises(text)).toBeNull();
  });

  it('takes the 1亿 class when a larger class comes first in the sentence', () => {
    expect(matchLargeEnterprises('产值超10亿元企业5户，产值超亿元企业21户')?.value).toBe(21);
  });
});
