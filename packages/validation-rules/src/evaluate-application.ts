import {
  DOCUMENT_ROLES,
  ROLE_LABELS,
  formatInZone,
  isAfterDeadline,
  itemLabel,
  makeFlag,
  type TCampaignProfile,
  type TEvidence,
  type TFlag,
  type TMetrics,
  type TProject,
} from '@intake/domain';
import type { ApplicationEvaluation, ApplicationView, CopyPairRef, MessageView } from './views.js';
import { mismatchDetail } from './copy-pairing.js';
import { thresholdFlags } from './threshold-flags.js';
import {
  correctAttachments,
  correctProjectRows,
  hasCorrections,
  NO_CORRECTIONS,
  type CorrectionSet,
} from './corrections.js';

const ROLE_FLAG = {
  'formal-document': 'MISSING_FORMAL_DOCUMENT',
  materials: 'MISSING_MATERIALS',
  'project-table': 'MISSING_PROJECT_TABLE',
} as const;

function byArrival(messages: MessageView[]): MessageView[] {
  return [...messages].sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime() || a.key.localeCompare(b.key));
}

/**
 * The latest readable attachment carrying each role is the current version;
 * earlier ones are history. A mail from an unconfirmed sender never replaces
 * a confirmed sender's version (both stay; the confirmed one is current).
 */
function currentByRole(ordered: MessageView[]): ApplicationEvaluation['currentByRole'] {
  const out = {
    'formal-document': null,
    materials: null,
    'project-table': null,
  } as ApplicationEvaluation['currentByRole'];
  const heldByConfirmed = new Set<string>();
  for (const m of ordered) {
    const confirmed = m.senderConfirmed !== false;
    for (const a of m.attachments) {
      if (a.error) continue;
      for (const r of a.roles) {
        if (!confirmed && heldByConfirmed.has(r)) continue;
        out[r] = { messageKey: m.key, path: a.path };
        if (confirmed) heldByConfirmed.add(r);
      }
    }
  }
  return out;
}

/** When each required item (role, copy) first arrived: decides LATE at application level. */
function firstArrivals(ordered: MessageView[], profile: TCampaignProfile): Map<string, MessageView> {
  const first = new Map<string, MessageView>();
  for (const m of ordered) {
    for (const a of m.attachments) {
      if (a.error) continue;
      const items = [
        ...a.roles.filter((r) => profile.requiredItems.includes(r)),
        ...(a.copy !== 'unknown' && profile.requiredCopies.includes(a.copy) ? [a.copy] : []),
      ];
      for (const item of items) if (!first.has(item)) first.set(item, m);
    }
  }
  return first;
}

/** Application metrics come from the current materials and project table, never from a sum over resends. */
function currentMetrics(
  ordered: MessageView[],
  projects: TProject[],
  profile: TCampaignProfile,
  figures: CorrectionSet['figures'],
): TMetrics {
  let output: MessageView | undefined;
  let enterprises: MessageView | undefined;
  // an unconfirmed sender's figure counts only while no confirmed sender stated one (see currentByRole)
  const replaces = (m: MessageView, held: MessageView | undefined) =>
    m.senderConfirmed !== false || held === undefined || held.senderConfirmed === false;
  for (const m of ordered) {
    // the latest materials that state an output figure, for the notice's year or another: its year goes with it
    if ((m.metrics.totalOutput2019 !== null || (m.metrics.dataYear ?? null) !== null) && replaces(m, output))
      output = m;
    if (m.metrics.largeEnterprises !== null && replaces(m, enterprises)) enterprises = m;
  }
  const hasTable = projects.length > 0;
  const invested = projects.filter((p) => p.totalInvestment !== null);
  // a figure staff corrected is the corrected one, whatever the mails say
  const pick = (k: keyof CorrectionSet['figures'], read: number | null): number | null =>
    k in figures ? (figures[k] ?? null) : read;
  return {
    totalOutput2019: pick('totalOutput2019', output?.metrics.totalOutput2019 ?? null),
    largeEnterprises: pick('largeEnterprises', enterprises?.metrics.largeEnterprises ?? null),
    dataYear: pick('dataYear', output?.metrics.dataYear ?? null),
    projectCount: hasTable ? projects.length : null,
    largeProjects: hasTable
      ? invested.filter((p) => (p.totalInvestment ?? 0) >= profile.thresholds.largeProjectInvestmentWan).length
      : null,
    totalInvestment: invested.length
      ? Math.round(invested.reduce((s, p) => s + (p.totalInvestment ?? 0), 0) * 100) / 100
      : null,
  };
}

/** The output figure the data year came from when it is not the notice's year (evidence "totalOutput"). */
function otherYearFigure(ordered: MessageView[], metrics: TMetrics): TEvidence | undefined {
  if (metrics.dataYear === null || metrics.dataYear === undefined) return undefined;
  const withYear = ordered.filter((m) => (m.metrics.dataYear ?? null) === metrics.dataYear);
  const m = withYear[withYear.length - 1];
  return m?.evidence?.find((e) => e.field === 'totalOutput' && e.year === metrics.dataYear);
}

function currentProjects(
  ordered: MessageView[],
  current: ApplicationEvaluation['currentByRole'],
  c: CorrectionSet,
): TProject[] {
  const table = current['project-table'];
  const m = table ? ordered.find((x) => x.key === table.messageKey) : undefined;
  // the whole current message's projects: one mail may carry the table as xlsx and csv
  const lines = correctProjectRows(m?.key ?? null, m?.projects ?? [], c.projects, c.added);
  return lines.flatMap((l) => (l.effective ? [l.effective] : []));
}

/** The messages as they count: attachments with their corrected copy type and roles. */
function effectiveMessages(messages: MessageView[], c: CorrectionSet): MessageView[] {
  if (c.attachments.length === 0) return messages;
  return messages.map((m) => ({
    ...m,
    attachments: correctAttachments(m.key, m.attachments, c.attachments).map((l) => l.effective),
  }));
}

/**
 * The notice's checks over an application. With staff corrections, the checks
 * run on the effective values, and `reading` keeps what the mails alone say.
 */
export function evaluateApplication(view: ApplicationView, profile: TCampaignProfile): ApplicationEvaluation {
  if (!hasCorrections(view.corrections)) return evaluateEffective(view, profile, NO_CORRECTIONS);
  const read = evaluateEffective(view, profile, NO_CORRECTIONS);
  return {
    ...evaluateEffective(view, profile, view.corrections!),
    reading: { metrics: read.metrics, flagCodes: [...new Set(read.flags.map((f) => f.code))] },
  };
}

function evaluateEffective(view: ApplicationView, profile: TCampaignProfile, c: CorrectionSet): ApplicationEvaluation {
  const labels = profile.labels;
  const ordered = byArrival(effectiveMessages(view.messages, c));
  const field = c.field !== undefined ? c.field : view.field;
  const flags: TFlag[] = [];
  const current = currentByRole(ordered);
  const attachments = ordered.flatMap((m) => m.attachments.filter((a) => !a.error));
  const copies = {
    scan: attachments.some((a) => a.copy === 'scan'),
    electronic: attachments.some((a) => a.copy === 'electronic'),
  };
  const documents = {
    formalDocument: !!current['formal-document'],
    materials: !!current.materials,
    projectTable: !!current['project-table'],
  };

  if (profile.requiredCopies.includes('scan') && !copies.scan)
    flags.push(makeFlag('MISSING_SCAN', '来件中没有扫描版（图像PDF或图片）', labels));
  if (profile.requiredCopies.includes('electronic') && !copies.electronic)
    flags.push(makeFlag('MISSING_ELECTRONIC', '来件中没有电子版（可编辑文档、文字PDF或表格）', labels));
  for (const role of DOCUMENT_ROLES) {
    if (profile.requiredItems.includes(role) && !current[role])
      flags.push(makeFlag(ROLE_FLAG[role], `来件中未识别到${ROLE_LABELS[role]}`, labels));
  }

  const late = lateness(ordered, profile);
  if (late.flag) flags.push(late.flag);

  const projects = currentProjects(ordered, current, c);
  const metrics = currentMetrics(ordered, projects, profile, c.figures);
  flags.push(...thresholdFlags(metrics, profile, field, otherYearFigure(ordered, metrics)));

  if (!view.applicant)
    flags.push(
      makeFlag('UNKNOWN_APPLICANT', '发件人、主题、文件名和正文中均未识别出吉林省的市（州）或县（市）', labels),
    );
  for (const d of view.duplicateProjects ?? []) {
    flags.push(
      makeFlag(
        'DUPLICATE_PROJECT',
        `项目“${d.name}”（${d.owner ?? '建设单位不详'}）也列在受理编号 ${d.otherReceiptNos.join('、')} 的申报中`,
        labels,
      ),
    );
  }
  // the register pairs over all messages: its pairs replace each message's own
  const carried = carriedMessageFlags(ordered).filter(
    (f) => !(view.copyPairs && f.code === 'SCAN_ELECTRONIC_MISMATCH'),
  );
  flags.push(...dedupeFlags([...carried, ...pairFlags(view.copyPairs ?? [], labels)]));
  return {
    flags,
    copies,
    documents,
    metrics,
    projects,
    currentByRole: current,
    lateMessageKeys: late.lateMessageKeys,
    late: !!late.flag,
    ...(view.copyPairs ? { copyPairs: view.copyPairs } : {}),
  };
}

/** SCAN_ELECTRONIC_MISMATCH for pairs (across messages) that disagree; same wording as the message's own. */
function pairFlags(pairs: CopyPairRef[], labels: Partial<Record<string, string>>): TFlag[] {
  return pairs
    .filter((p) => p.differences.length > 0)
    .map((p) =>
      makeFlag('SCAN_ELECTRONIC_MISMATCH', mismatchDetail(p.scan.path, p.electronic.path, p.differences), labels),
    );
}

function dedupeFlags(flags: TFlag[]): TFlag[] {
  const seen = new Set<string>();
  return flags.filter((f) => {
    const k = `${f.code}|${f.detail}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * RULES.md: an application is LATE when an item it needs first arrived after
 * the deadline; a late correction to an application complete in time is late
 * on that message only.
 */
function lateness(
  ordered: MessageView[],
  profile: TCampaignProfile,
): { flag: TFlag | null; lateMessageKeys: string[] } {
  const lateMessages = ordered.filter((m) => isAfterDeadline(m.receivedAt, profile.deadline));
  if (lateMessages.length === 0) return { flag: null, lateMessageKeys: [] };
  const first = firstArrivals(ordered, profile);
  const lateItems = [...first.entries()].filter(([, m]) => isAfterDeadline(m.receivedAt, profile.deadline));
  const deadline = formatInZone(profile.deadline, profile.timezone);
  const everyMessageLate = lateMessages.length === ordered.length;
  if (lateItems.length > 0 || everyMessageLate) {
    const m = lateItems[0]?.[1] ?? lateMessages[0]!;
    const what = lateItems.length ? lateItems.map(([k]) => itemLabel(k)).join('、') : '来件';
    return {
      flag: makeFlag(
        'LATE',
        `${what}于 ${formatInZone(m.receivedAt, profile.timezone)}（服务器收件时间）首次收到，晚于截止时间 ${deadline}`,
        profile.labels,
      ),
      lateMessageKeys: lateMessages.map((x) => x.key),
    };
  }
  return { flag: null, lateMessageKeys: lateMessages.map((x) => x.key) };
}

/** Flags the parser raises on a message that stay true for the application. */
export const CARRIED_FLAGS: ReadonlySet<string> = new Set([
  'UNREADABLE_ATTACHMENT',
  'UNVERIFIED_SENDER',
  'LINKED_ATTACHMENT',
  'UNCONFIRMED_SENDER',
  'SCAN_ELECTRONIC_MISMATCH',
]);

/** Per-message flags that stay true for the application: one unreadable file, unverified sender or download link is worth knowing. */
function carriedMessageFlags(ordered: MessageView[]): TFlag[] {
  const out: TFlag[] = [];
  const seen = new Set<string>();
  for (const m of ordered) {
    for (const f of m.messageFlags) {
      if (!CARRIED_FLAGS.has(f.code)) continue;
      const k = f.code + '|' + f.detail;
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(f);
    }
  }
  return out;
}
