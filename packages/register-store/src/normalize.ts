import { createHash } from 'node:crypto';

/**
 * How mails are grouped into applications: one per applicant unit and cluster.
 * People write one cluster's name many ways (长春市生物医药产业集群, “生物医药产业集群”,
 * 2020年长春生物医药集群), so the grouping key keeps only what tells clusters apart.
 */
const DECORATION = /[\s\u3000"'“”‘’《》〈〉「」『』()（）[\]【】<>]/g;
const YEAR_PREFIX = /^(?:19|20)\d{2}年度?/;
// only the full 吉林省: 吉林 alone may be 吉林市
const PROVINCE_PREFIX = /^吉林省/;
const GENERIC_SUFFIX = /(?:战略性新兴)?(?:产业)?(?:集群)?(?:发展工程)?(?:申报(?:材料)?)?$/;

/**
 * `names`: the applicant's full and short names, stripped from the front
 * ("长春市生物医药产业集群" and "生物医药产业集群" from 长春市 are one cluster).
 * Returns '' when nothing distinguishing is left.
 */
export function normalizeClusterName(cluster: string | null | undefined, names: readonly string[] = []): string {
  if (!cluster) return '';
  let s = cluster.normalize('NFKC').replace(DECORATION, '');
  const longestFirst = names.filter((n) => n.length > 0).sort((a, b) => b.length - a.length);
  // prefixes come in any order (2020年吉林省长春市…), so strip until nothing changes
  for (let i = 0; i < 4; i++) {
    const before = s;
    s = s.replace(YEAR_PREFIX, '').replace(PROVINCE_PREFIX, '');
    const prefix = longestFirst.find((n) => s.startsWith(n));
    if (prefix) s = s.slice(prefix.length);
    if (s === before) break;
  }
  s = s.replace(GENERIC_SUFFIX, '');
  return s.toLowerCase();
}

/** A cluster key this short ("新", "医") is contained in too many others to decide anything. */
const MIN_CONTAINED_CHARS = 2;

/**
 * Two normalized cluster names of one applicant name the same cluster when
 * they are equal or one contains the other ("光电子" and "光电子信息": a resend
 * titled 补充盖章扫描件——长春市光电子产业集群 belongs with 长春市光电子信息产业集群).
 */
export function clusterKeysRelated(a: string, b: string): boolean {
  if (a === '' || b === '') return false;
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= MIN_CONTAINED_CHARS && long.includes(short);
}

/**
 * Of an applicant's applications (most recently active first), the one a
 * cluster key joins: the exact key, else the closest related one (least
 * length difference; the more recently active on a tie); null when none.
 */
export function closestRelatedCluster<T extends { clusterKey: string }>(
  key: string,
  candidates: readonly T[],
): T | null {
  let best: T | null = null;
  for (const c of candidates) {
    if (c.clusterKey === key) return c;
    if (!clusterKeysRelated(key, c.clusterKey)) continue;
    const d = Math.abs(c.clusterKey.length - key.length);
    if (!best || d < Math.abs(best.clusterKey.length - key.length)) best = c;
  }
  return best;
}

/** The unique key of an application within a campaign. */
export function applicationGroupKey(campaignId: string, applicantCode: string, clusterKey: string): string {
  return `${campaignId}|${applicantCode}|${clusterKey}`;
}

/** A message nobody could attribute gets an application of its own. */
export function unknownGroupKey(sha256: string): string {
  return `unknown:${sha256}`;
}

/** "张三 <Zhang@Example.cn>" → "zhang@example.cn"; null when there is no address. */
export function extractAddress(from: string | null | undefined): string | null {
  if (!from) return null;
  const angled = /<([^<>@\s]+@[^<>\s]+)>/.exec(from);
  const bare = angled ? angled[1] : /([^\s<>"',;]+@[^\s<>"',;]+)/.exec(from)?.[1];
  return bare ? bare.toLowerCase() : null;
}

/** What the sender wrote, for a mail without a Message-ID. */
export interface MessageContent {
  from: string;
  /** the Date header as written */
  date: string;
  subject: string;
  body: string;
  attachmentSha256s: string[];
}

/**
 * One e-mail as its sender knows it (migration 002): same Message-ID from the
 * same sender address → same message whatever the bytes (a relay's retry adds
 * other Received: lines); without a Message-ID, the same From, Date, Subject,
 * body and attachments → same message; with neither, the same bytes.
 */
export function messageIdentityKey(
  messageId: string | null,
  fromAddress: string | null,
  sha256: string,
  content: MessageContent | null = null,
): string {
  const mid = messageId?.trim();
  if (mid && fromAddress) return `mid:${mid}|${fromAddress}`;
  if (!content) return `sha:${sha256}`;
  const h = createHash('sha256');
  for (const part of [content.from, content.date, content.subject, content.body, ...content.attachmentSha256s])
    h.update(part).update('\0');
  return `content:${h.digest('hex')}`;
}
