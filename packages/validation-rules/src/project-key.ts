/**
 * Normalized name + owner for DUPLICATE_PROJECT: the same project typed twice
 * differs in spaces, brackets, full/half width and a trailing 项目.
 */
export function normalizeText(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s\u3000"'“”‘’《》〈〉()（）[\]【】、，,。.·\-—_]/g, '')
    .toLowerCase();
}

export function projectKey(p: { name: string; owner: string | null }): string {
  const name = normalizeText(p.name)
    .replace(/(建设)?项目$/, '')
    .replace(/工程$/, '');
  const owner = normalizeText(p.owner ?? '').replace(/(股份)?有限(责任)?公司$/, '');
  return `${name}|${owner}`;
}
