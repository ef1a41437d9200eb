import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ADMIN, describeE2e, launchBrowser, openPage, signInByApi, signInThroughForm, startE2eServer, type E2eServer } from './support';

/**
 * The runtime UI under its Content-Security-Policy (script-src 'self', frame-ancestors 'none'),
 * and values and labels rendered as text: markup stored in a record or a label shows as
 * characters and never runs.
 */
const PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';

describeE2e('security of the runtime UI', () => {
  let server: E2eServer;
  let browser: Browser;
  beforeAll(async () => {
    [server, browser] = await Promise.all([startE2eServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it.each(['/', '/o/opportunity/new'])('serves %s with the policy and without inline script', async (path) => {
    const response = await fetch(`${server.base}${path}`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(policy.split(';').map((part) => { const [name, ...values] = part.trim().split(/\s+/); return [name!, values] as const; }));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      expect(attributes).toMatch(/\bsrc="\/assets\//);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('runs every screen under the policy: nothing blocked, eval refused', async () => {
    const target = await openPage(browser, { language: 'zh-CN' });
    try {
      await target.page.goto(`${server.base}/`);
      await signInThroughForm(target.page, server.base, ADMIN);
      for (const path of ['/', '/approvals', '/notifications', '/o/account', '/o/contact', '/o/opportunity', '/o/opportunity/new', '/o/opportunity/board/funnel']) {
        await target.page.goto(`${server.base}${path}`);
        await target.page.locator('.shell__header').waitFor();
        await target.page.waitForLoadState('networkidle');
      }
      // The page's own code may not turn strings into code (rules arrive as generated modules).
      // (Code the test evaluates directly is exempt from the policy, so the attempt runs from a timer.)
      await target.page.evaluate(`setTimeout(() => { try { window.__evalOutcome = String(new Function('return 1 + 1')()); } catch (error) { window.__evalOutcome = error.name; } }, 0)`);
      await target.page.waitForFunction('window.__evalOutcome !== undefined');
      expect(await target.page.evaluate('window.__evalOutcome')).toBe('EvalError');
      target.problems.allow(/CSP violation: script-src blocked eval/);
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  });

  it('shows markup stored in a label as text in the navigation, and nothing runs', async () => {
    const renamed = await server.admin.call('PATCH', '/api/meta/objects/contact', { plural_label: { en: PAYLOAD, 'zh-CN': PAYLOAD } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    const target = await openPage(browser, { language: 'en' });
    try {
      await signInByApi(target.page, server.base, ADMIN, '/');
      const link = target.page.locator('a[data-object="contact"]');
      await expect(link.textContent()).resolves.toBe(PAYLOAD);
      expect(await target.page.evaluate(`[window.__xss ?? 0, document.querySelectorAll('img[src="x"]').length]`)).toEqual([0, 0]);
      target.problems.assertNone();
    } finally {
      await target.close();
      await server.admin.call('PATCH', '/api/meta/objects/contact', { plural_label: { en: 'Contacts', 'zh-CN': '联系人' } });
    }
  });

  it.todo('shows markup stored in a record title and a field label as text on the list and the record page (list and page screens not merged yet)');
});
