import { describe, expect, it } from 'vitest';
import { decideSync } from './sync-strategy.js';

describe('decideSync', () => {
  it('starts from the first UID without a checkpoint', () => {
    expect(decideSync(null, { uidValidity: 7 })).toMatchObject({ type: 'initial', fromUid: 1 });
  });
  it('continues after the checkpoint under the same UIDVALIDITY', () => {
    expect(decideSync({ mailbox: 'INBOX', uidValidity: 7, lastUid: 41 }, { uidValidity: 7 })).toMatchObject({
      type: 'incremental',
      fromUid: 42,
    });
  });
  it('resyncs everything when UIDVALIDITY changed (mailbox recreated)', () => {
    const d = decideSync({ mailbox: 'INBOX', uidValidity: 7, lastUid: 41 }, { uidValidity: 9 });
    expect(d).toMatchObject({ type: 'resync', fromUid: 1 });
    expect(d.reason).toContain('7 → 9');
  });
});
