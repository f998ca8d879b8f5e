import { z } from 'zod';
import { ZCopyType, ZDocumentRole } from '@intake/domain';
import type { AddedProjectFix, AttachmentFix, CorrectionSet, ProjectFix } from '@intake/validation-rules';
import type { CorrectionRow } from './correction-store.js';

/**
 * Stored correction values, by field. Read back with these schemas: a value
 * that does not fit (written by a future version, say) is ignored rather than
 * trusted.
 */
const ZText = z.string().nullable();
const ZAmount = z.number().nullable();
export const ZApplicantValue = z.object({ code: z.string(), name: z.string() }).nullable();
export const ZAddedRow = z.object({
  name: z.string().min(1),
  owner: ZText,
  location: ZText,
  totalInvestment: ZAmount,
  period: ZText,
});
export type TAddedRow = z.infer<typeof ZAddedRow>;

const FACT_VALUE: Record<string, z.ZodType> = {
  applicant: ZApplicantValue,
  cluster: ZText,
  field: ZText,
  totalOutput2019: ZAmount,
  largeEnterprises: z.number().int().nullable(),
  dataYear: z.number().int().nullable(),
};
const PROJECT_VALUE: Record<string, z.ZodType> = {
  name: z.string().min(1),
  owner: ZText,
  location: ZText,
  totalInvestment: ZAmount,
  period: ZText,
  notProject: z.boolean(),
};

/** An attachment target key: '<sha256>|<path>' (the sha256 is 64 hex digits; the path may hold anything). */
export function attachmentTargetKey(sha256: string, path: string): string {
  return `${sha256}|${path}`;
}

export function splitAttachmentTargetKey(key: string): { sha256: string; path: string } {
  return { sha256: key.slice(0, 64), path: key.slice(65) };
}

/** The value stored for a correction, checked against its field's schema; undefined when it does not fit. */
export function correctionValue(r: Pick<CorrectionRow, 'scope' | 'field' | 'newValue'>): unknown {
  const schema =
    r.scope === 'application'
      ? FACT_VALUE[r.field]
      : r.scope === 'project'
        ? PROJECT_VALUE[r.field]
        : r.scope === 'project-added'
          ? ZAddedRow
          : r.field === 'copy'
            ? ZCopyType
            : z.array(ZDocumentRole);
  const parsed = schema?.safeParse(r.newValue);
  return parsed?.success ? parsed.data : undefined;
}

function factInto(set: CorrectionSet, field: string, v: unknown): void {
  if (field === 'field') set.field = v as string | null;
  else if (field === 'totalOutput2019' || field === 'largeEnterprises' || field === 'dataYear')
    set.figures[field] = v as number | null;
  // applicant and cluster change the application row itself (see identity-correction.ts)
}

/** Active correction rows → what @intake/validation-rules applies. */
export function toCorrectionSet(rows: readonly CorrectionRow[]): CorrectionSet {
  const set: CorrectionSet = { figures: {}, attachments: [], projects: [], added: [] };
  for (const r of rows) {
    if (r.removedAt) continue;
    const v = correctionValue(r);
    if (v === undefined) continue;
    if (r.scope === 'application') factInto(set, r.field, v);
    else if (r.scope === 'attachment' && r.messageSha256) {
      const { sha256, path } = splitAttachmentTargetKey(r.targetKey);
      set.attachments.push({
        id: r.id,
        messageKey: r.messageSha256,
        sha256,
        path,
        field: r.field as AttachmentFix['field'],
        value: v as AttachmentFix['value'],
      });
    } else if (r.scope === 'project' && r.messageSha256) {
      set.projects.push({
        id: r.id,
        messageKey: r.messageSha256,
        refKey: r.targetKey,
        projectKey: r.projectKey,
        field: r.field as ProjectFix['field'],
        value: v as ProjectFix['value'],
      });
    } else if (r.scope === 'project-added') {
      set.added.push({ id: r.id, project: v as AddedProjectFix['project'] });
    }
  }
  return set;
}
