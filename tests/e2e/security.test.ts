import { expect, it } from 'vitest';
import { ADMIN, describeE2e, openPage, signInByApi, signInThroughForm, useE2eSession } from './support';

/**
 * The runtime UI under its Content-Security-Policy (script-src 'self', frame-ancestors 'none'),
 * and values and labels rendered as text: markup stored in a record or a label shows as
 * characters and never runs.
 */
const PAYLOAD = '<img src=x onerror="window.__xss=(window.__xss||0)+1">';

describeE2e('security of the runtime UI', () => {
  const e2e = useE2eSession();

  it.each(['/', '/o/opportunity/new'])('serves %s with the policy and without inline script', async (path) => {
    const response = await fetch(`${e2e.server.base}${path}`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const policy = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(policy.split(';').map((part) => { const [name, ...values] = part.trim().split(/\s+/); return [name!, values] as const; }));
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    const html = await response.text();
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attributes, body] of scripts) {
      // The built modules, and the classic script that starts the first API calls (runtime-ui/public/early-fetch.js).
      expect(attributes).toMatch(/\bsrc="\/(assets\/|early-fetch\.js")/);
      expect(body!.trim()).toBe('');
    }
    expect(html).not.toMatch(/\son[a-z]+=/i);
  });

  it('runs every screen under the policy: nothing blocked, eval refused', async () => {
    const target = await openPage(e2e.browser, { language: 'zh-CN' });
    try {
      await target.page.goto(`${e2e.server.base}/`);
      await signInThroughForm(target.page, e2e.server.base, ADMIN);
      for (const path of ['/', '/approvals', '/notifications', '/o/account', '/o/contact', '/o/opportunity', '/o/opportunity/new', '/o/opportunity/board/funnel']) {
        await target.page.goto(`${e2e.server.base}${path}`);
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
    const renamed = await e2e.server.admin.call('PATCH', '/api/meta/objects/contact', { plural_label: { en: PAYLOAD, 'zh-CN': PAYLOAD } });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    const target = await openPage(e2e.browser, { language: 'en' });
    try {
      await signInByApi(target.page, e2e.server.base, ADMIN, '/');
      const link = target.page.locator('a[data-object="contact"]');
      await expect(link.textContent()).resolves.toBe(PAYLOAD);
      expect(await target.page.evaluate(`[window.__xss ?? 0, document.querySelectorAll('img[src="x"]').length]`)).toEqual([0, 0]);
      target.problems.assertNone();
    } finally {
      await target.close();
      await e2e.server.admin.call('PATCH', '/api/meta/objects/contact', { plural_label: { en: 'Contacts', 'zh-CN': '联系人' } });
    }
  });

  it('shows markup stored in a record title and a field label as text on the list and the record page, and nothing runs', async () => {
    const label = await e2e.server.admin.call('PATCH', '/api/meta/objects/opportunity/fields/amount', { label: { en: PAYLOAD, 'zh-CN': PAYLOAD } });
    expect(label.status, JSON.stringify(label.body)).toBe(200);
    const account = (await e2e.server.admin.call('GET', '/api/records/account?limit=1')).body.data[0].id as string;
    const created = await e2e.server.admin.call('POST', '/api/records/opportunity', { title: PAYLOAD.slice(0, 60), account, description: PAYLOAD });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const title = created.body.title as string;
    const target = await openPage(e2e.browser, { language: 'en' });
    try {
      for (const path of ['/o/opportunity', `/o/opportunity/${created.body.id}`]) {
        await signInByApi(target.page, e2e.server.base, ADMIN, path);
        await expect.poll(() => target.page.getByText(title, { exact: false }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
        await expect.poll(() => target.page.getByText(PAYLOAD, { exact: false }).count(), { timeout: 15_000 }).toBeGreaterThan(0);
        expect(await target.page.evaluate(`[window.__xss ?? 0, document.querySelectorAll('img[src="x"]').length]`), path).toEqual([0, 0]);
      }
      target.problems.assertNone();
    } finally {
      await target.close();
    }
  });
});
