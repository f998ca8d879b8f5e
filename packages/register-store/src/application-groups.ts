import type { TCampaignProfile } from '@intake/domain';
import type { Queryable } from './db.js';
import { applicationGroupKey, closestRelatedCluster, normalizeClusterName, unknownGroupKey } from './normalize.js';
import { allocateApplicationReceiptNo } from './receipt-number.js';
import { retireApplication } from './application-retire.js';

/**
 * Advisory lock namespaces (two-int form, apart from the migration lock's
 * bigint key). Order everywhere: message identity, then applicant, then
 * application rows, then project keys — so concurrent registrations cannot
 * deadlock.
 */
export const LOCK_MESSAGE = 73_001;
export const LOCK_APPLICANT = 73_002;
/** project keys, taken last (after the application's row) and in hash order, by validateApplication only */
export const LOCK_PROJECT_KEY = 73_003;

export async function lockKey(q: Queryable, namespace: number, key: string): Promise<void> {
  await q.query('select pg_advisory_xact_lock($1::int, hashtext($2))', [namespace, key]);
}

/** All of these keys' locks in one round-trip, in hash order so that two callers cannot deadlock. */
export async function lockProjectKeys(q: Queryable, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await q.query(
    `select pg_advisory_xact_lock($1::int, h)
     from (select distinct hashtext(k) as h from unnest($2::text[]) as k order by h offset 0) as ordered`,
    [LOCK_PROJECT_KEY, [...new Set(keys)]],
  );
}

/**
 * Applicant locks for the applicants of `applicationIds` and `codes`, in a
 * fixed order, for operations that may touch several applicants (reassign,
 * regroup) before they lock application rows.
 */
export async function lockApplicantsOf(
  q: Queryable,
  profile: TCampaignProfile,
  applicationIds: number[],
  codes: Array<string | null>,
): Promise<void> {
  const rows =
    applicationIds.length === 0
      ? []
      : await q.query<{ applicant_code: string | null }>(
          'select applicant_code from applications where id = any($1::bigint[])',
          [applicationIds],
        );
  const all = [...rows.map((r) => r.applicant_code), ...codes].filter((c): c is string => !!c);
  for (const code of [...new Set(all)].sort()) await lockKey(q, LOCK_APPLICANT, `${profile.id}|${code}`);
}

export interface AppRef {
  id: number;
  receiptNo: string;
}

export interface GroupTarget {
  applicant: { code: string; name: string } | null;
  cluster: string | null;
  field: string | null;
  /** the message's sha256: an unattributed message gets an application of its own */
  sha256: string;
}

/** Names stripped from a cluster name before it is compared (see normalizeClusterName). */
export function applicantNames(
  applicant: { code: string; name: string },
  shortNames: readonly string[] = [],
): string[] {
  const out = [applicant.name, ...shortNames];
  if (/[市县州]$/.test(applicant.name) && applicant.name.length > 2) out.push(applicant.name.slice(0, -1));
  return [...new Set(out)];
}

/**
 * The application a message belongs to, created when needed, its row locked
 * for the rest of the transaction:
 *  - no applicant → `unknown:<sha256>`, an application of its own;
 *  - applicant and cluster → that applicant's application for the cluster
 *    (the same normalized name, else one that contains it or is contained in
 *    it: see clusterKeysRelated), adopting the applicant's cluster-less
 *    application if there is none;
 *  - applicant without a cluster (a resend with only scans) → the applicant's
 *    most recently active application, or a new cluster-less one.
 * Decisions for one applicant are serialised by an advisory lock, so two
 * workers never create two applications for one group.
 */
export async function resolveApplication(q: Queryable, profile: TCampaignProfile, t: GroupTarget): Promise<AppRef> {
  if (!t.applicant) {
    return findOrCreate(q, profile, unknownGroupKey(t.sha256), {
      applicant: null,
      cluster: t.cluster,
      clusterKey: null,
      field: t.field,
    });
  }
  const { code } = t.applicant;
  await lockKey(q, LOCK_APPLICANT, `${profile.id}|${code}`);
  const clusterKey = normalizeClusterName(t.cluster, applicantNames(t.applicant));
  if (clusterKey === '') {
    const recent = await q.query<{ id: number }>(
      `select id from applications where campaign_id = $1 and applicant_code = $2
       order by last_received_at desc nulls last, id desc limit 1`,
      [profile.id, code],
    );
    if (recent[0]) return lockApplication(q, recent[0].id);
  }
  const groupKey = applicationGroupKey(profile.id, code, clusterKey);
  const existing = await q.query<{ id: number }>('select id from applications where group_key = $1', [groupKey]);
  if (existing[0]) return lockApplication(q, existing[0].id);
  if (clusterKey !== '') {
    const related = await relatedApplication(q, profile, code, clusterKey);
    if (related !== null) return lockApplication(q, related);
    // the applicant's first mail named no cluster: that application is this cluster's
    const clusterless = await q.query<{ id: number }>('select id from applications where group_key = $1', [
      applicationGroupKey(profile.id, code, ''),
    ]);
    if (clusterless[0]) {
      const id = clusterless[0].id;
      await q.query(
        `update applications set group_key = $2, cluster = $3, cluster_key = $4, field = coalesce(field, $5), updated_at = now()
         where id = $1`,
        [id, groupKey, t.cluster, clusterKey, t.field],
      );
      return lockApplication(q, id);
    }
  }
  return findOrCreate(q, profile, groupKey, { applicant: t.applicant, cluster: t.cluster, clusterKey, field: t.field });
}

/** The applicant's application whose cluster contains this one or is contained in it (closest first). */
async function relatedApplication(
  q: Queryable,
  profile: TCampaignProfile,
  applicantCode: string,
  clusterKey: string,
): Promise<number | null> {
  const rows = await q.query<{ id: number; cluster_key: string }>(
    `select id, cluster_key from applications
     where campaign_id = $1 and applicant_code = $2 and coalesce(cluster_key, '') <> ''
     order by last_received_at desc nulls last, id desc`,
    [profile.id, applicantCode],
  );
  return (
    closestRelatedCluster(
      clusterKey,
      rows.map((r) => ({ id: r.id, clusterKey: r.cluster_key })),
    )?.id ?? null
  );
}

/** The application of a group key, created (with a new receipt number) when there is none; its row locked. */
export async function findOrCreate(
  q: Queryable,
  profile: TCampaignProfile,
  groupKey: string,
  a: {
    applicant: { code: string; name: string } | null;
    cluster: string | null;
    clusterKey: string | null;
    field: string | null;
  },
): Promise<AppRef> {
  const existing = await q.query<{ id: number }>('select id from applications where group_key = $1', [groupKey]);
  if (existing[0]) return lockApplication(q, existing[0].id);
  const receiptNo = await allocateApplicationReceiptNo(q, profile);
  const inserted = await q.query<{ id: number }>(
    `insert into applications (receipt_no, campaign_id, group_key, applicant_code, applicant_name, cluster, cluster_key, field)
     values ($1, $2, $3, $4, $5, $6, $7, $8)
     on conflict (group_key) do nothing returning id`,
    [
      receiptNo,
      profile.id,
      groupKey,
      a.applicant?.code ?? null,
      a.applicant?.name ?? null,
      a.cluster,
      a.clusterKey,
      a.field,
    ],
  );
  // callers hold the group's lock, so a conflict means a lock was skipped: fail loudly, the transaction rolls back
  if (!inserted[0]) throw new Error(`application ${groupKey} was created concurrently`);
  return lockApplication(q, inserted[0].id);
}

export async function lockApplication(q: Queryable, id: number): Promise<AppRef> {
  const rows = await q.query<{ id: number; receipt_no: string }>(
    'select id, receipt_no from applications where id = $1 for update',
    [id],
  );
  const r = rows[0];
  if (!r) throw new Error(`application ${id} not found`);
  return { id: r.id, receiptNo: r.receipt_no };
}

/** Counts and first/last receipt times follow the messages (after adding, moving, reprocessing). */
export async function refreshApplicationTimes(q: Queryable, applicationId: number): Promise<void> {
  await q.query(
    `update applications a set
       message_count = s.n, first_received_at = s.first_at, last_received_at = s.last_at, updated_at = now()
     from (select count(*)::int as n,
             -- only submissions set the receipt times; an application of correspondence alone falls back to it
             coalesce(min(received_at) filter (where mail_class = 'submission'), min(received_at)) as first_at,
             coalesce(max(received_at) filter (where mail_class = 'submission'), max(received_at)) as last_at
           from messages where application_id = $1) s
     where a.id = $1`,
    [applicationId],
  );
}

/**
 * Move a message (with its project rows) to another application. An
 * application left without messages is retired (see retireApplication): its
 * receipt number leads to the target from then on, its corrections move
 * there, and the audit log keeps its history. Returns the applications that
 * need validating again.
 */
export async function moveMessage(
  q: Queryable,
  messageRowId: number,
  fromAppId: number,
  toAppId: number,
  manual: boolean,
  opts: { actor?: string; retireReason?: string } = {},
): Promise<number[]> {
  if (fromAppId === toAppId) return [toAppId];
  // peers sharing a project with the source: if the source disappears, their DUPLICATE_PROJECT may clear
  const peers = await q.query<{ application_id: number }>(
    `select distinct p2.application_id from application_projects p1
     join application_projects p2 on p2.project_key = p1.project_key and p2.application_id <> p1.application_id
     where p1.application_id = $1`,
    [fromAppId],
  );
  await q.query(
    `update messages set application_id = $2, assigned_manually = assigned_manually or $3, updated_at = now() where id = $1`,
    [messageRowId, toAppId, manual],
  );
  await q.query('update projects set application_id = $2, current = false where message_id = $1', [
    messageRowId,
    toAppId,
  ]);
  await refreshApplicationTimes(q, toAppId);
  const left = await q.query<{ n: number }>('select count(*)::int as n from messages where application_id = $1', [
    fromAppId,
  ]);
  if ((left[0]?.n ?? 0) === 0) {
    await retireApplication(
      q,
      fromAppId,
      toAppId,
      opts.actor ?? (manual ? 'staff' : 'pipeline'),
      opts.retireReason ?? (manual ? '邮件已全部由工作人员移出' : '重新处理后邮件归入其他申报'),
    );
    return [...new Set([toAppId, ...peers.map((p) => p.application_id)])];
  }
  await refreshApplicationTimes(q, fromAppId);
  return [fromAppId, toAppId];
}
