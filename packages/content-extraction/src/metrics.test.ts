// Guards the 2019 output / 亿元+ enterprise figures read from 附件1: units,
// wrong data year, and not mistaking investments or targets for output.
import { describe, expect, it } from 'vitest';
import { extractMetrics } from './metrics.js';

describe('extractMetrics', () => {
  it('reads the 2019 cluster output and the 亿元+ enterprises with evidence', () => {
    const text =
      '一、基本情况\n2019年，集群实现总产值128.6亿元，同比增长12.5%。集群内规模以上企业56户，其中产值超亿元企业9户。';
    const r = extractMetrics(text, '附件1.docx');
    expect(r.totalOutput2019).toBe(128.6);
    expect(r.largeEnterprises).toBe(9);
    expect(r.dataYear).toBe(2019);
    expect(r.evidence).toContainEqual({
      field: 'totalOutput2019',
      value: 128.6,
      text: '2019年，集群实现总产值128.6亿元，同比增长12.5%。',
      source: '附件1.docx',
      year: 2019,
    });
    expect(r.evidence.find((e) => e.field === 'largeEnterprises')?.text).toContain('产值超亿元企业9户');
  });

  it('converts 万元 to 亿元 and reads spaced and full-width figures', () => {
    expect(extractMetrics('2019年全年实现产值1,256,000万元。', 's').totalOutput2019).toBe(125.6);
    expect(extractMetrics('2019年集群总产值达到 86.3 亿元。', 's').totalOutput2019).toBe(86.3);
    expect(extractMetrics('2019年集群总产值达到８６．３亿元。', 's').totalOutput2019).toBe(86.3);
  });

  it('reads a figure from a flattened table cell with the unit in the label', () => {
    const r = extractMetrics('集群主要指标\n2019年总产值（亿元）\t128.6\n', 's');
    expect(r.totalOutput2019).toBe(128.6);
    expect(r.dataYear).toBe(2019);
    expect(extractMetrics('2019年集群总产值（万元）\n\n1,256,000\n', 's').totalOutput2019).toBe(125.6);
  });

  it('reads Chinese numerals', () => {
    expect(extractMetrics('产值1亿元以上企业12户。', 's').largeEnterprises).toBe(12);
    const r = extractMetrics('2019年集群工业总产值人民币壹佰亿元，产值亿元以上企业十二家。', 's');
    expect(r.totalOutput2019).toBe(100);
    expect(r.largeEnterprises).toBe(12);
  });

  it('keeps a figure stated for another year out of totalOutput2019, with its year in the evidence', () => {
    const r = extractMetrics('2018年，集群总产值62.3亿元，亿元以上企业7户。', 's');
    expect(r.totalOutput2019).toBeNull();
    expect(r.dataYear).toBe(2018);
    expect(r.largeEnterprises).toBe(7);
    expect(r.evidence).toContainEqual(expect.objectContaining({ field: 'dataYear', value: 2018 }));
    expect(r.evidence).toContainEqual(expect.objectContaining({ field: 'totalOutput', value: 62.3, year: 2018 }));
  });

  it('prefers the target year when both years appear', () => {
    const r = extractMetrics('集群总产值由2018年的100亿元增长到2019年的128.6亿元。', 's');
    expect(r.totalOutput2019).toBe(128.6);
    expect(r.dataYear).toBe(2019);
  });

  it('ignores investments, targets, enterprise classes and company figures', () => {
    const text = [
      '集群重点项目总投资350亿元。',
      '到2025年，集群总产值达到300亿元，亿元以上企业达到20户。',
      '项目达产后可实现产值50亿元。',
      '产值10亿元以上企业3户。',
    ].join('');
    const r = extractMetrics(text, 's');
    expect(r.totalOutput2019).toBeNull();
    expect(r.largeEnterprises).toBeNull();
    expect(r.dataYear).toBeNull();
    expect(r.evidence).toEqual([]);
  });

  it('prefers the cluster figure over one company', () => {
    const r = extractMetrics('2019年，长春生物制品研究所实现产值20亿元。2019年，集群实现产值88亿元。', 's');
    expect(r.totalOutput2019).toBe(88);
  });

  it('keeps unknown as null, never 0', () => {
    expect(extractMetrics('', 's')).toEqual({
      totalOutput2019: null,
      largeEnterprises: null,
      dataYear: null,
      evidence: [],
    });
  });
});
