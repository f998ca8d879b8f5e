/**
 * Child process of the memory figures: does one thing to one file and prints
 * its peak RSS (worker threads included: they share the process) as JSON.
 *   node memory-child.js ours FILE.eml | ocr FILE.eml | pdf FILE.pdf | xlsx FILE.xlsx | idle -
 * `ocr` parses with OCR inline and no cache; its peak is sampled over the process tree (the OCR
 * engine runs in a sandbox child process of its own).
 * Modules are imported lazily, so `idle` is the bare node process.
 */
import fs from 'node:fs';

function vmHwmKb(): number | null {
  try {
    const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    return m?.[1] ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function runOurs(file: string): Promise<string> {
  const { buildApplicantDirectory, loadCampaignProfile } = await import('@intake/domain');
  const { createParser } = await import('@intake/mail-parsing');
  const { evaluateMessage } = await import('@intake/validation-rules');
  const { silentLogger } = await import('@intake/logger');
  const profile = loadCampaignProfile(null);
  const parser = createParser({});
  try {
    const parsed = await parser.parse(fs.readFileSync(file), {
      profile,
      directory: buildApplicantDirectory(profile),
      receivedAt: new Date(),
      logger: silentLogger,
    });
    parsed.flags = evaluateMessage(parsed, profile);
    const a = parsed.attachments.map((x) => `${x.kind}/${x.copy}${x.error ? ` error: ${x.error}` : ''}`).join(', ');
    return `${a}; ${parsed.projects.length} projects`;
  } finally {
    await parser.close();
  }
}

async function runOcr(file: string): Promise<{ detail: string; treePeakKb: number }> {
  const { loadCampaignProfile } = await import('@intake/domain');
  const { createParser } = await import('@intake/mail-parsing');
  const { createOcrService } = await import('@intake/ocr');
  const { treeRssBytes } = await import('@intake/sandbox');
  const parser = createParser({ size: 1 });
  // a cache that never hits: every page is really read
  const ocr = createOcrService({
    cache: { get: () => Promise.resolve(null), put: () => Promise.resolve() },
    pageTimeoutMs: 600_000,
  });
  let peak = 0;
  const timer = setInterval(() => (peak = Math.max(peak, treeRssBytes(process.pid) ?? 0)), 50);
  try {
    const out = await parser.parseDetailed(fs.readFileSync(file), {
      profile: loadCampaignProfile(null),
      limits: { maxOcrPages: 1000 },
      ocr: { service: ocr, mode: 'inline' },
    });
    const pages = out.files.reduce((n, f) => n + (f.ocr?.pages.length ?? 0), 0);
    return { detail: `${pages} pages OCR'd`, treePeakKb: peak / 1024 };
  } finally {
    clearInterval(timer);
    await parser.close();
    await ocr.close();
  }
}

async function main(): Promise<void> {
  const [mode, file] = process.argv.slice(2);
  if (!mode || !file) throw new Error('usage: memory-child.js ours|pdf|xlsx|idle FILE');
  const t0 = performance.now();
  let detail = '';
  let treePeakKb = 0;
  if (mode === 'ours') detail = await runOurs(file);
  else if (mode === 'ocr') ({ detail, treePeakKb } = await runOcr(file));
  else if (mode === 'pdf')
    detail = `${await (await import('./bare-libraries.js')).pdfText(fs.readFileSync(file))} chars of text`;
  else if (mode === 'xlsx')
    detail = `${await (await import('./bare-libraries.js')).loadXlsx(fs.readFileSync(file))} rows`;
  else if (mode !== 'idle') throw new Error(`unknown mode ${mode}`);
  const ms = performance.now() - t0;
  // VmHWM belongs to this process image; getrusage's maxRSS survives fork+exec on Linux and would
  // report the parent's (the bench's) resident size at spawn time when that is larger
  const hwm = vmHwmKb();
  const kb = Math.max(hwm ?? process.resourceUsage().maxRSS, treePeakKb);
  process.stdout.write(
    JSON.stringify({ mode, ms, peakRssMB: kb / 1024, source: hwm === null ? 'maxRSS' : 'VmHWM', detail }) + '\n',
  );
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`memory-child: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
