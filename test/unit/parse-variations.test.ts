// Guards issue 9 ("reading that holds on mail we did not write"): every mail
// of the variation corpus — section/subtotal rows, merged and two-row
// headers, the header below row 1, tables behind an instructions sheet,
// amounts with units and as text, hidden and shuffled columns, Word and PDF
// tables, the ways the 2019 figures are phrased, prefixed subjects, 超大附件
// and 网盘 links — is read by `intake parse` the way its spec says.
import { loadCampaignProfile } from '@intake/domain';
import { generateVariationCorpus, variationFacts } from '@intake/fixture-generator';
import { closeParsers, parseMessage } from '@intake/mail-parsing';
import { evaluateMessage } from '@intake/validation-rules';
import { afterAll, describe, expect, it } from 'vitest';

const profile = loadCampaignProfile();
const cases = await generateVariationCorpus();

afterAll(async () => {
  await closeParsers();
});

describe('parseMessage over the variation corpus', () => {
  it('covers every pattern the issue lists', () => {
    const varies = new Set(cases.flatMap((c) => c.varies));
    for (const v of [
      'table:sections-merged',
      'table:two-row-header',
      'table:header-below',
      'table:instructions-sheet-first',
      'table:amounts-with-yi-units',
      'table:text-numbers',
      'table:hidden-stale-column',
      'table:shuffled-columns',
      'table:word-table',
      'table:pdf-table-pages',
      'links:qq-big-attachment',
      'links:baidu-pan',
    ])
      expect(varies, v).toContain(v);
    for (const kind of ['output', 'enterprises', 'subject'])
      expect([...varies].filter((v) => v.startsWith(kind + ':')).length, kind).toBeGreaterThanOrEqual(3);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const got = await parseMessage(c.raw, {
      profile,
      receivedAt: c.internalDate,
      evaluateFlags: (m) => evaluateMessage(m, profile),
    });
    const wrong = variationFacts(c, got).filter((f) => !f.ok);
    expect(wrong.map((f) => `${f.fact}: ${f.detail}`).join('\n'), c.description).toBe('');
  });
});
