import { XMLParser } from 'fast-xml-parser';
import type { DocumentPage, DocumentTextResult } from './extraction-protocol.js';
import { readZipEntryData } from './zip-entry-data.js';
import { listZip, type ZipEntryInfo } from './zip-listing.js';

/**
 * OFD (GB/T 33190, the national fixed-layout format) is a zip of XML:
 * OFD.xml names each document's Document.xml, which lists the pages'
 * Content.xml; the words are in TextObject/TextCode, in page coordinates.
 * Text is read per page (template pages included: the red header of a 红头
 * document often sits on one), lines rebuilt from the positions. Pages with
 * no words but a large image are reported with the image's path inside the
 * OFD, for OCR.
 */

export interface OfdPage extends DocumentPage {
  /** paths (inside the OFD zip) of the images drawn on the page */
  images?: string[];
}

export interface OfdTextResult extends DocumentTextResult {
  pages: OfdPage[];
}

/** Each XML part is read at most this big: no real OFD page comes near it. */
const MAX_PART_BYTES = 16 * 1024 * 1024;
const MAX_PAGES = 2000;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
});

type XmlNode = Record<string, unknown>;

class OfdReader {
  private readonly byName = new Map<string, ZipEntryInfo>();
  constructor(
    private readonly data: Buffer,
    entries: ZipEntryInfo[],
    private readonly shift: number,
  ) {
    for (const e of entries) this.byName.set(e.name.replace(/\\/g, '/').replace(/^\/+/, '').toLowerCase(), e);
  }

  has(path: string): boolean {
    return this.byName.has(path.toLowerCase());
  }

  xml(path: string): XmlNode | null {
    const e = this.byName.get(path.toLowerCase());
    if (!e) return null;
    const text = readZipEntryData(this.data, e.raw, this.shift, MAX_PART_BYTES).toString('utf8');
    // OFD never uses a DTD; a DOCTYPE can only be an entity-expansion trap
    if (/<!DOCTYPE/i.test(text)) throw new Error(`${path}: DOCTYPE not allowed in OFD`);
    return parser.parse(text) as XmlNode;
  }
}

const asArray = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);
const textOf = (v: unknown): string => {
  if (typeof v === 'string') return v;
  const t = typeof v === 'object' && v !== null ? (v as XmlNode)['#text'] : undefined;
  return typeof t === 'string' || typeof t === 'number' ? String(t) : '';
};
/** An attribute's value ('' when absent): attributes are kept as strings (parseAttributeValue off). */
const attr = (n: unknown, name: string): string => {
  const v = typeof n === 'object' && n !== null ? (n as XmlNode)[`@${name}`] : undefined;
  return typeof v === 'string' ? v : '';
};
const child = (n: unknown, key: string): XmlNode | undefined =>
  typeof n === 'object' && n !== null ? ((n as XmlNode)[key] as XmlNode | undefined) : undefined;

/** `base` + a location as OFD writes it: relative to the referring file's folder, or absolute from the root. */
export function resolveOfdPath(baseDir: string, loc: string): string {
  const parts = (loc.startsWith('/') ? loc : `${baseDir}/${loc}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '' || p === '.') continue;
    if (p === '..') out.pop();
    else out.push(p);
  }
  return out.join('/');
}

const dirOf = (path: string): string => path.split('/').slice(0, -1).join('/');

/** Every node named `name` anywhere under `node` (layers, page blocks, composite objects). */
function collect(node: unknown, name: string, out: XmlNode[] = []): XmlNode[] {
  if (Array.isArray(node)) for (const n of node) collect(n, name, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node as XmlNode)) {
      if (k.startsWith('@')) continue;
      if (k === name) out.push(...(asArray(v) as XmlNode[]));
      else collect(v, name, out);
    }
  }
  return out;
}

interface Placed {
  x: number;
  y: number;
  size: number;
  text: string;
}

function boundary(n: XmlNode): [number, number, number, number] {
  const [x = 0, y = 0, w = 0, h = 0] = attr(n, 'Boundary').trim().split(/\s+/).map(Number);
  return [x, y, w, h];
}

/** Text objects → lines: sorted top to bottom, joined left to right when on the same baseline. */
export function linesOf(placed: Placed[]): string {
  const sorted = [...placed].sort((a, b) => a.y - b.y || a.x - b.x);
  const lines: Placed[][] = [];
  for (const p of sorted) {
    const last = lines[lines.length - 1];
    if (last && Math.abs(last[0]!.y - p.y) <= Math.max(1, last[0]!.size * 0.5)) last.push(p);
    else lines.push([p]);
  }
  return lines
    .map((l) =>
      l
        .sort((a, b) => a.x - b.x)
        .map((p) => p.text)
        .join(''),
    )
    .join('\n');
}

function placedText(content: XmlNode | null): Placed[] {
  return collect(content, 'TextObject').flatMap((obj) => {
    const [bx, by, , bh] = boundary(obj);
    const size = Number(attr(obj, 'Size') || bh) || bh;
    return asArray(obj.TextCode).map((code) => ({
      x: bx + Number(attr(code, 'X') || 0),
      y: by + Number(attr(code, 'Y') || 0),
      size,
      text: textOf(code),
    }));
  });
}

/** Image resources of a document: MultiMedia ID → path inside the OFD. */
function mediaOf(reader: OfdReader, docDir: string, doc: XmlNode): Map<string, string> {
  const media = new Map<string, string>();
  const common = child(doc, 'CommonData');
  for (const loc of [...asArray(common?.PublicRes), ...asArray(common?.DocumentRes)]) {
    const resPath = resolveOfdPath(docDir, textOf(loc));
    const res = child(reader.xml(resPath), 'Res');
    const base = resolveOfdPath(dirOf(resPath), attr(res, 'BaseLoc'));
    for (const m of collect(res, 'MultiMedia')) {
      const file = textOf(m.MediaFile);
      if (attr(m, 'ID') && file) media.set(attr(m, 'ID'), resolveOfdPath(base, file));
    }
  }
  return media;
}

function pageImages(
  content: XmlNode | null,
  media: Map<string, string>,
  pageArea: number,
): { paths: string[]; large: boolean } {
  const objs = collect(content, 'ImageObject');
  const paths = objs.flatMap((o) => media.get(attr(o, 'ResourceID')) ?? []);
  const covered = objs.reduce((sum, o) => {
    const [, , w, h] = boundary(o);
    return sum + w * h;
  }, 0);
  return { paths, large: pageArea > 0 && covered / pageArea >= 0.5 };
}

function pageArea(doc: XmlNode): number {
  const [, , w, h] = (textOf(child(child(doc, 'CommonData'), 'PageArea')?.PhysicalBox) || '0 0 210 297')
    .trim()
    .split(/\s+/)
    .map(Number);
  return (w ?? 0) * (h ?? 0);
}

function readDocument(reader: OfdReader, docPath: string, pages: OfdPage[], notes: string[]): void {
  const doc = child(reader.xml(docPath), 'Document');
  if (!doc) throw new Error(`${docPath} is missing`);
  const docDir = dirOf(docPath);
  const media = mediaOf(reader, docDir, doc);
  const templates = new Map<string, string>();
  for (const t of asArray(child(doc, 'CommonData')?.TemplatePage) as XmlNode[]) {
    templates.set(attr(t, 'ID'), resolveOfdPath(docDir, attr(t, 'BaseLoc')));
  }
  const area = pageArea(doc);
  for (const p of asArray(child(doc, 'Pages')?.Page) as XmlNode[]) {
    if (pages.length >= MAX_PAGES) {
      notes.push(`OFD 页数超过 ${MAX_PAGES}，其余未读取 (more than ${MAX_PAGES} pages)`);
      return;
    }
    const content = reader.xml(resolveOfdPath(docDir, attr(p, 'BaseLoc')));
    const page = child(content, 'Page') ?? null;
    const tpl = asArray(page?.Template).flatMap((t) => templates.get(attr(t, 'TemplateID')) ?? []);
    const tplContents = tpl.map((path) => (reader.has(path) ? reader.xml(path) : null));
    const text = linesOf([...tplContents.flatMap(placedText), ...placedText(content)]);
    const images = [content, ...tplContents].map((c) => pageImages(c, media, area));
    const paths = images.flatMap((i) => i.paths);
    const hasImage = images.some((i) => i.large);
    pages.push({
      num: pages.length + 1,
      text,
      hasImage,
      imageOnly: hasImage && text.trim() === '',
      ...(paths.length > 0 ? { images: paths } : {}),
    });
  }
}

/** The text of an OFD file, per page. Throws an Error saying why when it cannot be read. */
export function readOfdText(data: Buffer): OfdTextResult {
  const listing = listZip(data, 10_000);
  if (listing.error !== undefined) throw new Error(`OFD 文件损坏（${listing.error}）`);
  const reader = new OfdReader(data, listing.entries, listing.shift);
  const ofd = child(reader.xml('OFD.xml'), 'OFD');
  if (!ofd) throw new Error('OFD 文件缺少 OFD.xml');
  const pages: OfdPage[] = [];
  const notes: string[] = [];
  for (const body of asArray(ofd.DocBody) as XmlNode[]) {
    const root = textOf(body.DocRoot);
    if (root) readDocument(reader, resolveOfdPath('', root), pages, notes);
  }
  if (pages.length === 0) throw new Error('OFD 文件没有页面');
  return { text: pages.map((p) => p.text).join('\n\n'), pages, notes };
}
