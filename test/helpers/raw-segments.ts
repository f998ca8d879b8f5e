import fs from 'node:fs';
import path from 'node:path';

/**
 * What the fs raw archive holds, read from the files themselves (not from the
 * index in the database): each segment under DATA_DIR/raw/segments is a run of
 * `intake-raw <sha256> <12-digit length>\n<bytes>\n` records. Throws on a
 * segment that does not parse — a torn or foreign file is a failure to see.
 */
export function archivedMessages(dataDir: string): Array<{ sha256: string; bytes: Buffer; segment: string }> {
  const dir = path.join(dataDir, 'raw', 'segments');
  if (!fs.existsSync(dir)) return [];
  const out: Array<{ sha256: string; bytes: Buffer; segment: string }> = [];
  for (const segment of fs.readdirSync(dir).filter((f) => f.endsWith('.seg'))) {
    const buf = fs.readFileSync(path.join(dir, segment));
    let at = 0;
    while (at < buf.length) {
      const header = /^intake-raw ([0-9a-f]{64}) (\d{12})\n/.exec(buf.subarray(at, at + 89).toString('latin1'));
      if (!header) throw new Error(`${segment}: no record header at byte ${at}`);
      const length = Number(header[2]);
      const start = at + 89;
      if (buf[start + length] !== 0x0a) throw new Error(`${segment}: record at ${at} is not ${length} bytes long`);
      out.push({ sha256: header[1]!, bytes: buf.subarray(start, start + length), segment });
      at = start + length + 1;
    }
  }
  return out;
}

/** Every file under DATA_DIR/raw, for checks that no temp file was left behind. */
export function rawArchiveFiles(dataDir: string): string[] {
  const root = path.join(dataDir, 'raw');
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root, { recursive: true, encoding: 'utf8' });
}
