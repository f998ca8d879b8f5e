import { decodeRawHeaderValue } from './charset.js';

/**
 * The header block as the bytes said it. mailparser keeps header lines as
 * latin1 strings (one char per byte), so raw 8-bit GBK or UTF-8 survives
 * there even where its own decoding turned the Subject into U+FFFD.
 */
export interface RawHeaderLine {
  key: string;
  line: string;
}

export class RawHeaders {
  private readonly lines: readonly RawHeaderLine[];
  constructor(lines: readonly RawHeaderLine[] | undefined) {
    this.lines = lines ?? [];
  }

  /** Raw (latin1) values of every header named `key`, in order. */
  rawValues(key: string): string[] {
    const k = key.toLowerCase();
    return this.lines.filter((l) => l.key === k).map((l) => l.line.slice(l.line.indexOf(':') + 1));
  }

  /** Decoded values of every header named `key` (raw 8-bit bytes and RFC 2047 words). */
  all(key: string): string[] {
    return this.rawValues(key).map(decodeRawHeaderValue);
  }

  first(key: string): string | null {
    const v = this.all(key)[0];
    return v === undefined || v === '' ? null : v;
  }

  /** True when the header's raw bytes include 8-bit ones (no RFC 2047 encoding). */
  hasRaw8bit(key: string): boolean {
    return this.rawValues(key).some((v) => /[\u0080-\u00ff]/.test(v));
  }
}
