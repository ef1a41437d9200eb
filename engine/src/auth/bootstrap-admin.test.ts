import { describe, expect, it } from 'vitest';
import { systemActor } from '../actors';
import { createEngine } from '../engine';
import { createTestDatabase, expectCrmError, useTestEngine } from '../testing';

const harness = useTestEngine();

describe('bootstrapAdmin', () => {
  it('refuses a password below the policy and an invalid email, creating nothing', async () => {
    const { engine } = harness();
    await expectCrmError(engine.auth.bootstrapAdmin({ password: 'short' }), 'validation_failed');
    await expectCrmError(engine.auth.bootstrapAdmin({ email: 'not an email' }), 'validation_failed');
    expect(await engine.database.db.selectFrom('crm_meta.credentials').select('user_id').execute()).toEqual([]);
  });

  it('creates an Administrator with a generated password once, then does nothing', async () => {
    const { engine } = harness();
    const first = await engine.auth.bootstrapAdmin({ email: '', password: '' });
    if (!first.created) throw new Error('expected an administrator');
    expect(first).toEqual({ created: true, email: 'admin@localhost', password: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), generated: true });
    const signedIn = await engine.auth.signIn('admin@localhost', first.password);
    expect(signedIn.user).toMatchObject({ name: 'Administrator', email: 'admin@localhost' });

    expect(await engine.auth.bootstrapAdmin({})).toEqual({ created: false });
    expect(await engine.auth.bootstrapAdmin({ email: 'else@example.com', password: 'another password' })).toEqual({ created: false });
    const admins = (await engine.users.list(systemActor)).filter((u) => u.name === 'Administrator');
    expect(admins).toHaveLength(1);
  });
});

describe('bootstrapAdmin on a fresh database', () => {
  it('uses the given email and password and adopts an existing user with that email', async () => {
    const database = await createTestDatabase();
    const engine = await createEngine(database.options);
    try {
      const existing = await engine.users.create(systemActor, { name: 'Grace', email: 'Grace@Example.com', active: false });
      const result = await engine.auth.bootstrapAdmin({ email: 'grace@example.com', password: 'given password 123' });
      expect(result).toEqual({ created: true, email: 'grace@example.com', password: 'given password 123', generated: false });
      const { user } = await engine.auth.signIn('grace@example.com', 'given password 123');
      expect(user.id).toBe(existing.id);
      expect((await engine.users.get(systemActor, existing.id)).active).toBe(true);
    } finally {
      await engine.close();
      await database.drop();
    }
  });

  it('creates exactly one administrator when processes start at once', async () => {
    const database = await createTestDatabase();
    // PostgreSQL: separate engines, as separate processes would be. PGlite: one engine, concurrent calls.
    const engines = [await createEngine(database.options)];
    if (database.kind === 'postgres') engines.push(await createEngine(database.options), await createEngine(database.options));
    try {
      const calls = Array.from({ length: 4 }, (_, i) => engines[i % engines.length]!.auth.bootstrapAdmin({}));
      const results = await Promise.all(calls);
      expect(results.filter((r) => r.created)).toHaveLength(1);
      const credentials = await engines[0]!.database.db.selectFrom('crm_meta.credentials').select('user_id').execute();
      expect(credentials).toHaveLength(1);
      const admins = (await engines[0]!.users.list(systemActor)).filter((u) => u.email === 'admin@localhost');
      expect(admins).toHaveLength(1);
    } finally {
      for (const engine of engines) await engine.close();
      await database.drop();
    }
  });
});
