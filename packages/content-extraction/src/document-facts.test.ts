// Guards issue 10 §3: the 请示's 文号, issuer, title and 成文日期 were never read. Each case is a
// header or sentence as offices print it, or as OCR returns it (〔〕 read as 【】/[]/(), full-width
// digits, spaces between characters, 〇 read as O), with the facts written out by hand.
import { describe, expect, it } from 'vitest';
import { normalizeDocumentNumber, readDocumentFacts } from './document-facts.js';

const REQUEST = [
  '长春市发展和改革委员会',
  '长发改高技〔2020〕86号',
  '关于申报长春市生物医药产业集群的请示',
  '省发展改革委：',
  '根据《吉林省发展改革委关于启动2020年省级战略性新兴产业集群发展工程的通知》（吉发改高技〔2020〕123号）要求，我委认真组织开展了申报工作。',
  '妥否，请批示。',
  '长春市发展和改革委员会',
  '2020年5月12日',
].join('\n');

const facts = (text: string, scanned = false, redShare: number | null = null) =>
  readDocumentFacts({ text, scanned, redShare });

describe('normalizeDocumentNumber', () => {
  it.each([
    ['长发改高技〔2020〕86号', '长发改高技〔2020〕86号'],
    ['长发改高技[2020]86号', '长发改高技〔2020〕86号'],
    ['长发改高技【2020】86号', '长发改高技〔2020〕86号'],
    ['长发改高技（2020）86号', '长发改高技〔2020〕86号'],
    ['长发改高技(2020)86号', '长发改高技〔2020〕86号'],
    ['长发改高技［２０２０］８６号', '长发改高技〔2020〕86号'],
    ['吉市发改字 〔 2020 〕 第 7 号', '吉市发改字〔2020〕7号'],
    ['文号：延州发改〔2019〕112号', '延州发改〔2019〕112号'],
    ['長發改高技〔2020〕86號', '长发改高技〔2020〕86号'],
  ])('%s → %s', (raw, want) => {
    expect(normalizeDocumentNumber(raw)).toBe(want);
  });

  it.each(['2020年5月12日', '第86号', '〔2020〕86号'])('%s is not a 文号', (raw) => {
    expect(normalizeDocumentNumber(raw)).toBeNull();
  });
});

describe('readDocumentFacts', () => {
  it('reads a 红头 请示 with a cited 文号 in its body', () => {
    expect(facts(REQUEST)).toEqual({
      number: '长发改高技〔2020〕86号',
      issuer: '长春市发展和改革委员会',
      title: '关于申报长春市生物医药产业集群的请示',
      date: '2020-05-12',
      sealed: null,
    });
  });

  it('undoes what OCR does to the header: 【】, full-width digits, spaces between characters', () => {
    const ocr = [
      '长 春 市 发 展 和 改 革 委 员 会',
      '长发改高技【２０２０】８６号',
      '关于申报长春市生物医药产业集群的请示',
      '妥否，请批示。',
      '长春市发展和改革委员会',
      '2020 年 5 月 12 日',
    ].join('\n');
    expect(facts(ocr, true, 0.006)).toEqual({
      number: '长发改高技〔2020〕86号',
      issuer: '长春市发展和改革委员会',
      title: '关于申报长春市生物医药产业集群的请示',
      date: '2020-05-12',
      sealed: true,
    });
  });

  it.each([
    ['二〇二〇年五月十二日', '2020-05-12'],
    ['二○二○年十二月一日', '2020-12-01'],
    ['二O二O年五月二十日', '2020-05-20'],
    ['二〇二〇年六月三十日', '2020-06-30'],
    ['二零一九年十月九日', '2019-10-09'],
    ['2020年05月08日', '2020-05-08'],
    ['２０２０年５月１２日', '2020-05-12'],
    ['2020.5.12', '2020-05-12'],
  ])('reads the 成文日期 %s as %s', (printed, iso) => {
    expect(facts(`关于申报集群的请示\n正文。\n吉林市发展和改革委员会\n${printed}`).date).toBe(iso);
  });

  it('takes the date under the signature, not a date in the body or the 印发 line at the foot', () => {
    const text = [
      '关于推荐吉林市化工新材料产业集群的请示',
      '按照2020年4月30日通知要求，现报送申报材料。',
      '吉林市发展和改革委员会',
      '2020年5月9日',
      '抄送：市政府办公室',
      '吉林市发展和改革委员会办公室 2020年5月10日印发',
    ].join('\n');
    expect(facts(text)).toMatchObject({ date: '2020-05-09', issuer: '吉林市发展和改革委员会' });
  });

  it('rejects an impossible date', () => {
    expect(facts('关于申报的请示\n2020年2月30日').date).toBeNull();
  });

  it('joins a title that wraps onto a second line', () => {
    const text = [
      '延边州发展和改革委员会文件',
      '延州发改〔2020〕15号',
      '关于申报延边州医药健康',
      '产业集群的请示',
      '州政府：',
    ];
    expect(facts(text.join('\n'))).toMatchObject({
      title: '关于申报延边州医药健康产业集群的请示',
      issuer: '延边州发展和改革委员会',
      number: '延州发改〔2020〕15号',
    });
  });

  it('reads a 文号 beside 签发人 on the same line', () => {
    const text = '四平市人民政府\n四政文〔2020〕21号 签发人：王明\n关于申报四平市装备制造产业集群的请示';
    expect(facts(text)).toMatchObject({ number: '四政文〔2020〕21号', issuer: '四平市人民政府' });
    const left = '签发人：王明 四政文〔2020〕21号\n关于申报的请示';
    expect(facts(left).number).toBe('四政文〔2020〕21号');
  });

  it('finds the issuer in the signature when there is no red header', () => {
    const text = [
      '关于申报白山市矿泉水产业集群的请示',
      '省发展改革委：',
      '现将材料报上。',
      '白山市发展和改革委员会',
      '二〇二〇年五月十一日',
    ];
    expect(facts(text.join('\n'))).toEqual({
      number: null,
      issuer: '白山市发展和改革委员会',
      title: '关于申报白山市矿泉水产业集群的请示',
      date: '2020-05-11',
      sealed: null,
    });
  });

  it('reads the signature and the date on one line', () => {
    const text = '关于申报的请示\n现将材料报上。\n通化市发展和改革委员会 2020年5月6日';
    expect(facts(text)).toMatchObject({ issuer: '通化市发展和改革委员会', date: '2020-05-06' });
  });

  it('does not take a 文号 only cited in the body as the document own', () => {
    const text = '关于申报的请示\n根据《通知》（吉发改高技〔2020〕123号）要求，现申报。\n2020年5月6日';
    expect(facts(text).number).toBeNull();
  });

  it('leaves everything null for text that is not a formal document', () => {
    expect(facts('项目名称 建设单位 总投资\n长春金赛生物制药产业化项目')).toEqual({
      number: null,
      issuer: null,
      title: null,
      date: null,
      sealed: null,
    });
    expect(facts('', true, null).sealed).toBeNull();
  });

  it('sees a seal on a scan only from red pixels', () => {
    expect(facts(REQUEST, true, 0.0061).sealed).toBe(true);
    expect(facts(REQUEST, true, 0.0004).sealed).toBe(false);
    expect(facts(REQUEST, false, 0.0061).sealed).toBeNull();
  });

  it('reads traditional characters as simplified', () => {
    const text =
      '長春市發展和改革委員會\n長發改高技〔2020〕86號\n關於申報長春市生物醫藥產業集群的請示\n二〇二〇年五月十二日';
    expect(facts(text)).toMatchObject({
      number: '长发改高技〔2020〕86号',
      issuer: '长春市发展和改革委员会',
      title: '关于申报长春市生物医药产业集群的请示',
      date: '2020-05-12',
    });
  });
});
