import { UsageError } from '../usage-error.js';
import type { Command } from 'commander';
import fs from 'node:fs';
import path from 'node:path';
import { ZEnv } from '@intake/config';
import type { OcrService } from '@intake/ocr';
import { buildApplicantDirectory, loadCampaignProfile } from '@intake/domain';
import { silentLogger } from '@intake/logger';
import { configSources } from '../runtime.js';

/**
 * Offline: one JSON document per message per line, no Redis, database or
 * network. Exit 0 when every file was read, even with flags; 1 when a file
 * could not be read at all (it still gets a line with its error).
 */
export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description('parse raw RFC 822 files (.eml) into the per-message JSON, one document per line')
    .argument('<files...>', '.eml files')
    .option('--received-at <iso>', 'the server receipt time to judge lateness by (default: the Date header)')
    .option('--campaign <path>', 'campaign profile JSON (default: CAMPAIGN or the built-in Jilin 2020 profile)')
    .option('--pretty', 'indent the JSON (one document per file, no longer one per line)')
    .option('--no-ocr', 'do not OCR pages without a text layer (scans are listed, their words not read)')
    .action(
      async (files: string[], opts: { receivedAt?: string; campaign?: string; pretty?: boolean; ocr: boolean }) => {
        let receivedAt: Date | null = null;
        if (opts.receivedAt) {
          receivedAt = new Date(opts.receivedAt);
          if (Number.isNaN(receivedAt.getTime()))
            throw new UsageError(`--received-at: not an ISO date-time: ${opts.receivedAt}`);
        }
        const { createParser } = await import('@intake/mail-parsing');
        const { evaluateMessage } = await import('@intake/validation-rules');
        // parse reads only CAMPAIGN, DATA_DIR, AUTHSERV_ID, the PARSE_* limits and the OCR settings: it must work offline whatever else the configuration says
        const src = configSources();
        const authservIds = ZEnv.shape.AUTHSERV_ID.parse(src.AUTHSERV_ID);
        const profile = loadCampaignProfile(opts.campaign ?? src.CAMPAIGN ?? null);
        const directory = buildApplicantDirectory(profile);
        const parser = createParser({});
        const ocr = opts.ocr ? await offlineOcr(src) : null;
        const limits = { ...readingLimits(src), ...(ocr ? { maxOcrPages: ocr.maxPages } : {}) };
        let failed = 0;
        try {
          for (const file of files) {
            let raw: Buffer;
            try {
              raw = fs.readFileSync(file);
            } catch (err) {
              failed++;
              process.stdout.write(
                JSON.stringify({ file, error: `cannot read file: ${(err as Error).message}` }) + '\n',
              );
              continue;
            }
            const parsed = await parser.parse(raw, {
              profile,
              directory,
              receivedAt,
              receivedAtSource: receivedAt ? 'argument' : undefined,
              logger: silentLogger,
              authservIds,
              limits,
              ...(ocr ? { ocr: { service: ocr.service, mode: 'inline' as const } } : {}),
            });
            parsed.flags = evaluateMessage(parsed, profile);
            process.stdout.write(JSON.stringify(parsed, null, opts.pretty ? 2 : undefined) + '\n');
          }
        } finally {
          await parser.close();
          await ocr?.service.close();
        }
        if (failed > 0) process.exitCode = 1;
      },
    );
}

/** The reading limits of the configuration (PARSE_*), as the workers apply them. */
function readingLimits(src: Record<string, string | undefined>) {
  const MiB = 1024 * 1024;
  const v = ZEnv.shape;
  return {
    attachmentTimeoutMs: v.PARSE_TIMEOUT_MS.parse(src.PARSE_TIMEOUT_MS),
    maxAttachmentBytes: v.PARSE_MAX_ATTACHMENT_MB.parse(src.PARSE_MAX_ATTACHMENT_MB) * MiB,
    maxOfficeUnpackedBytes: v.PARSE_OFFICE_MAX_MB.parse(src.PARSE_OFFICE_MAX_MB) * MiB,
    messageBudgetBytes: v.PARSE_MESSAGE_MAX_MB.parse(src.PARSE_MESSAGE_MAX_MB) * MiB,
    messageBudgetPages: v.PARSE_MESSAGE_MAX_PAGES.parse(src.PARSE_MESSAGE_MAX_PAGES),
    messageBudgetMs: v.PARSE_MESSAGE_TIMEOUT_MS.parse(src.PARSE_MESSAGE_TIMEOUT_MS),
  };
}

/** OCR inline, cached in files under DATA_DIR/ocr-cache (no database offline); OCR_MAX_PAGES=0 turns it off. */
async function offlineOcr(
  src: Record<string, string | undefined>,
): Promise<{ service: OcrService; maxPages: number } | null> {
  const maxPages = ZEnv.shape.OCR_MAX_PAGES.parse(src.OCR_MAX_PAGES);
  if (maxPages === 0) return null;
  const { createOcrService, FsOcrCache } = await import('@intake/ocr');
  const service = createOcrService({
    cache: new FsOcrCache(path.join(ZEnv.shape.DATA_DIR.parse(src.DATA_DIR), 'ocr-cache')),
    children: ZEnv.shape.OCR_CONCURRENCY.parse(src.OCR_CONCURRENCY),
    pageTimeoutMs: ZEnv.shape.OCR_PAGE_TIMEOUT_MS.parse(src.OCR_PAGE_TIMEOUT_MS),
    memoryMb: ZEnv.shape.OCR_MEMORY_MB.parse(src.OCR_MEMORY_MB),
  });
  return { service, maxPages };
}
