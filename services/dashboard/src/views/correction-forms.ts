import { createHash } from 'node:crypto';
import { COPY_LABELS, DOCUMENT_ROLES, ROLE_LABELS, type ApplicantDirectory, type TCopyType } from '@intake/domain';
import {
  REASON_MAX,
  correctionFieldLabel,
  formatCorrectionValue,
  type CorrectionRef,
  type RegisterProject,
  type RegisteredAttachment,
} from '@intake/register-store';
import { html, type SafeHtml } from '../html.js';
import { formatTime } from '../labels.js';

/**
 * The correction forms of the application page. Each sits in a <details>
 * beside the value it corrects, shows what the pipeline read, and asks for a
 * reason. A refused form comes back open, with its message and what was typed.
 */
export interface FormError {
  /** the form's id (see formId) */
  form: string;
  message: string;
  values: Record<string, string | string[] | undefined>;
}

export interface CorrectionUi {
  applicationId: number;
  csrf: string;
  /** reviewers and admins; viewers see corrections but get no forms */
  canCorrect: boolean;
  formError: FormError | null;
  timezone: string;
}

/** A stable id for a form from what it corrects (survives re-rendering the page with an error). */
export function formId(kind: string, ...parts: string[]): string {
  return `fix-${kind}-${createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 12)}`;
}

function typed(ui: CorrectionUi, id: string, name: string, fallback: string): string {
  const e = ui.formError;
  if (!e || e.form !== id) return fallback;
  const v = e.values[name];
  return typeof v === 'string' ? v : fallback;
}

function reasonField(ui: CorrectionUi, id: string): SafeHtml {
  return html`<label class="reason">校正理由（必填，不超过${REASON_MAX}字）<input type="text" name="reason" value="${typed(ui, id, 'reason', '')}" required></label>`;
}

/** The <details> + <form> around one correction; `fields` are the inputs of that correction kind. */
export function fixForm(
  ui: CorrectionUi,
  opts: {
    id: string;
    kind: string;
    summary: string;
    reading: string;
    fields: SafeHtml;
    hidden?: Record<string, string>;
  },
): SafeHtml {
  if (!ui.canCorrect) return html``;
  const err = ui.formError?.form === opts.id ? ui.formError.message : null;
  return html`<details class="fix" id="${opts.id}"${err ? html` open` : ''}><summary>${opts.summary}</summary>
<form method="post" action="/applications/${ui.applicationId}/corrections#${opts.id}" class="fix-form">
<input type="hidden" name="_csrf" value="${ui.csrf}"><input type="hidden" name="kind" value="${opts.kind}"><input type="hidden" name="form" value="${opts.id}">
${Object.entries(opts.hidden ?? {}).map(([k, v]) => html`<input type="hidden" name="${k}" value="${v}">`)}
<div class="reading">原读取值：${opts.reading}</div>
${err ? html`<div class="notice error" role="alert">${err}</div>` : ''}
${opts.fields}
${reasonField(ui, opts.id)}
<button type="submit">保存校正</button></form></details>`;
}

/** "已校正" beside a value, with who, when, why and what was read, in the title. */
export function correctedMark(c: CorrectionRef | undefined, reading: unknown, tz: string): SafeHtml {
  if (!c) return html``;
  const title = `原读取值：${formatCorrectionValue(c.field, reading)}；校正人：${c.actor}（${formatTime(c.at, tz)}）；理由：${c.reason}`;
  return html` <span class="corrected-mark" title="${title}">已校正</span><span class="reading">（原读取值：${formatCorrectionValue(c.field, reading)}）</span>`;
}

export function textInput(ui: CorrectionUi, id: string, name: string, label: string, value: string): SafeHtml {
  return html`<label>${label}<input type="text" name="${name}" value="${typed(ui, id, name, value)}"></label>`;
}

export function applicantSelect(
  ui: CorrectionUi,
  id: string,
  directory: ApplicantDirectory,
  code: string | null,
): SafeHtml {
  const chosen = typed(ui, id, 'applicantCode', code ?? '');
  return html`<label>申报单位（GB/T 2260）<select name="applicantCode"><option value="">请选择</option>${directory.units.map(
    (u) => html`<option value="${u.code}"${u.code === chosen ? html` selected` : ''}>${u.name}（${u.code}）</option>`,
  )}</select></label>`;
}

const num = (v: number | null): string => (v === null ? '' : String(v));

/** The form of one project row of the current table: its cells, "not a project", the reason. */
export function projectFixForm(ui: CorrectionUi, p: RegisterProject): SafeHtml {
  if (!p.refKey || !p.messageSha256) return addedRowForm(ui, p);
  const id = formId('project', p.messageSha256, p.refKey);
  const r = p.reading ?? p;
  const reading = `${r.name}；${r.owner ?? '—'}；${r.location ?? '—'}；${num(r.totalInvestment) || '—'}万元；${r.period ?? '—'}`;
  const notChecked = typed(ui, id, 'notProject', '') === 'on';
  return fixForm(ui, {
    id,
    kind: 'project',
    summary: '校正',
    reading,
    hidden: { messageSha256: p.messageSha256, refKey: p.refKey },
    fields: projectFields(ui, id, p, notChecked),
  });
}

function projectFields(ui: CorrectionUi, id: string, p: RegisterProject, notChecked: boolean): SafeHtml {
  return html`${textInput(ui, id, 'name', '项目名称', p.name)}${textInput(ui, id, 'owner', '建设单位', p.owner ?? '')}
${textInput(ui, id, 'location', '建设地点', p.location ?? '')}${textInput(ui, id, 'totalInvestment', '总投资（万元）', num(p.totalInvestment))}
${textInput(ui, id, 'period', '建设期限', p.period ?? '')}
${p.refKey ? html`<label class="check"><input type="checkbox" name="notProject"${notChecked ? html` checked` : ''}> 这一行不是项目（标题行、小计、说明等），不计入</label>` : ''}`;
}

/** Add a row the table lacks, or edit a row staff added. */
export function addedRowForm(ui: CorrectionUi, p: RegisterProject | null): SafeHtml {
  const id = p?.addedKey ? formId('added', p.addedKey) : 'fix-added-new';
  const blank: RegisterProject = p ?? {
    name: '',
    owner: null,
    location: null,
    totalInvestment: null,
    period: null,
    row: 1,
    sheet: '',
    messageSha256: null,
    refKey: null,
    addedKey: null,
    reading: null,
    corrections: [],
  };
  return fixForm(ui, {
    id,
    kind: 'project-added',
    summary: p ? '修改补录' : '补录遗漏的项目',
    reading: p ? '（申报表中没有此行，由工作人员补录）' : '（申报表中没有此行）',
    hidden: p?.addedKey ? { targetKey: p.addedKey } : {},
    fields: projectFields(ui, id, blank, false),
  });
}

/** Copy type and roles of one attachment. */
export function attachmentFixForm(ui: CorrectionUi, messageSha256: string, a: RegisteredAttachment): SafeHtml {
  const id = formId('attachment', messageSha256, a.sha256, a.path);
  const read = a.reading ?? a;
  const copy = typed(ui, id, 'copy', a.copy) as TCopyType;
  const typedRoles = ui.formError?.form === id ? [ui.formError.values.roles ?? []].flat() : a.roles;
  return fixForm(ui, {
    id,
    kind: 'attachment',
    summary: '校正用途 / 副本类型',
    reading: `${formatCorrectionValue('roles', read.roles)}；${formatCorrectionValue('copy', read.copy)}`,
    hidden: { messageSha256, sha256: a.sha256, path: a.path },
    fields: html`<label>副本类型<select name="copy">${(Object.keys(COPY_LABELS) as TCopyType[]).map(
      (c) => html`<option value="${c}"${c === copy ? html` selected` : ''}>${COPY_LABELS[c]}</option>`,
    )}</select></label>
<fieldset class="roles"><legend>${correctionFieldLabel('roles')}</legend>${DOCUMENT_ROLES.map(
      (r) =>
        html`<label class="check"><input type="checkbox" name="roles" value="${r}"${typedRoles.includes(r) ? html` checked` : ''}> ${ROLE_LABELS[r]}</label>`,
    )}</fieldset>`,
  });
}
