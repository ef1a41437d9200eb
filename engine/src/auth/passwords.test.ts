import { describe, expect, it } from 'vitest';
import { systemActor, userActor } from '../actors';
import { expectCrmError, useTestEngine } from '../testing';
import { createUserWithPassword } from '../testing/auth-test-support';
import { checkPasswordPolicy, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords';

const harness = useTestEngine();

describe('password hashing', () => {
  it('stores an argon2id hash, never the password, with a fresh salt each time', async () => {
    const first = await hashPassword('correct horse battery staple');
    const second = await hashPassword('correct horse battery staple');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toContain('correct horse');
    expect(first).not.toBe(second);
    expect(await verifyPassword(first, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(first, 'correct horse battery stapl')).toBe(false);
  });

  it('reads a malformed stored hash as a wrong password instead of failing', async () => {
    expect(await verifyPassword('not-a-hash', 'whatever')).toBe(false);
  });

  it('keeps the hash in crm_meta.credentials, not the password', async () => {
    const { engine } = harness();
    const { user, password } = await createUserWithPassword(engine);
    const row = await engine.database.db.selectFrom('crm_meta.credentials').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$/);
    expect(row.password_hash).not.toContain(password);
  });

  it('never returns passwords or hashes from user reads', async () => {
    const { engine } = harness();
    const { user } = await createUserWithPassword(engine);
    const read = JSON.stringify([await engine.users.get(systemActor, user.id), await engine.users.list(systemActor)]);
    expect(read).not.toMatch(/argon2|password/i);
  });
});

describe('setPassword', () => {
  it(`refuses passwords shorter than ${MIN_PASSWORD_LENGTH} characters with validation_failed`, async () => {
    const { engine } = harness();
    const { user } = await createUserWithPassword(engine);
    const error = await expectCrmError(engine.auth.setPassword(systemActor, user.id, 'short'), 'validation_failed');
    expect(error.fields).toEqual([{ path: 'password', code: 'min_length', params: { limit: MIN_PASSWORD_LENGTH } }]);
    expect(() => checkPasswordPolicy('x'.repeat(1025))).toThrow();
  });

  it('lets users set their own password only; administrators and the system actor set anyone\'s', async () => {
    const { engine } = harness();
    const ann = await createUserWithPassword(engine);
    const bob = await createUserWithPassword(engine);
    await expectCrmError(engine.auth.setPassword(userActor(ann.user.id), bob.user.id, 'another long password'), 'forbidden');
    const admin = await engine.users.create(systemActor, { name: 'Admin', roles: ['administrator'] });
    await engine.auth.setPassword(userActor(admin.id), bob.user.id, 'set by an administrator');
    await engine.auth.signIn(bob.email, 'set by an administrator');
    await engine.auth.setPassword(userActor(ann.user.id), ann.user.id, 'another long password');
    await engine.auth.signIn(ann.email, 'another long password');
  });

  it('reports unknown users and refuses the system user', async () => {
    const { engine } = harness();
    await expectCrmError(engine.auth.setPassword(systemActor, '01890000-0000-7000-8000-000000000000', 'long enough password'), 'user_not_found');
    await expectCrmError(engine.auth.setPassword(systemActor, 'nope', 'long enough password'), 'user_not_found');
    await expectCrmError(engine.auth.setPassword(systemActor, '00000000-0000-0000-0000-000000000000', 'long enough password'), 'validation_failed');
  });

  it('ends the user\'s sessions: a password change is when a stolen session must stop', async () => {
    const { engine } = harness();
    const { user, email, password } = await createUserWithPassword(engine);
    const { token } = await engine.auth.signIn(email, password);
    expect(await engine.auth.authenticateSession(token)).not.toBeNull();
    await engine.auth.setPassword(systemActor, user.id, 'a brand new password');
    expect(await engine.auth.authenticateSession(token)).toBeNull();
    await expectCrmError(engine.auth.signIn(email, password), 'invalid_credentials');
  });
});
