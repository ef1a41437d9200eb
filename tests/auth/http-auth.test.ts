import { systemActor, userActor } from '@crm/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cookieHeaderFrom, createPasswordUser, postJson, setCookie, startAuthTestServer, type AuthTestServer } from './auth-http-support';

// last_used_at is written in the background after the first use: it may not be there yet.
const usedAtOrNull = expect.toSatisfy((value: unknown) => value === null || typeof value === 'string');

describe('authentication over real HTTP', () => {
  let server: AuthTestServer;
  const url = (path: string) => `${server.base}${path}`;

  beforeAll(async () => {
    // Sign-ins from one loopback address across the whole file: keep the address limit out of the way.
    server = await startAuthTestServer({ auth: { signInRateLimit: { perIp: 1000 } } });
  });
  afterAll(async () => {
    await server?.close();
  });

  async function signIn(user: { email: string; password: string }) {
    const response = await postJson(url('/api/auth/sign-in'), { email: user.email, password: user.password });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { csrf_token: string; expires_at: string; user: { id: string } };
    return { response, body, cookie: cookieHeaderFrom(response), csrf: body.csrf_token };
  }

  describe('without credentials', () => {
    it.each([
      ['GET', '/api/meta/objects'],
      ['POST', '/api/meta/objects'],
      ['GET', '/api/records/x'],
      ['POST', '/api/records/x'],
      ['GET', '/api/auth/me'],
      ['GET', '/api/auth/tokens'],
      ['POST', '/api/auth/sign-out'],
    ])('%s %s is 401 unauthenticated in the one error shape', async (method, path) => {
      const response = await fetch(url(path), { method, headers: { 'content-type': 'application/json' }, body: method === 'POST' ? '{}' : undefined });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="crm"');
      expect(await response.json()).toEqual({ error: { code: 'unauthenticated', message: 'Sign in or send a valid API token', fields: [] } });
    });

    it('answers in the caller\'s language', async () => {
      const response = await fetch(url('/api/meta/objects'), { headers: { 'accept-language': 'zh-CN' } });
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe('请登录或提供有效的 API 令牌');
    });

    it('leaves health, readiness, the API description and unknown paths public', async () => {
      expect((await fetch(url('/healthz'))).status).toBe(200);
      expect((await fetch(url('/readyz'))).status).toBe(200);
      for (const path of ['/api/openapi.json', '/api/docs', '/api/docs/', '/api/nothing-here']) {
        expect([200, 301, 302, 404]).toContain((await fetch(url(path), { redirect: 'manual' })).status);
      }
      expect((await fetch(url('/api/nothing-here'))).status).toBe(404);
    });

    it('refuses a wrong or malformed bearer token, even next to a valid session cookie', async () => {
      const user = await createPasswordUser(server.engine);
      const { cookie } = await signIn(user);
      for (const authorization of ['Bearer crm_' + 'x'.repeat(43), 'Bearer', 'Basic dXNlcjpwYXNz', 'crm_abc']) {
        const response = await fetch(url('/api/auth/me'), { headers: { authorization, cookie } });
        expect(response.status).toBe(401);
      }
    });
  });

  describe('browser sessions', () => {
    it('signs in with the session and CSRF cookies and their flags', async () => {
      const user = await createPasswordUser(server.engine);
      const { response, body } = await signIn(user);
      expect(body).toEqual({ user: { id: user.id, name: expect.any(String), email: user.email }, csrf_token: expect.any(String), expires_at: expect.any(String) });
      const session = setCookie(response, 'crm_session')!;
      const csrf = setCookie(response, 'crm_csrf')!;
      expect(session.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.attributes).toEqual(expect.arrayContaining(['httponly', 'secure', 'samesite=lax', 'path=/']));
      expect(session.attributes.some((a) => a.startsWith('expires='))).toBe(true);
      expect(new Date(session.attributes.find((a) => a.startsWith('expires='))!.slice(8)).getTime()).toBe(Math.floor(Date.parse(body.expires_at) / 1000) * 1000);
      expect(csrf.value).toBe(body.csrf_token);
      expect(csrf.attributes).toEqual(expect.arrayContaining(['secure', 'samesite=lax', 'path=/']));
      expect(csrf.attributes).not.toContain('httponly');
      expect(JSON.stringify(body)).not.toContain(user.password);
    });

    it('refuses wrong credentials with 401 invalid_credentials and malformed input with 400', async () => {
      const user = await createPasswordUser(server.engine);
      const wrong = await postJson(url('/api/auth/sign-in'), { email: user.email, password: 'not the password' });
      expect(wrong.status).toBe(401);
      expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe('invalid_credentials');
      expect(wrong.headers.getSetCookie()).toEqual([]);
      const malformed = await postJson(url('/api/auth/sign-in'), { email: 42 });
      expect(malformed.status).toBe(400);
      expect(((await malformed.json()) as { error: { fields: { path: string }[] } }).error.fields.map((f) => f.path)).toEqual(['email', 'password']);
    });

    it('authenticates reads with the cookie alone', async () => {
      const user = await createPasswordUser(server.engine);
      const { cookie } = await signIn(user);
      const me = await fetch(url('/api/auth/me'), { headers: { cookie } });
      expect(me.status).toBe(200);
      expect(await me.json()).toEqual({ user: { id: user.id, name: expect.any(String), email: user.email }, auth: { kind: 'session' } });
      expect((await fetch(url('/api/meta/objects'), { headers: { cookie } })).status).toBe(200);
    });

    it('refuses cookie-authenticated writes without the matching X-CSRF-Token (403 csrf_failed)', async () => {
      const user = await createPasswordUser(server.engine);
      const { cookie, csrf } = await signIn(user);
      const attempts: Record<string, string>[] = [{ cookie }, { cookie, 'x-csrf-token': 'wrong' }, { cookie, 'x-csrf-token': csrf.slice(1) + 'A' }];
      for (const headers of attempts) {
        for (const [method, path] of [['POST', '/api/records/x'], ['PATCH', '/api/meta/objects/x'], ['DELETE', '/api/auth/tokens/x'], ['POST', '/api/auth/sign-out']] as const) {
          const response = await fetch(url(path), { method, headers: { ...headers, 'content-type': 'application/json' }, body: method === 'DELETE' ? undefined : '{}' });
          expect(response.status, `${method} ${path}`).toBe(403);
          expect(((await response.json()) as { error: { code: string } }).error.code).toBe('csrf_failed');
        }
      }
    });

    it('lets cookie-authenticated writes with the CSRF token through to the route', async () => {
      const user = await createPasswordUser(server.engine);
      const { cookie, csrf } = await signIn(user);
      const write = await postJson(url('/api/records/no_such_object'), {}, { cookie, 'x-csrf-token': csrf });
      expect(write.status).toBe(404);
      expect(((await write.json()) as { error: { code: string } }).error.code).toBe('object_not_found');
      const created = await postJson(url('/api/auth/tokens'), { name: 'from the browser' }, { cookie, 'x-csrf-token': csrf });
      expect(created.status).toBe(201);
    });

    it('signs out: 204, cookies cleared, and the old cookie no longer works', async () => {
      const user = await createPasswordUser(server.engine);
      const { cookie, csrf } = await signIn(user);
      const out = await fetch(url('/api/auth/sign-out'), { method: 'POST', headers: { cookie, 'x-csrf-token': csrf } });
      expect(out.status).toBe(204);
      for (const name of ['crm_session', 'crm_csrf']) {
        const cleared = setCookie(out, name)!;
        expect(cleared.value).toBe('');
        expect(cleared.attributes.some((a) => a === 'max-age=0' || a.startsWith('expires=thu, 01 jan 1970'))).toBe(true);
      }
      expect((await fetch(url('/api/auth/me'), { headers: { cookie } })).status).toBe(401);
    });

    it('stops a deactivated user\'s session at once', async () => {
      const user = await createPasswordUser(server.engine);
      const { cookie } = await signIn(user);
      expect((await fetch(url('/api/auth/me'), { headers: { cookie } })).status).toBe(200);
      await server.engine.users.update(systemActor, user.id, { active: false });
      expect((await fetch(url('/api/auth/me'), { headers: { cookie } })).status).toBe(401);
    });
  });

  describe('your own name', () => {
    const patchMe = (body: unknown, headers: Record<string, string>) =>
      fetch(url('/api/auth/me'), { method: 'PATCH', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    it('renames yourself (trimmed, audited), and nothing else about you', async () => {
      const user = await createPasswordUser(server.engine);
      const { cookie, csrf } = await signIn(user);
      const renamed = await patchMe({ name: '  王小明  ' }, { cookie, 'x-csrf-token': csrf });
      expect(renamed.status).toBe(200);
      expect(await renamed.json()).toEqual({ user: { id: user.id, name: '王小明', email: user.email }, auth: { kind: 'session' } });
      expect((await server.engine.users.get(systemActor, user.id)).name).toBe('王小明');
      const audit = await server.engine.audit.list(systemActor, { subject: `user:${user.id}` });
      expect(audit.data[0]).toMatchObject({ actor_id: user.id, details: { before: expect.objectContaining({ name: expect.stringMatching(/^Person /) }), after: expect.objectContaining({ name: '王小明' }) } });

      // E-mail, roles and the rest are an administrator's: refused, and nothing changes.
      const grab = await patchMe({ name: 'Boss', email: 'boss@example.com', roles: ['administrator'] }, { cookie, 'x-csrf-token': csrf, 'accept-language': 'zh-CN' });
      expect(grab.status).toBe(400);
      const refusal = ((await grab.json()) as { error: { code: string; fields: { path: string; code: string }[] } }).error;
      expect(refusal.code).toBe('validation_failed');
      expect(refusal.fields.map((f) => [f.path, f.code])).toEqual([['email', 'unknown_field'], ['roles', 'unknown_field']]);
      for (const name of ['', '   ', 'x'.repeat(201)]) expect((await patchMe({ name }, { cookie, 'x-csrf-token': csrf })).status).toBe(400);
      expect((await patchMe({ name: 'No CSRF' }, { cookie })).status).toBe(403);
      expect(await server.engine.users.get(systemActor, user.id)).toMatchObject({ name: '王小明', email: user.email, roles: [] });
    });
  });

  describe('API tokens', () => {
    it('creates a token shown once, authenticates with it, and needs no CSRF token', async () => {
      const user = await createPasswordUser(server.engine);
      const { cookie, csrf } = await signIn(user);
      const created = await postJson(url('/api/auth/tokens'), { name: 'script', expires_at: null }, { cookie, 'x-csrf-token': csrf });
      expect(created.status).toBe(201);
      const token = (await created.json()) as { id: string; token: string; prefix: string };
      expect(token).toEqual({ id: expect.any(String), name: 'script', token: expect.stringMatching(/^crm_/), prefix: token.token.slice(0, 12), created_at: expect.any(String), expires_at: null, scopes: null });

      const bearer = { authorization: `Bearer ${token.token}` };
      const me = await fetch(url('/api/auth/me'), { headers: bearer });
      expect(await me.json()).toEqual({ user: expect.objectContaining({ id: user.id }), auth: { kind: 'token', token_id: token.id } });
      const write = await postJson(url('/api/records/no_such_object'), {}, bearer);
      expect(write.status).toBe(404); // past authentication, no CSRF needed
      expect((await fetch(url('/api/meta/objects'), { headers: bearer })).status).toBe(200);
    });

    it('lists tokens without their secrets', async () => {
      const user = await createPasswordUser(server.engine);
      const created = await server.engine.auth.createToken(userActor(user.id), { name: 'listed' });
      const response = await fetch(url('/api/auth/tokens'), { headers: { authorization: `Bearer ${created.token}` } });
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).not.toContain(created.token);
      expect(text).not.toContain(created.token.slice(12));
      expect(text).not.toMatch(/token_hash|"token"/);
      expect(JSON.parse(text)).toEqual({ data: [{ id: created.id, name: 'listed', prefix: created.prefix, created_at: created.created_at, expires_at: null, last_used_at: usedAtOrNull, scopes: null }] });
    });

    it('revokes a token: 204, then 401 with it; unknown ids are 404 token_not_found', async () => {
      const user = await createPasswordUser(server.engine);
      const keep = await server.engine.auth.createToken(userActor(user.id), { name: 'keep' });
      const drop = await server.engine.auth.createToken(userActor(user.id), { name: 'drop' });
      const headers = { authorization: `Bearer ${keep.token}` };
      expect((await fetch(url('/api/auth/me'), { headers: { authorization: `Bearer ${drop.token}` } })).status).toBe(200);
      expect((await fetch(url(`/api/auth/tokens/${drop.id}`), { method: 'DELETE', headers })).status).toBe(204);
      expect((await fetch(url('/api/auth/me'), { headers: { authorization: `Bearer ${drop.token}` } })).status).toBe(401);
      const again = await fetch(url(`/api/auth/tokens/${drop.id}`), { method: 'DELETE', headers });
      expect(again.status).toBe(404);
      expect(((await again.json()) as { error: { code: string } }).error.code).toBe('token_not_found');
    });

    it('cannot revoke another user\'s token', async () => {
      const owner = await createPasswordUser(server.engine);
      const other = await createPasswordUser(server.engine);
      const owned = await server.engine.auth.createToken(userActor(owner.id), { name: 'mine' });
      const others = await server.engine.auth.createToken(userActor(other.id), { name: 'theirs' });
      const response = await fetch(url(`/api/auth/tokens/${owned.id}`), { method: 'DELETE', headers: { authorization: `Bearer ${others.token}` } });
      expect(response.status).toBe(404);
      expect((await fetch(url('/api/auth/me'), { headers: { authorization: `Bearer ${owned.token}` } })).status).toBe(200);
    });
  });
});
