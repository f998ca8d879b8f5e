/**
 * Archive entry names and attachment filenames come from the sender: never let
 * one climb out of its archive (`../../x`), start at a root, or carry control
 * characters into the register and the dashboard.
 */
export function neutralisePath(name: string): string {
  const segments = name
    .replace(/\\/g, '/')
    .split('/')
    .map((s) => s.replace(/[\u0000-\u001f\u007f]/g, '').trim())
    .filter((s) => s !== '' && s !== '.' && s !== '..')
    .map((s) => s.replace(/^[A-Za-z]:$/, ''))
    .filter((s) => s !== '');
  return segments.join('/');
}

export function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i >= 0 ? path.slice(i + 1) : path;
}

/** A filename fit to be one path segment. */
export function sanitiseFilename(name: string, fallback: string): string {
  const clean = baseName(neutralisePath(name));
  return clean === '' ? fallback : clean;
}

export function extensionOf(filename: string): string {
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(filename);
  return m ? m[1]!.toLowerCase() : '';
}

export function joinPath(prefix: string, name: string): string {
  return prefix ? `${prefix}/${name}` : name;
}
