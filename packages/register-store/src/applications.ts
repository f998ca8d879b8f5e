import { makeFlag, type TAttachment, type TAuthentication, type TFlag } from '@intake/domain';
import type { ApplicationEvaluation } from '@intake/validation-rules';
import type { Queryable, Row } from './db.js';
import { loadAckSummaries, type AckSummary } from './acks/ack-reads.js';
import { listRetiredReceiptNos } from './application-retire.js';
import { loadAppCorrections, readFactsOf } from './corrections/load-app-corrections.js';
import type {
  CorrectionInfo,
  CorrectionRef,
  ReadFacts,
  RegisterProject,
  RegisteredAttachment,
} from './corrections/correction-view.js';
import type { ReviewStatus } from './review.js';
import { countsAsConfirmed, type SenderStatus } from './sender-trust.js';

export interface ApplicationSummary {
  id: number;
  receiptNo: string;
  applicant: { code: string; name: string } | null;
  cluster: string | null;
  field: string | null;
  firstReceivedAt: Date | null;
  lastReceivedAt: Date | null;
  flagCodes: string[];
  hasProblems: boolean;
  late: boolean;
  copies: { scan: boolean; electronic: boolean };
  documents: { formalDocument: boolean; materials: boolean; projectTable: boolean };
  projectCount: number | null;
  largeProjects: number | null;
  largeEnterprises: number | null;
  totalOutput2019: number | null;
  messageCount: number;
  reviewStatus: ReviewStatus;
  reviewNote: string | null;
  /** false until validateApplication has run once */
  validated: boolean;
}

export interface RegisteredMessage {
  id: number;
  receiptNo: string;
  messageId: string | null;
  from: string;
  subject: string;
  receivedAt: Date;
  receivedAtSource: string;
  sha256: string;
  otherSha256: string[];
  late: boolean;
  assignedManually: boolean;
  parserVersion: string;
  /** the parser's flags, plus UNCONFIRMED_SENDER when the address book says so */
  flags: TFlag[];
  /** the sender address (lower-case), as the address book knows it */
  fromAddress: string | null;
  /** the address book's verdict at the last validation; null for an unattributed application */
  senderStatus: SenderStatus | null;
  /** what our receiving server (AUTHSERV_ID) said about the sender; null for mail read before it was recorded */
  authentication: TAuthentication | null;
  /** as they count: staff corrections of copy type and roles applied (each corrected one keeps its reading) */
  attachments: RegisteredAttachment[];
  bodyExcerpt: string | null;
  ack: AckSummary | null;
  /** applicant, cluster and field as this message's reading says */
  readFacts: ReadFacts;
}

export interface ApplicationDetail extends ApplicationSummary {
  evaluation: ApplicationEvaluation | null;
  flags: TFlag[];
  messages: RegisteredMessage[];
  /** the current project table's rows as they count (corrections applied), and rows staff added */
  projects: RegisterProject[];
  /** rows of the current table staff marked "not a project" */
  excludedProjects: RegisterProject[];
  /** every correction of this application, oldest first, removed ones included */
  corrections: CorrectionInfo[];
  /** active corrections of the application's facts (applicant, cluster, field, 2019 figures), by field */
  factCorrections: Record<string, CorrectionRef>;
  /** applicant, cluster and field as the mails say them (latest message naming each) */
  readFacts: ReadFacts;
  /** receipt numbers of applications merged into this one; they lead here */
  retiredReceiptNos: string[];
}

export const SUMMARY_COLUMNS = `a.id, a.receipt_no, a.applicant_code, a.applicant_name, a.cluster, a.field, a.first_received_at,
  a.last_received_at, a.flag_codes, a.has_problems, a.is_late, a.has_scan, a.has_electronic, a.has_formal_document,
  a.has_materials, a.has_project_table, a.project_count, a.large_projects, a.large_enterprises, a.total_output,
  a.message_count, a.review_status, a.review_note, a.validated_at`;

const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

export function toSummary(r: Row): ApplicationSummary {
  return {
    id: Number(r.id),
    receiptNo: r.receipt_no as string,
    applicant: r.applicant_code
      ? { code: r.applicant_code as string, name: (r.applicant_name as string | null) ?? (r.applicant_code as string) }
      : null,
    cluster: r.cluster as string | null,
    field: r.field as string | null,
    firstReceivedAt: r.first_received_at as Date | null,
    lastReceivedAt: r.last_received_at as Date | null,
    flagCodes: r.flag_codes as string[],
    hasProblems: r.has_problems as boolean,
    late: r.is_late as boolean,
    copies: { scan: r.has_scan as boolean, electronic: r.has_electronic as boolean },
    documents: {
      formalDocument: r.has_formal_document as boolean,
      materials: r.has_materials as boolean,
      projectTable: r.has_project_table as boolean,
    },
    projectCount: num(r.project_count),
    largeProjects: num(r.large_projects),
    largeEnterprises: num(r.large_enterprises),
    totalOutput2019: num(r.total_output),
    messageCount: Number(r.message_count),
    reviewStatus: r.review_status as ReviewStatus,
    reviewNote: r.review_note as string | null,
    validated: r.validated_at !== null,
  };
}

/**
 * By id, application receipt number (2020-0007), a message's receipt number
 * (2020-0007-2), or the receipt number of an application merged into another
 * (it leads to the one that took its mail).
 */
export async function getApplication(q: Queryable, ref: number | string): Promise<ApplicationDetail | null> {
  const where =
    typeof ref === 'number'
      ? 'a.id = $1'
      : `a.receipt_no = $1 or a.id = (select application_id from messages where receipt_no = $1)
         or a.id = (select application_id from application_aliases where receipt_no = $1)`;
  const rows = await q.query(`select ${SUMMARY_COLUMNS}, a.evaluation from applications a where ${where}`, [ref]);
  const r = rows[0];
  if (!r) return null;
  const summary = toSummary(r);
  const evaluation = r.evaluation as ApplicationEvaluation | null;
  const messages = await loadMessages(q, [summary.id]);
  const corrections = (await loadAppCorrections(q, [{ id: summary.id, evaluation }], messages, [summary.id])).get(
    summary.id,
  )!;
  const own = applyCopyPairs(messages.get(summary.id) ?? [], evaluation?.copyPairs);
  return {
    ...summary,
    evaluation,
    flags: evaluation?.flags ?? [],
    messages: own,
    projects: corrections.projects,
    excludedProjects: corrections.excludedProjects,
    corrections: corrections.all,
    factCorrections: corrections.facts,
    readFacts: readFactsOf(own),
    retiredReceiptNos: await listRetiredReceiptNos(q, summary.id),
  };
}

/** Messages of the given applications, oldest first, with their attachments and reply status. */
export async function loadMessages(
  q: Queryable,
  applicationIds: number[] | 'all',
): Promise<Map<number, RegisteredMessage[]>> {
  const filter = applicationIds === 'all' ? '' : 'where application_id = any($1::bigint[])';
  const params = applicationIds === 'all' ? [] : [applicationIds];
  const rows = await q.query(
    `select id, application_id, receipt_no, message_id, from_header, subject, received_at, received_at_source, sha256,
       other_sha256, late, assigned_manually, parser_version, parsed->'flags' as flags, parsed->>'bodyExcerpt' as body_excerpt,
       from_address, sender_status, parsed->'authentication' as authentication,
       parsed->'attachments' as parsed_attachments,
       parsed->'applicant' as read_applicant, parsed->>'cluster' as read_cluster, parsed->>'field' as read_field
     from messages ${filter} order by received_at, id`,
    params,
  );
  const atts = await q.query(
    `select t.message_id, t.path, t.filename, t.sha256, t.bytes, t.kind, t.copy, t.roles, t.error from attachments t
     ${applicationIds === 'all' ? '' : 'join messages m on m.id = t.message_id where m.application_id = any($1::bigint[])'}
     order by t.message_id, t.id`,
    params,
  );
  const readings = new Map(rows.map((r) => [Number(r.id), (r.parsed_attachments as TAttachment[] | null) ?? []]));
  const byMessage = new Map<number, TAttachment[]>();
  for (const a of atts) {
    const list = byMessage.get(Number(a.message_id)) ?? [];
    const read = readings.get(Number(a.message_id))?.find((x) => x.path === a.path);
    list.push({
      path: a.path as string,
      filename: a.filename as string,
      sha256: a.sha256 as string,
      bytes: Number(a.bytes),
      kind: a.kind as TAttachment['kind'],
      copy: a.copy as TAttachment['copy'],
      roles: a.roles as TAttachment['roles'],
      ...(a.error ? { error: a.error as string } : {}),
      ...(read ? wordsOf(read) : {}),
    });
    byMessage.set(Number(a.message_id), list);
  }
  const acks = await loadAckSummaries(
    q,
    rows.map((r) => r.sha256 as string),
  );
  const out = new Map<number, RegisteredMessage[]>();
  for (const r of rows) {
    const appId = Number(r.application_id);
    const list = out.get(appId) ?? [];
    list.push({
      id: Number(r.id),
      receiptNo: r.receipt_no as string,
      messageId: r.message_id as string | null,
      from: r.from_header as string,
      subject: r.subject as string,
      receivedAt: r.received_at as Date,
      receivedAtSource: r.received_at_source as string,
      sha256: r.sha256 as string,
      otherSha256: r.other_sha256 as string[],
      late: r.late as boolean,
      assignedManually: r.assigned_manually as boolean,
      parserVersion: r.parser_version as string,
      flags: withSenderFlag((r.flags as TFlag[] | null) ?? [], r.sender_status as SenderStatus | null),
      fromAddress: (r.from_address as string | null) ?? null,
      senderStatus: (r.sender_status as SenderStatus | null) ?? null,
      authentication: (r.authentication as TAuthentication | null) ?? null,
      attachments: byMessage.get(Number(r.id)) ?? [],
      bodyExcerpt: (r.body_excerpt as string | null) ?? null,
      ack: acks.get(r.sha256 as string) ?? null,
      readFacts: {
        applicant: (r.read_applicant as { code: string; name: string } | null) ?? null,
        cluster: (r.read_cluster as string | null) ?? null,
        field: (r.read_field as string | null) ?? null,
      },
    });
    out.set(appId, list);
  }
  return out;
}

/** The message's own flags as staff read them: UNCONFIRMED_SENDER is the address book's, not the parser's. */
function withSenderFlag(flags: TFlag[], status: SenderStatus | null): TFlag[] {
  if (status === null || countsAsConfirmed(status) || flags.some((f) => f.code === 'UNCONFIRMED_SENDER')) return flags;
  const detail = status === 'rejected' ? '工作人员已否认此发件邮箱' : '发件邮箱尚未确认为该申报单位的邮箱';
  return [...flags, makeFlag('UNCONFIRMED_SENDER', detail)];
}

/** What the parser read of an attachment's words (CONTRACT: text, document, copyOf, similarity), from its parsed JSON. */
function wordsOf(a: TAttachment): Partial<TAttachment> {
  return {
    ...(a.pages !== undefined ? { pages: a.pages } : {}),
    ...(a.text ? { text: a.text } : {}),
    ...(a.document ? { document: a.document } : {}),
    ...(a.copyOf ? { copyOf: a.copyOf } : {}),
    ...(a.similarity !== undefined ? { similarity: a.similarity } : {}),
  };
}

/**
 * `copyOf`/`similarity` as the application's pairing says (it pairs across
 * messages: a scan sent in a resend names the electronic copy of an earlier
 * mail); without a stored pairing, each message's own is kept.
 */
export function applyCopyPairs(
  messages: RegisteredMessage[],
  pairs: ApplicationEvaluation['copyPairs'],
): RegisteredMessage[] {
  if (!pairs) return messages;
  const key = (messageKey: string, path: string): string => `${messageKey}\u0000${path}`;
  const other = new Map<string, { sha256: string; similarity: number }>();
  for (const p of pairs) {
    other.set(key(p.scan.messageKey, p.scan.path), { sha256: p.electronic.sha256, similarity: p.similarity });
    other.set(key(p.electronic.messageKey, p.electronic.path), { sha256: p.scan.sha256, similarity: p.similarity });
  }
  return messages.map((m) => ({
    ...m,
    attachments: m.attachments.map((a) => {
      const { copyOf: _c, similarity: _s, ...rest } = a;
      const o = other.get(key(m.sha256, a.path));
      return o ? { ...rest, copyOf: o.sha256, similarity: o.similarity } : rest;
    }),
  }));
}

export interface ListApplicationsOptions {
  /** a flag code (LATE, MISSING_SCAN …) */
  flag?: string;
  /** only applications with a problem flag (PROBLEM_FLAGS of @intake/domain) */
  problems?: boolean;
  applicantCode?: string;
  field?: string;
  reviewStatus?: ReviewStatus;
  /** receipt number, applicant, cluster, sender or subject contains this */
  search?: string;
  /** @defaultValue '-lastReceivedAt' */
  sort?: ListSort;
  /** @defaultValue 50 */
  limit?: number;
  /** @defaultValue 0 */
  offset?: number;
}

export type ListSort =
  | 'receiptNo'
  | '-receiptNo'
  | 'firstReceivedAt'
  | '-firstReceivedAt'
  | 'lastReceivedAt'
  | '-lastReceivedAt'
  | 'applicant'
  | '-applicant';

const SORT_SQL: Record<ListSort, string> = {
  receiptNo: 'a.receipt_no asc',
  '-receiptNo': 'a.receipt_no desc',
  firstReceivedAt: 'a.first_received_at asc nulls last, a.id asc',
  '-firstReceivedAt': 'a.first_received_at desc nulls last, a.id desc',
  lastReceivedAt: 'a.last_received_at asc nulls last, a.id asc',
  '-lastReceivedAt': 'a.last_received_at desc nulls last, a.id desc',
  applicant: 'a.applicant_code asc nulls last, a.receipt_no asc',
  '-applicant': 'a.applicant_code desc nulls last, a.receipt_no desc',
};

/** The dashboard's register table: indexed columns only, one round trip. */
export async function listApplications(
  q: Queryable,
  opts: ListApplicationsOptions = {},
): Promise<{ total: number; rows: ApplicationSummary[] }> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: (p: string) => string, v: unknown): void => {
    params.push(v);
    where.push(sql(`$${params.length}`));
  };
  if (opts.flag) add((p) => `a.flag_codes @> array[${p}]::text[]`, opts.flag);
  if (opts.problems !== undefined) add((p) => `a.has_problems = ${p}`, opts.problems);
  if (opts.applicantCode) add((p) => `a.applicant_code = ${p}`, opts.applicantCode);
  if (opts.field) add((p) => `a.field = ${p}`, opts.field);
  if (opts.reviewStatus) add((p) => `a.review_status = ${p}`, opts.reviewStatus);
  if (opts.search?.trim()) {
    const like = `%${opts.search.trim().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    add(
      (
        p,
      ) => `(a.receipt_no ilike ${p} or a.applicant_name ilike ${p} or a.applicant_code ilike ${p} or a.cluster ilike ${p}
      or exists (select 1 from messages m where m.application_id = a.id
                 and (m.subject ilike ${p} or m.from_header ilike ${p} or m.receipt_no ilike ${p}))
      or exists (select 1 from application_aliases al where al.application_id = a.id and al.receipt_no ilike ${p}))`,
      like,
    );
  }
  // the sort key comes from a query string: an unknown one falls back to the default, and only
  // SQL of this table ever reaches the query
  const order = (SORT_SQL as Partial<Record<string, string>>)[opts.sort ?? ''] ?? SORT_SQL['-lastReceivedAt'];
  params.push(Math.max(0, Math.min(opts.limit ?? 50, 1000)), Math.max(0, opts.offset ?? 0));
  const rows = await q.query(
    `select ${SUMMARY_COLUMNS}, count(*) over () as total from applications a
     ${where.length ? 'where ' + where.join(' and ') : ''}
     order by ${order} limit $${params.length - 1} offset $${params.length}`,
    params,
  );
  let total = rows[0] ? Number(rows[0].total) : 0;
  if (rows.length === 0 && (opts.offset ?? 0) > 0) {
    // past the last page: count without the page
    const c = await q.query<{ n: number }>(
      `select count(*)::int as n from applications a ${where.length ? 'where ' + where.join(' and ') : ''}`,
      params.slice(0, -2),
    );
    total = c[0]?.n ?? 0;
  }
  return { total, rows: rows.map(toSummary) };
}

/** Raw messages to re-run for `intake reprocess`: every one, or those of the given receipt numbers (application or message). */
export async function listMessageShas(
  q: Queryable,
  opts: { all?: boolean; receiptNos?: string[] },
): Promise<Array<{ sha256: string; receiptNo: string; applicationId: number }>> {
  if (!opts.all && !opts.receiptNos?.length) return [];
  const rows = await q.query<{ sha256: string; receipt_no: string; application_id: number }>(
    opts.all
      ? 'select sha256, receipt_no, application_id from messages order by received_at, id'
      : `select m.sha256, m.receipt_no, m.application_id from messages m join applications a on a.id = m.application_id
         where m.receipt_no = any($1::text[]) or a.receipt_no = any($1::text[])
           or a.id in (select application_id from application_aliases where receipt_no = any($1::text[]))
         order by m.received_at, m.id`,
    opts.all ? [] : [opts.receiptNos],
  );
  return rows.map((r) => ({ sha256: r.sha256, receiptNo: r.receipt_no, applicationId: r.application_id }));
}
