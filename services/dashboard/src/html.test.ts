// Guards: email-supplied text rendering as markup (stored XSS via subject/filename).
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, joinHtml, unsafeRaw } from './html.js';

describe('html tagged template', () => {
  it('escapes every interpolation', () => {
    const subject = '<script>alert("x")</script>&\'`';
    expect(html`<td>${subject}</td>`.value).toBe(
      '<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;&#96;</td>',
    );
  });
  it('escapes inside attributes so quotes cannot break out', () => {
    const name = '" onmouseover="alert(1)';
    expect(html`<a title="${name}">x</a>`.value).not.toContain('" onmouseover');
  });
  it('keeps nested html fragments and arrays unescaped once', () => {
    const rows = ['a<b', 'c'].map((x) => html`<li>${x}</li>`);
    expect(html`<ul>${rows}</ul>`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul>');
  });
  it('drops null, undefined and false; prints numbers and zero', () => {
    expect(html`${null}${undefined}${false}${0}${12.5}`.value).toBe('012.5');
  });
  it('only unsafeRaw passes markup through', () => {
    expect(html`${unsafeRaw('<b>ok</b>')}`.value).toBe('<b>ok</b>');
    expect(joinHtml(['<i>', html`<b>`], ', ').value).toBe('&lt;i&gt;, <b>');
  });
  it('escapeHtml leaves CJK text alone', () => {
    expect(escapeHtml('长春市生物医药产业集群')).toBe('长春市生物医药产业集群');
  });
});
