import { FLAG_LABELS, isFlagCode, type TCampaignProfile } from '@intake/domain';
import type { Queryable } from './db.js';

export interface OverviewStats {
  applications: number;
  messages: number;
  /** every required item and copy present (no MISSING_* flag) */
  complete: number;
  /** at least one problem flag (PROBLEM_FLAGS) */
  withProblems: number;
  late: number;
  unknownApplicants: number;
  byReviewStatus: Record<string, number>;
  /** per calendar day in the profile's time zone, by server receipt time */
  arrivalsPerDay: Array<{ day: string; messages: number; newApplications: number }>;
  perField: Array<{ field: string | null; applications: number; focus: boolean | null }>;
  perFocusArea: { focus: number; other: number; unknown: number };
  perFlag: Array<{ code: string; label: string; applications: number }>;
}

const MISSING = [
  'MISSING_SCAN',
  'MISSING_ELECTRONIC',
  'MISSING_FORMAL_DOCUMENT',
  'MISSING_MATERIALS',
  'MISSING_PROJECT_TABLE',
];

/** The dashboard's overview: a handful of aggregate queries over indexed columns. */
export async function getOverviewStats(q: Queryable, profile: TCampaignProfile): Promise<OverviewStats> {
  const [totals] = await q.query<Record<string, number>>(
    `select count(*)::int as applications,
       count(*) filter (where validated_at is not null and not (flag_codes && $1::text[]))::int as complete,
       count(*) filter (where has_problems)::int as with_problems,
       count(*) filter (where is_late)::int as late,
       count(*) filter (where applicant_code is null)::int as unknown_applicants,
       (select count(*)::int from messages) as messages
     from applications`,
    [MISSING],
  );
  const statuses = await q.query<{ review_status: string; n: number }>(
    'select review_status, count(*)::int as n from applications group by review_status',
  );
  const days = await q.query<{ day: string; messages: number; new_applications: number }>(
    `with m as (select to_char(received_at at time zone $1, 'YYYY-MM-DD') as day from messages),
          a as (select to_char(first_received_at at time zone $1, 'YYYY-MM-DD') as day from applications where first_received_at is not null)
     select d.day, (select count(*)::int from m where m.day = d.day) as messages,
            (select count(*)::int from a where a.day = d.day) as new_applications
     from (select day from m union select day from a) d order by d.day`,
    [profile.timezone],
  );
  const fields = await q.query<{ field: string | null; n: number }>(
    'select field, count(*)::int as n from applications group by field order by count(*) desc, field',
  );
  const flags = await q.query<{ code: string; n: number }>(
    'select code, count(*)::int as n from applications, unnest(flag_codes) as code group by code order by count(*) desc, code',
  );
  const focusOf = new Map(profile.fields.map((f) => [f.name, f.focus]));
  const perField = fields.map((f) => ({
    field: f.field,
    applications: f.n,
    focus: f.field === null ? null : (focusOf.get(f.field) ?? false),
  }));
  const perFocusArea = { focus: 0, other: 0, unknown: 0 };
  for (const f of perField) perFocusArea[f.focus === null ? 'unknown' : f.focus ? 'focus' : 'other'] += f.applications;
  return {
    applications: totals?.applications ?? 0,
    messages: totals?.messages ?? 0,
    complete: totals?.complete ?? 0,
    withProblems: totals?.with_problems ?? 0,
    late: totals?.late ?? 0,
    unknownApplicants: totals?.unknown_applicants ?? 0,
    byReviewStatus: Object.fromEntries(statuses.map((s) => [s.review_status, s.n])),
    arrivalsPerDay: days.map((d) => ({
      day: d.day,
      messages: d.messages,
      newApplications: d.new_applications,
    })),
    perField,
    perFocusArea,
    perFlag: flags.map((f) => ({
      code: f.code,
      applications: f.n,
      label: profile.labels[f.code] ?? (isFlagCode(f.code) ? FLAG_LABELS[f.code] : f.code),
    })),
  };
}
