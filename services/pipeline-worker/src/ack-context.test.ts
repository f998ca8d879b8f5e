import { describe, expect, it } from 'vitest';
import type { TAttachment } from '@intake/domain';
import type { ApplicationDetail, StoredMessage } from '@intake/register-store';
import { describeChanges } from './ack-context.js';

// Guards the resend wording of the reply: a second mail is told what it added
// and what it replaced, not just "received".
const att = (copy: TAttachment['copy'], roles: TAttachment['roles'], error?: string): TAttachment => ({
  path: 'x',
  filename: 'x',
  sha256: '0'.repeat(64),
  bytes: 1,
  kind: 'pdf',
  copy,
  roles,
  ...(error ? { error } : {}),
});
const reg = (sha: string, at: string, attachments: TAttachment[]) => ({
  sha256: sha,
  receivedAt: new Date(at),
  attachments,
});
const app = (messages: ReturnType<typeof reg>[]) => ({ messages }) as unknown as ApplicationDetail;
const msg = (sha: string, at: string, attachments: TAttachment[]) =>
  ({ sha256: sha, receivedAt: new Date(at), parsed: { attachments } }) as unknown as StoredMessage;

describe('describeChanges', () => {
  const first = reg('a', '2020-05-13T00:00:00Z', [
    att('electronic', ['materials', 'project-table']),
    att('electronic', ['formal-document']),
  ]);
  it('says nothing for the first mail of an application', () => {
    const m = msg('a', '2020-05-13T00:00:00Z', first.attachments);
    expect(describeChanges(app([first]), m)).toEqual([]);
  });
  it('names the scan a resend adds and the items it replaces', () => {
    const second = msg('b', '2020-05-14T00:00:00Z', [att('scan', ['formal-document'])]);
    expect(describeChanges(app([first, reg('b', '2020-05-14T00:00:00Z', second.parsed.attachments)]), second)).toEqual([
      '本次新增：扫描版',
      '本次重新报送：正式申报文件（以本次为准，此前版本留档）',
    ]);
  });
  it('does not count an unreadable file as received', () => {
    const bad = msg('c', '2020-05-14T00:00:00Z', [att('scan', ['materials'], 'corrupt')]);
    expect(describeChanges(app([first]), bad)).toEqual(['本次来件未识别到新的申报材料']);
  });
});
