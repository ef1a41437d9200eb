import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { expectCrmError, useTestEngine } from '../testing';
import { createUserWithPassword } from '../testing/auth-test-support';

const harness = useTestEngine();

describe('signIn', () => {
  it('opens a session for the right email and password (email case and spaces do not matter)', async () => {
    const { engine } = harness();
    const { user, email, password } = await createUserWithPassword(engine);
    const result = await engine.auth.signIn(`  ${email.toUpperCase()} `, password, { ip: '127.0.0.1', userAgent: 'vitest' });
    expect(result.user).toEqual({ id: user.id, name: user.name, email });
    expect(result.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(result.session).toMatchObject({ userId: user.id, csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(JSON.stringify(result)).not.toContain(password);

    const row = await engine.database.db.selectFrom('crm_meta.sessions').selectAll().where('id', '=', result.session.sessionId).executeTakeFirstOrThrow();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toBe(result.token);
    expect(row).toMatchObject({ user_id: user.id, ip: '127.0.0.1', user_agent: 'vitest', expires_at: result.session.expiresAt });
    // Default lifetime: 12 hours from now.
    const lifetime = Date.parse(result.session.expiresAt) - Date.now();
    expect(lifetime).toBeGreaterThan(12 * 3600_000 - 60_000);
    expect(lifetime).toBeLessThanOrEqual(12 * 3600_000);
  });

  it('fails alike for an unknown email, a wrong password, an inactive user and a user without password', async () => {
    const { engine } = harness();
    const active = await createUserWithPassword(engine);
    const inactive = await createUserWithPassword(engine);
    await engine.users.update(systemActor, inactive.user.id, { active: false });
    const noPassword = await engine.users.create(systemActor, { name: 'No Password', email: 'nopassword@example.com' });

    const attempts: [string, string][] = [
      ['nobody@example.com', active.password],
      [active.email, 'wrong password!'],
      [inactive.email, inactive.password],
      [noPassword.email!, 'any password at all'],
      ['', ''],
      [active.email, active.password + 'x'.repeat(2000)],
    ];
    for (const [email, password] of attempts) {
      const error = await expectCrmError(engine.auth.signIn(email, password), 'invalid_credentials');
      expect(error.status).toBe(401);
      expect(error.message).toBe('The email or password is not correct');
    }
  });

  it('takes about as long for an unknown email as for a wrong password (no user enumeration by timing)', async () => {
    const { engine } = harness();
    const { email } = await createUserWithPassword(engine);
    const time = async (address: string) => {
      const started = performance.now();
      await engine.auth.signIn(address, 'wrong password!').catch(() => {});
      return performance.now() - started;
    };
    await time('warm-up@example.com');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i += 1) {
      known.push(await time(email));
      unknown.push(await time(`nobody${i}@example.com`));
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[2]!;
    // Both are dominated by one argon2 verification (tens of ms); a skipped hash would be ~1 ms.
    expect(median(unknown)).toBeGreaterThan(median(known) * 0.3);
  });
});
