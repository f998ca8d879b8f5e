/**
 * The dashboard's only script, served as /static/app.js (the CSP allows no
 * inline script). Everything works without it; with it the register table
 * refreshes its body when the register's version changes.
 */
export const APP_JS = `
(function () {
  'use strict';
  var body = document.querySelector('tbody[data-live]');
  var badge = document.querySelector('[data-live-badge]');
  if (!body) return;
  var version = body.getAttribute('data-version');
  var busy = false;
  function refresh() {
    if (busy || document.hidden) return;
    busy = true;
    fetch('/api/version', { credentials: 'same-origin', headers: { accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.json(); })
      .then(function (v) {
        if (v.version === version) return null;
        return fetch(body.getAttribute('data-live'), { credentials: 'same-origin' })
          .then(function (r) { if (!r.ok) throw new Error('HTTP ' + r.status); return r.text(); })
          .then(function (fragment) {
            var tpl = document.createElement('template');
            tpl.innerHTML = fragment;
            var fresh = tpl.content.querySelector('tbody');
            if (!fresh) return;
            // server-rendered and escaped by the same html helper as the page itself
            body.innerHTML = fresh.innerHTML;
            version = fresh.getAttribute('data-version') || v.version;
            body.setAttribute('data-version', version);
            var total = document.querySelector('.pager [data-total]');
            if (total && fresh.getAttribute('data-total')) total.textContent = fresh.getAttribute('data-total');
          });
      })
      .then(function () { if (badge) badge.classList.add('on'); })
      .catch(function () { if (badge) badge.classList.remove('on'); })
      .then(function () { busy = false; });
  }
  if (badge) badge.classList.add('on');
  setInterval(refresh, 3000);
  document.addEventListener('visibilitychange', refresh);
})();
`;
