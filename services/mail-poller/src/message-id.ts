/**
 * The Message-ID from the raw header block, without a MIME parser: the poller
 * only needs it for the ledger and de-duplication, and must not choke on
 * anything a full parse might.
 */
export function readMessageId(raw: Buffer): string | null {
  const end = raw.indexOf('\r\n\r\n');
  const endLf = raw.indexOf('\n\n');
  const stop = [end, endLf].filter((i) => i >= 0).sort((a, b) => a - b)[0] ?? Math.min(raw.length, 64 * 1024);
  const head = raw
    .subarray(0, stop)
    .toString('latin1')
    .replace(/\r?\n[ \t]+/g, ' ');
  const m = /^message-id:\s*(<[^>\r\n]+>|\S+)/im.exec(head);
  return m?.[1]?.trim() ?? null;
}
