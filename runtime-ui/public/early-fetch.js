// Starts the signed-in user's first API calls while the app's modules download and evaluate: a
// classic script (allowed by script-src 'self'), run as the page is parsed. The app's API client
// takes each response once (src/api/client.ts, earlyResponse); without a session cookie nothing
// is asked. The language is chosen as src/i18n/i18n.ts chooses it, so the answers are the same.
(function () {
  if (!/(?:^|;\s*)crm_csrf=/.test(document.cookie)) return;
  var stored = null;
  try {
    stored = localStorage.getItem('crm.locale');
  } catch (error) {
    stored = null;
  }
  var locale = stored === 'en' || stored === 'zh-CN' ? stored : navigator.language.toLowerCase().indexOf('zh') === 0 ? 'zh-CN' : 'en';
  var early = {};
  ['/api/auth/me', '/api/meta/client'].forEach(function (path) {
    early[path] = fetch(path, { method: 'GET', headers: { 'Accept-Language': locale }, credentials: 'same-origin' });
    // Not an unhandled rejection while nobody took it yet; the client sends a failed one again.
    early[path].catch(function () {});
  });
  window.crmEarlyFetch = early;
})();
