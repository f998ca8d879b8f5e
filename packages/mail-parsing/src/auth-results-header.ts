/**
 * The grammar of Authentication-Results (RFC 8601 §2.2) and Received-SPF
 * (RFC 7208 §9.1), read properly: an authserv-id (a token or a quoted
 * string) with an optional version, then `;`-separated `method[/version]=result`
 * clauses with their reason and properties. Comments in parentheses (nested,
 * with quoted pairs) are whitespace; `;`, `=` and `(` inside a quoted string
 * are text. Both headers are written by strangers as often as by servers, so
 * nothing here throws: an unreadable header is `null`.
 */

interface Token {
  text: string;
  /** `;`, `=` or `/` outside quotes */
  special: boolean;
}

interface Segment {
  tokens: Token[];
  /** the clause as written, comments removed and whitespace collapsed (for staff) */
  text: string;
}

const SPECIALS = new Set([';', '=', '/']);
const MAX_CHARS = 8192;

/** Split a header value into `;`-separated segments of tokens. */
function tokenize(value: string): Segment[] {
  const s = value.slice(0, MAX_CHARS);
  const segments: Segment[] = [];
  let tokens: Token[] = [];
  let text = '';
  let word = '';
  const endWord = () => {
    if (word) tokens.push({ text: word, special: false });
    word = '';
  };
  const endSegment = () => {
    endWord();
    segments.push({ tokens, text: text.replace(/\s+/g, ' ').trim() });
    tokens = [];
    text = '';
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '(') {
      // a comment, nested, up to its matching ')'; a quoted pair hides a parenthesis
      endWord();
      let depth = 1;
      for (i++; i < s.length && depth > 0; i++) {
        if (s[i] === '\\') i++;
        else if (s[i] === '(') depth++;
        else if (s[i] === ')') depth--;
      }
      i--;
      text += ' ';
    } else if (c === '"') {
      endWord();
      let q = '';
      for (i++; i < s.length && s[i] !== '"'; i++) {
        if (s[i] === '\\' && i + 1 < s.length) i++;
        q += s.charAt(i);
      }
      tokens.push({ text: q, special: false });
      text += `"${q}"`;
    } else if (c === ';') {
      endSegment();
    } else if (SPECIALS.has(c)) {
      endWord();
      tokens.push({ text: c, special: true });
      text += c;
    } else if (/\s/.test(c)) {
      endWord();
      text += ' ';
    } else {
      word += c;
      text += c;
    }
  }
  endSegment();
  return segments;
}

export interface AuthResultsHeader {
  authservId: string;
  /** the method=result clauses; none for a `; none` header */
  results: Array<{ method: string; result: string; clause: string }>;
}

/** One Authentication-Results value, or null when it has no authserv-id. */
export function parseAuthResultsHeader(value: string): AuthResultsHeader | null {
  const [head, ...clauses] = tokenize(value);
  const id = head?.tokens[0];
  if (!id || id.special || id.text === '') return null;
  // after the id only an optional version number may follow
  const rest = head.tokens.slice(1);
  if (rest.length > 1 || (rest[0] && !/^\d+$/.test(rest[0].text))) return null;
  const results: AuthResultsHeader['results'] = [];
  for (const c of clauses) {
    const t = c.tokens;
    if (t.length === 0 || (t.length === 1 && t[0]!.text.toLowerCase() === 'none')) continue;
    const method = t[0]!;
    let k = 1;
    if (t[k]?.text === '/' && t[k]?.special) k += 2; // method-version
    const eq = t[k];
    const result = t[k + 1];
    if (method.special || !eq?.special || eq.text !== '=' || !result || result.special) continue;
    if (!/^[a-z0-9_-]+$/i.test(method.text) || !/^[a-z]+$/i.test(result.text)) continue;
    results.push({ method: method.text.toLowerCase(), result: result.text.toLowerCase(), clause: c.text });
  }
  return { authservId: id.text, results };
}

/** One Received-SPF value: its result and the `receiver=` that stamped it, or null when unreadable. */
export function parseReceivedSpf(value: string): { result: string; receiver: string | null } | null {
  const segments = tokenize(value);
  const first = segments[0]?.tokens[0];
  if (!first || first.special || !/^[a-z]+$/i.test(first.text)) return null;
  let receiver: string | null = null;
  for (const seg of segments) {
    const t = seg.tokens;
    for (let i = 0; i + 2 < t.length; i++) {
      const [key, eq, val] = [t[i]!, t[i + 1]!, t[i + 2]!];
      if (!key.special && key.text.toLowerCase() === 'receiver' && eq.special && eq.text === '=' && !val.special)
        receiver ??= val.text;
    }
  }
  return { result: first.text.toLowerCase(), receiver };
}
