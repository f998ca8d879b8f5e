/**
 * Did OUR receiving server find the sender forged? Read from
 * Authentication-Results (RFC 8601) and Received-SPF (RFC 7208 §9.1).
 *
 * Trust: anyone can write these headers into a mail. RFC 8601 §5 says a
 * reader trusts only the headers stamped with its own authserv-id (and the
 * border MTA removes incoming ones that claim it), so only results whose
 * authserv-id is one of `AUTHSERV_ID` count; a Received-SPF counts when its
 * `receiver=` names one. With no AUTHSERV_ID nothing is trusted — a
 * sender-added `dkim=pass` must never cancel the real `dkim=fail`.
 *
 * Of the trusted results only definite failures count: `fail` and `permerror`
 * (a broken record is the sender's own doing). `softfail`, `neutral`, `none`,
 * `temperror` and `policy` say "not sure", and flagging them would mark half
 * the county offices on free-mail hosts. A DKIM failure is ignored when another
 * trusted DKIM result on the same message passed (mailing lists and forwarders
 * break one signature and add another).
 */
import { parseAuthResultsHeader, parseReceivedSpf } from './auth-results-header.js';

export interface AuthVerdict {
  method: string;
  result: string;
  /** the authserv-id (or Received-SPF receiver) that stated it */
  authservId: string;
  /** the result clause, for the flag detail */
  clause: string;
}

export interface AuthAssessment {
  /** results stamped by one of our authserv-ids */
  trusted: AuthVerdict[];
  /** headers ignored: another authserv-id (a relay's, or a sender's forgery), or unreadable */
  ignoredHeaders: number;
  /** the trusted results that mean "forged": fail/permerror, minus a DKIM fail another DKIM pass covers */
  failures: AuthVerdict[];
}

const FAILING = new Set(['fail', 'permerror']);
const METHODS = new Set(['spf', 'dkim', 'dmarc']);

export function assessAuthentication(
  authResults: readonly string[],
  receivedSpf: readonly string[],
  authservIds: readonly string[],
): AuthAssessment {
  const ours = new Set(authservIds.map((s) => s.toLowerCase()));
  const trusted: AuthVerdict[] = [];
  let ignoredHeaders = 0;
  for (const value of authResults) {
    const h = parseAuthResultsHeader(value);
    if (!h || !ours.has(h.authservId.toLowerCase())) {
      ignoredHeaders++;
      continue;
    }
    for (const r of h.results) {
      if (METHODS.has(r.method)) trusted.push({ ...r, authservId: h.authservId });
    }
  }
  for (const value of receivedSpf) {
    const spf = parseReceivedSpf(value);
    if (!spf?.receiver || !ours.has(spf.receiver.toLowerCase())) {
      ignoredHeaders++;
      continue;
    }
    trusted.push({
      method: 'spf',
      result: spf.result,
      authservId: spf.receiver,
      clause: `Received-SPF: ${value.trim().slice(0, 160)}`,
    });
  }
  const dkimPassed = trusted.some((v) => v.method === 'dkim' && v.result === 'pass');
  const seen = new Set<string>();
  const failures = trusted.filter((v) => {
    if (!FAILING.has(v.result) || (v.method === 'dkim' && dkimPassed)) return false;
    const key = `${v.method}=${v.result}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { trusted, ignoredHeaders, failures };
}

/** The failing trusted verdicts, or [] when nothing definite failed (or nothing is trusted). */
export function findAuthFailures(
  authResults: readonly string[],
  receivedSpf: readonly string[],
  authservIds: readonly string[],
): AuthVerdict[] {
  return assessAuthentication(authResults, receivedSpf, authservIds).failures;
}

export function describeAuthFailures(failures: AuthVerdict[]): string {
  return '收件服务器认证失败：' + failures.map((f) => f.clause.slice(0, 200)).join('；');
}
