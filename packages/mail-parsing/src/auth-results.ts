/**
 * Did the receiving servers find the sender forged? Read from
 * Authentication-Results (RFC 8601) and Received-SPF (RFC 7208 §9.1).
 *
 * Only definite failures count: `fail` and `permerror` (a broken record is the
 * sender's own doing). `softfail`, `neutral`, `none`, `temperror` and
 * `policy` do not — they say "not sure", and flagging them would mark half
 * the county offices on free-mail hosts. A DKIM failure is ignored when
 * another DKIM signature on the same message passed (mailing lists and
 * forwarders break one signature and add another).
 *
 * A sender could forge these headers; forging a *failure* only hurts the
 * forger, and we never treat a header as proof of success, so reading all of
 * them is safe.
 */

export interface AuthVerdict {
  method: 'spf' | 'dkim' | 'dmarc';
  result: string;
  /** the result clause, for the flag detail */
  clause: string;
}

const FAILING = new Set(['fail', 'permerror']);

function stripComments(s: string): string {
  // RFC 5322 comments nest; a bounded loop peels the innermost ones first
  let out = s;
  for (let i = 0; i < 10 && /\([^()]*\)/.test(out); i++) out = out.replace(/\([^()]*\)/g, ' ');
  return out;
}

/** Every spf/dkim/dmarc result stated in one Authentication-Results value. */
export function readAuthResults(value: string): AuthVerdict[] {
  const clauses = stripComments(value)
    .split(';')
    .map((c) => c.replace(/\s+/g, ' ').trim());
  const out: AuthVerdict[] = [];
  // the first clause is the authserv-id (and optional version)
  for (const clause of clauses.slice(1)) {
    const m = /^(spf|dkim|dmarc)\s*=\s*([a-z]+)/i.exec(clause);
    if (m) out.push({ method: m[1]!.toLowerCase() as AuthVerdict['method'], result: m[2]!.toLowerCase(), clause });
  }
  return out;
}

export function readReceivedSpf(value: string): AuthVerdict | null {
  const m = /^\s*([a-z]+)/i.exec(stripComments(value));
  return m
    ? { method: 'spf', result: m[1]!.toLowerCase(), clause: `Received-SPF: ${value.trim().slice(0, 160)}` }
    : null;
}

/** The failing verdicts, or [] when nothing definite failed. */
export function findAuthFailures(authResults: string[], receivedSpf: string[] = []): AuthVerdict[] {
  const all = [
    ...authResults.flatMap(readAuthResults),
    ...receivedSpf.map(readReceivedSpf).filter((v): v is AuthVerdict => v !== null),
  ];
  const dkimPassed = all.some((v) => v.method === 'dkim' && v.result === 'pass');
  const failures = all.filter((v) => FAILING.has(v.result) && !(v.method === 'dkim' && dkimPassed));
  const seen = new Set<string>();
  return failures.filter((v) => {
    const key = `${v.method}=${v.result}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function describeAuthFailures(failures: AuthVerdict[]): string {
  return '收件服务器认证失败：' + failures.map((f) => f.clause.slice(0, 200)).join('；');
}
