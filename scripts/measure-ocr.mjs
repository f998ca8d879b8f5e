#!/usr/bin/env node
// OCR accuracy on the generator's scans (issue 10's closing note): sealed 请示 scans with known
// text (four offices, 150–300 dpi) read through OCR and the document-facts reader, each fact
// compared with what was drawn; phone photos of the 附件2 table (straight and turned 90°) read
// into rows, each cell compared with the drawn table; and a printout with a red header but no
// seal, to see that `sealed` is not set by the header alone. Runs on the built packages
// (`npx turbo run build`); a few minutes on a busy machine (one OCR child).
// Usage: node scripts/measure-ocr.mjs [--json]
import {
  DRAWN_TABLE_PROJECTS,
  makeRequestTextPdf,
  makeSealedRequestScanPdf,
  makeTablePhotoJpeg,
  rasterizePdfPage,
  SEALED_REQUEST,
  toJpeg,
} from '@intake/fixture-generator';
import { readDocumentFacts } from '@intake/content-extraction';
import { createOcrService, MemoryOcrCache, readOcrProjectTable } from '@intake/ocr';

const REQUESTS = [
  { dpi: 200, seed: 86, text: SEALED_REQUEST, iso: '2020-05-12' },
  {
    dpi: 150,
    seed: 7,
    iso: '2020-05-09',
    text: {
      ...SEALED_REQUEST,
      header: '吉林市发展和改革委员会',
      issuer: '吉林市发展和改革委员会',
      number: '吉市发改高技〔2020〕112号',
      title: '关于申报吉林市化工新材料产业集群的请示',
      date: '2020年5月9日',
    },
  },
  {
    dpi: 300,
    seed: 21,
    iso: '2020-05-11',
    text: {
      ...SEALED_REQUEST,
      header: '延边州发展和改革委员会',
      issuer: '延边州发展和改革委员会',
      number: '延州发改〔2020〕15号',
      title: '关于申报延边州医药健康产业集群的请示',
      date: '二〇二〇年五月十一日',
    },
  },
  {
    dpi: 200,
    seed: 33,
    iso: '2020-05-06',
    text: {
      ...SEALED_REQUEST,
      header: '通化市人民政府',
      issuer: '通化市人民政府',
      number: '通政文〔2020〕31号',
      title: '关于推荐通化市医药健康产业集群的请示',
      date: '2020年5月6日',
    },
  },
];

const ocr = createOcrService({ cache: new MemoryOcrCache(), pageTimeoutMs: 300_000 });
const out = { requests: [], unsealedPrintout: null, tables: [] };
try {
  for (const r of REQUESTS) {
    const pdf = await makeSealedRequestScanPdf({ dpi: r.dpi, seed: r.seed, text: r.text });
    const res = await ocr.readPdfPages(pdf, [1], { maxPages: 1 });
    const rec = res.pages[0]?.record;
    const facts = readDocumentFacts({
      text: rec?.text ?? '',
      scanned: true,
      redShare: rec?.lowerRedShare ?? rec?.redShare ?? null,
    });
    out.requests.push({
      dpi: r.dpi,
      confidence: rec?.confidence ?? 0,
      title: facts.title === r.text.title,
      number: facts.number === r.text.number,
      date: facts.date === r.iso,
      issuer: facts.issuer === r.text.issuer,
      sealed: facts.sealed === true,
      redShare: rec?.lowerRedShare ?? null,
      read: facts,
      tail: (rec?.text ?? '').split('\n').slice(-4),
    });
  }
  // the electronic 请示 printed (red header, no seal) and scanned: `sealed` should stay false
  const printed = toJpeg(await rasterizePdfPage(await makeRequestTextPdf(), 200), 80);
  const p = (await ocr.readImage(printed, { maxPages: 1 })).pages[0]?.record;
  out.unsealedPrintout = {
    redShare: p?.lowerRedShare ?? null,
    wholePageRedShare: p?.redShare ?? null,
    sealed: readDocumentFacts({ text: p?.text ?? '', scanned: true, redShare: p?.lowerRedShare ?? null }).sealed,
  };
  for (const rotated90 of [false, true]) {
    const photo = await makeTablePhotoJpeg({ rotated90 });
    const res = await ocr.readImage(photo, { maxPages: 1 });
    const table = readOcrProjectTable(
      res.pages.filter((x) => x.record.chars > 0),
      { largeProjectWan: 3000 },
    );
    const rows = table.found ? table.projects : [];
    const byName = new Map(rows.map((x) => [x.name, x]));
    let cells = 0;
    let right = 0;
    for (const d of DRAWN_TABLE_PROJECTS) {
      const got = byName.get(d.name);
      const checks = [
        got !== undefined,
        got?.owner === d.owner,
        got?.location === d.location,
        got?.totalInvestment === d.investmentWan,
        got?.period === d.period,
      ];
      cells += checks.length;
      right += checks.filter(Boolean).length;
    }
    out.tables.push({
      rotated90,
      rotation: res.pages[0]?.record.rotation ?? null,
      rows: rows.length,
      names: DRAWN_TABLE_PROJECTS.filter((d) => byName.has(d.name)).length,
      amounts: DRAWN_TABLE_PROJECTS.filter((d) => byName.get(d.name)?.totalInvestment === d.investmentWan).length,
      cellsRight: right,
      cells,
      lowConfidenceRows: rows.filter((x) => x.lowConfidence).length,
    });
  }
} finally {
  await ocr.close();
}

if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(out, null, 2) + '\n');
else {
  const n = out.requests.length;
  const count = (k) => out.requests.filter((r) => r[k]).length;
  process.stdout.write(
    `sealed 请示 scans (${n}): title ${count('title')}/${n}, 文号 ${count('number')}/${n}, date ${count('date')}/${n}, issuer ${count('issuer')}/${n}, sealed ${count('sealed')}/${n}\n`,
  );
  for (const r of out.requests)
    process.stdout.write(
      `  ${r.dpi} dpi conf ${r.confidence} red below header ${r.redShare}: ${JSON.stringify(r.read)}${r.date ? '' : ` last lines ${JSON.stringify(r.tail)}`}\n`,
    );
  process.stdout.write(
    `unsealed printout: red below header ${out.unsealedPrintout.redShare} (whole page ${out.unsealedPrintout.wholePageRedShare}), sealed ${out.unsealedPrintout.sealed}\n`,
  );
  for (const t of out.tables)
    process.stdout.write(
      `table photo${t.rotated90 ? ' (turned 90°)' : ''}: rotation ${t.rotation}, rows ${t.rows}, names ${t.names}/12, amounts ${t.amounts}/12, cells ${t.cellsRight}/${t.cells}, low-confidence rows ${t.lowConfidenceRows}\n`,
    );
}
