#!/usr/bin/env node
// Facts right / wrong on the generator corpus and the variation corpus (issue 9's
// before → after figures): every case is parsed the way `intake parse` does and
// each fact of its expectation (applicant, cluster, field, projects, figures,
// flags, links) is counted. Runs on the built packages (`npx turbo run build`).
// Usage: node scripts/measure-reading.mjs [--json] [--verbose]
import { loadCampaignProfile } from '@intake/domain';
import { corpusFacts, generateCorpus, generateVariationCorpus, variationFacts } from '@intake/fixture-generator';
import { closeParsers, parseMessage } from '@intake/mail-parsing';
import { evaluateMessage } from '@intake/validation-rules';

const args = new Set(process.argv.slice(2));
const profile = loadCampaignProfile();

async function measure(name, cases, factsOf) {
  const out = { corpus: name, cases: cases.length, casesAllRight: 0, factsRight: 0, factsWrong: 0, wrong: [] };
  for (const c of cases) {
    const got = await parseMessage(c.raw, {
      profile,
      receivedAt: c.internalDate,
      evaluateFlags: (m) => evaluateMessage(m, profile),
    });
    const facts = factsOf(c, got);
    const bad = facts.filter((f) => !f.ok);
    out.factsRight += facts.length - bad.length;
    out.factsWrong += bad.length;
    if (bad.length === 0) out.casesAllRight++;
    for (const f of bad) out.wrong.push(`${c.id}: ${f.fact}: ${f.detail ?? ''}`);
  }
  return out;
}

const results = [
  await measure('generator corpus', (await generateCorpus()).cases, corpusFacts),
  await measure('variation corpus', await generateVariationCorpus(), variationFacts),
];
await closeParsers();

if (args.has('--json')) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
else {
  for (const r of results) {
    const total = r.factsRight + r.factsWrong;
    process.stdout.write(
      `${r.corpus}: ${r.factsRight}/${total} facts right, ${r.factsWrong} wrong; ${r.casesAllRight}/${r.cases} mails entirely right\n`,
    );
    if (args.has('--verbose')) for (const w of r.wrong) process.stdout.write(`  ${w.slice(0, 240)}\n`);
  }
}
