/**
 * The stream names of an OLE compound file (Word 97 .doc/.wps, Excel BIFF8
 * .xls/.et, PowerPoint, Outlook .msg, encrypted OOXML), read from its
 * directory: what the file is depends on which streams it has, and a search
 * of the bytes for "Workbook" would also find the word in a document's text.
 */

const ENDOFCHAIN = 0xfffffffe;
const MAX_DIRECTORY_SECTORS = 4096;

function sectorOffset(sector: number, shift: number): number {
  return (sector + 1) << shift;
}

/** The FAT: the sector numbers listed in the header's DIFAT (first 109; enough for files up to ~7 MB of FAT). */
function readFat(data: Buffer, shift: number): Uint32Array | null {
  const perSector = (1 << shift) / 4;
  const fatSectors: number[] = [];
  for (let i = 0; i < 109; i++) {
    const s = data.readUInt32LE(0x4c + i * 4);
    if (s >= ENDOFCHAIN) break;
    fatSectors.push(s);
  }
  // further DIFAT sectors (files over ~7 MB with 512-byte sectors)
  let difat = data.readUInt32LE(0x44);
  for (let guard = 0; difat < ENDOFCHAIN && guard < 1024; guard++) {
    const at = sectorOffset(difat, shift);
    if (at + (1 << shift) > data.length) break;
    for (let i = 0; i < perSector - 1; i++) {
      const s = data.readUInt32LE(at + i * 4);
      if (s < ENDOFCHAIN) fatSectors.push(s);
    }
    difat = data.readUInt32LE(at + (perSector - 1) * 4);
  }
  const fat = new Uint32Array(fatSectors.length * perSector);
  fatSectors.forEach((s, k) => {
    const at = sectorOffset(s, shift);
    for (let i = 0; i < perSector && at + i * 4 + 4 <= data.length; i++)
      fat[k * perSector + i] = data.readUInt32LE(at + i * 4);
  });
  return fat.length > 0 ? fat : null;
}

/** Names of every directory entry (streams and storages), or null when the file is not a readable compound file. */
export function oleStreamNames(data: Buffer): string[] | null {
  if (data.length < 512 || data.readUInt32LE(0) !== 0xe011cfd0) return null;
  const shift = data.readUInt16LE(0x1e);
  if (shift !== 9 && shift !== 12) return null;
  const fat = readFat(data, shift);
  if (!fat) return null;
  const names: string[] = [];
  const seen = new Set<number>();
  let sector = data.readUInt32LE(0x30);
  while (sector < ENDOFCHAIN && !seen.has(sector) && seen.size < MAX_DIRECTORY_SECTORS) {
    seen.add(sector);
    const at = sectorOffset(sector, shift);
    for (let e = at; e + 128 <= Math.min(data.length, at + (1 << shift)); e += 128) {
      const len = data.readUInt16LE(e + 64);
      if (data[e + 66] === 0 || len < 2 || len > 64) continue;
      names.push(data.toString('utf16le', e, e + len - 2));
    }
    sector = fat[sector] ?? ENDOFCHAIN;
  }
  return names;
}
