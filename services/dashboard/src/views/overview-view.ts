import type { TCampaignProfile } from '@intake/domain';
import type { MissingApplicants, OverviewStats } from '@intake/register-store';
import { html, type SafeHtml } from '../html.js';
import { formatCountdown, formatTime, reviewLabel, REVIEW_LABELS } from '../labels.js';
import { renderArrivalsChart, renderBar } from './arrivals-chart.js';

export interface OverviewData {
  stats: OverviewStats;
  missing: MissingApplicants;
  profile: TCampaignProfile;
  now?: Date;
  /** false when SMTP_URL is unset: replies are composed and stored, not sent */
  smtpConfigured?: boolean;
  /** links in the static export point nowhere: it has no server */
  links?: boolean;
}

function kpi(n: number, label: string, cls: string, href: string | null): SafeHtml {
  const inner = html`<div class="n">${n}</div><div class="l">${label}</div>`;
  return html`<div class="card ${cls}">${href ? html`<a href="${href}">${inner}</a>` : inner}</div>`;
}

export function renderKpis(d: OverviewData): SafeHtml {
  const s = d.stats;
  const link = (h: string): string | null => (d.links === false ? null : h);
  const cd = formatCountdown(d.profile.deadline, d.now);
  return html`<div class="grid kpi">
${kpi(s.applications, '已收申报（项）', '', link('/applications'))}
${kpi(s.messages, '来件邮件（封）', '', null)}
${kpi(s.complete, '材料齐全', 'ok', null)}
${kpi(s.withProblems, '存在问题', 'bad', link('/applications?problems=1'))}
${kpi(s.late, '逾期报送', 'warn', link('/applications?flag=LATE'))}
${kpi(d.missing.total, '尚未来件单位', 'warn', null)}
<div class="card deadline"><div class="n ${cd.past ? 'past' : ''}">${cd.text}</div><div class="l">截止时间 ${formatTime(d.profile.deadline, d.profile.timezone)}（${d.profile.timezone}）</div></div>
</div>`;
}

export function renderMissing(m: MissingApplicants): SafeHtml {
  if (m.total === 0) return html`<p class="muted">所有单位均已来件。</p>`;
  return html`<div class="missing-groups">${m.byPrefecture.map((g) => {
    const counties = g.missing.filter((u) => u.code !== g.prefecture.code).map((u) => u.name);
    return html`<div class="grp"><b>${g.prefecture.name} <span class="${g.prefectureApplied ? 'yes' : 'no'}">${g.prefectureApplied ? '本级已报' : '本级未报'}</span></b>
${counties.length ? html`<span>${counties.join('、')}</span>` : ''}</div>`;
  })}</div>`;
}

export function renderBreakdowns(d: OverviewData): SafeHtml {
  const s = d.stats;
  const maxField = Math.max(1, ...s.perField.map((f) => f.applications));
  const maxFlag = Math.max(1, ...s.perFlag.map((f) => f.applications));
  const link = d.links !== false;
  return html`<div class="grid two">
<section class="panel"><h2>按产业领域</h2><table class="bars"><tbody>
${s.perField.map((f) => html`<tr><td>${f.field ?? '未识别'}${f.focus ? html` <span class="status expert-review">重点</span>` : ''}</td><td class="num">${f.applications}</td><td>${renderBar(f.applications, maxField)}</td></tr>`)}
</tbody></table>
<p class="sub">重点支持领域 ${s.perFocusArea.focus} 项 · 其他领域 ${s.perFocusArea.other} 项 · 未识别 ${s.perFocusArea.unknown} 项</p></section>
<section class="panel"><h2>问题标记</h2>${
    s.perFlag.length === 0
      ? html`<p class="muted">暂无标记</p>`
      : html`<table class="bars"><tbody>
${s.perFlag.map((f) => html`<tr><td>${link ? html`<a href="/applications?flag=${encodeURIComponent(f.code)}">${f.label}</a>` : f.label}</td><td class="num">${f.applications}</td><td>${renderBar(f.applications, maxFlag)}</td></tr>`)}
</tbody></table>`
  }
<h3>审核进度</h3><p>${Object.keys(REVIEW_LABELS).map((k) => html`<span class="status ${k}">${reviewLabel(k)} ${s.byReviewStatus[k] ?? 0}</span> `)}</p></section>
</div>`;
}

export function renderOverviewBody(d: OverviewData): SafeHtml {
  const empty = d.stats.applications === 0;
  return html`<h1>${d.profile.title}</h1>
<p class="sub">${d.profile.notice}</p>
${d.smtpConfigured === false ? html`<div class="notice">未配置发信服务（SMTP_URL）：回执已生成并保存，但不会发送给申报单位。</div>` : ''}
${renderKpis(d)}
${empty ? html`<div class="panel empty">尚未收到申报邮件。来件登记后将在此显示统计、登记表和问题标记。</div>` : ''}
<div class="grid two">
<section class="panel chart"><h2>来件时间分布</h2>${renderArrivalsChart(d.stats.arrivalsPerDay, d.profile.deadline, d.profile.timezone)}</section>
<section class="panel"><h2>尚未来件的单位（${d.missing.total}）</h2>${renderMissing(d.missing)}</section>
</div>
${empty ? '' : renderBreakdowns(d)}`;
}
