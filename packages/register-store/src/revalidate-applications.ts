import type { TCampaignProfile } from '@intake/domain';
import { revalidateWithPeers, type RevalidateOutcome } from '@intake/validation-rules';
import type { Db } from './db.js';
import { peersHandedOn, validateApplication } from './validate-application.js';

/**
 * Validate these applications again and, through revalidateWithPeers, every
 * application whose DUPLICATE_PROJECT status their change may affect. The one
 * entry point for corrections, moves, merges, splits and `intake reprocess`.
 */
export async function revalidateApplications(
  db: Db,
  applicationIds: readonly number[],
  profile: TCampaignProfile,
): Promise<RevalidateOutcome> {
  const reported = new Map<number, number[]>();
  const outcome = await revalidateWithPeers(applicationIds, async (id) => {
    const r = await validateApplication(db, id, profile);
    reported.set(id, r.peersToRevalidate);
    return r;
  });
  // a drained work list validated every reported peer after it was reported; a truncated one did not
  if (!outcome.truncated) for (const [id, peers] of reported) await peersHandedOn(db, id, peers);
  return outcome;
}
