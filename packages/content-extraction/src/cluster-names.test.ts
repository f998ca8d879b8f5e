// Guards issue 9, items 3 and 4: a resend's subject ("补充盖章扫描件——长春市…")
// must give the same cluster name as the first submission, whatever prefixes
// and separators the sender's client or clerk put around it; and a cluster
// named after one of the notice's focus areas is filed under that area.
import { loadCampaignProfile } from '@intake/domain';
import { describe, expect, it } from 'vitest';
import { detectCluster, detectField } from './cluster.js';

const fields = loadCampaignProfile().fields;
const CLUSTER = '长春市光电子信息产业集群';

describe('cluster names from prefixed subjects', () => {
  it.each([
    '长春市光电子信息产业集群申报材料',
    '补充盖章扫描件——长春市光电子信息产业集群',
    '补充材料长春市光电子信息产业集群',
    'Re: 转发：补充材料长春市光电子信息产业集群',
    'RE: Fw: 回复：长春市光电子信息产业集群',
    'ＲＥ：【更正】长春市光电子信息产业集群—附件2',
    '回复：重新报送|长春市光电子信息产业集群',
    '答复: 修改 - 长春市光电子信息产业集群',
    '【补报】长春市光电子信息产业集群（盖章件）',
    '[补充] 长春市光电子信息产业集群_扫描件',
    'Fw: 关于申报长春市光电子信息产业集群的请示',
    '修改后：吉林省长春市光电子信息产业集群申报',
    '更正版·长春市光电子信息产业集群',
    '长春市 光电子信息 产业集群（重新报送）',
  ])('%s', (subject) => {
    expect(detectCluster([{ text: subject, source: 'subject' }], '长春市').cluster).toBe(CLUSTER);
  });

  it('keeps place names that begin like a prefix word (和龙市 is not 和 + 龙市)', () => {
    expect(detectCluster([{ text: '补充：和龙市生物医药产业集群', source: 'subject' }], '和龙市').cluster).toBe(
      '和龙市生物医药产业集群',
    );
  });
});

describe('the field of a cluster', () => {
  it.each([
    ['长春市光电子信息产业集群', '光电子', true],
    ['吉林市化工新材料产业集群', '新材料', true],
    ['长春市卫星及应用产业集群', '卫星及应用', true],
    ['长春市轨道交通装备产业集群', '轨道交通装备', true],
    ['通化市医药健康产业集群', '生物医药', true],
    ['长春市激光与光电信息产业集群', '光电子', true],
    ['长春市电子信息产业集群', '新一代信息技术', false],
    ['四平市节能环保装备产业集群', '节能环保', false],
  ])('%s → %s', (cluster, field, focus) => {
    const r = detectField(cluster, [], fields);
    expect([r.field, r.focus]).toEqual([field, focus]);
    expect(r.evidence?.reason).toContain(field);
  });
});
