import { UsageError } from '../usage-error.js';
import type { Command } from 'commander';
import fs from 'node:fs';
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
    .action(async (files: string[], opts: { receivedAt?: string; campaign?: string; pretty?: boolean }) => {
      let receivedAt: Date | null = null;
      if (opts.receivedAt) {
        receivedAt = new Date(opts.receivedAt);
        if (Number.isNaN(receivedAt.getTime()))
          throw new UsageError(`--received-at: not an ISO date-time: ${opts.receivedAt}`);
      }
      const { createParser } = await import('@intake/mail-parsing');
      const { evaluateMessage } = await import('@intake/validation-rules');
      // parse reads only CAMPAIGN: it must work offline whatever else the configuration says
      const profile = loadCampaignProfile(opts.campaign ?? configSources().CAMPAIGN ?? null);
      const directory = buildApplicantDirectory(profile);
      const parser = createParser({});
      let failed = 0;
      try {
        for (const file of files) {
          let raw: Buffer;
          try {
            raw = fs.readFileSync(file);
          } catch (err) {
            failed++;
            process.stdout.write(JSON.stringify({ file, error: `cannot read file: ${(err as Error).message}` }) + '\n');
            continue;
          }
          const parsed = await parser.parse(raw, {
            profile,
            directory,
            receivedAt,
            receivedAtSource: receivedAt ? 'argument' : undefined,
            logger: silentLogger,
          });
          parsed.flags = evaluateMessage(parsed, profile);
          process.stdout.write(JSON.stringify(parsed, null, opts.pretty ? 2 : undefined) + '\n');
        }
      } finally {
        await parser.close();
      }
      if (failed > 0) process.exitCode = 1;
    });
}
