import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { expectCrmError, useTestEngine } from '../testing';
import { AuthService } from './auth-service';
import { createUserWithPassword, eventually } from '../testing/auth-test-support';

// last_used_at is written in the background after the first use: it may not be there yet.
const usedAtOrNull = expect.toSatisfy((value: unknown) => value === null || typeof value === 'string');

const harness = useTestEngine();

async function newUser() {
  const { engine } = harness();
  const { user } = await createUserWithPassword(engine);
  return { engine, user, actor: userActor(user.id) };
}

describe('API tokens', () => {
  it('creates a token for the actor and shows the raw token only once', async () => {
    const { engine, user, actor } = await newUser();
    const created = await engine.auth.createToken(actor, { name: '  CI deploy  ' });
    expect(created).toEqual({
      id: expect.any(String),
      name: 'CI deploy',
      token: expect.stringMatching(/^crm_[A-Za-z0-9_-]{43}$/),
      prefix: created.token.slice(0, 12),
      created_at: expect.any(String),
      expires_at: null,
      scopes: null,
    });
    expect(await engine.auth.authenticateToken(created.token)).toEqual({ tokenId: created.id, userId: user.id });

    const row = await engine.database.db.selectFrom('crm_meta.api_tokens').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(created.token);

    const listed = await engine.auth.listTokens(actor);
    expect(listed).toEqual([{ id: created.id, name: 'CI deploy', prefix: created.prefix, created_at: created.created_at, expires_at: null, last_used_at: usedAtOrNull, scopes: null }]);
    expect(JSON.stringify(listed)).not.toContain(created.token.slice(12));
    expect(Object.keys(listed[0]!)).not.toContain('token_hash');
  });

  it('lists only the actor\'s own live tokens, newest first', async () => {
    const { engine, actor } = await newUser();
    const other = await newUser();
    const first = await engine.auth.createToken(actor, { name: 'first' });
    const second = await engine.auth.createToken(actor, { name: 'second' });
    const revoked = await engine.auth.createToken(actor, { name: 'revoked' });
    await engine.auth.createToken(other.actor, { name: 'not mine' });
    await engine.auth.revokeToken(actor, revoked.id);
    expect((await engine.auth.listTokens(actor)).map((t) => t.id)).toEqual([second.id, first.id]);
  });

  it('validates the name and expiry', async () => {
    const { engine, actor } = await newUser();
    const missing = await expectCrmError(engine.auth.createToken(actor, { name: ' ' }), 'validation_failed');
    expect(missing.fields.map((f) => [f.path, f.code])).toEqual([['name', 'required']]);
    const bad = await expectCrmError(engine.auth.createToken(actor, { name: 'x', expires_at: 'tomorrow' }), 'validation_failed');
    expect(bad.fields.map((f) => [f.path, f.code])).toEqual([['expires_at', 'format']]);
    const past = await expectCrmError(engine.auth.createToken(actor, { name: 'x', expires_at: '2000-01-01T00:00:00Z' }), 'validation_failed');
    expect(past.fields.map((f) => [f.path, f.code])).toEqual([['expires_at', 'invalid']]);
    const extra = await expectCrmError(engine.auth.createToken(actor, { name: 'x', scope: 'all' } as never), 'validation_failed');
    expect(extra.fields.map((f) => [f.path, f.code])).toEqual([['scope', 'unknown_field']]);
  });

  it('refuses tokens for the system actor and for unknown users', async () => {
    const { engine } = harness();
    const error = await expectCrmError(engine.auth.createToken(systemActor, { name: 'x' }), 'validation_failed');
    expect(error.message).toContain('the system actor cannot own one');
    await expectCrmError(engine.auth.listTokens(systemActor), 'validation_failed');
    await expectCrmError(engine.auth.createToken(userActor('01890000-0000-7000-8000-000000000000'), { name: 'x' }), 'actor_invalid');
  });

  it('expires tokens at their expires_at, checked on every call', async () => {
    const { engine, actor } = await newUser();
    let clock = Date.now();
    const auth = new AuthService(engine.database, { now: () => clock });
    const created = await auth.createToken(actor, { name: 'short-lived', expires_at: new Date(clock + 60_000).toISOString() });
    expect(created.expires_at).toBe(new Date(clock + 60_000).toISOString());
    expect(await auth.authenticateToken(created.token)).not.toBeNull();
    clock += 59_000;
    expect(await auth.authenticateToken(created.token)).not.toBeNull();
    clock += 1_000;
    expect(await auth.authenticateToken(created.token)).toBeNull();
    expect(await new AuthService(engine.database, { now: () => clock }).authenticateToken(created.token)).toBeNull();
    await auth.stop();
  });

  it('knownToken answers without a promise what authenticateToken would, once the token is cached', async () => {
    const { engine, user, actor } = await newUser();
    let clock = Date.now();
    const auth = new AuthService(engine.database, { now: () => clock });
    const created = await auth.createToken(actor, { name: 'hot path', expires_at: new Date(clock + 60_000).toISOString() });
    // Not in memory yet: only the database can tell.
    expect(auth.knownToken(created.token)).toBeUndefined();
    expect(await auth.authenticateToken(created.token)).toEqual({ tokenId: created.id, userId: user.id });
    expect(auth.knownToken(created.token)).toEqual({ tokenId: created.id, userId: user.id });
    // The shape alone rules these out; an unknown well-shaped token is remembered as rejected after one lookup.
    expect(auth.knownToken('not a token')).toBeNull();
    const unknown = `crm_${'A'.repeat(43)}`;
    expect(auth.knownToken(unknown)).toBeUndefined();
    expect(await auth.authenticateToken(unknown)).toBeNull();
    expect(auth.knownToken(unknown)).toBeNull();
    // Expiry is checked on every use, from memory too.
    clock += 60_000;
    expect(auth.knownToken(created.token)).toBeNull();
    expect(await auth.authenticateToken(created.token)).toBeNull();
    await auth.stop();
  });

  it('knownToken forgets a revoked token at once', async () => {
    const { engine, actor } = await newUser();
    const created = await engine.auth.createToken(actor, { name: 'to revoke' });
    await engine.auth.authenticateToken(created.token);
    expect(engine.auth.knownToken(created.token)).not.toBeNull();
    await engine.auth.revokeToken(actor, created.id);
    expect(engine.auth.knownToken(created.token) ?? (await engine.auth.authenticateToken(created.token))).toBeNull();
  });

  it('rejects a revoked token at once; only the owner can revoke; unknown ids are token_not_found', async () => {
    const { engine, actor } = await newUser();
    const stranger = await newUser();
    const created = await engine.auth.createToken(actor, { name: 'to revoke' });
    expect(await engine.auth.authenticateToken(created.token)).not.toBeNull(); // cached now

    await expectCrmError(engine.auth.revokeToken(stranger.actor, created.id), 'token_not_found');
    expect(await engine.auth.authenticateToken(created.token)).not.toBeNull();

    await engine.auth.revokeToken(actor, created.id);
    expect(await engine.auth.authenticateToken(created.token)).toBeNull();
    await expectCrmError(engine.auth.revokeToken(actor, created.id), 'token_not_found');
    const error = await expectCrmError(engine.auth.revokeToken(actor, 'not-a-uuid'), 'token_not_found');
    expect(error.status).toBe(404);
  });

  it('rejects unknown and malformed tokens', async () => {
    const { engine } = harness();
    for (const raw of ['', 'crm_', 'crm_' + 'a'.repeat(42), 'Bearer crm_x', 'crm_' + 'a'.repeat(43)]) {
      expect(await engine.auth.authenticateToken(raw)).toBeNull();
      expect(await engine.auth.authenticateToken(raw)).toBeNull(); // second time from the rejected cache
    }
  });

  it('stops a deactivated user\'s tokens at once and restores them on reactivation', async () => {
    const { engine, user, actor } = await newUser();
    const created = await engine.auth.createToken(actor, { name: 'ci' });
    expect(await engine.auth.authenticateToken(created.token)).not.toBeNull();
    await engine.users.update(systemActor, user.id, { active: false });
    expect(await engine.auth.authenticateToken(created.token)).toBeNull();
    await engine.users.update(systemActor, user.id, { name: 'Renamed' });
    expect(await engine.auth.authenticateToken(created.token)).toBeNull();
    await engine.users.update(systemActor, user.id, { active: true });
    expect(await engine.auth.authenticateToken(created.token)).not.toBeNull();
  });

  it('records last_used_at at most once a minute per token', async () => {
    const { engine, actor } = await newUser();
    let clock = Date.now();
    const auth = new AuthService(engine.database, { now: () => clock });
    const created = await auth.createToken(actor, { name: 'busy' });
    const lastUsed = async () => {
      await auth.stop();
      return (await engine.database.db.selectFrom('crm_meta.api_tokens').select('last_used_at').where('id', '=', created.id).executeTakeFirstOrThrow()).last_used_at;
    };
    await auth.authenticateToken(created.token);
    const first = await lastUsed();
    expect(first).toBe(new Date(clock).toISOString());
    clock += 59_000;
    for (let i = 0; i < 5; i += 1) await auth.authenticateToken(created.token);
    expect(await lastUsed()).toBe(first);
    clock += 1_000;
    await auth.authenticateToken(created.token);
    expect(await lastUsed()).toBe(new Date(clock).toISOString());
  });

  it('answers from memory: a cached token needs no query', async () => {
    const { engine, actor } = await newUser();
    const created = await engine.auth.createToken(actor, { name: 'hot' });
    let queries = 0;
    const counting = engine.database.db.withPlugin({
      transformQuery: (args) => {
        queries += 1;
        return args.node;
      },
      transformResult: async (args) => args.result,
    });
    const auth = new AuthService({ ...engine.database, db: counting });
    await auth.authenticateToken(created.token);
    const afterFirst = queries;
    expect(afterFirst).toBeGreaterThanOrEqual(1);
    await Promise.all(Array.from({ length: 100 }, () => auth.authenticateToken(created.token)));
    expect(queries).toBe(afterFirst);
    await auth.stop();
  });
});

describe('API tokens across processes (PostgreSQL)', () => {
  it('rejects a token revoked in one process in another within a second', async (context) => {
    const { engine, database, openAnother } = harness();
    if (database.kind !== 'postgres') return context.skip('a second process needs PostgreSQL (PGlite is one process; its listener is in-process)');
    const other = await openAnother();
    const { actor } = await newUser();
    const created = await engine.auth.createToken(actor, { name: 'shared' });
    expect(await other.auth.authenticateToken(created.token)).not.toBeNull(); // cached in B
    const revokedAt = Date.now();
    await engine.auth.revokeToken(actor, created.id);
    expect(await eventually(async () => (await other.auth.authenticateToken(created.token)) === null, 1000)).toBe(true);
    expect(Date.now() - revokedAt).toBeLessThan(1000);
  });

  it('rejects a user deactivated in one process in another within a second', async (context) => {
    const { engine, database, openAnother } = harness();
    if (database.kind !== 'postgres') return context.skip('a second process needs PostgreSQL (PGlite is one process; its listener is in-process)');
    const other = await openAnother();
    const { user, actor } = await newUser();
    const created = await engine.auth.createToken(actor, { name: 'shared' });
    expect(await other.auth.authenticateToken(created.token)).not.toBeNull();
    await engine.users.update(systemActor, user.id, { active: false });
    expect(await eventually(async () => (await other.auth.authenticateToken(created.token)) === null, 1000)).toBe(true);
  });
});
