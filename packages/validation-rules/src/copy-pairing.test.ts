// Guards issue 10 §5: nobody checked that the sealed scan and the electronic copy are the same
// document. Texts below are written by hand (an OCR-like scan text with a misread character, the
// docx text, an unrelated document); similarities are checked against bounds, differences word for word.
import type { TCopyFacts, TDocumentFacts } from '@intake/domain';
import { describe, expect, it } from 'vitest';
import {
  bigramDice,
  copySimilarity,
  mismatchFlags,
  normalizeForPairing,
  pairCopies,
  type CopyCandidate,
} from './copy-pairing.js';
import { evaluateApplication } from './evaluate-application.js';
import { loadCampaignProfile } from '@intake/domain';

const SHA = (n: number): string => n.toString(16).padStart(64, '0');

const REQUEST =
  '长春市发展和改革委员会 长发改高技〔2020〕86号 关于申报长春市生物医药产业集群的请示 省发展改革委：根据《吉林省发展改革委关于启动2020年省级战略性新兴产业集群发展工程的通知》要求，我委认真组织开展了申报工作，拟推荐长春市生物医药产业集群申报。妥否，请批示。长春市发展和改革委员会 2020年5月12日';
const OTHER =
  '吉林市人民政府 关于吉林市化工新材料产业集群发展情况的报告 一、基本情况 吉林市化工新材料产业集群现有规模以上企业86户，2019年实现产值420亿元，龙头企业带动作用明显。';

const doc = (number: string | null, date: string | null): TDocumentFacts => ({
  number,
  issuer: '长春市发展和改革委员会',
  title: '关于申报长春市生物医药产业集群的请示',
  date,
  sealed: null,
});

function facts(n: number, copy: 'scan' | 'electronic', text: string, over: Partial<TCopyFacts> = {}): TCopyFacts {
  return {
    sha256: SHA(n),
    path: `${copy === 'scan' ? '扫描件' : '请示'}${n}.${copy === 'scan' ? 'pdf' : 'docx'}`,
    copy,
    roles: ['formal-document'],
    text: normalizeForPairing(text),
    projectNames: [],
    projectCount: null,
    totalInvestment: null,
    uncertainAmounts: false,
    document: doc('长发改高技〔2020〕86号', '2020-05-12'),
    ...over,
  };
}

const cand = (messageKey: string, f: TCopyFacts): CopyCandidate => ({ messageKey, facts: f });

describe('similarity', () => {
  it('is 1 for the same words and 0 for nothing in common', () => {
    expect(bigramDice('关于申报的请示', '关于申报的请示')).toBe(1);
    expect(bigramDice('关于申报的请示', '项目汇总表')).toBe(0);
    expect(bigramDice('', '')).toBe(0);
  });

  it('stays high for an OCR reading with spaces, 【】 and a misread character', () => {
    const ocr = REQUEST.replace('〔2020〕', '【2020】').replace('组织', '组识').replace(/，/g, ' , ');
    const s = copySimilarity(facts(1, 'scan', ocr), facts(2, 'electronic', REQUEST));
    expect(s).toBeGreaterThan(0.9);
    expect(s).toBeLessThan(1);
  });

  it('is low for a different document of the same role', () => {
    expect(copySimilarity(facts(1, 'scan', OTHER), facts(2, 'electronic', REQUEST))).toBeLessThan(0.3);
  });

  it('compares tables by their project names when the words differ (an .xlsx has only its rows)', () => {
    const names = ['长春金赛生物制药产业化项目', '医疗器械产业园建设项目', '疫苗研发及产业化项目'];
    const scan = facts(1, 'scan', '2020年重点项目汇总表 ' + names.join(' '), { projectNames: names });
    const xlsx = facts(2, 'electronic', '重点项目汇总表', { projectNames: names });
    expect(copySimilarity(scan, xlsx)).toBe(1);
  });
});

describe('pairCopies', () => {
  it('pairs a matching scan and electronic copy with no differences', () => {
    const pairs = pairCopies([cand('m1', facts(1, 'scan', REQUEST)), cand('m1', facts(2, 'electronic', REQUEST))]);
    expect(pairs).toHaveLength(1);
    expect(pairs[0]).toMatchObject({ similarity: 1, differences: [] });
    expect(pairs[0]!.scan.facts.sha256).toBe(SHA(1));
    expect(pairs[0]!.electronic.facts.sha256).toBe(SHA(2));
    expect(mismatchFlags(pairs)).toEqual([]);
  });

  it('names the 文号 and the date that differ', () => {
    const elecText = REQUEST.replace('86号', '87号').replace('5月12日', '5月15日');
    const pairs = pairCopies([
      cand('m1', facts(1, 'scan', REQUEST)),
      cand('m1', facts(2, 'electronic', elecText, { document: doc('长发改高技〔2020〕87号', '2020-05-15') })),
    ]);
    expect(pairs[0]!.differences).toEqual([
      '文号：扫描版“长发改高技〔2020〕86号”，电子版“长发改高技〔2020〕87号”',
      '成文日期：扫描版2020-05-12，电子版2020-05-15',
    ]);
    expect(mismatchFlags(pairs)).toEqual([
      {
        code: 'SCAN_ELECTRONIC_MISMATCH',
        label: '扫描版与电子版不一致',
        detail:
          '扫描件1.pdf（扫描版）与 请示2.docx（电子版）不一致：文号：扫描版“长发改高技〔2020〕86号”，电子版“长发改高技〔2020〕87号”；成文日期：扫描版2020-05-12，电子版2020-05-15',
      },
    ]);
  });

  it('compares project count, else total investment unless OCR was unsure of an amount', () => {
    const table = (n: number, copy: 'scan' | 'electronic', count: number, total: number, uncertain = false) =>
      facts(n, copy, '项目汇总表', {
        roles: ['project-table'],
        projectNames: ['甲项目', '乙项目'],
        projectCount: count,
        totalInvestment: total,
        uncertainAmounts: uncertain,
        document: null,
      });
    const diff = (s: TCopyFacts, e: TCopyFacts) => pairCopies([cand('m', s), cand('m', e)])[0]!.differences;
    expect(diff(table(1, 'scan', 12, 100), table(2, 'electronic', 11, 100))).toEqual([
      '项目数：扫描版12个，电子版11个',
    ]);
    expect(diff(table(1, 'scan', 12, 812000), table(2, 'electronic', 12, 802000))).toEqual([
      '总投资：扫描版812000万元，电子版802000万元',
    ]);
    expect(diff(table(1, 'scan', 12, 812000.3), table(2, 'electronic', 12, 812000))).toEqual([]);
    expect(diff(table(1, 'scan', 12, 812000, true), table(2, 'electronic', 12, 802000))).toEqual([]);
  });

  it('does not pair different documents, files of different items, or two scans', () => {
    expect(pairCopies([cand('m', facts(1, 'scan', OTHER)), cand('m', facts(2, 'electronic', REQUEST))])).toEqual([]);
    const table = facts(2, 'electronic', REQUEST, { roles: ['project-table'] });
    expect(pairCopies([cand('m', facts(1, 'scan', REQUEST)), cand('m', table)])).toEqual([]);
    expect(pairCopies([cand('m', facts(1, 'scan', REQUEST)), cand('m', facts(2, 'scan', REQUEST))])).toEqual([]);
  });

  it('pairs a scan sent in a resend with the electronic copy of the first message', () => {
    const pairs = pairCopies([
      cand('first', facts(2, 'electronic', REQUEST)),
      cand('resend', facts(1, 'scan', REQUEST)),
    ]);
    expect(pairs.map((p) => [p.scan.messageKey, p.electronic.messageKey])).toEqual([['resend', 'first']]);
  });

  it('keeps each file in one pair, and prefers the pair within one message on a tie', () => {
    const pairs = pairCopies([
      cand('a', facts(1, 'scan', REQUEST)),
      cand('a', facts(2, 'electronic', REQUEST)),
      cand('b', facts(3, 'scan', REQUEST)),
      cand('b', facts(4, 'electronic', REQUEST)),
    ]);
    expect(pairs.map((p) => [p.scan.facts.sha256, p.electronic.facts.sha256])).toEqual([
      [SHA(1), SHA(2)],
      [SHA(3), SHA(4)],
    ]);
  });
});

describe('the application', () => {
  it('raises SCAN_ELECTRONIC_MISMATCH for a pair across messages, and keeps the pairs', () => {
    const profile = loadCampaignProfile();
    const side = (messageKey: string, n: number, path: string) => ({ messageKey, path, sha256: SHA(n) });
    const copyPairs = [
      {
        scan: side('resend', 1, '扫描件.pdf'),
        electronic: side('first', 2, '请示.docx'),
        similarity: 0.95,
        differences: ['成文日期：扫描版2020-05-12，电子版2020-05-15'],
      },
    ];
    const ev = evaluateApplication(
      { applicant: { code: '220100', name: '长春市' }, cluster: null, field: null, messages: [], copyPairs },
      profile,
    );
    expect(ev.flags.filter((f) => f.code === 'SCAN_ELECTRONIC_MISMATCH').map((f) => f.detail)).toEqual([
      '扫描件.pdf（扫描版）与 请示.docx（电子版）不一致：成文日期：扫描版2020-05-12，电子版2020-05-15',
    ]);
    expect(ev.copyPairs).toEqual(copyPairs);
  });
});
