import { isFlagCode } from '@intake/domain';
import type { ListApplicationsOptions, ListSort, ReviewStatus } from '@intake/register-store';
import { REVIEW_LABELS } from './labels.js';

/** The register table's state, all in the query string so every view is a link that works without JS. */
export interface TableQuery {
  flag?: string;
  applicantCode?: string;
  field?: string;
  reviewStatus?: ReviewStatus;
  search?: string;
  problems?: boolean;
  sort: ListSort;
  page: number;
  pageSize: number;
}

const SORTS: readonly ListSort[] = [
  'receiptNo',
  '-receiptNo',
  'firstReceivedAt',
  '-firstReceivedAt',
  'lastReceivedAt',
  '-lastReceivedAt',
  'applicant',
  '-applicant',
];
export const PAGE_SIZE = 50;

function str(v: unknown, max = 200): string | undefined {
  const s = typeof v === 'string' ? v.trim() : '';
  return s ? s.slice(0, max) : undefined;
}

export function parseTableQuery(raw: Record<string, unknown>): TableQuery {
  const flag = str(raw.flag);
  const status = str(raw.status);
  const sort = str(raw.sort) as ListSort | undefined;
  const page = Math.max(1, Math.min(10_000, Number.parseInt(str(raw.page) ?? '1', 10) || 1));
  const size = Number.parseInt(str(raw.size) ?? '', 10);
  const q: TableQuery = {
    sort: sort && SORTS.includes(sort) ? sort : '-lastReceivedAt',
    page,
    pageSize: size > 0 && size <= 500 ? size : PAGE_SIZE,
  };
  if (flag && isFlagCode(flag)) q.flag = flag;
  const applicant = str(raw.applicant, 20);
  if (applicant && /^[0-9A-Za-z-]+$/.test(applicant)) q.applicantCode = applicant;
  const field = str(raw.field, 50);
  if (field) q.field = field;
  if (status && Object.hasOwn(REVIEW_LABELS, status)) q.reviewStatus = status as ReviewStatus;
  const search = str(raw.q, 100);
  if (search) q.search = search;
  if (raw.problems === '1') q.problems = true;
  return q;
}

export function toListOptions(q: TableQuery): ListApplicationsOptions {
  return {
    ...(q.flag ? { flag: q.flag } : {}),
    ...(q.applicantCode ? { applicantCode: q.applicantCode } : {}),
    ...(q.field ? { field: q.field } : {}),
    ...(q.reviewStatus ? { reviewStatus: q.reviewStatus } : {}),
    ...(q.search ? { search: q.search } : {}),
    ...(q.problems ? { problems: true } : {}),
    sort: q.sort,
    limit: q.pageSize,
    offset: (q.page - 1) * q.pageSize,
  };
}

export function queryString(q: TableQuery): string {
  const p = new URLSearchParams();
  if (q.search) p.set('q', q.search);
  if (q.flag) p.set('flag', q.flag);
  if (q.applicantCode) p.set('applicant', q.applicantCode);
  if (q.field) p.set('field', q.field);
  if (q.reviewStatus) p.set('status', q.reviewStatus);
  if (q.problems) p.set('problems', '1');
  if (q.sort !== '-lastReceivedAt') p.set('sort', q.sort);
  if (q.page > 1) p.set('page', String(q.page));
  if (q.pageSize !== PAGE_SIZE) p.set('size', String(q.pageSize));
  return p.toString();
}
