import { findHeaderBlockEnd } from '@intake/domain';
import type { Case } from '@intake/fixture-generator';

function splitHead(raw: Buffer): { head: string; body: Buffer; eol: string } {
  const bounds = findHeaderBlockEnd(raw);
  if (!bounds) return { head: '', body: raw, eol: '\r\n' };
  const eol = raw[bounds.headerEnd] === 0x0d ? '\r\n' : '\n';
  // latin1 keeps raw 8-bit header bytes (GBK subjects) intact on the way back
  return { head: raw.subarray(0, bounds.headerEnd).toString('latin1'), body: raw.subarray(bounds.headerEnd), eol };
}

/** Removes a header (with its folded continuation lines) from a header block. */
function dropHeader(head: string, name: string, eol: string): string {
  const lines = head.split(eol);
  const out: string[] = [];
  let dropping = false;
  for (const line of lines) {
    if (/^[ \t]/.test(line)) {
      if (!dropping) out.push(line);
      continue;
    }
    dropping = line.toLowerCase().startsWith(`${name.toLowerCase()}:`);
    if (!dropping) out.push(line);
  }
  return out.join(eol);
}

/**
 * The same message with a unique Message-ID (and optionally another sender),
 * so its bytes, its sha256 and its identity in the register all differ.
 */
export function stampMessage(raw: Buffer, tag: string, opts: { from?: string } = {}): Buffer {
  const { head, body, eol } = splitHead(raw);
  let h = dropHeader(head, 'Message-ID', eol);
  const extra = [`Message-ID: <${tag}@bench.invalid>`];
  if (opts.from) {
    h = dropHeader(dropHeader(dropHeader(h, 'From', eol), 'Reply-To', eol), 'Return-Path', eol);
    extra.push(`From: bench sender <${opts.from}>`);
  }
  return Buffer.concat([Buffer.from(extra.join(eol) + eol + h, 'latin1'), body]);
}

/** Cases the register would normally reply to: whole submissions, no auto-replies or bounces. */
export function isSubmission(c: Case): boolean {
  return c.expected.ack === 'reply' && c.raw.length > 100_000;
}

/**
 * Small-to-medium raw messages for the backlog figures: the corpus's short
 * mails (a correction with one table, a .rar, electronic-only, an auto-reply,
 * a bounce, a newsletter) plus one whole submission, so the mix has a
 * realistic tail without making 10,000 messages several GB.
 */
export function backlogTemplates(cases: Case[], oneSubmission: Buffer): Buffer[] {
  const small = cases.filter((c) => c.raw.length <= 64 * 1024).map((c) => c.raw);
  return [...small, oneSubmission];
}

/** `count` distinct messages cycling through `templates`, generated lazily. */
export function* stampedBacklog(
  templates: Buffer[],
  count: number,
  tag: string,
): Generator<{ raw: Buffer; internalDate: Date }> {
  const base = Date.parse('2020-05-12T02:00:00Z');
  for (let i = 0; i < count; i++) {
    const t = templates[i % templates.length]!;
    yield { raw: stampMessage(t, `${tag}-${i}`), internalDate: new Date(base + i * 1000) };
  }
}
