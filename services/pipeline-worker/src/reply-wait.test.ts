// Guards the reply-waits-for-OCR policy of two-phase processing: only a mail with scans still
// queued for OCR holds its reply back, for the configured bound and no longer.
import { describe, expect, it } from 'vitest';
import type { TAttachment } from '@intake/domain';
import { hasPendingOcr, replyDelayMs } from './reply-wait.js';

const att = (text?: TAttachment['text']): TAttachment => ({
  path: 'a.pdf',
  filename: 'a.pdf',
  sha256: 'a'.repeat(64),
  bytes: 1,
  kind: 'pdf',
  copy: 'scan',
  roles: [],
  ...(text ? { text } : {}),
});

describe('reply wait', () => {
  it('waits only while a scan is pending', () => {
    expect(hasPendingOcr({ attachments: [att({ source: 'text-layer', chars: 10 }), att()] })).toBe(false);
    expect(hasPendingOcr({ attachments: [att({ source: 'none', chars: 0, pending: true })] })).toBe(true);
  });

  it('holds the reply for the bound when pending, not at all otherwise', () => {
    expect(replyDelayMs(true, 120_000)).toBe(120_000);
    expect(replyDelayMs(false, 120_000)).toBe(0);
    expect(replyDelayMs(true, 0)).toBe(0);
  });
});
