// Guards issue 9 against tables and sentences written by hand in the style
// officials use (test/fixtures/reading/): each file states the reading a
// careful clerk makes, and the parser must make the same one. The bytes are
// written at test time from the cell descriptions; the expectations are the
// hand-written ones in the files, never computed.
import fs from 'node:fs';
import path from 'node:path';
import {
  extractDocumentText,
  extractMetrics,
  readProjectTable,
  type ProjectTableResult,
} from '@intake/content-extraction';
import {
  writeCsv,
  writeDocxTable,
  writePdfTable,
  writeXlsx,
  ZExpectedProject,
  ZSheetSpec,
} from '@intake/fixture-generator';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const DIR = path.join(import.meta.dirname, '../fixtures/reading');

const ZTableFixture = z.object({
  description: z.string(),
  format: z.enum(['xlsx', 'csv', 'docx', 'pdf']),
  before: z.array(z.string()).optional(),
  sheets: z.array(ZSheetSpec).min(1),
  expected: z.object({
    sheet: z.string().optional(),
    unit: z.enum(['万元', '亿元', '元']).optional(),
    projects: z.array(ZExpectedProject),
  }),
});
type TTableFixture = z.infer<typeof ZTableFixture>;

const ZFigures = z.object({
  cases: z.array(
    z.object({
      text: z.string(),
      totalOutput2019: z.number().nullable(),
      largeEnterprises: z.number().int().nullable(),
      dataYear: z.number().int().nullable(),
    }),
  ),
});

const tableFiles = fs
  .readdirSync(path.join(DIR, 'tables'))
  .filter((f) => f.endsWith('.json'))
  .sort();

async function read(t: TTableFixture): Promise<ProjectTableResult | undefined> {
  const last = t.sheets[t.sheets.length - 1]!;
  switch (t.format) {
    case 'xlsx':
      return readProjectTable(await writeXlsx(t.sheets), { filename: '附件2.xlsx', format: 'xlsx' });
    case 'csv':
      return readProjectTable(writeCsv(last), { filename: '附件2.csv', format: 'csv' });
    case 'docx':
      return (await extractDocumentText(await writeDocxTable(last, { before: t.before ?? [] }), { format: 'docx' }))
        .table;
    case 'pdf':
      return (await extractDocumentText(await writePdfTable(last, { before: t.before ?? [] }), { format: 'pdf' }))
        .table;
  }
}

describe('hand-written messy tables', () => {
  it('has at least 20 of them', () => {
    expect(tableFiles.length).toBeGreaterThanOrEqual(20);
  });

  it.each(tableFiles)('%s', async (file) => {
    const t = ZTableFixture.parse(JSON.parse(fs.readFileSync(path.join(DIR, 'tables', file), 'utf8')));
    const r = await read(t);
    // compare only what the fixture states: a table without a 建设地点 column says nothing about locations
    const got = (r?.projects ?? []).map((p, i) => {
      const want = t.expected.projects[i] ?? { name: '' };
      return Object.fromEntries(Object.keys(want).map((k) => [k, p[k as keyof typeof p]]));
    });
    expect(got, t.description).toEqual(t.expected.projects);
    if (t.expected.sheet) expect(r?.sheet).toBe(t.expected.sheet);
    if (t.expected.unit) expect(r?.unit).toBe(t.expected.unit);
    // every project row keeps the cells it was read from
    for (const p of r?.projects ?? []) expect(p.range).toMatch(/!/);
  });
});

describe('hand-written figure sentences', () => {
  const { cases } = ZFigures.parse(JSON.parse(fs.readFileSync(path.join(DIR, 'figures.json'), 'utf8')));

  it('has at least 20 of them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases.map((c) => [c.text, c] as const))('%s', (_t, c) => {
    const r = extractMetrics(c.text, 'materials');
    expect({ totalOutput2019: r.totalOutput2019, largeEnterprises: r.largeEnterprises, dataYear: r.dataYear }).toEqual({
      totalOutput2019: c.totalOutput2019,
      largeEnterprises: c.largeEnterprises,
      dataYear: c.dataYear,
    });
  });
});
