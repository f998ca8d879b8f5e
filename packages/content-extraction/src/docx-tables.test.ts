// Guards issue 9, item 9: a Word 附件2 is read as rows and columns from its
// document XML — horizontal merges (gridSpan), vertical merges (vMerge),
// rows that start late (gridBefore), a table nested in a cell, XML entities.
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { readDocxTables } from './docx-tables.js';

const W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"';
const p = (t: string): string => `<w:p><w:r><w:t xml:space="preserve">${t}</w:t></w:r></w:p>`;
const tc = (t: string, pr = ''): string => `<w:tc><w:tcPr>${pr}</w:tcPr>${p(t)}</w:tc>`;

async function docx(body: string): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>');
  zip.file('word/document.xml', `<?xml version="1.0"?><w:document ${W}><w:body>${body}</w:body></w:document>`);
  return zip.generateAsync({ type: 'nodebuffer' });
}

describe('readDocxTables', () => {
  it('expands gridSpan and vMerge so covered cells carry the merged text', async () => {
    const table =
      '<w:tbl><w:tblPr/>' +
      `<w:tr>${tc('序号')}${tc('项目名称')}${tc('建设单位')}${tc('总投资')}</w:tr>` +
      `<w:tr>${tc('一、续建项目', '<w:gridSpan w:val="4"/>')}</w:tr>` +
      `<w:tr>${tc('1')}${tc('A项目')}${tc('甲公司', '<w:vMerge w:val="restart"/>')}${tc('100')}</w:tr>` +
      `<w:tr>${tc('2')}${tc('B项目 &amp; 配套')}${tc('', '<w:vMerge/>')}${tc('200')}</w:tr>` +
      `<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>${tc('合计', '<w:gridSpan w:val="2"/>')}${tc('300')}</w:tr>` +
      '</w:tbl>';
    const [grid, ...rest] = await readDocxTables(await docx(p('附件2') + table), []);
    expect(rest).toEqual([]);
    expect(grid?.sheet).toBe('table 1');
    expect(grid?.rows.map((r) => r.cells.map((c) => c.text))).toEqual([
      ['序号', '项目名称', '建设单位', '总投资'],
      ['一、续建项目', '一、续建项目', '一、续建项目', '一、续建项目'],
      ['1', 'A项目', '甲公司', '100'],
      ['2', 'B项目 & 配套', '甲公司', '200'],
      ['', '合计', '合计', '300'],
    ]);
  });

  it('numbers top-level tables in document order and folds a nested table into its cell', async () => {
    const nested = `<w:tbl><w:tr>${tc('内1')}${tc('内2')}</w:tr></w:tbl>`;
    const first = `<w:tbl><w:tr>${tc('联系人')}<w:tc>${p('电话')}${nested}</w:tc></w:tr></w:tbl>`;
    const second = `<w:tbl><w:tr>${tc('项目名称')}${tc('总投资')}</w:tr></w:tbl>`;
    const grids = await readDocxTables(await docx(first + p('') + second), []);
    expect(grids.map((g) => g.sheet)).toEqual(['table 1', 'table 2']);
    expect(grids[0]?.rows[0]?.cells.map((c) => c.text)).toEqual(['联系人', '电话\n内1\n内2']);
  });

  it('returns no grids for a document without tables', async () => {
    expect(await readDocxTables(await docx(p('正文')), [])).toEqual([]);
  });
});
