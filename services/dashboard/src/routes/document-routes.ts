import type { FastifyInstance } from 'fastify';
import { findAttachment, getApplication, loadCopyFacts } from '@intake/register-store';
import { HttpError, type DashboardDeps, type OcrPageView } from '../context.js';
import { FILE_SECURITY_HEADERS } from '../file-response.js';
import type { LoadAttachment } from '../load-attachment.js';
import { DOCUMENTS_CSS } from '../static/documents-css.js';
import { renderOcrPage, renderPairView } from '../views/document-views.js';
import { parseAppRef, sendPage } from './page-routes.js';

/**
 * The OCR page view (text over the page image) and the scan ↔ electronic
 * pair view (issue 10 §7). The page image is rendered from the archived
 * attachment, bounded: only registered scans, only pages the file has (at
 * most MAX_PAGE), at most MAX_BYTES, one render at a time, the last few kept
 * in memory so the page and its image cost one render.
 */
const MAX_PAGE = 200;
const MAX_BYTES = 60 * 1024 * 1024;
const KEEP_RENDERED = 6;

interface Rendered {
  view: OcrPageView;
  width: number;
  height: number;
}

/** Width and height from a PNG's IHDR. */
export function pngSize(png: Buffer): { width: number; height: number } {
  if (png.length < 24 || png.readUInt32BE(12) !== 0x49484452) return { width: 1, height: 1 };
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

export function registerDocumentRoutes(app: FastifyInstance, deps: DashboardDeps, load: LoadAttachment | null): void {
  const rendered = new Map<string, Promise<Rendered>>();
  let queue: Promise<unknown> = Promise.resolve();

  app.get('/static/documents.css', { config: { access: 'public', skipSession: true } }, (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=300').send(DOCUMENTS_CSS),
  );

  function parsePage(raw: unknown): number {
    const page = Number(raw ?? 1);
    if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) throw new HttpError(400, '页码无效');
    return page;
  }

  async function renderPage(sha: string, path: string, page: number): Promise<Rendered> {
    if (!/^[0-9a-f]{64}$/.test(sha) || !path) throw new HttpError(400, '参数无效');
    const att = await findAttachment(deps.db, sha, path);
    if (!att) throw new HttpError(404, '附件不存在');
    if (att.kind !== 'pdf' && att.kind !== 'image') throw new HttpError(415, '只有扫描的 PDF 和图片有 OCR 文字');
    if (att.bytes > MAX_BYTES) throw new HttpError(413, '文件过大，不在线显示页面图像');
    const show = deps.ocrPage;
    if (!show) throw new HttpError(501, '此部署未启用 OCR（OCR_MAX_PAGES=0），无法显示页面图像');
    if (!load) throw new HttpError(501, '此部署未配置原始邮件存储，无法显示页面图像');
    const key = `${sha}\u0000${path}\u0000${page}`;
    const kept = rendered.get(key);
    if (kept) return kept;
    // one render at a time: the dashboard never competes with the OCR workers for more than one child
    const job = queue.then(async (): Promise<Rendered> => {
      const file = await load(sha, path);
      if (!file) throw new HttpError(404, '未能从原始邮件中取出该附件');
      let view: OcrPageView;
      try {
        view = await show({ data: file.data, kind: att.kind === 'pdf' ? 'pdf' : 'image', page });
      } catch (err) {
        deps.logger.info({ code: 'dashboard.ocr-page-missing', err, sha256: sha, page }, 'page image not rendered');
        throw new HttpError(404, `该文件没有第${page}页`);
      }
      return { view, ...pngSize(view.image) };
    });
    // the next render waits for this one, failed or not; a failure is not kept (its caller got it as an HTTP error)
    queue = job.then(
      () => undefined,
      () => {
        rendered.delete(key);
      },
    );
    rendered.set(key, job);
    while (rendered.size > KEEP_RENDERED) rendered.delete(rendered.keys().next().value!);
    return job;
  }

  app.get<{ Params: { sha: string }; Querystring: { path?: string; page?: string } }>(
    '/ocr/:sha',
    { config: { access: 'viewer' } },
    async (req, reply) => {
      const path = req.query.path ?? '';
      const page = parsePage(req.query.page);
      const r = await renderPage(req.params.sha, path, page);
      const att = await findAttachment(deps.db, req.params.sha, path);
      const detail = att ? await getApplication(deps.db, att.applicationId) : null;
      const registered = detail?.messages
        .find((m) => m.sha256 === req.params.sha)
        ?.attachments.find((a) => a.path === path);
      const body = renderOcrPage({
        filename: att?.filename ?? path,
        path,
        page,
        pages: registered?.pages ?? null,
        messageSha256: req.params.sha,
        appHref: detail ? `/applications/${detail.id}` : null,
        image: {
          width: r.width,
          height: r.height,
          src: `/ocr/${req.params.sha}/page.png?path=${encodeURIComponent(path)}&page=${page}`,
        },
        record: r.view.record,
      });
      return sendPage(req, reply, deps, `OCR文字 · ${att?.filename ?? ''}`, 'applications', body);
    },
  );

  app.get<{ Params: { sha: string }; Querystring: { path?: string; page?: string } }>(
    '/ocr/:sha/page.png',
    { config: { access: 'viewer' } },
    async (req, reply) => {
      const r = await renderPage(req.params.sha, req.query.path ?? '', parsePage(req.query.page));
      return reply
        .headers({ ...FILE_SECURITY_HEADERS, 'content-type': 'image/png', 'cache-control': 'private, max-age=300' })
        .send(r.view.image);
    },
  );

  app.get<{ Params: { ref: string; n: string } }>(
    '/applications/:ref/pairs/:n',
    { config: { access: 'viewer' } },
    async (req, reply) => {
      const detail = await getApplication(deps.db, parseAppRef(req.params.ref));
      if (!detail) throw new HttpError(404, '申报不存在');
      const n = Number(req.params.n);
      const pair = Number.isInteger(n) && n >= 0 ? detail.evaluation?.copyPairs?.[n] : undefined;
      if (!pair) throw new HttpError(404, '没有这一对扫描版与电子版');
      const facts = await loadCopyFacts(deps.db, detail.id);
      const side = (ref: typeof pair.scan) => {
        const m = detail.messages.find((x) => x.sha256 === ref.messageKey);
        return {
          ref,
          receiptNo: m?.receiptNo ?? null,
          attachment: m?.attachments.find((a) => a.path === ref.path) ?? null,
          facts: facts.find((f) => f.messageKey === ref.messageKey && f.facts.path === ref.path)?.facts ?? null,
        };
      };
      const body = renderPairView({
        appHref: `/applications/${detail.id}`,
        appTitle: detail.receiptNo,
        pair,
        scan: side(pair.scan),
        electronic: side(pair.electronic),
      });
      return sendPage(req, reply, deps, `扫描版与电子版对照 · ${detail.receiptNo}`, 'applications', body);
    },
  );
}
