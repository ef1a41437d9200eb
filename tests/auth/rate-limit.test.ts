import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPasswordUser, postJson, startAuthTestServer, type AuthTestServer } from './auth-http-support';

describe('sign-in rate limiting over real HTTP', () => {
  let server: AuthTestServer;
  let limited: AuthTestServer;

  beforeAll(async () => {
    server = await startAuthTestServer({ auth: { secureCookies: false } });
    limited = await startAuthTestServer({ auth: { signInRateLimit: { perIp: 3, perEmail: 100, windowMs: 60_000 } } });
  });
  afterAll(async () => {
    await server?.close();
    await limited?.close();
  });

  it('allows 10 attempts per email in 5 minutes, then answers 429 rate_limited with Retry-After', async () => {
    const user = await createPasswordUser(server.engine);
    for (let i = 0; i < 10; i += 1) {
      const response = await postJson(`${server.base}/api/auth/sign-in`, { email: user.email, password: `wrong guess ${i}` });
      expect(response.status).toBe(401);
    }
    const blocked = await postJson(`${server.base}/api/auth/sign-in`, { email: user.email.toUpperCase(), password: user.password });
    expect(blocked.status).toBe(429);
    const retryAfter = Number(blocked.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(200);
    expect(retryAfter).toBeLessThanOrEqual(300);
    const body = (await blocked.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('rate_limited');
    expect(body.error.message).toBe(`Too many attempts; retry in ${retryAfter} seconds`);

    // Another account from the same address is not affected by this one's limit.
    const other = await createPasswordUser(server.engine);
    expect((await postJson(`${server.base}/api/auth/sign-in`, { email: other.email, password: other.password })).status).toBe(200);
  });

  it('limits attempts per client address across emails', async () => {
    const user = await createPasswordUser(limited.engine);
    for (let i = 0; i < 3; i += 1) {
      expect((await postJson(`${limited.base}/api/auth/sign-in`, { email: `someone${i}@example.com`, password: 'guess guess' })).status).toBe(401);
    }
    const blocked = await postJson(`${limited.base}/api/auth/sign-in`, { email: user.email, password: user.password });
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('marks cookies Secure unless secureCookies is false', async () => {
    const user = await createPasswordUser(server.engine);
    const response = await postJson(`${server.base}/api/auth/sign-in`, { email: user.email, password: user.password });
    expect(response.status).toBe(200);
    for (const cookie of response.headers.getSetCookie()) expect(cookie.toLowerCase()).not.toContain('secure');
  });
});
