import type { TCopyFacts, TDocumentFacts, TEvidence, TProject } from '@intake/domain';
import type { ApplicationDetail, RegisteredAttachment, RegisteredMessage } from '@intake/register-store';
import { bigramDice, normalizeForPairing, type CopyPairRef } from '@intake/validation-rules';
import { html, joinHtml, type SafeHtml } from '../html.js';

/**
 * What the desk read from the words of scans and formal documents (issue 10
 * §7): the 请示's facts, the scan ↔ electronic pairs, the OCR text of a page
 * over its image, and a 低置信度 marker wherever a value came from OCR below
 * the trust threshold. Everything from a mail goes through `html` (escaped).
 */

/** OCR readings below this mean confidence are marked 低置信度 (the table reader's threshold, @intake/ocr). */
export const LOW_CONFIDENCE = 0.8;

export const DOCUMENTS_CSS_HREF = '/static/documents.css';

const cssLink = (): SafeHtml => html`<link rel="stylesheet" href="${DOCUMENTS_CSS_HREF}">`;

export function lowConfidenceMark(confidence: number | undefined): SafeHtml {
  return confidence !== undefined && confidence < LOW_CONFIDENCE
    ? html`<span class="lowconf" title="OCR置信度 ${confidence.toFixed(2)}，请人工核对">低置信度</span>`
    : html``;
}

export function ocrPageUrl(messageSha256: string, path: string, page: number): string {
  return `/ocr/${messageSha256}?path=${encodeURIComponent(path)}&page=${page}`;
}

export function pairUrl(appId: number, index: number): string {
  return `/applications/${appId}/pairs/${index}`;
}

const SOURCE_LABEL: Record<string, string> = { 'text-layer': '文字层', ocr: 'OCR识别', none: '未读出文字' };

/** The line under an attachment: where its words came from, OCR pages, its copy. */
export function attachmentWordsLine(app: ApplicationDetail, m: RegisteredMessage, a: RegisteredAttachment): SafeHtml {
  if (!a.text) return html``;
  const t = a.text;
  const conf =
    t.confidence !== undefined ? html`，平均置信度 ${t.confidence.toFixed(2)}${lowConfidenceMark(t.confidence)}` : '';
  const pending = t.pending ? html`<span class="chip">OCR排队中</span>` : '';
  const pages = Math.min(a.pages ?? 1, MAX_LINKED_PAGES);
  const ocrLinks =
    t.source === 'ocr' || (a.copy === 'scan' && (a.kind === 'pdf' || a.kind === 'image'))
      ? html` · OCR文字：${joinHtml(
          Array.from(
            { length: pages },
            (_, i) => html`<a href="${ocrPageUrl(m.sha256, a.path, i + 1)}">第${i + 1}页</a>`,
          ),
          ' ',
        )}`
      : '';
  const pairIndex = (app.evaluation?.copyPairs ?? []).findIndex(
    (p) =>
      (p.scan.messageKey === m.sha256 && p.scan.path === a.path) ||
      (p.electronic.messageKey === m.sha256 && p.electronic.path === a.path),
  );
  const copy =
    a.copyOf && pairIndex >= 0
      ? html` · <a class="pairlink" href="${pairUrl(app.id, pairIndex)}">${a.copy === 'scan' ? '对应电子版' : '对应扫描版'}（相似度 ${(a.similarity ?? 0).toFixed(2)}）</a>`
      : '';
  return html`<div class="sub words">文字来源：${SOURCE_LABEL[t.source] ?? t.source}（${t.chars}字${conf}）${pending}${ocrLinks}${copy}</div>`;
}

/** Page links offered per attachment; the OCR page route itself refuses pages past the file's end. */
const MAX_LINKED_PAGES = 20;

function sealLabel(sealed: boolean | null): string {
  return sealed === null ? '—（电子文件）' : sealed ? '见红色印章' : '未见印章';
}

/** 正式文件要素: the facts of each formal document of the application. */
export function documentFactsSection(app: ApplicationDetail): SafeHtml {
  const rows = app.messages.flatMap((m) => m.attachments.flatMap((a) => (a.document ? [{ m, a, d: a.document }] : [])));
  if (rows.length === 0) return html``;
  const low = (a: RegisteredAttachment): SafeHtml =>
    a.text?.source === 'ocr' ? lowConfidenceMark(a.text.confidence) : html``;
  const cell = (v: string | null): SafeHtml | string => (v === null ? html`<span class="sub">未识别</span>` : v);
  return html`${cssLink()}<section class="panel" id="document-facts"><h2>正式文件要素</h2>
<table class="docfacts"><thead><tr><th>文件</th><th>来件</th><th>文号</th><th>发文机关</th><th>标题</th><th>成文日期</th><th>盖章</th><th>来源</th></tr></thead><tbody>
${rows.map(
  ({ m, a, d }) =>
    html`<tr><td>${a.filename}</td><td>${m.receiptNo}</td><td class="number">${cell(d.number)}</td><td>${cell(d.issuer)}</td><td>${cell(d.title)}</td><td>${cell(d.date)}</td><td>${sealLabel(d.sealed)}</td><td>${SOURCE_LABEL[a.text?.source ?? 'none'] ?? ''}${low(a)}</td></tr>`,
)}
</tbody></table></section>`;
}

/** 扫描版与电子版对照: each pair, with what differs, linking to the side-by-side view. */
export function pairsSection(app: ApplicationDetail): SafeHtml {
  const pairs = app.evaluation?.copyPairs ?? [];
  if (pairs.length === 0) return html``;
  return html`${cssLink()}<section class="panel" id="copy-pairs"><h2>扫描版与电子版对照</h2><ul class="pairs">
${pairs.map(
  (p, i) =>
    html`<li class="${p.differences.length ? 'differs' : 'same'}"><a href="${pairUrl(app.id, i)}">${p.scan.path} ↔ ${p.electronic.path}</a>
（相似度 ${p.similarity.toFixed(2)}）${p.differences.length ? html`<b class="bad">不一致：${p.differences.join('；')}</b>` : html`<span class="ok">一致</span>`}</li>`,
)}
</ul></section>`;
}

/** OCR识别的数据: figures and project rows read from scans, each marked 低置信度 below the threshold. */
export function ocrReadingsSection(
  readings: Array<{ messageKey: string; projects: TProject[]; evidence: TEvidence[] }>,
): SafeHtml {
  const evidence = readings.flatMap((r) => r.evidence);
  const rows = readings.flatMap((r) => r.projects);
  if (evidence.length === 0 && rows.length === 0) return html``;
  const minConf = (p: TProject): number | undefined => {
    const v = Object.values(p.ocrConfidence ?? {});
    return v.length ? Math.min(...v) : undefined;
  };
  return html`${cssLink()}<section class="panel" id="ocr-readings"><h2>OCR识别的数据</h2>
${
  evidence.length
    ? html`<table><thead><tr><th>数据</th><th>值</th><th>原文</th><th>来源</th></tr></thead><tbody>${evidence.map(
        (e) =>
          html`<tr><td>${e.field}</td><td>${e.value === null ? '—' : String(e.value)}${lowConfidenceMark(e.confidence)}</td><td>${e.text}</td><td>${e.source}</td></tr>`,
      )}</tbody></table>`
    : ''
}
${
  rows.length
    ? html`<h3>从扫描件/照片读出的项目行</h3><table><thead><tr><th>项目名称</th><th>建设单位</th><th class="num">总投资（万元）</th><th>位置</th><th></th></tr></thead><tbody>${rows.map(
        (p) =>
          html`<tr class="${p.lowConfidence ? 'lowrow' : ''}"><td>${p.name}</td><td>${p.owner ?? ''}</td><td class="num">${p.totalInvestment ?? '—'}</td><td>${p.sheet} 第${p.row}行</td><td>${p.lowConfidence ? lowConfidenceMark(minConf(p) ?? 0) : ''}</td></tr>`,
      )}</tbody></table>`
    : ''
}</section>`;
}

interface OcrLineView {
  text: string;
  confidence: number;
  box: { x: number; y: number; width: number; height: number };
}

/** One page: the page image with the OCR lines drawn over it (toggle), and the lines as text. */
export function renderOcrPage(d: {
  filename: string;
  path: string;
  page: number;
  pages: number | null;
  messageSha256: string;
  appHref: string | null;
  image: { width: number; height: number; src: string };
  record: { text: string; confidence: number; rotation: number; skewDegrees: number; lines: OcrLineView[] } | null;
}): SafeHtml {
  const links = [
    d.page > 1 ? html`<a href="${ocrPageUrl(d.messageSha256, d.path, d.page - 1)}">上一页</a>` : null,
    d.pages === null || d.page < d.pages
      ? html`<a href="${ocrPageUrl(d.messageSha256, d.path, d.page + 1)}">下一页</a>`
      : null,
    d.appHref ? html`<a href="${d.appHref}">返回申报</a>` : null,
  ].filter((x): x is SafeHtml => x !== null);
  const nav = joinHtml(links, ' · ');
  const r = d.record;
  const lines = r?.lines ?? [];
  const overlay = lines.map(
    (l) =>
      html`<g class="${l.confidence < LOW_CONFIDENCE ? 'low' : ''}"><rect x="${l.box.x}" y="${l.box.y}" width="${l.box.width}" height="${l.box.height}"></rect><text x="${l.box.x}" y="${l.box.y + l.box.height * 0.82}" font-size="${Math.max(6, l.box.height * 0.8)}" textLength="${l.box.width}" lengthAdjust="spacingAndGlyphs">${l.text}</text></g>`,
  );
  return html`${cssLink()}<h1>OCR文字 · ${d.filename} · 第${d.page}页</h1>
<div class="sub">${d.path !== d.filename ? html`位置：${d.path} · ` : ''}${
    r
      ? html`识别${r.lines.length}行，平均置信度 ${r.confidence.toFixed(2)}${lowConfidenceMark(r.confidence)}${r.rotation ? html` · 已旋转${r.rotation}°` : ''}`
      : '此页尚未OCR识别（或由其他版本的引擎识别），只显示页面图像'
  } · ${nav}</div>
<div class="ocr-view">
<input type="checkbox" id="ocr-toggle" class="ocr-toggle" checked><label for="ocr-toggle" class="ocr-toggle-label">在图像上显示识别文字</label>
<svg class="ocr-page" viewBox="0 0 ${d.image.width} ${d.image.height}" role="img" aria-label="第${d.page}页图像">
<image href="${d.image.src}" x="0" y="0" width="${d.image.width}" height="${d.image.height}"></image>
<g class="ocr-lines">${overlay}</g></svg>
<div class="ocr-text"><h2>识别文字</h2>${
    lines.length
      ? html`<ol>${lines.map((l) => html`<li class="${l.confidence < LOW_CONFIDENCE ? 'low' : ''}">${l.text}${lowConfidenceMark(l.confidence)}</li>`)}</ol>`
      : html`<p class="sub">无</p>`
  }</div></div>`;
}

interface PairSide {
  ref: CopyPairRef['scan'];
  receiptNo: string | null;
  attachment: RegisteredAttachment | null;
  facts: TCopyFacts | null;
}

/** The scan and its electronic copy side by side; what differs is highlighted. */
export function renderPairView(d: {
  appHref: string;
  appTitle: string;
  pair: CopyPairRef;
  scan: PairSide;
  electronic: PairSide;
}): SafeHtml {
  const sd = d.scan.attachment?.document ?? d.scan.facts?.document ?? null;
  const ed = d.electronic.attachment?.document ?? d.electronic.facts?.document ?? null;
  const fact = (label: string, k: keyof TDocumentFacts): SafeHtml => {
    const a = sd?.[k] ?? null;
    const b = ed?.[k] ?? null;
    const show = (v: string | boolean | null): string =>
      v === null ? '—' : typeof v === 'boolean' ? (v ? '是' : '否') : v;
    const differs = k !== 'sealed' && a !== null && b !== null && a !== b;
    return html`<tr class="${differs ? 'diff' : ''}"><th>${label}</th><td>${show(a)}</td><td>${show(b)}</td></tr>`;
  };
  const num = (label: string, a: number | null | undefined, b: number | null | undefined): SafeHtml => {
    const differs = a !== null && a !== undefined && b !== null && b !== undefined && a !== b;
    return html`<tr class="${differs ? 'diff' : ''}"><th>${label}</th><td>${a ?? '—'}</td><td>${b ?? '—'}</td></tr>`;
  };
  const sf = d.scan.facts;
  const ef = d.electronic.facts;
  const [scanLines, elecLines] = markedLines(sf?.excerpt ?? '', ef?.excerpt ?? '');
  const head = (s: PairSide, label: string): SafeHtml =>
    html`<th>${label}：${s.ref.path}${s.receiptNo ? html`<div class="sub">来件 ${s.receiptNo}</div>` : ''}</th>`;
  return html`${cssLink()}<h1>扫描版与电子版对照</h1>
<div class="sub"><a href="${d.appHref}">返回 ${d.appTitle}</a> · 文字相似度 ${d.pair.similarity.toFixed(2)}</div>
${
  d.pair.differences.length
    ? html`<div class="panel pair-verdict differs"><b>不一致：</b>${d.pair.differences.join('；')}</div>`
    : html`<div class="panel pair-verdict same">文号、成文日期、项目数和总投资一致</div>`
}
<section class="panel"><table class="pair-facts"><thead><tr><th>要素</th>${head(d.scan, '扫描版')}${head(d.electronic, '电子版')}</tr></thead><tbody>
${fact('文号', 'number')}${fact('发文机关', 'issuer')}${fact('标题', 'title')}${fact('成文日期', 'date')}${fact('盖章', 'sealed')}
${num('项目数', sf?.projectCount, ef?.projectCount)}${num('总投资（万元）', sf?.totalInvestment, ef?.totalInvestment)}
</tbody></table></section>
<section class="panel pair-texts"><div><h2>扫描版文字（OCR）</h2>${lineList(scanLines)}</div><div><h2>电子版文字</h2>${lineList(elecLines)}</div></section>`;
}

function lineList(lines: Array<{ text: string; differs: boolean }>): SafeHtml {
  if (lines.length === 0) return html`<p class="sub">无文字</p>`;
  return html`<ol class="pair-lines">${lines.map((l) => html`<li class="${l.differs ? 'diff' : ''}">${l.text}</li>`)}</ol>`;
}

/** Each line of either text, marked when the other text has no line like it (OCR noise tolerated). */
export function markedLines(
  a: string,
  b: string,
): [Array<{ text: string; differs: boolean }>, Array<{ text: string; differs: boolean }>] {
  const split = (s: string) =>
    s
      .split(/\r?\n/)
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .slice(0, 200);
  const la = split(a);
  const lb = split(b);
  const na = la.map(normalizeForPairing);
  const nb = lb.map(normalizeForPairing);
  const whole = (arr: string[]) => arr.join('');
  const wa = whole(na);
  const wb = whole(nb);
  // a line the other text contains (even wrapped differently) is not a difference
  const found = (line: string, other: string[], otherWhole: string): boolean =>
    line.length < 2 || otherWhole.includes(line) || other.some((o) => bigramDice(line, o) >= 0.8);
  return [
    la.map((text, i) => ({ text, differs: !found(na[i]!, nb, wb) })),
    lb.map((text, i) => ({ text, differs: !found(nb[i]!, na, wa) })),
  ];
}
