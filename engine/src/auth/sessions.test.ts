import type { KyselyPlugin } from 'kysely';
import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { useTestEngine } from '../testing';
import { AuthService } from './auth-service';
import { createUserWithPassword, eventually } from '../testing/auth-test-support';

const harness = useTestEngine();

describe('sessions', () => {
  it('authenticates a session token until sign-out, everywhere in the process', async () => {
    const { engine } = harness();
    const { user, email, password } = await createUserWithPassword(engine);
    const { token, session } = await engine.auth.signIn(email, password);
    expect(await engine.auth.authenticateSession(token)).toEqual(session);
    expect(session.userId).toBe(user.id);

    await engine.auth.signOut(token);
    expect(await engine.auth.authenticateSession(token)).toBeNull();
    expect(await engine.database.db.selectFrom('crm_meta.sessions').select('id').where('id', '=', session.sessionId).executeTakeFirst()).toBeUndefined();
    await engine.auth.signOut(token); // signing out twice is harmless
  });

  it('refuses tokens that are not session tokens without looking them up', async () => {
    const { engine } = harness();
    for (const raw of ['', 'short', 'crm_' + 'a'.repeat(43), 'a'.repeat(44), undefined as unknown as string]) {
      expect(await engine.auth.authenticateSession(raw)).toBeNull();
    }
    expect(await engine.auth.authenticateSession('A'.repeat(43))).toBeNull();
  });

  it('expires at a fixed time after sign-in, however much it is used (checked on every call)', async () => {
    const { engine } = harness();
    let clock = Date.now();
    const auth = new AuthService(engine.database, { now: () => clock, sessionLifetimeMs: 60 * 60_000 });
    const { email, password } = await createUserWithPassword(engine);
    const { token, session } = await auth.signIn(email, password);
    expect(Date.parse(session.expiresAt)).toBe(clock + 60 * 60_000);

    clock += 59 * 60_000;
    expect(await auth.authenticateSession(token)).not.toBeNull();
    clock += 60_000;
    expect(await auth.authenticateSession(token)).toBeNull();
    // Also refused by a process that never cached it.
    const other = new AuthService(engine.database, { now: () => clock });
    expect(await other.authenticateSession(token)).toBeNull();
    await auth.stop();
  });

  it('records last_seen_at at most once a minute, without waiting for it', async () => {
    const { engine } = harness();
    let clock = Date.now() + 5 * 60_000;
    const auth = new AuthService(engine.database, { now: () => clock });
    const { email, password } = await createUserWithPassword(engine);
    const { token, session } = await auth.signIn(email, password);
    const lastSeen = async () =>
      (await engine.database.db.selectFrom('crm_meta.sessions').select('last_seen_at').where('id', '=', session.sessionId).executeTakeFirstOrThrow()).last_seen_at;
    const signedInAt = await lastSeen();

    clock += 30_000;
    await auth.authenticateSession(token);
    await auth.stop(); // flushes background writes
    expect(await lastSeen()).toBe(signedInAt);

    clock += 31_000;
    await auth.authenticateSession(token);
    await auth.stop();
    expect(await lastSeen()).toBe(new Date(clock).toISOString());
  });

  it('reports a failed last-use write to onBackgroundError and still authenticates', async () => {
    const { engine } = harness();
    const { email, password } = await createUserWithPassword(engine);
    const { token, session } = await engine.auth.signIn(email, password);
    const errors: unknown[] = [];
    const failingUpdates: KyselyPlugin = {
      transformQuery(args) {
        if (args.node.kind === 'UpdateQueryNode') throw new Error('disk full');
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const auth = new AuthService(
      { ...engine.database, db: engine.database.db.withPlugin(failingUpdates) },
      { now: () => Date.now() + 2 * 60_000, onBackgroundError: (error) => errors.push(error) },
    );
    expect(await auth.authenticateSession(token)).toEqual(session);
    await auth.stop();
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('disk full');
  });

  it('stops a deactivated user\'s session at once and lets it work again after reactivation', async () => {
    const { engine } = harness();
    const { user, email, password } = await createUserWithPassword(engine);
    const { token } = await engine.auth.signIn(email, password);
    expect(await engine.auth.authenticateSession(token)).not.toBeNull();

    await engine.users.update(systemActor, user.id, { active: false });
    expect(await engine.auth.authenticateSession(token)).toBeNull();
    await engine.users.update(systemActor, user.id, { active: true });
    expect(await engine.auth.authenticateSession(token)).not.toBeNull();
  });

  it('ends a session in another process at once (PostgreSQL)', async (context) => {
    const { engine, database, openAnother } = harness();
    if (database.kind !== 'postgres') return context.skip('a second process needs PostgreSQL (PGlite is one process)');
    const other = await openAnother();
    const { email, password } = await createUserWithPassword(engine);
    const { token } = await engine.auth.signIn(email, password);
    expect(await other.auth.authenticateSession(token)).not.toBeNull(); // now cached there
    await engine.auth.signOut(token);
    expect(await eventually(async () => (await other.auth.authenticateSession(token)) === null, 1000)).toBe(true);
  });
});
