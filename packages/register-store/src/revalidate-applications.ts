import type { TCampaignProfile } from '@intake/domain';
import { revalidateWithPeers, type RevalidateOutcome } from '@intake/validation-rules';
import type { Db } from './db.js';
import { validateApplication } from './validate-application.js';

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
  return revalidateWithPeers(applicationIds, (id) => validateApplication(db, id, profile));
}
