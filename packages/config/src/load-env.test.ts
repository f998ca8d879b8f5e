import { describe, expect, it } from 'vitest';
import { ConfigError, loadEnv, parseImapUrl } from '@intake/config';

describe('loadEnv', () => {
  it('applies the contract defaults', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      DATA_DIR: './data',
      DASHBOARD_PORT: 3000,
      LOG_LEVEL: 'info',
      RAW_STORE: 'fs',
      MAILBOX_ACTION: 'none',
    });
  });
  it('reports every problem as one line', () => {
    try {
      loadEnv({ IMAP_URL: 'http://x', DASHBOARD_PORT: 'abc', SMTP_URL: 'smtp://127.0.0.1:25', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const lines = (err as ConfigError).problems;
      expect(lines.some((l) => l.startsWith('IMAP_URL:'))).toBe(true);
      expect(lines.some((l) => l.startsWith('DASHBOARD_PORT:'))).toBe(true);
      expect(lines.some((l) => l.startsWith('LOG_LEVEL:'))).toBe(true);
      expect(lines.some((l) => l.startsWith('ACK_FROM:'))).toBe(true);
    }
  });
  it('reads booleans strictly', () => {
    expect(loadEnv({ DASHBOARD_SECURE_COOKIES: 'true' }).DASHBOARD_SECURE_COOKIES).toBe(true);
    expect(loadEnv({}).DASHBOARD_SECURE_COOKIES).toBe(false);
    expect(() => loadEnv({ DASHBOARD_SECURE_COOKIES: 'yes' })).toThrow(
      /DASHBOARD_SECURE_COOKIES: must be true or false/,
    );
  });
  it('reads TRUST_PROXY as off, on, a hop count or a list of proxies, and refuses anything else', () => {
    expect(loadEnv({}).TRUST_PROXY).toBe(false);
    expect(loadEnv({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadEnv({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadEnv({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8, ::1, loopback' }).TRUST_PROXY).toEqual([
      '127.0.0.1',
      '10.0.0.0/8',
      '::1',
      'loopback',
    ]);
    expect(() => loadEnv({ TRUST_PROXY: 'yes please' })).toThrow(/TRUST_PROXY: must be false, true, a hop count/);
  });
  it('reads AUTHSERV_ID as a list of lower-case authserv-ids; unset trusts none', () => {
    expect(loadEnv({}).AUTHSERV_ID).toEqual([]);
    expect(loadEnv({ AUTHSERV_ID: '' }).AUTHSERV_ID).toEqual([]);
    expect(loadEnv({ AUTHSERV_ID: 'MX.fgw.jl.gov.cn, mx2.fgw.jl.gov.cn' }).AUTHSERV_ID).toEqual([
      'mx.fgw.jl.gov.cn',
      'mx2.fgw.jl.gov.cn',
    ]);
    expect(() => loadEnv({ AUTHSERV_ID: 'mx; dkim=pass' })).toThrow(/AUTHSERV_ID: each authserv-id is a host name/);
  });
  it('decodes percent-encoded IMAP credentials and the mailbox', () => {
    expect(parseImapUrl('imap://intake%40desk.test:p%40ss@127.0.0.1:51143/%E7%94%B3%E6%8A%A5')).toEqual({
      host: '127.0.0.1',
      port: 51143,
      secure: false,
      user: 'intake@desk.test',
      pass: 'p@ss',
      mailbox: '申报',
    });
  });
});
