import { describe, expect, it } from 'vitest';
import { loadCampaignProfile } from '@intake/domain';
import {
  closestRelatedCluster,
  clusterKeysRelated,
  extractAddress,
  messageIdentityKey,
  normalizeClusterName,
} from './normalize.js';
import { campaignYear, formatApplicationReceiptNo, formatMessageReceiptNo } from './receipt-number.js';

describe('cluster names', () => {
  const cc = ['长春市', '长春'];
  it('groups the spellings of one cluster', () => {
    const forms = [
      '长春市生物医药产业集群',
      '“生物医药产业集群”',
      '2020年长春生物医药集群',
      '吉林省长春市 生物医药 产业集群',
      '《长春市生物医药产业集群》',
    ];
    expect(new Set(forms.map((f) => normalizeClusterName(f, cc)))).toEqual(new Set(['生物医药']));
  });
  it('keeps different clusters apart and 吉林市 out of the province prefix', () => {
    expect(normalizeClusterName('长春市光电子产业集群', cc)).toBe('光电子');
    expect(normalizeClusterName('吉林市碳纤维产业集群', ['吉林市', '吉林'])).toBe('碳纤维');
    expect(normalizeClusterName(null, cc)).toBe('');
    expect(normalizeClusterName('产业集群', cc)).toBe('');
  });
});

describe('cluster containment (issue 9.4)', () => {
  it('relates equal names and names that contain one another, not one-character overlaps', () => {
    expect(clusterKeysRelated('光电子', '光电子信息')).toBe(true);
    expect(clusterKeysRelated('光电子信息', '光电子')).toBe(true);
    expect(clusterKeysRelated('生物医药', '生物医药')).toBe(true);
    expect(clusterKeysRelated('生物医药', '光电子')).toBe(false);
    expect(clusterKeysRelated('光', '光电子')).toBe(false);
    expect(clusterKeysRelated('', '光电子')).toBe(false);
  });
  it('picks the exact key, else the closest related one, else none', () => {
    const apps = [
      { id: 1, clusterKey: '光电子信息及智能装备' },
      { id: 2, clusterKey: '光电子信息' },
      { id: 3, clusterKey: '生物医药' },
    ];
    expect(closestRelatedCluster('生物医药', apps)?.id).toBe(3);
    expect(closestRelatedCluster('光电子', apps)?.id).toBe(2);
    expect(closestRelatedCluster('光电子信息及智能装备', apps)?.id).toBe(1);
    expect(closestRelatedCluster('新材料', apps)).toBeNull();
  });
});

describe('message identity', () => {
  it('reads the address and falls back to the bytes without Message-ID or sender', () => {
    expect(extractAddress('"张三" <Zhang@Example.CN>')).toBe('zhang@example.cn');
    expect(extractAddress('fgw@jl.gov.cn')).toBe('fgw@jl.gov.cn');
    expect(extractAddress('无地址')).toBeNull();
    expect(messageIdentityKey('<m1@x>', 'a@b', 'f'.repeat(64))).toBe('mid:<m1@x>|a@b');
    expect(messageIdentityKey(null, 'a@b', 'f'.repeat(64))).toBe(`sha:${'f'.repeat(64)}`);
    expect(messageIdentityKey('<m1@x>', null, 'e'.repeat(64))).toBe(`sha:${'e'.repeat(64)}`);
  });
});

describe('receipt numbers', () => {
  it('are digits and dashes: campaign year from the deadline in its zone, 4-digit sequence, message suffix', () => {
    expect(campaignYear(loadCampaignProfile())).toBe(2020);
    expect(campaignYear({ deadline: '2020-12-31T23:30:00-02:00', timezone: 'Asia/Shanghai' })).toBe(2021);
    expect(formatApplicationReceiptNo(2020, 7)).toBe('2020-0007');
    expect(formatMessageReceiptNo('2020-0007', 2)).toBe('2020-0007-2');
  });
});
