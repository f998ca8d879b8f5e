// Guards issue 9's "Done when" on the command users run: `intake parse` (the
// built CLI, a real process) on a mail whose sealed scans came as a QQ Mail
// 超大附件 block raises LINKED_ATTACHMENT naming both files and their links;
// a Word-table 附件2 gives project rows with sheet "table N"; a 2018 output
// figure stays out of totalOutput2019 and is named in WRONG_DATA_YEAR.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ZParsedMessage, type TParsedMessage } from '@intake/domain';
import { generateCorpus, generateVariationCorpus } from '@intake/fixture-generator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_DIR } from '../helpers/servers.js';

const BIN = path.join(REPO_DIR, 'services/cli/bin/intake.js');
let dir: string;
/** case id → what `intake parse` printed for it */
const parsed = new Map<string, TParsedMessage>();

/** One `intake parse FILE…` run: one JSON line per file, in order. */
function parseAll(ids: string[], fileOf: (id: string) => string): void {
  const r = spawnSync(process.execPath, [BIN, 'parse', ...ids.map(fileOf)], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', LOG_LEVEL: 'warn', DATA_DIR: dir },
  });
  expect(r.status, r.stderr).toBe(0);
  const lines = r.stdout.trim().split('\n');
  expect(lines).toHaveLength(ids.length);
  ids.forEach((id, i) => parsed.set(id, ZParsedMessage.parse(JSON.parse(lines[i] ?? ''))));
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-parse-reading-'));
  const corpus = await generateCorpus();
  const variations = await generateVariationCorpus();
  const pick = [
    ...corpus.cases.filter((c) => c.id.startsWith('32-')),
    ...variations.filter((c) => /table-word-table|netease-163/.test(c.id)),
  ];
  const fileOf = (id: string): string => path.join(dir, `${id}.eml`);
  for (const c of pick) fs.writeFileSync(fileOf(c.id), c.raw);
  parseAll(
    pick.map((c) => c.id),
    fileOf,
  );
}, 120_000);

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function parse(idPart: string): TParsedMessage {
  const hit = [...parsed.entries()].find(([id]) => id.includes(idPart));
  if (!hit) throw new Error(`no parsed case ${idPart}`);
  return hit[1];
}

describe('intake parse reads what the mail gives', () => {
  it('raises LINKED_ATTACHMENT with both file names of a QQ Mail 超大附件 block, and their links', () => {
    const m = parse('32-fuyu');
    const flag = m.flags.find((f) => f.code === 'LINKED_ATTACHMENT');
    expect(flag?.label).toBe('附件以链接方式提供');
    expect(flag?.detail).toContain('关于申报扶余市新材料产业集群的请示（盖章扫描件）.pdf');
    expect(flag?.detail).toContain('附件1：扶余市新材料产业集群申报材料（盖章扫描件）.pdf');
    expect(flag?.detail).toMatch(/http:\/\/mail\.qq\.com\/cgi-bin\/ftnExs_download\?/);
    const links = (m.evidence ?? []).filter((e) => e.field === 'linkedAttachment');
    expect(links.map((e) => e.value)).toHaveLength(2);
  });

  it('lists 163 超大附件 links from the HTML part', () => {
    const m = parse('netease-163');
    const detail = m.flags.find((f) => f.code === 'LINKED_ATTACHMENT')?.detail ?? '';
    expect(detail).toContain('附件2重点项目汇总表（盖章）.pdf');
    expect(detail).not.toContain('u.163.com');
  });

  it('reads a Word-table 附件2 into projects with provenance "table N" and the reading decisions as evidence', () => {
    const m = parse('table-word-table');
    expect(m.projects.length).toBeGreaterThan(0);
    expect(new Set(m.projects.map((p) => p.sheet))).toEqual(new Set(['table 1']));
    const att = m.attachments.find((a) => a.filename === '附件2.docx');
    expect(att?.roles).toContain('project-table');
    const skipped = (m.evidence ?? []).filter((e) => e.field === 'skippedRow').map((e) => e.value);
    expect(skipped).toEqual(expect.arrayContaining(['section', 'subtotal']));
    // this case's materials state the output for 2018 only
    expect(m.metrics.totalOutput2019).toBeNull();
    expect(m.metrics.dataYear).toBe(2018);
    expect(m.flags.find((f) => f.code === 'WRONG_DATA_YEAR')?.detail).toMatch(/2018/);
  });
});
