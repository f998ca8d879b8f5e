import os from 'node:os';
import { round } from './stats.js';

/** One measured figure, with the baseline it was measured against in the same run. */
export interface Figure {
  /** the contract name, e.g. `parse.msgsPerSec` */
  key: string;
  value: number | null;
  unit: string;
  /** what the value is compared with, measured in the same run on the same input */
  baseline?: { label: string; value: number | null; unit?: string };
  /** value ÷ baseline (or a stated other ratio) */
  ratio?: number | null;
  /** what we aim at, in words (e.g. "≤ 11×") */
  aim?: string;
  note?: string;
}

export interface BenchReport {
  generatedAt: string;
  quick: boolean;
  machine: {
    cpus: number;
    cpuModel: string;
    node: string;
    totalMemMB: number;
    loadavgAtStart: number[];
    loadavgAtEnd?: number[];
  };
  sizes: Record<string, number>;
  /** contract figure name → value (null when it could not be measured; see notes) */
  figures: Record<string, number | null>;
  /** the same figures with baseline, ratio and aim */
  rows: Figure[];
  notes: string[];
  durationSeconds: number;
}

export function machineInfo(): BenchReport['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    totalMemMB: Math.round(os.totalmem() / 1024 / 1024),
    loadavgAtStart: os.loadavg().map((v) => round(v, 2) ?? 0),
  };
}

export function buildReport(opts: {
  rows: Figure[];
  notes: string[];
  quick: boolean;
  sizes: Record<string, number>;
  startedAt: number;
  machine: BenchReport['machine'];
}): BenchReport {
  const figures: Record<string, number | null> = {};
  for (const r of opts.rows) figures[r.key] = r.value === null ? null : round(r.value, 3);
  return {
    generatedAt: new Date().toISOString(),
    quick: opts.quick,
    machine: { ...opts.machine, loadavgAtEnd: os.loadavg().map((v) => round(v, 2) ?? 0) },
    sizes: opts.sizes,
    figures,
    rows: opts.rows.map((r) => ({
      ...r,
      value: round(r.value, 3),
      ...(r.baseline ? { baseline: { ...r.baseline, value: round(r.baseline.value, 3) } } : {}),
      ...(r.ratio !== undefined ? { ratio: round(r.ratio, 3) } : {}),
    })),
    notes: opts.notes,
    durationSeconds: Math.round((Date.now() - opts.startedAt) / 1000),
  };
}

function fmt(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined) return '—';
  const abs = Math.abs(v);
  const s = abs >= 1000 ? v.toFixed(0) : abs >= 100 ? v.toFixed(1) : abs >= 1 ? v.toFixed(2) : v.toFixed(3);
  return unit ? `${s} ${unit}` : s;
}

/** The human table: figure, value, baseline, ratio, aim; then the notes. */
export function renderTable(report: BenchReport): string {
  const header = ['figure', 'value', 'baseline', 'ratio', 'aim'];
  const lines: string[][] = report.rows.map((r) => [
    r.key,
    fmt(r.value, r.unit),
    r.baseline ? `${fmt(r.baseline.value, r.baseline.unit ?? r.unit)} (${r.baseline.label})` : '',
    r.ratio === undefined ? '' : r.ratio === null ? '—' : `${fmt(r.ratio)}×`,
    r.aim ?? '',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const row = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const m = report.machine;
  const out = [
    `intake bench${report.quick ? ' (--quick)' : ''} — ${report.generatedAt}, ${m.cpus} × ${m.cpuModel}, node ${m.node}, load ${m.loadavgAtStart.join('/')} at start, ${(m.loadavgAtEnd ?? []).join('/')} at end, ${report.durationSeconds} s`,
    `sizes: ${Object.entries(report.sizes)
      .map(([k, v]) => `${k}=${v}`)
      .join(', ')}`,
    '',
    row(header),
    row(widths.map((w) => '-'.repeat(w))),
    ...lines.map(row),
  ];
  const notes = [...report.rows.filter((r) => r.note).map((r) => `${r.key}: ${r.note}`), ...report.notes];
  if (notes.length) out.push('', 'notes:', ...notes.map((n) => `- ${n}`));
  return out.join('\n') + '\n';
}
