import { formatInZone } from '@intake/domain';
import { html, type SafeHtml } from '../html.js';

export interface ArrivalDay {
  day: string;
  messages: number;
  newApplications: number;
}

const W = 720;
const H = 220;
const PAD = { l: 40, r: 16, t: 24, b: 30 };

function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function dayRange(first: string, last: string): string[] {
  const out: string[] = [];
  // bounded: a campaign spans weeks; 400 days is a corrupt clock, not a campaign
  for (let d = first; d <= last && out.length < 400; d = addDays(d, 1)) out.push(d);
  return out;
}

/**
 * Messages per day (bars) and applications so far (line) against the
 * deadline, as inline SVG drawn on the server: no script, no external
 * request, and it prints. Only numbers and dates the server computed go in.
 */
export function renderArrivalsChart(days: readonly ArrivalDay[], deadlineIso: string, timeZone: string): SafeHtml {
  if (days.length === 0) return html`<p class="empty">尚无来件</p>`;
  const deadlineDay = formatInZone(deadlineIso, timeZone).slice(0, 10);
  const first = days[0]!.day < deadlineDay ? days[0]!.day : addDays(deadlineDay, -7);
  const lastData = days[days.length - 1]!.day;
  const last = lastData > deadlineDay ? lastData : deadlineDay;
  const axis = dayRange(first, last);
  const byDay = new Map(days.map((d) => [d.day, d]));
  let cumulative = 0;
  const series = axis.map((day) => {
    const d = byDay.get(day);
    cumulative += d?.newApplications ?? 0;
    return { day, messages: d?.messages ?? 0, total: cumulative };
  });
  const maxY = Math.max(1, ...series.map((s) => Math.max(s.messages, s.total)));
  const plotW = W - PAD.l - PAD.r;
  const plotH = H - PAD.t - PAD.b;
  const step = plotW / Math.max(1, axis.length);
  const x = (i: number): number => PAD.l + step * i + step / 2;
  const y = (v: number): number => PAD.t + plotH - (v / maxY) * plotH;
  const barW = Math.max(2, Math.min(24, step * 0.6));
  const bars = series.map((s, i) =>
    s.messages > 0
      ? html`<rect x="${(x(i) - barW / 2).toFixed(1)}" y="${y(s.messages).toFixed(1)}" width="${barW.toFixed(1)}" height="${(PAD.t + plotH - y(s.messages)).toFixed(1)}" fill="#9db6d6"><title>${s.day}：来件 ${s.messages} 封</title></rect>`
      : '',
  );
  const line = series.map((s, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(s.total).toFixed(1)}`).join(' ');
  const labelEvery = Math.max(1, Math.ceil(axis.length / 10));
  const xLabels = series.map((s, i) =>
    i % labelEvery === 0 || s.day === deadlineDay
      ? html`<text x="${x(i).toFixed(1)}" y="${H - 12}" font-size="11" text-anchor="middle" fill="#5b6673">${s.day.slice(5)}</text>`
      : '',
  );
  const di = axis.indexOf(deadlineDay);
  const dx = di >= 0 ? x(di) + step / 2 : null;
  const ticks = [0, Math.round(maxY / 2), maxY];
  return html`<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="来件时间分布与截止时间">
<rect x="0" y="0" width="${W}" height="${H}" fill="#fff"/>
${ticks.map((t) => html`<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}" stroke="#e3e8ee"/><text x="${PAD.l - 6}" y="${(y(t) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#5b6673">${t}</text>`)}
${bars}
<path d="${line}" fill="none" stroke="#1c3f6e" stroke-width="2"/>
${
  dx === null
    ? ''
    : html`<line x1="${dx.toFixed(1)}" x2="${dx.toFixed(1)}" y1="${PAD.t}" y2="${PAD.t + plotH}" stroke="#b42318" stroke-width="1.5" stroke-dasharray="5 3"/>
<text x="${(dx - 4).toFixed(1)}" y="${PAD.t + 12}" font-size="11" text-anchor="end" fill="#b42318">截止 ${deadlineDay.slice(5)}</text>`
}
${xLabels}
<rect x="${PAD.l}" y="4" width="10" height="8" fill="#9db6d6"/><text x="${PAD.l + 14}" y="12" font-size="11" fill="#5b6673">每日来件（封）</text>
<line x1="${PAD.l + 110}" x2="${PAD.l + 126}" y1="8" y2="8" stroke="#1c3f6e" stroke-width="2"/><text x="${PAD.l + 130}" y="12" font-size="11" fill="#5b6673">累计申报（项）</text>
</svg>`;
}

/** A horizontal bar for breakdown tables: SVG attributes, because the CSP forbids inline style. */
export function renderBar(value: number, max: number): SafeHtml {
  const w = max > 0 ? Math.round((value / max) * 200) : 0;
  return html`<svg class="bar" viewBox="0 0 200 14" width="200" height="14" aria-hidden="true"><rect width="200" height="14" fill="#e9eef5"/><rect width="${w}" height="14" fill="#28588f"/></svg>`;
}
