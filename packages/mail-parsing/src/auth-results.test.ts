// Guards issue 12.3: a sender-added `Authentication-Results: dkim=pass` cancelled the real
// `dkim=fail` (every header was believed, whoever stamped it); and UNVERIFIED_SENDER raised
// for softfail/neutral (too eager) or missed for fail/permerror.
import { describe, expect, it } from 'vitest';
import { assessAuthentication, findAuthFailures } from './auth-results.js';
import { parseAuthResultsHeader, parseReceivedSpf } from './auth-results-header.js';

const OURS = ['mx.fgw.jl.gov.cn'];
const codes = (v: Array<{ method: string; result: string }>) => v.map((x) => `${x.method}=${x.result}`);

describe('parseAuthResultsHeader (RFC 8601 §2.2)', () => {
  it('reads the authserv-id, a version, and method=result clauses with reasons and properties', () => {
    expect(
      parseAuthResultsHeader(
        'mx.fgw.jl.gov.cn 1; spf=fail (sender IP is 1.2.3.4) smtp.mailfrom=a@b.cn; dkim/1=pass header.d=b.cn; dmarc=fail reason="p=reject; sp=none" header.from=b.cn',
      ),
    ).toEqual({
      authservId: 'mx.fgw.jl.gov.cn',
      results: [
        { method: 'spf', result: 'fail', clause: 'spf=fail smtp.mailfrom=a@b.cn' },
        { method: 'dkim', result: 'pass', clause: 'dkim/1=pass header.d=b.cn' },
        { method: 'dmarc', result: 'fail', clause: 'dmarc=fail reason="p=reject; sp=none" header.from=b.cn' },
      ],
    });
  });
  it('takes a quoted authserv-id, comments anywhere (nested, with quoted pairs) and folded lines', () => {
    const h = parseAuthResultsHeader(
      '"mx.fgw.jl.gov.cn" (our (inner \\) paren) border);\r\n\tdkim (a comment; with dkim=pass) = fail header.d=b.cn',
    );
    expect(h?.authservId).toBe('mx.fgw.jl.gov.cn');
    expect(codes(h!.results)).toEqual(['dkim=fail']);
  });
  it('reads `; none` as no result, and refuses a header without an authserv-id', () => {
    expect(parseAuthResultsHeader('mx.fgw.jl.gov.cn; none')).toEqual({ authservId: 'mx.fgw.jl.gov.cn', results: [] });
    expect(parseAuthResultsHeader('; dkim=pass')).toBeNull();
    expect(parseAuthResultsHeader('')).toBeNull();
    // the first clause is an id, not a result: "spf=fail.example.com" is no authserv-id
    expect(parseAuthResultsHeader('spf=fail.example.com; dkim=pass')).toBeNull();
  });
});

describe('parseReceivedSpf (RFC 7208 §9.1)', () => {
  it('reads the result and the receiver key', () => {
    expect(
      parseReceivedSpf('Fail (mailfrom) identity=mailfrom; client-ip=1.2.3.4; receiver=mx.fgw.jl.gov.cn; helo=x'),
    ).toEqual({ result: 'fail', receiver: 'mx.fgw.jl.gov.cn' });
    expect(parseReceivedSpf('SoftFail (receiver=mx.fgw.jl.gov.cn in a comment)')).toEqual({
      result: 'softfail',
      receiver: null,
    });
    expect(parseReceivedSpf('(only a comment)')).toBeNull();
  });
});

describe('assessAuthentication: trust only our own authserv-id', () => {
  it('a sender-added dkim=pass under another authserv-id does not cancel our dkim=fail', () => {
    const a = assessAuthentication(
      [
        'mx.fgw.jl.gov.cn; dkim=fail header.d=changchun.gov.cn',
        'mx.attacker.example; dkim=pass header.d=changchun.gov.cn',
      ],
      [],
      OURS,
    );
    expect(codes(a.failures)).toEqual(['dkim=fail']);
    expect(codes(a.trusted)).toEqual(['dkim=fail']);
    expect(a.ignoredHeaders).toBe(1);
  });
  it('a forged header claiming our authserv-id differently cased is still ours (ids compare case-insensitively)', () => {
    expect(codes(findAuthFailures(['MX.FGW.JL.GOV.CN; spf=fail smtp.mailfrom=a@b.cn'], [], OURS))).toEqual([
      'spf=fail',
    ]);
  });
  it('without AUTHSERV_ID nothing is trusted, failures included', () => {
    const a = assessAuthentication(['mx.fgw.jl.gov.cn; spf=fail smtp.mailfrom=a@b.cn'], ['Fail receiver=mx'], []);
    expect(a).toEqual({ trusted: [], failures: [], ignoredHeaders: 2 });
  });
  it('counts spf=fail and dmarc=fail, not softfail, neutral, none, temperror', () => {
    expect(
      codes(
        findAuthFailures(
          [
            'mx.fgw.jl.gov.cn; spf=fail (sender IP is 1.2.3.4) smtp.mailfrom=a@b.cn; dkim=none; dmarc=fail header.from=b.cn',
          ],
          [],
          OURS,
        ),
      ),
    ).toEqual(['spf=fail', 'dmarc=fail']);
    expect(
      findAuthFailures(['mx.fgw.jl.gov.cn; spf=softfail smtp.mailfrom=a@b.cn; dkim=temperror; dmarc=none'], [], OURS),
    ).toEqual([]);
  });
  it('counts permerror', () => {
    expect(findAuthFailures(['mx.fgw.jl.gov.cn; spf=permerror smtp.mailfrom=a@b.cn'], [], OURS)).toHaveLength(1);
  });
  it('ignores a failed DKIM signature when another trusted one passed', () => {
    expect(
      findAuthFailures(['mx.fgw.jl.gov.cn; dkim=fail header.d=list.org; dkim=pass header.d=b.cn'], [], OURS),
    ).toEqual([]);
  });
  it('does not read comments as results', () => {
    expect(findAuthFailures(['mx.fgw.jl.gov.cn; dkim=pass (spf=fail in a comment)'], [], OURS)).toEqual([]);
  });
  it('reads Received-SPF only when our server is its receiver', () => {
    expect(
      findAuthFailures([], ['Fail (mailfrom) identity=mailfrom; client-ip=1.2.3.4; receiver=mx.fgw.jl.gov.cn'], OURS),
    ).toHaveLength(1);
    expect(findAuthFailures([], ['Fail (mailfrom) identity=mailfrom; client-ip=1.2.3.4'], OURS)).toHaveLength(0);
    expect(findAuthFailures([], ['SoftFail (mailfrom) receiver=mx.fgw.jl.gov.cn'], OURS)).toHaveLength(0);
  });
});
