// Guards issue 14 §5 (scans never hold up the rest) through the real servers: an electronic mail
// is registered and answered while a multi-page scan is still waiting for OCR, and the scan's
// words arrive afterwards in the register, followed by its one reply. The race is forced, not
// timed: the OCR queue is paused until the electronic mail has been answered.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { afterAll, describe, expect, it } from 'vitest';
import type { TParsedMessage } from '@intake/domain';
import { makeSealedRequestScanPdf, makeTextPdf, SEALED_REQUEST } from '@intake/fixture-generator';
import { createRedis, QUEUES } from '@intake/queue';
import type { Db } from '@intake/register-store';
import { spawnIntake, type CliProcess } from '../helpers/cli-process.js';
import { createIsolatedDb } from '../helpers/isolated-db.js';
import { appendMessage } from '../helpers/mailbox.js';
import { uniqueName } from '../helpers/unique.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Array<() => Promise<void>> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function compose(from: string, to: string, subject: string, filename: string, content: Buffer): Promise<Buffer> {
  return new MailComposer({
    from,
    to,
    subject,
    text: '请查收。',
    attachments: [{ filename, content, contentType: 'application/pdf' }],
  })
    .compile()
    .build();
}

async function parsedBySubject(db: Db, subject: string): Promise<{ sha256: string; parsed: TParsedMessage } | null> {
  const rows = await db.query<{ sha256: string; parsed: TParsedMessage }>(
    `select sha256, parsed from messages where parsed->>'subject' = $1`,
    [subject],
  );
  return rows[0] ?? null;
}

async function acksFor(db: Db, sha256: string): Promise<Array<{ status: string; text_body: string | null }>> {
  return db.query(`select status, text_body from acks where source_sha256 = $1 and kind = 'ack'`, [sha256]);
}

describe('two-phase processing', () => {
  it('answers an electronic mail while a scan waits for OCR; the scan is read and answered afterwards', async () => {
    const isolated = await createIsolatedDb();
    cleanups.push(() => isolated.drop());
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-ocr-'));
    cleanups.push(() => fs.promises.rm(dataDir, { recursive: true, force: true }));
    const prefix = uniqueName('o').replace(/[^A-Za-z0-9_-]/g, '');
    const desk = `${uniqueName('desk')}@desk.test`;
    const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:26379';
    const env: Record<string, string> = {
      IMAP_URL: `imap://${encodeURIComponent(desk)}:${encodeURIComponent(process.env.TEST_MAIL_PASSWORD ?? '')}@${process.env.TEST_IMAP_HOST}:${process.env.TEST_IMAP_PORT}/INBOX`,
      REDIS_URL: redisUrl,
      DATABASE_URL: isolated.url,
      DATA_DIR: dataDir,
      QUEUE_PREFIX: prefix,
      ACK_FROM: desk,
      OCR_CONCURRENCY: '1',
      // long enough that only the OCR phase can release the scan's reply in this test
      OCR_REPLY_WAIT_MS: '600000',
    };
    const conn = createRedis(redisUrl, 'worker');
    conn.on('error', () => undefined);
    const ocrQueue = new Queue(QUEUES.ocr, { connection: conn, prefix });
    cleanups.push(async () => {
      await ocrQueue.obliterate({ force: true });
      await ocrQueue.close();
      conn.disconnect();
    });
    // GIVEN the OCR queue held: the scan cannot be read before we say so
    await ocrQueue.pause();

    const procs: CliProcess[] = [
      spawnIntake(['poller'], env, path.join(dataDir, 'logs', 'poller.log')),
      spawnIntake(['worker'], env, path.join(dataDir, 'logs', 'worker.log')),
    ];
    cleanups.push(async () => {
      for (const p of procs) p.kill('SIGTERM');
      await Promise.all(procs.map((p) => p.exited));
    });
    const db = isolated.db;

    const scanSubject = '长春市生物医药产业集群申报（扫描件）';
    const scan = await makeSealedRequestScanPdf({ pages: 2 });
    await appendMessage({
      user: desk,
      raw: await compose('office@fgw.changchun.test', desk, scanSubject, '扫描件.pdf', scan),
      internalDate: new Date('2020-05-12T02:00:00Z'),
    });
    const phase1 = await waitFor(async () => parsedBySubject(db, scanSubject), {
      timeoutMs: 60_000,
      message: 'scan registered in phase 1',
    });
    expect(phase1.parsed.attachments[0]?.text).toMatchObject({ source: 'none', pending: true });

    // WHEN an electronic mail arrives while the scan waits
    const elecSubject = '长春市生物医药产业集群申报（电子版）';
    const pdf = await makeTextPdf(SEALED_REQUEST.title, [
      { text: SEALED_REQUEST.header, style: 'redHeader' },
      { text: SEALED_REQUEST.title, style: 'title' },
      ...SEALED_REQUEST.body.map((text) => ({ text })),
    ]);
    await appendMessage({
      user: desk,
      raw: await compose('office@fgw.changchun.test', desk, elecSubject, '请示（电子版）.pdf', pdf),
      internalDate: new Date('2020-05-12T02:05:00Z'),
    });
    // THEN it is registered and answered at once
    const elec = await waitFor(async () => parsedBySubject(db, elecSubject), {
      timeoutMs: 60_000,
      message: 'electronic registered',
    });
    await waitFor(async () => (await acksFor(db, elec.sha256)).length === 1, {
      timeoutMs: 60_000,
      message: 'electronic answered',
    });
    // while the scan is still unread, its reply held back
    expect(await ocrQueue.count()).toBe(1);
    expect(await acksFor(db, phase1.sha256)).toEqual([]);
    expect((await parsedBySubject(db, scanSubject))?.parsed.attachments[0]?.text?.pending).toBe(true);

    // WHEN OCR may run
    await ocrQueue.resume();
    // THEN the scan's words reach the register, and its one reply follows
    const read = await waitFor(
      async () => {
        const m = await parsedBySubject(db, scanSubject);
        return m?.parsed.attachments[0]?.text?.source === 'ocr' ? m : null;
      },
      { timeoutMs: 180_000, intervalMs: 250, message: 'scan OCR results registered' },
    );
    const att = read.parsed.attachments[0]!;
    expect(att.text?.pending).toBeUndefined();
    expect(att.text?.confidence).toBeGreaterThan(0.8);
    expect(att.roles).toContain('formal-document');
    const scanAcks = await waitFor(
      async () => {
        const a = await acksFor(db, phase1.sha256);
        return a.length > 0 ? a : null;
      },
      { timeoutMs: 60_000, message: 'scan answered after OCR' },
    );
    expect(scanAcks).toHaveLength(1);
    expect(scanAcks[0]!.text_body).not.toContain('仍在识别中');
    expect(await acksFor(db, elec.sha256)).toHaveLength(1);
  });
});
