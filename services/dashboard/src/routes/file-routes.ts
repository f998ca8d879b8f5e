import type { FastifyInstance, FastifyReply } from 'fastify';
import { exportRegisterCsv, exportRegisterJson, exportRegisterXlsx, getApplication } from '@intake/register-store';
import { HttpError, type DashboardDeps } from '../context.js';
import { buildDocumentZip } from '../document-zip.js';
import {
  contentDisposition,
  downloadContentType,
  FILE_SECURITY_HEADERS,
  PREVIEW_CSP,
  previewType,
} from '../file-response.js';
import type { LoadAttachment } from '../load-attachment.js';
import { findAttachment } from '@intake/register-store';
import { parseAppRef } from './page-routes.js';

function sendDownload(reply: FastifyReply, filename: string, contentType: string, data: Buffer | string): FastifyReply {
  return reply
    .headers({
      ...FILE_SECURITY_HEADERS,
      'content-type': contentType,
      'content-disposition': contentDisposition('attachment', filename),
    })
    .send(data);
}

function stamp(): string {
  return new Date().toISOString().slice(0, 10);
}

export function registerFileRoutes(app: FastifyInstance, deps: DashboardDeps, load: LoadAttachment | null): void {
  async function loadRegistered(sha: string, path: string) {
    if (!/^[0-9a-f]{64}$/.test(sha) || !path) throw new HttpError(400, '参数无效');
    // only attachments the register lists are ever served, whatever the loader could reach
    const att = await findAttachment(deps.db, sha, path);
    if (!att) throw new HttpError(404, '附件不存在');
    if (!load) throw new HttpError(501, '此部署未配置原始邮件存储，无法提供原件');
    const file = await load(sha, path);
    if (!file) throw new HttpError(404, '未能从原始邮件中取出该附件');
    return file;
  }

  app.get<{ Params: { sha: string }; Querystring: { path?: string } }>('/files/:sha', async (req, reply) => {
    const file = await loadRegistered(req.params.sha, req.query.path ?? '');
    return sendDownload(reply, file.filename, downloadContentType(file.filename, file.contentType), file.data);
  });

  app.get<{ Params: { sha: string }; Querystring: { path?: string } }>('/preview/:sha', async (req, reply) => {
    const file = await loadRegistered(req.params.sha, req.query.path ?? '');
    const type = previewType(file.data);
    if (!type) throw new HttpError(415, '只有 PDF 和图片可以在线预览，请下载原件');
    return reply
      .headers({
        ...FILE_SECURITY_HEADERS,
        'content-type': type,
        'content-security-policy': PREVIEW_CSP,
        'content-disposition': contentDisposition('inline', file.filename),
      })
      .send(file.data);
  });

  app.get<{ Params: { ref: string } }>('/applications/:ref/documents.zip', async (req, reply) => {
    const target = await getApplication(deps.db, parseAppRef(req.params.ref));
    if (!target) throw new HttpError(404, '申报不存在');
    if (!load) throw new HttpError(501, '此部署未配置原始邮件存储，无法打包原件');
    const zip = await buildDocumentZip(target, load);
    const name = `${target.receiptNo}-${target.applicant?.name ?? '未识别'}-${target.cluster ?? ''}.zip`.replace(
      /-\.zip$/,
      '.zip',
    );
    return sendDownload(reply, name, 'application/zip', zip);
  });

  app.get<{ Params: { format: string } }>('/export/register.:format', async (req, reply) => {
    const { db, profile, directory } = deps;
    switch (req.params.format) {
      case 'xlsx':
        return sendDownload(
          reply,
          `申报登记表-${stamp()}.xlsx`,
          downloadContentType('x.xlsx'),
          await exportRegisterXlsx(db, profile, directory),
        );
      case 'csv':
        return sendDownload(
          reply,
          `申报登记表-${stamp()}.csv`,
          'text/csv; charset=utf-8',
          await exportRegisterCsv(db, profile, directory),
        );
      case 'json':
        return sendDownload(
          reply,
          `register-${stamp()}.json`,
          'application/json; charset=utf-8',
          JSON.stringify(await exportRegisterJson(db, profile, directory), null, 2),
        );
      default:
        throw new HttpError(404, '不支持的格式');
    }
  });
}
