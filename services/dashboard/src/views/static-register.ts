import { formatInZone, type TCampaignProfile } from '@intake/domain';
import {
  CHECK_COLUMNS,
  NO,
  mainCorrectedCells,
  mainTable,
  type MissingApplicants,
  type OverviewStats,
  type TRegisterExport,
} from '@intake/register-store';
import { html, toDocument, unsafeRaw } from '../html.js';
import { APP_CSS } from '../static/app-css.js';
import { renderArrivalsChart } from './arrivals-chart.js';
import { renderBreakdowns, renderKpis, renderMissing } from './overview-view.js';

export interface StaticRegisterData {
  /** the register JSON export (exportRegisterJson) */
  export: TRegisterExport;
  stats: OverviewStats;
  missingApplicants: MissingApplicants;
  profile: TCampaignProfile;
}

/** Overrides for a page read offline: no sticky header (it prints), no height limit. */
const STATIC_CSS = `.table-wrap { max-height:none; } header.top { position:static; }`;

/**
 * `intake register export --format html`: one self-contained page (inline
 * CSS, no script, no external request) with the overview and the register
 * table in the same columns as the xlsx. Escaped like every other page.
 */
export function renderStaticRegister(data: StaticRegisterData): string {
  const { profile } = data;
  const generatedAt = new Date(data.export.generatedAt);
  const table = mainTable(data.export, profile);
  const overview = { stats: data.stats, missing: data.missingApplicants, profile, now: generatedAt, links: false };
  const page = html`<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${profile.title} · 申报登记表</title>
<style>${unsafeRaw(APP_CSS + STATIC_CSS)}</style></head>
<body><header class="top"><span class="title">申报登记表</span></header><main>
<h1>${profile.title}</h1>
<p class="sub">${profile.notice} · 生成时间 ${formatInZone(generatedAt, profile.timezone)}</p>
${renderKpis(overview)}
${data.export.applications.length === 0 ? html`<div class="panel empty">尚未收到申报邮件。</div>` : ''}
<div class="grid two">
<section class="panel chart"><h2>来件时间分布</h2>${renderArrivalsChart(data.stats.arrivalsPerDay, profile.deadline, profile.timezone)}</section>
<section class="panel"><h2>尚未来件的单位（${data.missingApplicants.total}）</h2>${renderMissing(data.missingApplicants)}</section>
</div>
${data.export.applications.length ? renderBreakdowns(overview) : ''}
<section class="panel"><h2>申报登记表（${table.rows.length}）</h2><div class="table-wrap"><table>
<thead><tr>${table.headers.map((h) => html`<th>${h}</th>`)}</tr></thead>
<tbody>${table.rows.map((row, r) => {
    // a value staff corrected: marked, with the reading and the reason in its title
    const fixed = new Map(mainCorrectedCells(data.export.applications[r]!, profile).map((c) => [c.col, c.note]));
    return html`<tr>${row.map((c, i) => html`<td class="${typeof c === 'number' ? 'num' : ''}${CHECK_COLUMNS.includes(i) ? (c === NO ? ' no' : ' yes') : ''}${fixed.has(i) ? ' corrected' : ''}"${fixed.has(i) ? html` title="${fixed.get(i)}"` : ''}>${c ?? '—'}</td>`)}</tr>`;
  })}</tbody>
</table></div></section>
</main></body></html>`;
  return toDocument(page);
}
