import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';

/**
 * Page images of an image-only PDF, rendered by poppler's `pdftoppm` (Debian
 * poppler-utils, installed by scripts/servers/install.sh). Rendering rather
 * than lifting the embedded image: scanners write JPEG, JBIG2, CCITT G4 or
 * JPX, in strips, with masks and rotations; poppler handles them all the same
 * way, and it runs as a child of the sandbox process, so its memory counts
 * against the task's cap and the time cap kills it with the task.
 */
export interface RenderedPage {
  page: number;
  /** the page image as JPEG (quality 92): pdftoppm's PNG encoder takes seconds for a noisy 200 dpi page */
  image: Buffer;
}

/** Longest side of a rendered page in pixels: A4 at 200 dpi, and a poster-sized page is scaled to fit. */
export const RENDER_MAX_SIDE = 2400;

function run(cmd: string, args: string[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: timeoutMs, maxBuffer: 1024 * 1024 }, (err, _out, stderr) => {
      if (err) {
        const why =
          (err as NodeJS.ErrnoException).code === 'ENOENT'
            ? 'pdftoppm 未安装 (poppler-utils missing)'
            : stderr.trim() || err.message;
        reject(new Error(`PDF页面渲染失败：${why.slice(0, 300)}`, { cause: err }));
      } else resolve();
    });
  });
}

export async function renderPdfPages(
  pdf: Uint8Array,
  pages: number[],
  opts: { dpi: number; tmpDir: string; timeoutMs: number },
): Promise<RenderedPage[]> {
  const input = path.join(opts.tmpDir, 'input.pdf');
  await fs.writeFile(input, pdf);
  const out: RenderedPage[] = [];
  for (const page of pages) {
    const prefix = path.join(opts.tmpDir, `p${page}`);
    await run(
      'pdftoppm',
      [
        '-r',
        String(opts.dpi),
        '-scale-to',
        String(RENDER_MAX_SIDE),
        '-f',
        String(page),
        '-l',
        String(page),
        '-jpeg',
        '-jpegopt',
        'quality=92',
        '-singlefile',
        input,
        prefix,
      ],
      opts.timeoutMs,
    );
    const file = `${prefix}.jpg`;
    out.push({ page, image: await fs.readFile(file) });
    await fs.rm(file, { force: true });
  }
  return out;
}
