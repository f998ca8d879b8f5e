import { html, type HtmlValue, type SafeHtml } from '../html.js';
import { USER_ROLE_LABELS } from '../labels.js';
import type { StaffUser } from '../users.js';

export interface PageContext {
  user: StaffUser;
  csrf: string;
  /** campaign title shown in the header */
  campaignTitle: string;
}

const NAV = [
  { href: '/', key: 'overview', label: '总览' },
  { href: '/applications', key: 'applications', label: '申报登记表' },
  { href: '/senders', key: 'senders', label: '发件邮箱' },
  { href: '/downloads', key: 'downloads', label: '导出' },
] as const;

export function renderLayout(ctx: PageContext, opts: { title: string; active: string; body: HtmlValue }): SafeHtml {
  const nav = [
    ...NAV,
    ...(ctx.user.role === 'admin' ? [{ href: '/admin/queues', key: 'queues', label: '队列状态' }] : []),
  ];
  return html`<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${opts.title} · 申报受理台</title>
<link rel="stylesheet" href="/static/app.css">
<script src="/static/app.js" defer></script>
</head><body>
<header class="top"><span class="title">申报受理台</span>
<nav>${nav.map((n) => html`<a href="${n.href}" class="${n.key === opts.active ? 'on' : ''}">${n.label}</a>`)}</nav>
<span class="who">${ctx.campaignTitle ? html`<span class="campaign">${ctx.campaignTitle}</span>` : ''}
<span>${ctx.user.username}（${USER_ROLE_LABELS[ctx.user.role] ?? ctx.user.role}）</span>
<form method="post" action="/logout"><input type="hidden" name="_csrf" value="${ctx.csrf}"><button type="submit">退出</button></form></span>
</header>
<main>${opts.body}</main>
<footer>吉林省发展和改革委员会高技术处 · 申报邮件受理登记</footer>
</body></html>`;
}

export function renderLoginPage(opts: {
  csrf: string;
  error?: string | null;
  next?: string;
  username?: string;
}): SafeHtml {
  return html`<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>登录 · 申报受理台</title><link rel="stylesheet" href="/static/app.css"></head>
<body><header class="top"><span class="title">申报受理台</span></header>
<main><div class="panel login"><h1>工作人员登录</h1>
${opts.error ? html`<div class="notice error" role="alert">${opts.error}</div>` : ''}
<form method="post" action="/login">
<input type="hidden" name="_csrf" value="${opts.csrf}">
<input type="hidden" name="next" value="${opts.next ?? '/'}">
<label for="username">用户名</label><input id="username" name="username" type="text" autocomplete="username" required value="${opts.username ?? ''}">
<label for="password">密码</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">登录</button></form></div></main></body></html>`;
}

export function renderErrorPage(ctx: PageContext | null, status: number, message: string): SafeHtml {
  const body = html`<div class="panel"><h1>${status === 404 ? '未找到' : status === 403 ? '无权限' : '出错了'}</h1><p>${message}</p><p><a href="/">返回总览</a></p></div>`;
  if (!ctx)
    return html`<html lang="zh-CN"><head><meta charset="utf-8"><title>${String(status)}</title><link rel="stylesheet" href="/static/app.css"></head><body><main>${body}</main></body></html>`;
  return renderLayout(ctx, { title: String(status), active: '', body });
}
