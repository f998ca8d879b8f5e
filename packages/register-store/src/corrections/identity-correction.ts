import { AppError, type TCampaignProfile } from '@intake/domain';
import type { Queryable } from '../db.js';
import { applicantNames } from '../application-groups.js';
import { applicationGroupKey, normalizeClusterName, unknownGroupKey } from '../normalize.js';

export interface ApplicationIdentity {
  applicant: { code: string; name: string } | null;
  cluster: string | null;
}

/**
 * Who an application is (applicant, cluster) decides where later mail goes:
 * correcting either re-keys the application's group, so the next mail of the
 * corrected applicant and cluster joins it. When another application already
 * holds that group the correction is refused: the two are one application
 * and staff should merge them instead. The caller holds the applicant locks
 * and the application's row lock.
 */
export async function setApplicationIdentity(
  q: Queryable,
  applicationId: number,
  identity: ApplicationIdentity,
  profile: TCampaignProfile,
): Promise<void> {
  const rows = await q.query<{ group_key: string }>('select group_key from applications where id = $1', [
    applicationId,
  ]);
  const current = rows[0];
  if (!current) throw new AppError('NOT_FOUND', { message: '申报不存在', permanent: true });
  let groupKey = current.group_key;
  let clusterKey: string | null = null;
  if (identity.applicant) {
    clusterKey = normalizeClusterName(identity.cluster, applicantNames(identity.applicant));
    groupKey = applicationGroupKey(profile.id, identity.applicant.code, clusterKey);
    const holder = await q.query<{ receipt_no: string }>(
      'select receipt_no from applications where group_key = $1 and id <> $2',
      [groupKey, applicationId],
    );
    if (holder[0]) {
      throw new AppError('INVALID_INPUT', {
        message: `${identity.applicant.name}已有${identity.cluster ? `“${identity.cluster}”的` : '未写明集群的'}申报 ${holder[0].receipt_no}：两者应是同一份申报，请使用“合并申报”`,
        permanent: true,
      });
    }
  } else if (!groupKey.startsWith('unknown:')) {
    // back to "unattributed" (a removed applicant correction): an application of its own, as the pipeline makes it
    const first = await q.query<{ sha256: string }>(
      'select sha256 from messages where application_id = $1 order by received_at, id limit 1',
      [applicationId],
    );
    groupKey = unknownGroupKey(first[0]?.sha256 ?? `application-${applicationId}`);
  }
  await q.query(
    `update applications set applicant_code = $2, applicant_name = $3, cluster = $4, cluster_key = $5, group_key = $6,
       updated_at = now() where id = $1`,
    [
      applicationId,
      identity.applicant?.code ?? null,
      identity.applicant?.name ?? null,
      identity.cluster,
      clusterKey,
      groupKey,
    ],
  );
}
