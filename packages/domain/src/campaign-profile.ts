import fs from 'node:fs';
import { z } from 'zod';
import { AppError } from './app-error.js';
import { ZDocumentRole } from './parsed-message.js';
import { JILIN_2020_PROFILE } from './profiles/jilin-2020.js';

/**
 * One campaign's rules as data (../shared/notice/RULES.md): next year's notice
 * changes dates, thresholds and focus areas, not the program.
 */
export const ZIndustryField = z.object({
  /** the name reported as `field`, e.g. 生物医药 */
  name: z.string().min(1),
  /** the 2016 national catalogue's area it belongs to, e.g. 生物产业 */
  catalogue: z.string().min(1),
  /** one of the notice's focus areas (重点支持) */
  focus: z.boolean(),
  /** words in a cluster name or text that point to this field, strongest first */
  keywords: z.array(z.string().min(1)).min(1),
});
export type TIndustryField = z.infer<typeof ZIndustryField>;

export const ZExtraApplicant = z.object({
  code: z.string().min(1),
  name: z.string().min(1),
  level: z.enum(['prefecture', 'county']),
  parentCode: z.string().nullable(),
  shortNames: z.array(z.string()).default([]),
  /** true when the code is assigned by the profile, not by GB/T 2260 */
  nonStandardCode: z.boolean().default(false),
});

export const ZCampaignProfile = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  title: z.string(),
  notice: z.string(),
  /** IANA zone the deadline is stated in */
  timezone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'unknown IANA time zone'),
  /** inclusive cut-off with its UTC offset, e.g. 2020-05-15T23:59:59+08:00 */
  deadline: z
    .string()
    .refine(
      (s) => /[+-]\d\d:\d\d$|Z$/.test(s) && !Number.isNaN(Date.parse(s)),
      'deadline needs an ISO date-time with offset',
    ),
  province: z.object({ code: z.string().regex(/^\d{2}$/), name: z.string() }),
  requiredItems: z.array(ZDocumentRole).min(1),
  requiredCopies: z.array(z.enum(['scan', 'electronic'])).min(1),
  thresholds: z.object({
    minLargeEnterprises: z.number().int().nonnegative(),
    minTotalOutputYi: z.number().nonnegative(),
    minLargeProjects: z.number().int().nonnegative(),
    /** 万元 */
    largeProjectInvestmentWan: z.number().positive(),
  }),
  dataYear: z.number().int(),
  fields: z.array(ZIndustryField).min(1),
  applicants: z.object({
    /** which levels of the GB/T 2260 data for `province` may apply */
    levels: z.array(z.enum(['prefecture', 'county'])).min(1),
    extra: z.array(ZExtraApplicant).default([]),
    /** county-level names in the data that are districts or zones, not applicants */
    excludeNamePatterns: z.array(z.string()).default(['区$', '开发区$', '食品区$']),
  }),
  /** known sender addresses (lower-case) or @domains → applicant code */
  senders: z.array(z.object({ address: z.string().min(3), applicantCode: z.string() })).default([]),
  labels: z.record(z.string(), z.string()).default({}),
  ack: z.object({
    /** where staff can be reached, printed in every reply */
    contact: z.string(),
    submitTo: z.string(),
  }),
});
export type TCampaignProfile = z.infer<typeof ZCampaignProfile>;

export class CampaignProfileError extends AppError {
  constructor(
    readonly problems: string[],
    readonly path: string,
  ) {
    super('CAMPAIGN_INVALID', {
      message: `campaign profile ${path} is invalid:\n` + problems.join('\n'),
      permanent: true,
    });
    this.name = 'CampaignProfileError';
  }
}

export function parseCampaignProfile(data: unknown, source = '<inline>'): TCampaignProfile {
  const r = ZCampaignProfile.safeParse(data);
  if (!r.success) {
    throw new CampaignProfileError(
      r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`),
      source,
    );
  }
  return r.data;
}

/** The built-in Jilin 2020 profile, or the JSON file at `path`. */
export function loadCampaignProfile(path?: string | null): TCampaignProfile {
  if (!path) return parseCampaignProfile(JILIN_2020_PROFILE, 'built-in jilin-2020');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (err) {
    throw new CampaignProfileError([`cannot read JSON: ${(err as Error).message}`], path);
  }
  return parseCampaignProfile(raw, path);
}

export const BUILT_IN_PROFILE_ID = 'jilin-2020-sei-clusters';
