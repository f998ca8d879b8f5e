// Guards applicant matching: 吉林省 is not 吉林市, the recipient never counts,
// a county named with its prefecture wins, 长白山/长白县/白山市 stay apart.
import { buildApplicantDirectory, loadCampaignProfile } from '@intake/domain';
import { describe, expect, it } from 'vitest';
import { detectApplicant } from './applicant.js';

const directory = buildApplicantDirectory(loadCampaignProfile());
const ctx = { directory, senders: [] as Array<{ address: string; applicantCode: string }> };
const code = (text: string, source = 'subject'): string | null =>
  detectApplicant([{ text, source }], ctx).applicant?.code ?? null;

describe('detectApplicant', () => {
  it('does not read 吉林省 as 吉林市, but reads 吉林市 and 吉林市发改委', () => {
    expect(code('吉林省发展改革委关于启动2020年省级战略性新兴产业集群发展工程的通知')).toBeNull();
    expect(code('吉林市碳纤维及复合材料产业集群申报材料')).toBe('220200');
    expect(code('吉林市发改委报送材料')).toBe('220200');
    expect(code('吉林省吉林市产业集群申报')).toBe('220200');
  });

  it('ignores the recipient division', () => {
    expect(code('报省发展改革委高技术处：长春市生物医药产业集群')).toBe('220100');
  });

  it('accepts short forms: 延边州, 长春, 梅河口', () => {
    expect(code('延边州医药健康产业集群申报')).toBe('222400');
    expect(code('长春生物医药产业集群')).toBe('220100');
    expect(code('梅河口医药产业集群')).toBe('220581');
  });

  it('takes the county when it is named with its prefecture or submits itself', () => {
    expect(code('通化市梅河口市医药健康产业集群申报材料')).toBe('220581');
    expect(code('长春市榆树市申报材料')).toBe('220182');
    const r = detectApplicant(
      [
        { text: '梅河口市发展和改革局关于申报梅河口市医药产业集群的请示', source: 'text:请示.pdf' },
        { text: '通化市', source: 'text:附件1.docx' },
      ],
      ctx,
    );
    expect(r.applicant).toEqual({ code: '220581', name: '梅河口市' });
    expect(r.evidence?.text).toContain('梅河口市发展和改革局');
  });

  it('keeps 长白山, 长白县 and 白山市 apart, and 通化县 from 通化市', () => {
    expect(code('长白山管委会申报材料')).toBe('229901');
    expect(code('长白朝鲜族自治县人参产业集群')).toBe('220623');
    expect(code('长白县人参产业集群')).toBe('220623');
    expect(code('白山市硅藻土产业集群')).toBe('220600');
    expect(code('通化县葡萄酒产业集群')).toBe('220521');
    expect(code('通化市医药产业集群')).toBe('220500');
  });

  it('trusts a known sender address or domain over text', () => {
    const withSenders = {
      directory,
      senders: [
        { address: 'fgw@ys.gov.cn', applicantCode: '220182' },
        { address: '@jlcity.gov.cn', applicantCode: '220200' },
      ],
    };
    const a = detectApplicant([{ text: '长春市生物医药产业集群', source: 'subject' }], {
      ...withSenders,
      fromAddress: 'FGW@ys.gov.cn',
    });
    expect(a.applicant?.code).toBe('220182');
    expect(a.evidence?.source).toBe('sender');
    expect(a.candidates.map((c) => c.code)).toEqual(['220182', '220100']);
    const b = detectApplicant([], { ...withSenders, fromAddress: 'drc@mail.jlcity.gov.cn' });
    expect(b.applicant?.code).toBe('220200');
  });

  it('weighs the subject above file text and returns null when nothing matches', () => {
    const r = detectApplicant(
      [
        { text: '四平市产业集群申报', source: 'subject' },
        { text: '与长春市、吉林市企业合作', source: 'text:附件1.docx' },
      ],
      ctx,
    );
    expect(r.applicant?.code).toBe('220300');
    expect(detectApplicant([{ text: '产业集群申报材料', source: 'subject' }], ctx)).toEqual({
      applicant: null,
      evidence: null,
      candidates: [],
    });
  });

  it('does not take a place inside an institute, university or company name from document text', () => {
    const r = detectApplicant(
      [
        { text: '大庆市新材料产业集群申报材料', source: 'subject' },
        {
          text: '与吉林大学、中国科学院长春应用化学研究所、长春光机所等高校院所合作；长春中医药大学',
          source: 'text:附件1.docx',
        },
      ],
      ctx,
    );
    expect(r.applicant).toBeNull();
    expect(
      code('与中国科学院长春应用化学研究所、长春光机所、通化东宝药业股份有限公司合作', 'text:附件1.docx'),
    ).toBeNull();
    // in a subject only a name right after the place is an organisation's
    expect(code('长春市申报材料报送中国一汽集团')).toBe('220100');
    expect(code('长春光机所合作协议')).toBeNull();
  });

  it('reads the applicant from the request text when the subject is vague', () => {
    const r = detectApplicant(
      [
        { text: '申报材料', source: 'subject' },
        { text: '请示', source: 'filename:请示.pdf' },
        {
          text: '长春市发展和改革委员会关于申报长春市生物医药产业集群的请示 省发展改革委：……与吉林市、四平市企业合作',
          source: 'text:请示.pdf',
        },
      ],
      ctx,
    );
    expect(r.applicant?.code).toBe('220100');
  });

  it('counts bare mentions in text only with a clear majority', () => {
    expect(code('与长春市、吉林市企业合作', 'text:附件1.docx')).toBeNull();
    expect(code('四平市位于…四平市工业基础…四平市交通便利，与长春市毗邻', 'text:附件1.docx')).toBe('220300');
  });

  it('returns null when the subject names a place outside the province and nothing of ours', () => {
    const withOthers = { ...ctx, otherPlaces: ['大庆市', '哈尔滨市'] };
    const r = detectApplicant(
      [
        { text: '大庆市新材料产业集群申报材料', source: 'subject' },
        { text: '长春市人民政府', source: 'text:附件1.docx' },
      ],
      withOthers,
    );
    expect(r.applicant).toBeNull();
    expect(r.evidence).toMatchObject({ field: 'applicant', value: null, source: 'subject' });
    // a unit of ours in the subject wins over a foreign place mentioned beside it
    expect(
      detectApplicant([{ text: '长春市与大庆市合作产业集群', source: 'subject' }], withOthers).applicant?.code,
    ).toBe('220100');
  });

  it('reads traditional characters as simplified', () => {
    expect(code('關於申報延吉市生物醫藥產業集群的請示')).toBe('222401');
    expect(code('遼源市發展和改革委員會')).toBe('220400');
  });
});
