import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createDashboard, createRawAttachmentLoader } from '@intake/dashboard';
import { getApplication } from '@intake/register-store';
import type { Runtime } from './runtime.js';

/**
 * The session key: SESSION_SECRET, else one generated on first start and kept
 * (mode 600) under DATA_DIR so sessions survive restarts.
 */
function sessionSecret(rt: Runtime): string {
  if (rt.env.SESSION_SECRET) return rt.env.SESSION_SECRET;
  const file = path.resolve(rt.env.DATA_DIR, 'session-secret');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}

export async function startDashboardService(rt: Runtime): Promise<{ close(): Promise<void>; url: string }> {
  const db = await rt.db();
  const rawStore = await rt.rawStore();
  const { buildWorkerContext } = await import('./worker-service.js');
  const { previewAckFor, reprocessMessages, resendAckFor } = await import('@intake/pipeline-worker');
  const ctx = await buildWorkerContext(rt);
  const ocr = ctx.ocr;
  const { loadOcrPageForDisplay } = await import('@intake/ocr');
  const { createRegisterOcrCache } = await import('@intake/pipeline-worker');
  const ocrCache = createRegisterOcrCache(db);
  const dashboard = await createDashboard({
    db,
    profile: rt.profile,
    directory: rt.directory,
    logger: rt.logger.child({ component: 'dashboard' }),
    rawStore,
    queues: await rt.queues(),
    loadAttachment: createRawAttachmentLoader({ db, rawStore }),
    sessionSecret: sessionSecret(rt),
    smtpConfigured: !!rt.env.SMTP_URL,
    secureCookies: rt.env.DASHBOARD_SECURE_COOKIES,
    trustProxy: rt.env.TRUST_PROXY,
    // the OCR page view: the page rendered again, its lines from the register's page cache
    ...(ocr ? { ocrPage: (src) => loadOcrPageForDisplay(src, { service: ocr.service, cache: ocrCache }) } : {}),
    triggers: {
      async reprocess(ref) {
        const app = await getApplication(db, ref);
        if (!app) throw new Error(`no application ${ref}`);
        await reprocessMessages(ctx, { receiptNos: [app.receiptNo] });
      },
      async resendAck(sha256) {
        await resendAckFor(ctx, sha256, 'dashboard');
      },
      async previewAck(sha256) {
        const r = await previewAckFor(ctx, sha256);
        return { to: r.to, subject: r.subject, text: r.text };
      },
    },
  });
  const url = await dashboard.listen(rt.env.DASHBOARD_PORT, rt.env.DASHBOARD_HOST);
  rt.logger.info({ code: 'dashboard.listening', url }, `dashboard at ${url}`);
  return { url, close: () => dashboard.close() };
}
