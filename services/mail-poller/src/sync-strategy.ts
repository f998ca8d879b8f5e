import type { SyncState } from '@intake/register-store';

export type SyncDecision =
  | { type: 'initial'; fromUid: 1; reason: string }
  | { type: 'incremental'; fromUid: number; reason: string }
  | { type: 'resync'; fromUid: 1; reason: string };

/**
 * What to fetch, decided from our checkpoint and the server's UIDVALIDITY. New
 * mail is "UID above the checkpoint", never "not \Seen": a message someone
 * opened in a mail client is still new to us.
 */
export function decideSync(state: SyncState | null, server: { uidValidity: number }): SyncDecision {
  if (!state) return { type: 'initial', fromUid: 1, reason: 'no checkpoint for this mailbox yet' };
  if (state.uidValidity !== server.uidValidity) {
    return { type: 'resync', fromUid: 1, reason: `UIDVALIDITY changed ${state.uidValidity} → ${server.uidValidity}` };
  }
  return { type: 'incremental', fromUid: state.lastUid + 1, reason: `after checkpoint uid ${state.lastUid}` };
}
