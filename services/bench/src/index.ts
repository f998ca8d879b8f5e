export { main } from './main.js';
export type { BenchReport, Figure } from './report.js';
export { percentile, median } from './stats.js';
