import type { FastifyInstance } from 'fastify';

/** A session as a browser gets it: GET /login for the CSRF cookie and token, POST the form, read a page's token. */
export interface InjectedSession {
  cookie: string;
  csrf: string;
  status: number;
  body: string;
}

export async function injectLogin(
  app: FastifyInstance,
  username: string,
  password: string,
  opts: { remoteAddress?: string; headers?: Record<string, string> } = {},
): Promise<InjectedSession> {
  const page = await app.inject({ method: 'GET', url: '/login' });
  const csrfCookie = page.cookies.find((c) => c.name === '_csrf')!;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    cookies: { _csrf: csrfCookie.value },
    payload: new URLSearchParams({ _csrf: token, username, password, next: '/' }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', ...opts.headers },
    ...(opts.remoteAddress ? { remoteAddress: opts.remoteAddress } : {}),
  });
  const session = res.cookies.find((c) => c.name === 'intake_session');
  const cookie = `_csrf=${csrfCookie.value}${session ? `; intake_session=${session.value}` : ''}`;
  if (!session) return { cookie, csrf: token, status: res.statusCode, body: res.body };
  const home = await app.inject({ method: 'GET', url: '/applications', headers: { cookie, accept: 'text/html' } });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(home.body)?.[1] ?? '';
  return { cookie, csrf, status: res.statusCode, body: res.body };
}
