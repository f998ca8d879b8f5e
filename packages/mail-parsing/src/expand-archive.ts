import { expandZip, type ArchiveContents, type UnpackBudget } from './archive-expand.js';
import type { ParseLimits } from './limits.js';
import { expandRar } from './rar-expand.js';
import { expandSevenZip } from './sevenzip-expand.js';
import type { FileFormat } from './sniff-format.js';

/** Archive formats we open, each with the same limits, nesting and name handling. */
export const EXPANDABLE_FORMATS: ReadonlySet<FileFormat> = new Set(['zip', 'rar', '7z', 'gzip', 'bzip2', 'tar']);

/** Expands an archive of `format` (as sniffed from its bytes); never throws for a bad archive. */
export async function expandArchive(
  format: FileFormat,
  data: Buffer,
  limits: ParseLimits,
  budget: UnpackBudget,
): Promise<ArchiveContents> {
  try {
    if (format === 'zip') return expandZip(data, limits, budget);
    if (format === 'rar') return await expandRar(data, limits, budget);
    return await expandSevenZip(data, limits, budget);
  } catch (err) {
    // the WASM readers are third-party code run on a stranger's bytes: any throw is this archive's failure
    return { members: [], notes: [], error: `压缩包无法解压 (${(err as Error).message})` };
  }
}
