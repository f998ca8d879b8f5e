// Guards: UNVERIFIED_SENDER raised for softfail/neutral (too eager) or missed for fail/permerror.
import { describe, expect, it } from 'vitest';
import { findAuthFailures } from './auth-results.js';

describe('findAuthFailures', () => {
  it('counts spf=fail and dmarc=fail', () => {
    const f = findAuthFailures([
      'mx.gov.cn; spf=fail (sender IP is 1.2.3.4) smtp.mailfrom=a@b.cn; dkim=none; dmarc=fail header.from=b.cn',
    ]);
    expect(f.map((v) => `${v.method}=${v.result}`)).toEqual(['spf=fail', 'dmarc=fail']);
  });
  it('ignores softfail, neutral, none, temperror', () => {
    expect(findAuthFailures(['mx; spf=softfail smtp.mailfrom=a@b.cn; dkim=temperror; dmarc=none'])).toEqual([]);
  });
  it('counts permerror', () => {
    expect(findAuthFailures(['mx; spf=permerror smtp.mailfrom=a@b.cn'])).toHaveLength(1);
  });
  it('ignores a failed DKIM signature when another passed', () => {
    expect(findAuthFailures(['mx; dkim=fail header.d=list.org; dkim=pass header.d=b.cn'])).toEqual([]);
  });
  it('does not read the authserv-id or comments as results', () => {
    expect(findAuthFailures(['spf=fail.example.com; dkim=pass (spf=fail in a comment)'])).toEqual([]);
  });
  it('reads Received-SPF', () => {
    expect(findAuthFailures([], ['Fail (mailfrom) identity=mailfrom; client-ip=1.2.3.4'])).toHaveLength(1);
    expect(findAuthFailures([], ['SoftFail (mailfrom)'])).toHaveLength(0);
  });
});
