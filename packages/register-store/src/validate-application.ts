import {
  PROBLEM_FLAGS,
  makeFlag,
  type TCampaignProfile,
  type FlagCode,
  type MailKind,
  type TParsedMessage,
} from '@intake/domain';
import {
  evaluateApplication,
  projectKey,
  type ApplicationEvaluation,
  type ApplicationView,
  type MessageView,
} from '@intake/validation-rules';
import type { Db, Queryable } from './db.js';
import { lockProjectKeys } from './application-groups.js';
import { loadCorrections } from './corrections/correction-store.js';
import { toCorrectionSet } from './corrections/correction-set.js';
import { loadBookEntries } from './sender-book.js';
import { countsAsConfirmed, describeUnconfirmedSender, senderStatusOf, type SenderStatus } from './sender-trust.js';
import { pairApplicationCopies } from './copy-facts.js';

export interface ValidateApplicationResult {
  /** null when the application no longer exists (its last message was moved away) */
  evaluation: ApplicationEvaluation | null;
  /** the stored evaluation differs from the previous one */
  changed: boolean;
  /**
   * other applications whose DUPLICATE_PROJECT status may have changed: validate them again, then call
   * peersHandedOn. Until then they stay stored, and every validation of this application reports them.
   */
  peersToRevalidate: number[];
}

interface AppRow {
  id: number;
  receipt_no: string;
  applicant_code: string | null;
  applicant_name: string | null;
  cluster: string | null;
  field: string | null;
  evaluation: ApplicationEvaluation | null;
  peers_pending: Array<number | string>;
}

interface MsgRow {
  id: number;
  sha256: string;
  received_at: Date;
  from_address: string | null;
  parsed: TParsedMessage;
  mail_class: MailKind;
}

/** What only submissions can raise: correspondence alone never makes an application "missing" or late. */
const SUBMISSION_FLAG = /^(MISSING_|LATE$)/;

/**
 * Run the notice's checks over all of an application's messages together, on
 * the effective values (staff corrections applied), and store the outcome
 * (evaluation, flag codes, metrics, current projects and their keys, late
 * messages). Idempotent; the row lock makes concurrent runs queue.
 */
export async function validateApplication(
  db: Db,
  applicationId: number,
  profile: TCampaignProfile,
): Promise<ValidateApplicationResult> {
  return db.tx(async (q) => {
    const apps = await q.query<AppRow>(
      `select id, receipt_no, applicant_code, applicant_name, cluster, field, evaluation, peers_pending
       from applications where id = $1 for update`,
      [applicationId],
    );
    const app = apps[0];
    if (!app) return { evaluation: null, changed: false, peersToRevalidate: [] };
    const msgs = await q.query<MsgRow>(
      'select id, sha256, received_at, from_address, parsed, mail_class from messages where application_id = $1 order by received_at, id',
      [applicationId],
    );
    const submissions = msgs.filter((m) => m.mail_class === 'submission');
    const senders = await senderStatuses(q, profile, app, msgs);
    const corrections = toCorrectionSet((await loadCorrections(q, [applicationId])).get(applicationId) ?? []);
    const readField = [...submissions].reverse().find((m) => m.parsed.field)?.parsed.field ?? app.field;
    const field = corrections.field !== undefined ? corrections.field : readField;
    const view: ApplicationView = {
      applicant: app.applicant_code
        ? { code: app.applicant_code, name: app.applicant_name ?? app.applicant_code }
        : null,
      cluster: app.cluster,
      field: readField,
      // auto-replies, bounces and answers to our reply are listed, never evaluated (CONTRACT, last section)
      messages: submissions.map((m) => toMessageView(m, senders.get(m.id) ?? null, app.applicant_name, profile)),
      corrections,
      copyPairs: await pairApplicationCopies(q, applicationId),
    };
    let evaluation = withoutSubmissionFlags(evaluateApplication(view, profile), submissions.length);
    // two applications gaining the same key at once would each miss the other's uncommitted rows and
    // neither be flagged: the key locks make the second wait, then see the first and name it as a peer
    const keysBefore = await currentProjectKeys(q, applicationId);
    await lockProjectKeys(q, [...keysBefore, ...evaluation.projects.map((p) => projectKey(p))]);
    const duplicates = await findDuplicateProjects(q, applicationId, evaluation);
    if (duplicates.length > 0)
      evaluation = withoutSubmissionFlags(
        evaluateApplication({ ...view, duplicateProjects: duplicates }, profile),
        submissions.length,
      );

    const peers = await storePendingPeers(
      q,
      app,
      await updateCurrentProjects(q, applicationId, msgs, evaluation, keysBefore),
    );
    const lateKeys = new Set(evaluation.lateMessageKeys);
    await q.query('update messages set late = sha256 = any($2::text[]) where application_id = $1', [
      applicationId,
      msgs.filter((m) => lateKeys.has(m.sha256)).map((m) => m.sha256),
    ]);
    await q.query(
      `update messages m set sender_status = s.status from unnest($1::bigint[], $2::text[]) as s(id, status)
       where m.id = s.id and m.sender_status is distinct from s.status`,
      [msgs.map((m) => m.id), msgs.map((m) => senders.get(m.id) ?? null)],
    );
    await storeEvaluation(q, applicationId, field, evaluation);
    const changed = canonicalJson(app.evaluation) !== canonicalJson(JSON.parse(JSON.stringify(evaluation)));
    return { evaluation, changed, peersToRevalidate: peers };
  });
}

/** Each message's sender against the applicant's address book; none for an unattributed application. */
async function senderStatuses(
  q: Queryable,
  profile: TCampaignProfile,
  app: AppRow,
  msgs: MsgRow[],
): Promise<Map<number, SenderStatus>> {
  const out = new Map<number, SenderStatus>();
  if (!app.applicant_code) return out;
  const entries = await loadBookEntries(q, profile, app.applicant_code);
  for (const m of msgs) out.set(m.id, senderStatusOf(m.from_address, entries));
  return out;
}

function withoutSubmissionFlags(e: ApplicationEvaluation, submissions: number): ApplicationEvaluation {
  return submissions > 0 ? e : { ...e, flags: e.flags.filter((f) => !SUBMISSION_FLAG.test(f.code)), late: false };
}

function toMessageView(
  m: MsgRow,
  sender: SenderStatus | null,
  applicantName: string | null,
  profile: TCampaignProfile,
): MessageView {
  const p = m.parsed;
  const unconfirmed = sender !== null && !countsAsConfirmed(sender);
  return {
    key: m.sha256,
    receivedAt: new Date(m.received_at),
    attachments: p.attachments,
    projects: p.projects,
    metrics: p.metrics,
    ...(p.evidence ? { evidence: p.evidence } : {}),
    messageFlags: unconfirmed
      ? [
          ...p.flags,
          makeFlag(
            'UNCONFIRMED_SENDER',
            describeUnconfirmedSender(m.from_address, applicantName ?? '申报单位', sender),
            profile.labels,
          ),
        ]
      : p.flags,
    ...(unconfirmed ? { senderConfirmed: false } : {}),
  };
}

/** DUPLICATE_PROJECT: an effective project of this application is also one of another application. */
async function findDuplicateProjects(
  q: Queryable,
  applicationId: number,
  evaluation: ApplicationEvaluation,
): Promise<NonNullable<ApplicationView['duplicateProjects']>> {
  const byKey = new Map(evaluation.projects.map((p) => [projectKey(p), p]));
  if (byKey.size === 0) return [];
  const rows = await q.query<{ project_key: string; receipt_no: string }>(
    `select distinct p.project_key, a.receipt_no from application_projects p join applications a on a.id = p.application_id
     where p.application_id <> $1 and p.project_key = any($2::text[])
     order by a.receipt_no`,
    [applicationId, [...byKey.keys()]],
  );
  const others = new Map<string, string[]>();
  for (const r of rows) others.set(r.project_key, [...(others.get(r.project_key) ?? []), r.receipt_no]);
  return [...others.entries()].map(([key, receiptNos]) => {
    const p = byKey.get(key)!;
    return { name: p.name, owner: p.owner, otherReceiptNos: receiptNos };
  });
}

async function currentProjectKeys(q: Queryable, applicationId: number): Promise<Set<string>> {
  const rows = await q.query<{ project_key: string }>(
    'select project_key from application_projects where application_id = $1',
    [applicationId],
  );
  return new Set(rows.map((r) => r.project_key));
}

/** The peers found now plus those an earlier validation found and nobody handed on yet, stored together. */
async function storePendingPeers(q: Queryable, app: AppRow, found: number[]): Promise<number[]> {
  const stored = app.peers_pending.map(Number);
  const all = [...new Set([...stored, ...found])].sort((a, b) => a - b);
  if (all.length !== stored.length)
    await q.query('update applications set peers_pending = $2::bigint[] where id = $1', [app.id, all]);
  return all;
}

/**
 * The peers reported by validateApplication have been validated or queued for it: forget them. Only
 * these: another validation may have stored new ones meanwhile.
 */
export async function peersHandedOn(db: Db, applicationId: number, peers: readonly number[]): Promise<void> {
  if (peers.length === 0) return;
  await db.query(
    `update applications set peers_pending = array(select unnest(peers_pending) except select unnest($2::bigint[]))
     where id = $1 and peers_pending && $2::bigint[]`,
    [applicationId, [...peers]],
  );
}

/**
 * Mark the current project table's rows, store the effective projects' keys,
 * and return the applications sharing a key that this application gained or
 * lost: only a change in the key set can change a peer's DUPLICATE_PROJECT,
 * so revalidation never ping-pongs.
 */
async function updateCurrentProjects(
  q: Queryable,
  applicationId: number,
  msgs: MsgRow[],
  evaluation: ApplicationEvaluation,
  before: ReadonlySet<string>,
): Promise<number[]> {
  const table = evaluation.currentByRole['project-table'];
  const currentMsg = table ? msgs.find((m) => m.sha256 === table.messageKey) : undefined;
  await q.query('update projects set current = (message_id = $2) where application_id = $1', [
    applicationId,
    currentMsg ? currentMsg.id : -1,
  ]);
  const after = new Set(evaluation.projects.map((p) => projectKey(p)));
  const diff = [...before].filter((k) => !after.has(k)).concat([...after].filter((k) => !before.has(k)));
  if (diff.length === 0) return [];
  await q.query('delete from application_projects where application_id = $1', [applicationId]);
  if (after.size > 0)
    await q.query(
      'insert into application_projects (application_id, project_key) select $1, unnest($2::text[]) on conflict do nothing',
      [applicationId, [...after]],
    );
  const rows = await q.query<{ application_id: number }>(
    `select distinct application_id from application_projects where application_id <> $1 and project_key = any($2::text[])
     order by application_id`,
    [applicationId, diff],
  );
  return rows.map((r) => r.application_id);
}

async function storeEvaluation(
  q: Queryable,
  applicationId: number,
  field: string | null,
  e: ApplicationEvaluation,
): Promise<void> {
  const codes = [...new Set(e.flags.map((f) => f.code))];
  const hasProblems = codes.some((c) => PROBLEM_FLAGS.has(c as FlagCode));
  await q.query(
    `update applications set evaluation = $2, flag_codes = $3, has_problems = $4, is_late = $5,
       has_scan = $6, has_electronic = $7, has_formal_document = $8, has_materials = $9, has_project_table = $10,
       project_count = $11, large_projects = $12, large_enterprises = $13, total_output = $14, total_investment = $15,
       field = $16, validated_at = now(), updated_at = now()
     where id = $1`,
    [
      applicationId,
      JSON.stringify(e),
      codes,
      hasProblems,
      e.late,
      e.copies.scan,
      e.copies.electronic,
      e.documents.formalDocument,
      e.documents.materials,
      e.documents.projectTable,
      e.metrics.projectCount,
      e.metrics.largeProjects,
      e.metrics.largeEnterprises,
      e.metrics.totalOutput2019,
      e.metrics.totalInvestment,
      field,
    ],
  );
}

/** jsonb does not keep key order: compare with sorted keys. */
export function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}
