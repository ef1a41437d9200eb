import { systemActor, userActor } from '@crm/engine';
import { describe, expect, it } from 'vitest';
import { uniqueName, useTestServer } from '../support/test-server';

const server = useTestServer();

/** An object with a formula, a default, a validation rule and a section condition, each carrying `marker`. */
async function objectWith(marker: string, extraFields: unknown[] = []): Promise<string> {
  const { engine } = server();
  const name = uniqueName('thing');
  await engine.objects.create(systemActor, {
    name,
    label: 'Thing',
    fields: [
      { name: 'title', type: 'text', label: 'Title', max_length: 40 },
      { name: 'qty', type: 'integer', label: 'Qty', default: { '+': [1, 1] } },
      { name: 'label', type: 'formula', label: 'Label', result_type: 'text', expression: { cat: [`${marker}-formula`, { var: 'title' }] } },
      ...extraFields,
    ],
  } as never);
  await engine.validationRules.create(systemActor, name, {
    name: 'title_set',
    condition: { '!=': [{ var: 'title' }, `${marker}-rule`] },
    message: { en: 'No', 'zh-CN': '不' },
  });
  await engine.layouts.create(systemActor, name, {
    name: 'main',
    type: 'form',
    sections: [
      {
        columns: 1,
        fields: [{ field: 'title', visible_when: { '!=': [{ var: 'title' }, `${marker}-shown`] }, read_only_when: { '==': [{ var: 'title' }, `${marker}-locked`] } }],
        visible_when: { '!=': [{ var: 'qty' }, `${marker}-section`] },
      },
    ],
  });
  return name;
}

async function revisionOf(): Promise<number> {
  return (await server().engine.metadata(systemActor)).revision;
}

async function tokenOf(objects: Record<string, unknown>): Promise<string> {
  const { engine } = server();
  const role = uniqueName('role');
  await engine.roles.create(systemActor, { name: role, label: 'Role', objects } as never);
  const user = await engine.users.create(systemActor, { name: uniqueName('user'), roles: [role] });
  return (await engine.auth.createToken(userActor(user.id), { name: 'module test' })).token;
}

async function getModule(path: string, token: string | undefined, headers: Record<string, string> = {}) {
  const response = await fetch(`${server().base}${path}`, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('GET /api/meta/client/modules/<revision>.js', () => {
  it('serves the revision module as JavaScript, cached per revision with an ETag, to signed-in callers only', async () => {
    const { token } = server();
    await objectWith('visible');
    const revision = await revisionOf();
    const path = `/api/meta/client/modules/${revision}.js`;

    const anonymous = await getModule(path, undefined);
    expect(anonymous.status).toBe(401);
    expect(JSON.parse(anonymous.text).error.code).toBe('unauthenticated');

    const served = await getModule(path, token);
    expect(served.status).toBe(200);
    expect(served.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(served.headers.get('cache-control')).toBe('private, max-age=31536000, immutable');
    expect(served.headers.get('x-content-type-options')).toBe('nosniff');
    const etag = served.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    expect(served.text).toContain(`metadata revision ${revision}`);
    expect(served.text).toContain('export default function (runtime)');
    for (const marker of ['visible-formula', 'visible-rule', 'visible-section', 'visible-shown', 'visible-locked']) expect(served.text).toContain(marker);
    expect(served.text).toContain(JSON.stringify(JSON.stringify({ '+': [1, 1] })).slice(1, -1));
    expect(served.text).not.toMatch(/new Function|\beval\(/);

    const again = await getModule(path, token, { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await getModule(path, token, { 'if-none-match': '"other"' })).status).toBe(200);
  });

  it('answers 404 for another revision or a malformed name, and 400 for query parameters', async () => {
    const { token } = server();
    const revision = await revisionOf();
    for (const file of [`${revision + 1}.js`, `${revision - 1}.js`, `${revision}`, `${revision}.mjs`, 'x.js', `0${revision}.js.map`]) {
      const answer = await getModule(`/api/meta/client/modules/${file}`, token);
      expect(answer.status, file).toBe(404);
      expect(JSON.parse(answer.text).error.code).toBe('route_not_found');
    }
    const withQuery = await getModule(`/api/meta/client/modules/${revision}.js?v=1`, token);
    expect(withQuery.status).toBe(400);
    expect(JSON.parse(withQuery.text).error.code).toBe('validation_failed');
  });

  it('holds only what the caller may use: no rules of unreadable objects, no formula or default of a hidden field', async () => {
    const readable = await objectWith('readable', [
      { name: 'secret', type: 'formula', label: 'Secret', result_type: 'text', expression: { cat: ['hidden-formula', { var: 'title' }] } },
      { name: 'note', type: 'text', label: 'Note', default: { cat: ['hidden-default'] }, pattern: '^hidden-pattern' },
    ]);
    const unreadable = await objectWith('unreadable');
    const token = await tokenOf({ [readable]: { read: true, fields: { secret: 'hidden', note: 'hidden' } } });
    const served = await getModule(`/api/meta/client/modules/${await revisionOf()}.js`, token);
    expect(served.status).toBe(200);
    for (const marker of ['readable-formula', 'readable-rule', 'readable-section', 'readable-shown', 'readable-locked']) expect(served.text).toContain(marker);
    for (const marker of ['unreadable-formula', 'unreadable-rule', 'unreadable-section', 'unreadable-shown', 'unreadable-locked', 'hidden-formula', 'hidden-default', 'hidden-pattern']) {
      expect(served.text, marker).not.toContain(marker);
    }
    expect(served.text).not.toContain(unreadable);

    // The administrator's module holds both; the two differ, and so do their ETags.
    const full = await getModule(`/api/meta/client/modules/${await revisionOf()}.js`, server().token);
    for (const marker of ['unreadable-formula', 'hidden-formula', 'hidden-default', 'hidden-pattern']) expect(full.text).toContain(marker);
    expect(full.headers.get('etag')).not.toBe(served.headers.get('etag'));

    // No object at all: a valid module with nothing in it.
    const noAccess = await tokenOf({});
    const nothing = await getModule(`/api/meta/client/modules/${await revisionOf()}.js`, noAccess);
    expect(nothing.status).toBe(200);
    expect(nothing.text).not.toContain('readable-');
  });

  it("gets a new revision, hence a new URL, when a user's roles change (so a revision's URL may be cached as immutable)", async () => {
    const { engine } = server();
    const object = await objectWith('promoted');
    const role = uniqueName('reader');
    await engine.roles.create(systemActor, { name: role, label: 'Reader', objects: { [object]: { read: true } } } as never);
    const user = await engine.users.create(systemActor, { name: uniqueName('user'), roles: [] });
    const { token } = await engine.auth.createToken(userActor(user.id), { name: 'module test' });
    const before = await revisionOf();
    expect((await getModule(`/api/meta/client/modules/${before}.js`, token)).text).not.toContain('promoted-formula');
    await engine.users.update(systemActor, user.id, { roles: [role] });
    const after = await revisionOf();
    expect(after).toBeGreaterThan(before);
    expect((await getModule(`/api/meta/client/modules/${before}.js`, token)).status).toBe(404);
    expect((await getModule(`/api/meta/client/modules/${after}.js`, token)).text).toContain('promoted-formula');
  });
});
