// Guards issue 10 §7: the document views show what a mail says (file names, OCR'd words, 文号)
// — hostile text must come out escaped — and the pair view must highlight exactly what differs.
import { describe, expect, it } from 'vitest';
import type { TCopyFacts } from '@intake/domain';
import { lowConfidenceMark, markedLines, renderOcrPage, renderPairView } from './document-views.js';

const SHA = 'a'.repeat(64);
const EVIL = '<script>alert(1)</script>';

const doc = (date: string) => ({
  number: '长发改高技〔2020〕86号',
  issuer: '长春市发展和改革委员会',
  title: EVIL,
  date,
  sealed: null,
});

function facts(path: string, date: string, excerpt: string): TCopyFacts {
  return {
    sha256: SHA,
    path,
    copy: 'scan',
    roles: ['formal-document'],
    text: '',
    projectNames: [],
    projectCount: null,
    totalInvestment: null,
    uncertainAmounts: false,
    document: doc(date),
    excerpt,
  };
}

describe('document views', () => {
  it('marks a value below the threshold 低置信度, and nothing at or above it', () => {
    expect(lowConfidenceMark(0.79).value).toContain('低置信度');
    expect(lowConfidenceMark(0.8).value).toBe('');
    expect(lowConfidenceMark(undefined).value).toBe('');
  });

  it('highlights the differing lines, tolerating an OCR misread', () => {
    const [a, b] = markedLines(
      '关于申报长春市生物医药产业集群的请示\n我委认真组识开展了申报工作\n2020年5月12日',
      '关于申报长春市生物医药产业集群的请示\n我委认真组织开展了申报工作\n2020年5月15日',
    );
    expect(a.map((l) => l.differs)).toEqual([false, false, true]);
    expect(b.map((l) => l.differs)).toEqual([false, false, true]);
  });

  it('shows the pair side by side with the differing fact highlighted, everything escaped', () => {
    const side = (path: string, date: string, excerpt: string) => ({
      ref: { messageKey: SHA, path, sha256: SHA },
      receiptNo: '2020-0001-1',
      attachment: null,
      facts: facts(path, date, excerpt),
    });
    const out = renderPairView({
      appHref: '/applications/1',
      appTitle: '2020-0001',
      pair: {
        scan: { messageKey: SHA, path: `${EVIL}.pdf`, sha256: SHA },
        electronic: { messageKey: SHA, path: '请示.docx', sha256: SHA },
        similarity: 0.97,
        differences: ['成文日期：扫描版2020-05-12，电子版2020-05-15'],
      },
      scan: side(`${EVIL}.pdf`, '2020-05-12', `${EVIL}\n2020年5月12日`),
      electronic: side('请示.docx', '2020-05-15', `${EVIL}\n2020年5月15日`),
    }).value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('&lt;script&gt;');
    expect([...out.matchAll(/<tr class="diff"><th>([^<]+)<\/th>/g)].map((m) => m[1])).toEqual(['成文日期']);
    expect(out).toContain('成文日期：扫描版2020-05-12，电子版2020-05-15');
  });

  it('draws the OCR lines over the page image in SVG, escaped, low ones marked', () => {
    const out = renderOcrPage({
      filename: `${EVIL}.pdf`,
      path: `${EVIL}.pdf`,
      page: 1,
      pages: 2,
      messageSha256: SHA,
      appHref: '/applications/1',
      image: { width: 1654, height: 2339, src: `/ocr/${SHA}/page.png?path=x&page=1` },
      record: {
        text: EVIL,
        confidence: 0.95,
        rotation: 270,
        skewDegrees: 0,
        lines: [
          { text: EVIL, confidence: 0.95, box: { x: 10, y: 20, width: 300, height: 40 } },
          { text: '长发改高技〔2020〕86号', confidence: 0.6, box: { x: 10, y: 80, width: 300, height: 40 } },
        ],
      },
    }).value;
    expect(out).not.toContain('<script>');
    expect(out).toContain('viewBox="0 0 1654 2339"');
    expect(out).toContain('<rect x="10" y="80" width="300" height="40">');
    expect(out).toContain('<g class="low">');
    expect(out).toContain('已旋转270°');
    expect(out).toContain('id="ocr-toggle"');
    expect(out).toContain('下一页');
  });
});
