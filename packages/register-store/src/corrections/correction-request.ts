import { z } from 'zod';
import { ZCopyType, ZDocumentRole } from '@intake/domain';

/**
 * What staff may ask for on the application page, validated at the boundary
 * with messages in Chinese that the form shows as they are. Form values
 * arrive as strings: amounts accept "3500", "3,500", "３５００"; an empty
 * amount means "unknown" (null), which is a correction too.
 */
export const REASON_MAX = 200;
export const TEXT_MAX = 200;

const chars = (s: string): number => [...s].length;

export const ZReason = z
  .string({ error: '请填写校正理由（必填）' })
  .trim()
  .refine((s) => s.length > 0, '请填写校正理由（必填）')
  .refine((s) => chars(s) <= REASON_MAX, `校正理由不能超过${REASON_MAX}个字`);

function text(label: string, opts: { required?: boolean; max?: number } = {}) {
  const max = opts.max ?? TEXT_MAX;
  return z
    .string({ error: `${label}无效` })
    .trim()
    .refine((s) => !opts.required || s.length > 0, `请填写${label}`)
    .refine((s) => chars(s) <= max, `${label}不能超过${max}个字`)
    .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), `${label}含有无效字符`)
    .transform((s) => (s === '' ? null : s));
}

function requiredText(label: string, max?: number) {
  return text(label, { required: true, ...(max ? { max } : {}) }).transform((s) => s ?? '');
}

/** A number typed on a form: "" → null (unknown); anything that is not a plain number is refused with `hint`. */
function amount(label: string, hint: string, opts: { int?: boolean; min?: number; max?: number } = {}) {
  return z.union([z.number(), z.string()], { error: `${label}须为数字，${hint}` }).transform((raw, ctx) => {
    const s = typeof raw === 'number' ? String(raw) : raw.normalize('NFKC').replace(/[,\s]/g, '');
    if (s === '') return null;
    const ok = opts.int ? /^\d+$/.test(s) : /^\d+(\.\d+)?$/.test(s);
    const n = Number(s);
    if (!ok || !Number.isFinite(n)) {
      ctx.addIssue({ code: 'custom', message: `${label}须为${opts.int ? '整数' : '数字'}，${hint}` });
      return z.NEVER;
    }
    if ((opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
      ctx.addIssue({ code: 'custom', message: `${label}超出合理范围，${hint}` });
      return z.NEVER;
    }
    return n;
  });
}

const ZSha = z.string().regex(/^[0-9a-f]{64}$/, '邮件或附件标识无效');
const investment = amount('总投资（万元）', '例如 3500 或 3500.5，不知道时留空', { max: 1e9 });
const projectValues = {
  name: requiredText('项目名称'),
  owner: text('建设单位'),
  location: text('建设地点'),
  totalInvestment: investment,
  period: text('建设期限', { max: 50 }),
};

export const ZCorrectionRequest = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('applicant'),
      applicantCode: z
        .string()
        .trim()
        .regex(/^\d{6}$/, '请从列表中选择申报单位'),
      reason: ZReason,
    }),
    z.object({ kind: z.literal('cluster'), value: requiredText('产业集群名称', 100), reason: ZReason }),
    z.object({ kind: z.literal('field'), value: text('产业领域', { max: 50 }), reason: ZReason }),
    z.object({
      kind: z.literal('totalOutput2019'),
      value: amount('2019年集群总产值（亿元）', '例如 62.5，不知道时留空', { max: 1e6 }),
      reason: ZReason,
    }),
    z.object({
      kind: z.literal('largeEnterprises'),
      value: amount('产值亿元以上企业数', '例如 7，不知道时留空', { int: true, max: 100_000 }),
      reason: ZReason,
    }),
    z.object({
      kind: z.literal('dataYear'),
      value: amount('数据年份', '例如 2019，不知道时留空', { int: true, min: 1990, max: 2100 }),
      reason: ZReason,
    }),
    z.object({
      kind: z.literal('project'),
      messageSha256: ZSha,
      refKey: z.string().min(1).max(4000),
      ...projectValues,
      notProject: z.boolean(),
      reason: ZReason,
    }),
    z.object({
      kind: z.literal('project-added'),
      /** the added row being edited; absent for a new row */
      targetKey: z
        .string()
        .regex(/^add-[0-9a-f]{16}$/)
        .optional(),
      ...projectValues,
      reason: ZReason,
    }),
    z.object({
      kind: z.literal('attachment'),
      messageSha256: ZSha,
      sha256: ZSha,
      path: z.string().min(1).max(4000),
      copy: ZCopyType.or(
        z.string().transform((_s, ctx) => {
          ctx.addIssue({ code: 'custom', message: '请选择扫描版、电子版或未识别' });
          return z.NEVER;
        }),
      ),
      roles: z.array(ZDocumentRole, { error: '附件用途无效' }).max(3),
      reason: ZReason,
    }),
  ],
  { error: '未知的校正类型' },
);
export type TCorrectionRequest = z.infer<typeof ZCorrectionRequest>;

export const ZRemoveCorrection = z.object({ reason: ZReason });

/** The first problem, as the form shows it. */
export function firstIssueMessage(err: z.ZodError): string {
  return err.issues[0]?.message ?? '输入无效';
}
