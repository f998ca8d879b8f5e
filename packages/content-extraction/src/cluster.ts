import type { TEvidence, TIndustryField } from '@intake/domain';
import { splitSentences, toMatchable } from './text-normalize.js';
import { toSimplified } from './traditional-chinese.js';

export interface ClusterCandidateText {
  text: string;
  source: string;
}

const SOURCE_WEIGHTS: Array<[RegExp, number]> = [
  [/^subject/, 8],
  [/^title:/, 7],
  [/^filename:/, 5],
  [/^text:/, 2],
];
/**
 * Up to 30 characters of name before 产业集群, stopping at punctuation, brackets and the
 * separators subjects use: "补充盖章扫描件——长春市…", "Re: 转发：…", "【补报】…", "…|…".
 */
const CLUSTER_NAME =
  /([^\s，,。．.；;、《》〈〉“”"'‘’「」『』【】〔〕［］[\]{}()（）:：!！?？/\\|_\-—–―‒‐‑~～·•・丨=+>→]{1,30}?)产业集群/g;
/** Words that precede a name in titles and prose: 关于申报…, 2020年…, 打造… */
const LEAD_IN =
  /^([\u4e00-\u9fa5]{2,3}省|关于|申报|推荐|报送|上报|请求|认定|启动|开展|组织|打造|建设|培育|推进|推动|加快|壮大|发展|做强|我市|我州|我县|本市|全市|20\d\d年度?|省级|国家级|战略性新兴|新兴|的|附件\d*)+/;
/** What a resend or a reply puts in front of the name: 补充盖章扫描件, 更正版, 重新报送, Re, Fw… */
const RESEND_LEAD =
  /^(补充|补报|补交|补发|补正|补齐|更正|更新|修改|修订|修正|重新报送|重新上报|重新提交|重新发送|重新|重报|再次报送|再次|回复|答复|转发|re|fw|fwd|材料|申报材料|盖章|签章|扫描件|扫描版|扫描|电子版|电子稿|正式文件|正式|文件|终稿|最终版|定稿|新版)+/i;
const GENERIC = /^(战略性新兴|新兴|省级|国家级|重点|优势|特色|该|本|各|XX|xx|××)*$/;

/** The cluster's name, "长春市生物医药产业集群", from subjects, table titles, file names and text. */
export function detectCluster(
  candidates: ClusterCandidateText[],
  applicantName?: string | null,
): { cluster: string | null; evidence: TEvidence | null } {
  const found = new Map<string, { name: string; score: number; best: number; text: string; source: string }>();
  for (const cand of candidates) {
    const weight = SOURCE_WEIGHTS.find(([re]) => re.test(cand.source))?.[1] ?? 1;
    const text = toMatchable(cand.text);
    for (const m of text.matchAll(CLUSTER_NAME)) {
      const name = cleanClusterName(startAtApplicant(m[1] ?? '', applicantName));
      if (!name) continue;
      const full = `${name}产业集群`;
      const key = applicantName ? full.replace(applicantName, '').replace(shortOf(applicantName), '') : full;
      const score = weight + (applicantName && full.includes(shortOf(applicantName)) ? 1 : 0);
      const prev = found.get(key);
      if (!prev)
        found.set(key, { name: full, score, best: score, text: snippetAround(cand.text, full), source: cand.source });
      else {
        prev.score += score;
        // keep the most complete spelling: 长春市生物医药产业集群 over 生物医药产业集群
        if (full.length > prev.name.length) prev.name = full;
        if (score > prev.best)
          Object.assign(prev, { best: score, text: snippetAround(cand.text, full), source: cand.source });
      }
    }
  }
  const top = [...found.values()].sort((a, b) => b.score - a.score)[0];
  if (!top) return { cluster: null, evidence: null };
  return { cluster: top.name, evidence: { field: 'cluster', value: top.name, text: top.text, source: top.source } };
}

function cleanClusterName(raw: string): string | null {
  // "…委关于申报吉林市碳纤维" / "…关于启动2020年省级战略性新兴": the name follows the last verb
  let s = raw.replace(/^.*(关于|申报|推荐|报送|打造|培育|启动|认定)/, '');
  for (let i = 0; i < 8; i++) {
    const next = s.replace(LEAD_IN, '').replace(RESEND_LEAD, '');
    if (next === s) break;
    s = next;
  }
  if (/XX|××|xx/i.test(s)) return null; // the notice's template title
  if (GENERIC.test(s) || s.length < 2) return null;
  return s;
}

/** "补充材料长春市光电子信息" → "长春市光电子信息": whatever precedes the applicant's own name is not the cluster's. */
function startAtApplicant(raw: string, applicantName: string | null | undefined): string {
  if (!applicantName) return raw;
  for (const n of [applicantName, shortOf(applicantName)]) {
    const i = n.length >= 2 ? raw.indexOf(n) : -1;
    if (i > 0 && !/省$/.test(raw.slice(0, i))) return raw.slice(i);
  }
  return raw;
}

function shortOf(name: string): string {
  return name.length > 2 ? name.replace(/(市|县|州)$/, '') : name;
}

function snippetAround(text: string, name: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  const i = toMatchable(flat).indexOf(name);
  if (i < 0 || flat.length <= 80) return flat.slice(0, 120);
  return flat.slice(Math.max(0, i - 20), i + name.length + 20);
}

export interface FieldDetection {
  field: string | null;
  focus: boolean;
  evidence: TEvidence | null;
}

/**
 * The industry field. From the cluster's name when it says: the notice's focus areas first (a name
 * containing 光电子 is 光电子, though 电子信息 is a longer keyword of another field), then any focus
 * field's keyword, then the 2016 catalogue's fields; else the field the texts talk about most.
 */
export function detectField(cluster: string | null, texts: string[], fields: TIndustryField[]): FieldDetection {
  if (cluster) {
    const hit =
      focusByName(cluster, fields) ??
      longestKeyword(
        cluster,
        fields.filter((f) => f.focus),
      ) ??
      longestKeyword(cluster, fields);
    if (hit)
      return {
        field: hit.field.name,
        focus: hit.field.focus,
        evidence: {
          field: 'field',
          value: hit.field.name,
          text: cluster,
          source: 'cluster',
          reason: hit.field.focus
            ? `集群名称含“${hit.keyword}”，属重点支持领域${hit.field.name}`
            : `集群名称含“${hit.keyword}”，属${hit.field.catalogue}（${hit.field.name}）`,
        },
      };
  }
  const counts = new Map<TIndustryField, { n: number; sentence: string }>();
  for (const sentence of texts.flatMap((t) => splitSentences(toSimplified(t)))) {
    const hit = longestKeyword(sentence, fields);
    if (!hit) continue;
    const prev = counts.get(hit.field);
    counts.set(hit.field, { n: (prev?.n ?? 0) + 1, sentence: prev?.sentence ?? sentence });
  }
  const best = [...counts.entries()].sort((a, b) => b[1].n - a[1].n)[0];
  if (!best) return { field: null, focus: false, evidence: null };
  const [field, { sentence }] = best;
  return {
    field: field.name,
    focus: field.focus,
    evidence: { field: 'field', value: field.name, text: sentence.slice(0, 200), source: 'text' },
  };
}

/** A focus area named in the cluster's name: 长春市光电子信息产业集群 → 光电子. */
function focusByName(cluster: string, fields: TIndustryField[]): { field: TIndustryField; keyword: string } | null {
  const named = fields.filter((f) => f.focus && cluster.includes(f.name)).sort((a, b) => b.name.length - a.name.length);
  return named[0] ? { field: named[0], keyword: named[0].name } : null;
}

/** 生物医药 beats 生物, 碳纤维 finds 新材料: the longest keyword found wins, then the earlier field. */
function longestKeyword(text: string, fields: TIndustryField[]): { field: TIndustryField; keyword: string } | null {
  let best: { field: TIndustryField; keyword: string } | null = null;
  for (const field of fields) {
    for (const kw of field.keywords) {
      if (text.includes(kw) && (!best || kw.length > best.keyword.length)) best = { field, keyword: kw };
    }
  }
  return best;
}
