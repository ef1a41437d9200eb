// Starts the signed-in user's first API calls while the app's modules download and evaluate: a
// classic script (allowed by script-src 'self'), run as the page is parsed; the build serves it
// under a content-hashed name, cached (vite.config.ts). The app's API client takes each response
// once, by path (src/api/client.ts, earlyResponse); the boot drops what it did not take. Without a
// session cookie nothing is asked. The language is chosen as src/i18n/i18n.ts chooses it, so the
// answers are the same. On a list page, the rows request the list built on the last visit of the
// page is started too (src/app/first-rows.ts): taken only if the list builds the same path again.
(function () {
  if (!/(?:^|;\s*)crm_csrf=/.test(document.cookie)) return;
  var stored = null;
  var remembered = null;
  try {
    stored = localStorage.getItem('crm.locale');
    if (/^\/o\/[^/]+\/?$/.test(location.pathname)) remembered = JSON.parse(localStorage.getItem('crm.firstRows') || '{}')[location.pathname + location.search];
  } catch (error) {
    remembered = null;
  }
  var locale = stored === 'en' || stored === 'zh-CN' ? stored : navigator.language.toLowerCase().indexOf('zh') === 0 ? 'zh-CN' : 'en';
  var paths = ['/api/auth/me', '/api/meta/client'];
  if (typeof remembered === 'string' && remembered.indexOf('/api/records/') === 0) paths.push(remembered);
  var early = {};
  paths.forEach(function (path) {
    early[path] = fetch(path, { method: 'GET', headers: { 'Accept-Language': locale }, credentials: 'same-origin' });
    // Not an unhandled rejection while nobody took it yet; the client sends a failed one again.
    early[path].catch(function () {});
  });
  window.crmEarlyFetch = early;
})();
